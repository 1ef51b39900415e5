"""`vaultnet import calendar`: past events with contacts among the attendees as day notes."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import make_vault, run_cli

CONFIG = '[me]\nemail = "me@example.com"\n'
ANN = "---\nemail: ann.lee@example.org\ncadence: monthly\n---\n# Ann Lee\n"
BO = "---\nemail: bo@corp.example\naliases: [Bobby]\n---\n# Bo\n"
CAT = "---\ncadence: monthly\n---\n# Cat\n"


def event(uid: str, start: str, summary: str, *lines: str) -> str:
    body = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261101T000000Z",
        start,
        f"SUMMARY:{summary}",
        *lines,
        "END:VEVENT",
    ]
    return "\r\n".join(body)


ME = "ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:me@example.com"
EVENTS = [
    # A weekly 1:1 with Ann (by email, any case), organised by the user: Mondays.
    event(
        "weekly-ann",
        "DTSTART;TZID=Europe/Berlin:20261102T100000",
        "Ann / me 1:1",
        "DTEND;TZID=Europe/Berlin:20261102T103000",
        "RRULE:FREQ=WEEKLY;COUNT=6",
        "ORGANIZER;CN=Me:mailto:me@example.com",
        "ATTENDEE;CN=Ann Lee;PARTSTAT=ACCEPTED:mailto:Ann.Lee@Example.org",
        ME,
    ),
    # Cat has no email: her CN names her; "Bobby" is Bo's alias.
    event(
        "offsite",
        "DTSTART:20261110T090000Z",
        "Offsite",
        "ORGANIZER;CN=Bo:mailto:bo@corp.example",
        'ATTENDEE;CN="Cat":invalid:nomail',
        "ATTENDEE;CN=Dee Stranger;PARTSTAT=ACCEPTED:mailto:dee@else.example",
        ME,
    ),
    # Declined by the user: nothing.
    event(
        "declined",
        "DTSTART:20261112T090000Z",
        "Budget review",
        "ATTENDEE;CN=Ann Lee:mailto:ann.lee@example.org",
        "ATTENDEE;CN=Me;PARTSTAT=DECLINED:mailto:me@example.com",
    ),
    # Bo declined: Ann still counts.
    event(
        "bo-declined",
        "DTSTART:20261113T090000Z",
        "Retro",
        "ATTENDEE;CN=Ann Lee:mailto:ann.lee@example.org",
        "ATTENDEE;CN=Bo;PARTSTAT=DECLINED:mailto:bo@corp.example",
        ME,
    ),
    # An all-day event without attendees: nothing.
    event("holiday", "DTSTART;VALUE=DATE:20261111", "Holiday"),
    # Cancelled: nothing.
    event(
        "cancelled",
        "DTSTART:20261114T090000Z",
        "Lunch",
        "STATUS:CANCELLED",
        "ATTENDEE;CN=Bo:mailto:bo@corp.example",
    ),
    # After today (2026-11-25): not yet.
    event(
        "future",
        "DTSTART:20261201T090000Z",
        "Planning",
        "ATTENDEE;CN=Bo:mailto:bo@corp.example",
    ),
]


def ics(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "\r\n".join(events)
        + "\r\nEND:VCALENDAR\r\n"
    )


def vault_with_contacts(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": CONFIG,
            "People/Ann Lee.md": ANN,
            "People/Bo Chen.md": BO,
            "People/Cat.md": CAT,
        },
    )


def notes(vault: Path) -> dict[str, str]:
    folder = vault / "Interactions" / "2026"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def ids(note: str) -> str:
    return next(ln for ln in note.splitlines() if ln.startswith("event_ids:")).split(": ", 1)[1]


def test_past_events_become_day_notes_byte_for_byte(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    cal = tmp_path / "me.ics"
    cal.write_text(ics(*EVENTS), encoding="utf-8")
    result = run_cli(vault, "import", "calendar", str(cal))
    assert result.exit_code == 0, result.output
    got = notes(vault)
    # Four Mondays before today (the 2nd to the 23rd), the offsite, the retro.
    assert list(got) == [
        "2026-11-02 Calendar.md",
        "2026-11-09 Calendar.md",
        "2026-11-10 Calendar.md",
        "2026-11-13 Calendar.md",
        "2026-11-16 Calendar.md",
        "2026-11-23 Calendar.md",
    ]
    assert got["2026-11-02 Calendar.md"] == (
        "---\ndate: 2026-11-02\n"
        f"event_ids: {ids(got['2026-11-02 Calendar.md'])}\n"
        "---\n- \U0001f4c5 [[Ann Lee]] \u2014 Ann / me 1:1\n"
    )
    assert got["2026-11-10 Calendar.md"] == (
        "---\ndate: 2026-11-10\n"
        f"event_ids: {ids(got['2026-11-10 Calendar.md'])}\n"
        "---\n- \U0001f4c5 [[Bo Chen]] \u2014 Offsite\n- \U0001f4c5 [[Cat]] \u2014 Offsite\n"
    )
    assert got["2026-11-13 Calendar.md"].endswith("---\n- \U0001f4c5 [[Ann Lee]] \u2014 Retro\n")
    assert len({ids(n) for n in got.values()}) == 6  # each occurrence its own id
    assert result.stdout.splitlines()[-4:-1] == [
        "9 past events read, 6 with contacts, 2 declined or cancelled, 1 without attendees.",
        "Added 7 lines in 6 notes.",
        "Not contacts, most frequent first (`vaultnet add NAME --email ADDRESS`):",
    ]
    assert "1  Dee Stranger <dee@else.example>" in result.stdout


def test_importing_again_and_a_newer_export(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    cal = tmp_path / "me.ics"
    cal.write_text(ics(*EVENTS), encoding="utf-8")
    assert run_cli(vault, "import", "calendar", str(cal), today="2026-11-20").exit_code == 0
    first = notes(vault)
    assert "2026-11-23 Calendar.md" not in first
    again = run_cli(vault, "import", "calendar", str(cal), today="2026-11-20")
    assert "Added 0 lines in 0 notes; 5 already imported." in again.stdout
    assert notes(vault) == first
    # A week later, the same calendar has one more Monday past and a new meeting with Bo.
    newer = ics(
        *EVENTS,
        event("coffee", "DTSTART:20261123T150000Z", "Coffee", "ATTENDEE:mailto:bo@corp.example"),
    )
    cal.write_text(newer, encoding="utf-8")
    result = run_cli(vault, "import", "calendar", str(cal), "--since", "2026-11-01")
    assert result.exit_code == 0, result.output
    now = notes(vault)
    assert {k: v for k, v in now.items() if k in first} == first
    assert now["2026-11-23 Calendar.md"].endswith(
        "---\n- \U0001f4c5 [[Ann Lee]] \u2014 Ann / me 1:1\n- \U0001f4c5 [[Bo Chen]] \u2014 Coffee\n"
    )
    assert "5 already imported" in result.stdout


def test_dry_run_json_and_since(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    cal = tmp_path / "me.ics"
    cal.write_text(ics(*EVENTS), encoding="utf-8")
    result = run_cli(
        vault, "import", "calendar", str(cal), "--since", "2026-11-12", "--dry-run",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not (vault / "Interactions").exists()
    data = json.loads(result.stdout)
    assert data["source"] == "calendar" and data["dry_run"] is True
    assert data["counts"] == {
        "read": 5, "matched": 3, "declined": 2, "no_attendees": 0, "no_contacts": 0
    }  # fmt: skip
    assert [n["path"].rsplit("/", 1)[1] for n in data["notes"]] == [
        "2026-11-13 Calendar.md",
        "2026-11-16 Calendar.md",
        "2026-11-23 Calendar.md",
    ]
    assert data["notes"][0]["status"] is None


def test_followups_show_and_checkin_see_the_events(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    before = run_cli(vault, "followups", "--format", "json")
    assert {c["name"] for c in json.loads(before.stdout)} == {"Ann Lee", "Cat"}
    cal = tmp_path / "me.ics"
    cal.write_text(ics(*EVENTS), encoding="utf-8")
    assert run_cli(vault, "import", "calendar", str(cal)).exit_code == 0
    # Monthly Ann and Cat met this month: nobody is due.
    assert json.loads(run_cli(vault, "followups", "--format", "json").stdout) == []
    shown = run_cli(vault, "show", "Cat")
    assert (
        "Last contact: 2026-11-10 (15 days ago; mentioned in"
        " Interactions/2026/2026-11-10 Calendar.md)"
    ) in shown.stdout
    draft = run_cli(vault, "checkin", "Cat", "--template", "follow-up", today="2026-12-20")
    assert draft.exit_code == 0, draft.output
    # "last time" is what the day note's line says, not the note's title (#19).
    assert "our conversation on 10 November (Offsite)." in draft.stdout


def test_not_a_calendar(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    bad = tmp_path / "bad.ics"
    bad.write_text("hello\n", encoding="utf-8")
    result = run_cli(vault, "import", "calendar", str(bad))
    assert result.exit_code == 2
    assert "not an iCalendar file" in result.stderr
