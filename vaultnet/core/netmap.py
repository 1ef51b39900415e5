"""The map of ``network --format markdown`` in flat memory: the ``Map`` that
``core.network.choose_map`` makes from every ``Contact`` and the graph in dicts, made by the
same ``choose_map`` from the flat analysis (``core.netflat``).

``choose_map`` runs on stand-ins: the graph as it reads it (``MapGraph``: the nodes and
edges of ``core.network.build_graph``, in its orders, and the weight of an edge between two
contacts when asked), each contact a ``Member`` (its rank, company and whether it is listed)
and each strength computed when asked. The caller then puts the contacts it loads for the
members the map shows in their place. At 50k contacts the map's path held every contact
and the graph in dicts, some 280 MiB; here the co-mentions are arrays (``Pairs``).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any, cast

from vaultnet.core.netflat import Columns, Ranked, circle_ranks
from vaultnet.core.network import (
    SHOWN_BRIDGES,
    SHOWN_DORMANT,
    Map,
    choose_map,
    fold,
    tie_strength,
)
from vaultnet.core.reach import filled, marks

Node = int | tuple[str, str]  # a contact's rank, or ("company", folded name)


class Pairs:
    """The contacts met together, by rank, each pair once with its days (the co-mentions'
    counts, summed should a pair come twice): each rank's neighbours in ascending order at
    ``nbr[off[v]:off[v + 1]]``, their days at the same places of ``days``."""

    def __init__(self, size: int, rows: Iterable[tuple[int, int, int, str]]):
        xs, ys, ds = array("i"), array("i"), array("i")
        for x, y, met, _last in rows:
            if x != y:
                xs.append(x)
                ys.append(y)
                ds.append(met)
        off, nbr, days = filled(size, xs, ys, ds)
        assert days is not None
        self.off, self.nbr, self.days = _sorted(size, off, nbr, days)

    def weight(self, a: int, b: int) -> int | None:
        """The days of the pair ``a``-``b``, None when they never met."""
        lo, hi = self.off[a], self.off[a + 1]
        i = bisect.bisect_left(self.nbr, b, lo, hi)
        return self.days[i] if i < hi and self.nbr[i] == b else None

    def edges(self) -> Iterator[tuple[int, int]]:
        """Each pair once, (a, b) with a < b, in ascending order: ``sorted(pairs)``."""
        nbr, off = self.nbr, self.off
        for a in range(len(off) - 1):
            for i in range(bisect.bisect_right(nbr, a, off[a], off[a + 1]), off[a + 1]):
                yield a, nbr[i]


def _sorted(
    size: int, off: array[int], nbr: array[int], days: array[int]
) -> tuple[array[int], array[int], array[int]]:
    """Each node's neighbours in ascending order, a neighbour once (its days summed)."""
    out = array("i", bytes(4 * (size + 1)))
    at = 0
    for v in range(size):
        lo, hi = off[v], off[v + 1]
        merged: dict[int, int] = {}
        for b, d in zip(nbr[lo:hi], days[lo:hi], strict=True):
            merged[b] = merged.get(b, 0) + d
        out[v] = at
        for b in sorted(merged):
            nbr[at], days[at] = b, merged[b]
            at += 1
    out[size] = at
    return out, nbr[:at], days[:at]


class MapGraph:
    """``build_graph``'s graph as ``choose_map`` and ``louvain.clusters`` read it: ``adj``
    (its nodes in order, and ``adj[a][b]`` the weight between two contacts) and ``edges``
    (every edge once, in the order it was added): the pairs in ascending order, then the
    introductions as the contacts come in name order, then a node for each company (in the
    order of their keys) joined to its people."""

    def __init__(self, cols: Columns, pairs: Pairs, keys: dict[str, int]):
        self.size = len(cols.ids)
        self.pairs = pairs
        self.joins: dict[tuple[int, int], int] = {}  # (low, high) -> introductions
        self.introduced: list[tuple[int, int]] = []  # the edges they added, in order
        by = dict(cols.introduced_by)
        to = dict(cols.introduced_to)
        for c in cols.byname:
            key = by.get(c)
            intro = keys.get(key) if key else None
            if intro is not None and intro != c:
                self._join(c, intro)
            done: list[int] = []
            for key in to.get(c, ()):
                other = keys.get(key)
                if other is not None and other != c and other not in done:
                    done.append(other)
                    self._join(c, other)
        company_key = [fold(c) for c in cols.companies]
        members: dict[str, list[int]] = {}
        for rank, at in enumerate(cols.company):
            if at >= 0 and company_key[at]:
                members.setdefault(company_key[at], []).append(rank)
        self.hubs = sorted(members.items())
        self.adj = _Nodes(self)
        self.edges = _Edges(self)

    def numbered(self) -> tuple[int, Callable[[], Iterator[tuple[int, int]]]]:
        """What ``louvain.clusters`` reads: how many nodes, and the edges in order (each time
        the function is called), each node its number in ``adj``'s order (a contact its
        rank, then each company's hub): no node of it in a dict, no list of its edges."""
        n = self.size

        def edges() -> Iterator[tuple[int, int]]:
            yield from self.pairs.edges()
            yield from self.introduced
            for k, (_key, members) in enumerate(self.hubs):
                for m in members:
                    yield n + k, m

        return n + len(self.hubs), edges

    def _join(self, a: int, b: int) -> None:
        pair = (min(a, b), max(a, b))
        if pair not in self.joins and self.pairs.weight(a, b) is None:
            self.introduced.append((a, b))
        self.joins[pair] = self.joins.get(pair, 0) + 1

    def weight(self, a: int, b: int) -> int:
        return (self.pairs.weight(a, b) or 0) + self.joins.get((min(a, b), max(a, b)), 0)


