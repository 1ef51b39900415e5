"""What the index answers: typed rows, never bare positional tuples."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from vaultnet.core.tuples import NamedTuple
from vaultnet.store.connection import BATCH, Connection

# The model (and the contacts' columns made from it) load when a query builds its objects:
# a command that finds nothing changed opens the index without them.
if TYPE_CHECKING:
    from vaultnet.core.model import Contact, Interaction, PassedOver, Problem


class LastContact(NamedTuple):
    date: str  # YYYY-MM-DD
    how: str  # "log", "mention" or "field"
    where: str | None  # the note that mentions them, for a mention


class TaskRow(NamedTuple):
    contact_id: int
    path: str  # the note that holds the task
    line: int
    text: str
    due: str | None


# A note may own one key several ways (its name, an alias, its file name): the strongest
# first, so that whoever keeps the first row of a (key, note) keeps the same one whatever
# order the rows were stored in.
SOURCE_ORDER = "CASE k.source WHEN 'name' THEN 0 WHEN 'alias' THEN 1 ELSE 2 END"


class KeyOwner(NamedTuple):
    key: str  # folded name, alias or file name
    contact_id: int
    source: str  # "name", "alias" or "file"
    path: str
    name: str


class Queries(Connection):
    """The index's answers (part of ``store.index.Index``)."""

    def counts(self) -> dict[str, int]:
        q = self.db.execute
        return {
            "notes": q("SELECT count(*) FROM notes").fetchone()[0],
            "contacts": q("SELECT count(*) FROM contacts").fetchone()[0],
            "problems": q("SELECT count(*) FROM problems").fetchone()[0],
        }

    def stored_contacts(
        self, paths: Collection[str] | None = None, ids: Collection[int] | None = None
    ) -> Iterator[Contact]:
        """Every contact as its note says it (or those of ``paths``, or of ``ids``, in no set
        order; a list of either goes to SQLite as one JSON array), in path order, one at
        a time (10,000 held at once would double what a report holds in memory). Nothing
        that depends on today or the config is filled in (see ``store.contacts``); the
        front matter stays JSON text until asked for."""
        from vaultnet.store.contactrows import CONTACT_SELECT, contacts_of

        if ids is not None:
            cur = self.db.execute(
                f"SELECT {CONTACT_SELECT} FROM contacts"
                " WHERE note_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(ids)),),
            )
        elif paths is None:
            cur = self.db.execute(f"SELECT {CONTACT_SELECT} FROM contacts ORDER BY path")
        else:
            cur = self.db.execute(
                f"SELECT {CONTACT_SELECT} FROM contacts"
                " WHERE path IN (SELECT value FROM json_each(?)) ORDER BY path",
                (json.dumps(list(paths)),),
            )
        while rows := cur.fetchmany(BATCH):
            yield from contacts_of(rows)

    def due_ids(
        self,
        today: date,
        end: date,
        month_days: Collection[str] | None,
        defaults: dict[str, int] | None,
    ) -> list[int]:
        """The active contacts with an occasion on one of ``month_days`` ("MM-DD"; None:
        any occasion), and (with ``defaults``: kind as stored -> the config's cadence for
        it, "" for none) those whose check-in falls due by ``end``: from today when never
        in touch, else from their latest interaction up to today, and not before their
        snooze date. A superset of who has a reason (the rules decide), picked here
        without a row for anyone else."""
        params: dict[str, Any] = {"today": today.isoformat(), "end": end.isoformat()}
        if month_days is None:
            occasions = _ANY_OCCASION
        else:
            occasions = _OCCASION_ON
            params["days"] = json.dumps(sorted(month_days))
        sql = _DUE_OCCASIONS.format(occasions=occasions)
        if defaults is not None:
            sql += _DUE_CADENCES
            params["defaults"] = json.dumps(defaults)
        return [cid for (cid,) in self.db.execute(sql, params)]

    def kinds_without_cadence(self) -> dict[str, int]:
        """kind as stored ("" for none) -> how many active contacts of that kind have no
        ``cadence:`` of their own (few rows: the config's defaults are matched by folded
        kind, in Python)."""
        # (flags are 0 or 1: equal to them, a seek into contacts_cadence, in kind order)
        found: dict[str, int] = {}
        for kind, n in self.db.execute(
            "SELECT kind, count(*) FROM contacts"
            " WHERE cadence_set = 0 AND archived = 0 AND deceased = 0 GROUP BY kind"
        ):
            found[kind or ""] = found.get(kind or "", 0) + int(n)
        return found

    def kinds(self) -> list[str]:
        """Every kind as stored ("" for none), once."""
        return [k for (k,) in self.db.execute("SELECT DISTINCT coalesce(kind, '') FROM contacts")]

    def contact_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM contacts").fetchone()[0])

    def contact_states(self) -> dict[str, tuple[int, int]]:
        """contact note path -> (mtime_ns, size) as indexed."""
        sql = "SELECT path, mtime_ns, size FROM notes WHERE is_contact = 1"
        return {path: (mtime, size) for path, mtime, size in self.db.execute(sql)}

    def last_contacts(
        self, today: date, ids: Collection[int] | None = None
    ) -> dict[int, LastContact]:
        """contact id -> the latest interaction up to today (date, how it is known, where),
        for every contact or those of ``ids``. On one day, a log entry wins over a mention,
        and a mention over the field; among mentions of one day, the note first by path.
        One seek a contact in the interactions index: no link is resolved here."""
        params = {"today": today.isoformat()}
        if ids is None:
            where = ""
        else:  # one JSON array: a temporary table costs a statement a row to fill
            where = "WHERE c.note_id IN (SELECT value FROM json_each(:ids))"
            params["ids"] = json.dumps(list(ids))
        rows = self.db.execute(_LAST_CONTACTS.format(where=where), params)
        return {
            cid: LastContact(day, _HOW[rank], where_)
            for cid, day, rank, where_ in rows
            if day is not None
        }

    def interactions(self, contact_id: int, today: date, limit: int = 10) -> list[Interaction]:
        """Latest interactions of one contact, newest first."""
        from vaultnet.core.model import Interaction

        return [
            Interaction(*row)
            for row in self.db.execute(
                """
                SELECT l.date, 'log', l.text, NULL FROM logs l
                 WHERE l.note_id = :cid AND l.date <= :today
                UNION
                SELECT i.date, 'mention', '', n.path FROM interactions i
                  JOIN notes n ON n.id = i.note_id
                 WHERE i.contact_id = :cid AND i.rank = 2 AND i.date <= :today
                ORDER BY 1 DESC LIMIT :limit
                """,
                {"cid": contact_id, "today": today.isoformat(), "limit": limit},
            )
        ]

    def passed_over(self, contact_id: int, today: date, limit: int = 10) -> list[PassedOver]:
        """Links to one contact that are no interaction, newest first: why each one is not
        (an open task, a quote, an embed, a note without a date, a date still to come)."""
        from vaultnet.core.model import PassedOver

        return [
            PassedOver(*row)
            for row in self.db.execute(
                """
                SELECT coalesce(li.date, n.date), n.path, li.line, CASE
                         WHEN li.why IS NOT NULL THEN li.why
                         WHEN coalesce(li.date, n.date) IS NULL THEN 'note has no date'
                         ELSE 'dated after today' END
                  FROM links li JOIN notes n ON n.id = li.note_id JOIN keys k ON k.key = li.key
                 WHERE k.note_id = :cid AND n.id != :cid
                   AND (li.why IS NOT NULL OR coalesce(li.date, n.date) IS NULL
                        OR coalesce(li.date, n.date) > :today)
                 GROUP BY n.path, li.line ORDER BY 1 DESC, 2 LIMIT :limit
                """,
                {"cid": contact_id, "today": today.isoformat(), "limit": limit},
            )
        ]

    def open_tasks(
        self, due_by: date | None = None, ids: Collection[int] | None = None
    ) -> Iterator[TaskRow]:
        """Every open task a contact owns, once for each owner (only those due by
        ``due_by``, when given; only those of the contacts of ``ids``, when given)."""
        due = "" if due_by is None else "AND t.due IS NOT NULL AND t.due <= :due_by"
        params: dict[str, str] = {}
        if due_by is not None:
            params["due_by"] = due_by.isoformat()
        if ids is None:
            sql = _OPEN_TASKS.format(due=due)
        else:
            sql = _OPEN_TASKS_OF.format(due=due)
            params["ids"] = json.dumps(sorted(ids))
        return map(TaskRow._make, self.db.execute(sql, params))

    def problem_paths(self) -> set[str]:
        """The paths of the notes with at least one problem (no ``Problem`` is built)."""
        return {
            path
            for (path,) in self.db.execute(
                # (from the few problems to their notes, not through every note)
                "SELECT DISTINCT n.path FROM problems p CROSS JOIN notes n ON n.id = p.note_id"
            )
        }

    def problems(self) -> list[Problem]:
        from vaultnet.core.model import Problem

        return [
            Problem(path, line, message)
            for path, line, message in self.db.execute(
                "SELECT n.path, p.line, p.message FROM problems p JOIN notes n ON n.id = p.note_id"
                " ORDER BY n.path, p.line"
            )
        ]

    def stale_notes(self) -> list[tuple[str, int, int]]:
        """(path, mtime_ns of the last good version, mtime_ns now) of each contact shown as
        its last good parse said, its front matter broken since, by path."""
        return list(
            self.db.execute(
                "SELECT n.path, s.good_mtime_ns, n.mtime_ns FROM stale s"
                " CROSS JOIN notes n ON n.id = s.note_id ORDER BY n.path"  # few: from stale
            )
        )

    def key_owners(self) -> Iterator[KeyOwner]:
        """Who owns every name, alias and file name, by key then path (the strongest way
        a note owns a key first: ``SOURCE_ORDER``), one row at a time."""
        rows = self.db.execute(
            "SELECT k.key, k.note_id, k.source, c.path, c.name FROM keys k"
            " JOIN contacts c ON c.note_id = k.note_id ORDER BY k.key, c.path, " + SOURCE_ORDER
        )
        return map(KeyOwner._make, rows)

    def note_id(self, rel_path: str) -> int | None:
        row = self.db.execute("SELECT id FROM notes WHERE path = ?", (rel_path,)).fetchone()
        return None if row is None else int(row[0])

    def states(self, rel_paths: Iterable[str] | None = None) -> dict[str, tuple[int, int]]:
        """path -> (mtime_ns, size) as indexed, for these paths (every note when None)."""
        if rel_paths is None:
            return {
                p: (m, s) for p, m, s in self.db.execute("SELECT path, mtime_ns, size FROM notes")
            }
        return {
            p: (m, s)
            for p, m, s in self._in_paths("SELECT path, mtime_ns, size FROM notes", rel_paths)
        }

    def problems_in(self, rel_paths: Iterable[str]) -> list[Problem]:
        """The problems recorded for these notes, in path and line order."""
        from vaultnet.core.model import Problem

        rows = self._in_paths(
            "SELECT n.path, p.line, p.message FROM problems p JOIN notes n ON n.id = p.note_id",
            rel_paths,
        )
        return [Problem(*row) for row in sorted(rows, key=lambda r: (r[0], r[1] or 0, r[2]))]

    def _in_paths(self, select: str, rel_paths: Iterable[str]) -> list[tuple[Any, ...]]:
        paths = sorted(set(rel_paths))
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(paths), BATCH):
            chunk = paths[i : i + BATCH]
            where = f" WHERE path IN ({','.join('?' * len(chunk))})"
            rows.extend(self.db.execute(select + where, chunk))
        return rows

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row the index holds, keyed by note path instead of row ids (for comparing two
        indexes of the same files, e.g. in tests)."""
        out = {}
        for table, select in _SNAPSHOT.items():
            cur = self.db.execute(select)
            keep = [i for i, d in enumerate(cur.description) if d[0] != "note_id"]
            order = ", ".join(str(i + 1) for i in keep)
            rows = self.db.execute(f"{select} ORDER BY {order}")
            out[table] = [tuple(row[i] for i in keep) for row in rows]
        return out


_N = "JOIN notes n ON n.id = x.note_id"
_SNAPSHOT = {
    "notes": "SELECT path, mtime_ns, size, date, is_contact FROM notes",
    "contacts": "SELECT * FROM contacts",
    "keys": f"SELECT n.path, x.key, x.source FROM keys x {_N}",
    "logs": f"SELECT n.path, x.line, x.date, x.text FROM logs x {_N}",
    "tasks": f"SELECT n.path, x.line, x.text, x.due, x.done, x.has_links FROM tasks x {_N}",
    "task_links": "SELECT n.path, t.line, l.key FROM task_links l JOIN tasks t ON t.id = l.task_id"
    " JOIN notes n ON n.id = t.note_id",
    "links": f"SELECT n.path, x.line, x.key, x.why, x.date FROM links x {_N}",
    "problems": f"SELECT n.path, x.line, x.message FROM problems x {_N}",
    "interactions": "SELECT c.path, x.date, x.rank, n.path, x.line, x.key FROM interactions x"
    " JOIN notes c ON c.id = x.contact_id JOIN notes n ON n.id = x.note_id",
    "stale": f"SELECT n.path, x.good_mtime_ns FROM stale x {_N}",
}

_HOW = {3: "log", 2: "mention", 1: "field"}

# Each contact's latest interaction up to today: a seek in interactions(contact_id, date,
# rank) from the end. Among mentions of one day, the mentioning note first by path.
_LAST_CONTACTS = """
SELECT c.note_id, i.date, i.rank, CASE WHEN i.rank = 2 THEN (
         SELECT min(n.path) FROM interactions j JOIN notes n ON n.id = j.note_id
          WHERE j.contact_id = c.note_id AND j.date = i.date AND j.rank = 2) END
  FROM contacts c JOIN interactions i ON i.rowid = (
       SELECT rowid FROM interactions WHERE contact_id = c.note_id AND date <= :today
        ORDER BY date DESC, rank DESC LIMIT 1)
 {where}
