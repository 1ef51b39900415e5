"""Contacts coming in from other address books, and what an import does with each.

Named for the whole journey of one import, not for any one file format: a reader turns a
file into ``Incoming`` records and ``Issue``s (``Parsed``), the plan gives each record an
``Action`` (perhaps with a ``JobChange``), and applying it gives an ``Outcome``. The
readers, the planner, the writer and the report all share these types; they are plain
data, so they live in the core and the report needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from vaultnet.core.dates import YearlyDate


@dataclass
class Incoming:
    """One contact as another address book describes it."""

    where: str  # "line 7" or "card 3 at line 12": how reports point at it
    name: str
    aliases: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    linkedin: str | None = None
    website: str | None = None
    location: str | None = None
    birthday: YearlyDate | None = None
    anniversary: YearlyDate | None = None
    connected_on: date | None = None
    kind: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Issue:
    """A problem in the imported file. ``error``: the row or card was left out;
    ``warning``: it was imported without the field named in ``message``."""

    severity: str  # "error" or "warning"
    where: str | None  # None: about the whole file
    message: str


@dataclass
class Parsed:
    """What a source module read from a file."""

    records: list[Incoming] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def error(self, where: str | None, message: str) -> None:
        self.issues.append(Issue("error", where, message))

    def warning(self, where: str | None, message: str) -> None:
        self.issues.append(Issue("warning", where, message))

    @property
    def error_count(self) -> int:
        """How many rows or cards were left out."""
        return sum(1 for i in self.issues if i.severity == "error")


def position(title: str | None, company: str | None) -> str:
    """``Staff Engineer at Northwind``, or whichever half is known."""
    if title and company:
        return f"{title} at {company}"
    return title or company or "no title or company"


@dataclass(frozen=True)
class JobChange:
    """A contact's company or title as the note says it, and as the import does."""

    name: str
    old_company: str | None
    old_title: str | None
    new_company: str | None
    new_title: str | None

    @property
    def old(self) -> str:
        return position(self.old_title, self.old_company)

    @property
    def new(self) -> str:
        return position(self.new_title, self.new_company)

    def __str__(self) -> str:
        return f"{self.name}: {self.old} \u2192 {self.new}"


@dataclass
class Action:
    """What the import does with one record, and why."""

    kind: str  # "create", "merge" or "skip"
    record: Incoming
    reason: str
    path: str | None = None  # the existing note a merge or skip concerns
    adds: list[str] = field(default_factory=list)  # front-matter keys a merge adds
    job: JobChange | None = None  # applied by a merge, only reported by a skip


@dataclass
class Outcome:
    """What writing one action did."""

    action: Action
    status: str  # "created", "merged", "skipped" or "error"
    path: str | None  # vault-relative path of the note written or matched
    message: str = ""  # the error, for "error"
