"""The one error boundary: every refused write, stray OSError and unexpected crash is one line
on stderr and an exit status, never a traceback (`--debug` shows it)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

ANA = "---\nname: Ana Lima\nkind: peer\nbirthday: 1990-03-15\ncadence: 2w\n---\n\n## Log\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(tmp_path, {"People/Ana Lima.md": ANA})


def one_error_line(stderr: str) -> str:
    """The single line the boundary printed (and proof there is nothing else)."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("vaultnet: error: ")
    return lines[0]


def refuse_temp_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a read-only folder does (chmod cannot show it to root, who runs CI here)."""
    from vaultnet.vault import fsio

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(kwargs.get("dir")))

    monkeypatch.setattr(fsio.tempfile, "mkstemp", refused)


def test_export_where_the_folder_is_a_file(vault: Path, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    out = tmp_path / "blocker" / "people.vcf"
    result = run_cli(vault, "export", "vcard", "--out", str(out))
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"vaultnet: error: {out}: cannot write it: ")


def test_export_into_a_missing_folder_refuses(vault: Path, tmp_path: Path) -> None:
    # Issue #15 item 8: a typo in --out must not create folders (`ics --out` still does:
    # a feed's folder is where a calendar client is told to look).
    out = tmp_path / "not" / "yet" / "people.vcf"
    result = run_cli(vault, "export", "vcard", "--out", str(out))
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert (
        line
        == f"vaultnet: error: {out}: cannot write it: no such folder (vaultnet does not create it)"
    )
    assert not (tmp_path / "not").exists()


def test_followups_write_onto_a_blocked_path(vault: Path) -> None:
    (vault / ".vaultnet").mkdir(exist_ok=True)
    (vault / ".vaultnet/config.toml").write_text('dashboard = "Dashboards/Follow-ups.md"\n')
    (vault / "Dashboards").write_text("a file where a folder should be")
    result = run_cli(vault, "followups", "--write")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "Dashboards/Follow-ups.md: cannot write it: " in line


@pytest.mark.parametrize(
    "args",
    [
        ("log", "Ana", "Coffee"),
        ("snooze", "Ana", "--for", "2w"),
        ("add", "Bo Chen"),
    ],
)
def test_writes_in_a_read_only_folder(
    vault: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    before = (vault / "People/Ana Lima.md").read_bytes()
    run_cli(vault, "list")  # the index exists: only the note's own write is refused
    refuse_temp_files(monkeypatch)
    result = run_cli(vault, *args)
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "cannot write it: Permission denied" in line
    assert (vault / "People/Ana Lima.md").read_bytes() == before
    assert sorted(p.name for p in (vault / "People").iterdir()) == ["Ana Lima.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_log_in_a_really_read_only_folder(vault: Path) -> None:
    run_cli(vault, "list")
    people = vault / "People"
    people.chmod(0o555)
    try:
        result = run_cli(vault, "log", "Ana", "Coffee")
    finally:
        people.chmod(0o755)
    assert result.exit_code == 1
    assert "cannot write it: Permission denied" in one_error_line(result.stderr)


def test_list_when_the_index_folder_cannot_be_made(vault: Path) -> None:
    (vault / ".vaultnet").write_text("a file where vaultnet keeps its folder")
    result = run_cli(vault, "list")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert ".vaultnet/cache: cannot create the index folder: " in line


def test_a_stray_os_error_names_its_path(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultnet.app import contacts

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere/else.md")

    monkeypatch.setattr(contacts, "load_contacts", denied)
    result = run_cli(vault, "list")
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == (
        "vaultnet: error: /somewhere/else.md: cannot read or write it: Permission denied"
    )


def test_an_unexpected_crash_is_one_line_and_debug_shows_it(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultnet.app import contacts

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the unthinkable\nsecond line")

    monkeypatch.setattr(contacts, "load_contacts", broken)
    result = run_cli(vault, "list")
    assert result.exit_code == 3  # issue #18 item 6: 3 for an unexpected failure
    assert one_error_line(result.stderr) == (
        "vaultnet: error: unexpected RuntimeError: the unthinkable"
        " (run with --debug for the traceback)"
    )
    debug = run_cli(vault, "--debug", "list")
    assert isinstance(debug.exception, RuntimeError)


def test_a_real_process_prints_no_traceback(vault: Path) -> None:
    (vault / ".vaultnet").write_text("blocked")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    proc = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "cannot create the index folder" in one_error_line(proc.stderr)
    assert proc.stdout == ""


# -- issue #15 item 15: each OS error is one line and exit 1 ------------------------------
@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "Permission denied"),
        (errno.EROFS, "Read-only file system"),
        (errno.ENOSPC, "No space left on device"),
    ],
)
def test_a_refused_rename_is_one_line(
    vault: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    from vaultnet.vault import fsio

    before = (vault / "People/Ana Lima.md").read_bytes()
    run_cli(vault, "list")

    def refused(*args: object) -> None:
        raise OSError(code, os.strerror(code), str(args[0]))

    monkeypatch.setattr(fsio.os, "replace", refused)
    result = run_cli(vault, "log", "Ana", "Coffee")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line == f"vaultnet: error: {vault / 'People/Ana Lima.md'}: cannot write it: {words}"
    assert (vault / "People/Ana Lima.md").read_bytes() == before
    assert sorted(p.name for p in (vault / "People").iterdir()) == ["Ana Lima.md"]


def test_a_full_database_is_one_line(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from vaultnet.store.index import Index

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Index, "update", full)
    result = run_cli(vault, "list")
    assert result.exit_code == 1
    assert "database or disk is full" in one_error_line(result.stderr)


def test_a_dashboard_that_is_a_folder_is_one_line(vault: Path) -> None:
    (vault / "Follow-ups.md").mkdir()
    result = run_cli(vault, "followups", "--write")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line == (
        f"vaultnet: error: {vault / 'Follow-ups.md'}: is a folder; not writing a note over it"
    )


def test_a_contacts_folder_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People": "a file where the folder should be"})
    result = run_cli(vault, "add", "Bo Chen")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"vaultnet: error: {vault / 'People'}: cannot create the folder: ")


def test_a_nul_in_a_config_path_is_one_line(vault: Path) -> None:
    (vault / ".vaultnet").mkdir(exist_ok=True)
    (vault / ".vaultnet/config.toml").write_text('dashboard = "Follow\\u0000ups.md"\n')
    result = run_cli(vault, "followups", "--write")
    assert result.exit_code != 0
    line = one_error_line(result.stderr)
    assert "'dashboard'" in line and "NUL" in line


def test_a_vault_that_cannot_be_written_to_still_answers(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only mounts and other users' vaults: the cache moves to the user's cache folder
    (chmod cannot show this to root, who runs CI here: the refusal is simulated)."""
    real_mkdir = Path.mkdir
    cache = vault / ".vaultnet" / "cache"

    def refused(self: Path, *args: object, **kwargs: object) -> None:
        if self == cache or cache in self.parents:
            raise PermissionError(errno.EROFS, "Read-only file system", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refused)
    result = run_cli(vault, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(result.stdout)] == ["Ana Lima"]
    (line,) = result.stderr.splitlines()
    assert line.startswith("the vault cannot be written to: its index is kept in ")
    assert not cache.exists()
    kept = Path(line.split("kept in ", 1)[1].split(" (", 1)[0])
    assert (kept / "index.sqlite").is_file() and vault not in kept.parents
    # Here only the cache folder is refused, so a note can still be written.
    logged = run_cli(vault, "log", "Ana", "Coffee")
    assert logged.exit_code == 0, logged.output
    assert "- 2026-11-25 Coffee" in (vault / "People/Ana Lima.md").read_text()
