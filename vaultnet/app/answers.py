"""Reports answered from the index: what a command printed, kept with everything it depends
on, and printed again while none of it changed ("the index holds the answers").

The key of an answer (``Request.key``) is everything its output depends on but the index:
the command and its options, today, the terminal (colours, width), the time zone, the
exact bytes of the files the config is read from, vaultnet's version and the identity of
its code. The row also holds the index's change counters (and schema) it was computed
from; the answer is replayed only when they are the ones the index has now. A command that
computes a report keeps its answer, in a transaction of its own; the watcher computes
again the answers asked for recently after each change (``live.outputs.AnswerRefresh``).

When may a command replay? While a watcher vouches for the index (``store.sync``), the
counters are current and replaying is exactly as right as computing. A command that
scanned the vault itself replays too when its scan changed nothing (``REPLAY_AFTER_SCAN``,
on): the counters are the same, so is the answer. A report kept item by item (``Kept``:
``followups --format json``, ``app.parts``) is brought up to date instead when the scan
changed a few notes: only the contacts they concern are computed again (``_spliced``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.core.tuples import NamedTuple
from vaultnet.store import answers as table
from vaultnet.store.parts import Frame, Record

if TYPE_CHECKING:
    from vaultnet.app.context import App
    from vaultnet.core.config import Config
    from vaultnet.store.index import Index

REPLAY_AFTER_SCAN = True  # replay after a scan of one's own that found nothing changed
JSON_FRAME = Frame("[\n  ", ",\n  ", "\n]\n", "[]\n")  # a JSON list of one-line items, printed
SPLICE_AT_MOST = 500  # contacts computed again by a splice; more: computed whole, as cheap
TRACK = 200  # a report kept by parts: changed notes up to which the update says whom they concern
REFRESH_ENV = "VAULTNET_ANSWER_REFRESH"  # set by a watcher's refresh: not a user's asking

Stored = table.Stored


class Request(NamedTuple):
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


class Kept(NamedTuple):
    """How a report kept item by item (``app.parts``, ``store.parts``) is made: ``whole``
    gives every item's record and the notices, ``fresh`` the records of the contacts of a
    set only and the notices; ``frame`` prints the records' lines."""

    whole: Callable[[Index], tuple[list[Record], list[str]]]
    fresh: Callable[[Index, frozenset[int]], tuple[list[Record], list[str]]]
    frame: Frame


def answer(
    app: App,
    request: Request | None,
    open_index: Callable[[], Index],
    compute: Callable[[Index], Stored],
    kept: Kept | None = None,
) -> Stored:
    """The report ``request`` asks for: replayed when a stored answer is still right, else
    computed by ``compute`` and kept. Without a request (a command that writes): computed.
    With ``kept``, the report is kept contact by contact: after an update that changed a
    few notes, only the contacts they concern are computed again (``_by_parts``)."""
    if request is None:
        return compute(open_index())
    if os.environ.get(REFRESH_ENV):
        with contextlib.suppress(OSError):
            os.nice(10)  # a watcher's refresh yields to what the user runs
    key = request.key(app.vault, app.today)
    replayed = replay_watched(app, key)
    if replayed is not None:
        return replayed
    if kept is not None:
        app.track = TRACK
    index = open_index()
    before = table.counters(index.db)
    replayed = _replay_current(index, key, before) if REPLAY_AFTER_SCAN else None
    if replayed is not None:
        return replayed
    keeping = REPLAY_AFTER_SCAN or app.watched or bool(os.environ.get(REFRESH_ENV))
    records = None
    if kept is None or not keeping:
        result = compute(index)
    else:
        spliced = _spliced(app, request, index, key, before, kept)
        if spliced is not None:
            return spliced
        records, notices = kept.whole(index)
        result = Stored(kept.frame.text([r[5] for r in records][: kept.frame.limit]), notices)
    if not keeping:
        return result  # nobody would replay it: without a watcher, keeping costs for nothing
    if table.counters(index.db) == before and request.key(app.vault, app.today) == key:
        # Nothing moved while it was computed (a watcher's commit, an edit of the config).
        recipe = request.recipe(app.vault, app.today)
        shape = None if kept is None or records is None else (kept.frame, records)
        keep(index, app.config, key, recipe, before, result, shape)
    return result


def _replay_current(index: Index, key: str, now: str) -> Stored | None:
    """The stored answer of ``key`` when it was computed from the index as it is ``now``."""
    found = table.find(index.db, key)
    if found is None or found.generations != now:
        return None
    return table.fetch(index.db, found.id, now)


def _spliced(
    app: App, request: Request, index: Index, key: str, now: str, kept: Kept
) -> Stored | None:
    """The answer kept item by item for ``key``, brought to the index's counters ``now`` by
    computing again only the contacts the last update concerned, and kept: when its rows
    are what the index held just before that update and nothing else wrote since (nor did
    a name or alias come or go), and they are not more than ``SPLICE_AT_MOST`` contacts.
    None: compute it whole."""
    found = table.find(index.db, key)
    changes = index.last_changes
    if (
        found is None
        or found.frame is None
        or changes is None
        or changes.keys_touched
        or len(changes.contacts) > SPLICE_AT_MOST
        or table.counters_of(index.db, changes.before) != found.generations
        or table.counters_of(index.db, changes.after) != now
    ):
        return None
    records, notices = kept.fresh(index, changes.contacts)
    if request.key(app.vault, app.today) != key:
        return None  # the config changed meanwhile
    asked = 0.0 if os.environ.get(REFRESH_ENV) else table.now()
    return table.splice(index.db, found, now, changes.contacts, records, notices, asked)


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
    index: Index,
    config: Config,
    key: str,
    recipe: str,
    counters: str,
    answer: Stored,
    kept: tuple[Frame, list[Record]] | None = None,
) -> None:
    """Store ``answer`` (computed from the index at ``counters``) under ``key``; with
    ``kept``, item by item (``store.parts``)."""
    asked = 0.0 if os.environ.get(REFRESH_ENV) else table.now()
    digest, fingerprint = config_digest(config), config.fingerprint()
    table.store(index.db, key, recipe, digest, fingerprint, counters, answer, asked, kept)


def config_digest(config: Config) -> str:
    """A digest of the whole config (every value, and what Obsidian's settings say)."""
    import json

    from vaultnet.core.digest import hex_digest

    what = {"values": config.values, "obsidian": config.obsidian, "path": config.path}
    text = json.dumps(what, sort_keys=True, default=repr)
    return hex_digest(text.encode("utf-8", "surrogateescape"), 32)


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
