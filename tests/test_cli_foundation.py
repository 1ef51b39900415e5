"""The foundation commands (index, list, show, check) through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import make_vault, run_cli

from vaultnet.cli import load_commands, main
from vaultnet.store.index import cache_path

load_commands()  # commands load lazily; these tests look at all of them

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example-vault"

JSON_KEYS = {
    "name",
    "path",
    "kind",
    "company",
    "title",
    "emails",
    "phone",
    "linkedin",
    "location",
    "tags",
    "aliases",
    "birthday",
    "work_anniversary",
    "dates",
    "last_contact",
    "cadence_days",
    "snooze_until",
    "introduced_by",
    "archived",
    "deceased",
    "private",
}

ANA = """---
name: Ana Souza
aliases: [Annie]
kind: mentor
company: Acme
title: CTO
email: [ana@example.com]
tags: [mentor-circle]
birthday: --03-15
cadence: monthly
last_contact: 2026-09-01
favourite_tea: genmaicha
---
# Ana
## Log
- 2026-10-01 Coffee: talked about the offsite
- 2026-12-01 Planned dinner (future, must not count)
- [ ] Send her the deck 📅 2026-12-01
- [x] Old task
"""

FILES: dict[str, str | bytes] = {
    "People/Ana Souza.md": ANA,
    "People/Bo.md": "---\nkind: peer\ncadence: 2w\narchived: true\n---\n",
    "People/Zoë Martín.md": "---\naliases: [ZM]\nkind: colleague\nbirthday: 1990-11-29\n---\n",
    "People/Søren Ødegaard.md": "---\nkind: peer\n---\n",
    "Network/Cy.md": "---\ntags: [person, investor]\nkind: friend\n---\n",
    "Network/Not a person.md": "---\ntags: [investor]\n---\n",
    "Daily/2026-11-10.md": "Lunch with [[Annie]].\n- [ ] Intro [[Cy]] to [[ZM]]\n",
    "Daily/2026-11-20.md": "Call with [Zoë](../People/Zo%C3%AB%20Mart%C3%ADn.md).\n",
    "Daily/2026-12-24.md": "Christmas with [[Søren Ødegaard]].\n",
    "Meetings/Sync.md": "---\ndate: 2026-11-12\n---\nWith [[People/Ana Souza#Log|Ana]].\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(tmp_path, FILES)


def listing(vault: Path, *args: str, today: str = "2026-11-25") -> list[dict[str, object]]:
    result = run_cli(vault, "list", "--format", "json", *args, today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_name(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["name"]): r for r in rows}


# -- list ------------------------------------------------------------------------------


def test_list_json_shape_is_pinned(vault: Path) -> None:
    rows = listing(vault)
    assert [r["name"] for r in rows] == ["Ana Souza", "Cy", "Søren Ødegaard", "Zoë Martín"]
    for row in rows:
        assert set(row) >= JSON_KEYS
    ana = by_name(rows)["Ana Souza"]
    assert ana == ana | {
        "path": "People/Ana Souza.md",
        "kind": "mentor",
        "company": "Acme",
        "title": "CTO",
        "emails": ["ana@example.com"],
        "tags": ["mentor-circle"],
        "aliases": ["Annie"],
        "birthday": "--03-15",
        "last_contact": "2026-11-12",
        "cadence_days": 30,
        "archived": False,
        "private": False,
    }
    assert by_name(rows)["Zoë Martín"]["birthday"] == "1990-11-29"


def test_last_contact_sources(vault: Path) -> None:
    rows = by_name(listing(vault))
    # A Markdown link to the file on a dated note is a mention.
    assert rows["Zoë Martín"]["last_contact"] == "2026-11-20"
    # Mentions after today do not count yet; on the day they do.
    assert rows["Søren Ødegaard"]["last_contact"] is None
    later = by_name(listing(vault, today="2026-12-24"))
    assert later["Søren Ødegaard"]["last_contact"] == "2026-12-24"
    # Log entries after today are ignored too; the last_contact field counts.
    early = by_name(listing(vault, today="2026-09-15"))
    assert early["Ana Souza"]["last_contact"] == "2026-09-01"
    on_log = by_name(listing(vault, today="2026-10-02"))
    assert on_log["Ana Souza"]["last_contact"] == "2026-10-01"


def test_alias_mention(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {"People/Ana Souza.md": ANA, "Daily/2026-11-24.md": "Chat with [[Annie|her]].\n"},
    )
    assert listing(vault)[0]["last_contact"] == "2026-11-24"


def test_archived_only_with_all(vault: Path) -> None:
    assert "Bo" not in by_name(listing(vault))
    rows = by_name(listing(vault, "--all"))
    assert rows["Bo"]["archived"] is True


def test_tagged_contacts_outside_people(vault: Path) -> None:
    rows = by_name(listing(vault))
    assert rows["Cy"]["path"] == "Network/Cy.md"
    assert "Not a person" not in rows


def test_filters(vault: Path) -> None:
    assert [r["name"] for r in listing(vault, "--kind", "PEER")] == ["Søren Ødegaard"]
    assert [r["name"] for r in listing(vault, "--tag", "#investor")] == ["Cy"]
    assert listing(vault, "--kind", "nobody") == []


def test_list_table(vault: Path) -> None:
    result = run_cli(vault, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["Name", "Kind", "Work", "Last", "contact", "Cadence"]
    assert any(line.startswith("Ana Souza") and "every month" in line for line in lines)


def test_list_on_an_empty_vault(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {})
    result = run_cli(vault, "list")
    assert (result.exit_code, result.stdout) == (0, "No contacts found.\n")
    assert listing(vault) == []


def test_kind_default_cadence_from_config(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": '[cadences]\npeer = "6 weeks"\n',
            "People/A.md": "---\nkind: peer\n---\n",
            "People/B.md": "---\nkind: peer\ncadence: none\n---\n",
        },
    )
    rows = by_name(listing(vault))
    assert (rows["A"]["cadence_days"], rows["B"]["cadence_days"]) == (42, None)


# -- show ------------------------------------------------------------------------------


def test_show_card(vault: Path) -> None:
    result = run_cli(vault, "show", "annie")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Ana Souza\n=========\nfile: People/Ana Souza.md\n")
    assert "work: CTO, Acme" in out
    assert "favourite_tea: genmaicha" in out  # unknown keys are shown
    assert "birthday: --03-15" in out
    assert "Last contact: 2026-11-12 (13 days ago; mentioned in Meetings/Sync.md)" in out
    assert "2026-10-01  Coffee: talked about the offsite" in out
    assert "2026-11-10  mentioned in Daily/2026-11-10.md" in out
    assert "Planned dinner" not in out
    assert "[ ] Send her the deck (due 2026-12-01, in 6 days)" in out
    assert "Old task" not in out


def test_open_tasks_in_other_notes_belong_to_the_contacts_they_link(vault: Path) -> None:
    for name in ("Cy", "ZM"):
        out = run_cli(vault, "show", name).output
        assert "[ ] Intro [[Cy]] to [[ZM]]" in out
        assert "Daily/2026-11-10.md:2" in out
    assert "Intro [[Cy]]" not in run_cli(vault, "show", "Ana Souza").output


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Ana Souza", "Ana Souza"),
        ("ana souza", "Ana Souza"),
        ("Annie", "Ana Souza"),
        ("Zoe Martin", "Zoë Martín"),
        ("zoë", "Zoë Martín"),
        ("Soren Odegaard", "Søren Ødegaard"),
        ("SØREN ØDEGAARD", "Søren Ødegaard"),
    ],
)
def test_show_resolves_names(vault: Path, query: str, name: str) -> None:
    result = run_cli(vault, "show", query)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == name


def test_show_ambiguous_lists_candidates(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path, {"People/Sam Rivera.md": "", "People/Sam Lee.md": "", "People/Ana.md": ""}
    )
    result = run_cli(vault, "show", "sam")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    err = result.stderr
    assert err.count("\n") == 1
    assert "ambiguous" in err
    assert "Sam Lee (People/Sam Lee.md)" in err and "Sam Rivera (People/Sam Rivera.md)" in err


def test_show_by_path_when_a_name_is_taken_by_an_alias(nasty: Path) -> None:
    assert run_cli(nasty, "show", "Good").exit_code == 2
    for query in ("People/Good.md", "People/Good"):
        result = run_cli(nasty, "show", query)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Good\n")


def test_show_unknown_suggests(vault: Path) -> None:
    result = run_cli(vault, "show", "Ana Suza")
    assert result.exit_code == 2
    assert result.stderr == (
        "vaultnet: error: no contact named 'Ana Suza'. Did you mean 'Ana Souza'?\n"
    )
    assert "Traceback" not in result.output


def test_show_unknown_without_suggestion(vault: Path) -> None:
    result = run_cli(vault, "show", "xyzzy")
    assert result.exit_code == 2
    assert result.stderr == "vaultnet: error: no contact named 'xyzzy'.\n"


# -- check -----------------------------------------------------------------------------


NASTY: dict[str, str | bytes] = {
    "People/Good.md": "---\nname: Good\ncompany: Fine Co\n---\n",
    "People/Broken.md": "---\nname: Broken\ncompany: Acme: Inc\n---\n",
    "People/Bom.md": b"\xef\xbb\xbf---\r\nname: Bom Crlf\r\n---\r\n- 2026-10-01 Hi\r\n",
    "People/Utf16.md": b"\xff\xfe" + "---\nname: Sixteen\n---\n".encode("utf-16-le"),
    "People/Latin.md": "---\nname: Zoë\n---\n".encode("latin-1"),
    "People/Empty.md": "",
    "People/Unclosed.md": "---\nname: Unclosed\n",
    "People/List.md": "---\n- a\n- b\n---\n",
    "People/Bomb.md": "---\n"
    + 'l0: &l0 ["x", "x"]\n'
    + "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]\n" for i in range(1, 21))
    + "---\n",
    "People/BadDate.md": "---\nname: Bad Date\nbirthday: 2026-02-30\ncompany: Still Here\n---\n",
    "People/BadCadence.md": "---\ncadence: sometimes\n---\n",
    "People/NoNewline.md": "---\nname: No Newline\n---\n- 2026-10-02 Last line",
    "People/Intro.md": "---\nintroduced_by: [[Good]]\n---\n",
    "People/Dangling.md": "---\nintroduced_by: '[[Nobody Here]]'\n---\n",
    "People/Dup1.md": "---\nname: Twin\n---\n",
    "People/Dup2.md": "---\nname: Twin\n---\n",
    "People/Alias.md": "---\naliases: [Good]\n---\n",
}


@pytest.fixture
def nasty(tmp_path: Path) -> Path:
    return make_vault(tmp_path, NASTY)


def test_good_notes_survive_bad_neighbours(nasty: Path) -> None:
    rows = by_name(listing(nasty))
    assert {
        "Good",
        "Bom Crlf",
        "Sixteen",
        "Empty",
        "Bad Date",
        "BadCadence",
        "No Newline",
        "Intro",
        "Twin",
    } <= set(rows)
    for skipped in ("Broken", "Latin", "Unclosed", "List", "Bomb"):
        assert skipped not in rows
    assert rows["Bad Date"]["company"] == "Still Here"
    assert rows["Bad Date"]["birthday"] is None
    assert rows["Bom Crlf"]["last_contact"] == "2026-10-01"
    assert rows["No Newline"]["last_contact"] == "2026-10-02"


def test_check_reports_every_problem(nasty: Path) -> None:
    result = run_cli(nasty, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for line in lines:
        path, lineno, message = line.split(":", 2)
        assert path.startswith("People/") and lineno.isdigit() and message.startswith(" ")
    text = result.output
    assert "People/Broken.md:3: broken YAML front matter" in text
    assert "People/Latin.md:1: not UTF-8 text" in text
    assert "People/Unclosed.md:1: front matter is not closed" in text
    assert "People/List.md:2: front matter is a list" in text
    assert "People/Bomb.md:2: front matter is too large" in text
    assert "People/BadDate.md:3: birthday: '2026-02-30' is not a valid date" in text
    assert "People/BadCadence.md:2: cadence: 'sometimes' is not a cadence" in text
    assert "People/Dangling.md:1: introduced_by: no contact named 'Nobody Here'" in text
    assert "People/Dup1.md:1: name 'twin' is also used by People/Dup2.md" in text
    assert "People/Alias.md:1: alias 'good' is also used by People/Good.md" in text
    assert "People/Good.md:1: name 'good' is also used by People/Alias.md" in text
    for clean in ("Bom.md:", "Utf16.md:", "Empty.md:", "Intro.md:", "NoNewline"):
        assert f"People/{clean}" not in text


def test_check_json(nasty: Path) -> None:
    result = run_cli(nasty, "check", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert all(set(p) == {"path", "line", "message"} for p in problems)
    assert {"path": "People/Broken.md", "line": 3} in [
        {"path": p["path"], "line": p["line"]} for p in problems
    ]


def test_check_clean_vault(vault: Path) -> None:
    # Since issue #18 item 3, Ana's log entry dated after today is a problem: without it
    # the vault is clean.
    result = run_cli(vault, "check", "--format", "json")
    assert result.exit_code == 1
    assert [(p["path"], p["message"][:33]) for p in json.loads(result.output)] == [
        ("People/Ana Souza.md", "a log entry is dated 2026-12-01, ")
    ]
    ana = vault / "People/Ana Souza.md"
    ana.write_text(
        ana.read_text().replace("- 2026-12-01 Planned dinner (future, must not count)\n", "")
    )
    result = run_cli(vault, "check")
    assert (result.exit_code, result.output) == (0, "No problems found.\n")
    result = run_cli(vault, "check", "--format", "json")
    assert (result.exit_code, json.loads(result.output)) == (0, [])


def test_fixing_a_note_clears_its_problem(nasty: Path) -> None:
    assert "Broken.md" in run_cli(nasty, "check").output
    (nasty / "People" / "Broken.md").write_text("---\nname: Broken\n---\n")
    assert "Broken.md" not in run_cli(nasty, "check").output
    assert "Broken" in by_name(listing(nasty))


# -- index -----------------------------------------------------------------------------


def test_index_counts(vault: Path) -> None:
    result = run_cli(vault, "index")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("5 contacts, 10 notes, 0 problems (10 parsed, 0 removed) in ")
    assert first.endswith("s")
    again = run_cli(vault, "index").stdout
    assert "(0 parsed, 0 removed)" in again
    rebuilt = run_cli(vault, "index", "--rebuild").stdout
    assert "(10 parsed, 0 removed)" in rebuilt


def test_index_hints_at_check(nasty: Path) -> None:
    result = run_cli(nasty, "index")
    assert result.exit_code == 0
    assert "vaultnet check" in result.stderr


def test_deleted_cache_rebuilt_silently(vault: Path) -> None:
    before = listing(vault)
    shutil.rmtree(vault / ".vaultnet" / "cache")
    result = run_cli(vault, "list", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.output) == before


def test_corrupt_cache_rebuilt(vault: Path) -> None:
    before = listing(vault)
    path = cache_path(vault)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(os.urandom(8192))
    result = run_cli(vault, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == before


def test_config_change_is_reflected(vault: Path) -> None:
    assert "Cy" in by_name(listing(vault))
    (vault / ".vaultnet" / "config.toml").write_text(
        'contacts_folders = ["Network"]\nperson_tags = []\n'
    )
    assert [r["name"] for r in listing(vault)] == ["Cy", "Not a person"]


# -- global options and errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ('contacts_folder = ["X"]', "'contacts_folder'"),
        ('person_tags = "x"\nlog_heading = 3', "'log_heading'"),
        ("[cadences]\nmentor = 0", "'cadences'"),
        ("ignore = [1]", "'ignore'"),
    ],
)
def test_config_errors_exit_2_on_one_line(tmp_path: Path, config: str, key: str) -> None:
    vault = make_vault(tmp_path, {".vaultnet/config.toml": config, "People/A.md": ""})
    for args in (["list"], ["check"], ["index"], ["show", "A"]):
        result = run_cli(vault, *args)
        assert result.exit_code == 2, (args, result.output)
        assert key in result.stderr
        assert result.stderr.count("\n") == 1
        assert "config.toml" in result.stderr
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        )


def test_bad_today_is_a_usage_error(vault: Path) -> None:
    result = run_cli(vault, "list", today="2026-02-30")
    assert result.exit_code == 2
    assert "--today" in result.stderr


def test_today_from_env(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTNET_TODAY", "2026-12-24")
    result = CliRunner().invoke(main, ["--vault", str(vault), "list", "--format", "json"])
    assert by_name(json.loads(result.output))["Søren Ødegaard"]["last_contact"] == "2026-12-24"


def test_missing_vault_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "nope", "list")
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr


def names_in(vault_arg: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(
        main, [*vault_arg, "--today", "2026-11-25", "list", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return [r["name"] for r in json.loads(result.output)]


def test_vault_discovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    obsidian = make_vault(tmp_path / "a", {".obsidian/app.json": "{}", "People/Obs.md": ""})
    marked = make_vault(tmp_path / "b", {".vaultnet/config.toml": "", "People/Vn.md": ""})
    plain = make_vault(tmp_path / "c", {"People/Plain.md": ""})
    deep = obsidian / "People" / "Sub" / "Deeper"
    deep.mkdir(parents=True)
    # Nearest marker folder at or above the current one.
    assert names_in([], deep, monkeypatch) == ["Obs"]
    assert names_in([], marked / "People", monkeypatch) == ["Vn"]
    # No marker anywhere: not silently a vault (issue #18 item 8); the error says what to do.
    monkeypatch.chdir(plain)
    refused = CliRunner().invoke(main, ["--today", "2026-11-25", "list"])
    assert refused.exit_code == 2
    assert "no vault here" in refused.stderr
    assert "--vault" in refused.stderr and "$VAULTNET_VAULT" in refused.stderr
    assert "vaultnet init" in refused.stderr
    assert not (plain / ".vaultnet").exists()
    # $VAULTNET_VAULT beats discovery; --vault beats both.
    monkeypatch.setenv("VAULTNET_VAULT", str(marked))
    assert names_in([], deep, monkeypatch) == ["Vn"]
    assert names_in(["--vault", str(plain)], deep, monkeypatch) == ["Plain"]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes (a symlink's target path, not its target's bytes)."""
    out: dict[str, bytes] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = os.readlink(p).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


