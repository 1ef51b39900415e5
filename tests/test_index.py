"""index: the SQLite cache reconciles with the files, reparsing only what changed."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli

from vaultnet.core.model import ParsedNote
from vaultnet.store import rows as rows_mod
from vaultnet.store.index import SCHEMA_VERSION, Index, cache_path
from vaultnet.vault import parse as notes_mod
from vaultnet.vault.config import load_config


def person(name: str, extra: str = "") -> str:
    return f"---\nname: {name}\n{extra}---\n"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths the index hands to the parser, in order (a spy on notes.parse_note)."""
    seen: list[str] = []
    real = notes_mod.parse_note

    def spy(rel_path: str, data: bytes, rules: notes_mod.Rules) -> ParsedNote:
        seen.append(rel_path)
        return real(rel_path, data, rules)

    monkeypatch.setattr(notes_mod, "parse_note", spy)
    return seen


def open_index(vault: Path) -> Index:
    return Index(vault, load_config(vault))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            "People/Ana.md": person("Ana"),
            "People/Bo.md": person("Bo"),
            "Daily/2026-10-01.md": "Met [[Ana]].\n",
        },
    )


@pytest.fixture
def index(vault: Path) -> Iterator[Index]:
    idx = open_index(vault)
    idx.update()
    yield idx
    idx.close()


def names(idx: Index) -> list[str]:
    return [c.name for c in idx.stored_contacts()]


def bump_mtime(path: Path, seconds: int = 10) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_first_update_parses_everything(vault: Path, parsed: list[str]) -> None:
    idx = open_index(vault)
    stats = idx.update()
    assert sorted(parsed) == ["Daily/2026-10-01.md", "People/Ana.md", "People/Bo.md"]
    assert (stats.parsed, stats.deleted, stats.total) == (3, 0, 3)
    assert idx.counts() == {"notes": 3, "contacts": 2, "problems": 0}
    idx.close()


def test_nothing_changed_nothing_parsed(index: Index, parsed: list[str]) -> None:
    stats = index.update()
    assert parsed == []
    assert stats.parsed == 0


def test_create(vault: Path, index: Index, parsed: list[str]) -> None:
    (vault / "People" / "Cy.md").write_text(person("Cy"))
    index.update()
    assert parsed == ["People/Cy.md"]
    assert names(index) == ["Ana", "Bo", "Cy"]


def test_edit(vault: Path, index: Index, parsed: list[str]) -> None:
    note = vault / "People" / "Bo.md"
    note.write_text(person("Bob"))
    index.update()
    assert parsed == ["People/Bo.md"]
    assert names(index) == ["Ana", "Bob"]


def test_edit_same_size_detected_by_mtime(vault: Path, index: Index, parsed: list[str]) -> None:
    note = vault / "People" / "Bo.md"
    note.write_text(person("Bx"))  # same size as "Bo"
    bump_mtime(note)
    index.update()
    assert parsed == ["People/Bo.md"]
    assert names(index) == ["Ana", "Bx"]


def test_mtime_going_backwards_counts_as_a_change(
    vault: Path, index: Index, parsed: list[str]
) -> None:
    note = vault / "People" / "Bo.md"
    bump_mtime(note, -3600)
    index.update()
    assert parsed == ["People/Bo.md"]


def test_delete(vault: Path, index: Index, parsed: list[str]) -> None:
    (vault / "People" / "Bo.md").unlink()
    stats = index.update()
    assert parsed == []
    assert stats.deleted == 1
    assert names(index) == ["Ana"]
    assert index.note_id("People/Bo.md") is None
    # Cascades: no orphan rows left behind.
    for table in ("keys", "logs", "tasks", "links", "problems"):
        orphans = index.db.execute(
            f"SELECT count(*) FROM {table} WHERE note_id NOT IN (SELECT id FROM notes)"
        ).fetchone()[0]
        assert orphans == 0, table


def test_rename(vault: Path, index: Index, parsed: list[str]) -> None:
    os.rename(vault / "People" / "Bo.md", vault / "People" / "Bob.md")
    index.update()
    assert parsed == ["People/Bob.md"]
    assert index.note_id("People/Bo.md") is None
    assert index.note_id("People/Bob.md") is not None
    assert [c.path for c in index.stored_contacts()] == ["People/Ana.md", "People/Bob.md"]


def test_move_out_of_the_contacts_folder(vault: Path, index: Index, parsed: list[str]) -> None:
    (vault / "Archive").mkdir()
    os.rename(vault / "People" / "Bo.md", vault / "Archive" / "Bo.md")
    index.update()
    assert parsed == ["Archive/Bo.md"]
    assert names(index) == ["Ana"]
    assert index.counts()["notes"] == 3


