"""The network analysis of a vault as indexed: for ``network`` and ``followups --reconnect``.

Reports are made in flat memory (``flat_analysis``: ``core.netflat``, and ``core.netmap`` for
the note's map, the only one that clusters the graph). ``analyse_vault``, with its map from
every ``Contact`` and the graph in dicts (``core.network``), is the reference the flat map
is tested against (``tests/test_network_map.py``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultnet.core.config import Config
    from vaultnet.core.model import Contact
    from vaultnet.core.netflat import Columns, Ranked, Ranks
    from vaultnet.core.network import Map, Network
    from vaultnet.store.index import Index


@dataclass(frozen=True)
class NetworkReport:
    """The analysis, the name that stands for you in its diagrams, and what ``write`` did."""

    net: Network
    me: str
    written: bool | None = None  # with ``write``: whether the note changed
    notices: list[str] = field(default_factory=list)  # what it left out, for stderr


def analyse_vault(
    index: Index,
    config: Config,
    today: date,
    contacts: Sequence[Contact],
    wanted: Callable[[Contact], bool] | None = None,
) -> Network:
    """The network insights of the whole vault with its map, from every contact
    (``contacts`` must be all of them) and the graph in dicts (``core.network.analyse``):
    the reference ``flat_analysis`` is tested against, which the reports use."""
    from vaultnet.core.network import analyse

    with no_collection():
        counts = index.interaction_counts(today)
        chosen = None if wanted is None else {c.id for c in contacts if wanted(c)}
        with _numbered_by_path(contacts) as (canon, real):
            return analyse(
                contacts,
                {canon[cid]: n for cid, n in counts.items() if cid in canon},
                index.co_mentions_numbered(today, canon, int(config["broadcast_people"]), True),
                today,
                dormant_days=int(config["dormant_days"]),
                wanted=None if chosen is None else (lambda c: real[c.id] in chosen),
                with_map=True,
            )


def flat_analysis(
    index: Index,
    config: Config,
    today: date,
    wanted: Callable[[Contact], bool] | None = None,
    with_map: bool = False,
) -> tuple[Network, int]:
    """``analyse_vault`` in flat memory (``core.netflat``; its map ``with_map``, from
    ``core.netmap``), and how many contacts the vault has. The contacts are read twice: as
    they come, for the few fields the analysis reads of each (ranked by path, as
    ``_numbered_by_path`` does), and at the end, for only those the report names or the
    map shows, with only what it prints of them (their last contact without how or
    where)."""
    from vaultnet.app.memory import keep_mmap_threshold
    from vaultnet.core.netflat import analyse_flat
    from vaultnet.core.network import fold

    keep_mmap_threshold()  # (arrays of every contact and pair come and go below)
    cols, rank = _columns(index, today, wanted)
    keys = owner_ranks(index, cols, rank)
    cols.rank_names()
    pairs = index.co_mentions_numbered(today, rank, int(config["broadcast_people"]), False)
    ranked = analyse_flat(cols, pairs, keys, today, int(config["dormant_days"]))
    del pairs
    # The map after the analysis: its graph is gone, the map's is made anew.
    chosen = _flat_map(index, config, today, cols, rank, ranked, keys) if with_map else None
    del keys
    last, count = cols.last, len(cols.ids)
    del cols  # before the printed contacts are made: their memory is then its own
    fold.cache_clear()  # the introductions' names: the printed ones are not folded again
    shown = bytearray(count)  # (a byte a rank, a list by rank: at 50k, 10^4 printed)
    for r in ranked.printed():
        shown[r] = 1
    if chosen is not None:
        for node in chosen.nodes:
            if node.contact is not None:
                shown[node.contact.id] = 1
    loaded: list[Contact | None] = [None] * count
    for c in index.printed_contacts(_Shown(rank, shown)):
        at = rank[c.id]
        if last[at]:
            c.last_contact = date.fromordinal(last[at])
        loaded[at] = c
    del rank, last, shown

    def contact(at: int) -> Contact:
        c = loaded[at]
        assert c is not None  # (every rank printed was loaded)
        return c

    net = ranked.network(contact)
    if chosen is not None:
        net.map = _with_contacts(chosen, loaded)
    return net, count


class _Shown:
    """The contact ids whose rank is marked in ``shown``, as ``printed_contacts`` asks."""

    def __init__(self, rank: Ranks, shown: bytearray):
        self.rank, self.shown = rank, shown

    def __contains__(self, cid: object) -> bool:
        at = self.rank.get(cid) if isinstance(cid, int) else None
        return at is not None and self.shown[at] == 1


def _with_contacts(chosen: Map, loaded: Sequence[Contact | None]) -> Map:
    """The map with its stand-ins (``id``: the rank) replaced by the contacts loaded."""
    from vaultnet.core.network import Map, MapNode

    nodes = [
        MapNode(n.id, None if n.contact is None else loaded[n.contact.id], n.role, n.cluster)
        for n in chosen.nodes
    ]
    return Map(nodes, chosen.clusters, chosen.edges, chosen.unsettled)


def _columns(
    index: Index, today: date, wanted: Callable[[Contact], bool] | None
) -> tuple[Columns, Ranks]:
    """What the flat analysis reads of every contact, by rank, and the ranks by id."""
    from vaultnet.core.netflat import Columns, Ranks

    cols = Columns()
    rank = Ranks()
    if wanted is None:  # every contact listed: no Contact made for the choice
        for cid, name, kind, company, by, gone, front in index.network_columns():
            rank[cid] = cols.add(cid, name, kind, company, by, not gone, front, True)
    else:
        for c in index.network_contacts():
            shown = wanted(c)
            rank[c.id] = cols.add(
                c.id, c.name, c.kind, c.company, c.introduced_by, c.active, c.fields_json, shown
            )
    last, count = cols.last, cols.days
    for cid, days, day in index.interaction_columns(today):
        at = rank.get(cid)
        if at is not None:
            last[at] = date.fromisoformat(day).toordinal()
            count[at] = days
    return cols, rank


def owner_ranks(index: Index, cols: Columns, rank: Ranks) -> dict[str, int]:
    """The rank of the contact that alone owns each name key the introductions look up
    (``Columns.wanted_keys``), from the index's keys."""
    wanted = cols.wanted_keys()
    if not wanted:
        return {}
    found = ((key, rank.get(cid)) for key, cid in index.key_owner_ids(wanted).items())
    return {key: at for key, at in found if at is not None}


