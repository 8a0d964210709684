"""Sources an earlier build read, unchanged since, are not read again.

Reading a source is most of what a rebuild does on a large site: front matter checked
and parsed, Pelican's content object made (slug, dates, addresses), plugins' additions.
After a build, each article and page Pelican read is kept, pickled, in CACHE_PATH,
with what it was made from: its text (the Markdown cache's key), the other files its
reading looked at (a photo's size, that a photo exists) and the settings and code of
the build. A later build takes the kept object only when all of these are the same, so
the object is the one reading would make. A source that failed to read, or whose
reading logged a warning, is never kept: its mistake is reported again at every build;
nor is a scheduled one, which reading publishes once its time has come.
"""

import contextlib
import fcntl
import functools
import io
import logging
import marshal
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from pelican import signals
from pelican.contents import Article, Content
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from .cache_files import open_cache
from .frozen import ATTACH, frozen_class, links_out, plain_class
from .markdown_cache import Source, cache_for, file_stamp
from .parallel import run_beside, workers_for

logger = logging.getLogger(__name__)
KEPT_BUILDS = 3  # settings whose objects are kept
TAKE_BATCH = 200  # kept objects fetched by one query
PIPE_SIZE = 1 << 20  # the most Linux gives a user's pipe unasked
_consulted: set[str] | None = None  # files the read in progress looked at


def consulted(path: str) -> None:
    """Plugins call this for each file, other than the source, that reading looks at."""
    if _consulted is not None:
        _consulted.add(os.path.abspath(path))


class ReadLater(Exception):  # noqa: N818 - a request, not an error
    """Raised by a plugin while sources are read ahead (`may_read_later()`), when what a
    source needs is being made by the other process at this very moment (a photo's
    versions): the source is read again once `ready()` says so, and this process reads
    others meanwhile. Waiting left a core idle: at 20000 articles the two read-ahead
    workers met the same new photo at once, and one waited 0,26 s of the 0,27 s the
    other took to make its versions."""

    def __init__(self, ready: Callable[[], bool]):
        super().__init__()
        self.ready = ready


_reading_ahead = False  # True while a read-ahead worker goes through its share


def may_read_later() -> bool:
    return _reading_ahead


RECHECK = 16  # sources read between two looks at whether a source put off is ready


class Companion(NamedTuple):
    """A plugin's generator whose sources are read ahead with the articles, before the
    generator is made: their reading was the build process's alone, after the articles
    (at 20000 articles, 614 questions and procedures: 0,22 s with the other core idle)."""

    name: str  # the generator's class name: its kept objects' (keep_reads)
    paths_setting: str  # the setting naming its folders
    read: Callable  # read(readers, base_path, path, context): as the generator reads one


_companions: dict[str, Companion] = {}


def read_with_articles(name: str, paths_setting: str, read: Callable) -> None:
    """Plugins call this (in register) for a caching generator of theirs."""
    _companions[name] = Companion(name, paths_setting, read)


def companion_jobs(generator, build: str) -> list[tuple]:
    """(companion, its read cache, path) for each companion source no earlier build
    kept: what the read-ahead workers read besides the articles."""
    settings, jobs = generator.settings, []
    for companion in _companions.values():
        paths = settings.get(companion.paths_setting)
        if not paths:
            continue
        cache = ReadCache(settings, generator.context, companion.name, build)
        jobs += [(companion, cache, p) for p in generator.get_files(paths) if not cache.holds(p)]
    return jobs


_loading: tuple | None = None  # the build's settings and wrappers, while kept objects load


