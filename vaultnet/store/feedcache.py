"""The calendar feed's rendered events, kept in the index (see ``core.ics.render_feed``).

Besides the events (and who holds each plain UID) under hashes of their content, it keeps
the last whole feed (its bytes under ``feed-bytes``, and a ``feed:`` key naming the state
of the vault they are the feed of), the plan of that feed (``feed_plan``: one row a contact,
its note's state, its folded name and its events' bytes; a ``plan:`` key says for which
settings, and which feed it is the plan of, see ``app.feed``) and a count of the writes of
events and plans (``stamp:writes``): a plan is good only while nobody else wrote after it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from collections.abc import Set as AbstractSet

from vaultnet.core.tuples import NamedTuple
from vaultnet.store.connection import BATCH, Connection

_STAMP = "stamp:writes"
# Events looked up by key up to this many keys; more are read in one pass over them all
# (measured at 10,000 contacts, ~19,000 events: 3,000 keys 7 ms by key, 12 ms in a pass).
LOOKED_UP = 4 * BATCH
_BYTES = "feed-bytes"
# What "forget what no feed used" never forgets: the feed, its plan, the stamp.
_KEPT = (
    f"key NOT LIKE 'feed:%' AND key NOT LIKE 'plan:%' AND key NOT LIKE 'stamp:%'"
    f" AND key != '{_BYTES}'"
)
# Keys from one prefix to the next (LIKE 'feed:%' would read every key: LIKE ignores case).
_PREFIXED = "key >= ? AND key < ?"
# Created by the first plan kept (a cache from nothing has none until a feed is rendered).
_PLAN_TABLE = """
CREATE TABLE IF NOT EXISTS feed_plan (
    path TEXT PRIMARY KEY, note_id INTEGER NOT NULL, name TEXT NOT NULL, events BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feed_plan_name ON feed_plan(name);
CREATE INDEX IF NOT EXISTS feed_plan_note ON feed_plan(note_id)
"""
# The plan's contacts whose note is gone (deleted, or stored anew under a new id).
_GONE = "SELECT path FROM feed_plan p WHERE NOT EXISTS (SELECT 1 FROM notes WHERE id = p.note_id)"


class PlanRow(NamedTuple):
    """One contact in a feed's plan: the id of the version of its note that its events
    were rendered from, its folded name (its events' place in the feed, and what
    namesakes share) and its events."""

    path: str
    note_id: int
    name: str
    events: bytes


class Notes(NamedTuple):
    """How far the index's notes went: the last note id, and how many notes there are."""

    last: int
    total: int


class Plan(NamedTuple):
    """A plan kept in the index: the stamp of the writes it saw, the notes it was made
    from, and the ``feed:`` key of the feed whose bytes it describes."""

    stamp: int
    notes: Notes
    feed: str


class PlanChanges(NamedTuple):
    """What changed since a plan: the contacts stored since (path -> note id), the paths
    of the plan's contacts that are gone for good, and the notes now."""

    stale: dict[str, int]
    gone: list[str]
    notes: Notes


class FeedCache(Connection):
    """Event bytes by key, the last whole feed and its plan (part of ``store.index.Index``)."""

    def cached_events(self, keys: AbstractSet[str]) -> dict[str, bytes]:
        """The stored bytes of those of ``keys`` that are stored: looked up a chunk of keys
        at a time, up to LOOKED_UP keys (a few thousand contacts changed: reading every
        event instead costs as much as for a whole feed, which reads them all)."""
        if len(keys) > LOOKED_UP:
            rows = self.db.execute("SELECT key, body FROM feed_events")
            return {k: b for k, b in rows if k in keys}
        found: dict[str, bytes] = {}
        wanted = list(keys)
        for at in range(0, len(wanted), BATCH):
            part = wanted[at : at + BATCH]
            marks = ",".join("?" * len(part))
            sql = f"SELECT key, body FROM feed_events WHERE key IN ({marks})"
            found.update(self.db.execute(sql, part))
        return found

    def kept_feed(self, key: str) -> bytes | None:
        """The whole feed kept under ``key`` (a ``feed:`` key), if it is the one kept."""
        row = self.db.execute(
            "SELECT body FROM feed_events WHERE key = ?"
            " AND EXISTS (SELECT 1 FROM feed_events WHERE key = ?)",
            (_BYTES, key),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def store_feed(self, key: str, body: bytes) -> None:
        """Keep a whole feed under ``key`` (a ``feed:`` key), in place of the one before."""
        with self._writing():
            self._put_feed(key, body)

    def _put_feed(self, key: str, body: bytes | None) -> None:
        """``key`` names the feed kept; ``body`` its bytes (None: the bytes kept already)."""
        self.db.execute(f"DELETE FROM feed_events WHERE {_PREFIXED}", ("feed:", "feed;"))
        self.db.execute("INSERT INTO feed_events(key, body) VALUES (?, x'')", (key,))
        if body is not None:
            self.db.execute(
                "INSERT OR REPLACE INTO feed_events(key, body) VALUES (?, ?)", (_BYTES, body)
            )

    def feed_plan(self, key: str) -> Plan | None:
        """The plan kept under ``key`` (a ``plan:`` key), while no other writes came since."""
        row = self.db.execute("SELECT body FROM feed_events WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        stamp, last, total, feed = bytes(row[0]).decode().split("\n")
        if int(stamp) != self._stamp():
            return None
        return Plan(int(stamp), Notes(int(last), int(total)), feed)

    def notes_now(self) -> Notes:
        """The last note id and the count of notes (what a plan is made from)."""
        last, count = self.db.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM notes), (SELECT count(*) FROM notes)"
        ).fetchone()
        return Notes(last, count)

    def plan_changes(self, plan: Plan) -> PlanChanges:
        """What changed since ``plan``. A note changed is stored anew under a new id (ids
        only grow, see ``store.reconcile``), so the contacts stored since are those above
        the plan's last id; and when as many notes as the plan saw are left, less those
        stored anew, no other note went: only then the plan is not checked row by row."""
        began = not self.db.in_transaction
        if began:
            self.db.execute("BEGIN")  # one snapshot for the count and the new notes
        try:
            count = self.db.execute("SELECT count(*) FROM notes").fetchone()[0]
            rows = self.db.execute(
                "SELECT id, path, is_contact FROM notes WHERE id > ?", (plan.notes.last,)
            ).fetchall()
        finally:
            if began:
                self.db.execute("COMMIT")
        stale = {path: nid for nid, path, is_contact in rows if is_contact}
        last = max((nid for nid, _, _ in rows), default=plan.notes.last)
        anew = self.plan_rows([path for _, path, _ in rows])
        gone = [p for p in anew if p not in stale]  # stored anew, no contact now
        if count - len(rows) != plan.notes.total - len(anew):
            gone = [p for (p,) in self.db.execute(_GONE) if p not in stale]
        return PlanChanges(stale, gone, Notes(last, count))

    def plan_rows(self, paths: Collection[str]) -> dict[str, PlanRow]:
        """The plan's rows of those of ``paths`` it has."""
        return {r.path: r for r in self._plan_where("path", paths)}

    def plan_namesakes(self, names: Collection[str]) -> list[str]:
        """The paths of the plan's contacts of these folded names."""
        return [r.path for r in self._plan_where("name", names)]

    def _plan_where(self, column: str, values: Collection[str]) -> Iterator[PlanRow]:
        values = list(values)
        for at in range(0, len(values), BATCH):
            part = values[at : at + BATCH]
            marks = ",".join("?" * len(part))
            sql = f"SELECT * FROM feed_plan WHERE {column} IN ({marks})"
            for path, nid, name, events in self.db.execute(sql, part):
                yield PlanRow(path, nid, name, bytes(events))

    def plan_next(self, name: str, path: str, skip: Collection[str]) -> bytes | None:
        """The events of the plan's first contact with events after (``name``, ``path``) in
        the feed's order, leaving out ``skip``; None when there is none."""
        sql = (
            "SELECT path, events FROM feed_plan WHERE (name, path) > (?, ?) AND events != x''"
            " ORDER BY name, path LIMIT ?"
        )
        for found, events in self.db.execute(sql, (name, path, len(skip) + 1)):
            if found not in skip:
                return bytes(events)
        return None

    def plan_pieces(self) -> list[tuple[str, str, bytes]]:
        """Every contact of the plan that has events: (folded name, path, events)."""
        sql = "SELECT name, path, events FROM feed_plan WHERE events != x''"
        return [(n, p, bytes(e)) for n, p, e in self.db.execute(sql)]

    def store_plan(
        self,
        key: str,
        feed: tuple[str, bytes | None],
        rows: Collection[PlanRow],
        gone: Collection[str],
        seen: tuple[int, int, Notes],
        whole: bool = False,
    ) -> bool:
        """Keep a feed (its ``feed:`` key and bytes, None for the bytes kept already) and
        its plan under ``key``: ``rows`` in place of those of their paths (of every row, with
        ``whole``), ``gone`` paths dropped. ``seen`` is what the feed was made from: the
        stamp of the writes, the contacts' generation and the notes. When the stamp or the
        generation moved since (another process wrote), nothing is kept; whether it was."""
        stamp, generation, notes = seen
        with self._writing():
            if self._stamp() != stamp or self.generation("contacts") != generation:
                return False
            run = self.db.execute
            if whole:  # a plan not whole was made from one kept: its table is there
                for statement in _PLAN_TABLE.split(";"):
                    run(statement)
                run("DELETE FROM feed_plan")
            else:
                self.db.executemany("DELETE FROM feed_plan WHERE path = ?", ((p,) for p in gone))
            self.db.executemany("INSERT OR REPLACE INTO feed_plan VALUES (?, ?, ?, ?)", rows)
            self._put_feed(*feed)
            run(f"DELETE FROM feed_events WHERE {_PREFIXED}", ("plan:", "plan;"))
            stamp = self._bump_stamp()
            body = f"{stamp}\n{notes.last}\n{notes.total}\n{feed[0]}"
            run("INSERT INTO feed_events(key, body) VALUES (?, ?)", (key, body.encode()))
        return True

    def events_stamp(self) -> int:
        """A number that moves whenever events or plans are written (``store_events``)."""
        return self._stamp()

    def _stamp(self) -> int:
        row = self.db.execute("SELECT body FROM feed_events WHERE key = ?", (_STAMP,)).fetchone()
        return int(row[0]) if row else 0

    def _bump_stamp(self) -> int:
        stamp = self._stamp() + 1
        self.db.execute(
            "INSERT OR REPLACE INTO feed_events(key, body) VALUES (?, ?)",
            (_STAMP, str(stamp).encode()),
        )
        return stamp

    def store_events(self, fresh: dict[str, bytes], used: AbstractSet[str] | None = None) -> int:
        """Keep ``fresh``; forget what no feed used lately (more than one feed's worth of
        ``used``; nothing with ``used`` None). The stamp of the writes (``events_stamp``):
        one more than before them."""
        if not fresh:
            return self._stamp()
        with self._writing():
            self.db.executemany(
                "INSERT OR REPLACE INTO feed_events(key, body) VALUES (?, ?)", fresh.items()
            )
            stamp = self._bump_stamp()
            if used is None:
                return stamp
            stored = self.db.execute("SELECT count(*) FROM feed_events").fetchone()[0]
            if stored > 2 * len(used) + 64:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep_events(key TEXT)")
                self.db.execute("DELETE FROM keep_events")
                self.db.executemany("INSERT INTO keep_events VALUES (?)", ((k,) for k in used))
                self.db.execute(
                    "DELETE FROM feed_events WHERE key NOT IN (SELECT key FROM keep_events)"
                    f" AND {_KEPT}"
                )
        return stamp
