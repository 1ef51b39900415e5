"""How ``watch`` and ``serve`` run a watcher: set up once, for both."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import date

from vaultnet.live.outputs import AnswerRefresh, Output
from vaultnet.live.report import BatchReport, problem_line
from vaultnet.live.watcher import Watcher
from vaultnet.store.index import Index

LogFn = Callable[[str], None]


@contextlib.contextmanager
def following(
    index: Index,
    outputs: Sequence[Output],
    *,
    log: LogFn,
    today: date | None = None,
    on_batch: Callable[[BatchReport], None] | None = None,
    polling: bool = False,
    exclusive: bool = True,
) -> Iterator[Watcher]:
    """A started watcher on ``index``, stopped when the block ends.

    Each problem of a batch (the first, of the start, too) and each notice is a line for
    ``log``; then ``on_batch`` hears of the batch. ``today`` pins the day (``--today``);
    without it the outputs follow the real date, day by day.
    """
    import warnings

    # watchdog warns when a folder moved within the vault was already watched: harmless.
    warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning)

    refresh = AnswerRefresh(index.config)

    def report(batch: BatchReport) -> None:
        if batch.changed:
            refresh.changed()
        for p in batch.problems:
            log(problem_line(p))
        if on_batch is not None:
            on_batch(batch)

    watcher = _Following(
        index,
        outputs=[*outputs, refresh.output()],  # last: after the feed and the dashboard
        today=date.today if today is None else (lambda: today),
        polling=polling,
        on_batch=report,
        on_notice=lambda text: log(f"vaultnet: {text}"),
        exclusive=exclusive,
    )
    watcher.refresh = refresh
    try:
        first = watcher.start()
        try:
            report(first)
            yield watcher
        finally:
            watcher.stop()
    finally:
        refresh.close()


class _Following(Watcher):
    """The watcher of a session: it also hears which stored answers commands replayed, so
    that those are kept fresh (``live.outputs.AnswerRefresh``)."""

    refresh: AnswerRefresh | None = None

    def answer_sync(self, path: str) -> None:
        if self.refresh is not None:
            self.refresh.note_sync(path)
        super().answer_sync(path)


def wait_for_signal(watcher: Watcher) -> None:
    """Return on Ctrl-C or SIGTERM, or when the worker thread ended."""
    import signal
    import threading

    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: done.set())
    try:
        while not done.wait(1.0) and watcher.alive:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
