"""What a note says, as plain data. Produced by ``notes.parse_note``, stored by ``index``."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vaultnet.core.dates import YearlyDate, parse_yearly
from vaultnet.core.names import fold
from vaultnet.core.tuples import NamedTuple

KNOWN_KINDS = ("colleague", "mentor", "peer", "manager", "alumni", "friend", "family", "other")


class Problem(NamedTuple):
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


# A note holds many of these: named tuples, which are made several times faster than
# frozen dataclasses (a build makes hundreds of thousands).
class LogEntry(NamedTuple):
    line: int
    date: date
    text: str


class Task(NamedTuple):
    line: int
    text: str
    due: date | None
    done: bool
    links: tuple[str, ...] = ()  # folded link keys on the task's own line


class Link(NamedTuple):
    line: int
    key: str  # folded file stem / name the link points at
    why: str | None = None  # why it is no interaction ("open task", "quote", "embed")
    date: date | None = None  # the day it records, when not the note's (a done task's)


# How a field is kept in the index: its SQL type, and how a value becomes a column and back.
# Each contact field below names its codec once; the contacts table, the row written for a
# note and the ``Contact`` read back are all built from these declarations.
class Codec(NamedTuple):
    sql: str
    encode: Callable[[Any], Any] | None = None  # None: stored as it is
    decode: Callable[[Any], Any] | None = None  # None: read as it is (never given None)


def _iso(d: date) -> str:
    return d.isoformat()


def _yearly_map(text: str) -> dict[str, YearlyDate]:
    return {k: parse_yearly(v) for k, v in json.loads(text).items()}


TEXT = Codec("TEXT")
INT = Codec("INTEGER")
FLAG = Codec("INTEGER NOT NULL", bool, bool)
TEXTS = Codec("TEXT NOT NULL", json.dumps, json.loads)
DAY = Codec("TEXT", _iso, date.fromisoformat)
YEARLY = Codec("TEXT", str, parse_yearly)
YEARLIES = Codec(
    "TEXT NOT NULL", lambda d: json.dumps({k: str(v) for k, v in d.items()}), _yearly_map
)


def _field(codec: Codec, default: Any = None) -> Any:
    if isinstance(default, (list, dict)):
        return field(default_factory=type(default), metadata={"codec": codec})
    return field(default=default, metadata={"codec": codec})


class _Record:
    """The ``==`` and ``repr`` of a dataclass, field by field, written once: a dataclass's own
    are compiled when its module loads (0.8 ms for the two below, on the path of a report
    that parses one changed note)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = [f.name for f in dataclasses.fields(self) if f.compare]  # type: ignore[arg-type]
        return all(getattr(self, n) == getattr(other, n) for n in names)

    __hash__ = None  # type: ignore[assignment]  # (mutable, as a dataclass's)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if f.repr
        )
        return f"{self.__class__.__qualname__}({shown})"


@dataclass(repr=False, eq=False)
class ContactData(_Record):
    """What a contact's note says, one attribute a known field (see the README's table).

    To add a field: declare it here with its codec, give it a rule in ``vault.parse``
    (how the front matter spells and types it), and use it; the index follows by itself.
    """

    name: str = _field(TEXT, "")
    aliases: list[str] = _field(TEXTS, [])
    kind: str | None = _field(TEXT)
    company: str | None = _field(TEXT)
    title: str | None = _field(TEXT)
    emails: list[str] = _field(TEXTS, [])
    phone: str | None = _field(TEXT)
    linkedin: str | None = _field(TEXT)
    location: str | None = _field(TEXT)
    tags: list[str] = _field(TEXTS, [])
    birthday: YearlyDate | None = _field(YEARLY)
    work_anniversary: YearlyDate | None = _field(YEARLY)
    dates: dict[str, YearlyDate] = _field(YEARLIES, {})
    cadence_days: int | None = _field(INT)
    cadence_set: bool = _field(FLAG, False)  # True when the note says `cadence:` (even `none`)
    last_contact: date | None = _field(DAY)
    snooze_until: date | None = _field(DAY)
    introduced_by: str | None = _field(TEXT)  # the name as written, without [[ ]]
    how_met: str | None = _field(TEXT)
    archived: bool = _field(FLAG, False)
    deceased: bool = _field(FLAG, False)
    private: bool = _field(FLAG, False)


class FieldSpec(NamedTuple):
    name: str
    codec: Codec


CONTACT_FIELDS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(f.name, f.metadata["codec"]) for f in dataclasses.fields(ContactData)
)


