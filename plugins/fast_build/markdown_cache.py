"""Markdown converted once per distinct text, kept on disk, converted on every core.

Converting Markdown is half of reading. A file whose text did not change since any
earlier build is not converted again: its HTML, front matter and formatted fields
(Summary) are kept in a SQLite file under CACHE_PATH, keyed by a hash of the text and
of the Markdown settings. On a build the texts not yet in it are converted first, by
all cores at once (plugin.prefetch); Pelican's readers then only look them up.
"""

import contextlib
import hashlib
import json
import logging
import os
import pickle
import sqlite3
from pathlib import Path
from typing import NamedTuple

import markdown
from markdown import Markdown
from vn_text import nfc, source_text

from .cache_files import open_cache
from .markdown_guards import guard
from .parallel import run_shared, workers_for
from .plain_paragraphs import PlainMarkdown, install

SCHEMA = 2  # 2: front matter and Summary pickled, not JSON (28/11/2026)
logger = logging.getLogger(__name__)
_converters: dict[str, tuple[Markdown, Markdown]] = {}
_caches: dict[tuple, "MarkdownCache"] = {}


_fingerprints: dict[int, tuple] = {}


def fingerprint(settings) -> str:
    """What else decides the HTML: the Markdown version and settings (worked out once
    per settings; the entry keeps them alive, so their id is never another's)."""
    known = _fingerprints.get(id(settings))
    if known is not None and known[0] is settings:
        return known[1]
    described = json.dumps(
        [SCHEMA, markdown.__version__, settings["MARKDOWN"], sorted(settings["FORMATTED_FIELDS"])],
        sort_keys=True,
        default=repr,
    )
    digest = hashlib.blake2b(described.encode(), digest_size=16).hexdigest()
    _fingerprints[id(settings)] = (settings, digest)
    return digest


def text_key(text: str, settings_fingerprint: str) -> str:
    key = settings_fingerprint.encode()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20, key=key).hexdigest()


class Source(NamedTuple):
    """A source as its last reading left it, in a few bytes."""

    key: str  # its text's conversion in the cache
    header: str  # a digest of its front matter: a body-only edit leaves it unchanged
    body_hash: int | None  # hash() of the body, to tell it from one a plugin changed since


def header_key(text: str) -> str:
    """A digest of a text's front matter as written: every line before the first empty one,
    past which Python-Markdown's meta extension reads no field. The same lines give the
    same fields; any change to them (even spaces the fields would not keep) changes it, so
    at worst a body-only edit is built in full. A digest of the fields the extension
    found, as JSON, took 17–19 µs an article in a first build (0,37 CPU-seconds of the
    readers at 20000 articles)."""
    head = text.partition("\n\n")[0]
    return hashlib.blake2b(head.encode(), digest_size=16).hexdigest()


def file_stamp(path: str) -> str | None:
    """Size, times and inode: the kernel sets the change time at every write, so a file
    written again never keeps them all. None when there is no file."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return stamp_of(found)


def stamp_of(found: os.stat_result) -> str:
    """file_stamp's, from what stat (or fstat on the open file) found."""
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}:{found.st_ino}"


def read_source(path) -> str:
    """The text as Pelican's readers see it, normalised to NFC."""
    return nfc(source_text(path))


def convert(text: str, settings) -> dict:
    """Body HTML, front matter as Markdown's meta extension reads it, formatted fields."""
    key = fingerprint(settings)
    if key not in _converters:
        document = PlainMarkdown(**settings["MARKDOWN"])
        fields = PlainMarkdown(**settings["MARKDOWN"])
        fields.preprocessors.deregister("meta")  # fields are Markdown, never front matter
        for converter in (document, fields):
            guard(converter)
            install(converter)  # last: after every preprocessor of Python-Markdown's
        _converters[key] = (document, fields)
    document, fields = _converters[key]
    document.reset()
    body = document.convert(text)
    meta = getattr(document, "Meta", {}) or {}
    formatted = {}
    for name, values in meta.items():
        if name.lower() in settings["FORMATTED_FIELDS"]:
            source = "\n".join(values)
            fields.reset()
            formatted[source] = fields.convert(source)
    return {"body": body, "meta": meta, "formatted": formatted}


def _fields_blob(converted: dict) -> bytes:
    """The front matter and Summary of a conversion, pickled: as JSON they took 6 µs an
    article to encode, 0,8 µs pickled, and 2,3 µs to decode against 1,9."""
    fields = {k: v for k, v in converted.items() if k != "body"}
    return pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)


def cache_for(settings) -> "MarkdownCache":
    """The build's cache: on disk under CACHE_PATH, or for this process only when
    FAST_BUILD["markdown_cache"] is off."""
    on_disk = settings.get("FAST_BUILD", {}).get("markdown_cache", True)
    folder = settings["CACHE_PATH"] if on_disk else None
    key = (folder, fingerprint(settings))
    if key not in _caches:
        _caches[key] = MarkdownCache(settings, folder)
    return _caches[key]


