"""A contact's fields from what its note says: each known field found under any of its
spellings (``core.fieldnames``) and typed by its own rule.

The front matter arrives as text (the YAML loader types nothing), so a phone number
``0301234567`` stays those digits, ``NO`` stays Norway and ``1:30`` a time of day; each
rule below decides what its field's text means. A value a rule cannot read is a problem of
that one field, named with the key as the note spells it; the rest of the note counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vaultnet.core.dates import parse_cadence, parse_date, parse_yearly
from vaultnet.core.fieldnames import (
    FAMILY_KEYS,
    GIVEN_KEYS,
    NESTED_FAMILY,
    NESTED_GIVEN,
    normal_key,
)
from vaultnet.core.links import WIKILINK, plain_text
from vaultnet.core.model import KNOWN_KINDS, ContactData

_NULL = frozenset({"", "null", "~"})  # what YAML means by "no value", as text
_TRUE = frozenset({"true", "yes", "y", "1", "on", "x"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})
_TAG_SEPARATORS = (",", " ", "\t")

Problem = Callable[[str, str], None]  # (key as written, message)
# Keys that group contact fields in a nested mapping (a common Dataview example layout).
_GROUPS = frozenset(
    {"contacts", "contact", "contact_info", "contact_details", "details", "socials"}
)


def is_null(value: Any) -> bool:
    """Whether a front-matter value says nothing (`key:`, `key: null`, `key: ~`)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in _NULL
    return isinstance(value, (list, dict)) and not value


def found_fields(
    meta: Mapping[str, Any], table: Mapping[str, str], inline: Mapping[str, str] | None = None
) -> dict[str, list[tuple[str, Any]]]:
    """field -> [(key as written, value), ...] in note order: front matter first, then the
    body's Dataview fields (``key:: value``), which only fill fields the front matter lacks."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for key, value in meta.items():
        k = normal_key(key)
        field = table.get(k)
        if field is not None and not is_null(value):
            found.setdefault(field, []).append((key, value))
        elif k in _GROUPS and isinstance(value, dict):
            # `contacts: {phone: ..., mail: ...}`: a group of fields, read as if top-level.
            for sub, inner in value.items():
                field = table.get(normal_key(str(sub)))
                if field is not None and not is_null(inner):
                    found.setdefault(field, []).append((f"{key}.{sub}", inner))
    for key, value in (inline or {}).items():
        field = table.get(normal_key(key))
        if field is not None and field not in found and not is_null(value):
            found[field] = [(key, value)]
    return found


def contact_data(
    stem: str, meta: Mapping[str, Any], found: dict[str, list[tuple[str, Any]]], problem: Problem
) -> ContactData:
    """The contact the note describes (``stem``: its file name, the name of last resort)."""
    c = ContactData(name=_name(stem, meta, found))
    for field, entries in found.items():
        rule = _RULES.get(field)
        if rule is not None:
            rule(c, entries, problem)
    return c


# -- values -----------------------------------------------------------------------------
def unwrap(value: Any) -> Any:
    """``[[Name]]`` written unquoted is a list in a list in YAML: the link text again."""
    if isinstance(value, list) and len(value) == 1:
        inner = value[0]
        if isinstance(inner, list) and len(inner) == 1 and isinstance(inner[0], str):
            return f"[[{inner[0]}]]"
    return value


def text(value: Any) -> str | None:
    if type(value) is str:  # nearly always: the common case first
        s = value.strip()
        return None if not s or (s[0] in "nN~" and s.lower() in _NULL) else s
    value = unwrap(value)
    if isinstance(value, list) and len(value) == 1:
        value = unwrap(value[0])
    if isinstance(value, str):
        stripped = value.strip()
        return None if stripped.lower() in _NULL else stripped
    return None


def texts(value: Any) -> list[str]:
    value = unwrap(value)
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        one = text(item)
        if one:
            out.append(one)
    return out


def tags(value: Any) -> list[str]:
    """Tags as a list or as text (``"#a #b"``, ``a, b``), without their ``#``."""
    if is_null(value):
        return []
    if isinstance(value, list):
        items = [t for v in value for t in texts(v)]
    else:
        raw = str(text(value) or "")
        for sep in _TAG_SEPARATORS:
            raw = raw.replace(sep, " ")
        items = raw.split()
    return [t for t in (item.strip().lstrip("#") for item in items) if t]


def flag(value: Any) -> bool:
    one = text(value)
    return one is not None and one.lower() in _TRUE


# -- the rules: one a field --------------------------------------------------------------
def _first(entries: list[tuple[str, Any]]) -> tuple[str, Any]:
    return entries[0]


