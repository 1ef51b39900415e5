"""Writing user files safely: atomically, only on change, never over a concurrent edit."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from vaultnet.core.errors import NoteError, WriteError


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read: compare before writing to detect a concurrent edit."""

    data: bytes
    mtime_ns: int
    size: int


def read_snapshot(path: Path) -> Snapshot:
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    return Snapshot(data, st.st_mtime_ns, st.st_size)


def unchanged_since(path: Path, snap: Snapshot) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    if (st.st_mtime_ns, st.st_size) != (snap.mtime_ns, snap.size):
        return False
    with open(path, "rb") as fh:
        return fh.read() == snap.data


def atomic_write(
    path: Path,
    data: bytes,
    *,
    expect: Snapshot | None = None,
    create: bool = False,
    label: str = "it",
) -> bool:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    Returns False (and writes nothing) when the file already holds exactly ``data``.
    ``expect``: refuse when the file no longer matches what was read.
    ``create``: the file must not exist yet; an existing file is never clobbered.
    Missing folders are created.
    Symlinks are followed, so the link stays and its target is updated.
    Raises ``WriteError`` (``PATH: cannot write LABEL: reason``) when the system refuses.
    """
    try:
        return _atomic_write(path, data, expect, create)
    except OSError as exc:
        raise WriteError.from_os(exc, path, f"write {label}") from exc


def _atomic_write(path: Path, data: bytes, expect: Snapshot | None, create: bool) -> bool:
    target = Path(os.path.realpath(path))
    exists = target.exists()
    if create and exists:
        raise NoteError("already exists; not overwriting it", path)
    if exists and not create:
        if expect is not None and not unchanged_since(target, expect):
            raise NoteError("changed on disk while vaultnet was editing it; nothing written", path)
        with open(target, "rb") as fh:
            if fh.read() == data:
                return False
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_of(target) if exists else None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        if create:
            _link_new(tmp, target, path)
        else:
            if expect is not None and not unchanged_since(target, expect):
                raise NoteError(
                    "changed on disk while vaultnet was editing it; nothing written", path
                )
            os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return True


def _link_new(tmp: str, target: Path, path: Path) -> None:
    """Give the written temp file its name, unless that name exists: link() fails if the
    name was taken meanwhile, so nothing is clobbered, even in a race."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise NoteError("already exists; not overwriting it", path) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise NoteError("already exists; not overwriting it", path) from None
        os.replace(tmp, target)
    else:
        os.unlink(tmp)


def _mode_of(path: Path) -> int:
    return os.stat(path).st_mode & 0o7777


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
