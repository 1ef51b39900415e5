"""Formatters for ``followups`` and ``upcoming``: data in, strings out."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from vaultnet.core import links
from vaultnet.core.followups import FollowUp
from vaultnet.core.model import Contact
from vaultnet.core.occasions import Occasion
from vaultnet.core.patterns import lazy
from vaultnet.render.text import (
    GENERATED_FRONT,
    PLAIN,
    Terminal,
    last_contact_words,
    table,
    to_json,
)


def followups_json(items: Sequence[FollowUp]) -> str:
    """``to_json`` of each ``followup_dict``, written a line at a time: the same bytes, with
    no dict to build and no encoder to set up per follow-up and per reason."""
    return json_of_lines(list(map(followup_line, items)))


def json_of_lines(lines: Sequence[str]) -> str:
    """The JSON list of these items, each written on its line by ``followup_line``."""
    if not lines:
        return to_json([])
    return "[\n  " + ",\n  ".join(lines) + "\n]"


# How ``json`` writes a string without ensure_ascii (its C encoder, when there is one).
_STR: Callable[[str], str] = json.encoder.encode_basestring
_ANY = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _text(value: str | None) -> str:
    return "null" if value is None else _STR(value)


def _int(value: int | None) -> str:
    if value is None:
        return "null"
    return str(value) if type(value) is int else _ANY(value)


def _day(value: date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def followup_line(f: FollowUp) -> str:
    """``followup_dict(f)`` as ``to_json`` writes it on its line (a test holds them equal)."""
    c = f.contact
    reasons = ", ".join(
        f'{{"type": {_STR(r.type)}, "date": "{r.date.isoformat()}", "text": {_STR(r.text)},'
        f' "label": {_text(r.label)}, "years": {_int(r.years)}}}'
        for r in f.reasons
    )
    return (
        f'{{"name": {_STR(c.name)}, "path": {_STR(c.path)}, "kind": {_text(c.kind)},'
        f' "last_contact": {_day(c.last_contact)}, "cadence_days": {_int(c.cadence_days)},'
        f' "due": {_day(f.due)}, "reasons": [{reasons}]}}'
    )


def followup_dict(f: FollowUp) -> dict[str, Any]:
    """The stable JSON shape of one follow-up (pinned by a test)."""
    c = f.contact
    return {
        "name": c.name,
        "path": c.path,
        "kind": c.kind,
        "last_contact": None if c.last_contact is None else c.last_contact.isoformat(),
        "cadence_days": c.cadence_days,
        "due": None if f.due is None else f.due.isoformat(),
        "reasons": [
            {
                "type": r.type,
                "date": r.date.isoformat(),
                "text": r.text,
                "label": r.label,
                "years": r.years,
            }
            for r in f.reasons
        ],
    }


def urgency(day: date, today: date) -> str:
    """The style of a row whose most urgent date is ``day``: overdue, today or soon."""
    return "overdue" if day < today else "today" if day == today else "soon"


def followups_table(items: Sequence[FollowUp], today: date, term: Terminal = PLAIN) -> str:
    if not items:
        return "Nobody to follow up with. Enjoy the quiet."
    rows: list[list[str]] = []
    styles: list[str | None] = []
    for f in items:
        c = f.contact
        first = [c.name, c.kind or "", last_contact_words(c, today)]
        style = urgency(f.first_date, today)
        for i, r in enumerate(f.reasons):
            rows.append([*(first if i == 0 else ["", "", ""]), r.text])
            styles.append(style)
    return table(
        ["Name", "Kind", "Last contact", "Why"],
        rows,
        styles=styles,
        paint=term.paint,
        max_width=term.width,
    )


def wikilink(c: Contact) -> str:
    """``[[stem]]`` or ``[[stem|Name]]``, the way Obsidian links a note. A name cannot break
    out of the link nor the line (``Dan]] [[Eve``, a newline and a planted task); a file
    name that no link can hold is shown as text."""
    name = one_line(_LINK_UNSAFE.sub("", c.name)) or links.note_name(c.path)
    stem = links.note_name(c.path)
    if _LINK_UNSAFE.search(stem) or stem != one_line(stem):
        return markdown_text(name)
    return links.wikilink(c.path, name)


_LINK_UNSAFE = lazy(r"\[\[|\]\]|[\[\]|]", namespace=globals(), name="_LINK_UNSAFE")
_MD_SPECIAL = lazy(r"([\\`*_{}\[\]<>#|!~])", namespace=globals(), name="_MD_SPECIAL")


def one_line(text: str) -> str:
    """Text on one line: runs of whitespace (newlines, tabs) become one space."""
    return " ".join(text.split())


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written: one line, its markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def followups_markdown(items: Sequence[FollowUp], today: date, days: int) -> str:
    """A dashboard note Obsidian renders as is."""
    lines = [
        GENERATED_FRONT + "# Follow-ups",
        "",
        f"*Written by vaultnet for {today:%a} {today.day} {today:%b %Y}, looking {days} days ahead."
        " Regenerated on each run: edits here are overwritten.*",
        "",
    ]
    if not items:
        lines.append("Nobody to follow up with.")
    for f in items:
        kind = f" ({markdown_text(f.contact.kind)})" if f.contact.kind else ""
        lines.append(
            f"- {wikilink(f.contact)}{kind}, last contact {last_contact_words(f.contact, today)}"
        )
        lines.extend(f"    - {_escape_md(r.text)}" for r in f.reasons)
    return "\n".join(lines) + "\n"


def _escape_md(text: str) -> str:
    return one_line(text).replace("|", "\\|")


def upcoming_json(items: Sequence[tuple[Contact, Occasion]]) -> str:
    return to_json(
        [
            {
                "date": o.date.isoformat(),
                "type": o.type,
                "label": o.label,
                "name": c.name,
                "path": c.path,
                "years": o.years,
            }
            for c, o in items
        ]
    )


def upcoming_table(
    items: Sequence[tuple[Contact, Occasion]], today: date, term: Terminal = PLAIN
) -> str:
    if not items:
        return "No birthdays or anniversaries coming up."
    rows = [
        [f"{o.date:%a} {o.date.isoformat()}", _when(o.date, today), c.name, o.words(c)]
        for c, o in items
    ]
    styles = [
        "today" if o.date == today else "soon" if (o.date - today).days < 7 else None
        for _, o in items
    ]
    return table(
        ["Date", "When", "Name", "Occasion"],
        rows,
        styles=styles,
        paint=term.paint,
        max_width=term.width,
    )


def upcoming_markdown(items: Sequence[tuple[Contact, Occasion]], today: date) -> str:
    """``upcoming --format markdown``: a list Obsidian renders, each name a link."""
    lines = [f"# Coming up from {today.isoformat()}", ""]
    if not items:
        lines.append("No birthdays or anniversaries coming up.")
    for c, o in items:
        lines.append(
            f"- {o.date:%a} {o.date.isoformat()} ({_when(o.date, today)}): {wikilink(c)},"
            f" {_escape_md(o.words(c))}"
        )
    return "\n".join(lines) + "\n"


def _when(d: date, today: date) -> str:
    delta = (d - today).days
    return "today" if delta == 0 else "tomorrow" if delta == 1 else f"in {delta} days"


# -- the formats of the commands: each gives the whole output, its last newline included ----

# Each takes the terminal as a last, optional argument (colours and width: tables only).
FollowUpsFormat = Callable[[Sequence[FollowUp], date, int, Terminal], str]
UpcomingFormat = Callable[[Sequence[tuple[Contact, Occasion]], date, Terminal], str]

FOLLOWUPS_FORMATS: dict[str, FollowUpsFormat] = {
    "table": lambda items, today, days, term: followups_table(items, today, term) + "\n",
    "json": lambda items, today, days, term: followups_json(items) + "\n",
    "markdown": lambda items, today, days, term: followups_markdown(items, today, days),
}

UPCOMING_FORMATS: dict[str, UpcomingFormat] = {
    "table": lambda items, today, term: upcoming_table(items, today, term) + "\n",
    "json": lambda items, today, term: upcoming_json(items) + "\n",
    "markdown": lambda items, today, term: upcoming_markdown(items, today),
}
