"""Python-Markdown's slowest patterns skipped where they cannot match: the same HTML, sooner.

Python-Markdown tries each block pattern on each paragraph and each inline pattern on
each run of text. Several begin with a look-behind or with `(^|\\n)`, which keeps the
regular-expression engine from skipping ahead to a likely start: it tries them at every
character of a Vietnamese paragraph. On the portal's articles that was 0,3 ms of the
0,8 ms an article took to convert. Each pattern below cannot match without a certain
piece of text (a backtick, "[", "#", ": "...); where no such piece is in the text it
searches, the search is not made (`str.find` is a memchr). A pattern is guarded only
when its expression is the one written here, so another version of Python-Markdown,
with other patterns, runs them all as before. Two preprocessors that go over the whole
text are skipped the same way (QUIET), where what they would give is known.
"""

import sys

import markdown
from markdown.util import ETX, STX

# (where, name, attribute): (the expression it must be, the pieces a match needs one of)
_INLINE_LINK = ("(?<!\\!)\\[", ("[",))
GUARDS = {
    ("inline", "backtick", "compiled_re"): ("(?:(?<!\\\\)((?:\\\\{2})+)(?=`+)|(?<!\\\\)`)", ("`",)),
    ("inline", "reference", "compiled_re"): _INLINE_LINK,
    ("inline", "link", "compiled_re"): _INLINE_LINK,
    ("inline", "short_reference", "compiled_re"): _INLINE_LINK,
    ("block", "deflist", "RE"): ("(^|\\n)[ ]{0,3}:[ ]{1,3}(.*?)(\\n|$)", (": ",)),
    ("block", "quote", "RE"): ("(^|\\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    ("block", "hashheader", "RE"): (
        "(?:^|\\n)(?P<level>#{1,6})(?P<header>(?:\\\\.|[^\\\\#]|#+(?=[^#\\n]))*?)#*(?:\\n|$)",
        ("#",),
    ),
    ("block", "setextheader", "RE"): ("^.*?\\n(?:=+|-+)[ ]*(\\n|$)", ("\n=", "\n-")),
    ("block", "hr", "SEARCH_RE"): (
        "^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\\*+[ ]{0,2}){3,}))"
        "(?P=atomicgroup)[ ]*$",
        ("-", "_", "*"),
    ),
    ("block", "footnote", "RE"): ("^[ ]{0,3}\\[\\^([^\\]]*)\\]:[ ]*(.*)$", ("[^",)),
    ("block", "abbr", "RE"): (
        "^[*]\\[(?P<abbr>[^\\\\]*?)\\][ ]?:[ ]*\\n?[ ]*(?P<title>.*)$",
        ("*[",),
    ),
    ("block", "reference", "RE"): (
        "^[ ]{0,3}\\[([^\\[\\]]*)\\]:[ ]*(?:\\n[ ]*)?([^\\s]+)[ ]*(?:\\n[ ]*)?"
        "(([\"\\'])(.*)\\4[ ]*|\\((.*)\\)[ ]*)?$",
        ("]:",),
    ),
}


# Preprocessors whose work is known beforehand when the text holds none of some pieces:
# (where, name): (its class, those pieces, what it then gives for the lines). Guarded only
# on the Python-Markdown whose code this was read from.
# - The HTML-block preprocessor runs Python's HTMLParser over the whole text (25 µs an
#   article); without a "<" or an "&" the parser sees one run of plain data, and the
#   lines come back whole.
# - Whitespace normalisation runs a look-behind expression over the whole text (35 µs);
#   without a space before a line's end, a tab, a carriage return or Markdown's own
#   markers, the text only gains its two closing blank lines.
# - The fenced-code preprocessor searches the whole text for a fence (5 µs); without three
#   backticks or tildes in a row there is none, and the lines come back whole.


def _same(lines: list[str]) -> list[str]:
    return lines


def _two_blank_lines_more(lines: list[str]) -> list[str]:
    return [*lines, "", ""]


QUIET = {
    ("pre", "normalize_whitespace"): (
        ("markdown.preprocessors.NormalizeWhitespace",),
        (" \n", "\t", "\r", STX, ETX),
        _two_blank_lines_more,
    ),
    ("pre", "fenced_code_block"): (
        ("markdown.extensions.fenced_code.FencedBlockPreprocessor",),
        ("```", "~~~"),
        _same,
    ),
    ("pre", "html_block"): (
        (
            "markdown.extensions.md_in_html.HtmlBlockPreprocessor",
            "markdown.preprocessors.HtmlBlockPreprocessor",
        ),
        ("<", "&"),
        _same,
    ),
}
QUIET_READ_IN = "3.11.3"


class GuardedRun:
    """A preprocessor's run, made only when the text holds one of the pieces it acts on;
    otherwise `known` gives what it would have given."""

    __slots__ = ("run", "needles", "known")

    def __init__(self, run, needles: tuple[str, ...], known=_same):
        self.run, self.needles, self.known = run, needles, known

    def __call__(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines) + "\n"  # the line end a last line of spaces gets
        if any(needle in text for needle in self.needles):
            return self.run(lines)
        return self.known(lines)


class Guarded:
    """A compiled expression that first checks that a match is possible at all."""

    __slots__ = ("regex", "needles")

    def __init__(self, regex, needles: tuple[str, ...]):
        self.regex, self.needles = regex, needles

    def _impossible(self, string: str, pos: int, endpos: int) -> bool:
        # the engine reads a negative position as 0, str.find as counted from the end
        pos, endpos = max(pos, 0), max(endpos, 0)
        for needle in self.needles:  # noqa: SIM110 - a loop, not all(): 80 calls an article
            if string.find(needle, pos, endpos) >= 0:
                return False
        return True

    def search(self, string, pos=0, endpos=sys.maxsize):
        if self._impossible(string, pos, endpos):
            return None
        return self.regex.search(string, pos, endpos)

    def match(self, string, pos=0, endpos=sys.maxsize):
        if self._impossible(string, pos, endpos):
            return None
        return self.regex.match(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        if self._impossible(string, pos, endpos):
            return iter(())
        return self.regex.finditer(string, pos, endpos)

    def __getattr__(self, name):  # pattern, flags, groupindex, sub...
        return getattr(self.regex, name)


def _registries(md) -> dict:
    return {
        "inline": md.inlinePatterns,
        "block": md.parser.blockprocessors,
        "pre": md.preprocessors,
    }


def guard(md) -> list[str]:
    """Guard `md`'s patterns found in GUARDS; the names of those guarded."""
    registries, guarded = _registries(md), []
    for (where, name, attribute), (expression, needles) in GUARDS.items():
        registry = registries[where]
        if name not in registry:
            continue
        processor = registry[name]
        regex = getattr(processor, attribute, None)
        if isinstance(regex, Guarded) or getattr(regex, "pattern", None) != expression:
            continue
        setattr(processor, attribute, Guarded(regex, needles))
        guarded.append(f"{where}:{name}")
    for (where, name), (classes, needles, known) in QUIET.items():
        registry = registries[where]
        if markdown.__version__ != QUIET_READ_IN or name not in registry:
            continue
        processor = registry[name]
        kind = type(processor)
        if f"{kind.__module__}.{kind.__qualname__}" not in classes or "run" in vars(processor):
            continue
        processor.run = GuardedRun(processor.run, needles, known)
        guarded.append(f"{where}:{name}")
    return guarded
