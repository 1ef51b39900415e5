"""Importing contacts from other address books: LinkedIn, vCard and Google Contacts.

Each source module turns a file into ``Incoming`` records (no vault access, no terminal);
``plan`` decides, for each record, whether to create, merge or skip it; ``apply`` writes
the notes. Bad rows and cards are reported as ``Issue``s with their line or card number
and left out; the rest of the file is still imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vaultnet.core.dates import YearlyDate
from vaultnet.core.errors import UsageError

SOURCES = ("linkedin", "vcard", "google")


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


def decode_bytes(data: bytes, parsed: Parsed) -> str:
    """The file's text: UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is
    read as Windows-1252 (Latin-1 for the few bytes it lacks) with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    try:
        text = data.decode("cp1252")
        used = "Windows-1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        used = "Latin-1"
    parsed.warning(None, f"not UTF-8 ({where}); read as {used}, check accented names")
    return text


def read_file(source: str, path: Path) -> Parsed:
    """Read ``path`` as an export of ``source`` (one of SOURCES)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the file: {exc.strerror or exc}", path) from None
    parsed = Parsed()
    text = decode_bytes(data, parsed)
    try:
        _parse(source, text, parsed)
    except UsageError as exc:
        raise UsageError(exc.message, exc.path or path) from None
    return parsed


def _parse(source: str, text: str, parsed: Parsed) -> None:
    if source == "linkedin":
        from vaultnet.app.importers import linkedin

        linkedin.parse(text, parsed)
    elif source == "google":
        from vaultnet.app.importers import google

        google.parse(text, parsed)
    elif source == "vcard":
        from vaultnet.app.importers import vcard

        vcard.parse(text, parsed)
    else:
        raise UsageError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")


# -- small helpers the sources share --------------------------------------------------------
def clean(text: str | None) -> str:
    """Single-spaced text without leading or trailing blanks."""
    return " ".join((text or "").split())


def tag_from_label(label: str) -> str:
    """An Obsidian-safe tag from an address book's group or label ("Work Stuff" -> Work-Stuff)."""
    return re.sub(r"[^\w/-]+", "-", label.strip().lstrip("#")).strip("-/")


def add_unique(items: list[str], value: str | None) -> None:
    """Append ``value`` (cleaned) unless empty or already there, ignoring case."""
    text = clean(value)
    if text and text.casefold() not in {i.casefold() for i in items}:
        items.append(text)


def is_linkedin(url: str) -> bool:
    return re.search(r"(?:^|[/.])linkedin\.com(?:/|$)", url.casefold()) is not None
