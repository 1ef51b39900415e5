"""Notes saved again that keep their id: as they are stored (``store.reconcile``).

A save that changes nothing the index holds of a note (prose typed, a comment added, the
same bytes written again) need not replace its rows: the note keeps them, and its id, with
its new time and size. Nothing derived from its rows moves either: its interactions, the
feed's plan (which renders again the contacts whose id changed), the contacts and tasks
counters. Rows are compared as they are stored, read back a table at a time.

A save that changes only what the note says besides itself, its log, its tasks, its links
or its problems (a line added, a link typed, a task ticked), keeps its id too, with its
row, its contact row and its names: only those rows of the others that differ are stored
anew, and only the interactions made from them (a contact's log entries, the mentions of
its links) are resolved again. A contact keeps its place in the feed's plan (its row holds
all the feed shows of it), and nobody's links need resolving anew (its names are the
same). Of its log and its links, the rows from the first that differs on are replaced (a
line appended replaces nothing), so that they stay in the order a parse gives them; its
tasks and problems, when they differ, are replaced whole.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from vaultnet.store.connection import BATCH
from vaultnet.store.rows import NoteRows
from vaultnet.store.schema import INSERTS, NOTE_MENTIONS, RESOLVE_LOGS, task_rows

# The parts of a note's rows (``_comparable``) that a kept note may replace, after its
# own row, its contact row and its names (which it must keep to keep its id).
_LOGS, _TASKS, _LINKS, _PROBLEMS = 3, 4, 5, 6
_NOTE_PARTS = _LOGS  # (the parts before it are the note's own)

# The rows whose interactions are resolved again: a log entry's line, a link's line and key.
_TEMP = (
    "CREATE TEMP TABLE IF NOT EXISTS redo_logs(note_id INTEGER NOT NULL, line INTEGER NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS redo_links("
    "note_id INTEGER NOT NULL, line INTEGER NOT NULL, key TEXT NOT NULL)",
)
_REDO = {
    _LOGS: (
        "redo_logs",
        "(note_id, line)",
        3,
        RESOLVE_LOGS.format(
            where="l.note_id IN (SELECT note_id FROM redo_logs)"
            " AND (l.note_id, l.line) IN (SELECT note_id, line FROM redo_logs)"
        ),
    ),
    _LINKS: (
        "redo_links",
        "(note_id, line, key)",
        2,
        NOTE_MENTIONS.format(
            where="li.note_id IN (SELECT note_id FROM redo_links)"
            " AND (li.note_id, li.line, li.key) IN (SELECT note_id, line, key FROM redo_links)"
        ),
    ),
}


def unchanged_kept(
    db: sqlite3.Connection, items: list[NoteRows], old: dict[str, tuple[int, int, int]]
) -> tuple[list[NoteRows], bool]:
    """The items still to store, and whether a kept note's tasks changed. The others keep
    their id (``old``: path -> (id, mtime_ns, is_contact)): those whose rows are the ones
    stored only get their new time and size, the rest the rows that differ as well (see
    the module)."""
    ids = {old[item[0]][0]: item for item in items if item[3] is not None and item[0] in old}
    if not ids:
        return items, False
    stored = _StoredRows(db, list(ids))
    edits = _Edits()
    kept: list[tuple[int, NoteRows]] = []
    for nid, item in ids.items():
        was = stored.rows_of(nid)
        if was is None:
            continue
        now = _comparable(item)
        if was[:_NOTE_PARTS] != now[:_NOTE_PARTS]:
            continue  # its own row, its contact row or its names: stored anew
        kept.append((nid, item))
        for part in (_LOGS, _LINKS):
            if was[part] != now[part]:
                edits.tail(part, nid, was[part], stored.rowids[part][nid], now[part])
        if was[_TASKS] != now[_TASKS]:
            edits.tasks[nid] = item[3][_TASKS]  # type: ignore[index]
        if was[_PROBLEMS] != now[_PROBLEMS]:
            edits.problems[nid] = now[_PROBLEMS]
    if not kept:
        return items, False
    db.executemany(
        "UPDATE notes SET mtime_ns = ?, size = ? WHERE id = ?",
        [(item[1], item[2], nid) for nid, item in kept],
    )
    edits.apply(db)
    done = {item[0] for _, item in kept}
    return [item for item in items if item[0] not in done], bool(edits.tasks)


class _Edits:
    """The rows kept notes replace: of their logs and links, the rows from the first that
    differs on (those stored, by rowid; the new ones; the lines, or lines and keys, whose
    interactions are resolved again); their tasks and problems, whole."""

    def __init__(self) -> None:
        self.gone: dict[int, list[int]] = {_LOGS: [], _LINKS: []}
        self.new: dict[int, list[tuple[Any, ...]]] = {_LOGS: [], _LINKS: []}
        self.redo: dict[int, set[tuple[Any, ...]]] = {_LOGS: set(), _LINKS: set()}
        self.tasks: dict[int, list[tuple[Any, ...]]] = {}
        self.problems: dict[int, list[tuple[Any, ...]]] = {}

    def tail(
        self,
        part: int,
        nid: int,
        was: list[tuple[Any, ...]],
        rowids: list[int],
        now: list[tuple[Any, ...]],
    ) -> None:
        """The rows of ``part`` from the first where ``was`` and ``now`` differ."""
        at = 0
        while at < len(was) and at < len(now) and was[at] == now[at]:
            at += 1
        self.gone[part].extend(rowids[at:])
        self.new[part].extend((nid, *row) for row in now[at:])
        # A log entry's interaction is made from its line; a link's, from its line and key.
        width = 1 if part == _LOGS else 2
        self.redo[part].update((nid, *row[:width]) for row in (*was[at:], *now[at:]))

    def apply(self, db: sqlite3.Connection) -> None:
        for part, table in ((_LOGS, "logs"), (_LINKS, "links")):
            if self.redo[part]:
                self._replace_tail(db, part, table)
        if self.tasks:
            self._replace_tasks(db)
        if self.problems:
            ids = list(self.problems)
            _delete_by_note(db, "problems", ids)
            db.executemany(
                INSERTS["problems"],
                [(nid, *p) for nid in ids for p in self.problems[nid]],
            )

    def _replace_tail(self, db: sqlite3.Connection, part: int, table: str) -> None:
        temp, columns, rank, resolve = _REDO[part]
        for sql in _TEMP:
            db.execute(sql)
        db.execute(f"DELETE FROM {temp}")
        marks = ",".join("?" * (2 if part == _LOGS else 3))
        db.executemany(f"INSERT INTO {temp} VALUES ({marks})", self.redo[part])
        db.execute(
            f"DELETE FROM interactions WHERE rank = {rank}"
            f" AND note_id IN (SELECT note_id FROM {temp})"
            f" AND {columns} IN (SELECT * FROM {temp})"
        )
        gone = self.gone[part]
        for at in range(0, len(gone), BATCH):
            chunk = gone[at : at + BATCH]
            db.execute(f"DELETE FROM {table} WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)
        if self.new[part]:
            db.executemany(INSERTS[table], self.new[part])
        db.execute(resolve)

    def _replace_tasks(self, db: sqlite3.Connection) -> None:
        ids = list(self.tasks)
        for at in range(0, len(ids), BATCH):
            chunk = ids[at : at + BATCH]
            db.execute(
                "DELETE FROM task_links WHERE task_id IN "
                f"(SELECT id FROM tasks WHERE note_id IN ({','.join('?' * len(chunk))}))",
                chunk,
            )
        _delete_by_note(db, "tasks", ids)
        tid = db.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0]
        tasks: list[tuple[Any, ...]] = []
        task_links: list[tuple[int, str]] = []
        for nid in ids:
            tid = task_rows(tid, nid, self.tasks[nid], tasks, task_links)
        db.executemany(INSERTS["tasks"], tasks)
        if task_links:
            db.executemany(INSERTS["task_links"], task_links)


def _delete_by_note(db: sqlite3.Connection, table: str, ids: list[int]) -> None:
    for at in range(0, len(ids), BATCH):
        chunk = ids[at : at + BATCH]
        db.execute(f"DELETE FROM {table} WHERE note_id IN ({','.join('?' * len(chunk))})", chunk)


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
    stored (as ``_comparable`` gives a parsed note's), with the rowids of their log entries
    and links; a note kept stale (``stale``) has rows of another version: it compares with
    nothing."""

    def __init__(self, db: sqlite3.Connection, ids: list[int]):
        self.db = db
        self.by_id: dict[int, list[Any]] = {nid: [None, None, set(), [], [], [], []] for nid in ids}
        self.rowids: dict[int, dict[int, list[int]]] = {
            part: {nid: [] for nid in ids} for part in (_LOGS, _LINKS)
        }
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
        for table, columns, at in (("logs", "line, date, text", _LOGS), ("links", _LINK, _LINKS)):
            rowids = self.rowids[at]
            for rowid, nid, *rest in db.execute(
                f"SELECT rowid, note_id, {columns} FROM {table} {where} ORDER BY rowid", part
            ):
                by_id[nid][at].append(tuple(rest))
                rowids[nid].append(rowid)
        for nid, day, is_contact in db.execute(
            f"SELECT id, date, is_contact FROM notes WHERE id IN ({marks})", part
        ):
            by_id[nid][0] = (day, bool(is_contact))
        for row in db.execute(f"SELECT * FROM contacts {where}", part):
            by_id[row[0]][1] = tuple(row[1:])
        for nid, key, source in db.execute(f"SELECT note_id, key, source FROM keys {where}", part):
            by_id[nid][2].add((key, source))
        for tid, nid, line, text, due, done in db.execute(
            f"SELECT id, note_id, line, text, due, done FROM tasks {where} ORDER BY id", part
        ):
            self.tasks[tid] = [line, text, due, bool(done), []]
            by_id[nid][_TASKS].append(self.tasks[tid])
        for nid, *rest in db.execute(
            f"SELECT note_id, line, message FROM problems {where} ORDER BY rowid", part
        ):
            by_id[nid][_PROBLEMS].append(tuple(rest))

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


_LINK = "line, key, why, date"
