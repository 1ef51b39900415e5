"""The vault's optional ``.vaultnet/config.toml``: one spec drives defaults, validation and docs."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vaultnet.core.dates import MAX_CADENCE_DAYS, parse_cadence, parse_duration_days
from vaultnet.core.digest import hex_digest
from vaultnet.core.errors import ConfigError
from vaultnet.core.fieldnames import (
    ATTENDEE_KEYS,
    FIELD_KEYS,
    PERSON_CATEGORIES,
    PERSON_TAGS,
    PERSON_TYPES,
)
from vaultnet.core.tuples import NamedTuple

if TYPE_CHECKING:  # the feed's rules load with the feed, not with every config
    from vaultnet.core.ics import Alarm

CONFIG_DIR = ".vaultnet"
CONFIG_NAME = "config.toml"


class Key(NamedTuple):
    name: str
    type: str  # "str", "int", "bool", "list[str]", "cadence-table", "table", "duration", "alarm"
    default: Any
    help: str
    table: tuple[Key, ...] = ()


SPEC: tuple[Key, ...] = (
    Key(
        "contacts_folders",
        "list[str]",
        [],
        "Folders whose notes are all contacts. Unset: any folder named People, Persons or"
        " Contacts (any case, a number or emoji in front allowed).",
    ),
    Key(
        "person_tags",
        "list[str]",
        list(PERSON_TAGS),
        "Tags (in front matter or body, nested too) that make a note anywhere a contact.",
    ),
    Key("person_types", "list[str]", list(PERSON_TYPES), "`type:` values that mark a person."),
    Key(
        "person_categories",
        "list[str]",
        list(PERSON_CATEGORIES),
        "`categories:` values (links or text) that mark a person.",
    ),
    Key(
        "attendee_keys",
        "list[str]",
        list(ATTENDEE_KEYS),
        "Front-matter keys of meeting and daily notes that list who was there, by link or name.",
    ),
    Key(
        "fields",
        "fields-table",
        {},
        'More spellings of known fields, e.g. birthday = ["Geburtstag"].',
    ),
    Key(
        "daily_folder",
        "str",
        "",
        "Folder of daily notes (default: from Obsidian's Daily notes or Periodic Notes).",
    ),
    Key("daily_format", "str", "", "Their names as a moment.js format, e.g. DD-MM-YYYY."),
    Key("log_heading", "str", "Log", "Heading of the section that `log` appends to."),
    Key("ignore", "list[str]", [], "Glob patterns (vault-relative) of notes to skip."),
    Key(
        "follow_symlinks_outside",
        "bool",
        False,
        "Read notes that are links to files outside the vault (never written through).",
    ),
    Key("cadences", "cadence-table", {}, 'Default cadence per kind, e.g. mentor = "6 weeks".'),
    Key("horizon_days", "int", 7, "Default --days of `followups`."),
    Key("dashboard", "vault-path", "Follow-ups.md", "Note that `followups --write` writes."),
    Key(
        "checkins_folder",
        "vault-path",
        "Check-ins",
        "Folder of notes that `checkin --write` writes.",
    ),
    Key(
        "templates_folder", "vault-path", "Templates/vaultnet", "Folder of your check-in templates."
    ),
    Key("network_note", "vault-path", "Network.md", "Note that `network --write` writes."),
    Key(
        "interactions_folder",
        "vault-path",
        "Interactions",
        "Folder of the day notes that `import mail` and `import calendar` write.",
    ),
    Key("dormant_days", "int", 365, "Silence after which a once-regular tie counts as dormant."),
    Key(
        "broadcast_people",
        "int",
        25,
        "A note linking more people than this is a broadcast: `network` ties no pair of them.",
    ),
    Key(
        "me",
        "table",
        {},
        "Who you are, for check-in templates.",
        (
            Key("name", "str", "", "Your name."),
            Key("email", "str", "", "Your email address."),
            Key(
                "emails",
                "list[str]",
                [],
                "Your other addresses, for `import mail` and `import calendar`.",
            ),
            Key("signature", "str", "", "How you sign messages."),
        ),
    ),
    Key(
        "calendar",
        "table",
        {},
        "The .ics feed.",
        (
            Key("name", "str", "vaultnet: birthdays & anniversaries", "Calendar name."),
            Key(
                "alarm",
                "alarm",
                None,
                "Reminder before each occasion, e.g. 1d, or 1d@09:00 at a time of day.",
            ),
            Key("include", "list[str]", ["birthdays", "anniversaries", "dates"], "What to put in."),
        ),
    ),
)


@dataclass(frozen=True)
class Config:
    """Validated settings, with defaults filled in."""

    values: dict[str, Any] = field(default_factory=dict)
    path: str | None = None  # the file it was read from
    # The keys the file sets ("calendar.alarm" for a key of a table): not part of the
    # fingerprint, so that spelling out a default rebuilds nothing.
    explicit: frozenset[str] = frozenset()
    # What the vault's Obsidian settings say (templates folders, daily notes), read beside
    # the config: part of the fingerprint, since it decides how notes are read.
    obsidian: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def is_set(self, key: str) -> bool:
        """Whether the config file itself sets ``key`` (rather than leaving the default)."""
        return key in self.explicit

    @property
    def contacts_folders(self) -> list[str]:
        return list(self.values["contacts_folders"])

    @property
    def person_tags(self) -> list[str]:
        return list(self.values["person_tags"])

    @property
    def ignore(self) -> list[str]:
        return list(self.values["ignore"])

    @property
    def log_heading(self) -> str:
        return str(self.values["log_heading"])

    @property
    def cadences(self) -> dict[str, int | None]:
        return dict(self.values["cadences"])

    @property
    def daily_notes(self) -> list[tuple[str, str]]:
        """(folder, moment format) of the vault's daily notes: the config's, else Obsidian's."""
        if self.values["daily_format"]:
            return [(str(self.values["daily_folder"]).strip("/"), str(self.values["daily_format"]))]
        return [(str(f), str(fmt)) for f, fmt in self.obsidian.get("daily", [])]

    @property
    def template_folders(self) -> list[str]:
        """Folders of note templates (Obsidian's Templates and Templater settings)."""
        return [str(f) for f in self.obsidian.get("templates", [])]

    def fingerprint(self) -> str:
        """A hash of what decides how notes are indexed: a change means a rebuild."""
        relevant = {k: self.values[k] for k in _INDEXED}
        relevant["obsidian"] = self.obsidian
        return hex_digest(json.dumps(relevant, sort_keys=True).encode(), 8)


