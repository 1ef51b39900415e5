"""Shared fixtures: every user path points into tmp, and no VAULTNET_* leaks in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Test modules may write ``from helpers import ...`` (pytest puts tests/ on sys.path) or
# ``from tests.helpers import ...`` (this puts the repository root there too).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from helpers import make_vault, run_cli  # noqa: E402

__all__ = ["make_vault", "run_cli"]


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HOME and XDG dirs in tmp; no VAULTNET_* variable from the developer's shell.

    HOME lives beside tmp_path, not in it, so that tests see an empty tmp_path.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in list(os.environ):
        if var.startswith("VAULTNET_"):
            monkeypatch.delenv(var)


@pytest.fixture
def vault_factory(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``vault_factory({"People/Ana.md": "..."})`` -> the vault's path (see helpers.make_vault)."""

    def build(files: dict[str, str | bytes]) -> Path:
        return make_vault(tmp_path, files)

    return build


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    """``cli(vault, "list", ...)``: helpers.run_cli as a fixture."""
    return run_cli
