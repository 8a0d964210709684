"""Jinja's striptags, quicker on the leads the portal's listings show.

A listing shows each article's lead without its tags (`summary|striptags`), and each
article is on five or six listings (the home page, its category, its tags, its month),
and its own page strips it twice (description, og:description): some 150000 times in a
first build at 20000 articles, 3,7 µs each through markupsafe. A lead is nearly always
one paragraph of plain text: `<p>`, the text, `</p>`, no entity, no other tag and no
space to collapse. Its stripped text is then the text between the two tags (0,85 µs).
A title has no tag at all: its stripped text is its words, as the filter joins them
(0,6 µs instead of 1,8). Anything else goes through Jinja's own filter. The results
were remembered by text before; that was 16 MB of a first build's peak at 20000
articles (each renderer its own copy) for the same time a page.
"""

from jinja2.filters import do_striptags


def quick_striptags(value) -> str:
    """do_striptags(value), the same text."""
    if type(value) is not str:
        if not isinstance(value, str):  # Markup is a str; other values are Jinja's
            return do_striptags(value)
        value = str(value)
    if "<" not in value and "&" not in value:  # a title: no tag to strip, nothing to unescape
        return " ".join(value.split())
    if value.startswith("<p>") and value.endswith("</p>") and value.count("<") == 2:
        inner = value[3:-4]
        # nothing to unescape, no whitespace but single spaces inside (isprintable is
        # False for tabs, line ends and every Unicode space but the ASCII one)
        plain = "&" not in inner and inner.isprintable() and "  " not in inner
        if plain and inner[:1] != " " and inner[-1:] != " ":
            return inner
    return do_striptags(value)


def install_filters(environment) -> None:
    environment.filters["striptags"] = quick_striptags
