"""The SQLite cache of what the notes say. Disposable: delete it and it is rebuilt.

All SQL lives here. ``Index.update`` reconciles the cache with the files on disk by
(mtime_ns, size), reparsing only what changed, in one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import stat as stat_mod
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultnet.core.config import CONFIG_DIR, Config
from vaultnet.core.links import path_stem
from vaultnet.core.model import ContactData, ParsedNote, Problem
from vaultnet.core.names import fold
from vaultnet.vault.scan import FileStat, Ignore, encodable, scan

if TYPE_CHECKING:
    from vaultnet.vault import parse as notes_mod

SCHEMA_VERSION = 4
BATCH = 500  # notes a chunk: parsed together, stored with one statement a table
BULK = 2000  # a build from nothing of this many notes makes its indexes after the rows
CHECKED_NAME = "index.checked"  # the index file's (size, mtime) when last known sound

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL, date TEXT, is_contact INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE contacts (
    note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    path TEXT NOT NULL, name TEXT NOT NULL, kind TEXT, company TEXT, title TEXT,
    emails TEXT NOT NULL, phone TEXT, linkedin TEXT, location TEXT, tags TEXT NOT NULL,
    aliases TEXT NOT NULL, birthday TEXT, work_anniversary TEXT, dates TEXT NOT NULL,
    cadence_days INTEGER, cadence_set INTEGER NOT NULL, last_contact TEXT, snooze_until TEXT,
    introduced_by TEXT, how_met TEXT, archived INTEGER NOT NULL, deceased INTEGER NOT NULL,
    private INTEGER NOT NULL, fields TEXT NOT NULL
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
    line INTEGER NOT NULL, key TEXT NOT NULL
);
CREATE TABLE problems (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    line INTEGER, message TEXT NOT NULL
);
CREATE TABLE feed_events (key TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
"""
_DROP_SECONDARY = """
DROP INDEX IF EXISTS keys_key; DROP INDEX IF EXISTS keys_note; DROP INDEX IF EXISTS logs_note;
DROP INDEX IF EXISTS tasks_note; DROP INDEX IF EXISTS task_links_task;
DROP INDEX IF EXISTS task_links_key; DROP INDEX IF EXISTS links_note;
DROP INDEX IF EXISTS links_key; DROP INDEX IF EXISTS problems_note;
"""
SECONDARY = """
CREATE INDEX IF NOT EXISTS keys_key ON keys(key);
CREATE INDEX IF NOT EXISTS keys_note ON keys(note_id);
CREATE INDEX IF NOT EXISTS logs_note ON logs(note_id);
CREATE INDEX IF NOT EXISTS tasks_note ON tasks(note_id);
CREATE INDEX IF NOT EXISTS task_links_task ON task_links(task_id);
CREATE INDEX IF NOT EXISTS task_links_key ON task_links(key);
CREATE INDEX IF NOT EXISTS links_note ON links(note_id);
CREATE INDEX IF NOT EXISTS links_key ON links(key);
CREATE INDEX IF NOT EXISTS problems_note ON problems(note_id);
"""


@dataclass(frozen=True)
class UpdateStats:
    parsed: int
    deleted: int
    total: int
    seconds: float
    rebuilt: bool = False


ProgressFn = Callable[[int, int], None]  # (done, total)


def cache_path(vault: Path) -> Path:
    return vault / CONFIG_DIR / "cache" / "index.sqlite"


