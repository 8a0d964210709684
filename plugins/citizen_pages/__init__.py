"""Hỏi đáp (questions with official answers) and Dịch vụ công (public services):
one Markdown file per item, a page per item and grouped listings."""

from .plugin import register

__all__ = ["register"]