def _wrapper(described: bytes):
    """A category, tag or author of a kept object, bound to this build's settings: one
    object for every kept object that names it, as equal as Pelican's own (they compare
    by slug). A copy for each article was 1,5 KB of it: 30 MB at 20000 articles.
    `described` is its class, name and own fields (sorted by name), pickled apart when
    it was kept (_Pickler): the bytes are the key, and are read only the first time, where
    their fields as objects were parsed and hashed for each article that names it (with
    the shape's bytes below, taking a kept article back took 12 µs instead of 24)."""
    settings, made = _loading
    wrapper = made.get(described)
    if wrapper is not None:
        return wrapper
    cls, name, fields = pickle.loads(described)
    try:
        wrapper = made.get((cls, name, fields))
    except TypeError:  # a field that is no plain value: each kept object has its own copy
        wrapper = cls(name, settings)
        wrapper.__dict__.update(fields)
        return wrapper
    if wrapper is None:
        wrapper = made[(cls, name, fields)] = cls(name, settings)
        wrapper.__dict__.update(fields)
    made[described] = wrapper
    return wrapper


def _kept_state(wrapper) -> dict:
    return {k: v for k, v in vars(wrapper).items() if k not in _NOT_KEPT}


def _sorted_fields(state: dict) -> tuple:
    return tuple(sorted(state.items()))


_NOT_KEPT = ("settings", "_name", "url", "save_as")


class _Pickler(pickle.Pickler):
    """Pickles a content object's fields; its settings and the build's context are this
    build's when it is taken again. reducer_override is asked only about objects that
    are no plain str, list, dict...: a few per article."""

    def reducer_override(self, obj):
        if isinstance(obj, URLWrapper):  # as made, not as frozen.py keeps its addresses
            return _wrapper, (_described(obj),)
        if isinstance(obj, Content):
            raise pickle.PicklingError("a field points to another content object")
        return NotImplemented


_descriptions: dict[tuple, bytes] = {}  # a wrapper's or a shape's bytes, by what they say
MOST_DESCRIPTIONS = 50_000  # forgotten past this (a dev server's builds add a few each)


