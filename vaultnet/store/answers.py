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
from typing import NamedTuple

ANSWERS_VERSION = 1
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
    asked REAL NOT NULL
)"""
# recipe: JSON, how to compute it again (the watcher's refresh); config: a digest of the
# whole config it was computed under; fingerprint: that config's index fingerprint (what a
# watcher vouches for); asked: when a command last computed it or, in the watcher's
# memory, replayed it (time.time()).

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


class Stored(NamedTuple):
    """An answer as printed: stdout's text and stderr's lines."""

    stdout: str
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


def find(db: sqlite3.Connection, key: str) -> Found | None:
    """The row of ``key``, without its bytes; None when there is none (or no table)."""
    try:
        row = db.execute(
            f"SELECT id, fingerprint, generations FROM {TABLE} WHERE key = ?", (key,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no such table (yet), or one of another shape: computed and stored anew
    return Found(*row) if row is not None else None


def fetch(db: sqlite3.Connection, answer_id: int, generations: str) -> Stored | None:
    """The answer ``answer_id`` when it reflects ``generations``. Bytes that do not match
    their checksum raise AnswerDamaged."""
    try:
        row = db.execute(
            f"SELECT stdout, stderr, checksum FROM {TABLE} WHERE id = ? AND generations = ?",
            (answer_id, generations),
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    if row is None:
        return None
    out, err, checksum = row
    if not isinstance(out, bytes) or not isinstance(err, bytes) or _checksum(out, err) != checksum:
        raise AnswerDamaged(f"a stored answer of {TABLE} does not match its checksum")
    return Stored(out.decode("utf-8"), err.decode("utf-8").split(NOTICE_SEP) if err else [])


def store(
    db: sqlite3.Connection,
    key: str,
    recipe: str,
    config: str,
    fingerprint: str,
    generations: str,
    answer: Stored,
    asked: float,
) -> None:
    """Keep ``answer`` under ``key``, in a transaction of its own. ``asked`` 0 (the
    watcher's refresh) keeps the time the row was last asked for."""
    if not _needed(db, key, generations, asked):
        return
    out = answer.stdout.encode("utf-8")
    if any(NOTICE_SEP in line for line in answer.notices):
        return  # not a terminal-safe line: never stored, always computed
    err = NOTICE_SEP.join(answer.notices).encode("utf-8") if answer.notices else b""
    db.execute("BEGIN IMMEDIATE")
    try:
        try:
            _upsert(db, (key, recipe, config, fingerprint, generations, out, err, asked))
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc) and "has no column" not in str(exc):
                raise
            db.execute(f"DROP TABLE IF EXISTS {TABLE}")  # not as this code makes it
            db.execute(CREATE)
            _upsert(db, (key, recipe, config, fingerprint, generations, out, err, asked))
        db.execute(
            f"DELETE FROM {TABLE} WHERE id NOT IN"
            f" (SELECT id FROM {TABLE} ORDER BY asked DESC, id DESC LIMIT {KEEP})"
        )
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
        " checksum, asked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET recipe = excluded.recipe, config = excluded.config,"
        " fingerprint = excluded.fingerprint, generations = excluded.generations,"
        " stdout = excluded.stdout, stderr = excluded.stderr, checksum = excluded.checksum,"
        " asked = max(asked, excluded.asked)",
        (*values[:7], _checksum(out, err), values[7]),
    )


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