def test_only_notes_are_indexed(vault: Path, index: Index, parsed: list[str]) -> None:
    files = {
        ".obsidian/x.md": "",
        ".git/x.md": "",
        ".trash/People/Old.md": person("Old"),
        ".vaultnet/x.md": "",
        "People/.hidden.md": person("Hidden"),
        "People/photo.png": "",
        "People/notes.txt": "",
        "People/Upper.MD": person("Upper"),
    }
    for rel, text in files.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text)
    index.update()
    assert parsed == ["People/Upper.MD"]


def test_ignore_patterns(tmp_path: Path, parsed: list[str]) -> None:
    vault = make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": 'ignore = ["Templates/**", "*.excalidraw.md", "People/Old/"]',
            "Templates/Person.md": "---\ntype: person\n---\n",
            "People/Drawing.excalidraw.md": "",
            "People/Old/Gone.md": "",
            "People/Ana.md": "",
        },
    )
    idx = open_index(vault)
    idx.update()
    assert parsed == ["People/Ana.md"]
    idx.close()


def test_folder_symlinks_are_not_followed(vault: Path, index: Index, parsed: list[str]) -> None:
    outside = vault.parent / "outside"
    outside.mkdir()
    (outside / "Eve.md").write_text(person("Eve"))
    (vault / "People" / "link").symlink_to(outside, target_is_directory=True)
    index.update()
    assert parsed == []


def test_undecodable_file_name_is_skipped_not_fatal(
    vault: Path, index: Index, parsed: list[str]
) -> None:
    bad = os.path.join(os.fsencode(vault / "People"), b"Bad\xff.md")
    with open(bad, "wb") as fh:
        fh.write(b"---\nname: Bad\n---\n")
    (vault / "People" / "Cy.md").write_text(person("Cy"))
    index.update()
    assert names(index) == ["Ana", "Bo", "Cy"]


def test_update_is_one_transaction(
    vault: Path, index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    (vault / "People" / "Cy.md").write_text(person("Cy"))
    (vault / "People" / "Dee.md").write_text(person("Dee"))
    (vault / "People" / "Ana.md").unlink()
    # A parser failure is a problem of its note (#15), so the failure comes from storing.
    real = rows_mod.contact_row

    def explode(nid: int, path: str, *rest: Any) -> tuple[Any, ...]:
        if path == "People/Dee.md":
            raise RuntimeError("boom")
        return real(nid, path, *rest)

    monkeypatch.setattr(rows_mod, "contact_row", explode)
    with pytest.raises(RuntimeError):
        index.update()
    assert names(index) == ["Ana", "Bo"]  # nothing half-done
    monkeypatch.setattr(rows_mod, "contact_row", real)
    index.update()
    assert names(index) == ["Bo", "Cy", "Dee"]


def test_cache_location_wal_and_gitignore(vault: Path, index: Index) -> None:
    assert index.path == cache_path(vault) == vault / ".vaultnet" / "cache" / "index.sqlite"
    assert index.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (vault / ".vaultnet" / ".gitignore").read_text().splitlines()[-1] == "cache/"


def test_gitignore_is_never_overwritten(vault: Path) -> None:
    (vault / ".vaultnet").mkdir()
    (vault / ".vaultnet" / ".gitignore").write_text("# mine\n")
    open_index(vault).close()
    assert (vault / ".vaultnet" / ".gitignore").read_text() == "# mine\n"


def test_deleted_cache_is_rebuilt(vault: Path, index: Index, parsed: list[str]) -> None:
    index.close()
    for f in cache_path(vault).parent.iterdir():
        f.unlink()
    idx = open_index(vault)
    idx.update()
    assert len(parsed) == 3
    assert names(idx) == ["Ana", "Bo"]
    idx.close()


def test_garbage_cache_is_rebuilt(vault: Path, index: Index, parsed: list[str]) -> None:
    index.close()
    path = cache_path(vault)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database\x00\xff" * 500)
    idx = open_index(vault)
    idx.update()
    assert len(parsed) == 3
    assert names(idx) == ["Ana", "Bo"]
    idx.close()


def test_cache_with_damaged_pages_is_rebuilt(tmp_path: Path, parsed: list[str]) -> None:
    vault = make_vault(
        tmp_path,
        {f"People/P{i:03d}.md": person(f"P{i:03d}", f"aliases: [a{i}]\n") for i in range(120)},
    )
    idx = open_index(vault)
    idx.update()
    idx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = dict(idx.db.execute("SELECT name, rootpage FROM sqlite_master"))
    page_size = idx.db.execute("PRAGMA page_size").fetchone()[0]
    idx.close()
    # Damage the contacts table but leave meta and notes readable.
    path = cache_path(vault)
    data = bytearray(path.read_bytes())
    start = (pages["contacts"] - 1) * page_size
    data[start : start + page_size] = b"\xde\xad" * (page_size // 2)
    st = path.stat()
    path.write_bytes(bytes(data))
    # Damage comes later than vaultnet's own last write (mtimes may be coarser than that).
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    parsed.clear()
    idx = open_index(vault)
    idx.update()
    assert len(parsed) == 120
    assert len(names(idx)) == 120
    idx.close()


def test_schema_version_mismatch_rebuilds(vault: Path, index: Index, parsed: list[str]) -> None:
    index.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    index.close()
    idx = open_index(vault)
    assert idx.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    idx.update()
    assert len(parsed) == 3
    idx.close()


def test_old_schema_without_tables_rebuilds(vault: Path, parsed: list[str]) -> None:
    path = cache_path(vault)
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (path TEXT)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.commit()
    db.close()
    idx = open_index(vault)
    idx.update()
    assert names(idx) == ["Ana", "Bo"]
    idx.close()


def test_config_change_rebuilds(vault: Path, index: Index, parsed: list[str]) -> None:
    index.close()
    (vault / "Network").mkdir()
    (vault / "Network" / "Cy.md").write_text(person("Cy"))
    (vault / ".vaultnet" / "config.toml").write_text('contacts_folders = ["Network"]\n')
    idx = open_index(vault)
    idx.update()
    assert names(idx) == ["Cy"]
    assert len(parsed) == 4
    idx.close()


def test_rebuild(index: Index, parsed: list[str]) -> None:
    stats = index.rebuild()
    assert stats.rebuilt and stats.parsed == 3
    assert len(parsed) == 3


def test_two_connections_do_not_lock_each_other(vault: Path, index: Index) -> None:
    other = open_index(vault)
    (vault / "People" / "Cy.md").write_text(person("Cy"))
    other.update()
    assert names(index) == ["Ana", "Bo", "Cy"]
    other.close()


def test_refresh_paths(vault: Path, index: Index, parsed: list[str]) -> None:
    (vault / "People" / "Bo.md").write_text(person("Bob"))
    (vault / "People" / "Ana.md").unlink()
    assert index.refresh_paths(["People/Bo.md", "People/Ana.md", "People/none.md"]) > 0
    assert parsed == ["People/Bo.md"]
    assert names(index) == ["Bob"]


def test_stores_what_the_parser_found(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana.md": person("Ana", "aliases: [Annie]\nbirthday: --03-15\ncadence: 2w\n")
            + "- 2026-10-01 Coffee\n- [ ] Call back 📅 2026-12-01\n",
            "Projects/X.md": "- [ ] Ask [[Annie]] about it\n",
            "Daily/2026-11-01.md": "Lunch with [[Annie]].\n",
            "Daily/2026-12-24.md": "Party with [[Ana]].\n",
            "Daily/Undated.md": "[[Ana]]\n",
        },
    )
    idx = open_index(vault)
    idx.update()
    (row,) = idx.stored_contacts()
    assert (str(row.birthday), row.cadence_days, row.aliases) == ("--03-15", 14, ["Annie"])
    from datetime import date

    cid = row.id
    assert idx.last_contacts(date(2026, 11, 25))[cid] == (
        "2026-11-01",
        "mention",
        "Daily/2026-11-01.md",
    )
    assert idx.last_contacts(date(2026, 10, 15))[cid] == ("2026-10-01", "log", None)
    tasks = sorted((path, text) for _cid, path, _line, text, _due in idx.open_tasks())
    assert tasks == [("People/Ana.md", "Call back"), ("Projects/X.md", "Ask [[Annie]] about it")]
    idx.close()


def test_a_fifo_named_like_a_note_does_not_hang(
    vault: Path, index: Index, parsed: list[str]
) -> None:
    os.mkfifo(vault / "People" / "pipe.md")
    (vault / "People" / "Cy.md").write_text(person("Cy"))
    index.update()
    assert parsed == ["People/Cy.md"]


def test_a_bulk_build_equals_the_note_by_note_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past BULK notes, a build from nothing makes the secondary indexes after the rows:
    the index must hold exactly what storing the notes with the indexes in place makes."""
    from vaultnet.store import reconcile as index_mod

    files = {}
    for i in range(index_mod.BULK + 150):
        if i % 3 == 0:
            files[f"People/P{i}.md"] = (
                f"---\nname: Person {i}\naliases: [p{i}]\nbirthday: 1990-01-{i % 28 + 1:02d}\n"
                f"---\n## Log\n- 2026-0{i % 9 + 1}-10 Met [[Person {i + 3}]]\n"
                f"- [ ] Call back [[Person {i}]] 📅 2026-12-01\n"
            )
        else:
            files[f"Daily/2026-01-{i % 28 + 1:02d} {i}.md"] = (
                f"# Day\nWith [[Person {i - i % 3}|them]].\n- [ ] task {i}\n"
            )
    files["People/Broken.md"] = "---\nname: [unclosed\n---\n"
    vault = make_vault(tmp_path, files)

    def build(vault: Path) -> dict[str, list[tuple[Any, ...]]]:
        idx = Index(vault, load_config(vault))
        try:
            idx.update()
            sql = "SELECT name FROM sqlite_master WHERE type = 'index'"
            names = [r[0] for r in idx.db.execute(sql)]
            assert {"links_key", "keys_key", "tasks_note"} <= set(names)
            return idx.snapshot()
        finally:
            idx.close()

    parallel = build(vault)
    shutil.rmtree(cache_path(vault).parent)
    monkeypatch.setattr(index_mod, "BULK", 10**9)
    assert build(vault) == parallel
    assert len(parallel["notes"]) == len(files)


def test_the_integrity_check_runs_only_when_the_file_is_not_as_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """quick_check reads the whole file: it runs when the index file changed behind
    vaultnet's back, not on every command."""
    vault = make_vault(tmp_path, {"People/Ada.md": person("Ada")})
    statements: list[str] = []
    real_connect = Index._connect

    def traced(self: Index) -> sqlite3.Connection:
        db = real_connect(self)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(Index, "_connect", traced)

    def opened() -> bool:
        statements.clear()
        idx = open_index(vault)
        idx.update()
        idx.close()
        return any("quick_check" in s for s in statements)

    opened()  # a new index: created, nothing to check
    assert not opened()  # as it was left
    assert not opened()
    path = cache_path(vault)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert opened()  # touched by something else: checked once ...
    assert not opened()  # ... and trusted again


def test_a_stale_id_never_deletes_a_newer_note(tmp_path: Path) -> None:
    """Two processes on one index: the id of a note one of them saw vanish is never given
    to another note, so deleting it later removes nothing else."""
    vault = make_vault(tmp_path, {"People/Xavier.md": person("Xavier")})
    a, b = open_index(vault), open_index(vault)
    try:
        a.update()
        (stale_id,) = b.db.execute("SELECT id FROM notes").fetchone()
        (vault / "People/Xavier.md").rename(vault / "People/Yolanda.md")
        a.update()  # Yolanda is stored, Xavier's row gone
        b.apply([], [stale_id])  # b saw Xavier vanish, and acts on it late
        paths = [r[0] for r in a.db.execute("SELECT path FROM notes")]
        assert paths == ["People/Yolanda.md"]
    finally:
        a.close()
        b.close()


def test_a_file_changed_behind_an_open_index_is_checked_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path, {"People/Ada.md": person("Ada")})
    idx = open_index(vault)
    idx.update()
    idx.close()
    idx = open_index(vault)  # trusted as left, and now someone else writes to the file
    path = cache_path(vault)
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek(st.st_size - 100)
        fh.write(b"\0" * 10)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    idx.close()  # this process wrote nothing: it must not vouch for the file
    assert (path.parent / "index.checked").read_text() != f"{path.stat().st_size} " + str(
        path.stat().st_mtime_ns
    )


@pytest.mark.parametrize("table", ["notes", "contacts"])
def test_damage_behind_an_unchanged_size_and_mtime_is_rebuilt_once(
    tmp_path: Path, table: str
) -> None:
    """quick_check is skipped when the file is as left: a page that went bad meanwhile
    shows as a DatabaseError during the command, which rebuilds the index and goes on."""
    vault = make_vault(
        tmp_path,
        {f"People/P{i:03d}.md": person(f"P{i:03d}", f"aliases: [a{i}]\n") for i in range(120)},
    )
    assert run_cli(vault, "list").exit_code == 0
    idx = open_index(vault)
    idx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = dict(idx.db.execute("SELECT name, rootpage FROM sqlite_master"))
    page_size = idx.db.execute("PRAGMA page_size").fetchone()[0]
    idx.close()
    path = cache_path(vault)
    st = path.stat()
    data = bytearray(path.read_bytes())
    start = (pages[table] - 1) * page_size
    data[start : start + page_size] = b"\xde\xad" * (page_size // 2)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as vaultnet left it
    assert path.stat().st_size == st.st_size
    result = run_cli(vault, "list")
    assert result.exit_code == 0, result.output
    assert "index was damaged" in result.stderr and "rebuilding it" in result.stderr
    assert result.stdout.count("\nP") == 120 and "P119" in result.stdout
    again = run_cli(vault, "list")
    assert again.exit_code == 0 and again.stderr == "" and again.stdout == result.stdout


def test_a_folder_in_the_index_files_place_is_one_line(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ada.md": person("Ada")})
    cache_path(vault).mkdir(parents=True)
    result = run_cli(vault, "list")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "index.sqlite" in result.stderr and "Is a directory" in result.stderr
