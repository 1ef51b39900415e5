"""dates: full dates, yearly dates with or without a year, cadences, daily-note names."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from vaultnet.core.dateformats import date_format_parser
from vaultnet.core.dates import (
    UNKNOWN_YEARS,
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
        ("March 15", YearlyDate(3, 15, None)),
    ],
)
def test_parse_yearly(value: object, expected: YearlyDate) -> None:
    assert parse_yearly(value) == expected


@pytest.mark.parametrize(
    "value", ["--02-30", "13-01", "1990-02-29", "Marsh 15", "March 32", "1604-02-30", 315, None]
)
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
    if d.year not in UNKNOWN_YEARS and draw(st.booleans()):  # those years mean "no year"
        return YearlyDate(d.month, d.day, d.year)
    return YearlyDate(d.month, d.day, None)


@given(yearly_dates())
def test_yearly_round_trips_through_its_string(value: YearlyDate) -> None:
    assert parse_yearly(str(value)) == value


@given(st.dates(min_value=date(1000, 1, 1)))
def test_parse_date_round_trips_iso(value: date) -> None:
    assert parse_date(value.isoformat()) == value


# -- dates as people and phones write them -------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "19900501",
        "1 May 1990",
        "1st May 1990",
        "1 may, 1990",
        "01 MAY 1990",
        "May 1, 1990",
        "May 1st, 1990",
        "may 1 1990",
        "MAY 1ST, 1990",
        "1 May. 1990",
        " 1 May 1990 ",
    ],
)
def test_parse_date_reads_written_forms(value: str) -> None:
    assert parse_date(value) == date(1990, 5, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jan 5, 1990", date(1990, 1, 5)),
        ("Jan. 5, 1990", date(1990, 1, 5)),
        ("5 Sept 1990", date(1990, 9, 5)),
        ("5 September 1990", date(1990, 9, 5)),
        ("December 31st, 1999", date(1999, 12, 31)),
        ("2nd Feb 2000", date(2000, 2, 2)),
        ("23rd Mar 2001", date(2001, 3, 23)),
        ("15/05/1990", date(1990, 5, 15)),
        ("05/15/1990", date(1990, 5, 15)),
        ("15.05.1990", date(1990, 5, 15)),
        ("15-05-1990", date(1990, 5, 15)),
        ("5/15/1990", date(1990, 5, 15)),
        ("31/12/1999", date(1999, 12, 31)),
        ("12/31/1999", date(1999, 12, 31)),
        ("03/03/1990", date(1990, 3, 3)),  # both readings are the same day
        ("29/02/2000", date(2000, 2, 29)),
    ],
)
def test_parse_date_reads_each_form(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["03/04/1990", "01.02.2003", "12-11-2026", "1/2/1990"])
def test_a_date_that_reads_two_ways_is_refused_as_ambiguous(value: str) -> None:
    with pytest.raises(ValueError, match="ambiguous") as exc:
        parse_date(value)
    assert value in str(exc.value)
    assert "YYYY-MM-DD" in str(exc.value)


def test_the_ambiguous_message_names_both_readings() -> None:
    with pytest.raises(ValueError) as exc:
        parse_date("03/04/1990")
    assert str(exc.value) == (
        "'03/04/1990' is ambiguous (3 April or March 4); write it as YYYY-MM-DD"
    )


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "20260230", "30 February 2026", "Feb 30, 2026", "31/04/1990", "13/13/1990",
     "29/02/1991", "00/05/1990", "0000-07-23"],
)  # fmt: skip
def test_impossible_dates_are_not_valid(value: str) -> None:
    with pytest.raises(ValueError, match="is not a valid date"):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    ["soon", "1 Foo 1990", "Foo 1, 1990", "2026-10-01 maybe later", "1990/05/01", "01/05/90",
     "2026-W40-1", "1 May 1990 10:00", "May", "1990"],
)  # fmt: skip
def test_other_text_names_the_value_and_the_accepted_forms(value: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_date(value)
    assert str(exc.value) == (
        f"{value!r} is not a date (expected YYYY-MM-DD; "
        "also read: 19900501, 1 May 1990, May 1, 1990, 15/05/1990)"
    )


@pytest.mark.parametrize("value", ["May 1", "1 May", "--05-01", "05-01", "--0501"])
def test_a_full_date_needs_its_year(value: str) -> None:
    with pytest.raises(ValueError, match="has no year"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19900501", YearlyDate(5, 1, 1990)),
        ("1 May 1990", YearlyDate(5, 1, 1990)),
        ("May 1, 1990", YearlyDate(5, 1, 1990)),
        ("15/05/1990", YearlyDate(5, 15, 1990)),
        ("May 1", YearlyDate(5, 1, None)),
        ("may 1st", YearlyDate(5, 1, None)),
        ("1 May", YearlyDate(5, 1, None)),
        ("1st May", YearlyDate(5, 1, None)),
        ("--0501", YearlyDate(5, 1, None)),
        ("Feb 29", YearlyDate(2, 29, None)),
    ],
)
def test_parse_yearly_reads_written_forms(value: str, expected: YearlyDate) -> None:
    assert parse_yearly(value) == expected


@pytest.mark.parametrize(
    "value",
    ["0000-07-23", "1604-07-23", "1900-07-23", "16040723", "19000723", "00000723",
     "23 July 1604", "July 23, 1900", "23/07/1604", "1604-07-23T00:00:00",
     date(1604, 7, 23), date(1900, 7, 23), datetime(1604, 7, 23, 0, 0)],
)  # fmt: skip
def test_placeholder_years_mean_the_year_is_unknown(value: object) -> None:
    birthday = parse_yearly(value)
    assert birthday == YearlyDate(7, 23, None)
    assert birthday.years_at(date(2026, 7, 23)) is None  # never "turns 126"


def test_placeholder_years_are_the_named_ones() -> None:
    assert {0, 1604, 1900} == UNKNOWN_YEARS
    assert parse_yearly("1901-07-23") == YearlyDate(7, 23, 1901)
    assert parse_yearly("1603-07-23") == YearlyDate(7, 23, 1603)


def test_a_placeholder_year_keeps_february_29() -> None:
    # 1900 is no leap year, but the phone only meant "29 February, year unknown".
    assert parse_yearly("1900-02-29") == YearlyDate(2, 29, None)
    assert parse_yearly("0000-02-29") == YearlyDate(2, 29, None)
    assert parse_yearly("1604-02-29") == YearlyDate(2, 29, None)


def test_a_full_date_keeps_a_placeholder_year() -> None:
    # Only birthdays and anniversaries read 1900 as "unknown"; a last contact is a day.
    assert parse_date("1900-07-23") == date(1900, 7, 23)
    assert parse_date("1604-07-23") == date(1604, 7, 23)


def test_parse_yearly_refuses_ambiguous_and_unknown_text() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_yearly("03/04/1990")
    with pytest.raises(ValueError) as exc:
        parse_yearly("soon")
    assert str(exc.value) == (
        "'soon' is not a date (expected YYYY-MM-DD, or --MM-DD without the year; "
        "also read: 19900501, 1 May 1990, May 1, 1990, 15/05/1990, May 1)"
    )


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVERYDAY = st.dates(min_value=date(1900, 1, 2), max_value=date(2100, 12, 31))


def written_forms(d: date) -> list[str]:
    """``d`` in every unambiguous form a person or a phone writes."""
    full, short = MONTHS[d.month - 1], MONTHS[d.month - 1][:3]
    forms = [d.isoformat(), d.strftime("%Y%m%d")]
    for month in (full, short, full.lower(), short.upper()):
        forms += [f"{d.day} {month} {d.year}", f"{month} {d.day}, {d.year}"]
    forms += [f"{d.day:02d} {full}, {d.year}", f"{full} {d.day:02d} {d.year}"]
    if d.day > 12:
        forms += [f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.month}/{d.day}/{d.year}"]
        forms += [f"{d.day}.{d.month:02d}.{d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}"]
    return forms


@given(EVERYDAY)
def test_every_written_form_reads_back_as_the_same_date(d: date) -> None:
    for text in written_forms(d):
        assert parse_date(text) == d, text


@given(EVERYDAY)
def test_every_written_form_reads_back_as_the_same_yearly_date(d: date) -> None:
    year = None if d.year in UNKNOWN_YEARS else d.year
    for text in written_forms(d):
        assert parse_yearly(text) == YearlyDate(d.month, d.day, year), text


@given(EVERYDAY)
def test_numeric_dates_with_day_and_month_under_13_are_ambiguous(d: date) -> None:
    assume(d.day <= 12 and d.day != d.month)
    with pytest.raises(ValueError, match="ambiguous"):
        parse_date(f"{d.day:02d}/{d.month:02d}/{d.year}")


# -- daily-note names in the vault's own format ---------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("YYYY-MM-DD", "2026-11-23"),
        ("", "2026-11-23"),  # Obsidian's default when the setting is empty
        ("DD-MM-YYYY", "23-11-2026"),
        ("MMMM D, YYYY", "November 23, 2026"),
        ("MMMM D, YYYY", "november 23, 2026"),
        ("MMM Do, YYYY", "Nov 23rd, 2026"),
        ("YYYY/MM/YYYY-MM-DD", "2026/11/2026-11-23"),
        ("YYYY/MM-MMMM/YYYY-MM-DD-ddd", "2026/11-November/2026-11-23-Mon"),
        ("[Journal] YYYY-MM-DD", "Journal 2026-11-23"),
        ("YYYY-MM-DD dddd", "2026-11-23 Monday"),
        ("dd, D.M.YY", "Mo, 23.11.26"),
        ("YYYY-[Q]Q-MM-DD", "2026-Q4-11-23"),
        ("YYYY-DDDD", "2026-327"),
        ("YYYYMMDD", "20261123"),
        ("\\Y\\e\\a\\r YYYY-MM-DD", "Year 2026-11-23"),
        ("YYYY-MM-DD HHmm", "2026-11-23 0930"),
        ("LL", "November 23, 2026"),
        ("L", "11/23/2026"),
        ("YYYY-MM-DD [W]ww", "2026-11-23 W48"),
        ("YYYY-MM-DD", "2026/11/2026-11-23"),  # in folders the format does not name
        ("YYYY-MM-DD", "archive/2026-11-23"),
    ],
)
def test_a_daily_note_name_gives_its_day(fmt: str, path: str) -> None:
    read = date_format_parser(fmt)
    assert read is not None
    assert read(path) == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("YYYY-MM-DD", "2026-11-23 meeting"),
        ("YYYY-MM-DD", "Ideas"),
        ("YYYY-MM-DD", "2026-02-30"),
        ("YYYY-MM-DD", "2026-1-5"),
        ("DD-MM-YYYY", "2026-11-23"),
        ("MMMM D, YYYY", "Novembre 23, 2026"),
        ("YYYY/MM/YYYY-MM-DD", "2026-11-23"),
        ("[Journal] YYYY-MM-DD", "2026-11-23"),
        ("YYYY-DDDD", "2026-366"),
        ("YYYY-MM-DD", "٢٠٢٦-١١-٢٣"),  # other digits are not a name Obsidian writes
    ],
)
def test_a_note_that_is_no_such_name_gives_none(fmt: str, path: str) -> None:
    read = date_format_parser(fmt)
    assert read is not None
    assert read(path) is None


@pytest.mark.parametrize(
    "fmt",
    ["gggg-[W]ww", "GGGG-[W]WW", "YYYY-[W]ww", "YYYY-MM", "YYYY", "YYYY-[Q]Q", "MM-DD", "X", "x"],
)
def test_a_format_that_names_no_single_day_gives_no_reader(fmt: str) -> None:
    assert date_format_parser(fmt) is None


def test_a_repeated_part_counts_as_written_last() -> None:
    # As in moment and Obsidian, which read the file name: a note filed in the wrong folder.
    read = date_format_parser("YYYY/MM/YYYY-MM-DD")
    assert read is not None
    assert read("2025/10/2026-11-23") == date(2026, 11, 23)


def test_a_format_is_compiled_once() -> None:
    assert date_format_parser("DD.MM.YYYY") is date_format_parser("DD.MM.YYYY")


def moment_format(d: date, fmt: str) -> str:
    """``d`` written in the moment.js format ``fmt`` (the tokens these tests use)."""
    weekday = WEEKDAYS[d.weekday()]
    yday = d.timetuple().tm_yday
    values = {
        "YYYY": f"{d.year:04d}", "YY": f"{d.year % 100:02d}", "MMMM": MONTHS[d.month - 1],
        "MMM": MONTHS[d.month - 1][:3], "MM": f"{d.month:02d}", "M": str(d.month),
        "DDDD": f"{yday:03d}", "DD": f"{d.day:02d}", "Do": ordinal(d.day), "D": str(d.day),
        "dddd": weekday, "ddd": weekday[:3], "dd": weekday[:2],
        "d": str((d.weekday() + 1) % 7), "Q": str((d.month - 1) // 3 + 1),
    }  # fmt: skip
    tokens = re.compile(r"\[([^\]]*)\]|(" + "|".join(sorted(values, key=len)[::-1]) + ")|(.)")
    out = []
    for m in tokens.finditer(fmt):
        literal, token, other = m.groups()
        out.append(literal if literal is not None else values[token] if token else other)
    return "".join(out)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


FORMATS = [
    "YYYY-MM-DD", "DD-MM-YYYY", "MMMM D, YYYY", "YYYY/MM/YYYY-MM-DD",
    "YYYY/MM-MMMM/YYYY-MM-DD-ddd", "[Journal] YYYY-MM-DD", "dddd, MMMM Do YYYY",
    "D MMM YYYY", "YYYYMMDD", "YYYY-DDDD", "YYYY/[Q]Q/M-D dd", "d DD.MM.YYYY", "YY-MM-DD",
]  # fmt: skip


@given(EVERYDAY, st.sampled_from(FORMATS))
def test_a_date_written_in_a_format_reads_back(d: date, fmt: str) -> None:
    if "YY" in fmt.replace("YYYY", ""):
        assume(1969 <= d.year <= 2068)  # what two digits can say, after moment's pivot
    read = date_format_parser(fmt)
    assert read is not None
    assert read(moment_format(d, fmt)) == d


def test_the_test_formatter_writes_what_moment_writes() -> None:
    d = date(2010, 2, 14)  # moment's own example: "Sunday, February 14th 2010"
    assert moment_format(d, "dddd, MMMM Do YYYY") == "Sunday, February 14th 2010"
    assert moment_format(d, "[Journal] YY-M-D ddd d Q DDDD") == "Journal 10-2-14 Sun 0 1 045"


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
