"""When the watcher regenerates its outputs around the batches of a burst.

The outputs follow a batch at once when the batches have caught up with the events (no
quiet delay first); while events keep coming they wait, unless they were stale for
OUTPUT_DEFER: then what is pending is applied first, so that they show it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_watch import FILES, Harness, contact, fresh_snapshot, until, write

from vaultnet.live import watcher as watch
from vaultnet.live.events import Batch

pytestmark = [
    pytest.mark.live,
    pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning"),
]


@pytest.fixture
def vault(vault_factory: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return vault_factory(dict(FILES))


@pytest.fixture
def idle(vault: Path, tmp_path: Path) -> Iterator[Harness]:
    """A watcher that is not started: its steps are called one by one."""
    h = Harness(vault, tmp_path / "fresh", ("ics",), exclusive=False)
    h.index.update()
    h.w._regenerate()
    yield h
    h.stop()


def test_the_feed_follows_a_batch_without_waiting_for_quiet(vault: Path, tmp_path: Path) -> None:
    # A quiet delay this long would hold the feed back past the test's deadline.
    h = Harness(vault, tmp_path / "fresh", ("ics",), render_quiet=60.0).start()
    try:
        write(vault / "People/Ana Lima.md", contact("Ana Lima", birthday="1990-07-04"))
        until(lambda: b"19900704" in (vault / "calendar.ics").read_bytes(), "the new birthday")
        h.wait_synced("People/Ana Lima.md")
        h.assert_matches_fresh_build()
    finally:
        h.stop()


def apply(h: Harness, *rels: str) -> None:
    with h.w.lock:
        h.w._report(h.w._apply(Batch(frozenset(rels))))


def test_stale_outputs_wait_while_events_are_pending(idle: Harness, vault: Path) -> None:
    h = idle
    write(vault / "People/Bo Chen.md", contact("Bo Chen", birthday="1991-03-03"))
    apply(h, "People/Bo Chen.md")
    write(vault / "People/Ana Lima.md", contact("Ana Lima", birthday="1990-07-04"))
    h.w.queue.add(["People/Ana Lima.md"])
    with h.w.lock:
        h.w._after_batch()
    assert h.w.queue.pending  # not applied yet ...
    assert h.written("calendar.ics") == 0  # ... and the feed waits for it
    assert b"19910303" not in (vault / "calendar.ics").read_bytes()


def test_overdue_outputs_show_what_was_pending(idle: Harness, vault: Path, tmp_path: Path) -> None:
    h = idle
    write(vault / "People/Bo Chen.md", contact("Bo Chen", birthday="1991-03-03"))
    apply(h, "People/Bo Chen.md")
    write(vault / "People/Ana Lima.md", contact("Ana Lima", birthday="1990-07-04"))
    h.w.queue.add(["People/Ana Lima.md"])
    assert h.w._stale is not None
    h.w._stale = time.monotonic() - watch.OUTPUT_DEFER - 1.0
    with h.w.lock:
        h.w._after_batch()
    assert not h.w.queue.pending
    assert [r.updated for r in h.reports if r.updated] == [
        ("People/Bo Chen.md",),
        ("People/Ana Lima.md",),
    ]
    assert h.reports[-1].written == ("calendar.ics",)  # once, after both
    feed = (vault / "calendar.ics").read_bytes()
    assert b"19910303" in feed and b"19900704" in feed
    assert h.index.snapshot() == fresh_snapshot(vault, tmp_path / "fresh")


def test_caught_up_outputs_are_regenerated_at_once(idle: Harness, vault: Path) -> None:
    h = idle
    write(vault / "People/Bo Chen.md", contact("Bo Chen", birthday="1991-03-03"))
    apply(h, "People/Bo Chen.md")
    with h.w.lock:
        h.w._after_batch()
    assert h.reports[-1].written == ("calendar.ics",)
    assert b"19910303" in (vault / "calendar.ics").read_bytes()
    assert h.w._stale is None
