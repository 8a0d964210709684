"""Digests of what a page is made from, so an unchanged page need not be rendered again.

A value's digest follows its structure (lists, dicts, dates, Pelican's paginators and
taxonomy wrappers, plugins' plain objects). A content object (an article, a page, a
question) counts in a structure by its identity only, its source file: what the page
reads of it is traced while the page renders (see traces.py) and counted by the object's
own digest, `content_digest`. So a listing's digest does not move when an article it does
not show changes, and an article's does when one of the eight titles under it does.
Anything the digests cannot describe makes its page render every time: never stale.
"""

import contextlib
import dataclasses
import datetime
import decimal
import enum
import hashlib
import importlib.metadata
import io
import os
import pickle
import re
import sys
import types
import zoneinfo
from operator import itemgetter
from pathlib import PurePath

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime

from .frozen import links_out
from .markdown_cache import cache_for
from .parallel import run_shared


class Unknown(Exception):
    """A value the digests cannot describe: its page is always rendered."""


# Every description is self-delimiting (a tag, a length, then the data; or "h" and a
# digest of fixed size), so descriptions laid end to end never read as other ones.


def leaf(tag: bytes, data: bytes) -> bytes:
    return tag + len(data).to_bytes(4, "little") + data


def text(value: str) -> bytes:
    return leaf(b"s", value.encode("utf-8", "surrogatepass"))


def _hash(tag: bytes, *parts: bytes) -> bytes:
    joined = leaf(b"t", tag) + b"".join(parts)
    return b"h" + hashlib.blake2b(joined, digest_size=16).digest()


def token(content) -> tuple[str, str] | None:
    """How traces name a content object: its class and source file."""
    path = getattr(content, "source_path", None)
    return (type(content).__name__, path) if path else None


# The build's context and settings (the build's digest covers them), the address (added
# below), whether the body holds a fenced block (its text key says which body it is)
_SKIPPED = frozenset({"_context", "settings", "url", "save_as", "_code_blocks"})
_first = itemgetter(0)
_CODE = (types.FunctionType, types.BuiltinFunctionType, type, types.MethodType)
_SHOWN_BY_REPR = (decimal.Decimal, PurePath, enum.Enum, re.Pattern, range)
_TIMES = (datetime.date, datetime.time, datetime.timedelta, datetime.tzinfo)


