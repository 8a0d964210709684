"""Photo dimensions, so the theme can set width and height and nothing shifts."""

import functools
import os

from fast_build.reading import consulted
from PIL import Image, UnidentifiedImageError


def image_size(path: str) -> tuple[int, int] | None:
    """Reads only the file header; None when the file cannot be read as an image.
    Remembered per file version: many articles may show one photo."""
    consulted(path)  # an article kept from an earlier build is read again if it changes
    try:
        found = os.stat(path)
    except OSError:
        return None
    return _size(path, found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=4096)
def _size(path: str, _mtime: int, _length: int) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def attach_image_size(content) -> None:
    image = getattr(content, "image", None)
    if image:
        content.image = image.lstrip("/")
        content.image_size = image_size(os.path.join(content.settings["PATH"], content.image))
