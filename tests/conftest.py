"""Shared helpers: build real sites into temporary folders and read their HTML."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "audit"))  # the page types and first-view weights


def build(content: Path, output: Path, conf: str = "pelicanconf.py", env=None, **overrides) -> Path:
    """Run Pelican with the project's settings on `content`, writing into `output`.

    Production builds run as `make publish` does, in their own process: the sitemap
    plugin connects to Pelican's global signals and would leak into later dev builds.
    """
    if conf != "pelicanconf.py":
        assert not overrides, "production builds take no overrides"
        command = [sys.executable, "-m", "pelican", str(content), "-o", str(output)]
        # No counter answers here (port 9): the snapshot shows "—", as the tests expect.
        env = {**os.environ, "PORTAL_COUNTER_SNAPSHOT": "http://127.0.0.1:9", **(env or {})}
        subprocess.run([*command, "-s", str(ROOT / conf)], check=True, cwd=ROOT, env=env)
        return output
    overrides.setdefault("CACHE_PATH", f"{output}-cache")  # builds never share a cache
    settings = read_settings(
        str(ROOT / conf),
        override={"PATH": str(content), "OUTPUT_PATH": str(output), **overrides},
    )
    Pelican(settings).run()
    return output


def front_matter(**fields) -> str:
    """Markdown with the given fields (ImageAlt=... keeps its case) and a body."""
    body = fields.pop("body", "Nội dung bài viết.")
    lines = [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


def news(title: str, date: str, category: str = "Tin địa phương", **fields) -> str:
    """A news article that passes every check unless `fields` override a value."""
    defaults = {"Title": title, "Date": date, "Category": category, "Author": "Phóng viên"}
    defaults["Summary"] = f"Tóm tắt: {title}."
    return front_matter(**{**defaults, **fields})


def write_content(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def make_site(tmp_path):
    """Build a purpose-made site from {relative path: text}; returns its output folder."""

    def make(files: dict, conf: str = "pelicanconf.py", name: str = "site", **overrides):
        content = write_content(tmp_path / f"{name}-content", files)
        if conf == "pelicanconf.py":
            overrides.setdefault("SEARCH_INDEX", None)  # search has its own tests
        return build(content, tmp_path / f"{name}-output", conf, **overrides)

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample portal, built with the development settings."""
    output = tmp_path_factory.mktemp("sample") / "output"
    return build(ROOT / "content", output, SEARCH_INDEX={"background": False})


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The sample portal built with publishconf.py, as `make publish` does."""
    return build(ROOT / "content", tmp_path_factory.mktemp("publish") / "output", "publishconf.py")


@pytest.fixture(scope="session")
def settings():
    return read_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture(scope="module")
def sample_url(sample_site):
    """The sample portal served on loopback."""
    from browser import serve

    with serve(sample_site) as url:
        yield url


@pytest.fixture
def page(chromium):
    """A fresh browser context and page for one test."""
    context = chromium.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright, one per test module: Playwright's sync API
    holds an event loop while it runs, which asyncio-based tests elsewhere must not meet."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
