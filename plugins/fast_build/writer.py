"""A writer that renders every page once all are known, on every core, and writes a
file only when its bytes changed.

Pelican's generators still decide what to write and with which context (nothing of their
logic is copied): each template.render is only noted, and the notes are rendered
together by `flush`. Unchanged files keep their bytes and times, so rsync, nginx caches
and the browser's live reload see only real changes.
"""

import contextlib
import functools
import os
from collections.abc import Callable, Iterable
from itertools import chain, compress, islice
from operator import is_, is_not
from sys import intern

import pelican.writers
from pelican import signals
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.utils import get_relative_path, path_to_url, posixize_path, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .fingerprints import Digests, build_digest
from .kept_parts import KeptParts, using
from .markdown_cache import cache_for, stamp_of
from .parallel import Shared, run_in_lanes, run_size, workers_for
from .paths import relative
from .swap import Swapper, remove_left_over, replace_beside
from .traces import (
    BuildRecords,
    PackedRecords,
    is_fresh,
    load_records,
    record_of,
    render_traced,
    unchanged_contents,
)


def write_if_changed(path: str, text: str | bytes, replace=replace_beside) -> bool:
    """Write `text` unless the file holds it already; a reader never sees half a file
    (`replace(path, data)`: swap.py). Makes the file's folder when it is missing (noted
    pages' folders are made here, by the process that writes them)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if _made_folder(os.path.dirname(path)):  # nothing there yet to compare with
        replace_beside(path, data)
        return True
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
    except FileNotFoundError:  # a new page: a scratch file beside it is quickest (50 µs
        replace_beside(path, data)  # a page in a folder of its own, 68 through swap.py)
        return True
    replace(path, data)
    return True


_NEW_PAGE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def write_new(path: str, text: str) -> str:
    """A page of a site made from nothing (the output folder was empty when the build
    began: no site there to read, its pages appear one after the other anyway), written
    in place rather than through a scratch file renamed over it; returns its stamp
    (file_stamp's), taken from the open file rather than looked up again. A scratch file
    and its rename, then the stamp, were some 15 µs of each of 30000 pages at 20000
    articles. A page that cannot be written whole (a full disk) is removed."""
    data = text.encode("utf-8")
    _made_folder(os.path.dirname(path))
    fd = os.open(path, _NEW_PAGE, 0o666)
    try:
        view = memoryview(data)
        while view:  # a regular file takes it all at once, short of a full disk
            view = view[os.write(fd, view) :]
        found = os.fstat(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)
    return stamp_of(found)


def _made_folder(folder: str) -> bool:
    """Whether the folder was missing (and is made now): most pages of a first build are
    in a folder of their own, and looking for a page, then for its scratch file, in a
    folder that is not there was two failed lookups a page before the folder was made."""
    if not folder:  # the current folder
        return False
    try:
        os.mkdir(folder)
    except FileExistsError:
        return False
    except FileNotFoundError:  # its parents too
        os.makedirs(folder, exist_ok=True)
    return True


class _FoldersLater:
    """`os` as pelican.writers sees it while pages are only noted: Pelican makes each
    page's folder before writing it, one system call a page in this process (2,4 s of a
    first build at 20000 articles, every page in a folder of its own); write_if_changed
    makes the missing ones where the pages are written, on every core."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def makedirs(*args, **kwargs) -> None:
        pass


_FOLDERS_LATER = _FoldersLater()
_roots: dict[str, str] = {}


def _sanitised_join(base_directory: str, *parts: str) -> str:
    """Pelican's sanitised_join as pelican.writers sees it while pages are only noted:
    the same path and the same refusal, with the output folder's absolute path worked
    out once, not twice a page (on 30000 pages, 80 ms of the build's one busy core)."""
    root = _roots.get(base_directory)
    if root is None:
        root = posixize_path(os.path.abspath(base_directory))
        if os.path.isabs(base_directory):  # as Pelican's settings give it: the same always
            _roots[base_directory] = root
    # abspath(join(base, *parts)) is normpath(join(abspath(base), *parts)): both fold
    # the same parts, the same way, from the same absolute start
    joined = posixize_path(os.path.normpath(os.path.join(root, *parts)))
    if not joined.startswith(root):
        raise RuntimeError(f"Attempted to break out of output directory to {joined}")
    return joined


