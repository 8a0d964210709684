"""How readers' words meet the text: Vietnamese folded to plain letters.

Readers type on phones without tone marks and with "d" for "đ", so every word is indexed
under its folded form ("Đảng ủy" -> "dang uy") and keeps its exact form, which ranks
first when the reader typed it. Keys are single syllables and pairs of neighbouring
syllables: a Vietnamese word is mostly two syllables ("đông triều", "chữ ký"), and a pair
is found in far fewer pages than either syllable, so a two-word query reads a small
posting list. theme/static/js/search.js folds queries by the same rules.
"""

import re
import unicodedata

WORD = re.compile(r"[^\W_]+")
# Sentence and clause marks: a pair of syllables never spans one.
BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»…–—|/]+|\s-\s")


def _fold_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for code in range(0xC0, 0x2000):
        char = chr(code)
        parts = unicodedata.normalize("NFD", char)
        plain = "".join(c for c in parts if not unicodedata.combining(c))
        if plain != char and plain:
            table[code] = plain.lower()
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    """Lowercase, without tone marks or diacritics, "đ" as "d"; text must be NFC."""
    return text.lower().translate(FOLD)


def words(text: str) -> list[str]:
    """The syllables of NFC text, lowercased, exact."""
    return WORD.findall(unicodedata.normalize("NFC", text).lower())


def keys(text: str) -> set[tuple[str, str]]:
    """(folded key, exact form) for each syllable and each pair of neighbouring
    syllables within a clause."""
    found: set[tuple[str, str]] = set()
    for clause in BREAK.split(unicodedata.normalize("NFC", text).lower()):
        exact = WORD.findall(clause)
        if not exact:
            continue
        folded = WORD.findall(clause.translate(FOLD))
        if len(folded) != len(exact):  # a letter that folds to none or to two
            folded = [syllable.translate(FOLD) for syllable in exact]
        found.update(zip(folded, exact, strict=True))
        for i in range(len(exact) - 1):
            found.add((f"{folded[i]} {folded[i + 1]}", f"{exact[i]} {exact[i + 1]}"))
    return found
