"""Site search: the written pages indexed after each build, for theme/static/js/search.js."""

from .indexer import build_index, index_for, index_site
from .plugin import register

__all__ = ["build_index", "index_for", "index_site", "register"]
