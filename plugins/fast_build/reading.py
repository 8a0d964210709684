"""Sources an earlier build read, unchanged since, are not read again.

Reading a source is most of what a rebuild does on a large site: front matter checked
and parsed, Pelican's content object made (slug, dates, addresses), plugins' additions.
After a build, each article and page Pelican read is kept, pickled, in CACHE_PATH,
with what it was made from: its text (the Markdown cache's key), the other files its
reading looked at (a photo's size, that a photo exists) and the settings and code of
the build. A later build takes the kept object only when all of these are the same, so
the object is the one reading would make. A source that failed to read is never kept:
its mistake is reported again at every build.
"""

import io
import logging
import os
import pickle
import sqlite3
import time
from pathlib import Path

from .frozen import frozen_class
from .markdown_cache import Source, cache_for

logger = logging.getLogger(__name__)
KEPT_BUILDS = 3  # settings whose objects are kept
_consulted: set[str] | None = None  # files the read in progress looked at


def consulted(path: str) -> None:
    """Plugins call this for each file, other than the source, that reading looks at."""
    if _consulted is not None:
        _consulted.add(os.path.abspath(path))


def stamp(path: str) -> list | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def persistent_id(self, obj):
        for name, value in self.shared.items():
            if obj is value:
                return name
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared):
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, name):
        return self.shared[name]


class ReadCache:
    """One generator's kept objects, in an SQLite file under CACHE_PATH."""

    def __init__(self, settings, context, name: str, build: str):
        self.settings, self.build, self.name = settings, build, name
        self.shared = {"settings": settings, "context": context}
        self.markdown = cache_for(settings)
        folder = Path(settings["CACHE_PATH"])
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "reads.sqlite3"
        self.kept: dict[str, tuple] = {}
        self.written: dict[str, tuple] = {}
        self.used: set[str] = set()
        self._load()

    def _connect(self):
        connection = sqlite3.connect(self.path, timeout=60)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS reads (generator TEXT, path TEXT, build TEXT,"
            " text_key TEXT, stamps BLOB, source BLOB, object BLOB,"
            " PRIMARY KEY (generator, build, path))"
        )
        connection.execute("CREATE TABLE IF NOT EXISTS builds (build TEXT PRIMARY KEY, used REAL)")
        return connection

    def _load(self) -> None:
        try:
            with self._connect() as connection:
                rows = connection.execute(
                    "SELECT path, text_key, stamps, source, object FROM reads"
                    " WHERE generator = ? AND build = ?",
                    (self.name, self.build),
                ).fetchall()
        except sqlite3.DatabaseError as error:
            logger.warning("fast_build: bộ nhớ đệm %s hỏng (%s); đọc lại mọi tệp", self.path, error)
            self.path.replace(self.path.with_name(self.path.name + ".hong"))
            return
        self.kept = {path: tuple(rest) for path, *rest in rows}

    def text_key(self, path: str) -> str | None:
        """The key of the text the source holds now (Pelican names it from PATH)."""
        return self.markdown.current_key(os.path.join(self.settings["PATH"], path))

    def get(self, path: str, default=None):
        """Pelican's get_cached_data: the kept object, or `default` to read the file."""
        global _consulted
        _consulted = set()
        entry = self.kept.get(path)
        if entry is None:
            return default
        text_key, stamps, source, blob = entry
        if self.text_key(path) != text_key:
            return default
        if any(stamp(other) != list(kept) for other, kept in pickle.loads(stamps)):
            return default
        content = _Unpickler(io.BytesIO(blob), self.shared).load()
        # its address as kept, not worked out again by every plugin that asks for it
        content.__class__ = frozen_class(type(content))
        kept_source = pickle.loads(source)
        if kept_source is not None:  # the body as read, as the Markdown cache knows it
            body_hash = hash(content._content)
            self.markdown.sources[content.source_path] = Source(*kept_source, body_hash)
        self.used.add(path)
        _consulted = None
        return content

    def put(self, path: str, content) -> None:
        """Pelican's cache_data, called right after a successful read."""
        global _consulted
        looked_at, _consulted = sorted(_consulted or ()), None
        if path in self.used:
            return
        text_key = self.text_key(path)
        if text_key is None:
            return
        for name in ("url", "save_as"):
            # worked out from the source and settings alone: kept with the object, a
            # later build need not work them out again (frozen.py takes them from here)
            content.__dict__[name] = getattr(content, name)
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self.shared).dump(content)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logger.debug("fast_build: %s is read at every build (%s)", path, error)
            return
        stamps = pickle.dumps([(other, stamp(other)) for other in looked_at])
        source = self.markdown.sources.get(getattr(content, "source_path", None))
        kept_source = pickle.dumps(None if source is None else (source.key, source.header))
        self.written[path] = (text_key, stamps, kept_source, buffer.getvalue())

    def save(self) -> None:
        """Pelican's save_cache: keep what was read anew, forget sources gone."""
        gone = set(self.kept) - self.used - set(self.written)
        logger.info(
            "fast_build: %s: %d sources as the last build read them, %d read anew",
            self.name,
            len(self.used),
            len(self.written),
        )
        with self._connect() as connection:
            connection.executemany(
                "DELETE FROM reads WHERE generator = ? AND build = ? AND path = ?",
                [(self.name, self.build, path) for path in gone],
            )
            connection.executemany(
                "INSERT OR REPLACE INTO reads VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(self.name, path, self.build, *entry) for path, entry in self.written.items()],
            )
            # Objects are kept for the settings of the last few builds (the site and
            # `make check`, say), not for every settings file ever used.
            connection.execute(
                "INSERT OR REPLACE INTO builds VALUES (?, ?)", (self.build, time.time())
            )
            connection.execute(
                "DELETE FROM builds WHERE build NOT IN"
                " (SELECT build FROM builds ORDER BY used DESC LIMIT ?)",
                (KEPT_BUILDS,),
            )
            connection.execute("DELETE FROM reads WHERE build NOT IN (SELECT build FROM builds)")
        self.kept.update(self.written)
        self.written = {}


def keep_reads(generator, build: str) -> None:
    """Let a Pelican generator take kept objects (its get_cached_data and friends)."""
    cache = ReadCache(generator.settings, generator.context, type(generator).__name__, build)
    generator.get_cached_data = cache.get
    generator.cache_data = cache.put
    generator.save_cache = cache.save