def _flat_map(
    index: Index,
    config: Config,
    today: date,
    cols: Columns,
    rank: Ranks,
    ranked: Ranked,
    keys: dict[str, int],
) -> Map:
    """The map of a flat analysis (``core.netmap``), its contacts stand-ins (their ranks)."""
    from vaultnet.core.netmap import Pairs, flat_map, named_bridges

    met = Pairs(
        len(cols.ids),
        index.co_mentions_numbered(today, rank, int(config["broadcast_people"]), True),
    )
    named = {cols.ids[r]: r for r in named_bridges(ranked)}
    names = {named[c.id]: c.name for c in index.printed_contacts(named)}
    return flat_map(cols, ranked, keys, met, today, int(config["dormant_days"]), names)


@contextmanager
def _numbered_by_path(contacts: Sequence[Contact]) -> Iterator[tuple[dict[int, int], list[int]]]:
    """The contacts renumbered by path for the analysis, their ids given back after it.

    A contact's id is its note's row id, which a note gets anew each time it is stored:
    an index kept up note by note numbers the same contacts otherwise than one built from
    nothing (where ids follow the paths). The analysis orders nodes, edges and ties by id
    (and the clustering's result depends on that order), so it gets the rank by path
    instead: the same vault gives the same report, however its index came to be.
    (canon: real id -> rank; real: rank -> real id.)"""
    real = [c.id for c in sorted(contacts, key=lambda c: c.path)]
    canon = {cid: rank for rank, cid in enumerate(real)}
    for c in contacts:
        c.id = canon[c.id]
    try:
        yield canon, real
    finally:
        for c in contacts:
            c.id = real[c.id]


@contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection inside: the analysis makes some 10^5 small objects (rows,
    the graph's dicts) that live until it ends, and the collector's passes over them found
    nothing to free and cost a sixth of the run at 10k contacts."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def network_contacts(index: Index, today: date) -> list[Contact]:
    """Every contact with what the analysis and its report read (see
    ``Queries.network_contacts``) and its last contact up to today, in the order of
    ``store.contacts.load_contacts`` (by name): the analysis lists people in that order."""
    from vaultnet.core.network import fold  # kept: the analysis folds these names again

    last = index.last_contacts(today)
    out = list(index.network_contacts())
    for c in out:
        found = last.get(c.id)
        if found is not None:
            c.last_contact = date.fromisoformat(found.date)
            c.last_contact_how, c.last_contact_where = found.how, found.where
    out.sort(key=lambda c: (fold(c.name), c.path))
    return out


def _chosen(kind: str | None, tag: str | None) -> Callable[[Contact], bool] | None:
    """Whether a contact is of ``kind`` and ``tag``; None when every contact is."""
    if kind is None and tag is None:
        return None
    return lambda c: c.matches(kind, tag)


def network_report(
    index: Index,
    config: Config,
    today: date,
    *,
    kind: str | None = None,
    tag: str | None = None,
    write: bool = False,
    with_map: bool = True,
) -> NetworkReport:
    """The report of ``network``: contacts of ``kind`` and ``tag`` listed, the graph whole.
    With ``write``, the note (config ``network_note``) is written when it changed. Without
    ``with_map`` (and ``write``), the report has no map: only the note shows one."""
    from vaultnet.app.notices import broadcasts, left_out

    with no_collection():
        net, count = flat_analysis(
            index, config, today, _chosen(kind, tag), with_map=with_map or write
        )
    me = str(config["me"].get("name") or "Me")
    notices = left_out(index, config, count)
    notices.extend(broadcasts(index, int(config["broadcast_people"])))
    if net.map.unsettled:
        notices.append(
            "The map has no clusters: networkx's Louvain method did not settle on this graph"
            " (networkx#8739)"
        )
    report = NetworkReport(net, me, notices=notices)
    if not write:
        return report
    from vaultnet.render.network import network_markdown
    from vaultnet.vault.fsio import write_generated

    text = network_markdown(report.net, report.me)
    target = index.vault / config["network_note"]
    changed = write_generated(index.vault, target, text.encode("utf-8"))
    return replace(report, written=changed)
