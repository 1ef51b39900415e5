"""Check-in drafts: templates, the automatic choice, rendering, errors, and --write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from helpers import make_vault, run_cli

from vaultnet.core.checkin import BUILTIN_ORDER, nice_date, silence_words
from vaultnet.render.drafts import mailto, to_plain_text

TODAY = "2026-11-25"

MAYA = """---
name: Maya Okafor
kind: mentor
company: Fieldnote
title: VP of Engineering
email:
  - maya@fieldnote.example
  - maya.okafor@mail.example
location: London
tags: [mentor]
birthday: 1979-03-18
work_anniversary: 2019-06-03
dates:
  promotion: 2025-04-01
cadence: 30d
pronouns: she/her
how_met: LeadDev London 2019
---

# Maya Okafor

## Log

- 2026-10-22 Video call: hiring plan for 2027 and [[Priya Raman|Priya]]'s team.

## Tasks

- [ ] Send Maya the anonymised hiring deck 📅 2026-12-20
"""

# No front matter at all: the name is the file name; no log, no email.
BARE = "Met at a conference once.\n"

CONFIG = """[me]
name = "Jordan Lee"
email = "jordan@example.com"
signature = "Jordan"
"""


def vault_with(tmp_path: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    files: dict[str, str | bytes] = {
        "People/Maya Okafor.md": MAYA,
        "People/Zoë Ünal.md": BARE,
        ".vaultnet/config.toml": CONFIG,
    }
    files.update(extra or {})
    return make_vault(tmp_path, files)


def vault_bytes(vault: Path) -> dict[str, bytes]:
    """Every file of the vault except vaultnet's own (the index cache and its .gitignore)."""
    files = {p.relative_to(vault).as_posix(): p for p in vault.rglob("*") if p.is_file()}
    return {
        rel: p.read_bytes()
        for rel, p in files.items()
        if not rel.startswith(".vaultnet/") or rel == ".vaultnet/config.toml"
    }


def template_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Template: "))


# -- every built-in renders ----------------------------------------------------------------
@pytest.mark.parametrize("template", BUILTIN_ORDER)
@pytest.mark.parametrize("who", ["Maya", "Zoë Ünal"])
def test_every_builtin_renders_for_rich_and_bare_contacts(
    tmp_path: Path, template: str, who: str
) -> None:
    vault = vault_with(tmp_path)
    result = run_cli(vault, "checkin", who, "--template", template)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Template: {template} (chosen with --template)" in out
    subject = next(line for line in out.splitlines() if line.startswith("Subject: "))
    assert len(subject) > len("Subject: ")
    for junk in ("{{", "}}", "{%", "%}", "None", "\n\n\n", " ,", " ."):
        assert junk not in out
    assert out.rstrip().splitlines()[-1] != ""
    if who == "Maya":
        assert "Hi Maya," in out
        assert "mailto:maya@fieldnote.example?subject=" in out
    else:
        assert "Hi Zoë," in out
        assert "To: Zoë Ünal (no email on file)" in out
        assert "mailto:" not in out
    assert "Jordan\n" in out  # the signature from config


