"""The footer counter at build time: a snapshot when the service answers, "—" when not."""

import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from browser import QuietServer
from conftest import news, soup
from visitor_counter import fetch_figures
from visitor_counter.snapshot import page_path


class FakeCounter(BaseHTTPRequestHandler):
    reply = b'{"total": 7448251, "today": 1234, "online": 56, "pageviews": 9}'
    delay = 0.0

    def do_GET(self):  # noqa: N802 - the stdlib's name
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_counter():
    servers = []

    def start(reply=None, delay=0.0):
        handler = type(
            "Handler", (FakeCounter,), {"reply": reply or FakeCounter.reply, "delay": delay}
        )
        server = QuietServer(("127.0.0.1", 0), handler)  # a slow reply the build gave up on
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_snapshot_from_the_service(fake_counter):
    assert fetch_figures(fake_counter()) == {"total": 7448251, "today": 1234, "online": 56}


@pytest.mark.parametrize(
    "reply", [b"not json", b"[1, 2]", b'{"total": -1, "today": 0, "online": 0}', b'{"total": "7"}']
)
def test_bad_answers_give_no_snapshot(fake_counter, reply):
    assert fetch_figures(fake_counter(reply)) is None


def test_a_slow_or_absent_service_never_holds_the_build(fake_counter):
    started = time.monotonic()
    assert fetch_figures(fake_counter(delay=3), timeout=0.3) is None
    assert fetch_figures("http://127.0.0.1:9", timeout=0.3) is None
    assert time.monotonic() - started < 2
    assert fetch_figures("/bo-dem") is None  # same-origin path: nothing to ask at build time


def test_footer_shows_the_snapshot_in_vietnamese_format(make_site, fake_counter):
    counter = {"endpoint": fake_counter(), "timeout": 1.0, "heartbeat": 60}
    output = make_site({"tin-tuc/a.md": news("Một tin", "2018-11-08")}, VISITOR_COUNTER=counter)
    footer = soup(output / "tin-tuc/2018/mot-tin/index.html").select_one(".visitor-counter")
    text = " ".join(footer.get_text(" ").split())
    assert text == "Lượt truy cập: 7.448.251 · Hôm nay: 1.234 · Trực tuyến: 56"
    pixel = soup(output / "tin-tuc/2018/mot-tin/index.html").select_one("noscript img")
    assert pixel["src"] == counter["endpoint"] + "/hit.gif?p=/tin-tuc/2018/mot-tin/"
    assert pixel["alt"] == ""


def test_footer_shows_dashes_without_a_service(make_site):
    counter = {"endpoint": "http://127.0.0.1:9", "timeout": 0.3, "heartbeat": 60}
    output = make_site({"tin-tuc/a.md": news("Một tin", "2018-11-08")}, VISITOR_COUNTER=counter)
    figures = [s.get_text() for s in soup(output / "index.html").select("[data-counter]")]
    assert figures == ["—", "—", "—"]


def test_no_counter_configured_no_widget(make_site):
    output = make_site({"tin-tuc/a.md": news("Một tin", "2018-11-08")}, VISITOR_COUNTER=None)
    assert soup(output / "index.html").select_one(".visitor-counter") is None


def test_page_paths():
    assert page_path("index.html") == "/"
    assert page_path("tin-tuc/page/2/index.html") == "/tin-tuc/page/2/"
    assert page_path("404.html") == "/404.html"
