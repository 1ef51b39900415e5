"""Issue #15, the writing side: concurrent writers, generated notes, links that leave the
vault, a note saved by a slow writer, byte care, alias bombs and leftovers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

from vaultnet.vault import fsio

ANA = "---\nname: Ana Lima\nkind: peer\ncadence: 2w\n---\n\n## Log\n"


# Each process imports vaultnet, then waits for the moment given, so that all of them
# race through the same instant rather than one after the other as they start.
AT_ONCE = (
    "import sys, time\n"
    "from vaultnet.cli import main\n"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
    "sys.argv = ['vaultnet', *sys.argv[2:]]\n"
    "main()\n"
)


TODAY = ("--today", "2026-11-25")


def vaultnet_proc(vault: Path, *args: str, at: float = 0.0) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    return subprocess.Popen(
        [sys.executable, "-c", AT_ONCE, str(at), "--vault", str(vault), *TODAY, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    out = []
    for p in procs:
        _, err = p.communicate(timeout=120)
        out.append((p.returncode, err))
    return out


# -- 2: concurrent writers -------------------------------------------------------------
ROUNDS = 5


def test_parallel_logs_lose_no_entry(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA})
    assert run_cli(vault, "index").exit_code == 0
    written = []
    for round_ in range(ROUNDS):
        texts = [f"round {round_} writer {i}" for i in range(8)]
        at = time.time() + 1.5
        procs = [vaultnet_proc(vault, "log", "Ana", t, at=at) for t in texts]
        results = finish(procs)
        # A writer may be refused ("changed while reading"), never lose an entry it reported.
        for text, (code, err) in zip(texts, results, strict=True):
            if code == 0:
                written.append(text)
            else:
                assert "try again" in err or "changed" in err, err
        assert len(written) >= 8 * round_ + 1
    note = (vault / "People/Ana Lima.md").read_text(encoding="utf-8")
    for text in written:
        assert f"- 2026-11-25 {text}\n" in note
    assert note.count("last_contact:") == 1
    assert note.count("## Log") == 1


def test_parallel_adds_make_one_note_a_name(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA})
    assert run_cli(vault, "index").exit_code == 0
    names = ["Bo Chen", "Cy Dale", "Di Eng", "Ed Fox", "Fa Gil"]
    at = time.time() + 3.0
    procs = [vaultnet_proc(vault, "add", names[i % 5], at=at) for i in range(30)]
    results = finish(procs)
    assert sum(code == 0 for code, _ in results) == 5
    for code, err in results:
        assert code == 0 or "exists already" in err, err
    assert sorted(p.name for p in (vault / "People").iterdir()) == sorted(
        [f"{n}.md" for n in names] + ["Ana Lima.md"]
    )


def test_two_logs_racing_between_check_and_rename_both_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Widen the window between "unchanged since read" and the rename: without a lock around
    # read, check and rename, both writers pass the check and the second rename drops the
    # first entry.
    from vaultnet.app.edits import log_interaction
    from vaultnet.core.config import Config, defaults

    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA, ".vaultnet/config.toml": ""})
    real = fsio.unchanged_since

    def slow(path: Path, snap: fsio.Snapshot) -> bool:
        same = real(path, snap)
        time.sleep(0.3)
        return same

    monkeypatch.setattr(fsio, "unchanged_since", slow)
    config = Config(defaults())
    day = date(2026, 11, 25)
    errors: list[BaseException] = []

    def one(text: str) -> None:
        try:
            log_interaction(vault, config, "People/Ana Lima.md", day, text)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(t,)) for t in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    note = (vault / "People/Ana Lima.md").read_text()
    assert errors == []
    assert "- 2026-11-25 first\n" in note and "- 2026-11-25 second\n" in note


def test_the_lock_makes_writers_take_turns(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA})
    order: list[str] = []
    with fsio.vault_lock(vault):
        t = threading.Thread(target=lambda: _locked(vault, order))
        t.start()
        time.sleep(0.2)
        order.append("first done")
    t.join(5)
    assert order == ["first done", "second"]
    assert (vault / ".vaultnet/write.lock").is_file()


def _locked(vault: Path, order: list[str]) -> None:
    with fsio.vault_lock(vault):
        order.append("second")


# -- 3: generated notes ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "target"),
    [
        ("dashboard", "People/Ana Lima.md"),
        ("dashboard", ".obsidian/app.json"),
        ("dashboard", "Mine.md"),
        ("network_note", "People/Ana Lima.md"),
    ],
)
def test_a_generated_note_never_overwrites_a_users_file(
    tmp_path: Path, key: str, target: str
) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana Lima.md": ANA,
            ".obsidian/app.json": '{"x": 1}\n',
            "Mine.md": "# my own notes\n",
            ".vaultnet/config.toml": f'{key} = "{target}"\n',
        },
    )
    before = (vault / target).read_bytes()
    command = "followups" if key == "dashboard" else "network"
    result = run_cli(vault, command, "--write")
    assert result.exit_code == 1
    assert f"{vault / target}: was not written by vaultnet" in result.stderr
    assert (vault / target).read_bytes() == before


def test_a_generated_note_is_rewritten_and_not_indexed(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana Lima.md": ANA,
            "People/Dan.md": "---\nname: Dan\ncadence: 1w\n---\n",
        },
    )
    assert run_cli(vault, "followups", "--write").exit_code == 0
    dash = vault / "Follow-ups.md"
    assert dash.read_text(encoding="utf-8").startswith("---\ngenerated_by: vaultnet\n---\n")
    # A planted task in the dashboard is no task of anybody's.
    dash.write_text(
        dash.read_text(encoding="utf-8") + "- [ ] planted [[Ana Lima]] \U0001f4c5 2026-11-26\n"
    )
    shown = run_cli(vault, "show", "Ana")
    assert "planted" not in shown.stdout
    again = run_cli(vault, "followups", "--write")
    assert again.exit_code == 0, again.stderr
    assert "planted" not in dash.read_text(encoding="utf-8")


def test_a_name_cannot_inject_markdown_into_the_dashboard(tmp_path: Path) -> None:
    evil = "Dan]] [[Someone Else\\n\\n- [ ] planted task \U0001f4c5 2026-11-26"
    vault = make_vault(
        tmp_path,
        {
            "People/dan.md": f'---\nname: "{evil}"\ncadence: 1w\n---\n',
            "People/Someone Else.md": "---\nname: Someone Else\n---\n",
        },
    )
    result = run_cli(vault, "followups", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    entry = [line for line in lines if line.startswith("- ")]
    assert len(entry) == 1
    assert entry[0].startswith("- [[dan|Dan Someone Else - planted task")
    assert entry[0].count("[[") == 1 and entry[0].count("]]") == 1
    assert not any(line.startswith("- [ ]") for line in lines)


# -- 4: links out of the vault ---------------------------------------------------------
def test_log_never_writes_through_a_link_out_of_the_vault(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ANA)
    vault = make_vault(tmp_path, {"People/Bo.md": "---\nname: Bo\n---\n"})
    (vault / "People/Ana Lima.md").symlink_to(outside)
    (vault / ".vaultnet").mkdir(exist_ok=True)
    (vault / ".vaultnet/config.toml").write_text("follow_symlinks_outside = true\n")
    result = run_cli(vault, "log", "Ana", "coffee")
    assert result.exit_code == 1
    assert "is a link that leads outside the vault; not editing it" in result.stderr
    assert outside.read_text() == ANA


def test_a_link_inside_the_vault_is_edited(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"Archive/ana.md": ANA})
    (vault / "People").mkdir()
    (vault / "People/Ana Lima.md").symlink_to(vault / "Archive/ana.md")
    result = run_cli(vault, "log", "Ana", "coffee")
    assert result.exit_code == 0, result.stderr
    assert "coffee" in (vault / "Archive/ana.md").read_text()


def test_no_generated_note_or_draft_through_a_link_out(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA})
    (vault / "Check-ins").symlink_to(out_dir)
    (vault / "Follow-ups.md").symlink_to(out_dir / "dash.md")
    dash = run_cli(vault, "followups", "--write")
    assert dash.exit_code == 1
    assert "leads outside the vault" in dash.stderr
    drafts = run_cli(vault, "checkin", "Ana", "--write")
    assert drafts.exit_code == 1, drafts.output
    assert "leads outside the vault" in drafts.stderr
    assert list(out_dir.iterdir()) == []


# -- 5: a note saved by a slow writer ----------------------------------------------------
def test_a_note_that_moves_while_read_is_refused(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA})
    assert run_cli(vault, "index").exit_code == 0
    note = vault / "People/Ana Lima.md"
    big = ANA + "x" * 200_000 + "\n"
    stop = threading.Event()

    def slow_writer() -> None:
        while not stop.is_set():
            with open(note, "w") as fh:  # truncate, write half, pause, write the rest
                fh.write(big[:1000])
                fh.flush()
                time.sleep(0.03)
                fh.write(big[1000:])
            time.sleep(0.01)

    t = threading.Thread(target=slow_writer)
    t.start()
    try:
        outcomes = [run_cli(vault, "log", "Ana", f"try {i}") for i in range(10)]
    finally:
        stop.set()
        t.join(5)
    for result in outcomes:
        if result.exit_code != 0:
            assert "changed while reading; try again" in result.stderr, result.stderr
    text = note.read_text()
    assert len(text) >= len(big) - 1  # never cut
    assert text.startswith(ANA.split("## Log")[0].split("cadence")[0])


def test_read_settled_waits_out_a_fresh_change(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_text("a\n")
    started = time.monotonic()
    snap = fsio.read_settled(note)
    assert snap.data == b"a\n"
    assert time.monotonic() - started < 1.0

    def touch_soon() -> None:
        time.sleep(0.02)
        note.write_text("ab\n")

    note.write_text("a\n")
    t = threading.Thread(target=touch_soon)
    t.start()
    with pytest.raises(Exception, match="changed while reading; try again"):
        fsio.read_settled(note)
    t.join()


# -- 7: byte care ------------------------------------------------------------------------
def test_log_in_a_lone_cr_note(tmp_path: Path) -> None:
    text = "---\rname: Ana Lima\rcadence: 2w\r---\r\r## Log\r- 2026-01-01 old\r"
    vault = make_vault(tmp_path, {"People/Ana Lima.md": text})
    result = run_cli(vault, "log", "Ana Lima", "coffee")
    assert result.exit_code == 0, result.stderr
    after = (vault / "People/Ana Lima.md").read_bytes().decode()
    assert after == (
        "---\rname: Ana Lima\rcadence: 2w\rlast_contact: 2026-11-25\r---\r\r"
        "## Log\r- 2026-01-01 old\r- 2026-11-25 coffee\r"
    )


def test_a_new_line_takes_the_ending_most_lines_have(tmp_path: Path) -> None:
    text = "---\nname: Ana Lima\n---\n\nintro\r\n\n## Log\n- 2026-01-01 old\n"
    vault = make_vault(tmp_path, {"People/Ana Lima.md": text})
    assert run_cli(vault, "log", "Ana Lima", "coffee").exit_code == 0
    after = (vault / "People/Ana Lima.md").read_bytes()
    assert after.count(b"\r\n") == 1
    assert after.endswith(b"- 2026-01-01 old\n- 2026-11-25 coffee\n")


@pytest.mark.parametrize(
    "code",
    [
        "````\n```\n## Log\n```\n````\n",
        "```\n## Log\n~~~\n```\n",
    ],
)
def test_a_log_heading_inside_code_is_not_the_log(tmp_path: Path, code: str) -> None:
    text = f"---\nname: Ana Lima\n---\n\n{code}\n## Log\n- 2026-01-01 old\n"
    vault = make_vault(tmp_path, {"People/Ana Lima.md": text})
    assert run_cli(vault, "log", "Ana Lima", "coffee").exit_code == 0
    after = (vault / "People/Ana Lima.md").read_text()
    assert after.endswith("## Log\n- 2026-01-01 old\n- 2026-11-25 coffee\n")
    assert code in after


def test_a_block_value_keeps_the_comment_of_its_key() -> None:
    # import --merge sets `dates` this way (app/importers/apply.py calls set_field).
    from vaultnet.vault.edit import Lines, set_field

    lines = Lines("---\nname: Ana\ndates:   # c3\n---\n")
    set_field(lines, "dates", {"met": "2020-01-02"})
    assert lines.text() == '---\nname: Ana\ndates:   # c3\n  met: "2020-01-02"\n---\n'


@pytest.mark.parametrize(("value", "dead"), [('"2024-05-01"', True), ("2024-05-01", True)])
def test_deceased_as_a_date(tmp_path: Path, value: str, dead: bool) -> None:
    vault = make_vault(tmp_path, {"People/Dee.md": f"---\nname: Dee\ndeceased: {value}\n---\n"})
    result = run_cli(vault, "list", "--format", "json")
    assert f'"deceased": {str(dead).lower()}' in result.stdout


def test_an_invalid_deceased_date_is_a_problem(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Eve.md": "---\nname: Eve\ndeceased: 2024-13-45\n---\n"})
    check = run_cli(vault, "check")
    assert "People/Eve.md:3: deceased: '2024-13-45' is neither a date nor true/false" in (
        check.stdout
    )
    assert '"deceased": true' in run_cli(vault, "list", "--format", "json").stdout


# -- 8: leftovers ------------------------------------------------------------------------
def test_stale_temp_files_of_vaultnet_are_cleaned(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Ana Lima.md": ANA,
            "People/.Ana Lima.md.k3j_x9a2.tmp": "half",
            "People/.Bo.md.abcdefgh.tmp": "fresh",
            "People/.mine.tmp": "not ours",
            "People/.Cy.md.abcdefgh.tmp.bak": "not ours",
        },
    )
    old = time.time() - 2 * 3600
    for name in (".Ana Lima.md.k3j_x9a2.tmp", ".mine.tmp", ".Cy.md.abcdefgh.tmp.bak"):
        os.utime(vault / "People" / name, (old, old))
    assert run_cli(vault, "list").exit_code == 0
    left = sorted(p.name for p in (vault / "People").iterdir())
    assert left == [".Bo.md.abcdefgh.tmp", ".Cy.md.abcdefgh.tmp.bak", ".mine.tmp", "Ana Lima.md"]


# -- 11: an alias bomb -------------------------------------------------------------------
def test_log_refuses_an_alias_bomb_at_once(tmp_path: Path) -> None:
    rows = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 11):
        prev = f"*a{i - 1}"
        rows.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    bomb = "---\nname: Ana Lima\n" + "\n".join(rows) + "\n---\n\n## Log\n"
    vault = make_vault(tmp_path, {"People/Ana Lima.md": bomb})
    started = time.monotonic()
    result = run_cli(vault, "log", "Ana Lima", "coffee")
    assert time.monotonic() - started < 10
    assert result.exit_code != 0
    assert (vault / "People/Ana Lima.md").read_text() == bomb


def test_notes_linked_from_outside_are_read_only_when_the_config_says(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\nname: Secret Sam\nbirthday: 1990-01-02\n---\n")
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ANA})
    (vault / "People/Sam.md").symlink_to(outside)
    result = run_cli(vault, "list", "--format", "json")
    assert result.exit_code == 0
    assert "Secret Sam" not in result.stdout
    assert (
        "skipped 1 note that is a link leading outside the vault: People/Sam.md"
        " (follow_symlinks_outside = true in the config reads them)\n"
    ) in result.stderr
    assert "Secret Sam" not in run_cli(vault, "ics").stdout
    (vault / ".vaultnet/config.toml").write_text("follow_symlinks_outside = true\n")
    followed = run_cli(vault, "list", "--format", "json")
    assert "Secret Sam" in followed.stdout
    assert "skipped" not in followed.stderr
