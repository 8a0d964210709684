"""Unicode normalisation and URL slugs for Vietnamese text."""

import unicodedata

from pelican.utils import slugify as pelican_slugify

# Applied by Pelican's slugify after tones are removed (unidecode maps đ to d).
# A separator between two letters or digits ("907-QĐ/TU", "100/2019/NĐ-CP", "12,65")
# becomes a hyphen instead of vanishing, so document numbers stay readable.
SLUG_SUBSTITUTIONS = [
    (r"(?<=[0-9A-Za-z])[/\\.,:;+&_](?=[0-9A-Za-z])", "-"),
    (r"[^\w\s-]", ""),
    (r"[\s_-]+", "-"),
    (r"^-+|-+$", ""),
]


def nfc(text: str) -> str:
    """Compose NFD input (macOS, Unikey's composite mode) so it compares equal."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def slugify(text: str) -> str:
    """The portal's slug: ASCII, no tones, đ→d, separators inside numbers kept."""
    return pelican_slugify(nfc(text), regex_subs=SLUG_SUBSTITUTIONS)
