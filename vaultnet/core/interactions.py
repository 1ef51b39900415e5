"""Interactions found outside the notes (mail, calendar events): who they were with, and
the lines of the dated notes that record them.

Pure rules: addresses and names in, contacts and text out. Reading mailboxes and
calendars, and writing the notes, happen in ``app/``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from vaultnet.core.links import wikilink
from vaultnet.core.names import match_key

# Senders that no person writes from.
_ROBOT = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?"
    r"|notifications?)(?:[-_.+].*)?$",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
# Markdown a subject must not bring into a note: links, tags, HTML, comments.
_MARKDOWN = re.compile(r"([\\\[\]#<>`]|%%)")
_MAX_TEXT = 120


def normal_address(address: str) -> str:
    """An email address as matching sees it: lower case, without a ``+tag``
    (``Ann.Lee+news@Example.com`` -> ``ann.lee@example.com``)."""
    address = address.strip().strip("<>").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    plus = local.find("+")
    if plus > 0:
        local = local[:plus]
    return f"{local}@{domain}"


def is_robot(address: str) -> bool:
    """Whether an address is a machine's (``noreply@``, ``mailer-daemon@``...)."""
    return _ROBOT.match(address.rpartition("@")[0]) is not None


def is_bulk(headers: Mapping[str, str], sender: str) -> bool:
    """Mailing-list and bulk mail: a ``List-Id`` or ``List-Unsubscribe``, ``Precedence:
    bulk/list/junk``, an automatic reply (``Auto-Submitted``) or a robot sender.

    ``headers`` maps lower-case header names to their values."""
    if headers.get("list-id") or headers.get("list-unsubscribe"):
        return True
    if headers.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return True
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return True
    return bool(sender) and is_robot(sender)


def short_id(text: str) -> str:
    """A short, stable hash of a message's or event's identity, kept in the note so that an
    import again recognises it (8 hex digits: ids are compared within one day's note)."""
    return hashlib.sha1(text.strip().encode("utf-8", "surrogatepass")).hexdigest()[:8]


def line_text(text: str) -> str:
    """A subject as one safe line of a note: single-spaced, at most 120 characters, its
    Markdown (links, tags, HTML) escaped so that it stays text."""
    words = " ".join(text.split())
    if len(words) > _MAX_TEXT:
        words = words[: _MAX_TEXT - 1].rstrip() + "…"
    return _MARKDOWN.sub(r"\\\1", words)


def entry_line(emoji: str, link: str, text: str | None) -> str:
    """``- ✉️ [[Ann Lee]] — Re: Q1 roadmap`` (without the dash and text when there is none)."""
    shown = line_text(text) if text else ""
    return f"- {emoji} {link}" + (f" \u2014 {shown}" if shown else "")


@dataclass(frozen=True, slots=True)
class Person:
    """One contact as interactions find them."""

    path: str
    name: str

    @property
    def link(self) -> str:
        return wikilink(self.path, self.name)


@dataclass
class AddressBook:
    """Contacts by normalised email address, and by name for calendar attendees."""

    by_address: dict[str, list[Person]] = field(default_factory=dict)
    by_name: dict[str, list[Person]] = field(default_factory=dict)

    @classmethod
    def of(cls, contacts: Iterable[tuple[str, str, Iterable[str], Iterable[str]]]) -> AddressBook:
        """From (path, name, emails, aliases) of each contact."""
        book = cls()
        for path, name, emails, aliases in contacts:
            person = Person(path, name)
            for email in emails:
                _add(book.by_address, normal_address(email), person)
            for key in {match_key(n) for n in (name, *aliases) if n.strip()}:
                _add(book.by_name, key, person)
        return book

    def by_email(self, address: str) -> list[Person]:
        return self.by_address.get(normal_address(address), [])

    def named(self, name: str) -> Person | None:
        """The one contact ``name`` names (name or alias), else None (none or several)."""
        found = self.by_name.get(match_key(name), [])
        return found[0] if len(found) == 1 else None