class _Paginator(Paginator):
    """Pelican's paginator as pelican.writers sees it while pages are only noted: each
    page made once. Pelican asks for every page three times (as itself, and as its
    neighbours' next and previous page), each time a new object, and each was described
    again by the digests of the pages that hold it (Page objects are never changed).

    A listing's `articles` and `dates` are paginated apart, and they are nearly always
    the same items in the same order: then the second paginator is the first, and so
    are its pages (two Page objects and two lists of items for each page of a listing:
    some 6 MB held at 20000 articles, and copied again by each renderer that reads them).
    """

    _last: "_Paginator | None" = None  # the one made last (Pelican makes them in a row)

    def __new__(cls, name, url, object_list, settings, per_page=None):
        last = cls._last
        if last is not None and last._made_like(name, url, object_list, settings, per_page):
            return last
        return super().__new__(cls)

    def __init__(self, name, url, object_list, settings, per_page=None):
        if "_per_page_asked" in self.__dict__:
            return  # the paginator of the same items, made just before
        super().__init__(name, url, object_list, settings, per_page)
        self._per_page_asked = per_page
        _Paginator._last = self

    def _made_like(self, name, url, object_list, settings, per_page) -> bool:
        same = self.name == name and self.url == url and self.settings is settings
        if not same or self._per_page_asked != per_page:
            return False
        items = self.object_list
        return len(items) == len(object_list) and all(map(is_, items, object_list))

    def page(self, number):
        made = self.__dict__.setdefault("_made", {})
        page = made.get(number)
        if page is None:
            page = made[number] = super().page(number)
        return page


_MISSING = object()


class _Recording(dict):
    """A page's context as Pelican makes it, a copy of the shared one that notes the
    keys set since: its own values are found among those few, instead of comparing
    some 300 values (25 µs a page, 0,7 s of noting 30000 pages at 20000 articles).
    A change that is no setting (a key deleted...) leaves `set_keys` None."""

    def __init__(self, shared: dict):
        super().__init__(shared)
        self.shared, self.set_keys = shared, []

    def _unknown(self) -> None:
        self.set_keys = None

    def __setitem__(self, key, value):
        if self.set_keys is not None:
            self.set_keys.append(key)
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        other = dict(*args, **kwargs)
        if self.set_keys is not None:
            self.set_keys += other
        super().update(other)

    def setdefault(self, key, default=None):
        if self.set_keys is not None:
            self.set_keys.append(key)
        return super().setdefault(key, default)

    def __ior__(self, other):
        self.update(other)
        return self

    def __delitem__(self, key):
        self._unknown()
        super().__delitem__(key)

    def pop(self, *args):
        self._unknown()
        return super().pop(*args)

    def popitem(self):
        self._unknown()
        return super().popitem()

    def clear(self):
        self._unknown()
        super().clear()


class _SharedContext:
    """What Pelican's write_file is handed as the context: it only copies it (a copy
    that records, above) and sets `localsiteurl` on it, which goes to the shared one."""

    def __init__(self, shared: dict):
        self.shared = shared

    def copy(self) -> _Recording:
        return _Recording(self.shared)

    def __setitem__(self, key, value):
        self.shared[key] = value

    def __getattr__(self, name):  # get, keys...: the shared dict's, should Pelican ask
        return getattr(self.shared, name)


def own_values(context: dict, shared: dict) -> dict:
    """What a page's context holds that the shared context does not (Pelican's copy of
    it, updated). From the keys a recording copy saw set, when it saw every change;
    otherwise compared in C when the copy keeps the shared keys' order, as dict.copy does."""
    keys = context.set_keys if isinstance(context, _Recording) else None
    if keys is not None and context.shared is shared:
        found = {}
        for key in keys:
            value = context[key]
            if shared.get(key, _MISSING) is not value:
                found[key] = value
        return found
    count = len(shared)
    if len(context) >= count and list(islice(context, count)) == list(shared):
        differing = compress(context, map(is_not, context.values(), shared.values()))
        return {key: context[key] for key in chain(differing, islice(context, count, None))}
    return {k: v for k, v in context.items() if k not in shared or shared[k] is not v}


