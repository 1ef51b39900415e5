"""notes: bytes -> ParsedNote, including a corpus of nasty inputs."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.core.dates import YearlyDate
from vaultnet.core.model import ParsedNote
from vaultnet.core.names import fold
from vaultnet.vault.frontmatter import decode, split_front_matter
from vaultnet.vault.parse import Rules, parse_note

RULES = Rules()


def parse(path: str, text: str | bytes) -> ParsedNote:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_note(path, data, RULES)


def messages(note: ParsedNote) -> list[str]:
    return [str(p) for p in note.problems]


FULL = """---
name: Zoë Martín
aliases: [Zoe, ZM]
kind: Colleague
company: Lumen Labs
title: Staff Designer
email: [zoe@example.com, zm@example.org]
phone: "+49 30 1234"
linkedin: https://www.linkedin.com/in/zoe
location: Berlin
tags: [person, "#design"]
birthday: --03-15
work_anniversary: 2021-06-01
dates:
  promotion: 2025-11-27
  kid: "--07-04"
cadence: 2 weeks
last_contact: 2026-10-01
snooze_until: "2026-12-01"
introduced_by: "[[People/Maya Okafor|Maya]]"
how_met: Design guild
archived: false
deceased: false
private: true
shoe_size: 38
---
# Zoë
"""


def test_every_contact_field() -> None:
    note = parse("People/Zoë Martín.md", FULL)
    assert note.problems == []
    c = note.contact
    assert c is not None
    assert c.name == "Zoë Martín"
    assert c.aliases == ["Zoe", "ZM"]
    assert c.kind == "colleague"
    assert (c.company, c.title) == ("Lumen Labs", "Staff Designer")
    assert c.emails == ["zoe@example.com", "zm@example.org"]
    assert c.phone == "+49 30 1234"
    assert c.linkedin == "https://www.linkedin.com/in/zoe"
    assert c.location == "Berlin"
    assert c.tags == ["person", "design"]
    assert c.birthday == YearlyDate(3, 15, None)
    assert c.work_anniversary == YearlyDate(6, 1, 2021)
    assert c.dates == {"promotion": YearlyDate(11, 27, 2025), "kid": YearlyDate(7, 4, None)}
    assert (c.cadence_days, c.cadence_set) == (14, True)
    assert c.last_contact == date(2026, 10, 1)
    assert c.snooze_until == date(2026, 12, 1)
    assert c.introduced_by == "Maya Okafor"
    assert c.how_met == "Design guild"
    assert (c.archived, c.deceased, c.private) == (False, False, True)
    # Unknown keys are kept, JSON-safe.
    assert note.front["shoe_size"] == "38"  # unknown keys keep their text
    assert note.front["work_anniversary"] == "2021-06-01"


def test_defaults_from_the_file_name() -> None:
    c = parse("People/Noah Lee.md", "No front matter at all.\n").contact
    assert c is not None
    assert c.name == "Noah Lee"
    assert (c.aliases, c.emails, c.tags, c.cadence_set) == ([], [], [], False)


def test_string_forms_of_list_fields() -> None:
    c = parse("People/A.md", "---\naliases: Ann\nemail: a@example.com\ntags: person, vip\n---\n")
    assert c.contact is not None
    assert c.contact.aliases == ["Ann"]
    assert c.contact.emails == ["a@example.com"]
    assert c.contact.tags == ["person", "vip"]


@pytest.mark.parametrize(
    ("value", "deceased"), [("true", True), ("2020-05-01", True), ("false", False)]
)
def test_deceased_true_or_a_date(value: str, deceased: bool) -> None:
    c = parse("People/A.md", f"---\ndeceased: {value}\n---\n").contact
    assert c is not None and c.deceased is deceased


@pytest.mark.parametrize(
    ("path", "front", "is_contact"),
    [
        ("People/A.md", "", True),
        ("People/Sub/Deep/A.md", "", True),
        ("Network/A.md", "type: person", True),
        ("Network/A.md", "type: Contact", True),
        ("Network/A.md", "tags: [person]", True),
        ("Network/A.md", "tags: ['#person']", True),
        ("Network/A.md", "tags: person/friend", True),
        ("Network/A.md", "tags: [personal]", False),
        ("Network/A.md", "type: project", False),
        ("Peoplex/A.md", "", False),
    ],
)
def test_which_notes_are_contacts(path: str, front: str, is_contact: bool) -> None:
    note = parse(path, f"---\n{front}\n---\n")
    assert (note.contact is not None) is is_contact


def test_custom_rules() -> None:
    rules = Rules(contacts_folders=("Network",), person_tags=("#contact",))
    assert parse_note("Network/A.md", b"", rules).contact is not None
    assert parse_note("People/A.md", b"", rules).contact is None
    assert parse_note("X/A.md", b"---\ntags: [contact]\n---\n", rules).contact is not None


# -- the body --------------------------------------------------------------------------


BODY = """---
name: Ana
---
# Ana

