"""The footer's visitor counter: a build-time snapshot, then live figures from the service."""

from .plugin import register
from .snapshot import fetch_figures

__all__ = ["fetch_figures", "register"]