@pytest.mark.parametrize(("files", "who"), [(FILES, "Annie"), (NASTY, "Bad Date")])
def test_nothing_in_the_vault_is_written_but_the_cache(
    tmp_path: Path, files: dict[str, str | bytes], who: str
) -> None:
    root = make_vault(tmp_path, files)
    os.symlink("People/Good.md", root / "link.md")
    before = snapshot(root)
    mtimes = {p: (root / p).lstat().st_mtime_ns for p in before}
    for args in (
        ["index"],
        ["list"],
        ["list", "--all", "--format", "json"],
        ["check"],
        ["check", "--format", "json"],
        ["show", who],
        ["index", "--rebuild"],
    ):
        result = run_cli(root, *args)
        assert result.exit_code in (0, 1), (args, result.output)
    after = snapshot(root)
    new = {p for p in after if p not in before}
    assert all(p.startswith(".vaultnet/cache/") or p == ".vaultnet/.gitignore" for p in new)
    assert {p: after[p] for p in before} == before
    assert {p: (root / p).lstat().st_mtime_ns for p in before} == mtimes
    assert after[".vaultnet/.gitignore"].decode().splitlines()[-1] == "cache/"


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        out.append((prefix + name, command))
        if isinstance(command, click.Group):
            out.extend(all_commands(command, prefix + name + " "))
    return out


