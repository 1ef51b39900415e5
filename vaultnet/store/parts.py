"""Answers kept contact by contact: a report that is a list of items, one a contact, kept as
one row an item (``app.parts``), so that a change of a few contacts rewrites a few rows.

An answer kept this way (``store.answers``: a row with a ``Frame``) prints its items'
lines in rank order, between the frame's head and tail; its rows are keyed by the rank,
so that reading them in order needs no sort. Like ``store.answers``, nothing here imports
the rest of the store: replaying opens the file with ``sqlite3`` alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable

from vaultnet.core.tuples import NamedTuple

TABLE = "answer_parts_v2"  # with answers_v3 (their ids)
CREATE = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    answer INTEGER NOT NULL,
    score REAL NOT NULL, day TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL,
    contact_id INTEGER NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (answer, score, day, name, path)
) WITHOUT ROWID""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_contact ON {TABLE}(answer, contact_id)",
)
# answer: the id of its row in the answers table; (score, day, name, path): the item's rank,
# sorted ascending (``core.followups``: minus the score, the first date, the folded name,
# the path); line: the item's text as printed.

_SEP = "\x1f"

# One item: (contact id, score, day, name, path, line), in the table's terms.
Record = tuple[int, float, str, str, str, str]


class Frame(NamedTuple):
    """How an answer's items are printed: ``head``, the lines joined by ``sep``, ``tail``;
    ``empty`` when there are none; only the first ``limit`` (None: all)."""

    head: str
    sep: str
    tail: str
    empty: str
    limit: int | None = None

    # Its five fields between unit separators (no JSON to import to replay an answer).
    def dumps(self) -> str:
        parts = (self.head, self.sep, self.tail, self.empty)
        if any(_SEP in p for p in parts):
            raise ValueError("a frame holds no unit separator")
        return _SEP.join((*parts, "" if self.limit is None else str(self.limit)))

    @classmethod
    def loads(cls, text: str) -> Frame:
        head, sep, tail, empty, limit = text.split(_SEP)
        return cls(head, sep, tail, empty, int(limit) if limit else None)

    def text(self, lines: list[str]) -> str:
        return self.head + self.sep.join(lines) + self.tail if lines else self.empty

    def data(self, lines: list[bytes]) -> bytes:
        """``text`` in UTF-8, from the items' UTF-8 bytes."""
        if not lines:
            return self.empty.encode("utf-8")
        sep = self.sep.encode("utf-8")
        return b"".join((self.head.encode("utf-8"), sep.join(lines), self.tail.encode("utf-8")))


def create(db: sqlite3.Connection) -> None:
    db.execute("DROP TABLE IF EXISTS answer_parts_v1")  # the items of answers_v2's rows
    for statement in CREATE:
        db.execute(statement)


def data(db: sqlite3.Connection, answer_id: int, frame: Frame) -> bytes | None:
    """The answer's items printed in its frame, in rank order, as UTF-8 bytes; None when
    the table is missing (an index that never kept one). Bytes, not text: the items as
    SQLite holds them are joined and written out as they are. One text of them is wider
    than ASCII as soon as one item is (a dash, an accent), and joining, scanning it for
    escapes and encoding it again took twice as long as reading the items."""
    sql = f"SELECT CAST(line AS BLOB) FROM {TABLE} WHERE answer = ? ORDER BY score, day, name, path"
    args: tuple[int, ...] = (answer_id,)
    if frame.limit is not None:
        sql, args = sql + " LIMIT ?", (answer_id, frame.limit)
    try:
        lines = [line for (line,) in db.execute(sql, args)]
    except sqlite3.OperationalError:
        return None
    return frame.data(lines)


def replace_all(db: sqlite3.Connection, answer_id: int, records: Iterable[Record]) -> None:
    """The answer's items are these (in a transaction the caller holds)."""
    create(db)
    db.execute(f"DELETE FROM {TABLE} WHERE answer = ?", (answer_id,))
    _insert(db, answer_id, records)


def splice(
    db: sqlite3.Connection, answer_id: int, concerned: Collection[int], records: Iterable[Record]
) -> None:
    """The items of the contacts of ``concerned`` are now ``records`` (those of no other
    contact), the others stay (in a transaction the caller holds)."""
    if concerned:
        import json

        db.execute(
            f"DELETE FROM {TABLE} WHERE answer = ? AND contact_id IN"
            " (SELECT value FROM json_each(?))",
            (answer_id, json.dumps(sorted(concerned))),
        )
    _insert(db, answer_id, records)


def _insert(db: sqlite3.Connection, answer_id: int, records: Iterable[Record]) -> None:
    db.executemany(
        f"INSERT INTO {TABLE}(answer, contact_id, score, day, name, path, line)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((answer_id, *r) for r in records),
    )


def drop_orphans(db: sqlite3.Connection, answers_table: str) -> None:
    """Forget the items of answers no longer kept."""
    try:
        db.execute(f"DELETE FROM {TABLE} WHERE answer NOT IN (SELECT id FROM {answers_table})")
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