class _Nodes:
    """``adj`` of a ``MapGraph``: iterated, its nodes; ``adj[a][b]``, a weight."""

    def __init__(self, graph: MapGraph):
        self.graph = graph

    def __iter__(self) -> Iterator[Node]:
        yield from range(self.graph.size)
        for key, _members in self.graph.hubs:
            yield ("company", key)

    def __getitem__(self, a: int) -> _Row:
        return _Row(self.graph, a)


class _Row:
    def __init__(self, graph: MapGraph, a: int):
        self.graph, self.a = graph, a

    def __getitem__(self, b: int) -> int:
        return self.graph.weight(self.a, b)


class _Edges:
    """``edges`` of a ``MapGraph``: each time it is iterated, every edge in order."""

    def __init__(self, graph: MapGraph):
        self.graph = graph

    def __iter__(self) -> Iterator[tuple[Node, Node]]:
        graph = self.graph
        yield from graph.pairs.edges()
        yield from graph.introduced
        for key, members in graph.hubs:
            hub = ("company", key)
            for m in members:
                yield hub, m


class Member:
    """A contact as ``choose_map`` reads it: ``id`` its rank, its company, whether the
    report lists it (``shown``), and its name where the map may name it (a bridge's)."""

    __slots__ = ("company", "id", "name", "shown")

    def __init__(self, rank: int, company: str | None, shown: bool, name: str | None):
        self.id, self.company, self.shown, self.name = rank, company, shown, name


class _Members:
    def __init__(self, cols: Columns, names: Mapping[int, str]):
        self.cols, self.names = cols, names

    def __getitem__(self, rank: int) -> Member:
        at = self.cols.company[rank]
        company = self.cols.companies[at] if at >= 0 else None
        return Member(rank, company, bool(self.cols.shown[rank]), self.names.get(rank))


class _Strength:
    """``core.network.tie_strength`` of each contact with days of interaction, by rank."""

    def __init__(self, cols: Columns, today: date):
        self.cols, self.today = cols, today

    def get(self, rank: Node, default: float = 0.0) -> float:
        if not isinstance(rank, int):
            return default
        days, last = self.cols.days[rank], self.cols.last[rank]
        if days == 0:
            return default
        return tie_strength(days, date.fromordinal(last) if last else None, self.today)


def flat_map(
    cols: Columns,
    ranked: Ranked,
    keys: dict[str, int],
    pairs: Pairs,
    today: date,
    dormant_days: int,
    names: Mapping[int, str],
) -> Map:
    """The map of the flat analysis (``cols.rank_names`` done; ``keys``: the ranks of the
    owners of ``cols.wanted_keys()``, ``app.network.owner_ranks``; ``names``: those of
    ``named_bridges``), its nodes' contacts ``Member`` stand-ins (``id``: the rank)."""
    circle = _Circle(marks(len(cols.ids), circle_ranks(cols, today, dormant_days)))
    members = _Members(cols, names)
    # choose_map reads only the first bridges and dormant ties: the stand-ins of those alone.
    shown = replace(
        ranked,
        dormant=ranked.dormant[:SHOWN_DORMANT],
        bridges=ranked.bridges[:SHOWN_BRIDGES],
        introducers=[],
        introduced_by_you=[],
    )
    net = shown.network(cast(Callable[[int], Any], members.__getitem__))
    show: Callable[[Any], bool] = lambda m: bool(m.shown)  # noqa: E731
    return choose_map(
        cast(Any, MapGraph(cols, pairs, keys)),
        cast(Any, members),
        cast(Any, _Strength(cols, today)),
        cast(Any, circle),
        net,
        show,
    )


class _Circle:
    """The circle as ``choose_map`` and ``louvain.clusters`` read a set of ranks, from a
    byte a contact (at 50k contacts a set of them held 2 MiB)."""

    def __init__(self, marks: bytearray):
        self.marks = marks

    def __contains__(self, rank: object) -> bool:
        return type(rank) is int and 0 <= rank < len(self.marks) and self.marks[rank] == 1

    def __iter__(self) -> Iterator[int]:
        marks = self.marks
        return (r for r in range(len(marks)) if marks[r])

    def __len__(self) -> int:
        return self.marks.count(1)

    def __bool__(self) -> bool:
        return 1 in self.marks


def named_bridges(ranked: Ranked) -> list[int]:
    """The ranks whose names the map may show (a bridge's, when its people share no group)."""
    return [rank for rank, *_ in ranked.bridges[:SHOWN_BRIDGES]]
