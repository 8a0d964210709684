"""The dev server (as `make devserver` runs it) rebuilds on save and the open page reloads
itself, in headless Chromium, even when the file is saved while a build runs."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import expect
from rebuilds import QUIET, assert_same_tree, build_options, copy_portal, edit, pelican, wait_for

ARTICLE = "tin-tuc/2018/2018-10-19-chu-ky-so.md"
PAGE = "/tin-tuc/2018/mo-rong-su-dung-chu-ky-so-trong-gui-nhan-van-ban-dien-tu/"
TITLE = "Mở rộng sử dụng chữ ký số trong gửi nhận văn bản điện tử"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dev_server(content, theme, output, cache, ready: str, log=subprocess.DEVNULL):
    """The dev server on a free port; yields its URL once `ready` (a page) is built."""
    port = free_port()
    command = [sys.executable, "-m", "fast_build.devserver", str(content), "-o", str(output)]
    command += ["-b", "127.0.0.1", "-p", str(port), *build_options(cache, theme)]
    env = {**os.environ, **QUIET, "PYTHONPATH": str(ROOT / "plugins")}
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + ready, timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the dev server did not start")
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_saved_edit_reaches_the_open_page(tmp_path, page):
    content, theme = copy_portal(tmp_path)
    with dev_server(content, theme, tmp_path / "output", tmp_path / "cache", ready=PAGE) as url:
        page.goto(url + PAGE)
        expect(page.locator("main h1")).to_have_text(TITLE)
        edit(content / ARTICLE, "Văn bản được ký số", "Văn bản đã ký số")
        expect(page.locator("main")).to_contain_text("Văn bản đã ký số", timeout=30_000)

        css = theme / "static/css/portal.css"
        css.write_text(css.read_text(encoding="utf-8") + "\nmain h1 { color: rgb(1, 2, 3); }\n")
        expect(page.locator("main h1")).to_have_css("color", "rgb(1, 2, 3)", timeout=30_000)


def edit_in_dev_server(tmp_path, old: str, new: str, shows: str, seen: str) -> tuple[Path, str]:
    """Saves one edit of the article while the dev server runs, waits until the output
    file `shows` holds `seen`; returns the output folder and what the server printed."""
    content, theme = copy_portal(tmp_path)
    output, log = tmp_path / "output", tmp_path / "devserver.log"
    with (
        open(log, "w") as handle,
        dev_server(content, theme, output, tmp_path / "cache", ready=PAGE, log=handle),
    ):
        edit(content / ARTICLE, old, new)
        wait_for(output / shows, seen)
        time.sleep(0.5)  # the feeds are written in the same step, just after
    return output, log.read_text(encoding="utf-8")


def test_body_edit_is_rebuilt_alone_and_equals_a_clean_build(tmp_path):
    page, edited = PAGE.strip("/") + "/index.html", "Văn bản đã ký số"
    output, printed = edit_in_dev_server(tmp_path, "Văn bản được ký số", edited, page, edited)
    assert "đã sửa thân bài" in printed, "a full build ran instead"
    clean = tmp_path / "clean"
    pelican(tmp_path / "content", clean, tmp_path / "clean-cache", tmp_path / "theme")
    assert_same_tree(output, clean)


def test_front_matter_edit_takes_a_full_build(tmp_path):
    edited = "Đã sửa: "
    _, printed = edit_in_dev_server(tmp_path, "Title: ", f"Title: {edited}", "index.html", edited)
    assert "đã sửa thân bài" not in printed


def test_after_a_failed_build_the_next_one_is_full(tmp_path):
    """A's new title was read by a build that stopped on B's mistake: once B is fixed,
    the next build must put A's title on the pages too (no body-only shortcut)."""
    content, theme = copy_portal(tmp_path)
    output = tmp_path / "output"
    other = content / "tin-tuc/2018/2018-09-20-hop-thu-dien-tu-cong-vu.md"
    with dev_server(content, theme, output, tmp_path / "cache", ready=PAGE):
        edit(content / ARTICLE, "Title: ", "Title: Đã sửa: ")
        edit(other, "Date: 2018-09", "Date: 2018-19")
        time.sleep(3)  # the build stops on the bad date
        edit(other, "Date: 2018-19", "Date: 2018-09")
        wait_for(output / "index.html", "Đã sửa: ")
        old_page = output / PAGE.strip("/") / "index.html"
        deadline = time.monotonic() + 30
        while old_page.exists():  # removed last, once the build is whole
            assert time.monotonic() < deadline, "the old address was never removed"
            time.sleep(0.1)
    pelican(content, tmp_path / "clean", tmp_path / "clean-cache", theme)
    assert_same_tree(output, tmp_path / "clean")