def test_builtins_without_me_in_config_still_render(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Bo.md": BARE})
    for template in BUILTIN_ORDER:
        result = run_cli(vault, "checkin", "Bo", "-t", template)
        assert result.exit_code == 0, result.output
        assert result.stdout.count("\n\n\n") == 0


def test_templates_lists_builtins_with_source_and_description(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    result = run_cli(vault, "templates")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines()[1:7]}
    assert list(rows) == list(BUILTIN_ORDER)
    for row in rows.values():
        assert "built-in" in row
    assert "15-minute coffee" in rows["coffee"]
    assert "mentor" in rows["mentor-update"]


# -- the context ---------------------------------------------------------------------------
def test_context_holds_front_matter_fields_and_interaction(tmp_path: Path) -> None:
    body = (
        '---\nsubject: "{{ contact.pronouns }} {{ days_since }}"\ndescription: t\n---\n'
        "{{ contact.name }}|{{ contact.email }}|{{ contact.emails | length }}|"
        "{{ contact.company }}|{{ contact.how_met }}|{{ first_name }}|"
        "{{ last_interaction.date }}|{{ last_interaction.kind }}|{{ last_interaction.text }}|"
        "{{ open_tasks[0].text }}|{{ open_tasks[0].due }}|{{ me.name }}|{{ me.email }}|"
        "{{ today }}|{{ contact.birthday }}|{{ contact.nickname is defined }}\n"
    )
    vault = vault_with(tmp_path, {"Templates/vaultnet/probe.md": body})
    result = run_cli(vault, "checkin", "Maya", "-t", "probe")
    assert result.exit_code == 0, result.output
    assert "Subject: she/her 34" in result.stdout
    assert (
        "Maya Okafor|maya@fieldnote.example|2|Fieldnote|LeadDev London 2019|Maya|"
        "2026-10-22|log|Video call: hiring plan for 2027 and Priya's team.|"
        "Send Maya the anonymised hiring deck|2026-12-20|Jordan Lee|jordan@example.com|"
        "2026-11-25|1979-03-18|False"
    ) in result.stdout


def test_optional_fields_are_none_for_a_bare_contact(tmp_path: Path) -> None:
    body = (
        "---\nsubject: s\ndescription: t\n---\n"
        "{{ contact.company }}|{{ contact.pronouns }}|{{ contact.email }}|{{ last_interaction }}|"
        "{{ days_since }}|{{ occasion }}|{{ open_tasks }}\n"
    )
    vault = vault_with(tmp_path, {"Templates/vaultnet/probe.md": body})
    result = run_cli(vault, "checkin", "Zoë Ünal", "-t", "probe")
    assert result.exit_code == 0, result.output
    assert "None|None|None|None|None|None|[]" in result.stdout


def test_occasion_in_context(tmp_path: Path) -> None:
    body = (
        "---\nsubject: s\ndescription: t\n---\n"
        "{{ occasion.type }}|{{ occasion.date }}|{{ occasion.years }}|{{ occasion.days_away }}\n"
    )
    vault = vault_with(tmp_path, {"Templates/vaultnet/probe.md": body})
    result = run_cli(vault, "checkin", "Maya", "-t", "probe", today="2027-03-15")
    assert result.exit_code == 0, result.output
    assert "birthday|2027-03-18|48|3" in result.stdout


def test_a_mention_in_a_dated_note_is_the_last_interaction(tmp_path: Path) -> None:
    body = (
        "---\nsubject: s\ndescription: t\n---\n"
        "{{ last_interaction.kind }}|{{ last_interaction.text }}|{{ last_interaction.date }}\n"
    )
    vault = vault_with(
        tmp_path,
        {
            "Templates/vaultnet/probe.md": body,
            "Meetings/2026-11-19 Partnership kick-off.md": "With [[Zoë Ünal]].\n",
        },
    )
    result = run_cli(vault, "checkin", "Zoë", "-t", "probe")
    assert result.exit_code == 0, result.output
    assert "mention|Partnership kick-off|2026-11-19" in result.stdout


# -- congratulate reads the occasion -------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "subject", "phrase"),
    [
        ("2027-03-18", "Happy birthday, Maya!", "Happy birthday! I hope today"),
        ("2027-03-14", "Happy birthday, Maya!", "coming up on 18 March, so an early happy"),
        ("2026-06-01", "Happy work anniversary, Maya!", "Congratulations on 7 years at Fieldnote"),
        ("2026-03-30", "Congratulations, Maya!", "It's 1 year since your promotion already"),
        ("2025-03-30", "Congratulations, Maya!", "Congratulations on the promotion!"),
        ("2026-11-25", "Congratulations, Maya!", "I just heard the news about the VP of"),
    ],
)
def test_congratulate_fits_the_occasion(
    tmp_path: Path, today: str, subject: str, phrase: str
) -> None:
    vault = vault_with(tmp_path)
    result = run_cli(vault, "checkin", "Maya", "-t", "congratulate", today=today)
    assert result.exit_code == 0, result.output
    assert f"Subject: {subject}" in result.stdout
    assert phrase in result.stdout


# -- the automatic choice ------------------------------------------------------------------
def person(front: str, log: str = "") -> str:
    return f"---\n{front}\n---\n\n## Log\n\n{log}"


