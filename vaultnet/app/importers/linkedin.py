"""LinkedIn's ``Connections.csv`` (Settings > Data privacy > Get a copy of your data).

The file may start with a few lines of notes before the header row
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; the email is
empty unless the connection allows sharing it; "Connected On" reads ``25 Nov 2026``.
"""

from __future__ import annotations

import re
from datetime import date

from vaultnet.app.importers import clean
from vaultnet.app.importers.tabular import records
from vaultnet.core.incoming import Incoming, Parsed

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
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?[ ,-]*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_connected_on(text: str) -> date:
    """``25 Nov 2026`` (English month names, whatever the locale) or ``2026-11-25``."""
    value = clean(text)
    m = _DAY_MONTH_YEAR.match(value)
    if m and m.group(2).casefold() in _MONTHS:
        return date(int(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    m = _ISO.match(value)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(f"{value!r} is not a date like '25 Nov 2026'")


def _is_header(keys: list[str]) -> bool:
    return "first name" in keys and "last name" in keys


def parse(text: str, parsed: Parsed) -> None:
    """Append one record per connection to ``parsed``."""
    for line, row in records(text, parsed, _is_header, HEADER):
        where = f"line {line}"
        name = clean(f"{row.get('first name', '')} {row.get('last name', '')}")
        if not name:
            parsed.error(where, "no first or last name; skipped")
            continue
        rec = Incoming(where=where, name=name, tags=[TAG])
        email = clean(row.get("email address"))
        if email:
            rec.emails.append(email)
        rec.linkedin = clean(row.get("url")) or None
        rec.company = clean(row.get("company")) or None
        rec.title = clean(row.get("position")) or None
        connected = clean(row.get("connected on"))
        if connected:
            try:
                rec.connected_on = parse_connected_on(connected)
            except ValueError as exc:
                parsed.warning(where, f"Connected On: {exc}; left out")
        parsed.records.append(rec)