class _Page:
    """What a noted render returns: Pelican writes it to a file, the writer keeps the note.

    Only what the page adds to the build's shared context is kept (a few keys, not a copy
    of some 300), so thousands of notes cost little memory. Pelican only hands the
    result to the file's write(): a note need not be a string (an empty str with a
    __dict__ was 460 bytes a page, 14 MB at 20000 articles; with slots, 56)."""

    __slots__ = ("template", "shared", "own")

    def __init__(self, template, shared, context, own_only=False):
        """`context`: the page's whole context, or with `own_only` what was set over the
        shared one (the values that are the shared ones are dropped, as own_values does)."""
        self.template, self.shared = template, shared
        if own_only:
            self.own = {k: v for k, v in context.items() if shared.get(k, _MISSING) is not v}
        else:  # a listing's: Pelican names its paginator, page and neighbours anew for
            # each page ("articles_previous_page"...): 5,6 MB of copies at 20000 articles
            own = own_values(context, shared)
            self.own = {intern(k) if type(k) is str else k: v for k, v in own.items()}

    @property
    def listing(self) -> bool:
        """Whether the page is one of a listing's (Pelican's paginator gave it a page)."""
        return any(isinstance(value, Page) for value in self.own.values())

    def render(self) -> str:
        """Template.render without copying the context: render() copies the dict it is
        given, then again with the template's globals, a ChainMap read key by key (40 µs
        a page of some 300 keys). Here the shared context under the globals is made once
        a build, and the page's own values are the context's variables, which Jinja looks
        at first, as a template's `{% set %}` (a copy of the 300 with them over it was
        12 µs a page)."""
        template = self.template
        context = template.new_context(_with_globals(template, self.shared), shared=True)
        context.vars.update(self.own)
        try:
            return template.environment.concat(template.root_render_func(context))
        except Exception:
            template.environment.handle_exception()  # as render() does: template lines


_bases: dict[tuple[int, int], tuple] = {}


def _with_globals(template, shared: dict) -> dict:
    """The template's globals under the build's shared context, made once per build
    (what Template.new_context merges for every page); `shared` wins, as there."""
    key = (id(template.globals), id(shared))
    known = _bases.get(key)
    if known is None or known[0] is not template.globals or known[1] is not shared:
        known = _bases[key] = (template.globals, shared, {**template.globals, **shared})
    return known[2]


class _Noted:
    def __init__(self, template, shared):
        self.template, self.shared = template, shared

    def render(self, context):
        return _Page(self.template, self.shared, context)


class _Capture:
    """The file object Pelican writes a page or a feed to."""

    def __init__(self, writer, path):
        self.writer, self.path, self.pieces = writer, path, []

    def write(self, piece):
        self.pieces.append(piece)

    def __enter__(self):
        return self

    def __exit__(self, *error):
        if error[0] is not None or self.path is None:
            return
        if len(self.pieces) == 1 and isinstance(self.pieces[0], _Page):
            self.writer.pending.append((self.path, self.pieces[0]))
        else:
            joined = b"".join(p if isinstance(p, bytes) else p.encode() for p in self.pieces)
            self.writer.count(write_if_changed(self.path, joined))


def render_share(
    jobs: Iterable, skipping: "Skipping | None", output: str, new_site: bool = False
) -> list:
    """Render and write a share of the pages. With `skipping`: a page whose inputs did
    not change is left as it is, what each rendered page read is noted, and parts of
    pages are found and kept across builds (kept_parts.py). `new_site`: the output
    folder was empty when the build began (write_new)."""
    parts = skipping.parts if skipping is not None else None
    with Swapper(output) as swapper, using(parts):
        write = _as_new if new_site else functools.partial(_if_changed, replace=swapper.replace)
        done = _render_share(jobs, skipping, write)
        return [*done, parts.handed_over() if parts else (None, {})]


def _if_changed(path: str, text: str, replace) -> tuple[bool, None]:
    return write_if_changed(path, text, replace), None


def _as_new(path: str, text: str) -> tuple[bool, str]:
    return True, write_new(path, text)


WRITE_BATCH = 32  # pages rendered before they are written, one after the other


def _render_share(jobs: Iterable, skipping: "Skipping | None", write) -> list:
    """`write(path, text)`: (whether the file changed, its stamp if known). Pages are
    written WRITE_BATCH at a time: the kernel's work on folders and files, done one
    page after the other between renders, found less of its own data in the processor's
    caches (a folder and a page of 10 KB: ~100 µs in a renderer, 55 µs alone)."""
    changed, kept, number = 0, [], 0
    records = PackedRecords()
    rendered: list[tuple] = []

    def write_rendered() -> None:
        nonlocal changed
        for path, page, text, trace in rendered:
            written, stamp = write(path, text)
            changed += written
            if skipping is not None:
                record = record_of(skipping.build, page, trace, skipping.digests, path, stamp)
                if record is not None:
                    records.add(path, record)
        rendered.clear()

    for number, (path, page) in enumerate(jobs, start=1):
        if skipping is None:
            rendered.append((path, page, page.render(), None))
        elif skipping.is_fresh(path, page):
            kept.append(path)
            continue
        else:
            rendered.append((path, page, *render_traced(page)))
        if len(rendered) >= WRITE_BATCH:
            write_rendered()
        if number % 200 == 0:  # Pelican keeps every body it rendered; each is written once
            Content.get_content.cache.clear()
    write_rendered()
    return [changed, number - changed - len(kept), records.packed(), records.stamps, kept]


