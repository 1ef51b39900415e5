"""Notes saved again with the rows they have: kept as they are stored (``store.reconcile``).

A save that changes nothing the index holds of a note (prose typed, a comment added, the
same bytes written again) need not replace its rows: the note keeps them, and its id, with
its new time and size. Nothing derived from its rows moves either: its interactions, the
feed's plan (which renders again the contacts whose id changed), the contacts and tasks
counters. Rows are compared as they are stored, read back a table at a time.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from vaultnet.store.connection import BATCH
from vaultnet.store.rows import NoteRows


def unchanged_kept(
    db: sqlite3.Connection, items: list[NoteRows], old: dict[str, tuple[int, int, int]]
) -> list[NoteRows]:
    """The items still to store; those whose rows are the ones stored under their path
    (``old``: path -> (id, mtime_ns, is_contact)) only get their new time and size."""
    ids = {old[item[0]][0]: item for item in items if item[3] is not None and item[0] in old}
    if not ids:
        return items
    # Links first, for all of them: most saves that change rows change their links (or
    # their lines), and only the notes whose links are the same are read further.
    links = _StoredRows(db, list(ids), links_only=True)
    ids = {nid: item for nid, item in ids.items() if links.links_of(nid) == _links(item)}
    if not ids:
        return items
    stored = _StoredRows(db, list(ids), links=links)
    same = [item for nid, item in ids.items() if stored.rows_of(nid) == _comparable(item)]
    if not same:
        return items
    db.executemany(
        "UPDATE notes SET mtime_ns = ?, size = ? WHERE id = ?",
        [(item[1], item[2], old[item[0]][0]) for item in same],
    )
    kept = {item[0] for item in same}
    return [item for item in items if item[0] not in kept]


def _links(item: NoteRows) -> list[tuple[Any, ...]]:
    body = item[3]
    assert body is not None
    return [tuple(li) for li in body[5]]


def _comparable(item: NoteRows) -> tuple[Any, ...]:
    """A parsed note's rows as ``_StoredRows.rows_of`` reads the stored ones back."""
    body = item[3]
    assert body is not None
    day, crow, keys, logs, tasks, links, problems, _ = body
    return (
        (day, crow is not None),
        None if crow is None else tuple(crow),
        frozenset(keys),
        [tuple(e) for e in logs],
        [(line, text, due, bool(done), tuple(keys)) for line, text, due, done, keys in tasks],
        [tuple(li) for li in links],
        [tuple(p) for p in problems],
    )


class _StoredRows:
    """The rows stored under some note ids, read a table at a time, in the order they were
    stored (as ``_comparable`` gives a parsed note's); a note kept stale (``stale``) has
    rows of another version: it compares with nothing."""

    def __init__(
        self,
        db: sqlite3.Connection,
        ids: list[int],
        links_only: bool = False,
        links: _StoredRows | None = None,
    ):
        """``links``: a reader of these ids' links already (theirs are not read again)."""
        self.db = db
        self.links_only = links_only
        self.by_id: dict[int, list[Any]] = {nid: [None, None, set(), [], [], [], []] for nid in ids}
        if links is not None:
            for nid, rows in self.by_id.items():
                rows[5] = list(links.links_of(nid) or [])
        self._links_read = links is not None
        self.tasks: dict[int, list[Any]] = {}  # task id -> its row, its keys last
        stale: set[int] = set()
        for at in range(0, len(ids), BATCH):
            part = ids[at : at + BATCH]
            marks = ",".join("?" * len(part))
            self._read(part, marks)
            where = f"WHERE note_id IN ({marks})"
            stale.update(nid for (nid,) in db.execute(f"SELECT note_id FROM stale {where}", part))
        task_ids = list(self.tasks)
        for at in range(0, len(task_ids), BATCH):
            part = task_ids[at : at + BATCH]
            marks = ",".join("?" * len(part))
            for tid, key in db.execute(
                f"SELECT task_id, key FROM task_links WHERE task_id IN ({marks}) ORDER BY rowid",
                part,
            ):
                self.tasks[tid][4].append(key)
        for nid in stale:
            self.by_id.pop(nid, None)

    def _read(self, part: list[int], marks: str) -> None:
        db, by_id = self.db, self.by_id
        where = f"WHERE note_id IN ({marks})"
        if not self._links_read:
            for nid, *rest in db.execute(
                f"SELECT note_id, line, key, why, date FROM links {where} ORDER BY rowid", part
            ):
                by_id[nid][5].append(tuple(rest))
        if self.links_only:
            return
        for nid, day, is_contact in db.execute(
            f"SELECT id, date, is_contact FROM notes WHERE id IN ({marks})", part
        ):
            by_id[nid][0] = (day, bool(is_contact))
        for row in db.execute(f"SELECT * FROM contacts {where}", part):
            by_id[row[0]][1] = tuple(row[1:])
        for nid, key, source in db.execute(f"SELECT note_id, key, source FROM keys {where}", part):
            by_id[nid][2].add((key, source))
        for nid, *rest in db.execute(
            f"SELECT note_id, line, date, text FROM logs {where} ORDER BY rowid", part
        ):
            by_id[nid][3].append(tuple(rest))
        for tid, nid, line, text, due, done in db.execute(
            f"SELECT id, note_id, line, text, due, done FROM tasks {where} ORDER BY id", part
        ):
            self.tasks[tid] = [line, text, due, bool(done), []]
            by_id[nid][4].append(self.tasks[tid])
        for nid, *rest in db.execute(
            f"SELECT note_id, line, message FROM problems {where} ORDER BY rowid", part
        ):
            by_id[nid][6].append(tuple(rest))

    def links_of(self, nid: int) -> list[Any] | None:
        rows = self.by_id.get(nid)
        return None if rows is None else rows[5]

    def rows_of(self, nid: int) -> tuple[Any, ...] | None:
        rows = self.by_id.get(nid)
        if rows is None:
            return None
        notes, crow, keys, logs, tasks, links, problems = rows
        return (
            notes,
            crow,
            frozenset(keys),
            logs,
            [(line, text, due, done, tuple(tk)) for line, text, due, done, tk in tasks],
            links,
            problems,
        )