def _add(table: dict[str, list[Person]], key: str, person: Person) -> None:
    if not key:
        return
    people = table.setdefault(key, [])
    if person not in people:
        people.append(person)


def my_addresses(email: str, emails: Iterable[str]) -> frozenset[str]:
    """The user's addresses, normalised: ``[me] email`` and ``[me] emails``."""
    return frozenset(normal_address(e) for e in (email, *emails) if e.strip())


@dataclass(frozen=True)
class Found:
    """One interaction found: the day, the contacts, what it was about, and its identity."""

    day: date
    people: tuple[Person, ...]
    text: str
    key: str  # short_id of the message or event occurrence
    at: float = 0.0  # when in the day (a timestamp): the day's line names the earliest


@dataclass
class DayEntries:
    """What one day's note should hold: the ids seen and one line's text per contact."""

    ids: set[str] = field(default_factory=set)
    lines: dict[Person, str] = field(default_factory=dict)
    _first: dict[Person, float] = field(default_factory=dict)

    def add(self, item: Found) -> None:
        if item.key in self.ids:
            return  # the same message twice (a copy in Sent and in the inbox)
        self.ids.add(item.key)
        for person in item.people:
            if person not in self._first or item.at < self._first[person]:
                self._first[person] = item.at
                self.lines[person] = item.text


def add_found(days: dict[date, DayEntries], item: Found) -> None:
    """Count ``item`` in its day: each contact once a day, with the day's earliest text."""
    entry = days.get(item.day)
    if entry is None:
        entry = days[item.day] = DayEntries()
    entry.add(item)


# -- mail, kept small for a mailbox of any size --------------------------------------------
@dataclass
class MailBook:
    """Contacts by normalised email address, each contact a number into ``people``: what
    ``import mail`` matches against (no names: mail is matched by address only)."""

    people: list[Person] = field(default_factory=list)
    # One contact's number, or the numbers of the several contacts sharing the address.
    by_address: dict[str, int | tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, contacts: Iterable[tuple[str, str, Iterable[str]]]) -> MailBook:
        """From (path, name, emails) of each contact."""
        book = cls()
        table = book.by_address
        for path, name, emails in contacts:
            number = len(book.people)
            book.people.append(Person(path, name))
            for email in emails:
                key = normal_address(email)
                if not key:
                    continue
                known = table.get(key)
                if known is None:
                    table[key] = number
                elif isinstance(known, int):
                    if known != number:
                        table[key] = (known, number)
                elif number not in known:
                    table[key] = (*known, number)
        return book

    def numbers(self, address: str) -> tuple[int, ...]:
        """The numbers of the contacts with ``address``, normalised already."""
        found = self.by_address.get(address)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found


class MailDays:
    """What each day's mail note should hold, in little memory: a day's message ids seen
    (as the ints their 8 hex digits are) and, for each contact (its number in the book),
    the time and text of the day's earliest message with them (as ``DayEntries``)."""

    def __init__(self) -> None:
        # day ordinal -> (ids, contact -> earliest time, contact -> its text)
        self._days: dict[int, tuple[set[int], dict[int, float], dict[int, str]]] = {}

    def add(self, day: date, people: Iterable[int], text: str, key: str, at: float) -> None:
        """Count one message (``key``: its ``short_id``) of ``day`` with ``people``: each
        contact once a day, with the day's earliest text; the same message twice once."""
        ordinal = day.toordinal()
        entry = self._days.get(ordinal)
        if entry is None:
            entry = self._days[ordinal] = (set(), {}, {})
        ids, first, texts = entry
        ident = int(key, 16)
        if ident in ids:
            return  # the same message twice (a copy in Sent and in the inbox)
        ids.add(ident)
        for person in people:
            seen = first.get(person)
            if seen is None or at < seen:
                first[person] = at
                texts[person] = text

    def ids(self) -> Iterator[tuple[date, set[str]]]:
        """Each day, in order, with the ids of its messages."""
        for ordinal in sorted(self._days):
            yield date.fromordinal(ordinal), {f"{i:08x}" for i in self._days[ordinal][0]}

    def drain(self, people: list[Person]) -> Iterator[tuple[date, set[str], dict[Person, str]]]:
        """Each day, in order, with its ids and the text for each contact; a day given is
        forgotten, so the memory it held serves the rest."""
        for ordinal in sorted(self._days):
            ids, _, texts = self._days.pop(ordinal)
            lines = {people[n]: text for n, text in texts.items()}
            yield date.fromordinal(ordinal), {f"{i:08x}" for i in ids}, lines


