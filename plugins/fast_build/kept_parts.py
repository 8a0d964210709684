"""Parts of pages (fragments.remember) kept from one build for the next.

A listing shows each article as an item of its own: photo, title, category, date, lead.
The item comes out the same on every listing and in every build as long as the article,
the theme and the settings do. Yet an article dated after every other shifts every item
of the news index, its category and its tags by one place: at 20000 articles, 3539 pages
and some 35000 items to render again, at 36 µs an item (three quarters of a listing
page's time). So a part rendered through `remember` with a content object among its
arguments is kept after the build, with the digests (fingerprints.py) of the content
objects it read and of the names it looked up. A later build with the same settings,
templates and code gives the kept markup again only when all of those are the same: the
markup rendering would give. A page showing it notes in its trace what the part read,
as if it had rendered it.

The markup stays in files, not in memory: the last build's parts in one file read with
`os.pread` (which every forked renderer shares), the parts a process renders in a
scratch file of its own, and in memory only where each part is and what it read. Held in
memory, the markup of 20000 items (17 MB a process, and a copy of each item in each
renderer) made a first build's peak 433 MB instead of 301.
"""

import contextlib
import os
from hashlib import blake2b
from pathlib import Path

from markupsafe import Markup
from pelican.contents import Content

from .fingerprints import Unknown, _hash, text
from .stale import load_kept, per_output, save_kept
from .traces import described_names, note_read

_using: "KeptParts | None" = None  # the build's parts, while this process renders pages
_LENGTH = (1 << 32) - 1  # a part's place: its offset, then its length in the low 32 bits
PENDING = 1 << 18  # markup held before it goes to the scratch file
WINDOW = 1 << 18  # bytes of a markup file read at once (_Window)
WASTE = 0.25  # the share of the markup file no part points to before it is written anew


def parts_folder(settings) -> Path:
    return per_output(settings, "parts", "")


