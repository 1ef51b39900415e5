"""Formatters: data in, strings out. Only the CLI echoes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from vaultnet.core.dates import relative_days
from vaultnet.core.followups import cadence_due
from vaultnet.core.model import Contact, Interaction, PassedOver, Problem
from vaultnet.core.tuples import NamedTuple

# The front matter of the notes vaultnet generates (the dashboard, the network note): the
# mark (``vault.fsio.GENERATED_MARK``) lets it overwrite them and the index skip them.
GENERATED_FRONT = "---\ngenerated_by: vaultnet\n---\n\n"

# C0 controls but tab and newline, DEL and C1: ESC sequences could set the clipboard
# (OSC 52), the window title or clear the screen.
_CONTROL = {
    c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)
}


# The same characters as a class: most text has none of them, and a search finds that far
# faster than ``translate`` copies a report of a megabyte.
_ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL) + "]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN``: safe to print."""
    if _ANY_CONTROL.search(text) is None:
        return text
    return text.translate(_CONTROL)


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide East Asian characters and emoji take two,
    a ZWJ sequence (👩‍💻), a flag or an emoji with its variation selector one emoji,
    combining marks none."""
    if text.isascii():
        return len(text)
    # Imported here: it costs 18 ms, and a JSON report or an ASCII table never needs it.
    from wcwidth import wcswidth

    columns = wcswidth(text)
    if columns >= 0:
        return columns
    import unicodedata  # (with wcwidth: an ASCII text never needs it)

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


# A painter colours text in a style ("overdue", "today", "soon"); None: no colours.
Painter = Callable[[str, str], str]
_MIN_WRAPPED = 20


class Terminal(NamedTuple):
    """What a table knows of the terminal it goes to: a painter for colours (None: no
    colours) and its width in columns (None: no wrapping)."""

    paint: Painter | None = None
    width: int | None = None


PLAIN = Terminal()  # the last column is never wrapped narrower than this


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    styles: Sequence[str | None] | None = None,
    paint: Painter | None = None,
    max_width: int | None = None,
) -> str:
    """A plain-text table with aligned columns, every cell terminal-safe.

    ``max_width`` (the terminal's columns): the last column wraps under itself to fit.
    ``paint`` colours each row in its ``styles`` entry (after padding, so colours never
    shift the columns)."""
    styled = ((row, styles[n] if styles is not None else None) for n, row in enumerate(rows))
    return "\n".join(_table_lines(_pack(headers, styled), paint, max_width))


class _Packed(NamedTuple):
    """A table's terminal-safe headers and rows, and the widths of its columns. A row is
    kept as one string, its cells joined by NUL (no terminal-safe cell holds one): a
    table of 50,000 rows holds 50,000 strings, not a quarter of a million."""

    headers: list[str]
    widths: list[int]
    rows: list[str]
    styles: list[str | None]


def _pack(headers: Sequence[str], rows: Iterable[tuple[Sequence[str], str | None]]) -> _Packed:
    """``rows`` (cells and style) taken one at a time, made terminal-safe and measured."""
    safe_headers = [terminal_safe(h) for h in headers]
    widths = [width(h) for h in safe_headers]
    packed: list[str] = []
    styles: list[str | None] = []
    for row, style in rows:
        cells = [terminal_safe(c) for c in row]
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], width(cell))
        packed.append("\0".join(cells))
        styles.append(style)
    return _Packed(safe_headers, widths, packed, styles)


def _table_lines(t: _Packed, paint: Painter | None, max_width: int | None) -> Iterator[str]:
    """The lines of the table ``t``: headers, the rule, then every row (wrapped)."""
    widths = t.widths
    last = _last_column_width(widths, max_width)

    def lines(cells: Sequence[str], style: str | None = None) -> list[str]:
        parts = _wrap(cells[-1], last) if last < widths[-1] else [cells[-1]]
        out = []
        for n, part in enumerate(parts):
            shown = [*(cells[:-1] if n == 0 else [""] * (len(cells) - 1)), part]
            padded = [c + " " * (widths[i] - width(c)) for i, c in enumerate(shown)]
            text = "  ".join(padded).rstrip()
            out.append(paint(text, style) if paint is not None and style else text)
        return out

    yield from lines(t.headers)
    yield "  ".join("-" * w for w in [*widths[:-1], last])
    for row, style in zip(t.rows, t.styles, strict=True):
        yield from lines(row.split("\0"), style)


def _pieces(lines: Iterable[str], size: int = 500) -> Iterator[str]:
    """``lines`` joined by newlines, ``size`` lines a piece: the pieces, joined, are
    ``"\\n".join(lines)``."""
    group: list[str] = []
    first = True
    for line in lines:
        group.append(line)
        if len(group) == size:
            yield ("" if first else "\n") + "\n".join(group)
            first, group = False, []
    if group or first:
        yield ("" if first else "\n") + "\n".join(group)


def _last_column_width(widths: list[int], max_width: int | None) -> int:
    """How wide the last column may be to fit ``max_width`` (never below _MIN_WRAPPED)."""
    if max_width is None:
        return widths[-1]
    room = max_width - sum(widths[:-1]) - 2 * (len(widths) - 1)
    return min(widths[-1], max(room, _MIN_WRAPPED))


def _wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` (a longer word keeps its own line)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and width(candidate) > columns:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def to_json(value: Any) -> str:
    """Pretty JSON; a list has one compact object a line (``indent`` would take the
    pure-Python encoder: 10x slower on a list of thousands)."""
    if isinstance(value, list) and value:
        encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
        return "[\n" + ",\n".join("  " + encode(item) for item in value) + "\n]"
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def json_list_pieces(batches: Iterable[Iterable[Any]]) -> Iterator[str]:
    """``to_json`` of a list given a batch of items at a time, in pieces: joined, they are
    ``to_json`` of every item (``[]`` when there is none)."""
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    first = True
    for batch in batches:
        items = ",\n".join("  " + encode(item) for item in batch)
        if items:
            yield ("[\n" if first else ",\n") + items
            first = False
    yield "[]" if first else "\n]"


def last_contact_words(c: Contact, today: date) -> str:
    if c.last_contact is None:
        return "never"
    return relative_days(c.last_contact, today)


def cadence_words(days: int | None) -> str:
    if days is None:
        return ""
    for unit, size in (("year", 365), ("month", 30), ("week", 7)):
        if days % size == 0:
            n = days // size
            return f"every {n} {unit}s" if n > 1 else f"every {unit}"
    return f"every {days} days" if days > 1 else "every day"


def contact_json(c: Contact) -> dict[str, Any]:
    """The stable JSON shape of a contact (``list --format json``)."""
    return {
        "name": c.name,
        "path": c.path,
        "kind": c.kind,
        "company": c.company,
        "title": c.title,
        "emails": c.emails,
        "phone": c.phone,
        "linkedin": c.linkedin,
        "location": c.location,
        "tags": c.tags,
        "aliases": c.aliases,
        "birthday": None if c.birthday is None else str(c.birthday),
        "work_anniversary": None if c.work_anniversary is None else str(c.work_anniversary),
        "dates": {k: str(v) for k, v in c.dates.items()},
        "last_contact": None if c.last_contact is None else c.last_contact.isoformat(),
        "cadence_days": c.cadence_days,
        "snooze_until": None if c.snooze_until is None else c.snooze_until.isoformat(),
        "introduced_by": c.introduced_by,
        "archived": c.archived,
        "deceased": c.deceased,
        "private": c.private,
    }


def index_json(counts: dict[str, int], parsed: int, removed: int, seconds: float) -> str:
    """``index --format json``: what the index holds and what the update did."""
    return to_json(
        {
            "contacts": counts["contacts"],
            "notes": counts["notes"],
            "problems": counts["problems"],
            "parsed": parsed,
            "removed": removed,
            "seconds": round(seconds, 3),
        }
    )


def card_json(
    c: Contact,
    interactions: Sequence[Interaction],
    vault_name: str,
    passed: Sequence[PassedOver] | None = None,
) -> dict[str, Any]:
    """``show --format json``: the contact's stable shape (``contact_json``), how its last
    contact is known, its recent interactions, open tasks and the Obsidian URI; with
    ``passed`` (``--why``), the links that are no interaction."""
    out = contact_json(c)
    out["last_contact_how"] = c.last_contact_how
    out["last_contact_where"] = c.last_contact_where
    out["fields"] = c.fields
    out["interactions"] = [
        {"date": when, "how": how, "text": text, "where": where}
        for when, how, text, where in interactions
    ]
    out["open_tasks"] = [
        {
            "text": t.text,
            "due": t.due.isoformat() if t.due else None,
            "path": t.path,
            "line": t.line,
        }
        for t in c.open_tasks
    ]
    out["obsidian_uri"] = obsidian_uri(vault_name, c.path)
    if passed is not None:
        out["not_counted"] = [
            {"date": when, "path": path, "line": line, "why": why}
            for when, path, line, why in passed
        ]
    return out


def contacts_table(
    contacts: Sequence[Contact],
    today: date,
    max_width: int | None = None,
    paint: Painter | None = None,
) -> str:
    """``list``: a row a contact; with ``paint``, the rows of contacts whose check-in is
    overdue or due today in those colours."""
    return "".join(contacts_table_pieces([contacts], today, max_width, paint))


def contacts_table_pieces(
    batches: Iterable[Sequence[Contact]],
    today: date,
    max_width: int | None = None,
    paint: Painter | None = None,
) -> Iterator[str]:
    """``contacts_table`` of every contact of ``batches``, in pieces: each contact's row is
    kept as its short strings (the columns' widths need every row), never the contact."""
    rows = (
        (
            [
                c.name,
                c.kind or "",
                _job(c),
                last_contact_words(c, today),
                cadence_words(c.cadence_days),
            ],
            _due_style(c, today) if paint is not None else None,
        )
        for batch in batches
        for c in batch
    )
    packed = _pack(["Name", "Kind", "Work", "Last contact", "Cadence"], rows)
    if not packed.rows:
        yield "No contacts found."
        return
    yield from _pieces(_table_lines(packed, paint, max_width))


def contacts_json_pieces(batches: Iterable[Iterable[Contact]]) -> Iterator[str]:
    """``list --format json`` in pieces: joined, ``to_json`` of every contact's
    ``contact_json``."""
    return json_list_pieces((contact_json(c) for c in batch) for batch in batches)


def _due_style(c: Contact, today: date) -> str | None:
    """ "overdue" or "today" when the contact's check-in is (by cadence and snooze), else None."""
    due = cadence_due(c, today)
    if due is None or due > today or c.archived or c.deceased:
        return None
    return "overdue" if due < today else "today"


def _job(c: Contact) -> str:
    if c.title and c.company:
        return f"{c.title}, {c.company}"
    return c.title or c.company or ""


_SHOWN = (
    "name",
    "aliases",
    "kind",
    "company",
    "title",
    "email",
    "emails",
    "phone",
    "linkedin",
    "location",
    "tags",
    "birthday",
    "work_anniversary",
    "dates",
    "cadence",
    "last_contact",
    "snooze_until",
    "introduced_by",
    "how_met",
    "archived",
    "deceased",
    "private",
)


def obsidian_uri(vault_name: str, path: str) -> str:
    """The ``obsidian://open`` URI of the note ``path`` (vault-relative) in the vault
    named ``vault_name`` (Obsidian names a vault by its folder)."""
    from urllib.parse import quote

    file = path[:-3] if path.lower().endswith(".md") else path
    return f"obsidian://open?vault={quote(vault_name, safe='')}&file={quote(file, safe='')}"


def contact_card(
    c: Contact,
    interactions: Sequence[Interaction],
    today: date,
    vault_name: str | None = None,
    paint: Painter | None = None,
) -> str:
    """``show``: every field (known and unknown), last contact, recent interactions, open
    tasks; with ``vault_name``, the URI that opens the note in Obsidian. Terminal-safe;
    with ``paint``, an overdue (or due today) check-in and overdue tasks in colour."""

    def shown(text: str, style: str | None = None) -> str:
        safe = terminal_safe(text)
        return paint(safe, style) if paint is not None and style else safe

    lines = [shown(c.name), "=" * width(c.name), shown(f"file: {c.path}")]
    if vault_name is not None:
        lines.append(shown(f"open: {obsidian_uri(vault_name, c.path)}"))
    lines += [*(shown(line) for line in _card_fields(c)), ""]
    lines.append(shown(f"Last contact: {_last_contact_line(c, today)}", _due_style(c, today)))
    if interactions:
        lines += ["", "Recent interactions:"]
        for when, how, text, where in interactions:
            what = text if how == "log" else f"mentioned in {where}"
            lines.append(shown(f"  {when}  {what}"))
    if c.open_tasks:
        lines += ["", "Open tasks:"]
        for t in c.open_tasks:
            due = f" (due {t.due.isoformat()}, {relative_days(t.due, today)})" if t.due else ""
            style = None if t.due is None or t.due > today else _task_style(t.due, today)
            lines.append(shown(f"  [ ] {t.text}{due}  — {t.path}:{t.line}", style))
    return "\n".join(lines)


def _task_style(due: date, today: date) -> str:
    return "overdue" if due < today else "today"


def _card_fields(c: Contact) -> list[str]:
    """The card's field lines: known fields in their order, then the note's other keys."""
    lines = []
    if c.kind:
        lines.append(f"kind: {c.kind}")
    if _job(c):
        lines.append(f"work: {_job(c)}")
    for key in _SHOWN:
        if key in ("name", "kind", "company", "title", "cadence") or key not in c.fields:
            continue
        lines.append(f"{key}: {_field_text(c.fields[key])}")
    for key, value in c.fields.items():
        if key not in _SHOWN:
            lines.append(f"{key}: {_field_text(value)}")
    if c.cadence_days:
        lines.append(f"cadence: {cadence_words(c.cadence_days)} ({c.cadence_source})")
    return lines


def _last_contact_line(c: Contact, today: date) -> str:
    if c.last_contact is None:
        return "never"
    how = {
        "log": "log entry",
        "mention": f"mentioned in {c.last_contact_where}",
        "field": "last_contact field",
    }.get(c.last_contact_how or "", "")
    return f"{c.last_contact.isoformat()} ({relative_days(c.last_contact, today)}; {how})"


def _field_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_field_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_field_text(v)}" for k, v in value.items())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def problems_text(problems: Sequence[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def problems_json(problems: Sequence[Problem]) -> str:
    return to_json([{"path": p.path, "line": p.line, "message": p.message} for p in problems])


def passed_over_text(links: Sequence[PassedOver]) -> str:
    """``show --why``: the links that do not count as interactions, and why."""
    if not links:
        return "\nNot counted: nothing (every note that links them is an interaction)."
    lines = ["", "Not counted as interactions:"]
    for when, path, line, why in links:
        lines.append(f"  {when or 'no date':<10}  {path}:{line}  — {why}")
    return "\n".join(lines)
