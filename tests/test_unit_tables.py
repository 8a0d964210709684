"""Rendered unit tables: structure, Vietnamese numbers, summary, sorting, SVG, open data."""

import json

from conftest import soup
from unit_data import REGISTRY, ROWS, block, data_site

PAGE = "so-lieu/index.html"


def rendered(make_site, body, **files):
    output = make_site(data_site(body=body, **files))
    return output, soup(output / PAGE)


def test_stats_table_structure(make_site):
    _, page = rendered(make_site, block(du_lieu="thong-ke/2018-10"))
    table = page.select_one("table.data-table")
    caption = table.caption.get_text(" ", strip=True)
    assert "Tình hình xử lý hồ sơ – Tất cả đơn vị – Tháng 10/2018" in caption
    assert "(21/09/2018 – 20/10/2018)" in caption and "số liệu mẫu" in caption

    first, second = table.thead.find_all("tr")
    groups = [(th.get_text(), th.get("scope"), th.get("colspan")) for th in first.find_all("th")]
    assert groups == [
        ("Đơn vị", "col", None),
        ("Tiếp nhận", "colgroup", "4"),
        ("Đã giải quyết", "colgroup", "4"),
        ("Đang giải quyết", "colgroup", "3"),
        ("Trả lại / rút", "col", None),
        ("Tỷ lệ đúng hạn", "col", None),
    ]
    assert [th["scope"] for th in second.find_all("th")] == ["col"] * 11
    assert [int(c["span"]) for c in table.find_all("colgroup")] == [1, 4, 4, 3, 1, 1]

    rows = table.tbody.find_all("tr")
    assert [r.th.get_text() for r in rows] == ["Sở A", "Hạ Long", "Hoành Bồ"]
    assert all(r.th["scope"] == "row" for r in rows)
    assert rows[0].th.a["href"] == "/don-vi/so-a/"
    cells = [td.get_text() for td in rows[0].find_all("td")]
    assert cells == [
        "0",
        "6.000",
        "4.000",
        "10.000",
        "5.000",
        "4.881",
        "119",
        "10.000",
        "0",
        "0",
        "0",
        "0",
        "98,81%",
    ]
    assert all("num" in td["class"] for td in rows[0].find_all("td"))
    assert rows[2].find_all("td")[-1].get_text() == "—"  # nothing resolved: no rate, no error

    total = table.tfoot.tr
    assert total.th.get_text() == "Tổng cộng"
    totals = [td.get_text() for td in total.find_all("td")]
    assert totals[3] == "10.060" and totals[7] == "10.035"
    assert totals[-1] == "98,76%"  # (9.881 + 30) / 10.035, from the sums, not an average

    notes = " ".join(p.get_text() for p in page.select(".table-note"))
    assert "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) ÷ đã giải quyết" in notes


def test_summary_line_comes_before_the_table(make_site):
    _, page = rendered(make_site, block(du_lieu="thong-ke/2018-10"))
    summary = page.select_one(".unit-table > .table-summary")
    assert summary.get_text() == "1/3 đơn vị đạt tỷ lệ đúng hạn từ 95%"
    assert summary.find_next("table") is page.select_one("table")
    _, page = rendered(make_site, block(du_lieu="thong-ke/2018-10", tom_tat="không"))
    assert page.select_one(".table-summary") is None


def test_group_columns_and_sort_options(make_site):
    body = block(
        du_lieu="thong-ke/moi-nhat",
        nhom="cấp huyện",
        cot="tiep-nhan, ty-le",
        sap_xep="tong-tiep-nhan giảm",
    )
    _, page = rendered(make_site, body)
    table = page.select_one("table")
    assert "Cấp huyện" in table.caption.get_text()
    assert [r.th.get_text() for r in table.tbody.find_all("tr")] == ["Hạ Long", "Hoành Bồ"]
    assert [th.get_text() for th in table.thead.find_all("tr")[1].find_all("th")] == [
        "Tồn kỳ trước",
        "Trực tuyến",
        "Trực tiếp",
        "Tổng",
    ]
    sorted_by = table.select("th[aria-sort]")
    assert [(th["data-sort-key"], th["aria-sort"]) for th in sorted_by] == [
        ("tong-tiep-nhan", "descending")
    ]

    _, page = rendered(make_site, block(du_lieu="thong-ke/2018-10", sap_xep="ty-le"))
    names = [r.th.get_text() for r in page.select("table tbody tr")]
    assert names == ["Hạ Long", "Sở A", "Hoành Bồ"]  # ascending, units without rate last


