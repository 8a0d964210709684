"""Parts of pages kept from one build for the next (fast_build.kept_parts)."""

import os
import pickle
from datetime import datetime

import pytest
from fast_build import kept_parts
from fast_build.fingerprints import Digests, token
from fast_build.fragments import install_remember
from fast_build.kept_parts import KeptParts, parts_folder, using
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
    assert not parts_folder(settings).exists()


def test_nothing_is_written_when_the_file_holds_it_already(settings):
    news = article("Tin mới", "/nd/tin.md")
    first = Build(settings, {news: b"h1"})
    first.render(news)
    first.parts.save()
    written = (parts_folder(settings) / "index.kept").stat().st_mtime_ns

    second = Build(settings, {news: b"h1"})
    second.render(news)
    second.parts.save()
    assert (parts_folder(settings) / "index.kept").stat().st_mtime_ns == written


def many(count: int) -> dict:
    return {article(f"Tin {n}", f"/nd/tin-{n}.md"): b"h%d" % n for n in range(count)}


def rendered_by_a_fork(build: Build, articles: list):
    """`articles` rendered by a forked renderer, its parts handed over as render_share
    hands them; the function returned waits for it and gives what it handed over."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for news in articles:
                build.render(news)
            with open(writer, "wb") as pipe:
                pickle.dump(build.parts.handed_over(), pipe)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)

    def handed_over() -> tuple:
        with open(reader, "rb") as pipe:
            handed = pickle.load(pipe)
        os.waitpid(pid, 0)
        return handed

    return handed_over


def test_markup_is_in_files_and_a_part_is_found_again_within_the_build(settings, monkeypatch):
    monkeypatch.setattr(kept_parts, "PENDING", 40)  # each part goes to the scratch file
    contents = many(3)
    build = Build(settings, contents)
    first = [build.render(news)[0] for news in contents]
    assert build.parts.scratch.exists() and len(build.calls) == 3
    assert [build.render(news, own="một")[0] for news in contents] == first
    assert len(build.calls) == 3  # found in the scratch file
    build.parts.save()
    folder = parts_folder(settings)
    assert not list(folder.glob("made-*")) and len(list(folder.glob("markup-*"))) == 1
    later = Build(settings, contents)
    assert [later.render(news)[0] for news in contents] == first and later.calls == []


def test_new_markup_goes_to_the_end_of_the_file_until_a_quarter_of_it_is_unused(settings):
    contents = many(5)
    articles = list(contents)
    first = Build(settings, dict(list(contents.items())[:4]))
    for news in articles[:4]:
        first.render(news)
    first.parts.save()
    (markup,) = parts_folder(settings).glob("markup-*")
    size = markup.stat().st_size

    added = Build(settings, contents)  # one more article: its item added to the end
    for news in articles:
        added.render(news)
    assert len(added.calls) == 1
    added.parts.save()
    grown = markup.stat().st_size
    assert grown > size and list(parts_folder(settings).glob("markup-*")) == [markup]

    for news in articles[:3]:
        news.title += " (sửa)"
        contents[news] += b"'"
    edited = Build(settings, contents)  # three of five changed: the file is written anew
    texts = [edited.render(news)[0] for news in articles]
    assert len(edited.calls) == 3
    edited.parts.save()
    (rewritten,) = parts_folder(settings).glob("markup-*")
    assert not markup.exists() and rewritten.stat().st_size < grown * 1.3  # no old items
    again = Build(settings, contents)
    assert [again.render(news)[0] for news in articles] == texts and again.calls == []


def test_the_parts_a_forked_renderer_made_are_kept_by_the_build(settings):
    contents = many(4)
    articles = list(contents)
    build = Build(settings, contents)
    handed_over = rendered_by_a_fork(build, articles[2:])
    for news in articles[:2]:
        build.render(news)
    handed = handed_over()
    assert len(handed[1]) == 2
    build.parts.take(handed)
    build.parts.save()
    assert not list(parts_folder(settings).glob("made-*"))
    later = Build(settings, contents)
    for news in articles:
        later.render(news)
    assert later.calls == []


def test_a_first_builds_largest_scratch_file_becomes_the_markup_file_as_it_is(settings):
    """No part was kept before: the scratch file of the process that made most parts is
    renamed, not copied part by part; another process's parts are added after it, and
    a part both made is kept once."""
    contents = many(5)
    articles = list(contents)
    build = Build(settings, contents)
    handed_over = rendered_by_a_fork(build, articles[3:])  # two parts, one made here too
    texts = [build.render(news)[0] for news in articles[:4]]
    build.parts.take(handed_over())
    scratch = build.parts.handed_over()[0]
    inode = os.stat(scratch).st_ino
    build.parts.save()
    (markup,) = parts_folder(settings).glob("markup-*")
    assert markup.stat().st_ino == inode and not list(parts_folder(settings).glob("made-*"))
    later = Build(settings, contents)
    again = [later.render(news)[0] for news in articles]
    assert again[:3] == texts[:3] and later.calls == []  # (Tin 3: either process's)


def test_parts_are_read_back_through_a_window_of_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(kept_parts, "WINDOW", 256)
    path = tmp_path / "markup"
    parts = [f"<li>Tin số {n} – mục {'x' * (n % 7)}</li>".encode() for n in range(40)]
    parts.append(b"<li>" + "dài ".encode() * 80 + b"</li>")  # longer than the window
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        window, places, offset = kept_parts._Window(fd), [], 0
        for number, part in enumerate(parts):
            os.write(fd, part)
            places.append((offset, len(part)))
            offset += len(part)
            if number % 5 == 4:  # asked for while the file still grows
                assert window.read(*places[number - 2]) == parts[number - 2]
        reads, pread = [], os.pread
        monkeypatch.setattr(kept_parts.os, "pread", lambda *a: reads.append(a) or pread(*a))
        order = [*range(len(parts)), 3, 2, 1, 0, 40, 20, 39]
        assert [window.read(*places[n]) for n in order] == [parts[n] for n in order]
        assert len(reads) < len(order) / 2  # neighbours come with the part asked for
    finally:
        os.close(fd)
