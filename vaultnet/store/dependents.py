"""Which contacts a change of some notes can concern: what a report kept contact by contact
(``app.parts``) computes again after an update, instead of everything.

A contact's part of a report depends on its own note (its fields, its log, its tasks), on
its interactions (each stored with the note it comes from), and on the open tasks it owns
(in its note, on a line that links it, or in a note that links it). So the contacts a note
concerns are: the note itself when it is a contact, every contact its interactions resolved
to, and every owner of a key its links or its tasks' links name. Asked once for the notes'
old versions (before the update replaces their rows) and once for the new ones, the union
holds every contact whose part may differ. What else may move (a name or alias added or
removed, which re-resolves links anywhere) is for the caller to rule out
(``Changes.keys_touched``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from vaultnet.core.tuples import NamedTuple

_DEPENDENTS = """
WITH these(id) AS (SELECT value FROM json_each(:ids))
SELECT n.id FROM notes n WHERE n.id IN these AND n.is_contact = 1
UNION SELECT i.contact_id FROM interactions i WHERE i.note_id IN these
UNION SELECT k.note_id FROM keys k WHERE k.key IN (
    SELECT li.key FROM links li WHERE li.note_id IN these
    UNION SELECT tl.key FROM tasks t JOIN task_links tl ON tl.task_id = t.id
     WHERE t.note_id IN these)
"""

CHUNK = 500  # note ids a statement


def dependents(db: sqlite3.Connection, note_ids: Iterable[int]) -> set[int]:
    """The ids of the contacts the stored rows of these notes concern (see the module)."""
    ids = sorted(set(note_ids))
    found: set[int] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = json.dumps(ids[i : i + CHUNK])
        found.update(cid for (cid,) in db.execute(_DEPENDENTS, {"ids": chunk}))
    return found


def ids_of(db: sqlite3.Connection, paths: Iterable[str]) -> list[int]:
    """The note ids of these paths (those that are in the table)."""
    ordered = sorted(paths)
    out: list[int] = []
    for i in range(0, len(ordered), CHUNK):
        chunk = json.dumps(ordered[i : i + CHUNK])
        out.extend(
            nid
            for (nid,) in db.execute(
                "SELECT id FROM notes WHERE path IN (SELECT value FROM json_each(?))", (chunk,)
            )
        )
    return out


def keys_touched(db: sqlite3.Connection) -> bool:
    """Whether the last apply on this connection added or removed a name, an alias or a
    file name (the reconcile's ``touched_keys``): then links anywhere may resolve anew."""
    try:
        return db.execute("SELECT 1 FROM temp.touched_keys LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False  # no apply on this connection yet


class Changes(NamedTuple):
    """What one update of the index did, as a report kept by parts needs to know it.

    ``before``/``after``: the index's change counters (``Connection.generations``) when the
    update took the write lock and when it was done; ``contacts``: the contacts the changed
    and removed notes concern, old and new versions (``dependents``); ``keys_touched``:
    names, aliases or file names came or went (links anywhere may resolve anew)."""

    before: dict[str, int]
    after: dict[str, int]
    contacts: frozenset[int]
    keys_touched: bool
