"""fast_build's plain functions: the cache, the writer's rule, shared work, the lists."""

import functools
import gc
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import time
import types
from collections.abc import KeysView
from datetime import datetime

import pytest
from conftest import build, news, write_content
from fast_build import parallel, plugin, reading
from fast_build.archives import Members
from fast_build.cache_files import CHECKPOINT_BYTES, PAGE_SIZE, open_cache
from fast_build.compiled import keep_compiled, options_key
from fast_build.fingerprints import Digests, Unknown, token
from fast_build.frozen import freeze, frozen_class, links_out, links_settled
from fast_build.markdown_cache import MarkdownCache, cache_for, file_stamp, read_source
from fast_build.parallel import (
    MOST_RUNS,
    RUN,
    Shared,
    Started,
    WorkerFailed,
    run_beside,
    run_in_lanes,
    run_shared,
    run_size,
)
from fast_build.paths import absolute, relative
from fast_build.reading import ReadCache, dumps, loads
from fast_build.template_imports import ImportingTemplate, install_template_class
from fast_build.traces import (
    RECORDS_BATCH,
    PackedRecords,
    record_of,
    render_traced,
    shared_record,
    unpacked,
)
from fast_build.writer import (
    FastWriter,
    _Page,
    _Recording,
    last_of_each,
    listings_apart,
    own_values,
    write_if_changed,
)
from jinja2 import DictLoader, Environment, FileSystemLoader, Template, select_autoescape
from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.paginator import Paginator
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.urlwrappers import Category, Tag
from pelican.utils import pelican_open
from unit_tables.blocks import expand_in_content
from vn_text import nfc


@pytest.fixture
def settings():
    return {**DEFAULT_CONFIG, "MARKDOWN": {"extensions": ["markdown.extensions.meta"]}}


def test_unchanged_bytes_leave_the_file_alone(tmp_path):
    page = tmp_path / "index.html"
    assert write_if_changed(str(page), "<p>Xin chào</p>")
    before = page.stat().st_mtime_ns
    assert not write_if_changed(str(page), "<p>Xin chào</p>")
    assert page.stat().st_mtime_ns == before
    assert write_if_changed(str(page), "<p>Tạm biệt</p>")
    assert page.read_text(encoding="utf-8") == "<p>Tạm biệt</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no scratch file left


def test_a_page_in_a_new_folder_gets_its_folder_without_being_looked_for(tmp_path, monkeypatch):
    from fast_build import writer

    looked_for = []

    def opened(path, mode):
        looked_for.append(path)
        return open(path, mode)  # noqa: SIM115 - what the writer opens, it closes

    monkeypatch.setattr(writer, "open", opened, raising=False)
    page = tmp_path / "tin-tuc" / "2018" / "tin-moi" / "index.html"
    assert write_if_changed(str(page), "<p>Tin mới</p>")
    assert page.read_text(encoding="utf-8") == "<p>Tin mới</p>" and looked_for == []
    other = page.with_name("khac.html")  # a new page in a folder that is there
    assert write_if_changed(str(other), "<p>Khác</p>") and looked_for == [str(other)]
    assert not write_if_changed(str(page), "<p>Tin mới</p>")
    assert sorted(p.name for p in page.parent.iterdir()) == ["index.html", "khac.html"]


def test_a_pages_own_context_is_what_differs_from_the_shared_one():
    shared = {f"KEY_{n}": [n] for n in range(300)}
    local = shared.copy()  # as Pelican makes a page's context
    local.update(KEY_7=["thay"], output_file="tin/index.html", article="bài")
    expected = {"KEY_7": ["thay"], "output_file": "tin/index.html", "article": "bài"}
    assert own_values(local, shared) == expected
    reordered = dict(reversed(local.items()))  # not a copy: compared key by key
    assert own_values(reordered, shared) == expected
    equal_not_same = {**local, "KEY_9": [9]}  # an equal value, another object
    assert own_values(equal_not_same, shared) == {**expected, "KEY_9": [9]}


def test_a_recording_copy_gives_the_own_values_a_full_comparison_gives():
    shared = {f"KEY_{n}": [n] for n in range(300)}
    local = _Recording(shared)
    local["output_file"] = "tin/index.html"
    local.update({"KEY_7": ["thay"]}, article="bài")
    local["KEY_8"] = shared["KEY_8"]  # set again to the very same object: not its own
    local.setdefault("KEY_9", "không dùng")
    assert local.set_keys is not None
    assert own_values(local, shared) == own_values(dict(local), shared)
    assert own_values(local, shared) == {
        "output_file": "tin/index.html",
        "KEY_7": ["thay"],
        "article": "bài",
    }
    del local["KEY_1"]  # a change that is no setting: compared in full instead
    assert local.set_keys is None
    assert own_values(local, shared) == own_values(dict(local), shared)


@pytest.mark.parametrize("relative_urls", [False, True])
def test_pages_noted_through_pelicans_writer_keep_exactly_their_own_values(tmp_path, relative_urls):
    settings = read_settings(override={"RELATIVE_URLS": relative_urls, "DEFAULT_PAGINATION": 2})
    shared = {**settings, "articles": list("abcde"), "dates": list("edcba")}
    template = Environment(loader=DictLoader({"t": "{{ articles }}"})).get_template("t")
    writer = FastWriter(str(tmp_path), settings=settings)
    made = []  # each page's context as Pelican made it, copied as a plain dict

    def note(path, context):
        made.append(dict(context))

    signals.content_written.connect(note)
    try:
        paginated = {"articles": shared["articles"], "dates": shared["dates"]}
        writer.write_file(
            "tin/index.html",
            template,
            shared,
            relative_urls=relative_urls,
            paginated=paginated,
            template_name="index",
            section="tin",
        )
        writer.write_file("mot/index.html", template, shared, relative_urls, article="a")
    finally:
        signals.content_written.disconnect(note)
    assert len(writer.pending) == len(made) == 4  # three pages of two, and an article
    for (path, page), context in zip(writer.pending, made, strict=True):
        assert page.own == own_values(context, shared)  # compared in full
        assert page.own["output_file"] == os.path.relpath(path, tmp_path)
    assert writer.pending[1][1].own["articles_page"].number == 2
    # each page of the listing made once: the next page of one is the page of the next
    assert (
        writer.pending[0][1].own["articles_next_page"] is writer.pending[1][1].own["articles_page"]
    )
    assert ("SITEURL" in writer.pending[3][1].own) == relative_urls
    # the names Pelican makes anew for each page of a listing: one copy for all of them
    names = [next(k for k in page.own if k == "articles_page") for _, page in writer.pending[:3]]
    assert names[0] is names[1] is names[2]


@pytest.mark.parametrize("same_order", [True, False])
def test_a_listings_dates_in_the_order_of_its_articles_share_their_pages(tmp_path, same_order):
    settings = read_settings(override={"DEFAULT_PAGINATION": 2})
    articles = list("abcde")
    dates = list(articles) if same_order else articles[::-1]  # equal items, another list
    template = Environment(loader=DictLoader({"t": "{{ dates_page.object_list }}"})).get_template(
        "t"
    )
    writer = FastWriter(str(tmp_path), settings=settings)
    paginated = {"articles": articles, "dates": dates}
    writer.write_file(
        "tin/index.html", template, settings, paginated=paginated, template_name="index"
    )
    writer.write_file(
        "cu/index.html", template, settings, paginated=paginated, template_name="index"
    )
    first, second = (page.own for _, page in writer.pending[0:4:3])
    shared = first["dates_paginator"] is first["articles_paginator"]
    assert shared == (first["dates_page"] is first["articles_page"]) == same_order
    assert first["dates_page"].object_list == dates[:2]
    assert second["articles_paginator"] is not first["articles_paginator"]  # another listing
    assert [page.render() for _, page in writer.pending] == [
        str(dates[n : n + 2]) for n in (0, 2, 4)
    ] * 2


@pytest.mark.parametrize(
    "data",
    [
        "Title: Tin\n\nĐoạn một.\n".encode(),
        b"\xef\xbb\xbf" + "Title: Có dấu BOM\r\n\r\nDòng một\r\nDòng hai".encode(),
        "Title: Mac cũ\rDòng\r\r\nHai\r".encode(),
        b"\xef\xbb\xbf\xef\xbb\xbfTitle: hai BOM\n",  # only the first is dropped
        "Title: Ho\u0300a\n\nTo\u031bng ho\u031bp.\n".encode(),  # NFD, as macOS writes
        b"\r\n" * 5000 + b"\r",  # line ends across the text file's chunks
    ],
)
def test_a_source_reads_as_pelicans_readers_read_it(tmp_path, data):
    source = tmp_path / "tin.md"
    source.write_bytes(data)
    with pelican_open(str(source)) as raw:
        assert read_source(source) == nfc(raw)


def test_a_source_that_is_no_utf8_fails_as_pelicans_readers_fail(tmp_path):
    source = tmp_path / "tin.md"
    source.write_bytes("Title: Đoàn\n\nÀ.".encode("cp1258"))  # a Windows editor's file
    with pytest.raises(UnicodeDecodeError) as pelicans, pelican_open(str(source)):
        pass
    with pytest.raises(UnicodeDecodeError) as ours:
        read_source(source)
    assert str(ours.value) == str(pelicans.value)


def test_cache_converts_once_and_reads_a_dropped_body_again(tmp_path, settings):
    source = tmp_path / "tin.md"
    source.write_text("Title: Tin\n\nĐoạn **một**.\n", encoding="utf-8")
    cache = MarkdownCache(settings, tmp_path / "cache")
    converted = cache.read(str(source), read_source(source))
    assert converted["body"] == "<p>Đoạn <strong>một</strong>.</p>"
    assert converted["meta"] == {"title": ["Tin"]}
    key = cache.sources[str(source)].key
    assert cache.missing([key]) == set()
    again = MarkdownCache(settings, tmp_path / "cache")  # another build, same file
    assert again.missing([key]) == set()
    with again.connection() as connection:
        connection.execute("DELETE FROM conversions")
    assert again.body(key, str(source)) == converted["body"]


