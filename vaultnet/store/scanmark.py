"""What the index remembers of the last scan it held exactly: the keys of its chunks
(``vault.scan.Listing``), so that the reconcile compares with the notes table only the
ranges of paths where something changed since."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator

from vaultnet.core.tuples import NamedTuple
from vaultnet.store.connection import Connection
from vaultnet.store.reading import Changed
from vaultnet.vault.scan import ChunkKey, Listing

_SCAN_MARK = "scan_mark"  # meta key: {"notes": counter, "chunks": [chunk keys]}


def scan_mark(index: Connection, known: int) -> set[ChunkKey]:
    """The chunk keys of the last scan that the notes table held exactly, if no note's rows
    changed since (counter ``known``). The notes table is touched too (its root page: a
    page gone bad under a file left as it was shows as a DatabaseError now, and the index
    is rebuilt)."""
    db = index.db
    db.execute("SELECT max(id) FROM notes").fetchone()
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_SCAN_MARK,)).fetchone()
    if row is None:
        return set()
    try:
        mark = json.loads(row[0])
        if mark["notes"] != known:
            return set()
        return {
            (str(d), str(first), None if after is None else str(after))
            for d, first, after in mark["chunks"]
        }
    except (ValueError, KeyError, TypeError):
        return set()


def keep_scan_mark(
    index: Connection,
    applied: tuple[dict[str, int], dict[str, int]] | None,
    listing: Listing,
    known: int,
    lost_one: bool = False,
) -> None:
    """After an update that compared ``listing`` with the table at counter ``known`` and
    applied what differed (``applied``: the counters before and after its write, or None
    when it wrote nothing): store its chunk keys when the notes table now holds exactly
    what it found. Not when another process wrote meanwhile, nor when a changed note
    vanished before it was read (``lost_one``: its row is missing, the next scan must not
    match). Called by the apply before it commits (``in_write``), it is written in the
    apply's transaction: one commit less."""
    if applied is None:  # nothing to write: the table was the scan already
        expect = known
    elif applied[0].get("notes") == known:
        expect = applied[1]["notes"]
        if lost_one:
            return
    else:
        return
    if index.in_write:  # the apply's own transaction, before it commits: nobody else wrote
        _store(index, expect, listing)
        return
    with index._writing():
        if index.generation("notes") == expect:
            _store(index, expect, listing)


def _store(index: Connection, expect: int, listing: Listing) -> None:
    index.db.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (_SCAN_MARK, json.dumps({"notes": expect, "chunks": listing.keys()})),
    )


class Differences(NamedTuple):
    """What a scan found that the notes table does not hold: the notes to parse, the ids of
    the rows to drop (deleted and changed notes), how many were deleted, and whether any
    chunk had to be compared at all."""

    changed: Changed
    gone: list[int]
    deleted: int
    compared: bool


def differences(db: sqlite3.Connection, listing: Listing, same: set[ChunkKey]) -> Differences:
    """The scan ``listing`` compared with the notes table, chunk by chunk, except for the
    chunks of ``same`` (those the table holds as they are: ``scan_mark``)."""
    changed = Changed()
    gone: list[int] = []
    deleted = 0
    compared = False
    for key, rows in listing.chunks():
        if key in same:
            continue
        compared = True
        for on_disk, in_db in _merge(rows, _indexed(db, key[1], key[2])):
            if in_db is None:
                assert on_disk is not None
                changed.add(on_disk)
            elif on_disk is None:
                deleted += 1
                gone.append(in_db[3])
            elif on_disk[1] != in_db[1] or on_disk[2] != in_db[2]:
                gone.append(in_db[3])
                changed.add(on_disk)
    return Differences(changed, gone, deleted, compared)


def _indexed(
    db: sqlite3.Connection, first: str, after: str | None
) -> Iterable[tuple[str, int, int, int]]:
    """(path, mtime_ns, size, id) of the notes from ``first`` to before ``after``."""
    args: tuple[str, ...] = (first,) if after is None else (first, after)
    sql = "path >= ?" if after is None else "path >= ? AND path < ?"
    return db.execute(f"SELECT path, mtime_ns, size, id FROM notes WHERE {sql} ORDER BY path", args)


def _merge(
    disk: Iterable[tuple[str, int, int]], db: Iterable[tuple[str, int, int, int]]
) -> Iterator[tuple[tuple[str, int, int] | None, tuple[str, int, int, int] | None]]:
    """Walk two path-sorted streams side by side (no dict of every path in memory)."""
    disk_it, db_it = iter(disk), iter(db)
    a = next(disk_it, None)
    b = next(db_it, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            yield a, None
            a = next(disk_it, None)
        elif a is None or b[0] < a[0]:
            yield None, b
            b = next(db_it, None)
        else:
            yield a, b
            a, b = next(disk_it, None), next(db_it, None)
