"""Issue #18: the everyday CLI (edit, spoken dates, careful input, terminal-aware output,
JSON everywhere, options where people put them, everyday verbs, where the vault is,
completion and help)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import make_vault, run_cli

from vaultnet.cli import main
from vaultnet.core.dates import parse_spoken_date

TODAY = "2026-11-25"  # a Wednesday


def note(name: str, **fields: str) -> str:
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{front}---\n\n## Log\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": '[me]\nname = "Sam"\n',
            "People/Ana Lima.md": note(
                "Ana Lima", kind="friend", cadence="30", email="ana@example.com"
            ),
            "People/Bo Chen.md": note("Bo Chen", kind="mentor", cadence="2w"),
            "People/Cy Diaz.md": note("Cy Diaz", kind="peer"),
        },
    )


def read(vault: Path, rel: str) -> str:
    return (vault / rel).read_text(encoding="utf-8")


# -- 1. edit ---------------------------------------------------------------------------
def fake_editor(tmp_path: Path, append: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\n"
        f"with open(sys.argv[1], 'a', encoding='utf-8') as f:\n    f.write({append!r})\n"
    )
    return f"{sys.executable} {script}"


def test_edit_opens_the_note_and_reports_its_problems(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "- 2026-11-20 Lunch\n"))
    result = run_cli(vault, "edit", "ana")
    assert result.exit_code == 0, result.output
    assert read(vault, "People/Ana Lima.md").endswith("- 2026-11-20 Lunch\n")
    shown = json.loads(run_cli(vault, "show", "ana", "--format", "json").stdout)
    assert shown["last_contact"] == "2026-11-20"  # the index is up to date
    # $VISUAL wins over $EDITOR; a note the edit broke is reported, exit 1.
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, ""))
    (vault / "People/Bo Chen.md").write_text(note("Bo Chen", birthday="1990-13-45"))
    broken = run_cli(vault, "edit", "Bo Chen")
    assert broken.exit_code == 1
    assert "People/Bo Chen.md:3: birthday:" in broken.stderr


def test_edit_without_an_editor_says_what_to_set(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    result = run_cli(vault, "edit", "ana")
    assert result.exit_code == 2
    assert "$VISUAL or $EDITOR" in result.stderr


def test_edit_obsidian_opens_the_uri_show_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path / "My Notes", {"People/Zoë Martín.md": note("Zoë Martín")})
    launched: list[str] = []
    monkeypatch.setattr(click, "launch", lambda url, **kw: launched.append(url) or 0)
    result = run_cli(vault, "edit", "zoe", "--obsidian")
    assert result.exit_code == 0, result.output
    uri = "obsidian://open?vault=vault&file=People%2FZo%C3%AB%20Mart%C3%ADn"
    assert launched == [uri]
    assert uri in run_cli(vault, "show", "zoe").stdout


# -- 2. dates as people say them --------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "past", "future"),
    [
        ("today", "2026-11-25", "2026-11-25"),
        ("yesterday", "2026-11-24", "2026-11-24"),
        ("tomorrow", "2026-11-26", "2026-11-26"),
        ("friday", "2026-11-20", "2026-11-27"),
        ("Wed", "2026-11-18", "2026-12-02"),
        ("last monday", "2026-11-23", "2026-11-23"),
        ("next monday", "2026-11-30", "2026-11-30"),
        ("3d ago", "2026-11-22", "2026-11-22"),
        ("2 weeks ago", "2026-11-11", "2026-11-11"),
        ("in 2w", "2026-12-09", "2026-12-09"),
        ("-3d", "2026-11-22", "2026-11-22"),
        ("+2w", "2026-12-09", "2026-12-09"),
        ("2026-01-31", "2026-01-31", "2026-01-31"),
    ],
)
def test_spoken_dates(said: str, past: str, future: str) -> None:
    today = date.fromisoformat(TODAY)
    assert parse_spoken_date(said, today).isoformat() == past
    assert parse_spoken_date(said, today, future=True).isoformat() == future


def test_dates_on_the_command_line(vault: Path) -> None:
    assert run_cli(vault, "log", "ana", "--date", "friday", "Lunch").exit_code == 0
    assert "- 2026-11-20 Lunch" in read(vault, "People/Ana Lima.md")
    assert run_cli(vault, "snooze", "bo", "--until", "friday").exit_code == 0
    assert "snooze_until: 2026-11-27" in read(vault, "People/Bo Chen.md")
    task = run_cli(vault, "log", "cy", "Call", "--task", "send it", "--due", "in 1w")
    assert task.exit_code == 0
    assert "- [ ] send it \U0001f4c5 2026-12-02" in read(vault, "People/Cy Diaz.md")
    listed = run_cli(vault, "list", "--format", "json", today="yesterday")
    assert listed.exit_code == 0  # --today takes the forms too


def test_one_error_style_for_a_bad_date(vault: Path) -> None:
    bad = run_cli(vault, "log", "ana", "--date", "2026-02-30", "x")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "vaultnet: error: --date: '2026-02-30' is not a valid date (expected YYYY-MM-DD,"
        " today, yesterday, tomorrow, a weekday, 3d ago, in 2w, -3d or +2w)\n"
    )
    word = run_cli(vault, "snooze", "ana", "--until", "soonish")
    assert word.stderr.startswith("vaultnet: error: --until: 'soonish' is not a date (expected")
    birthday = run_cli(vault, "add", "Di", "--birthday", "1990-02-30")
    assert birthday.exit_code == 2
    assert birthday.stderr == (
        "vaultnet: error: --birthday: '1990-02-30' is not a valid date"
        " (expected YYYY-MM-DD, or --MM-DD without the year)\n"
    )
    today = run_cli(vault, "list", today="someday")
    assert today.exit_code == 2
    assert today.stderr.startswith("vaultnet: error: --today: 'someday' is not a date")


# -- 3. no silent mistakes on input -----------------------------------------------------
def test_log_in_the_future_is_refused(vault: Path) -> None:
    before = read(vault, "People/Ana Lima.md")
    result = run_cli(vault, "log", "ana", "--date", "2026-12-01", "Dinner")
    assert result.exit_code == 2
    assert "a log records what happened; use --task for what is planned" in result.stderr
    assert read(vault, "People/Ana Lima.md") == before


def test_check_flags_future_last_contact_and_log(vault: Path) -> None:
    (vault / "People/Ana Lima.md").write_text(note("Ana Lima", last_contact="2027-01-01"))
    (vault / "People/Bo Chen.md").write_text(note("Bo Chen") + "- 2026-12-24 Xmas\n")
    problems = json.loads(run_cli(vault, "check", "--format", "json").stdout)
    messages = {p["path"]: p["message"] for p in problems}
    assert messages["People/Ana Lima.md"].startswith(
        "last_contact is dated 2027-01-01, after today"
    )
    assert messages["People/Bo Chen.md"].startswith("a log entry is dated 2026-12-24, after today")


def test_snooze_refuses_the_past_and_clears(vault: Path) -> None:
    past = run_cli(vault, "snooze", "ana", "--until", "yesterday")
    assert past.exit_code == 2
    assert "is not after today" in past.stderr
    assert run_cli(vault, "snooze", "ana", "--for", "2w").exit_code == 0
    assert "snooze_until: 2026-12-09\n" in read(vault, "People/Ana Lima.md")
    cleared = run_cli(vault, "snooze", "ana", "--clear")
    assert cleared.stdout == "Cleared the snooze of People/Ana Lima.md\n"
    assert read(vault, "People/Ana Lima.md") == note(
        "Ana Lima", kind="friend", cadence="30", email="ana@example.com"
    )
    assert run_cli(vault, "snooze", "ana", "--clear").stdout.startswith("No snooze to clear")


@pytest.mark.parametrize("span", ["0d", "none"])
def test_snooze_for_speaks_of_durations(vault: Path, span: str) -> None:
    result = run_cli(vault, "snooze", "ana", "--for", span)
    assert result.exit_code == 2
    assert f"--for: {span!r} is not a duration: give a positive number" in result.stderr
    assert "cadence" not in result.stderr


def test_add_warns_of_an_unknown_kind_and_check_reports_it(vault: Path) -> None:
    result = run_cli(vault, "add", "Di Eng", "--kind", "frend")
    assert result.exit_code == 0
    assert result.stderr == "vaultnet: warning: unknown kind 'frend' (did you mean 'friend'?)\n"
    problems = json.loads(run_cli(vault, "check", "--format", "json").stdout)
    assert [p["path"] for p in problems] == ["People/Di Eng.md"]
    assert problems[0]["message"].startswith("kind 'frend' is not a known kind")
    # A kind the config gives a cadence is known.
    (vault / ".vaultnet/config.toml").write_text('[cadences]\nfrend = "2w"\n')
    assert run_cli(vault, "check").exit_code == 0


def test_add_makes_tags_obsidian_tags(vault: Path) -> None:
    result = run_cli(vault, "add", "Di Eng", "--tag", "#friends", "--tag", "Old Friends")
    assert result.exit_code == 0
    assert "tags:\n  - friends\n  - Old-Friends\n" in read(vault, "People/Di Eng.md")
    number = run_cli(vault, "add", "Ed Fox", "--tag", "2024")
    assert number.exit_code == 2
    assert "it needs a letter" in number.stderr
    assert not (vault / "People/Ed Fox.md").exists()


# -- 4. terminal-aware output -----------------------------------------------------------
def test_emoji_sequences_keep_the_columns(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/a.md": note("👩‍💻 Ada", kind="peer", cadence="1w"),
            "People/b.md": note("🇫🇷 Bea", kind="peer", cadence="1w"),
            "People/c.md": note("❤️ Cal", kind="peer", cadence="1w"),
            "People/d.md": note("Dan Long Name", kind="peer", cadence="1w"),
        },
    )
    lines = run_cli(vault, "list").stdout.splitlines()
    from vaultnet.render.text import width

    starts = {width(line.split("peer")[0]) for line in lines[2:]}
    assert starts == {len("Dan Long Name  ")}


def test_followups_reasons_wrap_under_themselves(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (vault / "People/Ana Lima.md").write_text(
        note("Ana Lima", cadence="30")
        + "- [ ] "
        + "send the long list of things we talked about at the conference"
        + "\n"
    )
    monkeypatch.setenv("COLUMNS", "60")
    lines = run_cli(vault, "followups").stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    why = lines[0].index("Why")
    wrapped = [line for line in lines[2:] if not line[:why].strip()]
    assert wrapped and all(line[why] != " " for line in wrapped)


def test_colour_follows_the_option_and_the_environment(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "\x1b[" not in run_cli(vault, "followups").stdout  # not a terminal
    always = run_cli(vault, "--color", "always", "followups").stdout
    assert "\x1b[31m" in always or "\x1b[33m" in always
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run_cli(vault, "followups").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli(vault, "followups").stdout
    assert "\x1b[" not in run_cli(vault, "--color", "never", "followups").stdout


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULTNET_", "NO_COLOR"))}
    env.update(extra)
    return env


@pytest.mark.parametrize("command", [["list"], ["show", "Zoë"]])
def test_a_console_that_cannot_encode_never_crashes(tmp_path: Path, command: list[str]) -> None:
    vault = make_vault(tmp_path, {"People/z.md": note("Zoë 👩‍💻 日本", cadence="1w")})
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from vaultnet.cli import main; main()",
            "--vault",
            str(vault),
            "--today",
            TODAY,
            *command,
        ],
        capture_output=True,
        env=subprocess_env(PYTHONIOENCODING="cp1252"),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Zo\xeb ?" in result.stdout.decode("cp1252")


def test_a_closed_pipe_ends_quietly_and_the_drafts_are_all_written(tmp_path: Path) -> None:
    files = {f"People/P{n}.md": note(f"P{n}", cadence="1w", email=f"p{n}@x.org") for n in range(30)}
    vault = make_vault(tmp_path, {**files, ".vaultnet/config.toml": '[me]\nname = "Sam"\n'})
    code = "from vaultnet.cli import main; main()"
    cmd = (
        f"{sys.executable} -c '{code}' --vault {vault} --today {TODAY} checkin --due --write"
        " | head -n 1"
    )
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd],
        capture_output=True,
        env=subprocess_env(),
        check=False,
    )
    assert result.stdout.decode().startswith("To: P0")
    assert "Traceback" not in result.stderr.decode()
    assert "error" not in result.stderr.decode()
    assert len(list((vault / "Check-ins").iterdir())) == 30


def run_in_pty(args: list[str], env: dict[str, str]) -> str:
    """Run vaultnet with stdin, stdout and stderr on a pseudo-terminal; what it showed."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execve(
            sys.executable,
            [sys.executable, "-c", "from vaultnet.cli import main; main()", *args],
            env,
        )
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_on_a_terminal_colours_and_the_pager(vault: Path, tmp_path: Path) -> None:
    pager = tmp_path / "pager.sh"
    pager.write_text("#!/bin/sh\necho PAGED\ncat >/dev/null\n")
    pager.chmod(pager.stat().st_mode | stat.S_IEXEC)
    tall = subprocess_env(PAGER=str(pager), TERM="xterm", LINES="60", COLUMNS="80")
    coloured = run_in_pty(["--vault", str(vault), "--today", TODAY, "followups"], tall)
    assert "PAGED" not in coloured  # short output: no pager
    assert "\x1b[" in coloured  # colours on a terminal: auto
    env = {**tall, "LINES": "5"}
    many = {f"People/Q{n}.md": note(f"Q{n}") for n in range(20)}
    big = make_vault(tmp_path / "big", many)
    paged = run_in_pty(["--vault", str(big), "--today", TODAY, "list"], env)
    assert "PAGED" in paged and "Q19" not in paged
    straight = run_in_pty(["--vault", str(big), "--today", TODAY, "--no-pager", "list"], env)
    assert "PAGED" not in straight and "Q19" in straight