@pytest.mark.parametrize(
    ("note", "today", "template", "why"),
    [
        # A birthday within the horizon (7 days) beats everything else.
        (person("birthday: 1990-11-28\ncadence: 30d", "- 2025-01-01 call\n"), TODAY,
         "congratulate", "birthday Sat 28 Nov, turns 36, within 7 days"),
        # An open task due within the horizon.
        (person("cadence: 30d", "- 2025-01-01 call\n\n- [ ] Send the deck 📅 2026-11-27\n"),
         TODAY, "follow-up", "open task due Fri 27 Nov: Send the deck"),
        (person("cadence: 30d", "- 2026-11-01 call\n\n- [ ] Send the deck 📅 2026-11-20\n"),
         TODAY, "follow-up", "open task overdue since Fri 20 Nov: Send the deck"),
        # Silent for more than twice the cadence.
        (person("cadence: 30d", "- 2026-09-25 call\n"), TODAY,
         "reconnect", "silent for 61 days, over twice the cadence of 30 days"),
        # Exactly twice the cadence is not more than twice.
        (person("cadence: 30d", "- 2026-09-26 call\n"), TODAY, "coffee", "last contact 60 days ago"),
        # No cadence: over 180 days.
        (person("company: X", "- 2026-05-28 call\n"), TODAY,
         "reconnect", "silent for 181 days (over 180, no cadence)"),
        (person("company: X", "- 2026-05-29 call\n"), TODAY, "coffee", "last contact 180 days ago"),
        # Never contacted: nothing to reconnect from.
        (person("company: X"), TODAY, "coffee", "no interaction on record"),
        # A task due beyond the horizon does not count.
        (person("cadence: 30d", "- 2026-11-01 call\n\n- [ ] Send the deck 📅 2026-12-10\n"),
         TODAY, "coffee", "nothing pressing"),
    ],
)  # fmt: skip
def test_automatic_choice(tmp_path: Path, note: str, today: str, template: str, why: str) -> None:
    vault = make_vault(tmp_path, {"People/Ana Silva.md": note})
    result = run_cli(vault, "checkin", "Ana", today=today)
    assert result.exit_code == 0, result.output
    line = template_line(result.stdout)
    assert line.startswith(f"Template: {template} ("), line
    assert why in line


def test_a_kind_default_cadence_counts_for_the_choice(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": '[cadences]\nmentor = "2 weeks"\n',
            "People/Ana.md": person("kind: mentor", "- 2026-10-20 call\n"),
        },
    )
    result = run_cli(vault, "checkin", "Ana")
    assert "Template: reconnect (silent for 36 days, over twice the cadence of 14" in result.stdout


def test_the_horizon_comes_from_config(tmp_path: Path) -> None:
    note = person("birthday: 1990-12-10\ncadence: 30d", "- 2026-11-20 call\n")
    vault = make_vault(tmp_path, {"People/Ana.md": note})
    assert "Template: coffee" in run_cli(vault, "checkin", "Ana").stdout
    (vault / ".vaultnet").mkdir(exist_ok=True)
    (vault / ".vaultnet/config.toml").write_text("horizon_days = 30\n")
    assert "Template: congratulate" in run_cli(vault, "checkin", "Ana").stdout


# -- vault templates -----------------------------------------------------------------------
MY_COFFEE = """---
subject: "Tea instead, {{ first_name }}?"
description: Tea, not coffee.
---
Dear {{ first_name }}, tea?
"""


def test_a_vault_template_replaces_the_builtin_of_that_name(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {"Templates/vaultnet/Coffee.md": MY_COFFEE})
    listing = run_cli(vault, "templates").output
    row = next(line for line in listing.splitlines() if line.lower().startswith("coffee"))
    assert "Templates/vaultnet/Coffee.md (replaces built-in)" in row
    assert "Tea, not coffee." in row
    assert sum(line.lower().startswith("coffee ") for line in listing.splitlines()) == 1
    # The automatic choice for Zoë (never contacted) is coffee: the vault's coffee.
    result = run_cli(vault, "checkin", "Zoë")
    assert result.exit_code == 0, result.output
    assert "Subject: Tea instead, Zoë?" in result.stdout
    assert "Dear Zoë, tea?" in result.stdout


