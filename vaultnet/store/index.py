"""The SQLite cache of what the notes say. Disposable: delete it and it is rebuilt.

All SQL lives in this package. ``Index`` opens the cache (schema version, config
fingerprint, a check of a file not as this code left it, a rebuild when anything is off)
and closes it; its parts are the reconcile (``store.reconcile``), the queries
(``store.queries``) and the calendar's event cache (``store.feedcache``).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.core.config import CONFIG_DIR, Config
from vaultnet.core.errors import WriteError
from vaultnet.store.connection import GENERATIONS, transaction
from vaultnet.store.feedcache import FeedCache
from vaultnet.store.netqueries import NetworkQueries
from vaultnet.store.queries import Queries
from vaultnet.store.reconcile import ProgressFn, Reconcile, UpdateStats
from vaultnet.store.schema import SCHEMA_VERSION, SECONDARY, TABLES, schema_sql
from vaultnet.vault.scan import Ignore

if TYPE_CHECKING:
    from vaultnet.vault import parse as notes_mod

__all__ = [
    "SCHEMA_VERSION",
    "Index",
    "ProgressFn",
    "UpdateStats",
    "cache_path",
    "discard",
    "is_damage",
]

CHECKED_NAME = "index.checked"  # the index file's (size, mtime) when last known sound
DEFERRED_PAGES = 20_000  # write-ahead log pages a watcher lets wait for a pause (80 MB)
WAL_KEPT = 16 * 1024 * 1024  # bytes of the log file kept once copied back (it is reused)


def cache_path(vault: Path) -> Path:
    return vault / CONFIG_DIR / "cache" / "index.sqlite"


_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def elsewhere_path(vault: Path) -> Path:
    """Where the index of a vault that cannot be written to lives: the user's cache folder
    (``platformdirs``), one folder a vault, named after it and a hash of its path."""
    import hashlib

    from platformdirs import user_cache_dir

    key = hashlib.sha256(str(vault.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(user_cache_dir("vaultnet")) / f"{vault.name or 'vault'}-{key[:12]}" / "index.sqlite"


class Index(Reconcile, Queries, NetworkQueries, FeedCache):
    """The cache for one vault. Open it, ``update()`` it, query it, ``close()`` it."""

    def __init__(self, vault: Path, config: Config):
        self.vault = vault
        self.config = config
        self.path = cache_path(vault)
        # Templates are not notes: their folders are skipped like the ignored ones.
        self.ignore = Ignore(
            config.ignore + [f"{f}/**" for f in config.template_folders],
            follow_outside=bool(config["follow_symlinks_outside"]),
        )
        self._sound_state: str | None = None  # the file's state when last known sound
        self._wrote = False  # whether this process committed a write
        self.elsewhere = False  # the vault cannot be written to: the cache is in the user's
        self.db: sqlite3.Connection = self._open()

    @functools.cached_property
    def rules(self) -> notes_mod.Rules:
        # The note parser (and the YAML library) load only when a note must be parsed.
        from vaultnet.vault import parse as notes_mod

        return notes_mod.Rules.from_config(self.config)

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not os.access(self.path.parent, os.W_OK):
                raise PermissionError(errno.EACCES, "Permission denied", str(self.path.parent))
        except OSError as exc:
            if exc.errno not in _READ_ONLY:
                raise WriteError.from_os(exc, self.path.parent, "create the index folder") from exc
            # A vault that cannot be written to (a read-only mount, another user's files)
            # still answers: its cache lives in the user's cache folder instead.
            self.path = elsewhere_path(self.vault)
            self.elsewhere = True
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as again:
                raise WriteError.from_os(
                    again, self.path.parent, "create the index folder"
                ) from again
        if not self.elsewhere:
            _ensure_gitignore(self.vault / CONFIG_DIR)
        try:
            db = self._connect()
            if self._usable(db):
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass
        try:
            self._delete_files()
            db = self._connect()
            self._create(db)
        except (OSError, sqlite3.OperationalError) as exc:
            raise WriteError(f"cannot write the index: {exc}", self.path) from exc
        self._wrote = True
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _usable(self, db: sqlite3.Connection) -> bool:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            return False
        row = db.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()
        if row is None or row[0] != self.config.fingerprint():
            return False
        # A damaged page elsewhere (contacts, links) would otherwise fail later, in a query,
        # on every run. quick_check reads every page once (0.2 s for 10,000 contacts and
        # 30,000 notes), so it runs only when the file is not as this code last left it.
        state = self._file_state()
        if state == self._checked_state() or (
            db.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
        ):
            self._sound_state = state
            return True
        return False

    def _file_state(self) -> str | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return f"{st.st_size} {st.st_mtime_ns}"

    def _checked_state(self) -> str | None:
        try:
            return (self.path.parent / CHECKED_NAME).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return None

    def _remember_state(self) -> None:
        """After closing: the file as this code left it needs no check on the next open.
        Not when something else changed it meanwhile (another process, or damage)."""
        state = self._file_state()
        if state is None or state == self._checked_state():
            return
        if not self._wrote and state != self._sound_state:
            return
        marker = self.path.parent / CHECKED_NAME
        tmp = marker.with_name(f".{CHECKED_NAME}.{os.getpid()}")
        with contextlib.suppress(OSError):
            tmp.write_text(state, encoding="ascii")
            os.replace(tmp, marker)

    def _create(self, db: sqlite3.Connection) -> None:
        drops = "".join(f"DROP TABLE IF EXISTS {t};" for t in TABLES)
        db.executescript(f"BEGIN; {drops} {schema_sql()} {SECONDARY} COMMIT;")
        with transaction(db):
            db.execute(
                "INSERT INTO meta(key, value) VALUES ('config', ?)", (self.config.fingerprint(),)
            )
            # Counters of a new file start where no earlier file's did: a process that kept
            # a count from the file this one replaced never mistakes it for no change.
            start = str(time.time_ns())
            db.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [(f"{what}_generation", start) for what in GENERATIONS],
            )
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _delete_files(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path.parent / CHECKED_NAME)
        for suffix in _SUFFIXES:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def defer_checkpoints(self) -> None:
        """For a long-running writer (the watcher): copy the write-ahead log back into the
        file when ``checkpoint`` is called, in a pause, not in the commit of a batch (a
        burst's batch rewrites most pages: that copy and its fsync are as slow as the
        rest of the commit). Past DEFERRED_PAGES pages the commit does it all the same;
        once copied, the log file is cut back to WAL_KEPT bytes."""
        self.db.execute(f"PRAGMA wal_autocheckpoint = {DEFERRED_PAGES}")
        self.db.execute(f"PRAGMA journal_size_limit = {WAL_KEPT}")

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds back into the file, without waiting for
        readers (cheap when there is nothing to copy)."""
        with contextlib.suppress(sqlite3.OperationalError):
            self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        self.db.close()
        self._remember_state()

    def rebuild(self, progress: ProgressFn | None = None) -> UpdateStats:
        """Throw the cache away and build it anew."""
        self.db.close()
        self._delete_files()
        self.db = self._connect()
        self._create(self.db)
        stats = self.update(progress)
        return UpdateStats(stats.parsed, stats.deleted, stats.total, stats.seconds, rebuilt=True)


DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` says the index file is damaged (a page gone bad while the file's size
    and mtime stayed, so the open did not check it); not locked, full or read-only, which a
    rebuild would not help."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    return type(exc) is sqlite3.DatabaseError or getattr(exc, "sqlite_errorname", "") in DAMAGE


def discard(vault: Path) -> None:
    """Delete the vault's index file (closed first): the next open builds it anew."""
    path = cache_path(vault)
    for doomed in (path.parent / CHECKED_NAME, *(Path(f"{path}{s}") for s in _SUFFIXES)):
        with contextlib.suppress(OSError):
            os.unlink(doomed)


_SUFFIXES = ("", "-wal", "-shm", "-journal")


GITIGNORE = b"# vaultnet's index is a disposable cache\ncache/\n"  # .vaultnet/.gitignore


def _ensure_gitignore(folder: Path) -> None:
    """``.vaultnet/.gitignore`` keeps the cache out of git; written once, never overwritten."""
    path = folder / ".gitignore"
    if path.exists():
        return
    from vaultnet.core.errors import NoteError
    from vaultnet.vault.fsio import atomic_write

    with contextlib.suppress(NoteError, OSError):
        atomic_write(path, GITIGNORE, create=True)
