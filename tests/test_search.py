"""Search in headless Chromium on the built sample portal: tone marks, d for đ, NFD, filters."""

import json
import re
import unicodedata

import pytest
from conftest import soup
from playwright.sync_api import expect

DONG_TRIEU = (
    "/tin-tuc/2018/dong-trieu-khan-truong-hoan-thien-phuong-an-hop-nhat-co-quan-to-chuc-noi-vu/"
)


@pytest.fixture
def site_url(sample_url):
    return sample_url


def search(page, site_url, query, **filters):
    params = "&".join(f"{k}={v}" for k, v in filters.items())
    page.goto(f"{site_url}/tim-kiem/?{params}")
    page.get_by_label("Từ khóa", exact=False).fill(query)
    # The address's filters show results before the query is typed: wait for this query's.
    typed = unicodedata.normalize("NFC", query).strip()
    done = re.compile(f"“{re.escape(typed)}”|Chưa tải")
    expect(page.locator("[data-search-status]")).to_have_text(done, timeout=10_000)
    return page.locator(".search-results h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize(
    "query", ["Đông Triều", "dong trieu", "dong Trieu", "Dong Trieu", "đông triều"]
)
def test_dong_trieu_however_it_is_typed(page, site_url, query):
    assert DONG_TRIEU in search(page, site_url, query)


def test_exact_marks_rank_first(page, site_url):
    results = search(page, site_url, "Đông Triều")
    assert results[0] == DONG_TRIEU


def test_d_for_dj_and_no_tone_marks(page, site_url):
    assert DONG_TRIEU in search(page, site_url, "dang uy")
    results = search(page, site_url, "to chuc noi vu")
    assert any("to-chuc-noi-vu" in url for url in results)


def test_nfd_query_works_like_nfc(page, site_url):
    nfd = unicodedata.normalize("NFD", "Đông Triều")
    assert nfd != "Đông Triều"
    assert search(page, site_url, nfd)[0] == DONG_TRIEU


def test_results_show_title_date_and_highlighted_lead(page, site_url):
    search(page, site_url, "chữ ký số", loai="Tin tức")
    first = page.locator(".search-results li").first
    assert first.locator("h2 a").inner_text()
    assert first.locator(".search-date").inner_text().startswith("Thứ")
    assert first.locator(".search-excerpt mark").count() >= 1
    assert "kết quả cho “chữ ký số”" in page.locator("[data-search-status]").inner_text()


def test_filters_narrow_results(page, site_url):
    everything = search(page, site_url, "hồ sơ")
    questions = search(page, site_url, "hồ sơ", loai="Hỏi đáp")
    assert questions and len(questions) < len(everything)
    assert all(url.startswith("/hoi-dap/") for url in questions)
    year = search(page, site_url, "hồ sơ", nam="2018", loai="Tin tức")
    assert year and all(url.startswith("/tin-tuc/2018/") for url in year)
    page.locator("select[data-filter=loai]").focus()  # the lists load when reached for
    expect(page.locator("select[data-filter=loai] option")).not_to_have_count(2)
    options = page.locator("select[data-filter=loai] option").all_inner_texts()
    assert {"Tin tức", "Hỏi đáp", "Dịch vụ công", "Đơn vị"} <= set(options)


def test_no_result_message(page, site_url):
    assert search(page, site_url, "zzzkhongcotu") == []
    assert page.locator("[data-search-status]").inner_text().startswith("Không tìm thấy kết quả")


def test_header_box_leads_to_the_search_page(page, site_url):
    page.goto(site_url + "/")
    page.get_by_label("Tìm kiếm trên Cổng").fill("dong trieu")
    page.get_by_label("Tìm kiếm trên Cổng").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=dong+trieu")
    expect(page.locator(".search-results h2 a").first).to_be_visible()
    assert DONG_TRIEU in [
        a.get_attribute("href") for a in page.locator(".search-results h2 a").all()
    ]


