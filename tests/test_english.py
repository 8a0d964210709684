"""English pages: organisation, functions and contacts, linked both ways to Vietnamese."""

import json
from pathlib import Path

from conftest import soup


def alternates(page) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")}


def test_hreflang_pairs_are_symmetrical(sample_site):
    pages = {}
    for html in Path(sample_site).rglob("*.html"):
        links = alternates(soup(html))
        if links:
            url = "/" + str(html.relative_to(sample_site)).removesuffix("index.html")
            pages[url] = links
    assert {"/gioi-thieu/", "/en/", "/lien-he/", "/en/contact/"} <= set(pages)
    for url, links in pages.items():
        assert url in links.values(), f"{url} does not name itself"
        for lang, target in links.items():
            assert pages[target] == links, f"{url} → {target} ({lang}) is not mirrored"


def test_language_switch(sample_site):
    def switch(path):
        link = soup(sample_site / path).select_one(".language-switch")
        return link["href"], link["hreflang"], link["lang"], link.get_text()

    assert switch("gioi-thieu/index.html") == ("/en/", "en", "en", "English")
    assert switch("en/index.html") == ("/gioi-thieu/", "vi", "vi", "Tiếng Việt")
    assert switch("en/contact/index.html") == ("/lien-he/", "vi", "vi", "Tiếng Việt")
    assert switch("index.html") == ("/en/", "en", "en", "English")


def test_english_organisation_page(sample_site):
    page = soup(sample_site / "en/index.html")
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "About the government of Quang Ninh Province"
    assert page.select_one(".skip-link").get_text() == "Skip to main content"
    chart = page.select_one("nav.org-chart")
    assert chart["aria-label"] == "Organisation chart"
    labels = [s.get_text() for s in chart.select(".org-group-label")]
    assert labels[:2] == ["Departments and agencies", "Cities, towns and districts"]
    names = [a.get_text() for a in chart.select("a")]
    assert "Department of Home Affairs" in names and "Ha Long City" in names
    assert "Co To Township" in names
    assert all(a["hreflang"] == "vi" for a in chart.select("a"))  # unit pages are Vietnamese
    footer = page.select_one(".site-footer").get_text(" ", strip=True)
    assert "Governing agency: People's Committee of Quang Ninh Province" in footer


def test_english_contacts(sample_site):
    page = soup(sample_site / "en/contact/index.html")
    office = next(c for c in page.select(".contact-card") if "Office" in c.h2.get_text())
    assert office.h2.a.get_text() == "Office of the Provincial People's Committee"
    assert [dt.get_text() for dt in office.select("dt")][:3] == ["Address", "Phone", "Fax"]
    assert office.select_one("table.officials caption").get_text() == "Contact officials"
    assert office.select("table.officials td")[0].get_text() == "Chief of Office"
    data = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    office_data = next(d for d in data if d["name"].startswith("Office"))
    assert office_data["alternateName"] == "Văn phòng Ủy ban nhân dân tỉnh"
    assert office_data["employee"][0]["jobTitle"] == "Chief of Office"