class Index:
    """The cache for one vault. Open it, ``update()`` it, query it, ``close()`` it."""

    def __init__(self, vault: Path, config: Config):
        self.vault = vault
        self.config = config
        self.path = cache_path(vault)
        self.ignore = Ignore(config.ignore)
        self._sound_state: str | None = None  # the file's state when last known sound
        self._wrote = False  # whether this process committed a write
        self.db: sqlite3.Connection = self._open()

    @functools.cached_property
    def rules(self) -> notes_mod.Rules:
        # The note parser (and the YAML library) load only when a note must be parsed.
        from vaultnet.vault import parse as notes_mod

        return notes_mod.Rules(tuple(self.config.contacts_folders), tuple(self.config.person_tags))

    # -- opening -----------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _ensure_gitignore(self.vault / CONFIG_DIR)
        try:
            db = self._connect()
            if self._usable(db):
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass
        self._delete_files()
        db = self._connect()
        self._create(db)
        self._wrote = True
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _usable(self, db: sqlite3.Connection) -> bool:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            return False
        row = db.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()
        if row is None or row[0] != self.config.fingerprint():
            return False
        # A damaged page elsewhere (contacts, links) would otherwise fail later, in a query,
        # on every run. quick_check reads every page once (0.2 s for 10,000 contacts and
        # 30,000 notes), so it runs only when the file is not as this code last left it.
        state = self._file_state()
        if state == self._checked_state() or (
            db.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
        ):
            self._sound_state = state
            return True
        return False

    def _file_state(self) -> str | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return f"{st.st_size} {st.st_mtime_ns}"

    def _checked_state(self) -> str | None:
        try:
            return (self.path.parent / CHECKED_NAME).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return None

    def _remember_state(self) -> None:
        """After closing: the file as this code left it needs no check on the next open.
        Not when something else changed it meanwhile (another process, or damage)."""
        state = self._file_state()
        if state is None or state == self._checked_state():
            return
        if not self._wrote and state != self._sound_state:
            return
        marker = self.path.parent / CHECKED_NAME
        tmp = marker.with_name(f".{CHECKED_NAME}.{os.getpid()}")
        with contextlib.suppress(OSError):
            tmp.write_text(state, encoding="ascii")
            os.replace(tmp, marker)

    def _create(self, db: sqlite3.Connection) -> None:
        drops = "".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES)
        db.executescript(f"BEGIN; {drops} {SCHEMA} {SECONDARY} COMMIT;")
        with _transaction(db):
            db.execute(
                "INSERT INTO meta(key, value) VALUES ('config', ?)", (self.config.fingerprint(),)
            )
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _delete_files(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path.parent / CHECKED_NAME)
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with _transaction(self.db):
            yield
        self._wrote = True

    def close(self) -> None:
        self.db.close()
        self._remember_state()

    def rebuild(self, progress: ProgressFn | None = None) -> UpdateStats:
        """Throw the cache away and build it anew."""
        self.db.close()
        self._delete_files()
        self.db = self._connect()
        self._create(self.db)
        stats = self.update(progress)
        return UpdateStats(stats.parsed, stats.deleted, stats.total, stats.seconds, rebuilt=True)

    # -- reconciling -------------------------------------------------------------------
    def update(self, progress: ProgressFn | None = None) -> UpdateStats:
        """Bring the cache up to date with the files on disk; parse only what changed."""
        start = time.perf_counter()
        changed: list[FileStat] = []
        gone: list[int] = []
        total = deleted = 0
        indexed = self.db.execute("SELECT path, mtime_ns, size, id FROM notes ORDER BY path")
        for on_disk, in_db in _merge(scan(self.vault, self.ignore), indexed):
            if on_disk is not None:
                total += 1
            elif in_db is not None:
                deleted += 1
            if in_db is not None and (
                on_disk is None or (on_disk.mtime_ns, on_disk.size) != (in_db[1], in_db[2])
            ):
                gone.append(in_db[3])
            if on_disk is not None and (
                in_db is None or (on_disk.mtime_ns, on_disk.size) != (in_db[1], in_db[2])
            ):
                changed.append(on_disk)
        self.apply(changed, gone, progress)
        return UpdateStats(len(changed), deleted, total, time.perf_counter() - start)

    def apply(
        self,
        changed: Iterable[FileStat],
        gone_ids: Iterable[int],
        progress: ProgressFn | None = None,
    ) -> None:
        """Delete ``gone_ids`` and (re)parse ``changed`` in one transaction."""
        changed = list(changed)
        ids = list(gone_ids)
        if not changed and not ids:
            return  # no write lock, and the parser is not even loaded
        with self._writing():
            for i in range(0, len(ids), BATCH):
                chunk = ids[i : i + BATCH]
                self._note_removal(chunk)
                self.db.execute(
                    f"DELETE FROM notes WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            bulk = len(changed) >= BULK and not self.db.execute("SELECT 1 FROM notes").fetchone()
            if bulk:  # a build from nothing: indexes are cheaper made once, after the rows
                _run_each(self.db, _DROP_SECONDARY)
            done = 0
            for chunk_notes in _parsed_in_chunks(self.vault, changed, self.rules):
                self._store_many(chunk_notes)
                done += len(chunk_notes)
                if progress is not None:
                    progress(done, len(changed))
            if bulk:
                _run_each(self.db, SECONDARY)

    def refresh_paths(self, rel_paths: Iterable[str]) -> int:
        """Re-examine just these paths (for the watcher): parse what changed, drop what vanished."""
        changed: list[FileStat] = []
        gone: list[int] = []
        from vaultnet.vault.scan import wanted

        for rel in sorted(set(rel_paths)):
            if not encodable(rel):  # a name that is not UTF-8: the scan skips it too
                continue
            row = self.db.execute(
                "SELECT id, mtime_ns, size FROM notes WHERE path = ?", (rel,)
            ).fetchone()
            stat = None
            try:
                st = os.stat(self.vault / rel)
                # Only regular files, as the full scan: a FIFO named *.md would block the reader.
                if stat_mod.S_ISREG(st.st_mode) and wanted(rel, self.ignore):
                    stat = FileStat(rel, st.st_mtime_ns, st.st_size)
            except (OSError, UnicodeEncodeError):
                stat = None
            if row is not None and (stat is None or (stat.mtime_ns, stat.size) != (row[1], row[2])):
                gone.append(row[0])
            if stat is not None and (row is None or (stat.mtime_ns, stat.size) != (row[1], row[2])):
                changed.append(stat)
        if changed or gone:
            self.apply(changed, gone)
        return len(changed) + len(gone)

    def _store_many(self, items: list[tuple[FileStat, ParsedNote]]) -> None:
        """Insert the rows of these notes, a statement a table for the whole chunk."""
        db = self.db
        paths = [stat.path for stat, _ in items]
        # Another process (a watcher, a second command) may have stored these paths between
        # our scan and our write lock: replace its rows rather than fail on the unique path.
        marks = ",".join("?" * len(paths))
        old = [r[0] for r in db.execute(f"SELECT id FROM notes WHERE path IN ({marks})", paths)]
        if old:
            self._note_removal(old)
            db.execute(f"DELETE FROM notes WHERE id IN ({','.join('?' * len(old))})", old)
        if any(note.contact is not None for _, note in items):
            self._bump("contacts")
        if any(note.tasks for _, note in items):
            self._bump("tasks")
        # Ids are never reused: a process holding the id of a note that vanished (read
        # before this transaction) must not delete a newer note under the same id.
        nid = max(
            db.execute("SELECT coalesce(max(id), 0) FROM notes").fetchone()[0],
            int(
                db.execute(
                    "SELECT coalesce(max(value), 0) FROM meta WHERE key = 'last_note_id'"
                ).fetchone()[0]
            ),
        )
        tid = db.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0]
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _INSERTS}
        for stat, note in items:
            nid += 1
            c = note.contact
            rows["notes"].append(
                (nid, stat.path, stat.mtime_ns, stat.size, _iso(note.date), c is not None)
            )
            if c is not None:
                rows["contacts"].append(_contact_row(nid, stat.path, c))
                keys = {(fold(note.stem), "file"), (fold(c.name), "name")}
                keys.update((fold(a), "alias") for a in c.aliases)
                rows["keys"].extend((k, nid, s) for k, s in keys if k)
            rows["logs"].extend((nid, e.line, e.date.isoformat(), e.text) for e in note.logs)
            for t in note.tasks:
                tid += 1
                rows["tasks"].append((tid, nid, t.line, t.text, _iso(t.due), t.done, bool(t.links)))
                rows["task_links"].extend((tid, k) for k in t.links)
            rows["links"].extend((nid, li.line, li.key) for li in note.links)
            rows["problems"].extend((nid, p.line, p.message) for p in note.problems)
        for name, sql in _INSERTS.items():
            if rows[name]:
                db.executemany(sql, rows[name])
        db.execute(
            "INSERT INTO meta(key, value) VALUES ('last_note_id', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(nid),),
        )

    def _note_removal(self, ids: list[int]) -> None:
        """Before these notes' rows go: count a change of the contacts or tasks they held."""
        marks = ",".join("?" * len(ids))
        db = self.db
        if db.execute(f"SELECT 1 FROM contacts WHERE note_id IN ({marks}) LIMIT 1", ids).fetchone():
            self._bump("contacts")
        if db.execute(f"SELECT 1 FROM tasks WHERE note_id IN ({marks}) LIMIT 1", ids).fetchone():
            self._bump("tasks")

    def _bump(self, what: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (f"{what}_generation",),
        )

    def generation(self, what: str) -> int:
        """A number that changes whenever any note's ``contacts`` or ``tasks`` rows change
        (what reports derived from them, like the calendar feed, can be kept by)."""
        row = self.db.execute(
            "SELECT value FROM meta WHERE key = ?", (f"{what}_generation",)
        ).fetchone()
        return int(row[0]) if row else 0

    # -- rendered calendar events (see calendar.render_feed) -----------------------------
    def cached_events(self, keys: AbstractSet[str]) -> dict[str, bytes]:
        """The stored bytes of those of ``keys`` that are stored."""
        if len(keys) <= BATCH:
            marks = ",".join("?" * len(keys))
            sql = f"SELECT key, body FROM feed_events WHERE key IN ({marks})"
            return dict(self.db.execute(sql, list(keys)))
        return {k: b for k, b in self.db.execute("SELECT key, body FROM feed_events") if k in keys}

    def store_feed(self, key: str, body: bytes) -> None:
        """Keep a whole feed (``feed:`` keys), in place of the one kept before."""
        with self._writing():
            self.db.execute("DELETE FROM feed_events WHERE key LIKE 'feed:%'")
            self.db.execute("INSERT INTO feed_events(key, body) VALUES (?, ?)", (key, body))

    def store_events(self, fresh: dict[str, bytes], used: AbstractSet[str]) -> None:
        """Keep ``fresh``; forget what no feed used lately (more than one feed's worth)."""
        if not fresh:
            return
        with self._writing():
            self.db.executemany(
                "INSERT OR REPLACE INTO feed_events(key, body) VALUES (?, ?)", fresh.items()
            )
            stored = self.db.execute("SELECT count(*) FROM feed_events").fetchone()[0]
            if stored > 2 * len(used) + 64:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep_events(key TEXT)")
                self.db.execute("DELETE FROM keep_events")
                self.db.executemany("INSERT INTO keep_events VALUES (?)", ((k,) for k in used))
                self.db.execute(
                    "DELETE FROM feed_events WHERE key NOT IN (SELECT key FROM keep_events)"
                    " AND key NOT LIKE 'feed:%'"
                )

    # -- queries -----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        q = self.db.execute
        return {
            "notes": q("SELECT count(*) FROM notes").fetchone()[0],
            "contacts": q("SELECT count(*) FROM contacts").fetchone()[0],
            "problems": q("SELECT count(*) FROM problems").fetchone()[0],
        }

    def contact_rows(self, paths: Collection[str] | None = None) -> Iterator[dict[str, Any]]:
        """Every contact's stored fields (or those of ``paths``), in path order, one at a
        time (10,000 rows held at once would double what a report holds in memory).
        ``fields`` (every front-matter key) stays JSON text: few callers need it."""
        if paths is None:
            cur = self.db.execute("SELECT * FROM contacts ORDER BY path")
        else:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_paths(path TEXT)")
            self.db.execute("DELETE FROM wanted_paths")
            self.db.executemany("INSERT INTO wanted_paths VALUES (?)", ((p,) for p in paths))
            cur = self.db.execute(
                "SELECT * FROM contacts WHERE path IN (SELECT path FROM wanted_paths) ORDER BY path"
            )
        names = [d[0] for d in cur.description]
        for values in cur:
            row = dict(zip(names, values, strict=True))
            for key in ("emails", "tags", "aliases", "dates"):
                row[key] = json.loads(row[key])
            yield row

    def contact_states(self) -> dict[str, tuple[int, int]]:
        """contact note path -> (mtime_ns, size) as indexed."""
        sql = "SELECT path, mtime_ns, size FROM notes WHERE is_contact = 1"
        return {path: (mtime, size) for path, mtime, size in self.db.execute(sql)}

    def last_contacts(self, today: date) -> dict[int, tuple[str, str, str | None]]:
        """contact id -> (date, how it is known, where) of the latest interaction up to today.
        On one day, a log entry wins over a mention, and a mention over the field."""
        return {
            cid: (best[:10], how, where)
            for cid, best, how, where in self.db.execute(
                _LAST_CONTACTS, {"today": today.isoformat()}
            )
        }

    def interactions(
        self, contact_id: int, today: date, limit: int = 10
    ) -> list[tuple[str, str, str, str | None]]:
        """Latest interactions of one contact: (date, kind, text, where)."""
        return [
            tuple(row)  # type: ignore[misc]
            for row in self.db.execute(
                """
                SELECT l.date, 'log', l.text, NULL FROM logs l
                 WHERE l.note_id = :cid AND l.date <= :today
                UNION
                SELECT n.date, 'mention', '', n.path FROM links li
                  JOIN notes n ON n.id = li.note_id JOIN keys k ON k.key = li.key
                 WHERE k.note_id = :cid AND n.date IS NOT NULL AND n.date <= :today
                   AND n.id != :cid
                ORDER BY 1 DESC LIMIT :limit
                """,
                {"cid": contact_id, "today": today.isoformat(), "limit": limit},
            )
        ]

    def interaction_counts(self, today: date) -> dict[int, tuple[int, str, str]]:
        """contact id -> (days with a log entry or a mention, first such day, last such day),
        up to today. Several on one day count once."""
        return {
            int(cid): (int(days), first, last)
            for cid, days, first, last in self.db.execute(
                _INTERACTION_COUNTS, {"today": today.isoformat()}
            )
        }

    def co_mentions(self, today: date) -> list[tuple[int, int, int, str]]:
        """(contact a, contact b, days, last day) for each pair of contacts (a < b) that one dated
        note links, or that a contact's log entry links, up to today."""
        return [
            (int(a), int(b), int(days), last)
            for a, b, days, last in self.db.execute(_CO_MENTIONS, {"today": today.isoformat()})
        ]

    def open_tasks(
        self, due_by: date | None = None
    ) -> Iterator[tuple[int, str, int, str, str | None]]:
        """(contact id, note path, line, text, due) of every open task a contact owns (only
        those due by ``due_by``, when given)."""
        if due_by is None:
            yield from self.db.execute(_OPEN_TASKS.format(due=""))
        else:
            sql = _OPEN_TASKS.format(due="AND t.due IS NOT NULL AND t.due <= :due_by")
            yield from self.db.execute(sql, {"due_by": due_by.isoformat()})

    def problems(self) -> list[Problem]:
        return [
            Problem(path, line, message)
            for path, line, message in self.db.execute(
                "SELECT n.path, p.line, p.message FROM problems p JOIN notes n ON n.id = p.note_id"
                " ORDER BY n.path, p.line"
            )
        ]

    def key_owners(self) -> list[tuple[str, int, str, str, str]]:
        """(key, contact id, source, path, name) for every name, alias and file name."""
        return list(
            self.db.execute(
                "SELECT k.key, k.note_id, k.source, c.path, c.name FROM keys k"
                " JOIN contacts c ON c.note_id = k.note_id ORDER BY k.key, c.path"
            )
        )

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


