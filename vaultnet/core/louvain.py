"""networkx's seeded Louvain method (``louvain_communities``, networkx 3.6.1), run on
arrays of ints, with a bound.

Why not networkx itself: it holds the graph as a dict of dicts with an attribute dict an
edge, builds a new such graph a level, and loads 18 MiB of modules; at 10,000 contacts the
map's clustering peaked at some 60 MiB over the rest of ``network --format markdown`` and
took most of its time. Here a node is its number and each level's graph three arrays
(``Level``); the next level's sums are made a community at a time. At 50,000 contacts the
clustering adds some 10 MiB to what the note held before it (an array pair a node and a
dict a community added 50).

The same clusters, not similar ones. The method's choices depend on the order of the
nodes, of each node's neighbours and of the communities it weighs, and on the seeded
shuffle of each level's nodes; those orders are networkx's, step by step:

- the graph as ``nx.Graph`` builds it from the nodes and then the edges, and the copy the
  method makes of it (its edges re-added in ``G.edges`` order, weight 1);
- each level: the nodes shuffled once by the seeded generator, a node's neighbours in its
  adjacency order, their communities in the order first met, a move only for a strictly
  better gain, the same float expressions in the same order;
- the next level's graph: one node a community, edges summed in ``G.edges`` order;
- the modularity that stops it, from the same sums.

Weights and degrees are sums of ones, so ints: exact in any order (only the gains and the
modularity are floats, computed as networkx computes them). ``tests/test_network_louvain.py``
compares the result with networkx's own on graphs of many shapes and seeds.

The bound: networkx 3.6.1 can move the same nodes back and forth forever on some graphs,
round-off between gains that are equal (networkx/networkx#8739, fixed after 3.6.1), and
``network --format markdown`` then never ended. Past ``MAX_PASSES`` passes over a level's
nodes (the vaults seen take at most some 20: 22 at 10k contacts), ``Unsettled``.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from vaultnet.core.reach import Graph, starts

MAX_PASSES = 500
THRESHOLD = 0.0000001  # networkx's default: a level that gains no more modularity ends it
RESOLUTION = 1

N = TypeVar("N", bound=Hashable)


class Level:
    """One level's graph in three arrays: node ``u``'s neighbours, in networkx's adjacency
    order, at ``nbr[off[u]:off[u + 1]]``, the weights of those edges at the same places of
    ``wt`` (None at the first level: every edge weighs 1). A loop is one entry. Weights are
    counts of edges: they fit in an int. At 50k contacts a pair of arrays a node held some
    20 MiB; these, a third of that."""

    __slots__ = ("nbr", "off", "wt")

    def __init__(self, off: array[int], nbr: array[int], wt: array[int] | None):
        self.off, self.nbr, self.wt = off, nbr, wt

    @property
    def size(self) -> int:
        return len(self.off) - 1

    def weights(self, u: int) -> array[int]:
        """The weights of node ``u``'s edges, in the order of its neighbours."""
        lo, hi = self.off[u], self.off[u + 1]
        return self.wt[lo:hi] if self.wt is not None else array("i", [1]) * (hi - lo)


class Unsettled(Exception):
    """The Louvain method went on past ``MAX_PASSES`` passes over one level."""


def louvain(nodes: Sequence[N], edges: Iterable[tuple[N, N]], seed: int) -> list[set[N]]:
    """The communities ``networkx.community.louvain_communities(g, seed=seed)`` finds for
    ``g = nx.Graph(); g.add_nodes_from(nodes); g.add_edges_from(edges)`` (nodes that are
    only in ``edges`` come after ``nodes``, as networkx adds them), or ``Unsettled``."""
    number: dict[N, int] = {}
    for node in nodes:
        number.setdefault(node, len(number))
    a, b = _ends(
        (number.setdefault(x, len(number)), number.setdefault(y, len(number))) for x, y in edges
    )
    named = list(number)
    del number
    top = communities(len(named), lambda: zip(a, b, strict=True), seed)
    out: list[set[N]] = [set() for _ in range(max(top, default=-1) + 1)]
    for node, c in zip(named, top, strict=True):
        out[c].add(node)
    return out


def _ends(edges: Iterable[tuple[int, int]]) -> tuple[array[int], array[int]]:
    a, b = array("i"), array("i")
    for x, y in edges:
        a.append(x)
        b.append(y)
    return a, b