def _pickled_once(key: tuple, value) -> bytes:
    """pickle.dumps(value) for a key that tells it: each article names its category,
    tags and authors as objects of its own, and its class and field names are those of
    most articles, yet each was pickled again for every article (6 µs an article)."""
    try:
        found = _descriptions.get(key)
    except TypeError:  # a field that is no plain value
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if found is None:
        if len(_descriptions) >= MOST_DESCRIPTIONS:
            _descriptions.clear()
        found = _descriptions[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return found


def _described(wrapper) -> bytes:
    """A wrapper's class, name and own fields (sorted by name), pickled (see _wrapper).
    The fields' types are part of the key: True and 1 are equal, not pickled alike."""
    cls, name = plain_class(type(wrapper)), wrapper.name
    fields = _sorted_fields(_kept_state(wrapper))
    types = tuple(type(value) for _, value in fields)
    return _pickled_once((b"w", cls, type(name), name, fields, types), (cls, name, fields))


CODE_BLOCK = "<pre><code"  # how Markdown opens a fenced block (unit_tables.blocks)


def dumps(content, settings, context, body_key: str | None = None) -> bytes:
    """The object's fields, without the build's settings and context. With `body_key`
    (the body is the Markdown cache's conversion, unchanged): without the body, which a
    kept object reads back from the cache when a page needs it (frozen.py). Loading it
    was a fifth of taking a kept object back, and every body of 20000 articles was in
    memory until the generators were done. `_code_blocks` tells the plugins that expand
    fenced blocks whether there is one to look for, without reading the body back."""
    state = {k: v for k, v in vars(content).items() if k not in ("settings", "_context")}
    if body_key is not None:
        body = state.pop("_content")
        state.update(_body_key=body_key, _code_blocks=CODE_BLOCK in body)
    if any(value is settings or value is context for value in state.values()):
        raise pickle.PicklingError("a field holds the build's settings or context")
    metadata = state.pop("metadata") if isinstance(state.get("metadata"), dict) else None
    metadata_names = None if metadata is None else tuple(metadata)
    shape = (plain_class(type(content)), tuple(state), metadata_names)
    shape = _pickled_once((b"s", *shape), shape)  # see _shape
    values = (tuple(state.values()), None if metadata is None else tuple(metadata.values()))
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((shape, values))
    return buffer.getvalue()


def loads(blob: bytes, settings, context, shared: dict | None = None):
    """A kept object, bound to this build; `shared` holds what the kept objects of one
    build share (see _wrapper and ReadCache.shared_photo)."""
    global _loading
    _loading = (settings, {} if shared is None else shared)
    try:
        shape, (values, metadata_values) = pickle.loads(blob)
    finally:
        _loading = None
    cls, names, metadata_names, repeated, repeated_metadata = _shape(shape)
    fields = dict(zip(names, values, strict=True))
    _interned(fields, repeated)
    if metadata_names is not None:
        metadata = fields["metadata"] = dict(zip(metadata_names, metadata_values, strict=True))
        _interned(metadata, repeated_metadata)
    content = cls.__new__(cls)
    content.__dict__.update(fields, settings=settings, _context=context)
    return content


_shapes: dict[bytes, tuple] = {}


def _shape(shape: bytes) -> tuple:
    """A kept object's class and field names, stored apart from its values and pickled
    on their own: the bytes are the key, so the names of one shape (some 40 an article,
    and its metadata's) are parsed and interned once a build, not made as new strings
    for each object (2,3 KB an article, measured at 5000), then hashed to be found."""
    known = _shapes.get(shape)
    if known is None:
        cls, names, metadata_names = pickle.loads(shape)
        names = tuple(map(sys.intern, names))
        if metadata_names is not None:
            metadata_names = tuple(map(sys.intern, metadata_names))
        repeated = tuple(name for name in REPEATED if name in names)
        repeated_metadata = tuple(name for name in REPEATED if name in (metadata_names or ()))
        known = _shapes[shape] = (cls, names, metadata_names, repeated, repeated_metadata)
    return known


# Fields whose few values many articles repeat ("article", "published", "vi", a date, the
# news source...), in an object's fields and its metadata: each unpickled object had its
# own copy of each (at 20000 articles, "checkedmarkdown" 20704 times, the metadata's: 1,3
# MB; a news source or a date shown, 2,9 MB), and every such copy a renderer touches is
# copied into it (parallel.py).
REPEATED = ("reader", "template", "lang", "_status", "status", "date_format", "locale_date")
REPEATED += ("source",)  # the portal's own: the agency a news item comes from


def _interned(values: dict, names: tuple) -> None:
    for name in names:
        if isinstance(values[name], str):
            values[name] = sys.intern(values[name])


class _Warnings(logging.Handler):
    """Counts warnings and errors logged, so a source whose reading logged any is not kept."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = self.mark = 0

    def emit(self, record):
        self.count += 1

    def start(self) -> None:
        self.mark = self.count

    def since_start(self) -> int:
        return self.count - self.mark


_warnings = _Warnings()  # on the root logger from the first build on (keep_reads): not
# at import, or logging.basicConfig, which Pelican's command line calls, would add none


class ReadCache:
    """One generator's kept objects, in an SQLite file under CACHE_PATH."""

    def __init__(self, settings, context, name: str, build: str):
        self.settings, self.build, self.name = settings, build, name
        self.context = context
        self.markdown = cache_for(settings)
        folder = Path(settings["CACHE_PATH"])
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "reads.sqlite3"
        self.kept: dict[str, tuple | None] = {}  # path: text key, stamps, source; None once taken
        self.written: dict[str, tuple] = {}  # read anew, not yet in the file
        self.renewed: set[str] = set()  # read anew in this build
        self.used: set[str] = set()
        self._connections: dict[int, sqlite3.Connection] = {}  # by process: never shared
        self.fresh: dict[str, Content] = {}  # read ahead by workers, loaded as they read
        self.shared: dict = {}  # wrappers and photos the kept objects share
        self._held: dict[str, tuple] = {}  # entries found to hold in this build
        self._looked_at: dict[bytes, bool] = {}  # kept stamps of other files: still theirs?
        self._seen = 0  # the last row of this file taken while reading ahead
        self._order: list[str] = []  # the sources in the order they will be asked for
        self._position: dict[str, int] = {}
        self._ahead: dict[str, bytes] = {}  # bytes fetched before they are asked for
        self._stream: _Stream | None = None  # bytes a forked process fetches (fetch_beside)
        self._load()

    def _connect(self):
        connection = open_cache(self.path)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS reads (generator TEXT, path TEXT, build TEXT,"
            " text_key TEXT, stamps BLOB, source BLOB, object BLOB,"
            " PRIMARY KEY (generator, build, path))"
        )
        connection.execute("CREATE TABLE IF NOT EXISTS builds (build TEXT PRIMARY KEY, used REAL)")
        return connection

    def connection(self) -> sqlite3.Connection:
        """This process's connection; a forked worker opens its own and leaves the
        parent's untouched."""
        pid = os.getpid()
        if pid not in self._connections:
            self._connections[pid] = self._connect()
        return self._connections[pid]

    def _load(self) -> None:
        """What each kept object was made from; the objects' bytes stay in the file until
        taken (20000 articles' bytes in memory were some 100 MB)."""
        try:
            with self.connection() as connection:
                rows = connection.execute(
                    "SELECT path, text_key, stamps, source FROM reads"
                    " WHERE generator = ? AND build = ?",
                    (self.name, self.build),
                ).fetchall()
        except sqlite3.DatabaseError as error:
            logger.warning("fast_build: bộ nhớ đệm %s hỏng (%s); đọc lại mọi tệp", self.path, error)
            for connection in self._connections.values():
                connection.close()
            self._connections = {}
            self.path.replace(self.path.with_name(self.path.name + ".hong"))
            return
        self.kept = {path: tuple(rest) for path, *rest in rows}
        self._looked_at = {}  # objects kept anew (read ahead) are checked anew

    def expect(self, paths) -> None:
        """The order Pelican's loop will ask for these sources in: its get_files gives a
        set, which two calls in one process go through alike."""
        self._order = list(paths)
        self._position = {path: number for number, path in enumerate(paths)}

    def _object(self, path: str) -> bytes | None:
        """A kept object's bytes. Asked in the expected order, they come TAKE_BATCH to a
        query, for the next sources that hold: one query a source was a third of taking
        20000 kept objects back (a statement, its locks and its page reads each)."""
        blob = self._ahead.pop(path, None)
        if blob is not None:
            return blob
        while self._stream is not None and path in self._stream.wanted:
            rows = self._stream.next_rows()
            if rows is None:  # all sent, or the process stopped: fetched here from now on
                self._stream = None
                break
            self._ahead.update(rows)
            blob = self._ahead.pop(path, None)
            if blob is not None:
                return blob
        position = self._position.get(path)
        wanted = [path]
        if position is not None:
            following = self._order[position + 1 : position + TAKE_BATCH]
            wanted += [p for p in following if p in self._held and p not in self.fresh]
        try:
            rows = _objects(self.connection(), self.name, self.build, wanted)
        except sqlite3.DatabaseError:
            return None  # read again: the build's own loop reports a damaged file
        self._ahead.update(rows)
        return self._ahead.pop(path, None)

    def fetch_beside(self) -> None:
        """Have a forked process fetch the bytes of every kept object that holds, in the
        order Pelican's loop asks for them, and send them through a pipe while this
        process takes the objects back: fetched here, they were 0,23 s of an addition at
        20000 articles, with the other core idle."""
        wanted = [p for p in self._order if p in self._held and p not in self.fresh]
        if workers_for(self.settings, len(wanted)) < 2:
            return
        reader, writer = os.pipe()
        with contextlib.suppress(OSError):  # a message at a time, not a 64 KB piece
            fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        pid = os.fork()
        if pid == 0:  # never comes back
            os.close(reader)
            _send_objects(self.path, (self.name, self.build), wanted, writer)
        os.close(writer)
        self._stream = _Stream(reader, pid, set(wanted))

    def mark_written(self) -> None:
        """Rows kept from here on are this build's (take_from_workers)."""
        row = self.connection().execute("SELECT max(rowid) FROM reads").fetchone()
        self._seen = row[0] or 0

    def take_from_workers(self) -> None:
        """Load, in this process, what forked workers kept since the last call, while
        they still read (read_share): loading their objects afterwards, one process
        alone, was 0,9 s of a first build at 20000 articles. Taken as loading them in
        Pelican's loop would give them (get)."""
        rows = (
            self.connection()
            .execute(
                "SELECT rowid, path, object FROM reads"
                " WHERE generator = ? AND build = ? AND rowid > ? ORDER BY rowid",
                (self.name, self.build, self._seen),
            )
            .fetchall()
        )
        for rowid, path, blob in rows:
            self._seen = rowid
            if path in self.renewed or path in self.fresh:
                continue  # read by this process: its own object is at hand
            self.fresh[path] = self._loaded(blob)

    def text_key(self, path: str) -> str | None:
        """The key of the text the source holds now (Pelican names it from PATH)."""
        return self.markdown.current_key(os.path.join(self.settings["PATH"], path))

    def holds(self, path: str) -> bool:
        """Whether the kept object for `path` is the one reading it now would make.
        Asked twice a build (which articles to read ahead, then Pelican's loop): the
        second time an entry that held is taken at its word (0,2 s at 20000 articles)."""
        entry = self.kept.get(path)
        if entry is None:
            return False
        if self._held.get(path) is entry:
            return True
        if self.text_key(path) != entry[0]:
            return False
        if self._still(entry[1]):
            self._held[path] = entry
            return True
        return False

    def _still(self, stamps: bytes) -> bool:
        """Whether the other files a reading looked at are as it found them: asked once a
        build for each set of them (articles showing the same photo share theirs: at
        20000 articles of the benchmark, 20000 `stat`s of a few photos took 0,08 s)."""
        found = self._looked_at.get(stamps)
        if found is None:
            looked_at = pickle.loads(stamps)
            found = self._looked_at[stamps] = all(file_stamp(f) == s for f, s in looked_at)
        return found

    def get(self, path: str, default=None):
        """Pelican's get_cached_data: the kept object, or `default` to read the file."""
        global _consulted
        _consulted = set()
        _warnings.start()
        if path in self.used or not self.holds(path):  # each object taken once a build
            return default
        source = self.kept[path][2]
        content = self.fresh.pop(path, None)  # what loading its bytes would make again
        if content is None:
            blob = self._object(path)
            if blob is None:
                return default
            content = self._loaded(blob)
        # its address as kept, not worked out again by every plugin that asks for it
        content.__class__ = frozen_class(type(content))
        kept_source = pickle.loads(source)
        if kept_source is not None:  # the body as read, as the Markdown cache knows it
            body = content.__dict__.get("_content")  # none: kept in the cache (dumps)
            body_hash = None if body is None else hash(body)
            self.markdown.sources[content.source_path] = Source(*kept_source, body_hash)
        self.used.add(path)
        # taken once a build: what it was made from is not asked about again (save needs
        # only the path), and need not stay in memory to the end (7 MB at 20000 articles)
        self._held.pop(path, None)
        self.kept[path] = None
        _consulted = None
        return content

    def _loaded(self, blob: bytes):
        """A kept object bound to this build, sharing what the build's kept objects share."""
        content = loads(blob, self.settings, self.context, self.shared)
        self.shared_photo(content)
        return content

    def shared_photo(self, content) -> None:
        """One description for every kept object showing a photo, as reading gives (the
        photos plugin makes each once): a copy for each article was 1,7 KB of it."""
        photo = content.__dict__.get("photo")
        if isinstance(photo, dict) and isinstance(photo.get("key"), str):
            known = self.shared.setdefault(("photo", photo["key"]), photo)
            if known is not photo and known == photo:
                content.__dict__["photo"] = known

    def put(self, path: str, content) -> None:
        """Pelican's cache_data, called right after a successful read."""
        global _consulted
        looked_at, _consulted = sorted(_consulted or ()), None
        if path in self.used or _warnings.since_start():
            return  # a source whose reading warned is read, and warns, at every build
        date = getattr(content, "date", None)
        if date is not None and date.timestamp() > time.time():
            return  # scheduled: its status changes when the time comes, its text need not
        text_key = self.text_key(path)
        if text_key is None:
            return
        for name in ("url", "save_as"):
            # worked out from the source and settings alone: kept with the object, a
            # later build need not work them out again (frozen.py takes them from here)
            content.__dict__[name] = getattr(content, name)
        body = content.__dict__.get("_content")
        # whether the body as read holds a link's mark: without one, no link to look for
        content.__dict__["_links"] = links_out(body)
        source = self.markdown.sources.get(getattr(content, "source_path", None))
        as_converted = (
            source is not None
            and isinstance(body, str)
            and hash(body) == source.body_hash
            and not any(mark in body for mark in ATTACH)  # freeze() moves those photos
        )
        body_key = source.key if as_converted else None
        try:
            blob = dumps(content, self.settings, self.context, body_key)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logger.debug("fast_build: %s is read at every build (%s)", path, error)
            return
        stamps = pickle.dumps([(other, file_stamp(other)) for other in looked_at])
        kept_source = pickle.dumps(None if source is None else (source.key, source.header))
        self.written[path] = (text_key, stamps, kept_source, blob)
        self.renewed.add(path)
        if len(self.written) >= 200:  # into the file in batches, not held to the end
            self.write()

    def write(self) -> None:
        """Keep what was read anew (a worker of read_ahead does only this)."""
        with self.connection() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO reads VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(self.name, path, self.build, *entry) for path, entry in self.written.items()],
            )
        self.written = {}

    def save(self) -> None:
        """Pelican's save_cache: keep what was read anew, forget sources gone."""
        self._ahead = {}
        if self._stream is not None:  # objects Pelican's loop did not ask for
            self._stream.close()
            self._stream = None
        gone = set(self.kept) - self.used - self.renewed
        logger.info(
            "fast_build: %s: %d sources as the last build read them, %d read anew",
            self.name,
            len(self.used),
            len(self.renewed),
        )
        self.write()
        with self.connection() as connection:
            connection.executemany(
                "DELETE FROM reads WHERE generator = ? AND build = ? AND path = ?",
                [(self.name, self.build, path) for path in gone],
            )
            # Objects are kept for the settings of the last few builds (the site and
            # `make check`, say), not for every settings file ever used.
            connection.execute(
                "INSERT OR REPLACE INTO builds VALUES (?, ?)", (self.build, time.time())
            )
            dropped = connection.execute(
                "DELETE FROM builds WHERE build NOT IN"
                " (SELECT build FROM builds ORDER BY used DESC LIMIT ?)",
                (KEPT_BUILDS,),
            ).rowcount
            if dropped:  # a scan of every kept row: 40 ms at 20000 articles, a generator
                connection.execute(
                    "DELETE FROM reads WHERE build NOT IN (SELECT build FROM builds)"
                )


