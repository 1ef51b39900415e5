"""Dates as notes write them: full dates, yearly dates with or without a year, and cadences.

Pure functions: no I/O, no clock. ``today`` is always passed in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

# A time may follow (a datetime written as a string), but not arbitrary words.
_FULL = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_YEARLESS = re.compile(r"^(?:--)?(\d{2})-?(\d{2})$")


@dataclass(frozen=True, order=True)
class YearlyDate:
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
        if self.month == 2 and self.day == 29 and not calendar.isleap(year):
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
    """A full calendar date from a YAML value (date, datetime or ``YYYY-MM-DD`` string).

    Raises ValueError with a message fit for the user.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _FULL.match(value.strip())
        if m:
            year, month, day = (int(g) for g in m.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"{value.strip()!r} is not a valid date") from None
    raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")


def parse_yearly(value: object) -> YearlyDate:
    """A yearly date: a full date, or ``--MM-DD`` / ``MM-DD`` / ``--MMDD`` when the year is unknown."""
    if isinstance(value, (date, datetime)):
        d = parse_date(value)
        return YearlyDate(d.month, d.day, d.year)
    if isinstance(value, str):
        text = value.strip()
        m = _YEARLESS.match(text)
        if m:
            month, day = int(m.group(1)), int(m.group(2))
            # Any leap year validates the day, so that --02-29 is accepted.
            try:
                date(2000, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a valid month and day") from None
            return YearlyDate(month, day, None)
        d = parse_date(text)
        return YearlyDate(d.month, d.day, d.year)
    raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD or --MM-DD)")


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
_CADENCE = re.compile(r"^(?:every\s+)?(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)?$")


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
