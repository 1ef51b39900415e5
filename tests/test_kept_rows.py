"""A note saved again with the rows it has keeps them (``store.keptrows``): its id stays,
its time and size follow the file, and the index still equals a build from nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vaultnet.store.index import Index
from vaultnet.vault.config import load_config

ANA = (
    "---\nname: Ana Lima\naliases: [Ana]\nbirthday: 1990-06-10\ncadence: 30d\n---\n\n"
    "# Ana Lima\n\n## Log\n\n- 2026-10-01 Coffee with [[Bo Chen]]\n\n"
    "- [ ] send the deck to [[Bo Chen]] 📅 2026-12-20\n"
)
FILES = {
    "People/Ana Lima.md": ANA,
    "People/Bo Chen.md": "---\nname: Bo Chen\n---\n\n- 2026-11-02 Lunch\n",
    "Daily/2026-11-20.md": "Lunch with [[Ana]] and [[Bo Chen]].\n",
}


@pytest.fixture
def vault(vault_factory: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return vault_factory(dict(FILES))


@pytest.fixture
def index(vault: Path) -> Iterator[Index]:
    idx = Index(vault, load_config(vault))
    idx.update()
    yield idx
    idx.close()


def save(vault: Path, rel: str, text: str) -> None:
    path = vault / rel
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a later save


def note_id(index: Index, rel: str) -> int:
    return int(index.db.execute("SELECT id FROM notes WHERE path = ?", (rel,)).fetchone()[0])


def assert_as_built(index: Index, vault: Path, scratch: Path) -> None:
    shutil.copytree(vault, scratch, ignore=shutil.ignore_patterns("cache"))
    fresh = Index(scratch, load_config(scratch))
    try:
        fresh.update()
        assert index.snapshot() == fresh.snapshot()
    finally:
        fresh.close()


def test_a_save_that_changes_no_row_keeps_the_note(
    index: Index, vault: Path, tmp_path: Path
) -> None:
    before = (note_id(index, "People/Ana Lima.md"), note_id(index, "Daily/2026-11-20.md"))
    counters = index.generations()
    save(vault, "People/Ana Lima.md", ANA + "\n<!-- a comment -->\n")
    save(vault, "Daily/2026-11-20.md", FILES["Daily/2026-11-20.md"])  # the same bytes
    assert index.refresh_paths(["People/Ana Lima.md", "Daily/2026-11-20.md"]) == 4
    assert (note_id(index, "People/Ana Lima.md"), note_id(index, "Daily/2026-11-20.md")) == before
    now = index.generations()
    assert now["notes"] > counters["notes"]  # the notes' times changed ...
    assert (now["contacts"], now["tasks"]) == (
        counters["contacts"],
        counters["tasks"],
    )  # ... no row
    st = (vault / "People/Ana Lima.md").stat()
    assert index.states(["People/Ana Lima.md"]) == {
        "People/Ana Lima.md": (st.st_mtime_ns, st.st_size)
    }
    assert_as_built(index, vault, tmp_path / "fresh")


@pytest.mark.parametrize(
    "text",
    [
        ANA.replace("1990-06-10", "1990-06-11"),  # a field
        ANA.replace("aliases: [Ana]", "aliases: [Ana, Annie]"),  # a name
        "\n" + ANA,  # every line moved: not even front matter any more
        ANA.replace("cadence: 30d", "cadence: often"),  # a problem, and no cadence
    ],
)
def test_a_save_that_changes_its_own_rows_replaces_the_note(
    index: Index, vault: Path, tmp_path: Path, text: str
) -> None:
    before = note_id(index, "People/Ana Lima.md")
    save(vault, "People/Ana Lima.md", text)
    index.refresh_paths(["People/Ana Lima.md"])
    assert note_id(index, "People/Ana Lima.md") != before
    assert_as_built(index, vault, tmp_path / "fresh")


@pytest.mark.parametrize(
    ("rel", "text", "tasks_move"),
    [
        ("People/Ana Lima.md", ANA.replace("Coffee with", "Tea with"), False),  # a log line
        ("People/Ana Lima.md", ANA + "- 2026-11-24 Call\n", False),  # a log entry more
        ("People/Ana Lima.md", ANA.replace("- [ ] send", "- [x] send"), True),  # a task done
        ("People/Ana Lima.md", ANA.replace("the deck to [[Bo Chen]]", "the deck"), True),
        ("People/Ana Lima.md", ANA.replace("# Ana Lima\n", "# Ana Lima\n\nSee [[Bo]].\n"), True),
        ("People/Ana Lima.md", ANA + "- 2026-02-30 Lunch\n", False),  # a problem
        ("Daily/2026-11-20.md", "Lunch with [[Ana]].\n", False),  # a link fewer
        ("Daily/2026-11-20.md", FILES["Daily/2026-11-20.md"] + "- [ ] ask [[Ana]]\n", True),
    ],
)
def test_a_save_that_changes_only_what_it_says_of_others_keeps_the_note(
    index: Index, vault: Path, tmp_path: Path, rel: str, text: str, tasks_move: bool
) -> None:
    """Its log, tasks, links or problems are replaced; its id, its own row, its contact row
    and its names stay (the feed's contacts do not move); the interactions follow."""
    before = note_id(index, rel)
    counters = index.generations()
    save(vault, rel, text)
    index.refresh_paths([rel])
    assert note_id(index, rel) == before
    now = index.generations()
    assert now["contacts"] == counters["contacts"]
    assert (now["tasks"] != counters["tasks"]) == tasks_move
    assert_as_built(index, vault, tmp_path / "fresh")


def test_a_kept_note_mentions_who_its_new_links_name(
    index: Index, vault: Path, tmp_path: Path
) -> None:
    daily = "Daily/2026-11-20.md"
    save(vault, daily, FILES[daily] + "Then [[Ana Lima]] again, and [[Nobody]].\n")
    index.refresh_paths([daily])
    rows = index.db.execute(
        "SELECT c.path, i.line, i.key FROM interactions i JOIN notes c ON c.id = i.contact_id "
        "JOIN notes n ON n.id = i.note_id WHERE n.path = ? ORDER BY i.line, c.path",
        (daily,),
    ).fetchall()
    assert rows == [
        ("People/Ana Lima.md", 1, "ana"),
        ("People/Bo Chen.md", 1, "bo chen"),
        ("People/Ana Lima.md", 2, "ana lima"),
    ]
    assert_as_built(index, vault, tmp_path / "fresh")


def test_a_note_kept_stale_is_replaced_when_it_parses_again(
    index: Index, vault: Path, tmp_path: Path
) -> None:
    save(vault, "People/Ana Lima.md", ANA.replace("name: Ana Lima", "name: [Ana"))  # broken
    index.refresh_paths(["People/Ana Lima.md"])
    assert index.db.execute("SELECT count(*) FROM stale").fetchone()[0] == 1
    save(vault, "People/Ana Lima.md", ANA)  # the good version's rows, again
    index.refresh_paths(["People/Ana Lima.md"])
    assert index.db.execute("SELECT count(*) FROM stale").fetchone()[0] == 0
    assert_as_built(index, vault, tmp_path / "fresh")
