"""Contacts as vCard 4.0 (RFC 6350), for a phone's address book. Pure: returns text.

Each card has a stable UID derived from the note's path, so that re-importing the file on
a phone updates the cards instead of duplicating them. Private contacts are left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from vaultnet import __version__
from vaultnet.core.dates import YearlyDate
from vaultnet.core.model import Contact

CRLF = "\r\n"
_MAX_OCTETS = 75


def escape(text: str) -> str:
    """A TEXT value with backslash, comma, semicolon and line breaks escaped."""
    out = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return out.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """``line`` folded into lines of at most 75 octets, never inside a UTF-8 character."""
    pieces = []
    current = ""
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > _MAX_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += ch
        size += width
    pieces.append(current)
    return CRLF.join(pieces) + CRLF


def _date(yd: YearlyDate) -> str:
    if yd.year is None:
        return f"--{yd.month:02d}{yd.day:02d}"
    return f"{yd.year:04d}{yd.month:02d}{yd.day:02d}"


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [
        str(v).strip()
        for v in items
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip()
    ]


def card(contact: Contact) -> str:
    """One contact as a vCard 4.0."""
    c = contact
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:-//vaultnet//vaultnet {__version__}//EN"]
    lines.append(f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'vaultnet:' + c.path)}")
    lines.append(f"FN:{escape(c.name)}")
    # N is optional in 4.0 but phones sort by it; without a structured name, the last word
    # is the best guess at a family name.
    words = c.name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else ("", c.name)
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    if c.aliases:
        lines.append("NICKNAME:" + ",".join(escape(a) for a in c.aliases))
    lines += [f"EMAIL:{escape(e)}" for e in c.emails]
    lines += [f"TEL:{escape(p)}" for p in _strings(c.fields.get("phone"))]
    if c.company:
        lines.append(f"ORG:{escape(c.company)}")
    if c.title:
        lines.append(f"TITLE:{escape(c.title)}")
    if c.birthday:
        lines.append(f"BDAY:{_date(c.birthday)}")
    anniversary = c.dates.get("anniversary")
    if anniversary:
        lines.append(f"ANNIVERSARY:{_date(anniversary)}")
    for url in [c.linkedin, *_strings(c.fields.get("website"))]:
        if url:
            lines.append(f"URL:{escape(url)}")
    if c.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in c.tags))
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcards(contacts: Iterable[Contact]) -> str:
    """Every non-private contact, one card after the other."""
    return "".join(card(c) for c in contacts if not c.private)
