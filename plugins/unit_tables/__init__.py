"""Unit tables: a registry of units, per-period statistics and status tables, rendered."""

from .data import UnitData, load_unit_data
from .plugin import register
from .registry import load_registry
from .stats import Counts, load_period
from .status import load_status_table

__all__ = [
    "Counts",
    "UnitData",
    "load_period",
    "load_registry",
    "load_status_table",
    "load_unit_data",
    "register",
]
