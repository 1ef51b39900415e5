"""`vaultnet import mail` plans, writes and prints its notes a day at a time: the report
is the same bytes as one written whole, and what it counts is what the notes held before."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli
from test_import_mail import MESSAGES, message, read, vault_with_contacts, write_mbox


def whole_json(text: str) -> str:
    """``text`` as ``json.dumps`` of the whole writes it."""
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_json_is_the_bytes_of_the_whole_with_and_without_notes(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    for args in (["--dry-run"], [], []):  # plans, then writes, then finds nothing new
        result = run_cli(vault, "import", "mail", str(mbox), "--format", "json", *args)
        assert result.exit_code == 0, result.output
        assert result.stdout == whole_json(result.stdout)
    data = json.loads(result.stdout)
    assert data["notes"] == [] and data["already_imported"] == 4
    # No stranger either: an empty list closes the report.
    alone = write_mbox(tmp_path / "ann.mbox", MESSAGES[1:2])
    result = run_cli(vault, "import", "mail", str(alone), "--format", "json", "--dry-run")
    assert result.stdout == whole_json(result.stdout)
    assert json.loads(result.stdout)["not_contacts"] == []
    assert json.loads(result.stdout)["already_imported"] == 1


def test_already_imported_counts_what_the_notes_held_before_this_run(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    assert run_cli(vault, "import", "mail", str(write_mbox(tmp_path / "a", MESSAGES[:1])))
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    as_json = run_cli(vault, "import", "mail", str(mbox), "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    # JSON says it before the notes, the text after them: both what was there before.
    assert data["already_imported"] == 1
    assert [(n["path"][-18:], n["new"], len(n["ids"])) for n in data["notes"]] == [
        ("2026-11-20 Mail.md", False, 1),
        ("2026-11-21 Mail.md", True, 1),
        ("2026-11-22 Mail.md", True, 1),
    ]
    again = run_cli(vault, "import", "mail", str(mbox))
    assert "\nAdded 0 lines in 0 notes; 4 already imported.\n" in again.stdout


def test_each_day_keeps_its_earliest_message_for_each_contact(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    ann = "Ann Lee <ann.lee@example.org>"
    later = message(ann, "me@example.com", "Later", "Fri, 20 Nov 2026 18:00:00 +0000", "x1@a")
    early = message(ann, "me@example.com", "Early", "Fri, 20 Nov 2026 07:00:00 +0000", "x2@a")
    tie = message(ann, "me@example.com", "Same time", "Fri, 20 Nov 2026 07:00:00 +0000", "x3@a")
    copy = message(ann, "me@example.com", "Copy", "Fri, 20 Nov 2026 06:00:00 +0000", "x1@a")
    mbox = write_mbox(tmp_path / "m.mbox", [later, early, tie, copy])
    result = run_cli(vault, "import", "mail", str(mbox), "--dry-run")
    assert result.exit_code == 0, result.output
    # The copy of the first message is the same message (its id): not counted again.
    assert result.stdout.splitlines()[:2] == [
        "create Interactions/2026/2026-11-20 Mail.md",
        "  - \u2709\ufe0f [[Ann Lee]] \u2014 Early",
    ]
    assert "4 messages read, 4 with contacts." in result.stdout
    assert run_cli(vault, "import", "mail", str(mbox), "--no-subjects").exit_code == 0
    assert read(vault, "2026-11-20").endswith("---\n- \u2709\ufe0f [[Ann Lee]]\n")


def test_a_note_that_cannot_be_written_leaves_the_others_written(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    broken = vault / "Interactions" / "2026" / "2026-11-21 Mail.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ndate: [2026\n---\n", encoding="utf-8")
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    result = run_cli(vault, "import", "mail", str(mbox), "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == whole_json(result.stdout)
    statuses = [(n["path"][-18:], n["status"]) for n in json.loads(result.stdout)["notes"]]
    assert statuses == [
        ("2026-11-20 Mail.md", "created"),
        ("2026-11-21 Mail.md", "error"),
        ("2026-11-22 Mail.md", "created"),
    ]
    assert result.stderr.count("vaultnet: error: ") == 1
    assert "2026-11-21 Mail.md: broken YAML" in result.stderr
    assert read(vault, "2026-11-22").startswith("---\ndate: 2026-11-22\n")
