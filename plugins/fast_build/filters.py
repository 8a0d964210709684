"""Jinja filters whose result depends on their text alone, worked out once a build.

A listing shows each article's lead without its tags (`summary|striptags`), and each
article is on five or six listings (the home page, its category, its tags, its month),
so Jinja stripped the same lead five or six times: 4,4 µs each, some 100000 times in a
first build at 20000 articles. Results are kept per environment, which lives for one
build, and only for plain and Markup strings (whose stripped text is the same).
"""

from jinja2.filters import do_striptags
from markupsafe import Markup
from vn_text.formatting import remembered


def _not_text(value) -> bool:
    return type(value) not in (str, Markup)


def remembered_striptags():
    return remembered(do_striptags, each_time=_not_text)


def install_filters(environment) -> None:
    environment.filters["striptags"] = remembered_striptags()
