"""Signal wiring for contacts; it runs after unit_tables, whose registry it reads."""

from pelican import signals

from .generator import ContactsGenerator


def add_generator(pelican):
    return ContactsGenerator


def register():
    signals.get_generators.connect(add_generator)