"""

# The contacts a report over a window may list, by the index alone (``Queries.due_ids``).
# An occasion's stored date ends in its month and day (YYYY-MM-DD or --MM-DD).
_DUE_OCCASIONS = """
SELECT note_id FROM contacts c WHERE NOT (c.archived OR c.deceased) AND ({occasions})
"""
_OCCASION_ON = """
substr(c.birthday, -5) IN (SELECT value FROM json_each(:days))
OR substr(c.work_anniversary, -5) IN (SELECT value FROM json_each(:days))
OR (c.dates != '{}' AND EXISTS (SELECT 1 FROM json_each(c.dates) d
                                 WHERE substr(d.value, -5) IN (SELECT value FROM json_each(:days))))
"""
_ANY_OCCASION = "c.birthday != '' OR c.work_anniversary != '' OR c.dates != '{}'"
# Due by :end: the latest interaction up to today (one seek in interactions(contact_id,
# date, rank)) plus the cadence, or today when there is none; counted in days (julianday),
# so that no date past 9999 is ever made.
_DUE_CADENCES = """
UNION
SELECT id FROM (
    SELECT c.note_id AS id, c.snooze_until AS snooze, CASE WHEN c.cadence_set
           THEN c.cadence_days ELSE (SELECT d.value FROM json_each(:defaults) d
                                      WHERE d.key = coalesce(c.kind, '')) END AS cadence
      FROM contacts c WHERE NOT (c.archived OR c.deceased)
) WHERE cadence IS NOT NULL AND cadence != 0 AND (snooze IS NULL OR snooze <= :end)
  AND coalesce((SELECT julianday(max(i.date)) + cadence FROM interactions i
                 WHERE i.contact_id = id AND i.date <= :today),
               julianday(:today)) <= julianday(:end)