def _objects(connection, name: str, build: str, paths: list[str]) -> list:
    """[path, bytes] of the kept objects of `paths`."""
    marks = ",".join("?" * len(paths))
    return connection.execute(
        f"SELECT path, object FROM reads WHERE generator = ? AND build = ? AND path IN ({marks})",
        (name, build, *paths),
    ).fetchall()


def _send_objects(cache: Path, kept: tuple, paths: list[str], output: int) -> None:
    """In a forked process: the kept objects of `paths`, TAKE_BATCH to a message (its
    length, then its rows marshalled), then leave. A failure ends the messages early:
    the build fetches the rest itself."""
    code = 0
    try:
        connection = open_cache(cache)
        with open(output, "wb") as pipe:
            for start in range(0, len(paths), TAKE_BATCH):
                rows = _objects(connection, *kept, paths[start : start + TAKE_BATCH])
                message = marshal.dumps(rows)
                pipe.write(len(message).to_bytes(8, "little"))
                pipe.write(message)
    except BaseException:  # noqa: BLE001 - the build fetches what did not come
        code = 1
    finally:
        os._exit(code)


class _Stream:
    """The messages of _send_objects, as this process asks for them."""

    def __init__(self, reader: int, pid: int, wanted: set[str]):
        self.pipe = open(reader, "rb")  # noqa: SIM115 - read message by message, then closed
        self.pid, self.wanted = pid, wanted

    def next_rows(self) -> list | None:
        """The next message's rows; None at the end (and the process waited for)."""
        head = self.pipe.read(8)
        message = self.pipe.read(int.from_bytes(head, "little")) if len(head) == 8 else b""
        try:
            return marshal.loads(message) if message else self.close()
        except (EOFError, ValueError, TypeError):  # cut short: the process stopped
            return self.close()

    def close(self) -> None:
        """Stop reading; the process, if still sending, stops at its next write."""
        if not self.pipe.closed:
            self.pipe.close()
            os.waitpid(self.pid, 0)