def test_a_cache_file_of_the_earlier_kind_loses_its_old_table_and_converts_anew(tmp_path, settings):
    (tmp_path / "cache").mkdir()
    with sqlite3.connect(tmp_path / "cache" / "markdown.sqlite3") as old:
        old.execute("CREATE TABLE converted (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        old.execute("INSERT INTO converted VALUES ('k', '{\"body\": \"<p>cũ</p>\"}')")
    source = tmp_path / "tin.md"
    source.write_text("Title: Tin\n\nĐoạn mới.\n", encoding="utf-8")
    cache = MarkdownCache(settings, tmp_path / "cache")
    assert cache.read(str(source), read_source(source))["body"] == "<p>Đoạn mới.</p>"
    tables = cache.connection().execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    assert "converted" not in {name for (name,) in tables}


def test_conversions_kept_as_json_by_earlier_builds_are_never_read(tmp_path, settings):
    from fast_build import markdown_cache

    source = tmp_path / "tin.md"
    source.write_text("Title: Tin\n\nĐoạn.\n", encoding="utf-8")
    text = read_source(source)
    markdown_cache.SCHEMA, schema = 1, markdown_cache.SCHEMA
    markdown_cache._fingerprints.clear()
    try:
        old = MarkdownCache(settings, tmp_path / "cache")
        with old.connection() as connection:  # as builds before SCHEMA 2 kept them
            row = (old.key(text), '{"meta": {"title": ["Tin"]}}', "<p>Đoạn.</p>")
            connection.execute("INSERT INTO conversions VALUES (?, ?, ?)", row)
    finally:
        markdown_cache.SCHEMA = schema
        markdown_cache._fingerprints.clear()
    cache = MarkdownCache(settings, tmp_path / "cache")
    assert cache.read(str(source), text)["meta"] == {"title": ["Tin"]}
    (count,) = cache.connection().execute("SELECT count(*) FROM conversions").fetchone()
    assert count == 2  # the old row is not the one read


def test_a_build_that_begins_with_no_conversion_kept_looks_none_up(tmp_path, settings, monkeypatch):
    source = tmp_path / "tin.md"
    source.write_text("Title: Tin\n\nĐoạn **một**.\n", encoding="utf-8")
    first = MarkdownCache(settings, tmp_path / "cache")
    first.keys_of([str(source)])
    queries = []
    first.connection().set_trace_callback(queries.append)
    body = first.read(str(source), read_source(source))["body"]
    assert first.empty and not any(q.startswith("SELECT") for q in queries)
    later = MarkdownCache(settings, tmp_path / "cache")  # the next build finds it
    later.keys_of([str(source)])
    monkeypatch.setattr("fast_build.markdown_cache.convert", None)  # converts nothing
    assert not later.empty
    assert later.read(str(source), read_source(source))["body"] == body


@pytest.mark.parametrize("workers", [1, 2])
def test_texts_converted_before_reading_are_not_converted_again_by_a_first_build(
    tmp_path, settings, monkeypatch, workers
):
    options = {"workers": workers, "parallel_from": 1}
    settings = {**settings, "CACHE_PATH": str(tmp_path / "cache"), "FAST_BUILD": options}
    sources = [tmp_path / f"hoi-{n}.md" for n in range(3)]
    for n, source in enumerate(sources):
        source.write_text(f"Title: Hỏi {n}\n\nĐoạn **{n}**.\n", encoding="utf-8")
    cache = cache_for(settings)
    cache.current = cache.keys_of([str(source) for source in sources])
    assert cache.empty  # no conversion kept when this build began
    assert plugin.prefetch_markdown(settings) == 3  # converted on every core, and kept
    monkeypatch.setattr("fast_build.markdown_cache.convert", None)  # converts nothing
    for n, source in enumerate(sources):
        assert (
            cache.read(str(source), read_source(source))["body"]
            == f"<p>Đoạn <strong>{n}</strong>.</p>"
        )


def test_a_cache_file_made_with_smaller_pages_keeps_them_and_its_checkpoint_size(tmp_path):
    path = tmp_path / "cu.sqlite3"
    older = sqlite3.connect(path)  # as builds before 16 KB pages made it
    older.execute("PRAGMA journal_mode=WAL")
    older.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)")
    older.execute("INSERT INTO t VALUES ('a', x'00')")
    older.commit()
    older.close()
    connection = open_cache(path)
    assert connection.execute("PRAGMA page_size").fetchone() == (4096,)
    pages = CHECKPOINT_BYTES // 4096
    assert connection.execute("PRAGMA wal_autocheckpoint").fetchone() == (pages,)
    with connection:
        connection.execute("INSERT INTO t VALUES ('b', x'01')")
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (2,)


def test_both_cache_files_commit_without_waiting_for_the_disk_and_are_read_while_written(
    tmp_path, settings
):
    settings = {**settings, "CACHE_PATH": str(tmp_path / "cache"), "PATH": str(tmp_path)}
    markdown = MarkdownCache(settings, tmp_path / "cache")
    reads = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    for connection in (markdown.connection(), reads.connection()):
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        assert connection.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
        pages = CHECKPOINT_BYTES // PAGE_SIZE
        assert connection.execute("PRAGMA wal_autocheckpoint").fetchone() == (pages,)
    writer = reads.connection()  # a worker keeps objects; this process reads meanwhile
    writer.execute("BEGIN")
    writer.executemany(
        "INSERT INTO reads VALUES (?, ?, ?, ?, ?, ?, ?)",
        [("ArticlesGenerator", "tin.md", "thu", "khoa", b"", b"", b"doi-tuong")],
    )
    other = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    other._load()  # not kept until committed, and not kept waiting either
    assert other.kept == {}
    writer.commit()
    other._load()
    assert other.kept == {"tin.md": ("khoa", b"", b"")}


def test_bodies_asked_in_the_expected_order_come_a_run_to_a_query(tmp_path, settings):
    sources = []
    writing = MarkdownCache(settings, tmp_path / "cache")
    for number in range(7):
        source = tmp_path / f"tin-{number}.md"
        source.write_text(f"Title: Tin {number}\n\nĐoạn số {number}.\n", encoding="utf-8")
        writing.read(str(source), read_source(source))
        sources.append((str(source), writing.sources[str(source)].key))
    cache = MarkdownCache(settings, tmp_path / "cache")  # the next build: nothing held
    order = [key for _, key in sources]
    cache.expect_bodies([[order[0], None, *order[1:]]], 4)  # runs of 4 pages; one shows none
    queries = []
    cache.connection().set_trace_callback(queries.append)
    bodies = [cache.body(key, source) for source, key in sources]
    assert bodies == [f"<p>Đoạn số {number}.</p>" for number in range(7)]
    assert len(queries) == 2 and cache._bodies == {}  # pages 0-3, then 4-7
    assert cache.body(order[2], sources[2][0]) == "<p>Đoạn số 2.</p>"  # again, out of order
    assert len(queries) == 3


def test_bodies_of_a_lane_come_a_run_of_that_lane_to_a_query(tmp_path, settings):
    """Runs are counted within each lane (parallel.run_in_lanes): the second lane's
    first run is its first pages, whatever the length of the first lane."""
    writing, keys = MarkdownCache(settings, tmp_path / "cache"), []
    for number in range(6):
        source = tmp_path / f"tin-{number}.md"
        source.write_text(f"Title: Tin {number}\n\nĐoạn số {number}.\n", encoding="utf-8")
        writing.read(str(source), read_source(source))
        keys.append((str(source), writing.sources[str(source)].key))
    cache = MarkdownCache(settings, tmp_path / "cache")
    first, second = [key for _, key in keys[:3]], [key for _, key in keys[3:]]
    cache.expect_bodies([first, second], 2)
    queries = []
    cache.connection().set_trace_callback(queries.append)
    assert cache.body(keys[3][1], keys[3][0]) == "<p>Đoạn số 3.</p>"
    assert list(cache._bodies) == [keys[4][1]]  # the rest of the second lane's first run
    asked = [keys[4], keys[0], keys[1], keys[5], keys[2]]
    bodies = [cache.body(key, source) for source, key in asked]
    assert bodies == [f"<p>Đoạn số {number}.</p>" for number in (4, 0, 1, 5, 2)]
    assert len(queries) == 4  # (3, 4), (0, 1), (5), (2)


def test_a_body_as_converted_stays_in_the_markdown_cache_not_with_the_kept_object(
    tmp_path, settings
):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    source = tmp_path / "tin.md"
    source.write_text("Title: Tin\n\nĐoạn **một**.\n", encoding="utf-8")
    markdown = cache_for(settings)
    body = markdown.read(str(source), read_source(source))["body"]
    key = markdown.sources[str(source)].key
    article = Article(body, {"title": "Tin"}, settings=settings, source_path=str(source))
    article._links = False  # as ReadCache.put notes it, before keeping the object
    kept = loads(dumps(article, settings, {}, key), settings, {})
    kept.__class__ = frozen_class(type(kept))  # as ReadCache.get gives it
    assert "_content" not in vars(kept)
    assert kept._body_key == key and kept._code_blocks is False
    assert expand_in_content(kept, "bang-don-vi", None) == []  # not read back to look
    assert "_content" not in vars(kept)
    # described alike, the body in memory or in the cache; read back when shown
    assert Digests(settings).content(kept) == Digests(settings).content(article)
    assert kept._content == body
    changed = Article(
        body + "<p>Thêm.</p>", {"title": "Tin"}, settings=settings, source_path=str(source)
    )
    assert Digests(settings).content(changed) != Digests(settings).content(article)


def test_kept_wrappers_are_pickled_once_and_told_apart_by_type(settings):
    """Equal categories of two articles give the same bytes (pickled once); a field of
    another type or one that cannot be a key does not borrow another's bytes."""
    from fast_build import reading
    from pelican.urlwrappers import Category

    reading._descriptions.clear()
    first, second = Category("Tin địa phương", settings), Category("Tin địa phương", settings)
    assert reading._described(first) is reading._described(second)
    assert pickle.loads(reading._described(first))[1] == "Tin địa phương"
    as_number = Category("Tin địa phương", settings)
    as_number._slug_from_name = 1  # equal to True, but another value to keep
    reading._described(first)  # True, met first
    kept_as = dict(pickle.loads(reading._described(as_number))[2])["_slug_from_name"]
    assert kept_as == 1 and type(kept_as) is int
    listed = Category("Tin", settings)
    listed.extra = ["không", "băm", "được"]  # no dict key: pickled as it is, every time
    fields = dict(pickle.loads(reading._described(listed))[2])
    assert fields["extra"] == ["không", "băm", "được"]
    article = Article("<p>x</p>", {"title": "Tin", "category": listed}, settings=settings)
    assert loads(dumps(article, settings, {}), settings, {}).category.extra == listed.extra


def test_a_kept_body_comes_back_as_stored_whatever_it_holds(tmp_path, settings):
    """The body, kept in a column of its own, comes back as the same string."""
    cache = MarkdownCache(settings, tmp_path / "cache")
    awkward = [
        '<p>"Trích" \\ gạch chéo, tab\t, xuống\ndòng, \x01\x1f điều khiển</p>',
        "<p>Chữ ghép: Hòa (NFC), e\u0301 (NFD), 😀, \u2028 \u2029, \ufeff</p>",
        "<p>&lt;script&gt; {filename}/x.md \\u00e9 \\n</p>",
        "",
    ]
    sizes = [sys.getsizeof(body) for body in awkward]
    cache.store([(f"k{n}", {"body": body, "meta": {"t": ["x"]}}) for n, body in enumerate(awkward)])
    for n, body in enumerate(awkward):
        assert cache.body(f"k{n}", str(tmp_path / "missing.md")) == body
    # stored, a body does not carry a UTF-8 copy of itself for the rest of its life
    assert [sys.getsizeof(body) for body in awkward] == sizes


def test_markdown_settings_are_part_of_the_key(tmp_path, settings):
    plain = MarkdownCache(settings, tmp_path / "cache")
    other = {**settings, "MARKDOWN": {"extensions": ["markdown.extensions.meta", "toc"]}}
    assert plain.key("Đoạn.") != MarkdownCache(other, tmp_path / "cache").key("Đoạn.")


def test_text_keys_of_new_files_are_read_on_every_core(tmp_path, settings):
    parallel = {**settings, "FAST_BUILD": {"workers": 2, "parallel_from": 1}}
    files = []
    for number in range(9):
        files.append(tmp_path / f"tin-{number}.md")
        files[-1].write_text(f"Title: Tin {number}\n\nĐoạn {number}.\n", encoding="utf-8")
    broken = tmp_path / "hong.md"
    broken.write_bytes(b"Title: \xff\n")  # not UTF-8: left to the reader to report
    cache = MarkdownCache(parallel, tmp_path / "cache")
    keys = cache.keys_of([*map(str, files), str(broken), str(tmp_path / "khong-co.md")])
    assert keys == {str(f): cache.key(read_source(f)) for f in files}
    again = MarkdownCache(parallel, tmp_path / "cache")  # the next build: known stamps
    assert again.keys_of(map(str, files)) == keys


def test_keys_left_to_the_reading_are_noted_by_whichever_process_reads(
    tmp_path, settings, monkeypatch
):
    files = [tmp_path / f"tin-{number}.md" for number in range(3)]
    for number, path in enumerate(files):
        path.write_text(f"Title: Tin {number}\n\nĐoạn {number}.\n", encoding="utf-8")
    paths = list(map(str, files))
    key = {path: MarkdownCache(settings, None).key(read_source(path)) for path in paths}
    here = MarkdownCache(settings, tmp_path / "cache")
    here.current = here.keys_of(paths, later=set(paths[:2]))
    assert here.current == {paths[2]: key[paths[2]]} and set(here.later) == set(paths[:2])
    worker = MarkdownCache(settings, tmp_path / "cache")  # a forked worker's copy
    worker.later, worker.current = dict(here.later), dict(here.current)
    worker.read(paths[0], read_source(paths[0]))
    assert worker.current[paths[0]] == key[paths[0]]  # its read cache keeps the object
    worker.save_noted()
    here.take_noted()
    assert here.current == {paths[0]: key[paths[0]], paths[2]: key[paths[2]]}
    here.keys_now()  # the other one is not read ahead after all
    assert here.current == key and here.later == {}
    monkeypatch.setattr(MarkdownCache, "_keys_of_files", None)  # reads no file
    assert MarkdownCache(settings, tmp_path / "cache").keys_of(paths) == key  # the next build


