"""Digests of what a page is made from, so an unchanged page need not be rendered again.

A value's digest follows its structure (lists, dicts, dates, Pelican's paginators and
taxonomy wrappers, plugins' plain objects). A content object (an article, a page, a
question) counts in a structure by its identity only, its source file: what the page
reads of it is traced while the page renders (see traces.py) and counted by the object's
own digest, `content_digest`. So a listing's digest does not move when an article it does
not show changes, and an article's does when one of the eight titles under it does.
Anything the digests cannot describe makes its page render every time: never stale.
"""

import dataclasses
import datetime
import decimal
import enum
import hashlib
import importlib.metadata
import os
import re
import sys
import types
from pathlib import PurePath

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper


class Unknown(Exception):
    """A value the digests cannot describe: its page is always rendered."""


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(4, "little"))
        digest.update(part)
    return digest.digest()


def token(content) -> tuple[str, str] | None:
    """How traces name a content object: its class and source file."""
    path = getattr(content, "source_path", None)
    return (type(content).__name__, path) if path else None


# Marks of {filename}-style links (and the older |filename|): with them, the body a page
# shows reads other objects' addresses.
_LINK_MARKS = ("{", "|")
_SKIPPED = frozenset({"_context", "settings", "url", "save_as"})


class Digests:
    """One build's digests, remembered by object (the build keeps the objects alive)."""

    def __init__(self, settings):
        self.settings = settings
        self._values: dict[int, tuple[object, bytes]] = {}
        self._contents: dict[int, tuple[object, bytes]] = {}
        self._in_progress: set[int] = set()

    def value(self, value) -> bytes:
        if value is None or isinstance(value, (bool, int, float, complex)):
            return _hash(b"n", repr(value).encode())
        if isinstance(value, str):
            return _hash(b"s", value.encode("utf-8", "surrogatepass"))
        if isinstance(value, bytes):
            return _hash(b"b", value)
        key = id(value)
        known = self._values.get(key)
        if known is not None and known[0] is value:
            return known[1]
        if key in self._in_progress:
            raise Unknown(f"a structure that contains itself ({type(value).__name__})")
        self._in_progress.add(key)
        try:
            digest = self._describe(value)
        finally:
            self._in_progress.discard(key)
        self._values[key] = (value, digest)
        return digest

    def _many(self, tag: bytes, items) -> bytes:
        return _hash(tag, *(self.value(item) for item in items))

    def _describe(self, value) -> bytes:
        if value is self.settings:
            return _hash(b"settings")
        if isinstance(value, Content):
            name = token(value)
            if name is None:
                raise Unknown(f"{type(value).__name__} without a source file")
            return _hash(b"content", name[0].encode(), name[1].encode())
        if isinstance(value, URLWrapper):
            return _hash(
                b"wrapper",
                type(value).__name__.encode(),
                *map(str.encode, (value.name, value.slug)),
            )
        if isinstance(value, (list, tuple)):
            return self._many(b"list" if isinstance(value, list) else b"tuple", value)
        if isinstance(value, dict):
            return _hash(b"dict", *(self.value(k) + self.value(v) for k, v in value.items()))
        if isinstance(value, (set, frozenset)):
            return _hash(b"set", *sorted(self.value(item) for item in value))
        if isinstance(value, (datetime.date, datetime.time, datetime.timedelta, datetime.tzinfo)):
            return _hash(b"time", repr(value).encode(), str(getattr(value, "tzinfo", "")).encode())
        if isinstance(value, (decimal.Decimal, PurePath, enum.Enum, re.Pattern, range)):
            return _hash(b"repr", type(value).__name__.encode(), repr(value).encode())
        if isinstance(value, Paginator):
            return self._many(
                b"paginator",
                (value.name, value.url, value.object_list, value.per_page, value.orphans),
            )
        if isinstance(value, Page):
            fields = (
                value.full_name,
                value.base_url,
                value.object_list,
                value.number,
                value.paginator,
            )
            return self._many(b"page", fields)
        if isinstance(
            value, (types.FunctionType, types.BuiltinFunctionType, type, types.MethodType)
        ):
            # code: the build's code digest stands for it
            name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            return _hash(b"code", name.encode())
        if isinstance(value, types.ModuleType):
            return _hash(b"module", value.__name__.encode())
        if dataclasses.is_dataclass(value):
            fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
            return self._many(b"data:" + type(value).__qualname__.encode(), fields)
        if type(value).__repr__ is object.__repr__ and hasattr(value, "__dict__"):
            return self._many(b"object:" + type(value).__qualname__.encode(), vars(value).items())
        raise Unknown(f"a value of type {type(value).__name__}")

    def content(self, content) -> bytes:
        """What a page can read of a content object: its fields, address and body."""
        key = id(content)
        known = self._contents.get(key)
        if known is not None and known[0] is content:
            return known[1]
        fields = {k: v for k, v in vars(content).items() if k not in _SKIPPED}
        parts = [type(content).__qualname__.encode(), self.value(fields)]
        parts += [self.value(content.url), self.value(content.save_as)]
        body = content._content
        if isinstance(body, str) and any(mark in body for mark in _LINK_MARKS):
            parts.append(self.value(content.content))  # links point at other objects
        digest = _hash(b"fields", *parts)
        self._contents[key] = (content, digest)
        return digest


def _files_digest(folders) -> bytes:
    parts = []
    for folder in sorted(set(folders)):
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    parts += [path.encode(), handle.read()]
    return _hash(b"files", *parts)


def template_folders(environment) -> list[str]:
    """Every folder an environment's loaders read templates from."""
    found, loaders = [], [environment.loader]
    while loaders:
        loader = loaders.pop()
        found += list(getattr(loader, "searchpath", []))
        loaders += list(getattr(loader, "loaders", []))
        loaders += list(getattr(loader, "mapping", {}).values())
    return found


def build_digest(settings, environments) -> bytes:
    """What every page shares: settings, templates, the portal's and its libraries' code."""
    code = [sys.version.encode()]
    for package in ("pelican", "jinja2", "markdown", "markupsafe"):
        code.append(importlib.metadata.version(package).encode())
    plugin_folders = [p for p in settings.get("PLUGIN_PATHS", []) if os.path.isdir(p)]
    folders = plugin_folders + [f for env in environments for f in template_folders(env)]
    parts = [Digests(settings).value(dict(settings)), _files_digest(folders), *code]
    return _hash(b"build", *parts)
