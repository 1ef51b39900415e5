"""``vaultnet serve``: a real server in a subprocess, on a free port, spoken to over HTTP."""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from helpers import make_vault

from vaultnet.cli import main

# Live: real servers, watchers and subprocesses (`pytest -m "not live"` skips them).
pytestmark = pytest.mark.live

ADA = """---
name: Ada Leap
company: Lumen Labs
email: ada@lumen.example
birthday: 1992-02-29
work_anniversary: 2021-09-06
---
## Log
- 2026-11-01 Coffee, SECRET-LOG-TEXT
"""

BO = """---
name: Bo Noyear
birthday: "--07-14"
---
"""

FILES = {"People/Ada Leap.md": ADA, "People/Bo Noyear.md": BO, "Daily/2026-11-20.md": "# Day\n"}


def edit(path: Path, text: str) -> None:
    """Rewrite a note and move its mtime on, whatever the filesystem's resolution."""
    st = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    """Poll ``condition`` until it is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class Server:
    """``python -m vaultnet serve --port 0`` with its printed URL; stderr goes to a file."""

    def __init__(self, vault: Path, workdir: Path, *args: str):
        self.stderr_path = workdir / f"serve-{os.getpid()}-{id(self)}.log"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vaultnet",
                "--vault",
                str(vault),
                "serve",
                "--port",
                "0",
                *list(args),
            ],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=workdir,
            text=True,
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_line("http://")
        self.webcal = self.wait_line("webcal://")
        parts = urlsplit(self.url)
        self.host, self.port, self.path = parts.hostname or "", parts.port or 0, parts.path

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def wait_line(self, prefix: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line starting {prefix!r}; got {self.output}") from None
            if line is None:
                raise AssertionError(f"server exited; output {self.output}, log {self.log()}")
            self.output.append(line)
            if line.strip().startswith(prefix):
                return line.strip()

    def request(
        self, path: str | None = None, method: str = "GET", headers: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            conn.request(method, path or self.path, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=15)
        while True:
            line = self._lines.get(timeout=15)
            if line is None:
                break
            self.output.append(line)
        self._stderr.close()
        return code

    def log(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(tmp_path, FILES)


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def starter(vault: Path, *args: str) -> Server:
        server = Server(vault, tmp_path, *args)
        servers.append(server)
        return server

    yield starter
    for server in servers:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(timeout=15)


def cli_feed(vault: Path) -> bytes:
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-25", "ics"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


# -- the happy path ----------------------------------------------------------------------


def test_serves_the_feed_with_validators(vault: Path, start: Callable[..., Server]) -> None:
    server = start(vault)
    assert server.host == "127.0.0.1" and server.port > 0
    assert server.path == "/calendar.ics"
    assert server.webcal == f"webcal://127.0.0.1:{server.port}/calendar.ics"

    response, body = server.request()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/calendar; charset=utf-8"
    assert int(response.getheader("Content-Length") or -1) == len(body)
    etag = response.getheader("ETag") or ""
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    last_modified = response.getheader("Last-Modified") or ""
    assert parsedate_to_datetime(last_modified).tzinfo is not None
    assert body == cli_feed(vault)  # the same bytes `vaultnet ics` writes
    assert b"SECRET" not in body and b".example" not in body

    head, head_body = server.request(method="HEAD")
    assert head.status == 200 and head_body == b""
    assert head.getheader("ETag") == etag
    assert head.getheader("Content-Length") == str(len(body))

    for match in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        again, again_body = server.request(headers={"If-None-Match": match})
        assert again.status == 304, match
        assert again_body == b""
        assert again.getheader("ETag") == etag
    other, _ = server.request(headers={"If-None-Match": '"something-else"'})
    assert other.status == 200
    since, _ = server.request(headers={"If-Modified-Since": last_modified})
    assert since.status == 304
    assert server.stop() == 0


def test_other_paths_are_404(vault: Path, start: Callable[..., Server]) -> None:
    server = start(vault)
    for path in ("/", "/calendar", "/calendar.ICS", "/calendar.ics/x", "/x/calendar.ics", "//"):
        for method in ("GET", "HEAD"):
            response, _ = server.request(path, method=method)
            assert response.status == 404, (method, path)
    # A query string does not change the path (some clients add one to defeat caches).
    response, _ = server.request("/calendar.ics?nocache=1")
    assert response.status == 200


def test_an_edit_shows_in_the_next_request(vault: Path, start: Callable[..., Server]) -> None:
    server = start(vault)
    first, body = server.request()
    assert b"Ada Leap: birthday (born 1992)" in body
    edit(vault / "People/Ada Leap.md", ADA.replace("1992-02-29", "1993-03-01"))
    second, body = server.request()
    assert second.status == 200
    assert b"Ada Leap: birthday (born 1993)" in body
    assert second.getheader("ETag") != first.getheader("ETag")
    assert parsedate_to_datetime(second.getheader("Last-Modified") or "") > parsedate_to_datetime(
        first.getheader("Last-Modified") or ""
    )
    stale, _ = server.request(headers={"If-None-Match": first.getheader("ETag") or ""})
    assert stale.status == 200
    # A new contact and a deleted one show too.
    (vault / "People/Cleo New.md").write_text("---\nbirthday: 2001-01-01\n---\n", encoding="utf-8")
    (vault / "People/Bo Noyear.md").unlink()
    _, body = server.request()
    assert b"Cleo New: birthday (born 2001)" in body and b"Bo Noyear" not in body
    # An unrelated note changes nothing: same ETag.
    third, _ = server.request()
    edit(vault / "Daily/2026-11-20.md", "# Day\n\nLonger now.\n")
    fourth, _ = server.request()
    assert fourth.getheader("ETag") == third.getheader("ETag")
    assert fourth.getheader("Last-Modified") == third.getheader("Last-Modified")


# -- the token rule ----------------------------------------------------------------------


def test_token_hides_every_other_path(vault: Path, start: Callable[..., Server]) -> None:
    token = "s3cret-Tok_en.1-long"  # 16 characters at least
    server = start(vault, "--token", token)
    assert server.path == f"/{token}/calendar.ics"
    assert server.webcal.endswith(f"/{token}/calendar.ics")
    assert server.request("/calendar.ics")[0].status == 404
    assert server.request("/wrong/calendar.ics")[0].status == 404
    assert server.request(f"/{token}/")[0].status == 404
    assert server.request(f"/{token}")[0].status == 404
    response, body = server.request()
    assert response.status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert server.stop() == 0
    log = server.log()
    assert "calendar.ics" in log and token not in log  # the log never shows the secret


def test_other_addresses_need_a_token(vault: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "--token" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("token", ["has/slash", "has space", "", "short-s3cret.15"])
def test_bad_tokens_are_refused(vault: Path, token: str) -> None:
    result = CliRunner().invoke(main, ["--vault", str(vault), "serve", "--token", token])
    assert result.exit_code == 2
    assert "--token" in result.output


def test_loopback_detection() -> None:
    from vaultnet.live.server import is_loopback

    for host in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org", "10.0.0.1"):
        assert not is_loopback(host), host


def test_a_busy_port_is_a_one_line_error(vault: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "vaultnet", "--vault", str(vault), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


# -- robustness --------------------------------------------------------------------------


def test_garbage_and_hangups_do_not_stop_it(vault: Path, start: Callable[..., Server]) -> None:
    server = start(vault)
    address = (server.host, server.port)
    # A TLS handshake, binary noise, a bad request line: each answered 400, then closed.
    for noise in (
        b"\x16\x03\x01\x02\x00\x01\x00\xff\xfe garbage\r\n\r\n",
        b"GET /calendar.ics HTTP/9.x\r\n\r\n",
        b"GET\r\n\r\n",
    ):
        assert b"400" in exchange(address, noise)
    # Connect and hang up at once; hang up halfway through a request; hang up before reading.
    socket.create_connection(address, timeout=15).close()
    with socket.create_connection(address, timeout=15) as sock:
        sock.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n")
    with socket.create_connection(address, timeout=15) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(b"GET /calendar.ics HTTP/1.0\r\n\r\n")
    response, body = server.request()
    assert response.status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert server.proc.poll() is None
    assert server.stop() == 0
    assert "Traceback" not in server.log()


def test_concurrent_requests(vault: Path, start: Callable[..., Server]) -> None:
    server = start(vault)
    # One client stalls without sending anything; the others are answered all the same.
    with (
        socket.create_connection((server.host, server.port), timeout=15),
        ThreadPoolExecutor(max_workers=16) as pool,
    ):
        results = list(pool.map(lambda _: server.request(), range(48)))
    assert {r.status for r, _ in results} == {200}
    assert len({r.getheader("ETag") for r, _ in results}) == 1
    assert len({body for _, body in results}) == 1


def exchange(address: tuple[str, int], data: bytes) -> bytes:
    """Send raw bytes, read until the server closes the connection."""
    with socket.create_connection(address, timeout=15) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stops_cleanly(vault: Path, start: Callable[..., Server], sig: int) -> None:
    server = start(vault)
    assert server.request()[0].status == 200
    assert server.stop(sig) == 0
    assert "Stopped." in "".join(server.output)
    assert "Traceback" not in server.log()
    with pytest.raises(OSError):
        socket.create_connection((server.host, server.port), timeout=5).close()


# -- the feed source, in-process -----------------------------------------------------------


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_source_is_kept_current_by_the_watcher(
    vault: Path, monkeypatch: pytest.MonkeyPatch, polling: bool
) -> None:
    """Every save made before a request shows in it, with no waiting by the caller: only
    the notes that changed are parsed, and the feed is rendered only when it changed."""
    from vaultnet.core import ics as calendar
    from vaultnet.live import outputs
    from vaultnet.live import watcher as watch
    from vaultnet.live.server import FeedSource
    from vaultnet.store.index import Index
    from vaultnet.vault import parse as notes
    from vaultnet.vault.config import load_config

    parsed: list[str] = []
    rendered: list[int] = []
    real_parse, real_render = notes.parse_note, calendar.render_feed

    def spy_parse(rel_path: str, *args: Any) -> Any:
        parsed.append(rel_path)
        return real_parse(rel_path, *args)

    def spy_render(*args: Any, **kwargs: Any) -> bytes:
        rendered.append(1)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(notes, "parse_note", spy_parse)
    monkeypatch.setattr(calendar, "render_feed", spy_render)
    config = load_config(vault)
    index = Index(vault, config)
    clock = iter(range(1_000_000, 2_000_000, 10))
    source = FeedSource(clock=lambda: next(clock))
    reasons: list[str] = []
    watcher = watch.Watcher(
        index,
        outputs=[outputs.Output("feed", outputs.ics_render(config), source.publish)],
        today=lambda: date(2026, 11, 25),
        polling=polling,
        on_batch=lambda report: reasons.append(report.reason),
        exclusive=False,
    )
    watcher.start()
    source.settle = watcher.settle
    try:
        first = source.current()
        assert len(rendered) == 1 and len(parsed) == 3
        parsed.clear()
        assert source.current() is first
        assert parsed == [] and len(rendered) == 1
        edit(vault / "Daily/2026-11-20.md", "# Day\n\nchanged\n")
        assert source.current() is first  # one note reparsed; nothing the feed shows changed
        assert parsed == ["Daily/2026-11-20.md"] and len(rendered) == 1
        edit(vault / "People/Bo Noyear.md", BO.replace("--07-14", "--07-15"))
        second = source.current()
        assert parsed[-1] == "People/Bo Noyear.md" and len(rendered) == 2
        assert second.etag != first.etag and second.last_modified > first.last_modified
        assert b"DTSTART;VALUE=DATE:19720715" in second.body
        # Saved the way editors save: a temporary file renamed over the note.
        tmp = vault / "People/.Ada Leap.md.tmp"
        tmp.write_text(ADA.replace("1992-02-29", "1990-05-05"), encoding="utf-8")
        os.replace(tmp, vault / "People/Ada Leap.md")
        third = source.current()
        assert b"Ada Leap: birthday (born 1990)" in third.body
        (vault / "People/Bo Noyear.md").unlink()
        assert b"Bo Noyear" not in source.current().body
        kept = index.snapshot()
        # With notifications, every request was answered from events (its barrier came),
        # never by the fallback reconcile.
        if polling:
            assert "request" in reasons  # each request reconciled by stat
        else:
            assert "late events" not in reasons
    finally:
        source.close()
        watcher.stop()
        index.close()
    # The barrier files are gone, and the index is what a fresh build makes of the vault.
    assert not list((vault / ".vaultnet/cache").glob("barrier-*"))
    shutil.rmtree(vault / ".vaultnet/cache")
    fresh = Index(vault, config)
    try:
        fresh.update()
        assert kept == fresh.snapshot()
    finally:
        fresh.close()


def test_a_feed_that_cannot_be_built_is_a_500_and_the_server_goes_on() -> None:
    from vaultnet.core.errors import VaultnetError
    from vaultnet.live.server import Feed, FeedServer

    class Flaky:
        calls = 0

        def current(self) -> Feed:
            self.calls += 1
            if self.calls == 1:
                raise VaultnetError("broken on purpose")
            return Feed(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", '"x"', 0)

        def close(self) -> None:
            pass

    lines: list[str] = []
    server = FeedServer("127.0.0.1", 0, Flaky(), None, log=lines.append)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        conn.request("GET", "/calendar.ics")
        failed = conn.getresponse()
        assert failed.status == 500 and b"cannot be built" in failed.read()
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        conn.request("GET", "/calendar.ics")
        assert conn.getresponse().status == 200
        conn.close()
        assert any("broken on purpose" in line for line in lines)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=15)


def test_tokens_shorter_than_16_characters_are_refused(vault: Path) -> None:
    result = CliRunner().invoke(main, ["--vault", str(vault), "serve", "--token", "a" * 15])
    assert result.exit_code == 2
    assert "--token must be at least 16 characters" in result.stderr


def test_many_clients_at_once_are_all_answered_within_a_second(
    vault: Path, start: Callable[..., Server]
) -> None:
    server = start(vault)
    server.request()  # warm: the first feed is built

    def timed(_: int) -> tuple[int, float]:
        began = time.monotonic()
        response, _body = server.request()
        return response.status, time.monotonic() - began

    with ThreadPoolExecutor(max_workers=150) as pool:
        results = list(pool.map(timed, range(300)))
    assert {status for status, _ in results} == {200}
    assert max(seconds for _, seconds in results) < 1.0


def test_slow_headers_are_dropped_and_good_clients_still_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vaultnet.live import server as server_mod
    from vaultnet.live.server import FeedServer, FeedSource

    monkeypatch.setattr(server_mod, "HEADER_TIMEOUT", 0.5)
    monkeypatch.setattr(server_mod, "MAX_CLIENTS", 8)
    source = FeedSource()
    source.publish(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    lines: list[str] = []
    server = FeedServer("127.0.0.1", 0, source, None, log=lines.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = ("127.0.0.1", server.server_address[1])
    slow = [socket.create_connection(address, timeout=15) for _ in range(20)]
    try:
        began = time.monotonic()
        for sock in slow:
            sock.sendall(b"GET /calendar.ics HTTP/1.1\r\n")
        for _ in range(8):  # a header line every 0.2 s: never done, never idle for long
            time.sleep(0.2)
            for sock in slow:
                with contextlib.suppress(OSError):
                    sock.sendall(b"X-Slow: 1\r\n")
        for sock in slow:
            sock.settimeout(5)
            try:
                data: bytes | None = sock.recv(4096)
            except TimeoutError:
                data = None  # still held by the server
            except OSError:
                data = b""  # reset: dropped
            assert data == b""
        assert time.monotonic() - began < 10
        conn = http.client.HTTPConnection(*address, timeout=15)
        asked = time.monotonic()
        conn.request("GET", "/calendar.ics")
        assert conn.getresponse().status == 200
        assert time.monotonic() - asked < 1.0
        conn.close()
    finally:
        for sock in slow:
            sock.close()
        server.shutdown()
        server.server_close()