def test_without_javascript_the_page_says_so(chromium, site_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/tim-kiem/")
    assert "Tìm kiếm cần JavaScript" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Tin tức").first.is_visible()
    context.close()


def test_listing_pages_are_not_indexed(sample_site):
    for listing in (
        "index.html",
        "tin-tuc/index.html",
        "chuyen-muc/chi-dao-dieu-hanh/index.html",
        "the/907-qd-tu/index.html",
        "luu-tru/index.html",
        "hoi-dap/index.html",
        "dich-vu-cong/index.html",
        "tinh-hinh-xu-ly/index.html",
        "tim-kiem/index.html",
    ):
        assert soup(sample_site / listing).select_one("[data-search-body]") is None, listing
    for page in (
        "tin-tuc/2018/huong-dan-tra-cuu-tinh-trang-ho-so-bang-ma-bien-nhan/index.html",
        "don-vi/ha-long/index.html",
        "dich-vu-cong/2-000720/index.html",
    ):
        assert soup(sample_site / page).select_one("[data-search-body]") is not None, page
    entry = json.loads((sample_site / "chi-muc/index.json").read_text())
    assert entry["pages"] == 14 + 5 + 6 + 8 + 38  # articles, pages, questions, procedures, units
    indexed = set()
    for group in (sample_site / "chi-muc" / entry["path"] / "p").glob("*.json"):
        indexed |= {row[0] for row in json.loads(group.read_text())}
    assert len(indexed) == entry["pages"]
    assert not indexed & {"/", "/tin-tuc/", "/hoi-dap/", "/tim-kiem/", "/luu-tru/"}


def test_dev_builds_index_in_the_background(make_site):
    """The dev server's setting: pages are written first, the index follows on its own."""
    import time

    from conftest import news

    started = time.monotonic()
    output = make_site(
        {"tin-tuc/a.md": news("Tin Đông Triều", "2018-11-08")},
        SEARCH_INDEX={"background": True},
    )
    built = time.monotonic() - started
    assert (output / "tin-tuc/2018/tin-dong-trieu/index.html").is_file()
    deadline = time.monotonic() + 30
    while not (output / "chi-muc/index.json").exists():
        assert time.monotonic() < deadline, "the background index never appeared"
        time.sleep(0.1)
    assert built < 30


def test_filter_lists_fill_when_wanted_and_pages_load_when_chosen(page, site_url):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/chi-muc/" in r.url else None)
    search(page, site_url, "hồ sơ")
    assert not [url for url in fetched if "/f/" in url]
    kinds = page.locator("select[data-filter=loai]")
    assert kinds.locator("option").count() == 1  # "Tất cả" until the reader reaches for it
    kinds.focus()
    expect(kinds.locator("option")).not_to_have_count(1)
    kinds.select_option("Hỏi đáp")
    expect(page.locator("[data-search-status]")).to_have_text(re.compile("kết quả cho “hồ sơ”"))
    assert [url for url in fetched if "/f/loai/" in url]


def test_words_in_another_order_are_still_found(page, site_url):
    """No page has the pair "triều đông": each word is looked up alone."""
    assert DONG_TRIEU in search(page, site_url, "trieu dong")


def test_more_results_on_request(page, site_url):
    search(page, site_url, "hồ sơ")
    links = page.locator(".search-results h2 a")
    expect(links).to_have_count(10)
    total = int(re.match(r"\d+", page.locator("[data-search-status]").inner_text()).group())
    assert total > 10
    page.get_by_role("button", name="Xem thêm kết quả").click()
    expect(links).to_have_count(min(20, total))
    expect(links.nth(10)).to_be_focused()  # the keyboard goes on from the first new result
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(set(hrefs)) == len(hrefs)


@pytest.fixture(scope="module")
def ranking_url(tmp_path_factory):
    """Articles made to rank: exact forms and titles against newer pages."""
    from browser import serve
    from conftest import build, news, write_content

    folder = tmp_path_factory.mktemp("ranking")
    articles = {
        "tin-tuc/dong.md": news(
            "Lễ hội mùa đông ở Bình Liêu", "2018-01-05", body="Mùa đông năm nay đến sớm."
        ),
        "tin-tuc/dong-lua.md": news(
            "Cánh đồng lúa Yên Hưng", "2018-06-05", body="Cánh đồng lúa đã chín."
        ),
        "tin-tuc/title.md": news(
            "Cải cách thủ tục ở Vân Đồn", "2018-02-01", body="Vân Đồn làm mới quy trình."
        ),
        "tin-tuc/body.md": news(
            "Tin Tiên Yên", "2018-09-01", body="Tiên Yên tiếp tục cải cách thủ tục."
        ),
        "tin-tuc/dong-hai.md": news("Đường về xã Đông Hải", "2018-03-01", body="Xã mới."),
        "tin-tuc/dong-hai-2.md": news("Thôn Đồng Hải mở hội", "2018-04-01", body="Hội làng."),
    }
    content = write_content(folder / "content", articles)
    output = build(content, folder / "output", SEARCH_INDEX={"background": False})
    with serve(output) as url:
        yield url


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("đông", "duong-ve-xa-dong-hai"),  # as typed, before the newer "đồng"
        ("đồng", "canh-dong-lua-yen-hung"),
        ("dong", "canh-dong-lua-yen-hung"),  # no marks typed: the newer first
        ("cai cach thu tuc", "cai-cach-thu-tuc-o-van-don"),  # in the title, though older
        ("đông hai", "duong-ve-xa-dong-hai"),  # the marks typed on one word count
        ("dong hai", "thon-dong-hai-mo-hoi"),
    ],
)
def test_exact_forms_then_titles_then_newest_rank_first(page, ranking_url, query, first):
    results = search(page, ranking_url, query)
    assert len(results) >= 2 and first in results[0], results
