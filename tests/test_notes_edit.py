"""notes_edit: byte-careful edits. Edit then re-parse gives what was asked; nothing else moves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.core.errors import NoteError
from vaultnet.core.yamltext import yaml_entry, yaml_scalar
from vaultnet.vault.edit import (
    Lines,
    append_to_section,
    edit_note,
    new_note_text,
    parse_front,
    safe_filename,
    set_field,
    unique_path,
)
from vaultnet.vault.frontmatter import load_yaml

BOM = "\ufeff"


def edited(text: str, key: str, value: object) -> str:
    lines = Lines(text)
    set_field(lines, key, value)
    return lines.text()


# -- Lines -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\r\nb\r\n", BOM + "---\nx: 1\n---\nbody", "\n\n", "a\rb\r"],
)
def test_lines_give_back_the_same_text(text: str) -> None:
    assert Lines(text).text() == text


def test_unclosed_front_matter_is_refused() -> None:
    with pytest.raises(NoteError, match="not closed"):
        parse_front(Lines("---\nname: Ana\n\nbody\n"))


def test_broken_yaml_is_refused_with_its_line() -> None:
    with pytest.raises(NoteError, match=r"broken YAML front matter \(line \d\)"):
        parse_front(Lines("---\nname: Ana\ncadence: [30\n---\n"))


def test_a_list_is_not_front_matter() -> None:
    with pytest.raises(NoteError, match="not a mapping"):
        parse_front(Lines("---\n- a\n- b\n---\n"))


# -- set_field ---------------------------------------------------------------------------
def test_set_field_replaces_the_value_and_keeps_its_comment_and_quotes() -> None:
    text = "---\nname: Ana\nlast_contact: '2026-01-01'  # by mail\ncadence: 30\n---\nbody\n"
    assert edited(text, "last_contact", date(2026, 11, 25)) == (
        "---\nname: Ana\nlast_contact: '2026-11-25'  # by mail\ncadence: 30\n---\nbody\n"
    )


def test_set_field_adds_a_missing_key_before_the_closing_fence() -> None:
    text = "---\r\nname: Ana\r\n# trailing comment\r\n---\r\nbody"
    assert edited(text, "snooze_until", date(2026, 12, 9)) == (
        "---\r\nname: Ana\r\n# trailing comment\r\nsnooze_until: 2026-12-09\r\n---\r\nbody"
    )


def test_set_field_creates_front_matter_when_there_is_none() -> None:
    assert edited(BOM + "Just text\n", "last_contact", date(2026, 11, 25)) == (
        BOM + "---\nlast_contact: 2026-11-25\n---\nJust text\n"
    )


def test_set_field_fills_an_empty_value() -> None:
    text = "---\nname: Ana\nlast_contact:\ncadence: 30\n---\n"
    assert edited(text, "last_contact", date(2026, 11, 25)) == (
        "---\nname: Ana\nlast_contact: 2026-11-25\ncadence: 30\n---\n"
    )


def test_set_field_fills_a_value_that_was_only_a_comment() -> None:
    text = "---\nname: Ana\nlast_contact: # unknown\n---\n"
    assert edited(text, "last_contact", date(2026, 11, 25)) == (
        "---\nname: Ana\nlast_contact: 2026-11-25 # unknown\n---\n"
    )


def test_set_field_replaces_a_block_value_whole() -> None:
    text = "---\naliases:\n  - A\n  - B\n\nname: Ana\n---\n"
    assert edited(text, "aliases", ["C"]) == "---\naliases:\n  - C\n\nname: Ana\n---\n"


def test_set_field_leaves_a_nested_key_of_the_same_name_alone() -> None:
    text = "---\nmeta:\n  last_contact: 2020-01-01\nname: Ana\n---\n"
    assert edited(text, "last_contact", date(2026, 11, 25)) == (
        "---\nmeta:\n  last_contact: 2020-01-01\nname: Ana\nlast_contact: 2026-11-25\n---\n"
    )


# -- append_to_section -------------------------------------------------------------------
def appended(text: str, heading: str = "Log", entries: tuple[str, ...] = ("- new",)) -> str:
    lines = Lines(text)
    append_to_section(lines, heading, list(entries))
    return lines.text()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("## Log\n- old\n", "## Log\n- old\n- new\n"),
        ("## Log\n- old", "## Log\n- old\n- new"),
        ("## Log\n- old\n\n\n## Next\nx\n", "## Log\n- old\n- new\n\n\n## Next\nx\n"),
        ("## Log\n", "## Log\n- new\n"),
        ("# Log\n- old\n## Sub\n- s\n# Next\n", "# Log\n- old\n## Sub\n- s\n- new\n# Next\n"),
        ("Text\n", "Text\n\n## Log\n- new\n"),
        ("Text", "Text\n\n## Log\n- new"),
        ("---\nname: A\n---\n", "---\nname: A\n---\n## Log\n- new\n"),
        ("```\n## Log\n```\n", "```\n## Log\n```\n\n## Log\n- new\n"),
        ("## log \n- old\n", "## log \n- old\n- new\n"),
    ],
)
def test_append_to_section(before: str, after: str) -> None:
    assert appended(before) == after


# -- yaml_scalar ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["no", "2026-11-25", "1.", "0b101", "0x1_0", "=", "<<", "a: b", "a #b", " a", "[[Ana]]", ""],
)
def test_yaml_scalar_quotes_what_yaml_would_read_otherwise(text: str) -> None:
    assert load_yaml(f"k: {yaml_scalar(text)}") == {"k": text}


def test_yaml_scalar_leaves_plain_words_plain() -> None:
    assert yaml_scalar("Ana Lima") == "Ana Lima"
    assert yaml_scalar(date(2026, 11, 25)) == "2026-11-25"
    assert yaml_scalar(30) == "30"
    assert yaml_scalar(True) == "true"


@given(st.text(max_size=30))
def test_yaml_scalar_reads_back_as_the_same_string(text: str) -> None:
    assert load_yaml("".join(yaml_entry("k", text))) == {"k": text}


@given(st.lists(st.text(max_size=10), max_size=4))
def test_yaml_entry_lists_read_back(items: list[str]) -> None:
    assert load_yaml("".join(yaml_entry("k", items))) == {"k": items}


# -- properties: edit, re-parse, every other byte unchanged --------------------------------
_KEYS = ["name", "kind", "cadence", "tags", "company", "last_contact", "snooze_until"]
_WORDS = st.sampled_from(["", "Ana", "30", "mentor", "'quoted'", '"double"', "2026-01-01", "x y"])


@st.composite
def front_lines(draw: st.DrawFn) -> list[str]:
    """Front-matter lines (without endings): keys in any order, comments, blank lines."""
    keys = draw(st.lists(st.sampled_from(_KEYS), unique=True, max_size=6))
    out: list[str] = []
    for key in keys:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["# a comment", "", "#"])))
        value = draw(_WORDS)
        comment = draw(st.sampled_from(["", "  # why", " #"]))
        if key == "tags" and draw(st.booleans()):
            out.extend([f"{key}:", "  - a", "  - b"])
        else:
            out.append(f"{key}: {value}{comment}")
    return out


@st.composite
def notes(draw: st.DrawFn) -> tuple[str, str]:
    """(note text, its newline): BOM or not, LF or CRLF, body, final newline or not."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["---", *draw(front_lines()), "---"] if draw(st.booleans()) else []
    body = draw(
        st.lists(
            st.sampled_from(
                ["", "text", "## Log", "- 2026-01-01 met", "## Other", "# Log", "```", "- [ ] x"]
            ),
            max_size=8,
        )
    )
    lines += body
    text = nl.join(lines)
    if draw(st.booleans()) and lines:
        text += nl
    return (BOM if draw(st.booleans()) else "") + text, nl