# -- 5. JSON everywhere -----------------------------------------------------------------
def test_show_json_keys(vault: Path) -> None:
    run_cli(vault, "log", "ana", "Coffee", "--task", "send the deck")
    shown = json.loads(run_cli(vault, "show", "ana", "--format", "json", "--why").stdout)
    assert list(shown) == [
        "name", "path", "kind", "company", "title", "emails", "phone", "linkedin",
        "location", "tags", "aliases", "birthday", "work_anniversary", "dates",
        "last_contact", "cadence_days", "snooze_until", "introduced_by", "archived",
        "deceased", "private", "last_contact_how", "last_contact_where", "fields",
        "interactions", "open_tasks", "obsidian_uri", "not_counted",
    ]  # fmt: skip
    assert shown["interactions"] == [{"date": TODAY, "how": "log", "text": "Coffee", "where": None}]
    assert list(shown["open_tasks"][0]) == ["text", "due", "path", "line"]


def test_templates_index_checkin_json_keys(vault: Path) -> None:
    templates = json.loads(run_cli(vault, "templates", "--format", "json").stdout)
    assert "reconnect" in [t["name"] for t in templates]
    assert list(templates[0]) == [
        "name", "origin", "path", "description", "subject", "replaces_builtin", "problem"
    ]  # fmt: skip
    index = json.loads(run_cli(vault, "index", "--format", "json").stdout)
    assert list(index) == ["contacts", "notes", "problems", "parsed", "removed", "seconds"]
    assert index["contacts"] == 3
    drafts = json.loads(run_cli(vault, "checkin", "ana", "--format", "json").stdout)
    assert list(drafts[0]) == [
        "name", "path", "email", "template", "why", "subject", "body", "mailto"
    ]  # fmt: skip
    assert drafts[0]["mailto"].startswith("mailto:ana@example.com?subject=")


def test_check_takes_table_and_keeps_text(vault: Path) -> None:
    (vault / "People/Ana Lima.md").write_text(note("Ana Lima", birthday="1990-13-45"))
    table = run_cli(vault, "check", "--format", "table")
    assert table.exit_code == 1
    assert table.stdout == run_cli(vault, "check", "--format", "text").stdout
    assert table.stdout == run_cli(vault, "check").stdout


def test_upcoming_markdown(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Zoë.md": note("Zoë", birthday="1990-11-29")})
    result = run_cli(vault, "upcoming", "--format", "markdown")
    assert result.stdout == (
        "# Coming up from 2026-11-25\n\n"
        "- Sun 2026-11-29 (in 4 days): [[Zoë]], birthday Sun 29 Nov, turns 36\n"
    )


# -- 6. options where people put them ---------------------------------------------------
@pytest.mark.parametrize("option", [["--vault", "x"], ["--today", "2026-01-01"], ["--quiet"]])
def test_a_global_option_after_the_command_gets_a_hint(vault: Path, option: list[str]) -> None:
    result = run_cli(vault, "list", *option)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"vaultnet: error: {option[0]} is a global option: put it before the command"
    )
    assert result.stderr.count("\n") == 1


def test_click_usage_errors_look_like_vaultnets(vault: Path) -> None:
    result = run_cli(vault, "list", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr.startswith("vaultnet: error: Invalid value for '--format'")
    assert result.stderr.endswith("(see 'vaultnet list --help')\n")
    assert result.stderr.count("\n") == 1


# -- 7. everyday verbs ------------------------------------------------------------------
def test_log_with_others_records_one_interaction_for_each(vault: Path) -> None:
    result = run_cli(
        vault, "log", "ana", "--with", "bo", "--with", "cy", "Dinner", "--task", "book"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Logged 2026-11-25") == 3
    for rel in ("People/Ana Lima.md", "People/Bo Chen.md", "People/Cy Diaz.md"):
        assert "- 2026-11-25 Dinner\n" in read(vault, rel)
    assert "- [ ] book" in read(vault, "People/Ana Lima.md")
    assert "- [ ] book" not in read(vault, "People/Bo Chen.md")
    unknown = run_cli(vault, "log", "ana", "--with", "nobody", "Lunch")
    assert unknown.exit_code == 2
    assert "Lunch" not in read(vault, "People/Ana Lima.md")  # nothing written


def test_add_last_contact(vault: Path) -> None:
    assert run_cli(vault, "add", "Di Eng", "--last-contact", "2w ago").exit_code == 0
    assert "last_contact: 2026-11-11\n" in read(vault, "People/Di Eng.md")


def test_checkin_due_write_is_safe_to_repeat(vault: Path) -> None:
    first = run_cli(vault, "checkin", "--due", "--write")
    assert first.exit_code == 0, first.output
    written = sorted(p.name for p in (vault / "Check-ins").iterdir())
    assert len(written) == 2  # Ana and Bo have a cadence, never contacted: due
    again = run_cli(vault, "checkin", "--due", "--write")
    assert again.exit_code == 0
    assert sorted(p.name for p in (vault / "Check-ins").iterdir()) == written
    assert again.stderr.count("Skipped: a draft of today exists") == 2


def test_a_forced_reconnect_stays_truthful(vault: Path) -> None:
    run_cli(vault, "log", "ana", "--date", "yesterday", "Coffee")
    body = run_cli(vault, "checkin", "ana", "--template", "reconnect").stdout
    assert "far too long" not in body
    assert "0 days" not in body and "a day since" not in body
    long_ago = run_cli(vault, "checkin", "bo", "--template", "reconnect").stdout
    assert "It's been far too long since we caught up." in long_ago


def test_unsigned_drafts_get_one_notice(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {f"People/{n}.md": note(n, cadence="1w") for n in ("Ana", "Bo")})
    result = run_cli(vault, "checkin", "--due")
    assert result.stderr.count("[me]") == 1
    assert "drafts are unsigned: set name (or signature) under [me]" in result.stderr


# -- 8. where the vault is --------------------------------------------------------------
def test_errors_about_the_environment_variable_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULTNET_VAULT", str(tmp_path / "gone"))
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 2
    assert "$VAULTNET_VAULT" in result.stderr and "--vault" not in result.stderr


def test_a_vault_variable_naming_a_file_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    afile = tmp_path / "notes.md"
    afile.write_text("x")
    monkeypatch.setenv("VAULTNET_VAULT", str(afile))
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 2
    assert "$VAULTNET_VAULT" in result.stderr and "--vault" not in result.stderr
    assert f"{afile} is a file, not a folder" in result.stderr
    monkeypatch.delenv("VAULTNET_VAULT")
    named = CliRunner().invoke(main, ["--vault", str(afile), "list"])
    assert named.exit_code == 2
    assert f"--vault: {afile} is a file, not a folder" in named.stderr


def test_init_still_makes_the_current_folder_a_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "--dry-run"])
    assert "no vault here" not in result.stderr
    assert result.exit_code == 0, result.output


