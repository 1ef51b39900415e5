"""The shape ARCHITECTURE.md describes, where a test can hold it (lint-imports holds the rest)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest

from vaultnet.cli import LAZY_COMMANDS, load_commands

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("command", "table"),
    [
        ("followups", "vaultnet.render.followups:FOLLOWUPS_FORMATS"),
        ("upcoming", "vaultnet.render.followups:UPCOMING_FORMATS"),
        ("network", "vaultnet.render.network:NETWORK_FORMATS"),
    ],
)
def test_format_choices_are_the_renderers_table(command: str, table: str) -> None:
    module, name = table.split(":")
    formats = getattr(importlib.import_module(module), name)
    (option,) = [p for p in load_commands()[command].params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert sorted(option.type.choices) == sorted(formats)


def test_every_lazy_command_is_in_its_family_module() -> None:
    for name, (module, attribute) in LAZY_COMMANDS.items():
        command = getattr(importlib.import_module(f"vaultnet.{module}"), attribute)
        assert command.name == name
        assert module.startswith("cli.")


def test_no_module_is_a_god_module() -> None:
    """A module a concern, a few hundred lines at most (STYLE.md, ARCHITECTURE.md)."""
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "vaultnet").rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > 500} == {}


def test_every_layer_folder_is_documented() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for folder in sorted(
        p.name for p in (ROOT / "vaultnet").iterdir() if (p / "__init__.py").exists()
    ):
        assert f"`{folder}/`" in text, folder
