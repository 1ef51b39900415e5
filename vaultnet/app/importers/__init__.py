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
from pathlib import Path

from vaultnet.core.errors import UsageError
from vaultnet.core.incoming import Parsed

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


def read_file(source: str, path: Path) -> Parsed:
    """Read ``path`` as an export of ``source`` (one of SOURCES)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the file: {exc.strerror or exc}", path) from None
    parsed = Parsed()
    text = decode_bytes(data, parsed)
    try:
        _reader(source)(text, parsed)
    except UsageError as exc:
        raise UsageError(exc.message, exc.path or path) from None
    return parsed


def _reader(source: str) -> Callable[[str, Parsed], None]:
    """The ``parse`` of ``source``'s module, imported only when that source is read."""
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    reader: Callable[[str, Parsed], None] = importlib.import_module(f"{__name__}.{source}").parse
    return reader


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
