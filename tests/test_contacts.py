"""Contacts from the registry: directory, vCards (read back with vobject), JSON-LD, chart."""

import json

import pytest
import vobject
from conftest import soup
from content_checks import ContentError
from unit_data import REGISTRY, data_site


def json_ld(element) -> list[dict]:
    return [json.loads(s.string) for s in element.select('script[type="application/ld+json"]')]


def test_contact_page_lists_every_agency_with_contacts(sample_site):
    page = soup(sample_site / "lien-he/index.html")
    cards = page.select(".contact-card")
    names = [card.h2.get_text(" ", strip=True) for card in cards]
    assert names[0] == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert len(cards) == 6 and any("(thông tin mẫu)" in name for name in names)
    office = next(c for c in cards if "Văn phòng" in c.h2.get_text())
    assert office.select_one('a[href="tel:+842033835203"]').get_text() == "0203.3.835.203"
    assert office.select_one('a[href="mailto:vpubnd@quangninh.gov.vn"]')
    officials = office.select("table.officials tbody tr")
    assert [r.th.get_text() for r in officials] == ["Nguyễn Minh Anh", "Trần Thu Hà"]
    assert officials[0].select_one('a[href="tel:+842033835205"]')


def test_vcards_parse_with_a_library(sample_site):
    page = soup(sample_site / "lien-he/index.html")
    links = [a["href"] for a in page.select(".contact-vcard a")]
    assert len(links) == 6
    for href in links:
        text = (sample_site / href.lstrip("/")).read_text(encoding="utf-8")
        card = vobject.readOne(text)
        assert card.fn.value and card.org.value
        assert all(tel.value.startswith("+84") for tel in card.contents.get("tel", []))
    office = vobject.readOne((sample_site / "lien-he/van-phong-ubnd.vcf").read_text("utf-8"))
    assert office.fn.value == "Văn phòng Ủy ban nhân dân tỉnh"
    numbers = {tel.value: tel.params.get("TYPE") for tel in office.contents["tel"]}
    assert numbers == {"+842033835203": ["WORK"], "+842033835204": ["FAX"]}
    assert office.email.value == "vpubnd@quangninh.gov.vn"
    assert "Hồng Hà" in office.adr.value.street


def test_json_ld_describes_each_agency(sample_site):
    page = soup(sample_site / "lien-he/index.html")
    documents = json_ld(page)
    assert len(documents) == 6
    for data in documents:
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "GovernmentOrganization"
        assert data["name"] and data["url"].startswith("http")
        assert data["address"]["@type"] == "PostalAddress"
        assert data["telephone"].startswith("+84")
    office = next(d for d in documents if d["name"] == "Văn phòng Ủy ban nhân dân tỉnh")
    assert office["parentOrganization"]["name"] == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert office["employee"][0] == {
        "@type": "Person",
        "name": "Nguyễn Minh Anh",
        "jobTitle": "Chánh Văn phòng",
        "telephone": "+842033835205",
        "email": "nmanh@quangninh.gov.vn",
    }


def test_unit_page_carries_its_contact_block(sample_site):
    page = soup(sample_site / "don-vi/ha-long/index.html")
    card = page.select_one(".contact-card")
    assert card.select_one('a[href="tel:+842033825358"]')
    assert card.select_one('a[href="/lien-he/ha-long.vcf"]')
    assert json_ld(page)[0]["name"] == "Thành phố Hạ Long"
    assert soup(sample_site / "don-vi/so-tu-phap/index.html").select_one(".contact-card") is None


def test_organisation_chart_is_built_from_the_registry(sample_site):
    chart = soup(sample_site / "gioi-thieu/index.html").select_one("nav.org-chart")
    root = chart.ul.li
    assert root.a.get_text() == "Ủy ban nhân dân tỉnh Quảng Ninh"
    groups = {
        g.select_one(".org-group-label").get_text(): g for g in root.select(":scope > ul > li")
    }
    assert list(groups) == ["Sở, ban, ngành", "Cấp huyện"]
    assert len(groups["Sở, ban, ngành"].select(":scope > ul > li")) == 20
    districts = groups["Cấp huyện"].select(":scope > ul > li")
    names = [d.a.get_text() for d in districts]
    assert len(names) == 13 and "Huyện Hoành Bồ" not in names  # merged into Hạ Long in 2020
    co_to = next(d for d in districts if d.a.get_text() == "Huyện Cô Tô")
    assert [a.get_text() for a in co_to.select(":scope > ul a")] == [
        "Thị trấn Cô Tô",
        "Xã Đồng Tiến",
        "Xã Thanh Lân",
    ]


CONTACT = "    lien_he: {{dia_chi: Số 1, {field}}}\n"


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("email: khong-phai-thu", "lien_he.email: thư điện tử 'khong-phai-thu' không hợp lệ"),
        ("dien_thoai: 0203.3.61", "lien_he.dien_thoai: số điện thoại '0203.3.61' không hợp lệ"),
        ("fax: 12", "lien_he.fax: số điện thoại '12' không hợp lệ"),
        ("website: www.quangninh.gov.vn", "phải bắt đầu bằng https://"),
        ("can_bo: [{chuc_vu: Giám đốc}]", "can_bo: thiếu 'ho_ten'"),
        ("can_bo: [{ho_ten: A, chuc_vu: B, email: a@}]", "can_bo.email: thư điện tử 'a@'"),
        ("dien_thoai_ban: 0203", "lien_he: mục 'dien_thoai_ban' không có trong mẫu"),
    ],
)
def test_bad_contacts_name_the_file_and_field(make_site, field, words):
    registry = REGISTRY.replace(
        "  - {ma: so-a, ten: Sở A, loai: sở/ngành, thuoc: ubnd-tinh}\n",
        "  - ma: so-a\n    ten: Sở A\n    loai: sở/ngành\n" + CONTACT.format(field=field),
    )
    with pytest.raises(ContentError) as caught:
        make_site(data_site(registry=registry))
    problems = [str(p) for p in caught.value.problems]
    assert any("don-vi.yaml:" in p and words in p for p in problems), problems
