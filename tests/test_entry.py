"""The program's entry point (``python -m vaultnet``, the ``vaultnet`` script): what ``main``
prints and the status it ends with, then the process ends at once (``cli.entry``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import make_vault

TODAY = "2026-11-25"
MAIN = "import sys; from vaultnet.cli import main; sys.argv[0] = 'vaultnet'; main()"


def _vault(tmp_path: Path, contacts: int = 3) -> Path:
    files = {
        f"People/Person {i:03d}.md": f"---\nname: Person {i:03d}\ncadence: 30d\n---\n"
        for i in range(contacts)
    }
    files["People/Broken.md"] = "---\nname: [unclosed\n---\n"
    return make_vault(tmp_path, files)


def _run(argv: list[str], *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    return subprocess.run([sys.executable, *argv, *args], capture_output=True, env=env)


def test_the_entry_point_prints_and_ends_as_main_does(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    cases = [
        ("--vault", str(vault), "--today", TODAY, "followups", "--format", "json"),
        ("--vault", str(vault), "--today", TODAY, "followups", "--format", "json"),  # replayed
        ("--vault", str(vault), "show", "Nobody At All"),  # a VaultnetError: status 1
        ("--bogus",),  # a usage error: status 2
        ("--vault", str(vault), "check"),  # problems found: status 1
        ("--version",),
    ]
    for args in cases:
        by_entry = _run(["-m", "vaultnet"], *args)
        by_main = _run(["-c", MAIN], *args)
        assert (by_entry.returncode, by_entry.stdout, by_entry.stderr) == (
            by_main.returncode,
            by_main.stdout,
            by_main.stderr,
        ), args
    assert _run(["-m", "vaultnet"], "--bogus").returncode == 2
    # The hints name the program as users type it, not as ``python -m``.
    assert b"(see 'vaultnet --help')" in _run(["-m", "vaultnet"], "--bogus").stderr


def test_every_byte_is_written_before_the_process_ends(tmp_path: Path) -> None:
    vault = _vault(tmp_path, contacts=400)
    done = _run(["-m", "vaultnet"], "--vault", str(vault), "list", "--format", "json")
    assert done.returncode == 0
    listed = json.loads(done.stdout)
    assert len(listed) == 400
    assert b"1 note with problems was left out" in done.stderr


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path: Path) -> None:
    vault = _vault(tmp_path, contacts=400)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "list", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # as `| head -c 10` does
    err = proc.stderr.read()
    status = proc.wait()
    assert b"Traceback" not in err and b"Exception ignored" not in err
    assert status in (0, 141)
