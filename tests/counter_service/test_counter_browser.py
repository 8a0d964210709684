"""The footer counter in headless Chromium, against the real service and a built site."""

import json
import urllib.request

import pytest
from browser import serve
from conftest import build, soup

from .support import BROWSER_UA, ROOT, Service

ARTICLE = "tin-tuc/2018/huong-dan-tra-cuu-tinh-trang-ho-so-bang-ma-bien-nhan/"
NOT_AUTOMATED = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false});"


def pageviews(service) -> int:
    with urllib.request.urlopen(service.url + "/counts", timeout=5) as reply:
        return json.loads(reply.read())["pageviews"]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A built portal served on loopback, with its counter service beside it."""
    root = tmp_path_factory.mktemp("counted")
    output = root / "output"
    output.mkdir()
    with serve(output) as site_url:
        env = {
            "COUNTER_STORE": f"sqlite:///{root}/counter.sqlite3",
            "COUNTER_ORIGINS": site_url,
            "COUNTER_READ_CACHE": "0",
            "COUNTER_START_TOTAL": "7448251",  # the old portal's total, as operators set it
        }
        service = Service(env).start()
        try:
            counter = {"endpoint": service.url, "timeout": 2.0, "heartbeat": 1}
            build(ROOT / "content", output, VISITOR_COUNTER=counter)
            yield site_url, service, output
        finally:
            service.stop()


def reader(chromium, user_agent=BROWSER_UA, **options):
    context = chromium.new_context(user_agent=user_agent, **options)
    context.add_init_script(NOT_AUTOMATED)  # a reader's browser, not an automated one
    return context


def figures_on(page) -> dict:
    return {
        name: page.locator(f'[data-counter="{name}"]').inner_text()
        for name in ("total", "today", "online")
    }


def wait_for_figures(page, expected: dict):
    page.wait_for_function(
        "expected => Object.entries(expected).every(([k, v]) =>"
        ' document.querySelector(`[data-counter="${k}"]`).textContent === v)',
        arg=expected,
        timeout=10_000,
    )
    return figures_on(page)


def test_build_time_snapshot_is_on_every_page(portal):
    _, _, output = portal
    footer = soup(output / "index.html").select_one(".visitor-counter")
    assert "Lượt truy cập: 7.448.251" in " ".join(footer.get_text(" ").split())
    article = soup(output / ARTICLE / "index.html").select_one('[data-counter="total"]')
    assert article.get_text() == "7.448.251"


def test_figures_appear_and_move_as_readers_come(portal, chromium):
    site_url, service, _ = portal
    first = reader(chromium)
    page = first.new_page()
    page.goto(site_url + "/")
    assert wait_for_figures(page, {"total": "7.448.252", "today": "1", "online": "1"})
    page.goto(f"{site_url}/{ARTICLE}")  # a second page in the same visit: no new visit
    wait_for_figures(page, {"total": "7.448.252", "online": "1"})
    assert pageviews(service) == 2

    second = reader(chromium, user_agent=BROWSER_UA.replace("SM-A536E", "Redmi Note 12"))
    other = second.new_page()
    other.goto(f"{site_url}/tin-tuc/")
    assert wait_for_figures(other, {"total": "7.448.253", "today": "2", "online": "2"})
    first.close()
    second.close()


def test_automated_browsers_are_not_counted(portal, chromium):
    site_url, service, _ = portal
    before = pageviews(service)
    context = chromium.new_context(user_agent=BROWSER_UA)  # navigator.webdriver stays true
    page = context.new_page()
    page.goto(site_url + "/")
    page.wait_for_function(
        "document.querySelector('[data-counter=\"online\"]').textContent !== '—'"
    )
    page.wait_for_timeout(300)
    assert pageviews(service) == before
    context.close()


def test_readers_without_javascript_count_through_the_pixel(portal, chromium):
    site_url, service, _ = portal
    before = pageviews(service)
    context = chromium.new_context(user_agent=BROWSER_UA, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/{ARTICLE}")
    page.wait_for_load_state("networkidle")
    assert pageviews(service) == before + 1
    assert page.locator('[data-counter="total"]').inner_text().startswith("7.448.")
    context.close()


def test_heartbeat_while_visible_adds_no_page_view(portal, chromium):
    site_url, service, _ = portal
    context = reader(chromium, user_agent=BROWSER_UA.replace("SM-A536E", "Pixel 8"))
    page = context.new_page()
    beacons = []
    page.on("request", lambda r: beacons.append(r) if r.url.endswith("/hit") else None)
    page.goto(f"{site_url}/{ARTICLE}")
    page.wait_for_timeout(2600)
    before = pageviews(service)
    page.wait_for_timeout(1200)
    assert len(beacons) >= 3  # the page view, then a heartbeat a second
    assert pageviews(service) == before  # heartbeats keep the reader online, nothing more
    context.close()


def test_counter_script_is_small_and_external(portal):
    _, _, output = portal
    script = output / "theme/js/counter.js"
    assert script.stat().st_size < 3000
    page = soup(output / "index.html")
    scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    assert all(tag.get("src") for tag in scripts)  # no inline script
    assert page.select_one('script[src$="counter.js"]').has_attr("defer")
