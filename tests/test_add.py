"""add: a new contact note with the given fields, a safe file name, and no duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

EXISTING = (
    "---\nname: Ana Lima\naliases: [Nana]\nemail: ana@example.com\n---\n## Log\n- 2026-01-01 x\n"
)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(tmp_path, {"People/Ana Lima.md": EXISTING})


def people(vault: Path) -> list[str]:
    return sorted(p.name for p in (vault / "People").iterdir())


def test_add_with_every_field(vault: Path) -> None:
    result = run_cli(
        vault,
        "add",
        "Bo Chen",
        "--kind",
        "peer",
        "--company",
        "Acme: Labs",
        "--title",
        "CTO",
        "--email",
        "bo@acme.test",
        "--email",
        "bo@home.test",
        "--phone",
        "+1 555 0100",
        "--linkedin",
        "https://linkedin.com/in/bo",
        "--location",
        "Lisbon",
        "--birthday",
        "1990-03-15",
        "--work-anniversary",
        "--06-01",
        "--cadence",
        "2w",
        "--tag",
        "pycon",
        "--alias",
        "Bobo",
        "--introduced-by",
        "Nana",
        "--how-met",
        "PyCon 2024",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created People/Bo Chen.md\n"
    assert (vault / "People/Bo Chen.md").read_text() == (
        "---\n"
        "name: Bo Chen\n"
        "aliases:\n  - Bobo\n"
        "kind: peer\n"
        'company: "Acme: Labs"\n'
        "title: CTO\n"
        "email:\n  - bo@acme.test\n  - bo@home.test\n"
        "phone: +1 555 0100\n"
        'linkedin: "https://linkedin.com/in/bo"\n'
        "location: Lisbon\n"
        "birthday: 1990-03-15\n"
        'work_anniversary: "--06-01"\n'
        "cadence: 2w\n"
        "tags:\n  - pycon\n"
        'introduced_by: "[[Ana Lima]]"\n'
        "how_met: PyCon 2024\n"
        "---\n"
        "\n## Log\n"
    )
    # The index reads back what was written.
    [bo] = [
        c
        for c in json.loads(run_cli(vault, "list", "--format", "json").stdout)
        if c["name"] == "Bo Chen"
    ]
    assert bo["company"] == "Acme: Labs" and bo["cadence_days"] == 14
    assert run_cli(vault, "check").stdout == "No problems found.\n"


def test_add_minimal_and_followups_see_it(vault: Path) -> None:
    result = run_cli(vault, "add", "  Cy  ", "--cadence", "monthly", "--email", "cy@x.test")
    assert result.exit_code == 0, result.output
    assert (vault / "People/Cy.md").read_text() == (
        "---\nname: Cy\nemail: cy@x.test\ncadence: monthly\n---\n\n## Log\n"
    )
    listed = json.loads(run_cli(vault, "followups", "--format", "json").stdout)
    assert [(i["name"], i["reasons"][0]["text"]) for i in listed] == [
        ("Cy", "never contacted (every 30 days)")
    ]
    # log finds the new note at once and appends to its empty log.
    assert run_cli(vault, "log", "Cy", "hello").exit_code == 0
    assert (vault / "People/Cy.md").read_text().endswith("\n## Log\n- 2026-11-25 hello\n")


@pytest.mark.parametrize(
    "args",
    [
        ("Ana Lima",),
        ("ana  lima",),
        ("Ána Lima",),
        ("Nana",),
        ("Someone", "--alias", "nana"),
        ("Someone", "--alias", "Ana Lima"),
        ("Someone", "--email", "ANA@example.com"),
    ],
)
def test_add_refuses_a_duplicate_and_names_it(vault: Path, args: tuple[str, ...]) -> None:
    result = run_cli(vault, "add", *args)
    assert result.exit_code == 2
    assert "People/Ana Lima.md" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert people(vault) == ["Ana Lima.md"]
    assert (vault / "People/Ana Lima.md").read_text() == EXISTING


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("AC/DC", "AC-DC.md"),
        ("Re: Ana", "Re - Ana.md"),
        ("back\\slash", "back-slash.md"),
        (".dotted", "dotted.md"),
        ("CON", "CON_.md"),
        ("Zoë Martín", "Zoë Martín.md"),
    ],
)
def test_add_makes_the_file_name_safe_and_keeps_the_real_name(
    vault: Path, name: str, file: str
) -> None:
    result = run_cli(vault, "add", name)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Created People/{file}\n"
    listed = json.loads(run_cli(vault, "list", "--format", "json").stdout)
    assert {c["name"] for c in listed} == {"Ana Lima", name}
    shown = run_cli(vault, "show", name)
    assert shown.exit_code == 0 and name in shown.stdout


def test_add_never_clobbers_a_file_of_the_same_name(tmp_path: Path) -> None:
    other = "---\nname: Someone Else\n---\n"
    vault = make_vault(tmp_path, {"People/ac-dc.md": other})
    result = run_cli(vault, "add", "AC/DC")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created People/AC-DC 2.md\n"
    assert (vault / "People/ac-dc.md").read_text() == other


def test_add_goes_to_the_first_contacts_folder(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path, {".vaultnet/config.toml": 'contacts_folders = ["Contacts", "People"]\n'}
    )
    assert run_cli(vault, "add", "Bo").stdout == "Created Contacts/Bo.md\n"
    assert (vault / "Contacts/Bo.md").is_file()


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (("Bo", "--birthday", "1990-02-30"), "--birthday"),
        (("Bo", "--birthday", "soon"), "--birthday"),
        (("Bo", "--work-anniversary", "13-01"), "--work-anniversary"),
        (("Bo", "--cadence", "sometimes"), "--cadence"),
        (("Bo", "--introduced-by", "Nobody"), "no contact named"),
        (("   ",), "name"),
    ],
)
def test_add_refuses_bad_values_and_creates_nothing(
    vault: Path, args: tuple[str, ...], why: str
) -> None:
    result = run_cli(vault, "add", *args)
    assert result.exit_code == 2
    assert why in result.stderr
    assert people(vault) == ["Ana Lima.md"]


def test_introduced_by_links_the_introducers_file(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/ana.md": "---\nname: Ana Lima\n---\n"})
    assert run_cli(vault, "add", "Bo", "--introduced-by", "Ana Lima").exit_code == 0
    assert 'introduced_by: "[[ana|Ana Lima]]"\n' in (vault / "People/Bo.md").read_text()
    assert run_cli(vault, "check").stdout == "No problems found.\n"
    shown = run_cli(vault, "show", "Bo")
    assert "Ana Lima" in shown.stdout
