"""A command asks a running watcher to vouch for the index instead of scanning the vault.

The stat scan every command starts with costs one ``stat`` a note (about 0.4 s for
40,000 notes). While ``vaultnet watch`` runs, the index already follows every save, but a
command cannot simply trust it: the save made a moment ago may still be in the watcher's
queue. So the command creates a file named ``sync-*`` under ``.vaultnet/cache/``; file
events arrive in order, so when the watcher sees that file, every earlier save is already
queued. The watcher applies its queue at once and deletes the file: the deletion is the
answer. No answer in time (a stalled or polling watcher, a full disk) means the usual scan.

Nothing here needs ``watchdog``: the command side is a lock test and a file.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

LOCK_NAME = "watch.lock"
SYNC_PREFIX = "sync-"
SYNC_WAIT = 0.5  # seconds a command waits for the watcher's answer before scanning itself


def watcher_kind(cache_dir: Path) -> str | None:
    """The observer kind of the watcher that holds this vault's lock, or None if none does."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        return None
    try:
        fd = os.open(cache_dir / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            held = True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            held = False
        words = os.read(fd, 128).decode("ascii", "replace").split()
    finally:
        os.close(fd)
    if not held:
        return None
    return words[1] if len(words) > 1 else "starting"


def in_sync(cache_dir: Path, timeout: float = SYNC_WAIT) -> bool:
    """True when a running watcher has just applied every save made before this call."""
    if watcher_kind(cache_dir) not in ("inotify", "fsevents", "kqueue", "readdirchanges"):
        return False  # none, still starting, or polling (which does not see hidden folders)
    path = cache_dir / f"{SYNC_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except OSError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not os.path.lexists(path):
            return True
        time.sleep(0.001)
    with contextlib.suppress(OSError):
        os.unlink(path)
    return False


def is_sync_request(path: str, cache_dir: str) -> bool:
    """Whether an event's path is a command's sync file (checked in the observer thread)."""
    return path.startswith(cache_dir + os.sep + SYNC_PREFIX)
