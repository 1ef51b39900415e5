"""Bringing the index up to date with the files: the reconcile by (mtime_ns, size), and
storing parsed notes. Only new and changed notes are read and parsed, in one transaction."""

from __future__ import annotations

import os
import stat as stat_mod
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultnet.core.tuples import NamedTuple
from vaultnet.store.connection import BATCH, Connection, run_each
from vaultnet.store.dependents import Changes, dependents, ids_of, keys_touched
from vaultnet.store.reading import Changed, parsed_in_chunks
from vaultnet.store.scanmark import differences, keep_scan_mark, scan_mark
from vaultnet.store.schema import (
    DROP_SECONDARY,
    INSERTS,
    INTERACTION_INDEXES,
    NOTE_MENTIONS,
    RESOLVE_FIELDS,
    RESOLVE_LOGS,
    RESOLVE_MENTIONS,
    ROW_INDEXES,
    task_rows,
)
from vaultnet.vault.scan import FileStat, Ignore, Listing, encodable
from vaultnet.vault.scan import scan_rows as scan  # plain tuples: no object a note

if TYPE_CHECKING:
    from vaultnet.store.rows import NoteRows
    from vaultnet.vault import parse as notes_mod

BULK = 2000  # a build from nothing of this many notes makes its indexes after the rows
TWO_CORES = 500  # a batch of this many notes is parsed on two cores (``store.parallel``) ...
SMALL_CHUNK = 50  # ... in chunks of a sixteenth of it, no fewer notes than this


class UpdateStats(NamedTuple):
    parsed: int
    deleted: int
    total: int
    seconds: float
    rebuilt: bool = False


ProgressFn = Callable[[int, int], None]  # (done, total)


class _NotEmpty(Exception):
    """A build from nothing found the table filled by another process meanwhile."""