def communities(size: int, edges: Callable[[], Iterable[tuple[int, int]]], seed: int) -> array[int]:
    """``louvain`` of nodes ``0 .. size - 1`` and the edges ``edges()`` gives (each time it
    is called, the same; every end a node): each node's community, numbered 0 .. k - 1 in
    the order of ``louvain``'s list."""
    graph = _copied(size, edges)
    if not graph.nbr:  # no edge: each node alone
        return array("i", range(size))
    # Its first modularity is the given graph's, each node alone: the copy's, the same edges.
    mod = _modularity(graph, range(size), size)
    m = sum(_degrees(graph)) / 2
    rng = random.Random(seed)
    top = array("i", range(size))  # each node -> the node of the current level it is in
    found, improvement = _one_level(graph, m, rng)
    improvement = True
    while improvement:
        top = array("i", [found[t] for t in top])
        count = max(found) + 1
        new_mod = _modularity(graph, found, count)
        if new_mod - mod <= THRESHOLD:
            break
        mod = new_mod
        graph = _level_graph(graph, found, count)
        found, improvement = _one_level(graph, m, rng)
    return top


def _copied(size: int, edges: Callable[[], Iterable[tuple[int, int]]]) -> Level:
    """The copy of the graph the method works on: its edges added again in ``G.edges``
    order (from the first of their ends in node order), each of weight 1.

    In the graph as nx.Graph holds it, each node's neighbours come in the order their edges
    came, each once (an edge given twice is dropped: networkx kept its first), a loop once.
    In the copy, node u's neighbours are the nodes before it (they added their edges to it
    first, in node order), then those from itself on, in the first graph's order: each
    node's neighbours reordered in place."""
    count = array("q", bytes(8 * (size + 1)))
    for x, y in edges():
        count[x] += 1
        if y != x:
            count[y] += 1
    off = starts(count, size)
    del count
    nbr = array("i", bytes(4 * off[size]))
    fill = array("q", off)
    for x, y in edges():
        nbr[fill[x]] = y
        fill[x] += 1
        if y != x:
            nbr[fill[y]] = x
            fill[y] += 1
    del fill
    at = 0
    for u in range(size):
        lo, hi = off[u], off[u + 1]
        off[u] = at
        mine = dict.fromkeys(nbr[lo:hi])  # once each, in the order first given
        row = sorted(v for v in mine if v < u)
        row.extend(v for v in mine if v >= u)
        nbr[at : at + len(row)] = array("i", row)
        at += len(row)
    off[size] = at
    del nbr[at:]
    return Level(off, nbr, None)


def _degrees(graph: Level) -> array[int]:
    """``G.degree(weight="weight")``: a loop counts twice."""
    out = array("q")
    off, nbr, wt = graph.off, graph.nbr, graph.wt
    for u in range(graph.size):
        lo, hi = off[u], off[u + 1]
        mine = nbr[lo:hi]
        if wt is None:
            degree = hi - lo
            if u in mine:
                degree += 1
        else:
            degree = sum(wt[lo:hi])
            if u in mine:
                degree += wt[lo + mine.index(u)]
        out.append(degree)
    return out


def _edges(graph: Level) -> Iterator[tuple[int, int, int]]:
    """``G.edges(data="weight")``: each edge once, from the first of its ends in node order."""
    off, nbr, wt = graph.off, graph.nbr, graph.wt
    for u in range(graph.size):
        for i in range(off[u], off[u + 1]):
            v = nbr[i]
            if v >= u:
                yield u, v, 1 if wt is None else wt[i]


def _level_graph(graph: Level, community: Sequence[int], count: int) -> Level:
    """networkx's ``_gen_graph``: a node a community (numbered as in ``community``), the
    weights of the edges between two communities summed, each edge added in ``G.edges``
    order: a community's neighbours in the order their first edge came. ``graph`` is
    emptied once read.

    Each edge is noted under the communities at its ends (once for an edge inside one), in
    ``G.edges`` order: the community at its other end and its weight, in arrays sorted by
    community. Then the graph is freed, and the edges are summed a community at a time: one
    community's sums in a dict at a time, not every community's at once (at 50k contacts
    those dicts held some 26 MiB)."""
    total = array("q", bytes(8 * (count + 1)))
    for u, v, _w in _edges(graph):
        a, b = community[u], community[v]
        total[a] += 1
        if b != a:
            total[b] += 1
    start = starts(total, count)
    del total
    at = start[count]
    other = array("i", bytes(4 * at))  # the community at the edge's other end
    weight = None if graph.wt is None else array("i", bytes(4 * at))  # None: each 1
    fill = array("q", start)
    for u, v, w in _edges(graph):
        a, b = community[u], community[v]
        other[fill[a]] = b
        if weight is not None:
            weight[fill[a]] = w
        fill[a] += 1
        if b != a:
            other[fill[b]] = a
            if weight is not None:
                weight[fill[b]] = w
            fill[b] += 1
    del fill
    graph.off, graph.nbr, graph.wt = array("q", [0]), array("i"), None  # read no more
    new_off = array("q", bytes(8 * (count + 1)))
    new_nbr, new_wt = array("i"), array("i")
    for c in range(count):
        summed: dict[int, int] = {}
        for k in range(start[c], start[c + 1]):
            o = other[k]
            summed[o] = summed.get(o, 0) + (1 if weight is None else weight[k])
        new_off[c] = len(new_nbr)
        new_nbr.extend(summed)
        new_wt.extend(summed.values())
    new_off[count] = len(new_nbr)
    return Level(new_off, new_nbr, new_wt)


