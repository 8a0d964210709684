"""Build speed: cached and parallel Markdown, parallel rendering, only changed bytes written."""

from .plugin import register

__all__ = ["register"]