class ParsedNote:
    """What one note says (``vault.parse.parse_note``). A plain class: a command that
    parses one changed note loads this module, and a dataclass costs its import 0.5 ms."""

    __slots__ = ("contact", "date", "front", "links", "logs", "path", "problems", "stem", "tasks")

    def __init__(
        self,
        path: str,  # vault-relative, "/"-separated
        stem: str,
        date: date | None = None,
        contact: ContactData | None = None,
        logs: list[LogEntry] | None = None,
        tasks: list[Task] | None = None,
        links: list[Link] | None = None,
        problems: list[Problem] | None = None,
        front: dict[str, Any] | None = None,  # every front-matter key, JSON-safe
    ) -> None:
        self.path = path
        self.stem = stem
        self.date = date
        self.contact = contact
        self.logs: list[LogEntry] = [] if logs is None else logs
        self.tasks: list[Task] = [] if tasks is None else tasks
        self.links: list[Link] = [] if links is None else links
        self.problems: list[Problem] = [] if problems is None else problems
        self.front: dict[str, Any] = {} if front is None else front

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _NOTE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if type(other) is not ParsedNote:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # (mutable, as a dataclass's)

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(_NOTE_FIELDS, self._fields(), strict=True))
        return f"ParsedNote({inner})"


_NOTE_FIELDS = ("path", "stem", "date", "contact", "logs", "tasks", "links", "problems", "front")


class Interaction(NamedTuple):
    """One dated interaction with a contact, as ``show`` and check-ins tell it."""

    date: str  # YYYY-MM-DD
    kind: str  # "log" or "mention"
    text: str  # the log entry's text ('' for a mention)
    where: str | None  # the mentioning note


class PassedOver(NamedTuple):
    """A link to a contact that is no interaction (``show --why``)."""

    date: str | None  # the day the note (or the line) records, if any
    path: str
    line: int
    why: str  # why it does not count


class OpenTask(NamedTuple):
    path: str
    line: int
    text: str
    due: date | None


@dataclass(repr=False, eq=False)
class Contact(ContactData):
    """A contact as reports see it: what the note says, plus what depends on today and the
    config. ``cadence_days`` is the effective cadence (the note's, else the kind's default)
    and ``last_contact`` the latest interaction up to today (log, mention or the field)."""

    id: int = 0
    path: str = ""
    cadence_source: str | None = None  # "note", "kind default" or None
    last_contact_how: str | None = None  # "log", "mention" or "field"
    last_contact_where: str | None = None  # the note that mentions them, for a mention
    fields_json: str = "{}"  # every front-matter key, as JSON: decoded only when asked for
    open_tasks: list[OpenTask] = field(default_factory=list)

    @functools.cached_property
    def fields(self) -> dict[str, Any]:
        """Every key of the note's front matter (JSON-safe values)."""
        value: dict[str, Any] = json.loads(self.fields_json)
        return value

    @property
    def active(self) -> bool:
        """Whether vaultnet should still nudge about this person."""
        return not (self.archived or self.deceased)

    def matches(self, kind: str | None = None, tag: str | None = None) -> bool:
        if kind is not None and fold(self.kind or "") != fold(kind):
            return False
        if tag is not None:
            wanted = fold(tag.lstrip("#"))
            if not any(fold(t) == wanted or fold(t).startswith(wanted + "/") for t in self.tags):
                return False
        return True


class PrintedContact(Contact):
    """A contact with only what a report prints of it (``network``'s ten thousand names at
    50k contacts): its id, path, name, kind, company, whether archived or deceased, and its
    last contact. Every other field reads as its default, from the class: those of
    ``Contact`` with a plain default are class attributes, and those made by a factory
    are one empty value here, shared by every printed contact and never changed. Set
    attribute by attribute, an instance holds a third less than a ``Contact``."""

    aliases: list[str] = []  # noqa: RUF012 - shared on purpose (see above), never changed
    emails: list[str] = []  # noqa: RUF012
    tags: list[str] = []  # noqa: RUF012
    dates: dict[str, YearlyDate] = {}  # noqa: RUF012
    open_tasks: list[OpenTask] = []  # noqa: RUF012

    def __init__(
        self,
        id: int,
        path: str,
        name: str,
        kind: str | None,
        company: str | None,
        archived: bool,
        deceased: bool,
    ):
        self.id, self.path, self.name = id, path, name
        self.kind, self.company = kind, company
        self.archived, self.deceased = archived, deceased
        self.last_contact = None
