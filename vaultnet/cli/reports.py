"""Commands: followups, upcoming."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from vaultnet.app import answers
from vaultnet.cli.params import (
    Output,
    echo,
    echo_encoded,
    echo_pieces,
    open_index,
    pass_app,
    slices,
    terminal,
    terminal_width,
)

if TYPE_CHECKING:
    from vaultnet.app.context import App
    from vaultnet.store.index import Index
    from vaultnet.store.parts import Record


def request(command: str) -> answers.Request:
    """This command line as a report to answer (``app.answers``): its options, its
    arguments and what the terminal does to text."""
    ctx = click.get_current_context()
    return answers.Request(
        command=command,
        params=dict(ctx.params),
        args=tuple(ctx.find_root().meta.get("vaultnet.args", [])),
        colour=Output.current().colours(),
        width=terminal_width(),
    )


def show(app: App, shown: answers.Stored) -> None:
    """A report's text on stdout, then its notices on stderr (unless --quiet), both made
    terminal-safe already (``safe``): what ``echo_styled`` and ``echo_notices`` print, the
    text a megabyte at a time (an answer replayed as bytes: as they are, when they are
    what the text would write)."""
    out = shown.stdout
    if isinstance(out, bytes) and not echo_encoded(out):
        out = out.decode("utf-8")
    if isinstance(out, str):
        echo_pieces(slices(out), styled=True, nl=False)
    if not app.quiet:
        for line in shown.notices:
            click.echo(line, err=True)


def safe(text: str, fmt: str, notices: list[str]) -> answers.Stored:
    """A report as it goes out: tables are made safe cell by cell, anything else here;
    notices always."""
    from vaultnet.render.text import terminal_safe

    return answers.Stored(
        text if fmt == "table" else terminal_safe(text), [terminal_safe(n) for n in notices]
    )


FOLLOWUPS_HELP = """Who to check in with, and why.

\b
A contact is listed when, within today + DAYS, it has:
  - a check-in due: last contact + cadence (never contacted: due today;
    nothing before snooze_until);
  - an open task due (its own, or one in a note that links it);
  - a birthday, work anniversary or one of its `dates`.
Archived and deceased contacts are never listed.

{ranking}
"""


class RankedHelp(click.Command):
    """A command whose help ends with the ranking rules (``core.followups.RANKING_HELP``,
    kept beside the rules): the core is loaded when the help is shown, not on every run."""

    template = FOLLOWUPS_HELP

    @property
    def help(self) -> str | None:
        from vaultnet.core.followups import RANKING_HELP

        return self.template.format(ranking=RANKING_HELP)

    @help.setter
    def help(self, value: str | None) -> None:
        pass  # the text is the template's


@click.command("followups", cls=RankedHelp)
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
    def compute(index: Index) -> answers.Stored:
        from vaultnet.app import reports
        from vaultnet.render.followups import FOLLOWUPS_FORMATS

        report = reports.followups_report(
            index,
            app.config,
            app.today,
            days=days,
            filters=reports.Filters(kind, tag, location),
            limit=limit,
            reconnect=reconnect,
            write=write,
        )
        if report.written is not None:
            echo(
                f"{'Wrote' if report.written else 'Unchanged:'} {app.config['dashboard']}",
                err=True,
            )
        shown = FOLLOWUPS_FORMATS[fmt](report.items, report.today, report.horizon, terminal())
        return safe(shown, fmt, report.notices)

    # --write changes a note: never answered from what is stored.
    asked = None if write else request("followups")
    kept = None
    if fmt == "json" and not (kind or tag or location or reconnect or write):
        kept = _followups_kept(app, days, limit)
    show(app, answers.answer(app, asked, lambda: open_index(app), compute, kept))


def _followups_kept(app: App, days: int | None, limit: int | None) -> answers.Kept:
    """``followups --format json`` kept item by item (``app.parts``). Nothing is imported
    for it before it is computed: a replay needs none of it."""

    def whole(index: Index) -> tuple[list[Record], list[str]]:
        from vaultnet.app import parts
        from vaultnet.render.text import terminal_safe

        records, notices = parts.followups_whole(index, app.config, app.today, days, terminal_safe)
        return records, [terminal_safe(n) for n in notices]

    def fresh(index: Index, concerned: frozenset[int]) -> tuple[list[Record], list[str]]:
        from vaultnet.app import parts
        from vaultnet.render.text import terminal_safe

        records, notices = parts.followups_fresh(
            index, app.config, app.today, days, concerned, terminal_safe
        )
        return records, [terminal_safe(n) for n in notices]

    return answers.Kept(whole, fresh, answers.JSON_FRAME._replace(limit=limit))


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

    def compute(index: Index) -> answers.Stored:
        from vaultnet.app.reports import upcoming_report
        from vaultnet.render.followups import UPCOMING_FORMATS

        report = upcoming_report(index, app.config, app.today, days)
        shown = UPCOMING_FORMATS[fmt](report.items, app.today, terminal())
        return safe(shown, fmt, report.notices)

    show(app, answers.answer(app, request("upcoming"), lambda: open_index(app), compute))
