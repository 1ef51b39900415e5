"""fsio: atomic writes that never clobber and never race a concurrent edit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from vaultnet.core.errors import NoteError, WriteError
from vaultnet.vault import fsio
from vaultnet.vault.fsio import atomic_write, read_snapshot, unchanged_since


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_a_new_file_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "note.md"
    assert atomic_write(target, b"hello\r\n") is True
    assert target.read_bytes() == b"hello\r\n"
    assert listing(target.parent) == ["note.md"]


def test_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert atomic_write(target, b"new") is True
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_unchanged_content_is_not_written(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"same")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert atomic_write(target, b"same") is False
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_create_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"mine")
    with pytest.raises(NoteError, match="already exists"):
        atomic_write(target, b"theirs", create=True)
    assert target.read_bytes() == b"mine"
    assert listing(tmp_path) == ["note.md"]


def test_create_new(tmp_path: Path) -> None:
    target = tmp_path / "new.md"
    assert atomic_write(target, b"x", create=True) is True
    assert target.read_bytes() == b"x"
    assert listing(tmp_path) == ["new.md"]


def test_refuses_when_changed_since_read(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"v1")
    snap = read_snapshot(target)
    assert unchanged_since(target, snap)
    target.write_bytes(b"v2 from the editor")
    assert not unchanged_since(target, snap)
    with pytest.raises(NoteError, match="changed on disk"):
        atomic_write(target, b"ours", expect=snap)
    assert target.read_bytes() == b"v2 from the editor"
    assert listing(tmp_path) == ["note.md"]


def test_same_size_edit_is_seen_through_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"aaaa")
    snap = read_snapshot(target)
    target.write_bytes(b"bbbb")
    os.utime(target, ns=(snap.mtime_ns, snap.mtime_ns))
    assert not unchanged_since(target, snap)


def test_deleted_since_read(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"v1")
    snap = read_snapshot(target)
    target.unlink()
    assert not unchanged_since(target, snap)


def test_expect_matches_then_writes(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"v1")
    snap = read_snapshot(target)
    assert atomic_write(target, b"v2", expect=snap) is True
    assert target.read_bytes() == b"v2"


def test_follows_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real" / "note.md"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_temp_file_is_dot_prefixed_and_removed_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"old")
    seen: list[str] = []

    def failing_replace(src: str, dst: object) -> None:
        seen.append(os.path.basename(src))
        raise OSError("disk full")

    monkeypatch.setattr(fsio.os, "replace", failing_replace)
    with pytest.raises(WriteError, match="cannot write it: disk full"):
        atomic_write(target, b"new")
    assert seen and seen[0].startswith(".note.md.")
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["note.md"]
