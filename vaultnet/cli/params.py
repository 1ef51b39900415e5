"""Pieces every command module shares: the App decorator, parameter types, progress."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import click

from vaultnet.app.context import App
from vaultnet.core.dates import parse_cadence, parse_duration_days, parse_yearly
from vaultnet.store.index import Index, ProgressFn


class _Parsed(click.ParamType):
    """A value parsed by one of the core's parsers; its ValueError becomes a usage error
    that names the option (exit status 2)."""

    def __init__(self, name: str, parse: Callable[[str], Any]) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # a default, already parsed
        try:
            return self._parse(value.strip())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _cadence(text: str) -> str:
    parse_cadence(text)  # checked here; the note keeps it as the user wrote it
    return text


DATE = _Parsed("YYYY-MM-DD", _iso_date)
YEARLY = _Parsed("DATE", parse_yearly)  # YYYY-MM-DD, or --MM-DD when the year is unknown
CADENCE = _Parsed("CADENCE", _cadence)
DURATION = _Parsed("DURATION", parse_duration_days)  # a number of days
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


def open_index(app: App) -> Index:
    progress = progress_callback()
    return app.index(progress=progress)


# -- the calendar feed's options -------------------------------------------------------------


def _option_error(param: click.Parameter | None, exc: ValueError) -> Exception:
    # One line through the error boundary, as every other usage error: "--include: ...".
    from vaultnet.core.errors import UsageError

    name = param.opts[0] if param is not None and param.opts else "value"
    return UsageError(f"{name}: {exc}")


class IncludeParam(click.ParamType):
    """Comma-separated kinds of event for the calendar feed (``core.ics.parse_include``)."""

    name = "KINDS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> frozenset[str]:
        from vaultnet.core.ics import parse_include

        if isinstance(value, frozenset):
            return value
        try:
            return parse_include(str(value))
        except ValueError as exc:
            raise _option_error(param, exc) from None


class AlarmParam(click.ParamType):
    """How long before each event a reminder fires, or ``none`` (``core.ics.parse_alarm``)."""

    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from vaultnet.core.ics import Alarm, parse_alarm

        if isinstance(value, Alarm):
            return value
        try:
            return Alarm(parse_alarm(str(value)))
        except ValueError as exc:
            raise _option_error(param, exc) from None


INCLUDE = IncludeParam()
ALARM = AlarmParam()


def pinned_today(app: App) -> date | None:
    """The day ``--today`` (or ``$VAULTNET_TODAY``) fixed, else None: a watcher then
    follows the real date."""
    given = click.get_current_context().find_root().params.get("today") is not None
    return app.today if given else None
