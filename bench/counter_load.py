"""Load test of the counting service on loopback: hits/s, p50/p99 latency, nothing lost.

Starts `python -m counter serve` on a fresh store (SQLite, then Redis), drives it with
many simulated visitors over keep-alive connections for a bounded time, then checks
that page views = hits acknowledged and visits = the visits the generator made.

    python bench/counter_load.py --seconds 10 --connections 64 --out bench/results
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENT = (
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
PAGES = ["/", "/tin-tuc/", "/tinh-hinh-xu-ly/", "/don-vi/ha-long/", "/hoi-dap/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def request_bytes(visitor: int, page: int) -> bytes:
    body = json.dumps({"p": PAGES[page % len(PAGES)]}).encode()
    address = f"100.{64 + visitor // 65025}.{visitor // 255 % 255}.{visitor % 255 + 1}"
    return (
        f"POST /hit HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {AGENT}\r\n"
        f"Content-Type: text/plain\r\nX-Forwarded-For: {address}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


class Load:
    """Visitors take turns: each makes `pages` page views, one after another."""

    def __init__(self, pages_per_visitor: int, deadline: float):
        self.pages = pages_per_visitor
        self.deadline = deadline
        self.next_visitor = 0
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.visited: set[int] = set()  # visitors with at least one acknowledged hit

    async def connection(self, port: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < self.deadline:
                visitor = self.next_visitor
                self.next_visitor += 1
                for page in range(self.pages):
                    if time.monotonic() >= self.deadline:
                        return
                    started = time.perf_counter()
                    writer.write(request_bytes(visitor, page))
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = 0
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    if length:
                        await reader.readexactly(length)
                    self.latencies.append(time.perf_counter() - started)
                    status = int(head[9:12])
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                    if status == 204:
                        self.visited.add(visitor)
        finally:
            writer.close()


def run_store(name: str, store: str, seconds: float, connections: int, env_extra: dict) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "COUNTER_STORE": store,
        "COUNTER_PORT": str(port),
        "COUNTER_TRUSTED_PROXIES": "127.0.0.1",
        "COUNTER_READ_CACHE": "0",
        **env_extra,
    }
    service = subprocess.Popen([sys.executable, "-m", "counter", "serve"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        load = Load(pages_per_visitor=5, deadline=time.monotonic() + seconds)
        started = time.monotonic()

        async def drive():
            await asyncio.gather(*(load.connection(port) for _ in range(connections)))

        asyncio.run(drive())
        elapsed = time.monotonic() - started
        with urllib.request.urlopen(url + "/counts", timeout=5) as reply:
            figures = json.loads(reply.read())
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(15)
    acknowledged = load.statuses.get(204, 0)
    latencies = sorted(load.latencies)
    return {
        "store": name,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "acknowledged": acknowledged,
        "hits_per_second": round(acknowledged / elapsed),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "other_statuses": {k: v for k, v in load.statuses.items() if k != 204},
        "pageviews_stored": figures["pageviews"],
        "visits_stored": figures["total"],
        "visits_made": len(load.visited),
        "nothing_lost": figures["pageviews"] == acknowledged
        and figures["total"] == len(load.visited),
    }


def start_redis(directory: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            directory,
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


def table(results: list[dict]) -> str:
    lines = [
        "| store | hits/s | p50 ms | p99 ms | acknowledged | page views stored | "
        "visits made | visits stored | nothing lost | other answers |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['store']} | {r['hits_per_second']} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['acknowledged']} | {r['pageviews_stored']} | {r['visits_made']} | "
            f"{r['visits_stored']} | {'yes' if r['nothing_lost'] else 'NO'} | "
            f"{r['other_statuses'] or '—'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--stores", default="sqlite,redis")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        if "sqlite" in args.stores:
            results.append(
                run_store(
                    "SQLite",
                    f"sqlite:///{scratch}/counter.sqlite3",
                    args.seconds,
                    args.connections,
                    {},
                )
            )
        if "redis" in args.stores:
            redis, url = start_redis(scratch)
            try:
                results.append(run_store("Redis", url, args.seconds, args.connections, {}))
            finally:
                redis.terminate()
                redis.wait(10)
    report = table(results)
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "counter.md").write_text(
        f"# Counter load test\n\n{args.seconds:g} s per store, {args.connections} keep-alive "
        f"connections, 5 page views per simulated visitor, on this machine "
        f"({os.cpu_count()} cores).\n\n{report}\n",
        encoding="utf-8",
    )
    (args.out / "counter.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if all(r["nothing_lost"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
