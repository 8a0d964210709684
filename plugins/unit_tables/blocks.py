"""Fenced blocks in Markdown (```bang-don-vi, ```danh-ba, ...) replaced after reading.

Markdown turns ```kind into <pre><code class="language-kind">; a plugin swaps that for
rendered HTML, so a block syntax needs no Markdown extension of its own. Any plugin may
use this for its own kind of block.
"""

import html
import re

from content_checks import Problem

from .options import OptionError


def fence_lines(source_path: str, kind: str) -> list[int]:
    """The line of each opening fence of this kind, for messages."""
    fence = re.compile(rf"^\s*(`{{3,}}|~{{3,}})\s*\{{?\s*\.?{re.escape(kind)}\b")
    try:
        with open(source_path, encoding="utf-8-sig") as handle:
            return [n for n, line in enumerate(handle, start=1) if fence.match(line)]
    except (OSError, UnicodeDecodeError):  # a file that is no UTF-8 is reported as such
        return []


def expand_blocks(text: str, source_path: str, kind: str, render) -> tuple[str, list[Problem]]:
    """Replace each block by `render(options_text, number)`; OptionError becomes a Problem."""
    marker = f'<pre><code class="language-{kind}">'
    if marker not in text:
        return text, []
    pattern = re.compile(re.escape(marker) + r"(.*?)</code></pre>", re.S)
    problems: list[Problem] = []
    lines = fence_lines(source_path, kind)
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        fence = lines[count - 1] if count <= len(lines) else 1
        try:
            return render(html.unescape(match.group(1)), count)
        except OptionError as error:
            problems.append(
                Problem(source_path, fence + error.offset, f"khối {kind}: {error}", kind)
            )
            return ""

    return pattern.sub(replace, text), problems


def expand_in_content(content, kind: str, render) -> list[Problem]:
    if content.__dict__.get("_code_blocks") is False:
        # fast_build took it back from its cache, the body left there: it holds no
        # fenced block of any kind, so it is not read back to be looked through
        return []
    body = content._content
    expanded, problems = expand_blocks(body or "", content.source_path, kind, render)
    if expanded is not body:  # a body left as read stays where it is kept
        content._content = expanded
    return problems
