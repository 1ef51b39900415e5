"""The calendar feed of a vault as indexed: settings from the config, contacts from the index.

Shared by ``ics``, ``watch --ics`` and ``serve``. The events themselves are ``core.ics``.
"""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from vaultnet.core import ics
from vaultnet.core.errors import ConfigError
from vaultnet.core.ics import Alarm, FeedSettings, Occasion
from vaultnet.core.names import fold

if TYPE_CHECKING:
    from pathlib import Path

    from vaultnet.core.config import Config
    from vaultnet.core.model import Contact
    from vaultnet.store.index import Index


def feed_settings(
    config: Config, include: frozenset[str] | None = None, alarm: Alarm | None = None
) -> FeedSettings:
    """Settings from the command line where given, else from ``[calendar]`` in the config."""
    table = config["calendar"]
    if include is None:
        try:
            include = ics.include_set(table["include"])
        except ValueError as exc:
            raise ConfigError(f"calendar.include: {exc}", config.path) from None
    if alarm is None:
        alarm = table["alarm"] or Alarm(None)
    return FeedSettings(include, alarm.days, table["name"], alarm.at)


@dataclass(frozen=True)
class Feed:
    """The feed's bytes, and what it left out (lines for stderr)."""

    data: bytes
    notices: list[str] = field(default_factory=list)


def vault_feed(index: Index, config: Config, settings: FeedSettings, today: date) -> Feed:
    """The feed of the whole vault as indexed (see ``LiveFeed`` for one kept current)."""
    from vaultnet.app.notices import left_out

    data = LiveFeed(config, settings).render(index, today)
    return Feed(data, left_out(index, config, index.counts()["contacts"]))


def write_feed(path: Path, data: bytes) -> bool:
    """Write the feed to ``path`` when it changed; whether it did."""
    from vaultnet.vault.fsio import atomic_write

    return atomic_write(path, data, label="the feed")


class LiveFeed:
    """The feed of a vault, rendered again as the vault changes.

    The feed is also kept whole in the index, under the index's count of changes to
    contacts (and tasks, when they are in it): when no contact changed, it costs one
    query. Otherwise (without tasks) the index also keeps the feed's plan, which bytes
    of it are whose (``_Plan``): only the contacts whose notes changed since are loaded
    and rendered (with their namesakes, whose UIDs they may change), and the others' bytes
    are copied from the feed before, in any process (``ics``, the watcher, the server).
    """

    def __init__(self, config: Config, settings: FeedSettings):
        self.config = config
        self.settings = settings

    def render(self, index: Index, today: date) -> bytes:
        """The feed as the index holds the vault now."""
        settings = self.settings
        with_tasks = "tasks" in settings.include
        generations = (index.generation("contacts"), index.generation("tasks") if with_tasks else 0)
        memo = "feed:" + self._key("feed", generations)
        kept = index.cached_events({memo})
        if memo in kept:
            return kept[memo]
        if with_tasks:
            from vaultnet.store.contacts import load_contacts

            contacts = load_contacts(index, self.config, today, with_tasks=True)
            body = self._render(ics.occasions(contacts, settings.include), index)
            index.store_feed(memo, body)
            return body
        return _Planned(self, index, today).render(memo)

    def _key(self, what: str, *more: object) -> str:
        settings = self.settings
        return ics.cache_key(
            what,
            *more,
            sorted(settings.include),
            settings.alarm_days,
            settings.name,
            *(() if settings.alarm_at is None else (settings.alarm_at,)),
        )

    def _render(self, items: list[Occasion], cache: ics.EventCache) -> bytes:
        settings = self.settings
        return ics.render_feed(
            items, settings.alarm_days, settings.name, cache=cache, alarm_at=settings.alarm_at
        )


# One contact in a plan: its path, its note's (mtime_ns, size), its folded name (its
# events' order, and what namesakes share), and where its events are in the feed.
_Entry = tuple[str, int, int, str, int, int]


class _Stamped:
    """The index as a cache of events, remembering the stamp of its own writes; with
    ``forget`` False, it forgets nothing (a partial feed does not use every event)."""

    def __init__(self, index: Index, forget: bool):
        self.index = index
        self.forget = forget
        self.stamp = index.events_stamp()

    def cached_events(self, keys: AbstractSet[str]) -> dict[str, bytes]:
        return self.index.cached_events(keys)

    def store_events(self, fresh: dict[str, bytes], used: AbstractSet[str]) -> int:
        self.stamp = self.index.store_events(fresh, used if self.forget else None)
        return self.stamp


