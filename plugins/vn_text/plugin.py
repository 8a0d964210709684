"""Signal wiring for vn_text: the work lives in text.py and formatting.py."""

from pelican import signals

from .formatting import JINJA_FILTERS
from .text import SLUG_SUBSTITUTIONS

SLUG_SETTINGS = (
    "SLUG_REGEX_SUBSTITUTIONS",
    "CATEGORY_REGEX_SUBSTITUTIONS",
    "TAG_REGEX_SUBSTITUTIONS",
    "AUTHOR_REGEX_SUBSTITUTIONS",
)


def use_portal_slugs(pelican):
    """Make Pelican's own slugs (articles, categories, tags) follow our rules."""
    for name in SLUG_SETTINGS:
        pelican.settings[name] = list(SLUG_SUBSTITUTIONS)


def add_jinja_filters(generator):
    generator.env.filters.update(JINJA_FILTERS)


def register():
    signals.initialized.connect(use_portal_slugs)
    signals.generator_init.connect(add_jinja_filters)
