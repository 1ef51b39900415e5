"""`vaultnet next`: the one person to reach today, --skip, --done, and who is left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import make_vault, run_cli

from vaultnet.cli import load_commands
from vaultnet.render.next import NEXT_FORMATS

TODAY = "2026-11-25"


def contact(name: str, last: str, extra: str = "", tail: str = "") -> str:
    return (
        f"---\nname: {name}\nkind: peer\ncadence: 30d\nlast_contact: {last}\n{extra}---\n"
        f"\n# {name}\n\n## Log\n\n- {last} Lunch.\n{tail}"
    )


# Ranked by how late each check-in is: Ann (60 days), then Bo (20), then Cy (5); Dee is not
# due. Ann also has a task due within the horizon: logged today, she is still on `followups`.
ANN_TASK = "\n## Tasks\n\n- [ ] Send Ann the deck \U0001f4c5 2026-11-27\n"
FILES: dict[str, str | bytes] = {
    "People/Ann Lee.md": contact(
        "Ann Lee", "2026-08-27", extra="email: ann@example.com\n", tail=ANN_TASK
    ),
    "People/Bo Marsh.md": contact("Bo Marsh", "2026-10-06"),
    "People/Cy Ng.md": contact("Cy Ng", "2026-10-21"),
    "People/Dee Park.md": contact("Dee Park", "2026-11-20"),
    ".vaultnet/config.toml": '[me]\nname = "Jordan Lee"\nsignature = "Jordan"\n',
}


def vault_with(tmp_path: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    return make_vault(tmp_path, {**FILES, **(extra or {})})


def next_json(vault: Path, *args: str, today: str = TODAY) -> dict[str, Any]:
    result = run_cli(vault, "next", "--format", "json", *args, today=today)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def who(data: dict[str, Any]) -> str | None:
    return None if data["next"] is None else str(data["next"]["name"])


def test_the_top_of_followups_with_reason_checkin_and_mailto(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    result = run_cli(vault, "next")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Next: Ann Lee (peer), last contact 90 days ago"
    assert lines[1] == "Why:  overdue by 60 days (every 30 days)"
    assert lines[2] == "      task: Send Ann the deck (due in 2 days)"
    assert "To: Ann Lee <ann@example.com>" in lines
    assert any(line.startswith("Template: follow-up (") for line in lines)
    assert any(line.startswith("mailto:ann@example.com?subject=") for line in lines)
    assert lines[-1] == "2 more due after Ann Lee."
    # The same draft `checkin` makes for her.
    checkin = run_cli(vault, "checkin", "Ann Lee")
    assert checkin.stdout.rstrip("\n") in result.stdout


def test_order_follows_followups(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    ranked = json.loads(run_cli(vault, "followups", "--format", "json").stdout)
    assert [f["name"] for f in ranked] == ["Ann Lee", "Bo Marsh", "Cy Ng"]
    data = next_json(vault)
    assert who(data) == "Ann Lee"
    assert (data["due"], data["remaining"], data["nobody"]) == (3, 2, None)
    assert data["next"]["reasons"] == ranked[0]["reasons"]


def test_json_keys_are_stable(tmp_path: Path) -> None:
    data = next_json(vault_with(tmp_path))
    assert list(data) == [
        "today", "horizon_days", "action", "next", "nobody", "remaining", "due", "handled",
    ]  # fmt: skip
    assert list(data["next"]) == [
        "name", "path", "kind", "last_contact", "cadence_days", "due", "reasons", "email",
        "mailto", "checkin",
    ]  # fmt: skip
    assert list(data["next"]["checkin"]) == ["template", "why", "subject", "body"]
    assert list(data["handled"]) == ["logged", "drafted", "skipped"]
    assert (data["today"], data["horizon_days"], data["action"]) == (TODAY, 7, None)
    assert data["next"]["email"] == "ann@example.com"
    assert data["next"]["mailto"].startswith("mailto:ann@example.com?subject=")


def test_no_email_no_mailto(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    data = next_json(vault, "--skip")
    assert who(data) == "Bo Marsh"
    assert (data["next"]["email"], data["next"]["mailto"]) == (None, None)
    text = run_cli(vault, "next").stdout
    assert "To: Bo Marsh (no email on file)" in text
    assert "mailto:" not in text


def test_skip_twice_is_remembered_for_the_day_only(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    first = next_json(vault, "--skip")
    assert first["action"] == {
        "type": "skipped", "name": "Ann Lee", "path": "People/Ann Lee.md", "date": TODAY,
    }  # fmt: skip
    assert who(first) == "Bo Marsh"
    second = run_cli(vault, "next", "--skip")
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("Skipped Bo Marsh for today.\n\nNext: Cy Ng (peer)")
    again = next_json(vault)
    assert who(again) == "Cy Ng"
    assert [c["name"] for c in again["handled"]["skipped"]] == ["Ann Lee", "Bo Marsh"]
    saved = json.loads((vault / ".vaultnet/cache/next-skipped.json").read_text())
    assert saved == {"day": TODAY, "skipped": ["People/Ann Lee.md", "People/Bo Marsh.md"]}
    # Tomorrow nobody is skipped any more; the notes never changed.
    assert who(next_json(vault, today="2026-11-26")) == "Ann Lee"
    assert {p.name: p.read_text() for p in (vault / "People").iterdir()} == {
        rel.split("/")[1]: text for rel, text in FILES.items() if rel.startswith("People/")
    }


def test_a_corrupt_skip_file_is_ignored(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {".vaultnet/cache/next-skipped.json": "{not json"})
    assert who(next_json(vault)) == "Ann Lee"
    assert who(next_json(vault, "--skip")) == "Bo Marsh"
    saved = json.loads((vault / ".vaultnet/cache/next-skipped.json").read_text())
    assert saved == {"day": TODAY, "skipped": ["People/Ann Lee.md"]}


def test_done_logs_the_interaction_and_shows_the_next(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    result = run_cli(vault, "next", "--done", "Call about the Q1 roadmap")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Logged {TODAY} in People/Ann Lee.md\n\nNext: Bo Marsh (peer)")
    note = (vault / "People/Ann Lee.md").read_text()
    assert f"- 2026-08-27 Lunch.\n- {TODAY} Call about the Q1 roadmap\n\n## Tasks" in note
    assert f"last_contact: {TODAY}\n" in note
    # Logged today: she stays out, by the note itself, not by a memory of `next`.
    data = next_json(vault)
    assert who(data) == "Bo Marsh"
    assert [c["name"] for c in data["handled"]["logged"]] == ["Ann Lee"]


def test_logged_today_is_left_out(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    assert run_cli(vault, "log", "Ann Lee", "Coffee").exit_code == 0
    ranked = json.loads(run_cli(vault, "followups", "--format", "json").stdout)
    assert "Ann Lee" in [f["name"] for f in ranked]  # her task is still due
    data = next_json(vault)
    assert who(data) == "Bo Marsh"
    assert data["handled"]["logged"] == [{"name": "Ann Lee", "path": "People/Ann Lee.md"}]


def test_a_mention_in_todays_daily_note_counts_as_logged(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {f"Daily/{TODAY}.md": "Ran into [[Ann Lee]] at the station.\n"})
    data = next_json(vault)
    assert who(data) == "Bo Marsh"
    assert [c["name"] for c in data["handled"]["logged"]] == ["Ann Lee"]


def test_drafted_today_is_left_out(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    assert run_cli(vault, "checkin", "Ann Lee", "--write").exit_code == 0
    assert (vault / f"Check-ins/{TODAY} Ann Lee.md").is_file()
    data = next_json(vault)
    assert who(data) == "Bo Marsh"
    assert data["handled"]["drafted"] == [{"name": "Ann Lee", "path": "People/Ann Lee.md"}]
    # A draft of another day does not count.
    assert who(next_json(vault, today="2026-11-26")) == "Ann Lee"


def test_a_draft_named_otherwise_counts_by_its_contact_link(tmp_path: Path) -> None:
    draft = f'---\ncontact: "[[Bo Marsh]]"\ndate: {TODAY}\nstatus: draft\n---\n\nHi Bo\n'
    vault = vault_with(tmp_path, {f"Check-ins/{TODAY} Lunch invite.md": draft})
    data = next_json(vault)
    assert who(data) == "Ann Lee"
    assert [c["name"] for c in data["handled"]["drafted"]] == ["Bo Marsh"]


def test_nobody_due(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Dee Park.md": contact("Dee Park", "2026-11-20")})
    result = run_cli(vault, "next")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Nobody to reach today: nobody is due within 7 days.\n"
    data = next_json(vault)
    assert (data["next"], data["nobody"], data["due"], data["remaining"]) == (
        None, "none-due", 0, 0,
    )  # fmt: skip


def test_everybody_handled_today(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    assert run_cli(vault, "log", "Ann Lee", "Coffee").exit_code == 0
    assert run_cli(vault, "checkin", "Bo Marsh", "--write").exit_code == 0
    last = run_cli(vault, "next", "--skip")
    assert last.exit_code == 0, last.output
    assert last.stdout == (
        "Skipped Cy Ng for today.\n\n"
        "Nobody left to reach today: all 3 due within 7 days were handled today"
        " (1 logged, 1 drafted, 1 skipped).\n"
    )
    assert next_json(vault)["nobody"] == "all-handled"
    refused = run_cli(vault, "next", "--done", "Lunch")
    assert refused.exit_code == 2
    assert "nobody left to reach today" in refused.stderr


def test_skip_and_done_together_are_refused(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    result = run_cli(vault, "next", "--skip", "--done", "Lunch")
    assert result.exit_code == 2
    assert "give --skip or --done, not both" in result.stderr
    assert not (vault / ".vaultnet/cache/next-skipped.json").exists()


def test_format_choices_are_the_renderers_table() -> None:
    command = load_commands()["next"]
    option = next(p for p in command.params if p.name == "fmt")
    assert sorted(option.type.choices) == sorted(NEXT_FORMATS)  # type: ignore[attr-defined]