def test_communes_of_one_district(make_site):
    rows = [*ROWS, "xa-b,0,1,1,1,1,0,0,0,0"]
    _, page = rendered(
        make_site, block(du_lieu="thong-ke/2018-10", nhom="cap-xa", thuoc="hoanh-bo"), rows=rows
    )
    assert [r.th.get_text() for r in page.select("table tbody tr")] == ["Xã B"]
    assert "Cấp xã thuộc Huyện Hoành Bồ" in page.select_one("caption").get_text()


def test_other_formula_is_stated(make_site):
    _, page = rendered(make_site, block(du_lieu="thong-ke/2018-10", cong_thuc="gia-lai"))
    assert "cách tính của tỉnh Gia Lai" in page.select_one(".table-note").get_text()
    hoanh_bo = page.select("table tbody tr")[2].find_all("td")[-1].get_text()
    assert hoanh_bo == "—"


def test_status_table_with_summary_and_types(make_site):
    _, page = rendered(make_site, block(du_lieu="trang-thai/hop-nhat"))
    assert page.select_one(".table-summary").get_text() == "1/2 đơn vị đã hợp nhất"
    table = page.select_one("table")
    assert "Tình hình hợp nhất (số liệu đến 08/11/2018)" in table.caption.get_text()
    assert len(table.thead.find_all("tr")) == 1  # no groups: one header row
    first, second = table.tbody.find_all("tr")
    assert [td.get_text() for td in first.find_all("td")] == [
        "Đã hợp nhất",
        "1.234",
        "12,65%",
        "29/03/2018",
        "Xong",
    ]
    assert [td.get_text() for td in second.find_all("td")][:4] == ["Chưa hợp nhất", "—", "—", "—"]
    assert [td.get_text() for td in table.tfoot.find_all("td")][1] == "1.234"


def test_names_are_escaped(make_site):
    registry = REGISTRY.replace("ten: Hạ Long", 'ten: "<script>alert(1)</script> Hạ Long"')
    output, page = rendered(
        make_site, block(du_lieu="thong-ke/2018-10", bieu_do="có"), registry=registry
    )
    assert page.find("script", string=lambda s: s and "alert" in s) is None
    assert "<script>alert(1)</script> Hạ Long" in page.select("table tbody th")[1].get_text()
    html = (output / PAGE).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    unit_page = (output / "don-vi/ha-long/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in unit_page


def test_chart_is_inline_svg_with_a_text_alternative(make_site):
    _, page = rendered(make_site, block(du_lieu="thong-ke/2018-10", bieu_do="có"))
    svg = page.select_one("figure.chart-figure svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find(id=title_id).get_text().startswith("Tỷ lệ đúng hạn")
    desc = svg.find(id=desc_id).get_text()
    assert "Cao nhất: Sở A (98,81%)" in desc and "thấp nhất: Hạ Long (85,71%)" in desc
    assert "1 đơn vị không có hồ sơ để tính" in desc
    assert len(svg.find_all("rect")) == 2  # Hoành Bồ has no bar, only a '—' label
    labels = [t.get_text() for t in svg.find_all("text")]
    assert "98,81%" in labels and "— không có hồ sơ" in labels
    assert svg.find("script") is None
    assert page.select_one("figure.chart-figure figcaption").get_text()


def test_downloads_offer_csv_and_json(make_site):
    output, page = rendered(make_site, block(du_lieu="thong-ke/2018-10"))
    links = {a.get_text(): a["href"] for a in page.select(".table-downloads a")}
    assert links == {
        "CSV": "/du-lieu/thong-ke/2018-10.csv",
        "JSON": "/du-lieu/thong-ke/2018-10.json",
    }
    document = json.loads((output / "du-lieu/thong-ke/2018-10.json").read_text(encoding="utf-8"))
    assert document["tu_ngay"] == "2018-09-21" and document["so_lieu_mau"] is True
    first = document["dong"][0]
    assert first["ma_don_vi"] == "so-a" and first["tong_tiep_nhan"] == 10000
    assert first["ty_le_dung_han"] == 0.9881
    assert document["dong"][2]["ty_le_dung_han"] is None
    csv_text = (output / "du-lieu/thong-ke/2018-10.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("\ufeffma_don_vi,ten_don_vi,ton_ky_truoc")
    assert len(csv_text.strip().splitlines()) == 4
    status = json.loads((output / "du-lieu/trang-thai/hop-nhat.json").read_text(encoding="utf-8"))
    assert status["dong"][0]["ngay"] == "2018-03-29"


def test_sites_without_unit_data_are_unaffected(make_site):
    output = make_site({"trang/a.md": "Title: Trang\n\nNội dung.\n"})
    assert not (output / "don-vi").exists() and not (output / "du-lieu").exists()