_TABLES = (
    "feed_events",
    "problems",
    "links",
    "task_links",
    "tasks",
    "logs",
    "keys",
    "contacts",
    "notes",
    "meta",
)

_N = "JOIN notes n ON n.id = x.note_id"
_SNAPSHOT = {
    "notes": "SELECT path, mtime_ns, size, date, is_contact FROM notes",
    "contacts": "SELECT * FROM contacts",
    "keys": f"SELECT n.path, x.key, x.source FROM keys x {_N}",
    "logs": f"SELECT n.path, x.line, x.date, x.text FROM logs x {_N}",
    "tasks": f"SELECT n.path, x.line, x.text, x.due, x.done, x.has_links FROM tasks x {_N}",
    "task_links": "SELECT n.path, t.line, l.key FROM task_links l JOIN tasks t ON t.id = l.task_id"
    " JOIN notes n ON n.id = t.note_id",
    "links": f"SELECT n.path, x.line, x.key FROM links x {_N}",
    "problems": f"SELECT n.path, x.line, x.message FROM problems x {_N}",
}

# SQLite takes the bare columns of a max() aggregate from the row that holds the maximum.
_LAST_CONTACTS = """
SELECT cid, max(day || rank), how, place FROM (
    SELECT note_id AS cid, date AS day, '3' AS rank, 'log' AS how, NULL AS place
      FROM logs WHERE date <= :today
    UNION ALL
    SELECT k.note_id, n.date, '2', 'mention', n.path FROM links li
      JOIN notes n ON n.id = li.note_id JOIN keys k ON k.key = li.key
     WHERE n.date IS NOT NULL AND n.date <= :today AND n.id != k.note_id
    UNION ALL
    SELECT note_id, last_contact, '1', 'field', NULL FROM contacts WHERE last_contact <= :today
) GROUP BY cid
"""