def test_content_gives_pelicans_relative_source_path_worked_out_once(tmp_path, monkeypatch):
    from fast_build import frozen

    frozen.remember_relative_paths()  # as the plugin's register() does
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    source = str(tmp_path / "tin-tuc" / "2026" / "tin.md")
    article = Article("<p>Đoạn.</p>", {"title": "Tin"}, settings=settings, source_path=source)
    pelicans = functools.partial(frozen._pelicans_relative_source_path, article)
    page = str(tmp_path / "trang" / "gioi-thieu.md")
    monkeypatch.setattr(os.path, "relpath", lambda *a: pytest.fail("worked out again"))
    for content in (article, frozen_class(Article).__new__(frozen_class(Article))):
        vars(content).update(vars(article))
        assert content.get_relative_source_path() == "tin-tuc/2026/tin.md"
        assert content.get_relative_source_path(source) == "tin-tuc/2026/tin.md"
    monkeypatch.undo()
    assert article.get_relative_source_path(page) == pelicans(page) == "trang/gioi-thieu.md"
    article.source_path = page  # moved by a plugin: worked out for the new source
    assert article.get_relative_source_path() == pelicans() == "trang/gioi-thieu.md"


def test_runs_are_short_on_short_lists_and_bounded_in_number():
    assert run_size(7, 3) == 1
    assert run_size(100, 2) == 13  # a few runs for each process
    assert run_size(30000, 2) == RUN
    assert run_size(10**6, 2) == -(-(10**6) // MOST_RUNS)


def test_every_item_is_done_once_in_whole_runs_by_every_process():
    def work(share):
        done = []
        for item in share:
            time.sleep(0.0005)
            done.append(item)
        return [os.getpid(), done]

    items = list(range(400))
    size = run_size(len(items), 2)
    results = run_shared(items, work, 2)
    assert sorted(item for _, done in results for item in done) == items
    assert len({pid for pid, _ in results}) == 2
    for _, done in results:  # whole runs of neighbours
        runs = [done[start : start + size] for start in range(0, len(done), size)]
        assert all(run == list(range(run[0], run[0] + len(run))) for run in runs)
        assert all(run[0] % size == 0 for run in runs)


def test_each_process_takes_its_own_lane_first_then_helps_with_the_others():
    """run_in_lanes: this process (number 0) starts on the first lane, the worker on the
    second; every item is done once, and the lane that runs out first leaves its process
    free to take runs of the other."""
    parent = os.getpid()

    def work(share):
        done = []
        for item in share:
            time.sleep(0.002 if item[0] == "b" else 0.0005)
            done.append(item)
        return [os.getpid() == parent, done]

    short = [("a", n) for n in range(128)]
    long = [("b", n) for n in range(512)]
    results = run_in_lanes([short, long], work, 2)
    here = next(done for this, done in results if this)
    worker = next(done for this, done in results if not this)
    assert sorted(here + worker) == sorted(short + long)
    assert here[: len(short)] == short  # its own lane whole, in order
    assert worker[0] == ("b", 0) and all(kind == "b" for kind, _ in worker)
    assert any(kind == "b" for kind, _ in here)  # then it helped with the other


def test_an_empty_lane_is_no_lane_and_one_process_does_the_lanes_in_order():
    parent = os.getpid()

    def work(share):
        return [os.getpid() == parent, list(share)]

    results = run_in_lanes([[], list(range(300))], work, 2)  # this process: lane 0 now
    assert sorted(n for _, done in results for n in done) == list(range(300))
    assert run_in_lanes([[1, 2], [], [3]], list, 1) == [[1, 2, 3]]


def test_a_process_slowed_by_one_run_leaves_the_others_to_the_rest():
    """Runs are taken as processes get through them: not dealt in advance."""

    def work(share):
        done = []
        for item in share:
            time.sleep(0.005 if item < 64 else 0.0005)  # run 0: ten times the others
            done.append(item)
        return done

    results = run_shared(list(range(640)), work, 2)
    slowed = next(done for done in results if 0 in done)
    assert len(slowed) <= 3 * 64  # dealt in turn, it would have done 5 runs of 10


def test_a_failing_worker_stops_the_build_with_its_error():
    parent = os.getpid()

    def work(share):
        for _ in share:
            time.sleep(0.01)
            if os.getpid() != parent:
                raise ValueError("trang hỏng")
        return 0

    with pytest.raises(WorkerFailed, match="trang hỏng"):
        run_shared(list(range(20)), work, 2)


def test_workers_do_everything_beside_a_process_that_takes_in_their_work():
    """run_beside: this process does none of the items, and keeps doing `meanwhile`
    while the workers run; a result larger than a pipe holds still arrives whole."""
    parent, calls = os.getpid(), []

    def work(share):
        done = []
        for item in share:
            time.sleep(0.002)
            done.append(item)
        return [os.getpid(), done, "đ" * 100_000]

    items = list(range(200))
    results = run_beside(items, work, 2, lambda: calls.append(time.monotonic()), every=0.01)
    assert sorted(item for _, done, _ in results for item in done) == items
    assert len({pid for pid, _, _ in results}) == 2 and parent not in {r[0] for r in results}
    assert all(len(big) == 100_000 for _, _, big in results)
    assert len(calls) >= 5  # some 0,2 s of work: taken in all along, not once at the end


def test_a_failing_worker_beside_this_process_stops_the_build_with_its_error(tmp_path):
    def work(share):
        for _ in share:
            raise ValueError("tin hỏng")

    with pytest.raises(WorkerFailed, match="tin hỏng"):
        run_beside(list(range(20)), work, 2, lambda: None)

    def noted(share):
        (tmp_path / str(os.getpid())).touch()
        return list(share)

    def failing():
        raise OSError("ổ đĩa đầy")

    with pytest.raises(OSError, match="ổ đĩa đầy"):
        run_beside(list(range(20)), noted, 2, failing)
    workers = [int(path.name) for path in tmp_path.iterdir()]
    assert len(workers) == 2
    for pid in workers:  # waited for before the error went on
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_the_collector_is_off_and_objects_frozen_until_the_build_lets_go(tmp_path):
    parallel.let_go()  # as a process starts: other tests here run workers outside a build
    assert gc.isenabled()
    before = gc.get_threshold()
    write_content(tmp_path / "content", {"tin-tuc/a.md": news("Tin A", "2024-05-02 08:00")})
    seen = []

    def watcher(generator):  # each generator as it is made, and once every one read
        seen.append((gc.isenabled(), gc.get_freeze_count()))

    signals.generator_init.connect(watcher)
    signals.all_generators_finalized.connect(watcher)
    try:
        build(tmp_path / "content", tmp_path / "out")
    finally:
        signals.generator_init.disconnect(watcher)
        signals.all_generators_finalized.disconnect(watcher)
    # from the first generator on no collection runs (this watcher may see the first one
    # before the plugin's handler does: receivers run in the order they were connected)
    assert len(seen) > 2 and all(not enabled and count > 0 for enabled, count in seen[1:])
    assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_a_worker_started_meanwhile_gives_its_result_or_its_error_and_leaves_nothing():
    parent = os.getpid()
    started = Started(lambda: {"pid": os.getpid(), "digests": [["a", "b"]]})
    path = started.path
    result = started.result()
    assert result["pid"] != parent and result["digests"] == [["a", "b"]]
    assert not os.path.exists(path)

    def fails():
        raise ValueError("nội dung hỏng")

    with pytest.raises(WorkerFailed, match="nội dung hỏng"):
        Started(fails).result()
    stopped = Started(lambda: time.sleep(0.2) or 1)
    stopped.discard()  # its build stopped: waited for, its file gone
    assert not os.path.exists(stopped.path)
    with pytest.raises(ChildProcessError):
        os.waitpid(stopped.pid, 0)
    # a build that stops on an error never asks: its file is gone when the process ends
    code = (
        "import sys; from fast_build.parallel import Started;"
        "started = Started(lambda: 1); print(started.path); sys.exit(1)"
    )
    plugins = os.path.dirname(os.path.dirname(parallel.__file__))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": plugins},
    )
    assert done.returncode == 1 and not os.path.exists(done.stdout.strip())


def test_work_begun_by_a_worker_is_finished_by_both_each_item_once(tmp_path):
    def work(share):
        return [(os.getpid(), time.sleep(0.001) or item) for item in share]

    ready = tmp_path / "ready"
    shared = Shared(list(range(1000)), work, prepare=lambda: ready.write_text("ok"))
    time.sleep(0.2)  # the worker has begun, after its preparation
    here, worker = shared.results()
    done = sorted(item for _, item in here + worker)
    assert done == list(range(1000)) and ready.read_text() == "ok"
    assert {pid for pid, _ in worker} == {shared.started.pid}
    assert {pid for pid, _ in here} == {os.getpid()}  # it took the runs left, too
    stopped = Shared(list(range(100)), work)
    stopped.discard()  # its build stopped: the worker does it all, and is waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(stopped.started.pid, 0)


