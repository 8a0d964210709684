"""Article anatomy and "Các tin khác", on the sample portal and on purpose-made sites."""

import unicodedata

from conftest import ROOT, news, soup
from pages import PAGE_TYPES

MODEL = PAGE_TYPES["article"]
UPDATED = "tin-tuc/2018/huong-dan-tra-cuu-tinh-trang-ho-so-bang-ma-bien-nhan/index.html"


def test_model_article_anatomy(sample_site):
    page = soup(sample_site / MODEL)
    article = page.main.find("article")
    assert article.select_one(".article-category a").get_text() == "Chỉ đạo – Điều hành"
    assert page.find_all("h1") == [article.h1]
    assert article.h1.get_text().startswith("Ban Thường vụ Tỉnh ủy nghe báo cáo")

    time = article.select_one(".article-date time")
    assert time["datetime"] == "2018-11-08T17:20:00+07:00"
    assert time.get_text() == "Thứ Năm, 08/11/2018 17:20"

    lead = article.select_one(".article-lead")
    assert lead.get_text().startswith("QNP - Chiều 8-11,")

    figure = article.find("figure")
    img = figure.img
    assert img["src"].startswith("/anh/") and img["src"].endswith(
        "/bien-che-to-chuc-noi-vu-960.jpg"
    )
    assert img["alt"].startswith("Biểu đồ cột")
    assert (img["width"], img["height"]) == ("960", "540")
    caption = figure.figcaption.get_text(" ", strip=True)
    assert caption.startswith(article.h1.get_text())  # the caption repeats the title
    original = figure.select_one("figcaption a.photo-original")
    assert original.get_text() == "Xem ảnh gốc (960 × 540 điểm ảnh, 27 KB)"
    assert (sample_site / original["href"].lstrip("/")).read_bytes() == (
        ROOT / "content/images/2018/bien-che-to-chuc-noi-vu.jpg"
    ).read_bytes()

    body = article.select_one(".article-body").get_text()
    assert "907-QĐ/TU" in body and "12,65%" in body and "13/14" in body

    end = article.select_one(".article-end")
    assert end.select_one(".article-author").get_text() == "Thu Trang"
    assert end.select_one(".article-source").get_text() == "Nguồn: Văn phòng Tỉnh ủy Quảng Ninh"
    assert end.select_one(".article-modified") is None  # no Modified field in this one
    assert end.select_one("button[data-print][hidden]")  # shown by JS, printing needs it
    tags = {a.get_text(): a["href"] for a in end.select(".article-tags a")}
    assert tags["907-QĐ/TU"] == "/the/907-qd-tu/"


def test_update_time_shown_when_modified_is_set(sample_site):
    modified = soup(sample_site / UPDATED).select_one(".article-modified")
    assert modified.get_text() == "Cập nhật: Thứ Hai, 05/11/2018 10:30"
    assert modified.time["datetime"] == "2018-11-05T10:30:00+07:00"


def test_other_news_lists_older_items_of_the_same_category(sample_site):
    page = soup(sample_site / MODEL)
    section = page.find("section", class_="other-news")
    assert section.h2.get_text() == "Các tin khác"
    items = section.find_all("li")
    titles = [li.a.get_text() for li in items]
    assert titles == [
        "Giao ban trực tuyến về vận hành chính quyền điện tử tháng 10",
        "Vân Đồn chuẩn bị bộ máy phục vụ khu kinh tế đặc biệt",
        "UBND tỉnh giao nhiệm vụ trọng tâm về cải cách hành chính tháng 9",
    ]
    assert items[0].time.get_text() == "(12/10/2018)"
    for li in items:
        assert (sample_site / li.a["href"].lstrip("/") / "index.html").is_file()


def test_other_news_is_capped_and_newest_first(make_site):
    files = {
        f"tin-tuc/t{day:02d}.md": news(f"Tin ngày {day}", f"2018-10-{day:02d} 08:00")
        for day in range(1, 13)
    }
    files["tin-tuc/khac.md"] = news("Tin chuyên mục khác", "2018-10-05", "Cải cách hành chính")
    output = make_site(files, OTHER_NEWS_COUNT=3)
    newest = soup(output / "tin-tuc/2018/tin-ngay-12/index.html")
    assert [li.a.get_text() for li in newest.select(".other-news li")] == [
        "Tin ngày 11",
        "Tin ngày 10",
        "Tin ngày 9",
    ]
    oldest = soup(output / "tin-tuc/2018/tin-ngay-1/index.html")
    assert oldest.select_one(".other-news") is None


def test_publishing_a_new_item_leaves_older_pages_unchanged(make_site):
    files = {
        "tin-tuc/cu.md": news("Tin cũ", "2018-10-01"),
        "tin-tuc/giua.md": news("Tin giữa", "2018-10-02"),
    }
    before = make_site(files, name="before")
    files["tin-tuc/moi.md"] = news("Tin mới", "2018-10-03")
    after = make_site(files, name="after")
    for slug in ("tin-cu", "tin-giua"):
        path = f"tin-tuc/2018/{slug}/index.html"
        assert (before / path).read_bytes() == (after / path).read_bytes()


def test_nfd_front_matter_and_body_are_published_as_nfc(make_site):
    title = "Đảng ủy Hạ Long triển khai nhiệm vụ"
    text = news(title, "2018-11-08", Tags="Tổ chức – Nội vụ", body="Nội dung có dấu tiếng Việt.")
    output = make_site({"tin-tuc/nfd.md": unicodedata.normalize("NFD", text)})
    page = output / "tin-tuc/2018/dang-uy-ha-long-trien-khai-nhiem-vu/index.html"
    html = page.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", html)
    assert soup(page).h1.get_text() == title
    assert (output / "the/to-chuc-noi-vu/index.html").is_file()


def test_document_number_titles_keep_separators(make_site):
    output = make_site({"tin-tuc/qd.md": news("Quyết định 907-QĐ/TU", "2018-02-23")})
    assert (output / "tin-tuc/2018/quyet-dinh-907-qd-tu/index.html").is_file()
