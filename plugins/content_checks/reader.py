"""A Markdown reader that normalises to NFC and checks front matter before parsing.

The conversion itself comes from fast_build's cache: a text converted by an earlier
build (or by another core at the start of this one) is only looked up.
"""

from fast_build.markdown_cache import cache_for, read_source
from pelican.readers import MarkdownReader
from vn_text import parse_date

from .front_matter import check_front_matter
from .problems import ContentError, not_utf8, problem_log


class _Converted:
    """Stands in for Markdown in Pelican's metadata parsing: fields come converted."""

    class preprocessors:  # noqa: N801 - Pelican calls self._md.preprocessors.deregister
        @staticmethod
        def deregister(name):
            pass

    def __init__(self, formatted: dict):
        self.formatted = formatted

    def reset(self):
        pass

    def convert(self, text):
        return self.formatted[text]


class CheckedMarkdownReader(MarkdownReader):
    def process_metadata(self, name, value):
        if name == "date":  # as Pelican reads it, through the faster reader of dates
            return parse_date(value.replace("_", " "))
        if name == "modified":
            return parse_date(value)
        return super().process_metadata(name, value)

    def read(self, source_path):
        self._source_path = source_path
        try:
            text = read_source(source_path)
        except UnicodeDecodeError as error:
            problems = [not_utf8(source_path, error)]
        else:
            problems = check_front_matter(source_path, text, self.settings)
        if problems:
            problem_log(self.settings).extend(problems)
            raise ContentError(problems)
        converted = cache_for(self.settings).read(source_path, text)
        self._md = _Converted(converted["formatted"])
        return converted["body"], self._parse_metadata(converted["meta"])
