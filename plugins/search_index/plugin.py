"""Signal wiring for search_index."""

from pelican import signals

from .indexer import index_site


def after_build(pelican):
    options = pelican.settings.get("SEARCH_INDEX")
    if options:
        index_site(pelican.output_path, options)


def register():
    signals.finalized.connect(after_build)
