"""Content frozen once every generator has read it: urls worked out once, bodies kept on
disk instead of in memory.

Pelican recomputes url and save_as from the URL settings at every use (a format string,
a relative path and a date formatting each time): a listing names each article several
times, so on a large site this was a fifth of the build. And it keeps every article's
body in memory until the end, some 100 MB for 20000 articles, twice over once pages are
rendered on two cores. After all generators have read the content, each object moves to
a subclass of its own class that keeps the first url and save_as, and whose body, when
no plugin changed it, is read back from the Markdown cache when a page needs it. Its
category, tags and authors keep their addresses the same way.
"""

import contextlib
import posixpath
from functools import cached_property

from pelican.contents import Content
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import URLWrapper

from .markdown_cache import cache_for

_frozen: dict[type, type] = {}
ATTACH = ("{attach}", "|attach|")
# Marks of {filename}-style links (and the older |filename|): with them, the body a page
# shows reads other objects' addresses.
LINK_MARKS = ("{", "|")
LINK_PATTERN = DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]  # its links begin with one of them


def links_out(body) -> bool:
    return isinstance(body, str) and any(mark in body for mark in LINK_MARKS)


def without_links(settings, text) -> bool:
    """Whether Pelican's link pattern would give `text` back as it is: a text with no
    mark of a link, under Pelican's own pattern."""
    return (
        isinstance(text, str)
        and not links_out(text)
        and settings["INTRASITE_LINK_REGEX"] == LINK_PATTERN
    )


class _Addresses:
    """url and save_as as first worked out: the content, and its category, tags and
    authors (a listing shows each article's category link, which Pelican formatted from
    the settings each time: 1,3 CPU-seconds of a first build at 20000 articles)."""

    @cached_property
    def url(self):
        return super().url

    @cached_property
    def save_as(self):
        return super().save_as


class _Frozen(_Addresses):
    @cached_property
    def url(self):
        return self._addresses("url", "save_as")

    @cached_property
    def save_as(self):
        return self._addresses("save_as", "url")

    def _addresses(self, wanted: str, other: str) -> str:
        """`wanted`, and `other` with it, worked out from one url_format: Pelican builds
        that dict (the metadata copied, the author's and category's slugs) for each, 6 µs
        an article each time in a first build at 20000 articles, where every article asks
        for both as it is read. `other` is left to be worked out on its own if it fails."""
        fields, pelicans = self.__dict__, super(_Addresses, self)
        fields["_url_format"] = pelicans.url_format
        try:
            found = getattr(pelicans, wanted)
            if other not in fields:
                with contextlib.suppress(Exception):
                    fields[other] = getattr(pelicans, other)
        finally:
            del fields["_url_format"]
        return found

    @property
    def url_format(self):
        shared = self.__dict__.get("_url_format")
        return shared if shared is not None else super().url_format

    @property
    def _content(self):
        body = self.__dict__.get("_content")
        if body is None and "_body_key" in self.__dict__:
            body = cache_for(self.settings).body(self.__dict__["_body_key"], self.source_path)
        return body

    @_content.setter
    def _content(self, value):
        self.__dict__["_content"] = value

    def _update_content(self, content, siteurl):
        """Pelican runs its link pattern over each summary after the generators (and over
        each body a page shows); a text with no mark of a link has none to rewrite."""
        if without_links(self.settings, content):
            return content
        return super()._update_content(content, siteurl)

    def get_summary(self, siteurl: str) -> str:
        """Pelican's, but a summary given in the front matter (as the portal's editors
        give every article's) is taken as it is, which is what Pelican returns for it,
        without Pelican's memo: that kept every summary a renderer showed, with its object
        and address as the key (1,1 MB a renderer at 20000 articles)."""
        metadata = self.__dict__.get("metadata")
        if isinstance(metadata, dict) and "summary" in metadata:
            return metadata["summary"]
        return super().get_summary(siteurl)

    def refresh_metadata_intersite_links(self) -> None:
        """Pelican's, run after the generators over every object in the build's one
        process, but not where it would leave the object as it is (links_settled): some
        7 µs an article, 0,1 s of every build at 20000."""
        if not links_settled(self):
            super().refresh_metadata_intersite_links()

    def get_static_links(self) -> set[str]:
        """Pelican looks for {static} links in every body it takes; a body known to hold
        no mark of one (reading.py notes it) has none: no pattern run over it."""
        fields = self.__dict__
        known = fields.get("_links") is False and ("_content" in fields or "_body_key" in fields)
        if known and self.settings["INTRASITE_LINK_REGEX"] == LINK_PATTERN:
            return set()
        return super().get_static_links()