@pytest.mark.parametrize(("name", "command"), all_commands(main))
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"`vaultnet {name}` has no help text"
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


@pytest.mark.parametrize("name", ["index", "list", "show", "check"])
def test_foundation_options_have_help(name: str) -> None:
    for param in main.commands[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"`vaultnet {name}` option {param.opts} has no help"


def test_foundation_commands_exist() -> None:
    assert {"index", "list", "show", "check"} <= set(main.commands)
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "--vault" in result.output and "--today" in result.output


# -- a real process on the example vault ------------------------------------------------


def test_subprocess_on_a_copy_of_the_example_vault(tmp_path: Path) -> None:
    vault = tmp_path / "example"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".vaultnet"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vaultnet",
            "--vault",
            str(vault),
            "--today",
            "2026-11-25",
            "list",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    rows = by_name(json.loads(proc.stdout))
    assert len(rows) >= 15
    assert rows["Inês Duarte"]["path"] == "Network/Ines Duarte.md"
    zoe = rows["Zoë Martín"]
    assert (zoe["birthday"], zoe["cadence_days"], zoe["company"]) == (
        "1990-11-29",
        14,
        "Lumen Labs",
    )
    for row in rows.values():
        assert set(row) >= JSON_KEYS
        assert "\\" not in str(row["path"])
    assert (vault / ".vaultnet" / "cache" / "index.sqlite").is_file()
    check = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (check.returncode, check.stdout) == (0, "No problems found.\n")
