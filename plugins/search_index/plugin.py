"""Signal wiring for search_index."""

from pelican import signals


def after_build(pelican):
    if pelican.settings.get("SEARCH_INDEX"):  # the indexer is imported only then
        from .indexer import index_for

        index_for(pelican.settings)


def register():
    signals.finalized.connect(after_build)
