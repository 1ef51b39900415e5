"""A parsed note as the rows the index stores of it, in plain tuples: cheap to build, to
compare and to pickle (a forked worker sends them back: ``store.parallel``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from vaultnet.core.model import ParsedNote
from vaultnet.core.names import fold
from vaultnet.store.contactschema import contact_row
from vaultnet.vault.scan import FileStat

# A note as the rows it stores, without ids, in plain tuples (cheap to pickle):
# (path, mtime_ns, size, None) for a note that vanished, else (path, mtime_ns, size,
# (date, contact row after its id or None, ((key, source), ...), logs, tasks, links,
# problems, front matter broken)); each row without its note id, a task
# (line, text, due, done, (key, ...)).
NoteRows = tuple[str, int, int, "tuple[Any, ...] | None"]


def note_rows(stat: FileStat, note: ParsedNote | None) -> NoteRows:
    """What ``Reconcile._store_many`` stores of one parsed note (see ``NoteRows``)."""
    if note is None:
        return (stat.path, stat.mtime_ns, stat.size, None)
    c = note.contact
    crow = None
    keys: tuple[tuple[str, str], ...] = ()
    if c is not None:
        crow = contact_row(0, stat.path, c, note.front)[1:]
        found = {(fold(note.stem), "file"), (fold(c.name), "name")}
        found.update((fold(a), "alias") for a in c.aliases)
        keys = tuple((k, source) for k, source in found if k)
    # Most notes have no logs, tasks or problems: an empty tuple costs no list.
    logs, tasks, links, problems = note.logs, note.tasks, note.links, note.problems
    body = (
        None if note.date is None else note.date.isoformat(),
        crow,
        keys,
        [(e.line, e.date.isoformat(), e.text) for e in logs] if logs else (),
        [(t.line, t.text, _iso(t.due), t.done, tuple(t.links)) for t in tasks] if tasks else (),
        [(li.line, li.key, li.why, _iso(li.date)) for li in links] if links else (),
        [(p.line, p.message) for p in problems] if problems else (),
        front_broken(note),
    )
    return (stat.path, stat.mtime_ns, stat.size, body)


# What makes a note's front matter unreadable as a whole (vault.parse's messages).
_FRONT_BROKEN = (
    "broken YAML front matter",
    "front matter is not closed",
    "front matter is too large",
    "front matter is a ",
)


def front_broken(note: ParsedNote) -> bool:
    """Whether the note was read as nothing because its front matter does not parse."""
    if note.contact is not None or not note.problems:
        return False  # (most notes: no generator for them)
    return any(p.message.startswith(_FRONT_BROKEN) for p in note.problems)


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()
