"""Reading notes and parsing them, a chunk at a time: one note's failure is a problem of
that note; a build from nothing, or a large batch, parses part of the chunks in a forked
worker."""

from __future__ import annotations

import gc
import marshal
import os
import stat as stat_mod
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.store.connection import BATCH
from vaultnet.vault.scan import FileStat

if TYPE_CHECKING:
    from vaultnet.core.model import ParsedNote
    from vaultnet.store.rows import NoteRows
    from vaultnet.vault import parse as notes_mod

MAX_NOTE_BYTES = 32 * 1024 * 1024  # a note larger than this is not read (a problem of it)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class _Unreadable(Exception):
    """A note that is no regular file when opened, or too large to read."""


def read_note(path: Path | str, size_hint: int) -> bytes:
    """The bytes of one note. Opened without blocking (a FIFO swapped in after the scan
    must not hang the command), refused unless what was opened is a regular file (a
    symlink to ``/dev/zero``), and never more than MAX_NOTE_BYTES."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat_mod.S_ISREG(st.st_mode):
            raise _Unreadable("not a regular file")
        if st.st_size > MAX_NOTE_BYTES:
            raise _Unreadable(f"larger than {MAX_NOTE_BYTES // (1024 * 1024)} MB")
        chunks = []
        total = 0
        want = max(st.st_size, size_hint) + 1  # one read for a note that did not grow
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_NOTE_BYTES:
                raise _Unreadable(f"larger than {MAX_NOTE_BYTES // (1024 * 1024)} MB")
            if len(chunk) < want and total >= st.st_size:
                break  # a short read of all it held: the end (no read more to learn it)
            want = 1 << 16
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_and_parse(vault: Path | str, stat: FileStat, rules: notes_mod.Rules) -> ParsedNote | None:
    """One note, read and parsed; None when it vanished since the scan. Whatever goes wrong
    with one note (it cannot be read, or the parser fails on it) is a problem of that note."""
    try:
        data = read_note(os.path.join(vault, stat.path), stat.size)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _unread(stat, f"cannot read: {exc.strerror}")
    except _Unreadable as exc:
        return _unread(stat, f"cannot read: {exc}")
    from vaultnet.vault import parse as notes_mod

    try:
        return notes_mod.parse_note(stat.path, data, rules)
    except RecursionError:
        return _unread(stat, "cannot parse: nested too deeply")
    except Exception as exc:  # one note never stops the rest
        words = str(exc).splitlines()[0][:200] if str(exc) else ""
        return _unread(stat, f"cannot parse: {type(exc).__name__}{': ' + words if words else ''}")


def _unread(stat: FileStat, message: str) -> ParsedNote:
    from vaultnet.core.links import path_stem
    from vaultnet.core.model import ParsedNote, Problem

    note = ParsedNote(path=stat.path, stem=path_stem(stat.path))
    note.problems.append(Problem(stat.path, None, message))
    return note


def _parse_chunk(vault: Path, stats: list[FileStat], rules: notes_mod.Rules) -> list[NoteRows]:
    from vaultnet.store.rows import note_rows

    root = os.fspath(vault)  # (a str joined: a Path made a note cost more than its read)
    return [note_rows(stat, read_and_parse(root, stat, rules)) for stat in stats]


class Changed:
    """The notes to (re)parse, held compactly: chunks of BATCH (path, mtime_ns, size) rows,
    each marshalled and compressed (paths share their folders: about 16 bytes a note; a
    list of ``FileStat`` costs 250). A build from nothing holds every note of the vault
    here: 3.3 MB at 200,000 notes, not 50 (0.1 s to pack, 0.04 s to unpack). The chunks
    are bytes, so a forked worker reads its share without copying this process's pages."""

    def __init__(self, stats: Iterable[tuple[str, int, int]] = (), size: int | None = None):
        self._size = size or BATCH
        self._chunks: list[bytes] = []
        self._open: list[tuple[str, int, int]] = []
        self.total = 0
        for path, mtime_ns, nbytes in stats:  # a FileStat or its plain tuple (marshal takes
            self.add((path, mtime_ns, nbytes))  # only the plain one)

    def add(self, row: tuple[str, int, int]) -> None:
        self._open.append(row)
        self.total += 1
        if len(self._open) >= self._size:
            self._chunks.append(zlib.compress(marshal.dumps(self._open, 2), 1))
            self._open = []

    def __len__(self) -> int:
        return self.total

    @property
    def n_chunks(self) -> int:
        return len(self._chunks) + (1 if self._open else 0)

    def rows(self, i: int) -> list[tuple[str, int, int]]:
        """The rows of chunk ``i``, in the order they were added."""
        if i < len(self._chunks):
            rows: list[tuple[str, int, int]] = marshal.loads(zlib.decompress(self._chunks[i]))
            return rows
        return list(self._open)

    def stats(self, i: int) -> list[FileStat]:
        return [FileStat(*row) for row in self.rows(i)]

    def paths(self) -> Iterator[str]:
        """Every path, a chunk at a time."""
        for i in range(self.n_chunks):
            for row in self.rows(i):
                yield row[0]


def parsed_in_chunks(
    vault: Path,
    changed: Changed,
    rules: notes_mod.Rules,
    *,
    two_cores: bool = False,
    threads_ok: bool = False,
) -> Iterator[list[NoteRows]]:
    """The changed notes parsed, a chunk at a time, in order; on two cores where it can
    (``store.parallel``) when ``two_cores`` (a build from nothing, a large batch). A
    process whose other threads hold no lock the parsing needs says ``threads_ok``."""

    def chunk(i: int) -> list[NoteRows]:
        return _parse_chunk(vault, changed.stats(i), rules)

    # Parsing and storing make no reference cycles, only objects that live until their
    # chunk is stored: the cyclic collector would only walk them (80 ms of a build of
    # 10,000 contacts + 30,000 notes), so it waits until the last chunk is given.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield from _chunks(changed, chunk, two_cores, threads_ok)
    finally:
        if collecting:
            gc.enable()


def _chunks(
    changed: Changed,
    chunk: Callable[[int], list[NoteRows]],
    two_cores: bool,
    threads_ok: bool,
) -> Iterator[list[NoteRows]]:
    n_chunks = changed.n_chunks
    if not two_cores:
        for i in range(n_chunks):
            yield chunk(i)
        return
    from vaultnet.store import parallel
    from vaultnet.vault import parse as _  # noqa: F401 - loaded before a fork, never in it
    from vaultnet.vault.frontmatter import yaml_loader

    yaml_loader()  # PyYAML too (it loads on first use), so that the worker shares it

    # The worker reads its chunks from the marshalled bytes of ``changed``: a worker
    # reading FileStat objects made before the fork would write their reference counts,
    # and so copy every page that holds them.
    yield from parallel.in_order(n_chunks, chunk, threads_ok=threads_ok)