def keep_reads(generator, build: str) -> ReadCache:
    """Let a Pelican generator take kept objects (its get_cached_data and friends)."""
    root = logging.getLogger()
    if _warnings not in root.handlers:
        if not root.handlers:  # `--log-handler plain`: messages go to logging.lastResort,
            root.addHandler(logging.lastResort)  # which a handler of ours would silence
        root.addHandler(_warnings)
    cache = ReadCache(generator.settings, generator.context, type(generator).__name__, build)
    generator.get_cached_data = cache.get
    generator.cache_data = cache.put
    generator.save_cache = cache.save
    return cache


def no_stamps_without_cache(readers) -> None:
    """Pelican's readers look a file's time up twice a reading, to find the file in
    their own cache and to store it there, even with that cache off (the read cache
    replaces it): 11 µs an article, 0,1 s a process of a first build at 20000 articles.
    With nothing loaded and nothing to store, neither lookup can change what is read."""
    if not readers._cache_data_policy and not readers._cache:
        readers.get_cached_data = _nothing_cached
        readers.cache_data = _store_nothing


def _nothing_cached(filename, default=None):
    return default


def _store_nothing(filename, data) -> None:
    pass


def read_share(generator, cache: ReadCache, paths: Iterable[str]) -> None:
    """Read sources as Pelican's article loop would and keep the objects; a source that
    fails is left for that loop, which reports it (nothing is logged here)."""
    handlers = [h for h in logging.getLogger().handlers if h is not _warnings]
    for handler in handlers:  # nothing printed twice; _warnings still counts
        handler.addFilter(_silence)
    global _reading_ahead
    later: list[tuple[ReadLater, str]] = []  # sources put off (ReadLater), in order
    others: dict[int, ReadCache] = {}  # companions' caches (companion_jobs)
    try:
        with cache.markdown.in_batches():
            _reading_ahead = True
            for number, path in enumerate(paths):
                if type(path) is tuple:
                    others[id(path[1])] = path[1]
                read_one(generator, cache, path, later)
                if later and number % RECHECK == 0:
                    later = _read_ready(generator, cache, later)
            _reading_ahead = False  # what is still put off is waited for
            for _, path in later:
                read_one(generator, cache, path)
    finally:
        _reading_ahead = False
        for handler in handlers:
            handler.removeFilter(_silence)
    cache.write()
    for other in others.values():
        other.write()
    cache.markdown.save_noted()