def _without(lines: list[str], index: int) -> list[str]:
    return lines[:index] + lines[index + 1 :]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(notes(), st.sampled_from(["last_contact", "snooze_until", "cadence"]), st.dates())
def test_set_field_changes_one_key_and_nothing_else(
    note: tuple[str, str], key: str, when: date
) -> None:
    text, _ = note
    before = Lines(text)
    nl = before.newline
    try:
        old_front = parse_front(before)
    except NoteError:
        return  # broken by construction (e.g. a lone '---'): set_field must refuse, tested above
    after_text = edited(text, key, when)
    after = Lines(after_text)
    new_front = parse_front(after)
    assert str(new_front[key]) == when.isoformat()
    assert {k: v for k, v in new_front.items() if k != key} == {
        k: v for k, v in old_front.items() if k != key
    }
    assert after.bom == before.bom
    old, new = before.lines, after.lines
    if before.front_bounds() is None:
        # New front matter: three lines on top, the rest as it was.
        assert new[3:] == old
        assert new[:3] == ["---" + nl, f"{key}: {when.isoformat()}{nl}", "---" + nl]
        return
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    if len(new) == len(old):
        assert len(changed) == 1  # the key's own line, replaced in place
        i = changed[0]
        assert old[i].startswith(f"{key}:") and new[i].startswith(f"{key}:")
        assert new[i].endswith(nl) and ("#" in old[i]) == ("#" in new[i])
    else:
        i = next(j for j, line in enumerate(new) if line.startswith(f"{key}:"))
        assert _without(new, i) == old
        assert new[i] == f"{key}: {when.isoformat()}{nl}"


