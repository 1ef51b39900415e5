"""The iCalendar (RFC 5545) feed of birthdays, anniversaries, dates and tasks.

Pure: contacts and settings in, bytes out. No terminal, no files, no clock: the same
vault gives byte-identical output on any day and any machine, so the feed can be
committed or published without churn. ``icalendar`` is imported only when a feed is
rendered, so importing this module costs nothing. The feed of a vault as indexed (its
settings from the config, its contacts from the index) is ``app.feed``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from vaultnet.core.dates import YearlyDate, parse_duration_days
from vaultnet.core.digest import sha256
from vaultnet.core.links import plain_text
from vaultnet.core.names import fold
from vaultnet.core.tuples import NamedTuple

if TYPE_CHECKING:
    from vaultnet.core.model import Contact

KINDS = ("birthdays", "anniversaries", "dates", "tasks")
DEFAULT_INCLUDE = frozenset({"birthdays", "anniversaries", "dates"})

PRODID = "-//vaultnet//vaultnet calendar feed//EN"
UID_DOMAIN = "vaultnet"
# How often clients should fetch the feed again (RFC 7986 REFRESH-INTERVAL and the
# older X-PUBLISHED-TTL that Outlook and Apple Calendar read).
REFRESH = timedelta(hours=12)
# Yearly dates whose year is unknown start in this year. It must be a leap year, or a
# Feb 29 date would start on a day that does not exist (clients reject 1970-02-29 or
# move it to Mar 1); 1972 is the first leap year after 1970, which old clients need.
BASE_YEAR = 1972
# Plain FREQ=YEARLY from Feb 29 fires only in leap years on most clients and on Mar 1 on
# ical.js; "the last day of February" gives Feb 28 / Feb 29 on every client measured.
# BYYEARDAY=60 would do too, but Outlook cannot import it.
_LAST_OF_FEBRUARY = {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
_YEARLY = {"freq": "yearly"}
# DTSTAMP is derived from the content (see _dtstamp): a moment in this span after this epoch.
_STAMP_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_STAMP_SPAN = 20 * 365 * 86400


@dataclass(frozen=True)
class FeedSettings:
    """What goes into the feed and how it is labelled."""

    include: frozenset[str] = DEFAULT_INCLUDE
    alarm_days: int | None = None
    name: str = "vaultnet: birthdays & anniversaries"
    alarm_at: int | None = None  # minutes after midnight the reminder fires; None: midnight


class Alarm(NamedTuple):
    """A reminder as asked for (``parse_reminder``): ``days`` before (None for no reminder),
    at ``at`` minutes after midnight (None: at midnight, the start of the all-day event)."""

    days: int | None
    at: int | None = None


@dataclass(frozen=True)
class Occasion:
    """One event of the feed: a yearly occasion of a contact, or a task's due day."""

    uid_key: tuple[str, ...]  # what identifies it: same contact and occasion, same UID
    summary: str
    category: str
    start: date
    yearly: bool
    owners: tuple[str, ...]  # contact paths, to tell apart contacts of the same name


# -- settings --------------------------------------------------------------------------


def parse_include(text: str) -> frozenset[str]:
    """``birthdays,anniversaries,...`` as a set; ValueError naming what is wrong."""
    return include_set(part for part in re.split(r"[,\s]+", text) if part)


def include_set(parts: Iterable[str]) -> frozenset[str]:
    """These kinds of event as a set; ValueError for an unknown one, or for none."""
    chosen = frozenset(p.strip().lower() for p in parts)
    unknown = sorted(chosen - set(KINDS))
    if unknown:
        raise ValueError(
            f"unknown {', '.join(map(repr, unknown))} (choose from {', '.join(KINDS)})"
        )
    if not chosen:
        raise ValueError(f"choose at least one of {', '.join(KINDS)}")
    return chosen


