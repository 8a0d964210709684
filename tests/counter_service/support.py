"""Helpers for the counter tests: an in-process ASGI caller, a clock, a real redis-server."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


class Clock:
    """A clock the tests move by hand; starts at 08/11/2018 10:00 in Hạ Long."""

    def __init__(self, start: float = 1541646000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def call(
    app,
    method="POST",
    path="/hit",
    body=b"",
    headers=None,
    query=b"",
    client="203.0.113.7",
    user_agent=BROWSER_UA,
) -> Response:
    all_headers = {"user-agent": user_agent, **(headers or {})}
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(k.lower().encode(), v.encode()) for k, v in all_headers.items()],
        "client": (client, 50000),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    return Response(
        start["status"],
        {k.decode(): v.decode() for k, v in start["headers"]},
        b"".join(m.get("body", b"") for m in sent[1:]),
    )


def hit(app, path="/", **kwargs):
    import json

    payload = {"p": path, **kwargs.pop("fields", {})}
    return call(app, body=json.dumps(payload).encode(), **kwargs)


def run(coroutine):
    return asyncio.run(coroutine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(interval)
    raise TimeoutError("condition not met in time")


class RedisServer:
    """A real redis-server on 127.0.0.1 and a free port, in a temporary folder."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is missing: make test installs it (apt)")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--protected-mode",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 0.2).close() or True)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def flush(self):
        import redis

        redis.Redis(port=self.port).flushall()


class Service:
    """`python -m counter serve` in its own process, as operators run it."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "COUNTER_PORT": str(self.port),
            "COUNTER_HOST": "127.0.0.1",
        }
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "counter", "serve"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: urllib.request.urlopen(self.url + "/health", timeout=1).status == 200)
        return self

    def kill(self, sig=signal.SIGKILL):
        self.process.send_signal(sig)
        return self.process.wait(15)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill(signal.SIGTERM)


def with_app(store_url: str, scenario, clock=None, **values):
    """Run `scenario(app, clock)` against a fresh in-process app on the given store."""
    from counter.app import CounterApp
    from counter.config import Config

    async def main():
        config = Config(store=store_url, **{"read_cache_seconds": 0, **values})
        app = CounterApp(config, clock=clock or Clock())
        await app.store.open()
        try:
            return await scenario(app, app.clock)
        finally:
            await app.store.close()

    return asyncio.run(main())


async def figures(app) -> dict:
    import json

    reply = await call(app, "GET", "/counts")
    assert reply.status == 200, reply
    return json.loads(reply.body)
