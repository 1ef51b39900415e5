"""core.reach.cut_off against its definition: removing a cut point leaves exactly the
people of its spans out of reach."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.core.reach import cut_off

ME = "me"
edges = st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(edges, st.sets(st.integers(0, 14), max_size=4))
def test_cut_off_is_what_removing_each_node_leaves_unreached(
    pairs: list[tuple[int, int]], circle: set[int]
) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(range(15))
    graph.add_edges_from((a, b) for a, b in pairs if a != b)
    reach = graph.copy()
    reach.add_edges_from((ME, c) for c in circle)
    reach.add_node(ME)
    core = nx.node_connected_component(reach, ME)

    order, separated = cut_off(graph, ME, circle)

    assert order[0] == ME and set(order) == core and len(order) == len(core)
    for v in core - {ME}:
        kept = nx.node_connected_component(nx.restricted_view(reach, [v], []), ME)
        lost = core - kept - {v}
        spans = {n for lo, hi in separated.get(v, []) for n in order[lo:hi]}
        assert spans == lost
        assert (v in separated) == bool(lost)
