"""Drafts and scheduled items stay out of public pages; production adds sitemap and robots."""

from datetime import datetime, timedelta

from conftest import news, soup
from lxml import etree

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def site_with_hidden_items():
    future = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    return {
        "tin-tuc/public.md": news("Tin đã đăng", "2018-11-01"),
        "tin-tuc/draft.md": news("Bản nháp chưa duyệt", "2018-11-02", Status="draft"),
        "tin-tuc/future.md": news("Tin hẹn giờ đăng", future),
    }


def all_text(output):
    parts = [p.read_text(encoding="utf-8") for p in output.rglob("*.html")]
    parts += [p.read_text(encoding="utf-8") for p in output.rglob("*.xml")]
    return parts


def test_drafts_and_future_items_stay_out_of_listings_and_feeds(make_site):
    output = make_site(site_with_hidden_items())
    public_pages = [p for p in output.rglob("*") if p.suffix in (".html", ".xml")]
    public_pages = [p for p in public_pages if "ban-nhap" not in p.parts]
    for path in public_pages:
        text = path.read_text(encoding="utf-8")
        assert "Bản nháp chưa duyệt" not in text, path
        assert "Tin hẹn giờ đăng" not in text, path
    assert "Tin đã đăng" in (output / "feeds/tin-tuc.atom.xml").read_text(encoding="utf-8")
    home = soup(output / "index.html")
    assert home.select_one(".featured h2").get_text() == "Tin đã đăng"


def test_drafts_are_previewed_locally_but_never_published(make_site):
    files = site_with_hidden_items()
    dev = make_site(files, name="dev")
    assert (dev / "ban-nhap/ban-nhap-chua-duyet/index.html").is_file()
    assert (dev / "ban-nhap/tin-hen-gio-dang/index.html").is_file()
    prod = make_site(files, "publishconf.py", name="prod")
    assert not (prod / "ban-nhap").exists()
    assert not any("Bản nháp chưa duyệt" in text for text in all_text(prod))
    assert not any("Tin hẹn giờ đăng" in text for text in all_text(prod))


def test_sitemap_and_robots_in_production_only(published_site, sample_site):
    assert not (sample_site / "sitemap.xml").exists()
    assert not (sample_site / "robots.txt").exists()

    root = etree.parse(str(published_site / "sitemap.xml")).getroot()
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    base = "https://chinhquyendientu.quangninh.gov.vn/"
    assert all(url.startswith(base) for url in urls)
    assert base + "tin-tuc/2018/huong-dan-tra-cuu-tinh-trang-ho-so-bang-ma-bien-nhan/" in urls
    assert base + "dich-vu-cong/" in urls
    assert not any("404" in url or "ban-nhap" in url for url in urls)

    robots = (published_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {base}sitemap.xml" in robots


def test_production_links_are_root_relative_or_public(published_site):
    for text in all_text(published_site):
        assert "127.0.0.1" not in text and "localhost" not in text
