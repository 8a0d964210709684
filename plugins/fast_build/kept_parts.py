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
"""

import contextlib
from hashlib import blake2b

from markupsafe import Markup
from pelican.contents import Content

from .fingerprints import Unknown, _hash, leaf, text
from .stale import KEPT_SUFFIX, load_kept, per_output, save_kept
from .traces import Trace

_using: "KeptParts | None" = None  # the build's parts, while this process renders pages
_ABSENT = leaf(b"-", b"")


def parts_path(settings):
    return per_output(settings, "parts", KEPT_SUFFIX)


class KeptParts:
    """The last build's parts, and those this process renders. `contents`: this build's
    content digests by token; `index`: its content objects by token (traces.py).

    A part is kept under a digest of its template, its macro and its arguments, where a
    content object counts by its token and its digest: a part found is one rendered from
    the same objects. With it: its markup (UTF-8: marshal reads bytes as they are, some
    20 MB at 20000 articles), the names it looked up and their values' digest, which
    arguments it read, and any other content object it read with that object's digest."""

    def __init__(self, settings, build: bytes, digests, index: dict, contents: dict):
        self.settings, self.build, self.digests = settings, build, digests
        self.index, self.contents = index, contents
        kept = load_kept(parts_path(settings)) or {}
        same = kept.get("build") == build and isinstance(kept.get("parts"), dict)
        self.previous: dict[bytes, tuple] = kept["parts"] if same else {}
        self.made: dict[bytes, tuple] = {}
        self._names: dict[tuple, bytes | None] = {}

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

    def find(self, key: bytes, environment, template: str, args: tuple) -> tuple | None:
        """(markup, what it read as a Trace) of a kept part still as it would render."""
        entry = self.previous.get(key)
        if entry is None:
            return None
        markup, names, names_digest, _, read_args, others = entry
        contents = self.contents
        for name, digest in others:
            if contents.get(name) != digest:
                return None
        if self.names_digest(environment, template, names) != names_digest:
            return None
        part = Trace()
        part.names = set(names)
        read = [args[n] for n in read_args] + [self.index[name] for name, _ in others]
        part.contents = {id(content): content for content in read}
        return Markup(markup.decode()), part

    def keep(self, key: bytes, environment, template: str, args: tuple, markup, part) -> None:
        """A part this process rendered, if what it read can be described."""
        if part.unknown is not None:
            return
        names = tuple(sorted(part.names))
        names_digest = self.names_digest(environment, template, names)
        if names_digest is None:
            return
        given = {id(arg): n for n, arg in enumerate(args) if isinstance(arg, Content)}
        read_args, others = [], []
        for content in part.contents.values():
            if id(content) in given:
                read_args.append(given[id(content)])
                continue
            name = self.digests.token(content)
            digest = self.contents.get(name)
            if digest is None:
                return  # not this build's content, or not described
            others.append((name, digest))
        digests = tuple(self.contents[self.digests.token(args[n])] for n in given.values())
        entry = (str(markup).encode(), names, names_digest, digests, tuple(sorted(read_args)))
        self.made[key] = (*entry, tuple(sorted(others)))

    def names_digest(self, environment, template: str, names: tuple) -> bytes | None:
        """The values of the names a part looked up, as its template's module finds them
        (an imported template sees the environment's globals, not the page's context)."""
        found = self._names.get((template, names), False)
        if found is not False:
            return found
        scope = environment.get_template(template).globals
        try:
            value = self.digests.value
            described = (text(n) + (value(scope[n]) if n in scope else _ABSENT) for n in names)
            found = _hash(b"names", *described)
        except Unknown:
            found = None
        self._names[(template, names)] = found
        return found

    def take(self, made: dict) -> None:
        """Parts another process rendered (its `made`)."""
        self.made.update(made)

    def save(self) -> None:
        """What the next build may find: the parts this build rendered, and the kept ones
        made from content objects as they are now (the others would never be found
        again). Not written when that is what the file holds."""
        alive, contents = set(self.contents.values()), self.contents
        kept = {
            key: entry
            for key, entry in self.previous.items()
            if key not in self.made
            and alive.issuperset(entry[3])
            and all(contents.get(name) == digest for name, digest in entry[5])
        }
        if self.made or len(kept) < len(self.previous):
            save_kept(parts_path(self.settings), {"build": self.build, "parts": kept | self.made})


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