@settings(max_examples=300)
@given(notes(), st.sampled_from(["Log", "Interactions"]))
def test_append_to_section_only_inserts(note: tuple[str, str], heading: str) -> None:
    text, _ = note
    before = Lines(text)
    nl = before.newline
    try:
        parse_front(before)
    except NoteError:
        return
    entry = "- 2026-11-25 coffee"
    after_text = appended(text, heading, (entry,))
    assert after_text.startswith(BOM) == text.startswith(BOM)
    assert after_text.endswith(("\n", "\r")) == text.endswith(("\n", "\r")) or not text.strip(BOM)
    new = Lines(after_text).lines
    created = f"## {heading}{nl}{entry}"
    if sum(line.startswith(f"## {heading}") for line in new) > sum(
        line.startswith(f"## {heading}") for line in before.lines
    ):
        # A new section at the very end; before it, the note as it was.
        body = after_text.rstrip("\r\n")
        assert body.endswith(created)
        assert body[: -len(created)].rstrip("\r\n") == text.rstrip("\r\n")
    else:
        # One line inserted; the old last line may have gained its missing newline.
        i = max(j for j, line in enumerate(new) if line.rstrip("\r\n") == entry)
        rest = _without(new, i)
        assert [line.rstrip("\r\n") for line in rest] == [
            line.rstrip("\r\n") for line in before.lines
        ]
        assert "".join(rest)[:-2] == "".join(before.lines)[:-2] or i == len(rest)


# -- new notes -------------------------------------------------------------------------------
def test_new_note_text_leaves_empty_fields_out() -> None:
    fields: dict[str, object] = {
        "name": "Ana: the Great",
        "kind": None,
        "email": [],
        "birthday": date(1990, 12, 2),
    }
    assert new_note_text(fields) == (
        '---\nname: "Ana: the Great"\nbirthday: 1990-12-02\n---\n\n## Log\n'
    )


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("AC/DC", "AC-DC"),
        ("Re: Ana", "Re - Ana"),
        ("a\\b", "a-b"),
        ("...hidden", "hidden"),
        ("CON", "CON_"),
        ("nul.txt", "nul.txt_"),
        ("  ", "Unnamed"),
        ("x" * 300, "x" * 120),
    ],
)
def test_safe_filename(name: str, stem: str) -> None:
    assert safe_filename(name) == stem


@given(st.text(min_size=1, max_size=200))
def test_safe_filename_is_always_a_plain_file_name(name: str) -> None:
    stem = safe_filename(name)
    assert stem and not stem.startswith(".") and stem == stem.strip()
    assert not set(stem) & set('/\\:*?"<>|')
    assert len(stem.encode("utf-8")) <= 120


def test_unique_path_skips_taken_names_case_insensitively(tmp_path: Path) -> None:
    (tmp_path / "ana.md").write_text("x")
    (tmp_path / "Ana 2.md").write_text("x")
    assert unique_path(tmp_path, "Ana") == tmp_path / "Ana 3.md"


def test_edit_note_does_not_write_when_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "Ana.md"
    path.write_bytes(b"---\nsnooze_until: 2026-12-09\n---\n")
    before = path.stat().st_mtime_ns
    changed = edit_note(path, lambda lines: set_field(lines, "snooze_until", date(2026, 12, 9)))
    assert changed is False
    assert path.stat().st_mtime_ns == before


def test_edit_note_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "Ana.md"
    path.write_bytes(b"---\nname: \xff\n---\n")
    with pytest.raises(NoteError, match="not UTF-8"):
        edit_note(path, lambda lines: None)
    assert path.read_bytes() == b"---\nname: \xff\n---\n"


# -- a back-dated entry goes in date order -------------------------------------------------
def inserted(text: str, when: date, entries: tuple[str, ...] | None = None) -> str:
    lines = Lines(text)
    new = list(entries or (f"- {when.isoformat()} new",))
    append_to_section(lines, "Log", new, when=when)
    return lines.text()


