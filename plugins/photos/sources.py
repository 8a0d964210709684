"""Where an article's photo is, and whether it can be published: one rule for the build
and for `make check`."""

import functools
import os

from PIL import Image, UnidentifiedImageError
from vn_text.formatting import file_size

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")


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
    limit = settings.get("PHOTOS", {}).get("max_bytes")
    return _problem(os.path.abspath(path), found.st_mtime_ns, found.st_size, limit)


@functools.lru_cache(maxsize=4096)
def _problem(path: str, _mtime: int, size: int, limit: int | None) -> str | None:
    if limit and size > limit:
        return (
            f"ảnh nặng {file_size(size)}, quá giới hạn {file_size(limit)}; "
            "hãy thu nhỏ ảnh trước khi đưa lên"
        )
    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        return "không đọc được tệp ảnh (hỏng hoặc không phải ảnh JPEG/PNG/WebP)"
    return None
