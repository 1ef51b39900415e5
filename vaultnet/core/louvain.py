"""networkx's seeded Louvain method, with a bound: networkx 3.6.1 (the newest to install)
can move the same nodes back and forth forever on some graphs, round-off between gains
that are equal (networkx/networkx#8739, fixed after 3.6.1), and ``network --format
markdown`` then never ends.

The bound is on the passes over a level's nodes: ``MAX_PASSES``, where the vaults seen
take at most some 20 (22 at 10k contacts). A graph the method settles on within it gets
the very same clusters (the same generator, seeded alike, draws the same orders); past it,
``Unsettled``. The passes are counted where networkx weighs each node's neighbours, a
call a node a pass; each level starts with its one shuffle of the level's nodes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from vaultnet.core.reach import Graph

MAX_PASSES = 500


class Unsettled(Exception):
    """The Louvain method went on past ``MAX_PASSES`` passes over one level."""


class _Levels(random.Random):
    """The seeded generator the method draws its orders from, which also notes where each
    level starts (its one shuffle) and how many nodes it has."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.nodes = self.visits = 0

    def shuffle(self, x: Any) -> None:
        self.nodes, self.visits = len(x), 0
        super().shuffle(x)


def louvain(graph: Any, seed: int) -> list[set[Any]]:
    """``networkx.community.louvain_communities(graph, seed=seed)``, or ``Unsettled``."""
    import networkx as nx
    from networkx.algorithms.community import louvain as method

    levels = _Levels(seed)
    weigh = method._neighbor_weights

    def counted(nbrs: Any, node2com: Any) -> Any:
        levels.visits += 1
        if levels.visits > MAX_PASSES * levels.nodes:
            raise Unsettled(f"no end after {MAX_PASSES} passes over {levels.nodes} nodes")
        return weigh(nbrs, node2com)

    method._neighbor_weights = counted
    try:
        found: list[set[Any]] = nx.community.louvain_communities(graph, seed=levels)
        return found
    finally:
        method._neighbor_weights = weigh


def clusters(
    graph: Graph, circle: set[int], strength: Mapping[int, float]
) -> list[list[int]] | None:
    """Clusters of the circle (Louvain on the whole graph), strongest first, members by
    strength; None when the method never settles (``Unsettled``). For ``network``'s map.

    networkx's Louvain visits the nodes in a seeded random order drawn over every node, and
    breaks ties by the order of each node's neighbours: the same result needs the same graph,
    every node (even alone) and every edge added in the same order."""
    if not circle:
        return []
    import networkx as nx

    whole = nx.Graph()
    whole.add_nodes_from(graph.adj)
    whole.add_edges_from(graph.edges)
    try:
        found = louvain(whole, seed=7)
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