## Log
- 2026-10-01 Coffee: talked about the move
- [[2026-10-05]] Call
* **2026-10-07** — Lunch
1. 2026-10-09: Email
- not a date 2026-10-10
Plain 2026-10-11 line

```
- 2026-10-12 inside a code block
```

## Tasks
- [ ] Send the deck 📅 2026-12-01
- [ ] Intro to [[Bo]] [due:: 2026-11-30]
- [x] Done thing 📅 2026-10-01
- [ ] No due date
"""


def test_log_entries_anywhere_in_the_note() -> None:
    note = parse("People/Ana.md", BODY)
    got = [(e.line, e.date.isoformat(), e.text) for e in note.logs]
    assert got == [
        (7, "2026-10-01", "Coffee: talked about the move"),
        (8, "2026-10-05", "Call"),
        (9, "2026-10-07", "Lunch"),
        (10, "2026-10-09", "Email"),
    ]


def test_tasks_with_due_dates() -> None:
    note = parse("People/Ana.md", BODY)
    got = [(t.line, t.text, t.due, t.done, t.links) for t in note.tasks]
    assert got == [
        (19, "Send the deck", date(2026, 12, 1), False, ()),
        (20, "Intro to [[Bo]]", date(2026, 11, 30), False, ("bo",)),
        (21, "Done thing", date(2026, 10, 1), True, ()),
        (22, "No due date", None, False, ()),
    ]


def test_log_entries_only_count_in_contact_notes() -> None:
    assert parse("Projects/X.md", "- 2026-10-01 Coffee\n").logs == []


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("[[Ana]]", "ana"),
        ("[[Ana|the boss]]", "ana"),
        ("[[Ana#Log]]", "ana"),
        ("[[People/Ana]]", "ana"),
        ("![[Ana]]", "ana"),
        ("[[Zoë Martín]]", "zoe martin"),
        ("[Ana](../People/Ana.md)", "ana"),
        ("[Zoë](<../People/Zoë Martín.md>)", "zoe martin"),
        ("[Zoë](../People/Zo%C3%AB%20Mart%C3%ADn.md#log)", "zoe martin"),
    ],
)
def test_link_forms(line: str, key: str) -> None:
    note = parse("Daily/2026-10-01.md", f"Met {line} today.\n")
    assert [li.key for li in note.links] == [key]
    assert note.date == date(2026, 10, 1)


def test_web_links_and_non_notes_are_not_links() -> None:
    note = parse("Daily/2026-10-01.md", "[site](https://x.org/a.md) [pic](img.png)\n")
    assert note.links == []


def test_note_date_from_front_matter() -> None:
    note = parse("Meetings/Sync.md", "---\ndate: 2026-11-12\nattendees: ['[[Ana]]']\n---\n")
    assert note.date == date(2026, 11, 12)
    assert [li.key for li in note.links] == ["ana"]


def test_introduced_by_is_not_an_interaction() -> None:
    note = parse("People/B.md", "---\ndate: 2026-01-01\nintroduced_by: '[[Ana]]'\n---\n")
    assert note.links == []


# -- nasty inputs ----------------------------------------------------------------------


def test_bom_and_crlf() -> None:
    data = (
        b"\xef\xbb\xbf---\r\nname: Crlf\r\nbirthday: 1990-03-15\r\n---\r\n- 2026-10-01 Coffee\r\n"
    )
    note = parse("People/x.md", data)
    assert note.problems == []
    assert note.contact is not None
    assert note.contact.name == "Crlf"
    assert note.contact.birthday == YearlyDate(3, 15, 1990)
    assert [(e.line, e.text) for e in note.logs] == [(5, "Coffee")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    note = parse("People/x.md", bom + "---\nname: Zoë\n---\n".encode(codec))
    assert note.contact is not None and note.contact.name == "Zoë"


def test_latin1_is_reported_not_raised() -> None:
    note = parse("People/x.md", "---\nname: Zoë\n---\n".encode("latin-1"))
    assert note.contact is None
    assert messages(note) == [
        "People/x.md:1: not UTF-8 text (bad byte at offset 12); re-save it as UTF-8"
    ]


def test_empty_file_is_a_contact_named_after_the_file() -> None:
    note = parse("People/Empty.md", b"")
    assert note.problems == []
    assert note.contact is not None and note.contact.name == "Empty"


def test_no_final_newline() -> None:
    note = parse("People/A.md", "---\nname: A\n---\n- 2026-10-01 Coffee")
    assert [e.text for e in note.logs] == ["Coffee"]


def test_unclosed_front_matter() -> None:
    note = parse("People/A.md", "---\nname: A\n\nbody\n")
    assert messages(note) == ["People/A.md:1: front matter is not closed (no second '---' line)"]


def test_front_matter_that_is_a_list() -> None:
    note = parse("People/A.md", "---\n- a\n- b\n---\n")
    assert messages(note) == ["People/A.md:2: front matter is a list, not a mapping of keys"]


def test_broken_yaml_names_the_line() -> None:
    note = parse("People/A.md", "---\nname: A\ncompany: [unclosed\ntitle: x\n---\n")
    assert len(note.problems) == 1
    assert note.problems[0].line is not None and note.problems[0].line >= 3
    assert "broken YAML front matter" in note.problems[0].message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['l0: &l0 ["x", "x"]']
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 21)]
    text = "---\n" + "\n".join(lines) + "\n---\n"
    start = time.perf_counter()
    note = parse("People/Bomb.md", text)
    assert time.perf_counter() - start < 2
    assert messages(note) == ["People/Bomb.md:2: front matter is too large or too deeply nested"]


@pytest.mark.parametrize("yaml_text", ["a: &a [*a]", "a: &a {b: *a}", "a: &a [1, [2, *a]]"])
def test_recursive_yaml_is_reported_not_raised(yaml_text: str) -> None:
    note = parse("People/Loop.md", f"---\nname: L\n{yaml_text}\n---\n")
    assert messages(note) == ["People/Loop.md:2: front matter is too large or too deeply nested"]


def test_deep_nesting_is_reported() -> None:
    note = parse("People/Deep.md", "---\na: " + "[" * 3000 + "]" * 3000 + "\n---\n")
    assert note.problems and note.problems[0].path == "People/Deep.md"


def test_invalid_dates_are_errors_of_their_field_only() -> None:
    text = (
        "---\nname: Ana\nbirthday: 2026-02-30\nlast_contact: soon\n"
        "dates:\n  promo: 2026-13-01\ncompany: Acme\n---\n- 2026-02-31 bad log\n"
    )
    note = parse("People/Ana.md", text)
    assert sorted(messages(note)) == [
        "People/Ana.md:3: birthday: '2026-02-30' is not a valid date",
        "People/Ana.md:4: last_contact: 'soon' is not a date (expected YYYY-MM-DD; "
        "also read: 19900501, 1 May 1990, May 1, 1990, 15/05/1990)",
        "People/Ana.md:5: dates: promo: '2026-13-01' is not a valid date",
        "People/Ana.md:9: log entry: '2026-02-31' is not a valid date",
    ]
    assert note.contact is not None
    assert note.contact.company == "Acme"
    assert note.contact.birthday is None


def test_invalid_cadence_is_an_error_of_that_field() -> None:
    note = parse("People/A.md", "---\ncompany: Acme\ncadence: fortnightly-ish\n---\n")
    assert [p.line for p in note.problems] == [3]
    assert "cadence" in note.problems[0].message
    assert note.contact is not None and note.contact.company == "Acme"
    assert note.contact.cadence_days is None


def test_cadence_none_is_set_but_empty() -> None:
    c = parse("People/A.md", "---\ncadence: none\n---\n").contact
    assert c is not None and (c.cadence_days, c.cadence_set) == (None, True)


def test_unquoted_wikilink_in_yaml() -> None:
    note = parse("People/B.md", "---\nintroduced_by: [[Maya]]\nmet_with: [[Ana]]\n---\n")
    assert note.problems == []
    assert note.contact is not None and note.contact.introduced_by == "Maya"
    assert [li.key for li in note.links] == ["ana"]


def test_values_mean_what_they_say_not_what_yaml_1_1_guesses() -> None:
    note = parse(
        "People/A.md",
        "---\nname: no\naliases: [yes, 12]\ncompany: 3.5\nphone: 0301234567\n"
        "location: NO\ntitle: 1:30\ntime: 11:01\n---\n",
    )
    c = note.contact
    assert c is not None
    assert c.name == "no"  # YAML 1.1 would read False
    assert c.aliases == ["yes", "12"]
    assert c.company == "3.5"
    assert c.phone == "0301234567"  # not the octal number 50674039
    assert c.location == "NO"  # Norway, not false
    assert c.title == "1:30"  # not the sexagesimal 90
    assert note.front["time"] == "11:01"  # an unknown key keeps its text


def test_line_separators_inside_text_do_not_shift_line_numbers() -> None:
    text = "---\nname: A\n---\nsome\u2028pasted\x0ctext\u0085here\n- 2026-02-30 bad\n"
    note = parse("People/A.md", text)
    assert [p.line for p in note.problems] == [5]


# -- pieces ----------------------------------------------------------------------------


def test_decode() -> None:
    assert decode(b"\xef\xbb\xbfhi") == "hi"
    assert decode("hé".encode("utf-16")) == "hé"
    with pytest.raises(UnicodeDecodeError):
        decode(b"caf\xe9")


def test_split_without_front_matter() -> None:
    s = split_front_matter("# Title\n---\nx\n")
    assert (s.front, s.body, s.body_line) == (None, "# Title\n---\nx\n", 1)


def test_split_dots_close_front_matter() -> None:
    s = split_front_matter("---\na: 1\n...\nbody\n")
    assert (s.front, s.body, s.body_line) == ("a: 1\n", "body\n", 4)


_no_fence_lines = st.text().filter(lambda t: "---" not in t and "..." not in t)


@given(front=_no_fence_lines, body=st.text(), crlf=st.booleans())
def test_split_front_matter_keeps_the_body_exactly(front: str, body: str, crlf: bool) -> None:
    nl = "\r\n" if crlf else "\n"
    front_text = front.replace("\r", "").replace("\n", " ") + nl
    s = split_front_matter(f"---{nl}{front_text}---{nl}{body}")
    assert s.front == front_text
    assert s.body == body
    assert s.body_line == 4


@given(st.text())
def test_parse_note_never_raises(text: str) -> None:
    for data in (text.encode("utf-8"), ("---\n" + text + "\n---\n").encode("utf-8")):
        parse_note("People/X.md", data, RULES)


@given(st.binary(max_size=200))
def test_parse_note_never_raises_on_bytes(data: bytes) -> None:
    parse_note("People/X.md", data, RULES)


def test_fold_is_used_for_link_keys() -> None:
    assert fold("Søren Ødegaard") == "soren odegaard"
