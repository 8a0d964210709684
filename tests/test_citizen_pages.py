"""Hỏi đáp and Dịch vụ công: pages, grouping, JSON-LD, waiting questions, bad input."""

import json

import pytest
from conftest import front_matter, soup
from content_checks import ContentError
from unit_data import data_site

QUESTION_PAGE = "hoi-dap/co-quan-to-chuc-noi-vu-sau-hop-nhat-dung-con-dau-nao/index.html"
WAITING_PAGE = "hoi-dap/bo-phan-mot-cua-co-nhan-ho-so-ngoai-gio-hanh-chinh-khong/index.html"


def question(title, date, field="Hộ tịch", answer="", **fields):
    body = fields.pop("body", answer)
    values = {"Title": title, "Date": date, "Question": f"Xin hỏi: {title}", "Field": field}
    if answer:
        values.update(Agency="ha-long", Answered=date.replace("01", "05", 1))
    return front_matter(**{**values, **fields}, body=body)


def service(title, code, **fields):
    values = {
        "Title": title,
        "Code": code,
        "Field": "Hộ tịch",
        "Agency": "ha-long",
        "Level": "toàn trình",
        "Time": "3 ngày",
        "Fee": "Không",
        "Link": "https://dvc.vn",
    }
    return front_matter(**{**values, **fields}, body="Hồ sơ gồm tờ khai.")


def json_ld(page) -> list[dict]:
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def test_questions_grouped_by_field_newest_first(sample_site):
    page = soup(sample_site / "hoi-dap/index.html")
    groups = [
        (s.h2.get_text(), [li.time["datetime"] for li in s.select("li")])
        for s in page.select(".question-group")
    ]
    assert [field for field, _ in groups] == sorted(field for field, _ in groups)
    for _, dates in groups:
        assert dates == sorted(dates, reverse=True)
    assert sum(len(dates) for _, dates in groups) == 6
    ask = page.select_one(".ask-box a[href^='mailto:']")
    assert ask["href"].startswith("mailto:chinhquyendientu@quangninh.gov.vn?subject=")


def test_question_page_shows_question_asker_and_official_answer(sample_site):
    page = soup(sample_site / QUESTION_PAGE)
    assert page.h1.get_text() == "Cơ quan Tổ chức – Nội vụ sau hợp nhất dùng con dấu nào?"
    asked = page.select_one(".question-asked")
    assert "Trần Thị Mai (Hải Hà) hỏi ngày Thứ Sáu, 09/11/2018" in asked.get_text(" ", strip=True)
    answer = page.select_one(".question-answer")
    assert "Sở Nội vụ trả lời ngày Thứ Năm, 15/11/2018" in answer.get_text(" ", strip=True)
    assert answer.select_one('a[href="/don-vi/so-noi-vu/"]')
    assert "907-QĐ/TU" in answer.select_one(".article-body").get_text()


def test_waiting_questions_never_show_an_empty_answer(sample_site):
    listing = soup(sample_site / "hoi-dap/index.html")
    waiting = [li for li in listing.select(".question-list li") if "Đang chờ trả lời" in li.text]
    assert len(waiting) == 2
    page = soup(sample_site / WAITING_PAGE)
    answer = page.select_one(".question-answer")
    assert answer.select_one(".article-body") is None
    assert "Câu hỏi đang chờ trả lời." in answer.get_text()
    other = soup(sample_site / "hoi-dap/doi-giay-phep-lai-xe-cu-sang-the-pet-o-dau/index.html")
    assert "Người hỏi đề nghị giấu tên" not in other.get_text()  # this asker gave a name
    assert json_ld(page) == []  # no FAQ entry without an answer


def test_withheld_name(sample_site):
    page = soup(
        sample_site / "hoi-dap/thoi-han-cap-giay-phep-xay-dung-nha-o-rieng-le-la-bao-lau/index.html"
    )
    assert "Người hỏi đề nghị giấu tên" in page.select_one(".question-asked").get_text()


def test_faq_json_ld(sample_site):
    [listing] = json_ld(soup(sample_site / "hoi-dap/index.html"))
    assert listing["@type"] == "FAQPage" and len(listing["mainEntity"]) == 4
    for entry in listing["mainEntity"]:
        assert entry["@type"] == "Question" and entry["name"] and entry["text"]
        assert entry["acceptedAnswer"]["@type"] == "Answer"
        assert entry["acceptedAnswer"]["text"].strip()
    [single] = json_ld(soup(sample_site / QUESTION_PAGE))
    assert single["mainEntity"][0]["acceptedAnswer"]["text"].startswith("Theo Quyết định")


