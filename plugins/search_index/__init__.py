"""Site search: Pagefind indexes the written pages after each build."""

from .indexer import index_site
from .plugin import register

__all__ = ["index_site", "register"]
