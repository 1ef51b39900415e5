"""What a vault's Obsidian settings say about it: where templates live and how daily notes
are named (core Templates and Daily notes, the Templater and Periodic Notes plugins).

Read from ``.obsidian/`` JSON files; a missing or unreadable file simply says nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vaultnet.core.tuples import NamedTuple

OBSIDIAN = ".obsidian"


class DailyNotes(NamedTuple):
    folder: str  # vault-relative, "" for the root
    format: str  # a moment.js format, e.g. "YYYY-MM-DD" or "YYYY/MM/DD-MM-YYYY"
    source: str  # the settings file it came from


class ObsidianSettings(NamedTuple):
    templates: tuple[str, ...] = ()  # template folders, vault-relative
    daily: tuple[DailyNotes, ...] = ()

    def as_config(self) -> dict[str, Any]:
        """JSON-safe, for the config's fingerprint and ``init``'s report."""
        return {
            "templates": list(self.templates),
            "daily": [[d.folder, d.format] for d in self.daily],
        }


def read_settings(vault: Path) -> ObsidianSettings:
    """The settings of ``vault/.obsidian`` that matter to vaultnet (empty when none)."""
    base = vault / OBSIDIAN
    if not base.is_dir():
        return ObsidianSettings()
    templates: list[str] = []
    daily: list[DailyNotes] = []
    core = _json(base / "templates.json")
    _add_folder(templates, core.get("folder"))
    templater = _json(base / "plugins" / "templater-obsidian" / "data.json")
    _add_folder(templates, templater.get("templates_folder"))
    notes = _json(base / "daily-notes.json")
    if notes or (base / "daily-notes.json").is_file():
        # Obsidian's defaults: the vault's root and YYYY-MM-DD.
        _add_daily(daily, notes.get("folder"), notes.get("format") or "YYYY-MM-DD", "daily-notes")
    periodic = _json(base / "plugins" / "periodic-notes" / "data.json")
    for day in _periodic_days(periodic):
        _add_daily(daily, day.get("folder"), day.get("format") or "YYYY-MM-DD", "periodic-notes")
    return ObsidianSettings(tuple(templates), tuple(daily))


def _periodic_days(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The enabled daily settings of Periodic Notes: `daily` (0.x) or each calendar set's
    `day` (1.x)."""
    found = []
    if isinstance(data.get("daily"), dict):
        found.append(data["daily"])
    for calendar_set in data.get("calendarSets") or []:
        if isinstance(calendar_set, dict) and isinstance(calendar_set.get("day"), dict):
            found.append(calendar_set["day"])
    return [d for d in found if d.get("enabled", True) is not False]


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _clean(folder: object) -> str | None:
    if not isinstance(folder, str):
        return None
    text = folder.replace("\\", "/").strip().strip("/")
    return None if ".." in text.split("/") else text


def _add_folder(folders: list[str], folder: object) -> None:
    text = _clean(folder)
    if text and text not in folders:
        folders.append(text)


def _add_daily(daily: list[DailyNotes], folder: object, fmt: object, source: str) -> None:
    text = _clean(folder) if folder else ""
    if text is None or not isinstance(fmt, str) or not fmt.strip():
        return
    entry = DailyNotes(text, fmt.strip(), source)
    if all((d.folder, d.format) != (entry.folder, entry.format) for d in daily):
        daily.append(entry)
