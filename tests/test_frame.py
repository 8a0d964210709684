"""The page frame on every page type: language, skip link, header, nav, main, footer."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import news, soup
from pages import PAGE_TYPES

ENGLISH = {"english", "english-contact"}


@pytest.fixture(params=sorted(PAGE_TYPES), ids=sorted(PAGE_TYPES))
def page(request, sample_site):
    parsed = soup(sample_site / PAGE_TYPES[request.param])
    parsed.kind = request.param
    return parsed


def test_html_lang_names_the_page_language(page):
    assert page.html["lang"] == ("en" if page.kind in ENGLISH else "vi")


def test_skip_link_comes_first_and_targets_main(page):
    first = page.body.find(True)
    assert first.name == "a" and "skip-link" in first["class"]
    target = first["href"].removeprefix("#")
    mains = page.find_all("main")
    assert len(mains) == 1 and mains[0]["id"] == target


def test_one_h1_per_page(page):
    assert len(page.find_all("h1")) == 1


def test_header_names_portal_and_the_four_sections(page, settings):
    header = page.find("header", class_="site-header")
    nav = header.find("nav")
    labels = [a.get_text(strip=True) for a in nav.find_all("a")]
    if page.html["lang"] == "en":
        assert settings["PORTAL"]["name_en"] in header.get_text()
        assert labels == [label for label, _ in settings["MENU_EN"]]
        return
    assert settings["PORTAL"]["name"] in header.get_text()
    assert labels == ["Dịch vụ công", "Tình hình xử lý", "Hỏi đáp", "Tin tức"]


def test_nav_links_lead_to_built_pages(sample_site):
    nav = soup(sample_site / "index.html").find("nav", attrs={"aria-label": "Chuyên mục chính"})
    for link in nav.find_all("a"):
        assert (sample_site / link["href"].lstrip("/") / "index.html").is_file(), link["href"]


def test_footer_carries_the_required_facts(page, settings):
    footer = page.find("footer", class_="site-footer")
    text = " ".join(footer.get_text(" ").split())
    portal = settings["PORTAL"]
    english = page.html["lang"] == "en"
    # The agency comes from the registry, like the contact pages.
    agency = (
        "People's Committee of Quang Ninh Province"
        if english
        else ("Ủy ban nhân dân tỉnh Quảng Ninh")
    )
    address = "Trụ sở Liên cơ quan số 3, phường Hồng Hà, thành phố Hạ Long, tỉnh Quảng Ninh"
    responsible = portal["content_responsible_en" if english else "content_responsible"]
    for fact in (agency, address, responsible):
        assert fact in text
    labels = (
        ("Governing agency", "Responsible for content")
        if english
        else ("Cơ quan chủ quản", "Chịu trách nhiệm nội dung")
    )
    assert all(label in text for label in labels)
    phones = {a.get_text(): a["href"] for a in footer.select('a[href^="tel:"]')}
    assert phones == {
        "0203.3.618.429": "tel:+842033618429",
        "0203.3.619.429": "tel:+842033619429",
    }
    assert footer.select_one(f'a[href="mailto:{portal["email"]}"]')
    assert footer.select_one("#bo-dem-truy-cap") is not None  # the visitor counter's slot


def test_footer_comes_from_settings_and_registry_not_the_template(make_site):
    portal = {
        "name": "Cổng thử nghiệm",
        "agency_unit": "co-quan-thu",
        "phones": ["0123.456.789"],
        "email": "thu@example.vn",
        "content_responsible": "Người thử",
    }
    registry = (
        "don_vi:\n  - {ma: co-quan-thu, ten: Cơ quan thử, loai: tỉnh,"
        " lien_he: {dia_chi: Số 1 đường Thử}}\n"
    )
    files = {"tin-tuc/a.md": news("Một tin", "2018-11-08"), "data/don-vi.yaml": registry}
    output = make_site(files, PORTAL=portal)
    footer = soup(output / "index.html").find("footer", class_="site-footer")
    assert "Cơ quan thử" in footer.get_text() and "Ủy ban nhân dân" not in footer.get_text()
    assert "Số 1 đường Thử" in footer.get_text()
    assert footer.select_one('a[href="tel:+84123456789"]')
    assert footer.select_one('a[href="mailto:thu@example.vn"]')


def test_no_third_party_or_blocking_resources(page, settings):
    counter = urlparse(settings["VISITOR_COUNTER"]["endpoint"]).netloc  # our own service
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.find_all(tag):
            if tag == "link" and "alternate" in element.get("rel", []):
                continue
            if element.get("type") == "application/ld+json":
                continue  # structured data, never executed
            assert urlparse(element[attr]).netloc in ("", counter), f"{tag} loads {element[attr]}"
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue  # structured data, never executed
        assert script.has_attr("defer") and script.get("src"), "scripts must be external, deferred"


def test_theme_files_are_local(sample_site):
    css = (sample_site / "theme/css/portal.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css and "@font-face" not in css
    assert "@media print" in css


def test_navigation_marks_current_section(sample_site):
    article = soup(sample_site / PAGE_TYPES["article"])
    current = article.select('nav a[aria-current="page"]')
    assert [a.get_text() for a in current] == ["Tin tức"]
    page = soup(sample_site / PAGE_TYPES["service"])
    assert [a.get_text() for a in page.select('nav a[aria-current="page"]')] == ["Dịch vụ công"]


def test_404_page_offers_ways_on(sample_site):
    page = soup(sample_site / "404.html")
    assert page.h1.get_text() == "Không tìm thấy trang"
    hrefs = {a["href"] for a in page.main.find_all("a")}
    assert {"/", "/tin-tuc/"} <= hrefs


def test_every_internal_link_resolves(sample_site):
    missing = set()
    for html in Path(sample_site).rglob("*.html"):
        for link in soup(html).find_all("a", href=True):
            href = urlparse(link["href"])
            if href.scheme or href.netloc or not href.path.startswith("/"):
                continue
            target = sample_site / href.path.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.add((str(html.relative_to(sample_site)), link["href"]))
    assert not missing
