"""Parsing on two cores: a forked worker parses chunks of notes while this process parses
others and stores everything, in the order a serial build would. A build from nothing
takes this path, and so does a large batch of changes (a watcher's burst, a checkout).

Measured at 10,000 contacts + 30,000 notes on two cores: parsing is about three quarters
of a build. An earlier attempt pickled ``ParsedNote`` objects back and lost (unpickling
them cost more than parsing); here the worker sends each chunk as the plain tuples of rows
it stores (``reconcile.NoteRows``), which unpickle about ten times faster. The notes of
the worker's chunks are read from bytes (``reading.Changed``), so that it copies no page
of this process's objects by touching them.

The chunks are shared as the two go, not fixed in advance: every chunk number is written
once into a pipe before the fork, and each side takes the next one when it is free (a
read of four bytes from a pipe is atomic). This process stores every chunk, so it parses
one only when the next to store has not arrived: whichever side is quicker does more,
and the storing overlaps the worker's parsing. What this process parsed ahead, and what
the worker sent ahead, are both bounded (HELD and AHEAD chunks). The rows' pipe is widened
where the system allows (``_widen``): the worker then never waits for this process's
reading thread.

Only where ``os.fork`` exists and no other thread runs (a fork copies one thread: a lock
another holds would stay held in the child), unless the caller knows that the child needs
none of their locks (``threads_ok``: the watcher, whose child only reads and parses).
Anything wrong with the worker (it died, it sent garbage) costs only time: the chunks it
did not deliver are parsed here.
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
import warnings
from collections.abc import Callable, Iterator
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MIN_CHUNKS = 4  # fewer: a fork costs more than it saves
# Chunks the worker may send ahead of this process (the pipe holds a little more): when it
# is quicker, it waits, instead of its rows piling up here (at 50,000 contacts + 150,000
# notes, tens of MB).
AHEAD = 4
# Chunks this process may hold parsed ahead of the one it stores next: one keeps both
# sides busy, and the memory of a build at 50,000 contacts + 150,000 notes as it was.
HELD = 1
_HEADER = struct.Struct("<Q")
_TOKEN = struct.Struct("<I")
MAX_CHUNKS = 60_000 // _TOKEN.size  # every chunk number fits in a pipe's buffer at once
PIPE_BYTES = 1 << 20  # the rows' pipe, where the system lets it grow (``_widen``)

ParseFn = Callable[[int], list[Any]]  # chunk number -> its rows
ClaimFn = Callable[[], "int | None"]  # the next chunk nobody took yet, None when none is left


def can_fork(*, threads_ok: bool = False) -> bool:
    """Whether a worker may be forked here (POSIX, two cores or more, and this thread alone
    unless ``threads_ok``)."""
    return (
        hasattr(os, "fork")
        and (threads_ok or threading.active_count() == 1)
        and (os.cpu_count() or 1) > 1
        and not sys.flags.isolated
    )


def in_order(
    n_chunks: int, parse: ParseFn, *, threads_ok: bool = False, min_chunks: int = MIN_CHUNKS
) -> Iterator[list[Any]]:
    """The rows of chunks 0 .. n_chunks - 1, in order; with a worker when it pays."""
    forks = can_fork(threads_ok=True) if threads_ok else can_fork()
    if n_chunks < max(min_chunks, 2) or n_chunks > MAX_CHUNKS or not forks:
        for i in range(n_chunks):
            yield parse(i)
        return
    tokens_r, tokens_w = os.pipe()
    try:
        os.write(tokens_w, b"".join(_TOKEN.pack(i) for i in range(n_chunks)))
    finally:
        os.close(tokens_w)  # no writer left: a read past the last number is the end
    read_fd, write_fd = os.pipe()
    _widen(write_fd)
    gc.freeze()  # this process's collections must not copy the pages it now shares either
    with warnings.catch_warnings():  # (3.12 warns of any fork while threads run)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        os.close(read_fd)
        _worker(lambda: _claim(tokens_r), parse, write_fd)
    os.close(write_fd)
    inbox: queue.Queue[tuple[int, bytes] | None] = queue.Queue(maxsize=AHEAD)
    reader = threading.Thread(target=_read_all, args=(read_fd, inbox), daemon=True)
    reader.start()
    try:
        yield from _gather(n_chunks, parse, lambda: _claim(tokens_r), inbox)
    finally:
        os.close(tokens_r)
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        while reader.is_alive():  # it may wait to put what the pipe still held
            with contextlib.suppress(queue.Empty):
                inbox.get(timeout=0.01)
        reader.join()
        gc.unfreeze()


def _gather(
    n_chunks: int,
    parse: ParseFn,
    claim: ClaimFn,
    inbox: queue.Queue[tuple[int, bytes] | None],
) -> Iterator[list[Any]]:
    shared = _Shared(parse, claim, inbox)
    for i in range(n_chunks):
        yield shared.chunk(i)


class _Shared:
    """This process's side of the sharing: the worker's chunks as they arrive, its own
    when the next to store has not arrived yet (then it takes the next chunk nobody took,
    and parses it here)."""

    def __init__(
        self, parse: ParseFn, claim: ClaimFn, inbox: queue.Queue[tuple[int, bytes] | None]
    ):
        self.parse = parse
        self.claim = claim
        self.inbox = inbox
        self.held: dict[int, list[Any]] = {}  # parsed here, ahead of the next to store
        self.arrived: dict[int, bytes] = {}  # sent by the worker
        self.alive = True  # the worker may still send
        self.claims = True  # chunk numbers may be left to take

    def chunk(self, i: int) -> list[Any]:
        """The rows of chunk ``i`` (every chunk before it was asked for already)."""
        while True:
            if i in self.held:
                return self.held.pop(i)
            if i in self.arrived:
                rows: list[Any] = pickle.loads(self.arrived.pop(i))
                return rows
            if self._poll(block=False):
                continue
            if self.claims and len(self.held) < HELD:
                k = self.claim()
                if k is None:
                    self.claims = False
                elif k >= i:
                    self.held[k] = self.parse(k)
            elif not self._poll(block=True):
                # The worker stopped: what it took and did not send is parsed here.
                return self.parse(i)

    def _poll(self, *, block: bool) -> bool:
        """Whether something came from the worker (a chunk, or its end)."""
        if not self.alive:
            return False
        try:
            got = self.inbox.get() if block else self.inbox.get_nowait()
        except queue.Empty:
            return False
        if got is None:
            self.alive = False
        else:
            self.arrived[got[0]] = got[1]
        return True


def _widen(fd: int) -> None:
    """Let the pipe hold a few chunks' rows (Linux: up to PIPE_BYTES), where a pipe holds
    64 KiB by default. This process reads the pipe in a thread, which runs only when the
    thread that parses and stores lets go of the interpreter (every few milliseconds): with
    a chunk's rows (about 200 KiB at 500 notes) four times what the pipe held, the worker
    waited for it a good part of its time. Measured at 10,000 contacts + 30,000 notes: a
    build from nothing in 2.67 s instead of 3.05 s (8 alternating runs each)."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setsize is None:
        return
    for size in (PIPE_BYTES, PIPE_BYTES // 4):
        try:
            fcntl.fcntl(fd, setsize, size)
            return
        except OSError:  # above the system's limit (/proc/sys/fs/pipe-max-size)
            continue


def _claim(fd: int) -> int | None:
    """The next chunk number from the pipe (shared by both processes); None once empty."""
    try:
        data = os.read(fd, _TOKEN.size)
    except OSError:
        return None
    if len(data) < _TOKEN.size:
        return None
    (i,) = _TOKEN.unpack(data)
    return int(i)


def _worker(claim: ClaimFn, parse: ParseFn, fd: int) -> None:  # pragma: no cover - the child
    # No collection in the child: parsing makes no cycles, and a collection would write
    # into the header of every object the parent made, copying all their pages.
    gc.disable()
    status = 1
    try:
        with os.fdopen(fd, "wb") as out:
            while (i := claim()) is not None:
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