def test_questions_paginate(make_site):
    files = data_site()
    for day in range(1, 6):
        files[f"hoi-dap/q{day}.md"] = question(
            f"Câu hỏi số {day}", f"2018-10-0{day}", answer="Trả lời."
        )
    output = make_site(files, PAGINATED_TEMPLATES={"questions": 2})
    assert (output / "hoi-dap/page/3/index.html").is_file()
    first = soup(output / "hoi-dap/index.html")
    titles = [li.a.get_text() for li in first.select(".question-list li")]
    assert titles == ["Câu hỏi số 5", "Câu hỏi số 4"]


def test_services_grouped_by_agency_and_field(sample_site):
    page = soup(sample_site / "dich-vu-cong/index.html")
    agencies = [s.h2.get_text() for s in page.select(".service-agency")]
    assert agencies == [
        "Sở Nội vụ",
        "Sở Thông tin và Truyền thông",
        "Thành phố Hạ Long",
        "Huyện Cô Tô",
    ]  # the registry's order
    co_to = page.select(".service-agency")[3]
    assert [h.get_text() for h in co_to.select("h3")] == ["Hộ tịch"]
    assert len(page.select("li[data-search]")) == 8
    assert page.select_one("[data-service-filter]").has_attr("hidden")  # shown by the script


def test_service_page(sample_site):
    page = soup(sample_site / "dich-vu-cong/2-000720/index.html")
    facts = dict(
        zip(
            [dt.get_text() for dt in page.select(".service-facts dt")],
            [dd.get_text() for dd in page.select(".service-facts dd")],
            strict=True,
        )
    )
    assert (
        facts["Mã thủ tục"] == "2.000720"
        and facts["Mức độ dịch vụ công trực tuyến"] == "toàn trình"
    )
    assert facts["Thời hạn giải quyết"] == "3 ngày làm việc"
    assert facts["Phí, lệ phí"] == "100.000 đồng"
    assert facts["Cơ quan giải quyết"] == "Thành phố Hạ Long"
    assert page.select_one("a.button-link")["href"] == "https://dichvucong.quangninh.gov.vn"
    [data] = json_ld(page)
    assert data["@type"] == "GovernmentService" and data["identifier"] == "2.000720"
    assert data["provider"]["name"] == "Thành phố Hạ Long"


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("hoi-dap/a.md", question("Hỏi", "2018-10-01", Question=""), "trường Question để trống"),
        (
            "hoi-dap/a.md",
            front_matter(Title="Hỏi", Date="2018-10-01", Field="X"),
            "thiếu trường bắt buộc Question",
        ),
        (
            "hoi-dap/a.md",
            question("Hỏi", "2018-10-09", answer="Có.", Answered="2018-10-02"),
            "Answered (ngày trả lời) sớm hơn Date (ngày hỏi)",
        ),
        (
            "hoi-dap/a.md",
            question("Hỏi", "2018-10-01", Agency="bo-y-te"),
            "Agency: không có đơn vị mã 'bo-y-te'",
        ),
        (
            "hoi-dap/a.md",
            question("Hỏi", "2018-10-01", Agency="ha-long", Answered="2018-10-03"),
            "chưa có nội dung trả lời",
        ),
        (
            "hoi-dap/a.md",
            question("Hỏi", "2018-10-01", Agency="ha-long", body="Trả lời"),
            "thiếu Answered",
        ),
        (
            "dich-vu-cong/a.md",
            service("Thủ tục", "1.1", Agency="so-khong-co"),
            "Agency: không có đơn vị mã 'so-khong-co'",
        ),
        ("dich-vu-cong/a.md", service("Thủ tục", "1.1", Link="dvc.vn"), "Link 'dvc.vn'"),
        ("dich-vu-cong/a.md", service("Thủ tục", "1.1", Level="mức 5"), "Level 'mức 5'"),
        (
            "dich-vu-cong/a.md",
            front_matter(Title="Thủ tục", Code="1.1"),
            "thiếu trường bắt buộc Agency",
        ),
    ],
)
def test_bad_items_name_file_and_field(make_site, name, text, words):
    files = data_site()
    files[name] = text
    with pytest.raises(ContentError) as caught:
        make_site(files)
    problems = [str(p) for p in caught.value.problems]
    assert any(name.split("/")[1] + ":" in p and words in p for p in problems), problems


def test_duplicate_procedure_codes(make_site):
    files = data_site()
    files["dich-vu-cong/a.md"] = service("Thủ tục A", "1.1")
    files["dich-vu-cong/b.md"] = service("Thủ tục B", "1.1")
    with pytest.raises(ContentError) as caught:
        make_site(files)
    [problem] = [str(p) for p in caught.value.problems]
    assert "b.md:2: mã thủ tục '1.1' trùng với" in problem and "a.md" in problem
