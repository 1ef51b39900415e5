"""The Louvain method of ``core.louvain``: networkx's own clusters, node for node, on graphs
of every shape, and a map without clusters (and a notice) where the method never settles.

The reference is networkx 3.6.1's ``louvain_communities`` itself, bounded here the way
vaultnet bounded it before it ran the method on lists (its passes over a level's nodes
counted where it weighs a node's neighbours): a graph it would never settle on gives
``Unsettled`` on both sides instead of a test that never ends."""

from __future__ import annotations

import random
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from helpers import make_vault, run_cli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vaultnet.core.louvain import MAX_PASSES, Unsettled, louvain

# Seven nodes, ten edges (the Graph Atlas graph G674 of networkx/networkx#8739, its nodes
# numbered otherwise): with seed 7, networkx 3.6.1 moves nodes between two clusters forever.
ENDLESS = [(0, 1), (0, 4), (0, 5), (0, 6), (1, 3), (1, 4), (2, 3), (2, 4), (4, 5), (4, 6)]
NAMES = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]


class _Levels(random.Random):
    """The seeded generator networkx draws its orders from, noting each level's start."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.nodes = self.visits = 0

    def shuffle(self, x: Any) -> None:
        self.nodes, self.visits = len(x), 0
        super().shuffle(x)


def networkx_louvain(
    nodes: list[Hashable], edges: list[tuple[Hashable, Hashable]], seed: int
) -> Any:
    """networkx's clusters of the graph made of ``nodes`` then ``edges``, or ``Unsettled``."""
    from networkx.algorithms.community import louvain as method

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    levels = _Levels(seed)
    weigh = method._neighbor_weights

    def counted(nbrs: Any, node2com: Any) -> Any:
        levels.visits += 1
        if levels.visits > MAX_PASSES * levels.nodes:
            raise Unsettled(f"no end after {MAX_PASSES} passes over {levels.nodes} nodes")
        return weigh(nbrs, node2com)

    method._neighbor_weights = counted
    try:
        return nx.community.louvain_communities(graph, seed=levels)
    finally:
        method._neighbor_weights = weigh


def _outcome(run: Any, *args: Any) -> Any:
    try:
        return run(*args)
    except Unsettled as exc:
        return str(exc)


def test_a_graph_the_method_never_settles_on_is_stopped() -> None:
    with pytest.raises(Unsettled, match=f"no end after {MAX_PASSES} passes over 7 nodes"):
        louvain(list(range(7)), ENDLESS, seed=7)
    assert _outcome(networkx_louvain, list(range(7)), ENDLESS, 7) == (
        f"no end after {MAX_PASSES} passes over 7 nodes"
    )


def _plain(graph: nx.Graph) -> tuple[list[Any], list[Any]]:
    """A graph's nodes and edges, in its orders, without their weights."""
    return list(graph.nodes), list(graph.edges())


@pytest.mark.parametrize(
    "graph",
    [
        nx.karate_club_graph(),
        nx.les_miserables_graph(),
        nx.gnm_random_graph(300, 900, seed=3),
        nx.connected_caveman_graph(6, 5),
        nx.barabasi_albert_graph(400, 3, seed=5),
        nx.Graph(ENDLESS[:-1]),
    ],
    ids=["karate", "les-miserables", "random", "caveman", "preferential", "almost-endless"],
)
@pytest.mark.parametrize("seed", [7, 11])
def test_named_graphs_cluster_as_networkx_clusters_them(graph: nx.Graph, seed: int) -> None:
    nodes, edges = _plain(graph)
    assert louvain(nodes, edges, seed) == networkx_louvain(nodes, edges, seed)


# Nodes as the network's graph has them: contact ids and ("company", name) hubs.
_NODE = st.one_of(
    st.integers(0, 40),
    st.sampled_from([("company", "acme"), ("company", "globex"), ("company", "initech")]),
)


@settings(max_examples=300, deadline=None)
@given(
    nodes=st.lists(_NODE, max_size=30),
    edges=st.lists(st.tuples(_NODE, _NODE), max_size=90),
    seed=st.sampled_from([7, 11, 1]),
)
@example(nodes=[0, 1], edges=[(0, 0), (0, 1), (1, 0), (0, 1)], seed=7)  # loops and repeats
@example(nodes=[3, 2, 1], edges=[], seed=7)  # no edge: each node alone
@example(nodes=[], edges=[(5, 6), (6, 7)], seed=7)  # nodes only in edges
def test_any_graph_clusters_as_networkx_clusters_it(
    nodes: list[Hashable], edges: list[tuple[Hashable, Hashable]], seed: int
) -> None:
    """Every order networkx takes (of the nodes, of each one's neighbours, of the
    communities it weighs) decides ties: the same sets, for any nodes and edges."""
    assert _outcome(louvain, nodes, edges, seed) == _outcome(networkx_louvain, nodes, edges, seed)


def test_the_map_of_such_a_vault_has_no_clusters_and_says_why(tmp_path: Path) -> None:
    """The vault's graph is ``ENDLESS`` (contacts numbered by path, each edge a lunch)."""
    files = {f"People/{n}.md": f"---\nname: {n}\n---\n" for n in NAMES}
    for k, (a, b) in enumerate(ENDLESS):
        files[f"Daily/2026-10-{k + 10}.md"] = f"Lunch with [[{NAMES[a]}]] and [[{NAMES[b]}]].\n"
    vault = make_vault(tmp_path, files)
    result = run_cli(vault, "network", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "The map has no clusters: networkx's Louvain method did not settle on this graph"
        " (networkx#8739)"
    ]
    graph = result.stdout.split("## Map", 1)[1]
    assert "subgraph" not in graph
    assert 'me(("Me"))' in graph
    # The rest of the report is what it always is.
    table = run_cli(vault, "network")
    assert table.exit_code == 0 and table.stderr == ""
    assert "Composition: 7 contacts" in table.stdout
