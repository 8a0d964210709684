"""SQLite store: one file in WAL mode, one writer thread, many hits per transaction.

Hits queue up while a transaction commits; the next transaction takes them all (group
commit). A hit is acknowledged only after the transaction holding it has committed, so
a 204 survives the process being killed. Visitor state is mirrored in memory for speed
and changed there only after a commit succeeds; one process owns the file.
"""

import asyncio
import contextlib
import os
import secrets
import sqlite3
import threading
from collections import defaultdict

from ..identity import SALT_BYTES, day_of, previous_day
from . import (
    ONLINE_WINDOW,
    VISIT_WINDOW,
    Figures,
    StartTotalConflict,
    StoreUnavailable,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS daily (
    day TEXT PRIMARY KEY, visits INTEGER NOT NULL DEFAULT 0, pageviews INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS visitors (
    id TEXT PRIMARY KEY, last_seen REAL, active REAL NOT NULL);
CREATE TABLE IF NOT EXISTS salts (day TEXT PRIMARY KEY, salt BLOB NOT NULL);
"""
PRUNE_EVERY = 60.0


class _Batch:
    """What one transaction changes, applied to memory only once it has committed."""

    def __init__(self):
        self.visitors: dict[str, tuple | None] = {}  # id -> (last_seen, active) or None: gone
        self.visits = 0
        self.pageviews = 0
        self.daily = defaultdict(lambda: [0, 0])  # day -> [visits, pageviews]
        self.counters: dict[str, int] = {}  # counters set outright (the starting total)
        self.salts: dict[str, bytes] = {}


class SqliteStore:
    def __init__(self, path: str, synchronous: str = "NORMAL"):
        self.path = path
        self.synchronous = synchronous
        self._cond = threading.Condition()
        self._queue: list = []
        self._stopping = False
        self._lock = threading.Lock()  # guards the committed in-memory state below
        self._visitors: dict[str, tuple] = {}
        self._counters = {"visits": 0, "pageviews": 0, "start_total": 0}
        self._daily: dict[str, list[int]] = {}
        self._salts: dict[str, bytes] = {}
        self._last_prune = 0.0
        self._thread: threading.Thread | None = None

    # -- lifecycle
    async def open(self) -> None:
        self._loop = asyncio.get_running_loop()
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(f"PRAGMA synchronous={self.synchronous}")
        self._conn.execute("PRAGMA busy_timeout=2000")
        self._conn.executescript(SCHEMA)
        self._load()
        # Reads the starting total fresh, since `python -m counter set-start-total` may set it
        # from another process while this one runs.
        self._reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._thread = threading.Thread(target=self._run, name="counter-sqlite", daemon=True)
        self._thread.start()

    async def close(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread:
            await asyncio.to_thread(self._thread.join)
        self._conn.close()
        self._reader.close()

    def _load(self) -> None:
        rows = self._conn.execute("SELECT name, value FROM counters").fetchall()
        self._counters.update(dict(rows))
        for day, visits, pageviews in self._conn.execute("SELECT * FROM daily"):
            self._daily[day] = [visits, pageviews]
        for day, salt in self._conn.execute("SELECT day, salt FROM salts"):
            self._salts[day] = salt
        for vid, last_seen, active in self._conn.execute("SELECT * FROM visitors"):
            self._visitors[vid] = (last_seen, active)

    # -- the writer thread
    def _submit(self, operation) -> asyncio.Future:
        future = self._loop.create_future()
        with self._cond:
            if self._stopping:
                raise StoreUnavailable("the counter is shutting down")
            self._queue.append((operation, future))
            self._cond.notify()
        return future

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                batch_ops, self._queue = self._queue, []
                if not batch_ops and self._stopping:
                    return
            self._commit(batch_ops)

    def _commit(self, operations) -> None:
        batch = _Batch()
        results = []
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            for operation, _ in operations:
                try:
                    results.append((True, operation(batch)))
                except StartTotalConflict as error:
                    results.append((False, error))
            self._write(batch)
            self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):  # no transaction left to roll back
                self._conn.execute("ROLLBACK")
            failure = StoreUnavailable(f"SQLite: {error}")
            for _, future in operations:
                self._loop.call_soon_threadsafe(_settle, future, False, failure)
            return
        self._apply(batch)
        for (_, future), (ok, value) in zip(operations, results, strict=True):
            self._loop.call_soon_threadsafe(_settle, future, ok, value)

    def _write(self, batch: _Batch) -> None:
        conn = self._conn
        gone = [(vid,) for vid, row in batch.visitors.items() if row is None]
        kept = [(vid, *row) for vid, row in batch.visitors.items() if row is not None]
        conn.executemany("DELETE FROM visitors WHERE id = ?", gone)
        conn.executemany(
            "INSERT INTO visitors VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "last_seen = excluded.last_seen, active = excluded.active",
            kept,
        )
        for name, delta in (("visits", batch.visits), ("pageviews", batch.pageviews)):
            if delta:
                conn.execute(
                    "INSERT INTO counters VALUES (?, ?) ON CONFLICT(name) DO UPDATE "
                    "SET value = value + excluded.value",
                    (name, delta),
                )
        for name, value in batch.counters.items():
            conn.execute("INSERT OR REPLACE INTO counters VALUES (?, ?)", (name, value))
        for day, (visits, pageviews) in batch.daily.items():
            conn.execute(
                "INSERT INTO daily VALUES (?, ?, ?) ON CONFLICT(day) DO UPDATE SET "
                "visits = visits + excluded.visits, "
                "pageviews = pageviews + excluded.pageviews",
                (day, visits, pageviews),
            )
        for day, salt in batch.salts.items():
            conn.execute("INSERT OR IGNORE INTO salts VALUES (?, ?)", (day, salt))

    def _apply(self, batch: _Batch) -> None:
        with self._lock:
            for vid, row in batch.visitors.items():
                if row is None:
                    self._visitors.pop(vid, None)
                else:
                    self._visitors[vid] = row
            self._counters["visits"] += batch.visits
            self._counters["pageviews"] += batch.pageviews
            self._counters.update(batch.counters)
            for day, (visits, pageviews) in batch.daily.items():
                totals = self._daily.setdefault(day, [0, 0])
                totals[0] += visits
                totals[1] += pageviews
            self._salts.update(batch.salts)

    # -- operations, run in the writer thread inside a transaction
    def _row(self, batch: _Batch, vid: str):
        if vid in batch.visitors:
            return batch.visitors[vid]
        return self._visitors.get(vid)

    def _record(self, batch, cur, prev, heartbeat, now, day) -> bool:
        row = self._row(batch, cur)
        if row is None and prev:
            row = self._row(batch, prev)
            if row is not None:
                batch.visitors[prev] = None  # the visit carries on under today's id
        last_seen = row[0] if row else None
        new_visit = False
        if heartbeat:  # keeps the reader online and the visit open; never starts a visit
            if last_seen is not None and now - last_seen <= VISIT_WINDOW:
                last_seen = now
        else:
            new_visit = last_seen is None or now - last_seen > VISIT_WINDOW
            last_seen = now
            batch.pageviews += 1
            batch.daily[day][1] += 1
        if new_visit:
            batch.visits += 1
            batch.daily[day][0] += 1
        batch.visitors[cur] = (last_seen, now)
        self._maybe_prune(now)
        return new_visit

    def _maybe_prune(self, now: float) -> None:
        if now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        horizon = now - VISIT_WINDOW
        self._conn.execute(
            "DELETE FROM visitors WHERE coalesce(last_seen, 0) < ? AND active < ?",
            (horizon, horizon),
        )
        # A day's salt serves that day and, as "previous", the next: then it goes.
        oldest_kept = previous_day(day_of(now))
        self._conn.execute("DELETE FROM salts WHERE day < ?", (oldest_kept,))
        with self._lock:
            self._salts = {d: s for d, s in self._salts.items() if d >= oldest_kept}
            self._visitors = {
                k: v for k, v in self._visitors.items() if max(v[0] or 0, v[1]) >= horizon
            }

    def _salt(self, batch, day):
        if day in self._salts or day in batch.salts:
            return self._salts.get(day) or batch.salts[day]
        row = self._conn.execute("SELECT salt FROM salts WHERE day = ?", (day,)).fetchone()
        batch.salts[day] = row[0] if row else secrets.token_bytes(SALT_BYTES)
        return batch.salts[day]

    def _set_start_total(self, batch, value, replace):
        current = self._counters.get("start_total", 0)
        if current and current != value and not replace:
            raise StartTotalConflict(f"đã đặt tổng ban đầu {current}")
        batch.counters["start_total"] = value
        return value

    # -- the store interface
    async def salt(self, day: str) -> bytes:
        with self._lock:
            if day in self._salts:
                return self._salts[day]
        return await self._submit(lambda batch: self._salt(batch, day))

    async def record(
        self, cur: str, prev: str | None, heartbeat: bool, now: float, day: str
    ) -> bool:
        return await self._submit(lambda batch: self._record(batch, cur, prev, heartbeat, now, day))

    async def set_start_total(self, value: int, replace: bool = False) -> int:
        return await self._submit(lambda batch: self._set_start_total(batch, value, replace))

    async def figures(self, now: float, day: str) -> Figures:
        try:
            row = self._reader.execute(
                "SELECT value FROM counters WHERE name = 'start_total'"
            ).fetchone()
        except sqlite3.Error as error:
            raise StoreUnavailable(f"SQLite: {error}") from None
        start_total = row[0] if row else 0
        with self._lock:
            online = sum(
                1 for _, active in self._visitors.values() if active >= now - ONLINE_WINDOW
            )
            counters = dict(self._counters)
            today = self._daily.get(day, [0, 0])[0]
        return Figures(start_total + counters["visits"], today, online, counters["pageviews"])

    async def ping(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            raise StoreUnavailable("the SQLite writer is not running")


def _settle(future: asyncio.Future, ok: bool, value) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
