"""Writing user files safely: atomically, only on change, never over a concurrent edit,
one writer at a time, never through a link that leaves the vault, and a generated note
only over a note vaultnet generated."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vaultnet.core.errors import NoteError, WriteError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: writers are not serialised there
    fcntl = None  # type: ignore[assignment]

CHANGED_WHILE_READING = "changed while reading; try again"
# A note modified this recently may be in the middle of an editor's save: wait that long
# and look again before editing it.
SETTLE_NS = 100_000_000
LOCK_TIMEOUT = 30.0  # seconds to wait for another vaultnet writing to the vault
# The front-matter line that marks the notes vaultnet generates (dashboard, network note):
# only such a note is overwritten, and the index reads no tasks or mentions from it.
GENERATED_MARK = "generated_by: vaultnet"
# Temp files of atomic_write: ".NAME." + tempfile's 8 random characters + ".tmp".
TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_TEMP_SECONDS = 3600.0
_HELD = threading.local()  # the vaults whose lock this thread holds


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
        after = os.fstat(fh.fileno())
    return Snapshot(data, st.st_mtime_ns, st.st_size) if _same(st, after, data) else _moving(path)


def read_settled(path: Path) -> Snapshot:
    """What ``path`` holds, refused (NoteError "changed while reading; try again") when its
    size or mtime moves while it is read, or when it is still moving a moment after a
    recent change: an editor saving a large note writes it in pieces."""
    snap = read_snapshot(path)
    age = time.time_ns() - snap.mtime_ns
    if 0 <= age < SETTLE_NS:
        time.sleep((SETTLE_NS - age) / 1e9)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise NoteError("the note is gone", path) from None
        if (st.st_mtime_ns, st.st_size) != (snap.mtime_ns, snap.size):
            _moving(path)
    return snap


def _same(before: os.stat_result, after: os.stat_result, data: bytes) -> bool:
    return (
        (before.st_mtime_ns, before.st_size)
        == (after.st_mtime_ns, after.st_size)
        == (
            after.st_mtime_ns,
            len(data),
        )
    )


def _moving(path: Path) -> Snapshot:
    raise NoteError(CHANGED_WHILE_READING, path)


# -- one writer at a time ---------------------------------------------------------------
@contextlib.contextmanager
def vault_lock(vault: Path | None) -> Iterator[None]:
    """Hold ``.vaultnet/write.lock`` of ``vault`` (an fcntl lock): vaultnet processes that
    write to the vault take turns, so that re-reading and writing a note is one step.

    Without fcntl, or when the lock file cannot be made (a read-only vault, where the write
    fails anyway with its own reason), nothing is locked.
    """
    key = os.path.realpath(vault) if vault is not None else ""
    held: set[str] = _HELD.__dict__.setdefault("vaults", set())
    fd = _open_lock(vault) if vault is not None and fcntl is not None and key not in held else None
    if fd is None:  # no lock to take, or this thread holds it already
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WriteError(
                        "another vaultnet has been writing to this vault for"
                        f" {LOCK_TIMEOUT:.0f} s; try again",
                        vault,
                    ) from None
                time.sleep(0.005)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # closing releases the lock


def _open_lock(vault: Path) -> int | None:
    folder = vault / ".vaultnet"
    try:
        folder.mkdir(exist_ok=True)
        return os.open(folder / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None


def vault_of(path: Path) -> Path | None:
    """The vault ``path`` (not resolved) lies in: the nearest folder above it holding
    ``.vaultnet/`` or ``.obsidian/``."""
    for folder in Path(os.path.abspath(path)).parents:
        if (folder / ".vaultnet").is_dir() or (folder / ".obsidian").is_dir():
            return folder
    return None


def outside(vault: Path, path: Path) -> bool:
    """Whether ``path``, links resolved, lies outside ``vault``."""
    real = Path(os.path.realpath(path))
    return not real.is_relative_to(os.path.realpath(vault))


# -- generated notes --------------------------------------------------------------------
def is_generated(data: bytes) -> bool:
    """Whether a file's bytes are a note vaultnet generated (``generated_by: vaultnet`` in
    its front matter)."""
    lines = data[:4096].decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        return False
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            return False
        if line.strip() == GENERATED_MARK:
            return True
    return False


def write_generated(vault: Path, path: Path, data: bytes, *, label: str = "it") -> bool:
    """Write a note vaultnet generates (the dashboard, the network note): only over a file
    vaultnet generated, never one a person wrote (NoteError naming it)."""
    with vault_lock(vault):
        try:
            snap: Snapshot | None = read_snapshot(path)
        except (FileNotFoundError, NotADirectoryError):
            snap = None
        except IsADirectoryError:
            raise NoteError("is a folder; not writing a note over it", path) from None
        except OSError as exc:
            raise WriteError.from_os(exc, path, f"read {label}") from exc
        if snap is not None and not is_generated(snap.data):
            raise NoteError(
                f"was not written by vaultnet (no '{GENERATED_MARK}' in its front matter);"
                " not overwriting it: choose another path in the config, or delete it",
                path,
            )
        return atomic_write(path, data, expect=snap, label=label, vault=vault)


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
    vault: Path | None = None,
    make_dirs: bool = True,
) -> bool:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    Returns False (and writes nothing) when the file already holds exactly ``data``.
    ``expect``: refuse when the file no longer matches what was read.
    ``create``: the file must not exist yet; an existing file is never clobbered.
    Missing folders are created, unless ``make_dirs`` is False.
    Symlinks are followed, so the link stays and its target is updated; with ``vault``,
    a link that leads outside the vault is refused (NoteError).
    Raises ``WriteError`` (``PATH: cannot write LABEL: reason``) when the system refuses.
    """
    try:
        if vault is not None and outside(vault, path):
            raise NoteError("is a link that leads outside the vault; not writing through it", path)
        if not make_dirs and not Path(os.path.realpath(path)).parent.is_dir():
            raise WriteError("cannot write it: no such folder (vaultnet does not create it)", path)
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


def stale_temp(name: str, mtime: float, now: float) -> bool:
    """Whether a file named ``name`` is a temp file atomic_write left behind (a process
    killed mid-write) long enough ago that no write can still be using it."""
    return now - mtime > STALE_TEMP_SECONDS and TEMP_NAME.match(name) is not None


def _mode_of(path: Path) -> int:
    return os.stat(path).st_mode & 0o7777


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
