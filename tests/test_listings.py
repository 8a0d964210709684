"""Home page, section, category, tag and monthly listings, and their pagination."""

from conftest import news, soup


def test_home_puts_the_newest_item_first(sample_site):
    home = soup(sample_site / "index.html")
    featured = home.select_one(".featured")
    assert featured.h2.a.get_text().startswith("Ban Thường vụ Tỉnh ủy nghe báo cáo")
    assert featured.img["alt"] and featured.img["width"] == "960"
    assert featured.time.get_text() == "Thứ Năm, 08/11/2018 17:20"


def test_home_shows_newest_items_of_each_category(sample_site, settings):
    home = soup(sample_site / "index.html")
    sections = home.select(".home-section")
    assert [s.h2.get_text() for s in sections] == settings["NEWS_CATEGORIES"]
    featured_href = home.select_one(".featured h2 a")["href"]
    for section in sections:
        items = section.find_all("li")
        assert 1 <= len(items) <= settings["HOME_ITEMS_PER_CATEGORY"]
        assert featured_href not in [li.a["href"] for li in items]
        dates = [li.time["datetime"] for li in items]
        assert dates == sorted(dates, reverse=True)
    reform = sections[1].find_all("li")
    assert reform[0].a.get_text().startswith("Rà soát kết quả cải cách hành chính quý III")


def test_news_section_is_paginated(sample_site):
    first = soup(sample_site / "tin-tuc/index.html")
    assert first.h1.get_text() == "Tin tức"
    assert len(first.select(".news-item")) == 10
    assert first.select_one('a[rel="next"]')["href"] == "/tin-tuc/page/2/"
    second = soup(sample_site / "tin-tuc/page/2/index.html")
    assert len(second.select(".news-item")) == 4
    assert second.select_one('a[rel="prev"]')["href"] == "/tin-tuc/"
    assert second.select_one('.pagination a[aria-current="page"]').get_text() == "2"


def test_category_tag_and_month_pages(sample_site):
    category = soup(sample_site / "chuyen-muc/tin-dia-phuong/index.html")
    assert category.h1.get_text() == "Tin địa phương"
    assert len(category.select(".news-item")) == 3
    assert category.select_one('link[type="application/atom+xml"][href$="tin-dia-phuong.atom.xml"]')

    tag = soup(sample_site / "the/907-qd-tu/index.html")
    assert tag.h1.get_text() == "Tin gắn thẻ: 907-QĐ/TU"

    month = soup(sample_site / "luu-tru/2018/10/index.html")
    assert month.h1.get_text() == "Tin tháng 10/2018"
    assert all("/10/2018" in t.get_text() for t in month.select(".news-item time"))

    archives = soup(sample_site / "luu-tru/index.html")
    months = [a.get_text() for a in archives.select("main li a")]
    assert months == ["Tháng 11/2018", "Tháng 10/2018", "Tháng 09/2018", "Tháng 08/2018"]
    october = archives.select("main li")[1]
    assert october.a["href"] == "/luu-tru/2018/10/"
    assert october.get_text().endswith(f"({len(month.select('.news-item'))} tin)")


def test_listing_items_show_vietnamese_dates_and_category(sample_site):
    item = soup(sample_site / "tin-tuc/index.html").select_one(".news-item")
    assert item.time.get_text() == "Thứ Năm, 08/11/2018 17:20"
    assert item.select_one(".news-meta a")["href"] == "/chuyen-muc/chi-dao-dieu-hanh/"


def test_pagination_of_categories_tags_and_months(make_site):
    files = {
        f"tin-tuc/{n}.md": news(f"Tin số {n}", f"2018-10-{n:02d}", Tags="giao ban")
        for n in range(1, 6)
    }
    output = make_site(files, DEFAULT_PAGINATION=2)
    for base in ("chuyen-muc/tin-dia-phuong", "the/giao-ban", "luu-tru/2018/10", "tin-tuc"):
        assert (output / base / "page/3/index.html").is_file(), base
        assert not (output / base / "page/4/index.html").exists()
        last = soup(output / base / "page/3/index.html")
        assert len(last.select(".news-item")) == 1


def test_similar_names_never_collide(make_site):
    """The collision Pelican's default patterns allow: 'x-1' page 2 vs 'x-12'."""
    files = {
        f"tin-tuc/a{n}.md": news(f"Tin A{n}", f"2018-10-{n:02d}", Tags="phong-vien-1")
        for n in range(1, 4)
    }
    files["tin-tuc/b.md"] = news("Tin B", "2018-10-20", Tags="phong-vien-12")
    output = make_site(files, DEFAULT_PAGINATION=1)
    assert (output / "the/phong-vien-1/page/2/index.html").is_file()
    assert (output / "the/phong-vien-12/index.html").is_file()
