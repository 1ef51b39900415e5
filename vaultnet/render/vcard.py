"""Contacts as vCard 4.0 (RFC 6350), for a phone's address book. Pure: returns text.

Each card has a stable UID derived from the note's path, so that re-importing the file on
a phone updates the cards instead of duplicating them. Private contacts are left out.
What the note knows goes along so that ``import vcard`` gives it back: ``N`` from
``first_name``/``last_name`` (else a guess that knows ``de Graaff``), phone kinds from
``phone_types``, ``location`` as the address's locality, ``dates`` (and the work
anniversary and ``connected_on``) as Apple's labelled dates, and the note's first
paragraph as ``NOTE`` when asked for.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from vaultnet import __version__
from vaultnet.core.dates import YearlyDate, parse_date
from vaultnet.core.fieldnames import FAMILY_KEYS, GIVEN_KEYS, normal_key
from vaultnet.core.incoming import split_name
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


# Phone kinds that vCard 4.0 has a TYPE for; any other kind goes as Apple's label.
_TEL_TYPES = frozenset({"cell", "work", "home", "fax", "pager", "text", "video", "voice"})


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


def _part(fields: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key, value in fields.items():
        if normal_key(str(key)) in keys and isinstance(value, str) and value.strip():
            return value.strip()
    return None


def name_parts(contact: Contact) -> tuple[str, str]:
    """(given, family): the note's ``first_name``/``last_name`` where it has them, else
    ``split_name``'s guess."""
    given, family = split_name(contact.name)
    written_family = _part(contact.fields, FAMILY_KEYS)
    written_given = _part(contact.fields, GIVEN_KEYS)
    if written_family is not None:
        family = written_family
        head = contact.name.strip()
        given = head[: -len(family)].strip() if head.endswith(family) else given
    return written_given or given, family


def _phones(c: Contact) -> list[tuple[str, str]]:
    """(number, kind) of each phone; kind "" when the note does not say."""
    kinds = c.fields.get("phone_types")
    kinds = kinds if isinstance(kinds, dict) else {}
    numbers = [n.strip() for n in (c.phone or "").split(", ") if n.strip()]
    return [(n, str(kinds.get(n) or "").strip()) for n in numbers]


def _labelled_dates(c: Contact) -> list[tuple[str, str]]:
    """(label, vCard date) of every date besides the birthday and the anniversary."""
    out = [(label, _date(yd)) for label, yd in c.dates.items() if label != "anniversary"]
    if c.work_anniversary is not None:
        out.append(("work anniversary", _date(c.work_anniversary)))
    connected = c.fields.get("connected_on")
    if isinstance(connected, str):
        with contextlib.suppress(ValueError):
            out.append(("connected on", parse_date(connected).strftime("%Y%m%d")))
    return out


def card(contact: Contact, note: str = "") -> str:  # noqa: C901 - one branch a property
    """One contact as a vCard 4.0; ``note``: the text of its NOTE."""
    c = contact
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:-//vaultnet//vaultnet {__version__}//EN"]
    lines.append(f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'vaultnet:' + c.path)}")
    lines.append(f"FN:{escape(c.name)}")
    given, family = name_parts(c)  # N is optional in 4.0, but phones sort by it
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    if c.aliases:
        lines.append("NICKNAME:" + ",".join(escape(a) for a in c.aliases))
    lines += [f"EMAIL:{escape(e)}" for e in c.emails]
    item = 0
    for number, kind in _phones(c):
        words = kind.casefold().split()
        if words and all(w in _TEL_TYPES for w in words):
            lines.append(f"TEL;TYPE={','.join(words)}:{escape(number)}")
        elif kind:
            item += 1
            lines += [f"item{item}.TEL:{escape(number)}", f"item{item}.X-ABLabel:{escape(kind)}"]
        else:
            lines.append(f"TEL:{escape(number)}")
    if c.company:
        lines.append(f"ORG:{escape(c.company)}")
    if c.title:
        lines.append(f"TITLE:{escape(c.title)}")
    if c.location:
        lines.append(f"ADR:;;;{escape(c.location)};;;")
    if c.birthday:
        lines.append(f"BDAY:{_date(c.birthday)}")
    anniversary = c.dates.get("anniversary")
    if anniversary:
        lines.append(f"ANNIVERSARY:{_date(anniversary)}")
    for label, value in _labelled_dates(c):
        item += 1
        lines += [f"item{item}.X-ABDATE:{value}", f"item{item}.X-ABLabel:{escape(label)}"]
    if c.linkedin and "://" not in c.linkedin:  # urn:li:member:..., from a 2018 export
        lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{escape(c.linkedin)}")
    for url in [c.linkedin, *_strings(c.fields.get("website"))]:
        if url and "://" in url:
            lines.append(f"URL:{escape(url)}")
    if c.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in c.tags))
    if note.strip():
        lines.append(f"NOTE:{escape(note.strip())}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcards(contacts: Iterable[Contact], notes: Mapping[str, str] | None = None) -> str:
    """Every non-private contact, one card after the other; ``notes``: path -> NOTE text."""
    notes = notes or {}
    return "".join(card(c, notes.get(c.path, "")) for c in contacts if not c.private)
