"""A cold build on two cores: a forked worker parses part of the notes while this process
parses the rest and stores everything, in the order a serial build would.

Measured at 10,000 contacts + 30,000 notes on two cores: parsing is about three quarters
of a build. An earlier attempt pickled ``ParsedNote`` objects back and lost (unpickling
them cost more than parsing); here the worker sends each chunk as the plain tuples of rows
it stores (``reconcile.NoteRows``), which unpickle about ten times faster. The worker
takes about five chunks of every eight: this process also stores them all. The notes of
the worker's chunks are handed to it packed in bytes (``worker_chunks``), so that it
copies no page of this process's objects by touching them.

Only where ``os.fork`` exists and no other thread runs (a fork copies one thread: a lock
another holds would stay held in the child). Anything wrong with the worker (it died, it
sent garbage) costs only time: the chunks it did not deliver are parsed here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

MAIN_SHARE = 0.4  # of the chunks, this process parses this part (it also stores all)
MIN_CHUNKS = 6  # fewer: a fork costs more than it saves
# Chunks the worker may send ahead of this process (the pipe holds a little more): when it
# is quicker, it waits, instead of its rows piling up here (at 50,000 contacts + 150,000
# notes, tens of MB).
AHEAD = 4
_HEADER = struct.Struct("<Q")

ParseFn = Callable[[int], list[Any]]  # chunk number -> its rows


def can_fork() -> bool:
    """Whether a worker may be forked here (POSIX, this thread alone, two cores or more)."""
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
        and not sys.flags.isolated
    )


def worker_chunks(n_chunks: int) -> list[int]:
    """The chunks ``in_order`` leaves to a worker (none when it forks none)."""
    if n_chunks < MIN_CHUNKS or not can_fork():
        return []
    return [i for i in range(n_chunks) if _worker_chunk(i)]


def in_order(n_chunks: int, parse: ParseFn) -> Iterator[list[Any]]:
    """The rows of chunks 0 .. n_chunks - 1, in order; with a worker when it pays."""
    if n_chunks < MIN_CHUNKS or not can_fork():
        for i in range(n_chunks):
            yield parse(i)
        return
    read_fd, write_fd = os.pipe()
    gc.freeze()  # this process's collections must not copy the pages it now shares either
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        os.close(read_fd)
        _worker(n_chunks, parse, write_fd)
    os.close(write_fd)
    inbox: queue.Queue[tuple[int, bytes] | None] = queue.Queue(maxsize=AHEAD)
    reader = threading.Thread(target=_read_all, args=(read_fd, inbox), daemon=True)
    reader.start()
    alive = True
    try:
        for i in range(n_chunks):
            if not _worker_chunk(i):
                yield parse(i)
                continue
            got = inbox.get() if alive else None
            if got is None or got[0] != i:
                alive = False  # the worker stopped: the rest is parsed here
                yield parse(i)
                continue
            yield pickle.loads(got[1])
    finally:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        while reader.is_alive():  # it may wait to put what the pipe still held
            with contextlib.suppress(queue.Empty):
                inbox.get(timeout=0.01)
        reader.join()
        gc.unfreeze()


def _worker_chunk(i: int) -> bool:
    """Whether the worker parses chunk ``i`` (this process's chunks spread evenly)."""
    return int((i + 1) * MAIN_SHARE) == int(i * MAIN_SHARE) and i > 0


def _worker(n_chunks: int, parse: ParseFn, fd: int) -> None:  # pragma: no cover - the child
    # No collection in the child: parsing makes no cycles, and a collection would write
    # into the header of every object the parent made, copying all their pages.
    gc.disable()
    status = 1
    try:
        with os.fdopen(fd, "wb") as out:
            for i in range(n_chunks):
                if _worker_chunk(i):
                    data = pickle.dumps(parse(i), protocol=pickle.HIGHEST_PROTOCOL)
                    out.write(_HEADER.pack(i) + _HEADER.pack(len(data)) + data)
                    out.flush()
        status = 0
    except BaseException:  # the parent parses what did not arrive
        pass
    finally:
        os._exit(status)


def _read_all(fd: int, inbox: queue.Queue[tuple[int, bytes] | None]) -> None:
    """Chunks as the worker sends them, until it is done (then None)."""
    try:
        with os.fdopen(fd, "rb") as pipe:
            while True:
                head = pipe.read(2 * _HEADER.size)
                if len(head) < 2 * _HEADER.size:
                    break
                (i,) = _HEADER.unpack_from(head)
                (size,) = _HEADER.unpack_from(head, _HEADER.size)
                data = pipe.read(size)
                if len(data) < size:
                    break
                inbox.put((i, data))
    except (OSError, ValueError):
        pass
    finally:
        inbox.put(None)
