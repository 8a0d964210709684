"""Photos for phones: small versions of each full-size photo, within the byte budget."""

from .plugin import register
from .sources import photo_path

__all__ = ["photo_path", "register"]
