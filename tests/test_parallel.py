"""The cold build on two cores (store.parallel): the index it makes is the one a build in
one process makes, and a worker that fails costs nothing but time."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli

from vaultnet.store import parallel
from vaultnet.store import reading as reading_mod
from vaultnet.store import reconcile as reconcile_mod
from vaultnet.store.index import Index, cache_path
from vaultnet.vault.config import load_config


def _vault(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {}
    for i in range(90):
        if i % 3 == 0:
            files[f"People/P{i}.md"] = (
                f"---\nname: Person {i}\naliases: [p{i}]\nbirthday: 1990-01-{i % 28 + 1:02d}\n"
                f"cadence: monthly\n---\n## Log\n- 2026-0{i % 9 + 1}-10 Met [[Person {i + 3}]]\n"
                f"- [ ] Call back [[Person {i}]] 📅 2026-12-01\n"
            )
        else:
            files[f"Daily/2026-01-{i % 28 + 1:02d} {i}.md"] = (
                f"# Day\nWith [[Person {i - i % 3}|them]].\n- [ ] task {i} 📅 2026-11-2{i % 9}\n"
            )
    files["People/Broken.md"] = "---\nname: [unclosed\n---\n"
    files["People/Bytes.md"] = b"---\nname: \xff\xfe\n---\n"
    return make_vault(tmp_path, files)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 notes and a bulk build from 10: a small vault takes the parallel path."""
    monkeypatch.setattr(reconcile_mod, "BATCH", 4)
    monkeypatch.setattr(reading_mod, "BATCH", 4)
    monkeypatch.setattr(reconcile_mod, "BULK", 10)


def _build(vault: Path) -> dict[str, list[tuple[Any, ...]]]:
    shutil.rmtree(cache_path(vault).parent, ignore_errors=True)
    idx = Index(vault, load_config(vault))
    try:
        idx.update()
        return idx.snapshot()
    finally:
        idx.close()


def _chunks_parsed_here(
    monkeypatch: pytest.MonkeyPatch, worker_delay: float = 0.0, here_delay: float = 0.0
) -> list[int]:
    """A spy: how many notes each chunk parsed in this process had. ``worker_delay``: the
    forked worker takes that much longer a chunk (so that this process surely parses some:
    which side takes a chunk is otherwise up to the scheduler); ``here_delay``: this
    process does (so that the worker surely takes some)."""
    seen: list[int] = []
    real = reading_mod._parse_chunk
    here = os.getpid()

    def spy(vault: Path, stats: list[Any], rules: Any) -> list[Any]:
        if os.getpid() != here:
            time.sleep(worker_delay)
        else:
            time.sleep(here_delay)
            seen.append(len(stats))
        return real(vault, stats, rules)

    monkeypatch.setattr(reading_mod, "_parse_chunk", spy)
    return seen


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork, or one core")
def test_the_forked_build_equals_the_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    vault = _vault(tmp_path)
    here = _chunks_parsed_here(monkeypatch)
    forked = _build(vault)
    total = len(list(vault.rglob("*.md")))
    assert 0 < sum(here) < total  # the worker parsed the rest
    reports = [run_cli(vault, *a).stdout for a in (["followups", "--format", "json"], ["ics"])]

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    here.clear()
    serial = _build(vault)
    assert sum(here) == total
    assert serial == forked
    assert [run_cli(vault, *a).stdout for a in (["followups", "--format", "json"], ["ics"])] == (
        reports
    )


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork, or one core")
def test_a_worker_that_dies_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    vault = _vault(tmp_path)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    serial = _build(vault)
    monkeypatch.undo()
    monkeypatch.setattr(reconcile_mod, "BATCH", 4)
    monkeypatch.setattr(reading_mod, "BATCH", 4)
    monkeypatch.setattr(reconcile_mod, "BULK", 10)

    def dying(claim: parallel.ClaimFn, parse: parallel.ParseFn, fd: int) -> None:
        # Delivers its first chunks, then dies: the parent parses the rest.
        real_worker(claim, lambda i: parse(i) if i < 3 else os._exit(1), fd)

    real_worker = parallel._worker
    monkeypatch.setattr(parallel, "_worker", dying)
    here = _chunks_parsed_here(monkeypatch, here_delay=0.05)
    assert _build(vault) == serial
    total = len(list(vault.rglob("*.md")))
    assert sum(here) < total  # chunks before the death came from the worker


