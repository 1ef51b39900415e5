"""The index's tables. The contacts table is built from the contact fields' declarations
(``core.model.ContactData``): a new field gets its column without an edit here."""

from __future__ import annotations

import json
from typing import Any

from vaultnet.core.model import CONTACT_FIELDS, ContactData

SCHEMA_VERSION = 15

# The contacts table: the note's id and path, each declared field, then every front-matter
# key as JSON. Read back under the names ``Contact`` takes (``note_id`` as ``id``).
CONTACT_COLUMNS = ("note_id", "path", *(f.name for f in CONTACT_FIELDS), "fields")
_CONTACT_DEFS = ",\n    ".join(f"{f.name} {f.codec.sql}" for f in CONTACT_FIELDS)

SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL, date TEXT, is_contact INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE contacts (
    note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    {_CONTACT_DEFS},
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
TABLES = (
    "feed_events", "stale", "interactions", "problems", "links", "task_links", "tasks", "logs", "keys", "contacts",
    "notes", "meta",
)  # fmt: skip

INSERTS = {
    "notes": "INSERT INTO notes(id, path, mtime_ns, size, date, is_contact) VALUES (?,?,?,?,?,?)",
    "contacts": f"INSERT INTO contacts VALUES ({','.join('?' * len(CONTACT_COLUMNS))})",
    "keys": "INSERT INTO keys(key, note_id, source) VALUES (?, ?, ?)",
    "logs": "INSERT INTO logs VALUES (?, ?, ?, ?)",
    "tasks": "INSERT INTO tasks(id, note_id, line, text, due, done, has_links) "
    "VALUES (?,?,?,?,?,?,?)",
    "task_links": "INSERT INTO task_links VALUES (?, ?)",
    "links": "INSERT INTO links VALUES (?, ?, ?, ?, ?)",
    "problems": "INSERT INTO problems VALUES (?, ?, ?)",
}

_quoted = json.encoder.encode_basestring_ascii  # a str as json.dumps writes it


def _texts_json(value: Any) -> str:
    """json.dumps(value), cheaper for the usual list of strings (a contact's aliases,
    emails, tags: several a contact, most of them empty or short)."""
    if type(value) is list and all(type(v) is str for v in value):
        return "[" + ", ".join(map(_quoted, value)) + "]"
    return json.dumps(value)


_ENCODERS = tuple(
    (f.name, _texts_json if f.codec.encode is json.dumps else f.codec.encode)
    for f in CONTACT_FIELDS
)


def contact_row(nid: int, path: str, c: ContactData, front: dict[str, Any]) -> tuple[Any, ...]:
    """The contacts row of one note, in ``CONTACT_COLUMNS`` order."""
    values: list[Any] = [nid, path]
    for name, encode in _ENCODERS:
        value = getattr(c, name)
        values.append(value if encode is None or value is None else encode(value))
    values.append(json.dumps(front))
    return tuple(values)
