"""Commands: followups, upcoming."""

from __future__ import annotations

import click

from vaultnet.app.context import App
from vaultnet.cli.params import (
    echo,
    echo_notices,
    echo_styled,
    open_index,
    pass_app,
    terminal,
)
from vaultnet.core.followups import RANKING_HELP


@click.command(
    "followups",
    help=f"""Who to check in with, and why.

\b
A contact is listed when, within today + DAYS, it has:
  - a check-in due: last contact + cadence (never contacted: due today;
    nothing before snooze_until);
  - an open task due (its own, or one in a note that links it);
  - a birthday, work anniversary or one of its `dates`.
Archived and deceased contacts are never listed.

{RANKING_HELP}
""",
)
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=None,
    help="How far ahead to look [default: 7, or horizon_days in config].",
)
@click.option("--kind", help="Only contacts of this kind.")
@click.option("--tag", help="Only contacts with this tag.")
@click.option("--location", help="Only contacts whose location contains this text.")
@click.option("--limit", type=click.IntRange(1), help="Show at most this many.")
@click.option(
    "--reconnect",
    type=click.IntRange(0),
    default=0,
    metavar="N",
    help="Then add the top N dormant ties or weak ties that bridge (see `network`) that have"
    " no other reason, as reason type `reconnect`.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
)
@click.option(
    "--write",
    is_flag=True,
    help="Also write the list as a dashboard note (config `dashboard`, default Follow-ups.md).",
)
@pass_app
def followups_cmd(
    app: App,
    days: int | None,
    kind: str | None,
    tag: str | None,
    location: str | None,
    limit: int | None,
    fmt: str,
    write: bool,
    reconnect: int = 0,
) -> None:
    from vaultnet.app import reports
    from vaultnet.render.followups import FOLLOWUPS_FORMATS

    report = reports.followups_report(
        open_index(app),
        app.config,
        app.today,
        days=days,
        filters=reports.Filters(kind, tag, location),
        limit=limit,
        reconnect=reconnect,
        write=write,
    )
    if report.written is not None:
        echo(f"{'Wrote' if report.written else 'Unchanged:'} {app.config['dashboard']}", err=True)
    shown = FOLLOWUPS_FORMATS[fmt](report.items, report.today, report.horizon, terminal())
    echo_styled(shown, nl=False, safe=fmt == "table")  # tables are made safe cell by cell
    echo_notices(app, report.notices)


@click.command("upcoming")
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=30,
    show_default=True,
    help="How far ahead to look.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="markdown: a list with a link to each note, for a note of your own.",
)
@pass_app
def upcoming_cmd(app: App, days: int, fmt: str) -> None:
    """Birthdays, work anniversaries and custom dates from today to today + DAYS.

    Today's own occasions are included; archived and deceased contacts are left out.
    """
    from vaultnet.app.reports import upcoming_report
    from vaultnet.render.followups import UPCOMING_FORMATS

    report = upcoming_report(open_index(app), app.config, app.today, days)
    shown = UPCOMING_FORMATS[fmt](report.items, app.today, terminal())
    echo_styled(shown, nl=False, safe=fmt == "table")
    echo_notices(app, report.notices)
