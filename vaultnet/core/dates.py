"""Dates as notes write them: full dates, yearly dates with or without a year, cadences,
and the names of daily notes in a vault's own format.

Pure functions: no I/O, no clock. ``today`` is always passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from vaultnet.core.patterns import lazy
from vaultnet.core.tuples import NamedTuple

# English on purpose: the calendar module's month names follow the process locale.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTHS = {
    **{name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}


# Days in each month of a leap year: a month and day without a year is valid when it is here.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Years that address books and phones write when the year is unknown; each reads as no year,
# so a birthday never "turns 422":
# - 1604: Apple Contacts (macOS, iOS) exports BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-09, and
#   iOS writes 1604 without the parameter too (Nextcloud and SabreDAV special-case it).
# - 1900: khard's documented stand-in for vCard 3.0, and converters such as the Contact
#   Conversion Wizard (FRITZ!Box address books) write BDAY:19000119.
# - 0: flutter_contacts writes BDAY:0000-MM-DD in vCard 3.0, and birthdays synced from
#   Facebook to Android contacts came with the year 0000.
UNKNOWN_YEARS = frozenset({0, 1604, 1900})

# A time may follow (a datetime written as a string), but not arbitrary words.
_FULL = lazy(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$",
    namespace=globals(),
    name="_FULL",
)
_YEARLESS = lazy(r"^(?:--)?(\d{2})-?(\d{2})$", namespace=globals(), name="_YEARLESS")
_COMPACT = lazy(r"^(\d{4})(\d{2})(\d{2})$", namespace=globals(), name="_COMPACT")
_NUMERIC = lazy(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$", namespace=globals(), name="_NUMERIC")
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_MONTH = lazy(
    rf"^(\d{{1,2}}){_ORDINAL}\s+([a-z]+)\.?(?:,?\s+(\d{{4}}))?$",
    re.I,
    namespace=globals(),
    name="_DAY_MONTH",
)
_MONTH_DAY = lazy(
    rf"^([a-z]+)\.?\s+(\d{{1,2}}){_ORDINAL}(?:,?\s+(\d{{4}}))?$",
    re.I,
    namespace=globals(),
    name="_MONTH_DAY",
)

_ALSO_READ = "19900501, 1 May 1990, May 1, 1990, 15/05/1990"


class YearlyDate(NamedTuple):
    """A date that recurs every year; ``year`` is None when it is unknown."""

    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def in_year(self, year: int) -> date:
        """The day this date falls on in ``year`` (Feb 29 falls on Feb 28 in common years)."""
        if self.month == 2 and self.day == 29 and not is_leap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def next_on_or_after(self, today: date) -> date:
        """The first occurrence on or after ``today``."""
        this_year = self.in_year(today.year)
        return this_year if this_year >= today else self.in_year(today.year + 1)

    def years_at(self, occurrence: date) -> int | None:
        """How many years the occurrence marks (an age, years in a job), when the year is known."""
        if self.year is None:
            return None
        return occurrence.year - self.year


def parse_date(value: object) -> date:
    """A full calendar date from a note: a date, a datetime, or text such as ``1990-05-01``
    (a time may follow), ``19900501``, ``1 May 1990``, ``May 1st, 1990`` or ``15/05/1990``.

    Month names are English, full or three letters, in any case. ``DD/MM/YYYY`` and
    ``MM/DD/YYYY`` (also with ``.`` or ``-``) are read only when just one reading is a
    date. Raises ValueError with a message fit for the user.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        # Most dates in a vault are ISO: read them without a regex.
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        fields = _fields(text)
        if fields is not None:
            year, month, day = fields
            if year is not None:
                try:
                    return date(year, month, day)
                except ValueError:
                    raise ValueError(f"{text!r} is not a valid date") from None
            if _is_month_day(month, day):  # else it is no day at all, such as 1990
                raise ValueError(f"{text!r} has no year (expected a full date, YYYY-MM-DD)")
    raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD; also read: {_ALSO_READ})")