# The settings that change what a note is read as.
_INDEXED = (
    "contacts_folders", "person_tags", "person_types", "person_categories", "attendee_keys",
    "fields", "daily_folder", "daily_format", "ignore", "log_heading", "follow_symlinks_outside",
)  # fmt: skip


def defaults() -> dict[str, Any]:
    return {key.name: _default(key) for key in SPEC}


def _default(key: Key) -> Any:
    if key.type == "table":
        return {sub.name: _copy(sub.default) for sub in key.table}
    return _copy(key.default)


def _copy(value: Any) -> Any:
    return (
        list(value)
        if isinstance(value, list)
        else dict(value)
        if isinstance(value, dict)
        else value
    )


def parse_config(text: str, path: str | None = None) -> Config:
    """The config that ``text`` (TOML) says; ConfigError naming every problem at once."""
    import tomllib  # (only a vault with a config file pays for loading the parser)

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path) from None
    values, errors = validate(raw)
    if errors:
        raise ConfigError("; ".join(errors), path)
    return Config(values, path, set_keys(raw))


def set_keys(raw: dict[str, Any]) -> frozenset[str]:
    """The keys a valid ``raw`` table sets: ``name``, and ``table.name`` inside a table."""
    tables = {key.name for key in SPEC if key.type == "table"}
    keys = set(raw)
    for name in tables & keys:
        keys.update(f"{name}.{sub}" for sub in raw[name])
    return frozenset(keys)


