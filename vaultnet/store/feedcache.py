"""The calendar feed's rendered events, kept in the index (see ``core.ics.render_feed``)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from vaultnet.store.connection import BATCH, Connection


class FeedCache(Connection):
    """Event bytes by key, and the last whole feed (part of ``store.index.Index``)."""

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
