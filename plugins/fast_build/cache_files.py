"""The SQLite files under CACHE_PATH, opened alike by every process of a build.

They are caches: WAL lets a process read while the others write, and commits are not
flushed to the disk one by one (synchronous=NORMAL; SQLite flushes at each checkpoint,
and after a power cut the file is whole, only the last commits gone: what they held is
read and converted again). With SQLite's default (FULL) each commit waited for the disk:
both read-ahead workers commit every 200 sources, to two files, and a first build at
20000 articles took 1,0-1,2 s longer (three runs alternated with the old code).

The log is copied into the file (a checkpoint, with its flush) by a process of its own
once the sources are read (copy_logs), while the build's one process goes through what
was read and the other core is idle. A read-ahead worker would do it at the commit that
takes the log past CHECKPOINT_PAGES: with SQLite's 1000 pages, at every few commits;
with 10000 (until 28/11/2026), four times in a first build at 20000 articles, whose
conversions make some 130 MB of log. Storing that build's 20704 conversions took 0,54-0,74
s with those checkpoints, 0,28-0,29 s without, and copying the whole log afterwards 0,30-0,34 s
(two runs of each, one process). The limit is now past what a first build of some 30000
articles writes: a safety net, and the log file is cut back to LOG_BYTES once copied.
"""

import contextlib
import os
import sqlite3

CHECKPOINT_PAGES = 60000  # 240 MB of the log (4 KB pages): see above
LOG_BYTES = 32 << 20  # what a copied log file is cut back to
COPY_FROM = 8 << 20  # a log this long is copied by a process of its own (copy_logs)


def open_cache(path) -> sqlite3.Connection:
    """A connection to a cache file (or ":memory:"); a process opens its own."""
    connection = sqlite3.connect(path, timeout=60)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    connection.execute(f"PRAGMA journal_size_limit={LOG_BYTES}")
    return connection


def logs_to_copy(folder) -> list[str]:
    """The cache files under `folder` whose log holds COPY_FROM bytes or more."""
    found = []
    for name in ("markdown.sqlite3", "reads.sqlite3"):
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            if os.path.getsize(path + "-wal") >= COPY_FROM:
                found.append(path)
    return found


def copy_logs(paths: list[str]) -> list[tuple]:
    """Copy each file's log into it without waiting for any process that reads or writes
    it (a passive checkpoint: what a reader or a writer still uses is copied at a later
    one); SQLite's (busy, pages in the log, pages copied) for each."""
    done = []
    for path in paths:
        connection = open_cache(path)
        try:
            done.append(connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
        finally:
            connection.close()
    return done
