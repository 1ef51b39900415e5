"""Who reaches whom: a graph in plain dicts, its parts, and who reaches whom only through one
person (the cut points, in one walk)."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

Node = int | tuple[str, str]  # a contact id, or ("company", folded name) for a company


@dataclass
class Graph:
    """Nodes with their neighbours, each in the order it was added, and every edge once, in
    the order it was added: the order the clustering sees (its result depends on it)."""

    adj: dict[Node, dict[Node, int]] = field(default_factory=dict)  # neighbour -> days met
    edges: list[tuple[Node, Node]] = field(default_factory=list)
    keep_edges: bool = True  # False: ``edges`` stays empty (only the clustering reads it)

    def join(self, a: Node, b: Node, days: int) -> None:
        """An edge between ``a`` and ``b`` (both already nodes), ``days`` more days met."""
        known = self.adj[a].get(b)
        if known is None:
            if self.keep_edges:
                self.edges.append((a, b))
            known = 0
        self.adj[a][b] = self.adj[b][a] = known + days


def component(adj: Mapping[Node, Iterable[Node]], start: Node) -> set[Node]:
    """Every node ``start`` reaches, itself included."""
    seen = {start}
    todo = [start]
    while todo:
        for w in adj[todo.pop()]:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def cut_off(
    adj: Mapping[Any, Iterable[Any]], me: Any, circle: Iterable[Any]
) -> tuple[list[Any], dict[Any, list[tuple[int, int]]]]:
    """What ``me`` (joined to everyone in ``circle``) reaches, in depth-first
    order, and for each cut point the spans of that order it alone leads to: without it,
    those people are out of reach. One walk (Hopcroft-Tarjan), for every contact at once.

    ``adj``: each node's neighbours (``me`` is not one of its nodes); it is not changed."""
    mine = sorted(circle)
    joined = set(mine)

    def neighbours(v: Any) -> Iterator[Any]:
        if v == me:
            return iter(mine)
        return chain(adj[v], (me,)) if v in joined else iter(adj[v])

    disc: dict[Any, int] = {me: 0}
    low: dict[Any, int] = {me: 0}
    parent: dict[Any, Any] = {me: None}
    order: list[Any] = [me]
    separated: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    stack = [(me, neighbours(me))]
    while stack:
        v, nbrs = stack[-1]
        for w in nbrs:
            if w not in disc:
                disc[w] = low[w] = len(order)
                order.append(w)
                parent[w] = v
                stack.append((w, neighbours(w)))
                break
            if w != parent[v] and disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            p = parent[v]
            if p is None:
                continue
            if low[v] < low[p]:
                low[p] = low[v]
            if low[v] >= disc[p] and p != me:
                separated[p].append((disc[v], len(order)))
    return order, dict(separated)


# -- the same walks over a flat graph (``network`` without its map, at 50k contacts) -----------
@dataclass
class Flat:
    """Nodes ``0 .. size - 1``, each one's neighbours (each once, in no set order) at
    ``nbr[off[v]:off[v + 1]]``: two arrays of ints instead of a dict a node."""

    off: array[int]
    nbr: array[int]

    @property
    def size(self) -> int:
        return len(self.off) - 1

    def degree(self, v: int) -> int:
        return self.off[v + 1] - self.off[v]

    def __getitem__(self, v: int) -> array[int]:
        return self.nbr[self.off[v] : self.off[v + 1]]


def filled(
    size: int, a: array[int], b: array[int], w: array[int] | None = None
) -> tuple[array[int], array[int], array[int] | None]:
    """Nodes ``0 .. size - 1`` and edges ``a[i]``-``b[i]`` (loops left out) as ``(off, nbr,
    weights)``: each node's neighbours at ``nbr[off[v]:off[v + 1]]`` in the order the edges
    come, and with ``w`` the weight of each at the same place (else None). Filled from
    counts (two arrays the size of the edges); ``a``, ``b`` and ``w`` are emptied."""
    count = array("i", bytes(4 * (size + 1)))
    for x, y in zip(a, b, strict=True):
        if x != y:
            count[x] += 1
            count[y] += 1
    off = starts(count, size)
    del count
    total = off[size]
    nbr = array("i", bytes(4 * total))
    weights = None if w is None else array("i", bytes(4 * total))
    fill = array("i", off)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            nbr[fill[x]], nbr[fill[y]] = y, x
            if weights is not None and w is not None:
                weights[fill[x]] = weights[fill[y]] = w[i]
            fill[x] += 1
            fill[y] += 1
    del fill, a[:], b[:]
    if w is not None:
        del w[:]
    return off, nbr, weights


