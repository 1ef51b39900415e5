"""Pieces every command module shares: the App decorator, parameter types, progress."""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vaultnet.app.context import App
from vaultnet.core.dates import YearlyDate, parse_cadence, parse_duration_days, parse_yearly
from vaultnet.core.errors import UsageError
from vaultnet.core.tuples import NamedTuple

if TYPE_CHECKING:
    from vaultnet.core.ics import Alarm
    from vaultnet.render.text import Terminal
    from vaultnet.store.index import Index, ProgressFn

T = TypeVar("T")


class Parsed(click.ParamType[T]):
    """A value parsed by one of the core's parsers. Its ValueError becomes a usage error
    (exit status 2) that names the option: as click's usage message, or (``one_line``) as
    one line through the error boundary, ``vaultnet: error: --for: ...``."""

    def __init__(self, name: str, parse: Callable[[str], T], one_line: bool = True) -> None:
        self.name = name
        self._parse = parse
        self._one_line = one_line

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> T:
        if not isinstance(value, str):
            return value  # type: ignore[no-any-return]  # a default, already parsed
        try:
            return self._parse(value.strip())
        except ValueError as exc:
            if not self._one_line:
                self.fail(str(exc), param, ctx)
            name = param.opts[0] if param is not None and param.opts else "value"
            raise UsageError(f"{name}: {exc}") from None


class SpokenDate(click.ParamType[date]):
    """A date as people say it (``core.dates.parse_spoken_date``): ``YYYY-MM-DD``,
    ``today``, ``3d ago``, ``in 2w``, a weekday... counted from the command's today
    (``--today`` when given). A weekday name is the last one, or with ``future`` the next
    one. A bad date is a usage error (exit status 2) naming the option and the forms."""

    name = "DATE"

    def __init__(self, future: bool = False) -> None:
        self.future = future

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from vaultnet.core.dates import parse_spoken_date

        try:
            return parse_spoken_date(str(value), _today(ctx), self.future)
        except ValueError as exc:
            name = param.opts[0] if param is not None and param.opts else "value"
            raise UsageError(f"{name}: {exc}") from None


def _today(ctx: click.Context | None) -> date:
    """The day relative dates count from: the App's (``--today``), else the clock's."""
    app = ctx.find_object(App) if ctx is not None else None
    return app.today if app is not None else date.today()


def _yearly(text: str) -> YearlyDate:
    try:
        return parse_yearly(text)
    except ValueError as exc:
        if "(expected" in str(exc):
            raise
        raise ValueError(f"{exc} (expected YYYY-MM-DD, or --MM-DD without the year)") from None


def _cadence(text: str) -> str:
    parse_cadence(text)  # checked here; the note keeps it as the user wrote it
    return text


def _duration(text: str) -> int:
    try:
        return parse_duration_days(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a duration: give a positive number of days, weeks, months or"
            " years (10d, 2w, 3m, '6 weeks')"
        ) from None


def _include(text: str) -> frozenset[str]:
    from vaultnet.core.ics import parse_include

    return parse_include(text)


def _alarm(text: str) -> Alarm:
    from vaultnet.core.ics import parse_reminder

    return parse_reminder(text)


DATE = SpokenDate()  # a past-facing date: a weekday name is the last one
FUTURE_DATE = SpokenDate(future=True)  # --until, --due: a weekday name is the next one
YEARLY = Parsed("DATE", _yearly)  # YYYY-MM-DD, or --MM-DD when the year is unknown
CADENCE = Parsed("CADENCE", _cadence)
DURATION = Parsed("DURATION", _duration)  # a number of days
INCLUDE = Parsed("KINDS", _include)  # comma-separated kinds of calendar event
ALARM = Parsed("DURATION[@HH:MM]", _alarm)  # how long before each event a reminder fires
FORMAT_TABLE_JSON = click.Choice(["table", "json"])


pass_app = click.make_pass_decorator(App)