def test_a_worker_sends_shared_values_once_and_never_runs_on_after_its_share(tmp_path):
    parent, names = os.getpid(), ("SITEURL", "article")

    def sharing(share):  # this process takes no run: the worker takes them all
        return [names, names] if os.getpid() != parent and list(share) else []

    sent = next(result for result in run_shared([0, 1], sharing, 2) if result)
    assert sent == [names, names] and sent[0] is sent[1]  # one object again on arrival
    assert sent[0] is not names  # it did come through the pipe

    def unpicklable(share):
        return [lambda: None] if os.getpid() != parent else []

    here = tmp_path / "here"
    try:
        run_shared([0, 1], unpicklable, 2)
    except Exception as error:  # noqa: BLE001 - looked at below, in the parent only
        caught = error
    with open(here, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    if os.getpid() != parent:  # a worker that ran on into the test: noted, stopped
        os._exit(0)
    assert here.read_text(encoding="utf-8").split() == [str(parent)]
    assert isinstance(caught, WorkerFailed) and "whole report" in str(caught)


def test_members_answer_in_by_identity_and_follow_changes():
    class Item:
        pass

    a, b, c = Item(), Item(), Item()
    members = Members([a, b])
    assert a in members and c not in members
    members.append(c)
    members.remove(a)
    assert c in members and a not in members
    members += [a]
    members.sort(key=id)
    assert a in members and len(members) == 3
    del members[:]
    assert b not in members
    unhashable = Members([[1]])  # answered as a list answers
    unhashable.append([2])
    assert [2] in unhashable and [3] not in unhashable


def test_digests_follow_structure_and_values(settings):
    digests = Digests(settings)
    assert digests.value(["ab"]) != digests.value(["a", "b"])  # descriptions delimit
    assert digests.value({"a": 1}) != digests.value({"a": "1"})
    assert digests.value([1, 2]) != digests.value((1, 2))
    again = Digests(settings)  # another build: same values, same digests
    assert again.value({"a": [1, "x"]}) == digests.value({"a": [1, "x"]})
    looped = []
    looped.append(looped)
    with pytest.raises(Unknown):  # never a guess: its page renders at every build
        digests.value(looped)


def test_a_listing_page_digest_follows_what_the_page_shows():
    settings = read_settings(override={"DEFAULT_PAGINATION": 2})

    def digest(items, number):
        page = Paginator("tin/index.html", "tin/", items, settings, 2).page(number)
        return Digests(settings).value(page)

    five = list("abcde")  # three pages
    assert digest(five, 1) == digest([*five, "f"], 1)  # one more at the end: same page
    assert digest(five, 2) != digest(["z", *five], 2)  # its items moved
    assert digest(five, 1) != digest([*five, "f", "g"], 1)  # a fourth page to link to


def test_a_listing_pages_items_are_described_without_being_remembered(settings):
    settings = {**settings, "DEFAULT_PAGINATION": 2}
    articles = [_dated(settings, f"/nd/{n}.md", n + 1) for n in range(5)]
    paginator = Paginator("tin/index.html", "tin/", articles, settings, 2)
    digests = Digests(settings)
    pages = [digests.value(paginator.page(n)) for n in (1, 2, 3)]
    assert len(set(pages)) == 3
    assert digests.value(articles[0]) == Digests(settings).value(articles[0])
    assert digests.value(articles[0]) != digests.value(articles[1])
    # the pages (their neighbours name them too) and their paginator are remembered
    remembered = sorted(type(value).__name__ for value, _ in digests._values.values())
    assert remembered == ["Page", "Page", "Page", "Paginator"]
    again = Paginator("tin/index.html", "tin/", articles, settings, 2)
    assert Digests(settings).value(again.page(2)) == pages[1]
    moved = Paginator("tin/index.html", "tin/", articles[1:], settings, 2)
    assert Digests(settings).value(moved.page(2)) != pages[1]


def test_tokens_are_the_indexs_own(settings):
    article = _dated(settings, "/nd/a.md", 8)
    index = {token(article): article}
    digests = Digests(settings)
    digests.know_index(index, {})
    assert digests.token(article) is next(iter(index))
    assert digests.value(article) == Digests(settings).value(article)
    other = _dated(settings, "/nd/b.md", 8)  # not in the index: worked out
    assert digests.token(other) == ("Article", "/nd/b.md")


@pytest.mark.parametrize(
    ("template", "recorded"),
    [
        ("{{ articles_page.object_list|join }} {{ articles_next_page.object_list|join }}", True),
        ("{{ articles_paginator.page(3).url }} {{ articles_paginator.num_pages }}", True),
        ("{{ articles_paginator.page(3).object_list|join }}", False),
        ("{{ articles_paginator.object_list|length }}", False),
        ("{{ articles_paginator.count }}", False),
        ("{{ articles_paginator.page(3).end_index() }}", False),
        ("{{ articles_paginator['object_list']|length }}", False),
    ],
)
def test_a_page_reading_its_listing_beyond_its_own_items_renders_every_time(
    tmp_path, template, recorded
):
    settings = read_settings(override={"DEFAULT_PAGINATION": 2, "CACHE_PATH": str(tmp_path)})
    paginator = Paginator("tin/index.html", "tin/", list("abcde"), settings, 2)
    own = {"articles_paginator": paginator, "articles_page": paginator.page(1)}
    own["articles_next_page"] = paginator.page(2)
    page = _Page(Environment(loader=DictLoader({"t": template})).get_template("t"), {}, own)
    text, trace = render_traced(page)
    assert text
    record = record_of(b"build", page, trace, Digests(settings), str(tmp_path / "p.html"))
    assert (record is not None) == recorded


def test_a_listings_pages_go_to_a_lane_of_their_own_in_the_order_noted(tmp_path):
    """The process that takes the first lane renders every listing, and each article's
    item once (listings_apart); the other pages stay in their order too."""
    settings = read_settings(override={"DEFAULT_PAGINATION": 2, "CACHE_PATH": str(tmp_path)})
    paginator = Paginator("tin/index.html", "tin/", list("abcde"), settings, 2)
    template = Environment(loader=DictLoader({"t": "{{ x }}"})).get_template("t")
    pages = [_Page(template, {}, {"articles_page": paginator.page(n), "x": n}) for n in (1, 2, 3)]
    plain = [_Page(template, {"x": 0}, {"x": n}, own_only=True) for n in (4, 5)]
    jobs = [("a", plain[0]), ("b", pages[0]), ("c", plain[1]), ("d", pages[1]), ("e", pages[2])]
    assert [page.listing for _, page in jobs] == [False, True, False, True, True]
    listings, others = listings_apart(jobs)
    assert [path for path, _ in listings] == ["b", "d", "e"]
    assert [path for path, _ in others] == ["a", "c"]


def test_content_digest_follows_fields_and_names_others_by_source(settings):
    def article(path, title, **extra):
        return Article(
            "<p>Thân bài.</p>",
            metadata={"title": title, "date": datetime(2018, 11, 8), **extra},
            settings=settings,
            source_path=path,
        )

    older = article("/nd/cu.md", "Tin cũ")
    first = article("/nd/moi.md", "Tin mới")
    first.other_news = [older]
    same = article("/nd/moi.md", "Tin mới")
    same.other_news = [article("/nd/cu.md", "Tin cũ, tiêu đề đã sửa")]
    edited = article("/nd/moi.md", "Tin mới, đã sửa")
    edited.other_news = [older]
    digest = Digests(settings).content
    # another object's fields count only where a page reads them (traces.py)
    assert digest(first) == digest(same)
    assert digest(first) != digest(edited)


def test_content_digests_shared_between_workers_are_the_ones_worked_out_here(settings):
    def article(number):
        return Article(
            f"<p>Thân bài {number}.</p>",
            metadata={"title": f"Tin {number}", "date": datetime(2018, 11, 8)},
            settings=settings,
            source_path=f"/nd/tin-{number}.md",
        )

    contents = [article(number) for number in range(600)]
    index = {("Article", c.source_path): c for c in contents}
    shared = Digests(settings)
    shared.contents_on_every_core(index, workers=2)
    assert all(id(c) in shared._contents for c in contents)  # the worker's half came back
    here = Digests(settings)
    assert [shared.content(c) for c in contents] == [here.content(c) for c in contents]
    assert len(set(map(here.content, contents))) == 600
    meanwhile = Digests(settings)  # worked out by one worker while pages are noted
    meanwhile.take(Started(lambda: Digests(settings).described(index)).result(), index)
    assert all(id(c) in meanwhile._contents for c in contents)
    assert [meanwhile.content(c) for c in contents] == [here.content(c) for c in contents]


def test_a_body_without_link_marks_is_not_searched_for_links(settings):
    def article(body):
        content = Article(
            body,
            metadata={"title": "Tin", "date": datetime(2018, 11, 8)},
            settings=settings,
            source_path="/nd/tin-tuc/tin.md",
        )
        content.__dict__["_links"] = links_out(body)  # as reading.py keeps it
        content.__class__ = frozen_class(Article)
        return content

    linked = article('<p><img src="{static}/images/anh.jpg" alt=""></p>')
    assert linked.get_static_links() == {"images/anh.jpg"}
    assert article("<p>Không có liên kết.</p>").get_static_links() == set()


def test_a_summary_without_link_marks_is_not_searched_for_links(settings, monkeypatch):
    def refreshed(summary):
        content = Article(
            "<p>Đoạn.</p>",
            metadata={"title": "Tin", "date": datetime(2018, 11, 8), "summary": summary},
            settings=settings,
            source_path="/nd/tin-tuc/tin.md",
            context={"localsiteurl": "", "generated_content": {}, "static_content": {}},
        )
        content.__class__ = frozen_class(Article)
        content.refresh_metadata_intersite_links()  # as Pelican does after the generators
        return content.summary

    linked = refreshed("<p>Xem <a href='{tag}giao-ban'>các tin giao ban</a>.</p>")
    assert linked == "<p>Xem <a href='/tag/giao-ban.html'>các tin giao ban</a>.</p>"
    monkeypatch.setattr(Article, "_get_intrasite_link_regex", None)  # not run again
    plain = "<p>Không có liên kết, có dấu – và số 3/2026.</p>"
    assert refreshed(plain) == plain


def test_links_in_formatted_fields_are_refreshed_only_where_pelican_would_change_something(
    settings, monkeypatch
):
    settings = {**settings, "FORMATTED_FIELDS": ["summary", "description"]}
    context = {"localsiteurl": "", "generated_content": {}, "static_content": {}}

    def made(summary="<p>Tóm tắt.</p>", description="Mô tả.", change=None, frozen=True):
        content = Article(
            "<p>Đoạn.</p>",
            metadata={"title": "Tin", "date": datetime(2018, 11, 8)}
            | {"summary": summary, "description": description},
            settings=settings,
            source_path="/nd/tin-tuc/tin.md",
            context=context,
        )
        if change:
            change(content)  # what a plugin may have done since
        if frozen:
            content.__class__ = frozen_class(Article)
        return content

    def after_refresh(content):
        content.refresh_metadata_intersite_links()  # as Pelican does after the generators
        fields = vars(content)
        return fields["metadata"], fields.get("_summary"), fields.get("description")

    cases = [
        {"summary": "<p>Xem <a href='{tag}giao-ban'>tin giao ban</a>.</p>"},
        {"description": "Xem {category}tin-tuc."},
        {"change": lambda c: setattr(c, "_summary", "<p>Tóm tắt khác.</p>")},
        {"change": lambda c: delattr(c, "_summary")},
        {"change": lambda c: setattr(c, "description", "Mô tả khác.")},
    ]
    for case in cases:  # each would change something: Pelican's own runs
        assert not links_settled(made(**case))
        assert after_refresh(made(**case)) == after_refresh(made(**case, frozen=False))
    settled = made()
    assert links_settled(settled)
    expected = after_refresh(made(frozen=False))
    monkeypatch.setattr(Content, "refresh_metadata_intersite_links", None)  # not run
    assert after_refresh(settled) == expected


def test_a_noted_page_renders_as_template_render_does():
    templates = {
        "t": "{{ g }} {{ a }} {{ b }}{% include 'i' %}",
        "i": " {{ b }}",
        "x": "{{ 1 // 0 }}",
    }
    environment = Environment(loader=DictLoader(templates))
    environment.globals.update(g="toàn cục", a="che đi")
    shared = {"a": "chung", "b": "chung"}
    context = {**shared, "b": "riêng"}  # the page's own value hides the shared one
    page = _Page(environment.get_template("t"), shared, context)
    expected = environment.get_template("t").render(context)
    assert page.render() == expected == "toàn cục chung riêng riêng"
    with pytest.raises(ZeroDivisionError):
        _Page(environment.get_template("x"), shared, shared).render()


@pytest.mark.parametrize("cache_content", [False, True])
def test_readers_look_files_up_in_their_cache_only_when_it_is_on(tmp_path, cache_content):
    from fast_build.reading import no_stamps_without_cache
    from pelican.readers import Readers

    page = "<html><head><title>Tin thử</title><meta name='date' content='2026-03-01'></head>"
    write_content(tmp_path, {"bai.html": page + "<body><p>Nội dung.</p></body></html>"})
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "c")}
    settings.update(CACHE_CONTENT=cache_content, CONTENT_CACHING_LAYER="reader")
    readers = Readers(settings, cache_name="ArticlesGenerator-Readers")
    stamped = []
    readers._filestamp_func = lambda path: stamped.append(path) or 1.0
    no_stamps_without_cache(readers)
    for _ in range(2):
        article = readers.read_file(str(tmp_path), "bai.html", content_class=Article)
        assert article.title == "Tin thử"
    # with Pelican's cache on, the second reading comes from it, as before
    assert len(stamped) == (3 if cache_content else 0)


def test_a_traced_page_looks_attributes_up_as_jinja_does(tmp_path):
    """Keys of plain dicts are found without a failed getattr first (fast path), and
    everything else as Jinja finds it: a dict's methods, keys of other mappings,
    missing keys (undefined), attributes of objects."""
    from collections import OrderedDict
    from types import SimpleNamespace

    from jinja2 import ChainableUndefined

    source = (
        "{{ d.ten }}|{{ d.items is callable }}|{{ d.khong_co is undefined }}|{{ d.khong_co.nua }}|"
        "{{ o.ten }}|{{ od.ten }}|{{ od.keys is callable }}|{{ n.ten }}|{{ d['ten'] }}"
    )
    values = {
        "d": {"ten": "Hạ Long", "items": "không phải hàm"},
        "od": OrderedDict(ten="Cẩm Phả"),
        "o": SimpleNamespace(ten="Uông Bí"),
        "n": {"ten": None},
    }
    environment = Environment(loader=DictLoader({"t": source}), undefined=ChainableUndefined)
    expected = environment.get_template("t").render(values)
    traced = Environment(loader=DictLoader({"t": source}), undefined=ChainableUndefined)
    page = _Page(traced.get_template("t"), {}, values)
    text, trace = render_traced(page)
    assert text == expected == "Hạ Long|True|True||Uông Bí|Cẩm Phả|True|None|Hạ Long"
    assert trace.unknown is None


