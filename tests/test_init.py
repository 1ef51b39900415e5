"""`vaultnet init`: the survey of a vault as it is, and the config it writes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from helpers import make_vault, run_cli

from vaultnet.vault.config import load_config

CONFIG = ".vaultnet/config.toml"


def init(vault: Path, *args: str) -> dict[str, Any]:
    result = run_cli(vault, "init", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def listed(vault: Path) -> list[str]:
    result = run_cli(vault, "list", "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    return sorted(c["path"] for c in json.loads(result.stdout))


def people(data: dict[str, Any]) -> list[str]:
    return sorted(p["path"] for p in data["people"])


def written_config(vault: Path) -> dict[str, Any]:
    """The config init wrote: plain TOML that vaultnet loads."""
    load_config(vault)  # raises on anything it does not accept
    return tomllib.loads((vault / CONFIG).read_text(encoding="utf-8"))


def person(extra: str = "", body: str = "") -> str:
    return f"---\n{extra}---\n{body}"


def test_json_keys_are_stable(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann.md": person("email: ann@example.com\n")})
    data = init(vault, "--dry-run")
    assert list(data) == [
        "notes", "people", "folders", "markers", "fields", "date_forms", "templates", "daily",
        "problems", "suggestions", "config_path", "config", "existing", "changes", "written",
        "base",
    ]  # fmt: skip
    assert data["people"] == [{"path": "People/Ann.md", "name": "Ann", "reason": "folder People/"}]
    assert data["folders"] == [{"folder": "People", "people": 1}]
    assert data["fields"] == [{"field": "emails", "key": "email", "notes": 1}]
    assert data["templates"] == {"folders": [], "notes": []}
    assert data["config_path"] == CONFIG
    assert (data["existing"], data["changes"], data["written"]) == (False, [], False)
    assert data["base"] is None  # without --base


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"people/Ann.md": person("name: Ann\n")})
    result = run_cli(vault, "init", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Found 1 person in people/" in result.stdout
    assert 'contacts_folders = ["people"]' in result.stdout
    assert "Nothing written: --dry-run" in result.stderr
    assert not (vault / ".vaultnet").exists()


def test_lower_case_folder_and_birthday_spelling(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "people/Ann Lee.md": person("Birthday: 1990-05-01\nCompany: Acme\n"),
            "people/Bob Marsh.md": person("Birthday: 1 May 1985\n"),
            "people/Cat Ng.md": person("bday: 0000-07-23\n"),
            "people/2008-01-28.md": "Lunch with [[Ann Lee]].\n",  # an interaction, not a person
            "Projects/Plan.md": "Nobody here.\n",
        },
    )
    result = run_cli(vault, "init")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Found 3 people in people/; birthdays in `Birthday` (2 notes) and `bday` (1 note)."
    )
    assert "Wrote .vaultnet/config.toml" in result.stderr
    assert written_config(vault) == {"contacts_folders": ["people"]}
    assert (vault / ".vaultnet/.gitignore").read_text() == (
        "# vaultnet's index is a disposable cache\ncache/\n"
    )
    data = init(vault, "--dry-run")
    assert people(data) == listed(vault) == [
        "people/Ann Lee.md", "people/Bob Marsh.md", "people/Cat Ng.md",
    ]  # fmt: skip
    assert {"field": "birthday", "key": "Birthday", "notes": 2} in data["fields"]
    assert {"field": "company", "key": "Company", "notes": 1} in data["fields"]
    forms = {(f["field"], f["form"], f["notes"], f["readable"]) for f in data["date_forms"]}
    assert forms == {
        ("birthday", "YYYY-MM-DD", 1, True),
        ("birthday", "D Month YYYY", 1, True),
        ("birthday", "0000-MM-DD (year unknown)", 1, True),
    }


def test_emoji_and_nested_people_folders(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "👤 People/Ann.md": person("email: a@example.com\n"),
            "10 Example Data/people/Bob.md": person("email: b@example.com\n"),
            "10 Example Data/people/work/Cat.md": person(),
            "10 Example Data/people/people.md": "# People\n",  # an index note
        },
    )
    data = init(vault)
    assert data["folders"] == [
        {"folder": "10 Example Data/people", "people": 2},
        {"folder": "👤 People", "people": 1},
    ]
    assert written_config(vault)["contacts_folders"] == ["10 Example Data/people", "👤 People"]
    assert people(data) == listed(vault) == [
        "10 Example Data/people/Bob.md", "10 Example Data/people/work/Cat.md", "👤 People/Ann.md",
    ]  # fmt: skip


def test_markers_outside_folders(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "Ann.md": person('categories: ["[[People]]"]\n'),
            "Notes/Bob.md": "Met at the conference. #Contact\n",
            "Notes/Cat.md": person("type: [person]\n"),
            "Notes/Dan.md": person("tags: [people/colleague]\n"),
            "Notes/Idea.md": person("type: idea\n", "Not a #contactless note.\n"),
        },
    )
    result = run_cli(vault, "init")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("Found 4 people: 1 by `")
    data = init(vault, "--dry-run")
    assert {m["marker"]: m["people"] for m in data["markers"]} == {
        "categories: [[People]]": 1,
        "body tag #Contact": 1,
        "type: person": 1,
        "tag #people/colleague": 1,
    }
    assert data["folders"] == []
    # Nothing for the config to say about folders: only comments and examples.
    assert written_config(vault) == {}
    assert people(data) == listed(vault) == [
        "Ann.md", "Notes/Bob.md", "Notes/Cat.md", "Notes/Dan.md",
    ]  # fmt: skip


def test_field_spellings_inline_fields_and_unknown_date_keys(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "Contacts/Ann.md": person("BDAY: 19900501\nGeburtstag: 1990-05-01\n"),
            "Contacts/Bob.md": person("prm-birthday: May 1, 1985\nGeburtstag: 1985-05-01\n"),
            "Contacts/Cat.md": person("created: 2024-01-01\n", "birthday:: 1991-02-03\n"),
            "Contacts/Dan.md": person("birthday: 31/02/1990\n"),
        },
    )
    data = init(vault)
    keys = {(f["key"], f["notes"]) for f in data["fields"] if f["field"] == "birthday"}
    assert keys == {("BDAY", 1), ("prm-birthday", 1), ("birthday::", 1), ("birthday", 1)}
    forms = {(f["form"], f["readable"]) for f in data["date_forms"]}
    assert forms == {
        ("YYYYMMDD", True), ("Month D, YYYY", True), ("YYYY-MM-DD", True),
        ("DD/MM/YYYY or MM/DD/YYYY", False),
    }  # fmt: skip
    # A key vaultnet does not know, holding dates: suggested, never guessed (`created`
    # is the note's own date, not a person's).
    assert [(s["kind"], s["name"], s["notes"]) for s in data["suggestions"]] == [
        ("field", "Geburtstag", 2)
    ]
    text = (vault / CONFIG).read_text(encoding="utf-8")
    assert '# [fields]\n# birthday = ["Geburtstag"]' in text
    assert "fields" not in written_config(vault)
    assert [p["path"] for p in data["problems"]] == ["Contacts/Dan.md"]
    # The suggestion, taken, is a config vaultnet reads.
    (vault / CONFIG).write_text(text.replace("# [fields]\n# birthday", "[fields]\nbirthday"))
    assert load_config(vault)["fields"] == {"birthday": ["Geburtstag"]}


def test_daily_notes_settings(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "Journal", "format": "YYYY/DD-MM-YYYY"}',
            "Journal/2026/23-11-2026.md": "Coffee with [[Ann]].\n",
            "Journal/2026/24-11-2026.md": "Nothing.\n",
            "Journal/2026/Ideas.md": "Not a day.\n",
            "People/Ann.md": person(),
        },
    )
    result = run_cli(vault, "init")
    assert "daily notes `Journal/YYYY/DD-MM-YYYY`" in result.stdout.splitlines()[0]
    data = init(vault, "--dry-run")
    assert data["daily"] == [
        {
            "folder": "Journal",
            "format": "YYYY/DD-MM-YYYY",
            "source": "daily-notes",
            "notes": 3,
            "matching": 2,
        }
    ]
    config = written_config(vault)
    assert (config["daily_folder"], config["daily_format"]) == ("Journal", "YYYY/DD-MM-YYYY")
    assert people(data) == listed(vault) == ["People/Ann.md"]
    shown = run_cli(vault, "show", "Ann")
    assert "2026-11-23" in shown.stdout


def test_periodic_notes_and_daily_notes_both_set(tmp_path: Path) -> None:
    periodic = '{"daily": {"enabled": true, "folder": "Days", "format": "DD.MM.YYYY"}}'
    vault = make_vault(
        tmp_path,
        {
            ".obsidian/daily-notes.json": '{"folder": "Journal"}',
            ".obsidian/plugins/periodic-notes/data.json": periodic,
            "Days/23.11.2026.md": "Call with [[Ann]].\n",
            "People/Ann.md": person(),
        },
    )
    data = init(vault, "--dry-run")
    assert [(d["folder"], d["format"], d["source"], d["matching"]) for d in data["daily"]] == [
        ("Journal", "YYYY-MM-DD", "daily-notes", 0),
        ("Days", "DD.MM.YYYY", "periodic-notes", 1),
    ]
    # Two settings: the config cannot hold both, so it leaves them to Obsidian's files.
    config = tomllib.loads(data["config"])
    assert "daily_format" not in config
    assert '# "Days/DD.MM.YYYY" (periodic-notes)' in data["config"]


def test_daily_notes_found_by_their_names(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "Diary/23-11-2026.md": "Lunch with [[Ann]].\n",
            "Diary/24-11-2026.md": "\n",
            "Diary/13-12-2026.md": "\n",
            "People/Ann.md": person(),
        },
    )
    data = init(vault)
    assert data["daily"] == [
        {"folder": "Diary", "format": "DD-MM-YYYY", "source": "names", "notes": 3, "matching": 3}
    ]
    config = written_config(vault)
    assert (config["daily_folder"], config["daily_format"]) == ("Diary", "DD-MM-YYYY")
    assert "2026-11-23" in run_cli(vault, "show", "Ann").stdout


def test_templates_folders_are_ignored(tmp_path: Path) -> None:
    templater = '{"templates_folder": "_templates"}'
    vault = make_vault(
        tmp_path,
        {
            ".obsidian/plugins/templater-obsidian/data.json": templater,
            "_templates/Person.md": person("tags: [person]\nbirthday:\n"),
            "Templates/Contact.md": person("tags: [person]\n"),
            "Notes/Meeting template.md": person("date: {{date}}\ntags: [person]\n"),
            "People/Ann.md": person(),
        },
    )
    data = init(vault, "--dry-run")
    assert data["templates"] == {
        "folders": [
            {"folder": "_templates", "source": "obsidian", "notes": 1},
            {"folder": "Templates", "source": "name", "notes": 1},
        ],
        "notes": ["Notes/Meeting template.md"],
    }
    result = run_cli(vault, "init")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Found 1 person in People/; no birthdays; templates in `_templates/` and `Templates/`"
        " (ignored)."
    )
    # Obsidian's own templates folder is skipped anyway; one found by its name is not.
    # Ignored from now on, it is no longer in the survey.
    assert written_config(vault)["ignore"] == ["Templates/**"]
    assert people(data) == listed(vault) == ["People/Ann.md"]


def test_existing_config_is_never_overwritten_without_force(tmp_path: Path) -> None:
    old = 'contacts_folders = ["Friends"]\nlog_heading = "Journal"\n'
    vault = make_vault(tmp_path, {CONFIG: old, "people/Ann.md": person()})
    result = run_cli(vault, "init")
    assert result.exit_code == 0, result.output
    assert "exists; this would change in it:" in result.stdout
    assert 'contacts_folders: ["Friends"] -> ["people"]' in result.stdout
    assert "run `vaultnet init --force`" in result.stderr
    assert (vault / CONFIG).read_text() == old
    data = init(vault)
    assert (data["existing"], data["written"]) == (True, False)
    assert data["changes"] == ['contacts_folders: ["Friends"] -> ["people"]']
    assert (vault / CONFIG).read_text() == old

    data = init(vault, "--force")
    assert data["written"] is True
    # What init does not decide stays as the user set it.
    assert written_config(vault) == {"contacts_folders": ["people"], "log_heading": "Journal"}
    assert people(data) == listed(vault) == ["people/Ann.md"]
    assert init(vault)["changes"] == []


def test_existing_config_that_does_not_load(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {CONFIG: "colour = 3\n", "People/Ann.md": person()})
    data = init(vault)
    assert data["written"] is False
    assert data["changes"][0].startswith("the existing config does not load (unknown key")
    assert init(vault, "--force")["written"] is True
    assert written_config(vault) == {"contacts_folders": ["People"]}


def test_a_vault_with_nobody_says_so_and_what_to_do(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "Friends/Ann.md": person("email: ann@example.com\nbirthday: 1990-05-01\n"),
            "Friends/Bob.md": person("phone: '0301234567'\ncompany: Acme\n"),
            "Projects/Plan.md": person("title: The plan\n"),
        },
    )
    result = run_cli(vault, "init")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Found nobody among 3 notes:")
    assert "Next: move people's notes into a People/ folder" in result.stdout
    assert "nobody found" in result.stderr
    assert not (vault / CONFIG).exists()
    data = init(vault)
    assert [(s["kind"], s["name"], s["notes"]) for s in data["suggestions"]] == [
        ("folder", "Friends", 2)
    ]
    assert 'add "Friends" to contacts_folders' in data["suggestions"][0]["text"]


def test_an_empty_vault(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {})
    result = run_cli(vault, "init")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Found no notes (.md files) at all")
    assert not (vault / ".vaultnet").exists()


def test_broken_notes_are_reported(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ann.md": person(),
            "People/Bob.md": "---\nname: [unclosed\n---\n",
            "People/Cat.md": b"---\nname: \xff\n---\n",
        },
    )
    data = init(vault, "--dry-run")
    assert sorted(p["path"] for p in data["problems"]) == ["People/Bob.md", "People/Cat.md"]
    result = run_cli(vault, "init", "--dry-run")
    assert "Problems (2; `vaultnet check` lists them all):" in result.stdout


# -- People.base ---------------------------------------------------------------------------
BASE = "People.base"


def base_yaml(vault: Path) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load((vault / BASE).read_text(encoding="utf-8"))
    return data


def test_base_shows_the_people_as_this_vault_marks_them(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "Contacts/Cy Ng.md": person("email: cy@example.com\n"),
            "Notes/Ann Lee.md": person(
                'Categories:\n  - "[[People]]"\nBirthday: 1990-05-01\nCompany: Acme\n'
            ),
            "Notes/Bo Marsh.md": person("type: Person\nrelationship: friend\n"),
            "Notes/Dee Park.md": person("tags: [contact/work]\n"),
            "Notes/Eve Stone.md": "Met at the fair. #Person\n",
            "Templates/Person.md": person('type: person\nname: "{{title}}"\n'),
        },
    )
    result = run_cli(vault, "init", "--base")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["Wrote .vaultnet/config.toml", f"Wrote {BASE}"]
    text = (vault / BASE).read_text(encoding="utf-8")
    assert text.startswith("# Written by `vaultnet init --base`.\n")
    assert f"{BASE}:\n{text}" in result.stdout  # the report shows what it wrote
    data = base_yaml(vault)
    notes, markers = data["filters"]["and"][0], data["filters"]["and"][1]["or"]
    assert notes == 'file.ext == "md"'
    assert sorted(markers) == sorted(
        [
            'file.inFolder("Contacts")',
            'file.hasTag("contact")',
            'file.hasTag("Person")',
            'list(note["Categories"]).contains(link("People"))',
            'list(note["type"]).contains("Person")',
        ]
    )
    assert data["filters"]["and"][2] == {"not": ['file.inFolder("Templates")']}
    view = data["views"][0]
    assert (view["type"], view["name"]) == ("table", "People")
    # The columns use the vault's own spellings of each field.
    assert view["order"] == [
        "file.name", "relationship", "Company", "last_contact", "cadence", "Birthday",
    ]  # fmt: skip
    assert view["sort"] == [{"property": "file.name", "direction": "ASC"}]
    assert data["properties"]["relationship"] == {"displayName": "Kind"}
    assert data["properties"]["file.name"] == {"displayName": "Name"}


def test_base_is_written_beside_an_existing_config(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann.md": person("kind: peer\n")})
    assert run_cli(vault, "init").exit_code == 0
    config = (vault / CONFIG).read_bytes()
    result = run_cli(vault, "init", "--base", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["written"] is False and data["base"]["written"] is True
    assert list(data["base"]) == ["path", "written", "reason", "text"]
    assert data["base"]["text"] == (vault / BASE).read_text(encoding="utf-8")
    assert base_yaml(vault)["filters"]["and"][1] == {"or": ['file.inFolder("People")']}
    assert (vault / CONFIG).read_bytes() == config
    again = run_cli(vault, "init", "--base")
    assert again.stderr.splitlines()[-1] == f"Unchanged: {BASE}"


def test_base_never_replaces_a_users_file(tmp_path: Path) -> None:
    mine = "views:\n  - type: cards\n    name: My people\n"
    vault = make_vault(tmp_path, {"People/Ann.md": person("kind: peer\n"), BASE: mine})
    data = init(vault, "--base")
    assert data["base"]["written"] is False
    assert "not vaultnet's" in data["base"]["reason"]
    assert (vault / BASE).read_text(encoding="utf-8") == mine
    result = run_cli(vault, "init", "--base", "--force")
    assert f"{BASE} not written: it exists and is not vaultnet's" in result.stderr
    assert (vault / BASE).read_text(encoding="utf-8") == mine


def test_base_of_vaultnet_is_brought_up_to_date(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann.md": person("kind: peer\n")})
    init(vault, "--base")
    (vault / "Friends").mkdir()
    (vault / "Friends/Bo.md").write_text(person("tags: [person]\n"), encoding="utf-8")
    data = init(vault, "--base")
    assert data["base"]["written"] is True
    assert 'file.hasTag("person")' in base_yaml(vault)["filters"]["and"][1]["or"]
    # With its first line gone, the file is the user's: kept as it is.
    text = (vault / BASE).read_text(encoding="utf-8").split("\n", 1)[1]
    (vault / BASE).write_text(text, encoding="utf-8")
    (vault / "Friends/Cy.md").write_text(person("type: contact\n"), encoding="utf-8")
    assert init(vault, "--base")["base"]["written"] is False
    assert (vault / BASE).read_text(encoding="utf-8") == text


def test_base_dry_run_and_nobody_write_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann.md": person("kind: peer\n")})
    data = init(vault, "--base", "--dry-run")
    assert (data["base"]["written"], data["base"]["reason"]) == (False, "--dry-run")
    assert "file.inFolder" in data["base"]["text"]
    assert not (vault / BASE).exists()
    empty = make_vault(tmp_path / "other", {"Notes/Plan.md": "Nobody here.\n"})
    data = init(empty, "--base")
    assert data["base"]["written"] is False
    assert data["base"]["reason"].startswith("nobody found")
    assert not (empty / BASE).exists()
