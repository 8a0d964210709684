"""Each page's url and save_as worked out once, when the content can no longer change.

Pelican recomputes both from the URL settings at every use (a format string, a relative
path and a date formatting each time): a listing names each article several times, so
on a large site this was a fifth of the build. Once writing starts, each content object
is moved to a subclass of its own class that keeps the first answer.
"""

from functools import cached_property

_frozen: dict[type, type] = {}


class _KeepsUrls:
    @cached_property
    def url(self):
        return super().url

    @cached_property
    def save_as(self):
        return super().save_as


def frozen_class(cls: type) -> type:
    if issubclass(cls, _KeepsUrls):
        return cls
    if cls not in _frozen:
        _frozen[cls] = type(cls.__name__, (_KeepsUrls, cls), {"__module__": cls.__module__})
    return _frozen[cls]


def freeze_urls(context) -> int:
    """Every generated content object of the build; returns how many. Static files are
    left alone: an {attach} link may still move one while pages are rendered."""
    count = 0
    for content in context.get("generated_content", {}).values():
        if content is not None and hasattr(type(content), "url"):
            content.__class__ = frozen_class(type(content))
            count += 1
    return count