def test_templates_folder_is_configurable_and_new_templates_are_listed(tmp_path: Path) -> None:
    vault = vault_with(
        tmp_path,
        {
            ".vaultnet/config.toml": 'templates_folder = "Meta/Drafts"\n' + CONFIG,
            "Meta/Drafts/thanks.md": "---\nsubject: Thanks\ndescription: Say thanks.\n---\nThanks!\n",
            "Templates/vaultnet/coffee.md": MY_COFFEE,  # not the configured folder: ignored
        },
    )
    listing = run_cli(vault, "templates").output
    assert "Meta/Drafts/thanks.md" in listing
    assert "Tea, not coffee." not in listing
    result = run_cli(vault, "checkin", "Maya", "-t", "THANKS")
    assert result.exit_code == 0, result.output
    assert "Subject: Thanks" in result.stdout


def test_unknown_template_name_lists_the_available_ones(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {"Templates/vaultnet/thanks.md": MY_COFFEE})
    result = run_cli(vault, "checkin", "Maya", "-t", "cofee", "--write")
    assert result.exit_code == 2
    assert (
        "no template named 'cofee'; available: reconnect, follow-up, congratulate" in result.stderr
    )
    assert "thanks" in result.stderr
    assert not (vault / "Check-ins").exists()


# -- broken templates ----------------------------------------------------------------------
def assert_one_line_error(result, *parts: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("vaultnet: error: ")
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0]


def test_unknown_variable_names_file_line_and_variable(tmp_path: Path) -> None:
    text = "---\nsubject: Hi\ndescription: d\n---\nHi {{ first_name }},\n\nHow is {{ nickname }}?\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/coffee.md": text})
    before = vault_bytes(vault)
    result = run_cli(vault, "checkin", "Maya", "-t", "coffee", "--write")
    assert_one_line_error(
        result,
        "Templates/vaultnet/coffee.md:7:",
        "unknown variable 'nickname'",
        "nothing was written",
    )
    assert vault_bytes(vault) == before


def test_unknown_contact_field_is_an_error_but_a_known_empty_one_is_not(tmp_path: Path) -> None:
    ok = "---\nsubject: s\ndescription: d\n---\n{% if contact.linkedin %}x{% endif %}ok\n"
    bad = "---\nsubject: s\ndescription: d\n---\nline\n{{ contact.nickname }}\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/ok.md": ok, "Templates/vaultnet/bad.md": bad})
    assert run_cli(vault, "checkin", "Zoë", "-t", "ok").exit_code == 0
    assert_one_line_error(
        run_cli(vault, "checkin", "Zoë", "-t", "bad"), "Templates/vaultnet/bad.md:6:", "'nickname'"
    )


def test_unknown_variable_in_the_subject_points_at_the_subject_line(tmp_path: Path) -> None:
    text = '---\ndescription: d\nsubject: "Hi {{ nick }}"\n---\nbody\n'
    vault = vault_with(tmp_path, {"Templates/vaultnet/t.md": text})
    assert_one_line_error(
        run_cli(vault, "checkin", "Maya", "-t", "t"),
        "Templates/vaultnet/t.md:3:",
        "(subject)",
        "'nick'",
    )


def test_syntax_error_names_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    text = "---\nsubject: s\ndescription: d\n---\nHi,\n\n{% if contact.company %}\nno end\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/follow-up.md": text})
    before = vault_bytes(vault)
    # Maya has no task due within 7 days on 2026-12-14... but one on 12-20: follow-up.
    result = run_cli(vault, "checkin", "Maya", "--write", today="2026-12-14")
    assert_one_line_error(
        result, "Templates/vaultnet/follow-up.md:", "endif", "nothing was written"
    )
    assert vault_bytes(vault) == before


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "---\nsubject: [unclosed\ndescription: d\n---\nbody\n",
            "t.md:3: template 't': broken YAML",
        ),
        ("---\nsubject: s\nno closing fence\n", "t.md:1:"),
        ("just a body, no front matter\n", "t.md:1:"),
        ("---\ndescription: no subject\n---\nbody\n", "t.md:2:"),
        (b"---\nsubject: s\n---\n\xff\xfe bad bytes\n", "t.md:"),
    ],
)
def test_broken_front_matter_is_listed_and_refused(
    tmp_path: Path, text: str | bytes, where: str
) -> None:
    vault = vault_with(tmp_path, {"Templates/vaultnet/t.md": text})
    listing = run_cli(vault, "templates")
    assert listing.exit_code == 0
    assert "BROKEN:" in next(line for line in listing.output.splitlines() if line.startswith("t "))
    before = vault_bytes(vault)
    assert_one_line_error(run_cli(vault, "checkin", "Maya", "-t", "t", "--write"), where)
    assert vault_bytes(vault) == before


