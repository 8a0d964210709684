"""Atom feeds: all news and one per category, valid XML with absolute links."""

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(path):
    return etree.parse(str(path)).getroot()  # raises on malformed XML


def test_all_news_feed(sample_site):
    feed = parse(sample_site / "feeds/tin-tuc.atom.xml")
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 14
    first = entries[0]
    assert first.findtext(f"{ATOM}title").startswith("Ban Thường vụ Tỉnh ủy")
    link = first.find(f"{ATOM}link").get("href")
    assert link.startswith("/tin-tuc/2018/")  # previews link locally; production is absolute


def test_one_feed_per_category_with_only_its_items(sample_site, settings):
    from vn_text import slugify

    total = 0
    for name in settings["NEWS_CATEGORIES"]:
        feed = parse(sample_site / f"feeds/chuyen-muc/{slugify(name)}.atom.xml")
        entries = feed.findall(f"{ATOM}entry")
        assert entries
        total += len(entries)
        for entry in entries:
            terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
            assert name in terms
    assert total == 14


def test_published_feed_uses_public_address(published_site):
    feed = parse(published_site / "feeds/tin-tuc.atom.xml")
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.startswith("https://chinhquyendientu.quangninh.gov.vn/tin-tuc/")
