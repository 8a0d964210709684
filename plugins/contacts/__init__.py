"""Contacts from the unit registry: directory, vCards, JSON-LD, the organisation chart."""

from .jsonld import organization
from .plugin import register
from .vcard import unit_vcard

__all__ = ["organization", "register", "unit_vcard"]
