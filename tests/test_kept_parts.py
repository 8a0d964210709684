"""Parts of pages kept from one build for the next (fast_build.kept_parts)."""

from datetime import datetime

import pytest
from fast_build.fingerprints import Digests, token
from fast_build.fragments import install_remember
from fast_build.kept_parts import KeptParts, parts_path, using
from fast_build.traces import render_traced
from fast_build.writer import _Page
from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

PARTS = """
{%- macro item(article, siteurl) -%}
<li>{{ siteurl }}/{{ article.title }} {{ org }} {{ seen() }}</li>
{%- endmacro -%}
{%- macro linked(article, siteurl) -%}
<li>{{ article.title }} → {{ article.next.title }} {{ seen() }}</li>
{%- endmacro -%}
{%- macro plain(name) -%}<p>{{ name }} {{ seen() }}</p>{%- endmacro -%}
"""
PAGE = "{{ remember('parts', macro, article, SITEURL) }}|{{ own }}"
BUILD = b"the build's digest"


@pytest.fixture
def settings(tmp_path):
    return {**DEFAULT_CONFIG, "PATH": "/nd", "CACHE_PATH": str(tmp_path / "cache"),
            "OUTPUT_PATH": str(tmp_path / "out")}  # fmt: skip


def article(title: str, path: str) -> Article:
    meta = {"title": title, "date": datetime(2024, 5, 1)}
    return Article("<p>Thân.</p>", meta, settings=DEFAULT_CONFIG, source_path=path)


class Build:
    """One build's environment and kept parts, as the writer sets them up."""

    def __init__(self, settings, contents: dict, org="Sở Nội vụ", build=BUILD):
        self.calls = []
        templates = {"parts": PARTS, "page": PAGE, "plain": "{{ remember('parts', 'plain', 'a') }}"}
        self.environment = Environment(loader=DictLoader(templates), autoescape=True)
        self.environment.globals["seen"] = lambda: self.calls.append(1) or len(self.calls)
        self.environment.globals["org"] = org
        install_remember(self.environment)
        index = {token(content): content for content in contents}
        digests = Digests(settings)
        digests.know_index(index, {})
        described = {token(content): digest for content, digest in contents.items()}
        self.parts = KeptParts(settings, build, digests, index, described)

    def render(self, article, macro="item", own="một", template="page") -> tuple:
        context = {"article": article, "SITEURL": "https://qn.gov.vn", "macro": macro}
        page = _Page(self.environment.get_template(template), context, {**context, "own": own})
        with using(self.parts):
            return render_traced(page)


def test_a_part_given_an_article_is_found_by_the_next_build_while_the_article_is_the_same(
    settings,
):
    news = article("Tin mới", "/nd/tin.md")
    first = Build(settings, {news: b"h1"})
    text, trace = first.render(news)
    assert text == "<li>https://qn.gov.vn/Tin mới Sở Nội vụ 1</li>|một" and first.calls == [1]
    first.parts.save()

    second = Build(settings, {news: b"h1"})
    again, found = second.render(news, own="hai")
    assert again == "<li>https://qn.gov.vn/Tin mới Sở Nội vụ 1</li>|hai"
    assert second.calls == []  # found, not rendered
    assert news in found.contents.values()  # the page's record reads the article
    assert found.names == trace.names


def test_an_article_with_another_digest_renders_its_part_again_and_the_old_one_goes(settings):
    news = article("Tin mới", "/nd/tin.md")
    first = Build(settings, {news: b"h1"})
    first.render(news)
    first.parts.save()

    news.title = "Tin đã sửa"
    second = Build(settings, {news: b"h2"})
    text, _ = second.render(news)
    assert text.startswith("<li>https://qn.gov.vn/Tin đã sửa ") and second.calls == [1]
    second.parts.save()
    assert len(Build(settings, {news: b"h2"}).parts.previous) == 1


def test_another_build_digest_or_another_value_of_a_name_it_read_renders_it_again(settings):
    news = article("Tin mới", "/nd/tin.md")
    first = Build(settings, {news: b"h1"})
    first.render(news)
    first.parts.save()

    renamed = Build(settings, {news: b"h1"}, org="Sở Tư pháp")
    assert "Sở Tư pháp" in renamed.render(news)[0] and renamed.calls == [1]
    other = Build(settings, {news: b"h1"}, build=b"other code")
    other.render(news)
    assert other.calls == [1]


def test_another_content_object_the_part_read_is_checked_by_its_own_digest(settings):
    news, older = article("Tin mới", "/nd/tin.md"), article("Tin cũ", "/nd/cu.md")
    news.next = older
    first = Build(settings, {news: b"h1", older: b"o1"})
    text, _ = first.render(news, macro="linked")
    assert "Tin mới → Tin cũ" in text
    first.parts.save()

    same = Build(settings, {news: b"h1", older: b"o1"})
    _, trace = same.render(news, macro="linked")
    assert same.calls == [] and older in trace.contents.values()
    older.title = "Tin cũ đã sửa"
    changed = Build(settings, {news: b"h1", older: b"o2"})
    assert "Tin mới → Tin cũ đã sửa" in changed.render(news, macro="linked")[0]
    assert changed.calls == [1]


def test_a_part_without_a_content_object_is_not_kept(settings):
    news = article("Tin mới", "/nd/tin.md")
    first = Build(settings, {news: b"h1"})
    first.render(news, template="plain")
    assert first.calls == [1] and first.parts.made == {}
    first.parts.save()
    assert not parts_path(settings).exists()


def test_nothing_is_written_when_the_file_holds_it_already(settings):
    news = article("Tin mới", "/nd/tin.md")
    first = Build(settings, {news: b"h1"})
    first.render(news)
    first.parts.save()
    written = parts_path(settings).stat().st_mtime_ns

    second = Build(settings, {news: b"h1"})
    second.render(news)
    second.parts.save()
    assert parts_path(settings).stat().st_mtime_ns == written
