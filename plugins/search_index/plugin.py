"""Signal wiring for search_index."""

from pelican import signals

from .indexer import index_for


def after_build(pelican):
    index_for(pelican.settings)


def register():
    signals.finalized.connect(after_build)
