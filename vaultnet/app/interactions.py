"""Writing interactions found outside the notes as plain dated notes, one a day and source:
``Interactions/2026/2026-11-20 Mail.md``.

Each note holds ``date:`` and the short ids of what it records in its front matter, and one
line per contact (``- ✉️ [[Ann Lee]] — Re: Q1 roadmap``). An import again reads the ids
back and adds only what is new; a note the user edited gets lines added at its end, with
the byte care of ``log`` (``vault.edit``), never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path

from vaultnet.core.config import Config
from vaultnet.core.errors import NoteError, WriteError
from vaultnet.core.interactions import (
    CALENDAR,
    MAIL,
    AddressBook,
    DayEntries,
    MailBook,
    MailDays,
    NotePlan,
    Outcome,
    Person,
    Source,
    Stranger,
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


def mail_book(index: Index) -> MailBook:
    """Every contact by email address, as ``import mail`` matches them."""
    return MailBook.of((c.path, c.name, c.emails) for c in index.stored_contacts())


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
        plan, known = plan_day(vault, config, source, day, entries.ids, entries.lines, subjects)
        already += known
        if plan is not None:
            plans.append(plan)
    return plans, already


def plan_day(
    vault: Path,
    config: Config,
    source: Source,
    day: date,
    ids: set[str],
    lines: Mapping[Person, str],
    subjects: bool = True,
) -> tuple[NotePlan | None, int]:
    """What the day's note lacks of ``ids`` and ``lines`` (the text for each contact), None
    when nothing is new; and how many of ``ids`` the note records already."""
    rel = note_path(config, source, day)
    known, linked, exists = _read_note(vault / rel, source)
    new_ids = sorted(ids - known)
    already = len(ids) - len(new_ids)
    if not new_ids:
        return None, already
    fresh = {p: t for p, t in lines.items() if _key(p) not in linked}
    shown = [
        entry_line(source.emoji, p.link, t if subjects else None)
        for p, t in sorted(fresh.items(), key=lambda pt: (fold(pt[0].name), pt[0].path))
    ]
    return NotePlan(rel, day, not exists, shown, new_ids, already), already


def recorded_ids(vault: Path, config: Config, source: Source, day: date) -> set[str]:
    """The ids the day's note records (none when there is no such note)."""
    return _read_note(vault / note_path(config, source, day), source)[0]


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
    return [write_note(vault, source, plan) for plan in plans]


def write_note(vault: Path, source: Source, plan: NotePlan) -> Outcome:
    """Create the note or add to it; an error of its own when it cannot be written."""
    try:
        changed = _write(vault / plan.path, source, plan)
    except (NoteError, WriteError) as exc:
        return Outcome(plan.path, "error", exc.message)
    status = "created" if plan.new else "updated" if changed else "unchanged"
    return Outcome(plan.path, status)


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


class StreamedRun:
    """An import of mail whose notes are planned (and, unless a dry run, written) one day
    at a time as its report reads them, once: a plan of any length is never held whole."""

    def __init__(
        self,
        vault: Path,
        config: Config,
        source: Source,
        tally: tuple[dict[str, int], list[Stranger]],
        found: tuple[MailDays, list[Person]],
        *,
        subjects: bool = True,
        dry_run: bool = False,
    ) -> None:
        self.vault, self.config, self.source = vault, config, source
        self.counts, self.strangers = tally
        self._days, self._people = found
        self._subjects = subjects
        self.dry_run = dry_run
        self._already: int | None = None  # known once counted, or once the notes were read
        self._errors: list[Outcome] = []

    def notes(self) -> Iterator[tuple[NotePlan, Outcome | None]]:
        already = 0
        where = (self.vault, self.config, self.source)
        for day, ids, lines in self._days.drain(self._people):
            plan, known = plan_day(*where, day, ids, lines, self._subjects)
            already += known
            if plan is None:
                continue
            outcome = None if self.dry_run else write_note(self.vault, self.source, plan)
            if outcome is not None and outcome.status == "error":
                self._errors.append(outcome)
            yield plan, outcome
        self._already = already

    def already_imported(self) -> int:
        if self._already is None:  # before the notes: counted from what they record
            self._already = sum(
                len(ids & recorded_ids(self.vault, self.config, self.source, day))
                for day, ids in self._days.ids()
            )
        return self._already

    def errors(self) -> list[Outcome]:
        return list(self._errors)
