"""The follow-ups and upcoming reports: one pipeline for the commands, ``followups --write``
and the dashboard note the watcher keeps current."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from vaultnet.app.notices import left_out
from vaultnet.core.followups import FollowUp, Reason, cadence_due, followups, upcoming
from vaultnet.core.model import Contact
from vaultnet.core.names import fold
from vaultnet.core.occasions import Occasion
from vaultnet.render.followups import followups_markdown
from vaultnet.store.contacts import candidates_until, load_contacts

if TYPE_CHECKING:
    from vaultnet.core.config import Config
    from vaultnet.store.index import Index


@dataclass(frozen=True)
class Filters:
    """Which contacts a report lists: of this kind, with this tag, living there."""

    kind: str | None = None
    tag: str | None = None
    location: str | None = None  # part of the contact's location, case and accents folded

    def apply(self, contacts: list[Contact]) -> list[Contact]:
        """The contacts that pass every filter given, in their order."""
        if self.kind is not None or self.tag is not None:
            contacts = [c for c in contacts if c.matches(self.kind, self.tag)]
        if self.location:
            where = fold(self.location)
            contacts = [c for c in contacts if where in fold(c.location or "")]
        return contacts


NO_FILTERS = Filters()


@dataclass(frozen=True)
class FollowUps:
    """A follow-ups report: who, as of ``today``, looking ``horizon`` days ahead."""

    items: list[FollowUp]
    today: date
    horizon: int
    written: bool | None = None  # with ``write``: whether the dashboard note changed
    notices: list[str] = field(default_factory=list)  # what it left out, for stderr


def followups_report(
    index: Index,
    config: Config,
    today: date,
    *,
    days: int | None = None,
    filters: Filters = NO_FILTERS,
    limit: int | None = None,
    reconnect: int = 0,
    write: bool = False,
    notices: bool = True,
) -> FollowUps:
    """Who to follow up with within ``days`` (default: config ``horizon_days``), ranked; the
    first ``limit``, then ``reconnect`` weak ties worth reviving. With ``write``, the
    dashboard note (config ``dashboard``) is written when it changed. ``notices``: also tell
    what it left out (the watcher's dashboard has no use for them)."""
    horizon = days if days is not None else int(config["horizon_days"])
    # Only tasks due within the horizon can be a reason: the others need not be loaded.
    due_by = today + timedelta(days=horizon)
    if filters == NO_FILTERS and not reconnect:
        # The few contacts that can be due, picked by indexed queries: no object for the rest.
        picked = candidates_until(index, config, today, due_by)
        items = followups(picked.contacts, today, horizon)
        revive: list[FollowUp] = []
        told_args: tuple[int, list[Contact] | None, int | None] = (
            picked.total,
            None,
            picked.without_cadence,
        )
    else:
        loaded = load_contacts(index, config, today, with_tasks=True, tasks_due_by=due_by)
        contacts = filters.apply(loaded)
        items = followups(contacts, today, horizon)
        revive = _reconnect(index, config, today, contacts, items, reconnect) if reconnect else []
        told_args = (len(loaded), contacts, None)
    if limit:
        items = items[:limit]
    told = left_out(index, config, *told_args) if notices else []
    report = FollowUps(items + revive, today, horizon, notices=told)
    if write:
        report = replace(report, written=_write_dashboard(index, config, report))
    return report


def dashboard_text(report: FollowUps) -> str:
    """The dashboard note of a report (also ``followups --format markdown``)."""
    return followups_markdown(report.items, report.today, report.horizon)


def dashboard(index: Index, config: Config, today: date) -> bytes:
    """The dashboard note as ``followups --write`` writes it with no filter."""
    report = followups_report(index, config, today, notices=False)
    return dashboard_text(report).encode("utf-8")


@dataclass(frozen=True)
class Upcoming:
    """The occasions ``upcoming`` lists, and what it left out (lines for stderr)."""

    items: list[tuple[Contact, Occasion]]
    notices: list[str] = field(default_factory=list)


def upcoming_report(index: Index, config: Config, today: date, days: int) -> Upcoming:
    """Birthdays, work anniversaries and dates from ``today`` to ``today + days``."""
    picked = candidates_until(index, config, today, today + timedelta(days=days), cadences=False)
    found = upcoming(picked.contacts, today, days)
    return Upcoming(found, left_out(index, config, picked.total))


def _write_dashboard(index: Index, config: Config, report: FollowUps) -> bool:
    from vaultnet.vault.fsio import write_generated

    target = index.vault / config["dashboard"]
    return write_generated(index.vault, target, dashboard_text(report).encode("utf-8"))


def _reconnect(
    index: Index,
    config: Config,
    today: date,
    shown: Iterable[Contact],
    items: list[FollowUp],
    n: int,
) -> list[FollowUp]:
    """``followups --reconnect N``: weak ties worth reviving (no clustering)."""
    from vaultnet.app.network import flat_analysis
    from vaultnet.core.network import reconnect

    by_id = {c.id: c for c in shown}
    net, _count = flat_analysis(index, config, today, lambda c: c.id in by_id)
    busy = {f.contact.id for f in items}
    return [
        FollowUp(
            by_id[c.id],
            [Reason("reconnect", today, text, 0.0, label=why)],
            due=cadence_due(by_id[c.id], today),
        )
        for c, why, text in reconnect(net, n, busy)
    ]
