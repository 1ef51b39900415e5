"""LinkedIn's ``Connections.csv`` (Settings > Data privacy > Get a copy of your data).

The file may start with a few lines of notes before the header row
``First Name,Last Name,URL,Email Address,Company,Position,Connected On`` (exports before
2019 have no ``URL``). The email is empty unless the connection allows sharing it; 2018
exports put the member's id there (``urn:li:member:664293716``), which is kept as the
LinkedIn identity, never as an email. Members who hide their profile come as rows with
nothing but the date; they are counted, not imported.

"Connected On" has changed over the years: ``12 Mar 2024`` today, ``23-Apr-23`` and
``06-May-22`` in between, ``1/8/18, 6:14 PM`` (month first) in 2018.

Names are cleaned of what members decorate them with (credentials such as ``CFP®``,
pronouns, emoji, parenthesised notes); the name as LinkedIn wrote it becomes an alias.
"""

from __future__ import annotations

import re
from datetime import date

from vaultnet.app.importers import add_unique, clean, decode_bytes
from vaultnet.app.importers.tabular import records
from vaultnet.core.incoming import Incoming, Parsed
from vaultnet.core.names import plain_name

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
TAG = "linkedin"

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ ,-]*(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# 2018 exports: month/day/two-digit year, perhaps with a time of day.
_US = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)?$", re.I
)
_MEMBER_URN = re.compile(r"^urn:li:(?:member|person):\S+$", re.IGNORECASE)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def parse_connected_on(text: str) -> date:
    """``12 Mar 2024``, ``23-Apr-23``, ``1/8/18, 6:14 PM`` (month first) or ``2024-03-12``;
    English month names whatever the locale."""
    value = clean(text)
    m = _DAY_MONTH_YEAR.match(value)
    if m and m.group(2).casefold() in _MONTHS:
        return date(_year(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    m = _US.match(value)
    if m:
        return date(_year(m.group(3)), int(m.group(1)), int(m.group(2)))
    m = _ISO.match(value)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(f"{value!r} is not a date like '12 Mar 2024'")


def is_header(keys: list[str]) -> bool:
    """LinkedIn's own header: the names and at least one of its other columns, and none of
    Google's numbered ``... - Value`` columns."""
    return (
        "first name" in keys
        and "last name" in keys
        and bool({"connected on", "position"} & set(keys))
        and not any(k.endswith(" - value") for k in keys)
    )


def parse(data: bytes, parsed: Parsed) -> None:
    """Append one record per connection to ``parsed``."""
    hidden = 0
    bad_dates: list[str] = []
    for line, row in records(decode_bytes(data, parsed), parsed, is_header, HEADER, "linkedin"):
        where = f"line {line}"
        rec = _record(where, row)
        if rec is None:
            hidden += 1
            continue
        if not rec.given and rec.emails and rec.name == rec.emails[0]:
            parsed.warning(where, f"no first or last name; named after its email {rec.name!r}")
        connected = clean(row.get("connected on"))
        if connected:
            try:
                rec.connected_on = parse_connected_on(connected)
            except ValueError:
                bad_dates.append(where)
        parsed.records.append(rec)
    if hidden:
        parsed.warning(
            None,
            f"{hidden} row{'s' if hidden > 1 else ''} with no name: hidden profiles"
            " (members who do not share their data); skipped",
        )
    if bad_dates:
        shown = ", ".join(bad_dates[:5]) + (", ..." if len(bad_dates) > 5 else "")
        parsed.warning(
            None,
            f"Connected On could not be read in {len(bad_dates)} row"
            f"{'s' if len(bad_dates) > 1 else ''} ({shown}); left out",
        )


def _record(where: str, row: dict[str, str]) -> Incoming | None:
    """The connection of one row; None for a hidden profile (no name and no email)."""
    given, family = clean(row.get("first name")), clean(row.get("last name"))
    written = clean(f"{given} {family}")
    email = clean(row.get("email address"))
    url = clean(row.get("url"))
    if _MEMBER_URN.match(email):
        url, email = url or email, ""
    name = clean(f"{plain_name(given) if given else ''} {plain_name(family) if family else ''}")
    if not name:
        if not email:
            return None
        name = email
    rec = Incoming(where=where, name=name, tags=[TAG])
    if written and written != name:
        add_unique(rec.aliases, written)
    if given and family:
        rec.given, rec.family = plain_name(given), plain_name(family)
    if email:
        rec.emails.append(email)
    rec.linkedin = url or None
    rec.company = clean(row.get("company")) or None
    rec.title = clean(row.get("position")) or None
    return rec
