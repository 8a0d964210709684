"""Site search: the written pages indexed after each build, for theme/static/js/search.js.

The indexer and what it needs are imported when an index is first asked for: a build
with SEARCH_INDEX off (the benchmark's, which times indexing apart) spent 25 ms of its
one-core start importing them for nothing."""

from .plugin import register

__all__ = ["build_index", "index_for", "index_site", "register"]


def __getattr__(name: str):
    if name in ("build_index", "index_for", "index_site"):
        from . import indexer

        return getattr(indexer, name)
    raise AttributeError(f"module 'search_index' has no attribute {name!r}")
