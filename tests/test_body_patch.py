"""`make html` after a body-only edit: the article's page and feeds patched in place,
byte for byte what a clean build writes, and a full build whenever that cannot hold."""

import json
import re
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler
from zoneinfo import ZoneInfo

import pytest
from browser import QuietServer
from rebuilds import assert_same_tree, copy_portal, edit, pelican, tree

NEWEST = "tin-tuc/2018/2018-11-08-hop-nhat-co-quan-to-chuc-noi-vu.md"
OLDER = "tin-tuc/2018/2018-10-19-chu-ky-so.md"
PATCHED = "Đã sửa thân bài"
FULL = "Done: Processed"


def make_html(content, output, cache, theme, **kwargs) -> str:
    return pelican(content, output, cache, theme, command_line="fast_build.build", **kwargs)


def append(content, name: str, text: str = "Đoạn văn thêm vào khi sửa bài.") -> None:
    with open(content / name, "a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")


@pytest.fixture
def portal(tmp_path):
    """The sample portal built once by `make html`; `rebuild()` builds it again and
    checks the output against a clean build; returns what the build printed."""
    content, theme = copy_portal(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert FULL in make_html(content, output, cache, theme)
    builds = iter(range(100))

    def rebuild(**kwargs) -> str:
        printed = make_html(content, output, cache, theme, **kwargs)
        clean = tmp_path / f"clean-{next(builds)}"
        pelican(content, clean, tmp_path / f"{clean.name}-cache", theme, **kwargs)
        assert_same_tree(output, clean)
        return printed

    return content, theme, output, rebuild


def test_a_body_edit_is_patched_into_the_page_and_the_feeds(portal):
    content, _, output, rebuild = portal
    before = tree(output)
    append(content, NEWEST)
    printed = rebuild()
    assert PATCHED in printed and FULL not in printed
    changed = sorted(name for name, data in tree(output).items() if before.get(name) != data)
    assert changed == [
        "feeds/chuyen-muc/chi-dao-dieu-hanh.atom.xml",
        "feeds/tin-tuc.atom.xml",
        "tin-tuc/2018/ban-thuong-vu-tinh-uy-nghe-bao-cao-ket-qua-hop-nhat-co-quan-to-chuc-noi-vu-cap-huyen/index.html",
    ]
    append(content, OLDER, "Một câu nữa.")  # the next edit patches from this one
    append(content, NEWEST, "Và một câu nữa.")
    assert PATCHED in rebuild()


def test_nothing_changed_writes_nothing_unless_the_output_did(portal):
    content, _, output, rebuild = portal
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    assert "Không có gì thay đổi" in rebuild()
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == before
    (output / "theme/css/portal.css").unlink()  # a full build copies it again
    assert FULL in rebuild()


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (NEWEST, "Title: ", "Title: Đã sửa: "),  # listings show the title
        (
            OLDER,
            "\n\n",
            "\n\nXem [bài trước]({filename}2018-11-08-hop-nhat-co-quan-to-chuc-noi-vu.md).\n\n",
        ),
        (OLDER, "\n\n", "\n\n![Bộ phận một cửa](/images/2018/bo-phan-mot-cua.jpg)\n\n"),
    ],
)
def test_other_edits_take_a_full_build(portal, name, old, new):
    content, _, _, rebuild = portal
    edit(content / name, old, new)
    assert FULL in rebuild()


def test_a_change_beside_the_body_edit_takes_a_full_build(portal):
    content, theme, _, rebuild = portal
    append(content, NEWEST)
    edit(theme / "templates/base.html", "</footer>", "<p>Mẫu trang đã sửa.</p></footer>")
    assert FULL in rebuild()
    append(content, NEWEST, "Lần nữa.")
    edit(content / "data/don-vi.yaml", "Liên cơ quan số 3", "Liên cơ quan số 4")
    assert FULL in rebuild()
    append(content, NEWEST, "Lần nữa nữa.")
    (content / OLDER).with_name("2018-11-20-tin-moi.md").write_text(
        (content / OLDER).read_text(encoding="utf-8").replace("Title: ", "Title: Mới: ", 1),
        encoding="utf-8",
    )
    assert FULL in rebuild()


def test_the_record_is_read_only_as_far_as_the_build_needs_it(portal, tmp_path):
    content, _, _, rebuild = portal

    def drop_the_rest():
        (rest,) = (tmp_path / "cache" / "patch").glob("*-rest.kept")
        rest.unlink()

    drop_the_rest()  # files added: the record's head tells, without its rest
    (content / OLDER).with_name("2018-11-20-tin-moi.md").write_text(
        (content / OLDER).read_text(encoding="utf-8").replace("Title: ", "Title: Mới: ", 1),
        encoding="utf-8",
    )
    assert "full build (files were added or removed)" in rebuild()
    drop_the_rest()  # a body edit needs the rest: without it, a full build
    append(content, NEWEST)
    assert "full build (the record of the last full build is incomplete)" in rebuild()


def test_a_page_changed_in_the_output_takes_a_full_build(portal):
    content, _, output, rebuild = portal
    page = next(output.glob("tin-tuc/2018/ban-thuong-vu*/index.html"))
    page.write_text(page.read_text(encoding="utf-8") + "<!-- sửa tay -->", encoding="utf-8")
    append(content, NEWEST)
    assert FULL in rebuild()


