"""Yearly occasions of a contact (birthday, work anniversary, custom dates) in a date range."""

from __future__ import annotations

from datetime import date

from vaultnet.core.dates import YearlyDate
from vaultnet.core.model import Contact
from vaultnet.core.tuples import NamedTuple


class Occasion(NamedTuple):
    type: str  # "birthday", "anniversary" or "date"
    label: str | None  # the `dates` key for type "date"
    date: date  # this occurrence
    years: int | None  # years it marks (age, years in the job), when the year is known
    yearly: YearlyDate

    def words(self, contact: Contact) -> str:
        """``birthday Wed 2 Dec, turns 36`` / ``work anniversary Mon 30 Nov, 5 years at X``."""
        day = f"{self.date:%a} {self.date.day} {self.date:%b}"
        if self.type == "birthday":
            return f"birthday {day}" + (f", turns {self.years}" if self.years else "")
        if self.type == "anniversary":
            text = f"work anniversary {day}"
            if self.years:
                unit = "year" if self.years == 1 else "years"
                text += f", {self.years} {unit}"
                if contact.company:
                    text += f" at {contact.company}"
            return text
        label = (self.label or "date").replace("_", " ")
        if self.years:
            return f"{label} {day} ({self.years} {'year' if self.years == 1 else 'years'})"
        return f"{label} {day}"


def occasions_between(contact: Contact, start: date, end: date) -> list[Occasion]:
    """Every occasion of ``contact`` from ``start`` to ``end`` (both included), by date."""
    if contact.birthday is None and contact.work_anniversary is None and not contact.dates:
        return []  # most contacts: nothing to look at
    sources: list[tuple[str, str | None, YearlyDate]] = []
    if contact.birthday is not None:
        sources.append(("birthday", None, contact.birthday))
    if contact.work_anniversary is not None:
        sources.append(("anniversary", None, contact.work_anniversary))
    for label, yearly in contact.dates.items():
        sources.append(("date", label, yearly))
    found: list[Occasion] = []
    for kind, label_, yearly in sources:
        for year in range(start.year, end.year + 1):
            when = yearly.in_year(year)
            if not start <= when <= end:
                continue
            years = yearly.years_at(when)
            if years is not None and years < 0:
                continue  # a date in the future has no occurrence before it
            found.append(Occasion(kind, label_, when, years, yearly))
    found.sort(key=lambda o: (o.date, o.type, o.label or ""))
    return found
