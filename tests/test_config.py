"""config: defaults, validation with the key's name, fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultnet.core.config import SPEC, describe, validate
from vaultnet.core.errors import ConfigError
from vaultnet.vault.config import load_config


def write_config(vault: Path, text: str | bytes) -> None:
    path = vault / ".vaultnet" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None
    assert config.contacts_folders == []  # none: folders named like People, anywhere
    assert config.person_tags == ["person", "people", "contact", "contacts"]
    assert config.log_heading == "Log"
    assert config.ignore == []
    assert config.cadences == {}


def test_values_are_read(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        'contacts_folders = ["Network", "CRM/People"]\nperson_tags = ["contact"]\n'
        'log_heading = "Journal"\nignore = ["Templates/**"]\n'
        '[cadences]\nMentor = "6 weeks"\nfriend = 14\nfamily = "none"\n',
    )
    config = load_config(tmp_path)
    assert config.contacts_folders == ["Network", "CRM/People"]
    assert config.person_tags == ["contact"]
    assert config.log_heading == "Journal"
    assert config.ignore == ["Templates/**"]
    assert config.cadences == {"mentor": 42, "friend": 14, "family": None}


def test_bom_is_fine(tmp_path: Path) -> None:
    write_config(tmp_path, b'\xef\xbb\xbflog_heading = "Notes"\n')
    assert load_config(tmp_path).log_heading == "Notes"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('contacts_folder = ["X"]', "unknown key 'contacts_folder'"),
        ("person_tags = 3", "'person_tags': must be a list of strings"),
        ("log_heading = 1", "'log_heading': must be a string"),
        ("horizon_days = -1", "'horizon_days'"),
        ("horizon_days = true", "'horizon_days'"),
        ('[cadences]\nmentor = "fortnight"', "'cadences': mentor"),
        ("[me]\nname = 1", "'me.name'"),
        ("[me]\nnick = 'x'", "unknown key 'me.nick'"),
        ("me = 3", "'me' must be a table"),
        ('[calendar]\nalarm = "soon"', "'calendar.alarm'"),
        ("contacts_folders = [", "invalid TOML"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, needle: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = str(info.value)
    assert needle in message
    assert "\n" not in message
    assert message.startswith(str(tmp_path / ".vaultnet" / "config.toml"))
    assert info.value.exit_code == 2


def test_every_error_at_once() -> None:
    _values, errors = validate({"nope": 1, "person_tags": 3, "log_heading": 2})
    assert len(errors) == 3


def test_not_utf8(tmp_path: Path) -> None:
    write_config(tmp_path, b"log_heading = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path)


def test_fingerprint_follows_what_decides_indexing(tmp_path: Path) -> None:
    base = load_config(tmp_path).fingerprint()
    write_config(tmp_path, "horizon_days = 14\n")
    assert load_config(tmp_path).fingerprint() == base
    write_config(tmp_path, 'log_heading = "Journal"\n')  # it decides which items are logs
    assert load_config(tmp_path).fingerprint() != base
    write_config(tmp_path, 'contacts_folders = ["Network"]\n')
    assert load_config(tmp_path).fingerprint() != base


def test_every_key_is_described() -> None:
    described = {row[0].split(".")[0] for row in describe()}
    assert described == {key.name for key in SPEC}
    assert all(help_text for _key, _default, help_text in describe())


@pytest.mark.parametrize(
    "value", ["../Follow-ups.md", "/tmp/x.md", "~/x.md", "a/../../b.md", "C:\\x.md"]
)
def test_written_paths_stay_inside_the_vault(value: str) -> None:
    _values, errors = validate({"dashboard": value})
    assert len(errors) == 1
    assert "'dashboard'" in errors[0] and "inside the vault" in errors[0]


def test_written_paths_inside_the_vault_are_accepted() -> None:
    values, errors = validate({"dashboard": "Notes/Follow-ups.md", "checkins_folder": "CRM/drafts"})
    assert errors == []
    assert values["dashboard"] == "Notes/Follow-ups.md"
    assert values["checkins_folder"] == "CRM/drafts"