class Reconcile(Connection):
    """The index's side of keeping up with the vault (part of ``store.index.Index``)."""

    vault: Path
    ignore: Ignore
    # The change counters just before and just after this process's last write (read under
    # the write lock), or None when its last apply wrote nothing: who else changed what.
    last_applied: tuple[dict[str, int], dict[str, int]] | None = None
    # Set by a process whose other threads hold no lock that parsing needs (the watcher's):
    # its large batches are parsed on two cores all the same (``store.parallel``).
    fork_beside_threads = False
    # What the last ``update(track=N)`` changed, for a report kept by parts; None when it
    # was not tracked, changed nothing or more than N notes.
    last_changes: Changes | None = None
    # Whether the last apply found a note gone that its scan had seen (its row is missing).
    lost_one = False

    @property
    def rules(self) -> notes_mod.Rules:
        raise NotImplementedError

    def update(self, progress: ProgressFn | None = None, track: int = 0) -> UpdateStats:
        """Bring the cache up to date with the files on disk; parse only what changed.

        Every note is stat'ed, every time. The scan is compared with the table a chunk of
        paths at a time (``vault.scan.Listing``), and only where it differs from the scan
        of the last update that left the table equal to its scan, when no process changed
        a note's rows since (the ``notes`` counter): most runs read no row of the table.
        ``track``: when at most that many notes changed, ``last_changes`` tells which
        contacts they concern (``store.dependents``)."""
        start = time.perf_counter()
        known = self.generation("notes")
        listing = Listing(scan(self.vault, self.ignore))
        same = scan_mark(self, known)
        changed, gone, deleted, compared = differences(self.db, listing, same)
        tracked = 0 < len(changed) + len(gone) <= track
        concerned = dependents(self.db, gone) if tracked else set()  # the old versions
        self.last_changes = None

        def before_commit(applied: tuple[dict[str, int], dict[str, int]]) -> None:
            if compared:
                keep_scan_mark(self, applied, listing, known, self.lost_one)
            if tracked:
                nonlocal concerned
                concerned |= dependents(self.db, ids_of(self.db, changed.paths()))

        self.apply(changed, gone, progress, before_commit)
        if self.last_applied is None:  # nothing written (nor was the hook called)
            if compared:
                keep_scan_mark(self, None, listing, known)
        elif tracked:
            before, after = self.last_applied
            self.last_changes = Changes(before, after, frozenset(concerned), keys_touched(self.db))
        return UpdateStats(len(changed), deleted, listing.total, time.perf_counter() - start)

    def apply(
        self,
        changed: Changed | Iterable[FileStat],
        gone_ids: Iterable[int],
        progress: ProgressFn | None = None,
        before_commit: Callable[[tuple[dict[str, int], dict[str, int]]], None] | None = None,
    ) -> None:
        """Delete ``gone_ids`` and (re)parse ``changed`` in one transaction. A changed note's
        old rows go when its new ones are stored (or stay, marked stale, when its front
        matter broke: see ``_keep_stale``). ``before_commit`` is given the counters before
        and after, in the transaction, when it wrote."""
        changed = _chunked(changed)
        ids = list(gone_ids)
        self.last_applied = None
        self.lost_one = False
        if not changed and not ids:
            return  # no write lock, and the parser is not even loaded
        # A build from nothing deletes nothing and inserts every row under its note: the
        # foreign keys are not checked (a quarter of storing the rows). It is switched off
        # outside the transaction; when the table turns out not to be empty once the
        # write lock is held (another process filled it), the apply starts again.
        cold = not ids and len(changed) >= BULK and self._is_empty()
        if cold:
            self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            self._apply(changed, ids, progress, cold, before_commit)
        except _NotEmpty:
            self.db.execute("PRAGMA foreign_keys = ON")
            self._apply(changed, ids, progress, False, before_commit)
        finally:
            if cold:
                self.db.execute("PRAGMA foreign_keys = ON")

    def _is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM notes LIMIT 1").fetchone() is None

    def _apply(
        self,
        changed: Changed,
        ids: list[int],
        progress: ProgressFn | None,
        cold: bool,
        before_commit: Callable[[tuple[dict[str, int], dict[str, int]]], None] | None,
    ) -> None:
        with self._writing():
            before = self.generations()
            self._bump("notes")
            db = self.db
            db.execute("CREATE TEMP TABLE IF NOT EXISTS touched_keys(key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM touched_keys")
            newer_than = self._last_note_id()
            # The gone notes that are reparsed keep their rows until the new ones are stored.
            gone = self._paths_of(ids)
            gone_paths = set(gone.values())
            reparsed = {p for p in changed.paths() if p in gone_paths} if gone_paths else set()
            for i in range(0, len(ids), BATCH):
                doomed = [
                    nid for nid in ids[i : i + BATCH] if nid in gone and gone[nid] not in reparsed
                ]
                if doomed:
                    self._note_removal(doomed)
                    db.execute(
                        f"DELETE FROM notes WHERE id IN ({','.join('?' * len(doomed))})", doomed
                    )
            bulk = len(changed) >= BULK and self._is_empty()
            if cold and not bulk:
                raise _NotEmpty  # (rolled back: nothing was written yet)
            if bulk:  # a build from nothing: indexes are cheaper made once, after the rows
                run_each(db, DROP_SECONDARY)
            done = 0
            two_cores = bulk or len(changed) >= TWO_CORES
            for chunk_notes in parsed_in_chunks(
                self.vault,
                changed,
                self.rules,
                two_cores=two_cores,
                threads_ok=self.fork_beside_threads,
            ):
                self._store_many(chunk_notes, fresh=bulk)
                self.lost_one = self.lost_one or any(item[3] is None for item in chunk_notes)
                done += len(chunk_notes)
                if progress is not None:
                    progress(done, len(changed))
            if bulk:
                run_each(db, ROW_INDEXES)
            self._resolve(newer_than, everything=bulk)
            if bulk:  # (maintained row by row in the resolve, they would cost twice as much)
                run_each(db, INTERACTION_INDEXES)
            after = self.generations()
            if before_commit is not None:
                before_commit((before, after))
        self.last_applied = (before, after)

    def _paths_of(self, ids: list[int]) -> dict[int, str]:
        """The paths of the notes of these ids that are still in the table."""
        paths: dict[int, str] = {}
        for i in range(0, len(ids), BATCH):
            chunk = ids[i : i + BATCH]
            marks = ",".join("?" * len(chunk))
            paths.update(
                self.db.execute(f"SELECT id, path FROM notes WHERE id IN ({marks})", chunk)
            )
        return paths

    def _last_note_id(self) -> int:
        """The highest note id ever given (ids are never reused)."""
        return int(
            max(
                self.db.execute("SELECT coalesce(max(id), 0) FROM notes").fetchone()[0],
                int(
                    self.db.execute(
                        "SELECT coalesce(max(value), 0) FROM meta WHERE key = 'last_note_id'"
                    ).fetchone()[0]
                ),
            )
        )

    def _resolve(self, newer_than: int, everything: bool = False) -> None:
        """The interactions of the notes stored after id ``newer_than``, and the mentions
        anywhere of every name, alias or file name that was added or removed (in
        ``touched_keys``): links resolved once, when stored, not on every query. A contact
        replaced by a new version keeps its mentions under its new id (``_store_many``);
        only the names it gained are resolved anew, and a contact that went takes its
        mentions with it (``_note_removal``)."""
        db = self.db
        if everything:
            for sql in (RESOLVE_LOGS, RESOLVE_FIELDS, RESOLVE_MENTIONS):
                db.execute(sql.format(where="1"), {"lo": newer_than})
            return
        db.execute("DELETE FROM interactions WHERE key IN (SELECT key FROM touched_keys)")
        db.execute(RESOLVE_LOGS.format(where="l.note_id > :lo"), {"lo": newer_than})
        db.execute(RESOLVE_FIELDS.format(where="note_id > :lo"), {"lo": newer_than})
        db.execute(
            RESOLVE_MENTIONS.format(where="li.key IN (SELECT key FROM touched_keys)"),
            {"lo": newer_than},
        )
        db.execute(
            NOTE_MENTIONS.format(
                where="li.note_id > :lo AND li.key NOT IN (SELECT key FROM touched_keys)"
            ),
            {"lo": newer_than},
        )

    def refresh_paths(self, rel_paths: Iterable[str]) -> int:
        """Re-examine just these paths (for the watcher): parse what changed, drop what vanished.
        One stat a path and one query a chunk of them: nothing here grows with the vault."""
        changed: list[FileStat] = []
        gone: list[int] = []
        from vaultnet.vault.scan import wanted

        # A name that is not UTF-8 is skipped, as the full scan skips it.
        rels = [rel for rel in sorted(set(rel_paths)) if encodable(rel)]
        indexed: dict[str, tuple[int, int, int]] = {}
        for i in range(0, len(rels), BATCH):
            chunk = rels[i : i + BATCH]
            marks = ",".join("?" * len(chunk))
            for path, nid, mtime_ns, size in self.db.execute(
                f"SELECT path, id, mtime_ns, size FROM notes WHERE path IN ({marks})", chunk
            ):
                indexed[path] = (nid, mtime_ns, size)
        for rel in rels:
            row = indexed.get(rel)
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

    def _store_many(self, items: list[NoteRows], *, fresh: bool = False) -> None:
        """Insert the rows of these notes (see ``note_rows``), a statement a table for the
        whole chunk (a note without rows vanished since the scan: its old rows go). In a
        build from nothing (``fresh``) no path has old rows and the resolve is done for
        every name at once: neither is looked for."""
        db = self.db
        old = {} if fresh else self._old_rows([item[0] for item in items])
        if old:
            items = self._kept(items, old)
        stored = [item for item in items if item[3] is not None]
        if any(item[3][1] is not None for item in stored):  # type: ignore[index]
            self._bump("contacts")
        if any(item[3][4] for item in stored):  # type: ignore[index]
            self._bump("tasks")
        # Ids are never reused: a process holding the id of a note that vanished (read
        # before this transaction) must not delete a newer note under the same id.
        nid = self._last_note_id()
        tid = db.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0]
        notes: list[tuple[Any, ...]] = []
        contacts: list[tuple[Any, ...]] = []
        keys_rows: list[tuple[str, int, str]] = []
        logs: list[tuple[Any, ...]] = []
        tasks: list[tuple[Any, ...]] = []
        task_links: list[tuple[int, str]] = []
        links: list[tuple[Any, ...]] = []
        problems: list[tuple[Any, ...]] = []
        new_keys: dict[str, tuple[int, set[str]]] = {}  # path -> (new id, keys)
        for path, mtime_ns, size, body in stored:
            assert body is not None
            day, crow, keys, note_logs, note_tasks, note_links, note_problems, _ = body
            nid += 1
            notes.append((nid, path, mtime_ns, size, day, crow is not None))
            if crow is not None:
                contacts.append((nid, *crow))
                keys_rows.extend((k, nid, source) for k, source in keys)
                new_keys[path] = (nid, {k for k, _ in keys})
            logs.extend((nid, *e) for e in note_logs)
            if note_tasks:
                tid = task_rows(tid, nid, note_tasks, tasks, task_links)
            links.extend((nid, *li) for li in note_links)
            problems.extend((nid, *p) for p in note_problems)
        self._carry_mentions(old, new_keys, fresh)
        doomed = [old[item[0]][0] for item in items if item[0] in old]
        if doomed:
            self._note_removal(doomed)
            db.execute(f"DELETE FROM notes WHERE id IN ({','.join('?' * len(doomed))})", doomed)
        for name, rows in (
            ("notes", notes),
            ("contacts", contacts),
            ("keys", keys_rows),
            ("logs", logs),
            ("tasks", tasks),
            ("task_links", task_links),
            ("links", links),
            ("problems", problems),
        ):
            if rows:
                db.executemany(INSERTS[name], rows)
        db.execute(
            "INSERT INTO meta(key, value) VALUES ('last_note_id', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(nid),),
        )

    def _kept(self, items: list[NoteRows], old: dict[str, tuple[int, int, int]]) -> list[NoteRows]:
        """The items still to store: a contact whose front matter broke keeps its last good
        rows (``_keep_stale``), a note whose own rows are the same keeps its id
        (``store.keptrows``)."""
        from vaultnet.store.keptrows import unchanged_kept

        items, tasks_moved = unchanged_kept(self.db, self._keep_stale(items, old), old)
        if tasks_moved:
            self._bump("tasks")
        return items

    def _old_rows(self, paths: list[str]) -> dict[str, tuple[int, int, int]]:
        """The rows these paths have already, (id, mtime_ns, is_contact) by path: this
        apply's own (a changed note), or another process's (a watcher, a second command)
        stored between our scan and our write lock. Replaced, unless a contact's front
        matter broke: then they stay, stale."""
        marks = ",".join("?" * len(paths))
        return {
            path: (nid, mtime_ns, is_contact)
            for nid, path, mtime_ns, is_contact in self.db.execute(
                f"SELECT id, path, mtime_ns, is_contact FROM notes WHERE path IN ({marks})", paths
            )
        }

    def _carry_mentions(
        self,
        old: dict[str, tuple[int, int, int]],
        new_keys: dict[str, tuple[int, set[str]]],
        fresh: bool,
    ) -> None:
        """A contact stored anew under a path that held a contact keeps the mentions of the
        names it still has, under its new id; the names it gained go to ``touched_keys``
        (resolved anew for every owner). A new contact's names are all gained. One
        statement each for the whole chunk, over the temp tables ``carry`` (old id, new id)
        and ``carry_keys`` (new id, name). Nothing in a build from nothing (``fresh``)."""
        if fresh:
            return
        db = self.db
        gained: set[str] = set()
        carried: list[tuple[int, int]] = []
        carried_keys: list[tuple[int, str]] = []
        for path, (new_id, keys) in new_keys.items():
            was = old.get(path)
            if was is None or not was[2]:
                gained |= keys
            else:
                carried.append((was[0], new_id))
                carried_keys.extend((new_id, k) for k in keys)
        if carried:
            db.execute(_CARRY_TABLES[0])
            db.execute(_CARRY_TABLES[1])
            db.execute("DELETE FROM carry")
            db.execute("DELETE FROM carry_keys")
            db.executemany("INSERT INTO carry VALUES (?, ?)", carried)
            db.executemany("INSERT INTO carry_keys VALUES (?, ?)", carried_keys)
            gained.update(k for (k,) in db.execute(_GAINED))
            db.execute(_CARRY)
        db.executemany("INSERT OR IGNORE INTO touched_keys VALUES (?)", ((k,) for k in gained))

    def _keep_stale(
        self, items: list[NoteRows], old: dict[str, tuple[int, int, int]]
    ) -> list[NoteRows]:
        """The items still to store: a contact whose front matter no longer parses keeps
        the rows of its last good parse (reports go on showing it; a calendar subscribed to
        the feed does not lose the event while the note is being typed), with the new
        problems and the time of the good version. A note deleted, or one that parses but
        is no contact any more, is replaced at once."""
        rest = []
        db = self.db
        for item in items:
            path, mtime_ns, size, body = item
            was = old.get(path)
            if body is None or was is None or not was[2] or not body[7]:
                rest.append(item)
                continue
            nid, good_mtime_ns, _ = was
            db.execute(
                "INSERT OR IGNORE INTO stale(note_id, good_mtime_ns) VALUES (?, ?)",
                (nid, good_mtime_ns),
            )
            db.execute(
                "UPDATE notes SET mtime_ns = ?, size = ? WHERE id = ?", (mtime_ns, size, nid)
            )
            db.execute("DELETE FROM problems WHERE note_id = ?", (nid,))
            db.executemany(INSERTS["problems"], [(nid, *p) for p in body[6]])
        return rest

    def _note_removal(self, ids: list[int]) -> None:
        """Before these notes' rows go: count a change of the contacts or tasks they held."""
        marks = ",".join("?" * len(ids))
        db = self.db
        # Its mentions go with a contact (those of a newer version were moved to it first).
        db.execute(f"DELETE FROM interactions WHERE contact_id IN ({marks})", ids)
        if db.execute(f"SELECT 1 FROM contacts WHERE note_id IN ({marks}) LIMIT 1", ids).fetchone():
            self._bump("contacts")
        if db.execute(f"SELECT 1 FROM tasks WHERE note_id IN ({marks}) LIMIT 1", ids).fetchone():
            self._bump("tasks")