# A task belongs to the contact whose note holds it, to every contact its own line links,
# and, when its line links nobody and it is not in a contact's note, to every contact the note links.
_OPEN_TASKS = """
SELECT t.note_id, n.path, t.line, t.text, t.due FROM tasks t JOIN notes n ON n.id = t.note_id
 WHERE t.done = 0 AND n.is_contact = 1 {due}
UNION
SELECT k.note_id, n.path, t.line, t.text, t.due FROM tasks t
  JOIN notes n ON n.id = t.note_id JOIN task_links tl ON tl.task_id = t.id
  JOIN keys k ON k.key = tl.key
 WHERE t.done = 0 {due}
UNION
SELECT k.note_id, n.path, t.line, t.text, t.due FROM tasks t
  JOIN notes n ON n.id = t.note_id JOIN links li ON li.note_id = t.note_id
  JOIN keys k ON k.key = li.key
 WHERE t.done = 0 AND t.has_links = 0 AND n.is_contact = 0 {due}
"""


_INTERACTION_COUNTS = """
SELECT cid, count(DISTINCT day), min(day), max(day) FROM (
    SELECT note_id AS cid, date AS day FROM logs WHERE date <= :today
    UNION ALL
    SELECT k.note_id, n.date FROM links li
      JOIN notes n ON n.id = li.note_id JOIN keys k ON k.key = li.key
     WHERE n.date IS NOT NULL AND n.date <= :today AND n.id != k.note_id
) GROUP BY cid
"""

