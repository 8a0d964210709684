"""Editors' mistakes stop the build with a list of `file:line: message`, never a traceback."""

from .front_matter import check_front_matter, read_header
from .plugin import register
from .problems import ContentError, Problem, not_utf8, problem_log

__all__ = [
    "ContentError",
    "Problem",
    "check_front_matter",
    "not_utf8",
    "problem_log",
    "read_header",
    "register",
]
