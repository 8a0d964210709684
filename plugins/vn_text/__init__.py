"""Vietnamese text done right: NFC, slugs, dates and numbers without the system locale."""

from .dates import parse_date
from .formatting import format_date, format_datetime, format_number, format_percent
from .plugin import register
from .text import nfc, slugify, source_text

__all__ = [
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "nfc",
    "parse_date",
    "register",
    "slugify",
    "source_text",
]
