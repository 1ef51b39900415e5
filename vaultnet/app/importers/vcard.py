"""vCard files (``.vcf``) holding one or many cards, in versions 2.1, 3.0 and 4.0.

vobject reads the lines: unfolding, quoted-printable soft line breaks, parameters and
groups. The values are decoded here, because vobject's generic text rule keeps only what
comes before the first comma of any property it has no rule for (``NICKNAME``; every 2.1
value, where commas are not escaped) and decodes quoted-printable as UTF-8 whatever the
``CHARSET`` says. Photos, logos, sounds and keys are dropped before parsing.
"""

from __future__ import annotations

import io
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from vaultnet.app.importers import add_unique, clean, is_linkedin, tag_from_label
from vaultnet.core.dates import YearlyDate
from vaultnet.core.errors import UsageError
from vaultnet.core.incoming import Incoming, Parsed

_BEGIN = re.compile(r"^begin:vcard$", re.IGNORECASE)
_END = re.compile(r"^end:vcard$", re.IGNORECASE)
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:photo|logo|sound|key)[;:]", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4}|-)-?(\d{2})-?(\d{2})(?:T[\d:.+\-Z]*)?$")
_ANNIVERSARIES = ("ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY")
APPLE_NO_YEAR = 1604  # Apple writes year-less dates as 1604 (with X-APPLE-OMIT-YEAR=1604)


@dataclass
class Prop:
    name: str  # upper case, without the group
    params: dict[str, list[str]]  # upper-case names; 2.1's bare TYPE values under TYPE
    value: str  # quoted-printable already decoded, escapes not yet
    group: str | None

    def has_type(self, wanted: str) -> bool:
        return wanted.casefold() in {t.casefold() for t in self.params.get("TYPE", [])}


class CardError(Exception):
    pass


def parse(text: str, parsed: Parsed) -> None:
    """Append one record per card to ``parsed``."""
    for number, start, lines in _cards(text, parsed):
        where = f"card {number} at line {start}"
        try:
            props = _props(lines)
            rec = _record(where, props, parsed)
        except CardError as exc:
            parsed.error(where, f"{exc}; skipped")
            continue
        parsed.records.append(rec)


def _cards(text: str, parsed: Parsed) -> Iterator[tuple[int, int, list[str]]]:
    """(card number, line of BEGIN:VCARD, lines inside) for every card in the file."""
    number = 0
    current: list[str] | None = None
    start = 0
    for lineno, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if _BEGIN.match(line.rstrip()):
            if current is not None:
                parsed.error(f"card {number} at line {start}", "no END:VCARD; skipped")
            number, current, start = number + 1, [], lineno
        elif current is not None and _END.match(line.rstrip()):
            yield number, start, current
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:
        parsed.error(f"card {number} at line {start}", "no END:VCARD at the end; skipped")
    if number == 0:
        raise UsageError("no vCard in this file (no BEGIN:VCARD line)")


def _without_binaries(lines: list[str]) -> list[str]:
    """Photos and the like blanked out, with their continuation lines (indented, or bare
    base64 in 2.1): they are not imported, and bad base64 must not spoil the card."""
    out = []
    skipping = False
    for line in lines:
        if _BINARY.match(line):
            skipping = True
            out.append("")
        elif skipping and (line[:1] in (" ", "\t") or ":" not in line):
            out.append("")
        else:
            skipping = False
            out.append(line)
    return out


def _props(lines: list[str]) -> list[Prop]:
    from vobject.base import ParseError, getLogicalLines, parseLine

    props = []
    stream = io.StringIO("\n".join(_without_binaries(lines)))
    for logical, _n in getLogicalLines(stream, allowQP=True):
        try:
            name, raw_params, value, group = parseLine(logical)
        except ParseError:
            raise CardError(f"cannot read the line {logical[:60]!r}") from None
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


def _record(where: str, props: list[Prop], parsed: Parsed) -> Incoming:  # noqa: C901 - one branch a property; see #16
    card = _Card(props)
    name = card.first_text("FN")
    if not name:
        for prop in card.all("N"):
            family, given, additional, _prefix, suffix = (card.parts(prop) + [""] * 5)[:5]
            name = clean(f"{given} {additional} {family} {suffix}")
            if name:
                break
    if not name:
        raise CardError("no name (FN or N)")
    rec = Incoming(where=where, name=name)
    for prop in card.all("NICKNAME"):
        for alias in card.items(prop):
            if alias.casefold() != name.casefold():
                add_unique(rec.aliases, alias)
    emails = card.all("EMAIL")
    emails.sort(key=lambda p: not (p.has_type("pref") or "PREF" in p.params))
    for prop in emails:
        add_unique(rec.emails, re.sub(r"^mailto:", "", clean(card.text(prop)), flags=re.I))
    for prop in card.all("TEL"):
        add_unique(rec.phones, re.sub(r"^tel:", "", clean(card.text(prop)), flags=re.I))
    for prop in card.all("ORG"):
        rec.company = card.parts(prop)[0] or None
        break
    rec.title = card.first_text("TITLE") or None
    for prop in card.all("URL", "X-SOCIALPROFILE"):
        url = clean(card.text(prop))
        if not url:
            continue
        if is_linkedin(url) or (prop.name == "X-SOCIALPROFILE" and prop.has_type("linkedin")):
            rec.linkedin = rec.linkedin or url
        elif prop.name == "URL":
            rec.website = rec.website or url
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
    return rec


def _dates(card: _Card, rec: Incoming, parsed: Parsed) -> None:
    for prop in card.all("BDAY"):
        rec.birthday = _yearly(card, prop, rec.where, parsed)
        break
    labels = {
        p.group.casefold(): card.text(p).casefold()
        for p in card.all("X-ABLABEL")
        if p.group is not None
    }
    for prop in card.all(*_ANNIVERSARIES, "X-ABDATE"):
        if prop.name == "X-ABDATE" and "anniversary" not in labels.get(
            (prop.group or "").casefold(), ""
        ):
            continue
        rec.anniversary = _yearly(card, prop, rec.where, parsed)
        if rec.anniversary is not None:
            break


def _yearly(card: _Card, prop: Prop, where: str, parsed: Parsed) -> YearlyDate | None:
    """A vCard date: ``19800315``, ``1980-03-15``, ``--0315``, a date-time; a year Apple
    marks as omitted (``X-APPLE-OMIT-YEAR``, or 1604) is dropped."""
    text = clean(card.text(prop))
    m = _DATE.match(text)
    if m:
        year = None if m.group(1) == "-" else int(m.group(1))
        omitted = {int(y) for y in prop.params.get("X-APPLE-OMIT-YEAR", []) if y.isdigit()}
        if year in omitted or year == APPLE_NO_YEAR:
            year = None
        month, day = int(m.group(2)), int(m.group(3))
        try:
            date(year or 2000, month, day)  # a leap year when the year is unknown
            return YearlyDate(month, day, year)
        except ValueError:
            pass
    parsed.warning(where, f"{prop.name}: {text!r} is not a date I can read; left out")
    return None
