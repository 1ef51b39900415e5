"""The calendar feed of a vault as indexed: settings from the config, contacts from the index.

Shared by ``ics``, ``watch --ics`` and ``serve``. The events themselves are ``core.ics``.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    from vaultnet.store.feedcache import Notes, Plan, PlanRow
    from vaultnet.store.index import Index

    # A feed made: its bytes, the bytes to keep (None: those kept already), the plan's rows
    # that changed, the paths it drops, the notes it was made from, the cache it used.
    _Made = tuple[bytes, bytes | None, list[PlanRow], Sequence[str], Notes, "_Stamped"]


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
    """Write the feed to ``path`` when it changed; whether it did. A file that holds these
    bytes already is compared a piece at a time (not read whole next to the feed: at
    50,000 contacts the feed is 13 MB)."""
    from vaultnet.vault.fsio import atomic_write

    if _holds(path, data):
        return False
    return atomic_write(path, data, label="the feed")


_PIECE = 1 << 20


def _holds(path: Path, data: bytes) -> bool:
    """Whether the regular file at ``path`` (links followed) holds exactly ``data``; False
    when it cannot be read (the write then says why)."""
    import os
    import stat

    view = memoryview(data)
    try:
        with open(os.path.realpath(path), "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
                return False
            at = 0
            while piece := fh.read(_PIECE):
                if view[at : at + len(piece)] != piece:
                    return False
                at += len(piece)
            return at == len(data)
    except (OSError, ValueError):
        return False


SPLICED = 16  # a feed with at most this many contacts changed is spliced, not assembled


class LiveFeed:
    """The feed of a vault, rendered again as the vault changes.

    The feed is also kept whole in the index, under the index's count of changes to
    contacts (and tasks, when they are in it): when no contact changed, it costs one
    query. Otherwise (without tasks) the index also keeps the feed's plan, each contact's
    events with the id of its note's version (``store.feedcache.PlanRow``): only the contacts whose
    notes changed since are loaded and rendered (with their namesakes, whose UIDs they may
    change), in any process (``ics``, the watcher, the server). When their events are the
    bytes they were (a log line changes no birthday), the feed is the one kept and is not
    written again; else it is assembled from the plan's events.
    """

    def __init__(self, config: Config, settings: FeedSettings):
        self.config = config
        self.settings = settings

    def render(self, index: Index, today: date) -> bytes:
        """The feed as the index holds the vault now."""
        settings = self.settings
        with_tasks = "tasks" in settings.include
        generations = (index.generation("contacts"), index.generation("tasks") if with_tasks else 0)
        # "marked": a feed: key now marks the bytes kept apart; an older vaultnet (a watcher
        # started before an upgrade) keeps the bytes under its own keys, never these.
        memo = "feed:" + self._key("feed", generations, "marked")
        kept = index.kept_feed(memo)
        if kept is not None:
            return kept
        if with_tasks:
            from vaultnet.store.contacts import load_contacts

            contacts = load_contacts(index, self.config, today, with_tasks=True)
            body = self._render(ics.occasions(contacts, settings.include), index)
            index.store_feed(memo, body)
            return body
        return _Planned(self, index, today).render(memo, generations[0])

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


class _Stamped:
    """The index as a cache of events that notes whether anyone else wrote events or plans
    since ``stamp`` (the stamp of the writes moved by more than its own writes); with
    ``forget`` False, it forgets nothing (a partial feed does not use every event)."""

    def __init__(self, index: Index, forget: bool, stamp: int):
        self.index = index
        self.forget = forget
        self.stamp = stamp
        self.alone = True

    def cached_events(self, keys: AbstractSet[str]) -> dict[str, bytes]:
        return self.index.cached_events(keys)

    def store_events(self, fresh: dict[str, bytes], used: AbstractSet[str]) -> int:
        stamp = self.index.store_events(fresh, used if self.forget else None)
        if stamp != self.stamp + (1 if fresh else 0):
            self.alone = False
        self.stamp = stamp
        return stamp


def _place(row: PlanRow | None) -> tuple[str, bytes] | None:
    """What a contact puts into the feed: its events, at the place of its name (no place
    when it has no events)."""
    return (row.name, row.events) if row is not None and row.events else None


class _Planned:
    """One render of a feed without tasks, from its plan when the index has a good one."""

    def __init__(self, live: LiveFeed, index: Index, today: date):
        self.live = live
        self.index = index
        self.today = today
        self.plan_key = "plan:" + live._key("plan", "rows by note id")

    def render(self, memo: str, generation: int) -> bytes:
        plan = self.index.feed_plan(self.plan_key)
        made = None if plan is None else self._patched(plan)
        whole = made is None
        if made is None:
            made = self._whole()
        body, kept, rows, gone, notes, cache = made
        seen = (cache.stamp if cache.alone else -1, generation, notes)
        self.index.store_plan(self.plan_key, (memo, kept), rows, gone, seen, whole)
        return body

    def _load(self, paths: list[str] | None) -> list[Contact]:
        from vaultnet.store.contacts import load_contacts

        contacts = load_contacts(
            self.index, self.live.config, self.today, paths=paths, with_last=False
        )
        contacts.sort(key=lambda c: (fold(c.name), c.path))  # the feed's order
        return contacts

    def _render(self, contacts: list[Contact], cache: _Stamped) -> tuple[bytes, dict[str, bytes]]:
        """The feed of ``contacts`` (in the feed's order), and each one's events in it."""
        part = self.live._render(ics.occasions(contacts, self.live.settings.include), cache)
        bounds = ics.event_bounds(part)
        counts: dict[str, int] = {}
        for item in ics.occasions(contacts, self.live.settings.include):
            if item.start < date.max:  # as render_feed leaves out
                counts[item.owners[0]] = counts.get(item.owners[0], 0) + 1
        events = {}
        at = 0
        for c in contacts:
            n = counts.get(c.path, 0)
            events[c.path] = part[bounds[at] : bounds[at + n]]
            at += n
        return part, events

    def _whole(self) -> _Made:
        """Every contact loaded and rendered."""
        from vaultnet.store.feedcache import PlanRow

        cache = _Stamped(self.index, forget=True, stamp=self.index.events_stamp())
        notes = self.index.notes_now()
        contacts = self._load(None)
        body, events = self._render(contacts, cache)
        rows = [PlanRow(c.path, c.id, fold(c.name), events[c.path]) for c in contacts]
        return body, body, rows, (), notes, cache

    def _patched(self, plan: Plan) -> _Made | None:
        """The feed from its plan: only the contacts that changed since (and their
        namesakes, whose UIDs they may change) are loaded and rendered. None when many
        changed (rendering them all costs less)."""
        from vaultnet.store.feedcache import PlanRow

        stale, gone, notes = self.index.plan_changes(plan)
        changed = len(stale) + len(gone)
        if changed > 64 and 2 * changed > self.index.counts()["contacts"]:
            return None
        cache = _Stamped(self.index, forget=False, stamp=plan.stamp)
        contacts = self._load(list(stale)) if stale else []
        old = self.index.plan_rows([*stale, *gone])
        # Namesakes of what changed, before or after: their UIDs may change with it.
        names = {r.name for r in old.values()} | {fold(c.name) for c in contacts}
        more = [p for p in self.index.plan_namesakes(names) if p not in stale and p not in old]
        if more:
            old.update(self.index.plan_rows(more))
            contacts = sorted([*contacts, *self._load(more)], key=lambda c: (fold(c.name), c.path))
        part, events = self._render(contacts, cache)
        rows = [PlanRow(c.path, c.id, fold(c.name), events[c.path]) for c in contacts]
        found = {c.path for c in contacts}
        gone = [*gone, *(p for p in stale if p not in found)]
        if all(_place(old.get(r.path)) == _place(r) for r in rows) and not any(
            _place(old.get(p)) for p in gone
        ):
            kept = self.index.kept_feed(plan.feed)
            if kept is not None:  # the same bytes as the feed before
                return kept, None, rows, gone, notes, cache
        body = self._spliced(plan, part, rows, gone, old)
        if body is None:
            body = self._assembled(part, rows, gone)
        return body, body, rows, gone, notes, cache

    def _spliced(
        self, plan: Plan, part: bytes, rows: list[PlanRow], gone: list[str], old: dict[str, PlanRow]
    ) -> bytes | None:
        """The feed kept, with the events of ``rows`` in place of theirs and none of
        ``gone``, for a few changes: each one's old events are cut out of it, each one's new
        events go before the first unchanged contact after it in the feed's order. None
        when more changed or the kept feed is not the plan's (then it is assembled whole,
        which reads every contact's events)."""
        changed = {r.path for r in rows} | set(gone)
        feed = self.index.kept_feed(plan.feed) if len(changed) <= SPLICED else None
        if feed is None:
            return None
        bounds = ics.event_bounds(part)
        tail = part[bounds[-1] :]
        if not (feed.startswith(part[: bounds[0]]) and feed.endswith(tail)):
            return None
        edits: list[tuple[int, tuple[str, str], int, bytes]] = []  # (at, order, until, bytes)
        for path in changed:
            was = old.get(path)
            if was is not None and was.events:
                at = feed.find(was.events)
                if at < 0:
                    return None
                edits.append((at, ("", ""), at + len(was.events), b""))
        for r in rows:
            if r.events:
                after = self.index.plan_next(r.name, r.path, changed)
                at = len(feed) - len(tail) if after is None else feed.find(after)
                if at < 0:
                    return None
                edits.append((at, (r.name, r.path), at, r.events))
        pieces, done = [], 0
        for at, _, until, data in sorted(edits, key=lambda e: (e[0], e[1])):
            pieces += [feed[done:at], data]
            done = until
        pieces.append(feed[done:])
        return b"".join(pieces)

    def _assembled(self, part: bytes, rows: list[PlanRow], gone: list[str]) -> bytes:
        """The whole feed: every contact's events from the plan, those of ``rows`` in place
        of theirs, none of ``gone``, in the feed's order; the calendar's head and end (the
        same in every feed of the plan) from ``part``."""
        pieces = {p: (n, e) for n, p, e in self.index.plan_pieces()}
        for p in gone:
            pieces.pop(p, None)
        for r in rows:
            if r.events:
                pieces[r.path] = (r.name, r.events)
            else:
                pieces.pop(r.path, None)
        order = sorted(pieces, key=lambda p: (pieces[p][0], p))
        bounds = ics.event_bounds(part)
        return b"".join([part[: bounds[0]], *(pieces[p][1] for p in order), part[bounds[-1] :]])