"""

# A task belongs to the contact whose note holds it, to every contact its own line links,
# and, when its line links nobody and it is not in a contact's note, to every contact the note
# links (each key the note links once: not a row for every link to be deduplicated).
_OPEN_TASKS = """
SELECT t.note_id, n.path, t.line, t.text, t.due FROM tasks t JOIN notes n ON n.id = t.note_id
 WHERE t.done = 0 AND n.is_contact = 1 {due}
UNION
SELECT k.note_id, n.path, t.line, t.text, t.due FROM tasks t
  JOIN notes n ON n.id = t.note_id JOIN task_links tl ON tl.task_id = t.id
  JOIN keys k ON k.key = tl.key
 WHERE t.done = 0 {due}
UNION
SELECT k.note_id, n.path, t.line, t.text, t.due FROM tasks t JOIN notes n ON n.id = t.note_id
  JOIN keys k ON k.key IN (SELECT li.key FROM links li WHERE li.note_id = t.note_id)
 WHERE t.done = 0 AND t.has_links = 0 AND n.is_contact = 0 {due}
"""
# The same rows for the contacts of :ids only, each arm led by those contacts' rows (their
# note, their keys): a few contacts cost a seek for each link to them.
_OPEN_TASKS_OF = """
WITH mine(id) AS (SELECT value FROM json_each(:ids))
SELECT t.note_id, n.path, t.line, t.text, t.due FROM mine CROSS JOIN tasks t
  JOIN notes n ON n.id = t.note_id
 WHERE t.note_id = mine.id AND t.done = 0 AND n.is_contact = 1 {due}
UNION
SELECT k.note_id, n.path, t.line, t.text, t.due FROM mine CROSS JOIN keys k
  CROSS JOIN task_links tl CROSS JOIN tasks t JOIN notes n ON n.id = t.note_id
 WHERE k.note_id = mine.id AND tl.key = k.key AND t.id = tl.task_id AND t.done = 0 {due}
UNION
SELECT k.note_id, n.path, t.line, t.text, t.due FROM mine CROSS JOIN keys k
  CROSS JOIN links li CROSS JOIN tasks t CROSS JOIN notes n
 WHERE k.note_id = mine.id AND li.key = k.key AND t.note_id = li.note_id
   AND t.done = 0 AND t.has_links = 0 AND n.id = t.note_id AND n.is_contact = 0 {due}
"""