def validate(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Check ``raw`` against SPEC; return the filled-in values and the list of errors."""
    values = defaults()
    errors: list[str] = []
    _validate_table(raw, SPEC, values, errors, prefix="")
    return values, errors


def _validate_table(
    raw: dict[str, Any], spec: tuple[Key, ...], out: dict[str, Any], errors: list[str], prefix: str
) -> None:
    known = {key.name: key for key in spec}
    for name, value in raw.items():
        key = known.get(name)
        full = prefix + name
        if key is None:
            errors.append(f"unknown key {full!r} (known: {', '.join(sorted(known))})")
            continue
        if key.type == "table":
            if not isinstance(value, dict):
                errors.append(f"{full!r} must be a table")
                continue
            _validate_table(value, key.table, out[name], errors, prefix=full + ".")
            continue
        try:
            out[name] = _convert(key, value)
        except ValueError as exc:
            errors.append(f"{full!r}: {exc}")


def _convert(key: Key, value: Any) -> Any:
    convert = _CONVERTERS.get(key.type)
    if convert is None:  # pragma: no cover - a spec typo
        raise AssertionError(f"unknown spec type {key.type}")
    return convert(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {type(value).__name__}")
    return value


def _vault_path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a path inside the vault, e.g. 'Follow-ups.md'")
    if "\0" in value:
        raise ValueError("a path cannot hold a NUL character (\\u0000)")
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "~")) or ".." in parts or (len(value) > 1 and value[1] == ":"):
        raise ValueError(f"{value!r} must be a path inside the vault (relative, no '..')")
    return value


def _int(value: Any) -> int:
    # Every whole-number key counts days: beyond a century, date arithmetic would overflow.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number of 0 or more")
    if value > MAX_CADENCE_DAYS:
        raise ValueError(f"must be at most {MAX_CADENCE_DAYS} (days)")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of strings")
    return list(value)


def _duration(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _int(value)
    if not isinstance(value, str):
        raise ValueError("must be a duration such as '1d' or '2w'")
    return parse_duration_days(value)


def _alarm(value: Any) -> Alarm:
    from vaultnet.core.ics import Alarm, parse_reminder

    if isinstance(value, int) and not isinstance(value, bool):
        return Alarm(_int(value))
    if not isinstance(value, str):
        raise ValueError("must be a duration such as '1d' or '1d@09:00'")
    reminder = parse_reminder(value)
    if reminder.days is None:
        raise ValueError("leave the key out for no reminder")
    return reminder


def _cadence_table(value: Any) -> dict[str, int | None]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of kind = cadence")
    table: dict[str, int | None] = {}
    for kind, cadence in value.items():
        try:
            table[str(kind).strip().lower()] = parse_cadence(cadence)
        except ValueError as exc:
            raise ValueError(f"{kind}: {exc}") from None
    return table


def _fields_table(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ValueError('must be a table of field = ["Key", ...]')
    table: dict[str, list[str]] = {}
    for name, keys in value.items():
        if name not in FIELD_KEYS:
            known = ", ".join(sorted(FIELD_KEYS))
            raise ValueError(f"{name!r} is not a field vaultnet knows (known: {known})")
        table[name] = _str_list(keys)
    return table


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "str": _str,
    "vault-path": _vault_path,
    "int": _int,
    "bool": _bool,
    "list[str]": _str_list,
    "duration": _duration,
    "alarm": _alarm,
    "cadence-table": _cadence_table,
    "fields-table": _fields_table,
}


def describe() -> list[tuple[str, str, str]]:
    """(key, default, help) rows for documentation and ``--help``."""
    rows: list[tuple[str, str, str]] = []
    for key in SPEC:
        if key.type == "table":
            for sub in key.table:
                rows.append((f"{key.name}.{sub.name}", json.dumps(sub.default), sub.help))
        else:
            rows.append((key.name, json.dumps(key.default), key.help))
    return rows
