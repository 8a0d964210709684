"""Signal wiring for citizen_pages; it runs after unit_tables, whose registry it reads."""

from pelican import signals

from .questions import QuestionsGenerator
from .services import ServicesGenerator


def add_generators(pelican):
    return [QuestionsGenerator, ServicesGenerator]


def register():
    signals.get_generators.connect(add_generators)
