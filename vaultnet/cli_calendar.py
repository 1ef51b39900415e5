"""Commands ``ics`` and ``serve``: the calendar feed as a file and over HTTP.

``icalendar`` is imported only when a feed is built, never when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path

import click

from vaultnet.app import App
from vaultnet.cliutil import open_index, pass_app
from vaultnet.errors import VaultnetError


@click.command("ics")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the feed to this file (only when it changed) instead of stdout.",
)
@click.option(
    "--include",
    metavar="KINDS",
    help="Comma-separated: birthdays, anniversaries, dates, tasks. "
    "Default: calendar.include in the config (birthdays,anniversaries,dates).",
)
@click.option(
    "--alarm",
    metavar="DURATION",
    help="Add a reminder this long before each event, e.g. 1d or 1w; 'none' for no "
    "reminder. Default: calendar.alarm in the config (none).",
)
@pass_app
def ics(app: App, out: Path | None, include: str | None, alarm: str | None) -> None:
    """Write an iCalendar feed of birthdays, work anniversaries and dates.

    One all-day yearly event per occasion; with --include tasks, also open tasks with a
    due date. Private, archived and deceased contacts are left out. The output depends
    only on the vault, never on the day, so it can be committed or published as is.
    """
    from vaultnet import calendar
    from vaultnet.contacts import load_contacts

    settings = calendar.feed_settings(app.config, include, alarm)
    contacts = load_contacts(
        open_index(app), app.config, app.today, with_tasks="tasks" in settings.include
    )
    items = calendar.occasions(contacts, settings.include)
    data = calendar.render_feed(items, settings.alarm_days, settings.name)
    if out is None:
        click.echo(data, nl=False)  # bytes go to the binary stream untouched: CRLF stays
        return
    from vaultnet.fsio import atomic_write

    try:
        changed = atomic_write(out, data)
    except OSError as exc:
        raise VaultnetError(f"cannot write the feed: {exc.strerror or exc}", out) from None
    events = f"{len(items)} event{'s' if len(items) != 1 else ''}"
    click.echo(f"Wrote {out} ({events})." if changed else f"{out} is up to date ({events}).")


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

    The feed is at /calendar.ics (with --token, only at /SECRET/calendar.ics) and is
    brought up to date with the vault on every request. Settings come from [calendar]
    in the config. Stop with Ctrl-C.
    """
    from vaultnet import calendar
    from vaultnet.serve import FeedServer, FeedSource, check_bind, serve_until_stopped

    check_bind(host, token)
    settings = calendar.feed_settings(app.config, None, None)
    source = FeedSource(open_index(app), app.config, app.today, settings)
    source.current()  # a broken vault or config shows now, not at the first request
    server = FeedServer(host, port, source, token, log=lambda line: click.echo(line, err=True))
    http_url, webcal_url = server.urls()
    click.echo(f"Serving the calendar feed of {app.vault}")
    click.echo(f"  {http_url}")
    click.echo(f"  {webcal_url}")
    click.echo("Press Ctrl-C to stop.")
    serve_until_stopped(server)
    click.echo("Stopped.")