def _read_ready(generator, cache: ReadCache, later: list) -> list:
    """The sources put off whose need is met now are read; the others stay put off."""
    waiting, answers = [], {}  # one question for the sources that wait on one thing
    for request, path in later:
        ready = answers.get(request.ready)
        if ready is None:
            ready = answers[request.ready] = request.ready()
        if ready:
            read_one(generator, cache, path, waiting)
        else:
            waiting.append((request, path))
    return waiting


def read_one(generator, cache: ReadCache, job, later: list | None = None) -> None:
    """`job`: an article's path, or a companion's (companion_jobs), read as its own
    generator's loop reads it. `later`: where a source a plugin asks to read again later
    goes (ReadLater)."""
    article = type(job) is not tuple
    if article:
        path, read = job, _article_reading(generator, job)
    else:
        companion, cache, path = job
        read = functools.partial(
            companion.read, generator.readers, generator.path, path, generator.context
        )
    cache.get(path)
    try:
        content = read()
    except ReadLater as request:  # only while reading ahead: nothing was kept of it
        if later is not None:
            later.append((request, job))
        return
    except Exception:  # noqa: BLE001 - its generator's own loop reads it again, and reports it
        return
    if not isinstance(content, Content):
        return
    if article:
        # its addresses worked out once: is_valid asks for one, the cache keeps both,
        # and the object is frozen anyway once taken (ReadCache.get)
        content.__class__ = frozen_class(type(content))
        if not content.is_valid():
            return
    cache.put(path, content)