def test_a_kept_object_that_held_is_taken_at_its_word_for_the_rest_of_the_build(tmp_path, settings):
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"1")
    settings = {**settings, "CACHE_PATH": str(tmp_path / "cache"), "PATH": str(tmp_path)}
    cache = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    cache.markdown.current = {str(tmp_path / "tin.md"): "khoa"}
    entry = ("khoa", pickle.dumps([(str(photo), file_stamp(str(photo)))]), None)
    cache.kept = {"tin.md": entry}
    assert cache.holds("tin.md")
    photo.write_bytes(b"22")  # its photo changed since: the next build reads it again
    assert cache.holds("tin.md")
    cache.kept = {"tin.md": ("khoa", entry[1], None)}  # kept anew (read ahead): checked again
    cache._looked_at = {}  # as ReadCache._load leaves it, once read ahead
    assert not cache.holds("tin.md")
    later = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    later.markdown.current, later.kept = cache.markdown.current, {"tin.md": entry}
    assert not later.holds("tin.md")


def test_a_photo_many_kept_objects_looked_at_is_looked_at_once_a_build(
    tmp_path, settings, monkeypatch
):
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"1")
    settings = {**settings, "CACHE_PATH": str(tmp_path / "cache"), "PATH": str(tmp_path)}
    cache = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    names = [f"tin-{n}.md" for n in range(3)]
    cache.markdown.current = {str(tmp_path / name): "khoa" for name in names}
    stamps = pickle.dumps([(str(photo), file_stamp(str(photo)))])
    cache.kept = {name: ("khoa", stamps, None) for name in names}
    looked = []
    monkeypatch.setattr(reading, "file_stamp", lambda path: looked.append(path) or "x")
    assert not any(cache.holds(name) for name in names)  # "x": not the stamp it was kept with
    assert looked == [str(photo)]


def test_objects_workers_keep_are_taken_while_they_read(tmp_path, settings):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    worker = ReadCache(settings, {}, "ArticlesGenerator", "thu")

    def keep(*names):
        for name in names:
            article = Article("<p>Đoạn.</p>", {"title": f"Tin {name}"}, settings=settings)
            blob = dumps(article, settings, {})
            worker.written[f"{name}.md"] = ("khoa", pickle.dumps([]), pickle.dumps(None), blob)
        worker.write()

    keep("cu")  # kept by an earlier build
    here = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    here.mark_written()
    keep("mot")
    here.take_from_workers()
    assert set(here.fresh) == {"mot.md"} and here.fresh["mot.md"].title == "Tin mot"
    taken = here.fresh["mot.md"]
    keep("ba")
    here.take_from_workers()
    assert set(here.fresh) == {"mot.md", "ba.md"} and here.fresh["mot.md"] is taken


class _PhotoMadeElsewhere:
    """Readers whose sources `anh-*` need a photo the other process is making until
    `done_after` sources have been read here."""

    def __init__(self, settings, done_after: int):
        self.settings, self.done_after = settings, done_after
        self.read, self.waited = [], []

    def ready(self) -> bool:
        return len(self.read) >= self.done_after

    def read_file(self, base_path, path, content_class, context, **signals):
        if path.startswith("anh"):
            if reading.may_read_later() and not self.ready():
                raise reading.ReadLater(self.ready)
            if not self.ready():
                self.waited.append(path)  # read as Pelican's loop reads: waiting
        self.read.append(path)
        source = os.path.join(base_path, path)
        meta = {"title": path, "date": datetime(2018, 11, 8)}
        return content_class("<p>Đoạn.</p>", meta, settings=self.settings, source_path=source)


@pytest.mark.parametrize("done_after", [40, 1000])
def test_sources_put_off_while_reading_ahead_are_read_once_their_need_is_met(
    tmp_path, settings, done_after
):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    readers = _PhotoMadeElsewhere(settings, done_after)
    generator = types.SimpleNamespace(readers=readers, path=str(tmp_path), context={})
    paths = [f"anh-{n:02d}.md" if n % 3 == 0 else f"tin-{n:02d}.md" for n in range(90)]
    cache = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    cache.markdown.current = {os.path.join(tmp_path, path): "khoa" for path in paths}
    reading.read_share(generator, cache, paths)
    assert sorted(readers.read) == sorted(paths)  # each read once, and kept
    kept = {path for (path,) in cache.connection().execute("SELECT path FROM reads")}
    assert kept == set(paths) and not reading.may_read_later()
    first_photo = min(n for n, path in enumerate(readers.read) if path.startswith("anh"))
    if done_after == 40:  # put off, then read within RECHECK sources of being ready
        assert readers.waited == [] and 40 <= first_photo <= 40 + reading.RECHECK
        assert readers.read[-1] == paths[-1]  # not left to the end of the share
    else:  # still being made when the share ends: waited for, last, in order
        assert readers.waited == [path for path in paths if path.startswith("anh")]
        assert readers.read[-len(readers.waited) :] == readers.waited


def test_a_plugins_generator_has_its_sources_read_ahead_with_the_articles(
    tmp_path, settings, monkeypatch
):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    settings["HOI_DAP_PATHS"] = ["hoi-dap"]
    readers = _PhotoMadeElsewhere(settings, done_after=0)
    questions = ["hoi-dap/mot.md", "hoi-dap/hai.md", "hoi-dap/sai.md"]

    def read_question(readers, base_path, path, context):
        if path.endswith("sai.md"):
            raise ValueError("its generator reads it again, and reports it")
        return readers.read_file(base_path, path, Page, context)

    monkeypatch.setattr(reading, "_companions", {})
    reading.read_with_articles("HoiDapGenerator", "HOI_DAP_PATHS", read_question)
    walked = {("hoi-dap",): questions}
    generator = types.SimpleNamespace(
        readers=readers, path=str(tmp_path), context={}, settings=settings,
        get_files=lambda paths: walked[tuple(paths)],
    )  # fmt: skip
    articles = [f"tin-{n}.md" for n in range(4)]
    keys = {os.path.join(tmp_path, path): "khoa" for path in questions + articles}
    cache = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    cache.markdown.current = keys
    jobs = reading.companion_jobs(generator, "thu")
    assert [path for _, _, path in jobs] == questions
    reading.read_share(generator, cache, [*jobs, *articles])
    assert readers.read == questions[:2] + articles  # companions first
    later = ReadCache(settings, {}, "HoiDapGenerator", "thu")  # as its generator loads
    assert [path for path in questions if later.holds(path)] == questions[:2]
    assert later.get(questions[0]).title == questions[0]
    assert [path for _, _, path in reading.companion_jobs(generator, "thu")] == ["hoi-dap/sai.md"]


def kept_articles(settings, names: list[str], size: int = 0) -> ReadCache:
    """A cache holding an article for each name, as the next build sees it."""
    earlier = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    for name in names:
        meta = {"title": name, "note": "x" * size}
        article = Article("<p>Đoạn.</p>", meta, settings=settings, source_path=name)
        blob = dumps(article, settings, {})
        earlier.written[name] = ("khoa", pickle.dumps([]), pickle.dumps(None), blob)
    earlier.write()
    cache = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    cache.markdown.current = {os.path.join(settings["PATH"], name): "khoa" for name in names}
    cache.expect(names[::-1])  # Pelican's order need not be the file's
    assert all(cache.holds(name) for name in names)
    return cache


def test_kept_objects_asked_in_the_expected_order_come_many_to_a_query(tmp_path, settings):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    names = [f"tin-{number:03d}.md" for number in range(450)]
    cache, order = kept_articles(settings, names), names[::-1]
    queries = []
    cache.connection().set_trace_callback(queries.append)
    assert [cache.get(name).title for name in order] == order
    assert len([q for q in queries if q.startswith("SELECT path, object")]) == 3
    assert cache._ahead == {}
    # what each was made from is let go once it is taken; the file keeps them all
    assert set(cache.kept) == set(names) and not any(cache.kept.values()) and not cache._held
    cache.save()
    assert len(ReadCache(settings, {}, "ArticlesGenerator", "thu").kept) == 450


def test_kept_objects_come_through_a_forked_process_in_the_order_asked(tmp_path, settings):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    settings["FAST_BUILD"] = {"workers": 2}
    names = [f"tin-{number:03d}.md" for number in range(450)]
    cache = kept_articles(settings, names)
    cache.fetch_beside()
    queries = []
    cache.connection().set_trace_callback(queries.append)
    assert [cache.get(name).title for name in names[::-1]] == names[::-1]
    assert not [q for q in queries if q.startswith("SELECT path, object")]  # none here
    cache.save()
    assert cache._stream is None and cache._ahead == {}


def test_what_the_forked_process_did_not_send_is_fetched_here(tmp_path, settings, monkeypatch):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    settings["FAST_BUILD"] = {"workers": 2}
    names = [f"tin-{number:03d}.md" for number in range(450)]
    cache = kept_articles(settings, names)
    here, fetch = os.getpid(), reading._objects

    def failing_beside(connection, name, build, paths):
        if os.getpid() != here and paths[0] != names[-1]:  # the second message fails
            raise sqlite3.DatabaseError("hỏng")
        return fetch(connection, name, build, paths)

    monkeypatch.setattr(reading, "_objects", failing_beside)
    cache.fetch_beside()
    queries = []
    cache.connection().set_trace_callback(queries.append)
    assert [cache.get(name).title for name in names[::-1]] == names[::-1]
    assert len([q for q in queries if q.startswith("SELECT path, object")]) == 2
    assert cache._stream is None


def test_a_build_that_asks_for_few_kept_objects_stops_the_sending_process(tmp_path, settings):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    settings["FAST_BUILD"] = {"workers": 2}
    names = [f"tin-{number:03d}.md" for number in range(450)]
    cache = kept_articles(settings, names, size=20000)  # 9 MB: more than the pipe holds
    cache.fetch_beside()
    assert cache.get(names[-1]).title == names[-1]
    pid = cache._stream.pid
    cache.save()  # closes the pipe: the process stops at its next write, and is waited for
    with pytest.raises(ChildProcessError):  # waited for already
        os.waitpid(pid, os.WNOHANG)


