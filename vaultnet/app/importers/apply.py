"""Carrying out an import plan: new notes, and byte-careful merges into existing ones.

A merge adds keys the note does not have, new items to its lists (a second email, another
phone, the name an email match goes by as an alias: under the key the note already uses),
new labels to ``dates`` and new numbers to ``phone_types``; for a job change it moves
``company`` and ``title`` on (and ``position_from``), keeps the previous position in
``positions`` and notes the change in the log section. ``positions`` is a YAML list of strings, oldest first, each like
``Staff Engineer at Northwind (until 2026-11-25)``: the day is the import that noticed the
change, so the job ended on or before it.

The log line reads ``- Job change noticed on 2026-11-25: A → B``. It does not start with
the date on purpose: a dated log entry counts as an interaction, and learning of a new job
is not talking to them; it is a reason to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from vaultnet.app.importers.plan import LIST_KEYS, new_items, note_fields
from vaultnet.core.config import Config
from vaultnet.core.errors import NoteError, VaultnetError
from vaultnet.core.fieldnames import FIELD_KEYS, normal_key
from vaultnet.core.incoming import Action, JobChange, Outcome, position
from vaultnet.vault.edit import (
    Lines,
    append_to_section,
    create_note,
    edit_note,
    new_note_text,
    parse_front,
    set_field,
)


def contacts_folder(vault: Path, config: Config) -> Path:
    return vault / (config.contacts_folders[0] if config.contacts_folders else "People")


def apply_plan(
    vault: Path,
    config: Config,
    actions: list[Action],
    today: date,
    progress: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Write what ``actions`` say; a note that cannot be written is an error, not the end."""
    folder = contacts_folder(vault, config)
    outcomes = []
    for action in actions:
        try:
            outcomes.append(_apply_one(vault, folder, config, action, today))
        except VaultnetError as exc:
            outcomes.append(Outcome(action, "error", action.path, str(exc)))
        if progress is not None:
            progress()
    return outcomes


def _apply_one(vault: Path, folder: Path, config: Config, action: Action, today: date) -> Outcome:
    if action.kind == "create":
        text = new_note_text(
            note_fields(action.record), body=action.record.note, log_heading=config.log_heading
        )
        path = create_note(folder, action.record.name, text)
        return Outcome(action, "created", path.relative_to(vault).as_posix())
    if action.kind == "merge":
        assert action.path is not None
        merge_into(vault / action.path, action, config.log_heading, today)
        return Outcome(action, "merged", action.path)
    return Outcome(action, "skipped", action.path)


def merge_into(path: Path, action: Action, log_heading: str, today: date) -> bool:
    """Add what ``action.adds`` names and apply its job change, in one write."""
    new = note_fields(action.record)

    def change(lines: Lines) -> None:
        for key in action.adds:
            _add(lines, parse_front(lines), key, new.get(key), action, path.stem)
        if action.job is not None:
            _apply_job(lines, parse_front(lines), action.job, log_heading, today)
            if "position_from" in new:
                set_field(lines, "position_from", new["position_from"])

    return edit_note(path, change)


# The field of the index each list key of an import stands for (see core.fieldnames).
_FIELD_OF = {"email": "emails", "phone": "phone", "aliases": "aliases"}


def _note_key(front: dict[str, Any], key: str) -> str | None:
    """The key under which the note already spells ``key``'s field (``Email``, ``emails``)."""
    spellings = FIELD_KEYS[_FIELD_OF[key]]
    for written, value in front.items():
        if normal_key(str(written)) in spellings and value not in (None, "", [], {}):
            return str(written)
    return None


def _add(
    lines: Lines, front: dict[str, Any], key: str, value: Any, action: Action, stem: str
) -> None:
    """Add ``key``'s value unless the note has it meanwhile; lists gain their new items,
    mappings (``dates``, ``phone_types``) their new labels."""
    if key in LIST_KEYS:
        _extend(lines, front, key, action, stem)
        return
    if key in ("dates", "phone_types"):
        current = front.get(key)
        if current is None:
            set_field(lines, key, value)
        elif isinstance(current, dict) and all(
            not isinstance(v, (dict, list)) for v in current.values()
        ):
            added = {k: v for k, v in value.items() if k not in current}
            if added:
                set_field(lines, key, {**current, **added})
        return
    if front.get(key) in (None, "", [], {}):
        set_field(lines, key, value)


def _extend(lines: Lines, front: dict[str, Any], key: str, action: Action, stem: str) -> None:
    rec = action.record
    incoming = {"email": rec.emails, "phone": rec.phones, "aliases": [rec.name, *rec.aliases]}
    written = _note_key(front, key)
    current = _strings(front.get(written)) if written else []
    names = [_text(front.get("name")) or stem] if key == "aliases" else []
    added = new_items(key, [*names, *current], incoming[key])
    if not added:
        return
    values = [*current, *added]
    single = len(values) == 1 and key != "aliases"  # Obsidian wants aliases as a list
    set_field(lines, written or key, values[0] if single else values)


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def _apply_job(
    lines: Lines, front: dict[str, Any], job: JobChange, log_heading: str, today: date
) -> None:
    old = position(_text(front.get("title")), _text(front.get("company")))
    entry = f"{old} (until {today.isoformat()})"
    history = front.get("positions")
    if history is None:
        positions: list[Any] = [entry]
    elif isinstance(history, list) and all(not isinstance(v, (dict, list)) for v in history):
        positions = [*history, entry]
    elif isinstance(history, (str, int, float)):
        positions = [history, entry]
    else:
        raise NoteError("`positions` is not a list of strings; not changing the job")
    set_field(lines, "positions", positions)
    if job.new_company:
        set_field(lines, "company", job.new_company)
    if job.new_title:
        set_field(lines, "title", job.new_title)
    elif "title" in front:
        drop_key(lines, "title")
    append_to_section(
        lines,
        log_heading,
        [f"- Job change noticed on {today.isoformat()}: {job.old} \u2192 {job.new}"],
    )


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value).strip() or None


def drop_key(lines: Lines, key: str) -> None:
    """Remove a top-level key (its line and indented continuation); nothing else changes."""
    before = parse_front(lines)
    bounds = lines.front_bounds()
    if bounds is None or key not in before:
        return
    pattern = re.compile(rf"^(['\"]?){re.escape(key)}\1[ \t]*:")
    for i in range(bounds[0] + 1, bounds[1]):
        if pattern.match(lines.lines[i]):
            stop = i + 1
            while stop < bounds[1] and lines.lines[stop].startswith((" ", "\t", "- ")):
                stop += 1
            del lines.lines[i:stop]
            break
    after = parse_front(lines)
    if key in after or {k: v for k, v in before.items() if k != key} != after:
        raise NoteError(f"could not remove {key!r} without changing other keys; nothing changed")
