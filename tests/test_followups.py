"""followups and upcoming: every rule of the issue, on small vaults, with --today."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli

TODAY = "2026-11-25"  # a Wednesday


def person(name: str, body: str = "", **fields: str) -> str:
    """A contact note: ``name`` plus the given front-matter lines, then ``body``."""
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{front}---\n{body}"


def followups(vault: Path, *args: str, today: str = TODAY) -> list[dict[str, Any]]:
    result = run_cli(vault, "followups", "--format", "json", *args, today=today)
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def upcoming(vault: Path, *args: str, today: str = TODAY) -> list[dict[str, Any]]:
    result = run_cli(vault, "upcoming", "--format", "json", *args, today=today)
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def names(items: list[dict[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


def texts(item: dict[str, Any]) -> list[str]:
    return [r["text"] for r in item["reasons"]]


# -- JSON shape ------------------------------------------------------------------------------
def test_followups_json_keys_are_pinned(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {"People/Ana.md": person("Ana", cadence="30", birthday="1990-11-27", kind="mentor")},
    )
    [item] = followups(vault)
    assert set(item) == {"name", "path", "kind", "last_contact", "cadence_days", "due", "reasons"}
    for reason in item["reasons"]:
        assert set(reason) == {"type", "date", "text", "label", "years"}
    assert item["path"] == "People/Ana.md" and item["kind"] == "mentor"


def test_followups_json_is_what_json_writes(tmp_path: Path) -> None:
    """Each follow-up on its line, written as ``json`` writes it (``ensure_ascii`` off):
    quotes, backslashes, accents, emoji and control characters in names, kinds and task
    texts; no kind, no cadence, a label and years."""
    vault = make_vault(
        tmp_path,
        {
            "People/Zoë.md": person(
                'Zoë "Z" \\ 名前 🎉',
                '- [ ] ask about "the" \\ thing\t📅 2026-11-26\n',
                kind="'a \"b\" ü'",
                cadence="30",
            ),
            "People/Bo.md": person("Bo", dates="{wedding_day: 2000-11-27}"),
            "Meetings/2026-11-01.md": "Met [[Bo|Bo B.]]\n- [ ] call [[Zoë]] back 📅 2026-11-25\n",
        },
    )
    result = run_cli(vault, "followups", "--format", "json", today=TODAY)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 2 and {None, 30} >= {d["cadence_days"] for d in data}
    assert any(r["label"] and r["years"] for d in data for r in d["reasons"])
    lines = ",\n".join("  " + json.dumps(d, ensure_ascii=False) for d in data)
    assert result.stdout == "[\n" + lines + "\n]\n"


def test_upcoming_json_keys_are_pinned(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", birthday="1990-11-27")})
    [item] = upcoming(vault)
    assert set(item) == {"date", "type", "label", "name", "path", "years"}
    assert item == {
        "date": "2026-11-27",
        "type": "birthday",
        "label": None,
        "name": "Ana",
        "path": "People/Ana.md",
        "years": 36,
    }


# -- cadence ---------------------------------------------------------------------------------
def test_overdue_check_in(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path, {"People/Ana.md": person("Ana", cadence="30", last_contact="2026-10-14")}
    )
    [item] = followups(vault)
    assert item["last_contact"] == "2026-10-14"
    assert item["cadence_days"] == 30
    assert item["due"] == "2026-11-13"
    assert item["reasons"] == [
        {
            "type": "cadence",
            "date": "2026-11-13",
            "text": "overdue by 12 days (every 30 days)",
            "label": None,
            "years": None,
        }
    ]


@pytest.mark.parametrize(
    ("last", "listed", "text"),
    [
        ("2026-10-26", True, "check-in due today (every 30 days)"),
        ("2026-11-02", True, "check-in due in 7 days (every 30 days)"),  # today + 7: included
        ("2026-11-03", False, None),  # today + 8: beyond the horizon
    ],
)
def test_check_in_coming_due_within_the_horizon(
    tmp_path: Path, last: str, listed: bool, text: str | None
) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", cadence="30", last_contact=last)})
    items = followups(vault)
    assert [texts(i) for i in items] == ([[text]] if listed else [])


def test_days_widens_the_horizon(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path, {"People/Ana.md": person("Ana", cadence="30", last_contact="2026-11-10")}
    )
    assert followups(vault) == []
    assert texts(followups(vault, "--days", "15")[0]) == ["check-in due in 15 days (every 30 days)"]
    assert followups(vault, "--days", "14") == []


def test_never_contacted_is_due_today(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", cadence="quarterly")})
    [item] = followups(vault, "--days", "0")
    assert item["last_contact"] is None
    assert item["due"] == TODAY
    assert item["reasons"][0]["date"] == TODAY
    assert texts(item) == ["never contacted (every 90 days)"]


def test_no_cadence_no_check_in(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana.md": person("Ana", last_contact="2020-01-01"),
            "People/Bo.md": person("Bo", cadence="none"),
        },
    )
    assert followups(vault) == []


def test_kind_default_cadence_from_config(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": '[cadences]\nmentor = "6 weeks"\n',
            "People/Ana.md": person("Ana", kind="mentor", last_contact="2026-10-01"),
        },
    )
    [item] = followups(vault)
    assert item["cadence_days"] == 42
    assert texts(item) == ["overdue by 13 days (every 42 days)"]


def test_a_mention_in_a_dated_note_resets_the_cadence(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/Ana.md": person("Ana", cadence="30", last_contact="2026-09-01"),
        "Meetings/2026-11-20 Sync.md": "Talked with [[Ana]] about the launch.\n",
    }
    vault = make_vault(tmp_path, files)
    assert followups(vault) == []
    [item] = followups(vault, "--days", "30")
    assert item["last_contact"] == "2026-11-20"
    assert item["due"] == "2026-12-20"


def test_a_log_entry_resets_the_cadence(tmp_path: Path) -> None:
    body = "## Log\n- 2026-11-20 coffee\n"
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", body, cadence="30")})
    assert followups(vault) == []


def test_future_mentions_and_log_entries_are_ignored(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/Ana.md": person(
            "Ana", "## Log\n- 2026-12-01 planned lunch\n", cadence="30", last_contact="2026-10-01"
        ),
        "Meetings/2026-11-30 Offsite.md": "With [[Ana]].\n",
        "Daily/2026-12-02.md": "Call [[Ana]].\n",
    }
    vault = make_vault(tmp_path, files)
    [item] = followups(vault)
    assert item["last_contact"] == "2026-10-01"
    assert texts(item) == ["overdue by 25 days (every 30 days)"]


def test_snooze_hides_the_check_in_until_the_day(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/Ana.md": person(
            "Ana", cadence="30", last_contact="2026-09-01", snooze_until="2026-12-10"
        ),
        "People/Bo.md": person("Bo", cadence="30", snooze_until="2026-12-10"),
    }
    vault = make_vault(tmp_path, files)
    assert followups(vault) == []
    wide = followups(vault, "--days", "20")
    assert [(i["name"], i["due"], i["reasons"][0]["date"]) for i in wide] == [
        ("Ana", "2026-12-10", "2026-12-10"),
        ("Bo", "2026-12-10", "2026-12-10"),
    ]
    assert texts(wide[0]) == ["check-in due in 15 days (every 30 days)"]


def test_snooze_does_not_hide_occasions_or_tasks(tmp_path: Path) -> None:
    body = "- [ ] send the deck \U0001f4c5 2026-11-26\n"
    vault = make_vault(
        tmp_path,
        {
            "People/Ana.md": person(
                "Ana", body, cadence="7", birthday="1990-11-27", snooze_until="2027-01-01"
            )
        },
    )
    [item] = followups(vault)
    assert [r["type"] for r in item["reasons"]] == ["task", "birthday"]


def test_an_expired_snooze_changes_nothing(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana.md": person(
                "Ana", cadence="30", last_contact="2026-10-14", snooze_until="2026-11-01"
            )
        },
    )
    assert texts(followups(vault)[0]) == ["overdue by 12 days (every 30 days)"]


@pytest.mark.parametrize("flag", ["archived: true", "deceased: true", "deceased: 2025-05-01"])
def test_archived_and_deceased_are_never_listed(tmp_path: Path, flag: str) -> None:
    key, value = flag.split(": ")
    body = "- [ ] overdue thing \U0001f4c5 2026-11-01\n"
    fields = {"cadence": "7", "birthday": "1990-11-25", key: value}
    files: dict[str, str | bytes] = {
        "People/Ana.md": person("Ana", body, **fields),
        "Meetings/2026-11-20 Sync.md": "- [ ] call [[Ana]] \U0001f4c5 2026-11-20\n",
    }
    vault = make_vault(tmp_path, files)
    assert followups(vault, "--days", "400") == []
    assert upcoming(vault, "--days", "400") == []


# -- tasks -----------------------------------------------------------------------------------
def test_open_tasks_of_the_contact(tmp_path: Path) -> None:
    body = (
        "## Todo\n"
        "- [ ] send the deck \U0001f4c5 2026-11-26\n"
        "- [ ] intro to [[Bo]] \U0001f4c5 2026-11-20\n"
        "- [ ] book dinner \U0001f4c5 2026-11-25\n"
        "- [x] done thing \U0001f4c5 2026-11-20\n"
        "- [ ] no due date\n"
        "- [ ] far away \U0001f4c5 2026-12-25\n"
    )
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", body)})
    [item] = followups(vault)
    assert item["cadence_days"] is None and item["due"] is None
    assert texts(item) == [
        "task: intro to Bo (overdue by 5 days)",
        "task: book dinner (due today)",
        "task: send the deck (due tomorrow)",
    ]
    assert [r["date"] for r in item["reasons"]] == ["2026-11-20", "2026-11-25", "2026-11-26"]


def test_tasks_linked_from_meeting_notes(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/Ana.md": person("Ana"),
        "People/Bo.md": person("Bo"),
        "People/Cy.md": person("Cy"),
        "Meetings/2026-11-19 Sync.md": (
            "Attendees: [[Ana]], [[Bo]]\n\n"
            "- [ ] share the notes \U0001f4c5 2026-11-27\n"  # links nobody: every attendee
            "- [x] done \U0001f4c5 2026-11-20\n"
        ),
        "Meetings/2026-11-18 Call.md": (
            "With [[Ana]].\n"
            "- [ ] follow up with [[Cy]] \U0001f4c5 2026-11-24\n"  # its own line decides
        ),
    }
    vault = make_vault(tmp_path, files)
    got = {i["name"]: texts(i) for i in followups(vault)}
    assert got == {
        "Ana": ["task: share the notes (due in 2 days)"],
        "Bo": ["task: share the notes (due in 2 days)"],
        "Cy": ["task: follow up with Cy (overdue by 1 day)"],
    }


# -- occasions -------------------------------------------------------------------------------
def test_birthday_in_words(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", birthday="1990-12-02")})
    [item] = followups(vault)
    assert item["reasons"] == [
        {
            "type": "birthday",
            "date": "2026-12-02",
            "text": "birthday Wed 2 Dec, turns 36",
            "label": None,
            "years": 36,
        }
    ]


def test_birthday_today_and_without_year(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/Ana.md": person("Ana", birthday="1990-11-25"),
        "People/Bo.md": person("Bo", birthday="'--11-28'"),
        "People/Cy.md": person("Cy", birthday="1990-11-24"),  # yesterday: gone
    }
    vault = make_vault(tmp_path, files)
    got = {i["name"]: i["reasons"] for i in followups(vault)}
    assert got["Ana"][0]["text"] == "birthday Wed 25 Nov, turns 36 (today)"
    assert got["Bo"][0]["text"] == "birthday Sat 28 Nov" and got["Bo"][0]["years"] is None
    assert "Cy" not in got


def test_work_anniversary_and_custom_dates(tmp_path: Path) -> None:
    note = person(
        "Ana",
        company="Acme",
        work_anniversary="2021-11-30",
        dates="\n  promotion: 2024-11-27\n  kid_birthday: --11-29",
    )
    vault = make_vault(tmp_path, {"People/Ana.md": note})
    [item] = followups(vault)
    assert [(r["type"], r["label"], r["date"], r["years"], r["text"]) for r in item["reasons"]] == [
        ("date", "promotion", "2026-11-27", 2, "promotion Fri 27 Nov (2 years)"),
        ("date", "kid_birthday", "2026-11-29", None, "kid birthday Sun 29 Nov"),
        ("anniversary", None, "2026-11-30", 5, "work anniversary Mon 30 Nov, 5 years at Acme"),
    ]


@pytest.mark.parametrize(
    ("today", "date", "years"),
    [
        ("2027-02-25", "2027-02-28", 27),  # common year: Feb 28
        ("2028-02-25", "2028-02-29", 28),  # leap year: Feb 29
    ],
)
def test_feb_29(tmp_path: Path, today: str, date: str, years: int) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", birthday="2000-02-29")})
    [item] = followups(vault, today=today)
    assert (item["reasons"][0]["date"], item["reasons"][0]["years"]) == (date, years)
    [occasion] = upcoming(vault, today=today)
    assert (occasion["date"], occasion["years"]) == (date, years)


def test_feb_29_is_not_listed_twice_nor_on_march_1(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", birthday="'--02-29'")})
    assert upcoming(vault, "--days", "3", today="2027-02-26")[0]["date"] == "2027-02-28"
    assert upcoming(vault, "--days", "5", today="2027-03-01") == []


def test_occasions_across_the_new_year(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", birthday="1990-01-02")})
    [item] = followups(vault, today="2026-12-28")
    assert item["reasons"][0]["date"] == "2027-01-02"
    assert item["reasons"][0]["text"] == "birthday Sat 2 Jan, turns 37"
    assert upcoming(vault, "--days", "5", today="2026-12-28")[0]["date"] == "2027-01-02"


def test_an_occasion_before_it_first_happened_is_not_listed(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", work_anniversary="2027-11-27")})
    assert followups(vault) == []


# -- filters -------------------------------------------------------------------------------
def filtered_vault(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            "People/Ana.md": person(
                "Ana", cadence="7", kind="mentor", location="São Paulo, Brazil", tags="[pycon]"
            ),
            "People/Bo.md": person(
                "Bo", cadence="7", kind="friend", location="Lisbon", tags="[work/acme]"
            ),
            "People/Cy.md": person("Cy", cadence="7", kind="mentor"),
        },
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["Ana", "Bo", "Cy"]),
        (("--kind", "mentor"), ["Ana", "Cy"]),
        (("--tag", "#pycon"), ["Ana"]),
        (("--tag", "work"), ["Bo"]),
        (("--location", "sao paulo"), ["Ana"]),
        (("--location", "Lis"), ["Bo"]),
        (("--limit", "2"), ["Ana", "Bo"]),
        (("--kind", "mentor", "--limit", "1"), ["Ana"]),
    ],
)
def test_filters(tmp_path: Path, args: tuple[str, ...], expected: list[str]) -> None:
    assert names(followups(filtered_vault(tmp_path), *args)) == expected


# -- ranking --------------------------------------------------------------------------------
def test_ranking(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        # an occasion next week
        "People/Birthday Soon.md": person("Birthday Soon", birthday="1990-12-01"),
        # a check-in overdue by half its cadence
        "People/Half Overdue.md": person("Half Overdue", cadence="30", last_contact="2026-10-11"),
        # a check-in overdue by a day of a yearly cadence
        "People/Barely Overdue.md": person(
            "Barely Overdue", cadence="365", last_contact="2025-11-24"
        ),
        # a task overdue
        "People/Late Task.md": person("Late Task", "- [ ] reply \U0001f4c5 2026-11-22\n"),
        # a birthday today
        "People/Birthday Today.md": person("Birthday Today", birthday="1980-11-25"),
        # a check-in coming due in 3 days
        "People/Due Soon.md": person("Due Soon", cadence="30", last_contact="2026-10-29"),
    }
    vault = make_vault(tmp_path, files)
    assert names(followups(vault)) == [
        "Late Task",
        "Half Overdue",
        "Birthday Today",
        "Barely Overdue",
        "Birthday Soon",
        "Due Soon",
    ]


def test_ties_go_to_the_date_then_the_name(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/b.md": person("bea", cadence="30"),
        "People/a.md": person("Zoe", cadence="30"),
        "People/c.md": person("Ann", cadence="30"),
        "People/d.md": person("Dan", birthday="1990-11-28"),
        "People/e.md": person("Cid", birthday="1990-11-28"),
    }
    vault = make_vault(tmp_path, files)
    assert names(followups(vault)) == ["Ann", "bea", "Zoe", "Cid", "Dan"]


def test_ties_between_contacts_use_the_date_of_their_top_reason(tmp_path: Path) -> None:
    # A task due in 2 days and a birthday in 3 days weigh the same; the earlier one leads,
    # even though the second contact also has a (lesser) check-in coming due tomorrow.
    files: dict[str, str | bytes] = {
        "People/Ana.md": person(
            "Ana", cadence="30", last_contact="2026-10-27", birthday="1990-11-28"
        ),
        "People/Bo.md": person("Bo", "- [ ] send it \U0001f4c5 2026-11-27\n"),
    }
    vault = make_vault(tmp_path, files)
    assert names(followups(vault)) == ["Bo", "Ana"]


def test_reasons_of_one_contact_are_most_urgent_first(tmp_path: Path) -> None:
    note = person(
        "Ana",
        "- [ ] reply \U0001f4c5 2026-11-20\n",
        cadence="30",
        last_contact="2026-10-14",
        birthday="1990-11-30",
    )
    vault = make_vault(tmp_path, {"People/Ana.md": note})
    assert [r["type"] for r in followups(vault)[0]["reasons"]] == ["task", "cadence", "birthday"]


# -- table and markdown ----------------------------------------------------------------------
def test_table_has_one_entry_a_contact_in_words(tmp_path: Path) -> None:
    # One row a contact; a contact's further reasons continue on the lines below it with
    # the name, kind and last-contact cells left blank (the layout README.md shows).
    body = "- [ ] send the deck \U0001f4c5 2026-11-26\n"
    files: dict[str, str | bytes] = {
        "People/Ana.md": person(
            "Ana", body, kind="mentor", cadence="30", last_contact="2026-10-14"
        ),
        "People/Bo.md": person("Bo", birthday="1990-12-02"),
    }
    vault = make_vault(tmp_path, files)
    result = run_cli(vault, "followups")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Name", "Kind", "Last", "contact", "Why"]
    why = lines[0].index("Why")
    rows = [(line[:why].split(), line[why:]) for line in lines[2:]]
    assert rows == [
        (["Ana", "mentor", "42", "days", "ago"], "overdue by 12 days (every 30 days)"),
        ([], "task: send the deck (due tomorrow)"),
        (["Bo", "never"], "birthday Wed 2 Dec, turns 36"),
    ]


def test_table_when_nobody_is_due(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana")})
    result = run_cli(vault, "followups")
    assert result.exit_code == 0
    assert result.stdout == "Nobody to follow up with. Enjoy the quiet.\n"


MARKDOWN = (
    # The mark that lets vaultnet overwrite the note it wrote, and only that (issue #15).
    "---\ngenerated_by: vaultnet\n---\n\n"
    "# Follow-ups\n"
    "\n"
    "*Written by vaultnet for Wed 25 Nov 2026, looking 7 days ahead."
    " Regenerated on each run: edits here are overwritten.*\n"
    "\n"
    "- [[Ana Lima]] (mentor), last contact 42 days ago\n"
    "    - overdue by 12 days (every 30 days)\n"
    "- [[bo|Bo Chen]], last contact never\n"
    "    - birthday Wed 2 Dec, turns 36\n"
)


def markdown_vault(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            "People/Ana Lima.md": person(
                "Ana Lima", kind="mentor", cadence="30", last_contact="2026-10-14"
            ),
            "People/bo.md": person("Bo Chen", birthday="1990-12-02"),
        },
    )


def test_markdown_uses_wikilinks(tmp_path: Path) -> None:
    result = run_cli(markdown_vault(tmp_path), "followups", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout == MARKDOWN


def test_write_writes_the_dashboard_only_when_it_changed(tmp_path: Path) -> None:
    vault = markdown_vault(tmp_path)
    # --quiet: Bo has no cadence, and that notice is tests/test_notices.py's business.
    first = run_cli(vault, "--quiet", "followups", "--write")
    assert first.exit_code == 0
    assert first.stderr == "Wrote Follow-ups.md\n"
    dashboard = vault / "Follow-ups.md"
    assert dashboard.read_text() == MARKDOWN
    mtime = dashboard.stat().st_mtime_ns
    again = run_cli(vault, "--quiet", "followups", "--write")
    assert again.stderr == "Unchanged: Follow-ups.md\n"
    assert dashboard.stat().st_mtime_ns == mtime
    # The dashboard links everyone but is no interaction: nothing else changes.
    assert run_cli(vault, "followups").stdout == again.stdout
    tomorrow = run_cli(vault, "--quiet", "followups", "--write", today="2026-11-26")
    assert tomorrow.stderr == "Wrote Follow-ups.md\n"
    assert "Thu 26 Nov 2026" in dashboard.read_text()


def test_write_goes_to_the_configured_dashboard(tmp_path: Path) -> None:
    vault = markdown_vault(tmp_path)
    (vault / ".vaultnet").mkdir()
    (vault / ".vaultnet/config.toml").write_text('dashboard = "Dash/Now.md"\n')
    result = run_cli(vault, "followups", "--write", "--format", "json")
    assert result.exit_code == 0
    assert (vault / "Dash/Now.md").read_text() == MARKDOWN
    assert names(json.loads(result.stdout)) == ["Ana Lima", "Bo Chen"]


# -- upcoming --------------------------------------------------------------------------------
def test_upcoming_order_range_and_archived(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "People/Ana.md": person("Ana", birthday="1990-11-25", work_anniversary="2020-12-25"),
        "People/Bo.md": person("bo", birthday="1990-11-25"),
        "People/Cy.md": person("Cy", dates="\n  wedding: 2015-12-24"),
        "People/Dee.md": person("Dee", birthday="1990-12-26"),  # today + 31
        "People/Eve.md": person("Eve", birthday="1990-11-24"),  # yesterday
        "People/Old.md": person("Old", birthday="1990-11-30", archived="true"),
        "People/Gone.md": person("Gone", birthday="1990-11-30", deceased="true"),
    }
    vault = make_vault(tmp_path, files)
    got = [(o["date"], o["type"], o["label"], o["name"], o["years"]) for o in upcoming(vault)]
    assert got == [
        ("2026-11-25", "birthday", None, "Ana", 36),
        ("2026-11-25", "birthday", None, "bo", 36),
        ("2026-12-24", "date", "wedding", "Cy", 11),
        ("2026-12-25", "anniversary", None, "Ana", 6),
    ]
    assert [o["name"] for o in upcoming(vault, "--days", "31")][-1] == "Dee"
    assert [o["name"] for o in upcoming(vault, "--days", "0")] == ["Ana", "bo"]


def test_upcoming_table(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana", birthday="1990-11-26")})
    result = run_cli(vault, "upcoming")
    assert result.exit_code == 0
    row = result.stdout.splitlines()[2]
    assert row.split("  ")[0] == "Thu 2026-11-26"
    assert "tomorrow" in row and "Ana" in row and "birthday Thu 26 Nov, turns 36" in row


def test_upcoming_when_nothing_is_coming(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana.md": person("Ana")})
    assert run_cli(vault, "upcoming").stdout == "No birthdays or anniversaries coming up.\n"
    assert upcoming(vault) == []
