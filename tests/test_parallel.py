"""The cold build on two cores (store.parallel): the index it makes is the one a build in
one process makes, and a worker that fails costs nothing but time."""

from __future__ import annotations

import os
import shutil
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


def _chunks_parsed_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A spy: how many notes each chunk parsed in this process had."""
    seen: list[int] = []
    real = reading_mod._parse_chunk

    def spy(vault: Path, stats: list[Any], rules: Any) -> list[Any]:
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

    def dying(n_chunks: int, parse: parallel.ParseFn, fd: int) -> None:
        # Delivers its first chunk, then dies: the parent parses the rest.
        real_worker(n_chunks, lambda i: parse(i) if i < 3 else os._exit(1), fd)

    real_worker = parallel._worker
    monkeypatch.setattr(parallel, "_worker", dying)
    here = _chunks_parsed_here(monkeypatch)
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
def test_the_chunks_packed_for_the_worker_are_the_ones_it_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """What is packed before the fork (``worker_chunks``) is what the worker parses: this
    process parses the other chunks, and only them."""
    vault = _vault(tmp_path)
    parsed_here: list[str] = []
    real = reading_mod._parse_chunk

    def spy(vault: Path, stats: list[Any], rules: Any) -> list[Any]:
        parsed_here.extend(s.path for s in stats)  # (the worker's calls stay in the worker)
        return real(vault, stats, rules)

    monkeypatch.setattr(reading_mod, "_parse_chunk", spy)
    _build(vault)
    every = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md"))
    theirs = parallel.worker_chunks(-(-len(every) // 4))
    assert theirs
    for_worker = {path for i in theirs for path in every[i * 4 : (i + 1) * 4]}
    assert sorted(parsed_here) == sorted(set(every) - for_worker)
