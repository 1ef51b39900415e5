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
from vaultnet.core.names import plain_name


@dataclass
class Incoming:
    """One contact as another address book describes it."""

    where: str  # "line 7" or "card 3 at line 12": how reports point at it
    name: str
    aliases: list[str] = field(default_factory=list)
    given: str | None = None  # the name's parts, when the source keeps them apart (vCard N)
    family: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    phone_types: dict[str, str] = field(default_factory=dict)  # number -> cell, work, fax...
    company: str | None = None
    title: str | None = None
    linkedin: str | None = None
    website: str | None = None
    location: str | None = None
    birthday: YearlyDate | None = None
    work_anniversary: YearlyDate | None = None
    dates: dict[str, YearlyDate] = field(default_factory=dict)  # label -> date (anniversary...)
    connected_on: date | None = None
    kind: str | None = None
    cadence: str | None = None  # `import --cadence`: given to the contacts created only
    tags: list[str] = field(default_factory=list)
    note: str = ""
    # Where the record's company and title come from, and as of when: LinkedIn's export,
    # a vCard's REV, else the day of the import. Set for the whole file by the reader.
    source: str = ""
    as_of: date | None = None


# Words that start a family name rather than end a given name ("Jan de Graaff").
_PARTICLES = frozenset(
    [
        "al",
        "bin",
        "binti",
        "da",
        "das",
        "de",
        "del",
        "della",
        "der",
        "den",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "la",
        "le",
        "st",
        "st.",
        "ten",
        "ter",
        "van",
        "von",
        "y",
    ]
)
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def split_name(name: str) -> tuple[str, str]:
    """(given, family) as a best guess from a full name: the last word and the particles
    before it (``de Graaff``, ``van der Berg``), decorations left out (``Abayomi Sule
    (MBBS, MBA)`` -> Sule). One word is a given name only."""
    words = plain_name(name).split()
    while len(words) > 2 and words[-1].casefold() in _NAME_SUFFIXES:
        words.pop()
    if len(words) < 2:
        return " ".join(words), ""
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


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
