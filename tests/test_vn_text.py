"""Slugs, NFC, Vietnamese dates and numbers: plain functions, plain tests."""

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pelican.utils import get_date
from vn_text import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    nfc,
    parse_date,
    slugify,
)
from vn_text.formatting import format_short_date, iso_datetime, tel_href


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Tổ chức – Nội vụ", "to-chuc-noi-vu"),
        ("907-QĐ/TU", "907-qd-tu"),
        ("Quyết định 100/2019/NĐ-CP", "quyet-dinh-100-2019-nd-cp"),
        ("Đảng ủy Đông Triều", "dang-uy-dong-trieu"),
        ("Tỷ lệ đúng hạn 98,81%", "ty-le-dung-han-98-81"),
        ("  Hỏi   đáp  ", "hoi-dap"),
        ("Cô Tô: “đảo xanh”", "co-to-dao-xanh"),
        ("Thông báo số 12/TB-UBND ngày 8.11.2018", "thong-bao-so-12-tb-ubnd-ngay-8-11-2018"),
        ("Ưu tiên Ơn Ư", "uu-tien-on-u"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["Tổ chức – Nội vụ", "Quyết định 907-QĐ/TU", "Đảng ủy Hạ Long"])
def test_slugify_nfd_input_gives_the_same_slug(text):
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert slugify(decomposed) == slugify(text)


def test_nfc_composes_and_keeps_composed_text_identical():
    composed = "Tiếng Việt có dấu: Đảng ủy, Quảng Ninh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert nfc(decomposed) == composed
    assert nfc(composed) is composed


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime(2018, 11, 5), "Thứ Hai, 05/11/2018"),
        (datetime(2018, 11, 6), "Thứ Ba, 06/11/2018"),
        (datetime(2018, 11, 7), "Thứ Tư, 07/11/2018"),
        (datetime(2018, 11, 8), "Thứ Năm, 08/11/2018"),
        (datetime(2018, 11, 9), "Thứ Sáu, 09/11/2018"),
        (datetime(2018, 11, 10), "Thứ Bảy, 10/11/2018"),
        (datetime(2018, 11, 11), "Chủ Nhật, 11/11/2018"),
    ],
)
def test_format_date_names_every_weekday(day, expected):
    assert format_date(day) == expected


def test_format_datetime_uses_portal_time_zone():
    assert format_datetime(datetime(2018, 11, 8, 14, 30)) == "Thứ Năm, 08/11/2018 14:30"
    utc = datetime(2018, 11, 8, 7, 30, tzinfo=UTC)
    assert format_datetime(utc) == "Thứ Năm, 08/11/2018 14:30"
    late_utc = datetime(2018, 11, 7, 18, 0, tzinfo=UTC)  # already the 8th in Hạ Long
    assert format_date(late_utc) == "Thứ Năm, 08/11/2018"
    assert iso_datetime(utc) == "2018-11-08T14:30:00+07:00"
    assert format_short_date(datetime(2018, 1, 2, tzinfo=timezone(timedelta(hours=7)))) == (
        "02/01/2018"
    )


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (7448251, 0, "7.448.251"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (-1234567, 0, "-1.234.567"),
        (12.65, 2, "12,65"),
        (1234.5, 1, "1.234,5"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_percent():
    assert format_percent(0.1265) == "12,65%"
    assert format_percent(0.9881) == "98,81%"
    assert format_percent(1) == "100,00%"
    assert format_percent(0.5, 0) == "50%"


def test_tel_href_is_e164():
    assert tel_href("0203.3.618.429") == "tel:+842033618429"
    assert tel_href("+84 203 3619 429") == "tel:+842033619429"


@pytest.mark.parametrize(
    "text",
    ["2018-10-19 14:00", "2018-10-19", "2018-10-19T14:00:05", "19/10/2018", "2018-10-19 14:00+07"],
)
def test_parse_date_reads_as_pelican_does(text):
    assert parse_date(text) == get_date(text)
    assert type(parse_date(text)) is type(get_date(text))


@pytest.mark.parametrize("text", ["2018-02-30", "2018-13-01 10:00", "hôm qua"])
def test_parse_date_refuses_what_pelican_refuses(text):
    with pytest.raises(ValueError):
        get_date(text)
    with pytest.raises(ValueError):
        parse_date(text)


def test_remembered_dates_read_as_each_value_reads():
    """Formatted dates are remembered: equal values read alike, the others never do."""
    from zoneinfo import ZoneInfo

    hanoi = datetime(2024, 5, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    same_instant = hanoi.astimezone(UTC)
    naive = datetime(2024, 5, 2, 8, 0)  # its fields are hanoi's; it is no instant
    assert iso_datetime(hanoi) == iso_datetime(same_instant) == "2024-05-02T08:00:00+07:00"
    assert format_datetime(same_instant) == "Thứ Năm, 02/05/2024 08:00"
    assert iso_datetime(naive) == "2024-05-02T08:00:00"
    # equality leaves out `fold`: these two are an hour apart, and equal
    first = datetime(2023, 11, 5, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    second = first.replace(fold=1)
    assert first == second
    assert iso_datetime(first) == "2023-11-05T12:30:00+07:00"
    assert iso_datetime(second) == "2023-11-05T13:30:00+07:00"
    assert format_datetime(second) == "Chủ Nhật, 05/11/2023 13:30"
