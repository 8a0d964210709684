"""Signal wiring for citizen_pages; it runs after unit_tables, whose registry it reads."""

from fast_build.reading import read_with_articles
from pelican import signals

from .questions import QuestionsGenerator
from .services import ServicesGenerator

GENERATORS = (QuestionsGenerator, ServicesGenerator)


def add_generators(pelican):
    return list(GENERATORS)


def register():
    signals.get_generators.connect(add_generators)
    for generator in GENERATORS:  # read on every core, with the articles
        read_with_articles(generator.__name__, generator.paths_setting, generator.read_item)