def parse_yearly(value: object) -> YearlyDate:
    """A yearly date (a birthday, an anniversary): anything ``parse_date`` reads, or a day
    of the year without one: ``--MM-DD``, ``MM-DD``, ``--MMDD``, ``May 1``, ``1 May``.

    The years phones and address books write for "year unknown" (``UNKNOWN_YEARS``: 1604
    from Apple, 1900 from khard and FRITZ!Box converters, 0000 from flutter_contacts) give
    a date without a year, as in ``1604-07-23`` or ``0000-07-23``.
    """
    if isinstance(value, date):  # a datetime too
        year = None if value.year in UNKNOWN_YEARS else value.year
        return YearlyDate(value.month, value.day, year)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                d = date.fromisoformat(text)
            except ValueError:
                pass
            else:
                if d.year in UNKNOWN_YEARS:
                    return YearlyDate(d.month, d.day, None)
                return YearlyDate(d.month, d.day, d.year)
        elif len(text) <= 7:  # birthdays without a year, read without a detour
            m = _YEARLESS.match(text)
            if m:
                return _yearly(text, None, int(m[1]), int(m[2]))
        fields = _fields(text)
        if fields is not None:
            return _yearly(text, *fields)
    raise ValueError(
        f"{value!r} is not a date (expected YYYY-MM-DD, or --MM-DD without the year; "
        f"also read: {_ALSO_READ}, May 1)"
    )


def _yearly(text: str, year: int | None, month: int, day: int) -> YearlyDate:
    if year is None or year in UNKNOWN_YEARS:
        # Checked as in a leap year, so that --02-29 and 1604-02-29 are accepted.
        if not _is_month_day(month, day):
            what = "month and day" if year is None else "date"
            raise ValueError(f"{text!r} is not a valid {what}")
        return YearlyDate(month, day, None)
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date") from None
    return YearlyDate(month, day, year)


def _fields(text: str) -> tuple[int | None, int, int] | None:
    """Year (None when none is written), month and day of ``text``, not yet checked; None
    when it has none of the accepted forms. Raises ValueError when it reads two ways."""
    if len(text) <= 7:  # only the year-less forms are this short
        m = _YEARLESS.match(text)
        if m:
            return None, int(m[1]), int(m[2])
    m = _FULL.match(text) or _COMPACT.match(text)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    m = _NUMERIC.match(text)
    if m:
        month, day = _month_and_day(int(m[1]), int(m[3]), text)
        return int(m[4]), month, day
    m = _DAY_MONTH.match(text)
    if m:
        named = _MONTHS.get(m[2].lower())
        return None if named is None else (_year(m[3]), named, int(m[1]))
    m = _MONTH_DAY.match(text)
    if m:
        named = _MONTHS.get(m[1].lower())
        return None if named is None else (_year(m[3]), named, int(m[2]))
    return None


def _year(text: str | None) -> int | None:
    return None if text is None else int(text)


def _is_month_day(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]


def _month_and_day(first: int, second: int, text: str) -> tuple[int, int]:
    """Month and day of ``first/second``: day first or month first, whichever alone is a
    date (an impossible pair comes back day first, for the caller to reject)."""
    day_first = _is_month_day(second, first)
    month_first = _is_month_day(first, second)
    if day_first and month_first and first != second:
        raise ValueError(
            f"{text!r} is ambiguous ({first} {MONTH_NAMES[second - 1]} or "
            f"{MONTH_NAMES[first - 1]} {second}); write it as YYYY-MM-DD"
        )
    if month_first and not day_first:
        return first, second
    return second, first


_CADENCE_WORDS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "fortnightly": 14,
    "monthly": 30,
    "bimonthly": 60,
    "quarterly": 90,
    "biannually": 182,
    "semiannually": 182,
    "yearly": 365,
    "annually": 365,
}
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
# Beyond a century a cadence is a typo; huge numbers would overflow SQLite and date arithmetic.
MAX_CADENCE_DAYS = 100 * 365
_CADENCE = lazy(
    r"^(?:every\s+)?(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)?$",
    namespace=globals(),
    name="_CADENCE",
)


def parse_cadence(value: object) -> int | None:
    """A cadence in days, or None for ``none``. A month counts 30 days and a year 365.

    Raises ValueError for anything else.
    """
    if value is None or value is False:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a cadence")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"cadence must be a positive number of days, not {value}")
        return _bounded(value, value)
    if isinstance(value, str):
        text = " ".join(value.strip().lower().split())
        if text in ("none", "never", "off", ""):
            return None
        if text in _CADENCE_WORDS:
            return _CADENCE_WORDS[text]
        m = _CADENCE.match(text)
        if m:
            count = int(m.group(1))
            unit = (m.group(2) or "d")[0]
            if count <= 0:
                raise ValueError(f"cadence must be positive, not {value!r}")
            return _bounded(count * _UNIT_DAYS[unit], value)
    raise ValueError(
        f"{value!r} is not a cadence (try 30, '30 days', 2w, 3m, monthly, quarterly or none)"
    )


