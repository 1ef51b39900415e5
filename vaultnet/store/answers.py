"""The answers table: what a report printed, kept in the index beside the facts it came from.

A row is keyed exactly by everything the output depends on but the index (the command,
its options, today, the config, the terminal, vaultnet's version and schema: the text of
``key``) and holds the change counters of the index it was computed from
(``generations``): while they have not moved, printing the stored stdout and stderr is
the same as computing them. The table has its own version in its name; the index's own
code never reads it, and a rebuild of the index (a new file) starts it empty.

Nothing here imports the rest of the store: a command that replays an answer opens the
file with ``sqlite3`` alone.
"""

from __future__ import annotations

import os
import sqlite3
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

from vaultnet.core.tuples import NamedTuple
from vaultnet.store import parts as items
from vaultnet.store.parts import Frame, Record

ANSWERS_VERSION = 3
TABLE = f"answers_v{ANSWERS_VERSION}"
KEEP = (
    8  # rows kept (one report of 10,000 contacts is about 1 MB); the least recently asked go first
)
TOUCH_EVERY = 600.0  # seconds: how stale ``asked`` may get before a computing run renews it

CREATE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    recipe TEXT NOT NULL,
    config TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    generations TEXT NOT NULL,
    stdout BLOB NOT NULL,
    stderr BLOB NOT NULL,
    checksum INTEGER NOT NULL,
    asked REAL NOT NULL,
    frame TEXT
)"""
# recipe: JSON, how to compute it again (the watcher's refresh); config: a digest of the
# whole config it was computed under; fingerprint: that config's index fingerprint (what a
# watcher vouches for); asked: when a command last computed it or, in the watcher's
# memory, replayed it (time.time()); frame: for an answer kept item by item
# (``store.parts``), how its items are printed (stdout is empty), else NULL.

_COUNTERS = "SELECT key, value FROM meta WHERE key LIKE '%\\_generation' ESCAPE '\\'"


# Between stored notices: a control character, which no terminal-safe line holds.
NOTICE_SEP = "\x1f"


class AnswerDamaged(sqlite3.DatabaseError):
    """A stored answer whose bytes are not those stored: the index file is damaged (the
    command's error boundary rebuilds it, ``store.index.is_damage``)."""

    sqlite_errorname = "SQLITE_CORRUPT"


class Found(NamedTuple):
    id: int
    fingerprint: str
    generations: str
    frame: str | None  # kept item by item (``store.parts``)


class Stored(NamedTuple):
    """An answer as printed: stdout's text and stderr's lines. An answer replayed from its
    items (``store.parts``) is its UTF-8 bytes, written as they are."""

    stdout: str | bytes
    notices: list[str]


class Recent(NamedTuple):
    id: int
    recipe: str
    generations: str


def index_file(vault: Path) -> Path:
    """Where the vault's index lives (``store.index.cache_path``; a test keeps them equal)."""
    return vault / ".vaultnet" / "cache" / "index.sqlite"


def connect(path: Path) -> sqlite3.Connection | None:
    """The index file, opened for reading answers; None when there is none yet."""
    if not os.path.isfile(path):
        return None
    db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA busy_timeout = 10000")
    return db


def counters(db: sqlite3.Connection) -> str:
    """The index's schema and change counters as one text
    (``schema=12,contacts_generation=5,notes_generation=9,tasks_generation=2``)."""
    schema = db.execute("PRAGMA user_version").fetchone()[0]
    found = sorted((str(k), int(v)) for k, v in db.execute(_COUNTERS))
    return ",".join([f"schema={schema}", *(f"{k}={v}" for k, v in found)])


def counters_of(db: sqlite3.Connection, generations: dict[str, int]) -> str:
    """``counters`` as they were when the index's counters were ``generations``
    (``Connection.generations``: names without their ``_generation``)."""
    schema = db.execute("PRAGMA user_version").fetchone()[0]
    found = sorted((f"{k}_generation", int(v)) for k, v in generations.items())
    return ",".join([f"schema={schema}", *(f"{k}={v}" for k, v in found)])


def find(db: sqlite3.Connection, key: str) -> Found | None:
    """The row of ``key``, without its bytes; None when there is none (or no table)."""
    try:
        row = db.execute(
            f"SELECT id, fingerprint, generations, frame FROM {TABLE} WHERE key = ?", (key,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no such table (yet), or one of another shape: computed and stored anew
    return Found(*row) if row is not None else None


def fetch(db: sqlite3.Connection, answer_id: int, generations: str) -> Stored | None:
    """The answer ``answer_id`` when it reflects ``generations``. Bytes that do not match
    their checksum raise AnswerDamaged."""
    try:
        row = db.execute(
            f"SELECT stdout, stderr, checksum, frame FROM {TABLE} WHERE id = ? AND generations = ?",
            (answer_id, generations),
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    if row is None:
        return None
    out, err, checksum, frame = row
    if not isinstance(out, bytes) or not isinstance(err, bytes) or _checksum(out, err) != checksum:
        raise AnswerDamaged(f"a stored answer of {TABLE} does not match its checksum")
    notices = err.decode("utf-8").split(NOTICE_SEP) if err else []
    if frame is None:
        return Stored(out.decode("utf-8"), notices)
    try:
        text = items.data(db, answer_id, Frame.loads(frame))
    except (ValueError, TypeError) as exc:
        raise AnswerDamaged(f"a stored answer of {TABLE} has an unreadable frame: {exc}") from None
    return None if text is None else Stored(text, notices)


def store(
    db: sqlite3.Connection,
    key: str,
    recipe: str,
    config: str,
    fingerprint: str,
    generations: str,
    answer: Stored,
    asked: float,
    kept: tuple[Frame, list[Record]] | None = None,
) -> None:
    """Keep ``answer`` under ``key``, in a transaction of its own; with ``kept``, as its
    frame and its items (``store.parts``) rather than its text. ``asked`` 0 (the watcher's
    refresh) keeps the time the row was last asked for."""
    if not _needed(db, key, generations, asked):
        return
    text = answer.stdout
    out = b"" if kept is not None else text if isinstance(text, bytes) else text.encode("utf-8")
    frame = None if kept is None else kept[0].dumps()
    if any(NOTICE_SEP in line for line in answer.notices):
        return  # not a terminal-safe line: never stored, always computed
    err = NOTICE_SEP.join(answer.notices).encode("utf-8") if answer.notices else b""
    db.execute("BEGIN IMMEDIATE")
    try:
        row = (key, recipe, config, fingerprint, generations, out, err, asked, frame)
        try:
            _upsert(db, row)
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc) and "has no column" not in str(exc):
                raise
            db.execute(f"DROP TABLE IF EXISTS {TABLE}")  # not as this code makes it
            for old in range(1, ANSWERS_VERSION):
                db.execute(f"DROP TABLE IF EXISTS answers_v{old}")
            db.execute(CREATE)
            _upsert(db, row)
        if kept is not None:
            (answer_id,) = db.execute(f"SELECT id FROM {TABLE} WHERE key = ?", (key,)).fetchone()
            items.replace_all(db, int(answer_id), kept[1])
        db.execute(
            f"DELETE FROM {TABLE} WHERE id NOT IN"
            f" (SELECT id FROM {TABLE} ORDER BY asked DESC, id DESC LIMIT {KEEP})"
        )
        items.drop_orphans(db, TABLE)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _needed(db: sqlite3.Connection, key: str, generations: str, asked: float) -> bool:
    """Whether the row must be written: not when it holds these counters already and its
    time is recent enough."""
    try:
        row = db.execute(f"SELECT generations, asked FROM {TABLE} WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return True
    return row is None or row[0] != generations or asked - row[1] > TOUCH_EVERY


def _upsert(db: sqlite3.Connection, values: tuple[object, ...]) -> None:
    out, err = values[5], values[6]
    assert isinstance(out, bytes) and isinstance(err, bytes)
    db.execute(
        f"INSERT INTO {TABLE}(key, recipe, config, fingerprint, generations, stdout, stderr,"
        " checksum, asked, frame) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET recipe = excluded.recipe, config = excluded.config,"
        " fingerprint = excluded.fingerprint, generations = excluded.generations,"
        " stdout = excluded.stdout, stderr = excluded.stderr, checksum = excluded.checksum,"
        " asked = max(asked, excluded.asked), frame = excluded.frame",
        (*values[:7], _checksum(out, err), *values[7:]),
    )


def splice(
    db: sqlite3.Connection,
    found: Found,
    now: str,
    concerned: frozenset[int],
    records: list[Record],
    notices: list[str],
    asked: float,
) -> Stored | None:
    """The answer ``found`` (kept item by item) brought to the counters ``now``: the items
    of the contacts of ``concerned`` replaced by ``records``, its notices by ``notices``,
    and printed; in a transaction of its own, and only while the row still holds what it
    held and the index's counters are ``now`` (None: it is not, compute it whole)."""
    if found.frame is None or any(NOTICE_SEP in line for line in notices):
        return None
    err = NOTICE_SEP.join(notices).encode("utf-8") if notices else b""
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute(f"SELECT generations FROM {TABLE} WHERE id = ?", (found.id,)).fetchone()
        if row is None or row[0] != found.generations or counters(db) != now:
            db.execute("ROLLBACK")
            return None
        items.splice(db, found.id, concerned, records)
        db.execute(
            f"UPDATE {TABLE} SET generations = ?, stderr = ?, checksum = ?,"
            " asked = max(asked, ?) WHERE id = ?",
            (now, err, _checksum(b"", err), asked, found.id),
        )
        text = items.data(db, found.id, Frame.loads(found.frame))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return None if text is None else Stored(text, notices)


def _checksum(out: bytes, err: bytes) -> int:
    return zlib.crc32(err, zlib.crc32(out))


def create(db: sqlite3.Connection) -> None:
    """The table, where there is none yet."""
    db.execute(CREATE)


def recent(
    db: sqlite3.Connection, config: str, since: float, also: Iterable[int] = ()
) -> list[Recent]:
    """The answers computed under ``config`` asked for since ``since`` (or among ``also``,
    the ids a watcher saw replayed), the latest first."""
    ids = sorted(set(also))
    marks = ",".join("?" * len(ids))
    extra = f" OR id IN ({marks})" if ids else ""
    try:
        rows = db.execute(
            f"SELECT id, recipe, generations FROM {TABLE}"
            f" WHERE config = ? AND (asked >= ?{extra}) ORDER BY asked DESC, id DESC",
            (config, since, *ids),
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [Recent(*row) for row in rows]


def now() -> float:
    return time.time()


def dumps(value: object) -> str:
    """The one spelling of a recipe: sorted keys, no spaces."""
    import json

    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