class Digests:
    """One build's digests, remembered by object (the build keeps the objects alive)."""

    def __init__(self, settings):
        self.settings = settings
        self._values: dict[int, tuple[object, bytes]] = {}
        self._contents: dict[int, tuple[object, bytes]] = {}
        self._in_progress: set[int] = set()
        self.prefixes: dict[tuple, tuple] = {}  # traces.py: how pages' keys begin
        self._tokens: dict[int, tuple] = {}
        self._pickler: _ContentPickler | None = None
        self.numbers: dict[int, int] = {}  # the index's described objects (know_index)

    def value(self, value) -> bytes:
        if isinstance(value, str):
            return text(value)
        if value is None or isinstance(value, (bool, int, float, complex)):
            return leaf(b"n", repr(value).encode())
        if isinstance(value, bytes):
            return leaf(b"b", value)
        if isinstance(value, Content):
            known = self._tokens.get(id(value))
            if known is not None and known[0] is value and known[2] is not None:
                return known[2]  # the index's objects: described before the fork
            return _content_leaf(token(value), value)
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
        return _hash(tag, *map(self.value, items))

    def _describe(self, value) -> bytes:
        if value is self.settings:
            return leaf(b"S", b"")
        if isinstance(value, URLWrapper):
            return self._many(b"wrapper", (type(value).__name__, value.name, value.slug))
        if isinstance(value, list):
            return self._many(b"list", value)
        if isinstance(value, tuple):
            return self._many(b"tuple", value)
        if isinstance(value, dict):
            return _hash(b"dict", *(self.value(k) + self.value(v) for k, v in value.items()))
        if isinstance(value, (set, frozenset)):
            return _hash(b"set", *sorted(map(self.value, value)))
        if isinstance(value, _TIMES):
            return leaf(b"d", f"{value!r} {getattr(value, 'tzinfo', '')}".encode())
        if isinstance(value, _SHOWN_BY_REPR):
            return leaf(b"r", f"{type(value).__name__} {value!r}".encode())
        if isinstance(value, Page):
            return self._page(value)
        if isinstance(value, Paginator):
            # What a page of the listing reads of it: how many pages, and where each is
            # (`page(n).url`). Not which items the other pages hold, nor how many items
            # there are: a page that reads those is never recorded (traces.py), so an
            # item added to a listing leaves its pages before the item as they were.
            fields = (value.name, value.url, value.num_pages, value.per_page, value.orphans)
            return self._many(b"paginator", fields)
        if isinstance(value, _CODE):  # the build's digest of the code stands for it
            name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            return leaf(b"c", name.encode())
        if isinstance(value, types.ModuleType):
            return leaf(b"m", value.__name__.encode())
        if dataclasses.is_dataclass(value):
            fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
            return self._many(b"data:" + type(value).__qualname__.encode(), fields)
        if type(value).__repr__ is object.__repr__ and hasattr(value, "__dict__"):
            return self._many(b"object:" + type(value).__qualname__.encode(), vars(value).items())
        raise Unknown(f"a value of type {type(value).__name__}")

    def _page(self, page) -> bytes:
        """A listing's page: remembered (it is also its neighbours' next and previous
        page), not the slice of items it holds, made for it alone (10659 lists at
        20000 articles, never found again)."""
        items = _hash(b"list", *map(self.value, page.object_list))
        fields = (page.full_name, page.base_url)
        return _hash(
            b"page",
            *map(self.value, fields),
            items,
            *map(self.value, (page.number, page.paginator)),
        )

    def know_index(self, index: dict, described: dict) -> list:
        """The tokens `index` names its objects by, how a digest names each, and the
        number of each whose digest is known (`described`, by token), known before the
        renderers fork; returns the tokens by number. Each renderer made and remembered
        its own tokens for the 20000 articles its listings show (some 9 MB a process),
        and looking them up for the records wrote the reference counts of the entries,
        which each renderer then copied (traces.record_of finds a number by identity)."""
        order = list(index)
        for number, name in enumerate(order):
            content = index[name]
            self._tokens[id(content)] = (content, name, _content_leaf(name, content))
            if name in described:
                self.numbers[id(content)] = number
        return order

    def token(self, content) -> tuple[str, str] | None:
        """token(content), one tuple for every page that names it (records keep them)."""
        known = self._tokens.get(id(content))
        if known is None or known[0] is not content:
            known = self._tokens[id(content)] = (content, token(content), None)
        return known[1]

    def content(self, content) -> bytes:
        """What a page can read of a content object: its fields, address and body.

        Pickled rather than described field by field: 20000 articles a build, and the
        pickler is C. Other content objects in its fields count by their source file
        (a page that reads them has them in its trace), the settings by the build's
        digest. A field the pickler cannot take makes the pages that read it always render.
        """
        key = id(content)
        known = self._contents.get(key)
        if known is not None and known[0] is content:
            return known[1]
        # by name: a kept object's fields come back in another order than reading gave
        fields = {k: v for k, v in sorted(vars(content).items(), key=_first) if k not in _SKIPPED}
        self._body(content, fields)
        described = [type(content).__qualname__, fields, content.url, content.save_as]
        links = vars(content).get("_links")  # noted by frozen.py, with the body at hand
        if links is None:
            links = links_out(content._content)
        if links:
            described.append(content.content)  # links point at other objects
        try:
            pickled = self._pickled(described)
        except (
            pickle.PicklingError,
            TypeError,
            AttributeError,
            ValueError,
            RecursionError,
        ) as error:
            raise Unknown(f"a field of {content.source_path} ({error})") from error
        digest = b"h" + hashlib.blake2b(pickled, digest_size=16).digest()
        self._contents[key] = (content, digest)
        return digest

    def _pickled(self, described: list) -> bytes:
        """The bytes a content digest hashes, from one pickler for the build."""
        if self._pickler is None:
            self._pickler = _ContentPickler(io.BytesIO(), self.settings)
        pickler = self._pickler
        pickler.output.seek(0)
        pickler.output.truncate()
        try:
            pickler.dump(described)
        except BaseException:
            self._pickler = None  # a pickler that failed halfway is not used again
            raise
        return pickler.output.getvalue()

    def _body(self, content, fields: dict) -> None:
        """The body as the Markdown cache's key when it is the conversion of the source
        (in memory, or left in the cache: frozen.py, reading.py), so an object read
        anew and the same one taken back from the read cache are described alike; the
        text itself when a plugin changed it."""
        body, key = fields.pop("_content", None), fields.pop("_body_key", None)
        if body is not None:
            source = cache_for(self.settings).sources.get(getattr(content, "source_path", None))
            if source is not None and source.body_hash == hash(body):
                key = source.key
            else:
                fields["_body"] = ("text", body)
                return
        if key is not None:
            fields["_body"] = ("key", key)

    def described(self, index: dict) -> list:
        """[token, digest] of each content object `index` names that can be described
        (a worker's share, or all of them in the one that works while pages are noted)."""
        found = []
        for name in index:
            try:
                found.append([name, self.content(index[name]).hex()])
            except Unknown:
                continue  # its pages find out again, and always render
        return found

    def take(self, described: list, index: dict) -> None:
        """Digests another process worked out, for the objects this build's index names."""
        for name, digest in described:
            content = index.get(tuple(name))
            if content is not None:
                self._contents[id(content)] = (content, bytes.fromhex(digest))

    def of_index(self, index: dict) -> dict:
        """{token: digest} of each object of `index` described so far (the records keep
        them, for the next build to compare: traces.unchanged_contents)."""
        found = {}
        for name, content in index.items():
            known = self._contents.get(id(content))
            if known is not None and known[0] is content:
                found[name] = known[1]
        return found

    def contents_on_every_core(self, index: dict, workers: int) -> None:
        """Every content object's digest, each worked out once, the work shared between
        processes, before pages are checked or rendered: each worker would otherwise work
        out nearly every one (a listing names articles from all over the site)."""

        def share(tokens) -> list:
            return self.described({name: index[name] for name in tokens})

        for part in run_shared(list(index), share, workers):
            self.take(part, index)