def _text_rule(
    attribute: str, links_as_text: bool = True
) -> Callable[[ContactData, list[tuple[str, Any]], Problem], None]:
    """A text field; a link to a note (`org: [[Obsidian]]`) reads as the note's name."""

    def rule(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
        for _key, value in entries:
            one = text(value)
            if one and links_as_text and "[[" in one:
                one = plain_text(one).strip() or one
            if one:
                setattr(c, attribute, one)
                return

    return rule


def _list_rule(attribute: str) -> Callable[[ContactData, list[tuple[str, Any]], Problem], None]:
    def rule(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
        values: list[str] = []
        for _key, value in entries:
            values.extend(v for v in texts(value) if v not in values)
        setattr(c, attribute, values)

    return rule


def _emails(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    out: list[str] = []
    for _key, value in entries:
        for one in texts(value):
            address = one[7:] if one.lower().startswith("mailto:") else one
            if address not in out:
                out.append(address)
    c.emails = out


def _phone(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    numbers: list[str] = []
    for _key, value in entries:
        numbers.extend(n for n in texts(value) if n not in numbers)
    c.phone = ", ".join(numbers) or None


def _tags(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    out: list[str] = []
    for _key, value in entries:
        out.extend(t for t in tags(value) if t not in out)
    c.tags = out


def _kind(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    one = text(_first(entries)[1])
    if one is not None:
        c.kind = one.lower() if one.lower() in KNOWN_KINDS else one


def _date_rule(
    attribute: str, parse: Callable[[str], Any]
) -> Callable[[ContactData, list[tuple[str, Any]], Problem], None]:
    """A date field: ``parse`` reads its text (a yearly date, or a day)."""

    def rule(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
        key, value = _first(entries)
        one = text(value)
        if one is None:
            problem(key, f"{value!r} is not a date")
            return
        try:
            setattr(c, attribute, parse(one))
        except ValueError as exc:
            problem(key, str(exc))

    return rule


def _dates(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    key, value = _first(entries)
    if not isinstance(value, dict):
        problem(key, "must be a mapping of label: date, e.g. promotion: 2025-11-27")
        return
    for label, when in value.items():
        one = text(when)
        if one is None:
            continue
        try:
            c.dates[str(label)] = parse_yearly(one)
        except ValueError as exc:
            problem(key, f"{label}: {exc}")


def _cadence(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    key, value = _first(entries)
    try:
        c.cadence_days = parse_cadence(
            text(value) if not isinstance(value, (list, dict)) else value
        )
        c.cadence_set = True
    except ValueError as exc:
        problem(key, str(exc))


def _introduced_by(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    one = text(_first(entries)[1])
    if one:
        m = WIKILINK.search(one)
        c.introduced_by = (m.group(1).strip() if m else one).rsplit("/", 1)[-1]


def _flag_rule(attribute: str) -> Callable[[ContactData, list[tuple[str, Any]], Problem], None]:
    def rule(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
        setattr(c, attribute, flag(_first(entries)[1]))

    return rule


def _deceased(c: ContactData, entries: list[tuple[str, Any]], problem: Problem) -> None:
    """``true``, or the date they died."""
    one = text(_first(entries)[1])
    if one is None:
        return
    if one.lower() in _TRUE:
        c.deceased = True
        return
    if one.lower() in _FALSE:
        return
    try:
        parse_date(one)
    except ValueError as exc:
        problem(_first(entries)[0], f"{one!r} is neither a date nor true/false ({exc})")
        # A date that does not exist is still somebody's date of death, not "alive".
        c.deceased = one[:1].isdigit()
        return
    c.deceased = True


_RULES: dict[str, Callable[[ContactData, list[tuple[str, Any]], Problem], None]] = {
    "aliases": _list_rule("aliases"),
    "kind": _kind,
    "company": _text_rule("company"),
    "title": _text_rule("title"),
    "emails": _emails,
    "phone": _phone,
    "linkedin": _text_rule("linkedin", links_as_text=False),
    "location": _text_rule("location"),
    "tags": _tags,
    "birthday": _date_rule("birthday", parse_yearly),
    "work_anniversary": _date_rule("work_anniversary", parse_yearly),
    "dates": _dates,
    "cadence": _cadence,
    "last_contact": _date_rule("last_contact", parse_date),
    "snooze_until": _date_rule("snooze_until", parse_date),
    "introduced_by": _introduced_by,
    "how_met": _text_rule("how_met"),
    "archived": _flag_rule("archived"),
    "deceased": _deceased,
    "private": _flag_rule("private"),
}


def _name(stem: str, meta: Mapping[str, Any], found: dict[str, list[tuple[str, Any]]]) -> str:
    """``name:`` (or FN, full_name...), else given + family name, else the file name."""
    for _key, value in found.get("name", []):
        if isinstance(value, dict):
            composed = _joined(value, NESTED_GIVEN, NESTED_FAMILY)
            if composed:
                return composed
        one = text(value)
        if one:
            return one
    return _joined(meta, GIVEN_KEYS, FAMILY_KEYS) or stem


def _joined(values: Mapping[str, Any], given: tuple[str, ...], family: tuple[str, ...]) -> str:
    parts: dict[str, str] = {}
    for key, value in values.items():
        k = normal_key(str(key))
        one = text(value)
        if not one:
            continue
        if k in given:
            parts.setdefault("given", one)
        elif k in family:
            parts.setdefault("family", one)
    return " ".join(p for p in (parts.get("given"), parts.get("family")) if p)
