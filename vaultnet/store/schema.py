"""The index's tables. The contacts table is built from the contact fields' declarations
(``core.model.ContactData``, see ``store.contactschema``): a new field gets its column
without an edit here. Only what needs those declarations loads them: a command that finds
nothing changed opens the index without loading the model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SCHEMA_VERSION = 16

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL, date TEXT, is_contact INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE contacts (
    note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    {contact_defs},
    fields TEXT NOT NULL
);
CREATE TABLE keys (
    key TEXT NOT NULL, note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    source TEXT NOT NULL
);
CREATE TABLE logs (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    line INTEGER NOT NULL, date TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    line INTEGER NOT NULL, text TEXT NOT NULL, due TEXT, done INTEGER NOT NULL,
    has_links INTEGER NOT NULL
);
CREATE TABLE task_links (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, key TEXT NOT NULL
);
CREATE TABLE links (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    line INTEGER NOT NULL, key TEXT NOT NULL,
    why TEXT,  -- why the link is no interaction (open task, quote, embed); NULL: it is one
    date TEXT  -- the day it records when not the note's (a done task's)
);
CREATE TABLE problems (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    line INTEGER, message TEXT NOT NULL
);
-- Every interaction, resolved when its note is stored (a log entry of a contact's note, a
-- link that counts as one, the last_contact field): kept by the reconcile, re-resolved
-- when a contact's names or aliases change. rank: 3 log, 2 mention, 1 field (on one day a
-- log entry wins). key: the link's key, for a mention (what a change of names re-resolves).
CREATE TABLE interactions (
    contact_id INTEGER NOT NULL,  -- no foreign key: a new version of the note takes its rows
    date TEXT NOT NULL, rank INTEGER NOT NULL,
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    line INTEGER, key TEXT
);
-- A contact whose note's front matter broke: its rows are the last good parse, kept from
-- the version of good_mtime_ns until the note parses again, is deleted or is no contact.
CREATE TABLE stale (
    note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    good_mtime_ns INTEGER NOT NULL
);
CREATE TABLE feed_events (key TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
"""
DROP_SECONDARY = """
DROP INDEX IF EXISTS keys_key; DROP INDEX IF EXISTS keys_note; DROP INDEX IF EXISTS logs_note;
DROP INDEX IF EXISTS tasks_note; DROP INDEX IF EXISTS task_links_task;
DROP INDEX IF EXISTS task_links_key; DROP INDEX IF EXISTS links_note;
DROP INDEX IF EXISTS links_key; DROP INDEX IF EXISTS problems_note;
DROP INDEX IF EXISTS interactions_contact; DROP INDEX IF EXISTS interactions_note;
DROP INDEX IF EXISTS interactions_key; DROP INDEX IF EXISTS contacts_cadence;
"""
# The indexes of the stored rows, then those of the interactions (a build from nothing
# makes the first after the rows, the second after resolving the interactions). keys_key
# holds note_id too: the resolve reads a key's owners in order from it alone (no sort);
# links_note holds line too: network finds a log entry's links with one seek;
# contacts_cadence answers what a report's notices count (contacts, those without a
# cadence by kind) from a small index instead of the wide table.
ROW_INDEXES = """
CREATE INDEX IF NOT EXISTS keys_key ON keys(key, note_id);
CREATE INDEX IF NOT EXISTS keys_note ON keys(note_id);
CREATE INDEX IF NOT EXISTS logs_note ON logs(note_id);
CREATE INDEX IF NOT EXISTS tasks_note ON tasks(note_id);
CREATE INDEX IF NOT EXISTS task_links_task ON task_links(task_id);
CREATE INDEX IF NOT EXISTS task_links_key ON task_links(key);
CREATE INDEX IF NOT EXISTS links_note ON links(note_id, line);
CREATE INDEX IF NOT EXISTS links_key ON links(key);
CREATE INDEX IF NOT EXISTS problems_note ON problems(note_id);
CREATE INDEX IF NOT EXISTS contacts_cadence ON contacts(cadence_set, archived, deceased, kind);
"""
INTERACTION_INDEXES = """
CREATE INDEX IF NOT EXISTS interactions_contact ON interactions(contact_id, date, rank);
CREATE INDEX IF NOT EXISTS interactions_note ON interactions(note_id);
CREATE INDEX IF NOT EXISTS interactions_key ON interactions(key) WHERE key IS NOT NULL;
"""
SECONDARY = ROW_INDEXES + INTERACTION_INDEXES

