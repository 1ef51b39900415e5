"""network without its map in flat memory (``core.netflat``, ``reach.Flat``): the walks on
arrays find what the walks on dicts find, and the flat analysis of a vault says what the
analysis of every ``Contact`` says, in every order."""

from __future__ import annotations

import json
import tempfile
from array import array
from datetime import date
from pathlib import Path
from typing import Any

from helpers import make_vault, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.app.network import flat_analysis, network_contacts
from vaultnet.core.network import analyse
from vaultnet.core.reach import (
    Flat,
    component,
    cut_off,
    flat_component,
    flat_cut_off,
    flat_graph,
)
from vaultnet.render.network import network_dict, network_json, network_table
from vaultnet.store.index import Index
from vaultnet.vault.config import load_config

TODAY = date(2026, 11, 25)
NAMES = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo"]

edges_st = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40)


def _graphs(size: int, edges: list[tuple[int, int]]) -> tuple[dict[Any, list[Any]], Flat]:
    adj: dict[Any, list[Any]] = {v: [] for v in range(size)}
    for a, b in edges:
        if a != b and b not in adj[a]:
            adj[a].append(b)
            adj[b].append(a)
    flat = flat_graph(size, array("i", [a for a, _b in edges]), array("i", [b for _a, b in edges]))
    return adj, flat


@settings(max_examples=300, deadline=None, derandomize=True)
@given(edges_st, st.sets(st.integers(0, 11), max_size=5))
def test_the_flat_walks_find_what_the_walks_on_dicts_find(
    edges: list[tuple[int, int]], circle: set[int]
) -> None:
    """The same nodes reached, the same cut points, each cutting off the same people
    (the order of the walk may differ: the neighbours are in another order)."""
    adj, flat = _graphs(12, edges)
    assert [sorted(flat[v]) for v in range(12)] == [sorted(adj[v]) for v in range(12)]
    assert [flat.degree(v) for v in range(12)] == [len(adj[v]) for v in range(12)]
    order, separated = cut_off(adj, "me", circle)
    flat_order, flat_separated = flat_cut_off(flat, circle)
    assert set(flat_order) - {12} == set(order) - {"me"}
    cut = lambda o, spans: {v for lo, hi in spans for v in o[lo:hi]}  # noqa: E731
    assert {p: cut(order, s) for p, s in separated.items()} == {
        p: cut(flat_order, s) for p, s in flat_separated.items()
    }
    for v in range(12):
        assert sorted(flat_component(flat, v)) == sorted(component(adj, v))


def _vault_files(
    people: list[tuple[int, int, int, int, bool, int]], notes: list[list[int]]
) -> dict[str, str]:
    """People (company, kind, introducer, alias, archived, days ago of their log entry) and
    dated notes each linking some of them."""
    companies = [None, "Acme", "acme ", "Borealis"]
    kinds = [None, "Friend", "friend", "colleague"]
    files = {".vaultnet/config.toml": "dormant_days = 200\nbroadcast_people = 4\n"}
    for i, (company, kind, intro, alias, archived, ago) in enumerate(people):
        name = NAMES[i]
        front = [f"name: {name}"]
        if companies[company]:
            front.append(f"company: '{companies[company]}'")
        if kinds[kind]:
            front.append(f"kind: {kinds[kind]}")
        if intro < len(people) and intro != i:
            front.append(f"introduced_by: '[[{NAMES[intro]}]]'")
        if intro == len(people) and i:
            front.append(f"introduced_to: ['[[{NAMES[0]}]]', '{NAMES[i - 1]}', Nobody]")
        if alias:
            front.append(f"aliases: [{NAMES[(i + alias) % len(NAMES)]}]")  # a shared name at times
        if archived:
            front.append("archived: true")
        other = NAMES[(i + 1) % len(people)]
        day = date.fromordinal(TODAY.toordinal() - ago).isoformat()
        body = f"## Log\n\n- {day} Lunch with [[{other}]]\n" if ago else ""
        files[f"People/{name}.md"] = "---\n" + "\n".join(front) + "\n---\n\n" + body
    for k, linked in enumerate(notes):
        day = date.fromordinal(TODAY.toordinal() - 40 * k - 3).isoformat()
        links = ", ".join(f"[[{NAMES[j % len(people)]}]]" for j in linked)
        files[f"Daily/{day}.md"] = f"Met {links}.\n"
    return files


