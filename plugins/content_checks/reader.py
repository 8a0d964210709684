"""A Markdown reader that normalises to NFC and checks front matter before parsing.

It also keeps its Markdown instances for the whole build (reset between files, as
Python-Markdown intends) instead of building a new one per file as Pelican does: building
one costs about as much as converting a short article.
"""

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open
from vn_text import nfc

from .front_matter import check_front_matter
from .problems import ContentError, problem_log


class CheckedMarkdownReader(MarkdownReader):
    _document = None  # converts bodies; its "meta" preprocessor reads the front matter
    _fields = None  # converts formatted fields (Summary); Pelican drops its "meta" each time
    _meta = None

    def read(self, source_path):
        self._source_path = source_path
        with pelican_open(source_path) as raw:
            text = nfc(raw)
        problems = check_front_matter(source_path, text, self.settings)
        if problems:
            problem_log(self.settings).extend(problems)
            raise ContentError(problems)
        if self._document is None:
            self._document = Markdown(**self.settings["MARKDOWN"])
        self._document.reset()
        content = self._document.convert(text)
        meta = getattr(self._document, "Meta", None)
        metadata = self._parse_metadata(meta) if meta is not None else {}
        return content, metadata

    def _parse_metadata(self, meta):
        if self._fields is None:
            self._fields = Markdown(**self.settings["MARKDOWN"])
            self._meta = self._fields.preprocessors["meta"]
        if "meta" not in self._fields.preprocessors:
            self._fields.preprocessors.register(self._meta, "meta", 27)
        self._md = self._fields
        return super()._parse_metadata(meta)
