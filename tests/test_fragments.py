"""Parts of pages rendered once a build for each set of what they show (fast_build.fragments)."""

from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from conftest import build, news, write_content
from fast_build.fragments import install_remember
from fast_build.traces import render_traced
from fast_build.writer import _Page
from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

PARTS = """
{%- macro contact(name, siteurl, unit) -%}
<p>{{ name }} {{ siteurl }} {{ seen() }}{% if unit %} {{ unit.title }}{% endif %}</p>
{%- endmacro -%}
"""


@pytest.fixture
def environment():
    calls = []
    templates = {
        "parts": PARTS,
        "page": "{{ remember('parts', 'contact', name, SITEURL, unit) }}|{{ own }}",
    }
    environment = Environment(loader=DictLoader(templates), autoescape=True)
    environment.globals["seen"] = lambda: calls.append(1) or len(calls)
    install_remember(environment)
    environment.calls = calls
    return environment


def page(environment, shared: dict, **own) -> _Page:
    return _Page(environment.get_template("page"), shared, {**shared, **own})


def test_a_part_is_rendered_once_for_the_same_arguments(environment):
    shared = {"name": "Sở Nội vụ", "SITEURL": "https://qn.gov.vn", "unit": None}
    first = page(environment, shared, own="một").render()
    second = page(environment, shared, own="hai").render()
    assert first == "<p>Sở Nội vụ https://qn.gov.vn 1</p>|một"
    assert second == "<p>Sở Nội vụ https://qn.gov.vn 1</p>|hai"  # remembered: `seen` not called
    other = page(environment, {**shared, "name": "Sở Tư pháp"}, own="ba").render()
    assert other == "<p>Sở Tư pháp https://qn.gov.vn 2</p>|ba"
    assert len(environment.calls) == 2


def test_arguments_that_are_no_plain_values_count_by_identity_and_are_held(environment):
    one, same = {"title": "Ban Tiếp công dân"}, {"title": "Ban Tiếp công dân"}
    for unit in (one, one, same):
        page(environment, {"name": "a", "SITEURL": "", "unit": unit}).render()
    assert len(environment.calls) == 2  # an equal dict is another object: rendered again
    held = [entry[0] for entry in environment.globals["remember"].known.values()]
    assert any(args[2] is one for args in held) and any(args[2] is same for args in held)


def test_what_a_remembered_part_read_is_in_every_traced_page(environment):
    settings = {**DEFAULT_CONFIG, "PATH": "/nd"}
    unit = Article("<p>Thân.</p>", {"title": "Đơn vị", "date": datetime(2024, 5, 1)},
                   settings=settings, source_path="/nd/don-vi.md")  # fmt: skip
    shared = {"name": "a", "SITEURL": "", "unit": unit}
    untraced = page(environment, shared).render()  # remembered without a trace
    texts, traces = zip(*(render_traced(page(environment, shared)) for _ in range(3)), strict=True)
    assert len(environment.calls) == 2  # rendered again once, to learn what it reads
    assert texts[0] == texts[1] == texts[2] == untraced.replace(" 1 ", " 2 ")
    for trace in traces:
        assert unit in trace.contents.values()
        assert {"name", "SITEURL", "unit", "remember", "own"} <= trace.names
    assert traces[1].names == traces[2].names


def test_the_footers_remembered_parts_are_one_and_each_page_keeps_its_own_pixel(tmp_path):
    write_content(
        tmp_path / "content",
        {f"tin-tuc/tin-{n}.md": news(f"Tin {n}", f"2024-05-0{n} 08:00") for n in range(1, 4)},
    )
    out = build(tmp_path / "content", tmp_path / "out", SEARCH_INDEX=None)
    contacts, figures, pixels = set(), set(), set()
    for path in sorted(out.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        footer = soup.select_one("footer.site-footer")
        contacts.add(footer.select_one("address.footer-contact").decode())
        figures.add(footer.select_one("p.visitor-counter").decode())
        pixel = footer.select_one("img.counter-pixel")["src"]
        here = "/" + path.relative_to(out).as_posix().removesuffix("index.html")
        assert pixel.endswith("hit.gif?p=" + here)
        pixels.add(pixel)
    assert len(contacts) == len(figures) == 1
    assert len(pixels) > 5  # one a page: not remembered
    assert 'href="tel:+842033618429"' in contacts.pop()


def test_what_remember_holds_is_no_part_of_a_pages_digest(environment, settings):
    from fast_build.fingerprints import Digests

    remember = environment.globals["remember"]
    before = Digests(settings).value(remember)
    page(environment, {"name": "a", "SITEURL": "", "unit": None}).render()
    assert remember.known and Digests(settings).value(remember) == before