# Two contacts met together: both linked from one dated note, or one linked from a log entry
# in the other's note ("- 2026-03-02 Lunch with [[Bo]]").
_CO_MENTIONS = """
SELECT a, b, count(DISTINCT day), max(day) FROM (
    SELECT ka.note_id AS a, kb.note_id AS b, n.date AS day FROM notes n
      JOIN links la ON la.note_id = n.id JOIN keys ka ON ka.key = la.key
      JOIN links lb ON lb.note_id = n.id JOIN keys kb ON kb.key = lb.key
     WHERE n.date IS NOT NULL AND n.date <= :today AND ka.note_id < kb.note_id
       AND n.id != ka.note_id AND n.id != kb.note_id
    UNION ALL
    SELECT min(l.note_id, k.note_id), max(l.note_id, k.note_id), l.date FROM logs l
      JOIN links li ON li.note_id = l.note_id AND li.line = l.line JOIN keys k ON k.key = li.key
     WHERE l.date <= :today AND k.note_id != l.note_id
) GROUP BY a, b
"""


_INSERTS = {
    "notes": "INSERT INTO notes(id, path, mtime_ns, size, date, is_contact) VALUES (?,?,?,?,?,?)",
    "contacts": f"INSERT INTO contacts VALUES ({','.join('?' * 25)})",
    "keys": "INSERT INTO keys(key, note_id, source) VALUES (?, ?, ?)",
    "logs": "INSERT INTO logs VALUES (?, ?, ?, ?)",
    "tasks": "INSERT INTO tasks(id, note_id, line, text, due, done, has_links) "
    "VALUES (?,?,?,?,?,?,?)",
    "task_links": "INSERT INTO task_links VALUES (?, ?)",
    "links": "INSERT INTO links VALUES (?, ?, ?)",
    "problems": "INSERT INTO problems VALUES (?, ?, ?)",
}


