"""networkx's seeded Louvain method (``louvain_communities``, networkx 3.6.1), run on plain
lists and dicts of small ints, with a bound.

Why not networkx itself: it holds the graph as a dict of dicts with an attribute dict an
edge, builds a new such graph a level, and loads 18 MiB of modules; at 10,000 contacts the
map's clustering peaked at some 60 MiB over the rest of ``network --format markdown`` and
took most of its time. Here a node is its number, an edge weight an int in a dict a node.

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
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from vaultnet.core.reach import Graph

MAX_PASSES = 500
THRESHOLD = 0.0000001  # networkx's default: a level that gains no more modularity ends it
RESOLUTION = 1

N = TypeVar("N", bound=Hashable)
# node -> (its neighbours, in networkx's adjacency order; the weights of those edges): two
# arrays a node, a tenth of the memory of a dict (at 10k contacts, 2 MiB instead of 13).
# Weights are counts of edges: they fit in an int.
Adjacency = list[tuple["array[int]", "array[int]"]]


_EMPTY = array("i")


class Unsettled(Exception):
    """The Louvain method went on past ``MAX_PASSES`` passes over one level."""


def louvain(nodes: Sequence[N], edges: Iterable[tuple[N, N]], seed: int) -> list[set[N]]:
    """The communities ``networkx.community.louvain_communities(g, seed=seed)`` finds for
    ``g = nx.Graph(); g.add_nodes_from(nodes); g.add_edges_from(edges)`` (nodes that are
    only in ``edges`` come after ``nodes``, as networkx adds them), or ``Unsettled``."""
    named, graph = _copied(nodes, edges)
    if not any(nbrs for nbrs, _ in graph):  # no edge: each node alone
        return [{node} for node in named]
    # Its first modularity is the given graph's, each node alone: the copy's, the same edges.
    mod = _modularity(graph, [[u] for u in range(len(graph))])
    m = sum(_degrees(graph)) / 2
    rng = random.Random(seed)
    top = list(range(len(graph)))  # each node -> the node of the current level it is in
    communities, improvement = _one_level(graph, m, rng)
    found: list[set[N]] = []
    improvement = True
    while improvement:
        top = [communities[t] for t in top]
        found = _groups(named, top, len(set(communities)))
        inner = _members(communities)
        new_mod = _modularity(graph, inner)
        if new_mod - mod <= THRESHOLD:
            break
        mod = new_mod
        graph = _level_graph(graph, inner)
        communities, improvement = _one_level(graph, m, rng)
    return found


def _copied(nodes: Sequence[N], edges: Iterable[tuple[N, N]]) -> tuple[list[N], Adjacency]:
    """The nodes in networkx's order, and the copy of the graph the method works on: its
    edges added again in ``G.edges`` order (from the first of their ends in node order),
    each of weight 1."""
    number: dict[N, int] = {}
    for node in nodes:
        number.setdefault(node, len(number))
    # The graph as nx.Graph holds it: each node's neighbours in the order their edges came
    # (an edge given twice is dropped below, where networkx kept its first).
    given: list[array[int]] = [array("i") for _ in number]
    for a, b in edges:
        i = number.setdefault(a, len(number))
        j = number.setdefault(b, len(number))
        while len(given) < len(number):
            given.append(array("i"))
        given[i].append(j)
        if j != i:
            given[j].append(i)
    graph: Adjacency = [(array("i"), array("i")) for _ in given]
    for u in range(len(given)):
        nbrs, given[u] = given[u], _EMPTY  # (each list goes once read: not both graphs whole)
        seen = set()
        for v in nbrs:
            if v in seen:
                continue
            seen.add(v)
            if v >= u:
                graph[u][0].append(v)
                graph[u][1].append(1)
                if v != u:
                    graph[v][0].append(u)
                    graph[v][1].append(1)
    return list(number), graph


def _degrees(graph: Adjacency) -> list[int]:
    """``G.degree(weight="weight")``: a loop counts twice."""
    out = []
    for u, (nbrs, weights) in enumerate(graph):
        degree = sum(weights)
        if u in nbrs:
            degree += weights[nbrs.index(u)]
        out.append(degree)
    return out


def _edges(graph: Adjacency) -> Iterator[tuple[int, int, int]]:
    """``G.edges(data="weight")``: each edge once, from the first of its ends in node order."""
    for u, (nbrs, weights) in enumerate(graph):
        for v, w in zip(nbrs, weights, strict=True):
            if v >= u:
                yield u, v, w


def _level_graph(graph: Adjacency, inner: list[list[int]]) -> Adjacency:
    """networkx's ``_gen_graph``: a node a community (in ``inner``'s order), the weights of
    the edges between two communities summed, each edge added in ``G.edges`` order."""
    community = [0] * len(graph)
    for i, part in enumerate(inner):
        for node in part:
            community[node] = i
    summed: list[dict[int, int]] = [{} for _ in inner]  # (in insertion order, as networkx's)
    for u, v, w in _edges(graph):
        a, b = community[u], community[v]
        summed[a][b] = summed[b][a] = summed[a].get(b, 0) + w
    out: Adjacency = []
    for i, d in enumerate(summed):
        out.append((array("i", d.keys()), array("i", d.values())))
        summed[i] = {}  # (each dict goes once copied)
    return out


def _one_level(graph: Adjacency, m: float, rng: random.Random) -> tuple[list[int], bool]:
    """networkx's ``_one_level``: each node's community (numbered 0 .. k - 1 in the order of
    the community ids networkx keeps), and whether any node moved."""
    size = len(graph)
    node2com = list(range(size))
    degrees = _degrees(graph)
    stot = list(degrees)
    order = list(range(size))
    rng.shuffle(order)
    # Nodes whose edges all weigh 1, none a loop (every node of the first level): their
    # communities' weights are counts, made in one call. The weights are sums of ints either
    # way, the same numbers as networkx's float sums.
    unit = bytearray(
        u not in nbrs and edge_weights.count(1) == len(edge_weights)
        for u, (nbrs, edge_weights) in enumerate(graph)
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
            nbrs, edge_weights = graph[u]
            weights: dict[int, int]
            if unit[u]:
                weights = Counter(map(com_of, nbrs))
            else:
                weights = {}
                for v, w in zip(nbrs, edge_weights, strict=True):
                    if v != u:  # (a loop is no neighbour)
                        c = node2com[v]
                        weights[c] = weights.get(c, 0) + w
            degree = degrees[u]
            stot[best] -= degree
            # (networkx reads the node's own community from a defaultdict, which adds it last
            # when no neighbour is in it: its gain there is then exactly 0, never a move.)
            remove_cost = -weights.get(best, 0) / m + RESOLUTION * (stot[best] * degree) / two_m2
            for c, wt in weights.items():
                gain = remove_cost + wt / m - RESOLUTION * (stot[c] * degree) / two_m2
                if gain > best_mod:
                    best_mod, best = gain, c
            stot[best] += degree
            if best != node2com[u]:
                node2com[u] = best
                moves += 1
                improvement = True
    kept = {c: i for i, c in enumerate(sorted(set(node2com)))}
    return [kept[c] for c in node2com], improvement


def _members(communities: list[int]) -> list[list[int]]:
    """Each community's nodes, in node order."""
    out: list[list[int]] = [[] for _ in range(max(communities) + 1)]
    for node, c in enumerate(communities):
        out[c].append(node)
    return out


