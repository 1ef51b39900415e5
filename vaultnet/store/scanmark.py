"""What the index remembers of the last scan it held exactly: the keys of its chunks
(``vault.scan.Listing``), so that the reconcile compares with the notes table only the
ranges of paths where something changed since."""

from __future__ import annotations

import json

from vaultnet.store.connection import Connection
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
) -> None:
    """After an update that compared ``listing`` with the table at counter ``known`` and
    applied what differed (``applied``: the counters before and after its write, or None
    when it wrote nothing): store its chunk keys when the notes table now holds exactly
    what it found. Not when another process wrote meanwhile, nor when a changed note
    vanished before it was read (its row is missing: the next scan must not match)."""
    if applied is None:  # nothing to write: the table was the scan already
        expect = known
    elif applied[0].get("notes") == known:
        expect = applied[1]["notes"]
        if index.db.execute("SELECT count(*) FROM notes").fetchone()[0] != listing.total:
            return
    else:
        return
    mark = json.dumps({"notes": expect, "chunks": listing.keys()})
    with index._writing():
        if index.generation("notes") == expect:
            index.db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_SCAN_MARK, mark),
            )
