"""The observer side of the watcher: file events turned into note paths, queued in
debounced batches, and barriers that prove every earlier event has arrived.

Everything here runs in, or talks to, watchdog's observer thread: it deals in strings
and never touches the index. ``watchdog`` is imported only when an observer is made.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultnet.store.sync import is_sync_request
from vaultnet.vault.scan import Ignore, is_hidden, wanted

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

QUIET_FOR = 0.03  # a batch is taken once no event came for this long ...
MAX_WAIT = 0.5  # ... or this long after its first event, whatever keeps coming
BURST_WINDOW = 0.5  # events this soon after a batch of BURST_SIZE notes or more, or events
BURST_SIZE = 8  # waiting as a batch is taken, mean that a burst is under way:
BURST_QUIET = 0.2  # then a batch waits for this long a pause ...
BURST_WAIT = 1.0  # ... or this long at most, so that a `git checkout` is a few batches
BURST_TAKE = 200  # a batch is taken at once when this many notes are pending
MAX_PATHS = 5000  # past this many pending paths, one full reconcile is cheaper
INOTIFY_LOGGER = "watchdog.observers.inotify_c"


# -- the queue between the observer and the worker ---------------------------------------


@dataclass(frozen=True)
class Batch:
    paths: frozenset[str]  # vault-relative note paths to re-examine
    full: bool = False  # a full stat reconcile instead
    reason: str = "events"


class BatchQueue:
    """Paths put by the observer thread, taken by the worker in debounced batches.

    Whatever arrives while the worker applies a batch waits for the next one: nothing is
    lost and nothing is taken twice. A burst (a checkout, a sync, a script) is applied as
    it goes, not once it ends: a batch is taken as soon as BURST_TAKE notes are pending
    (batches grow with the time an apply takes, so a long burst is still a few), and
    what waited while the worker applied a batch goes at the first short pause. Events
    that come right after a large batch, the worker idle, are collected for longer (the
    burst may go on). Single saves, and the watcher's own writes, stay on the short
    delay.
    """

    def __init__(
        self,
        quiet_for: float = QUIET_FOR,
        max_wait: float = MAX_WAIT,
        max_paths: int = MAX_PATHS,
        burst_quiet: float = BURST_QUIET,
        burst_wait: float = BURST_WAIT,
    ):
        self.quiet_for = quiet_for
        self.max_wait = max_wait
        self.max_paths = max_paths
        self.burst_quiet = max(quiet_for, burst_quiet)
        self.burst_wait = max(max_wait, burst_wait)
        self._cond = threading.Condition()
        self._paths: set[str] = set()
        self._full: str | None = None  # the reason for a full reconcile, when one is due
        self._first = self._last = 0.0
        self._taken = -BURST_WINDOW  # when the previous batch was handed out
        self._taken_size = 0  # and how many notes it held
        self._in_flight = False  # a batch was handed out and is not applied yet
        self._closed = False

    def add(self, paths: Iterable[str]) -> None:
        with self._cond:
            self._touch()
            if self._full is None:
                self._paths.update(paths)
                if len(self._paths) > self.max_paths:
                    self._full = f"more than {self.max_paths} notes changed"
                    self._paths.clear()

    def add_full(self, reason: str) -> None:
        with self._cond:
            self._touch()
            if self._full is None:
                self._full = reason
                self._paths.clear()

    def _touch(self) -> None:
        """Before adding: note when this batch began and when its latest event came."""
        now = time.monotonic()
        if not self._pending():
            self._first = now
        self._last = now
        self._cond.notify_all()

    def _pending(self) -> bool:
        return bool(self._paths) or self._full is not None

    def take(self, timeout: float) -> Batch | None:
        """The next batch, once events stopped for a moment; None after ``timeout`` with
        nothing pending, or once closed and drained."""
        with self._cond:
            waiting = self._pending()
            deadline = time.monotonic() + timeout
            while not self._pending():
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    return None
                self._cond.wait(remaining)
            # What waited while the worker was busy has waited long enough: a short pause
            # ends it. Events right after a large batch: the burst may go on, wait longer.
            burst = not waiting and (
                self._taken_size >= BURST_SIZE and self._first - self._taken < BURST_WINDOW
            )
            quiet, wait = (
                (self.burst_quiet, self.burst_wait) if burst else (self.quiet_for, self.max_wait)
            )
            while not self._closed:
                now = time.monotonic()
                due = min(self._last + quiet, self._first + wait)
                if now >= due or len(self._paths) >= BURST_TAKE:
                    break
                self._cond.wait(due - now)
            if self._full is not None:
                batch = Batch(frozenset(), True, self._full)
            else:
                batch = Batch(frozenset(self._paths))
            self._paths = set()
            self._full = None
            self._taken = time.monotonic()
            self._taken_size = self.max_paths if batch.full else len(batch.paths)
            self._in_flight = True
            return batch

    def take_now(self) -> Batch | None:
        """What is pending, at once (no debounce); None when nothing is."""
        with self._cond:
            if not self._pending():
                return None
            batch = (
                Batch(frozenset(), True, self._full)
                if self._full
                else Batch(frozenset(self._paths))
            )
            self._paths = set()
            self._full = None
            return batch

    def done(self) -> None:
        """The batch handed out by ``take`` is applied."""
        with self._cond:
            self._in_flight = False
            self._cond.notify_all()

    @property
    def in_flight(self) -> bool:
        """Whether a batch handed out by ``take`` is still being applied."""
        with self._cond:
            return self._in_flight

    def wait_applied(self, timeout: float) -> bool:
        """Wait until no batch handed out by ``take`` is still being applied."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._in_flight, timeout)

    def close(self) -> None:
        """Take no more events; what is pending is handed out at once."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def pending(self) -> bool:
        with self._cond:
            return self._pending()


# -- turning file events into note paths -------------------------------------------------

FULL = None  # what ``event_paths`` returns for an event that calls for a full reconcile


class EventFilter:
    """Which notes a watchdog event concerns; runs in the observer thread, so only strings."""

    def __init__(self, vault: Path, ignore: Ignore):
        self.root = os.fsdecode(vault)
        self.ignore = ignore

    def rel(self, path: bytes | str) -> str | None:
        text = os.fsdecode(path)
        if text == self.root:
            return ""
        if not text.startswith(self.root + os.sep):
            return None
        return text[len(self.root) + 1 :].replace(os.sep, "/")

    def event_paths(self, event: FileSystemEvent) -> list[str] | None:
        """The note paths an event may have changed ([] for none); FULL for a folder event."""
        sides = [event.src_path, getattr(event, "dest_path", "")]
        rels = [r for r in (self.rel(p) for p in sides if p) if r is not None]
        if event.is_directory:
            # A folder created, deleted or moved: its notes come with no event of their own
            # when it moved in or out of the vault, so look at everything.
            return FULL if any(self._folder_matters(r) for r in rels) else []
        return [r for r in rels if wanted(r, self.ignore)]

    def _folder_matters(self, rel: str) -> bool:
        if rel == "":
            return True
        if is_hidden(rel):
            return False
        parts = rel.split("/")
        return not any(
            self.ignore("/".join(parts[:i]), is_dir=True) for i in range(1, len(parts) + 1)
        )


def event_types() -> list[type[FileSystemEvent]]:
    """The events worth delivering. Leaving out opened / closed-without-writing keeps the
    indexer's own reads from coming back as events (3x the traffic, and bursts that overflow
    the inotify queue)."""
    from watchdog import events as ev

    return [
        ev.FileCreatedEvent,
        ev.FileModifiedEvent,
        ev.FileAttribEvent,  # a touch changes the mtime the index compares
        ev.FileClosedEvent,  # closed after writing
        ev.FileDeletedEvent,
        ev.FileMovedEvent,
        ev.DirCreatedEvent,
        ev.DirDeletedEvent,
        ev.DirMovedEvent,
    ]


class Barrier:
    """Proof that every file event before a moment has reached the handler.

    inotify delivers the events of one instance in order, and watchdog keeps that order,
    so once the event of a file created after a save arrives, the save's events have
    arrived too. Each barrier is a new file (under ``.vaultnet/cache/``, which nothing
    else reads): a name seen once can never stand for a later barrier.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.prefix = os.fsdecode(folder / f"barrier-{os.getpid()}-")
        self._cond = threading.Condition()
        self._posted = 0
        self._seen = 0

    def post(self) -> int:
        """Create the next barrier file; its number is what ``wait`` waits for."""
        with self._cond:
            self._posted += 1
            number = self._posted
        path = f"{self.prefix}{number}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.close(fd)
        return number

    def remove(self, number: int) -> None:
        with contextlib.suppress(OSError):
            os.unlink(f"{self.prefix}{number}")

    def saw(self, path: bytes | str) -> bool:
        """Called by the handler for every event: True when it was a barrier's."""
        text = os.fsdecode(path)
        if not text.startswith(self.prefix):
            return False
        tail = text[len(self.prefix) :]
        if tail.isdigit():
            with self._cond:
                self._seen = max(self._seen, int(tail))
                self._cond.notify_all()
        return True

    def wait(self, number: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._seen >= number, timeout)


