"""Texts of plain paragraphs turned into HTML without Python-Markdown's parser.

Most of the portal's news is paragraphs of words and everyday punctuation: no emphasis,
link, list, heading, table or HTML. Python-Markdown still tries every block pattern on
each paragraph and every inline pattern on each run of text, 0,3–0,4 ms an article,
to give what is known beforehand: each paragraph in a `<p>`, one to a line.

A preprocessor of ours runs after Python-Markdown's own (front matter is taken off by
the meta extension by then). When every remaining line is plain (see plain_html), the
conversion stops there with that HTML; otherwise the lines go on as they came. It is
installed only on the Python-Markdown whose code this was read from, and only when every
processor registered is one of those listed in KNOWN: another version, or an extension
that changes plain text (nl2br, smarty), converts every text as before.
"""

import re

import markdown
from markdown import Markdown
from markdown.preprocessors import Preprocessor

READ_IN = "3.11.3"

# Processors of Python-Markdown and of the extra and meta extensions, by registry, name
# and class (nl2br registers a class of this list under another name). Plain text goes
# through each unchanged: each acts only on a character or a line start plain_html
# refuses, or on what such a piece left (stashed HTML, footnotes, abbreviations).
_READ = {
    "pre": {
        "normalize_whitespace": "preprocessors.NormalizeWhitespace",
        "meta": "extensions.meta.MetaPreprocessor",
        "fenced_code_block": "extensions.fenced_code.FencedBlockPreprocessor",
        "html_block": (
            "preprocessors.HtmlBlockPreprocessor",
            "extensions.md_in_html.HtmlBlockPreprocessor",
        ),
    },
    "block": {
        "empty": "blockprocessors.EmptyBlockProcessor",
        "indent": "blockprocessors.ListIndentProcessor",
        "code": "blockprocessors.CodeBlockProcessor",
        "hashheader": "blockprocessors.HashHeaderProcessor",
        "setextheader": "blockprocessors.SetextHeaderProcessor",
        "hr": "blockprocessors.HRProcessor",
        "olist": "blockprocessors.OListProcessor",
        "ulist": "blockprocessors.UListProcessor",
        "quote": "blockprocessors.BlockQuoteProcessor",
        "reference": "blockprocessors.ReferenceProcessor",
        "paragraph": "blockprocessors.ParagraphProcessor",
        "footnote": "extensions.footnotes.FootnoteBlockProcessor",
        "defindent": "extensions.def_list.DefListIndentProcessor",
        "deflist": "extensions.def_list.DefListProcessor",
        "table": "extensions.tables.TableProcessor",
        "abbr": "extensions.abbr.AbbrBlockprocessor",
        "markdown_block": "extensions.md_in_html.MarkdownInHtmlProcessor",
    },
    "inline": {
        "backtick": "inlinepatterns.BacktickInlineProcessor",
        "escape": "inlinepatterns.EscapeInlineProcessor",
        "reference": "inlinepatterns.ReferenceInlineProcessor",
        "link": "inlinepatterns.LinkInlineProcessor",
        "image_link": "inlinepatterns.ImageInlineProcessor",
        "image_reference": "inlinepatterns.ImageReferenceInlineProcessor",
        "short_reference": "inlinepatterns.ShortReferenceInlineProcessor",
        "short_image_ref": "inlinepatterns.ShortImageReferenceInlineProcessor",
        "autolink": "inlinepatterns.AutolinkInlineProcessor",
        "automail": "inlinepatterns.AutomailInlineProcessor",
        "linebreak": "inlinepatterns.SubstituteTagInlineProcessor",
        "html": "inlinepatterns.HtmlInlineProcessor",
        "entity": "inlinepatterns.HtmlInlineProcessor",
        "em_strong": "inlinepatterns.DelimiterProcessor",
        "footnote": "extensions.footnotes.FootnoteInlineProcessor",
    },
    "tree": {
        "inline": "treeprocessors.InlineProcessor",
        "prettify": "treeprocessors.PrettifyTreeprocessor",
        "unescape": "treeprocessors.UnescapeTreeprocessor",
        "footnote": "extensions.footnotes.FootnoteTreeprocessor",
        "footnote-duplicate": "extensions.footnotes.FootnotePostTreeprocessor",
        "attr_list": "extensions.attr_list.AttrListTreeprocessor",
        "abbr": "extensions.abbr.AbbrTreeprocessor",  # no glossary: PlainParagraphs.run
    },
    "post": {
        "raw_html": (
            "postprocessors.RawHtmlPostprocessor",
            "extensions.md_in_html.MarkdownInHTMLPostprocessor",
        ),
        "amp_substitute": "postprocessors.AndSubstitutePostprocessor",
        "footnote": "extensions.footnotes.FootnotePostprocessor",
    },
}
KNOWN = frozenset(
    (where, name, f"markdown.{kind}")
    for where, names in _READ.items()
    for name, kinds in names.items()
    for kind in ((kinds,) if isinstance(kinds, str) else kinds)
)

