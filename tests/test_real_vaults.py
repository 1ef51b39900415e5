"""Vaults as people already write them (issue #14): other folders and markers, other key
spellings and value forms, the vault's own daily notes, and what is (not) an interaction.

Each vault here is small and written for the test, one convention at a time; the asserts
are on what a user sees: `list --format json`, `followups`, `upcoming` and the feed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from helpers import make_vault, run_cli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vaultnet.core.links import WIKILINK
from vaultnet.core.yamltext import yaml_scalar
from vaultnet.vault.frontmatter import load_yaml
from vaultnet.vault.parse import Rules, parse_note

TODAY = "2026-11-25"


def listed(vault: Path) -> dict[str, dict[str, Any]]:
    result = run_cli(vault, "list", "--format", "json", today=TODAY)
    assert result.exit_code == 0, result.output
    return {c["name"]: c for c in json.loads(result.stdout)}


def person(name: str = "", body: str = "", **fields: str) -> str:
    lines = [f"{k}: {v}" for k, v in fields.items()]
    if name:
        lines.insert(0, f"name: {name}")
    front = "---\n" + "".join(line + "\n" for line in lines) + "---\n" if lines else ""
    return front + body


# -- where people are ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "people/Ana Lima.md",
        "Contacts/Ana Lima.md",
        "PERSONS/Ana Lima.md",
        "👤 People/Ana Lima.md",
        "10 Example Data/people/Ana Lima.md",
        "01 - Contacts/Work/Ana Lima.md",
    ],
)
def test_people_folders_are_found_in_any_case_and_form(tmp_path: Path, path: str) -> None:
    vault = make_vault(tmp_path, {path: person(company="Acme"), "Notes/Idea.md": "# idea\n"})
    assert list(listed(vault)) == ["Ana Lima"]


@pytest.mark.parametrize(
    "text",
    [
        '---\ncategories: ["[[People]]"]\n---\n',
        '---\ncategories:\n  - "[[People]]"\n---\n',
        "---\ncategories: [[Person]]\n---\n",
        "---\ntype: [person]\n---\n",
        "---\ntype: Contact\n---\n",
        "---\ntags: Person\n---\n",
        "---\ntags: [people/colleague]\n---\n",
        "# Ana\n\nMet at the conference. #Contact\n",
        "Notes about Ana.\n#people/alumni #design\n",
    ],
)
def test_markers_make_a_person_anywhere(tmp_path: Path, text: str) -> None:
    vault = make_vault(tmp_path, {"Ana Lima.md": text, "Other.md": "Just #notes here.\n"})
    assert list(listed(vault)) == ["Ana Lima"]


def test_what_is_not_a_person(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Frances Ha.md": person(kind="friend"),
            "People/frances/2008-01-28.md": "Lunch with [[Frances Ha]].\n",
            "People/People.md": "Index of [[Frances Ha]].\n",
            "People/README.md": "How this folder works.\n",
            "People/_template.md": "---\nname:\naliases: []\nbirthday:  # MM-DD\n---\n",
            "People/_aliases.md": "| mom | [Frances Ha](Frances%20Ha.md) |\n",
            "People/Person Template.md": "---\nname:\n---\n",
            "templates/people.md": "---\ntype: person\nname: Someone\n---\n",
            "People/Sync with team.md": "---\ntype: meeting\n---\n[[Frances Ha]]\n",
            "_templates/Person.md": "---\nname: {{title}}\nbirthday:\n---\n",
            "Templater/Contact.md": "---\nname: <% tp.file.title %>\ncreated: <% tp.date.now() %>\n---\n",
            "Inbox/New person.md": '---\ntype: person\nname: "{{title}}"\ndate: {{date}}\n---\n',
            ".obsidian/templates.json": '{"folder": "_templates"}',
            ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "Templater"}',
        },
    )
    assert list(listed(vault)) == ["Frances Ha"]
    check = run_cli(vault, "check", today=TODAY)
    assert "broken YAML" not in check.stdout, check.stdout  # templates are not notes


# -- what fields are called and what values look like -----------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("Birthday", "1990-05-01"),
        ("BDAY", "1990-05-01"),
        ("bday", "1990-05-01"),
        ("birthdate", "1990-05-01"),
        ("date_of_birth", "1990-05-01"),
        ("prm-birthday", "1990-05-01"),
        ("birthday", "May 1, 1990"),
        ("birthday", "1 May 1990"),
        ("birthday", "19900501"),
        ("birthday", "01/05/1990 "),  # ambiguous on its own: read below as a problem
    ],
)
def test_birthday_spellings_and_forms(tmp_path: Path, key: str, value: str) -> None:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": f"---\n{key}: {value}\n---\n"})
    ana = listed(vault)["Ana Lima"]
    if value.strip() == "01/05/1990":
        assert ana["birthday"] is None
        check = run_cli(vault, "check", today=TODAY).stdout
        assert f"{key}: '01/05/1990' is ambiguous" in check
    else:
        assert ana["birthday"] == "1990-05-01"


@pytest.mark.parametrize("value", ["0000-07-23", "1604-07-23", "--07-23", "07-23", "July 23"])
def test_birthdays_without_a_year(tmp_path: Path, value: str) -> None:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": f"---\nbirthday: {value}\n---\n"})
    assert listed(vault)["Ana Lima"]["birthday"] == "--07-23"


def test_other_field_spellings(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/a.md": "---\nFN: Ana Lima\nORG: Acme\nE-mail: ana@acme.example\n"
            "TEL[CELL]: 0301234567\nlastContact: 2026-11-01\nprm-cadence: 30\n---\n",
            "People/b.md": "---\nN.GN: Bo\nN.FN: Chen\norganization: Initech\n"
            "EMAIL[HOME]: bo@home.example\nEmail: bo@initech.example\nPhone: +49 30 1234\n"
            "last_contacted: 2026-10-02\n---\n",
            "People/c.md": "---\nname:\n  first: Cy\n  last: Dorn\nCompany: Hooli\n"
            "prm-last-contacted: 2026-09-03\n---\n",
            "People/d.md": "---\nname: Di Evans\n---\nbirthday:: 1985-02-03\n"
            "company:: Globex\n- last_chat:: 2026-08-04\n",
        },
    )
    people = listed(vault)
    assert sorted(people) == ["Ana Lima", "Bo Chen", "Cy Dorn", "Di Evans"]
    ana, bo, cy, di = (people[n] for n in sorted(people))
    assert (ana["company"], ana["emails"], ana["phone"]) == (
        "Acme",
        ["ana@acme.example"],
        "0301234567",
    )
    assert (ana["last_contact"], ana["cadence_days"]) == ("2026-11-01", 30)
    assert bo["company"] == "Initech" and bo["emails"] == ["bo@home.example", "bo@initech.example"]
    assert (bo["phone"], bo["last_contact"]) == ("+49 30 1234", "2026-10-02")
    assert (cy["company"], cy["last_contact"]) == ("Hooli", "2026-09-03")
    assert (di["birthday"], di["company"], di["last_contact"]) == (
        "1985-02-03",
        "Globex",
        "2026-08-04",
    )


def test_the_config_adds_spellings(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana Lima.md": "---\nGeburtstag: 1990-05-01\nFirma: Acme\n---\n",
            ".vaultnet/config.toml": '[fields]\nbirthday = ["Geburtstag"]\ncompany = ["Firma"]\n',
        },
    )
    ana = listed(vault)["Ana Lima"]
    assert (ana["birthday"], ana["company"]) == ("1990-05-01", "Acme")


def test_values_are_text_unless_the_field_says_otherwise(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ola Nordmann.md": "---\nphone: 0301234567\nlocation: NO\ntitle: 1:30\n"
            "time: 11:01\narchived: no\n---\n"
        },
    )
    ola = listed(vault)["Ola Nordmann"]
    assert (ola["phone"], ola["location"], ola["title"]) == ("0301234567", "NO", "1:30")
    assert ola["archived"] is False
    shown = run_cli(vault, "show", "ola", today=TODAY).stdout
    assert "time: 11:01" in shown
    vcf = run_cli(vault, "export", "vcard", today=TODAY).stdout
    assert "TEL:0301234567" in vcf.replace("TEL;TYPE=voice:", "TEL:")


# -- what an interaction is ------------------------------------------------------------------


def last_contact(vault: Path, name: str = "Cat Ng") -> str | None:
    value: str | None = listed(vault)[name]["last_contact"]
    return value


def test_links_that_are_plans_quotes_embeds_or_code_do_not_count(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Cat Ng.md": person(cadence="2w"),
            "Daily/2026-11-20.md": "- [ ] call [[Cat Ng]] about the offsite\n",
            "Daily/2026-11-21.md": "> [[Cat Ng]] said: ship it\n",
            "Daily/2026-11-22.md": "![[Cat Ng]]\n",
            "Daily/2026-11-23.md": "```\n[[Cat Ng]]\n```\nand `[[Cat Ng]]` inline\n",
            "Daily/2026-11-10.md": "Coffee with [[Cat Ng]].\n",
        },
    )
    assert last_contact(vault) == "2026-11-10"
    # The check-in is still due: the open task did not switch the reminder off.
    followups = run_cli(vault, "followups", "--format", "json", today=TODAY)
    (cat,) = json.loads(followups.stdout)
    assert [r["type"] for r in cat["reasons"]] == ["cadence"]
    why = run_cli(vault, "show", "Cat Ng", "--why", today=TODAY).stdout
    for reason in ("open task", "quote", "embed"):
        assert reason in why, why


def test_completed_tasks_count_on_their_day(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Cat Ng.md": person(
                cadence="2w",
                body="## Log\n- 2026-10-01 Lunch\n\n- [x] Call her back ✅ 2026-11-12\n",
            ),
            "Projects/Offsite.md": "- [x] Asked [[Cat Ng]] for the budget ✅ 2026-11-18\n",
        },
    )
    assert last_contact(vault) == "2026-11-18"


def test_life_events_are_not_interactions_when_there_is_a_log(tmp_path: Path) -> None:
    body = (
        "## About\n- 2007-12-17: Moved to Lisbon\n- 2026-11-19: Started at Hooli\n\n"
        "## Log\n- 2026-10-01 Coffee\n"
    )
    vault = make_vault(tmp_path, {"People/Cat Ng.md": person(body=body)})
    assert last_contact(vault) == "2026-10-01"
    no_log = "## Timeline\n- 2026-11-19 Started at Hooli\n\n## Notes\n- 2026-10-05 Call\n"
    vault2 = make_vault(tmp_path / "b", {"People/Cat Ng.md": person(body=no_log)})
    assert last_contact(vault2) == "2026-10-05"


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        (
            {".obsidian/daily-notes.json": '{"folder": "Journal", "format": "DD-MM-YYYY"}'},
            "Journal/21-11-2026.md",
        ),
        ({".obsidian/daily-notes.json": '{"format": "MMMM D, YYYY"}'}, "November 21, 2026.md"),
        (
            {
                ".obsidian/plugins/periodic-notes/data.json": '{"daily": {"enabled": true, "folder": "Log", "format": "YYYY/MM/YYYY-MM-DD"}}'
            },
            "Log/2026/11/2026-11-21.md",
        ),
        (
            {".vaultnet/config.toml": 'daily_folder = "J"\ndaily_format = "D MMM YYYY"\n'},
            "J/21 Nov 2026.md",
        ),
    ],
)
def test_daily_notes_in_the_vaults_own_format(
    tmp_path: Path, settings: dict[str, str], path: str
) -> None:
    vault = make_vault(
        tmp_path, {"People/Cat Ng.md": person(), path: "Lunch with [[Cat Ng]].\n", **settings}
    )
    assert last_contact(vault) == "2026-11-21"


def test_meeting_notes_by_date_key_or_name_and_plain_attendees(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Chuck Blake.md": person(),
            "People/Ben Cohen.md": person(),
            "People/bernie.md": person(name="Bernie Sanders"),
            "Meetings/Planning.md": "---\nDate: 2026-11-19\nattendees: [Chuck Blake, Ben Cohen]\n---\n",
            "Meetings/Meeting - 2026-11-23 1000.md": "---\npeople: [bernie]\n---\nNotes.\n",
            "Meetings/Retro.md": "---\nparticipants: ben-cohen\n---\nNo date, no interaction.\n",
        },
    )
    people = listed(vault)
    assert people["Chuck Blake"]["last_contact"] == "2026-11-19"
    assert people["Ben Cohen"]["last_contact"] == "2026-11-19"
    assert people["Bernie Sanders"]["last_contact"] == "2026-11-23"


# -- what reports show -------------------------------------------------------------------------


def test_every_readable_birthday_reaches_the_calendar(tmp_path: Path) -> None:
    files = {
        "people/a.md": "---\nname: A One\nBirthday: 1990-12-01\n---\n",
        "people/b.md": "---\nname: B Two\nBDAY: 19911202\n---\n",
        "people/c.md": "---\nname: C Three\nbirthdate: December 3, 1992\n---\n",
        "people/d.md": "---\nname: D Four\nbday: 0000-12-04\n---\n",
        "Family/e.md": "---\ntags: [person]\ndate_of_birth: 5 Dec 1993\n---\n",
        "f.md": "---\ncategories: ['[[People]]']\nname: F Six\n---\nbirthday:: 1994-12-06\n",
    }
    vault = make_vault(tmp_path, files)
    ics = run_cli(vault, "ics", today=TODAY)
    assert ics.exit_code == 0, ics.output
    events = icalendar.Calendar.from_ical(ics.stdout_bytes).walk("VEVENT")
    days = sorted((e["DTSTART"].dt.month, e["DTSTART"].dt.day) for e in events)
    assert days == [(12, d) for d in range(1, 7)]
    upcoming = run_cli(vault, "upcoming", "--days", "11", "--format", "json", today=TODAY)
    assert [o["date"] for o in json.loads(upcoming.stdout)] == [
        date(2026, 12, d).isoformat() for d in range(1, 7)
    ]


def test_a_vault_where_nothing_is_found_says_what_to_do(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"Notes/Idea.md": "# An idea\n"})
    result = run_cli(vault, "followups", today=TODAY)
    assert result.exit_code == 0
    assert "run `vaultnet init`" in result.stderr


# -- properties: the schema types values, and never bends the text --------------------------


TEXT_FIELDS = {"company": "company", "title": "title", "phone": "phone", "location": "location",
               "linkedin": "linkedin", "how_met": "how_met", "ORG": "company", "TEL[CELL]": "phone"}  # fmt: skip
_words = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=24,
).filter(lambda s: s.strip() and s.strip().lower() not in ("null", "~") and "," not in s)
# A link in a text field reads as the note's name (tested on its own): none in these words.
_words = _words.filter(lambda s: not any(m.group(1).strip() for m in WIKILINK.finditer(s)))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(TEXT_FIELDS)), _words, st.booleans())
@example("ORG", "0[[]]", True)  # an empty link links nothing: its text stays
@example("ORG", "0[[^]]", True)  # nor does one to no block (or heading) of no note
def test_a_text_field_keeps_its_text(key: str, value: str, plain: bool) -> None:
    written = value if plain else yaml_scalar(value)
    front = f"{key}: {written}\n"
    try:
        loaded = load_yaml(front)
    except Exception:
        loaded = None
    if not isinstance(loaded, dict) or loaded.get(key) != value:
        written = yaml_scalar(value)  # not plain YAML text: as a user would have to quote it
    note = parse_note("People/Ana Lima.md", f"---\n{key}: {written}\n---\n".encode(), Rules())
    assert note.contact is not None
    assert getattr(note.contact, TEXT_FIELDS[key]) == value.strip(), note.problems


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


def _forms(d: date) -> list[str]:
    month = _MONTHS[d.month - 1]
    forms = [d.isoformat(), d.strftime("%Y%m%d"), f"{d.day} {month} {d.year}",
             f"{month} {d.day}, {d.year}", f"{d.day} {month[:3]} {d.year}"]  # fmt: skip
    if d.day > 12:
        forms.append(f"{d.day:02d}/{d.month:02d}/{d.year}")
    return forms


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(1901, 1, 1), date(2099, 12, 31)),
    st.sampled_from(
        ["birthday", "Birthday", "bday", "date_of_birth", "last_contact", "lastContact"]
    ),
    st.integers(0, 5),
)
def test_a_date_a_person_reads_is_never_dropped(d: date, key: str, form: int) -> None:
    forms = _forms(d)
    value = forms[form % len(forms)]
    note = parse_note("People/Ana Lima.md", f"---\n{key}: {value}\n---\n".encode(), Rules())
    c = note.contact
    assert c is not None and not note.problems, (value, note.problems)
    if "birth" in key.lower() or key == "bday":
        assert c.birthday is not None and (c.birthday.year, c.birthday.month, c.birthday.day) == (
            d.year if d.year not in (1604, 1900) else None,
            d.month,
            d.day,
        )
    else:
        assert c.last_contact == d


def test_add_puts_a_new_contact_beside_the_others(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "👤 contacts/Ana Lima.md": person(),
            "👤 contacts/Bo Chen.md": person(),
            "Archive/people/Old Friend.md": person(),
        },
    )
    result = run_cli(vault, "add", "Cy Dorn", today=TODAY)
    assert result.stdout == "Created 👤 contacts/Cy Dorn.md\n"
    empty = make_vault(tmp_path / "e", {"Notes/Idea.md": "# idea\n"})
    assert run_cli(empty, "add", "Cy Dorn", today=TODAY).stdout == "Created People/Cy Dorn.md\n"


def test_a_link_in_a_text_field_reads_as_the_notes_name(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "References/Steph.md": '---\ncategories:\n  - "[[People]]"\norg:\n  - "[[Obsidian]]"\n'
            'location: "[[Places/San Francisco|SF]]"\n---\n'
        },
    )
    steph = listed(vault)["Steph"]
    assert (steph["company"], steph["location"]) == ("Obsidian", "SF")


def test_fields_grouped_under_contacts(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "10 Example Data/people/Ansh V.md": "---\nbirthday: 1995-08-08\nrelationship: friend\n"
            "contacts:\n  phone: 01796628361\n  mail: ansh@example.com\n---\n"
        },
    )
    ansh = listed(vault)["Ansh V"]
    assert (ansh["kind"], ansh["phone"], ansh["emails"]) == (
        "friend",
        "01796628361",
        ["ansh@example.com"],
    )


@pytest.mark.parametrize(
    "code",
    [
        "````\n```\n## Log\n- 2026-11-20 not a log\n```\n````\n",
        "```\n## Log\n- 2026-11-20 not a log\n~~~\n```\n",
    ],
)
def test_a_log_inside_code_is_not_a_log(tmp_path: Path, code: str) -> None:
    body = "## Notes\n" + code + "\n## Log\n- 2026-10-01 Coffee\n"
    vault = make_vault(tmp_path, {"People/Cat Ng.md": person(body=body)})
    assert last_contact(vault) == "2026-10-01"
    result = run_cli(vault, "log", "Cat Ng", "Lunch", "--date", "2026-11-02", today=TODAY)
    assert result.exit_code == 0, result.output
    text = (vault / "People/Cat Ng.md").read_text()
    assert text.endswith("- 2026-10-01 Coffee\n- 2026-11-02 Lunch\n"), text


def test_log_and_snooze_keep_the_notes_own_spelling(tmp_path: Path) -> None:
    text = "---\nname: Cat Ng\nlastContact: 2026-10-01\nSnooze Until: 2026-11-01\n---\n## Log\n"
    vault = make_vault(tmp_path, {"People/Cat Ng.md": text})
    assert run_cli(vault, "log", "Cat", "Lunch", "--date", "2026-11-20", today=TODAY).exit_code == 0
    assert run_cli(vault, "snooze", "Cat", "--until", "2026-12-20", today=TODAY).exit_code == 0
    after = (vault / "People/Cat Ng.md").read_text()
    assert after == (
        "---\nname: Cat Ng\nlastContact: 2026-11-20\nSnooze Until: 2026-12-20\n---\n"
        "## Log\n- 2026-11-20 Lunch\n"
    ), after