# -- 9. completion and help -------------------------------------------------------------
def complete(vault: Path, words: str) -> list[str]:
    line = f"vaultnet --vault {vault} {words}"  # the last word is the one being completed
    env = {
        "_VAULTNET_COMPLETE": "bash_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(line.split(" ")) - 1),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="vaultnet")
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_completion_of_names_templates_kinds_and_tags(vault: Path) -> None:
    (vault / "People/Cy Diaz.md").write_text(note("Cy Diaz", kind="peer", tags="[climbing]"))
    assert complete(vault, "show A") == ["Ana Lima"]
    assert complete(vault, "log ana --with B") == ["Bo Chen"]
    assert complete(vault, "checkin ana --template re") == ["reconnect"]
    assert complete(vault, "list --kind m") == ["manager", "mentor"]
    assert complete(vault, "list --tag cl") == ["climbing"]


def test_help_lists_commands_by_task() -> None:
    result = CliRunner().invoke(main, ["--help"])
    out = result.stdout
    sections = ["Daily:", "Contacts:", "Calendar:", "Import and export:", "Maintenance:"]
    positions = [out.index(s) for s in sections]
    assert positions == sorted(positions)
    assert out.index("followups", positions[0]) < positions[1]
    assert out.index("edit", positions[1]) < positions[2]
    assert "Other commands" not in out  # every command has its task
    assert "example-vault/ folder of vaultnet's" in out


@pytest.mark.parametrize(
    "args",
    [
        ("followups", "--format", "markdown"),
        ("upcoming", "--format", "markdown"),
        ("show", "eve", "--format", "json"),
        ("templates", "--format", "json"),
        ("checkin", "eve", "--format", "json"),
        ("--color", "always", "followups"),
        ("--color", "always", "upcoming"),
    ],
)
def test_new_outputs_print_no_control_character(tmp_path: Path, args: tuple[str, ...]) -> None:
    import re

    evil = "Eve\x1b]52;c;cm0=\x07\x1b[2J\x9b31m"
    name = evil.encode("unicode_escape").decode("ascii")
    vault = make_vault(
        tmp_path,
        {"People/eve.md": f'---\nname: "{name}"\ncadence: 1w\nbirthday: 1990-11-27\n---\n'},
    )
    result = run_cli(vault, *args)
    assert result.exit_code == 0, result.output
    colours_dropped = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # click.style's own
    assert "\x1b" not in colours_dropped and "\x07" not in colours_dropped
    assert "\x9b" not in colours_dropped


def test_list_and_show_colour_what_is_due(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana.md": note("Ana", cadence="30", last_contact="2026-10-01"),  # overdue
            "People/Bo.md": note("Bo", cadence="2w"),  # never: due today
            "People/Cy.md": note("Cy"),  # no cadence
            "People/Di.md": note(
                "Di", cadence="30", last_contact="2026-10-01", snooze_until="2026-12-20"
            ),
        },
    )
    red, yellow = "\x1b[31m\x1b[1m", "\x1b[33m\x1b[1m"
    rows = {
        line.split()[0].replace(red, "").replace(yellow, ""): line
        for line in run_cli(vault, "--color", "always", "list").stdout.splitlines()[2:]
    }
    assert rows["Ana"].startswith(red) and rows["Bo"].startswith(yellow)
    assert "\x1b[" not in rows["Cy"] and "\x1b[" not in rows["Di"]
    assert "\x1b[" not in run_cli(vault, "list").stdout  # not a terminal
    assert "\x1b[" not in run_cli(vault, "--color", "never", "list").stdout
    run_cli(
        vault,
        "log",
        "Cy",
        "--date",
        "2026-11-01",
        "met",
        "--task",
        "send it",
        "--due",
        "2026-11-20",
    )
    run_cli(
        vault, "log", "Di", "--date", "2026-10-01", "x", "--task", "later", "--due", "2026-12-20"
    )
    card = run_cli(vault, "--color", "always", "show", "Ana").stdout
    assert f"{red}Last contact: 2026-10-01" in card
    cy = run_cli(vault, "--color", "always", "show", "Cy").stdout
    assert "\x1b[" not in cy.split("Open tasks:")[0]
    assert f"{red}  [ ] send it (due 2026-11-20" in cy
    di = run_cli(vault, "--color", "always", "show", "Di").stdout
    assert "\x1b[" not in di  # snoozed, and the task is not due yet
    assert "\x1b[" not in run_cli(vault, "show", "Ana").stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_show_and_network_use_the_pager_on_a_terminal(tmp_path: Path) -> None:
    pager = tmp_path / "pager.sh"
    pager.write_text("#!/bin/sh\necho PAGED\ncat >/dev/null\n")
    pager.chmod(pager.stat().st_mode | stat.S_IEXEC)
    env = subprocess_env(PAGER=str(pager), TERM="xterm", LINES="5", COLUMNS="80")
    many = {f"People/Q{n}.md": note(f"Q{n}", kind="peer", company=f"Co{n % 3}") for n in range(12)}
    many["People/Ann.md"] = note("Ann", **{f"field{n}": f"value {n}" for n in range(10)})
    vault = make_vault(tmp_path / "v", many)
    base = ["--vault", str(vault), "--today", TODAY]
    shown = run_in_pty([*base, "show", "Ann"], env)
    assert "PAGED" in shown and "field9" not in shown
    straight = run_in_pty([*base, "--no-pager", "show", "Ann"], env)
    assert "PAGED" not in straight and "field9: value 9" in straight
    assert "PAGED" in run_in_pty([*base, "network"], env)
    network = run_in_pty([*base, "--no-pager", "network"], env)
    assert "PAGED" not in network and "Composition" in network
    assert "PAGED" not in run_in_pty([*base, "network", "--format", "json"], env)
