"""vCard files (``.vcf``) holding one or many cards, in versions 2.1, 3.0 and 4.0.

The file is read as bytes: lines are unfolded (and quoted-printable soft line breaks
joined) before anything is decoded, because writers fold inside a UTF-8 character
(ownCloud splits ``\\xd0\\xbb`` across a fold). Each card is then decoded on its own, as
UTF-8, or as Windows-1252 with a warning when that card is not UTF-8; one bad card never
garbles the others. vobject splits each line into name, parameters and value; a line it
cannot read is skipped with a warning, and the card kept. The values are decoded here,
because vobject's generic text rule keeps only what comes before the first comma of any
property it has no rule for (``NICKNAME``; every 2.1 value, where commas are not
escaped) and decodes quoted-printable as UTF-8 whatever the ``CHARSET`` says. Photos,
logos, sounds and keys are dropped unread.
"""

from __future__ import annotations

import contextlib
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from vaultnet.app.importers import (
    add_unique,
    clean,
    is_linkedin,
    name_of_last_resort,
    tag_from_label,
)
from vaultnet.core.dates import UNKNOWN_YEARS, YearlyDate, parse_yearly
from vaultnet.core.errors import UsageError
from vaultnet.core.incoming import Incoming, Parsed

_LINE_END = re.compile(rb"\r\n|\r|\n")
_BEGIN = re.compile(rb"^begin:vcard$", re.IGNORECASE)
_END = re.compile(rb"^end:vcard$", re.IGNORECASE)
_QP = re.compile(rb"^[^:]*quoted-printable[^:]*:", re.IGNORECASE)
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:photo|logo|sound|key)[;:]", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4}|-)-?(\d{2})-?(\d{2})(?:T[\d:.+\-Z]*)?$")
_REV = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
_ANNIVERSARIES = ("ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
# TEL types as the note keeps them; VOICE, PREF and the like say nothing worth keeping.
PHONE_TYPES = {
    "cell": "cell", "mobile": "cell", "iphone": "cell", "work": "work", "home": "home",
    "fax": "fax", "homefax": "home fax", "workfax": "work fax", "pager": "pager",
    "main": "main", "text": "text", "video": "video", "car": "car", "isdn": "isdn",
}  # fmt: skip
# X-ABDATE labels that are fields of their own rather than entries of `dates`.
_DATE_FIELDS = {
    "anniversary": "anniversary",
    "connected on": "connected_on",
    "connected_on": "connected_on",
    "work anniversary": "work_anniversary",
    "work_anniversary": "work_anniversary",
}


@dataclass
class Prop:
    name: str  # upper case, without the group
    params: dict[str, list[str]]  # upper-case names; 2.1's bare TYPE values under TYPE
    value: str  # quoted-printable already decoded, escapes not yet
    group: str | None

    def has_type(self, wanted: str) -> bool:
        return wanted.casefold() in {t.casefold() for t in self.params.get("TYPE", [])}


@dataclass
class _RawCard:
    number: int
    start: int  # the line of BEGIN:VCARD
    lines: list[tuple[int, bytes]]  # (first physical line, logical line), unfolded

    @property
    def where(self) -> str:
        return f"card {self.number} at line {self.start}"


class CardError(Exception):
    pass


def parse(data: bytes, parsed: Parsed) -> None:
    """Append one record per card to ``parsed``."""
    for raw in _cards(_as_utf8_bytes(data), parsed):
        lines = _decoded(raw, parsed)
        props = _props(raw.where, lines, parsed)
        try:
            rec = _record(raw.where, props, parsed)
        except CardError as exc:
            parsed.error(raw.where, f"{exc}; skipped")
            continue
        parsed.records.append(rec)


def _as_utf8_bytes(data: bytes) -> bytes:
    """The file's bytes without a BOM; UTF-16 (with its BOM) re-encoded as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass
    return data.removeprefix(b"\xef\xbb\xbf")


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(first physical line, line) with folds undone and quoted-printable soft breaks
    joined, still as bytes; blank lines left out."""
    current: bytearray | None = None
    start = 0
    for lineno, line in enumerate(_LINE_END.split(data), start=1):
        if current is not None and line[:1] in (b" ", b"\t"):
            current += line[1:]
            continue
        if current is not None and current.endswith(b"=") and _QP.match(current):
            current[-1:] = line  # a soft line break of quoted-printable
            continue
        if current is not None and current.strip():
            yield start, bytes(current)
        current, start = bytearray(line), lineno
    if current is not None and current.strip():
        yield start, bytes(current)


def _cards(data: bytes, parsed: Parsed) -> Iterator[_RawCard]:
    """Every card in the file, with its logical lines inside BEGIN and END."""
    number = 0
    current: _RawCard | None = None
    for lineno, line in _logical_lines(data):
        if _BEGIN.match(line.rstrip()):
            if current is not None:
                parsed.error(current.where, "no END:VCARD; skipped")
            number += 1
            current = _RawCard(number, lineno, [])
        elif current is not None and _END.match(line.rstrip()):
            yield current
            current = None
        elif current is not None:
            current.lines.append((lineno, line))
    if current is not None:
        parsed.error(current.where, "no END:VCARD at the end; skipped")
    if number == 0:
        from vaultnet.app.importers import which_source

        fits = which_source(data[:20000].decode("utf-8", "replace"))
        hint = f"; it looks like a {fits} export: use `vaultnet import {fits} FILE`" if fits else ""
        raise UsageError(f"no vCard in this file (no BEGIN:VCARD line){hint}")


def _decoded(raw: _RawCard, parsed: Parsed) -> list[tuple[int, str]]:
    """The card's lines as text: UTF-8, else (for this card only) Windows-1252."""
    try:
        return [(n, line.decode("utf-8")) for n, line in raw.lines]
    except UnicodeDecodeError:
        bad = next(n for n, line in raw.lines if not _is_utf8(line))
    parsed.warning(raw.where, f"not UTF-8 (line {bad}); read as Windows-1252, check accented names")
    return [(n, _cp1252(line)) for n, line in raw.lines]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _cp1252(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        return line.decode("latin-1")


def _without_binaries(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Photos and the like left out, with vCard 2.1's bare base64 lines after them: they
    are not imported, and bad base64 must not spoil the card."""
    out = []
    skipping = False
    for n, line in lines:
        if _BINARY.match(line):
            skipping = True
        elif skipping and ":" not in line:
            continue
        else:
            skipping = False
            out.append((n, line))
    return out


def _props(where: str, lines: list[tuple[int, str]], parsed: Parsed) -> list[Prop]:
    """The card's properties; a line that cannot be read is skipped with a warning."""
    from vobject.base import ParseError, parseLine

    props = []
    for lineno, logical in _without_binaries(lines):
        try:
            name, raw_params, value, group = parseLine(logical)
        except ParseError:
            parsed.warning(where, f"line {lineno}: cannot read {logical[:60]!r}; line skipped")
            continue
        params: dict[str, list[str]] = {}
        for param in raw_params:
            key, values = param[0].upper(), list(param[1:])
            if not values:  # vCard 2.1: TEL;CELL;QUOTED-PRINTABLE
                key, values = (
                    ("ENCODING" if key in ("QUOTED-PRINTABLE", "BASE64") else "TYPE"),
                    [key],
                )
            for v in values:
                params.setdefault(key, []).extend(p for p in v.split(",") if p)
        props.append(Prop(name.upper(), params, _decode_qp(value, params), group))
    return props


def _decode_qp(value: str, params: dict[str, list[str]]) -> str:
    if "QUOTED-PRINTABLE" not in {e.upper() for e in params.get("ENCODING", [])}:
        return value
    raw = quopri.decodestring(value.encode("utf-8"))
    charsets = [*params.get("CHARSET", [])[:1], "utf-8", "cp1252"]
    for charset in charsets:
        try:
            text = raw.decode(charset)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    else:
        text = raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(value: str, sep: str | None, escaped: bool) -> list[str]:
    """Split at unescaped ``sep`` and undo backslash escapes (3.0/4.0). vCard 2.1 escapes
    nothing but the separator itself."""
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if escaped:
                buf.append("\n" if nxt in "nN" else nxt)
            elif nxt == sep:
                buf.append(nxt)
            else:
                buf.append(ch + nxt)
            i += 2
            continue
        if sep is not None and ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return parts


class _Card:
    """The decoded values of one card's properties."""

    def __init__(self, props: list[Prop]):
        self.props = props
        version = next((p.value.strip() for p in props if p.name == "VERSION"), "3.0")
        self.escaped = version != "2.1"
        self.labels = {  # group -> Apple's X-ABLabel for the properties of that group
            p.group.casefold(): apple_label(self.text(p))
            for p in props
            if p.name == "X-ABLABEL" and p.group is not None
        }

    def all(self, *names: str) -> list[Prop]:
        return [p for p in self.props if p.name in names]

    def text(self, prop: Prop) -> str:
        return _split(prop.value, None, self.escaped)[0] if self.escaped else prop.value

    def first_text(self, name: str) -> str:
        return next((clean(self.text(p)) for p in self.all(name) if clean(self.text(p))), "")

    def parts(self, prop: Prop) -> list[str]:
        return [clean(x) for x in _split(prop.value, ";", self.escaped)]

    def items(self, prop: Prop) -> list[str]:
        values = _split(prop.value, ",", True) if self.escaped else re.split(r"[,;]", prop.value)
        return [clean(v) for v in values if clean(v)]

    def label(self, prop: Prop) -> str:
        return self.labels.get((prop.group or "").casefold(), "")


def apple_label(text: str) -> str:
    """``_$!<Anniversary>!$_`` -> ``anniversary``; a label the user typed stays as typed."""
    m = _APPLE_LABEL.match(text.strip())
    return clean(m.group(1)).casefold() if m else clean(text)


def _record(where: str, props: list[Prop], parsed: Parsed) -> Incoming:
    card = _Card(props)
    rec = Incoming(where=where, name="")
    _name(card, rec)
    _contact_points(card, rec)
    for prop in card.all("ORG"):
        rec.company = card.parts(prop)[0] or None
        break
    rec.title = card.first_text("TITLE") or None
    _urls(card, rec)
    for prop in card.all("ADR"):
        parts = (card.parts(prop) + [""] * 7)[:7]
        place = ", ".join(p for p in (parts[3], parts[4], parts[6]) if p)
        if place:
            rec.location = place
            break
    _dates(card, rec, parsed)
    for prop in card.all("CATEGORIES"):
        for label in card.items(prop):
            add_unique(rec.tags, tag_from_label(label))
    notes = [card.text(p).strip() for p in card.all("NOTE")]
    rec.note = "\n\n".join(n for n in notes if n)
    m = _REV.match(card.first_text("REV"))
    if m:
        with contextlib.suppress(ValueError):
            rec.as_of = date(int(m[1]), int(m[2]), int(m[3]))
    if not rec.name and not name_of_last_resort(rec, parsed, "no name (FN or N)", "ORG"):
        raise CardError("no name (FN or N), organization, email or phone")
    return rec


def _name(card: _Card, rec: Incoming) -> None:
    for prop in card.all("N"):
        family, given, additional, _prefix, suffix = (card.parts(prop) + [""] * 5)[:5]
        if family or given:
            rec.given = clean(f"{given} {additional}") or None
            rec.family = family or None
            rec.name = rec.name or clean(f"{given} {additional} {family} {suffix}")
            break
    rec.name = card.first_text("FN") or rec.name
    for prop in card.all("NICKNAME"):
        for alias in card.items(prop):
            if alias.casefold() != rec.name.casefold():
                add_unique(rec.aliases, alias)


def _contact_points(card: _Card, rec: Incoming) -> None:
    emails = card.all("EMAIL")
    emails.sort(key=lambda p: not (p.has_type("pref") or "PREF" in p.params))
    for prop in emails:
        add_unique(rec.emails, re.sub(r"^mailto:", "", clean(card.text(prop)), flags=re.I))
    for prop in card.all("TEL"):
        number = re.sub(r"^tel:", "", clean(card.text(prop)), flags=re.I)
        add_unique(rec.phones, number)
        kind = phone_type(prop.params.get("TYPE", []), card.label(prop))
        if number and kind and number not in rec.phone_types:
            rec.phone_types[number] = kind


def phone_type(types: list[str], label: str = "") -> str:
    """What kind of number a TEL is (``cell``, ``work fax``), from its types or Apple's
    label; empty when it says nothing (VOICE, PREF)."""
    known = [PHONE_TYPES[t.casefold()] for t in types if t.casefold() in PHONE_TYPES]
    if label:
        known.append(PHONE_TYPES.get(label.casefold().replace(" ", ""), label))
    words: list[str] = []
    for kind in known:
        words.extend(w for w in kind.split() if w not in words)
    return " ".join(words)


def _urls(card: _Card, rec: Incoming) -> None:
    for prop in card.all("URL", "X-SOCIALPROFILE"):
        url = clean(card.text(prop))
        if not url:
            continue
        if is_linkedin(url) or (prop.name == "X-SOCIALPROFILE" and prop.has_type("linkedin")):
            rec.linkedin = rec.linkedin or url
        elif prop.name == "URL":
            rec.website = rec.website or url


def _dates(card: _Card, rec: Incoming, parsed: Parsed) -> None:
    for prop in card.all("BDAY"):
        rec.birthday = _yearly(card, prop, rec.where, parsed)
        break
    for prop in card.all(*_ANNIVERSARIES):
        when = _yearly(card, prop, rec.where, parsed)
        if when is not None:
            rec.dates.setdefault("anniversary", when)
    for prop in card.all("X-ABDATE"):
        label = card.label(prop) or "other"
        when = _yearly(card, prop, rec.where, parsed)
        if when is None:
            continue
        field = _DATE_FIELDS.get(label.casefold())
        if field == "connected_on":
            if when.year is not None and rec.connected_on is None:
                rec.connected_on = when.in_year(when.year)
        elif field == "work_anniversary":
            rec.work_anniversary = rec.work_anniversary or when
        else:
            rec.dates.setdefault(field or label, when)


def _yearly(card: _Card, prop: Prop, where: str, parsed: Parsed) -> YearlyDate | None:
    """A vCard date: ``19800315``, ``1980-03-15``, ``--0315``, a date-time. The years that
    mean "unknown" (``UNKNOWN_YEARS``: Apple's 1604, 1900, flutter_contacts' 0000) and a
    year Apple marks as omitted (``X-APPLE-OMIT-YEAR``) give a date without a year."""
    text = clean(card.text(prop))
    m = _DATE.match(text)
    if m:
        year = None if m.group(1) == "-" else int(m.group(1))
        omitted = {int(y) for y in prop.params.get("X-APPLE-OMIT-YEAR", []) if y.isdigit()}
        if year in omitted or year in UNKNOWN_YEARS:
            year = None
        month, day = m.group(2), m.group(3)
        try:
            return parse_yearly(f"--{month}-{day}" if year is None else f"{year:04d}-{month}-{day}")
        except ValueError:
            pass
    parsed.warning(where, f"{prop.name}: {text!r} is not a date I can read; left out")
    return None