def _content_leaf(name: tuple | None, content) -> bytes:
    """How a digest names a content object: by its token, not its fields (a page that
    reads them has the object in its trace)."""
    if name is None:
        raise Unknown(f"{type(content).__name__} without a source file")
    return leaf(b"C", text(name[0]) + text(name[1]))  # no hash: 20000 a build


def _content_ref(*name):
    """Stands for another content object in a digest (never called)."""


def _wrapper_ref(*name):
    """Stands for a category, tag or author in a digest (never called)."""


def _known_objects(settings) -> list:
    """What nearly every content digest names: the stand-ins above, the classes of dates
    and the site's time zone."""
    known = [_content_ref, _wrapper_ref, SafeDatetime, datetime.datetime, datetime.date]
    with contextlib.suppress(TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        known.append(zoneinfo.ZoneInfo(settings.get("TIMEZONE")))
    return known


class _ContentPickler(pickle.Pickler):
    """Pickles without its memo: equal values give equal bytes whether or not they are
    one object (a string shared by two fields in one process, copied in another).

    Only `_known_objects` are in the memo, put there first, in the same order in every
    process: each is written as its number, not by its module and name. Pickle looks a
    class or function up in its module at every mention (an import each): some 20
    mentions an article were nearly half of a digest's 49 µs; 29 µs this way. The bytes
    are only hashed, never read back."""

    def __init__(self, output, settings):
        super().__init__(output, protocol=pickle.HIGHEST_PROTOCOL)
        self.output = output
        self.fast = True  # the memo is read, never written to
        self.memo = {id(known): (n, known) for n, known in enumerate(_known_objects(settings))}

    def reducer_override(self, obj):
        """Called for objects other than plain str, int, list, dict... and those in the
        memo: few per article, where persistent_id was called for every one."""
        if isinstance(obj, URLWrapper):  # its slug is worked out when first asked for
            return _wrapper_ref, (type(obj).__name__, obj.name, obj.slug)
        if isinstance(obj, Content):  # the object itself too, where a field points back
            name = token(obj)
            if name is None:
                raise pickle.PicklingError(f"{type(obj).__name__} without a source file")
            return _content_ref, name
        return NotImplemented


# Settings that change how the build works, never what it writes (the dev server's PORT
# and BIND: a page that shows them has them in its trace all the same).
NOT_SHOWN = frozenset(
    {"FAST_BUILD", "CACHE_PATH", "CACHE_CONTENT", "LOAD_CONTENT_CACHE", "GZIP_CACHE"}
    | {"CHECK_MODIFIED_METHOD", "CONTENT_CACHING_LAYER", "WRITE_SELECTED", "OUTPUT_PATH"}
    | {"PORT", "BIND"}
)


def _files_digest(folders) -> bytes:
    parts = []
    for folder in sorted(set(folders)):
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    parts += [text(path), leaf(b"f", handle.read())]
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
    code = [text(sys.version)]
    for package in ("pelican", "jinja2", "markdown", "markupsafe"):
        code.append(text(importlib.metadata.version(package)))
    plugin_folders = [p for p in settings.get("PLUGIN_PATHS", []) if os.path.isdir(p)]
    folders = plugin_folders + [f for env in environments for f in template_folders(env)]
    shown = {k: v for k, v in settings.items() if k not in NOT_SHOWN}
    return _hash(b"build", Digests(settings).value(shown), _files_digest(folders), *code)