# The interactions of notes, resolved (rank 3 log, 2 mention, 1 field: see the table).
RESOLVE_LOGS = """
INSERT INTO interactions(contact_id, date, rank, note_id, line, key)
SELECT l.note_id, l.date, 3, l.note_id, l.line, NULL FROM logs l
  JOIN notes n ON n.id = l.note_id WHERE n.is_contact = 1 AND {where}
"""
RESOLVE_FIELDS = """
INSERT INTO interactions(contact_id, date, rank, note_id, line, key)
SELECT note_id, last_contact, 1, note_id, NULL, NULL FROM contacts
 WHERE last_contact IS NOT NULL AND {where}
"""
RESOLVE_MENTIONS = """
INSERT INTO interactions(contact_id, date, rank, note_id, line, key)
SELECT k.note_id, coalesce(li.date, n.date), 2, li.note_id, li.line, li.key FROM links li
  JOIN notes n ON n.id = li.note_id JOIN keys k ON k.key = li.key
 WHERE li.why IS NULL AND coalesce(li.date, n.date) IS NOT NULL AND n.id != k.note_id
   AND {where}
 GROUP BY li.rowid, k.note_id  -- once a link and owner (a name may also be the file name)
"""

# The links of some notes (those just stored, or kept: store.keptrows), found by note
# (left to itself the planner reads every link of the vault for them).
NOTE_MENTIONS = RESOLVE_MENTIONS.replace("FROM links li", "FROM links li INDEXED BY links_note")

TABLES = (
    "feed_events", "stale", "interactions", "problems", "links", "task_links", "tasks", "logs", "keys", "contacts",
    "notes", "meta",
)  # fmt: skip


def schema_sql() -> str:
    """Every table (no index: ``SECONDARY``), as statements for ``executescript``."""
    from vaultnet.store.contactschema import CONTACT_DEFS

    return _SCHEMA.format(contact_defs=CONTACT_DEFS)


class _Inserts(dict[str, str]):
    """The statement that inserts a row of each table. The contacts' is made from the
    fields' declarations the first time it is asked for."""

    def __missing__(self, table: str) -> str:
        if table != "contacts":
            raise KeyError(table)
        from vaultnet.store.contactschema import CONTACT_INSERT

        self[table] = CONTACT_INSERT
        return CONTACT_INSERT


def task_rows(
    tid: int,
    nid: int,
    note_tasks: Iterable[tuple[Any, ...]],
    tasks: list[tuple[Any, ...]],
    task_links: list[tuple[int, str]],
) -> int:
    """Append the rows of note ``nid``'s tasks, each (line, text, due, done, keys), to
    ``tasks`` and ``task_links``, numbered on from task id ``tid``; the last id given."""
    for line, text, due, done, task_keys in note_tasks:
        tid += 1
        tasks.append((tid, nid, line, text, due, done, bool(task_keys)))
        task_links.extend((tid, k) for k in task_keys)
    return tid


INSERTS = _Inserts(
    {
        "notes": "INSERT INTO notes(id, path, mtime_ns, size, date, is_contact) VALUES (?,?,?,?,?,?)",
        "keys": "INSERT INTO keys(key, note_id, source) VALUES (?, ?, ?)",
        "logs": "INSERT INTO logs VALUES (?, ?, ?, ?)",
        "tasks": "INSERT INTO tasks(id, note_id, line, text, due, done, has_links) "
        "VALUES (?,?,?,?,?,?,?)",
        "task_links": "INSERT INTO task_links VALUES (?, ?)",
        "links": "INSERT INTO links VALUES (?, ?, ?, ?, ?)",
        "problems": "INSERT INTO problems VALUES (?, ?, ?)",
    }
)