def test_few_chunks_are_parsed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """Below MIN_CHUNKS a fork costs more than it saves: no worker."""
    monkeypatch.setattr(reconcile_mod, "BATCH", 1000)
    monkeypatch.setattr(reading_mod, "BATCH", 1000)
    vault = _vault(tmp_path)
    here = _chunks_parsed_here(monkeypatch)
    _build(vault)
    assert sum(here) == len(list(vault.rglob("*.md")))


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork, or one core")
def test_each_chunk_is_parsed_once_by_one_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """The two processes share the chunks as they go: every note is parsed exactly once,
    here or in the worker, and both take part."""
    vault = _vault(tmp_path)
    log = tmp_path / "parsed.log"
    real = reading_mod._parse_chunk

    def spy(vault: Path, stats: list[Any], rules: Any) -> list[Any]:
        lines = "".join(f"{os.getpid()} {s.path}\n" for s in stats)
        with open(log, "a", encoding="utf-8") as fh:  # the worker's calls too
            fh.write(lines)
        return real(vault, stats, rules)

    monkeypatch.setattr(reading_mod, "_parse_chunk", spy)
    _build(vault)
    every = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md"))
    seen = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(path for _, path in seen) == every
    pids = {pid for pid, _ in seen}
    assert str(os.getpid()) in pids
    assert len(pids) == 2


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork, or one core")
def test_a_large_batch_beside_other_threads_equals_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """A watcher's large batch (other threads running) is parsed on two cores: the index
    it leaves is the one a rebuild makes."""
    monkeypatch.setattr(reconcile_mod, "TWO_CORES", 20)
    monkeypatch.setattr(reconcile_mod, "SMALL_CHUNK", 3)
    vault = _vault(tmp_path)
    _build(vault)
    paths = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md"))
    for i, rel in enumerate(paths):
        note = vault / rel
        if i % 2:
            note.write_bytes(
                note.read_bytes() + f"\n- [ ] more {i} [[Person {i % 30 * 3}]]\n".encode()
            )
    (vault / paths[1]).unlink()
    here = _chunks_parsed_here(monkeypatch, worker_delay=0.05)
    idx = Index(vault, load_config(vault))
    idx.fork_beside_threads = True
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert threading.active_count() > 1
        idx.refresh_paths(paths)
        incremental = idx.snapshot()
    finally:
        stop.set()
        other.join()
        idx.close()
    changed = len(paths) // 2 - 1
    assert 0 < sum(here) < changed  # the worker parsed the rest
    assert incremental == _build(vault)


def test_a_cold_build_checks_foreign_keys_again_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """A build from nothing stores without checking foreign keys; they are on again after
    it, and deleting a note still takes its rows with it."""
    vault = _vault(tmp_path)
    idx = Index(vault, load_config(vault))
    try:
        idx.update()
        assert idx.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        (vault / "People/P0.md").unlink()
        idx.update()
        assert not idx.db.execute(
            "SELECT 1 FROM logs WHERE note_id NOT IN (SELECT id FROM notes)"
        ).fetchone()
    finally:
        idx.close()


def test_a_cold_build_that_finds_rows_starts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """The table looked empty before the write lock and was not once it was held (another
    process built it meanwhile): the apply starts again, foreign keys on, and leaves the
    index a build makes."""
    vault = _vault(tmp_path)
    built = _build(vault)
    idx = Index(vault, load_config(vault))
    try:
        answers = iter([True])
        real = Index._is_empty
        monkeypatch.setattr(Index, "_is_empty", lambda self: next(answers, None) or real(self))
        from vaultnet.vault.scan import scan

        for note in vault.rglob("*.md"):
            os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 1000))
        stats = list(scan(vault, idx.ignore))
        idx.apply(stats, [])
        assert next(answers, "used") == "used"
        assert idx.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        after = idx.snapshot()
    finally:
        idx.close()
    assert after.keys() == built.keys()
    assert {k: v for k, v in after.items() if k != "notes"} == {
        k: v for k, v in built.items() if k != "notes"
    }


def test_the_rows_pipe_holds_several_chunks() -> None:
    """The worker writes a chunk's rows (about 200 KiB) without waiting for this process's
    reading thread, which runs only between the parsing thread's turns."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are Linux's")
    read_fd, write_fd = os.pipe()
    try:
        before = fcntl.fcntl(write_fd, fcntl.F_GETPIPE_SZ)
        parallel._widen(write_fd)
        after = fcntl.fcntl(write_fd, fcntl.F_GETPIPE_SZ)
        assert after >= min(parallel.PIPE_BYTES // 4, 4 * before)
    finally:
        os.close(read_fd)
        os.close(write_fd)
