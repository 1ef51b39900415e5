"""The Google Contacts CSV export ("Google CSV"), read by its header.

Current exports name columns ``First Name``, ``Last Name``, ``Organization Name``,
``E-mail 1 - Value``, ``Labels``...; older ones ``Given Name``, ``Family Name``,
``Organization 1 - Name``, ``Group Membership``... Both are read. A cell holding several
values separates them with `` ::: ``.
"""

from __future__ import annotations

import re

from vaultnet.app.importers import (
    add_unique,
    clean,
    decode_bytes,
    is_linkedin,
    name_of_last_resort,
    tag_from_label,
)
from vaultnet.app.importers.tabular import records
from vaultnet.app.importers.vcard import phone_type
from vaultnet.core.dates import parse_yearly
from vaultnet.core.incoming import Incoming, Parsed

HEADER = "First Name,Last Name,...,E-mail 1 - Value,... (or Given Name,Family Name,...)"

_GIVEN = ("first name", "given name")
_MIDDLE = ("middle name", "additional name")
_FAMILY = ("last name", "family name")
_COMPANY = ("organization name", "organization 1 - name")
_TITLE = ("organization title", "organization 1 - title")
_LABELS = ("labels", "group membership")
_NUMBERED = re.compile(r"^(e-mail|phone|website|event|address) (\d+) - (.+)$")


def is_header(keys: list[str]) -> bool:
    names = set(_GIVEN + _FAMILY + ("name",))
    return bool(names & set(keys)) and any(k.endswith(" - value") for k in keys)


def _first(row: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        if clean(row.get(key)):
            return clean(row.get(key))
    return ""


def _values(cell: str | None) -> list[str]:
    return [clean(v) for v in (cell or "").split(":::") if clean(v)]


def _numbered(row: dict[str, str]) -> dict[str, dict[int, dict[str, str]]]:
    """kind -> number -> part -> cell: ``E-mail 2 - Value`` is ["e-mail"][2]["value"]."""
    out: dict[str, dict[int, dict[str, str]]] = {}
    for key, cell in row.items():
        m = _NUMBERED.match(key)
        if m:
            out.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = cell
    return out


def parse(data: bytes, parsed: Parsed) -> None:
    """Append one record per contact to ``parsed``."""
    for line, row in records(decode_bytes(data, parsed), parsed, is_header, HEADER, "google"):
        rec = _record(f"line {line}", row, parsed)
        if rec is not None:
            parsed.records.append(rec)


def _record(where: str, row: dict[str, str], parsed: Parsed) -> Incoming | None:
    # Older exports have the display name in "Name"; newer ones only its parts.
    given = clean(" ".join(_first(row, k) for k in (_GIVEN, _MIDDLE)))
    family = _first(row, _FAMILY)
    rec = Incoming(where=where, name=clean(row.get("name")) or clean(f"{given} {family}"))
    if family or given:
        rec.given, rec.family = given or None, family or None
    for alias in _values(row.get("nickname")):
        add_unique(rec.aliases, alias)
    rec.company = _first(row, _COMPANY) or None
    rec.title = _first(row, _TITLE) or None
    groups = _numbered(row)
    _contact_points(rec, groups)
    _websites(rec, groups.get("website", {}))
    _location(rec, groups.get("address", {}))
    _dates(rec, row, groups.get("event", {}), parsed)
    for label in _values(row.get(_LABELS[0]) or row.get(_LABELS[1])):
        if not label.startswith("*"):  # "* myContacts", "* starred": Google's own groups
            add_unique(rec.tags, tag_from_label(label))
    rec.note = (row.get("notes") or "").strip()
    if rec.name or name_of_last_resort(rec, parsed, "no name", "organization"):
        return rec
    parsed.error(where, "no name, organization, email or phone; skipped")
    return None


def _contact_points(rec: Incoming, groups: dict[str, dict[int, dict[str, str]]]) -> None:
    for _, parts in sorted(groups.get("e-mail", {}).items()):
        for email in _values(parts.get("value")):
            add_unique(rec.emails, email)
    for _, parts in sorted(groups.get("phone", {}).items()):
        label = clean(parts.get("label") or parts.get("type")).lstrip("* ")
        for phone in _values(parts.get("value")):
            add_unique(rec.phones, phone)
            kind = phone_type([], label) if label else ""
            if kind and phone not in rec.phone_types:
                rec.phone_types[phone] = kind.casefold()


def _websites(rec: Incoming, sites: dict[int, dict[str, str]]) -> None:
    for _, parts in sorted(sites.items()):
        label = clean(parts.get("label") or parts.get("type")).casefold()
        for url in _values(parts.get("value")):
            if (is_linkedin(url) or label == "linkedin") and not rec.linkedin:
                rec.linkedin = url
            elif not rec.website:
                rec.website = url


def _location(rec: Incoming, addresses: dict[int, dict[str, str]]) -> None:
    for _, parts in sorted(addresses.items()):
        place = [clean(parts.get(k)) for k in ("city", "region", "country")]
        text = ", ".join(p for p in place if p)
        if text:
            rec.location = text
            return


def _dates(
    rec: Incoming, row: dict[str, str], events: dict[int, dict[str, str]], parsed: Parsed
) -> None:
    birthday = clean(row.get("birthday"))
    if birthday:
        try:
            rec.birthday = parse_yearly(birthday)
        except ValueError as exc:
            parsed.warning(rec.where, f"Birthday: {exc}; left out")
    for _, parts in sorted(events.items()):
        label = clean(parts.get("label") or parts.get("type")).lstrip("* ") or "other"
        value = clean(parts.get("value"))
        if not value:
            continue
        try:
            when = parse_yearly(value)
        except ValueError as exc:
            parsed.warning(rec.where, f"{label}: {exc}; left out")
            continue
        rec.dates.setdefault(label.casefold() if label.casefold() == "anniversary" else label, when)
