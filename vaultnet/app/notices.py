"""What a report left out, as lines for stderr: a vault where vaultnet finds nothing, or
misses part of it, must never look like a healthy, quiet one.

Each report computes its notices from the index, the config and the contacts it used;
the command echoes them after its output (unless ``--quiet``). No terminal here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from vaultnet.core.names import fold

if TYPE_CHECKING:
    from vaultnet.core.config import Config
    from vaultnet.core.model import Contact
    from vaultnet.store.index import Index

NO_CONTACTS = (
    "0 contacts: no note is under a contacts folder or marked as a person — run `vaultnet init`"
)


def left_out(
    index: Index,
    config: Config,
    contacts: int,
    ranked: Iterable[Contact] | None = None,
    without: int | None = None,
) -> list[str]:
    """The notices of a report over a vault of ``contacts`` contacts, one line each.

    ``ranked``: the contacts a follow-ups report ranked (``followups``, ``checkin --due``),
    to tell how many of them no cadence can ever make due; or ``without``, that number
    when it is known already.
    """
    lines = stale(index)
    broken = problem_notes(index)
    if broken:
        lines.append(
            f"{broken} note{' with problems was' if broken == 1 else 's with problems were'}"
            " left out (vaultnet check)"
        )
    if contacts == 0:
        lines.append(NO_CONTACTS)
    elif ranked is not None or without is not None:
        missing = without if ranked is None else without_cadence(ranked, config)
        if missing:
            lines.append(
                f"{missing} contact{' has' if missing == 1 else 's have'} no cadence, so only"
                " occasions and tasks can be due — set `cadence:` or [cadences] in the config"
            )
    return lines


def problem_notes(index: Index) -> int:
    """How many notes with at least one problem were left out (``check`` lists them); a
    contact shown as its last good version said is not left out."""
    shown = {path for path, _, _ in index.stale_notes()}
    return len(index.problem_paths() - shown)


def stale(index: Index) -> list[str]:
    """A line for each contact whose front matter broke, shown as it was when it last
    parsed: the time of that version (and its day, when the break came on another)."""
    lines = []
    for path, good_ns, now_ns in index.stale_notes():
        good = datetime.fromtimestamp(good_ns / 1e9)
        same_day = good.date() == datetime.fromtimestamp(now_ns / 1e9).date()
        when = f"{good:%H:%M}" if same_day else f"{good:%Y-%m-%d %H:%M}"
        lines.append(f"{path}: broken front matter, showing what it said at {when}")
    return lines


def without_cadence(contacts: Iterable[Contact], config: Config) -> int:
    """How many active contacts have no cadence and never chose none.

    ``cadence: none`` in a note, or ``kind = "none"`` under [cadences], is a choice, not
    something missed.
    """
    chosen = config.cadences
    return sum(
        1
        for c in contacts
        if c.active
        and not c.cadence_days
        and not c.cadence_set
        and fold(c.kind or "") not in chosen
    )


def broadcasts(index: Index, limit: int) -> list[str]:
    """The notice of ``network`` for notes linking more than ``limit`` contacts: they count
    as an interaction with each, but tie no pair of them (config ``broadcast_people``)."""
    paths = index.broadcast_notes(limit)
    if not paths:
        return []
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return [
        f"{len(paths)} note{' links' if len(paths) == 1 else 's link'} more than {limit} people"
        f" ({shown}): a broadcast, not a tie between each pair (config broadcast_people)"
    ]
