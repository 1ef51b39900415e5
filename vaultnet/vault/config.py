"""Reading the vault's optional ``.vaultnet/config.toml`` (what it may say: ``core.config``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultnet.core.config import Config

# Every file ``load_config`` reads (``vault.obsidian.read_settings`` reads the Obsidian
# ones): the config is a function of these alone. A test keeps the list complete.
CONFIG_SOURCES = (
    ".vaultnet/config.toml",
    ".obsidian",
    ".obsidian/templates.json",
    ".obsidian/plugins/templater-obsidian/data.json",
    ".obsidian/daily-notes.json",
    ".obsidian/plugins/periodic-notes/data.json",
)


def load_config(vault: Path) -> Config:
    """Read ``<vault>/.vaultnet/config.toml`` if it exists; report every problem at once."""
    from dataclasses import replace

    from vaultnet.core.config import CONFIG_DIR, CONFIG_NAME, Config, defaults, parse_config
    from vaultnet.core.errors import ConfigError
    from vaultnet.vault.obsidian import read_settings

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


def config_sources(vault: Path) -> list[list[object]]:
    """What the files the config is read from hold now, exactly (each one's kind, mtime
    and bytes): equal lists give equal configs, without parsing or validating anything."""
    found: list[list[object]] = []
    for rel in CONFIG_SOURCES:
        path = os.path.join(vault, rel)
        try:
            st = os.stat(path)
        except OSError as exc:
            found.append([rel, "absent", exc.errno])
            continue
        if not stat.S_ISREG(st.st_mode):
            found.append([rel, "mode", stat.S_IFMT(st.st_mode)])
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            found.append([rel, "unreadable", exc.errno])
            continue
        found.append([rel, st.st_mtime_ns, st.st_size, data.decode("latin-1")])
    return found