def _one_level(graph: Level, m: float, rng: random.Random) -> tuple[list[int], bool]:
    """networkx's ``_one_level``: each node's community (numbered 0 .. k - 1 in the order of
    the community ids networkx keeps), and whether any node moved."""
    size = graph.size
    off, nbr, wt = graph.off, graph.nbr, graph.wt
    node2com = list(range(size))
    degrees = _degrees(graph)
    stot = array("q", degrees)
    order = array("i", range(size))  # (an array: no second int object a node)
    rng.shuffle(order)
    # Nodes whose edges all weigh 1, none a loop (every node of the first level): their
    # communities' weights are counts, made in one call. The weights are sums of ints either
    # way, the same numbers as networkx's float sums.
    unit = bytearray(
        u not in nbr[off[u] : off[u + 1]]
        and (wt is None or wt[off[u] : off[u + 1]].count(1) == off[u + 1] - off[u])
        for u in range(size)
    )
    com_of = node2com.__getitem__
    visits, limit = 0, MAX_PASSES * size
    two_m2 = 2 * m**2
    moves, improvement = 1, False
    while moves > 0:
        moves = 0
        for u in order:
            visits += 1
            if visits > limit:
                raise Unsettled(f"no end after {MAX_PASSES} passes over {size} nodes")
            best_mod: float = 0
            best = node2com[u]
            lo, hi = off[u], off[u + 1]
            weights: dict[int, int]
            if unit[u]:
                weights = Counter(map(com_of, nbr[lo:hi]))
            else:
                weights = {}
                for v, w in zip(nbr[lo:hi], graph.weights(u), strict=True):
                    if v != u:  # (a loop is no neighbour)
                        c = node2com[v]
                        weights[c] = weights.get(c, 0) + w
            degree = degrees[u]
            stot[best] -= degree
            # (networkx reads the node's own community from a defaultdict, which adds it last
            # when no neighbour is in it: its gain there is then exactly 0, never a move.)
            remove_cost = -weights.get(best, 0) / m + RESOLUTION * (stot[best] * degree) / two_m2
            for c, wt_c in weights.items():
                gain = remove_cost + wt_c / m - RESOLUTION * (stot[c] * degree) / two_m2
                if gain > best_mod:
                    best_mod, best = gain, c
            stot[best] += degree
            if best != node2com[u]:
                node2com[u] = best
                moves += 1
                improvement = True
    kept = {c: i for i, c in enumerate(sorted(set(node2com)))}
    return [kept[c] for c in node2com], improvement


def _modularity(graph: Level, community: Sequence[int], count: int) -> float:
    """networkx's ``modularity`` of the graph so divided (``community``: each node's, of
    ``count``); every sum in it is of ints, so in any order."""
    degrees = _degrees(graph)
    deg_sum = sum(degrees)
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    inside = [0] * count
    total = [0] * count
    for u, v, w in _edges(graph):
        if community[u] == community[v]:
            inside[community[u]] += w
    for u, degree in enumerate(degrees):
        total[community[u]] += degree
    return sum(inside[i] / m - RESOLUTION * total[i] * total[i] * norm for i in range(count))


def clusters(
    graph: Graph, circle: set[int], strength: Mapping[int, float]
) -> list[list[int]] | None:
    """Clusters of the circle (Louvain on the whole graph), strongest first, members by
    strength; None when the method never settles (``Unsettled``). For ``network``'s map.

    The Louvain method visits the nodes in a seeded random order drawn over every node, and
    breaks ties by the order of each node's neighbours: the same result needs the same graph,
    every node (even alone) and every edge added in the same order."""
    if not circle:
        return []
    numbered = getattr(graph, "numbered", None)  # a map's graph: its nodes already numbers
    try:
        if numbered is not None:
            size, edges = numbered()
            top = communities(size, edges, seed=7)
            groups: dict[int, list[int]] = {}
            for n in circle:
                groups.setdefault(top[n], []).append(n)
            found = list(groups.values())
        else:
            found = [
                [n for n in group if isinstance(n, int) and n in circle]
                for group in louvain(list(graph.adj), graph.edges, seed=7)
            ]
    except Unsettled:
        return None
    # (Members by strength, then rank; clusters by strength, then their first: any order in.)
    out = [
        sorted(members, key=lambda n: (-strength.get(n, 0.0), n)) for members in found if members
    ]
    out.sort(key=lambda m: (-sum(strength.get(n, 0.0) for n in m), m[0]))
    return out
