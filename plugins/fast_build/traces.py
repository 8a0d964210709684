"""What each page read while it rendered, kept so the next build can skip it.

While a page renders, its template's environment notes every name the template looks up
and every content object whose fields it reads (Jinja's attribute and item access, and
the arguments of the portal's own filters). The next build renders the page again only
when one of those inputs has another digest (fingerprints.py), when the build's settings,
templates or code changed, or when the file on disk is not the one this build wrote: a
page whose inputs are the same would come out byte for byte the same.
"""

import functools
import logging
import pickle
from hashlib import blake2b
from pathlib import Path

from jinja2.runtime import Context, missing
from pelican.contents import Content
from pelican.paginator import Page, Paginator

from .fingerprints import Unknown, _hash, leaf, text, token
from .markdown_cache import file_stamp
from .stale import KEPT_SUFFIX, load_kept, per_output, save_kept

logger = logging.getLogger(__name__)
_trace: "Trace | None" = None  # the page rendering now, in this process


class Trace:
    __slots__ = ("names", "contents", "own_pages", "unknown")

    def __init__(self, own_pages=frozenset()):
        self.names: set[str] = set()
        self.contents: dict[int, object] = {}
        self.own_pages = own_pages  # ids of the listing pages the page was given
        self.unknown: str | None = None  # why the page cannot be described, if it cannot

    def paged(self, obj) -> None:
        """What a paginator's digest leaves out was read (fingerprints.py): its items or
        their count, or those of a page of the listing the page was not given (from
        `paginator.page(n)`). Such a page is rendered every time."""
        if isinstance(obj, Paginator) or (isinstance(obj, Page) and id(obj) not in self.own_pages):
            self.unknown = "the items of its listing beyond its own"


# Attributes of Pelican's paginators and their pages that tell which items, or how many
_PAGED = frozenset({"object_list", "count", "end_index"})
# What getattr finds on a plain dict: any other name is a key. Jinja looks a template's
# `t.skip` or `PORTAL.name` up as an attribute first, and the failure cost 0,4 µs (a
# page of the portal's theme looks up some 40 keys of plain dicts that way).
_DICT_ATTRIBUTES = frozenset(dir(dict))


class TracingContext(Context):
    def resolve_or_missing(self, key):  # Jinja's, noting the name
        if _trace is not None:
            _trace.names.add(key)
        if key in self.vars:
            return self.vars[key]
        if key in self.parent:
            return self.parent[key]
        return missing


def _note_arguments(values) -> None:
    for value in values:
        if isinstance(value, Content):
            _trace.contents[id(value)] = value
        elif isinstance(value, (Paginator, Page)):  # a filter may read anything of it
            _trace.unknown = "a listing's pages given to a filter"
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, Content):
                    _trace.contents[id(item)] = item
                elif isinstance(item, tuple):  # (category, articles) pairs
                    _note_arguments(item)


def _traced_callable(function):
    @functools.wraps(function)
    def traced(*args, **kwargs):
        if _trace is not None:
            _note_arguments(args)
            if kwargs:
                _note_arguments(kwargs.values())
        return function(*args, **kwargs)

    return traced


def install(environment) -> None:
    """Make an environment note what its templates read (once per environment)."""
    if getattr(environment, "_fast_build_traced", False):
        return
    plain_getitem, undefined = environment.getitem, environment.undefined

    def getattr_(obj, attribute):  # Jinja's Environment.getattr, noting content objects
        if type(obj) is dict:  # no content object, no listing: nothing to note
            if attribute not in _DICT_ATTRIBUTES:
                try:  # what Jinja finds after getattr fails, without the failure
                    return obj[attribute]
                except KeyError:
                    return undefined(obj=obj, name=attribute)
        elif _trace is not None:
            if isinstance(obj, Content):
                _trace.contents[id(obj)] = obj
            elif attribute in _PAGED:
                _trace.paged(obj)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return undefined(obj=obj, name=attribute)

    def getitem(obj, argument):
        if _trace is not None:
            if isinstance(obj, Content):
                _trace.contents[id(obj)] = obj
            elif isinstance(argument, str) and argument in _PAGED:
                _trace.paged(obj)
        return plain_getitem(obj, argument)

    environment.getattr, environment.getitem = getattr_, getitem
    environment.context_class = TracingContext
    for table in (environment.filters, environment.globals, environment.tests):
        for name, value in list(table.items()):
            # Jinja's own filters read fields through getattr/getitem above
            if getattr(value, "traces_itself", False):  # fragments.remembering
                continue
            if callable(value) and not getattr(value, "__module__", "").startswith("jinja2"):
                table[name] = _traced_callable(value)
    environment._fast_build_traced = True


def traced_apart(function, *args) -> tuple:
    """`function(*args)`, and what it read noted apart (a Trace, None when no page is
    being traced), then added to the page's trace as well."""
    global _trace
    outer = _trace
    if outer is None:
        return function(*args), None
    _trace = part = Trace(outer.own_pages)
    try:
        result = function(*args)
    finally:
        _trace = outer
    replay(part)
    return result, part


