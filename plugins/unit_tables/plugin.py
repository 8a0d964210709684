"""Signal wiring for unit_tables."""

from pelican import signals

from .generator import UnitTablesGenerator


def add_generator(pelican):
    return UnitTablesGenerator


def register():
    signals.get_generators.connect(add_generator)