class KeptParts:
    """The last build's parts, and those this process renders. `contents`: this build's
    content digests by token; `index`: its content objects by token (traces.py).

    A part is kept under a digest of its template, its macro and its arguments, where a
    content object counts by its token and its digest: a part found is one rendered from
    the same objects. With it: where its markup is (UTF-8), the names it looked up and
    their values' digest, the digests of its content arguments, which arguments it read,
    and any other content object it read with that object's digest."""

    def __init__(self, settings, build: bytes, digests, index: dict, contents: dict):
        self.settings, self.build, self.digests = settings, build, digests
        self.index, self.contents = index, contents
        self.folder = parts_folder(settings)
        self.previous: dict[bytes, tuple] = {}
        self.markup_file: str | None = None  # the last build's markup, by name in the folder
        self._markup_fd: int | None = None
        self._markup: _Window | None = None
        kept = load_kept(self.folder / "index.kept") or {}
        if kept.get("build") == build and isinstance(kept.get("parts"), dict):
            with contextlib.suppress(OSError, KeyError, TypeError):
                path = self.folder / kept["markup"]
                fd = os.open(path, os.O_RDONLY)
                if os.fstat(fd).st_size >= kept["size"]:  # no shorter than it was written
                    self.previous, self.markup_file, self._markup_fd = kept["parts"], path, fd
                    self._markup = _Window(fd)
                else:
                    os.close(fd)
        self.made: dict[bytes, tuple] = {}  # this process's, into its scratch file
        self.scratch: Path | None = None
        self._scratch_fd: int | None = None
        self._scratch: _Window | None = None
        self._pending = bytearray()
        self._written = 0  # bytes of the scratch file before `_pending`
        self._names: dict[tuple, bytes | None] = {}
        self._taken: list[tuple[Path, dict]] = []  # other processes' (take)
        self._metas: dict[tuple, tuple] = {}

    def __del__(self):  # a build that stopped before save (the dev server goes on)
        self._close()

    def _close(self) -> None:
        for name in ("_markup_fd", "_scratch_fd"):
            fd = getattr(self, name, None)
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, name, None)

    def key(self, template: str, name: str, args: tuple) -> bytes | None:
        """Which part, from what: None when an argument cannot be described, or none is
        a content object (the footer's parts: rendered once a build, nothing to save)."""
        pieces, contents = [text(template), text(name)], False
        try:
            for arg in args:
                pieces.append(self.digests.value(arg))
                if isinstance(arg, Content):
                    digest = self.contents.get(self.digests.token(arg))
                    if digest is None:
                        return None
                    pieces.append(digest)
                    contents = True
        except Unknown:
            return None
        return blake2b(b"".join(pieces), digest_size=16).digest() if contents else None

    def find(self, key: bytes, environment, template: str, args: tuple) -> Markup | None:
        """The markup of a part this process rendered, or of a kept one still as it would
        render; what it read is noted in the page's trace."""
        entry = self.made.get(key)
        if entry is not None:
            markup = self._made_markup(entry[0] >> 32, entry[0] & _LENGTH)
        else:
            entry = self.previous.get(key)
            if entry is None or not self._holds(entry[1], environment, template):
                return None
            markup = self._markup.read(entry[0] >> 32, entry[0] & _LENGTH)
        names, _, read_args, others = entry[1]
        note_read(names, [args[n] for n in read_args] + [self.index[n] for n, _ in others])
        return Markup(markup.decode())

    def _holds(self, meta: tuple, environment, template: str) -> bool:
        names, names_digest, _, others = meta
        contents = self.contents
        for name, digest in others:
            if contents.get(name) != digest:
                return False
        return self.names_digest(environment, template, names) == names_digest

    def keep(self, key: bytes, environment, template: str, args: tuple, markup, part) -> bool:
        """A part this process rendered, if what it read can be described."""
        if part is None or part.unknown is not None:
            return False
        names = tuple(sorted(part.names))
        names_digest = self.names_digest(environment, template, names)
        if names_digest is None:
            return False
        given = {id(arg): n for n, arg in enumerate(args) if isinstance(arg, Content)}
        read_args, others = [], []
        for content in part.contents.values():
            if id(content) in given:
                read_args.append(given[id(content)])
                continue
            name = self.digests.token(content)
            digest = self.contents.get(name)
            if digest is None:
                return False  # not this build's content, or not described
            others.append((name, digest))
        digests = tuple(self.contents[self.digests.token(args[n])] for n in given.values())
        if len(digests) == 1:  # the one content argument's digest, without a tuple
            digests = digests[0]
        data = str(markup).encode()
        meta = (names, names_digest, tuple(sorted(read_args)), tuple(sorted(others)))
        meta = self._metas.setdefault(meta, meta)  # most parts read alike: one tuple
        self.made[key] = ((self._written + len(self._pending)) << 32 | len(data), meta, digests)
        self._pending += data
        if len(self._pending) >= PENDING:
            self._flush()
        return True

    def _made_markup(self, offset: int, length: int) -> bytes:
        start = offset - self._written
        if start >= 0:
            return bytes(self._pending[start : start + length])
        return self._scratch.read(offset, length)

    def _flush(self) -> None:
        if self._scratch_fd is None:  # each process its own (renderers fork)
            self.folder.mkdir(parents=True, exist_ok=True)
            self.scratch = self.folder / f"made-{os.getpid()}"
            self._scratch_fd = os.open(self.scratch, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            self._scratch = _Window(self._scratch_fd)
        os.write(self._scratch_fd, self._pending)
        self._written += len(self._pending)
        self._pending.clear()

    def names_digest(self, environment, template: str, names: tuple) -> bytes | None:
        """The values of the names a part looked up, as its template's module finds them
        (an imported template sees the environment's globals, not the page's context)."""
        found = self._names.get((template, names), False)
        if found is not False:
            return found
        scope = environment.get_template(template).globals
        try:
            found = _hash(b"names", *described_names(names, (scope,), self.digests))
        except Unknown:
            found = None
        self._names[(template, names)] = found
        return found

    def handed_over(self) -> tuple[str | None, dict]:
        """This process's scratch file and where each part is in it, for the build that
        forked it (take)."""
        if self._pending:
            self._flush()
        return (None if self.scratch is None else str(self.scratch)), self.made

    def take(self, handed: tuple[str | None, dict]) -> None:
        scratch, made = handed
        if scratch is not None and made:
            self._taken.append((Path(scratch), made))

    def save(self) -> None:
        """What the next build may find: the parts this build rendered, and the kept ones
        made from content objects as they are now (the others would never be found
        again). New markup is added to the end of the markup file, which is written anew
        once a quarter of it is markup no part points to."""
        try:
            self._save()
        finally:
            self._close()
            for scratch, _ in self._taken:
                scratch.unlink(missing_ok=True)
            if self.scratch is not None:
                self.scratch.unlink(missing_ok=True)

    def _save(self) -> None:
        self.handed_over()
        sources = [(self.scratch, self.made)] if self.made else []
        sources += self._taken
        new = {key: (path, entry) for path, made in sources for key, entry in made.items()}
        alive, contents = set(self.contents.values()), self.contents
        kept = {
            key: entry
            for key, entry in self.previous.items()
            if key not in new
            and (entry[2] in alive if type(entry[2]) is bytes else alive.issuperset(entry[2]))
            and all(contents.get(name) == digest for name, digest in entry[1][3])
        }
        if not new and len(kept) == len(self.previous):
            return
        size = os.fstat(self._markup_fd).st_size if self._markup_fd is not None else 0
        live = sum(entry[0] & _LENGTH for entry in kept.values())
        adding = sum(entry[0] & _LENGTH for _, entry in new.values())
        if self.markup_file is not None and live + adding >= (1 - WASTE) * (size + adding):
            target, start, parts = self.markup_file, size, kept
        else:
            target = self.folder / f"markup-{os.getpid()}-{os.urandom(4).hex()}"
            start, parts = 0, {}
            new = {**{key: (self.markup_file, entry) for key, entry in kept.items()}, **new}
            if not kept:
                start = _adopted(sources, new, target, parts)
        self.folder.mkdir(parents=True, exist_ok=True)
        position = _copy_parts(new, target, start, parts)
        kept_index = {"build": self.build, "parts": parts, "markup": Path(target).name}
        save_kept(self.folder / "index.kept", {**kept_index, "size": position})
        for old in self.folder.glob("markup-*"):
            if old.name != Path(target).name:
                old.unlink(missing_ok=True)
        for left in self.folder.glob("made-*"):  # a build that stopped halfway left them
            left.unlink(missing_ok=True)


class _Window:
    """Reads from a markup file, which is only ever added to, served from the WINDOW bytes
    read last around the part asked for. Parts are asked for in nearly the order they
    were written: a listing's items are the articles next in date, rendered earlier for
    the listings before it. A first build at 20000 articles read 79190 parts back from
    its scratch file, one system call each (0,25 s of the listings' renderer); 98 % of
    them are now in the window the part before left."""

    def __init__(self, fd: int):
        self.fd, self.start, self.data = fd, 0, b""

    def read(self, offset: int, length: int) -> bytes:
        at = offset - self.start
        if at < 0 or at + length > len(self.data):
            self.start = max(0, offset - WINDOW // 4)  # a little of what comes before
            self.data = os.pread(self.fd, max(WINDOW, offset + length - self.start), self.start)
            at = offset - self.start
        return self.data[at : at + length]


def _adopted(sources: list, new: dict, target: Path, into: dict) -> int:
    """With no kept part to carry over (a first build), the largest scratch file becomes
    the markup file as it is: every byte of it is a part (keep), each where its entry
    says. Its parts go `into` the index and out of `new`, which is left to be copied
    after it; returns its size. Copied part by part, the 20000 items of a first build at
    20000 articles took 0,1 s of the build's one busy core, after every page."""
    if not sources:
        return 0
    size, scratch, made = max((path.stat().st_size, path, made) for path, made in sources)
    scratch.rename(target)
    for key, entry in made.items():
        if new.get(key, (None,))[0] == scratch:  # one process's part where two made it
            into[key] = entry
            del new[key]
    return size


def _copy_parts(parts: dict, target, start: int, into: dict) -> int:
    """Each part's markup, from the file it is in, to the end of `target` (at `start`);
    where it is now goes `into` the index. Read part by part: the scratch files of a
    first build (16 MB each at 20000 articles) read whole were the build's peak."""
    sources: dict = {}
    position = start
    try:
        with open(target, "ab") as out:
            for key, (path, entry) in parts.items():
                fd = sources.get(path)
                if fd is None:
                    fd = sources[path] = os.open(path, os.O_RDONLY)
                length = entry[0] & _LENGTH
                out.write(os.pread(fd, length, entry[0] >> 32))
                into[key] = (position << 32 | length, *entry[1:])
                position += length
    finally:
        for fd in sources.values():
            os.close(fd)
    return position


def current() -> "KeptParts | None":
    return _using


@contextlib.contextmanager
def using(parts: "KeptParts | None"):
    """`parts` found and kept by `remember` while this process renders its pages."""
    global _using
    _using = parts
    try:
        yield
    finally:
        _using = None
