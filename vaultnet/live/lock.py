"""One watcher a vault: the lock file under ``.vaultnet/cache/`` a watcher holds."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from vaultnet.core.errors import VaultnetError


class WatcherRunning(VaultnetError):
    """Another watcher already follows this vault."""


class VaultLock:
    """One watcher a vault: an flock on a file under ``.vaultnet/cache/`` holding the pid.

    The kernel drops the lock when the process dies, so a crash leaves nothing stale.
    Where ``fcntl`` does not exist the lock is not taken.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on Linux
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            # A command peeks at the lock for an instant (``store.sync.in_sync``): try a few times.
            for attempt in range(10):
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if attempt == 9:
                        raise
                    time.sleep(0.005)
        except OSError as exc:
            holder = (os.read(fd, 64).decode("ascii", "replace").split() or ["unknown"])[0]
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            raise WatcherRunning(
                f"another watcher (pid {holder}) already follows this vault; stop it first",
                self.path,
            ) from None
        self._fd = fd
        self.describe(f"{os.getpid()} starting\n")

    def describe(self, text: str) -> None:
        """Record who holds the lock and how it watches (commands read it: ``store.sync.in_sync``)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, text.encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None
