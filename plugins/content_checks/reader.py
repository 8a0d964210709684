"""A Markdown reader that normalises to NFC and checks front matter before parsing."""

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open
from vn_text import nfc

from .front_matter import check_front_matter
from .problems import ContentError, problem_log


class CheckedMarkdownReader(MarkdownReader):
    def read(self, source_path):
        self._source_path = source_path
        with pelican_open(source_path) as raw:
            text = nfc(raw)
        problems = check_front_matter(source_path, text, self.settings)
        if problems:
            problem_log(self.settings).extend(problems)
            raise ContentError(problems)
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata
