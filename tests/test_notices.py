"""Never quiet about what was missed: each report says on stderr, one line each, what it
left out (notes with problems, no contacts, no cadences); ``--quiet`` silences it, and
stdout (JSON above all) never carries it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from helpers import make_vault, run_cli

from vaultnet.core.config import Config, defaults, parse_config

PROBLEMS_2 = "2 notes with problems were left out (vaultnet check)"
PROBLEMS_1 = "1 note with problems was left out (vaultnet check)"
NO_CONTACTS = (
    "0 contacts: no note is under a contacts folder or marked as a person — run `vaultnet init`"
)


def no_cadence(n: int) -> str:
    has = "contact has" if n == 1 else "contacts have"
    return (
        f"{n} {has} no cadence, so only occasions and tasks can be due"
        " — set `cadence:` or [cadences] in the config"
    )


def note(name: str, **fields: str) -> str:
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{front}---\n"


HEALTHY = {
    "People/Ana Lima.md": note("Ana Lima", cadence="30", birthday="1990-11-30"),
    "People/Bo Chen.md": note("Bo Chen", kind="mentor", last_contact="2026-11-01"),
    ".vaultnet/config.toml": '[cadences]\nmentor = "6 weeks"\n[me]\nname = "Sam"\n',  # [me]: drafts are signed
}
# Two broken notes: one not read as a contact at all, one whose birthday does not parse.
BROKEN = {
    "People/Cy Broken.md": "---\nname: Cy Broken\ncadence: [30\n---\n",
    "People/Di Bad.md": note("Di Bad", cadence="30", birthday="1990-13-45"),
}
# Every report, with every output format worth telling apart.
REPORTS: list[tuple[str, ...]] = [
    ("list",),
    ("list", "--format", "json"),
    ("followups",),
    ("followups", "--format", "json"),
    ("followups", "--format", "markdown"),
    ("followups", "--write"),
    ("upcoming",),
    ("upcoming", "--format", "json"),
    ("ics",),
    ("ics", "--out", "feed.ics"),
    ("network",),
    ("network", "--format", "json"),
    ("network", "--format", "markdown", "--write"),
    ("checkin", "--due"),
]
RANKED = {"followups", "checkin"}  # the reports that tell about cadences


def run(vault: Path, *args: str, quiet: bool = False) -> Result:
    args = tuple(str(vault / a) if a == "feed.ics" else a for a in args)
    result = run_cli(vault, *(("--quiet",) if quiet else ()), *args)
    assert result.exit_code == 0, result.output
    return result


def notices(result: Result, *, json_out: bool) -> list[str]:
    """The stderr lines that are notices, after checking stdout has none of them."""
    for line in (PROBLEMS_1, PROBLEMS_2, NO_CONTACTS, "have no cadence", "has no cadence"):
        assert line not in result.stdout
    if json_out:
        json.loads(result.stdout)
    return [
        line
        for line in result.stderr.splitlines()
        if not line.startswith(("Wrote ", "Unchanged: "))
    ]


def is_json(args: tuple[str, ...]) -> bool:
    return "json" in args


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_a_healthy_vault_gives_no_notice(tmp_path: Path, args: tuple[str, ...]) -> None:
    vault = make_vault(tmp_path, HEALTHY)
    assert notices(run(vault, *args), json_out=is_json(args)) == []


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_notes_with_problems_are_counted_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    vault = make_vault(tmp_path, {**HEALTHY, **BROKEN})
    assert notices(run(vault, *args), json_out=is_json(args)) == [PROBLEMS_2]
    assert notices(run(vault, *args, quiet=True), json_out=is_json(args)) == []


def test_notes_not_problems_are_counted(tmp_path: Path) -> None:
    two_problems = "---\nname: Di Bad\nbirthday: 1990-13-45\ncadence: often\n---\n"
    vault = make_vault(tmp_path, {**HEALTHY, "People/Di Bad.md": two_problems})
    assert run_cli(vault, "check").stdout.count("Di Bad.md") == 2
    assert run(vault, "list").stderr == PROBLEMS_1 + "\n"


def test_a_broken_note_outside_contacts_folders_is_counted_too(tmp_path: Path) -> None:
    # Its links are lost as interactions: the report missed something all the same.
    vault = make_vault(tmp_path, {**HEALTHY, "Daily/2026-11-20.md": b"met \xff [[Ana Lima]]\n"})
    assert run(vault, "upcoming").stderr == PROBLEMS_1 + "\n"


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_no_contacts_at_all_says_what_to_do(tmp_path: Path, args: tuple[str, ...]) -> None:
    vault = make_vault(tmp_path, {"Notes/Ideas.md": "# Ideas\n"})
    # Never a cadence notice as well: with nobody, that says nothing more.
    assert notices(run(vault, *args), json_out=is_json(args)) == [NO_CONTACTS]
    assert run(vault, *args, quiet=True).stderr.count(NO_CONTACTS) == 0


def test_problems_come_before_no_contacts(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Cy Broken.md": BROKEN["People/Cy Broken.md"]})
    assert run(vault, "list").stderr.splitlines() == [PROBLEMS_1, NO_CONTACTS]


def test_a_filter_that_finds_nobody_is_no_notice(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, HEALTHY)
    result = run(vault, "list", "--kind", "nobody-is-this", "--format", "json")
    assert (json.loads(result.stdout), result.stderr) == ([], "")


NO_CADENCE = {
    "People/Ana Lima.md": note("Ana Lima", cadence="30"),
    "People/Bo Chen.md": note("Bo Chen", kind="mentor"),  # the kind's default
    "People/Cy.md": note("Cy"),  # none: counted
    "People/Di.md": note("Di", kind="peer"),  # a kind with no default: counted
    "People/Ed.md": note("Ed", cadence="none"),  # a choice, not a miss
    "People/Fa.md": note("Fa", kind="family"),  # `family = "none"`: a choice too
    "People/Gil.md": note("Gil", archived="true"),  # archived: never due anyway
    "People/Hu.md": note("Hu", deceased="true"),
    ".vaultnet/config.toml": '[cadences]\nmentor = "6 weeks"\nfamily = "none"\n[me]\nname = "Sam"\n',
}


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_contacts_without_cadence_in_followups_and_checkin(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    vault = make_vault(tmp_path, NO_CADENCE)
    expected = [no_cadence(2)] if args[0] in RANKED else []
    assert notices(run(vault, *args), json_out=is_json(args)) == expected
    assert notices(run(vault, *args, quiet=True), json_out=is_json(args)) == []


def test_the_cadence_notice_counts_the_contacts_the_report_ranked(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, NO_CADENCE)
    assert run(vault, "followups", "--kind", "peer").stderr == no_cadence(1) + "\n"
    assert run(vault, "followups", "--kind", "mentor").stderr == ""


def test_notices_come_after_the_output(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {**NO_CADENCE, **BROKEN})
    result = run(vault, "followups", "--write")
    assert result.stderr.splitlines() == ["Wrote Follow-ups.md", PROBLEMS_2, no_cadence(2)]
    assert result.output.endswith(f"{PROBLEMS_2}\n{no_cadence(2)}\n")
    drafts = run(vault, "checkin", "--due", "--write")
    assert drafts.stderr.splitlines()[-2:] == [PROBLEMS_2, no_cadence(2)]


def test_the_example_vault_tells_of_its_contacts_without_cadence(tmp_path: Path) -> None:
    import shutil

    example = Path(__file__).resolve().parent.parent / "example-vault"
    vault = tmp_path / "vault"
    shutil.copytree(example, vault, ignore=shutil.ignore_patterns("cache"))
    # Freya, Marco and Olu are of kind `other`, which [cadences] does not give one;
    # Noah says `cadence: none`.
    assert run(vault, "followups").stderr == no_cadence(3) + "\n"
    assert run(vault, "list").stderr == ""


def test_other_commands_give_no_notices(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {**NO_CADENCE, **BROKEN})
    for args in (("show", "Ana Lima"), ("checkin", "Ana Lima"), ("index",)):
        assert PROBLEMS_2 not in run(vault, *args).stderr


# -- show NAME for a note that could not be read as a contact --------------------------
@pytest.mark.parametrize(
    ("content", "first_problem"),
    [
        ("---\nname: Cy Broken\ncadence: [30\n---\n", "broken YAML front matter"),
        (b"---\nname: Cy \xff\n---\n", "not UTF-8 text"),
        ("---\nname: Cy Broken\n", "front matter is not closed"),
    ],
)
@pytest.mark.parametrize("command", ["show", "checkin"])
def test_a_broken_contact_note_says_why_it_is_not_a_contact(
    tmp_path: Path, content: str | bytes, first_problem: str, command: str
) -> None:
    vault = make_vault(tmp_path, {**HEALTHY, "People/Cy Broken.md": content})
    result = run_cli(vault, command, "cy broken")
    assert result.exit_code == 1
    assert result.stdout == ""
    prefix = (
        "vaultnet: error: People/Cy Broken.md: this note has problems, so it is not read as"
        f" a contact: {first_problem}"
    )
    assert result.stderr.startswith(prefix)
    assert result.stderr.endswith(" (vaultnet check)\n")
    assert result.stderr.count("\n") == 1


def test_an_unknown_name_is_still_no_contact(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {**HEALTHY, **BROKEN})
    result = run_cli(vault, "show", "Zed")
    assert result.exit_code == 2
    assert "no contact named 'Zed'" in result.stderr


def test_a_broken_note_outside_the_contacts_folders_is_no_contact(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {**HEALTHY, "Notes/Cy Broken.md": BROKEN["People/Cy Broken.md"]})
    result = run_cli(vault, "show", "Cy Broken")
    assert result.exit_code == 2
    assert "no contact named 'Cy Broken'" in result.stderr


def test_a_contact_with_a_bad_field_is_shown(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {**HEALTHY, **BROKEN})
    result = run_cli(vault, "show", "Di Bad")
    assert result.exit_code == 0
    assert "Di Bad" in result.stdout


# -- check: a configured contacts folder that does not exist ---------------------------
def test_check_names_a_configured_folder_that_does_not_exist(tmp_path: Path) -> None:
    config = '# where people are\ncontacts_folders = ["People", "Persons/"]\n'
    vault = make_vault(tmp_path, {**HEALTHY, ".vaultnet/config.toml": config})
    result = run_cli(vault, "check")
    assert result.exit_code == 1
    assert result.stdout == (
        ".vaultnet/config.toml:2: contacts_folders: 'Persons/' does not exist in the vault\n"
    )
    data = json.loads(run_cli(vault, "check", "--format", "json").stdout)
    assert data == [
        {
            "path": ".vaultnet/config.toml",
            "line": 2,
            "message": "contacts_folders: 'Persons/' does not exist in the vault",
        }
    ]


def test_check_accepts_configured_folders_that_exist(tmp_path: Path) -> None:
    config = 'contacts_folders = ["people", "Work/Clients"]\n'
    files = {**HEALTHY, ".vaultnet/config.toml": config, "Work/Clients/Ed.md": note("Ed")}
    vault = make_vault(tmp_path, files)
    result = run_cli(vault, "check")
    assert (result.exit_code, result.stdout) == (0, "No problems found.\n")


def test_a_missing_default_folder_is_no_problem(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"Notes/Ideas.md": "# Ideas\n"})
    result = run_cli(vault, "check")
    assert (result.exit_code, result.stdout) == (0, "No problems found.\n")


def test_config_knows_which_keys_its_file_sets() -> None:
    config = parse_config('contacts_folders = ["People"]\n[calendar]\nalarm = "1d"\n')
    assert config.is_set("contacts_folders")
    assert config.is_set("calendar") and config.is_set("calendar.alarm")
    assert not config.is_set("person_tags") and not config.is_set("calendar.name")
    # Spelling out a default changes nothing the index depends on.
    spelled = parse_config('contacts_folders = []\nlog_heading = "Log"\n[calendar]\nalarm = "1d"\n')
    assert spelled.is_set("contacts_folders")
    assert spelled.fingerprint() == Config(defaults()).fingerprint()
    assert parse_config("").fingerprint() == Config(defaults()).fingerprint()
    assert not parse_config("").explicit