def _article_reading(generator, path: str):
    return functools.partial(
        generator.readers.read_file,
        base_path=generator.path,
        path=path,
        content_class=Article,
        context=generator.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=generator,
        context_signal=signals.article_generator_context,
        context_sender=generator,
    )


def _silence(record) -> bool:
    return False


def no_walk_for_no_extensions(generator) -> None:
    """After reading, Pelican walks the content folders again for files of the readers
    that are off: with none off, no file can match, and the walk of 20000 articles
    found nothing in 50 ms. (For generators that decide as Pelican's do.)"""
    decides = type(generator)._include_path, type(generator).get_files
    if decides != (Generator._include_path, Generator.get_files):
        return
    walk = generator.get_files

    def get_files(paths, exclude=None, extensions=None):
        if extensions is not None and extensions is not False and not extensions:
            return set()  # what Pelican's walk gives: no extension to match
        return walk(paths, exclude, extensions)

    generator.get_files = get_files


def article_sources(generator) -> set[str]:
    """The article files Pelican's loop will read, as it names them (a set). Its loop asks
    for them next, with the same arguments: it is given this very set, not a walk of
    the content folder again (80 ms at 20000 articles), and goes through it in the same
    order (ReadCache.expect)."""
    settings = generator.settings
    asked = (settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"], None)
    walk = generator.get_files
    waiting = [walk(*asked)]

    def get_files(paths, exclude=None, extensions=None):  # Pelican's names: it gives them
        if waiting and (paths, exclude, extensions) == asked:
            return waiting.pop()  # once: later calls walk the folders again
        return walk(paths, exclude, extensions)

    generator.get_files = get_files
    return waiting[0]


def articles_to_read(generator, cache: ReadCache, paths) -> list[str]:
    """The articles no earlier build kept, when there are enough to read on every core
    (fewer are read by Pelican's loop, in this process)."""
    missing = sorted(path for path in paths if not cache.holds(path))
    return missing if workers_for(generator.settings, len(missing)) > 1 else []


def read_ahead(
    generator, cache: ReadCache, paths: list[str], companions=(), when_read=None
) -> None:
    """Read `paths` on every core, converting their Markdown as they are read, before
    Pelican's loop takes them one by one from the cache; and the `companions` jobs
    (companion_jobs), first, which their generators take from their caches.
    `when_read()` is called as soon as the workers are done, with what this process
    took in from them meanwhile (cache.fresh), before it notes what they kept."""
    workers = workers_for(generator.settings, len(paths))
    cache.mark_written()
    jobs = [*companions, *paths]
    run_beside(
        jobs, lambda share: read_share(generator, cache, share), workers, cache.take_from_workers
    )
    if when_read is not None:
        when_read()
    cache.markdown.take_noted()  # the texts' keys every worker noted
    cache._load()  # what every worker kept
    for path in paths:  # kept by this very build: what they were made from is as now
        entry = cache.kept.get(path)
        if entry is not None:
            cache._held[path] = entry
