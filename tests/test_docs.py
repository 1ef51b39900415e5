"""Every command is documented: help text, and a section in README.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vaultnet.cli import main

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


def test_readme_names_the_test_command() -> None:
    assert "python -m pytest" in README
    assert "pip install -e . && vaultnet --vault example-vault followups" in README