def test_the_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    text = "---\nsubject: s\ndescription: d\n---\n{{ contact.__class__.__mro__ }}\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/t.md": text})
    assert_one_line_error(run_cli(vault, "checkin", "Maya", "-t", "t"), "t.md:5:")


def test_a_runtime_error_in_a_template_is_reported_with_its_line(tmp_path: Path) -> None:
    text = "---\nsubject: s\ndescription: d\n---\nfine\n\n{{ 1 // 0 }}\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/t.md": text})
    assert_one_line_error(run_cli(vault, "checkin", "Maya", "-t", "t"), "t.md:7:", "ZeroDivision")


# -- output formats ------------------------------------------------------------------------
RICH = """---
subject: "Notes for {{ first_name }}"
description: d
---
# Catching up

Hi **{{ first_name }}**, a _quick_ note about [[People/Maya Okafor|you]] and `code`.

> Quoted line
* a [link](https://example.com/x) and [https://example.com](https://example.com)
"""


def test_text_format_drops_markdown(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {"Templates/vaultnet/rich.md": RICH})
    md = run_cli(vault, "checkin", "Maya", "-t", "rich").stdout
    assert "Hi **Maya**, a _quick_ note about [[People/Maya Okafor|you]]" in md
    text = run_cli(vault, "checkin", "Maya", "-t", "rich", "--format", "text").stdout
    assert "Catching up\n\nHi Maya, a quick note about you and code." in text
    assert "Quoted line\n- a link (https://example.com/x) and https://example.com" in text
    for mark in ("**", "[[", "`", "# ", "> "):
        assert mark not in text.split("mailto:")[0]


def test_to_plain_text_keeps_underscores_inside_words() -> None:
    assert to_plain_text("snake_case_name and 2*3*4\n") == "snake_case_name and 2*3*4\n"
    assert to_plain_text("## Title ##\n\n\n\nText\n") == "Title\n\nText\n"


def test_mailto_link_round_trips_subject_and_plain_body(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {"Templates/vaultnet/rich.md": RICH})
    out = run_cli(vault, "checkin", "Maya", "-t", "rich").stdout
    link = next(line for line in out.splitlines() if line.startswith("mailto:"))
    parts = urlsplit(link)
    assert unquote(parts.path) == "maya@fieldnote.example"
    assert " " not in link and "\n" not in link
    query = parse_qs(parts.query)
    assert query["subject"] == ["Notes for Maya"]
    body = query["body"][0]
    assert body.startswith("Catching up\r\n\r\nHi Maya, a quick note")
    assert "**" not in body


def test_mailto_encodes_unicode_and_reserved_characters() -> None:
    link = mailto("zoë@example.com", "Café & co?", "a=b\nc")
    assert link == "mailto:zo%C3%AB@example.com?subject=Caf%C3%A9%20%26%20co%3F&body=a%3Db%0D%0Ac"


# -- --write ---------------------------------------------------------------------------------
def test_write_saves_a_draft_note_and_touches_nothing_else(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)
    before = vault_bytes(vault)
    result = run_cli(vault, "checkin", "Maya", "-t", "coffee", "--write")
    assert result.exit_code == 0, result.output
    assert "Wrote Check-ins/2026-11-25 Maya Okafor.md" in result.stderr
    note = vault / "Check-ins" / "2026-11-25 Maya Okafor.md"
    text = note.read_text(encoding="utf-8")
    assert text.startswith(
        '---\ncontact: "[[Maya Okafor]]"\ntemplate: coffee\ndate: 2026-11-25\n'
        "subject: Coffee, Maya?\nstatus: draft\n---\n\nHi Maya,\n"
    )
    assert text.endswith("Jordan\n")
    after = vault_bytes(vault)
    assert after.pop("Check-ins/2026-11-25 Maya Okafor.md") == text.encode("utf-8")
    assert after == before


