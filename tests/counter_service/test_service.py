"""The service as operators run it: killed, stopped, and with its store failing."""

import http.client
import json
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request

import pytest

from .support import BROWSER_UA, RedisServer, Service, figures, hit, with_app


def post_hit(connection, visitor: int, path="/") -> int:
    body = json.dumps({"p": path})
    connection.request(
        "POST",
        "/hit",
        body=body,
        headers={
            "User-Agent": BROWSER_UA,
            "Content-Type": "text/plain",
            "X-Forwarded-For": f"100.64.{visitor // 250}.{visitor % 250 + 1}",
        },
    )
    reply = connection.getresponse()
    reply.read()
    return reply.status


def read_counts(url: str) -> dict:
    with urllib.request.urlopen(url + "/counts", timeout=5) as reply:
        return json.loads(reply.read())


def sqlite_service(path, **env):
    return Service(
        {
            "COUNTER_STORE": f"sqlite:///{path}",
            "COUNTER_TRUSTED_PROXIES": "127.0.0.1",
            "COUNTER_READ_CACHE": "0",
            **env,
        }
    )


def test_acknowledged_hits_survive_kill_9(tmp_path):
    database = tmp_path / "counter.sqlite3"
    service = sqlite_service(database).start()
    acknowledged, sent = [0] * 6, [0] * 6
    stop = threading.Event()

    def load(worker: int):
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=5)
        visitor = worker * 100_000
        while not stop.is_set():
            visitor += 1
            sent[worker] += 1
            try:
                if post_hit(connection, visitor) == 204:
                    acknowledged[worker] += 1
            except (OSError, http.client.HTTPException):
                return

    threads = [threading.Thread(target=load, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    assert service.kill(signal.SIGKILL) == -signal.SIGKILL  # mid-load, no chance to flush
    stop.set()
    for thread in threads:
        thread.join(10)

    restarted = sqlite_service(database).start()
    try:
        counted = read_counts(restarted.url)
    finally:
        restarted.stop()
    assert sum(acknowledged) > 200
    assert sum(acknowledged) <= counted["pageviews"] <= sum(sent)
    assert counted["total"] == counted["pageviews"]  # every simulated visitor came once


def test_sigterm_stops_cleanly_and_keeps_the_counts(tmp_path):
    database = tmp_path / "counter.sqlite3"
    service = sqlite_service(database).start()
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=5)
    assert [post_hit(connection, n) for n in range(25)] == [204] * 25
    started = time.monotonic()
    assert service.kill(signal.SIGTERM) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert time.monotonic() - started < 5
    log = service.process.stdout.read().decode()
    assert "Traceback" not in log
    assert not database.with_name(database.name + "-wal").exists()  # the store closed its file
    assert sqlite3.connect(database).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    restarted = sqlite_service(database).start()
    try:
        assert read_counts(restarted.url)["pageviews"] == 25
    finally:
        restarted.stop()


def test_redis_down_answers_fast_and_recovers(tmp_path):
    redis = RedisServer(tmp_path).start()
    service = Service(
        {
            "COUNTER_STORE": redis.url,
            "COUNTER_TRUSTED_PROXIES": "127.0.0.1",
            "COUNTER_READ_CACHE": "0",
            "COUNTER_STORE_TIMEOUT": "0.5",
        }
    ).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=5)
        assert post_hit(connection, 1) == 204
        redis.stop()
        started = time.monotonic()
        assert post_hit(connection, 2) == 503
        assert time.monotonic() - started < 1.5  # the page is never held up
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(service.url + "/health", timeout=5)
        assert caught.value.code == 503
        redis.start()  # a restarted Redis (same port, its append-only file)
        deadline = time.monotonic() + 10
        while post_hit(connection, 3) != 204:
            assert time.monotonic() < deadline, "the service did not recover"
            time.sleep(0.2)
        assert read_counts(service.url)["pageviews"] >= 2
    finally:
        service.stop()
        redis.stop()
    log = service.process.stdout.read().decode()
    assert "counter store unavailable" in log and "Traceback" not in log


def test_sqlite_full_answers_503_then_recovers(tmp_path):
    """SQLITE_FULL, as a full disk gives it, simulated with max_page_count."""

    async def scenario(app, clock):
        assert (await hit(app, "/", client="192.0.2.1")).status == 204
        pages = app.store._conn.execute("PRAGMA page_count").fetchone()[0]
        app.store._conn.execute(f"PRAGMA max_page_count = {pages}")
        statuses = []
        for n in range(600):  # enough new visitors to need new pages
            statuses.append((await hit(app, "/", client=f"10.9.{n // 200}.{n % 200}")).status)
        failed = await figures(app)
        app.store._conn.execute("PRAGMA max_page_count = 1073741823")
        recovered = (await hit(app, "/", client="192.0.2.200")).status
        return statuses, failed, recovered, await figures(app)

    statuses, failed, recovered, after = with_app(f"sqlite:///{tmp_path}/c.sqlite3", scenario)
    assert 503 in statuses
    assert failed["pageviews"] == 1 + statuses.count(204)  # nothing counted that failed
    assert recovered == 204
    assert after["pageviews"] == failed["pageviews"] + 1


def test_start_total_command(tmp_path):
    import os
    import subprocess
    import sys

    from .support import ROOT

    env = {**os.environ, "COUNTER_STORE": f"sqlite:///{tmp_path}/c.sqlite3"}

    def command(*args):
        return subprocess.run(
            [sys.executable, "-m", "counter", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )

    assert command("set-start-total", "7448251").returncode == 0
    assert command("set-start-total", "7448251").returncode == 0
    refused = command("set-start-total", "8000000")
    assert refused.returncode == 1 and "--replace" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert json.loads(command("show").stdout)["total"] == 7448251
    assert command("set-start-total", "8000000", "--replace").returncode == 0
    assert json.loads(command("show").stdout)["total"] == 8000000


def test_pixel_and_counts_over_http(tmp_path):
    service = sqlite_service(tmp_path / "c.sqlite3", COUNTER_ORIGINS="http://127.0.0.1:8000")
    service.start()
    try:
        request = urllib.request.Request(
            service.url + "/hit.gif?p=%2F", headers={"User-Agent": BROWSER_UA}
        )
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert reply.headers["Content-Type"] == "image/gif" and len(reply.read()) == 43
        request = urllib.request.Request(
            service.url + "/counts", headers={"Origin": "http://127.0.0.1:8000"}
        )
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert reply.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8000"
            assert json.loads(reply.read())["pageviews"] == 1
    finally:
        service.stop()
