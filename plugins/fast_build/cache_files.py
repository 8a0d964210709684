"""The SQLite files under CACHE_PATH, opened alike by every process of a build.

They are caches: WAL lets a process read while the others write, and commits are not
flushed to the disk one by one (synchronous=NORMAL; SQLite flushes at each checkpoint,
and after a power cut the file is whole, only the last commits gone: what they held is
read and converted again). With SQLite's default (FULL) each commit waited for the disk:
both read-ahead workers commit every 200 sources, to two files, and a first build at
20000 articles took 1,0-1,2 s longer (three runs alternated with the old code).

The log is copied into the file (a checkpoint, with its flush) once it holds 40 MB, not
SQLite's 1000 pages: a first build at 20000 articles writes some 50 MB of conversions,
and its checkpoints were 10 of the 27 µs each converted article's commit took in a
read-ahead worker (two runs of each).

A new file has pages of 16 KB, not SQLite's 4 KB: each row is a body or an object of
about 2 KB, and with 4 KB pages storing one took 14-16 µs of CPU, with 16 KB pages 9-10
(20000 rows of each file's shape, 200 to a commit); the files are 72 and 43 MB instead of
79 and 72. Reading a row back takes 0,7-0,9 µs longer. A file made with other pages
keeps them.
"""

import sqlite3

PAGE_SIZE = 16384  # a new file's: see above
CHECKPOINT_BYTES = 40 << 20


def open_cache(path) -> sqlite3.Connection:
    """A connection to a cache file (or ":memory:"); a process opens its own."""
    connection = sqlite3.connect(path, timeout=60)
    connection.execute(f"PRAGMA page_size={PAGE_SIZE}")  # before anything is written
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_BYTES // page_size}")
    return connection
