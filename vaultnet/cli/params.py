"""Pieces every command module shares: the App decorator, parameter types, progress."""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Any

import click

from vaultnet.app.context import App
from vaultnet.store.index import Index, ProgressFn


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date (expected YYYY-MM-DD)", param, ctx)


DATE = DateParam()
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