def starts(count: array[int], size: int) -> array[int]:
    """Where the items of each of ``0 .. size - 1`` start in one array of them all, each
    ``count[v]`` long (a running sum, in ``count``'s type), and the total at ``size``."""
    out = array(count.typecode, bytes(count.itemsize * (size + 1)))
    total = 0
    for v in range(size):
        out[v] = total
        total += count[v]
    out[size] = total
    return out


def flat_graph(size: int, a: array[int], b: array[int]) -> Flat:
    """The graph of nodes ``0 .. size - 1`` and edges ``a[i]``-``b[i]`` (repeats and loops
    left out), emptying ``a`` and ``b`` (``filled``), then each node's neighbours
    deduplicated in place."""
    off, nbr, _ = filled(size, a, b)
    out = array("i", bytes(4 * (size + 1)))
    at = 0
    for v in range(size):
        mine = sorted(set(nbr[off[v] : off[v + 1]]))
        out[v] = at
        nbr[at : at + len(mine)] = array("i", mine)
        at += len(mine)
    out[size] = at
    del nbr[at:]
    return Flat(out, nbr)


def marks(size: int, nodes: Iterable[int]) -> bytearray:
    """A byte a node of ``0 .. size - 1``: 1 for those of ``nodes``."""
    out = bytearray(size)
    for v in nodes:
        out[v] = 1
    return out


def flat_component(graph: Flat, start: int) -> list[int]:
    """``component`` on a flat graph: every node ``start`` reaches, itself included."""
    seen = bytearray(graph.size)
    seen[start] = 1
    found = [start]
    todo = [start]
    while todo:
        for w in graph[todo.pop()]:
            if not seen[w]:
                seen[w] = 1
                found.append(w)
                todo.append(w)
    return found


def flat_cut_off(
    graph: Flat, circle: Iterable[int]
) -> tuple[array[int], dict[int, list[tuple[int, int]]]]:
    """``cut_off`` on a flat graph, the user the node ``graph.size`` (one past the last):
    the order of the walk (the user first) and each cut point's spans of it. Its marks
    and its stack are arrays (a node's place in its neighbours in ``at``): dicts and a
    stack of iterators held more than the graph."""
    me = graph.size
    mine = array("i", sorted(circle))  # the user's neighbours
    joined = marks(me + 1, mine)  # each of these has the user as a last neighbour
    disc = array("i", [-1]) * (me + 1)
    low = array("i", [-1]) * (me + 1)
    parent = array("i", [-1]) * (me + 1)
    off, nbr = graph.off, graph.nbr
    at = array("i", off)
    at[me] = 0
    disc[me] = low[me] = 0
    order = array("i", [me])
    separated: dict[int, list[tuple[int, int]]] = defaultdict(list)
    stack = array("i", [me])
    while stack:
        v = stack[-1]
        src, i, end = (mine, at[v], len(mine)) if v == me else (nbr, at[v], off[v + 1])
        w = -1
        while i < end:
            x = src[i]
            i += 1
            if disc[x] < 0:
                w = x
                break
            if x != parent[v] and disc[x] < low[v]:  # seen: a way back up
                low[v] = disc[x]
        at[v] = i
        if w >= 0:
            disc[w] = low[w] = len(order)
            order.append(w)
            parent[w] = v
            stack.append(w)
            continue
        if joined[v]:  # the user, seen first of all
            joined[v] = 0
            if parent[v] != me:
                low[v] = 0
        stack.pop()
        _back(v, parent[v], disc, low, me, len(order), separated)
    return order, dict(separated)


def _back(
    v: int,
    p: int,
    disc: array[int],
    low: array[int],
    me: int,
    end: int,
    separated: dict[int, list[tuple[int, int]]],
) -> None:
    """``flat_cut_off`` done with ``v``, back at its parent ``p``."""
    if p < 0:
        return
    if low[v] < low[p]:
        low[p] = low[v]
    if low[v] >= disc[p] and p != me:
        separated[p].append((disc[v], end))
