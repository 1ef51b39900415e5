"""dates: full dates, yearly dates with or without a year, cadences."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.core.dates import (
    YearlyDate,
    parse_cadence,
    parse_date,
    parse_duration_days,
    parse_yearly,
    relative_days,
)


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 10, 1),
        datetime(2026, 10, 1, 9, 30),
        "2026-10-01",
        " 2026-10-01 ",
        "2026-10-01T09:30:00",
        "2026-10-01 09:30",
    ],
)
def test_parse_date_accepts_every_written_form(value: object) -> None:
    assert parse_date(value) == date(2026, 10, 1)


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2026-13-01", "2026-10-01 maybe later", "soon", "", 20261001, None, True],
)
def test_parse_date_rejects_with_a_message(value: object) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-03-15", YearlyDate(3, 15, 1990)),
        (date(1990, 3, 15), YearlyDate(3, 15, 1990)),
        (datetime(1990, 3, 15, 8, 0), YearlyDate(3, 15, 1990)),
        ("--03-15", YearlyDate(3, 15, None)),
        ("03-15", YearlyDate(3, 15, None)),
        ("--02-29", YearlyDate(2, 29, None)),
        ("1992-02-29", YearlyDate(2, 29, 1992)),
    ],
)
def test_parse_yearly(value: object, expected: YearlyDate) -> None:
    assert parse_yearly(value) == expected


@pytest.mark.parametrize("value", ["--02-30", "13-01", "1990-02-29", "March 15", 315, None])
def test_parse_yearly_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_yearly(value)


def test_yearly_str_forms() -> None:
    assert str(YearlyDate(3, 5, None)) == "--03-05"
    assert str(YearlyDate(3, 5, 1990)) == "1990-03-05"


def test_feb_29_falls_on_feb_28_in_common_years() -> None:
    leap = YearlyDate(2, 29, 1992)
    assert leap.in_year(2027) == date(2027, 2, 28)
    assert leap.in_year(2028) == date(2028, 2, 29)
    assert leap.next_on_or_after(date(2027, 3, 1)) == date(2028, 2, 29)


def test_next_on_or_after_and_years_at() -> None:
    b = YearlyDate(11, 25, 1990)
    assert b.next_on_or_after(date(2026, 11, 25)) == date(2026, 11, 25)
    assert b.next_on_or_after(date(2026, 11, 26)) == date(2027, 11, 25)
    assert b.years_at(date(2026, 11, 25)) == 36
    assert YearlyDate(11, 25).years_at(date(2026, 11, 25)) is None


@st.composite
def yearly_dates(draw: st.DrawFn) -> YearlyDate:
    d = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
    if draw(st.booleans()):
        return YearlyDate(d.month, d.day, d.year)
    return YearlyDate(d.month, d.day, None)


@given(yearly_dates())
def test_yearly_round_trips_through_its_string(value: YearlyDate) -> None:
    assert parse_yearly(str(value)) == value


@given(st.dates(min_value=date(1000, 1, 1)))
def test_parse_date_round_trips_iso(value: date) -> None:
    assert parse_date(value.isoformat()) == value


@pytest.mark.parametrize(
    ("value", "days"),
    [
        (30, 30),
        ("30", 30),
        ("10 days", 10),
        ("1 day", 1),
        ("2 weeks", 14),
        ("3 months", 90),
        ("1 year", 365),
        ("2 years", 730),
        ("5d", 5),
        ("2w", 14),
        ("3m", 90),
        ("1y", 365),
        ("weekly", 7),
        ("biweekly", 14),
        ("monthly", 30),
        ("quarterly", 90),
        ("yearly", 365),
        ("  Monthly ", 30),
        ("every 6 weeks", 42),
    ],
)
def test_parse_cadence(value: object, days: int) -> None:
    assert parse_cadence(value) == days


@pytest.mark.parametrize("value", ["none", "None", None])
def test_cadence_none(value: object) -> None:
    assert parse_cadence(value) is None


@pytest.mark.parametrize(
    "value",
    [0, -3, "0 days", "fortnight", "2 mins", 1.5, True, [7], "99999999999999999999 days", 10**20],
)
def test_parse_cadence_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="cadence"):
        parse_cadence(value)


def test_duration_is_a_cadence_but_never_none() -> None:
    assert parse_duration_days("2w") == 14
    with pytest.raises(ValueError):
        parse_duration_days("none")


@pytest.mark.parametrize(
    ("delta", "words"),
    [(0, "today"), (1, "tomorrow"), (-1, "yesterday"), (5, "in 5 days"), (-42, "42 days ago")],
)
def test_relative_days(delta: int, words: str) -> None:
    today = date(2026, 11, 25)
    assert relative_days(date.fromordinal(today.toordinal() + delta), today) == words
