"""Signal wiring for search_index."""

from pelican import signals

from .indexer import index_site


def after_build(pelican):
    options = pelican.settings.get("SEARCH_INDEX")
    if options:
        folder = pelican.settings["SEARCH_INDEX_URL"].strip("/")
        index_site(pelican.output_path, folder, background=options.get("background", False))


def register():
    signals.finalized.connect(after_build)