# -- what an import does --------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """Where interactions come from, and how their notes are named and marked."""

    name: str  # "mail": the command's name, and JSON's
    title: str  # "Mail": the notes are "YYYY-MM-DD Mail.md"
    emoji: str
    ids_key: str  # the front-matter key of the ids the note records


MAIL = Source("mail", "Mail", "\u2709\ufe0f", "mail_ids")
CALENDAR = Source("calendar", "Calendar", "\U0001f4c5", "event_ids")


@dataclass(frozen=True)
class Stranger:
    """A correspondent who is not a contact, and how often they came up."""

    name: str
    address: str
    count: int


@dataclass
class Tally:
    """What a reader counted (in the order the summary names them), and who is no contact."""

    counts: dict[str, int]
    strangers: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)  # address -> first display name

    def stranger(self, name: str, address: str) -> None:
        self.strangers[address] += 1
        if name and address not in self.names:
            self.names[address] = name

    def top_strangers(self, most: int = 10) -> list[Stranger]:
        ranked = sorted(self.strangers.items(), key=lambda kv: (-kv[1], kv[0]))[:most]
        return [Stranger(self.names.get(a, ""), a, n) for a, n in ranked]


@dataclass(frozen=True)
class NotePlan:
    """What one day's note gets: the lines to add and the ids to record."""

    path: str  # vault-relative
    day: date
    new: bool  # the note does not exist yet
    lines: list[str]
    ids: list[str]  # new ids, sorted
    known: int  # how many of the day's items the note records already


@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # "created", "updated", "unchanged" or "error"
    message: str = ""


class Run(Protocol):
    """What an import of interactions read, planned and (unless a dry run) wrote, as its
    report reads it: the notes one at a time, so that a long plan need not be held."""

    @property
    def source(self) -> Source: ...

    @property
    def counts(self) -> dict[str, int]: ...

    @property
    def strangers(self) -> list[Stranger]: ...

    @property
    def dry_run(self) -> bool: ...

    def notes(self) -> Iterator[tuple[NotePlan, Outcome | None]]:
        """Each note planned, in day order, with its outcome (None in a dry run)."""
        ...

    def already_imported(self) -> int:
        """The messages or events that the notes recorded before: asked before the notes
        are read, or after all of them."""
        ...

    def errors(self) -> list[Outcome]:
        """The notes that could not be written (once the notes were read)."""
        ...


@dataclass(frozen=True)
class InteractionsRun:
    """What an import of interactions read, planned and (unless a dry run) wrote."""

    source: Source
    counts: dict[str, int]
    strangers: list[Stranger]
    plans: list[NotePlan]
    outcomes: list[Outcome] | None  # None: a dry run
    already: int  # messages or events that the notes record already

    @property
    def dry_run(self) -> bool:
        return self.outcomes is None

    def notes(self) -> Iterator[tuple[NotePlan, Outcome | None]]:
        outcomes = {o.path: o for o in self.outcomes or []}
        return ((plan, outcomes.get(plan.path)) for plan in self.plans)

    def already_imported(self) -> int:
        return self.already

    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes or [] if o.status == "error"]