def test_after_a_plain_pelican_build_the_next_is_full(portal, tmp_path):
    content, theme, output, rebuild = portal
    pelican(content, output, tmp_path / "cache", theme)
    append(content, NEWEST)
    assert FULL in rebuild()


def test_a_scheduled_article_falling_due_is_published_by_a_full_build(portal, settings):
    """Its kept reading said "not yet": neither the patch nor the read cache may keep that."""
    content, theme, output, rebuild = portal
    due = datetime.now(ZoneInfo(settings["TIMEZONE"])) + timedelta(seconds=8)
    text = (content / OLDER).read_text(encoding="utf-8")
    scheduled = text.replace("Title: ", "Title: Hẹn giờ: ", 1)
    scheduled = re.sub(r"(?m)^Date: .*$", f"Date: {due:%Y-%m-%d %H:%M:%S}", scheduled)
    (content / OLDER).with_name("hen-gio.md").write_text(scheduled, encoding="utf-8")
    make_html(content, output, output.parent / "cache", theme)
    assert not list(output.glob("tin-tuc/*/hen-gio*"))  # not yet
    time.sleep(max(0, (due - datetime.now(due.tzinfo)).total_seconds()) + 1)
    append(content, NEWEST)
    assert FULL in rebuild()


class _Counts(BaseHTTPRequestHandler):
    figures = {"total": 1000, "today": 10, "online": 2}

    def do_GET(self):  # noqa: N802 - the stdlib's name
        body = json.dumps(self.figures).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def test_new_visitor_counts_take_a_full_build(tmp_path):
    """The footers show the counts at build time: when they moved, every page changes."""
    import threading

    server = QuietServer(("127.0.0.1", 0), _Counts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"PORTAL_COUNTER_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}"}
    try:
        content, theme = copy_portal(tmp_path)
        output, cache = tmp_path / "output", tmp_path / "cache"
        make_html(content, output, cache, theme, env=env)
        append(content, NEWEST)
        assert PATCHED in make_html(content, output, cache, theme, env=env)
        _Counts.figures = {**_Counts.figures, "total": 1001}
        append(content, NEWEST, "Lần nữa.")
        assert FULL in make_html(content, output, cache, theme, env=env)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command_line", ["fast_build.build", "pelican"])
def test_plain_log_lines_still_name_an_editors_mistake(tmp_path, command_line):
    """`make html` and the dev server log with `--log-handler plain`."""
    content, theme = copy_portal(tmp_path)
    edit(content / OLDER, "Date: 2018-10-19 14:00", "Date: ngày mai")
    printed = pelican(
        content,
        tmp_path / "output",
        tmp_path / "cache",
        theme,
        expect_failure=True,
        command_line=command_line,
        extra=["--log-handler", "plain"],
    )
    assert f"{OLDER.rsplit('/')[-1]}:2:" in printed


def test_plain_log_lines_include_what_verbose_asks_for(tmp_path):
    """Pelican's `plain` handler is none at all, which prints warnings only: `make html`
    with `--verbose` says why it built in full."""
    content, theme = copy_portal(tmp_path)
    printed = make_html(
        content, tmp_path / "output", tmp_path / "cache", theme, extra=["--log-handler", "plain"]
    )
    assert "fast_build: full build (no record of a full build)" in printed


def test_the_next_publication_is_the_first_date_to_come_in_any_zone():
    from datetime import UTC
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from fast_build.body_patch import next_publication

    hanoi, now = ZoneInfo("Asia/Ho_Chi_Minh"), datetime.now(UTC)
    dates = [now - timedelta(days=400), now - timedelta(hours=30), now - timedelta(hours=2)]
    dates += [now + timedelta(hours=5), now + timedelta(hours=3), now + timedelta(days=3)]
    contents = [SimpleNamespace(date=d.astimezone(hanoi)) for d in dates]
    contents += [SimpleNamespace(date=(now + timedelta(hours=4)).astimezone(UTC))]
    contents += [SimpleNamespace(date=None), SimpleNamespace()]  # no date: never scheduled
    naive = (now + timedelta(hours=1)).astimezone().replace(tzinfo=None)  # local time
    soonest = next_publication([*contents, SimpleNamespace(date=naive)])
    assert abs(soonest - naive.timestamp()) < 1e-3
    assert abs(next_publication(contents) - (now + timedelta(hours=3)).timestamp()) < 1e-3
    assert next_publication(contents[:3]) is None  # all of them past


def test_inputs_described_beside_the_start_are_taken_before_the_reading(monkeypatch, caplog):
    """With no record to patch from, fast_build.build has a forked worker describe the
    build's inputs while Pelican starts; the build takes them before it reads a source.
    A worker that fails leaves no record, as a description that fails here would."""
    from fast_build import plugin
    from fast_build.parallel import Started

    monkeypatch.setattr(plugin, "cli_inputs", {})
    plugin.describe_inputs_beside(Started(lambda: {"content": {"a.md": "1:2:3:4"}, "root": "/x"}))
    plugin._inputs_described()
    assert plugin.cli_inputs == {"content": {"a.md": "1:2:3:4"}, "root": "/x"}
    assert plugin.stamps_taken({"PATH": "/x"}) == {"/x/a.md": "1:2:3:4"}

    monkeypatch.setattr(plugin, "cli_inputs", {})
    plugin.describe_inputs_beside(Started(lambda: 1 / 0))
    with caplog.at_level("INFO"):
        plugin._inputs_described()
    assert plugin.cli_inputs == {}
    assert "leaves no record to patch from" in caplog.text
