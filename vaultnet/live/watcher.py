"""Following the vault as it changes: the machinery behind ``vaultnet watch`` (and ``serve``).

A watchdog observer reports file events in its own thread; they are filtered down to the
notes the index cares about and queued (never parsed there). A worker thread takes them
in short debounced batches, applies each batch to the index in one transaction, and then
regenerates the outputs it was given (the .ics feed, the dashboard note), each written
only when its bytes change. Folder events, a queue overflow and start-up fall back to the
full stat reconcile, which is always correct and costs one ``stat`` a note.

The observer side (event filtering, the batch queue, barriers) is in ``live.events``, the
outputs in ``live.outputs``, the one-watcher-a-vault lock in ``live.lock``.
``watchdog`` is imported only when a watcher starts, so importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.core.errors import VaultnetError
from vaultnet.live.events import (
    INOTIFY_LOGGER,
    MAX_WAIT,
    QUIET_FOR,
    Barrier,
    Batch,
    BatchQueue,
    EventFilter,
    Handler,
    OverflowHook,
    event_types,
    native_failed,
    native_observer,
    on_network_fs,
    polling_observer,
    stop_quietly,
)
from vaultnet.live.lock import VaultLock
from vaultnet.live.outputs import Output
from vaultnet.live.report import BatchReport
from vaultnet.store.index import Index
from vaultnet.store.sync import LOCK_NAME, lock_text
from vaultnet.vault.scan import any_symlinked_note

if TYPE_CHECKING:
    from watchdog.observers.api import BaseObserver

RENDER_QUIET = 0.05  # outputs are regenerated once no event came for this long ...
OUTPUT_DEFER = 2.0  # ... or this often while events keep coming
TICK = 30.0  # how often an idle worker looks at the date
RESYNC_EVERY = 600.0  # a full reconcile now and then, in case an event was lost anyway
BARRIER_WAIT = 2.0  # how long ``settle`` waits for its barrier event before reconciling


class Watcher:
    """Keeps ``index`` (and ``outputs``) current while the vault changes.

    ``start()`` brings the index up to date, writes the outputs and starts following
    the vault; ``stop()`` applies what is pending and stops. Other threads that read
    the index meanwhile hold ``watcher.lock`` (or use ``reading()``).
    """

    def __init__(
        self,
        index: Index,
        *,
        outputs: Sequence[Output] = (),
        today: Callable[[], date] = date.today,
        polling: bool = False,
        poll_interval: float = 1.0,
        on_batch: Callable[[BatchReport], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        exclusive: bool = True,
        quiet_for: float = QUIET_FOR,
        max_wait: float = MAX_WAIT,
        render_quiet: float = RENDER_QUIET,
        tick: float = TICK,
        resync_every: float = RESYNC_EVERY,
    ):
        self.index = index
        self.vault = index.vault
        self.outputs = list(outputs)
        self.today = today
        self.polling = polling
        self.poll_interval = poll_interval
        self.on_batch = on_batch or (lambda report: None)
        self.on_notice = on_notice or (lambda text: None)
        self.render_quiet = render_quiet
        self.tick = tick
        self.resync_every = resync_every
        self.lock = threading.RLock()
        self.queue = BatchQueue(quiet_for, max_wait)
        self.observer_kind = ""
        self._lockfile = VaultLock(index.path.parent / LOCK_NAME) if exclusive else None
        self._observer: BaseObserver | None = None
        self._worker: threading.Thread | None = None
        self._hook = OverflowHook(lambda: self.request_full("the inotify queue overflowed"))
        self._own: dict[str, tuple[int, int]] = {}  # output files as last written: (mtime, size)
        self._day: date | None = None
        self._stale: float | None = None  # when the outputs became stale, if they are
        # Each output's change counters (see ``Output.depends``) as of its last render:
        # what changed in the index since then, whoever applied it, makes it stale.
        self._seen: dict[str, tuple[int, ...]] = {}
        self._last_full = 0.0
        self._barrier = Barrier(index.path.parent)
        self._settling = threading.Lock()
        self._pause_due = False  # outputs were just regenerated: the next pause is for the log

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> BatchReport:
        """Take the lock, start observing, reconcile, write the outputs, start the worker."""
        began = time.perf_counter()
        if self._lockfile is not None:
            self._lockfile.acquire()
        try:
            self._observe()
            self.index.defer_checkpoints()
            # The other threads here (the observer's, the server's) never hold a lock that
            # a forked parser needs: a large batch is parsed on two cores.
            self.index.fork_beside_threads = True
            # Observing started first: what changes during the reconcile is queued, not lost.
            report = self._apply(Batch(frozenset(), True, "start"))
            report = dataclasses.replace(
                report, written=self._regenerate(), seconds=time.perf_counter() - began
            )
        except BaseException:
            self._stop_observer()
            if self._lockfile is not None:
                self._lockfile.release()
            raise
        self._worker = threading.Thread(target=self._run, name="vaultnet-watch", daemon=True)
        self._worker.start()
        return report

    def stop(self) -> None:
        """Stop observing, apply what is still pending, release the lock. Idempotent."""
        self._stop_observer()
        self.queue.close()
        if self._worker is not None:
            self._worker.join()
            self._worker = None
        if self._lockfile is not None:
            self._lockfile.release()

    @property
    def alive(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Index]:
        """The index, safe to query from another thread while the block runs."""
        with self.lock:
            yield self.index

    def request_full(self, reason: str) -> None:
        """Have the worker run a full stat reconcile next (events were lost)."""
        self.on_notice(f"{reason}; checking the whole vault")
        self.queue.add_full(reason)

    def settle(self, timeout: float = BARRIER_WAIT) -> None:
        """Apply every change saved before this call, at once, and regenerate stale outputs.

        For a reader that must see the latest save (a feed request right after an edit):
        a barrier file proves the observer has delivered every earlier event; then what is
        queued is applied without the debounce delay. Where no barrier can be seen (the
        polling observer skips hidden folders, or the event did not come in time), a full
        stat reconcile stands in: slower, and just as correct.
        """
        with self._settling:
            if self.queue.closed:  # stopping: nothing more will be applied
                return
            polling = self.observer_kind == "polling"
            seen = False
            if not polling:
                try:
                    number = self._barrier.post()
                except OSError:  # the cache folder is gone: the reconcile below is enough
                    pass
                else:
                    seen = self._barrier.wait(number, timeout)
                    self._barrier.remove(number)
            full = None if seen else Batch(frozenset(), True, "request" if polling else "late")
            self._apply_pending(full)
            with self.lock:
                self._check_outputs(own_only=False)  # another process may have applied it
                if self._stale is not None:
                    self._report(self._refresh_outputs("request"))

    def answer_sync(self, path: str) -> None:
        """A command's sync file arrived (see ``store.sync.in_sync``): every save before it is queued.
        Apply them now, then delete the file, which tells the command the index is current."""
        with self._settling:
            if self.queue.closed:
                return  # the command times out and scans the vault itself
            self._apply_pending(None)
        with contextlib.suppress(OSError):
            os.unlink(path)

    def _apply_pending(self, instead: Batch | None) -> None:
        """Apply what is queued (or ``instead``) without the debounce delay. A batch the
        worker has taken goes in first: wait (without the lock) until it has."""
        deadline = time.monotonic() + BARRIER_WAIT
        while True:
            self.queue.wait_applied(max(0.0, deadline - time.monotonic()))
            with self.lock:
                if self.queue.in_flight and time.monotonic() < deadline:
                    continue  # the worker took a batch just now: let it apply it
                batch = self.queue.take_now()
                if instead is not None:
                    batch = instead
                if batch is None:
                    return
                try:
                    self._report(self._apply(batch))
                except Exception:
                    self.queue.add_full("recovering from an error")  # nothing is lost
                    raise
                return

    # -- observing -----------------------------------------------------------------------
    def _observe(self) -> None:
        handler = Handler(
            EventFilter(self.vault, self.index.ignore),
            self.queue,
            self._barrier,
            on_sync=self._on_sync if self._lockfile is not None else None,
        )
        observer: BaseObserver | None = None
        if not self.polling:
            try:
                observer = native_observer()
                self._schedule(observer, handler)
                observer.start()
                self.observer_kind = type(observer).__name__.removesuffix("Observer").lower()
            except OSError as exc:
                self.on_notice(native_failed(exc))
                stop_quietly(observer)
                observer = None
        if observer is None:
            observer = polling_observer(self.poll_interval)
            self._schedule(observer, handler)
            observer.start()
            self.observer_kind = "polling"
        self._observer = observer
        if self._lockfile is not None:
            kind = self.observer_kind if self._sees_everything() else "untrusted"
            self._lockfile.describe(
                lock_text(kind, self.index.path, self.index.config.fingerprint())
            )
        logger = logging.getLogger(INOTIFY_LOGGER)
        logger.addHandler(self._hook)
        if not logger.isEnabledFor(logging.WARNING):
            logger.setLevel(logging.WARNING)

    def _sees_everything(self) -> bool:
        """Whether notifications report every change: not for notes that are symlinks (their
        targets are not watched) nor on network file systems (edits made elsewhere)."""
        if on_network_fs(self.vault):
            return False
        return not any_symlinked_note(self.vault, self.index.ignore)

    def _on_sync(self, path: str) -> None:
        # Called in the observer thread, which must not wait on the worker: answer in another.
        threading.Thread(target=self.answer_sync, args=(path,), daemon=True).start()

    def _schedule(self, observer: BaseObserver, handler: Handler) -> None:
        observer.schedule(
            handler,  # type: ignore[arg-type]  # watchdog only calls dispatch()
            os.fsdecode(self.vault),
            recursive=True,
            event_filter=event_types(),
        )

    def _stop_observer(self) -> None:
        logging.getLogger(INOTIFY_LOGGER).removeHandler(self._hook)
        if self._observer is not None:
            stop_quietly(self._observer)
            self._observer = None

    # -- the worker ----------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            try:
                # Stale outputs are regenerated once the batches caught up with the events:
                # not after every batch of a burst, and not more than every OUTPUT_DEFER
                # while it lasts. The pause after that is when the log is copied back.
                short = self._stale is not None or self._pause_due
                batch = self.queue.take(self.render_quiet if short else self.tick)
                # Reports go out under the lock: whoever reads a change has been told of it.
                with self.lock:
                    if batch is not None:
                        try:
                            self._report(self._apply(batch))
                        except Exception:
                            # Queued again before the batch counts as done: a command's
                            # sync answered in between must not miss it.
                            self.queue.add_full("recovering from an error")
                            raise
                        finally:
                            self.queue.done()
                        self._after_batch()
                    elif self.queue.closed:
                        if self._stale is not None:
                            self._report(self._refresh_outputs("events"))
                        return
                    else:
                        self._idle()
            except Exception as exc:  # keep following the vault whatever one batch did
                self.on_notice(f"error while applying changes: {exc}")
                if self.queue.closed:
                    return
                self.queue.add_full("recovering from an error")
                time.sleep(1.0)  # no busy loop when the error repeats

    def _after_batch(self) -> None:
        """After a batch: stale outputs are regenerated at once when nothing else is
        pending (the batches caught up with the events). While events keep coming, they
        wait, unless they were stale for OUTPUT_DEFER: then what is pending goes in first
        (at once, under the lock), and the outputs show it too."""
        if self._stale is None:
            return
        if self.queue.pending:
            if time.monotonic() - self._stale <= OUTPUT_DEFER:
                return
            batch = self.queue.take_now()
            if batch is not None:
                try:
                    self._report(self._apply(batch))
                except Exception:
                    self.queue.add_full("recovering from an error")  # nothing is lost
                    raise
        self._report(self._refresh_outputs("events"))
        self._pause_due = True

    def _idle(self) -> None:
        self._pause_due = False
        if self._stale is not None:
            self._report(self._refresh_outputs("events"))
        elif time.monotonic() - self._last_full > self.resync_every:
            self._report(self._apply(Batch(frozenset(), True, "periodic check")))
        elif self.outputs and self.today() != self._day:
            self._report(self._refresh_outputs("new day"))
        # Events paused, the outputs are written: the time to copy the batches' log back.
        self.index.checkpoint()

    def _report(self, report: BatchReport) -> None:
        # A batch that changed nothing (or only re-indexed the watcher's own writes) is no news.
        if report.changed or report.written or report.reason not in ("events", "periodic check"):
            self.on_batch(report)

    def _apply(self, batch: Batch) -> BatchReport:
        start = time.perf_counter()
        with self.lock:
            idx = self.index
            if batch.full:
                before = idx.states()
                idx.update()
                after = idx.states()
                self._last_full = time.monotonic()
            else:
                before = idx.states(batch.paths)
                idx.refresh_paths(batch.paths)
                after = idx.states(batch.paths)
            added = tuple(sorted(p for p in after if p not in before))
            updated = tuple(sorted(p for p in after if p in before and after[p] != before[p]))
            removed = tuple(sorted(p for p in before if p not in after))
            problems = tuple(idx.problems_in(added + updated))
        # The outputs' own writes are indexed like any change but change nothing they show:
        # they neither make the outputs stale (no loop) nor show in the report.
        own = self._own_writes(added + updated, after)
        added = tuple(p for p in added if p not in own)
        updated = tuple(p for p in updated if p not in own)
        with self.lock:
            self._check_outputs(own_only=not (added or updated or removed))
        return BatchReport(
            added=added,
            updated=updated,
            removed=removed,
            problems=problems,
            seconds=time.perf_counter() - start,
            full=batch.full,
            reason=batch.reason,
            own=own,
        )

    def _check_outputs(self, own_only: bool) -> None:
        """Mark the outputs stale when a counter they depend on moved since their last
        render: by this process's apply or another's (``serve`` beside ``watch``). A batch of
        only the outputs' own writes leaves them as they are, when nothing else moved the
        counters before it."""
        if not self.outputs:
            return
        now = self.index.generations()
        applied = self.index.last_applied
        for out in self.outputs:
            seen = self._seen.get(out.label)
            current = _counters(now, out)
            if current == seen:
                continue
            if (
                own_only
                and applied is not None
                and _counters(applied[0], out) == seen
                and _counters(applied[1], out) == current
            ):
                self._seen[out.label] = current  # only the own write moved them
                continue
            if self._stale is None:
                self._stale = time.monotonic()

    def _refresh_outputs(self, reason: str) -> BatchReport:
        start = time.perf_counter()
        written = self._regenerate()
        return BatchReport(written=written, seconds=time.perf_counter() - start, reason=reason)

    def _own_writes(
        self, paths: Iterable[str], after: dict[str, tuple[int, int]]
    ) -> tuple[str, ...]:
        return tuple(p for p in paths if self._own.get(p) == after[p])

    def _regenerate(self) -> tuple[str, ...]:
        """Render every output; write those whose bytes changed."""
        today = self.today()
        self._day = today
        self._stale = None
        written = []
        for out in self.outputs:
            try:
                with self.lock:
                    self._seen[out.label] = _counters(self.index.generations(), out)
                    data = out.render(self.index, today)
                if out.write(data):
                    written.append(out.label)
                    self._remember(out)
            except (VaultnetError, OSError) as exc:
                self.on_notice(f"could not write {out.label}: {exc}")
        return tuple(written)

    def _remember(self, out: Output) -> None:
        if out.path is None:
            return
        try:
            real = Path(os.path.realpath(out.path))
            rel = real.relative_to(os.path.realpath(self.vault)).as_posix()
            st = os.stat(real)
        except (ValueError, OSError):  # outside the vault, or gone already
            return
        self._own[rel] = (st.st_mtime_ns, st.st_size)


def _counters(generations: dict[str, int], out: Output) -> tuple[int, ...]:
    return tuple(generations.get(what, 0) for what in out.depends)
