"""Finding the vault and the notes in it (stat only; reading is ``notes``' job)."""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True, order=True, slots=True)
class FileStat:
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
    """Every note under ``root``, in path order, without following folder symlinks out of it.

    Depth first with an explicit stack of folders (each one's entries sorted, the smallest
    last), so that a note costs one step whatever its depth, and only the folders on the
    current path are held in memory, as plain tuples (a folder may hold 50,000 notes).
    """
    base = str(root)
    ignore.outside = []
    stack = [_entries(base, "", ignore)]
    while stack:
        items = stack[-1]
        if not items:
            stack.pop()
            continue
        key, mtime_ns, size = items.pop()
        if size >= 0:
            yield FileStat(key, mtime_ns, size)
        else:
            stack.append(_entries(os.path.join(base, key), key, ignore))


def encodable(name: str) -> bool:
    """Whether a file name is valid UTF-8 (SQLite and Obsidian cannot hold any other)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _entries(abs_dir: str, rel_dir: str, ignore: Ignore) -> list[tuple[str, int, int]]:
    """A folder's notes as (path, mtime_ns, size) and subfolders as (path + "/", 0, -1),
    so that they sort where their notes do, in descending order for ``list.pop``."""
    items: list[tuple[str, int, int]] = []
    try:
        with os.scandir(abs_dir) as it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    _drop_stale_temp(entry)
                    continue
                if not (name.isascii() or encodable(name)):
                    continue
                rel = f"{rel_dir}{name}"
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if name not in SKIP_DIRS and not ignore(rel, is_dir=True):
                            items.append((rel + "/", 0, -1))
                        continue
                    # A FIFO or socket named *.md would block the reader.
                    if not name.lower().endswith(".md") or ignore(rel) or not entry.is_file():
                        continue
                    if entry.is_symlink() and _skipped_link(rel, entry, ignore):
                        continue
                    st = entry.stat()
                except OSError:
                    continue
                items.append((rel, st.st_mtime_ns, st.st_size))
    except (PermissionError, FileNotFoundError, NotADirectoryError):
        return []
    items.sort(reverse=True)
    return items


def _skipped_link(rel: str, entry: os.DirEntry[str], ignore: Ignore) -> bool:
    """Whether the note ``entry`` (a link, at vault-relative ``rel``) is skipped because it
    resolves outside the vault; listed in ``ignore.outside`` then."""
    if ignore.follow_outside:
        return False
    path = entry.path
    root = os.path.realpath(path[: len(path) - len(rel)] or ".")
    if os.path.commonpath([os.path.realpath(path), root]) == root:
        return False
    ignore.outside.append(rel)
    return True


def _drop_stale_temp(entry: os.DirEntry[str]) -> None:
    """Delete a temp file a killed vaultnet left (its own pattern, an hour old, no link)."""
    if not entry.name.endswith(".tmp"):
        return
    from vaultnet.vault.fsio import stale_temp  # only for a leftover temp file: rare

    try:
        if entry.is_file(follow_symlinks=False) and stale_temp(
            entry.name, entry.stat(follow_symlinks=False).st_mtime, time.time()
        ):
            os.unlink(entry.path)
    except OSError:
        pass


def any_symlinked_note(root: Path, ignore: Ignore) -> bool:
    """Whether any note of the vault is a symbolic link (file events miss its target)."""
    return any(os.path.islink(os.path.join(root, f.path)) for f in scan(root, ignore))