class Handler:
    """What the observer calls: filter, then queue. Never touches the index."""

    def __init__(
        self,
        events: EventFilter,
        queue: BatchQueue,
        barrier: Barrier | None = None,
        on_sync: Callable[[str], None] | None = None,
    ):
        self.events = events
        self.queue = queue
        self.barrier = barrier
        self.on_sync = on_sync
        self.cache_dir = os.fsdecode(barrier.folder) if barrier is not None else ""

    def dispatch(self, event: FileSystemEvent) -> None:
        if self.barrier is not None and self.barrier.saw(event.src_path):
            return
        if self.on_sync is not None and event.event_type == "created":
            src = os.fsdecode(event.src_path)
            if is_sync_request(src, self.cache_dir):
                self.on_sync(src)
                return
        paths = self.events.event_paths(event)
        if paths is FULL:
            self.queue.add_full("a folder changed")
        elif paths:
            self.queue.add(paths)


def native_observer() -> BaseObserver:
    from watchdog.observers import Observer

    return Observer()


def polling_observer(interval: float) -> BaseObserver:
    """A polling observer that does not walk hidden folders (.git can hold far more files
    than the notes)."""
    from watchdog.observers.polling import PollingObserverVFS

    def listdir(path: str | None) -> Iterator[os.DirEntry[str]]:
        with os.scandir(path) as entries:
            yield from (e for e in entries if not e.name.startswith("."))

    return PollingObserverVFS(os.stat, listdir, polling_interval=interval)


