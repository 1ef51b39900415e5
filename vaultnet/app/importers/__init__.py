"""Importing contacts from other address books: LinkedIn, vCard and Google Contacts.

Each source module turns a file into ``Incoming`` records (no vault access, no terminal);
``plan`` decides, for each record, whether to create, merge or skip it; ``apply`` writes
the notes. Bad rows and cards are reported as ``Issue``s with their line or card number
and left out; the rest of the file is still imported. The records, issues, actions and
outcomes are plain data in ``vaultnet.core.incoming``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from vaultnet.core.errors import UsageError
from vaultnet.core.incoming import Incoming, Parsed

# Each source is read by the module of the same name here, through its ``parse``.
SOURCES = ("linkedin", "vcard", "google")


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


def read_file(source: str, path: Path, today: date) -> Parsed:
    """Read ``path`` as an export of ``source`` (one of SOURCES).

    Each record says where its company and title come from and as of when (see
    ``Incoming.as_of``): a vCard's ``REV``; for LinkedIn, whose file has no date, the
    file's modification date (the day it was downloaded), no earlier than its latest
    "Connected On" and no later than ``today``; otherwise ``today``.
    """
    try:
        data = path.read_bytes()
        modified = date.fromtimestamp(path.stat().st_mtime)
    except OSError as exc:
        raise UsageError(f"cannot read the file: {exc.strerror or exc}", path) from None
    parsed = Parsed()
    try:
        _reader(source)(data, parsed)
    except UsageError as exc:
        raise UsageError(exc.message, exc.path or path) from None
    default = today
    if source == "linkedin":
        connected = [r.connected_on for r in parsed.records if r.connected_on is not None]
        default = min(max([modified, *connected]), today)
    for rec in parsed.records:
        rec.source = source
        rec.as_of = rec.as_of or default
    return parsed


def which_source(text: str) -> str | None:
    """Which importer reads this file's text, judged by its first lines; None: none does."""
    head = text[:20000]
    if re.search(r"^begin:vcard\s*$", head, re.IGNORECASE | re.MULTILINE):
        return "vcard"
    import csv
    import io

    from vaultnet.app.importers import google, linkedin
    from vaultnet.app.importers.tabular import header_key

    try:
        for n, row in enumerate(csv.reader(io.StringIO(head, newline=""))):
            keys = [header_key(c) for c in row]
            if linkedin.is_header(keys):
                return "linkedin"
            if google.is_header(keys):
                return "google"
            if n > 10:
                break
    except csv.Error:
        pass
    return None


def _reader(source: str) -> Callable[[bytes, Parsed], None]:
    """The ``parse`` of ``source``'s module, imported only when that source is read."""
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    reader: Callable[[bytes, Parsed], None] = importlib.import_module(f"{__name__}.{source}").parse
    return reader


# -- small helpers the sources share --------------------------------------------------------
_CONTROL = dict.fromkeys(range(32)) | {127: None} | dict.fromkeys(range(128, 160))


def clean(text: str | None) -> str:
    """Single-spaced text without leading or trailing blanks, and without control
    characters (an ESC sequence in a name must never reach a terminal or a note)."""
    return " ".join((text or "").replace("\t", " ").replace("\n", " ").translate(_CONTROL).split())


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


def name_of_last_resort(rec: Incoming, parsed: Parsed, missing: str, org: str) -> bool:
    """Name a record that has no name as address books show it: by its organization
    (``org``: what the source calls it), else its email, else its phone, with a warning
    that says so; False when it has none of them."""
    for what, value in (
        (org, rec.company),
        ("email", rec.emails[0] if rec.emails else None),
        ("phone", rec.phones[0] if rec.phones else None),
    ):
        if value:
            rec.name = value
            parsed.warning(rec.where, f"{missing}; named after its {what} {value!r}")
            return True
    return False
