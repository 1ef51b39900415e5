"""Every command is documented: help text, and a section in README.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vaultnet.cli import load_commands, main

load_commands()  # commands load lazily; these tests look at all of them

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"`vaultnet {re.escape(name)}\b", README), (
        f"README has no `vaultnet {name}` section"
    )


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_option_is_in_the_readme(name: str) -> None:
    command = main.commands[name]
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"README does not mention {opt} of `vaultnet {name}`"


def test_every_global_option_is_in_the_readme() -> None:
    for param in main.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt not in ("--help", "--version"):
                assert f"`{opt}" in README, f"README does not mention the global option {opt}"


def test_readme_names_the_test_command() -> None:
    assert "python -m pytest" in README
    assert "pip install -e . && vaultnet --vault example-vault followups" in README


def test_readme_followups_table_is_real_output(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    vault = tmp_path / "vault"
    example = Path(__file__).resolve().parent.parent / "example-vault"
    shutil.copytree(example, vault, ignore=shutil.ignore_patterns("cache"))
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-25", "followups"])
    assert result.exit_code == 0, result.output
    block = README.split(
        "`vaultnet --vault example-vault --today 2026-11-25 followups` prints:", 1
    )[1]
    shown = block.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert shown == result.stdout.rstrip("\n")
