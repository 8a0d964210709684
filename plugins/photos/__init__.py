"""Photos for phones: small versions of each full-size photo, within the byte budget."""

from .plugin import register

__all__ = ["register"]