def progress_callback() -> ProgressFn | None:
    """A progress callback that shows a bar on a terminal once the work has taken a second."""
    if not sys.stderr.isatty():
        return None
    state: dict[str, Any] = {"start": time.monotonic(), "bar": None, "shown": 0}

    def update(done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            if time.monotonic() - state["start"] < 1.0 or done >= total:
                return
            bar = click.progressbar(length=total, label="Indexing notes", file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - state["shown"])
        state["shown"] = done
        if done >= total:
            bar.__exit__(None, None, None)

    return update


# Where the root context's ``meta`` keeps the command line's ``Output``.
OUTPUT_KEY = "vaultnet.output"


class Output(NamedTuple):
    """How the terminal is written to: colour (None: decide by the stream) and the pager."""

    color: bool | None = None
    pager: bool = True

    @classmethod
    def from_choice(cls, choice: str, pager: bool = True) -> Output:
        """``--color auto|always|never``; auto follows ``$NO_COLOR`` and ``$FORCE_COLOR``."""
        if choice == "always":
            return cls(True, pager)
        if choice == "never" or os.environ.get("NO_COLOR"):
            return cls(False, pager)
        if os.environ.get("FORCE_COLOR"):
            return cls(True, pager)
        return cls(None, pager)

    @classmethod
    def current(cls) -> Output:
        ctx = click.get_current_context(silent=True)
        found = ctx.find_root().meta.get(OUTPUT_KEY) if ctx is not None else None
        return found if isinstance(found, Output) else cls()

    def colours(self) -> bool:
        """Whether stdout gets colours: asked for, or stdout is a terminal."""
        if self.color is not None:
            return self.color
        return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


# Styles of what a table marks: overdue, due today, soon.
STYLES: dict[str, dict[str, Any]] = {
    "overdue": {"fg": "red", "bold": True},
    "today": {"fg": "yellow", "bold": True},
    "soon": {"fg": "green"},
}


def paint(text: str, style: str) -> str:
    """``text`` in the colours of ``style`` (a key of STYLES)."""
    return click.style(text, **STYLES.get(style, {}))


def painter() -> Callable[[str, str], str] | None:
    """The painter a renderer takes when stdout gets colours, else None."""
    return paint if Output.current().colours() else None


def terminal() -> Terminal:
    """What tables know of stdout: colours and width."""
    from vaultnet.render.text import Terminal

    return Terminal(painter(), terminal_width())


def terminal_width() -> int | None:
    """The columns of the terminal (or ``$COLUMNS``) when stdout is one or COLUMNS is set."""
    if not os.environ.get("COLUMNS") and not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def echo(message: str | bytes = "", err: bool = False, nl: bool = True) -> None:
    """click.echo with every control character of text shown as ``\\xNN`` (a name or file
    name holding ESC sequences must not drive the terminal); bytes (feeds, vCards) go
    out untouched. A reader that went away (``| head``) ends the output quietly: the
    command still finishes what it writes to the vault."""
    from vaultnet.render.text import terminal_safe

    _write(terminal_safe(message) if isinstance(message, str) else message, err, nl)


def echo_styled(message: str, nl: bool = True, safe: bool = True) -> None:
    """Text a renderer made terminal-safe itself (``safe``; else it is made so here, and
    has no colours) and may have coloured: colours shown on a terminal (or with --color
    always), dropped elsewhere; long text through the pager on a terminal (``$PAGER``;
    not with --no-pager)."""
    if not safe:
        from vaultnet.render.text import terminal_safe

        message = terminal_safe(message)
    out = Output.current()
    color = out.colours()
    if out.pager and sys.stdin.isatty() and sys.stdout.isatty() and _too_long(message):
        click.echo_via_pager(message if color else click.unstyle(message), color=color)
        return
    _write(message, False, nl, color)


def _too_long(text: str) -> bool:
    import shutil

    return text.count("\n") >= shutil.get_terminal_size((80, 24)).lines - 1


_closed = {"stdout": False}


def reset_output() -> None:
    """A new run: stdout is open again (tests run many in one process)."""
    _closed["stdout"] = False


def _write(message: str | bytes, err: bool, nl: bool, color: bool | None = None) -> None:
    if not err and _closed["stdout"]:
        return
    try:
        click.echo(message, err=err, nl=nl, color=color)
    except BrokenPipeError:
        if err:
            raise
        _closed["stdout"] = True
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def echo_notices(app: App, notices: list[str]) -> None:
    """What a report left out, one line each on stderr (never stdout: JSON stays clean),
    unless ``--quiet``."""
    if app.quiet:
        return
    for line in notices:
        echo(line, err=True)


def open_index(app: App) -> Index:
    progress = progress_callback()
    return app.index(progress=progress)


def pinned_today(app: App) -> date | None:
    """The day ``--today`` (or ``$VAULTNET_TODAY``) fixed, else None: a watcher then
    follows the real date."""
    given = click.get_current_context().find_root().params.get("today") is not None
    return app.today if given else None


# -- shell completion --------------------------------------------------------------------
def _completion_app(ctx: click.Context) -> App | None:
    """The vault of the command line being completed, or None when there is none."""
    from pathlib import Path

    from vaultnet.vault.scan import find_vault

    given = ctx.find_root().params.get("vault")
    root = find_vault(str(given) if given else None, Path.cwd())
    if root is None or not root.is_dir():
        return None
    return App(vault=root, today=date.today(), quiet=True)


def _completer(what: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        app = _completion_app(ctx)
        if app is None:
            return []
        try:
            if what == "template":
                from vaultnet.app.checkin import list_templates

                values = [t.name for t in list_templates(app).templates]
            else:
                from vaultnet.app.contacts import completions

                values = completions(app.index(), app.config, what)
        except Exception:
            return []  # a broken vault completes nothing rather than printing a traceback
        finally:
            app.close()
        wanted = incomplete.casefold().lstrip("#")
        return [v for v in values if v.casefold().startswith(wanted)]

    return complete


complete_contact = _completer("name")
complete_template = _completer("template")
complete_kind = _completer("kind")
complete_tag = _completer("tag")


SLICE = 1 << 20  # characters ``slices`` cuts a long text into


def slices(text: str) -> Iterator[str]:
    """``text`` a megabyte at a time, for ``echo_pieces``: a long report is never encoded
    (or made safe) whole at once."""
    return (text[i : i + SLICE] for i in range(0, len(text), SLICE))


def echo_encoded(data: bytes) -> bool:
    """Write UTF-8 ``data`` to stdout as it is, when that is exactly what ``echo_styled`` of
    its text writes: stdout is no terminal (no pager, nothing to colour), writes UTF-8, and
    translates no newline. False, writing nothing, when it is not so."""
    import codecs

    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    if os.name != "posix" or not utf8 or stream.isatty():
        return False
    _write(data, False, False)
    return True


def echo_pieces(pieces: Iterable[str], styled: bool = False, nl: bool = True) -> None:
    """The text ``pieces`` join into, written a piece at a time as they come: what
    ``echo`` (or, ``styled``, ``echo_styled``) of the whole writes, without ever holding
    it. Styled text goes through the pager when it is longer than the terminal: the
    pieces seen until that is known wait for the answer."""
    if not styled:
        for piece in pieces:
            echo(piece, nl=False)
        if nl:
            echo()
        return
    out = Output.current()
    color = out.colours()
    coming = iter(pieces)
    rest: Iterable[str] = coming
    if out.pager and sys.stdin.isatty() and sys.stdout.isatty():
        import shutil

        held: list[str] = []
        lines = 0
        screen = shutil.get_terminal_size((80, 24)).lines
        for piece in coming:
            held.append(piece)
            lines += piece.count("\n")
            if lines >= screen - 1:  # as ``_too_long`` tells of the whole text
                shown = itertools.chain(held, coming)
                click.echo_via_pager(shown if color else map(click.unstyle, shown), color=color)
                return
        rest = held
    for piece in rest:
        _write(piece, False, False, color)
    if nl:
        _write("", False, True, color)
