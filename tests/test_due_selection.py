"""The morning report picks its contacts by indexed queries (``Queries.due_ids``): it must
list exactly what the rules list over every contact, and the reconcile's shortcut (the
scan's digest) must never hide a change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

from vaultnet.store.index import Index
from vaultnet.store.scanmark import scan_mark
from vaultnet.vault.config import load_config


def person(name: str, body: str = "", **fields: str) -> str:
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{front}---\n{body}"


CONFIG = '[cadences]\nmentor = "6 weeks"\ncolleague = "quarterly"\nfriend = "none"\n'

# Each contact tries one way of being due, or of almost being due.
PEOPLE = {
    "Ana": {"kind": "Mentor", "last_contact": "2026-10-01"},  # a default, by folded kind
    "Bea": {"kind": "mentor", "last_contact": "2026-11-20"},  # the default: not yet
    "Cem": {"kind": "colleague"},  # never in touch: due today
    "Dov": {"kind": "friend"},  # the kind's default is none
    "Eli": {"cadence": "30", "snooze_until": "2026-12-20"},  # snoozed past the window
    "Fay": {"cadence": "30", "snooze_until": "2026-11-28"},  # snoozed into the window
    "Gus": {"cadence": "none", "kind": "mentor"},  # chose no cadence
    "Hal": {"cadence": "7", "archived": "true"},
    "Ida": {"birthday": "1992-02-29"},
    "Jon": {"birthday": "--12-01"},
    "Kim": {"work_anniversary": "2019-11-30"},
    "Lea": {"dates": "{wedding: 2015-12-24}"},
    "Max": {"cadence": "10", "last_contact": "2026-11-22"},
    "Noa": {"kind": "Colleague", "deceased": "true"},
    "Oli": {"birthday": "1980-01-03"},
}
BODIES = {
    "Max": "## Log\n- 2026-11-30 call\n- 2027-01-05 planned\n",
    "Oli": "- [ ] send the photos \U0001f4c5 2026-12-03\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {".vaultnet/config.toml": CONFIG}
    for name, fields in PEOPLE.items():
        files[f"People/{name}.md"] = person(name, BODIES.get(name, ""), **fields)
    files["Meetings/2026-11-02 Sync.md"] = "With [[Bea]] and [[Cem]].\n"
    files["Projects/Plan.md"] = "- [ ] ask [[Dov]] \U0001f4c5 2026-11-27\n"
    return make_vault(tmp_path, files)


@pytest.mark.parametrize(
    "today", ["2026-11-25", "2027-02-27", "2028-02-27", "2026-12-31", "2026-12-20"]
)
@pytest.mark.parametrize("days", ["0", "7", "30", "400"])
@pytest.mark.parametrize("fmt", ["json", "table", "markdown"])
def test_the_picked_contacts_give_the_report_over_everyone(
    vault: Path, today: str, days: str, fmt: str
) -> None:
    """``--location ""`` filters nobody out but takes the path that loads every contact."""
    picked = run_cli(vault, "followups", "--format", fmt, "--days", days, today=today)
    everyone = run_cli(
        vault, "followups", "--format", fmt, "--days", days, "--location", "", today=today
    )
    assert picked.exit_code == everyone.exit_code == 0, picked.output
    assert picked.stdout == everyone.stdout
    assert picked.stdout.strip() not in ("", "[]")


def test_who_the_window_picks(vault: Path) -> None:
    result = run_cli(vault, "followups", "--format", "json", today="2026-11-25")
    listed = [json.loads(line.rstrip(","))["name"] for line in result.stdout.splitlines()[1:-1]]
    # Ana: the mentor default ("Mentor" as written); Dov: a task that links them; Fay:
    # snoozed to 11-28; Jon, Kim: occasions; Max: due 12-02 (log lines after today do not
    # count). Not Cem (a mention on 11-02, quarterly), nor Oli (a task on 12-03).
    assert sorted(listed) == ["Ana", "Dov", "Fay", "Jon", "Kim", "Max"]


@pytest.mark.parametrize("today", ["2026-11-25", "2027-02-27", "2026-12-30"])
@pytest.mark.parametrize("days", ["0", "3", "45", "365"])
def test_upcoming_lists_the_occasions_of_the_window(vault: Path, today: str, days: str) -> None:
    result = run_cli(vault, "upcoming", "--format", "json", "--days", days, today=today)
    assert result.exit_code == 0, result.output
    whole = run_cli(vault, "upcoming", "--format", "json", "--days", "366", today=today)
    # What a window lists is what the whole year lists up to its end.
    listed = [line for line in result.stdout.splitlines() if '"date"' in line]
    assert all(line in whole.stdout for line in listed)
    named = {json.loads(line.rstrip(","))["name"] for line in whole.stdout.splitlines()[1:-1]}
    assert named == {"Ida", "Jon", "Kim", "Lea", "Oli"}  # not Hal nor Noa, who are gone


def test_terminal_safe_output_still_escapes_controls(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {"People/Ana.md": person('"Ana\\x1b]52;c;AAAA\\x07 \\u0085x\\x7f"', cadence="7")},
    )
    out = run_cli(vault, "followups", "--format", "json").stdout
    assert "\x1b" not in out and "\x85" not in out and "\x7f" not in out
    assert "\\x85" in out and "\\x7f" in out


# -- the scan's digest ----------------------------------------------------------------------
def _index(vault: Path) -> Index:
    return Index(vault, load_config(vault))


def test_a_scan_like_the_last_one_skips_the_comparison(vault: Path) -> None:
    idx = _index(vault)
    first = idx.update()
    assert first.parsed == first.total > 0
    assert scan_mark(idx, idx.generation("notes"))  # a build stores it
    again = idx.update()
    assert (again.parsed, again.deleted, again.total) == (0, 0, first.total)
    idx.close()


def test_a_changed_note_behind_the_same_size_is_seen(vault: Path) -> None:
    idx = _index(vault)
    idx.update()
    note = vault / "People/Ana.md"
    st = note.stat()
    note.write_bytes(note.read_bytes().replace(b"Mentor", b"mentor"))
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert note.stat().st_size == st.st_size
    assert idx.update().parsed == 1
    assert idx.update().parsed == 0
    idx.close()


def test_another_process_writing_voids_the_digest(vault: Path) -> None:
    """The files end as they were, but another process stored a version in between: its
    rows must be replaced again, though the scan is the one the digest was made of."""
    one = _index(vault)
    one.update()
    note = vault / "People/Cem.md"
    old = note.read_bytes()
    st = note.stat()
    note.write_bytes(old.replace(b"colleague", b"friend"))
    other = _index(vault)
    assert other.refresh_paths(["People/Cem.md"]) == 2  # its old rows gone, the new stored
    other.close()
    note.write_bytes(old)
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert one.update().parsed == 1
    [cem] = one.stored_contacts(["People/Cem.md"])
    assert cem.kind == "colleague"
    one.close()


def test_a_note_gone_before_it_was_read_is_read_next_time(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx = _index(vault)
    idx.update()
    note = vault / "People/Zoe.md"
    note.write_text(person("Zoe", cadence="7"), encoding="utf-8")
    from vaultnet.store import reading

    real = reading.read_note

    def vanished(path: Path | str, size_hint: int) -> bytes:
        if Path(path).name == "Zoe.md":
            raise FileNotFoundError(path)
        return real(path, size_hint)

    monkeypatch.setattr(reading, "read_note", vanished)
    idx.update()  # the scan saw it, the reader did not find it
    monkeypatch.setattr(reading, "read_note", real)
    assert idx.update().parsed == 1
    idx.close()
    assert '"Zoe"' in run_cli(vault, "followups", "--format", "json").stdout


@pytest.mark.parametrize("chunk", [1, 2, 3, 1024])
def test_chunk_by_chunk_the_index_equals_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Edits, additions and deletions at the start, in the middle and at the end of the
    path order, with chunks of a few notes (their ranges move with additions): after each
    update the index holds what a build from nothing holds."""
    from vaultnet.vault.scan import Listing

    monkeypatch.setattr(Listing, "CHUNK", chunk)
    vault = make_vault(
        tmp_path, {f"People/P{i}.md": person(f"P{i}", cadence=str(10 + i)) for i in range(2, 9)}
    )
    idx = _index(vault)
    idx.update()
    steps = [
        ("write", "People/P5.md", person("P5", cadence="99")),
        ("write", "People/A0.md", person("A0", cadence="7")),  # before every other path
        ("delete", "People/P2.md", ""),
        ("write", "People/Z9.md", person("Z9")),  # after every other
        ("write", "People/P55.md", "Met [[P5]] and [[A0]].\n"),  # between two
        ("delete", "People/P8.md", ""),
        ("delete", "People/A0.md", ""),
        ("write", "People/P3.md", person("P3", "- 2026-11-01 call\n", cadence="30")),
    ]
    for i, (action, rel, text) in enumerate(steps):
        path = vault / rel
        if action == "delete":
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
            os.utime(path, ns=(10**18 + i, 10**18 + i))  # never the time of an older version
        idx.update()
        assert idx.update().parsed == 0
        fresh_vault = tmp_path / f"copy{i}"
        fresh_vault.mkdir()
        for note in vault.rglob("*.md"):
            target = fresh_vault / note.relative_to(vault)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(note.read_bytes())
            st = note.stat()
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        fresh = _index(fresh_vault)
        fresh.update()
        assert idx.snapshot() == fresh.snapshot(), (action, rel)
        fresh.close()
    idx.close()