def _groups(named: list[N], top: list[int], count: int) -> list[set[N]]:
    out: list[set[N]] = [set() for _ in range(count)]
    for node, c in zip(named, top, strict=True):
        out[c].add(node)
    return out


def _modularity(graph: Adjacency, communities: list[list[int]]) -> float:
    """networkx's ``modularity`` of the graph so divided (every sum in it is of ints)."""
    degrees = _degrees(graph)
    deg_sum = sum(degrees)
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    community = [0] * len(graph)
    for i, part in enumerate(communities):
        for node in part:
            community[node] = i
    inside = [0] * len(communities)
    for u, v, w in _edges(graph):
        if community[u] == community[v]:
            inside[community[u]] += w
    parts = []
    for i, part in enumerate(communities):
        out_degree_sum = sum(degrees[u] for u in part)
        parts.append(inside[i] / m - RESOLUTION * out_degree_sum * out_degree_sum * norm)
    return sum(parts)


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
    try:
        found = louvain(list(graph.adj), graph.edges, seed=7)
    except Unsettled:
        return None
    out = []
    for group in found:
        members = sorted(
            (n for n in group if isinstance(n, int) and n in circle),
            key=lambda n: (-strength.get(n, 0.0), n),
        )
        if members:
            out.append(members)
    out.sort(key=lambda m: (-sum(strength.get(n, 0.0) for n in m), m[0]))
    return out
