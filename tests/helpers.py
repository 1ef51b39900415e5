"""Helpers every test module may import: build a vault on disk, run the CLI on it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from vaultnet.cli import main


def make_vault(tmp_path: Path, files: Mapping[str, str | bytes]) -> Path:
    """A vault under ``tmp_path`` holding ``files`` (relative path -> text or bytes).

    Text is written as UTF-8 bytes exactly as given (no newline translation).
    """
    vault = tmp_path / "vault"
    vault.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return vault


def run_cli(vault: Path, *args: str, today: str = "2026-11-25") -> Result:
    """Run ``vaultnet --vault VAULT --today TODAY ARGS...`` in-process."""
    runner = CliRunner()
    return runner.invoke(main, ["--vault", str(vault), "--today", today, *args])
