"""Production output: fingerprinted CSS/JS (cached for a year), precompressed copies, a stamp."""

from .fingerprint import fingerprint_assets
from .plugin import register
from .precompress import precompress

__all__ = ["fingerprint_assets", "precompress", "register"]
