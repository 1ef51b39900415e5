"""``vaultnet serve``: the calendar feed over HTTP, for calendar apps to subscribe to.

The standard library's ThreadingHTTPServer is enough here: a feed of a few hundred
kilobytes at most, fetched by a handful of clients every few hours. A thread per
request keeps a slow or stalled client from blocking the others, and it adds no
dependency. The feed is kept current by the same watcher as ``vaultnet watch`` and
held in memory, so a request costs a barrier file and a lookup, not a scan of the vault.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import re
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from vaultnet.core.errors import UsageError, VaultnetError

FEED_NAME = "calendar.ics"
_TOKEN = re.compile(r"^[A-Za-z0-9._~-]+$")
MIN_TOKEN = 16  # characters: a shorter secret in a URL can be guessed
MAX_CLIENTS = 64  # connections answered at once; more wait in the listen queue
BACKLOG = 512  # connections the kernel queues (the default 5 drops a burst of clients)
HEADER_TIMEOUT = 5.0  # seconds a client has to send its request line and headers

LogFn = Callable[[str], None]


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str  # quoted, as the header carries it
    last_modified: int  # whole seconds since the epoch: HTTP dates have no finer grain


class FeedSource:
    """The feed as last published by the watcher that keeps it current (``live.watcher.Watcher``
    with this source's ``publish`` as an output). Before answering, ``current`` has the
    watcher apply every save made so far, so an edit shows in the very next request."""

    def __init__(
        self,
        settle: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ):
        self.settle = settle
        self._clock = clock
        self._lock = threading.Lock()
        self._feed: Feed | None = None
        self._closed = False
        # Requests that arrive while a settle runs share the next one (see ``_settle``).
        self._settling = threading.Condition()
        self._started = self._finished = 0
        self._running = False

    def publish(self, body: bytes) -> bool:
        """Take a freshly rendered feed; False when it is what is served already."""
        with self._lock:
            if self._feed is not None and body == self._feed.body:
                return False
            self._feed = Feed(body, _etag(body), self._next_modified())
            return True

    def current(self) -> Feed:
        if self._closed:
            raise VaultnetError("the server is shutting down")
        self._settle()
        with self._lock:
            if self._feed is None:
                raise VaultnetError("the feed has not been built (see the messages above)")
            return self._feed

    def _settle(self) -> None:
        """One settle that started after this call, shared: a burst of requests costs two
        settles, not one each in a row (which made the 300th client wait seconds)."""
        with self._settling:
            wanted = self._started + 1  # a settle that starts from now on covers every save
            while self._finished < wanted:
                if self._running:
                    self._settling.wait()
                    continue
                self._running = True
                self._started += 1
                number = self._started
                self._settling.release()
                try:
                    self.settle()
                finally:
                    self._settling.acquire()
                    self._running = False
                    self._finished = max(self._finished, number)
                    self._settling.notify_all()

    def _next_modified(self) -> int:
        now = int(self._clock())
        # Strictly later than the previous version, or If-Modified-Since would match both.
        return now if self._feed is None else max(now, self._feed.last_modified + 1)

    def close(self) -> None:
        """Refuse new requests (the watcher and the index are about to stop)."""
        with self._lock:
            self._closed = True


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def feed_path(token: str | None) -> str:
    return f"/{token}/{FEED_NAME}" if token else f"/{FEED_NAME}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Loopback is safe; any other address would publish the feed, so it needs a token."""
    if token is not None and not _TOKEN.match(token):
        raise UsageError(
            "--token may hold only letters, digits and . _ ~ - (it becomes part of the URL)"
        )
    if token is not None and len(token) < MIN_TOKEN:
        raise UsageError(
            f"--token must be at least {MIN_TOKEN} characters long, e.g. "
            '`python3 -c "import secrets; print(secrets.token_urlsafe(24))"`'
        )
    if not is_loopback(host) and not token:
        raise UsageError(
            f"--host {host} lets other machines fetch the feed: add --token SECRET as well "
            f"(the feed is then served only at /SECRET/{FEED_NAME})"
        )


class FeedServer(ThreadingHTTPServer):
    """Serves one feed at one path; everything else is 404."""

    daemon_threads = True  # a stalled client never keeps the process from exiting
    request_queue_size = BACKLOG

    def __init__(
        self, host: str, port: int, source: FeedSource, token: str | None, log: LogFn
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.source = source
        self.token = token
        self.path_wanted = feed_path(token)
        self.log = log
        self._slots = threading.BoundedSemaphore(MAX_CLIENTS)
        try:
            super().__init__((host.strip("[]"), port), _Handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    def process_request(self, request: Any, client_address: Any) -> None:
        # A thread a connection, but never more than MAX_CLIENTS: the accept loop waits.
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def urls(self) -> tuple[str, str]:
        """(http URL, webcal URL) of the feed."""
        host, port = self.server_address[:2]
        shown = str(host)
        if shown in ("0.0.0.0", "::"):
            shown = socket.gethostname()
        elif ":" in shown:
            shown = f"[{shown}]"
        rest = f"{shown}:{port}{self.path_wanted}"
        return f"http://{rest}", f"webcal://{rest}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is routine; anything else is worth a line.
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        self.log(f"error answering {client_address[0]}: {exc!r}")

    def masked(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer
    server_version = "vaultnet"
    timeout = 30  # seconds a client may stay silent before its connection is dropped

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        self.rfile = _HeaderDeadline(self.rfile, self.connection)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        # The request line and headers must all arrive within HEADER_TIMEOUT: a client
        # sending a header line every few seconds would otherwise hold its thread forever.
        self.rfile.start(HEADER_TIMEOUT)  # type: ignore[attr-defined]
        super().handle_one_request()

    def parse_request(self) -> bool:
        ok = super().parse_request()
        self.connection.settimeout(self.timeout)  # the answer may take its time to send
        return ok

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        path = urlsplit(self.path).path
        if not hmac.compare_digest(path.encode(), self.server.path_wanted.encode()):
            self._plain(404, "Not found\n", with_body)
            return
        try:
            feed = self.server.source.current()
        except Exception as exc:  # the server keeps serving; the message says why
            self.server.log(f"cannot build the feed: {exc}")
            self._plain(
                500, "The calendar feed cannot be built; see the server's log.\n", with_body
            )
            return
        if _not_modified(self.headers, feed):
            self.send_response(304)
            self._validators(feed)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(feed.body)))
        self.send_header("Content-Disposition", f'inline; filename="{FEED_NAME}"')
        self._validators(feed)
        self.end_headers()
        if with_body:
            self.wfile.write(feed.body)

    def _validators(self, feed: Feed) -> None:
        self.send_header("ETag", feed.etag)
        self.send_header("Last-Modified", formatdate(feed.last_modified, usegmt=True))
        self.send_header("Cache-Control", "no-cache")

    def _plain(self, code: int, text: str, with_body: bool) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        # A client's request line is its own text: its ESC sequences must not reach the
        # terminal (the standard library's log_message escapes them; this one did not).
        message = (format % args).translate(_CONTROL)
        line = f"{self.address_string()} [{self.log_date_time_string()}] {message}"
        self.server.log(self.server.masked(line))


# C0 and C1 controls and DEL shown as \xNN, as the standard library's log_message does.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def _not_modified(headers: Any, feed: Feed) -> bool:
    """RFC 9110 13.1: If-None-Match (weak comparison) wins; else If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        if inm.strip() == "*":
            return True
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return feed.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims is None:
        return False
    try:
        since = parsedate_to_datetime(ims).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    return feed.last_modified <= since


class _HeaderDeadline:
    """The request's input, read line by line with a deadline for the whole of the headers."""

    def __init__(self, raw: Any, sock: socket.socket) -> None:
        self._raw = raw
        self._sock = sock
        self._deadline = 0.0

    def start(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds

    def readline(self, limit: int = -1) -> bytes:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request's headers came too slowly")
        self._sock.settimeout(left)
        line: bytes = self._raw.readline(limit)
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def serve_until_stopped(server: FeedServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then close the socket: both are a normal stop."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.source.close()
        server.server_close()
        if previous is not None:
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signal.SIGTERM, previous)