def test_objects_are_kept_for_the_last_builds_settings_and_scanned_only_to_drop_some(
    tmp_path, settings
):
    settings = {**settings, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    article = Article("<p>Đoạn.</p>", {"title": "Tin"}, settings=settings, source_path="tin.md")
    blob = dumps(article, settings, {})

    def build(name):
        cache = ReadCache(settings, {}, "ArticlesGenerator", name)
        cache.written["tin.md"] = ("khoa", pickle.dumps([]), pickle.dumps(None), blob)
        cache.renewed.add("tin.md")  # as put() notes it
        queries = []
        cache.connection().set_trace_callback(queries.append)
        cache.save()
        return [q for q in queries if q.startswith("DELETE FROM reads WHERE build NOT IN")]

    assert [build(name) for name in ("mot", "hai", "ba", "ba", "hai")] == [[]] * 5
    assert len(build("bon")) == 1  # "mot" is dropped: its objects with it
    kept = ReadCache(settings, {}, "ArticlesGenerator", "mot").connection()
    found = kept.execute("SELECT build FROM reads ORDER BY build").fetchall()
    assert found == [("ba",), ("bon",), ("hai",)]


def test_templates_compiled_once_are_taken_again_until_their_source_changes(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.html").write_text("{{ a }} cũ", encoding="utf-8")
    settings = {"CACHE_PATH": str(tmp_path / "cache")}

    def environment(**options):
        made = Environment(loader=FileSystemLoader(str(folder)), **options)
        keep_compiled(made, settings)
        return made

    assert environment().get_template("t.html").render(a="Tin") == "Tin cũ"
    kept = list((tmp_path / "cache" / "templates").iterdir())
    assert len(kept) == 1
    compiled = []
    taken = environment()
    taken.compile = lambda *args, **kwargs: (
        compiled.append(args) or Environment.compile(taken, *args, **kwargs)
    )
    assert taken.get_template("t.html").render(a="Tin") == "Tin cũ"
    assert compiled == []  # another environment took the kept code
    (folder / "t.html").write_text("{{ a }} mới", encoding="utf-8")
    assert environment().get_template("t.html").render(a="Tin") == "Tin mới"
    # other syntax options compile other code: kept apart, never taken for each other
    trimmed = environment(trim_blocks=True)
    assert options_key(trimmed) != options_key(environment())
    assert trimmed.get_template("t.html").render(a="Tin") == "Tin mới"
    assert options_key(environment(autoescape=select_autoescape())) is None


def test_imports_take_jinjas_module_and_make_one_only_for_globals_the_import_lacks(
    monkeypatch,
):
    templates = {
        "m.html": "{% macro tin(x) %}{{ x }} {{ site }} {{ extra }}{% endmacro %}",
        "p.html": '{% from "m.html" import tin %}{{ tin(a) }}',
    }

    def environment(ours):
        made = Environment(loader=DictLoader(templates))
        made.globals["site"] = "Cổng"
        if ours:
            install_template_class(made)
        return made

    plain, ours = environment(False), environment(True)
    made, subtracted = [], []
    ours.template_class = type(
        "Counting",
        (ImportingTemplate,),
        {"make_module": lambda self, *a: made.append(a) or Template.make_module(self, *a)},
    )
    rsub = KeysView.__rsub__
    monkeypatch.setattr(KeysView, "__rsub__", lambda *a: subtracted.append(a) or rsub(*a))
    for a in ("Tin 1", "Tin 2", "Tin 3"):
        assert ours.get_template("p.html").render(a=a) == plain.get_template("p.html").render(a=a)
    assert made == [()]  # one module, made once, for every page
    assert len(subtracted) == 3  # by Jinja's own imports only, one a page
    # a page whose own globals the imported template lacks gets Jinja's module made for it
    both = [env.get_template("p.html", globals={"extra": "Mới"}) for env in (plain, ours)]
    assert both[1].render(a="Tin") == both[0].render(a="Tin") == "Tin Cổng Mới"
    assert made[1:] == [({"extra": "Mới"},)]


def test_records_from_workers_share_their_names_and_tokens():
    tokens = {}
    page = ["ab", ["SITEURL", "article"], [["Article", "/a.md"], ["Article", "/b.md"]], "1:2"]
    first = shared_record(page, tokens)
    second = shared_record(["cd", ["SITEURL", "article"], [["Article", "/b.md"]], "3:4"], tokens)
    assert first[2] == [("Article", "/a.md"), ("Article", "/b.md")]
    assert first[1] == ("SITEURL", "article") and first[3] == "1:2"
    assert first[1] is second[1]
    assert first[2][1] is second[2][0] == ("Article", "/b.md")


def test_records_are_packed_as_made_and_unpacked_with_shared_names_and_tokens():
    order = [("Article", f"/{n}.md") for n in range(3)]  # the index's tokens by number
    packed = PackedRecords()
    count = RECORDS_BATCH + RECORDS_BATCH // 2  # a batch and a half
    for n in range(count):  # an article of the index by number, a page not in it by token
        packed.add(f"/p{n}.html", [f"k{n}", ("SITEURL",), [n % 3, ("Page", "/p.md")], "1:2"])
    batches = packed.packed()
    assert len(batches) == 2 and all(isinstance(batch, bytes) for batch in batches)
    shared = {name: name for name in order}
    records = dict(unpacked(batches, order, shared))
    assert list(records) == [f"/p{n}.html" for n in range(count)]
    tokens = [("Article", "/1.md"), ("Page", "/p.md")]
    assert records["/p4.html"] == ["k4", ("SITEURL",), tokens, "1:2"]
    assert records["/p4.html"][2][0] is order[1]
    assert records["/p1.html"][2][1] is records["/p4.html"][2][1]
    assert records["/p1.html"][1] is records[f"/p{count - 1}.html"][1]


def test_records_name_the_indexs_described_objects_by_number(tmp_path, settings):
    articles = [_dated(settings, f"/nd/{name}.md", 8) for name in "abc"]
    index = {token(article): article for article in articles}
    digests = Digests(settings)
    described = {token(a): digests.content(a) for a in articles[:2]}  # c: not described yet
    order = digests.know_index(index, described)
    source = "{{ articles[2].title }}{{ articles[1].title }}{{ articles[0].title }}"
    template = Environment(loader=DictLoader({"t": source})).get_template("t")
    page = _Page(template, {}, {"articles": articles})
    path = tmp_path / "p.html"
    path.write_text("x", encoding="utf-8")
    record = record_of(b"build", page, render_traced(page)[1], digests, str(path))
    assert record[2] == [0, 1, ("Article", "/nd/c.md")]
    assert [order[n] for n in record[2][:2]] == [token(a) for a in articles[:2]]
    plain = record_of(b"build", page, render_traced(page)[1], Digests(settings), str(path))
    assert plain[2] == [token(a) for a in articles]  # without numbers: each by its token
    assert plain[0] == record[0]  # the same page digest
    articles[2].unreadable = lambda: None  # a field no digest can describe: no record
    fresh = Digests(settings)
    fresh.numbers = digests.numbers
    assert record_of(b"build", page, render_traced(page)[1], fresh, str(path)) is None


def test_kept_objects_share_their_category_tags_and_photo(tmp_path):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}

    def kept(name, photo):
        fields = {"title": name, "category": Category("Tin địa phương", settings)}
        fields["tags"] = [Tag("giao ban", settings), Tag(name, settings)]
        article = Article("<p>Đoạn.</p>", fields, settings=settings, source_path=f"{name}.md")
        article.photo = photo
        return dumps(article, settings, {})

    photo = {"key": "ha-long", "src": "anh/ha-long-640.jpg", "width": 640}
    blobs = [kept("mot", dict(photo)), kept("hai", dict(photo)), kept("ba", {**photo, "width": 1})]
    cache = ReadCache(settings, {}, "ArticlesGenerator", "thu")
    first, second, third = (loads(blob, settings, {}, cache.shared) for blob in blobs)
    for content in (first, second, third):
        cache.shared_photo(content)
    assert first.category is second.category and first.tags[0] is second.tags[0]
    assert first.tags[1] is not second.tags[1] and second.tags[1].name == "hai"
    assert first.category.settings is settings and first.category.slug == "tin-dia-phuong"
    assert first.photo is second.photo == photo
    assert third.photo == {**photo, "width": 1}  # another description: its own
    later = ReadCache(settings, {}, "ArticlesGenerator", "sau")
    again = loads(blobs[0], settings, {}, later.shared)
    assert again.category is not first.category  # another build binds its own


def test_kept_objects_share_the_values_many_repeat_in_their_fields_and_metadata(tmp_path):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}

    def kept(name):
        metadata = {"title": name, "source": "".join(["Sở ", "Nội vụ"]), "reader": "markdown"}
        article = Article("<p>Đoạn.</p>", metadata, settings=settings, source_path=f"{name}.md")
        article.reader, article.locale_date = "".join(["mark", "down"]), "01/05/2024"
        return dumps(article, settings, {})

    first, second = (loads(kept(name), settings, {}) for name in ("mot", "hai"))
    for name in ("source", "reader", "locale_date", "lang", "template"):
        assert getattr(first, name) is getattr(second, name), name
    assert first.metadata["source"] is second.metadata["source"] is second.source
    assert first.metadata["reader"] is second.reader == "markdown"
    assert first.title == "mot" and second.title == "hai"  # others stay their own


def test_frozen_content_and_its_wrappers_work_out_their_addresses_once(tmp_path, monkeypatch):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "OUTPUT_PATH": str(tmp_path / "out")}
    fields = {"title": "Tin", "date": datetime(2026, 5, 2), "category": Category("Tin A", settings)}
    fields["tags"] = [Tag("giao ban", settings)]
    source = str(tmp_path / "tin.md")
    article = Article("<p>Đoạn.</p>", fields, settings=settings, source_path=source)
    plain_url, plain_save_as, category_url = article.url, article.save_as, article.category.url
    formatted = []
    wrap = lambda real: lambda *a, **k: formatted.append(a[0]) or real(*a, **k)  # noqa: E731
    monkeypatch.setattr(Article, "url_format", property(wrap(Article.url_format.fget)))
    article.__class__ = frozen_class(Article)
    assert article.is_valid() and article.save_as == plain_save_as and article.url == plain_url
    assert len(formatted) == 1  # save_as and url, from one url_format
    assert "_url_format" not in vars(article)
    freeze({"generated_content": {"tin.md": article}}, settings)
    assert type(article.category) is not Category and isinstance(article.category, Category)
    assert article.category.url == category_url and "url" in vars(article.category)
    assert article.tags[0].url == "tag/giao-ban.html" and "url" in vars(article.tags[0])
    # kept as the class it was made from, and frozen again once taken back
    back = loads(dumps(article, settings, {}), settings, {})
    assert type(back) is Article and back.url == plain_url
    assert type(back.category) is Category and back.category.url == category_url


@pytest.mark.parametrize(
    "fields",
    [
        {"lang": "vi", "translation": "true"},  # not the default language: its own settings
        {"save_as": "rieng/tin.html"},  # an address of its own
        {"slug": "ten-rieng", "status": "draft"},
    ],
)
@pytest.mark.parametrize("first", ["url", "save_as"])
def test_frozen_content_works_out_both_addresses_as_pelican_does(tmp_path, fields, first):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "OUTPUT_PATH": str(tmp_path / "out")}
    settings["ARTICLE_LANG_SAVE_AS"] = "{lang}/{date:%Y}/{slug}.html"
    made = []
    for _ in range(2):
        meta = {"title": "Tin", "date": datetime(2026, 5, 2), **fields}
        made.append(Article("<p>Đ.</p>", meta, settings=settings, source_path="tin.md"))
    made[1].__class__ = frozen_class(Article)
    getattr(made[1], first)
    assert (made[1].url, made[1].save_as) == (made[0].url, made[0].save_as)
    assert {"url", "save_as"} <= vars(made[1]).keys()
    if fields.get("lang") == "vi":
        assert made[1].save_as == "vi/2026/tin.html"


def test_an_address_that_fails_fails_when_it_is_asked_for(tmp_path):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "ARTICLE_URL": "{no_such_field}/"}
    meta = {"title": "Tin", "date": datetime(2026, 5, 2)}
    article = Article("<p>Đ.</p>", meta, settings=settings, source_path="tin.md")
    article.__class__ = frozen_class(Article)
    assert article.save_as == "tin.html"  # the url, worked out with it, failed: not kept
    with pytest.raises(KeyError):
        _ = article.url


@pytest.mark.parametrize("summary", ["<p>Tóm tắt của biên tập viên.</p>", None])
def test_a_frozen_summary_is_pelicans_and_a_given_one_is_not_remembered(tmp_path, summary):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "SUMMARY_MAX_LENGTH": 3}
    fields = {"title": "Tin", "date": datetime(2026, 5, 2)}
    if summary:
        fields["summary"] = summary
    body = "<p>Đoạn đầu của bài viết dài hơn ba từ.</p>"
    made = [
        Article(body, dict(fields), settings=settings, source_path=str(tmp_path / n)) for n in "ab"
    ]
    made[1].__class__ = frozen_class(Article)
    plain, frozen = made
    Article.get_summary.cache.clear()
    assert frozen.summary == plain.summary == (summary or "<p>Đoạn đầu của …</p>")
    remembered = {id(key[0]) for key in Article.get_summary.cache}
    assert id(plain) in remembered
    assert (id(frozen) in remembered) == (summary is None)  # Pelican's way, memo and all