def _contact_row(nid: int, path: str, c: ContactData) -> tuple[Any, ...]:
    return (
        nid,
        path,
        c.name,
        c.kind,
        c.company,
        c.title,
        json.dumps(c.emails),
        c.phone,
        c.linkedin,
        c.location,
        json.dumps(c.tags),
        json.dumps(c.aliases),
        _str(c.birthday),
        _str(c.work_anniversary),
        json.dumps({k: str(v) for k, v in c.dates.items()}),
        c.cadence_days,
        c.cadence_set,
        _iso(c.last_contact),
        _iso(c.snooze_until),
        c.introduced_by,
        c.how_met,
        c.archived,
        c.deceased,
        c.private,
        json.dumps(c.fields),
    )


def read_and_parse(vault: Path, stat: FileStat, rules: notes_mod.Rules) -> ParsedNote | None:
    """One note, read and parsed; None when it vanished since the scan."""
    try:
        with open(vault / stat.path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        note = ParsedNote(path=stat.path, stem=path_stem(stat.path))
        note.problems.append(Problem(stat.path, None, f"cannot read: {exc.strerror}"))
        return note
    from vaultnet.vault import parse as notes_mod

    return notes_mod.parse_note(stat.path, data, rules)


def _parse_chunk(
    vault: Path, stats: list[FileStat], rules: notes_mod.Rules
) -> list[tuple[FileStat, ParsedNote]]:
    out = []
    for stat in stats:
        note = read_and_parse(vault, stat, rules)
        if note is not None:
            out.append((stat, note))
    return out


def _parsed_in_chunks(
    vault: Path, changed: list[FileStat], rules: notes_mod.Rules
) -> Iterator[list[tuple[FileStat, ParsedNote]]]:
    """The changed notes parsed, a chunk at a time, in order.

    In this process: worker processes were tried for a cold build and measured slower on
    two cores (12 s serial against 18 s for 10,000 contacts + 30,000 notes), since every
    parsed note then has to be pickled back to the process that stores it.
    """
    for i in range(0, len(changed), BATCH):
        yield _parse_chunk(vault, changed[i : i + BATCH], rules)


def _run_each(db: sqlite3.Connection, script: str) -> None:
    """Run a script's statements inside the current transaction (``executescript`` may
    commit first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _merge(
    disk: Iterable[FileStat], db: Iterable[tuple[str, int, int, int]]
) -> Iterator[tuple[FileStat | None, tuple[str, int, int, int] | None]]:
    """Walk two path-sorted streams side by side (no dict of every path in memory)."""
    disk_it, db_it = iter(disk), iter(db)
    a = next(disk_it, None)
    b = next(db_it, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a.path < b[0]):
            yield a, None
            a = next(disk_it, None)
        elif a is None or b[0] < a.path:
            yield None, b
            b = next(db_it, None)
        else:
            yield a, b
            a, b = next(disk_it, None), next(db_it, None)


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def _ensure_gitignore(folder: Path) -> None:
    """``.vaultnet/.gitignore`` keeps the cache out of git; written once, never overwritten."""
    path = folder / ".gitignore"
    if path.exists():
        return
    from vaultnet.core.errors import NoteError
    from vaultnet.vault.fsio import atomic_write

    with contextlib.suppress(NoteError, OSError):
        atomic_write(path, b"# vaultnet's index is a disposable cache\ncache/\n", create=True)