@pytest.mark.parametrize(
    ("before", "when", "after"),
    [
        (
            "## Log\n- 2026-01-01 a\n- 2026-03-01 b\n",
            date(2026, 2, 1),
            "## Log\n- 2026-01-01 a\n- 2026-02-01 new\n- 2026-03-01 b\n",
        ),
        (  # an entry's continuation stays with it
            "## Log\n- 2026-01-01 a\n  more on a\n- 2026-03-01 b",
            date(2026, 2, 1),
            "## Log\n- 2026-01-01 a\n  more on a\n- 2026-02-01 new\n- 2026-03-01 b",
        ),
        (  # before every entry, after the section's own text
            "## Log\nwhat we did\n- [[2026-01-01]] a\n- **2026-03-01** b\n",
            date(2025, 12, 1),
            "## Log\nwhat we did\n- 2025-12-01 new\n- [[2026-01-01]] a\n- **2026-03-01** b\n",
        ),
        (  # after the entries of the same day
            "## Log\n- 2026-01-01 a\n- 2026-01-01 b\n- 2026-03-01 c\n",
            date(2026, 1, 1),
            "## Log\n- 2026-01-01 a\n- 2026-01-01 b\n- 2026-01-01 new\n- 2026-03-01 c\n",
        ),
        (  # out of order: appended, as always
            "## Log\n- 2026-03-01 b\n- 2026-01-01 a\n",
            date(2026, 2, 1),
            "## Log\n- 2026-03-01 b\n- 2026-01-01 a\n- 2026-02-01 new\n",
        ),
        (  # the latest: appended
            "## Log\n- 2026-01-01 a\n\n## Next\n- 2027-01-01 x\n",
            date(2026, 2, 1),
            "## Log\n- 2026-01-01 a\n- 2026-02-01 new\n\n## Next\n- 2027-01-01 x\n",
        ),
        (  # an indented dated item belongs to the item above it
            "## Log\n- 2026-01-01 a\n  - 2026-03-05 follow-up\n- 2026-04-01 b\n",
            date(2026, 3, 1),
            "## Log\n- 2026-01-01 a\n  - 2026-03-05 follow-up\n- 2026-03-01 new\n- 2026-04-01 b\n",
        ),
        (  # dates in code are no entries
            "## Log\n- 2026-01-01 a\n```\n- 2026-09-09 code\n```\n",
            date(2026, 2, 1),
            "## Log\n- 2026-01-01 a\n```\n- 2026-09-09 code\n```\n- 2026-02-01 new\n",
        ),
        (
            "## Log\r\n- 2026-01-01 a\r\n- 2026-03-01 b\r\n",
            date(2026, 2, 1),
            "## Log\r\n- 2026-01-01 a\r\n- 2026-02-01 new\r\n- 2026-03-01 b\r\n",
        ),
    ],
)
def test_a_back_dated_entry_goes_in_date_order(before: str, when: date, after: str) -> None:
    assert inserted(before, when) == after


def test_the_task_goes_with_its_back_dated_entry() -> None:
    text = "## Log\n- 2026-01-01 a\n- 2026-03-01 b\n"
    assert inserted(text, date(2026, 2, 1), ("- 2026-02-01 new", "- [ ] call")) == (
        "## Log\n- 2026-01-01 a\n- 2026-02-01 new\n- [ ] call\n- 2026-03-01 b\n"
    )


_DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
_FILLER = st.sampled_from(["", "text", "  more", "- [ ] task", "- no date", "### 2026"])


@st.composite
def log_sections(draw: st.DrawFn) -> tuple[str, list[date]]:
    """A note with a log section of dated entries (sorted or not) among other lines."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    days = draw(st.lists(_DAYS, max_size=6))
    if draw(st.booleans()):
        days.sort()
    lines = ["---", "name: Ana", "---", *draw(st.lists(_FILLER, max_size=2)), "## Log"]
    for day in days:
        lines += [*draw(st.lists(_FILLER, max_size=2)), f"- {day.isoformat()} seen"]
    lines += draw(st.lists(_FILLER, max_size=2))
    if draw(st.booleans()):
        lines += ["## Next", f"- {draw(_DAYS).isoformat()} other"]
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    return text, days


@settings(max_examples=300)
@given(log_sections(), _DAYS)
def test_a_dated_entry_is_inserted_once_in_order_or_appended(
    note: tuple[str, list[date]], when: date
) -> None:
    text, days = note
    entry = f"- {when.isoformat()} new"
    after_text = inserted(text, when)
    before, after = Lines(text).lines, Lines(after_text).lines
    i = next(j for j, line in enumerate(after) if line.rstrip("\r\n") == entry)
    rest = _without(after, i)
    # Every other line is as it was (the last one may have gained its missing newline).
    assert [line.rstrip("\r\n") for line in rest] == [line.rstrip("\r\n") for line in before]
    assert "".join(rest)[:-2] == "".join(before)[:-2] or i == len(rest)
    assert after_text.endswith(("\n", "\r")) == text.endswith(("\n", "\r"))
    # The re-read log section: the new entry among the others, in order when they were.
    log_end = next((j for j, line in enumerate(after) if line.startswith("## Next")), len(after))
    dated = [date.fromisoformat(line[2:12]) for line in after[:log_end] if line.startswith("- 20")]
    if days == sorted(days):
        assert dated == sorted([*days, when])
    else:
        assert dated == [*days, when]
        assert after_text == appended(text, entries=(entry,))
