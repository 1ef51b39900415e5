"""The watcher, run for real (inotify or polling, a worker thread) on a vault in tmp_path.

Every wait is a poll with a deadline; every scenario ends by comparing the watcher's
index with a fresh full build of a copy of the vault.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from vaultnet.live import events as watch_events
from vaultnet.live import outputs as watch_outputs
from vaultnet.live import report as watch_report
from vaultnet.live import watcher as watch
from vaultnet.live.events import BatchQueue, EventFilter
from vaultnet.live.lock import WatcherRunning
from vaultnet.live.report import BatchReport
from vaultnet.live.watcher import Watcher
from vaultnet.store.index import Index
from vaultnet.vault.config import load_config
from vaultnet.vault.scan import Ignore

# watchdog warns when a folder moved within the vault was already watched: harmless.
# Live: real observers and threads (`pytest -m "not live"` skips them for a quick loop).
pytestmark = [
    pytest.mark.live,
    pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning"),
]

TODAY = date(2026, 11, 25)
DEADLINE = 10.0


def contact(name: str, last: str = "2026-10-01", birthday: str = "1990-06-10") -> str:
    return (
        f"---\nname: {name}\nkind: peer\nbirthday: {birthday}\ncadence: 30d\n---\n\n"
        f"# {name}\n\n## Log\n\n- {last} Coffee\n"
    )


FILES = {
    ".vaultnet/config.toml": 'ignore = ["Templates/**"]\n',
    "People/Ana Lima.md": contact("Ana Lima"),
    "People/Bo Chen.md": contact("Bo Chen", last="2026-11-20"),
    "Daily/2026-11-20.md": "Lunch with [[Bo Chen]].\n",
    "Projects/Plan.md": "# Plan\n\n- [ ] call [[Ana Lima]] 📅 2026-12-20\n",
    "Templates/Person.md": "---\nname: {{name}}\n---\n",
}


def until(cond: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def fresh_snapshot(vault: Path, scratch: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What a full build of the vault as it is now holds (built on a copy, same mtimes)."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(vault, scratch, ignore=shutil.ignore_patterns("cache"), symlinks=True)
    idx = Index(scratch, load_config(scratch))
    try:
        idx.update()
        return idx.snapshot()
    finally:
        idx.close()


class Harness:
    """A Watcher on the test vault, with its reports and notices collected."""

    def __init__(self, vault: Path, scratch: Path, outputs: tuple[str, ...] = (), **options: Any):
        self.vault = vault
        self.scratch = scratch
        self.config = load_config(vault)
        self.index = Index(vault, self.config)
        self.reports: list[BatchReport] = []
        self.notices: list[str] = []
        outs = []
        if "dashboard" in outputs:
            render = watch_outputs.dashboard_render(self.config)
            outs.append(watch_outputs.file_output("Follow-ups.md", vault / "Follow-ups.md", render))
        if "ics" in outputs:
            render = watch_outputs.ics_render(self.config)
            outs.append(watch_outputs.file_output("calendar.ics", vault / "calendar.ics", render))
        self.renders = 0
        if "counter" in outputs:
            # A note that differs on every render: the worst case for a feedback loop.
            def counter(index: Index, today: date) -> bytes:
                self.renders += 1
                return f"Rendered {self.renders} times.\n".encode()

            outs.append(watch_outputs.file_output("Counter.md", vault / "Counter.md", counter))
        options.setdefault("today", lambda: TODAY)
        self.w = Watcher(
            self.index,
            outputs=outs,
            on_batch=self.reports.append,
            on_notice=self.notices.append,
            **options,
        )
        self.first: BatchReport | None = None

    def start(self) -> Harness:
        self.first = self.w.start()
        return self

    def stop(self) -> None:
        self.w.stop()
        self.index.close()

    def indexed(self) -> dict[str, tuple[int, int]]:
        with self.w.reading() as idx:
            return idx.states()

    def on_disk(self, rel: str) -> tuple[int, int] | None:
        try:
            st = os.stat(self.vault / rel)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def wait_synced(self, *rels: str) -> None:
        """Until the index holds these paths exactly as they are on disk (or not, if gone)."""
        until(
            lambda: all(self.indexed().get(r) == self.on_disk(r) for r in rels),
            f"the index to catch up with {rels}",
        )

    def written(self, label: str) -> int:
        return sum(label in r.written for r in self.reports)

    def assert_matches_fresh_build(self) -> None:
        deadline = time.monotonic() + DEADLINE
        while True:
            fresh = fresh_snapshot(self.vault, self.scratch)
            with self.w.reading() as idx:
                mine = idx.snapshot()
            if mine == fresh or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert mine == fresh
        assert self.w.alive


@pytest.fixture
def vault(vault_factory: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return vault_factory(dict(FILES))


@pytest.fixture
def start(vault: Path, tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    started: list[Harness] = []

    def _start(*outputs: str, **options: Any) -> Harness:
        h = Harness(vault, tmp_path / "fresh", outputs, **options)
        started.append(h)
        return h.start()

    yield _start
    for h in started:
        h.stop()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- following the vault ---------------------------------------------------------------


def test_start_brings_the_index_up_to_date(start: Callable[..., Harness], vault: Path) -> None:
    h = start()
    assert h.first is not None and h.first.full and h.first.reason == "start"
    assert set(h.first.added) == {p for p in FILES if p.endswith(".md") and "Templates" not in p}
    assert h.w.observer_kind == "inotify"
    h.assert_matches_fresh_build()


def test_create_edit_delete(start: Callable[..., Harness], vault: Path) -> None:
    h = start()
    note = vault / "People/Cy Diaz.md"
    write(note, contact("Cy Diaz"))
    h.wait_synced("People/Cy Diaz.md")
    assert any(r.added == ("People/Cy Diaz.md",) for r in h.reports)

    with open(note, "a", encoding="utf-8") as fh:
        fh.write("- 2026-11-24 Call about the offsite\n")
    h.wait_synced("People/Cy Diaz.md")
    with h.w.reading() as idx:
        logs = [row for row in idx.snapshot()["logs"] if row[0] == "People/Cy Diaz.md"]
    assert [row[2] for row in logs] == ["2026-10-01", "2026-11-24"]

    note.unlink()
    h.wait_synced("People/Cy Diaz.md")
    assert any(r.removed == ("People/Cy Diaz.md",) for r in h.reports)
    h.assert_matches_fresh_build()


def test_editor_saves_atomic_rename_backup_and_swap(
    start: Callable[..., Harness], vault: Path
) -> None:
    h = start()
    rel = "People/Ana Lima.md"
    note = vault / rel
    # Write a temporary file, then rename it over the note (most editors, and vaultnet).
    tmp = note.with_name(".Ana Lima.md.tmp1234")
    write(tmp, contact("Ana Lima", last="2026-11-01"))
    os.replace(tmp, note)
    h.wait_synced(rel)
    # vim: a swap file, the note renamed to a backup, a new note written, the backup gone.
    write(note.with_name(".Ana Lima.md.swp"), "swap")
    backup = note.with_name("Ana Lima.md~")
    os.rename(note, backup)
    write(note, contact("Ana Lima", last="2026-11-02"))
    backup.unlink()
    note.with_name(".Ana Lima.md.swp").unlink()
    h.wait_synced(rel)
    seen = {p for r in h.reports for p in (*r.added, *r.updated, *r.removed)}
    assert seen == {rel}
    h.assert_matches_fresh_build()


def test_rename_and_folder_moves(
    start: Callable[..., Harness], vault: Path, tmp_path: Path
) -> None:
    h = start()
    os.rename(vault / "People/Bo Chen.md", vault / "People/Bo Chen-Wu.md")
    h.wait_synced("People/Bo Chen.md", "People/Bo Chen-Wu.md")

    write(vault / "People/Team/Dee.md", contact("Dee"))
    write(vault / "People/Team/Eve.md", contact("Eve"))
    h.wait_synced("People/Team/Dee.md", "People/Team/Eve.md")
    # Within the vault, out of it, and back in: a folder event says nothing of its notes.
    os.rename(vault / "People/Team", vault / "Team")
    h.wait_synced("People/Team/Dee.md", "Team/Dee.md", "Team/Eve.md")
    os.rename(vault / "Team", tmp_path / "Team")
    h.wait_synced("Team/Dee.md", "Team/Eve.md")
    assert not any(p.startswith(("Team/", "People/Team/")) for p in h.indexed())
    os.rename(tmp_path / "Team", vault / "Archive")
    h.wait_synced("Archive/Dee.md", "Archive/Eve.md")
    shutil.rmtree(vault / "Archive")
    h.wait_synced("Archive/Dee.md", "Archive/Eve.md")
    h.assert_matches_fresh_build()


def test_burst_of_a_thousand_notes_is_a_few_batches(
    start: Callable[..., Harness], vault: Path
) -> None:
    h = start("dashboard")
    folder = vault / "People"
    names = [f"Person {i:04d}" for i in range(1000)]
    for name in names:
        write(folder / f"{name}.md", contact(name))
    # Edit some while the first batches are being applied: nothing may be lost.
    for name in names[::10]:
        write(folder / f"{name}.md", contact(name, last="2026-11-24"))
    last = f"People/{names[-1]}.md"
    until(
        lambda: (
            sum(p.startswith("People/Person ") for p in h.indexed()) == 1000
            and h.indexed().get(last) == h.on_disk(last)
        ),
        "a thousand notes",
    )
    h.assert_matches_fresh_build()
    batches = [r for r in h.reports if r.reason == "events" and r.changed]
    assert len(batches) <= 15, [len(r.added) + len(r.updated) for r in batches]
    assert h.written("Follow-ups.md") <= 5


def test_the_log_is_copied_back_in_a_pause_not_in_each_commit(
    start: Callable[..., Harness], vault: Path
) -> None:
    """The watcher's commits leave the write-ahead log to a pause (a burst's commits stay
    cheap); once events pause and the outputs are written, the index file itself holds
    the change (read here without the log)."""
    h = start("dashboard")
    with h.w.reading() as idx:
        assert idx.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] > 1000

    def in_the_file(rel: str) -> bool:
        uri = f"{h.index.path.as_uri()}?immutable=1"
        db = sqlite3.connect(uri, uri=True)
        try:
            return db.execute("SELECT 1 FROM notes WHERE path = ?", (rel,)).fetchone() is not None
        except sqlite3.OperationalError:  # not even the tables are in the file yet
            return False
        finally:
            db.close()

    write(vault / "People/Cy Diaz.md", contact("Cy Diaz"))
    h.wait_synced("People/Cy Diaz.md")
    until(lambda: in_the_file("People/Cy Diaz.md"), "the log copied back into the file")


def test_broken_note_is_reported_once_per_change(
    start: Callable[..., Harness], vault: Path
) -> None:
    h = start()
    rel = "People/Broken.md"
    write(vault / rel, "---\nname: [unclosed\n---\n")
    h.wait_synced(rel)

    def reported() -> list[str]:
        return [p.message for r in h.reports for p in r.problems if p.path == rel]

    assert len(reported()) == 1 and "YAML" in reported()[0]
    write(vault / "Daily/2026-11-24.md", "Nothing much.\n")  # another change: not again
    h.wait_synced("Daily/2026-11-24.md")
    assert len(reported()) == 1
    write(vault / rel, "---\nname: Broken\nbirthday: 1990-13-45\n---\n")
    h.wait_synced(rel)
    assert len(reported()) == 2 and "birthday" in reported()[1]
    h.assert_matches_fresh_build()


def test_hidden_temporary_and_ignored_files_never_reach_the_index(
    start: Callable[..., Harness], vault: Path
) -> None:
    h = start()
    ignored = [
        ".obsidian/workspace.md",
        ".git/COMMIT_EDITMSG.md",
        ".trash/Old.md",
        ".vaultnet/notes.md",
        "People/Ana Lima.md.swp",
        "People/.Ana Lima.md.swp",
        "People/Ana Lima.md~",
        "People/.#Ana Lima.md",
        "People/#Ana Lima.md#",
        "People/.hidden.md",
        "Templates/Company.md",
        "Templates/Deep/Other.md",
        "People/notes.txt",
    ]
    for rel in ignored:
        write(vault / rel, contact("Nobody"))
    os.rename(vault / "Templates/Company.md", vault / "Templates/Company2.md")
    write(vault / "Sentinel.md", "done\n")
    h.wait_synced("Sentinel.md")
    assert not set(ignored) & set(h.indexed())
    assert [r.added for r in h.reports] == [("Sentinel.md",)]
    h.assert_matches_fresh_build()


# -- outputs ---------------------------------------------------------------------------


def test_outputs_are_rewritten_only_when_their_bytes_change(
    start: Callable[..., Harness], vault: Path
) -> None:
    h = start("dashboard", "ics")
    assert h.first is not None and h.first.written == ("Follow-ups.md", "calendar.ics")
    dash, ics = vault / "Follow-ups.md", vault / "calendar.ics"
    assert "[[Ana Lima]]" in dash.read_text() and b"Ana Lima: birthday" in ics.read_bytes()

    def stats() -> tuple[tuple[int, int], tuple[int, int]]:
        return tuple((os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in (dash, ics))  # type: ignore[return-value]

    before = stats()
    # A change the outputs do not show: reindexed, nothing rewritten.
    with open(vault / "Projects/Plan.md", "a", encoding="utf-8") as fh:
        fh.write("\nSome more thoughts.\n")
    h.wait_synced("Projects/Plan.md")
    assert [r.written for r in h.reports] == [()]
    assert stats() == before

    # A new birthday: only the feed changes (it is months away).
    write(vault / "People/Ana Lima.md", contact("Ana Lima", birthday="1990-07-04"))
    h.wait_synced("People/Ana Lima.md")
    until(lambda: h.written("calendar.ics") == 1, "the feed to be rewritten")
    assert h.written("Follow-ups.md") == 0
    assert b"19900704" in ics.read_bytes()

    # A fresh interaction: Ana is no longer due, so only the dashboard changes.
    write(vault / "People/Ana Lima.md", contact("Ana Lima", "2026-11-24", "1990-07-04"))
    h.wait_synced("People/Ana Lima.md")
    until(lambda: h.written("Follow-ups.md") == 1, "the dashboard to be rewritten")
    assert h.written("calendar.ics") == 1
    assert "[[Ana Lima]]" not in dash.read_text()
    h.assert_matches_fresh_build()
    # The same bytes as the commands write.
    assert "Unchanged: Follow-ups.md" in run_cli(vault, "followups", "--write").output
    assert "is up to date" in run_cli(vault, "ics", "--out", str(ics)).output


def test_own_writes_do_not_loop(start: Callable[..., Harness], vault: Path) -> None:
    h = start("dashboard", "ics", "counter")
    h.wait_synced("Follow-ups.md", "Counter.md")  # outputs in the vault are notes like any other
    assert h.renders == 1
    write(vault / "People/Ana Lima.md", contact("Ana Lima", "2026-11-24"))
    until(lambda: h.written("Follow-ups.md") == 1, "the dashboard to be rewritten")
    # Events come in order: once a later note is in, the outputs' own events were handled;
    # had they made the outputs stale again, Counter.md would have been rendered again.
    write(vault / "Sentinel.md", "done\n")
    until(lambda: h.written("Counter.md") == 2, "the render after the sentinel")
    write(vault / "Sentinel 2.md", "done\n")
    until(lambda: h.written("Counter.md") == 3, "the render after the second sentinel")
    h.wait_synced("Sentinel.md", "Sentinel 2.md", "Follow-ups.md", "Counter.md")
    assert h.renders == 4  # at start, then after Ana and each sentinel: never on its own
    assert h.written("Follow-ups.md") == 1
    assert not any({"Follow-ups.md", "Counter.md"} & {*r.added, *r.updated} for r in h.reports)
    h.assert_matches_fresh_build()
    assert h.renders == 4


def test_the_dashboard_follows_the_date(start: Callable[..., Harness], vault: Path) -> None:
    day = [TODAY]
    h = start("dashboard", today=lambda: day[0], tick=0.02)
    dash = vault / "Follow-ups.md"
    assert "Wed 25 Nov 2026" in dash.read_text()
    day[0] = TODAY + timedelta(days=1)
    until(
        lambda: any(r.reason == "new day" and r.written == ("Follow-ups.md",) for r in h.reports),
        "the dashboard of the next day",
    )
    assert "Thu 26 Nov 2026" in dash.read_text()
    h.assert_matches_fresh_build()


# -- robustness ------------------------------------------------------------------------


def test_overflow_falls_back_to_a_full_reconcile(
    start: Callable[..., Harness], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = start()
    monkeypatch.setattr(h.w.queue, "add", lambda paths: None)  # events lost from here on
    write(vault / "People/Lost.md", contact("Lost"))
    logging.getLogger(watch_events.INOTIFY_LOGGER).warning(
        "Inotify queue overflowed; filesystem events were lost"
    )
    h.wait_synced("People/Lost.md")
    assert any(r.full and "overflow" in r.reason for r in h.reports)
    assert any("overflow" in n for n in h.notices)
    h.assert_matches_fresh_build()


def test_polling_when_the_native_observer_cannot_start(
    start: Callable[..., Harness], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted() -> Any:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch, "native_observer", exhausted)
    h = start(poll_interval=0.05)
    assert h.w.observer_kind == "polling"
    assert any("max_user_watches" in n for n in h.notices)
    write(vault / "People/Polled.md", contact("Polled"))
    h.wait_synced("People/Polled.md")
    os.rename(vault / "People", vault / "Folks")
    h.wait_synced("People/Polled.md", "Folks/Polled.md")
    h.assert_matches_fresh_build()


def test_stop_applies_what_is_pending(start: Callable[..., Harness], vault: Path) -> None:
    h = start(quiet_for=30.0, max_wait=60.0)
    write(vault / "People/Late.md", contact("Late"))
    until(lambda: h.w.queue.pending, "the event to be queued")
    h.w.stop()
    assert not h.w.alive
    assert "People/Late.md" in h.index.states()


def test_one_watcher_a_vault(start: Callable[..., Harness], vault: Path, tmp_path: Path) -> None:
    h = start()
    second = Harness(vault, tmp_path / "fresh")
    with pytest.raises(WatcherRunning, match=f"pid {os.getpid()}"):
        second.start()
    h.w.stop()
    second.start()  # the lock went with the first one
    second.stop()


# -- the pieces ------------------------------------------------------------------------


def test_queue_debounces_and_caps_batches() -> None:
    q = BatchQueue(quiet_for=0.05, max_wait=0.3, max_paths=3, burst_quiet=0.1, burst_wait=0.5)
    assert q.take(0.01) is None
    q.add(["a.md"])
    q.add(["b.md", "a.md"])
    batch = q.take(1.0)
    assert batch is not None and batch.paths == {"a.md", "b.md"} and not batch.full
    q.add(["a.md", "b.md", "c.md", "d.md"])
    batch = q.take(1.0)
    assert batch is not None and batch.full and not batch.paths

    # Events that never pause still give a batch after max_wait.
    stop = threading.Event()

    def keep_adding() -> None:
        while not stop.is_set():
            q.add(["x.md"])
            time.sleep(0.005)

    feeder = threading.Thread(target=keep_adding)
    feeder.start()
    try:
        began = time.monotonic()
        assert q.take(2.0) is not None
        assert time.monotonic() - began < 1.0
    finally:
        stop.set()
        feeder.join()
    q.take(1.0)
    q.add(["y.md"])
    q.close()
    batch = q.take(1.0)  # closed: handed out at once
    assert batch is not None and batch.paths == {"y.md"}
    assert q.take(1.0) is None


def test_queue_collects_longer_only_in_a_burst() -> None:
    q = BatchQueue(quiet_for=0.01, max_wait=0.05, burst_quiet=0.3, burst_wait=0.6)

    def timed_take() -> float:
        began = time.monotonic()
        assert q.take(1.0) is not None
        return time.monotonic() - began

    q.add(["a.md"])
    q.take(1.0)
    threading.Timer(0.01, q.add, [["b.md"]]).start()
    assert timed_take() < 0.25  # one save right after another: still quick
    q.add([f"{i}.md" for i in range(10)])
    q.take(1.0)
    threading.Timer(0.01, q.add, [["c.md"]]).start()
    assert timed_take() >= 0.3  # right after a large batch: a burst


def taken_in_thread(q: BatchQueue) -> tuple[threading.Thread, list[watch_events.Batch]]:
    got: list[watch_events.Batch] = []

    def take() -> None:
        batch = q.take(30.0)
        if batch is not None:
            got.append(batch)

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    return thread, got


def test_queue_takes_a_burst_as_it_goes() -> None:
    """A burst is applied while it lasts: BURST_TAKE pending notes are a batch at once,
    however long the pause a batch would otherwise wait for."""
    q = BatchQueue(quiet_for=30.0, max_wait=60.0, burst_quiet=30.0, burst_wait=60.0)
    q.add([f"{i}.md" for i in range(watch_events.BURST_TAKE - 1)])
    thread, got = taken_in_thread(q)
    thread.join(0.2)
    assert thread.is_alive()  # one short of a burst: waiting for the pause
    q.add(["last.md"])
    thread.join(DEADLINE)
    assert not thread.is_alive() and len(got[0].paths) == watch_events.BURST_TAKE
    # What waited while the worker applied that batch goes at the first short pause,
    # not after the long one that events coming right after a large batch wait for.
    q = BatchQueue(quiet_for=0.01, max_wait=60.0, burst_quiet=30.0, burst_wait=60.0)
    q.add([f"{i}.md" for i in range(10)])
    assert q.take(1.0) is not None
    q.add(["during.md"])
    thread, got = taken_in_thread(q)
    thread.join(DEADLINE)
    assert not thread.is_alive() and got[0].paths == {"during.md"}


def test_event_filter(tmp_path: Path) -> None:
    from watchdog import events as ev

    f = EventFilter(tmp_path, Ignore(["Templates/**", "*.draft.md"]))
    root = str(tmp_path)
    assert f.event_paths(ev.FileModifiedEvent(f"{root}/People/A.md")) == ["People/A.md"]
    assert f.event_paths(ev.FileMovedEvent(f"{root}/.A.md.tmp", f"{root}/A.md")) == ["A.md"]
    assert f.event_paths(ev.FileMovedEvent(f"{root}/A.md", f"{root}/.trash/A.md")) == ["A.md"]
    for path in (".obsidian/a.md", "A.md.swp", "A.md~", ".#A.md", "Templates/T.md", "x.draft.md"):
        assert f.event_paths(ev.FileCreatedEvent(f"{root}/{path}")) == []
    assert f.event_paths(ev.FileCreatedEvent("/elsewhere/A.md")) == []
    assert f.event_paths(ev.DirMovedEvent(f"{root}/People", f"{root}/Folks")) is watch_events.FULL
    assert f.event_paths(ev.DirDeletedEvent(f"{root}/Templates/Deep")) == []
    assert f.event_paths(ev.DirCreatedEvent(f"{root}/.git/objects/ab")) == []


def test_batch_line() -> None:
    report = BatchReport(
        added=("a.md",), updated=("b.md", "c.md", "d.md"), seconds=0.0042, written=("X.md",)
    )
    assert watch_report.batch_line(report) == (
        "1 added, 3 updated (a.md, b.md, c.md and 1 more) in 4 ms; wrote X.md"
    )
    assert watch_report.batch_line(BatchReport(full=True, reason="start")) == (
        "start: nothing changed in 0 ms"
    )


# -- the command -----------------------------------------------------------------------


def test_watch_command(vault: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--today", "2026-11-25"]
    proc = subprocess.Popen(
        [*cmd, "watch", "--dashboard"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()  # type: ignore[union-attr]

    def expect(text: str) -> str:
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                proc.kill()
                raise AssertionError(f"no line with {text!r}") from None
            if text in line:
                return line

    try:
        expect("Watching")
        write(vault / "People/Fay.md", contact("Fay"))
        assert "1 added (People/Fay.md)" in expect("Fay")
        second = subprocess.run(
            [*cmd, "watch"], capture_output=True, text=True, env=env, timeout=DEADLINE
        )
        assert second.returncode == 1
        assert f"pid {proc.pid}" in second.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=DEADLINE)
    assert proc.returncode == 0
    assert "Stopped." in proc.stderr.read()  # type: ignore[union-attr]
    assert "Fay" in (vault / "Follow-ups.md").read_text()


# -- commands trust a running watcher instead of scanning ---------------------------------


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_commands_ask_a_running_watcher_instead_of_scanning(
    start: Callable[..., Harness], vault: Path, monkeypatch: pytest.MonkeyPatch, polling: bool
) -> None:
    """With a watcher on notifications, a command skips the stat scan and still sees a save
    made just before it; with a polling watcher, or none, it scans as always."""
    from click.testing import CliRunner

    from vaultnet.cli import main
    from vaultnet.store import reconcile as index_mod

    scans: list[int] = []
    real_scan = index_mod.scan

    def spy_scan(*args: Any) -> Any:
        scans.append(1)
        return real_scan(*args)

    monkeypatch.setattr(index_mod, "scan", spy_scan)

    def names() -> list[str]:
        result = CliRunner().invoke(
            main, ["--vault", str(vault), "--today", "2026-11-25", "list", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        return [c["name"] for c in json.loads(result.stdout)]

    h = start(polling=polling)
    scans.clear()
    write(vault / "People/Ana Lima.md", contact("Ana Lima-Souza"))  # no waiting after it
    assert "Ana Lima-Souza" in names()
    (vault / "People/Cy New.md").write_text(contact("Cy New"), encoding="utf-8")
    assert "Cy New" in names()
    assert bool(scans) is polling
    assert not list((vault / ".vaultnet/cache").glob("sync-*"))
    h.stop()
    scans.clear()
    write(vault / "People/Bo Chen.md", contact("Bo Chen-Li"))
    assert "Bo Chen-Li" in names() and scans  # no watcher any more: the command scans


def test_commands_do_not_trust_a_watcher_on_a_replaced_index_or_symlinked_notes(
    start: Callable[..., Harness], vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild replaces the index file the watcher writes to, and file events miss the
    targets of symlinked notes: in both cases commands scan the vault themselves."""
    from click.testing import CliRunner

    from vaultnet.cli import main
    from vaultnet.store import reconcile as index_mod

    scans: list[int] = []
    real_scan = index_mod.scan
    monkeypatch.setattr(index_mod, "scan", lambda *a: (scans.append(1), real_scan(*a))[1])

    def names() -> list[str]:
        args = ["--vault", str(vault), "--today", "2026-11-25", "list", "--format", "json"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        return [c["name"] for c in json.loads(result.stdout)]

    h = start()
    scans.clear()
    names()
    assert not scans  # trusted
    assert CliRunner().invoke(main, ["--vault", str(vault), "index", "--rebuild"]).exit_code == 0
    (vault / "People/Zed New.md").write_text(contact("Zed New"), encoding="utf-8")
    scans.clear()
    assert "Zed New" in names() and scans  # the watcher keeps an index file that is gone
    h.stop()

    outside = tmp_path / "elsewhere.md"
    outside.write_text(contact("Sym Linked"), encoding="utf-8")
    (vault / "People/Sym Linked.md").symlink_to(outside)
    # Notes linked from outside the vault are read only when the config says so (#15).
    (vault / ".vaultnet/config.toml").write_text("follow_symlinks_outside = true\n")
    start()
    outside.write_text(contact("Sym Renamed"), encoding="utf-8")
    scans.clear()
    assert "Sym Renamed" in names() and scans


def contains(path: Path, data: bytes) -> bool:
    return data in path.read_bytes()


def test_watch_ics_follows_every_edit_beside_serve(
    start: Callable[..., Harness], vault: Path, tmp_path: Path
) -> None:
    """`serve` beside `watch`: whichever applies an edit first, `watch --ics` shows it (#15)."""
    served: list[bytes] = []

    def publish(data: bytes) -> bool:
        served.append(data)
        return True

    config = load_config(vault)
    serve_index = Index(vault, config)
    server = Watcher(
        serve_index,
        outputs=[watch_outputs.feed_output(config, publish)],
        today=lambda: TODAY,
        exclusive=False,
    )
    server.start()
    try:
        h = start("ics")
        ics = vault / "calendar.ics"
        for day in range(11, 21):
            write(vault / "People/Ana Lima.md", contact("Ana Lima", birthday=f"1990-06-{day}"))
            # A feed request right after the save: serve applies the edit before watch does.
            server.settle()
            want = f"199006{day}".encode()
            assert want in served[-1]
            until(lambda: contains(ics, want), f"watch's feed on {day}")  # noqa: B023
        h.assert_matches_fresh_build()
    finally:
        server.stop()
        serve_index.close()
