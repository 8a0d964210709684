"""Markdown converted once per distinct text, kept on disk, converted on every core.

Converting Markdown is half of reading. A file whose text did not change since any
earlier build is not converted again: its HTML, front matter and formatted fields
(Summary) are kept in a SQLite file under CACHE_PATH, keyed by a hash of the text and
of the Markdown settings. On a build the texts not yet in it are converted first, by
all cores at once (plugin.prefetch); Pelican's readers then only look them up.
"""

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import markdown
from markdown import Markdown
from pelican.utils import pelican_open
from vn_text import nfc

SCHEMA = 1
_converters: dict[str, tuple[Markdown, Markdown]] = {}
_caches: dict[tuple, "MarkdownCache"] = {}


def fingerprint(settings) -> str:
    """What else decides the HTML: the Markdown version and settings."""
    described = json.dumps(
        [SCHEMA, markdown.__version__, settings["MARKDOWN"], sorted(settings["FORMATTED_FIELDS"])],
        sort_keys=True,
        default=repr,
    )
    return hashlib.blake2b(described.encode(), digest_size=16).hexdigest()


def text_key(text: str, settings_fingerprint: str) -> str:
    key = settings_fingerprint.encode()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20, key=key).hexdigest()


def header_key(meta: dict) -> str:
    """Front matter as one comparable string: a body-only edit leaves it unchanged."""
    return json.dumps(meta, sort_keys=True, ensure_ascii=False)


def read_source(path) -> str:
    """The text as Pelican's readers see it, normalised to NFC."""
    with pelican_open(path) as raw:
        return nfc(raw)


def convert(text: str, settings) -> dict:
    """Body HTML, front matter as Markdown's meta extension reads it, formatted fields."""
    key = fingerprint(settings)
    if key not in _converters:
        fields = Markdown(**settings["MARKDOWN"])
        fields.preprocessors.deregister("meta")  # fields are Markdown, never front matter
        _converters[key] = (Markdown(**settings["MARKDOWN"]), fields)
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
        self.headers: dict[str, str] = {}  # source path -> its front matter, as last read

    def connection(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # never share across fork
            if self.path is None:
                self._connection = sqlite3.connect(":memory:")
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(self.path, timeout=60)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS converted (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._pid = os.getpid()
        return self._connection

    def key(self, text: str) -> str:
        return text_key(text, self.fingerprint)

    def get(self, text: str) -> dict:
        """The conversion of `text`, made and kept now if no build made it before."""
        key = self.key(text)
        row = (
            self.connection()
            .execute("SELECT value FROM converted WHERE key = ?", (key,))
            .fetchone()
        )
        if row is not None:
            return json.loads(row[0])
        result = convert(text, self.settings)
        self.store([(key, result)])
        return result

    def store(self, entries) -> None:
        with self.connection() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO converted VALUES (?, ?)",
                [(key, json.dumps(value, ensure_ascii=False)) for key, value in entries],
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
                    f"SELECT key FROM converted WHERE key IN ({marks})", chunk
                )
            )
        return set(keys) - known

    def forget_all_but(self, keys: set[str]) -> None:
        """Drop conversions of texts no file has any more, once they outnumber the rest."""
        connection = self.connection()
        (count,) = connection.execute("SELECT count(*) FROM converted").fetchone()
        if count <= 2 * len(keys) + 100:
            return
        with connection:
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            connection.execute("DELETE FROM keep")
            connection.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keys])
            connection.execute("DELETE FROM converted WHERE key NOT IN (SELECT key FROM keep)")
