"""Reports answered from the index: what a command printed, kept with everything it depends
on, and printed again while none of it changed ("the index holds the answers").

The key of an answer (``Request.key``) is everything its output depends on but the index:
the command and its options, today, the terminal (colours, width), the time zone, the
exact bytes of the files the config is read from, vaultnet's version and the identity of
its code. The row
also holds the index's change counters (and schema) it was computed from; the answer is
replayed only when they are the ones the index has now. A command that computes a report
while a watcher vouches for the index keeps its answer, in a transaction of its own (one
that scanned by itself keeps nothing: nobody would replay it, see ``REPLAY_AFTER_SCAN``);
the watcher computes again the answers asked for recently after each change
(``live.outputs.AnswerRefresh``).

When may a command replay? While a watcher vouches for the index (``store.sync``), the
counters are current and replaying is exactly as right as computing. A command that
scanned the vault itself (no watcher) may replay too when its scan changed nothing: just
as valid, but then the bench's "one contact changed ≤ no change + 20 ms" compares a
whole computation with a replay. ``REPLAY_AFTER_SCAN`` is that choice (off: without a
watcher every report is computed, and that row measures what one changed note costs).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.store import answers as table

if TYPE_CHECKING:
    from vaultnet.app.context import App
    from vaultnet.core.config import Config
    from vaultnet.store.index import Index

REPLAY_AFTER_SCAN = False  # replay after a scan of one's own that found nothing changed
REFRESH_ENV = "VAULTNET_ANSWER_REFRESH"  # set by a watcher's refresh: not a user's asking

Stored = table.Stored


@dataclass(frozen=True)
class Request:
    """A report as a command line asked for it: the command, its parsed options, the
    arguments to run it again, and what the terminal makes of text."""

    command: str
    params: dict[str, object]
    args: tuple[str, ...]
    colour: bool
    width: int | None

    def key(self, vault: Path, today: date) -> str:
        """The exact text everything but the index is summed up in (the ``repr`` of plain
        values in a fixed order: no JSON to load for it)."""
        from vaultnet import __version__
        from vaultnet.vault.config import config_sources

        return repr(
            {
                "answers": table.ANSWERS_VERSION,
                "vaultnet": __version__,
                "code": code_stamp(),
                "vault": str(vault),
                "config": config_sources(vault),
                "today": today.isoformat(),
                "command": self.command,
                "params": self.params,
                "colour": self.colour,
                "width": self.width,
                # Notices tell local times (a broken note shown as it was at 14:05).
                "zone": [time.timezone, time.altzone, time.daylight, *time.tzname],
            }
        )

    def recipe(self, vault: Path, today: date) -> str:
        """How a watcher runs it again: ``vaultnet --vault V --today D ARGS...``."""
        return table.dumps(
            {
                "vault": str(vault),
                "today": today.isoformat(),
                "args": list(self.args),
                "plain": not self.colour and self.width is None,
            }
        )


_stamp: list[list[int]] = []


def code_stamp() -> list[int]:
    """How many source files vaultnet has, their sizes and newest mtime: any edit of its
    code (a schema, a renderer) gives new keys, even when the version stays."""
    if not _stamp:
        count = size = newest = 0
        stack = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                        stack.append(entry.path)
                    elif entry.name.endswith(".py"):
                        st = entry.stat()
                        count, size = count + 1, size + st.st_size
                        newest = max(newest, st.st_mtime_ns)
        _stamp.append([count, size, newest])
    return _stamp[0]


def answer(
    app: App,
    request: Request | None,
    open_index: Callable[[], Index],
    compute: Callable[[Index], Stored],
) -> Stored:
    """The report ``request`` asks for: replayed when a stored answer is still right, else
    computed by ``compute`` and kept. Without a request (a command that writes): computed."""
    if request is None:
        return compute(open_index())
    if os.environ.get(REFRESH_ENV):
        with contextlib.suppress(OSError):
            os.nice(10)  # a watcher's refresh yields to what the user runs
    key = request.key(app.vault, app.today)
    replayed = replay_watched(app, key)
    if replayed is not None:
        return replayed
    index = open_index()
    before = table.counters(index.db)
    if REPLAY_AFTER_SCAN:
        found = table.find(index.db, key)
        if found is not None and found.generations == before:
            replayed = table.fetch(index.db, found.id, before)
            if replayed is not None:
                return replayed
    result = compute(index)
    if not (REPLAY_AFTER_SCAN or app.watched or os.environ.get(REFRESH_ENV)):
        return result  # nobody would replay it: without a watcher, keeping costs for nothing
    if table.counters(index.db) == before and request.key(app.vault, app.today) == key:
        # Nothing moved while it was computed (a watcher's commit, an edit of the config).
        keep(index, app.config, key, request.recipe(app.vault, app.today), before, result)
    return result


def replay_watched(app: App, key: str) -> Stored | None:
    """The stored answer of ``key``, when a running watcher vouches that the index it was
    computed from is current. Opens nothing but the index file."""
    import sqlite3

    from vaultnet.store.sync import in_sync

    path = table.index_file(app.vault)
    try:
        db = table.connect(path)
        if db is None:
            return None
        try:
            found = table.find(db, key)
            # A watcher's own refresh names no answer: it must not keep its answers asked for.
            named = None if found is None or os.environ.get(REFRESH_ENV) else found.id
            if found is None or not in_sync(path, found.fingerprint, answer=named):
                return None
            app.vouch(found.fingerprint)
            return table.fetch(db, found.id, table.counters(db))
        finally:
            db.close()
    except table.AnswerDamaged:
        raise  # wrong bytes in the index: rebuilt by the error boundary
    except sqlite3.DatabaseError:
        return None  # not a database, an old one...: the index's own opening deals with it


def keep(
    index: Index, config: Config, key: str, recipe: str, counters: str, answer: Stored
) -> None:
    """Store ``answer`` (computed from the index at ``counters``) under ``key``."""
    asked = 0.0 if os.environ.get(REFRESH_ENV) else table.now()
    table.store(
        index.db, key, recipe, config_digest(config), config.fingerprint(), counters, answer, asked
    )


def config_digest(config: Config) -> str:
    """A digest of the whole config (every value, and what Obsidian's settings say)."""
    import hashlib
    import json

    what = {"values": config.values, "obsidian": config.obsidian, "path": config.path}
    text = json.dumps(what, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


RECENT = 24 * 3600.0  # seconds: answers asked for within this long are kept fresh
REFRESH_AT_MOST = 4  # answers a watcher computes again after each change


def stale_recipes(index: Index, config: Config, asked: dict[int, float]) -> list[str]:
    """The recipes of the answers asked for recently (``asked``: the ids a watcher saw
    replayed, and when) under this config whose counters are not the index's now."""
    now = table.now()
    seen = [i for i, when in asked.items() if now - when <= RECENT]
    current = table.counters(index.db)
    rows = table.recent(index.db, config_digest(config), now - RECENT, seen)
    return [r.recipe for r in rows if r.generations != current][:REFRESH_AT_MOST]
