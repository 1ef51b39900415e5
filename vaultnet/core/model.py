"""What a note says, as plain data. Produced by ``notes.parse_note``, stored by ``index``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vaultnet.core.dates import YearlyDate

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
