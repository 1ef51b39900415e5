"""``import calendar``: past events of the user's own calendar as interactions with the
contacts among their attendees.

Recurring events are expanded (``recurring-ical-events``). An attendee is a contact by
email address, or by name when they have only a name (``CN``) that names exactly one
contact. An event the user declined, a cancelled one, and one without attendees (a
birthday, a reminder, a block of focus time) records nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import recurring_ical_events
from icalendar import Calendar

from vaultnet.app.context import App
from vaultnet.app.interactions import (
    address_book,
    plan_notes,
    write_notes,
)
from vaultnet.core.errors import UsageError
from vaultnet.core.interactions import (
    CALENDAR,
    AddressBook,
    DayEntries,
    Found,
    InteractionsRun,
    Person,
    Tally,
    add_found,
    my_addresses,
    normal_address,
    short_id,
)
from vaultnet.store.index import Index

COUNTS = ("read", "matched", "declined", "no_attendees", "no_contacts")
# The earliest day an expansion starts from when no --since is given.
_EPOCH = date(1970, 1, 1)


def import_calendar(
    app: App,
    path: Path,
    index: Index,
    *,
    since: date | None = None,
    dry_run: bool = False,
) -> InteractionsRun:
    """Read the calendar at ``path``, find its past events with contacts, and (unless a
    dry run) write them into the day notes. Events of today and later do not count yet."""
    me = my_addresses(app.config["me"]["email"], app.config["me"]["emails"])
    calendar = _read(path)
    book = address_book(index)
    tally = Tally(dict.fromkeys(COUNTS, 0))
    days: dict[date, DayEntries] = {}
    start = since or _EPOCH
    if start < app.today:
        for event in recurring_ical_events.of(calendar, skip_bad_series=True).between(
            start, app.today
        ):
            found = _found(event, me, book, tally)
            if found is not None and start <= found.day < app.today:
                add_found(days, found)
    plans, already = plan_notes(app.vault, app.config, CALENDAR, days)
    outcomes = None if dry_run else write_notes(app.vault, CALENDAR, plans)
    return InteractionsRun(CALENDAR, tally.counts, tally.top_strangers(), plans, outcomes, already)


def _read(path: Path) -> Calendar:
    try:
        calendar = Calendar.from_ical(path.read_bytes())
    except ValueError as exc:
        raise UsageError(f"{path}: not an iCalendar file ({exc})") from None
    if not isinstance(calendar, Calendar):  # several calendars in one file: not an export
        raise UsageError(f"{path}: not one iCalendar calendar")
    return calendar


def _found(event: Any, me: frozenset[str], book: AddressBook, tally: Tally) -> Found | None:
    """The interaction one event occurrence is, or None (counted in ``tally``)."""
    counts = tally.counts
    counts["read"] += 1
    attendees = _attendees(event)
    if str(event.get("STATUS", "")).upper() == "CANCELLED" or any(
        address in me and declined for _, address, declined in attendees
    ):
        counts["declined"] += 1
        return None
    others = [(n, a) for n, a, declined in attendees if not declined and a not in me]
    if not others:
        counts["no_attendees"] += 1
        return None
    people: dict[Person, None] = {}
    for name, address in others:
        found = book.by_email(address) if address else []
        if not address and name:
            one = book.named(name)
            found = [one] if one is not None else []
        if not found and address:
            tally.stranger(name, address)
        people.update(dict.fromkeys(found))
    if not people:
        counts["no_contacts"] += 1
        return None
    counts["matched"] += 1
    start = event.get("DTSTART").dt
    day = start.date() if isinstance(start, datetime) else start
    moment = start if isinstance(start, datetime) else datetime.combine(start, time())
    uid = str(event.get("UID", "")) or str(event.get("SUMMARY", ""))
    key = short_id(f"{uid}|{moment.isoformat()}")
    summary = str(event.get("SUMMARY", ""))
    return Found(day, tuple(people), summary, key, moment.timestamp())


def _attendees(event: Any) -> list[tuple[str, str, bool]]:
    """(name, normalised address or "", whether they declined) of the organizer and each
    attendee."""
    found = []
    organizer = event.get("ORGANIZER")
    values = event.get("ATTENDEE") or []
    if not isinstance(values, list):
        values = [values]
    if organizer is not None and values:
        values = [*values, organizer]  # an attendee's entry says whether they declined
    seen: set[str] = set()
    for value in values:
        params = getattr(value, "params", {})
        name = " ".join(str(params.get("CN", "")).split())
        address = str(value).strip()
        if address.lower().startswith("mailto:"):
            address = address[len("mailto:") :]
        address = normal_address(address) if "@" in address else ""
        if address and address in seen:
            continue  # the organizer also listed as an attendee
        seen.add(address)
        declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
        found.append((name, address, declined))
    return found
