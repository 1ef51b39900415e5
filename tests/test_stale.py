"""A contact whose front matter breaks while it is typed keeps its last good parse (#15 item 6):
reports still show it, stderr says since when, `check` reports the problem, and a note
deleted or no longer a contact goes at once."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli

GOOD = (
    "---\nname: Paul Otlet\nbirthday: 1968-11-30\ncadence: 30d\n---\n\n"
    "## Log\n\n- 2026-10-01 Coffee\n"
)
BROKEN = '---\nname: "Paul Otlet\nbirthday: 1968-11-30\ncadence: 30d\n---\n\n## Log\n'
GOOD_AT = datetime(2026, 11, 25, 14, 2).timestamp()
NOTE = "People/Paul Otlet.md"


def vault_with_paul(tmp_path: Path) -> Path:
    vault = make_vault(tmp_path, {NOTE: GOOD, "People/Ana.md": "---\nname: Ana\n---\n"})
    os.utime(vault / NOTE, (GOOD_AT, GOOD_AT))
    assert run_cli(vault, "index").exit_code == 0
    return vault


def save(vault: Path, rel: str, text: str, at: float) -> None:
    (vault / rel).write_text(text, encoding="utf-8")
    os.utime(vault / rel, (at, at))


def names(vault: Path) -> list[str]:
    result = run_cli(vault, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return [c["name"] for c in json.loads(result.stdout)]


NOTICE = f"{NOTE}: broken front matter, showing what it said at 14:02"


def test_a_contact_whose_front_matter_breaks_is_still_shown(tmp_path: Path) -> None:
    vault = vault_with_paul(tmp_path)
    before = {args: run_cli(vault, *args).stdout for args in REPORTS}
    save(vault, NOTE, BROKEN, GOOD_AT + 60)
    for args in REPORTS:
        result = run_cli(vault, *args)
        assert result.exit_code == 0, result.output
        assert result.stdout == before[args], args
        assert NOTICE in result.stderr.splitlines(), (args, result.stderr)
        assert "left out" not in result.stderr
    check = run_cli(vault, "check")
    assert f"{NOTE}:5: broken YAML front matter" in check.stdout and check.exit_code == 1


REPORTS: tuple[tuple[str, ...], ...] = (
    ("list", "--format", "json"),
    ("followups", "--format", "json", "--days", "30"),
    ("upcoming", "--days", "30"),
    ("ics",),
)


def test_the_time_is_that_of_the_good_version_and_stays_while_it_is_broken(
    tmp_path: Path,
) -> None:
    vault = vault_with_paul(tmp_path)
    save(vault, NOTE, BROKEN, GOOD_AT + 60)
    assert NOTICE in run_cli(vault, "list").stderr
    save(vault, NOTE, BROKEN + "more typing\n", GOOD_AT + 120)  # still broken: same version
    assert NOTICE in run_cli(vault, "list").stderr
    assert "Paul Otlet" in names(vault)


def test_a_good_version_on_an_earlier_day_says_the_day(tmp_path: Path) -> None:
    vault = vault_with_paul(tmp_path)
    save(vault, NOTE, BROKEN, GOOD_AT + 3 * 86400)
    assert f"{NOTE}: broken front matter, showing what it said at 2026-11-25 14:02" in (
        run_cli(vault, "list").stderr
    )


def test_fixed_front_matter_is_read_again(tmp_path: Path) -> None:
    vault = vault_with_paul(tmp_path)
    save(vault, NOTE, BROKEN, GOOD_AT + 60)
    save(vault, NOTE, GOOD.replace("Paul Otlet", "Paul M. Otlet"), GOOD_AT + 120)
    result = run_cli(vault, "list")
    assert "broken front matter" not in result.stderr
    assert names(vault) == ["Ana", "Paul M. Otlet"]
    assert run_cli(vault, "check").stdout.strip() == "No problems found."


def test_a_deleted_note_goes_at_once(tmp_path: Path) -> None:
    vault = vault_with_paul(tmp_path)
    save(vault, NOTE, BROKEN, GOOD_AT + 60)
    assert "Paul Otlet" in names(vault)
    (vault / NOTE).unlink()
    result = run_cli(vault, "list")
    assert names(vault) == ["Ana"] and "broken front matter" not in result.stderr


def test_a_note_that_is_no_contact_any_more_goes_at_once(tmp_path: Path) -> None:
    vault = vault_with_paul(tmp_path)
    save(vault, NOTE, BROKEN, GOOD_AT + 60)
    (vault / "Notes").mkdir()
    (vault / NOTE).rename(vault / "Notes/Paul Otlet.md")  # out of the contacts folder
    assert names(vault) == ["Ana"]
    save(vault, "People/Ana.md", "---\nkind: [unclosed\n---\n", GOOD_AT)
    assert names(vault) == ["Ana"]  # kept while broken ...
    save(vault, "People/Ana.md", "no front matter, still in People\n", GOOD_AT + 60)
    assert names(vault) == ["Ana"]  # ... and read again when it parses (the file name)
    (vault / "Notes/Ana.md").write_text("plain\n", encoding="utf-8")
    (vault / "People/Ana.md").rename(vault / "Notes/Ana2.md")
    assert names(vault) == []


def test_a_rebuild_reads_the_files_as_they_are(tmp_path: Path) -> None:
    vault = vault_with_paul(tmp_path)
    save(vault, NOTE, BROKEN, GOOD_AT + 60)
    assert run_cli(vault, "index", "--rebuild").exit_code == 0
    result = run_cli(vault, "list")
    assert "Paul Otlet" not in result.stdout and "1 note with problems" in result.stderr


@pytest.mark.live
def test_the_watcher_keeps_the_last_good_parse(tmp_path: Path) -> None:
    from vaultnet.live.watcher import Watcher
    from vaultnet.store.index import Index
    from vaultnet.vault.config import load_config

    vault = vault_with_paul(tmp_path)
    index = Index(vault, load_config(vault))
    reports: list[Any] = []
    w = Watcher(index, outputs=[], on_batch=reports.append, today=lambda: date(2026, 11, 25))
    w.start()
    try:
        save(vault, NOTE, BROKEN, GOOD_AT + 60)
        until(lambda: any(NOTE in r.updated for r in reports), "the save")

        def stale() -> list[tuple[str, int, int]]:
            with w.reading() as idx:
                return idx.stale_notes()

        until(lambda: stale() != [], "the note to be kept stale")
        with w.reading() as idx:
            assert "Paul Otlet" in [c.name for c in idx.stored_contacts()]
        (vault / NOTE).unlink()
        until(lambda: stale() == [], "the deleted note to go")
        with w.reading() as idx:
            assert [c.name for c in idx.stored_contacts()] == ["Ana"]
    finally:
        w.stop()
        index.close()


def until(cond: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
