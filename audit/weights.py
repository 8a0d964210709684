"""What a page's first view weighs: the HTML, stylesheets and scripts as nginx sends them
compressed (photos aside), and where they come from."""

import gzip
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

BUDGET = 30_000  # bytes, compressed: the 30 KB for HTML + CSS + JS


class ThirdParty(ValueError):
    pass


def served_size(site: Path, path: str) -> int:
    """The Brotli copy `make publish` wrote, else gzip, else the file (nginx sends a
    precompressed copy only when there is one)."""
    file = site / path
    for suffix in (".br", ".gz"):
        packed = file.with_name(file.name + suffix)
        if packed.is_file():
            return packed.stat().st_size
    return min(file.stat().st_size, len(gzip.compress(file.read_bytes(), 9)))


def first_view(site: Path, page: str, origin: str) -> dict[str, int]:
    """The page and every stylesheet and script it loads at once, with their sizes;
    ThirdParty when one comes from elsewhere than `origin` (the site's own address)."""
    parsed = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    wanted = [page]
    for element in parsed.select("link[rel~=stylesheet], link[rel~=modulepreload], script[src]"):
        url = element.get("href") or element.get("src")
        parts = urlparse(url)
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != origin:
            raise ThirdParty(f"{page} loads {url}")
        wanted.append(parts.path.lstrip("/"))
    return {path: served_size(site, path) for path in wanted}
