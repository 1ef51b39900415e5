"""``list``, ``export`` and ``check`` build contacts a batch at a time (issue #17: memory
stays flat with the vault's size); what they print is the same whatever the batch."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

from vaultnet.app import contacts as app_contacts
from vaultnet.core.names import fold
from vaultnet.render.text import _pieces, contacts_table, json_list_pieces, table, to_json


def person(name: str, **fields: str) -> str:
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{front}---\n\nAbout {name}.\n\n## Log\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    # Names whose order is not their files' order: case, accents, scripts, two notes whose
    # names fold alike (the path decides), archived and private ones, tags and kinds.
    return make_vault(
        tmp_path,
        {
            "People/a.md": person("Zoë Zed", kind="peer", tags="[work]"),
            "People/b.md": person("émile Roux", kind="mentor"),
            "People/c.md": person("Emile Roux", kind="peer", email="e@x.org"),
            "People/d.md": person("ana Lima", tags="[work/team]", cadence="2w"),
            "People/e.md": person("Ana lima", archived="true", tags="[work]"),
            "People/f.md": person("李雷", kind="peer", private="true"),
            "People/g.md": person("Bo Chen", kind="Peer", last_contact="2026-10-01"),
            "People/h.md": person("Cy", company="Acme", title="CTO"),
            "Daily/2026-11-20.md": "Coffee with [[Bo Chen]] and [[Zoë Zed]].\n",
        },
    )


CASES = [
    ("list", "--format", "json"),
    ("list",),
    ("list", "--all", "--format", "json"),
    ("list", "--all"),
    ("list", "--kind", "peer", "--format", "json"),
    ("list", "--tag", "work"),
    ("list", "--tag", "work", "--all", "--format", "json"),
    ("list", "--kind", "nobody"),
    ("list", "--kind", "nobody", "--format", "json"),
    ("export", "vcard"),
    ("export", "vcard", "--with-notes"),
    ("check", "--format", "json"),
]


@pytest.mark.parametrize("args", CASES)
def test_the_output_does_not_depend_on_the_batch(
    vault: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    whole = run_cli(vault, *args)
    monkeypatch.setattr(app_contacts, "BATCH", 2)
    batched = run_cli(vault, *args)
    monkeypatch.setattr(app_contacts, "BATCH", 1)
    one_by_one = run_cli(vault, *args)
    assert whole.stdout_bytes == batched.stdout_bytes == one_by_one.stdout_bytes
    assert whole.stderr == batched.stderr == one_by_one.stderr
    assert whole.exit_code == batched.exit_code == one_by_one.exit_code


def test_list_json_is_sorted_by_folded_name_then_path(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_contacts, "BATCH", 3)
    result = run_cli(vault, "list", "--all", "--format", "json")
    shown = json.loads(result.stdout)
    keys = [(fold(c["name"]), c["path"]) for c in shown]
    assert keys == sorted(keys)
    assert [c["name"] for c in shown][:4] == ["ana Lima", "Ana lima", "Bo Chen", "Cy"]
    assert [c["path"] for c in shown if fold(c["name"]) == "emile roux"] == [
        "People/b.md",
        "People/c.md",
    ]
    assert result.stdout == to_json(shown) + "\n"  # one compact object a line
    assert len(shown) == 8
    default = json.loads(run_cli(vault, "list", "--format", "json").stdout)
    assert "People/e.md" not in [c["path"] for c in default] and len(default) == 7


def test_export_leaves_out_private_contacts_and_counts_the_rest(vault: Path) -> None:
    out = vault.parent / "all.vcf"
    wrote = run_cli(vault, "export", "vcard", "--out", str(out), "--format", "json")
    assert json.loads(wrote.stdout)["contacts"] == 7
    text = out.read_bytes().decode()
    assert text.count("BEGIN:VCARD") == 7 and "李雷" not in text
    assert run_cli(vault, "export", "vcard").stdout_bytes == out.read_bytes()


@pytest.mark.parametrize(
    "batches",
    [[], [[]], [[], []], [[{"a": 1}]], [[{"a": 1}, {"b": [2, "é"]}], [], [{"c": None}]]],
)
def test_json_in_pieces_is_to_json_of_the_whole(batches: list[list[object]]) -> None:
    whole = [item for batch in batches for item in batch]
    assert "".join(json_list_pieces(batches)) == to_json(whole)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5])
def test_lines_in_pieces_join_as_the_lines(count: int) -> None:
    lines = [f"line {n}" for n in range(count)]
    pieces = list(_pieces(lines, size=2))
    assert "".join(pieces) == "\n".join(lines)
    assert len(pieces) == max(1, (count + 1) // 2)


def test_a_table_of_no_rows_still_has_its_headers() -> None:
    assert table(["Name", "Kind"], []) == "Name  Kind\n----  ----"
    assert contacts_table([], date(2026, 11, 25)) == "No contacts found."


def test_check_judges_shared_names_and_introducers(tmp_path: Path) -> None:
    from vaultnet.app.context import App
    from vaultnet.store.contacts import vault_problems

    vault = make_vault(
        tmp_path,
        {
            "People/Ana Lima.md": person("Ana Lima", aliases="[Ana, Ana Lima]"),
            "People/Other/Ana Lima.md": person("Ana Lima"),
            "People/Ana.md": "---\nkind: peer\n---\n",  # its file name is Ana's alias
            "People/Bo 1.md": person("Bo Chen", email="bo@a.org"),
            "People/Bo 2.md": person("Bo Chen", email="bo@b.org"),  # told apart
            "People/Bo 3.md": person("Bo Chen", email="BO@a.org "),  # the same as Bo 1
            "People/Cy 1.md": person("Cy", linkedin="https://www.linkedin.com/in/cy/"),
            "People/Cy 2.md": person("Cy", linkedin="https://linkedin.com/in/cy2"),
            "People/Di.md": person("Di", introduced_by="Ana", aliases="[Dee]"),
            "People/Ed.md": person("Ed", introduced_by="Nobody"),
            "People/Fa.md": person("Fa", introduced_by="dee"),
            "People/Gil.md": person("Gil", introduced_by="people/ana"),
        },
    )
    app = App(vault=vault, today=date(2026, 11, 25), quiet=True)
    try:
        found = vault_problems(app.index())
    finally:
        app.close()
    assert [f"{p.path}: {p.message}" for p in found] == [
        "People/Ana Lima.md: alias 'ana' is also used by People/Ana.md",
        "People/Ana Lima.md: name 'ana lima' is also used by People/Other/Ana Lima.md",
        "People/Ana.md: name 'ana' is also used by People/Ana Lima.md",
        "People/Bo 1.md: name 'bo chen' is also used by People/Bo 3.md",
        "People/Bo 3.md: name 'bo chen' is also used by People/Bo 1.md",
        "People/Ed.md: introduced_by: no contact named 'Nobody'",
        "People/Other/Ana Lima.md: name 'ana lima' is also used by People/Ana Lima.md",
    ]
