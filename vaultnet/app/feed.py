"""The calendar feed of a vault as indexed: settings from the config, contacts from the index.

Shared by ``ics``, ``watch --ics`` and ``serve``. The events themselves are ``core.ics``.
"""

from __future__ import annotations

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
    query. Otherwise, an instance that rendered before (the watcher's, the server's) loads
    only the contacts whose notes changed since, and reuses the occasions of the others.
    """

    def __init__(self, config: Config, settings: FeedSettings):
        self.config = config
        self.settings = settings
        # contact path -> (note state, sort key, occasions), as of the last render
        self._known: dict[str, tuple[tuple[int, int], tuple[str, str], list[Occasion]]] = {}

    def render(self, index: Index, today: date) -> bytes:
        """The feed as the index holds the vault now."""
        settings = self.settings
        with_tasks = "tasks" in settings.include
        generations = (index.generation("contacts"), index.generation("tasks") if with_tasks else 0)
        memo = "feed:" + ics.cache_key(
            "feed",
            generations,
            sorted(settings.include),
            settings.alarm_days,
            settings.name,
            *(() if settings.alarm_at is None else (settings.alarm_at,)),
        )
        kept = index.cached_events({memo})
        if memo in kept:
            return kept[memo]
        items = self._tasks_included(index, today) if with_tasks else self._occasions(index, today)
        body = ics.render_feed(
            items, settings.alarm_days, settings.name, cache=index, alarm_at=settings.alarm_at
        )
        index.store_feed(memo, body)
        return body

    def _tasks_included(self, index: Index, today: date) -> list[Occasion]:
        from vaultnet.store.contacts import load_contacts

        contacts = load_contacts(index, self.config, today, with_tasks=True)
        return ics.occasions(contacts, self.settings.include)

    def _occasions(self, index: Index, today: date) -> list[Occasion]:
        from vaultnet.store.contacts import load_contacts

        states = index.contact_states()
        stale = [p for p, st in states.items() if p not in self._known or self._known[p][0] != st]
        for path in [p for p in self._known if p not in states]:
            del self._known[path]
        if stale:
            # Few changed: load just those (a first render, or many changes: load them all).
            subset = stale if len(stale) < len(states) // 2 else None
            if subset is None:
                stale = list(states)
            fresh: dict[str, list[Occasion]] = {p: [] for p in stale}
            keys: dict[str, tuple[str, str]] = {}
            loaded = load_contacts(index, self.config, today, paths=subset, with_last=False)
            for c in loaded:
                keys[c.path] = (fold(c.name), c.path)
            for item in ics.occasions(loaded, self.settings.include):
                fresh[item.owners[0]].append(item)
            for path in stale:
                if path in keys:
                    self._known[path] = (states[path], keys[path], fresh[path])
        ordered = sorted(self._known.values(), key=lambda known: known[1])
        return [item for _, _, items in ordered for item in items]