def last_of_each(jobs: list) -> list:
    """A page noted twice (the second time overriding the first, as Pelican allows) is
    rendered once, as it was noted last: what Pelican's writes one after the other leave.
    Rendered twice, by two processes at once, either could have been left."""
    return list(dict(jobs).items())


def listings_apart(jobs: list) -> list[list]:
    """The listings' pages, then the others (parallel.run_in_lanes): this process, which
    takes the first lane, renders the listings, and with them each article's item once
    (fragments.remember). Shared by both processes, each rendered nearly every item:
    19656 and 19658 of the 20000 at 20000 articles, one of them for nothing, at some
    40 µs an item. A worker whose lane runs out renders listings too."""
    listings, others = [], []
    for job in jobs:
        (listings if job[1].listing else others).append(job)
    return [listings, others]


def body_key(page) -> str | None:
    """The Markdown cache's key of the body a page shows (an article's or a page's own,
    left in the cache: frozen.py), if it shows one."""
    for value in page.own.values():
        if isinstance(value, Content) and "_content" not in value.__dict__:
            key = value.__dict__.get("_body_key")
            if key is not None:
                return key
    return None


class Skipping:
    """What tells, in this build, a page that need not be rendered again. Each worker
    checks its own share of the pages: the digests are most of a rebuild's work."""

    def __init__(self, settings, jobs, index: dict):
        environments = {
            id(page.template.environment): page.template.environment for _, page in jobs
        }
        self.settings = settings
        self.build = build_digest(settings, environments.values())
        self.digests = Digests(settings)
        self.index = index
        self.previous, self.previous_contents = load_records(settings)
        self.contents: dict = {}  # this build's content digests, once all are known
        self.unchanged: set = set()
        self.order: list = []  # the index's tokens by number (record_of)
        self.parts: KeptParts | None = None  # once every content digest is known

    def take(self, reports: list) -> None:
        """Content digests other processes worked out. (In a function of its own: a loop
        variable of flush's would keep the worker's last report, 7 MB at 20000 articles,
        alive while the pages render.)"""
        for described in reports:
            self.digests.take(described, self.index)

    def described(self) -> None:
        """Every content digest is known: which are as the last build's records saw them."""
        self.contents = self.digests.of_index(self.index)
        self.order = self.digests.know_index(self.index, self.contents)
        self.unchanged = unchanged_contents(self.previous_contents, self.contents)
        self.previous_contents = {}
        self.parts = KeptParts(self.settings, self.build, self.digests, self.index, self.contents)

    def is_fresh(self, path: str, page) -> bool:
        record = self.previous.get(path)
        return record is not None and is_fresh(
            record, self.build, page, path, self.digests, self.unchanged
        )


# What pelican.writers uses while a page is noted, and its own
_NOTING = (_FOLDERS_LATER, _Paginator, _sanitised_join)
_PELICANS = (os, Paginator, sanitised_join)


class FastWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.pending: list[tuple[str, _Page]] = []
        self.flushed = False
        self.changed = self.unchanged = self.skipped = 0
        self.records: BuildRecords | None = None  # what each page read, when pages were skipped
        self.contents: dict = {}  # the content digests the records were made with
        self.parts: KeptParts | None = None  # parts of pages for the next build

    def count(self, changed: bool) -> None:
        if changed:
            self.changed += 1
        else:
            self.unchanged += 1

    def write_file(self, name, template, context, *args, **kwargs):
        if self.flushed:
            return super().write_file(name, template, context, *args, **kwargs)
        if not args and self._plain_page(name, kwargs):
            self._note_plain(name, template, context, **kwargs)
            return None
        writers = pelican.writers
        writers.os, writers.Paginator, writers.sanitised_join = _NOTING
        try:
            noted = _Noted(template, context)
            return super().write_file(name, noted, _SharedContext(context), *args, **kwargs)
        finally:
            writers.os, writers.Paginator, writers.sanitised_join = _PELICANS

    def _plain_page(self, name, kwargs: dict) -> bool:
        """Whether Pelican's write_file would write one page (no listing), and tell no
        plugin about it (no receiver of content_written): then _note_plain notes it."""
        if not name or "paginated" in kwargs or signals.content_written.receivers:
            return False
        listed = kwargs.keys() & {"articles", "dates"}
        return not listed or kwargs.get("template_name") not in self.settings["PAGINATED_TEMPLATES"]

    def _note_plain(
        self, name, template, context, relative_urls=False, template_name=None,
        override_output=False, url=None, **kwargs,
    ):  # fmt: skip
        """Pelican's write_file for one page, as its steps go (writers.py): the page's
        context is what it sets over the build's, and the file a note. Through Pelican's
        own code, a page (20000 of them at 20000 articles) took 20 µs of the build's one
        busy core, most of it in a copy of the context and paths worked out twice."""
        own = {"localsiteurl": context.get("localsiteurl")}
        if relative_urls:
            own["SITEURL"] = own["localsiteurl"] = path_to_url(get_relative_path(name))
        own["output_file"] = name
        own.update(kwargs)
        if own["localsiteurl"]:
            context["localsiteurl"] = own["localsiteurl"]
        path = _sanitised_join(self.output_path, name)
        with self._open_w(path, "utf-8", override=override_output) as capture:
            capture.write(_Page(template, context, own, own_only=True))
        pelican.writers.logger.info('Writing "%s"', path)  # as Pelican says it

    def _open_w(self, filename, encoding, override=False):
        """Pelican's rule for one file written twice, without truncating the file yet."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return _Capture(self, None)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'"{filename}" was already written by this build')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Capture(self, filename)

    def flush(
        self,
        index: dict | None = None,
        digests: "Shared | None" = None,
        new_site=False,
        before_rendering: Callable[[], None] | None = None,
    ) -> None:
        """Render the noted pages: here, or shared with forked workers on a large site.
        Given every content object of the build (`index`), pages whose inputs did not
        change since the last build are not rendered again (see traces.py). `digests`:
        the content digests, begun by a worker meanwhile (plugin.py). `new_site`: the
        output folder was empty when the build began (write_new). `before_rendering`: called
        once the pages are ready to render (plugin.py stops making folders then)."""
        self.flushed = True
        jobs, self.pending = last_of_each(self.pending), []
        _Paginator._last = None  # the pages are noted
        _bases.clear()  # the last build's shared context and globals: let go
        skipping = None
        if index is not None and self.settings.get("FAST_BUILD", {}).get("skip_unchanged", True):
            skipping = Skipping(self.settings, jobs, index)
            if digests is not None:
                skipping.take(digests.results())
            else:
                workers = workers_for(self.settings, len(index))
                skipping.digests.contents_on_every_core(index, workers)
            skipping.described()
            self.records, self.contents = BuildRecords(skipping.order), skipping.contents
        workers = workers_for(self.settings, len(jobs))
        run = run_size(len(jobs), max(1, min(workers, len(jobs))))
        lanes = listings_apart(jobs)
        bodies = [[body_key(page) for _, page in lane] for lane in lanes]
        cache_for(self.settings).expect_bodies(bodies, run)
        output = os.path.abspath(self.output_path)
        os.makedirs(output, exist_ok=True)
        remove_left_over(output)
        if before_rendering is not None:
            before_rendering()
        results = run_in_lanes(
            lanes, lambda share: render_share(share, skipping, output, new_site), workers
        )
        for number, (changed, unchanged, records, stamps, kept, parts) in enumerate(results):
            self.changed += changed
            self.unchanged += unchanged + len(kept)
            self.skipped += len(kept)
            if skipping is not None:
                self.records.carry(kept, skipping.previous)
                self.records.take(records, stamps)
                if number:  # the first is this process's own
                    skipping.parts.take(parts)
        self.parts = skipping.parts if skipping is not None else None

    def write_text(self, path: str, text: str | bytes) -> None:
        """A file that is no page (a vCard, open data): written if changed, and known to
        the build, so it is removed once its source is gone."""
        self._written_files.add(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.count(write_if_changed(path, text))

    def written(self) -> set[str]:
        """Every file this build wrote or found already right, relative to the output."""
        return relative(self.output_path, self._written_files)


def write_output(writer, path: str, text: str | bytes) -> None:
    """How plugins write files that are no pages: through fast_build's writer when it is
    the build's, plainly otherwise."""
    if isinstance(writer, FastWriter):
        writer.write_text(path, text)
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)


def note_output(writer, path: str) -> None:
    """A file this build would have written with the bytes it already holds: known to
    the build like a written one, so it is removed once its source is gone."""
    if isinstance(writer, FastWriter):
        writer._written_files.add(path)
