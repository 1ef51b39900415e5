"""The Google Contacts CSV export ("Google CSV"), read by its header.

Current exports name columns ``First Name``, ``Last Name``, ``Organization Name``,
``E-mail 1 - Value``, ``Labels``...; older ones ``Given Name``, ``Family Name``,
``Organization 1 - Name``, ``Group Membership``... Both are read. A cell holding several
values separates them with `` ::: ``.
"""

from __future__ import annotations

import re

from vaultnet.app.importers import add_unique, clean, is_linkedin, tag_from_label
from vaultnet.app.importers.tabular import records
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


def _is_header(keys: list[str]) -> bool:
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


def parse(text: str, parsed: Parsed) -> None:  # noqa: C901 - one branch a column; see #16
    """Append one record per contact to ``parsed``."""
    for line, row in records(text, parsed, _is_header, HEADER):
        where = f"line {line}"
        # Older exports have the display name in "Name"; newer ones only its parts.
        from_parts = clean(" ".join(_first(row, k) for k in (_GIVEN, _MIDDLE, _FAMILY)))
        name = clean(row.get("name")) or from_parts
        if not name:
            parsed.error(where, "no name; skipped")
            continue
        rec = Incoming(where=where, name=name)
        for alias in _values(row.get("nickname")):
            add_unique(rec.aliases, alias)
        rec.company = _first(row, _COMPANY) or None
        rec.title = _first(row, _TITLE) or None
        groups = _numbered(row)
        for _, parts in sorted(groups.get("e-mail", {}).items()):
            for email in _values(parts.get("value")):
                add_unique(rec.emails, email)
        for _, parts in sorted(groups.get("phone", {}).items()):
            for phone in _values(parts.get("value")):
                add_unique(rec.phones, phone)
        for _, parts in sorted(groups.get("website", {}).items()):
            label = clean(parts.get("label") or parts.get("type")).casefold()
            for url in _values(parts.get("value")):
                if (is_linkedin(url) or label == "linkedin") and not rec.linkedin:
                    rec.linkedin = url
                elif not rec.website:
                    rec.website = url
        _location(rec, groups.get("address", {}))
        _dates(rec, row, groups.get("event", {}), parsed)
        for label in _values(row.get(_LABELS[0]) or row.get(_LABELS[1])):
            if not label.startswith("*"):  # "* myContacts", "* starred": Google's own groups
                add_unique(rec.tags, tag_from_label(label))
        rec.note = (row.get("notes") or "").strip()
        parsed.records.append(rec)


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
        label = clean(parts.get("label") or parts.get("type")).casefold()
        value = clean(parts.get("value"))
        if label == "anniversary" and value and rec.anniversary is None:
            try:
                rec.anniversary = parse_yearly(value)
            except ValueError as exc:
                parsed.warning(rec.where, f"Anniversary: {exc}; left out")
