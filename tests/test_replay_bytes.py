"""A followups answer replayed from its items is written as the UTF-8 bytes the index holds
(``cli.params.echo_encoded``): exactly what writing its text would give, and the text
itself wherever that would differ (a stdout in another encoding, a terminal)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli

from vaultnet.app import answers
from vaultnet.app import parts as parts_mod
from vaultnet.cli import params

TODAY = "2026-11-25"
FILES = {
    "People/Zoë Ångström.md": (
        "---\nname: Zoë Ångström\ncadence: 30d\n---\n## Log\n- 2026-09-01 Café — talked\n"
        "- [ ] send the naïve draft — v2 📅 2026-11-26\n"
    ),
    "People/José Núñez.md": "---\nname: José Núñez\ncadence: 7d\nbirthday: 1980-11-28\n---\n",
    "People/Plain Person.md": "---\nname: Plain Person\ncadence: 14d\n---\n",
}


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time the whole report is computed (not replayed)."""
    calls: list[int] = []
    real = parts_mod.followups_whole

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(parts_mod, "followups_whole", spy)
    return calls


def test_a_replayed_answer_is_the_computed_one_byte_for_byte(
    tmp_path: Path, computed: list[int]
) -> None:
    vault = make_vault(tmp_path, FILES)
    first = run_cli(vault, "followups", "--format", "json", today=TODAY)
    again = run_cli(vault, "followups", "--format", "json", today=TODAY)
    assert len(computed) == 1  # the second run replayed
    assert first.exit_code == again.exit_code == 0
    assert again.stdout_bytes == first.stdout_bytes
    assert "Zoë Ångström" in again.stdout and "José Núñez" in again.stdout


def _followups(vault: Path, encoding: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    env["PYTHONIOENCODING"] = encoding
    argv = [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--today", TODAY]
    done = subprocess.run(
        [*argv, "followups", "--format", "json"],
        capture_output=True,
        env=env,
        check=True,
    )
    return done.stdout


def test_a_stdout_in_another_encoding_gets_the_text_as_it_would_be_written(
    tmp_path: Path,
) -> None:
    """In Latin-1 the replay writes what the computed report wrote (and what cannot be
    encoded shows as '?'), not the UTF-8 bytes it holds."""
    vault = make_vault(tmp_path, FILES)
    computed = _followups(vault, "latin-1")
    replayed = _followups(vault, "latin-1")
    assert replayed == computed
    assert "Zoë Ångström".encode("latin-1") in replayed and b"draft ? v2" in replayed
    utf8 = _followups(vault, "utf-8")  # replayed too: the key holds no encoding
    assert utf8 == run_cli(vault, "followups", "--format", "json", today=TODAY).stdout_bytes
    assert "Zoë Ångström".encode() in utf8 and "draft — v2".encode() in utf8


def test_echo_encoded_writes_nothing_to_a_terminal_or_another_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    for stream in (
        Terminal(io.BytesIO(), encoding="utf-8"),
        io.TextIOWrapper(io.BytesIO(), encoding="latin-1"),
    ):
        monkeypatch.setattr(sys, "stdout", stream)
        assert params.echo_encoded("é".encode()) is False
        stream.flush()
        assert stream.buffer.getvalue() == b""  # type: ignore[attr-defined]
    plain = io.TextIOWrapper(io.BytesIO(), encoding="UTF8")
    monkeypatch.setattr(sys, "stdout", plain)
    assert params.echo_encoded("é".encode()) is True
    assert plain.buffer.getvalue() == "é".encode()  # type: ignore[attr-defined]


def test_only_an_answer_kept_by_items_is_written_as_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another report replays its text, as before: only followups' items come as bytes."""
    from vaultnet.cli import reports

    vault = make_vault(tmp_path, FILES)
    monkeypatch.setattr(answers, "REPLAY_AFTER_SCAN", True)
    written: list[bytes] = []
    real = params.echo_encoded

    def spy(data: bytes) -> bool:
        written.append(data)
        return real(data)

    monkeypatch.setattr(reports, "echo_encoded", spy)
    first = run_cli(vault, "upcoming", "--days", "60", today=TODAY)
    again = run_cli(vault, "upcoming", "--days", "60", today=TODAY)
    assert again.stdout_bytes == first.stdout_bytes and first.exit_code == 0
    assert written == []
    run_cli(vault, "followups", "--format", "json", today=TODAY)
    replayed = run_cli(vault, "followups", "--format", "json", today=TODAY)
    assert written == [replayed.stdout_bytes]