class OverflowHook(logging.Handler):
    """watchdog tells of a kernel queue overflow only in its log: listen there."""

    def __init__(self, on_overflow: Callable[[], None]):
        super().__init__(logging.WARNING)
        self.on_overflow = on_overflow

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.on_overflow()


# -- starting and stopping observers --------------------------------------------------


NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "drvfs", "afs"}


def on_network_fs(path: Path) -> bool:
    """Whether ``path`` is on a network file system (per /proc/mounts; False elsewhere)."""
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as fh:
            mounts = [line.split()[1:3] for line in fh if len(line.split()) > 2]
    except OSError:
        return False
    real = os.path.realpath(path)
    best, kind = "", ""
    for point, fstype in mounts:
        point = point.replace("\\040", " ")
        if (real == point or real.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
            best, kind = point, fstype
    return kind in NETWORK_FS


def native_failed(exc: OSError) -> str:
    """What to tell when the native observer cannot start (polling is used instead)."""
    if exc.errno == errno.ENOSPC:
        return (
            "cannot watch every folder: the inotify watch limit is reached; polling instead."
            " Raise the limit with: sudo sysctl fs.inotify.max_user_watches=524288"
            " (and add it to /etc/sysctl.conf to keep it)"
        )
    if exc.errno == errno.EMFILE:
        return (
            "cannot start inotify: too many inotify instances; polling instead."
            " Raise the limit with: sudo sysctl fs.inotify.max_user_instances=512"
        )
    return f"cannot start the file system observer ({exc}); polling instead"


def stop_quietly(observer: Any) -> None:
    """Stop and join an observer (if any), whatever state it is in."""
    if observer is None:
        return
    with contextlib.suppress(Exception):
        observer.stop()
    with contextlib.suppress(RuntimeError):
        observer.join(5)
