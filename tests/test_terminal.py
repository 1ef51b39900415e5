"""Issue #15 item 16: nothing vaultnet prints can drive the terminal (ESC, BEL, OSC 52)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

from vaultnet.render.text import terminal_safe

# OSC 52 (write the clipboard), a title change, clear screen, a C1 CSI.
EVIL = "Eve\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\x9b31m"
SHOWN = "Eve\\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    # YAML double quotes spell the control characters as escapes.
    name = EVIL.encode("unicode_escape").decode("ascii")
    return make_vault(
        tmp_path,
        {
            "People/eve.md": (
                f'---\nname: "{name}"\ncadence: 1w\nbirthday: 1990-11-27\n---\n\n'
                "## Log\n- [ ] call \x1b[2Jback \U0001f4c5 2026-11-26\n"
            ),
        },
    )


def assert_clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


def test_terminal_safe_keeps_newlines_and_tabs() -> None:
    assert terminal_safe(EVIL) == SHOWN
    assert terminal_safe("a\tb\nc\r") == "a\tb\nc\\x0d"


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("followups",),
        ("upcoming",),
        ("show", "eve"),
        ("checkin", "eve"),
        ("check",),
        ("list", "--format", "json"),
    ],
)
def test_no_command_prints_a_control_character(vault: Path, args: tuple[str, ...]) -> None:
    result = run_cli(vault, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    if args[0] in ("list", "followups", "show"):
        assert "Eve\\x1b]52" in result.stdout or "Eve\\u001b]52" in result.stdout


def test_a_task_with_escapes_is_shown_escaped(vault: Path) -> None:
    out = run_cli(vault, "followups").stdout
    assert "call \\x1b[2Jback" in out


def test_check_reports_a_name_with_control_characters(vault: Path, tmp_path: Path) -> None:
    (vault / "People/nl.md").write_text('---\nname: "Ann\\nBob"\n---\n')
    result = run_cli(vault, "check")
    assert result.exit_code == 1
    assert "People/nl.md:1: name 'Ann\\nBob' holds a line break or control character" in (
        result.stdout
    )
    assert "People/eve.md:1: name 'Eve\\x1b]52" in result.stdout


def test_a_file_name_with_escapes_is_shown_escaped(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/x\x1b[2J.md": "---\nname: X\n---\n"})
    result = run_cli(vault, "log", "X", "coffee")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Logged 2026-11-25 in People/x\\x1b[2J.md\n"


@pytest.mark.live
def test_serve_logs_a_clients_escapes_escaped() -> None:
    from vaultnet.live.server import FeedServer

    class Source:
        def current(self) -> object:
            raise AssertionError("not asked")

        def close(self) -> None:
            pass

    lines: list[str] = []
    server = FeedServer("127.0.0.1", 0, Source(), None, log=lines.append)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as conn:
            conn.sendall(b"GET /\x1b]0;pwned\x07 HTTP/1.0\r\n\r\n")
            conn.recv(4096)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert lines
    for line in lines:
        assert_clean(line)
    assert any("\\x1b]0;pwned\\x07" in line for line in lines)


def test_a_name_with_a_newline_is_one_summary_line_in_the_feed(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path, {"People/ab.md": '---\nname: "A\\nB"\nbirthday: 1990-12-02\n---\n'}
    )
    feed = run_cli(vault, "ics").stdout_bytes
    assert b"SUMMARY:A B: birthday (born 1990)\r\n" in feed
