"""Reports kept contact by contact: after an update that changed a few notes, only the
contacts those notes concern are computed again; every other contact's part of the report
is the one kept with the last answer ("the index holds the answers").

A report kept this way is a list of records, one for each contact it lists, in the
report's order: ``(contact id, sort key..., text)``. The update of the index says which
contacts the notes it changed concern (``store.dependents``); ``app.answers`` decides when
the kept records may be spliced (nothing else changed the index since they were kept, and
no name or alias came or went) and keeps the result for the next run.

``followups --format json`` with no filter is kept this way: its record is a contact's JSON
line with the item's rank (``core.followups``: score, first date, folded name, path).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta
from typing import TYPE_CHECKING

from vaultnet.app.notices import left_out
from vaultnet.core.followups import FollowUp, followups
from vaultnet.render.followups import followup_line
from vaultnet.store.contacts import candidates_in_batches, contacts_of_ids, without_cadence
from vaultnet.store.parts import Record

if TYPE_CHECKING:
    from vaultnet.core.config import Config
    from vaultnet.store.index import Index


def followup_records(items: list[FollowUp], safe: Callable[[str], str]) -> list[Record]:
    """The records of a follow-ups report's items (whose reasons are in order), each line
    made ``safe`` to print."""
    out = []
    for f in items:
        first, c = f.reasons[0], f.contact
        line = safe(followup_line(f))
        out.append((c.id, -first.score, first.date.isoformat(), c.name.casefold(), c.path, line))
    return out


def followups_whole(
    index: Index, config: Config, today: date, days: int | None, safe: Callable[[str], str]
) -> tuple[list[Record], list[str]]:
    """Every follow-up's record (no limit), in rank order, and the report's notices: the
    contacts loaded a batch at a time, only their records kept."""
    horizon = days if days is not None else int(config["horizon_days"])
    end = today + timedelta(days=horizon)
    records: list[Record] = []
    for batch in candidates_in_batches(index, config, today, end):
        records.extend(followup_records(followups(batch, today, horizon), safe))
    records.sort(key=_rank)
    return records, _notices(index, config)


def _rank(r: Record) -> tuple[float, str, str, str]:
    return (r[1], r[2], r[3], r[4])


def _notices(index: Index, config: Config) -> list[str]:
    return left_out(index, config, index.contact_count(), None, without_cadence(index, config))


def followups_fresh(
    index: Index,
    config: Config,
    today: date,
    days: int | None,
    concerned: Collection[int],
    safe: Callable[[str], str],
) -> tuple[list[Record], list[str]]:
    """The records of the follow-ups of the contacts of ``concerned`` only, and the report's
    notices (of the whole vault)."""
    horizon = days if days is not None else int(config["horizon_days"])
    fresh = contacts_of_ids(index, config, today, concerned, today + timedelta(days=horizon))
    records = followup_records(followups(fresh, today, horizon), safe)
    return records, _notices(index, config)