def test_names_are_slugified_once_and_titles_not_remembered(tmp_path):
    from fast_build import slugs

    slugs.remember_slugs()  # as the plugin's register() does
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    before = slugs._remembered.cache_info().currsize
    Article("<p>Đoạn.</p>", {"title": "Một tiêu đề chỉ có một lần"}, settings=settings)
    assert slugs._remembered.cache_info().currsize == before
    first, second = Tag("Giao ban trực tuyến", settings), Tag("Giao ban trực tuyến", settings)
    assert first.slug == second.slug == "giao-ban-truc-tuyen"
    assert slugs._remembered.cache_info().currsize == before + 1


def test_objects_taken_back_share_their_field_names_and_repeated_values(settings):
    fields = {"title": "Tin", "summary": "<p>Tóm tắt.</p>", "category": "Tin địa phương"}
    article = Article("<p>Đoạn.</p>", fields, settings=settings, source_path="tin.md")
    blob = dumps(article, settings, {})
    first, second = loads(blob, settings, {}), loads(blob, settings, {})
    assert list(first.__dict__) == list(second.__dict__)
    assert all(a is b for a, b in zip(first.__dict__, second.__dict__, strict=True))
    assert all(a is b for a, b in zip(first.metadata, second.metadata, strict=True))
    assert first.template is second.template and first.lang is second.lang
    assert first.metadata == article.metadata and first.title == "Tin"


def test_articles_read_ahead_by_every_process_share_one_category(tmp_path):
    dates = [f"2024-05-{day:02d} 08:00" for day in range(1, 13)]
    files = {f"tin-tuc/tin-{n}.md": news(f"Tin {n}", date) for n, date in enumerate(dates)}
    write_content(tmp_path / "content", files)
    seen = []
    watcher = lambda generators: seen.extend(generators[0].articles)  # noqa: E731
    signals.all_generators_finalized.connect(watcher)
    try:
        options = {"FAST_BUILD": {"workers": 2, "parallel_from": 1}, "SEARCH_INDEX": None}
        build(tmp_path / "content", tmp_path / "out", **options)
    finally:
        signals.all_generators_finalized.disconnect(watcher)
    assert len(seen) == 12 and len({id(article.category) for article in seen}) == 1


@pytest.mark.parametrize(
    "value",
    [
        "<p>Tin mới về cải cách hành chính</p>",  # the quick way
        "<p>a > b, c</p>",
        "<p></p>",
        "<p>Tin <b>mới</b> &amp; cũ</p>",  # Jinja's: another tag, an entity
        "<p>Tin &amp; cũ</p>",
        "<p>Tin  mới</p>",  # spaces to collapse
        "<p> Tin mới</p>",
        "<p>Tin mới </p>",
        "<p>Tin\nmới</p>",
        "<p>Tin\u00a0mới</p>",  # a no-break space: collapsed too
        "<p>Tin\tmới</p>",
        "<p>Tin <!-- ghi chú --> mới</p>",
        "<p>Tin mới",
        "Tin mới</p>",
        "<p>Tin < mới</p>",
        "Tin mới",
        "  Đầm Hà:\tđánh giá\u00a0chữ ký số \n",  # a title: its words joined
        "Tin > mới",
        "Tin &amp; cũ",
        "Tin & cũ",
        "",
        12,
        None,
    ],
)
@pytest.mark.parametrize("as_markup", [False, True])
def test_striptags_gives_jinjas_text_for_every_kind_of_lead(value, as_markup):
    from fast_build.filters import install_filters, quick_striptags
    from jinja2.filters import do_striptags
    from markupsafe import Markup

    if as_markup and isinstance(value, str):
        value = Markup(value)
    assert quick_striptags(value) == do_striptags(value)
    assert type(quick_striptags(value)) is str
    environment = Environment()
    install_filters(environment)
    page = environment.from_string("{{ a|striptags }}")
    assert page.render(a=value) == Environment().from_string("{{ a|striptags }}").render(a=value)


