"""End to end: a production build, deployed, served by a real nginx with our configuration,
the counter behind it, read by headless Chromium; then a rollback."""

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, build
from counter_service.support import BROWSER_UA, Service, free_port, wait_for
from playwright.sync_api import expect

sys.path.insert(0, str(ROOT / "deploy"))
from render_nginx import render  # noqa: E402

ARTICLE = "tin-tuc/2018/mo-rong-su-dung-chu-ky-so-trong-gui-nhan-van-ban-dien-tu/"
ARTICLE_FILE = "tin-tuc/2018/2018-10-19-chu-ky-so.md"
UPDATE = "Bản tin này đã được cập nhật trong lần phát hành thứ hai."
NOT_AUTOMATED = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false});"
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@dataclass
class Stack:
    site: str
    target: Path
    counter: Service


def deploy(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "deploy.py"), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA, **headers})
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.fail("nginx is missing: make test installs it (apt)")
    root = tmp_path_factory.mktemp("stack")
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        "COUNTER_STORE": f"sqlite:///{root}/counter.sqlite3",
        "COUNTER_TRUSTED_PROXIES": "127.0.0.1",
        "COUNTER_READ_CACHE": "0",
        "COUNTER_START_TOTAL": "1000",
    }
    counter = Service(env).start()
    build_env = {"PORTAL_SITEURL": site, "PORTAL_COUNTER_SNAPSHOT": counter.url}
    first = build(ROOT / "content", root / "first", "publishconf.py", env=build_env)
    changed = root / "content-2"
    shutil.copytree(ROOT / "content", changed)
    with open(changed / ARTICLE_FILE, "a", encoding="utf-8") as handle:
        handle.write(f"\n{UPDATE}\n")
    second = build(changed, root / "second", "publishconf.py", env=build_env)
    target = root / "srv"
    deploy("deploy", first, target)
    deploy("deploy", second, target)

    run = root / "run"
    run.mkdir()
    render(
        root / "nginx",
        str(target / "current"),
        f"127.0.0.1:{port}",
        "localhost",
        f"127.0.0.1:{counter.port}",
        standalone_run_dir=run,
    )
    server = subprocess.Popen(
        [nginx, "-p", str(run), "-c", str(root / "nginx" / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: socket.create_connection(("127.0.0.1", port), 0.2).close() or True)
        yield Stack(site, target, counter)
    finally:
        server.terminate()
        server.wait(10)
        counter.stop()


def test_headers_cache_and_compression(stack):
    status, headers, _ = fetch(stack.site + "/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS
    assert headers["Cache-Control"] == "public, max-age=300"
    css = next(p for p in (stack.target / "current/theme/css").iterdir() if p.suffix == ".css")
    status, headers, _ = fetch(f"{stack.site}/theme/css/{css.name}")
    assert status == 200 and "immutable" in headers["Cache-Control"]
    assert "max-age=31536000" in headers["Cache-Control"]
    photo = next((stack.target / "current/anh").glob("*/*.avif"))
    status, headers, body = fetch(f"{stack.site}/anh/{photo.parent.name}/{photo.name}")
    assert status == 200 and body == photo.read_bytes()
    assert headers["Content-Type"] == "image/avif"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, headers, body = fetch(stack.site + "/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    if (stack.target / "current/index.html.br").exists():
        status, headers, _ = fetch(stack.site + "/", **{"Accept-Encoding": "br"})
        assert headers["Content-Encoding"] == "br"


def test_tls_variant_sets_hsts(tmp_path):
    conf = render(
        tmp_path,
        "/srv/portal/current",
        "443",
        "example.vn",
        "127.0.0.1:8001",
        tls=("/etc/ssl/certs/p.pem", "/etc/ssl/private/p.key"),
    )
    text = "".join(path.read_text() for path in conf)
    assert 'set $portal_hsts "max-age=31536000; includeSubDomains";' in text
    assert "return 301 https://$host$request_uri;" in text


def test_our_404_page(stack):
    status, headers, body = fetch(stack.site + "/trang-khong-co/")
    assert status == 404
    assert "Không tìm thấy trang" in body.decode()
    assert headers["Content-Security-Policy"]


def test_reader_path_with_counter_and_no_errors(stack, chromium):
    context = chromium.new_context(user_agent=BROWSER_UA)
    context.add_init_script(NOT_AUTOMATED)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    statuses = []
    page.on("response", lambda r: statuses.append((r.status, r.url)))

    page.goto(stack.site + "/")
    assert page.locator('[data-counter="total"]').inner_text() == "1.000"  # build's snapshot
    # expect() waits without eval, which the strict CSP (rightly) forbids.
    expect(page.locator('[data-counter="total"]')).to_have_text("1.001")
    page.locator(".home-section h2 a").first.click()
    page.wait_for_load_state()
    assert "/chuyen-muc/" in page.url
    page.locator(".news-title a").first.click()
    page.wait_for_load_state()
    assert page.locator("article h1").is_visible()
    page.get_by_role("link", name="Tình hình xử lý", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/tinh-hinh-xu-ly/")
    page.locator("#bang-cap-huyen th[data-sort-key='ty-le'] button").click()  # scripts work
    expect(page.locator('[data-counter="online"]')).to_have_text("1")

    bad = [(status, url) for status, url in statuses if status >= 400]
    assert not errors, (errors, bad)
    assert page.evaluate("window.__csp") == []
    bad = [(status, url) for status, url in statuses if status >= 400]
    assert not bad, bad
    with urllib.request.urlopen(stack.counter.url + "/counts", timeout=5) as reply:
        assert b'"pageviews": 4' in reply.read()  # four pages, each counted once
    context.close()


def test_search_works_under_the_strict_policy(stack, chromium):
    context = chromium.new_context(user_agent=BROWSER_UA)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(stack.site + "/tim-kiem/?q=dong+trieu")
    expect(page.locator(".search-results h2 a").first).to_be_visible(timeout=10_000)
    links = [a.get_attribute("href") for a in page.locator(".search-results h2 a").all()]
    assert any("dong-trieu" in link for link in links)
    assert page.evaluate("window.__csp") == [] and not errors
    entry = json.loads(fetch(f"{stack.site}/chi-muc/index.json")[2])
    _, headers, _ = fetch(f"{stack.site}/chi-muc/{entry['path']}k/0.bin")
    assert "immutable" in headers["Cache-Control"]
    _, headers, _ = fetch(f"{stack.site}/chi-muc/index.json")
    assert headers["Cache-Control"] == "public, max-age=300"
    context.close()


def test_rollback_serves_the_previous_release(stack):
    _, _, body = fetch(f"{stack.site}/{ARTICLE}")
    assert UPDATE in body.decode()
    deploy("rollback", stack.target)
    _, _, body = fetch(f"{stack.site}/{ARTICLE}")
    assert UPDATE not in body.decode()
    assert "Mở rộng sử dụng chữ ký số" in body.decode()
