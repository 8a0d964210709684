"""Page weight: every page type's first view (HTML, CSS and JavaScript, as nginx sends
them compressed; photos aside) stays within 30 KB, from our own origin only."""

import pytest
from pages import PAGE_TYPES
from weights import BUDGET, ThirdParty, first_view

SITE = "https://chinhquyendientu.quangninh.gov.vn"  # publishconf's SITEURL in the tests


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_first_view_within_budget(published_site, kind):
    sizes = first_view(published_site, PAGE_TYPES[kind], SITE)
    assert len(sizes) >= 2  # the page and at least its stylesheet are counted
    assert sum(sizes.values()) <= BUDGET, sizes


def copy_page(site, page, target):
    for linked in first_view(site, page, SITE):
        (target / linked).parent.mkdir(parents=True, exist_ok=True)
        (target / linked).write_bytes((site / linked).read_bytes())
    return target / page


def test_the_budget_catches_a_heavy_page(published_site, tmp_path):
    page = PAGE_TYPES["article"]
    heavy = copy_page(published_site, page, tmp_path)
    noise = "".join(f"<p>{n * 7919 % 100003:x}{n}</p>" for n in range(12000))
    heavy.write_text(heavy.read_text(encoding="utf-8").replace("</main>", noise + "</main>"))
    assert sum(first_view(tmp_path, page, SITE).values()) > BUDGET


def test_a_script_from_elsewhere_is_refused(published_site, tmp_path):
    page = PAGE_TYPES["home"]
    copied = copy_page(published_site, page, tmp_path)
    tag = '<script src="https://cdn.example.com/x.js" defer></script></head>'
    copied.write_text(copied.read_text(encoding="utf-8").replace("</head>", tag))
    with pytest.raises(ThirdParty, match="cdn.example.com"):
        first_view(tmp_path, page, SITE)