_MISSING = object()


def links_settled(content) -> bool:
    """Whether Pelican's refresh_metadata_intersite_links would change nothing: each
    formatted field a text _update_content gives back as it is (without_links), which
    the object's attribute holds too (Pelican sets the attribute from the metadata, and
    the metadata's summary from `_summary`)."""
    settings, metadata = content.settings, content.__dict__.get("metadata")
    if not isinstance(metadata, dict):
        return False
    for key in settings["FORMATTED_FIELDS"]:
        if key == "summary":
            if not hasattr(content, "_summary"):
                if "summary" in metadata:
                    return False  # Pelican would set _summary
                continue
            value, held = content._summary, metadata.get("summary", _MISSING)
        elif key in metadata:
            value, held = metadata[key], getattr(content, key.lower(), _MISSING)
        else:
            continue
        if not without_links(settings, value) or held != value:
            return False
    return True


_pelicans_relative_source_path = Content.get_relative_source_path


def _relative_source_path(self, source_path=None):
    """A content object's own path relative to PATH, as Pelican worked it out when it made
    the object (`relative_source_path`), while the object's source is the one it was
    worked out for. Pelican works it out again at every use, a relpath of two abspaths
    (4,4 µs): some seven times an article read, and again for each object taken from the
    read cache (0,4 s at 20000)."""
    own = self.__dict__.get("source_path")
    if own and (not source_path or source_path == own):
        known = self.__dict__.get("relative_source_path")
        if isinstance(known, str) and own == posixpath.join(self.settings["PATH"], known):
            return known
    return _pelicans_relative_source_path(self, source_path)


def remember_relative_paths() -> None:
    """Content's relative path looked up, not worked out anew (a plugin's register())."""
    Content.get_relative_source_path = _relative_source_path


def frozen_class(cls: type) -> type:
    if issubclass(cls, _Addresses):
        return cls
    if cls not in _frozen:
        mixin = _Addresses if issubclass(cls, URLWrapper) else _Frozen
        _frozen[cls] = type(cls.__name__, (mixin, cls), {"__module__": cls.__module__})
    return _frozen[cls]


def plain_class(cls: type) -> type:
    """The class a frozen one was made from (what a kept object is stored as)."""
    return cls.__bases__[1] if issubclass(cls, _Addresses) else cls


# A content object's fields that name categories, tags and authors: one, or a list
WRAPPER_FIELDS, WRAPPER_LISTS = ("category", "author"), ("tags", "authors")


def _freeze_wrappers(content) -> None:
    fields = content.__dict__
    for name in WRAPPER_FIELDS:
        if isinstance(fields.get(name), URLWrapper):
            fields[name].__class__ = frozen_class(type(fields[name]))
    for name in WRAPPER_LISTS:
        for wrapper in fields.get(name) or ():
            if isinstance(wrapper, URLWrapper):
                wrapper.__class__ = frozen_class(type(wrapper))


def freeze(context, settings) -> list:
    """Freeze every generated content object; returns those whose {attach} links must be
    resolved before static files are copied (rendering them moves the files)."""
    cache = cache_for(settings)
    attaching = []
    for content in context.get("generated_content", {}).values():
        if content is None or not hasattr(type(content), "url"):
            continue
        body = content.__dict__.get("_content")
        if isinstance(body, str) and any(mark in body for mark in ATTACH):
            attaching.append(content)
        content.__class__ = frozen_class(type(content))
        _freeze_wrappers(content)
        if isinstance(body, str):  # for digests, while the body is at hand
            content.__dict__["_links"] = links_out(body)
        source = cache.sources.get(getattr(content, "source_path", None))
        if source is not None and isinstance(body, str) and hash(body) == source.body_hash:
            content.__dict__["_body_key"] = source.key  # as read: the cache holds it
            del content.__dict__["_content"]
    return attaching