def test_dates_are_formatted_as_pelicans_strftime_formats_them():
    import random
    from zoneinfo import ZoneInfo

    from fast_build import dates
    from pelican.utils import SafeDatetime, strftime

    dates.quick_strftime()  # as the plugin's register() does
    when = [
        SafeDatetime(2026, 1, 5, 7, 3, 9),
        SafeDatetime(2013, 12, 31, 23, 59, 0, 1200, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    ]
    pieces = [f"%{c}" for c in "aAbBcdfGHIjmMpSUuVwWxXyYzZ%"]
    pieces += ["%-d", "%-m", "%-H", "%q", "%E", "%\n", "%", "/", " ngày ", "{", "}", "-", "%s"]
    pick = random.Random(7)
    formats = ["%d/%m/%Y", "%Y", "%-d/%-m/%Y", "{%Y}", "%%Y", "%%", "năm %Y%", "%Y-%"]
    formats += ["".join(pick.choices(pieces, k=pick.randint(1, 6))) for _ in range(3000)]
    shortcut = 0
    for fmt in formats:
        for date in when:
            try:
                expected = strftime(date, fmt)
            except (TypeError, ValueError) as error:
                with pytest.raises(type(error)):
                    date.strftime(fmt)
            else:
                assert date.strftime(fmt) == expected, fmt
        shortcut += dates._plain(fmt)
    assert dates._plain("%d/%m/%Y") and not dates._plain("%-d/%m/%Y")
    assert 500 < shortcut < len(formats) - 500  # both ways taken, many times
    date = when[0]
    assert f"{date:%Y}" == "2026" and date.strftime("%-d") == "5"


def test_a_wrapper_with_a_field_no_plain_value_stays_each_objects_own(settings):
    def kept(name):
        tag = Tag("giao ban", settings)
        tag.aliases = ["họp giao ban"]  # a list: the wrapper cannot be a key
        article = Article("<p>Đoạn.</p>", {"title": name, "tags": [tag]}, settings=settings)
        return dumps(article, settings, {})

    shared = {}
    first, second = (loads(kept(name), settings, {}, shared) for name in ("mot", "hai"))
    assert first.tags[0] is not second.tags[0]
    assert first.tags[0].aliases == second.tags[0].aliases == ["họp giao ban"]


def _dated(settings, path, day, **fields):
    metadata = {"title": "Tin", "date": datetime(2018, 11, day), **fields}
    return Article("<p>Thân bài.</p>", metadata=metadata, settings=settings, source_path=path)


def test_content_digests_are_the_same_from_every_pickler_and_follow_dates(settings):
    settings = {**settings, "TIMEZONE": "Asia/Ho_Chi_Minh"}
    article = _dated(settings, "/nd/a.md", 8)
    digests = Digests(settings)
    broken = _dated(settings, "/nd/b.md", 8)
    broken.unreadable = lambda: None  # a field the pickler cannot take
    with pytest.raises(Unknown):
        digests.content(broken)
    assert digests.content(article) == Digests(settings).content(article)
    assert digests.content(article) != Digests(settings).content(_dated(settings, "/nd/a.md", 9))
    utc = _dated({**settings, "TIMEZONE": "UTC"}, "/nd/a.md", 8)  # a zone not in the memo
    assert digests.content(utc) != digests.content(article)


def test_a_page_is_fresh_while_what_it_read_keeps_its_digests(tmp_path, settings):
    from fast_build.traces import is_fresh, unchanged_contents

    article = _dated(settings, "/nd/a.md", 8)
    template = Environment(loader=DictLoader({"t": "{{ article.title }} {{ SITENAME }}"}))
    page = _Page(template.get_template("t"), {"SITENAME": "Cổng"}, {"article": article})
    path = tmp_path / "a.html"
    path.write_text(render_traced(page)[0], encoding="utf-8")
    digests = Digests(settings)
    record = record_of(b"build", page, render_traced(page)[1], digests, str(path))
    token = ("Article", "/nd/a.md")
    assert record[2] == [token]
    now = {token: digests.content(article)}
    assert unchanged_contents(now, now) == {token}
    assert unchanged_contents({token: b"other"}, now) == set()
    assert is_fresh(record, b"build", page, str(path), digests, {token})
    assert not is_fresh(record, b"build", page, str(path), digests, set())  # its article moved
    assert not is_fresh(record, b"other build", page, str(path), digests, {token})
    other = _Page(page.template, {"SITENAME": "Cổng mới"}, {"article": article})
    assert not is_fresh(record, b"build", other, str(path), Digests(settings), {token})
    path.write_text("sửa tay", encoding="utf-8")  # not the file the build wrote
    assert not is_fresh(record, b"build", page, str(path), digests, {token})


def test_records_are_kept_with_the_content_digests_and_older_ones_are_not_read(tmp_path):
    from fast_build.stale import save_kept
    from fast_build.traces import BuildRecords, load_records, records_path, save_records

    settings = {"CACHE_PATH": str(tmp_path / "cache"), "OUTPUT_PATH": str(tmp_path / "out")}
    assert load_records(settings) == ({}, {})
    records, contents = {"a.html": ["k", ("x",), [], "1:2"]}, {("Article", "a.md"): b"h"}
    kept = BuildRecords([])
    kept.carry(["a.html"], records)
    save_records(settings, kept, contents)
    assert load_records(settings) == (records, contents)
    save_kept(records_path(settings), records)  # as builds before content digests kept it
    assert load_records(settings) == ({}, {})


def test_records_are_saved_as_the_renderers_packed_them_and_unpacked_when_loaded(tmp_path):
    from fast_build.stale import load_kept
    from fast_build.traces import BuildRecords, load_records, records_path, save_records

    settings = {"CACHE_PATH": str(tmp_path / "cache"), "OUTPUT_PATH": str(tmp_path / "out")}
    order = [("Article", "/a.md"), ("Article", "/b.md")]  # the index's tokens by number
    previous = {"old.html": ["k0", ("SITEURL",), [("Article", "/a.md")], "1:1"]}
    renderers = [PackedRecords(), PackedRecords()]
    renderers[0].add("a.html", ["k1", ("article",), [0], "2:2"])
    renderers[1].add("b.html", ["k2", ("article",), [1, ("Page", "/p.md")], "3:3"])
    records = BuildRecords(order)
    records.carry(["old.html"], {**previous, "gone.html": ["x", (), [], "9:9"]})
    for renderer in renderers:
        records.take(renderer.packed(), renderer.stamps)
    assert records.stamps() == {"old.html": "1:1", "a.html": "2:2", "b.html": "3:3"}
    contents = {name: b"h" for name in order}
    save_records(settings, records, contents)
    saved = load_kept(records_path(settings))
    assert saved["pages"] == previous and len(saved["packed"]) == 2  # not unpacked to save
    pages, loaded_contents = load_records(settings)
    assert loaded_contents == contents
    assert pages == {
        **previous,
        "a.html": ["k1", ("article",), [("Article", "/a.md")], "2:2"],
        "b.html": ["k2", ("article",), [("Article", "/b.md"), ("Page", "/p.md")], "3:3"],
    }
    records.batches[0] = records.batches[0][:-5]  # cut short: no record is trusted
    save_records(settings, records, contents)
    assert load_records(settings) == ({}, {})


def test_kept_dicts_are_marshalled_when_they_can_be_and_pickled_otherwise(tmp_path):
    from fast_build.stale import load_kept, save_kept
    from markupsafe import Markup

    plain = {"pages": {"a.html": ["k", ("x", "y"), [("Article", "a.md")], "1:2"]}, "n": None}
    save_kept(tmp_path / "plain.kept", plain)
    assert (tmp_path / "plain.kept").read_bytes()[:1] == b"M"
    assert load_kept(tmp_path / "plain.kept") == plain
    dated = {"when": datetime(2018, 10, 20, 8), "title": Markup("<b>tin</b>")}
    save_kept(tmp_path / "dated.kept", dated)  # marshal takes neither
    assert (tmp_path / "dated.kept").read_bytes()[:1] == b"P"
    found = load_kept(tmp_path / "dated.kept")
    assert found == dated and type(found["title"]) is Markup
    (tmp_path / "old.kept").write_bytes(pickle.dumps(plain))  # an older build's file
    (tmp_path / "cut.kept").write_bytes((tmp_path / "plain.kept").read_bytes()[:40])
    for name in ("old.kept", "cut.kept", "missing.kept"):
        assert load_kept(tmp_path / name) is None
    assert not list(tmp_path.glob("*.tmp"))  # each written whole, then put in place


def test_pelicans_article_loop_is_given_the_files_found_before_it(tmp_path):
    from fast_build.reading import article_sources

    class Generator:
        settings = {"ARTICLE_PATHS": ["tin"], "ARTICLE_EXCLUDES": ["nhap"]}
        walks = 0

        def get_files(self, paths, exclude=None, extensions=None):
            Generator.walks += 1
            return {f"{paths[0]}/{Generator.walks}.md"}

    generator = Generator()
    found = article_sources(generator)
    assert generator.get_files(paths=["tin"], exclude=["nhap"]) is found  # as Pelican asks
    assert Generator.walks == 1
    assert generator.get_files(["tin"], exclude=["nhap"]) == {"tin/2.md"}  # later: walked
    article_sources(generator)
    assert generator.get_files(["trang"]) == {"trang/4.md"}  # other folders: walked


def test_sources_are_keyed_from_the_stamps_taken_for_this_content_folder(tmp_path):
    from fast_build import plugin

    content = tmp_path / "content"
    settings = {"PATH": str(content)}
    plugin.cli_inputs.update(content={"tin/a.md": "1:2:3:4"}, root=str(tmp_path / "khac"))
    try:
        assert plugin.stamps_taken(settings) is None  # taken for another folder
        plugin.cli_inputs["root"] = str(content)
        assert plugin.stamps_taken(settings) == {str(content / "tin/a.md"): "1:2:3:4"}
    finally:
        plugin.cli_inputs.clear()


@pytest.mark.parametrize("base", ["output", "./out/../output/", "/tmp/portal/output"])
@pytest.mark.parametrize(
    "name",
    ["index.html", "tin-tuc/2018/a/index.html", "a/../b.html", "a//b/./c.html", "trang/", ""],
)
def test_noted_pages_join_the_output_folder_as_pelican_does(base, name, tmp_path, monkeypatch):
    from fast_build.writer import _sanitised_join
    from pelican.utils import sanitised_join

    monkeypatch.chdir(tmp_path)
    assert _sanitised_join(base, name) == sanitised_join(base, name)
    for outside in ("../ngoai.html", "/etc/passwd", "a/../../ngoai.html"):
        with pytest.raises(RuntimeError):
            sanitised_join(base, outside)
        with pytest.raises(RuntimeError):
            _sanitised_join(base, outside)


def test_no_folder_is_walked_for_readers_when_none_is_off(tmp_path):
    from fast_build.reading import no_walk_for_no_extensions
    from pelican.generators import ArticlesGenerator

    (tmp_path / "tin").mkdir()
    (tmp_path / "tin" / "a.md").write_text("Title: A\n\nĐoạn.\n", encoding="utf-8")
    (tmp_path / "tin" / "b.rst").write_text("B\n=\n", encoding="utf-8")
    settings = read_settings(override={"PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "c")})
    generator = ArticlesGenerator(
        context={}, settings=settings, path=str(tmp_path), theme=settings["THEME"], output_path=""
    )
    vars(generator).pop("get_files", None)  # as Pelican made it (other tests' plugins)
    walked = []
    plain = generator.get_files
    generator.get_files = lambda *args: walked.append(args) or plain(*args)
    no_walk_for_no_extensions(generator)
    for extensions in ({}.keys(), ("md",), False, None):
        expected = ArticlesGenerator.get_files(generator, ["tin"], None, extensions)
        assert generator.get_files(["tin"], None, extensions) == expected
    assert [args[2] for args in walked] == [("md",), False, None]  # not for no extension


@pytest.mark.parametrize("relative_urls", [False, True])
def test_a_page_noted_directly_is_noted_as_pelicans_writer_notes_it(
    tmp_path, relative_urls, monkeypatch
):
    from pelican.paginator import Page

    direct_notes = []
    plain = FastWriter._note_plain
    monkeypatch.setattr(
        FastWriter, "_note_plain", lambda *a, **k: direct_notes.append(a[1]) or plain(*a, **k)
    )

    settings = read_settings(override={"RELATIVE_URLS": relative_urls, "DEFAULT_PAGINATION": 2})
    template = Environment(loader=DictLoader({"t": "{{ article }}"})).get_template("t")
    calls = [
        ("mot/index.html", {"article": "a", "category": "c", "blog": True, "url": "mot/"}),
        ("hai/index.html", {"article": "b", "override_output": True}),
        ("ba.html", {"articles": list("abc"), "template_name": "archives", "page_name": "ba"}),
        ("tin/index.html", {"articles": list("abcde"), "template_name": "index"}),  # listing
        ("", {"article": "d"}),  # no name: nothing
    ]

    def noted(through_pelican: bool):
        shared = {**settings, "articles": list("xyz"), "localsiteurl": ""}
        writer = FastWriter(str(tmp_path / str(through_pelican)), settings=settings)

        def receiver(path, context):  # with one, pages go through Pelican's own code
            pass

        if through_pelican:
            signals.content_written.connect(receiver)
        try:
            for name, kwargs in calls:
                writer.write_file(name, template, shared, relative_urls=relative_urls, **kwargs)
        finally:
            signals.content_written.disconnect(receiver)
        pages = [
            (os.path.relpath(path, writer.output_path), page.template, page.shared is shared)
            + tuple(
                (k, type(v) if isinstance(v, (Page, Paginator)) else v) for k, v in page.own.items()
            )
            for path, page in writer.pending
        ]
        return pages, shared["localsiteurl"]

    direct = noted(False)
    assert direct_notes == ["mot/index.html", "hai/index.html", "ba.html"]  # not the listing
    pelicans = noted(True)
    assert len(direct_notes) == 3 and len(direct[0]) == 6  # three pages, a listing of three
    assert direct == pelicans


@pytest.mark.parametrize("new_site", [True, False])
def test_a_page_noted_twice_is_written_once_as_noted_last(tmp_path, new_site):
    """Pelican lets a page override one written before it: the file holds the last,
    however many processes render the pages, in a new site or over an old one."""
    settings = read_settings(override={"FAST_BUILD": {"workers": 2, "parallel_from": 1}})
    template = Environment(loader=DictLoader({"t": "<p>{{ article }}</p>"})).get_template("t")
    writer = FastWriter(str(tmp_path / "out"), settings=settings)
    shared = {**settings, "localsiteurl": ""}
    for number in range(300):
        writer.write_file(f"tin/{number}/index.html", template, shared, article=number)
    writer.write_file("tin/7/index.html", template, shared, article="mới", override_output=True)
    assert last_of_each([("a", 1), ("b", 2), ("a", 3)]) == [("a", 3), ("b", 2)]
    writer.flush(new_site=new_site)
    assert (tmp_path / "out/tin/7/index.html").read_text() == "<p>mới</p>"
    assert (tmp_path / "out/tin/8/index.html").read_text() == "<p>8</p>"
    assert writer.changed == 300 and not list((tmp_path / "out").rglob("*.tmp"))


def test_a_site_is_new_when_its_output_folder_is_missing_or_empty(tmp_path):
    from fast_build.plugin import empty

    assert empty(str(tmp_path / "none")) and empty(str(tmp_path))
    (tmp_path / ".htaccess").write_text("")
    assert not empty(str(tmp_path))  # anything there: pages are put in place whole
    assert not empty(str(tmp_path / ".htaccess"))


def test_a_new_sites_page_is_written_in_place_with_the_stamp_of_the_file(tmp_path):
    from fast_build.markdown_cache import file_stamp
    from fast_build.writer import write_new

    path = tmp_path / "out/tin/mot/index.html"
    stamp = write_new(str(path), "<p>Tin một</p>")
    assert path.read_text() == "<p>Tin một</p>" and stamp == file_stamp(str(path))
    assert list(path.parent.iterdir()) == [path]  # no scratch file beside it


def test_a_renderer_writes_its_pages_a_batch_at_a_time_each_as_rendered():
    from fast_build.writer import WRITE_BATCH, _render_share

    events = []

    class Noted:  # a noted page: what render_share asks of one
        def __init__(self, number):
            self.number = number

        def render(self):
            events.append(("render", self.number))
            return f"<p>Trang {self.number}</p>"

    def write(path, text):
        events.append(("write", text))
        return True, None

    count = WRITE_BATCH + WRITE_BATCH // 2  # a batch and a half
    jobs = [(f"/ra/{n}.html", Noted(n)) for n in range(count)]
    changed, unchanged, batches, stamps, kept = _render_share(jobs, None, write)
    assert (changed, unchanged, batches, stamps, kept) == (count, 0, [], {}, [])
    renders = [("render", n) for n in range(count)]
    writes = [("write", f"<p>Trang {n}</p>") for n in range(count)]
    first, second = slice(0, WRITE_BATCH), slice(WRITE_BATCH, count)
    assert events == renders[first] + writes[first] + renders[second] + writes[second]


def test_titles_are_transliterated_as_unidecode_does_them(monkeypatch):
    import pelican.utils
    import unidecode
    from fast_build.slugs import transliterate, transliterate_once

    title = "Đầm Hà: “Một cửa” số ½ – Cô Tô, 北京 😀"
    assert transliterate(title) == unidecode.unidecode(title)
    every = [chr(code) for code in range(0x30000) if not 0xD800 <= code <= 0xDFFF]
    assert transliterate("".join(every)) == unidecode.unidecode("".join(every))
    rules = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    expected = pelican.utils.slugify(title, rules)
    monkeypatch.setattr(pelican.utils, "unidecode", pelican.utils.unidecode)  # undone after
    transliterate_once()
    assert pelican.utils.unidecode.unidecode is transliterate
    assert pelican.utils.slugify(title, rules) == expected == "dam-ha-mot-cua-so-12-co-to-bei-jing"


@pytest.mark.parametrize(
    "title",
    [
        "Quyết định 907-QĐ/TU về cải cách   thủ tục",
        "  Tiêu đề\tcó\nkhoảng trắng  ",
        "Tiêu đề <em>in nghiêng</em> <!-- ghi chú -->",
        "Giá &amp; phí &raquo; 12,65%",
        "ﬁ ① Ｑｕảng Ｎinh",  # NFKC folds these
        "__Nghị định 100/2019/NĐ-CP__",
        "---",
        "",
    ],
)
@pytest.mark.parametrize("case, unicode", [(False, False), (True, False), (False, True)])
def test_titles_are_slugified_as_pelican_does(title, case, unicode):
    import pelican.utils
    from fast_build.slugs import quick_slugify
    from vn_text.text import SLUG_SUBSTITUTIONS

    for rules in (SLUG_SUBSTITUTIONS, DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"], []):
        expected = pelican.utils.slugify(title, rules, case, unicode)
        assert quick_slugify(title, rules, case, unicode) == expected
    compiled = [(re.compile("[^a-z]"), "-")]  # no pair of strings: Pelican's slugify fails
    with pytest.raises(TypeError):
        quick_slugify(title, compiled)


@pytest.mark.parametrize("root", ["/tmp/noi-dung", "/tmp/noi-dung/", "/tmp/./noi-dung", "noi-dung"])
def test_absolute_and_relative_paths_are_the_ones_abspath_gives(root):
    names = [
        "tin-tuc/2018/bai.md",
        "bai.md",
        "./bai.md",
        "tin-tuc/../bai.md",
        "tin-tuc//bai.md",
        "tin-tuc/.an/bai.md",
        ".an.md",
        "/khac/bai.md",
        "tin-tuc/",
        "",
    ]
    expected = [os.path.abspath(os.path.join(root, name)) for name in names]
    assert list(absolute(root, names)) == expected
    # and back: a written file's name in the output folder, as Pelican's paths give it
    paths = [os.path.join(root, name) for name in names] + ["/khac/ngoai.html"]
    inside = os.path.join(os.path.abspath(root), "")
    before = {  # how FastWriter.written worked them out, abspath for every path
        path[len(inside) :] if path.startswith(inside) else os.path.relpath(path, inside)
        for path in map(os.path.abspath, paths)
    }
    assert relative(root, paths) == before
