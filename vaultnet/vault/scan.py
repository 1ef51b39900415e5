"""Finding the vault and the notes in it (stat only; reading is ``notes``' job)."""

from __future__ import annotations

import fnmatch
import marshal
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from vaultnet.core.digest import hex_digest
from vaultnet.core.tuples import NamedTuple

SKIP_DIRS = frozenset({".obsidian", ".git", ".trash", ".vaultnet"})
MARKERS = (".vaultnet", ".obsidian")


def find_vault(explicit: str | None, cwd: Path) -> Path | None:
    """``--vault`` / ``$VAULTNET_VAULT`` when given, else the nearest folder at or above ``cwd``
    holding ``.vaultnet/`` or ``.obsidian/``, else None (a folder is never made a vault
    silently: run in the home folder, that would index all of it)."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).is_dir() for marker in MARKERS):
            return folder
    return None


class FileStat(NamedTuple):
    path: str  # vault-relative, "/"-separated
    mtime_ns: int
    size: int


class Ignore:
    """The config's ``ignore`` globs, matched against vault-relative paths; and what the
    scan does with notes that are links leading outside the vault (``follow_outside``:
    read them; else skip them and list them in ``outside`` for the user)."""

    def __init__(self, patterns: list[str], follow_outside: bool = False):
        self.patterns = [p.strip().lstrip("/") for p in patterns if p.strip()]
        self.follow_outside = follow_outside
        self.outside: list[str] = []  # the last scan's skipped links, vault-relative

    def __call__(self, rel: str, is_dir: bool = False) -> bool:
        name = rel.rsplit("/", 1)[-1]
        for pattern in self.patterns:
            bare = pattern.rstrip("/")
            if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, bare):
                return True
            if "/" not in bare and fnmatch.fnmatchcase(name, bare):
                return True
            if is_dir and bare.endswith("/**") and fnmatch.fnmatchcase(rel, bare[:-3]):
                return True
        return False


def is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def wanted(rel: str, ignore: Ignore) -> bool:
    """Whether a vault-relative path is a note vaultnet indexes."""
    if not rel.lower().endswith(".md") or is_hidden(rel):
        return False
    parts = rel.split("/")
    for i in range(1, len(parts)):
        if ignore("/".join(parts[:i]), is_dir=True):
            return False
    return not ignore(rel)


def scan(root: Path, ignore: Ignore) -> Iterator[FileStat]:
    """Every note under ``root``, in path order, without following folder symlinks out of it
    (see ``scan_rows``)."""
    for row in scan_rows(root, ignore):
        yield FileStat(*row)


def scan_rows(root: Path, ignore: Ignore) -> Iterator[tuple[str, int, int]]:
    """``scan`` as plain (path, mtime_ns, size) tuples: no object a note.

    Depth first with an explicit stack of folders (each one's entries sorted, the smallest
    last), so that a note costs one step whatever its depth, and only the folders on the
    current path are held in memory, each as the bare paths of its entries (a folder may
    hold 50,000 notes: 4 MB so, not the 10 of their tuples); a note is stat'ed when its
    turn comes, relative to its folder's open descriptor where the system allows."""
    base = str(root)
    ignore.outside = []
    stack = [_Folder(base, "", ignore)]
    stat = os.stat
    try:
        while stack:
            folder = stack[-1]
            items, fd, cut = folder.items, folder.fd, folder.cut
            where = None if fd is not None else folder.abs_dir
            while items:
                rel = items.pop()
                if rel[-1] == "/":
                    stack.append(_Folder(os.path.join(base, rel[:-1]), rel[:-1], ignore))
                    break
                try:  # links followed, as ``DirEntry.stat``
                    st = stat(rel[cut:], dir_fd=fd) if where is None else stat(where + rel[cut:])
                except OSError:
                    continue
                yield rel, st.st_mtime_ns, st.st_size
            else:
                stack.pop().close()
    finally:
        for folder in stack:
            folder.close()


# A chunk of a listing: (its digest, the first path of its range, the first path after it
# or None for the last chunk).
ChunkKey = tuple[str, str, str | None]


class Listing:
    """A scan (``scan_rows``) walked in chunks of ``CHUNK`` notes, one chunk at a time
    (``chunks``): each keyed by the digest of its rows and the range of paths it covers,
    from its first path ("" for the first chunk) to the next chunk's. Two chunks with the
    same key found the same notes, with the same (mtime_ns, size), and no other note in
    that range. Only the chunk at hand and the one after it are held (the key of a chunk
    needs the first path after it), and every chunk's key: about 100 bytes a chunk."""

    CHUNK = 1024

    def __init__(self, rows: Iterable[tuple[str, int, int]]):
        self._rows = rows
        self._keys: list[ChunkKey] = []
        self.total = 0

    def chunks(self) -> Iterator[tuple[ChunkKey, list[tuple[str, int, int]]]]:
        """Each chunk's key and its (path, mtime_ns, size) rows, in path order (once)."""
        size = self.CHUNK
        held: tuple[str, str, list[tuple[str, int, int]]] | None = None  # digest, first, rows
        chunk: list[tuple[str, int, int]] = []
        add = chunk.append
        for row in self._rows:
            add(row)
            if len(chunk) >= size:
                if held is not None:
                    yield self._keyed(held, chunk[0][0])
                held = (self._digest(chunk), chunk[0][0] if held is not None else "", chunk)
                chunk = []
                add = chunk.append
        if held is not None and chunk:
            yield self._keyed(held, chunk[0][0])
            held = (self._digest(chunk), chunk[0][0], chunk)
        elif held is None:  # an empty vault: one empty chunk, for every path
            held = (self._digest(chunk), "", chunk)
        yield self._keyed(held, None)

    def _keyed(
        self, held: tuple[str, str, list[tuple[str, int, int]]], after: str | None
    ) -> tuple[ChunkKey, list[tuple[str, int, int]]]:
        digest, first, rows = held
        key = (digest, first, after)
        self._keys.append(key)
        self.total += len(rows)
        return key, rows

    @staticmethod
    def _digest(chunk: list[tuple[str, int, int]]) -> str:
        # Version 2: no back-references, so equal rows give equal bytes.
        return hex_digest(marshal.dumps(chunk, 2))

    def keys(self) -> list[ChunkKey]:
        """Each chunk's key, in path order (of the chunks walked so far)."""
        return list(self._keys)


