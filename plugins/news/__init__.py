"""News listings the theme needs: "Các tin khác", the home page's sections."""

from .listings import home_sections, older_in_category
from .plugin import register

__all__ = ["home_sections", "older_in_category", "register"]
