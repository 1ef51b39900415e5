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
ANSWER_MARK = "-a"  # sync-PID-NS-aID: the command replays stored answer ID
SYNC_WAIT = 0.5  # seconds a command waits for the watcher's answer before scanning itself


TRUSTED_KINDS = ("inotify", "fsevents", "kqueue", "readdirchanges")


def lock_text(kind: str, index_file: Path, fingerprint: str) -> str:
    """What a watcher writes into its lock file: who it is, how it watches, and which
    index file (and config) it keeps current."""
    try:
        st = os.stat(index_file)
        identity = f"{st.st_dev}:{st.st_ino}"
    except OSError:
        identity = "-"
    return f"{os.getpid()} {kind} {identity} {fingerprint}\n"


def watcher_info(cache_dir: Path) -> list[str] | None:
    """The words of the lock file of the watcher that holds it, or None if none does."""
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
        words = os.read(fd, 512).decode("ascii", "replace").split()
    finally:
        os.close(fd)
    return words if held else None


def in_sync(
    index_file: Path, fingerprint: str, timeout: float = SYNC_WAIT, answer: int | None = None
) -> bool:
    """True when a running watcher has just applied every save made before this call to
    this very index file (not one deleted since, e.g. by a rebuild) under this config.
    ``answer``: the stored answer the command means to replay (``store.answers``), named
    in the sync file so that the watcher keeps it fresh."""
    cache_dir = index_file.parent
    words = watcher_info(cache_dir)
    if words is None or len(words) < 4 or words[1] not in TRUSTED_KINDS:
        return False  # none, still starting, polling, or a vault it cannot fully see
    try:
        st = os.stat(index_file)
    except OSError:
        return False
    if words[2] != f"{st.st_dev}:{st.st_ino}" or words[3] != fingerprint:
        return False
    path = cache_dir / f"{SYNC_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    if answer is not None:
        path = path.with_name(f"{path.name}{ANSWER_MARK}{answer}")
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


def asked_answer(path: str) -> int | None:
    """The stored answer a sync file names (see ``in_sync``), if it names one."""
    name = os.path.basename(path)
    if not name.startswith(SYNC_PREFIX) or ANSWER_MARK not in name:
        return None
    number = name.rsplit(ANSWER_MARK, 1)[1]
    return int(number) if number.isdigit() else None
