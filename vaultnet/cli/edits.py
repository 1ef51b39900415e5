"""Commands that write a contact's note: log, snooze, add."""

from __future__ import annotations

from datetime import date

import click

from vaultnet.app.context import App
from vaultnet.cli.params import (
    CADENCE,
    DATE,
    DURATION,
    FUTURE_DATE,
    YEARLY,
    complete_contact,
    complete_kind,
    complete_tag,
    echo,
    open_index,
    pass_app,
)


@click.command("log")
@click.argument("name", shell_complete=complete_contact)
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--date",
    "when",
    type=DATE,
    help="When it happened [default: today]: YYYY-MM-DD, yesterday, friday, 3d ago...",
)
@click.option(
    "--with",
    "others",
    multiple=True,
    shell_complete=complete_contact,
    help="Someone else who was there: the entry goes into their note too. Repeatable.",
)
@click.option("--task", help="Also add an open task, e.g. --task 'send the deck'.")
@click.option("--due", type=FUTURE_DATE, help="The task's due date (with --task).")
@pass_app
def log_cmd(
    app: App,
    name: str,
    text: tuple[str, ...],
    when: date | None,
    task: str | None,
    due: date | None,
    others: tuple[str, ...],
) -> None:
    """Record an interaction with NAME: appends "- DATE TEXT" to the note's log section.

    Also sets last_contact when DATE is later than what the note says. Nothing else in
    the file changes. Example: vaultnet log "Maya" Coffee at Tartine, talked about the move
    """
    from vaultnet.app.edits import log

    paths, day = log(app, open_index(app), name, " ".join(text), when, task, due, others)
    for path in paths:
        echo(f"Logged {day.isoformat()} in {path}")


@click.command("snooze")
@click.argument("name", shell_complete=complete_contact)
@click.option(
    "--until",
    "until",
    type=FUTURE_DATE,
    help="No check-in reminders before this day (after today): YYYY-MM-DD, in 2w, friday...",
)
@click.option("--for", "span", type=DURATION, help="For how long: 10d, 2w, 3m, '6 weeks'.")
@click.option("--clear", is_flag=True, help="End the snooze (removes snooze_until).")
@pass_app
def snooze_cmd(app: App, name: str, until: date | None, span: int | None, clear: bool) -> None:
    """Pause check-in reminders for NAME (sets snooze_until). Occasions and tasks still show."""
    from vaultnet.app.edits import snooze_contact

    path, day, changed = snooze_contact(app, open_index(app), name, until, span, clear)
    if day is None:
        echo(f"{'Cleared the snooze of' if changed else 'No snooze to clear in'} {path}")
    else:
        echo(f"{'Snoozed' if changed else 'Already snoozed'} {path} until {day.isoformat()}")


@click.command("add")
@click.argument("name")
@click.option(
    "--kind",
    shell_complete=complete_kind,
    help="colleague, mentor, peer, manager, alumni, friend, family, other (or a kind the"
    " config gives a cadence); another one is written with a warning.",
)
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
@click.option(
    "--tag",
    "tags",
    multiple=True,
    shell_complete=complete_tag,
    help="Repeat for several. Made a valid Obsidian tag: '#Old Friends' -> Old-Friends.",
)
@click.option("--alias", "aliases", multiple=True, help="Repeat for several.")
@click.option(
    "--last-contact",
    type=DATE,
    help="When you were last in touch: YYYY-MM-DD, yesterday, 2w ago...",
)
@click.option("--introduced-by", help="Who introduced you (a contact's name).")
@click.option("--how-met")
@pass_app
def add_cmd(app: App, /, name: str, **options: object) -> None:
    """Create a contact note NAME in the first contacts folder, with an empty log.

    Refuses when a contact with that name, alias or email exists.
    """
    from vaultnet.app.edits import add

    created, warnings = add(app, open_index(app), name, options)
    for warning in warnings:
        echo(f"vaultnet: warning: {warning}", err=True)
    echo(f"Created {created}")
