"""Commands ``ics`` and ``serve``: the calendar feed as a file and over HTTP.

``icalendar`` is imported only when a feed is built, never when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from vaultnet.app.context import App
from vaultnet.cli.params import (
    ALARM,
    INCLUDE,
    echo,
    echo_notices,
    open_index,
    pass_app,
    pinned_today,
)

if TYPE_CHECKING:
    from vaultnet.core.ics import Alarm


@click.command("ics")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the feed to this file (only when it changed) instead of stdout.",
)
@click.option(
    "--include",
    type=INCLUDE,
    metavar="KINDS",
    help="Comma-separated: birthdays, anniversaries, dates, tasks. "
    "Default: calendar.include in the config (birthdays,anniversaries,dates).",
)
@click.option(
    "--alarm",
    type=ALARM,
    metavar="DURATION",
    help="Add a reminder this long before each event, e.g. 1d or 1w; 'none' for no "
    "reminder. Default: calendar.alarm in the config (none).",
)
@pass_app
def ics(app: App, out: Path | None, include: frozenset[str] | None, alarm: Alarm | None) -> None:
    """Write an iCalendar feed of birthdays, work anniversaries and dates.

    One all-day yearly event per occasion; with --include tasks, also open tasks with a
    due date. Private, archived and deceased contacts are left out. The output depends
    only on the vault, never on the day, so it can be committed or published as is.
    """
    from vaultnet.app import feed

    settings = feed.feed_settings(app.config, include, alarm)
    made = feed.vault_feed(open_index(app), app.config, settings, app.today)
    data = made.data
    if out is None:
        echo(data, nl=False)  # bytes go to the binary stream untouched: CRLF stays
    else:
        changed = feed.write_feed(out, data)
        count = data.count(b"BEGIN:VEVENT")
        events = f"{count} event{'s' if count != 1 else ''}"
        echo(f"Wrote {out} ({events})." if changed else f"{out} is up to date ({events}).")
    echo_notices(app, made.notices)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--token",
    metavar="SECRET",
    help="Serve the feed only at /SECRET/calendar.ics. Required for any host but loopback.",
)
@pass_app
def serve(app: App, host: str, port: int, token: str | None) -> None:
    """Serve the calendar feed over HTTP for calendar apps to subscribe to.

    The feed is at /calendar.ics (with --token, only at /SECRET/calendar.ics). It is kept
    current the way `vaultnet watch` keeps its outputs: the vault is followed as it
    changes, and every save made before a request shows in it. Settings come from
    [calendar] in the config. Stop with Ctrl-C.
    """
    from vaultnet.live.outputs import feed_output
    from vaultnet.live.server import FeedServer, FeedSource, check_bind, serve_until_stopped
    from vaultnet.live.session import following

    check_bind(host, token)

    def log(line: str) -> None:
        echo(line, err=True)

    source = FeedSource()
    with following(
        app.index(update=False),
        [feed_output(app.config, source.publish)],
        log=log,
        today=pinned_today(app),
        exclusive=False,  # `vaultnet watch` may follow the same vault
    ) as watcher:
        try:
            source.current()  # a feed that cannot be built shows now, not at the first request
            source.settle = watcher.settle
            server = FeedServer(host, port, source, token, log=log)
            http_url, webcal_url = server.urls()
            echo(f"Serving the calendar feed of {app.vault}")
            echo(f"  {http_url}")
            echo(f"  {webcal_url}")
            echo("Press Ctrl-C to stop.")
            serve_until_stopped(server)
        finally:
            source.close()
    echo("Stopped.")