# Plain text: any character but those Markdown reads as syntax or as space. Among ASCII,
# letters, digits and the punctuation below (not "*_`[]<>&#+=|~{}\\^", tabs, Markdown's
# STX/ETX markers); beyond ASCII, all but what str.strip() and the expressions' \\s take
# for space (a no-break space, say). A list of what is refused, for speed: one search
# of a character class (9 µs an article), where the same class negated took 31 µs.
_PUNCTUATION = " .,;:?!()%/'\"@$-\n"
_REFUSED = [c for c in map(chr, range(128)) if not (c.isalnum() or c in _PUNCTUATION)]
_REFUSED += [c for c in map(chr, range(128, 0x3001)) if c.isspace()]  # none beyond
_NOT_PLAIN = re.compile("[" + "".join(map(re.escape, _REFUSED)) + "]")
_NUMBERED = re.compile(r"\d+\.")


def plain_html(lines: list[str]) -> str | None:
    """Python-Markdown's HTML for these lines, when they are plain paragraphs: each run
    of lines between empty ones in a <p>, as they are."""
    if _NOT_PLAIN.search("\n".join(lines)):
        return None
    paragraphs, current = [], []
    for line in lines:
        if not line:
            if current:
                paragraphs.append("\n".join(current))
                current = []
        elif (
            line[0] in " -:"  # code, a list, a rule, a definition
            or line[-1] == " "  # two spaces at the end make a line break
            or (line[0].isdecimal() and _NUMBERED.match(line))  # a numbered list
        ):
            return None
        else:
            current.append(line)
    if current:
        paragraphs.append("\n".join(current))
    if not paragraphs:
        return None
    return "\n".join([f"<p>{paragraph}</p>" for paragraph in paragraphs])


class _Plain(Exception):  # noqa: N818 - not an error: the way out with the HTML
    def __init__(self, html: str):
        super().__init__()
        self.html = html


class PlainMarkdown(Markdown):
    """Python-Markdown, stopping at the HTML PlainParagraphs found when it found one: the
    parser, tree processors, serializer and postprocessors would leave it as it is
    (an empty document through them all was half of what such a text still took)."""

    skipped = False  # whether the last text was plain

    def convert(self, source: str) -> str:
        self.skipped = False
        try:
            return super().convert(source)
        except _Plain as plain:
            self.skipped = True
            return plain.html


class PlainParagraphs(Preprocessor):
    def __init__(self, md: Markdown, abbreviations: dict):
        super().__init__(md)
        # the abbr extension's own dict, emptied and filled again at each reset: what
        # its glossary setting holds, before the text's definitions are read
        self.abbreviations = abbreviations

    def run(self, lines: list[str]) -> list[str]:
        if self.abbreviations:  # words of a glossary become <abbr> in plain text too
            return lines
        html = plain_html(lines)
        if html is None:
            return lines
        raise _Plain(html)  # out of PlainMarkdown.convert, past everything left to do


def _registered(md: Markdown):
    registries = {
        "pre": md.preprocessors,
        "block": md.parser.blockprocessors,
        "inline": md.inlinePatterns,
        "tree": md.treeprocessors,
        "post": md.postprocessors,
    }
    for where, registry in registries.items():
        for entry in registry._priority:  # names as registered (iterating gives objects)
            kind = type(registry[entry.name])
            yield where, entry.name, f"{kind.__module__}.{kind.__qualname__}"


def install(md: Markdown) -> bool:
    """Add the preprocessor, last of all, where it gives Python-Markdown's own HTML."""
    if (
        not isinstance(md, PlainMarkdown)
        or markdown.__version__ != READ_IN
        or not md.stripTopLevelTags
        or not set(_registered(md)) <= KNOWN
    ):
        return False
    abbreviations = md.treeprocessors["abbr"].abbrs if "abbr" in md.treeprocessors else {}
    md.preprocessors.register(PlainParagraphs(md, abbreviations), "plain_paragraphs", 0)
    return True
