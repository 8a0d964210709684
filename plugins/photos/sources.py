"""Where an article's photo is, and whether it can be published: one rule for the build
and for `make check`."""

import functools
import os
import warnings

from PIL import Image, UnidentifiedImageError
from vn_text.formatting import file_size

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")
MAX_PIXELS = 60_000_000  # a 60-megapixel camera is the largest an editor should meet


def photo_path(value: str, source_path: str, settings) -> str:
    """`Image:` names a file next to the article, or one under the content folder."""
    value = value.strip()
    beside = os.path.join(os.path.dirname(source_path), value)
    if not value.startswith("/") and os.path.isfile(beside):
        return os.path.normpath(beside)
    return os.path.join(settings["PATH"], value.lstrip("/"))


def photo_problem(path: str, settings) -> str | None:
    """What stops a photo from being published, in an editor's words; None when nothing.
    Remembered per file version: thousands of articles may show one photo."""
    found = os.stat(path)
    options = settings.get("PHOTOS", {})
    limits = (options.get("max_bytes"), options.get("max_pixels", MAX_PIXELS))
    return _problem(os.path.abspath(path), found.st_mtime_ns, found.st_size, limits)


@functools.lru_cache(maxsize=4096)
def _problem(path: str, _mtime: int, size: int, limits: tuple) -> str | None:
    """Decodes the whole photo once: a cut-off file opens fine and fails halfway."""
    most_bytes, most_pixels = limits
    if most_bytes and size > most_bytes:
        return (
            f"ảnh nặng {file_size(size)}, quá giới hạn {file_size(most_bytes)}; "
            "hãy thu nhỏ ảnh trước khi đưa lên"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                pixels = image.width * image.height
                if pixels > most_pixels:
                    return (
                        f"ảnh {image.width} × {image.height} điểm ảnh, quá giới hạn "
                        f"{most_pixels // 1_000_000} triệu điểm ảnh; hãy thu nhỏ ảnh"
                    )
                image.load()
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, Image.DecompressionBombError):
        return "không đọc được tệp ảnh (hỏng hoặc không phải ảnh JPEG/PNG/WebP)"
    return None
