"""The statistics arithmetic of unit-stats.md, as plain functions."""

import pytest
from unit_tables import Counts
from unit_tables.stats import balance_problems
from unit_tables.values import parse_count, parse_date, parse_percent


def test_totals_are_derived_from_parts():
    counts = Counts(
        carried=10,
        online=20,
        direct=30,
        early=20,
        on_time=10,
        late=5,
        within=15,
        overdue=5,
        returned=5,
    )
    assert (counts.received, counts.resolved, counts.in_progress) == (60, 35, 20)
    assert balance_problems(counts) == []


def test_unbalanced_counts_are_explained():
    counts = Counts(
        carried=0, online=10, direct=0, early=5, on_time=0, late=0, within=0, overdue=0, returned=0
    )
    [message] = balance_problems(counts)
    assert "tổng tiếp nhận 10" in message and "= 5" in message


def test_on_time_rate_both_formulas():
    counts = Counts(carried=0, online=6000, direct=4000, early=5000, on_time=4881, late=119)
    assert counts.rate("opencps") == pytest.approx(0.9881)
    late_and_overdue = Counts(
        carried=10, online=90, early=50, on_time=20, late=10, within=15, overdue=5
    )
    assert late_and_overdue.rate("gia-lai") == pytest.approx(1 - 15 / 100)


def test_zero_resolved_has_no_rate():
    assert Counts().rate("opencps") is None
    assert Counts().rate("gia-lai") is None
    waiting = Counts(online=5, within=5)
    assert waiting.rate("opencps") is None
    assert waiting.rate("gia-lai") == 1.0


def test_counts_add_up_for_the_total_row():
    a = Counts(
        carried=1, online=2, direct=3, early=4, on_time=5, late=6, within=7, overdue=8, returned=9
    )
    assert a + a == Counts(2, 4, 6, 8, 10, 12, 14, 16, 18)


@pytest.mark.parametrize("text", ["-3", "12.5", "1.234", "abc", ""])
def test_counts_must_be_plain_non_negative_integers(text):
    with pytest.raises(ValueError):
        parse_count(text)


def test_values_parse_as_editors_write_them():
    assert parse_count(" 1234 ") == 1234
    assert parse_percent("12,65%") == pytest.approx(0.1265)
    assert parse_percent("98.81") == pytest.approx(0.9881)
    assert parse_date("08/11/2018").isoformat() == "2018-11-08"
    assert parse_date("2018-11-08").isoformat() == "2018-11-08"
    with pytest.raises(ValueError):
        parse_date("31/02/2018")