def parse_alarm(text: str) -> int | None:
    """Days before each occasion that a reminder fires: ``1d``, ``2w``, ``0`` (on the day).

    ``none`` or ``off`` means no reminder. ValueError for anything else.
    """
    value = text.strip().lower()
    if value in ("none", "off", "no"):
        return None
    if re.fullmatch(r"0+\s*(?:d|days?)?", value):
        return 0
    try:
        return parse_duration_days(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a duration (try 1d, 2d, 1w, 0 or none)") from None


_AT = re.compile(r"^(.*?)\s*@\s*(\d{1,2}):(\d{2})$")


def parse_reminder(text: str) -> Alarm:
    """``parse_alarm``, and a time of day after ``@``: ``1d@09:00`` fires at nine the day
    before (an all-day event's own reminder would fire at midnight)."""
    m = _AT.match(text.strip())
    if m is None:
        return Alarm(parse_alarm(text))
    hours, minutes = int(m.group(2)), int(m.group(3))
    if hours > 23 or minutes > 59:
        raise ValueError(f"{text!r}: {m.group(2)}:{m.group(3)} is not a time of day (00:00-23:59)")
    days = parse_alarm(m.group(1) or "0")
    if days is None:
        raise ValueError(f"{text!r}: a reminder that is off has no time of day")
    return Alarm(days, hours * 60 + minutes)


# -- occasions -------------------------------------------------------------------------


def listed(contact: Contact) -> bool:
    """Whether a contact may appear in the feed at all (never private, archived or deceased)."""
    return not (contact.private or contact.archived or contact.deceased)


def occasions(contacts: Sequence[Contact], include: AbstractSet[str]) -> list[Occasion]:
    """Every event the feed holds, in a stable order.

    ``contacts`` is the whole vault: the privacy rules are applied here. Only names,
    dates, the company of a work anniversary and task text ever reach an event.
    """
    people = sorted((c for c in contacts if listed(c)), key=lambda c: (fold(c.name), c.path))
    out: list[Occasion] = []
    for c in people:
        if "birthdays" in include and c.birthday is not None:
            summary = f"{c.name}: birthday" + _year(c.birthday, "born {}")
            out.append(_yearly(c, ("birthday", ""), summary, "Birthday", c.birthday))
        if "anniversaries" in include and c.work_anniversary is not None:
            where = f" at {c.company}" if c.company else ""
            summary = f"{c.name}: work anniversary{where}" + _year(c.work_anniversary, "since {}")
            out.append(_yearly(c, ("anniversary", ""), summary, "Anniversary", c.work_anniversary))
        if "dates" in include:
            for label, when in sorted(c.dates.items()):
                words = " ".join(label.replace("_", " ").split()) or "date"
                summary = f"{c.name}: {words}" + _year(when, "{}")
                category = words[:1].upper() + words[1:]
                out.append(_yearly(c, ("date", label), summary, category, when))
    if "tasks" in include:
        out.extend(_tasks(contacts))
    return out


def _year(when: YearlyDate, template: str) -> str:
    # One recurring event cannot show a different age each year, so it shows the year.
    return "" if when.year is None else f" ({template.format(when.year)})"


def _yearly(
    c: Contact, what: tuple[str, str], summary: str, category: str, when: YearlyDate
) -> Occasion:
    start = date(when.year if when.year is not None else BASE_YEAR, when.month, when.day)
    return Occasion(
        uid_key=(fold(c.name), *what),
        summary=summary,
        category=category,
        start=start,
        yearly=True,
        owners=(c.path,),
    )


def _tasks(contacts: Sequence[Contact]) -> list[Occasion]:
    """One all-day event per open task with a due date, naming every contact it belongs to.

    A task that also belongs to a contact left out of the feed is left out: its text may
    well name that contact.
    """
    owners: dict[tuple[str, int], list[Contact]] = {}
    texts: dict[tuple[str, int], tuple[str, date]] = {}
    for c in contacts:
        for t in c.open_tasks:
            if t.due is None:
                continue
            key = (t.path, t.line)
            owners.setdefault(key, []).append(c)
            texts[key] = (t.text, t.due)
    out = []
    for key in sorted(owners):
        people = owners[key]
        if not all(listed(c) for c in people):
            continue
        people.sort(key=lambda c: (fold(c.name), c.path))
        text, due = texts[key]
        names = ", ".join(dict.fromkeys(c.name for c in people))
        out.append(
            Occasion(
                uid_key=("task", key[0], text),
                summary=f"{names}: {task_words(text)}",
                category="Task",
                start=due,
                yearly=False,
                owners=(key[0], str(key[1])),
            )
        )
    return out


def task_words(text: str) -> str:
    """A task line as a calendar shows it: links become their text."""
    return " ".join(plain_text(text, markdown_links=True).split()) or "task"


def uids(
    items: Sequence[Occasion], holders: Mapping[tuple[str, ...], tuple[str, ...]] | None = None
) -> list[str]:
    """A UID per occasion that stays the same across runs and machines.

    It hashes the contact's folded name, the kind of occasion and the date's label (for a
    task: the note's path and the task's text), so renaming or moving a note, editing
    other fields or changing the date itself keep it. Renaming the person gives a new
    UID, which is harmless: the old event leaves the feed at the same time. Two contacts
    of the same name would share a UID, so the path of each but one is added to tell them
    apart: the one ``holders`` names as holding the plain UID before (the contact that had
    the name first keeps its events when a namesake appears), else the first in order.
    """
    first: dict[tuple[str, ...], tuple[str, ...]] = {}
    for item in items:
        first.setdefault(item.uid_key, item.owners)
    if holders:
        present = {(item.uid_key, item.owners) for item in items}
        for key, owners in holders.items():
            if (key, owners) in present:
                first[key] = owners
    out = []
    for item in items:
        plain = first[item.uid_key] == item.owners
        out.append(_uid(item.uid_key if plain else item.uid_key + item.owners))
    return out


def holder_key(uid_key: tuple[str, ...]) -> str:
    """The cache key under which the owners of a plain UID are kept (see ``uids``)."""
    return cache_key("uid-holder", uid_key)


_OWNER_SEP = "\x1f"


@functools.lru_cache(maxsize=1 << 17)
def _uid(parts: tuple[str, ...]) -> str:
    # Cached: a watcher or server renders the same events again after every change.
    return f"{sha256(chr(0x1F).join(parts).encode()).hexdigest()[:32]}@{UID_DOMAIN}"


def fingerprint(items: Sequence[Occasion], settings: FeedSettings) -> str:
    """A hash of everything the rendered feed depends on: equal means the same bytes."""
    state = (PRODID, BASE_YEAR, tuple(items), sorted(settings.include), settings.alarm_days)
    return sha256(repr((state, settings.name)).encode()).hexdigest()


# -- rendering -------------------------------------------------------------------------


class EventCache(Protocol):
    """Rendered events kept between runs (the index holds them), by the key of their content."""

    def cached_events(self, keys: AbstractSet[str]) -> dict[str, bytes]: ...

    def store_events(self, fresh: dict[str, bytes], used: AbstractSet[str]) -> object: ...


# Part of every cache key: bump it whenever the bytes rendered for the same content change.
RENDER_VERSION = "1"


def render_feed(
    items: Sequence[Occasion],
    alarm_days: int | None,
    name: str,
    cache: EventCache | None = None,
    alarm_at: int | None = None,
) -> bytes:
    """An RFC 5545 calendar of these occasions: CRLF lines folded at 75 octets.

    ``icalendar`` builds each event (and checks it) once; with a ``cache``, its bytes are
    kept under a hash of what it shows, and the feed is assembled from them: an unchanged
    vault renders nothing and does not even import ``icalendar``. The cache also keeps
    which contact holds each plain UID (see ``uids``). An occasion on the last day there
    is (9999-12-31) has no day after it to end on: it is left out.
    """
    items = [item for item in items if item.start < date.max]
    holders: dict[tuple[str, ...], tuple[str, ...]] = {}
    held: dict[str, tuple[str, ...]] = {}
    if cache is not None:
        held = {holder_key(item.uid_key): item.uid_key for item in items}
        for key, body in cache.cached_events(set(held)).items():
            holders[held[key]] = tuple(body.decode("utf-8").split(_OWNER_SEP))
    ids = uids(items, holders)
    alarm = None if alarm_days is None else (alarm_days, alarm_at)
    keys = [_item_key(item, uid, alarm) for item, uid in zip(items, ids, strict=True)]
    head_key = cache_key("calendar", name, None)
    wanted = {head_key, *keys}
    known = cache.cached_events(wanted) if cache is not None else {}
    fresh: dict[str, bytes] = {}
    if head_key not in known:
        fresh[head_key] = _calendar_bytes(name)
    for item, uid, key in zip(items, ids, keys, strict=True):
        if key not in known and key not in fresh:
            fresh[key] = _event(item, uid, alarm_days, alarm_at).to_ical()
    if cache is not None:
        for item, uid in zip(items, ids, strict=True):
            if uid == _uid(item.uid_key):  # the plain UID: remember who holds it
                hkey = holder_key(item.uid_key)
                owners = _OWNER_SEP.join(item.owners).encode("utf-8")
                if holders.get(item.uid_key) != item.owners:
                    fresh[hkey] = owners
        cache.store_events(fresh, wanted | set(held))
    known.update(fresh)
    head, tail = known[head_key].split(_END_CALENDAR)
    return b"".join([head, *(known[k] for k in keys), _END_CALENDAR, tail])


_END_CALENDAR = b"END:VCALENDAR\r\n"
_BEGIN_EVENT = b"\r\nBEGIN:VEVENT\r\n"


def event_bounds(body: bytes) -> list[int]:
    """Where each event of a feed from ``render_feed`` starts, then where its end starts:
    event ``i`` is ``body[b[i]:b[i + 1]]``, the calendar's head ``body[:b[0]]``, its end
    ``body[b[-1]:]``. No line of an event starts with BEGIN:VEVENT but the first (text is
    escaped and on one line; folded lines start with a space)."""
    out = []
    at = body.find(_BEGIN_EVENT)
    while at >= 0:
        out.append(at + 2)
        at = body.find(_BEGIN_EVENT, at + 2)
    end = body.rfind(_END_CALENDAR)
    if not out:
        return [end]
    out.append(end)
    return out


@functools.lru_cache(maxsize=1 << 17)
def _item_key(item: Occasion, uid: str, alarm: tuple[int, int | None] | None) -> str:
    # A reminder at midnight keys as before (the days alone): stored events stay valid.
    return cache_key(item, uid, alarm if alarm is None or alarm[1] is not None else alarm[0])


def cache_key(*parts: object) -> str:
    """A key for what is rendered from ``parts``: it changes when they or the rendering do."""
    return sha256(repr((RENDER_VERSION, PRODID, *parts)).encode()).hexdigest()


def _calendar_bytes(name: str) -> bytes:
    """The calendar with no events: its properties, then END:VCALENDAR."""
    import icalendar
    from icalendar.prop import vDuration, vText

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # icalendar's calendar_name and refresh_interval helpers do not escape commas and omit
    # VALUE=DURATION; typed values added by hand get both right.
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    data: bytes = cal.to_ical()
    if not data.endswith(_END_CALENDAR) or data.count(_END_CALENDAR) != 1:
        raise AssertionError("icalendar ended the calendar in an unexpected way")
    return data


def _event(item: Occasion, uid: str, alarm_days: int | None, alarm_at: int | None = None) -> Any:
    import icalendar
    from icalendar.prop import vText

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", vText(" ".join(item.summary.split())))  # one line (#15)
    event.add("dtstart", item.start)
    # One day long in every year: DTEND is the day after DTSTART (Mar 1 after Feb 29).
    event.add("dtend", item.start + timedelta(days=1))
    if item.yearly:
        leap_day = (item.start.month, item.start.day) == (2, 29)
        event.add("rrule", _LAST_OF_FEBRUARY if leap_day else _YEARLY)
    event.add("categories", [item.category])
    event.add("transp", "TRANSPARENT")
    if alarm_days is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", vText(" ".join(item.summary.split())))  # one line, as SUMMARY
        # Relative to the start of an all-day event, its midnight: 1d@09:00 is -PT15H.
        alarm.add("trigger", timedelta(days=-alarm_days, minutes=alarm_at or 0))
        event.add_component(alarm)
    event.add("dtstamp", _dtstamp(event.to_ical()))
    return event


def _dtstamp(content: bytes) -> datetime:
    """A DTSTAMP that is a function of the event's content, never of the clock.

    RFC 5545 (3.8.7.2): in a calendar without METHOD, DTSTAMP is the time the event's
    information was last revised. A content hash mapped onto a fixed span of past
    moments is a valid UTC DATE-TIME that changes whenever the event does and never
    otherwise, which is what a client comparing stamps needs, and keeps the output
    byte-identical from run to run.
    """
    offset = int.from_bytes(sha256(content).digest()[:8], "big") % _STAMP_SPAN
    return _STAMP_EPOCH + timedelta(seconds=offset)
