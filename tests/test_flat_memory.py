"""What keeps memory flat with the vault's size (issue #17): the scan walked a chunk at a
time, the changed notes held packed, the worker's chunks waited for, the feed compared a
piece at a time. Each holds the same answers as the whole lists did."""

from __future__ import annotations

import hashlib
import marshal
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_vault

from vaultnet.app.feed import write_feed
from vaultnet.store import parallel
from vaultnet.store import reading as reading_mod
from vaultnet.store.reading import Changed
from vaultnet.vault.scan import FileStat, Ignore, Listing, scan_rows


def _keys_of_whole(
    rows: list[tuple[str, int, int]], size: int
) -> list[tuple[str, str, str | None]]:
    """The chunk keys as the listing held whole made them: cut every ``size`` rows."""
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]
    firsts = ["", *(c[0][0] for c in chunks[1:])]
    digests = [hashlib.blake2b(marshal.dumps(c, 2), digest_size=20).hexdigest() for c in chunks]
    return list(zip(digests, firsts, [*firsts[1:], None], strict=True))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 9])
def test_a_listing_walked_chunk_by_chunk_keys_its_chunks_as_before(
    monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    """The keys stored by a version that held the whole scan still match (no index has to
    compare every chunk once after the upgrade), at every remainder of the chunk size."""
    monkeypatch.setattr(Listing, "CHUNK", 3)
    rows = [(f"N{i:02d}.md", 10**18 + i, 100 + i) for i in range(n)]
    listing = Listing(iter(rows))
    walked = list(listing.chunks())
    assert [key for key, _ in walked] == listing.keys() == _keys_of_whole(rows, 3)
    assert [row for _, chunk in walked for row in chunk] == rows
    assert listing.total == n


def test_the_changed_notes_come_back_in_order_chunk_by_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reading_mod, "BATCH", 4)
    stats = [FileStat(f"Folder/Note {i} é.md", 10**18 + i, i) for i in range(10)]
    changed = Changed(stats)
    assert len(changed) == 10 and changed.n_chunks == 3
    assert [changed.stats(i) for i in range(3)] == [stats[0:4], stats[4:8], stats[8:10]]
    assert list(changed.paths()) == [s.path for s in stats]
    assert not Changed() and Changed().n_chunks == 0
    exact = Changed(stats[:8])
    assert exact.n_chunks == 2 and exact.stats(1) == stats[4:8]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc")
def test_a_scan_left_halfway_closes_its_folders(tmp_path: Path) -> None:
    """Folders stay open while their notes are stat'ed: a scan stopped early (or walked to
    the end) leaves no descriptor open."""
    vault = make_vault(
        tmp_path, {f"A/B/C/N{i}.md": "x\n" for i in range(5)} | {"A/Z.md": "", "Top.md": ""}
    )
    before = _open_fds()
    rows = scan_rows(vault, Ignore([]))
    assert next(rows)[0] == "A/B/C/N0.md"
    rows.close()  # type: ignore[attr-defined]  # a generator
    assert _open_fds() == before
    assert [r[0] for r in scan_rows(vault, Ignore([]))][-2:] == ["A/Z.md", "Top.md"]
    assert _open_fds() == before


def test_a_note_that_vanishes_before_its_stat_is_left_out(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/A.md": "a\n", "People/B.md": "b\n"})
    rows = scan_rows(vault, Ignore([]))
    assert next(rows)[0] == "People/A.md"
    (vault / "People" / "B.md").unlink()
    assert [r[0] for r in rows] == []


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork, or one core")
def test_a_worker_ahead_waits_and_a_build_stopped_early_does_not_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At most AHEAD of the worker's chunks wait here; when the build stops reading (an
    error while storing), the reader thread that waits to hand over a chunk is released."""
    monkeypatch.setattr(parallel, "AHEAD", 1)
    n = 40
    got = list(parallel.in_order(n, lambda i: [i] * 100))
    assert got == [[i] * 100 for i in range(n)]
    chunks = parallel.in_order(n, lambda i: [i] * 20_000)  # more than a pipe holds
    assert next(chunks) == [0] * 20_000
    chunks.close()  # type: ignore[attr-defined]  # must return: the worker is stopped, its reader drained


def test_a_feed_file_holding_the_bytes_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    data = b"BEGIN:VCALENDAR\r\n" + b"x" * 3_000_000 + b"\r\nEND:VCALENDAR\r\n"
    assert write_feed(path, data) is True
    os.utime(path, ns=(10**18, 10**18))
    assert write_feed(path, data) is False
    assert path.stat().st_mtime_ns == 10**18
    other = data[:-20] + b"y" + data[-19:]  # same size, one byte differs near the end
    assert write_feed(path, other) is True
    assert path.read_bytes() == other
    assert write_feed(path, other + b"z") is True and path.read_bytes() == other + b"z"
    link = tmp_path / "link.ics"
    link.symlink_to(path)
    assert write_feed(link, other + b"z") is False
    assert write_feed(link, data) is True and link.is_symlink() and path.read_bytes() == data


_FREED = """
import sys
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
if sys.argv[1] == "fixed":
    from vaultnet.app.memory import keep_mmap_threshold
    assert keep_mmap_threshold()
big = bytearray(8 << 20)  # mapped, then freed: glibc's threshold rises to its size
del big
before = rss()
blocks, kept = [], []
for _ in range(32):  # 1 MiB blocks, each followed by a small one that stays
    blocks.append(bytearray(1 << 20))
    kept.append(bytearray(4096))
del blocks
print((rss() - before) >> 20)
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="glibc's mmap threshold",
)
def test_arrays_freed_after_a_large_one_go_back_to_the_system() -> None:
    """``app.memory.keep_mmap_threshold``: large blocks made after a large one was freed
    are still mapped, so freeing them gives their memory back (without it, glibc takes
    them from the heap, where the small blocks between them keep it)."""

    def retained(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", _FREED, mode], capture_output=True, text=True, check=True
        )
        return int(out.stdout)

    if retained("default") < 16:
        pytest.skip("this C library gives such blocks back by itself")
    assert retained("fixed") < 4
