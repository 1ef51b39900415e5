"""The bound on networkx's Louvain method (``core.louvain``): the same clusters where the
method settles, and a map without clusters (and a notice) where it never would."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from helpers import make_vault, run_cli

from vaultnet.core.louvain import MAX_PASSES, Unsettled, louvain

# Seven nodes, ten edges (the Graph Atlas graph G674 of networkx/networkx#8739, its nodes
# numbered otherwise): with seed 7, networkx 3.6.1 moves nodes between two clusters forever.
ENDLESS = [(0, 1), (0, 4), (0, 5), (0, 6), (1, 3), (1, 4), (2, 3), (2, 4), (4, 5), (4, 6)]
NAMES = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]


def _graph(edges: list[tuple[int, int]], nodes: int) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(edges)
    return graph


def test_a_graph_the_method_never_settles_on_is_stopped() -> None:
    with pytest.raises(Unsettled, match=f"no end after {MAX_PASSES} passes over 7 nodes"):
        louvain(_graph(ENDLESS, 7), seed=7)
    # networkx's own function is itself again afterwards.
    from networkx.algorithms.community import louvain as method

    assert method._neighbor_weights.__module__ == method.__name__


@pytest.mark.parametrize(
    "graph",
    [
        nx.karate_club_graph(),
        nx.les_miserables_graph(),
        nx.gnm_random_graph(300, 900, seed=3),
        nx.connected_caveman_graph(6, 5),
        _graph(ENDLESS[:-1], 7),
    ],
    ids=["karate", "les-miserables", "random", "caveman", "almost-endless"],
)
@pytest.mark.parametrize("seed", [7, 11])
def test_where_the_method_settles_the_clusters_are_networkx_own(graph: nx.Graph, seed: int) -> None:
    assert louvain(graph, seed=seed) == nx.community.louvain_communities(graph, seed=seed)


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
