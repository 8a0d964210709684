"""```bang-don-vi blocks in Markdown, replaced by rendered tables after reading.

Markdown turns the block into <pre><code class="language-bang-don-vi">; we swap that
for the table, so the block syntax needs no Markdown extension of its own.
"""

import html
import re

from content_checks import Problem

from .builder import TableBuilder
from .options import OptionError, parse_options

BLOCK_HTML = re.compile(r'<pre><code class="language-bang-don-vi">(.*?)</code></pre>', re.S)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*\{?\s*\.?bang-don-vi\b")


def fence_lines(source_path: str) -> list[int]:
    """The line of each block's opening fence, for messages."""
    try:
        with open(source_path, encoding="utf-8-sig") as handle:
            return [n for n, line in enumerate(handle, start=1) if FENCE.match(line)]
    except OSError:
        return []


def expand_blocks(text: str, source_path: str, builder: TableBuilder) -> tuple[str, list[Problem]]:
    if "language-bang-don-vi" not in text:
        return text, []
    problems: list[Problem] = []
    lines = fence_lines(source_path)
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        fence = lines[count - 1] if count <= len(lines) else 1
        try:
            options = parse_options(html.unescape(match.group(1)))
            return builder.table(options, f"bang-{count}")
        except OptionError as error:
            problems.append(
                Problem(source_path, fence + error.offset, f"bảng số liệu: {error}", "bang-don-vi")
            )
            return ""

    return BLOCK_HTML.sub(replace, text), problems


def expand_in_content(content, builder: TableBuilder) -> list[Problem]:
    expanded, problems = expand_blocks(content._content or "", content.source_path, builder)
    content._content = expanded
    return problems