def replay(part: "Trace | None") -> None:
    """What a part of a page read (traced_apart), added to the page's trace."""
    if _trace is None or part is None:
        return
    _trace.names |= part.names
    _trace.contents.update(part.contents)
    if _trace.unknown is None:
        _trace.unknown = part.unknown


def note_read(names, contents) -> None:
    """What a part of a page read, kept by an earlier build (kept_parts.py): noted in
    the page's trace as if the part had been rendered for it."""
    if _trace is not None:
        _trace.names.update(names)
        for content in contents:
            _trace.contents[id(content)] = content


def tracing() -> bool:
    return _trace is not None


def render_traced(page) -> tuple[str, Trace]:
    global _trace
    install(page.template.environment)
    _trace = trace = Trace({id(v) for v in page.own.values() if isinstance(v, Page)})
    try:
        return page.render(), trace
    finally:
        _trace = None


def _prefix(build: bytes, page, names: tuple, digests):
    """What the key of every page of a template that looked up `names` begins with, and
    the names among them that are the page's own. The names from the build's shared
    context are the same for every such page: described once, and hashed once, into a
    hasher each page's key copies (a check of an article page spent most of its 9 µs
    finding and joining these again)."""
    own, template = page.own, page.template
    key = (build, id(names), id(page.shared), id(template.globals), template.name, tuple(own))
    known = digests.prefixes.get(key)
    if known is not None and known[0] is names:
        return known[1], known[2]
    shared = tuple(name for name in names if name not in own)
    owned = tuple(name for name in names if name in own)
    parts = described_names(shared, (page.shared, template.globals), digests)
    hasher = blake2b(leaf(b"t", b"page") + build + text(template.name), digest_size=16)
    hasher.update(_hash(b"shared", *parts))
    digests.prefixes[key] = (names, hasher, owned)  # names held: their id stays theirs
    return hasher, owned


def described_names(names, scopes: tuple, digests) -> list[bytes]:
    """Each name with the digest of its value in the first scope that holds it, or as
    missing (raises Unknown for a value that cannot be described)."""
    parts = []
    for name in names:
        for scope in scopes:
            if name in scope:
                parts.append(text(name) + digests.value(scope[name]))
                break
        else:
            parts.append(text(name) + _MISSING)
    return parts


_MISSING = leaf(b"-", b"")


def page_key(build: bytes, page, names, digests) -> bytes:
    """The digest of what a page read other than content objects: settings, templates
    and code (`build`), its template, each name it looked up. The content objects it read
    are compared by their own digests (`unchanged` in is_fresh)."""
    prefix, owned = _prefix(build, page, names, digests)
    hasher = prefix.copy()
    own = page.own
    for name in owned:
        hasher.update(text(name) + digests.value(own[name]))
    return b"h" + hasher.digest()


def record_of(
    build: bytes, page, trace: Trace, digests, path: str, stamp: str | None = None
) -> list | None:
    """What the next build compares: None when some input cannot be described. The
    content objects the page read are named by their number in the build's index when
    their digest is known already (Digests.know_index, before the renderers fork),
    by their token otherwise. Looking each up in the digests' memos wrote the reference
    count of their entries, and each renderer copied every memory page of the memos
    (some 7 MB at 20000 articles); a number is found by the object's identity. `stamp`:
    the written file's, when the writer has it (write_new), else it is looked up."""
    if trace.unknown is not None:
        logger.debug("fast_build: %s is rendered at every build: it reads %s", path, trace.unknown)
        return None
    names = _shared_names(tuple(sorted(trace.names)))  # a few lists for all the pages
    numbers, named, others = digests.numbers, [], []
    try:
        for content in trace.contents.values():
            number = numbers.get(id(content))
            if number is not None:
                named.append(number)
                continue
            token = digests.token(content)
            if token is None:
                logger.debug(
                    "fast_build: %s is rendered at every build: it reads content without a"
                    " source file",
                    path,
                )
                return None
            digests.content(content)  # it must be described, or the page has no record
            others.append(token)
        key = page_key(build, page, names, digests)
    except Unknown as error:
        logger.debug("fast_build: %s is rendered at every build: it reads %s", path, error)
        return None
    named.sort()
    others.sort()
    return [key.hex(), names, named + others, stamp or file_stamp(path)]


def is_fresh(record, build: bytes, page, path: str, digests, unchanged: set) -> bool:
    """Whether the page would come out as the file holds it. `unchanged`: the tokens of
    the content objects whose digest is the one the last build saved with the records
    (unchanged_contents). A record is saved with the digests its page was rendered
    with, or kept with digests found unchanged: the same ones. So the page's content
    objects are compared by a set lookup each, not described and hashed again per page
    (12 µs of the 50 a page took, at 20000 articles)."""
    key, names, tokens, written = record
    if file_stamp(path) != written:
        return False  # not the file the last build wrote
    if not unchanged.issuperset(tokens):
        return False
    try:
        return page_key(build, page, names, digests).hex() == key
    except Unknown:
        return False


