"""The portal in a real headless Chromium: accessibility, phones, print, JavaScript off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from pages import PAGE_TYPES

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AUDITED = [
    "home",
    "category",
    "article",
    "news",
    "page",
    "404",
    "unit-stats",
    "unit",
    "unit-status",
    "contacts",
    "intro",
    "questions",
    "question",
    "services",
    "service",
    "english",
    "english-contact",
    "search",
]


@pytest.fixture
def base_url(sample_url):
    return sample_url


@pytest.fixture
def browser(chromium):
    return chromium


def url_of(base_url, kind):
    return f"{base_url}/{PAGE_TYPES[kind].removesuffix('index.html')}"


@pytest.mark.parametrize("kind", AUDITED)
@pytest.mark.parametrize("width", [320, 1280])
def test_no_wcag_21_aa_violations(page, base_url, kind, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url_of(base_url, kind))
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", AUDITED)
def test_dark_mode_still_passes_contrast(page, base_url, kind):
    page.emulate_media(color_scheme="dark")
    page.goto(url_of(base_url, kind))
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 22, 25)"  # the dark palette is on
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()


def root_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_text_size_control_is_remembered(page, base_url):
    page.goto(url_of(base_url, "article"))
    group = page.get_by_role("group", name="Cỡ chữ")
    assert root_font_size(page) == 16
    group.get_by_role("button", name="Chữ lớn hơn").click()
    group.get_by_role("button", name="Chữ lớn hơn").click()
    assert root_font_size(page) == 20
    page.goto(url_of(base_url, "home"))  # another page, the same choice
    assert root_font_size(page) == 20
    larger = page.get_by_role("group", name="Cỡ chữ").get_by_role("button", name="Chữ lớn hơn")
    larger.click()
    assert root_font_size(page) == 24 and larger.is_disabled()  # the largest step
    page.get_by_role("button", name="Cỡ chữ mặc định").click()
    assert root_font_size(page) == 16
    page.get_by_role("button", name="Chữ nhỏ hơn").click()
    assert root_font_size(page) == 14
    assert page.get_by_role("button", name="Chữ nhỏ hơn").is_disabled()


@pytest.mark.parametrize("kind", AUDITED)
def test_largest_text_and_200_percent_zoom_keep_the_layout(browser, base_url, kind):
    """The largest text size on a phone, and a desktop window zoomed to 200% (a 1280 px
    window then lays out 640 CSS px): nothing runs off sideways."""
    for width, scale in ((360, 1), (640, 2)):
        context = browser.new_context(
            viewport={"width": width, "height": 700}, device_scale_factor=scale
        )
        context.add_init_script("localStorage.setItem('co-chu', '3')")
        page = context.new_page()
        page.goto(url_of(base_url, kind))
        assert root_font_size(page) == 24
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (kind, width)
        context.close()


@pytest.mark.parametrize("kind", AUDITED)
def test_fits_a_320px_phone_without_sideways_scrolling(page, base_url, kind):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url_of(base_url, kind))
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16


def test_skip_link_and_visible_focus(page, base_url):
    page.goto(url_of(base_url, "article"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")  # the skip link
    assert focused == "Bỏ qua, đến nội dung chính"
    box = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert box >= 0  # the skip link comes into view when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2


def test_lead_is_bold_and_photo_keeps_its_space(page, base_url):
    page.goto(url_of(base_url, "article"))
    weight = page.evaluate("getComputedStyle(document.querySelector('.article-lead')).fontWeight")
    assert int(weight) >= 700
    ratio = page.evaluate(
        "(() => { const r = document.querySelector('figure img').getBoundingClientRect();"
        " return r.width / r.height; })()"
    )
    assert ratio == pytest.approx(960 / 540, rel=0.01)


def test_print_button_prints_and_print_style_leaves_out_frame(page, base_url):
    page.add_init_script("window.print = () => { window.__printed = true; };")
    page.goto(url_of(base_url, "article"))
    button = page.get_by_role("button", name="In bài viết")
    button.click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    for selector in (".main-nav", ".site-footer", ".other-news", ".print-button", ".skip-link"):
        assert not page.locator(selector).is_visible(), selector
    printed = [line for line in page.inner_text("body").splitlines() if line.strip()]
    title = page.locator("article h1").inner_text()
    assert printed[0] == title  # no portal header, category or search box above it
    assert printed[1] == "Thứ Năm, 08/11/2018 17:20"
    assert page.locator("figure img").is_visible()
    body = page.locator(".article-body").inner_text()
    assert body.splitlines()[0] in printed
    assert printed[-3:] == [
        "Thu Trang",
        "Nguồn: Văn phòng Tỉnh ủy Quảng Ninh",
        f"Địa chỉ bài viết: {url_of(base_url, 'article')}",
    ]  # nothing after: no tags, buttons, other news, footer or counter
    assert "Xem ảnh gốc" not in "\n".join(printed)


def test_works_with_javascript_off(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url_of(base_url, "article"))
    assert page.locator("article h1").is_visible()
    assert not page.locator(".print-button").is_visible()  # no button that cannot work
    page.get_by_role("link", name="Tin tức", exact=True).first.click()
    page.wait_for_url("**/tin-tuc/")
    assert page.locator("h1").inner_text() == "Tin tức"
    context.close()


def body_column(page, table, index):
    return page.eval_on_selector(
        table, f"t => [...t.tBodies[0].rows].map(r => r.children[{index}].textContent)"
    )


def test_clicking_a_header_sorts_and_sets_aria_sort(page, base_url):
    page.goto(url_of(base_url, "unit-stats"))
    table = "#bang-cap-huyen"
    rate = page.locator(f'{table} th[data-sort-key="ty-le"]')
    rate.get_by_role("button").click()
    assert rate.get_attribute("aria-sort") == "ascending"
    values = page.eval_on_selector(
        table, "t => [...t.tBodies[0].rows].map(r => Number(r.lastElementChild.dataset.value))"
    )
    assert values == sorted(values)
    rate.get_by_role("button").click()
    assert rate.get_attribute("aria-sort") == "descending"
    values = page.eval_on_selector(
        table, "t => [...t.tBodies[0].rows].map(r => Number(r.lastElementChild.dataset.value))"
    )
    assert values == sorted(values, reverse=True)

    received = page.locator(f'{table} th[data-sort-key="tong-tiep-nhan"]')
    received.get_by_role("button").click()
    assert rate.get_attribute("aria-sort") is None
    totals = [int(v.replace(".", "")) for v in body_column(page, table, 4)]
    assert totals == sorted(totals)

    page.locator(f'{table} th[data-sort-key="don-vi"]').get_by_role("button").click()
    names = body_column(page, table, 0)
    assert names[0] == "Ba Chẽ" and names[-1] == "Vân Đồn"  # Vietnamese alphabetical order
    assert page.locator(f"{table} tfoot th").inner_text() == "Tổng cộng"  # total stays last


def test_tables_are_complete_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url_of(base_url, "unit-stats"))
    assert page.locator("#bang-cap-huyen tbody tr").count() == 14
    assert page.locator("#bang-cap-huyen .sort-button").count() == 0
    assert page.locator("svg.chart").first.is_visible()
    context.close()


def test_wide_table_scrolls_inside_its_region_on_a_phone(page, base_url):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url_of(base_url, "unit-stats"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    region = page.locator(".table-scroll").first
    widths = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert widths[0] > widths[1]  # the table scrolls sideways within its own region
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    header = page.locator("#bang-so-nganh tbody th").first
    assert header.evaluate("h => getComputedStyle(h).position") == "sticky"
    region.evaluate("r => r.scrollLeft = 400")
    assert header.bounding_box()["x"] < 40  # the unit column stays in view
    align = page.locator("#bang-so-nganh td.num").first.evaluate(
        "c => getComputedStyle(c).textAlign"
    )
    assert align == "right"


def test_services_filter_folds_tone_marks(page, base_url):
    page.goto(url_of(base_url, "services"))
    box = page.get_by_label("Tìm thủ tục (gõ có dấu hoặc không dấu)")
    box.fill("dang ky")
    visible = page.locator("li[data-search]:visible a")
    assert sorted(visible.all_inner_texts()) == [
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký thành lập hộ kinh doanh",
    ]
    assert page.locator(".filter-status").inner_text() == "3 thủ tục phù hợp"
    assert not page.locator("#co-quan-so-noi-vu").is_visible()  # no match: the group hides
    box.fill("zzz")
    assert page.locator("li[data-search]:visible").count() == 0
    box.fill("")
    assert page.locator("li[data-search]:visible").count() == 8


def test_services_list_is_complete_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url_of(base_url, "services"))
    assert page.locator("li[data-search]:visible").count() == 8
    assert not page.locator("[data-service-filter]").is_visible()  # no box that cannot work
    context.close()
