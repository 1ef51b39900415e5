"""Reports answered from the index (``app.answers``): a replayed answer is byte for byte
what computing it prints, and anything it depends on changing means computing again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli

from vaultnet.app import answers
from vaultnet.app import parts as parts_mod
from vaultnet.app import reports as reports_mod
from vaultnet.store import answers as table
from vaultnet.store.index import cache_path
from vaultnet.vault import config as vault_config


def contact(name: str, last: str = "2026-10-01", extra: str = "") -> str:
    return (
        f"---\nname: {name}\nkind: peer\nbirthday: 1990-11-28\ncadence: 30d\n{extra}---\n\n"
        f"# {name}\n\n## Log\n\n- {last} Coffee\n"
    )


FILES = {
    ".vaultnet/config.toml": "horizon_days = 7\n",
    "People/Ana Lima.md": contact("Ana Lima"),
    "People/Bo Chen.md": contact("Bo Chen", "2026-11-20", "aliases: [Bobby]\n"),
    "People/Cy Diaz.md": "---\nname: Cy Diaz\n---\n\n- [ ] call Cy 📅 2026-11-26\n",
    "Daily/2026-11-01.md": "Lunch with [[Ana Lima]].\n",
    "Broken.md": "---\nname: [unclosed\n---\n",
}
REPORTS = [
    ("followups", "--format", "json"),
    ("followups",),
    ("followups", "--format", "markdown", "--days", "30"),
    ("upcoming", "--days", "60"),
]


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reports computed (not replayed): whole, or for the contacts a change
    concerned (an answer kept item by item, ``app.parts``)."""
    calls: list[int] = []
    for module, name in (
        (reports_mod, "followups_report"),
        (reports_mod, "upcoming_report"),
        (parts_mod, "followups_whole"),
        (parts_mod, "followups_fresh"),
    ):
        real = getattr(module, name)

        def spy(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            calls.append(1)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


@pytest.fixture
def replay_after_scan(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The switch on: a command that scanned and found nothing changed replays."""
    monkeypatch.setattr(answers, "REPLAY_AFTER_SCAN", True)
    yield


def out(vault: Path, *args: str, today: str = "2026-11-25") -> tuple[int, str, str]:
    result = run_cli(vault, *args, today=today)
    return result.exit_code, result.stdout, result.stderr


def rows(vault: Path) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(cache_path(vault))
    try:
        return db.execute(f"SELECT key, recipe, generations FROM {table.TABLE}").fetchall()
    except sqlite3.OperationalError:
        return []  # no table: nothing was ever kept
    finally:
        db.close()


def test_the_index_file_is_the_one_the_index_keeps() -> None:
    assert table.index_file(Path("/v")) == cache_path(Path("/v"))


def test_config_sources_name_every_file_the_config_is_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """load_config reads nothing that config_sources does not look at: equal sources, equal
    configs."""
    vault = make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": "horizon_days = 3\n",
            ".obsidian/templates.json": '{"folder": "Tpl"}',
            ".obsidian/daily-notes.json": '{"folder": "Daily"}',
            ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "T2"}',
            ".obsidian/plugins/periodic-notes/data.json": '{"daily": {"folder": "D"}}',
        },
    )
    touched: set[str] = set()
    for method in ("read_text", "read_bytes", "is_file", "is_dir", "exists", "open", "stat"):
        real = getattr(Path, method)

        def spy(self: Path, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            touched.add(self.relative_to(vault).as_posix())
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Path, method, spy)
    config = vault_config.load_config(vault)
    monkeypatch.undo()
    assert config["horizon_days"] == 3 and config.template_folders
    assert touched and touched <= set(vault_config.CONFIG_SOURCES)


@pytest.mark.usefixtures("replay_after_scan")
def test_a_replay_is_byte_identical_after_every_kind_of_edit(
    tmp_path: Path, computed: list[int]
) -> None:
    vault = make_vault(tmp_path, FILES)
    edits: list[tuple[str, str | None]] = [
        ("People/Ana Lima.md", contact("Ana Lima", "2026-11-24")),  # a new log line
        ("People/Bo Chen.md", contact("Bo Chen", "2026-11-20", "aliases: [Bob]\n")),  # alias
        ("People/Dee New.md", contact("Dee New", "2025-01-01")),  # a contact added
        ("Daily/2026-11-02.md", "Met [[Bob]] and [[Dee New]].\n"),  # a mention
        ("People/Cy Diaz.md", "---\nname: Cy Diaz\n---\n\n- [x] call Cy 📅 2026-11-26\n"),
        ("Broken.md", "---\nname: fixed\n---\n"),  # a problem gone
        ("People/Ana Lima.md", None),  # a contact deleted
        ("Projects/Plan.md", "Nothing about anyone.\n"),  # any note
        (".vaultnet/config.toml", "horizon_days = 30\n"),  # the config
    ]
    for rel, text in [("", None), *edits]:
        if rel:
            path = vault / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        for args in REPORTS:
            before = len(computed)
            first = out(vault, *args)
            assert len(computed) == before + 1, (rel, args)  # something changed: computed
            again = out(vault, *args)
            assert len(computed) == before + 1, (rel, args)  # nothing changed: replayed
            assert again == first, (rel, args)


@pytest.mark.usefixtures("replay_after_scan")
def test_today_options_config_and_terminal_are_part_of_the_key(
    tmp_path: Path, computed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path, FILES)
    base = out(vault, "followups", "--format", "json")
    assert out(vault, "followups", "--format", "json") == base
    assert len(computed) == 1
    for args, today in (
        (("followups", "--format", "json"), "2026-11-26"),
        (("followups", "--format", "json", "--days", "8"), "2026-11-25"),
        (("followups", "--format", "json", "--kind", "peer"), "2026-11-25"),
        (("followups",), "2026-11-25"),
    ):
        before = len(computed)
        out(vault, *args, today=today)
        assert len(computed) == before + 1, args
    before = len(computed)
    monkeypatch.setenv("COLUMNS", "60")
    out(vault, "followups")
    assert len(computed) == before + 1  # another width: another table
    monkeypatch.delenv("COLUMNS")
    # A key the index is not rebuilt for (horizon_days), rewritten with the same size.
    (vault / ".vaultnet/config.toml").write_text("horizon_days = 1\n", encoding="utf-8")
    before = len(computed)
    changed = out(vault, "followups", "--format", "json")
    assert len(computed) == before + 1
    (vault / ".vaultnet/config.toml").write_text("horizon_days = 7\n", encoding="utf-8")
    assert out(vault, "followups", "--format", "json") == base
    assert changed != base


def test_without_the_switch_a_command_that_scanned_always_computes(
    tmp_path: Path, computed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default is on: a scan that found nothing changed is as good as a watcher's word
    # (and an answer kept item by item is brought up to date by parts, ``app.parts``).
    assert answers.REPLAY_AFTER_SCAN is True
    monkeypatch.setattr(answers, "REPLAY_AFTER_SCAN", False)
    vault = make_vault(tmp_path, FILES)
    first = out(vault, "followups", "--format", "json")
    assert out(vault, "followups", "--format", "json") == first
    assert len(computed) == 2
    # Nothing is kept either: only a watcher's word could replay it (a watched command,
    # or a watcher's refresh, keeps its answer: the live tests below).
    assert rows(vault) == []


@pytest.mark.usefixtures("replay_after_scan")
def test_writing_and_quiet(tmp_path: Path, computed: list[int]) -> None:
    """--write changes a note: never replayed nor kept. --quiet drops the stored notices."""
    vault = make_vault(tmp_path, FILES)
    for _ in range(2):
        code, _, err = out(vault, "followups", "--write")
        assert code == 0 and "Follow-ups.md" in err
    assert len(computed) == 2
    assert not [r for r in rows(vault) if "--write" in r[1]]
    loud = out(vault, "followups", "--format", "json")
    quiet = out(vault, "--quiet", "followups", "--format", "json")
    assert len(computed) == 3  # the same answer, replayed without its notices
    assert loud[2] and not quiet[2] and loud[1] == quiet[1]


@pytest.mark.usefixtures("replay_after_scan")
def test_a_damaged_answer_is_a_rebuild_never_a_wrong_answer(
    tmp_path: Path, computed: list[int]
) -> None:
    vault = make_vault(tmp_path, FILES)
    first = out(vault, "followups", "--format", "json")
    db = sqlite3.connect(cache_path(vault))
    db.execute(f"UPDATE {table.TABLE} SET stdout = CAST('[]' AS BLOB)")
    db.commit()
    db.close()
    code, stdout, stderr = out(vault, "followups", "--format", "json")
    assert (code, stdout) == first[:2]
    assert "the index was damaged" in stderr and stderr.endswith(first[2])
    assert out(vault, "followups", "--format", "json") == first  # a fresh index, kept again


def test_an_index_file_that_is_no_database_is_rebuilt_as_ever(tmp_path: Path) -> None:
    """Looking for an answer in it must not turn the index's quiet rebuild into an error."""
    vault = make_vault(tmp_path, FILES)
    first = out(vault, "followups", "--format", "json")
    for suffix in ("-wal", "-shm"):
        Path(f"{cache_path(vault)}{suffix}").unlink(missing_ok=True)
    cache_path(vault).write_bytes(b"not a database at all" * 100)
    assert out(vault, "followups", "--format", "json") == first


@pytest.mark.usefixtures("replay_after_scan")
def test_an_answers_table_of_another_shape_is_made_anew(
    tmp_path: Path, computed: list[int]
) -> None:
    vault = make_vault(tmp_path, FILES)
    first = out(vault, "followups", "--format", "json")
    db = sqlite3.connect(cache_path(vault))
    db.executescript(
        f"DROP TABLE {table.TABLE}; CREATE TABLE {table.TABLE}(key TEXT, stdout BLOB);"
        f" INSERT INTO {table.TABLE} VALUES ('x', CAST('junk' AS BLOB));"
    )
    db.close()
    assert out(vault, "followups", "--format", "json") == first
    assert out(vault, "followups", "--format", "json") == first
    assert len(computed) == 2  # computed once more, then replayed
    assert len(rows(vault)) == 1


def test_notices_that_are_not_terminal_safe_are_never_kept(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, FILES)
    run_cli(vault, "index")
    db = sqlite3.connect(cache_path(vault))
    db.isolation_level = None
    table.create(db)
    stored = table.Stored("x", [f"a{table.NOTICE_SEP}b"])
    table.store(db, "k", "{}", "c", "f", table.counters(db), stored, table.now())
    assert table.find(db, "k") is None
    table.store(db, "k", "{}", "c", "f", table.counters(db), table.Stored("x", []), 1.0)
    found = table.find(db, "k")
    assert found is not None
    assert table.fetch(db, found.id, table.counters(db)) == table.Stored("x", [])
    assert table.fetch(db, found.id, "schema=0") is None  # other counters: not this answer
    db.close()


# -- with a watcher (live: real observers, threads and child processes) -------------------


def counters_now(vault: Path) -> tuple[str, dict[str, str]]:
    """The index's counters, and each kept answer's counters by its recipe."""
    db = sqlite3.connect(cache_path(vault))
    try:
        kept = dict(db.execute(f"SELECT recipe, generations FROM {table.TABLE}").fetchall())
        return table.counters(db), kept
    finally:
        db.close()


def until(cond: Any, what: str, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.live
@pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")
def test_with_a_watcher_answers_are_replayed_kept_fresh_and_byte_identical(
    tmp_path: Path, computed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from vaultnet.live.session import following
    from vaultnet.store.index import Index
    from vaultnet.vault.config import load_config

    vault = make_vault(tmp_path, FILES)
    asked = ("followups", "--format", "json")
    first = out(vault, *asked)  # no watcher: computed, and kept (``REPLAY_AFTER_SCAN``)
    lines: list[str] = []

    def computing() -> tuple[int, str, str]:
        """The report computed now (the watcher still vouches), never replayed."""
        with monkeypatch.context() as m:
            m.setattr(answers, "replay_watched", lambda app, key: None)
            return out(vault, *asked)

    with following(
        Index(vault, load_config(vault)), [], log=lines.append, today=date(2026, 11, 25)
    ):
        n = len(computed)
        assert out(vault, *asked) == first  # watched: what the scan kept is still right
        assert len(computed) == n
        assert out(vault, *asked) == first
        assert len(computed) == n  # replayed: the watcher vouched for the index
        for rel, text in [
            ("People/Ana Lima.md", contact("Ana Lima", "2026-11-24")),
            ("People/Dee New.md", contact("Dee New", "2025-01-01")),
            ("Daily/2026-11-02.md", "Met [[Bobby]] and [[Dee New]].\n"),
            ("People/Bo Chen.md", None),
        ]:
            before, _ = counters_now(vault)
            if text is None:
                (vault / rel).unlink()
            else:
                (vault / rel).write_text(text, encoding="utf-8")
            # The watcher applies the save, then computes the answer again by itself.
            until(lambda b=before: counters_now(vault)[0] != b, f"{rel} applied")
            until(
                lambda: len(set(counters_now(vault)[1].values()) | {counters_now(vault)[0]}) == 1,
                f"the answer after {rel}",
            )
            n = len(computed)
            replayed = out(vault, *asked)
            assert len(computed) == n, rel  # ready: replayed
            assert replayed == computing(), rel
        # A save the command comes right after: applied first, then computed (never stale).
        (vault / "People/Ana Lima.md").write_text(contact("Ana Lima", "2026-11-25"))
        n = len(computed)
        right_after = out(vault, *asked)
        assert len(computed) == n + 1
        assert right_after == computing()
    assert not [line for line in lines if "error" in line]


def test_a_sync_file_names_the_answer_a_command_replays() -> None:
    from vaultnet.store.sync import asked_answer

    assert asked_answer("/v/.vaultnet/cache/sync-12-345-a7") == 7
    assert asked_answer("/v/.vaultnet/cache/sync-12-345") is None
    assert asked_answer("/v/.vaultnet/cache/sync-12-345-ax") is None


def test_a_refresh_runs_the_command_line_again_only_for_plain_answers() -> None:
    import sys
    from datetime import date

    from vaultnet.live.outputs import refresh_argv

    recipe = answers.Request("followups", {}, ("followups", "--format", "json"), False, None)
    argv = refresh_argv(recipe.recipe(Path("/v"), date(2026, 11, 25)))
    assert argv == [
        sys.executable, "-m", "vaultnet", "--vault", "/v", "--today", "2026-11-25",
        "followups", "--format", "json",
    ]  # fmt: skip
    coloured = answers.Request("followups", {}, ("followups",), True, None)
    assert refresh_argv(coloured.recipe(Path("/v"), date(2026, 11, 25))) is None
    assert refresh_argv("not json") is None
