"""Commands that write a contact's note: log, snooze, add."""

from __future__ import annotations

from datetime import date

import click

from vaultnet.app.context import App
from vaultnet.cli.params import CADENCE, DATE, DURATION, YEARLY, echo, open_index, pass_app


@click.command("log")
@click.argument("name")
@click.argument("text", nargs=-1, required=True)
@click.option("--date", "when", type=DATE, help="When it happened [default: today].")
@click.option("--task", help="Also add an open task, e.g. --task 'send the deck'.")
@click.option("--due", type=DATE, help="The task's due date (with --task).")
@pass_app
def log_cmd(
    app: App,
    name: str,
    text: tuple[str, ...],
    when: date | None,
    task: str | None,
    due: date | None,
) -> None:
    """Record an interaction with NAME: appends "- DATE TEXT" to the note's log section.

    Also sets last_contact when DATE is later than what the note says. Nothing else in
    the file changes. Example: vaultnet log "Maya" Coffee at Tartine, talked about the move
    """
    from vaultnet.app.edits import log

    path, day = log(app, open_index(app), name, " ".join(text), when, task, due)
    echo(f"Logged {day.isoformat()} in {path}")


@click.command("snooze")
@click.argument("name")
@click.option("--until", "until", type=DATE, help="No check-in reminders before this day.")
@click.option("--for", "span", type=DURATION, help="For how long: 10d, 2w, 3m, '6 weeks'.")
@pass_app
def snooze_cmd(app: App, name: str, until: date | None, span: int | None) -> None:
    """Pause check-in reminders for NAME (sets snooze_until). Occasions and tasks still show."""
    from vaultnet.app.edits import snooze_contact

    path, day, changed = snooze_contact(app, open_index(app), name, until, span)
    echo(f"{'Snoozed' if changed else 'Already snoozed'} {path} until {day.isoformat()}")


@click.command("add")
@click.argument("name")
@click.option("--kind", help="colleague, mentor, peer, manager, alumni, friend, family, other.")
@click.option("--company")
@click.option("--title")
@click.option("--email", multiple=True, help="Repeat for several.")
@click.option("--phone")
@click.option("--linkedin")
@click.option("--location")
@click.option("--birthday", type=YEARLY, help="YYYY-MM-DD, or --MM-DD when the year is unknown.")
@click.option("--work-anniversary", type=YEARLY, help="The day they started their current job.")
@click.option(
    "--cadence", type=CADENCE, help="How often to check in: 30, 2w, monthly, quarterly, none."
)
@click.option("--tag", "tags", multiple=True, help="Repeat for several.")
@click.option("--alias", "aliases", multiple=True, help="Repeat for several.")
@click.option("--introduced-by", help="Who introduced you (a contact's name).")
@click.option("--how-met")
@pass_app
def add_cmd(app: App, /, name: str, **options: object) -> None:
    """Create a contact note NAME in the first contacts folder, with an empty log.

    Refuses when a contact with that name, alias or email exists.
    """
    from vaultnet.app.edits import add

    echo(f"Created {add(app, open_index(app), name, options)}")