def test_write_never_overwrites(tmp_path: Path) -> None:
    vault = vault_with(tmp_path, {"Check-ins/2026-11-25 Maya Okafor.md": "mine\n"})
    first = run_cli(vault, "checkin", "Maya", "--write")
    second = run_cli(vault, "checkin", "Maya", "--write")
    assert first.exit_code == second.exit_code == 0
    assert "Wrote Check-ins/2026-11-25 Maya Okafor 2.md" in first.stderr
    assert "Wrote Check-ins/2026-11-25 Maya Okafor 3.md" in second.stderr
    assert (vault / "Check-ins/2026-11-25 Maya Okafor.md").read_text() == "mine\n"


def test_write_uses_the_configured_folder_and_a_safe_file_name(tmp_path: Path) -> None:
    vault = vault_with(
        tmp_path,
        {
            ".vaultnet/config.toml": 'checkins_folder = "Outbox/Drafts"\n',
            "People/ac-dc.md": '---\nname: "AC/DC: Fan?"\n---\n',
        },
    )
    result = run_cli(vault, "checkin", "ac-dc", "--write")
    assert result.exit_code == 0, result.output
    written = list((vault / "Outbox/Drafts").iterdir())
    assert [p.name for p in written] == ["2026-11-25 AC-DC - Fan.md"]
    text = written[0].read_text(encoding="utf-8")
    # The link targets the file, and shows the name.
    assert 'contact: "[[ac-dc|AC/DC: Fan?]]"' in text


def test_a_draft_is_not_an_interaction(tmp_path: Path) -> None:
    vault = vault_with(tmp_path)

    def last_contact() -> str | None:
        rows = json.loads(run_cli(vault, "list", "--format", "json", today="2026-11-30").stdout)
        return next(r["last_contact"] for r in rows if r["name"] == "Zoë Ünal")

    assert last_contact() is None
    assert run_cli(vault, "checkin", "Zoë", "--write").exit_code == 0
    assert (vault / "Check-ins/2026-11-25 Zoë Ünal.md").is_file()
    assert last_contact() is None
    # Once sent (status changed), it is one.
    note = vault / "Check-ins/2026-11-25 Zoë Ünal.md"
    note.write_text(note.read_text(encoding="utf-8").replace("status: draft", "status: sent"))
    assert last_contact() == "2026-11-25"


# -- --due -----------------------------------------------------------------------------------
def test_due_drafts_one_per_followup_and_writes_one_note_each(tmp_path: Path) -> None:
    vault = vault_with(
        tmp_path,
        {
            "People/Ana Silva.md": person("cadence: 30d", "- 2026-01-10 call\n"),
            "People/Bo Chen.md": person("cadence: 90d", "- 2026-11-20 call\n"),  # not due
        },
    )
    listed = run_cli(vault, "followups", "--format", "json")
    names = sorted(item["name"] for item in json.loads(listed.stdout))
    result = run_cli(vault, "checkin", "--due", "--write")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (vault / "Check-ins").iterdir())
    assert written == [f"2026-11-25 {n}.md" for n in names]
    assert "Bo Chen" not in names
    assert "Template: reconnect" in result.stdout  # Ana: silent for over 10 months
    assert result.stdout.count("To: ") == len(names)


