"""The sample portal's unit pages: "Tình hình xử lý", periods, units, the merger status."""

import json

from conftest import soup


def test_section_shows_latest_period_by_group(sample_site):
    page = soup(sample_site / "tinh-hinh-xu-ly/index.html")
    assert page.h1.get_text() == "Tình hình xử lý hồ sơ"
    assert "Tháng 11/2018" in page.select_one(".period-lead").get_text()
    groups = [h.get_text() for h in page.select(".stats-group h2")]
    assert groups == ["Sở, ban, ngành", "Cấp huyện"]
    district = page.select(".stats-group")[1]
    assert len(district.select("tbody tr")) == 14
    summary = district.select_one(".table-summary").get_text()
    assert summary.endswith("/14 đơn vị đạt tỷ lệ đúng hạn từ 95%")
    assert len(district.select("svg rect")) >= 13
    assert page.select_one('nav a[aria-current="page"]').get_text() == "Tình hình xử lý"


def test_section_links_every_period(sample_site):
    page = soup(sample_site / "tinh-hinh-xu-ly/index.html")
    links = [a["href"] for a in page.select(".period-list li a")]
    assert len(links) == 7  # six months and one quarter, newest first
    assert links[0] == "/tinh-hinh-xu-ly/2018-11/"
    for href in links:
        period = soup(sample_site / href.lstrip("/") / "index.html")
        assert period.select("table.data-table")


def test_every_unit_has_a_page_with_its_history(sample_site):
    index = soup(sample_site / "don-vi/index.html")
    units = index.select(".unit-list a")
    assert len(units) == 37  # 20 departments, 14 districts, 3 communes of Cô Tô
    ha_long = soup(sample_site / "don-vi/ha-long/index.html")
    assert ha_long.h1.get_text() == "Thành phố Hạ Long"
    facts = ha_long.select_one(".unit-facts").get_text(" ", strip=True)
    assert "Thành phố" in facts and "Ủy ban nhân dân tỉnh Quảng Ninh" in facts
    history = ha_long.select("table.data-table tbody tr")
    assert len(history) == 7
    assert history[0].th.a["href"] == "/tinh-hinh-xu-ly/2018-11/"
    trend = ha_long.select_one("svg.chart")
    assert len(trend.find_all("circle")) == 6  # the monthly trend; the quarter stays in the table
    downloads = [a["href"] for a in ha_long.select(".table-downloads a")]
    assert downloads == ["/du-lieu/don-vi/ha-long.csv", "/du-lieu/don-vi/ha-long.json"]
    data = json.loads((sample_site / "du-lieu/don-vi/ha-long.json").read_text(encoding="utf-8"))
    assert len(data["cac_ky"]) == 7


def test_merged_unit_points_to_its_successor(sample_site):
    page = soup(sample_site / "don-vi/hoanh-bo/index.html")
    facts = page.select_one(".unit-facts").get_text(" ", strip=True)
    assert "31/12/2019" in facts and "Thành phố Hạ Long" in facts
    co_to = soup(sample_site / "don-vi/co-to/index.html")
    assert [a.get_text() for a in co_to.select(".unit-list a")] == [
        "Thị trấn Cô Tô",
        "Xã Đồng Tiến",
        "Xã Thanh Lân",
    ]


def test_merger_status_page(sample_site):
    page = soup(sample_site / "hop-nhat-to-chuc-noi-vu/index.html")
    assert page.select_one(".table-summary").get_text() == "13/14 đơn vị đã hợp nhất"
    rows = page.select("table tbody tr")
    assert len(rows) == 14
    dong_trieu = next(r for r in rows if r.th.get_text() == "Đông Triều")
    assert dong_trieu.td.get_text() == "Chưa hợp nhất"
    totals = [td.get_text() for td in page.select("table tfoot td")]
    assert "166" in totals and "145" in totals
    assert page.select_one(".sample-flag")


def test_sample_statistics_balance_and_are_marked(sample_site):
    for path in (sample_site / "du-lieu/thong-ke").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["so_lieu_mau"] is True
        for row in document["dong"]:
            outgoing = row["tong_da_giai_quyet"] + row["tong_dang_giai_quyet"] + row["tra_lai"]
            assert row["tong_tiep_nhan"] == outgoing