class MarkdownCache:
    """The SQLite file of converted texts; opened anew in each process that uses it."""

    def __init__(self, settings, folder):
        self.settings = settings
        self.fingerprint = fingerprint(settings)
        self.path = Path(folder) / "markdown.sqlite3" if folder else None
        self._connection = None
        self._pid = None
        self.sources: dict[str, Source] = {}  # what each source held when last read
        self.current: dict[str, str] = {}  # each source's text key, as this build found it
        self.later: dict[str, str] = {}  # stamps of sources whose key their reading notes
        self.noted: list[tuple] = []  # files rows of keys noted while reading
        self.empty = False  # whether no conversion was kept when this build began
        self.converted: set[str] = set()  # keys this build converted before reading
        self.batch: list[tuple[str, dict]] | None = None  # conversions not yet stored
        self._body_order: list[list[str | None]] = []  # bodies as pages will ask, by lane
        self._body_at: dict[str, tuple[int, int]] = {}
        self._body_run = 1
        self._bodies: dict[str, str] = {}  # fetched before they are asked for

    def current_key(self, path: str) -> str | None:
        return self.current.get(os.path.abspath(path))

    def connection(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # never share across fork
            try:
                self._connection = self._open()
            except sqlite3.DatabaseError as error:  # a damaged file: it is only a cache
                logger.warning("Bộ nhớ đệm %s hỏng (%s): tạo lại.", self.path, error)
                self.path.replace(self.path.with_name(self.path.name + ".hong"))
                self._connection = self._open()
            self._pid = os.getpid()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = open_cache(":memory:" if self.path is None else self.path)
        connection.execute("DROP TABLE IF EXISTS converted")  # bodies inside the JSON (< 12/2026)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS conversions"
            " (key TEXT PRIMARY KEY, fields BLOB NOT NULL, body TEXT NOT NULL)"
        )
        connection.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT, fingerprint TEXT, stamp TEXT,"
            " key TEXT, PRIMARY KEY (path, fingerprint))"
        )
        return connection

    def keys_of(self, paths, later=frozenset(), stamps=None) -> dict[str, str]:
        """Each source's text key, by absolute path. A file whose stamp is the one an
        earlier build saw is not read again. Files in `later` (absolute paths) that must
        be read are left to the reading that comes next, which notes their keys (read):
        a first build read each article twice, once here and once to convert it.
        `stamps`: the files' stamps by absolute path, if this build took them already
        (then `paths` are among its keys, absolute already)."""
        known = self._known_keys()
        # a first build would look up each text before converting it, to find nothing
        # (17 µs a text, 0,34 s of CPU at 20000 articles)
        self.empty = (
            self.connection().execute("SELECT 1 FROM conversions LIMIT 1").fetchone() is None
        )
        keys, unknown = {}, []
        self.later, self.noted = {}, []  # a dev server's cache lives from build to build
        self.converted = set()
        for path in paths if stamps is not None else map(os.path.abspath, paths):
            stamp = file_stamp(path) if stamps is None else stamps.get(path)
            if stamp is None:
                continue  # the reader reports it, with the file's name
            row = known.get(path)
            if row is not None and row[0] == stamp:
                keys[path] = row[1]
            elif path in later:
                self.later[path] = stamp
            else:
                unknown.append((path, stamp))
        logger.info(
            "fast_build: %d sources read for their text keys, %d left to their reading",
            len(unknown),
            len(self.later),
        )
        return {**keys, **self._read_keys(unknown)}

    def _read_keys(self, unknown: list[tuple[str, str]]) -> dict[str, str]:
        # a first build reads every file here: on every core (1,3 s of 20000 on one)
        if not unknown:
            return {}
        workers = workers_for(self.settings, len(unknown))
        keys, changed = {}, []
        for part in run_shared(unknown, self._keys_of_files, workers):
            for path, stamp, key in part:
                keys[path] = key
                changed.append((path, self.fingerprint, stamp, key))
        self._save_keys(changed)
        return keys

    def _save_keys(self, rows: list[tuple]) -> None:
        if rows:
            with self.connection() as connection:
                connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)

    def keys_now(self) -> None:
        """The keys of the files left for a reading that will not come (too few to read
        ahead), read now as keys_of would have."""
        self.current.update(self._read_keys(list(self.later.items())))
        self.later = {}

    def save_noted(self) -> None:
        """Keep the keys this process noted while reading (a worker of read_ahead)."""
        self._save_keys(self.noted)
        self.noted = []

    def take_noted(self) -> None:
        """The keys every process noted while reading ahead, into this build's."""
        for path, (stamp, key) in self._known_keys().items():
            if self.later.get(path) == stamp:
                self.current[path] = key
                del self.later[path]

    def _known_keys(self) -> dict[str, tuple[str, str]]:
        """path: (stamp, key) of every file a build keyed with these Markdown settings."""
        rows = self.connection().execute(
            "SELECT path, stamp, key FROM files WHERE fingerprint = ?", (self.fingerprint,)
        )
        return {path: (stamp, key) for path, stamp, key in rows}

    def _keys_of_files(self, files) -> list[list[str]]:
        found = []
        for path, stamp in files:
            try:
                found.append([path, stamp, self.key(read_source(path))])
            except (OSError, UnicodeDecodeError):
                continue  # the reader reports it, with the file's name
        return found

    def key(self, text: str) -> str:
        return text_key(text, self.fingerprint)

    def get(self, text: str, key: str | None = None) -> dict:
        """The conversion of `text`, made and kept now if no build made it before."""
        key = key or self.key(text)
        row = None
        if not self.empty or key in self.converted:
            row = (
                self.connection()
                .execute("SELECT fields, body FROM conversions WHERE key = ?", (key,))
                .fetchone()
            )
        if row is not None:
            return {**pickle.loads(row[0]), "body": row[1]}
        result = convert(text, self.settings)
        if self.batch is None:
            self.store([(key, result)])
            return result
        self.batch.append((key, result))
        if len(self.batch) >= 200:
            self.store(self.batch)
            self.batch = []
        return result

    @contextlib.contextmanager
    def in_batches(self):
        """Conversions made meanwhile are stored 200 to a transaction, not one each."""
        self.batch = []
        try:
            yield
        finally:
            batch, self.batch = self.batch, None
            self.store(batch)

    def read(self, path: str, text: str) -> dict:
        """The conversion of a source's text, remembering what the source held."""
        key = self.key(text)
        converted = self.get(text, key)
        if self.later:
            self._note_key(os.path.abspath(path), key)
        body_hash = hash(converted["body"])
        self.sources[path] = Source(key, header_key(text), body_hash)
        return converted

    def _note_key(self, path: str, key: str) -> None:
        stamp = self.later.get(path)
        if stamp is not None:  # left to this reading by keys_of
            self.current[path] = key
            self.noted.append((path, self.fingerprint, stamp, key))

    def expect_bodies(self, lanes: list[list[str | None]], run: int) -> None:
        """The bodies pages will ask for, in order (None: a page that shows none), lane by
        lane (parallel.run_in_lanes), and the runs of `run` pages of a lane a process
        renders together."""
        self._body_order, self._body_run, self._bodies = lanes, run, {}
        self._body_at = {
            key: (lane, at)
            for lane, keys in reversed(list(enumerate(lanes)))
            for at, key in reversed(list(enumerate(keys)))
            if key
        }

    def body(self, key: str, source_path: str) -> str:
        """A body read earlier in this build; converted again from its file if another
        build sharing the cache dropped it meanwhile. The body is a column of its own
        (store): every article page and feed asks for one, and decoding the whole entry's
        JSON in Python was 40 of the 57 µs a body took. Asked in the expected order, the
        bodies of the rest of a run of pages come in one query: one query a body took
        61 µs in a first build at 20000 articles (both processes reading the file)."""
        found = self._bodies.pop(key, None)
        if found is not None:
            return found
        place = self._body_at.get(key)
        wanted = [key]
        if place is not None:
            lane, at = place
            end = (at // self._body_run + 1) * self._body_run
            wanted += [k for k in self._body_order[lane][at + 1 : end] if k and k != key]
        marks = ",".join("?" * len(wanted))
        query = f"SELECT key, body FROM conversions WHERE key IN ({marks})"
        rows = self.connection().execute(query, wanted).fetchall()
        # those of an earlier run its pages did not ask for (found unchanged) go
        self._bodies = dict(rows)
        found = self._bodies.pop(key, None)
        if found is None:
            return self.get(read_source(source_path))["body"]
        return found

    def store(self, entries) -> None:
        """The body in a column of its own, the rest pickled (_fields_blob): encoding the
        body as JSON took 13 of the 20 µs an article's entry took, and SQLite decoded it
        again to give the body back (json_extract: 10 µs against 6). The body goes as UTF-8
        bytes that SQLite reads as text: given the string, Python would keep its UTF-8 copy
        in it for as long as the body lives (20 MB more at 10000 articles read in one
        process)."""
        rows = [(key, _fields_blob(value), value["body"].encode()) for key, value in entries]
        with self.connection() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO conversions VALUES (?, ?, CAST(? AS TEXT))", rows
            )

    def missing(self, keys) -> set[str]:
        known = set()
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            known.update(
                key
                for (key,) in self.connection().execute(
                    f"SELECT key FROM conversions WHERE key IN ({marks})", chunk
                )
            )
        return set(keys) - known

    def forget_all_but(self, keys: set[str]) -> None:
        """Drop conversions of texts no file has any more, once they outnumber the rest."""
        connection = self.connection()
        (count,) = connection.execute("SELECT count(*) FROM conversions").fetchone()
        if count <= 2 * len(keys) + 100:
            return
        with connection:
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            connection.execute("DELETE FROM keep")
            connection.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keys])
            connection.execute("DELETE FROM conversions WHERE key NOT IN (SELECT key FROM keep)")
