"""What every part of the index shares: the connection, write transactions, change counters."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

BATCH = 500  # rows a statement: notes parsed together, ids in one IN (...)
GENERATIONS = ("notes", "contacts", "tasks")  # the index's change counters


class Connection:
    """The open SQLite database of one vault's index (see ``store.index.Index``)."""

    db: sqlite3.Connection
    _wrote: bool  # whether this process committed a write
    in_write = False  # inside ``_writing``

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with transaction(self.db):
            self.in_write = True
            try:
                yield
            finally:
                self.in_write = False
        self._wrote = True

    def _bump(self, what: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (f"{what}_generation",),
        )

    def generations(self) -> dict[str, int]:
        """Every change counter of the index: ``notes`` (any note's rows), ``contacts``,
        ``tasks``. Whoever applied a change, every process sees the counters move."""
        rows = self.db.execute(
            "SELECT key, value FROM meta WHERE key LIKE '%\\_generation' ESCAPE '\\'"
        )
        return {k.removesuffix("_generation"): int(v) for k, v in rows}

    def generation(self, what: str) -> int:
        """A number that changes whenever any note's ``contacts`` or ``tasks`` rows change
        (what reports derived from them, like the calendar feed, can be kept by)."""
        row = self.db.execute(
            "SELECT value FROM meta WHERE key = ?", (f"{what}_generation",)
        ).fetchone()
        return int(row[0]) if row else 0


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def run_each(db: sqlite3.Connection, script: str) -> None:
    """Run a script's statements inside the current transaction (``executescript`` may
    commit first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)