def test_due_with_nobody_due(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Bo.md": person("cadence: 90d", "- 2026-11-20 x\n")})
    result = run_cli(vault, "checkin", "--due", "--write")
    assert result.exit_code == 0
    assert "Nobody to check in with within 7 days." in result.stdout
    assert not (vault / "Check-ins").exists()


def test_due_renders_everything_before_writing_anything(tmp_path: Path) -> None:
    bad = "---\nsubject: s\ndescription: d\n---\n{{ nope }}\n"
    vault = vault_with(
        tmp_path,
        {
            "People/Ana.md": person("cadence: 30d", "- 2026-01-10 call\n"),  # reconnect
            "Templates/vaultnet/coffee.md": bad,  # Zoë, never contacted: coffee
        },
    )
    result = run_cli(vault, "checkin", "--due", "--write")
    assert_one_line_error(result, "coffee.md:5:", "'nope'")
    assert not (vault / "Check-ins").exists()


@pytest.mark.parametrize("args", [[], ["Maya", "--due"]])
def test_name_xor_due(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(vault_with(tmp_path), "checkin", *args)
    assert result.exit_code == 2
    assert "NAME, or --due" in result.stderr


def test_unknown_contact(tmp_path: Path) -> None:
    result = run_cli(vault_with(tmp_path), "checkin", "Nobody Here")
    assert result.exit_code == 2
    assert "no contact named 'Nobody Here'" in result.stderr


# -- small pieces and start-up ---------------------------------------------------------------
def test_silence_words() -> None:
    assert [silence_words(d) for d in (None, 1, 10, 20, 100, 400, 1000)] == [
        None, "a day", "10 days", "2 weeks", "about 3 months", "over a year", "over 2 years",
    ]  # fmt: skip


def test_nice_date_adds_the_year_only_when_it_differs() -> None:
    from datetime import date

    assert nice_date(date(2026, 12, 3), date(2026, 11, 25)) == "3 December"
    assert nice_date(date(2025, 1, 21), date(2026, 11, 25)) == "21 January 2025"


def test_commands_do_not_import_jinja_at_start_up() -> None:
    code = "import sys, vaultnet.cli; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_note_front_matter_reads_back_the_subject_exactly(tmp_path: Path) -> None:
    import yaml

    tricky = (
        '---\nsubject: "Re: \\"ideas\\" #1 - {x} & {{ first_name }}: yes"\ndescription: d\n---\nx\n'
    )
    vault = vault_with(tmp_path, {"Templates/vaultnet/t.md": tricky})
    result = run_cli(vault, "checkin", "Zoë", "-t", "t", "--write")
    assert result.exit_code == 0, result.output
    text = (vault / "Check-ins/2026-11-25 Zoë Ünal.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["subject"] == 'Re: "ideas" #1 - {x} & Zoë: yes'
    assert front["contact"] == "[[Zoë Ünal]]"
    assert str(front["date"]) == "2026-11-25"
    assert front["status"] == "draft"


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from vaultnet.cli import checkin as cli_checkin

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    items = ["a", "b", "c"]
    monkeypatch.setattr(cli_checkin.sys, "stderr", io.StringIO())
    assert list(cli_checkin._progress(items, "Drafting")) == items  # type: ignore[arg-type]
    assert cli_checkin.sys.stderr.getvalue() == ""
    term = Terminal()
    monkeypatch.setattr(cli_checkin.sys, "stderr", term)
    assert list(cli_checkin._progress(items, "Drafting")) == items  # type: ignore[arg-type]
    assert "Drafting" in term.getvalue()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            "range() of more than 10000",
        ),
        (
            "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}",
            "more than 200000 loop steps",
        ),
        ("{{ 'x' * 1000000000 }}", "a value longer than 200000"),
        ("{% set n = 1000000000 %}{{ 'x' * n }}", "a value longer than 200000"),
        ("{% set n = 100 %}{{ 10 ** 10 ** n }}", "too large a number"),
        (
            "{% for a in range(9000) %}{{ contact.name * 20 }}{% endfor %}",
            "output longer than 200000",
        ),
    ],
)
def test_a_runaway_template_is_stopped_with_its_name(tmp_path: Path, body: str, words: str) -> None:
    import time

    note = f"---\nsubject: Hi\ndescription: t\n---\n{body}\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/runaway.md": note})
    began = time.perf_counter()
    result = run_cli(vault, "checkin", "Maya", "-t", "runaway")
    assert time.perf_counter() - began < 5
    assert result.exit_code != 0
    assert "template 'runaway' (body): too much work" in result.stderr and words in result.stderr
    assert "Templates/vaultnet/runaway.md" in result.stderr
    assert result.stderr.count("\n") == 1


def test_loops_within_the_limits_still_render(tmp_path: Path) -> None:
    body = "{% for a in range(3) %}{% for b in range(2) %}{{ a }}{{ b }} {% endfor %}{% endfor %}"
    note = f"---\nsubject: Hi\ndescription: t\n---\n{body}\n"
    vault = vault_with(tmp_path, {"Templates/vaultnet/loops.md": note})
    result = run_cli(vault, "checkin", "Maya", "-t", "loops")
    assert result.exit_code == 0, result.output
    assert "00 01 10 11 20 21" in result.stdout