# A contact stored anew (see ``_carry_mentions``): its old id and new id, its new names.
_CARRY_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS carry(old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS carry_keys("
    "new_id INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (new_id, key)) WITHOUT ROWID",
)
# The names a new version has that its old one had not.
_GAINED = """
SELECT DISTINCT ck.key FROM carry c JOIN carry_keys ck ON ck.new_id = c.new_id
 WHERE NOT EXISTS (SELECT 1 FROM keys k WHERE k.note_id = c.old_id AND k.key = ck.key)
"""
# The mentions of the names both versions have move to the new id.
_CARRY = """
UPDATE interactions SET contact_id = (SELECT new_id FROM carry WHERE old_id = contact_id)
 WHERE contact_id IN (SELECT old_id FROM carry) AND rank = 2
   AND EXISTS (
       SELECT 1 FROM carry c JOIN carry_keys ck ON ck.new_id = c.new_id
         JOIN keys k ON k.note_id = c.old_id AND k.key = ck.key
        WHERE c.old_id = interactions.contact_id AND ck.key = interactions.key)
"""


def _chunked(changed: Changed | Iterable[FileStat]) -> Changed:
    """The notes to parse, in chunks of BATCH, or smaller for a batch that is parsed on two
    cores without being a build (a sixteenth of it each: the two share them as they go)."""
    if not isinstance(changed, Changed):
        changed = Changed(changed)
    size = min(BATCH, max(SMALL_CHUNK, -(-len(changed) // 16)))
    if len(changed) < TWO_CORES or size >= BATCH:
        return changed
    rows = (row for i in range(changed.n_chunks) for row in changed.rows(i))
    return Changed(rows, size=size)
