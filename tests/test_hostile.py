"""Broken notes never stop the rest (#15): a hostile corpus and generated notes beside good
ones leave every command working and every good note's output unchanged."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.store import reading
from vaultnet.vault.config import load_config
from vaultnet.vault.scan import FileStat

# Each file is placed in a vault as People/<its stem>.md (named .note here so that no
# tool that reads Markdown in the repository trips over them).
CORPUS = Path(__file__).parent / "corpus" / "hostile"
TODAY = "2026-11-25"

GOOD = {
    "People/Ana Lima.md": "---\nname: Ana Lima\nkind: peer\nbirthday: 1990-06-10\n"
    "cadence: 30d\ncompany: Acme\n---\n\n## Log\n\n- 2026-10-01 Coffee\n\n"
    "- [ ] send the deck 📅 2026-11-28\n",
    "People/Bo Chen.md": "---\nname: Bo Chen\nkind: mentor\nwork_anniversary: 2015-03-01\n"
    "cadence: 2w\ncompany: Acme\n---\n\n## Log\n\n- 2026-11-01 Call about [[Ana Lima]]\n",
    "Daily/2026-11-20.md": "Lunch with [[Bo Chen]] and [[Ana Lima]].\n",
}
GOOD_PATHS = {p for p in GOOD if p.startswith("People/")}
GOOD_NAMES = ("Ana Lima", "Bo Chen")

# (command, how to keep only what concerns the good notes)
COMMANDS: tuple[tuple[tuple[str, ...], Callable[[str], Any]], ...] = (
    (("list", "--format", "json"), lambda out: _by_path(json.loads(out))),
    (("followups", "--format", "json"), lambda out: _by_path(json.loads(out))),
    (("upcoming", "--format", "json", "--days", "365"), lambda out: _by_path(json.loads(out))),
    (("ics", "--include", "birthdays,anniversaries,dates,tasks"), lambda out: _events(out)),
    (("show", "Ana Lima"), lambda out: out),
    (("show", "Bo Chen"), lambda out: out),
    (("check", "--format", "json"), lambda out: _by_path(json.loads(out))),
    (("network", "--format", "json"), lambda out: sorted(json.loads(out))),
    (("checkin", "Ana Lima"), lambda out: out),
    (
        ("export", "vcard"),
        lambda out: [c.strip() for c in out.split("END:VCARD") if "FN:Ana Lima" in c],
    ),
)


def _by_path(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("path") in GOOD_PATHS]


def _events(feed: str) -> list[str]:
    events = feed.split("END:VCALENDAR")[0].split("BEGIN:VEVENT")[1:]
    return sorted(e for e in events if any(f"SUMMARY:{n}" in e for n in GOOD_NAMES))


def outputs(vault: Path) -> list[Any]:
    """What every command shows of the good notes; each must succeed."""
    seen = []
    for args, keep in COMMANDS:
        result = run_cli(vault, *args, today=TODAY)
        ok = (0, 1) if args[0] == "check" else (0,)
        assert result.exit_code in ok, (args, result.output[-2000:])
        assert "unexpected" not in result.stderr and "Traceback" not in result.output
        seen.append(keep(result.stdout))
    return seen


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    return outputs(make_vault(tmp_path_factory.mktemp("good"), GOOD))


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()))
def test_each_hostile_note_beside_good_ones(tmp_path: Path, baseline: list[Any], name: str) -> None:
    note = f"People/{Path(name).stem}.md"
    vault = make_vault(tmp_path, {**GOOD, note: (CORPUS / name).read_bytes()})
    assert outputs(vault) == baseline


def test_the_whole_corpus_at_once(tmp_path: Path, baseline: list[Any]) -> None:
    files: dict[str, str | bytes] = {
        f"People/{p.stem}.md": p.read_bytes() for p in CORPUS.iterdir()
    }
    vault = make_vault(tmp_path, {**GOOD, **files})
    assert outputs(vault) == baseline
    problems = json.loads(run_cli(vault, "check", "--format", "json").stdout)
    deep = {p["path"]: p["message"] for p in problems if "nested" in p["message"]}
    assert {"People/nested-flow.md", "People/nested-map.md"} <= set(deep)


# Pieces notes are made of, hostile ones among them.
_KEYS = st.sampled_from(
    ["name", "birthday", "cadence", "aliases", "dates", "kind", "last_contact", "tags", "x"]
)
_VALUES = st.one_of(
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "!!int x",
            "!!binary ###",
            "&a [1]",
            "*a",
            "[[[",
            "{a: {b: ",
            '"unclosed',
            "|\n  block",
            "99999999999999999999d",
            "--02-30",
            "[[Ana Lima]]",
            "\x00",
            "\x1b]52;c;x\x07",
            "~",
            "- - -",
            "? ",
            ": :",
        ]
    ),
    st.text(max_size=30),
)
_LINES = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", _KEYS, _VALUES),
    st.sampled_from(["---", "- [ ] call 📅 9999-12-31", "- 9999-12-31 met", "## Log", "\r"]),
    st.text(max_size=40),
)
NOTES = st.one_of(
    st.builds(lambda lines: "---\n" + "\n".join(lines) + "\n---\n", st.lists(_LINES, max_size=8)),
    st.builds("\n".join, st.lists(_LINES, max_size=8)),
    st.binary(max_size=200),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(note=NOTES)
def test_any_generated_note_leaves_the_rest_unchanged(
    tmp_path_factory: pytest.TempPathFactory, baseline: list[Any], note: str | bytes
) -> None:
    vault = make_vault(tmp_path_factory.mktemp("gen"), {**GOOD, "People/Generated.md": note})
    assert outputs(vault) == baseline


# -- reading one note ----------------------------------------------------------------


def _read_in_thread(vault: Path, rel: str) -> Any:
    """read_and_parse, failing the test instead of hanging it."""
    got: list[Any] = []
    rules = _rules(vault)
    thread = threading.Thread(
        target=lambda: got.append(reading.read_and_parse(vault, FileStat(rel, 0, 0), rules)),
        daemon=True,
    )
    thread.start()
    thread.join(5.0)
    assert not thread.is_alive(), f"reading {rel} hung"
    return got[0]


def _rules(vault: Path) -> Any:
    from vaultnet.store.index import Index

    idx = Index(vault, load_config(vault))
    try:
        return idx.rules
    finally:
        idx.close()


def test_a_fifo_swapped_in_after_the_scan_does_not_hang(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, GOOD)
    os.mkfifo(vault / "People/Fifo.md")
    note = _read_in_thread(vault, "People/Fifo.md")
    assert note.contact is None
    assert [p.message for p in note.problems] == ["cannot read: not a regular file"]


def test_a_symlink_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, GOOD)
    os.symlink("/dev/zero", vault / "People/Zero.md")
    note = _read_in_thread(vault, "People/Zero.md")
    assert [p.message for p in note.problems] == ["cannot read: not a regular file"]


def test_bytes_read_per_note_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_NOTE_BYTES", 1024 * 1024)
    vault = make_vault(tmp_path, {**GOOD, "People/Huge.md": "---\nname: Huge\n---\n" + "x" * 2**21})
    note = _read_in_thread(vault, "People/Huge.md")
    assert [p.message for p in note.problems] == ["cannot read: larger than 1 MB"]
    assert _read_in_thread(vault, "People/Ana Lima.md").contact.name == "Ana Lima"


def test_any_parser_exception_is_a_problem_of_its_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultnet.vault import parse

    real = parse.parse_note

    def flaky(rel: str, data: bytes, rules: Any) -> Any:
        if rel == "People/Bo Chen.md":
            raise ValueError("invalid literal for int() with base 10: 'notanint'")
        return real(rel, data, rules)

    monkeypatch.setattr(parse, "parse_note", flaky)
    vault = make_vault(tmp_path, GOOD)
    result = run_cli(vault, "check")
    assert result.exit_code == 1
    assert "People/Bo Chen.md" in result.stdout and "cannot parse: ValueError" in result.stdout
    listed = run_cli(vault, "list")
    assert listed.exit_code == 0 and "Ana Lima" in listed.stdout


# -- dates and numbers at the ends of the calendar -------------------------------------


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31", "0999-12-31", "9000-01-01"])
def test_today_at_the_ends_of_the_calendar_is_one_line(tmp_path: Path, today: str) -> None:
    vault = make_vault(tmp_path, GOOD)
    for command in ("followups", "upcoming", "network", "list"):
        result = run_cli(vault, command, today=today)
        assert result.exit_code == 2
        assert (
            result.stderr == f"vaultnet: error: --today: {today} is out of range (1000 to 8999)\n"
        )


@pytest.mark.parametrize("today", ["1000-01-01", "8999-12-31"])
def test_today_within_the_range_works(tmp_path: Path, today: str) -> None:
    vault = make_vault(tmp_path, GOOD)
    for command in ("followups", "upcoming", "network", "ics"):
        result = run_cli(vault, command, today=today)
        assert result.exit_code == 0, (command, result.output)


def test_the_last_day_there_is_never_breaks_the_feed(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, GOOD)
    added = run_cli(vault, "add", "Zed Max", "--birthday", "9999-12-31")
    assert added.exit_code == 0, added.output
    (vault / "Projects.md").write_text("- [ ] call [[Ana Lima]] 📅 9999-12-31\n")
    result = run_cli(vault, "ics", "--include", "birthdays,tasks")
    assert result.exit_code == 0, result.output
    assert "Zed Max" not in result.stdout and "99991231" not in result.stdout
    assert "SUMMARY:Ana Lima: birthday" in result.stdout


@pytest.mark.parametrize(
    "line",
    ["horizon_days = 99999999999999", "dormant_days = 10000000", "[calendar]\nalarm = 99999999999"],
)
def test_huge_numbers_in_the_config_are_one_line(tmp_path: Path, line: str) -> None:
    vault = make_vault(tmp_path, {**GOOD, ".vaultnet/config.toml": line + "\n"})
    for command in ("followups", "ics", "network"):
        result = run_cli(vault, command)
        assert result.exit_code != 0
        assert result.stderr.count("\n") == 1 and "must be at most 36500" in result.stderr
