"""Editors' mistakes stop the build with a list of `file:line: message`, never a traceback."""

from .front_matter import check_front_matter, read_header
from .plugin import register
from .problems import ContentError, Problem

__all__ = ["ContentError", "Problem", "check_front_matter", "read_header", "register"]
