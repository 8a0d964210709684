"""The dev server (as `make devserver` runs it) rebuilds on save and the open page reloads
itself, in headless Chromium, even when the file is saved while a build runs."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest
from conftest import ROOT
from playwright.sync_api import expect

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
    command += ["-b", "127.0.0.1", "-p", str(port), "-s", str(ROOT / "pelicanconf.py")]
    command += ["-e", "SEARCH_INDEX=null", f"CACHE_PATH={json.dumps(str(cache))}"]
    command += [f"THEME={json.dumps(str(theme))}"]
    env = {**os.environ, "PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"}
    env["PYTHONPATH"] = str(ROOT / "plugins")
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
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    folders = (content, theme, tmp_path / "output", tmp_path / "cache")
    with dev_server(*folders, ready=PAGE) as url:
        page.goto(url + PAGE)
        expect(page.locator("main h1")).to_have_text(TITLE)
        source = content / ARTICLE
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("Văn bản được ký số", "Văn bản đã ký số", 1), "utf-8")
        expect(page.locator("main")).to_contain_text("Văn bản đã ký số", timeout=30_000)

        css = theme / "static/css/portal.css"
        css.write_text(css.read_text(encoding="utf-8") + "\nmain h1 { color: rgb(1, 2, 3); }\n")
        expect(page.locator("main h1")).to_have_css("color", "rgb(1, 2, 3)", timeout=30_000)


def test_body_edit_is_rebuilt_alone_and_equals_a_clean_build(tmp_path):
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    output, log = tmp_path / "output", tmp_path / "devserver.log"
    with (
        open(log, "w") as handle,
        dev_server(content, theme, output, tmp_path / "cache", ready=PAGE, log=handle),
    ):
        source = content / ARTICLE
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("Văn bản được ký số", "Văn bản đã ký số", 1), "utf-8")
        page = output / PAGE.strip("/") / "index.html"
        deadline = time.monotonic() + 30
        while "Văn bản đã ký số" not in page.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the edit never reached the page"
            time.sleep(0.1)
        time.sleep(0.5)  # the feeds are written in the same step, just after
    assert "đã sửa thân bài" in log.read_text(encoding="utf-8"), "a full build ran instead"

    clean = tmp_path / "clean"
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(clean)]
    command += ["-s", str(ROOT / "pelicanconf.py"), "-e", "SEARCH_INDEX=null"]
    command += [f"CACHE_PATH={json.dumps(str(tmp_path / 'clean-cache'))}"]
    command += [f"THEME={json.dumps(str(theme))}"]
    env = {**os.environ, "PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"}
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)

    def tree(folder):
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    built, expected = tree(output), tree(clean)
    assert built.keys() == expected.keys()
    assert sorted(str(name) for name in built if built[name] != expected[name]) == []


def test_front_matter_edit_takes_a_full_build(tmp_path):
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    output, log = tmp_path / "output", tmp_path / "devserver.log"
    with (
        open(log, "w") as handle,
        dev_server(content, theme, output, tmp_path / "cache", ready=PAGE, log=handle),
    ):
        source = content / ARTICLE
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("Title: ", "Title: Đã sửa: ", 1), "utf-8")
        home = output / "index.html"
        deadline = time.monotonic() + 30
        while "Đã sửa: " not in home.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the new title never reached the home page"
            time.sleep(0.1)
    assert "đã sửa thân bài" not in log.read_text(encoding="utf-8")
