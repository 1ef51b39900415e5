"""The calendar feed's rendered events, kept in the index (see ``core.ics.render_feed``).

Besides the events (and who holds each plain UID) under hashes of their content, it keeps
the last whole feed (a ``feed:`` key), the plan of that feed (a ``plan:`` key: which bytes
of it are whose, see ``app.feed``) and a count of the writes of events (``stamp:writes``):
a plan is good only while nobody else wrote events after it.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from vaultnet.store.connection import BATCH, Connection

_STAMP = "stamp:writes"
# What "forget what no feed used" never forgets: the feed, its plan, the stamp.
_KEPT = "key NOT LIKE 'feed:%' AND key NOT LIKE 'plan:%' AND key NOT LIKE 'stamp:%'"


class FeedCache(Connection):
    """Event bytes by key, and the last whole feed (part of ``store.index.Index``)."""

    def cached_events(self, keys: AbstractSet[str]) -> dict[str, bytes]:
        """The stored bytes of those of ``keys`` that are stored."""
        if len(keys) <= BATCH:
            marks = ",".join("?" * len(keys))
            sql = f"SELECT key, body FROM feed_events WHERE key IN ({marks})"
            return dict(self.db.execute(sql, list(keys)))
        return {k: b for k, b in self.db.execute("SELECT key, body FROM feed_events") if k in keys}

    def store_feed(self, key: str, body: bytes, plan: tuple[str, bytes, int] | None = None) -> None:
        """Keep a whole feed (``feed:`` keys), in place of the one kept before; and its plan
        (key, bytes, the stamp of the event writes it saw: ``events_stamp``), in place of
        any plan kept before. The plan is not kept when other writes came since."""
        with self._writing():
            self.db.execute("DELETE FROM feed_events WHERE key LIKE 'feed:%'")
            self.db.execute("INSERT INTO feed_events(key, body) VALUES (?, ?)", (key, body))
            if plan is not None:
                self.db.execute("DELETE FROM feed_events WHERE key LIKE 'plan:%'")
                plan_key, data, stamp = plan
                if self._stamp() == stamp:
                    self.db.execute(
                        "INSERT INTO feed_events(key, body) VALUES (?, ?)",
                        (plan_key, b"%d\n%s" % (stamp, data)),
                    )

    def feed_plan(self, key: str) -> tuple[bytes, int] | None:
        """The plan kept under ``key`` and the stamp it saw, while no other writes came."""
        row = self.db.execute("SELECT body FROM feed_events WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        stamp, _, data = bytes(row[0]).partition(b"\n")
        if int(stamp) != self._stamp():
            return None
        return data, int(stamp)

    def events_stamp(self) -> int:
        """A number that moves whenever events are written (``store_events``)."""
        return self._stamp()

    def _stamp(self) -> int:
        row = self.db.execute("SELECT body FROM feed_events WHERE key = ?", (_STAMP,)).fetchone()
        return int(row[0]) if row else 0

    def store_events(self, fresh: dict[str, bytes], used: AbstractSet[str] | None = None) -> int:
        """Keep ``fresh``; forget what no feed used lately (more than one feed's worth of
        ``used``; nothing with ``used`` None). The stamp of the writes (``events_stamp``)."""
        if not fresh:
            return self._stamp()
        with self._writing():
            self.db.executemany(
                "INSERT OR REPLACE INTO feed_events(key, body) VALUES (?, ?)", fresh.items()
            )
            stamp = self._stamp() + 1
            self.db.execute(
                "INSERT OR REPLACE INTO feed_events(key, body) VALUES (?, ?)",
                (_STAMP, str(stamp).encode()),
            )
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
