"""What a note says, as plain data. Produced by ``notes.parse_note``, stored by ``index``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vaultnet.core.dates import YearlyDate
from vaultnet.core.names import fold

KNOWN_KINDS = ("colleague", "mentor", "peer", "manager", "alumni", "friend", "family", "other")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


@dataclass(frozen=True)
class LogEntry:
    line: int
    date: date
    text: str


@dataclass(frozen=True)
class Task:
    line: int
    text: str
    due: date | None
    done: bool
    links: tuple[str, ...] = ()  # folded link keys on the task's own line


@dataclass(frozen=True)
class Link:
    line: int
    key: str  # folded file stem / name the link points at


@dataclass
class ContactData:
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    company: str | None = None
    title: str | None = None
    emails: list[str] = field(default_factory=list)
    phone: str | None = None
    linkedin: str | None = None
    location: str | None = None
    tags: list[str] = field(default_factory=list)
    birthday: YearlyDate | None = None
    work_anniversary: YearlyDate | None = None
    dates: dict[str, YearlyDate] = field(default_factory=dict)
    cadence_days: int | None = None
    cadence_set: bool = False  # True when the note says `cadence:` (even `none`)
    last_contact: date | None = None
    snooze_until: date | None = None
    introduced_by: str | None = None  # the name as written, without [[ ]]
    how_met: str | None = None
    archived: bool = False
    deceased: bool = False
    private: bool = False
    fields: dict[str, Any] = field(default_factory=dict)  # every front-matter key, JSON-safe


@dataclass
class ParsedNote:
    path: str  # vault-relative, "/"-separated
    stem: str
    date: date | None = None
    contact: ContactData | None = None
    logs: list[LogEntry] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class OpenTask:
    path: str
    line: int
    text: str
    due: date | None


@dataclass
class Contact:
    id: int
    path: str
    name: str
    aliases: list[str]
    kind: str | None
    company: str | None
    title: str | None
    emails: list[str]
    phone: str | None
    linkedin: str | None
    location: str | None
    tags: list[str]
    birthday: YearlyDate | None
    work_anniversary: YearlyDate | None
    dates: dict[str, YearlyDate]
    cadence_days: int | None  # effective: the note's, else the kind's default
    cadence_source: str | None  # "note", "kind default" or None
    last_contact: date | None  # as of today: future-dated interactions do not count yet
    last_contact_how: str | None  # "log", "mention" or "field"
    last_contact_where: str | None  # the note that mentions them, for a mention
    snooze_until: date | None
    introduced_by: str | None
    how_met: str | None
    archived: bool
    deceased: bool
    private: bool
    fields_json: str  # every front-matter key, as JSON: decoded only when asked for
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