def content_index(context, generators) -> dict:
    """Every content object of this build, by the token traces name it with."""
    found = [v for v in context.get("generated_content", {}).values() if isinstance(v, Content)]
    for generator in generators:
        for value in vars(generator).values():
            if isinstance(value, list):
                found += [item for item in value if isinstance(item, Content)]
    return {token(c): c for c in found if token(c) is not None}


def records_path(settings) -> Path:
    return per_output(settings, "pages", KEPT_SUFFIX)


def load_records(settings) -> tuple[dict, dict]:
    """The last build's records, by page, and the content digests they were made with."""
    kept = load_kept(records_path(settings)) or {}
    pages, contents = kept.get("pages"), kept.get("contents")
    batches, order = kept.get("packed", []), kept.get("order", [])
    plain = isinstance(pages, dict) and isinstance(contents, dict)
    if not plain or not isinstance(batches, list) or not isinstance(order, list):
        return {}, {}  # none, or an older kind: every page is rendered
    try:
        pages.update(unpacked(batches, order, {}))
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, LookupError):
        return {}, {}  # not as this code packs them
    return pages, contents


class BuildRecords:
    """A build's records as the next build loads them: those of the pages found fresh,
    as the last build kept them, and the renderers' batches (PackedRecords) as they
    were packed, with the index's tokens by number (`order`). Unpacked at the end of
    a first build at 20000 articles, then saved, they took 0,11 s with one core at
    work; the next build that loads them unpacks them instead."""

    def __init__(self, order: list):
        self.carried: dict[str, list] = {}
        self.batches: list[bytes] = []
        self.order = order
        self.written: dict[str, str] = {}  # each rendered page's stamp, from its record

    def carry(self, paths, previous: dict) -> None:
        self.carried.update((path, previous[path]) for path in paths)

    def take(self, batches: list[bytes], stamps: dict[str, str]) -> None:
        """A renderer's records (PackedRecords), and their pages' stamps."""
        self.batches += batches
        self.written.update(stamps)

    def stamps(self) -> dict[str, str]:
        """The stamp of each page file the records describe."""
        return {**{path: record[3] for path, record in self.carried.items()}, **self.written}


def save_records(settings, records: BuildRecords, contents: dict) -> None:
    kept = {"pages": records.carried, "packed": records.batches, "order": records.order}
    save_kept(records_path(settings), {**kept, "contents": contents})


def unchanged_contents(previous: dict, current: dict) -> set:
    """The tokens of content objects described as the last build described them."""
    return {name for name, digest in current.items() if previous.get(name) == digest}


def shared_record(record: list, tokens: dict, order: list = ()) -> list:
    """A worker's record as the parent keeps it: each list of names and each token one
    object for every page (`tokens` maps each to it; a content object named by its
    number is the index's token, `order[number]`: record_of). At 20000 articles the
    records name 341000 tokens: 61 MB held and 16 MB pickled, 22 MB and 8 MB shared."""
    digest, names, found, written = record
    shared = [
        order[name] if type(name) is int else tokens.setdefault(tuple(name), tuple(name))
        for name in found
    ]
    return [digest, _shared_names(tuple(names)), shared, written]


RECORDS_BATCH = 500  # records pickled together as a renderer makes them


class PackedRecords:
    """A renderer's records, pickled a batch at a time as it makes them (record_of names
    most content objects by number). Held as objects until the render's end, they were
    some 20 MB of a first build's peak at 20000 articles (both renderers); pickled with
    the tokens spelled out, 13 MB; with numbers, 6,5 MB. A worker's records were pickled
    to reach the build process all the same."""

    def __init__(self):
        self.batches: list[bytes] = []
        self._batch: list[tuple] = []
        # by page, its file's stamp: what body_patch.save_state needs of each record,
        # taken without unpacking the batches
        self.stamps: dict[str, str] = {}

    def add(self, path: str, record: list) -> None:
        self._batch.append((path, record))
        self.stamps[path] = record[3]
        if len(self._batch) >= RECORDS_BATCH:
            self._pack()

    def _pack(self) -> None:
        if self._batch:
            self.batches.append(pickle.dumps(self._batch, protocol=pickle.HIGHEST_PROTOCOL))
            self._batch = []

    def packed(self) -> list[bytes]:
        self._pack()
        return self.batches


def unpacked(batches: list[bytes], order: list, tokens: dict):
    """(path, record) of each packed record, shared as shared_record shares them."""
    for batch in batches:
        for path, record in pickle.loads(batch):
            yield path, shared_record(record, tokens, order)


@functools.lru_cache(maxsize=256)
def _shared_names(names: tuple) -> tuple:
    return names
