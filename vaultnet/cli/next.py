"""Command: next. The one person to reach today."""

from __future__ import annotations

import click

from vaultnet.app.context import App
from vaultnet.cli.params import FORMAT_TABLE_JSON, echo_notices, pass_app, progress_callback


@click.command("next")
@click.option(
    "--skip",
    is_flag=True,
    help="Pass over today's person for the rest of the day and show the next one.",
)
@click.option(
    "--done",
    metavar="TEXT",
    help="Log TEXT as an interaction with today's person (as `log` does), then show the next one.",
)
@click.option("--format", "fmt", type=FORMAT_TABLE_JSON, default="table", show_default=True)
@pass_app
def next_cmd(app: App, skip: bool, done: str | None, fmt: str) -> None:
    """The one person to reach today: the top of `followups`, with the reason, the check-in
    drafted (as `checkin` would) and a mailto: link when there is an email.

    \b
    Left out: anyone handled today, that is
      logged   (a log entry, an interaction or last_contact dated today),
      drafted  (a check-in note of today in Check-ins/, as `checkin --write` names it),
      skipped  (with `next --skip`; remembered for the day in .vaultnet/cache/).
    """
    from vaultnet.app.next import next_person
    from vaultnet.render.next import NEXT_FORMATS

    report = next_person(app, skip=skip, done=done, index_progress=progress_callback())
    click.echo(NEXT_FORMATS[fmt](report), nl=False)
    echo_notices(app, report.notices)
