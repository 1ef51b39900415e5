"""The map of ``network --format markdown`` made from the flat analysis (``core.netmap``) is
the map ``analyse_vault`` makes from every ``Contact`` and the graph in dicts: the same
nodes, clusters, labels and edges, so the same note, for any vault."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from helpers import make_vault
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_flat import TODAY, _vault_files, notes_st, people_st

from vaultnet.app.network import (
    _columns,
    _numbered_by_path,
    analyse_vault,
    flat_analysis,
    network_contacts,
    owner_ranks,
)
from vaultnet.core.netmap import MapGraph, Pairs
from vaultnet.core.network import Network, build_graph, contact_keys
from vaultnet.render.network import network_markdown
from vaultnet.store.index import Index
from vaultnet.vault.config import load_config

GENVAULT = Path(__file__).resolve().parent.parent / "bench" / "genvault.py"


def _both(vault: Path, kind: str | None) -> tuple[Network, Network]:
    """(the flat analysis with its map, the analysis of every contact with its map)."""
    config = load_config(vault)
    index = Index(vault, config)
    try:
        index.update()
        wanted = lambda c: c.matches(kind, None)  # noqa: E731
        flat, count = flat_analysis(index, config, TODAY, wanted, with_map=True)
        contacts = network_contacts(index, TODAY)
        whole = analyse_vault(index, config, TODAY, contacts, wanted)
    finally:
        index.close()
    assert count == len(contacts)
    return flat, whole


def _same_map(flat: Network, whole: Network) -> None:
    node = lambda n: (n.id, n.role, n.cluster, n.contact and n.contact.path)  # noqa: E731
    assert [node(n) for n in flat.map.nodes] == [node(n) for n in whole.map.nodes]
    assert flat.map.clusters == whole.map.clusters
    assert flat.map.edges == whole.map.edges
    assert flat.map.unsettled == whole.map.unsettled
    assert network_markdown(flat, "Me") == network_markdown(whole, "Me")


def _same_graph(vault: Path) -> None:
    """``MapGraph`` is ``build_graph``'s graph: the nodes, then every edge, in their orders
    (the clustering's result hangs on them), and each edge's weight."""
    config = load_config(vault)
    index = Index(vault, config)
    cap = int(config["broadcast_people"])
    try:
        index.update()
        contacts = network_contacts(index, TODAY)
        with _numbered_by_path(contacts) as (canon, _real):  # (the ranks, as the map's)
            pairs = index.co_mentions_numbered(TODAY, canon, cap, True)
            graph = build_graph(contacts, pairs, contact_keys(contacts))
        cols, rank = _columns(index, TODAY, None)
        keys = owner_ranks(index, cols, rank)
        cols.rank_names()
        flat = MapGraph(
            cols, Pairs(len(cols.ids), index.co_mentions_numbered(TODAY, rank, cap, True)), keys
        )
    finally:
        index.close()
    assert list(flat.adj) == list(graph.adj)
    assert list(flat.edges) == graph.edges
    contacts_only = [(a, b) for a, b in graph.edges if isinstance(a, int) and isinstance(b, int)]
    assert [flat.adj[a][b] for a, b in contacts_only] == [graph.adj[a][b] for a, b in contacts_only]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(people_st, notes_st, st.sampled_from([None, "friend"]))
def test_the_flat_map_is_the_map_of_every_contact(
    people: list[tuple[int, int, int, int, bool, int]], notes: list[list[int]], kind: str | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = make_vault(Path(tmp), _vault_files(people, notes))
        _same_map(*_both(vault, kind))
        _same_graph(vault)


def test_the_flat_map_of_a_generated_vault_is_the_map_of_every_contact(tmp_path: Path) -> None:
    """A vault of 400 contacts and 1,200 notes (``bench/genvault.py``): clusters found
    among company hubs, dormant ties, met edges on the map."""
    vault = tmp_path / "vault"
    done = subprocess.run(
        [sys.executable, str(GENVAULT), "--contacts", "400", "--notes", "1200", str(vault)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    _same_graph(vault)
    for kind in (None, "colleague"):
        flat, whole = _both(vault, kind)
        _same_map(flat, whole)
        roles = {n.role for n in flat.map.nodes}
        assert {"me", "circle", "dormant"} <= roles, roles  # the map is no stub
        assert len(flat.map.clusters) >= 2 and len(flat.map.edges) > 10


def test_odd_front_matter_maps_alike(tmp_path: Path) -> None:
    """Two notes named Ana, names as numbers and lists, a company of spaces, introductions
    of oneself, by a path link and in a string, an archived contact, one with no name."""
    files = {
        ".vaultnet/config.toml": "dormant_days = 200\nbroadcast_people = 3\n",
        "People/Ana.md": "---\nname: Ana\naliases: [1, true, Bo]\ncompany: 123\n"
        "introduced_by: 42\n---\n## Log\n\n- 2026-11-01 Call [[Ana]]\n- 2026-11-02 Call [[Bo]]\n",
        "Work/Ana.md": "---\nname: Ana W\ncompany: '   '\nintroduced_by: '[[Work/Ana]]'\n"
        "introduced_to: [Ana, [x], 3, 'Ana W', '[[Work/Ana|me]]']\n---\n"
        "## Log\n\n- 2026-11-04 Call [[Work/Ana]]\n- 2026-11-05 Call [[Cy]]\n",
        "People/Bo.md": "---\nname: Bo\nkind: 5\ncompany: Acme\nintroduced_by: Cy\n---\n"
        "## Log\n\n- 2026-11-01 Tea [[Cy]]\n- 2026-11-07 Tea [[Cy]]\n- 2026-11-08 Tea [[Di]]\n",
        "People/Cy.md": "---\nname: Cy\ncompany: acme\nintroduced_to: Bo\n---\n"
        "## Log\n\n- 2026-11-09 Walk [[Di]]\n- 2026-11-10 Walk [[Bo]]\n",
        "People/Di.md": "---\nname: Di\narchived: true\n---\n## Log\n\n- 2026-11-09 Run [[Ed]]\n",
        "People/Ed.md": "---\n---\n## Log\n\n- 2025-01-09 Chat [[Fay]]\n- 2025-01-10 Chat [[Fay]]\n"
        "- 2025-01-11 Chat [[Fay]]\n",
        "People/Fay.md": "---\nname: Fay\n---\n",
        "Daily/2026-11-20.md": "[[Ana]] [[Bo]] [[Cy]] [[Di]]\n",
        "Daily/2026-11-21.md": "[[Ana]] [[Bo]]\n",
    }
    vault = make_vault(tmp_path, files)
    _same_graph(vault)
    sizes = {}
    for kind in (None, "5", "friend"):
        flat, whole = _both(vault, kind)
        _same_map(flat, whole)
        sizes[kind] = len(flat.map.nodes)
    assert sizes[None] > 4 and sizes["friend"] == 1  # (a kind no one has: you alone)
