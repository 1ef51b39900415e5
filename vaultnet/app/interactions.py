"""Writing interactions found outside the notes as plain dated notes, one a day and source:
``Interactions/2026/2026-11-20 Mail.md``.

Each note holds ``date:`` and the short ids of what it records in its front matter, and one
line per contact (``- ✉️ [[Ann Lee]] — Re: Q1 roadmap``). An import again reads the ids
back and adds only what is new; a note the user edited gets lines added at its end, with
the byte care of ``log`` (``vault.edit``), never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from vaultnet.core.config import Config
from vaultnet.core.errors import NoteError, WriteError
from vaultnet.core.interactions import (
    CALENDAR,
    MAIL,
    AddressBook,
    DayEntries,
    NotePlan,
    Outcome,
    Person,
    Source,
    entry_line,
)
from vaultnet.core.links import link_keys, note_name
from vaultnet.core.names import fold
from vaultnet.core.yamltext import yaml_entry
from vaultnet.store.index import Index
from vaultnet.vault.edit import Lines, edit_note, parse_front, set_field
from vaultnet.vault.frontmatter import decode, split_front_matter
from vaultnet.vault.fsio import atomic_write

# (done, total) -> None: how far the reading has come, for a progress bar.
Progress = Callable[[int, int], None]


def address_book(index: Index) -> AddressBook:
    """Every contact by email address and by name."""
    return AddressBook.of((c.path, c.name, c.emails, c.aliases) for c in index.stored_contacts())


def note_path(config: Config, source: Source, day: date) -> str:
    folder = str(config["interactions_folder"]).strip("/")
    return f"{folder}/{day.year:04d}/{day.isoformat()} {source.title}.md"


_SOURCES = (MAIL, CALENDAR)
_UNESCAPE = re.compile(r"\\([\\\[\]#<>`%])")


def recorded_text(vault: Path, config: Config, note: str, contact_path: str) -> str | None:
    """What the line of an interactions note (``note``, vault-relative, written by ``import
    mail`` or ``import calendar``) that links the contact says: ``Re: Q1 roadmap`` for
    ``- ✉️ [[Ann Lee]] — Re: Q1 roadmap``. None when ``note`` is no such note, or its line
    has no text (``--no-subjects``)."""
    folder = str(config["interactions_folder"]).strip("/") + "/"
    titles = tuple(f" {s.title}.md" for s in _SOURCES)
    if not note.startswith(folder) or not note.endswith(titles):
        return None
    try:
        body = split_front_matter(decode((vault / note).read_bytes())).body
    except (OSError, UnicodeDecodeError):
        return None
    wanted = fold(note_name(contact_path))
    marks = tuple(f"- {s.emoji} " for s in _SOURCES)
    for line in body.splitlines():
        if line.startswith(marks) and wanted in link_keys(line, ""):
            text = line.partition(" \u2014 ")[2]
            return _UNESCAPE.sub(r"\1", text).strip() or None
    return None


def plan_notes(
    vault: Path,
    config: Config,
    source: Source,
    days: dict[date, DayEntries],
    subjects: bool = True,
) -> tuple[list[NotePlan], int]:
    """For each day, the lines and ids its note lacks (days with nothing new left out), and
    how many of the items the notes record already."""
    plans = []
    already = 0
    for day in sorted(days):
        entries = days[day]
        rel = note_path(config, source, day)
        known, linked, exists = _read_note(vault / rel, source)
        new_ids = sorted(entries.ids - known)
        already += len(entries.ids) - len(new_ids)
        if not new_ids:
            continue
        fresh = {p: t for p, t in entries.lines.items() if _key(p) not in linked}
        lines = [
            entry_line(source.emoji, p.link, t if subjects else None)
            for p, t in sorted(fresh.items(), key=lambda pt: (fold(pt[0].name), pt[0].path))
        ]
        plans.append(
            NotePlan(rel, day, not exists, lines, new_ids, len(entries.ids) - len(new_ids))
        )
    return plans, already


def _key(person: Person) -> str:
    return fold(note_name(person.path))


def _read_note(path: Path, source: Source) -> tuple[set[str], set[str], bool]:
    """(ids the note records, keys of the notes its body links, whether it exists)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return set(), set(), False
    try:
        parts = split_front_matter(decode(data))
        front = parse_front(Lines(decode(data)))
    except (UnicodeDecodeError, NoteError):
        return set(), set(), True  # written later through edit_note, which says why not
    return _ids(front.get(source.ids_key)), set(link_keys(parts.body, "")), True


def _ids(value: object) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list):
        return {str(v) for v in value}
    return set()


def write_notes(vault: Path, source: Source, plans: list[NotePlan]) -> list[Outcome]:
    """Create the new notes and add to the others; a note that cannot be written is an
    error of its own, and the rest are still written."""
    outcomes = []
    for plan in plans:
        try:
            changed = _write(vault / plan.path, source, plan)
        except (NoteError, WriteError) as exc:
            outcomes.append(Outcome(plan.path, "error", exc.message))
            continue
        status = "created" if plan.new else "updated" if changed else "unchanged"
        outcomes.append(Outcome(plan.path, status))
    return outcomes


def _write(path: Path, source: Source, plan: NotePlan) -> bool:
    if plan.new:
        text = (
            "---\n"
            + "".join(yaml_entry("date", plan.day))
            + "".join(yaml_entry(source.ids_key, " ".join(plan.ids)))
            + "---\n"
            + "".join(f"{line}\n" for line in plan.lines)
        )
        return atomic_write(path, text.encode("utf-8"), create=True)

    def change(lines: Lines) -> None:
        known = _ids(parse_front(lines).get(source.ids_key))
        ids = sorted(known | set(plan.ids))
        if len(ids) > len(known):
            set_field(lines, source.ids_key, " ".join(ids))
        if plan.lines:
            lines.ensure_line_ends()
            nl = lines.newline
            lines.lines.extend(f"{line}{nl}" for line in plan.lines)
            lines.restore_final_newline()

    return edit_note(path, change)
