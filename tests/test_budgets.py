"""Page weight: every page type's first view (HTML, CSS and JavaScript, as nginx sends
them compressed; photos aside) stays within 30 KB, from our own origin only."""

import gzip
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import soup
from test_frame import PAGE_TYPES

BUDGET = 30_000  # bytes, compressed
SITE = "https://chinhquyendientu.quangninh.gov.vn"


def served_size(site: Path, path: str) -> int:
    """What a phone downloads: the Brotli copy `make publish` wrote, else gzip, else the
    file itself (nginx sends a precompressed copy only when it is smaller)."""
    file = site / path
    for suffix in (".br", ".gz"):
        packed = file.with_name(file.name + suffix)
        if packed.is_file():
            return packed.stat().st_size
    return min(file.stat().st_size, len(gzip.compress(file.read_bytes(), 9)))


def first_view(site: Path, page: str) -> dict[str, int]:
    """The page and every stylesheet and script it loads at once, with their sizes."""
    parsed = soup(site / page)
    wanted = [page]
    for element in parsed.select("link[rel~=stylesheet], link[rel~=modulepreload], script[src]"):
        url = element.get("href") or element.get("src")
        origin = urlparse(url)
        assert f"{origin.scheme}://{origin.netloc}" in ("://", SITE), f"{page} loads {url}"
        wanted.append(origin.path.lstrip("/"))
    return {path: served_size(site, path) for path in wanted}


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_first_view_within_budget(published_site, kind):
    sizes = first_view(published_site, PAGE_TYPES[kind])
    assert len(sizes) >= 2  # the page and at least its stylesheet are counted
    assert sum(sizes.values()) <= BUDGET, sizes


def test_the_budget_catches_a_heavy_page(published_site, tmp_path):
    """The check itself: a page padded past the budget fails it."""
    page = PAGE_TYPES["article"]
    heavy = tmp_path / page
    heavy.parent.mkdir(parents=True)
    text = (published_site / page).read_text(encoding="utf-8")
    noise = "".join(f"<p>{n * 7919 % 100003:x}{n}</p>" for n in range(12000))
    heavy.write_text(text.replace("</main>", noise + "</main>"), encoding="utf-8")
    for linked in list(first_view(published_site, page))[1:]:
        (tmp_path / linked).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / linked).write_bytes((published_site / linked).read_bytes())
    assert sum(first_view(tmp_path, page).values()) > BUDGET
