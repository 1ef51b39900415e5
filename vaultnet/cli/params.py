"""Pieces every command module shares: the App decorator, parameter types, progress."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vaultnet.app.context import App
from vaultnet.core.dates import parse_cadence, parse_duration_days, parse_yearly
from vaultnet.core.errors import UsageError
from vaultnet.store.index import Index, ProgressFn

if TYPE_CHECKING:
    from vaultnet.core.ics import Alarm

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


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _cadence(text: str) -> str:
    parse_cadence(text)  # checked here; the note keeps it as the user wrote it
    return text


def _include(text: str) -> frozenset[str]:
    from vaultnet.core.ics import parse_include

    return parse_include(text)


def _alarm(text: str) -> Alarm:
    from vaultnet.core.ics import parse_reminder

    return parse_reminder(text)


DATE = Parsed("YYYY-MM-DD", _iso_date, one_line=False)
YEARLY = Parsed("DATE", parse_yearly)  # YYYY-MM-DD, or --MM-DD when the year is unknown
CADENCE = Parsed("CADENCE", _cadence)
DURATION = Parsed("DURATION", parse_duration_days)  # a number of days
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


def echo(message: str | bytes = "", err: bool = False, nl: bool = True) -> None:
    """click.echo with every control character of text shown as ``\\xNN`` (a name or file
    name holding ESC sequences must not drive the terminal); bytes (feeds, vCards) go
    out untouched."""
    from vaultnet.render.text import terminal_safe

    click.echo(terminal_safe(message) if isinstance(message, str) else message, err=err, nl=nl)


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