def _bounded(days: int, value: object) -> int:
    if days > MAX_CADENCE_DAYS:
        raise ValueError(f"cadence {value!r} is longer than {MAX_CADENCE_DAYS // 365} years")
    return days


# Reports reach a few centuries (a 100-year cadence, 100 years of birthdays) around today:
# a today nearer than that to the ends of the calendar would overflow date arithmetic.
TODAY_RANGE = (date(1000, 1, 1), date(8999, 12, 31))


def check_today(today: date) -> date:
    """``today`` when reports can work from it; ValueError naming the range otherwise."""
    low, high = TODAY_RANGE
    if not low <= today <= high:
        raise ValueError(f"{today.isoformat()} is out of range ({low.year} to {high.year})")
    return today


def parse_duration_days(text: str) -> int:
    """A span such as ``2w``, ``10d``, ``3 months`` in days (for ``snooze --for``, alarms)."""
    days = parse_cadence(text)
    if days is None:
        raise ValueError(f"{text!r} is not a duration")
    return days


def relative_days(d: date, today: date) -> str:
    """``today``, ``tomorrow``, ``in 5 days``, ``yesterday``, ``42 days ago``."""
    delta = (d - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if delta > 0:
        return f"in {delta} days"
    return f"{-delta} days ago"


# -- dates as people say them on the command line (SPOKEN_FORMS: for help and errors) -------
SPOKEN_FORMS = "YYYY-MM-DD, today, yesterday, tomorrow, a weekday, 3d ago, in 2w, -3d or +2w"
_WEEKDAYS = {
    k: (n - 1) % 7 for n, w in enumerate(WEEKDAY_NAMES) for k in (w.lower(), w[:3].lower())
}
_SPAN = r"(?P<n>\d{1,6})\s*(?P<unit>d|days?|w|weeks?|m|months?|y|years?)"
_AGO, _IN, _SIGNED = (lazy(f"^{p}$") for p in (f"{_SPAN} ago", f"in {_SPAN}", f"[+-] ?{_SPAN}"))
_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def parse_spoken_date(text: str, today: date, future: bool = False) -> date:
    """A date as a person types it: ``YYYY-MM-DD``, ``today``, ``yesterday``, ``tomorrow``,
    a weekday (the last one before today, with ``future`` the next one; ``last friday`` and
    ``next friday`` say which), ``3d ago``, ``in 2w``, ``-3d``, ``+2w`` (units d, w, m = 30
    days, y = 365 days, as in cadences). Raises ValueError naming the accepted forms."""
    said = " ".join(text.strip().lower().split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", said):
        try:
            return date.fromisoformat(said)
        except ValueError:
            raise ValueError(f"{text!r} is not a valid date (expected {SPOKEN_FORMS})") from None
    offset = _spoken_offset(said, today, future)
    try:
        if offset is not None:
            return today + timedelta(days=offset)
    except OverflowError:
        pass
    raise ValueError(f"{text!r} is not a date (expected {SPOKEN_FORMS})")


def _spoken_offset(said: str, today: date, future: bool) -> int | None:
    """Days from ``today`` that ``said`` (lower case, single spaces) means, or None."""
    if said in _WORDS:
        return _WORDS[said]
    first, _, rest = said.partition(" ")
    if first in ("last", "next") and rest in _WEEKDAYS:
        said, future = rest, first == "next"
    if said in _WEEKDAYS:
        if future:
            return (_WEEKDAYS[said] - today.weekday()) % 7 or 7
        return -((today.weekday() - _WEEKDAYS[said]) % 7 or 7)
    m = _AGO.match(said) or _IN.match(said) or _SIGNED.match(said)
    if m is None:
        return None
    sign = -1 if said.endswith("ago") or said.startswith("-") else 1
    return sign * int(m["n"]) * _UNIT_DAYS[m["unit"][0]]


def is_leap(year: int) -> bool:
    """Whether ``year`` has a Feb 29 (the Gregorian rule; ``calendar`` would cost an import
    of the locale machinery on every command)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