def encodable(name: str) -> bool:
    """Whether a file name is valid UTF-8 (SQLite and Obsidian cannot hold any other)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# A folder opened once, its notes stat'ed relative to it (fstatat): the kernel walks one
# name a note instead of the whole path, about a seventh less time (Linux, macOS).
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class _Folder:
    """A folder's notes as paths and its subfolders as path + "/", so that they sort where
    their notes do, in descending order for ``list.pop``; and its descriptor, kept open
    (where ``_BY_FD``) to stat its notes relative to it."""

    def __init__(self, abs_dir: str, rel_dir: str, ignore: Ignore):
        self.abs_dir = os.path.join(abs_dir, "")  # its notes' names follow
        self.fd: int | None = None
        self.items: list[str] = []
        prefix = rel_dir + "/" if rel_dir else ""
        self.cut = len(prefix)  # a note's name: its path from here on
        try:
            if not _BY_FD:
                with os.scandir(abs_dir) as it:
                    self.items = _listed(it, abs_dir, prefix, ignore)
                return
            self.fd = os.open(abs_dir, _DIR_FLAGS)
            with os.scandir(self.fd) as it:
                self.items = _listed(it, abs_dir, prefix, ignore)
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            self.items = []

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _listed(
    it: Iterator[os.DirEntry[Any]], abs_dir: str, rel_dir: str, ignore: Ignore
) -> list[str]:
    """The items of a ``_Folder`` from its entries (``entry.path`` may be the bare name:
    the folder's own path is ``abs_dir``)."""
    items: list[str] = []
    add = items.append
    check = ignore if ignore.patterns else None  # most vaults ignore nothing
    for entry in it:
        name = entry.name
        if name[0] == ".":
            _drop_stale_temp(entry, abs_dir)
            continue
        if not (name.isascii() or encodable(name)):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                rel = rel_dir + name
                if name not in SKIP_DIRS and (check is None or not check(rel, is_dir=True)):
                    add(rel + "/")
                continue
            # A FIFO or socket named *.md would block the reader.
            if not (name.endswith(".md") or name.lower().endswith(".md")):
                continue
            rel = rel_dir + name
            if check is not None and check(rel):
                continue
            if not entry.is_file(follow_symlinks=False) and _passed_over(
                entry, rel, abs_dir, ignore
            ):
                continue
        except OSError:
            continue
        add(rel)
    items.sort(reverse=True)
    return items


def _passed_over(entry: os.DirEntry[Any], rel: str, abs_dir: str, ignore: Ignore) -> bool:
    """Whether a note that is no plain file is skipped: anything but a file or a link to
    one, or a link leading outside the vault (see ``_skipped_link``)."""
    if not entry.is_file():
        return True
    return entry.is_symlink() and _skipped_link(rel, abs_dir, entry.name, ignore)


def _skipped_link(rel: str, abs_dir: str, name: str, ignore: Ignore) -> bool:
    """Whether the note ``name`` in ``abs_dir`` (a link, at vault-relative ``rel``) is
    skipped because it resolves outside the vault; listed in ``ignore.outside`` then."""
    if ignore.follow_outside:
        return False
    path = os.path.join(abs_dir, name)
    root = os.path.realpath(path[: len(path) - len(rel)] or ".")
    if os.path.commonpath([os.path.realpath(path), root]) == root:
        return False
    ignore.outside.append(rel)
    return True


def _drop_stale_temp(entry: os.DirEntry[Any], abs_dir: str) -> None:
    """Delete a temp file a killed vaultnet left (its own pattern, an hour old, no link)."""
    if not entry.name.endswith(".tmp"):
        return
    from vaultnet.vault.fsio import stale_temp  # only for a leftover temp file: rare

    try:
        if entry.is_file(follow_symlinks=False) and stale_temp(
            entry.name, entry.stat(follow_symlinks=False).st_mtime, time.time()
        ):
            os.unlink(os.path.join(abs_dir, entry.name))
    except OSError:
        pass


def any_symlinked_note(root: Path, ignore: Ignore) -> bool:
    """Whether any note of the vault is a symbolic link (file events miss its target)."""
    return any(os.path.islink(os.path.join(root, f.path)) for f in scan(root, ignore))