people_st = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 3),
        st.integers(0, 10),
        st.integers(0, 2),
        st.booleans(),
        st.sampled_from([0, 5, 100, 300, 500]),
    ),
    min_size=1,
    max_size=len(NAMES),
)
notes_st = st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=6), max_size=12)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(people_st, notes_st, st.sampled_from([None, "friend"]))
def test_the_flat_analysis_says_what_the_analysis_of_every_contact_says(
    people: list[tuple[int, int, int, int, bool, int]], notes: list[list[int]], kind: str | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = make_vault(Path(tmp), _vault_files(people, notes))
        config = load_config(vault)
        index = Index(vault, config)
        try:
            index.update()
            wanted = lambda c: c.matches(kind, None)  # noqa: E731
            flat, count = flat_analysis(index, config, TODAY, wanted)
            contacts = network_contacts(index, TODAY)
            pairs = index.co_mentions(TODAY, int(config["broadcast_people"]), counted=False)
            counts = index.interaction_counts(TODAY)
            whole = analyse(
                contacts, counts, pairs, TODAY, int(config["dormant_days"]), wanted, with_map=False
            )
        finally:
            index.close()
    assert count == len(contacts)
    assert network_dict(flat) == network_dict(whole)
    assert network_json(flat) == network_json(whole)
    assert network_table(flat) == network_table(whole)


def test_a_bridge_an_introduction_and_a_dormant_tie_come_out_of_the_flat_path(
    tmp_path: Path,
) -> None:
    """A vault whose report has something in every part, through the real command."""
    files = {
        "People/Ana.md": "---\nname: Ana\ncompany: Acme\n---\n",
        "People/Bo.md": "---\nname: Bo\ncompany: Borealis\nintroduced_by: '[[Ana]]'\n---\n",
        "People/Cy.md": "---\nname: Cy\ncompany: Borealis\n---\n",
        "People/Di.md": "---\nname: Di\nintroduced_to: ['[[Cy]]']\n---\n",
    }
    for k, day in enumerate(["2026-11-01", "2026-10-01", "2026-09-01"]):
        files[f"Daily/{day}.md"] = "Lunch with [[Ana]].\n"
        files[f"Daily/2024-0{k + 1}-10.md"] = "Coffee with [[Di]].\n"
    files["Daily/2026-08-01.md"] = "Walk with [[Bo]].\n"
    vault = make_vault(tmp_path, files)
    result = run_cli(vault, "network", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    names = lambda people: [p["name"] for p in people]  # noqa: E731
    assert [(d["name"], d["reason"]) for d in report["dormant"]] == [
        ("Di", "dormant tie: 3 interactions, silent for 2 years")
    ]
    # Bo is the one way to Borealis (Cy) and, through Cy, to Di, whom the user introduced.
    assert [(b["name"], names(b["reaches"]), b["reason"]) for b in report["bridges"]] == [
        ("Bo", ["Cy", "Di"], "bridge to Borealis (2 people you reach only through them)")
    ]
    assert [(i["name"], names(i["introduced"])) for i in report["introducers"]] == [("Ana", ["Bo"])]
    assert [(i["name"], names(i["to"])) for i in report["introduced_by_you"]] == [("Di", ["Cy"])]
    assert report["bridges"][0]["last_contact"] == "2026-08-01"
    table = run_cli(vault, "network", "--kind", "nobody")
    assert table.exit_code == 0, table.output
    assert "Composition: 0 contacts" in table.stdout
    assert "None: your circle already reaches everyone your weak ties know." in table.stdout


def test_a_printed_contact_reads_as_a_contact_of_those_fields() -> None:
    """Every field of a ``PrintedContact`` reads as the ``Contact`` made of the same printed
    fields reads it (a field added to ``Contact`` with a factory and not given a class
    default here fails this), and the factories' defaults it shares are empty."""
    import dataclasses

    from vaultnet.core.model import Contact, PrintedContact

    printed = PrintedContact(7, "People/Ana.md", "Ana", "mentor", "Acme", False, True)
    full = Contact(
        id=7, path="People/Ana.md", name="Ana", kind="mentor", company="Acme", deceased=True
    )
    for f in dataclasses.fields(Contact):
        assert getattr(printed, f.name) == getattr(full, f.name), f.name
    assert not printed.active and printed.fields == {}
    assert (printed.aliases, printed.emails, printed.tags, printed.dates) == ([], [], [], {})
