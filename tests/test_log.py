"""log and snooze change the one line and the one entry they own, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from helpers import make_vault, run_cli

import vaultnet.vault.edit

ANA = "People/Ana Lima.md"

COMMENTED = (
    "---\n"
    "# Who she is\n"
    "name: 'Ana Lima'\n"
    "kind: mentor   # met at PyCon\n"
    'last_contact: "2026-10-01" # by mail\n'
    "cadence: 30\n"
    "\n"
    "tags: [person, pycon]\n"
    "---\n"
    "\n"
    "Notes about Ana.\n"
    "\n"
    "## Log\n"
    "- 2026-10-01 email about the talk\n"
)


def write(tmp_path: Path, text: str | bytes, rel: str = ANA) -> tuple[Path, Path]:
    vault = make_vault(tmp_path, {rel: text})
    return vault, vault / rel


def log(vault: Path, *args: str, today: str = "2026-11-25") -> Result:
    return run_cli(vault, "log", "Ana Lima", *args, today=today)


def assert_refused(result: Result, path: Path, before: bytes, why: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and why in lines[0] and "Traceback" not in result.output
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


# -- appending -----------------------------------------------------------------------------
def test_log_keeps_comments_quoting_order_and_blank_lines(tmp_path: Path) -> None:
    vault, path = write(tmp_path, COMMENTED)
    result = log(vault, "Coffee", "at", "Tartine")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Logged 2026-11-25 in {ANA}\n"
    assert path.read_text() == COMMENTED.replace(
        '"2026-10-01" # by mail', '"2026-11-25" # by mail'
    ) + ("- 2026-11-25 Coffee at Tartine\n")


def test_log_keeps_crlf_and_creates_the_section_with_crlf(tmp_path: Path) -> None:
    before = b"---\r\nname: Ana Lima\r\nlast_contact: 2026-10-01\r\n---\r\nHello.\r\n"
    vault, path = write(tmp_path, before)
    assert log(vault, "Lunch").exit_code == 0
    assert path.read_bytes() == (
        b"---\r\nname: Ana Lima\r\nlast_contact: 2026-11-25\r\n---\r\nHello.\r\n"
        b"\r\n## Log\r\n- 2026-11-25 Lunch\r\n"
    )


def test_log_keeps_the_bom(tmp_path: Path) -> None:
    before = b"\xef\xbb\xbf---\nname: Ana Lima\n---\n## Log\n- 2026-10-01 a\n"
    vault, path = write(tmp_path, before)
    assert log(vault, "b").exit_code == 0
    assert path.read_bytes() == (
        b"\xef\xbb\xbf---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\n"
        b"## Log\n- 2026-10-01 a\n- 2026-11-25 b\n"
    )


def test_log_keeps_a_missing_final_newline_missing(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "---\nname: Ana Lima\n---\n## Log\n- 2026-10-01 a")
    assert log(vault, "b").exit_code == 0
    assert path.read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\n## Log\n- 2026-10-01 a\n- 2026-11-25 b"
    )


def test_log_without_final_newline_and_without_section(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "---\nname: Ana Lima\n---\nHello.")
    assert log(vault, "b").exit_code == 0
    assert path.read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\nHello.\n\n## Log\n- 2026-11-25 b"
    )


def test_log_creates_the_section_at_the_end(tmp_path: Path) -> None:
    before = "---\nname: Ana Lima\n---\n# Ana\n\n## Work\n- Acme\n"
    vault, path = write(tmp_path, before)
    assert log(vault, "b").exit_code == 0
    assert path.read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\n# Ana\n\n## Work\n- Acme\n"
        "\n## Log\n- 2026-11-25 b\n"
    )


def test_log_appends_at_the_end_of_a_section_followed_by_another(tmp_path: Path) -> None:
    before = (
        "---\nname: Ana Lima\nlast_contact: 2026-10-01\n---\n"
        "## Log\n- 2026-09-01 a\n- 2026-10-01 b\n\n## Projects\n- x\n"
    )
    vault, path = write(tmp_path, before)
    assert log(vault, "c").exit_code == 0
    assert path.read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\n"
        "## Log\n- 2026-09-01 a\n- 2026-10-01 b\n- 2026-11-25 c\n\n## Projects\n- x\n"
    )


def test_log_uses_the_configured_heading(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": 'log_heading = "Interactions"\n',
            ANA: "---\nname: Ana Lima\n---\n## Log\n- old\n",
            "People/Bo.md": "---\nname: Bo\n---\n### Interactions\n- 2026-01-01 x\n## Next\n",
        },
    )
    assert log(vault, "a").exit_code == 0
    assert (vault / ANA).read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\n## Log\n- old\n"
        "\n## Interactions\n- 2026-11-25 a\n"
    )
    assert run_cli(vault, "log", "Bo", "b").exit_code == 0
    assert (vault / "People/Bo.md").read_text() == (
        "---\nname: Bo\nlast_contact: 2026-11-25\n---\n"
        "### Interactions\n- 2026-01-01 x\n- 2026-11-25 b\n## Next\n"
    )


def test_log_adds_a_missing_last_contact_after_the_other_keys(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "---\nname: Ana Lima\ncadence: 30 # monthly\n---\n")
    assert log(vault, "a").exit_code == 0
    assert path.read_text() == (
        "---\nname: Ana Lima\ncadence: 30 # monthly\nlast_contact: 2026-11-25\n---\n"
        "## Log\n- 2026-11-25 a\n"
    )


def test_log_on_a_note_without_front_matter_adds_it(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "Met at PyCon.\n")
    assert log(vault, "a").exit_code == 0
    assert path.read_text() == (
        "---\nlast_contact: 2026-11-25\n---\nMet at PyCon.\n\n## Log\n- 2026-11-25 a\n"
    )


@pytest.mark.parametrize("value", ["", " # unknown", " ~", " not a date"])
def test_log_fills_an_empty_or_invalid_last_contact(tmp_path: Path, value: str) -> None:
    vault, path = write(tmp_path, f"---\nname: Ana Lima\nlast_contact:{value}\n---\n")
    result = log(vault, "a")
    assert result.exit_code == 0, result.output
    comment = " # unknown" if "#" in value else ""
    assert path.read_text() == (
        f"---\nname: Ana Lima\nlast_contact: 2026-11-25{comment}\n---\n## Log\n- 2026-11-25 a\n"
    )


def test_an_earlier_date_does_not_move_last_contact_back(tmp_path: Path) -> None:
    before = "---\nname: Ana Lima\nlast_contact: 2026-10-01\n---\n## Log\n- 2026-10-01 b\n"
    vault, path = write(tmp_path, before)
    result = log(vault, "--date", "2026-09-15", "a")
    assert result.exit_code == 0
    # The log is in date order, so the back-dated entry goes before the later one (#18).
    assert path.read_text() == before.replace("- 2026-10-01 b", "- 2026-09-15 a\n- 2026-10-01 b")


def test_a_back_dated_log_goes_in_date_order_with_its_task(tmp_path: Path) -> None:
    before = COMMENTED + "- 2026-11-20 lunch\n\n## Later\n- 2026-01-01 x\n"
    vault, path = write(tmp_path, before)
    result = log(vault, "--date", "2026-10-15", "--task", "send the slides", "Call")
    assert result.exit_code == 0, result.output
    assert path.read_text() == before.replace(
        '"2026-10-01" # by mail', '"2026-10-15" # by mail'
    ).replace("- 2026-11-20 lunch", "- 2026-10-15 Call\n- [ ] send the slides\n- 2026-11-20 lunch")


def test_a_back_dated_log_in_an_unordered_log_is_appended(tmp_path: Path) -> None:
    before = "---\nname: Ana Lima\n---\n## Log\n- 2026-11-01 b\n- 2026-10-01 a\n"
    vault, path = write(tmp_path, before)
    assert log(vault, "--date", "2026-10-15", "c").exit_code == 0
    assert path.read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-10-15\n---\n"
        "## Log\n- 2026-11-01 b\n- 2026-10-01 a\n- 2026-10-15 c\n"
    )


def test_log_date_defaults_to_today_and_text_is_single_spaced(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "---\nname: Ana Lima\n---\n")
    assert log(vault, "  two\nlines  ", today="2026-12-01").exit_code == 0
    assert path.read_text().endswith("## Log\n- 2026-12-01 two lines\n")


def test_log_with_a_task_adds_it_and_followups_show_it(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "---\nname: Ana Lima\n---\n## Log\n")
    result = log(vault, "Call", "--task", "send the deck", "--due", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert path.read_text() == (
        "---\nname: Ana Lima\nlast_contact: 2026-11-25\n---\n## Log\n"
        "- 2026-11-25 Call\n- [ ] send the deck \U0001f4c5 2026-11-26\n"
    )
    shown = json.loads(run_cli(vault, "followups", "--format", "json").stdout)
    assert [r["text"] for r in shown[0]["reasons"]] == ["task: send the deck (due tomorrow)"]


def test_due_without_task_is_a_usage_error(tmp_path: Path) -> None:
    vault, path = write(tmp_path, COMMENTED)
    result = log(vault, "a", "--due", "2026-11-26")
    assert result.exit_code == 2
    assert path.read_text() == COMMENTED


def test_log_on_an_unknown_name_says_so(tmp_path: Path) -> None:
    vault, path = write(tmp_path, COMMENTED)
    result = run_cli(vault, "log", "Zed", "a")
    assert result.exit_code == 2
    assert "no contact named 'Zed'" in result.stderr
    assert path.read_text() == COMMENTED


# -- refusing ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("---\nname: Ana Lima\ncadence: [30\n---\n## Log\n", "broken YAML front matter"),
        ("---\nname: Ana Lima\n\n## Log\n", "front matter is not closed"),
        ("---\n- a list\n---\n", "not a mapping"),
        (b"---\nname: Ana \xff\n---\n", "not UTF-8"),
    ],
)
def test_log_refuses_a_broken_note_and_says_why(
    tmp_path: Path, text: str | bytes, why: str
) -> None:
    vault, path = write(tmp_path, text)
    before = path.read_bytes()
    assert_refused(log(vault, "a"), path, before, why)
    assert_refused(run_cli(vault, "snooze", "Ana Lima", "--for", "2w"), path, before, why)


def test_log_refuses_when_the_file_changed_mid_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, path = write(tmp_path, COMMENTED)
    concurrent = COMMENTED + "- 2026-11-25 typed in Obsidian meanwhile\n"
    real_write = vaultnet.vault.edit.atomic_write

    def racing_write(target: Path, data: bytes, **kwargs: object) -> bool:
        path.write_text(concurrent)  # another editor saves between our read and our write
        return real_write(target, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vaultnet.vault.edit, "atomic_write", racing_write)
    assert_refused(log(vault, "a"), path, concurrent.encode(), "changed on disk")


def test_log_refuses_when_the_file_changed_with_the_same_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, path = write(tmp_path, COMMENTED)
    concurrent = COMMENTED.replace("Notes about Ana.", "Notes about ANA.")
    stat = path.stat()
    real_set_field = vaultnet.vault.edit.set_field

    def racing_set_field(*args: object) -> None:
        path.write_text(concurrent)
        import os

        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
        real_set_field(*args)  # type: ignore[arg-type]

    monkeypatch.setattr("vaultnet.app.edits.set_field", racing_set_field)
    assert_refused(log(vault, "a"), path, concurrent.encode(), "changed on disk")


# -- snooze ----------------------------------------------------------------------------------
def snooze(vault: Path, *args: str) -> Result:
    return run_cli(vault, "snooze", "Ana Lima", *args)


def test_snooze_until_adds_the_key_and_nothing_else(tmp_path: Path) -> None:
    vault, path = write(tmp_path, COMMENTED)
    result = snooze(vault, "--until", "2026-12-24")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Snoozed {ANA} until 2026-12-24\n"
    assert path.read_text() == COMMENTED.replace(
        "tags: [person, pycon]\n", "tags: [person, pycon]\nsnooze_until: 2026-12-24\n"
    )


def test_snooze_for_two_weeks_replaces_the_value_keeping_its_style(tmp_path: Path) -> None:
    before = (
        b"\xef\xbb\xbf---\r\nname: Ana Lima\r\nsnooze_until: '2026-01-01'  # vacation\r\n"
        b"cadence: 30\r\n---\r\nbody"
    )
    vault, path = write(tmp_path, before)
    assert snooze(vault, "--for", "2w").exit_code == 0
    assert path.read_bytes() == before.replace(b"2026-01-01", b"2026-12-09")


def test_snooze_to_the_same_day_writes_nothing(tmp_path: Path) -> None:
    vault, path = write(tmp_path, "---\nname: Ana Lima\nsnooze_until: 2026-12-09\n---\n")
    mtime = path.stat().st_mtime_ns
    result = snooze(vault, "--for", "14d")
    assert result.exit_code == 0
    assert result.stdout == f"Already snoozed {ANA} until 2026-12-09\n"
    assert path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("args", [(), ("--until", "2026-12-01", "--for", "2w"), ("--for", "soon")])
def test_snooze_needs_exactly_one_valid_span(tmp_path: Path, args: tuple[str, ...]) -> None:
    vault, path = write(tmp_path, COMMENTED)
    result = snooze(vault, *args)
    assert result.exit_code == 2
    assert path.read_text() == COMMENTED
