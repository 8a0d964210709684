"""The SQLite files under CACHE_PATH, opened alike by every process of a build.

They are caches: WAL lets a process read while the others write, and commits are not
flushed to the disk one by one (synchronous=NORMAL; SQLite flushes at each checkpoint,
and after a power cut the file is whole, only the last commits gone: what they held is
read and converted again). With SQLite's default (FULL) each commit waited for the disk:
both read-ahead workers commit every 200 sources, to two files, and a first build at
20000 articles took 1,0-1,2 s longer (three runs alternated with the old code).

The log is copied into the file (a checkpoint, with its flush) once it holds 10000 pages,
not SQLite's 1000: a first build at 20000 articles writes some 50 MB of conversions, and
its checkpoints were 10 of the 27 µs each converted article's commit took in a
read-ahead worker (two runs of each).
"""

import sqlite3

CHECKPOINT_PAGES = 10000  # 40 MB of the log: see above


def open_cache(path) -> sqlite3.Connection:
    """A connection to a cache file (or ":memory:"); a process opens its own."""
    connection = sqlite3.connect(path, timeout=60)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    return connection