class _Planned:
    """One render of a feed without tasks, from its plan when the index has a good one."""

    def __init__(self, live: LiveFeed, index: Index, today: date):
        self.live = live
        self.index = index
        self.today = today
        self.plan_key = "plan:" + live._key("plan")

    def render(self, memo: str) -> bytes:
        states = self.index.contact_states()
        made = self._patched(states)
        if made is None:
            made = self._whole(states)
        body, entries, stamp = made
        plan = json.dumps({"feed": memo, "contacts": entries}, ensure_ascii=False)
        self.index.store_feed(memo, body, (self.plan_key, plan.encode(), stamp))
        return body

    def _load(self, paths: list[str] | None) -> list[Contact]:
        from vaultnet.store.contacts import load_contacts

        return load_contacts(self.index, self.live.config, self.today, paths=paths, with_last=False)

    def _whole(self, states: dict[str, tuple[int, int]]) -> tuple[bytes, list[_Entry], int]:
        """Every contact loaded and rendered."""
        contacts = self._load(None)
        cache = _Stamped(self.index, forget=True)
        body = self.live._render(ics.occasions(contacts, self.live.settings.include), cache)
        bounds = ics.event_bounds(body)
        entries = self._entries(contacts, states, bounds)
        return body, entries, cache.stamp

    def _entries(
        self, contacts: list[Contact], states: dict[str, tuple[int, int]], bounds: list[int]
    ) -> list[_Entry]:
        """The plan's entries of ``contacts`` (in the feed's order), whose events are
        those between ``bounds`` in order."""
        counts = self._counts(contacts)
        entries = []
        at = 0
        for c in contacts:
            mtime, size = states.get(c.path, (-1, -1))
            n = counts.get(c.path, 0)
            entries.append((c.path, mtime, size, fold(c.name), bounds[at], bounds[at + n]))
            at += n
        return entries

    def _counts(self, contacts: list[Contact]) -> dict[str, int]:
        """How many events each of ``contacts`` has in the feed."""
        counts: dict[str, int] = {}
        for item in ics.occasions(contacts, self.live.settings.include):
            if item.start < date.max:  # as render_feed leaves out
                counts[item.owners[0]] = counts.get(item.owners[0], 0) + 1
        return counts

    def _patched(
        self, states: dict[str, tuple[int, int]]
    ) -> tuple[bytes, list[_Entry], int] | None:
        """The feed from the plan of the one before, when there is a good one."""
        kept = self.index.feed_plan(self.plan_key)
        if kept is None:
            return None
        data, _ = kept
        plan = json.loads(data)
        before = self.index.cached_events({plan["feed"]}).get(plan["feed"])
        if before is None:
            return None
        entries: dict[str, _Entry] = {e[0]: tuple(e) for e in plan["contacts"]}
        stale = [p for p, st in states.items() if (e := entries.get(p)) is None or e[1:3] != st]
        gone = [p for p in entries if p not in states]
        if 2 * (len(stale) + len(gone)) > len(states):
            return None  # many changed: render them all
        names = {entries[p][3] for p in (*stale, *gone) if p in entries}
        for p in gone:
            del entries[p]
        contacts = self._load(stale) if stale else []
        names.update(fold(c.name) for c in contacts)
        # Namesakes of what changed, before or after: their UIDs may change with it.
        loaded = {c.path for c in contacts} | set(stale)
        while True:
            more = [p for p, e in entries.items() if e[3] in names and p not in loaded]
            if not more:
                break
            found = self._load(more)
            loaded.update(more)
            contacts += found
            names.update(fold(c.name) for c in found)
        contacts.sort(key=lambda c: (fold(c.name), c.path))
        for p in loaded:
            entries.pop(p, None)
        cache = _Stamped(self.index, forget=False)
        part = self.live._render(ics.occasions(contacts, self.live.settings.include), cache)
        bounds = ics.event_bounds(part)
        view = memoryview(before)
        pieces: list[tuple[tuple[str, str], bytes | memoryview]] = [
            ((e[3], p), view[e[4] : e[5]]) for p, e in entries.items()
        ]
        for e in self._entries(contacts, states, bounds):
            entries[e[0]] = e
            pieces.append(((e[3], e[0]), part[e[4] : e[5]]))
        pieces.sort(key=lambda piece: piece[0])
        # The head and the end of the calendar are the same for every feed of the plan.
        out: list[bytes | memoryview] = [part[: bounds[0]]]
        planned: list[_Entry] = []
        at = bounds[0]
        for (name, path), chunk in pieces:
            e = entries[path]
            planned.append((path, e[1], e[2], name, at, at + len(chunk)))
            out.append(chunk)
            at += len(chunk)
        out.append(part[bounds[-1] :])
        return b"".join(out), planned, cache.stamp
