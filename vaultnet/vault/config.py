"""Reading the vault's optional ``.vaultnet/config.toml`` (what it may say: ``core.config``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from vaultnet.core.config import CONFIG_DIR, CONFIG_NAME, Config, defaults, parse_config
from vaultnet.core.errors import ConfigError
from vaultnet.vault.obsidian import read_settings


def load_config(vault: Path) -> Config:
    """Read ``<vault>/.vaultnet/config.toml`` if it exists; report every problem at once."""
    obsidian = read_settings(vault).as_config()
    path = vault / CONFIG_DIR / CONFIG_NAME
    if not path.is_file():
        return Config(defaults(), None, obsidian=obsidian)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read it: {exc.strerror or exc}", path) from None
    return replace(parse_config(text, str(path)), obsidian=obsidian)
