"""Each distinct name slugified once per process.

Pelican slugifies a category, tag or author name every time an article names it or a
template compares it (unidecode, then every substitution rule): 20000 articles meant
some 100000 slugs of a few hundred names. Same function, same answers, remembered.
"""

import functools
import types

import pelican.urlwrappers
import pelican.utils
import unidecode

_slugify = pelican.utils.slugify


@functools.lru_cache(maxsize=100_000)
def _remembered(value, regex_subs, preserve_case, use_unicode):
    return _slugify(value, regex_subs, preserve_case, use_unicode)


def slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
    rules = tuple(tuple(rule) for rule in regex_subs)
    return _remembered(value, rules, preserve_case, use_unicode)


def remember_slugs() -> None:
    """Where Pelican's categories, tags and authors look slugify up. Content slugifies its
    title once, and titles do not repeat: remembered, the benchmark's 20000 held 4,6 MB
    more a process, for nothing."""
    pelican.urlwrappers.slugify = slugify


class _Transliterations(dict):
    """unidecode's answer for each character, by code, asked of unidecode once."""

    def __missing__(self, code: int) -> str:
        found = self[code] = unidecode.unidecode(chr(code))
        return found


_TRANSLITERATIONS = _Transliterations()


def transliterate(text: str) -> str:
    """unidecode.unidecode(text): unidecode replaces each character on its own, from a
    table, so a title is the translation of its characters, done in C by str.translate.
    unidecode looked each one up in Python: 20 µs a title, 0,2 s a process of a first
    build at 20000 articles."""
    return text if text.isascii() else text.translate(_TRANSLITERATIONS)


def transliterate_once() -> None:
    """What Pelican's slugify calls for unidecode (a plugin's register())."""
    pelican.utils.unidecode = types.SimpleNamespace(unidecode=transliterate)
