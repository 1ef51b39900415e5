"""Commands that write a contact's note: log, snooze, add."""

from __future__ import annotations

from datetime import date, timedelta

import click

from vaultnet.app.context import App
from vaultnet.cli.params import CADENCE, DATE, DURATION, YEARLY, open_index, pass_app
from vaultnet.core.dates import YearlyDate


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
    from vaultnet.app.edits import log_interaction, resolve_for_edit
    from vaultnet.core.errors import UsageError

    if due is not None and not task:
        raise UsageError("--due goes with --task")
    path = resolve_for_edit(open_index(app), app.config, name)
    day = when or app.today
    log_interaction(app.vault, app.config, path, day, " ".join(text), task, due)
    click.echo(f"Logged {day.isoformat()} in {path}")


@click.command("snooze")
@click.argument("name")
@click.option("--until", "until", type=DATE, help="No check-in reminders before this day.")
@click.option("--for", "span", type=DURATION, help="For how long: 10d, 2w, 3m, '6 weeks'.")
@pass_app
def snooze_cmd(app: App, name: str, until: date | None, span: int | None) -> None:
    """Pause check-in reminders for NAME (sets snooze_until). Occasions and tasks still show."""
    from vaultnet.app.edits import resolve_for_edit, snooze
    from vaultnet.core.errors import UsageError

    if (until is None) == (span is None):
        raise UsageError("give exactly one of --until DATE or --for DURATION")
    if span is not None:
        until = app.today + timedelta(days=span)
    assert until is not None
    path = resolve_for_edit(open_index(app), app.config, name)
    changed = snooze(app.vault, path, until)
    click.echo(f"{'Snoozed' if changed else 'Already snoozed'} {path} until {until.isoformat()}")


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
    from vaultnet.render.followups import wikilink
    from vaultnet.store.contacts import find_contact

    idx = open_index(app)
    fields: dict[str, object] = {"name": name.strip()}
    fields["aliases"] = list(options["aliases"])  # type: ignore[call-overload]
    fields["kind"] = options["kind"]
    for key in ("company", "title"):
        fields[key] = options[key]
    fields["email"] = list(options["email"])  # type: ignore[call-overload]
    for key in ("phone", "linkedin", "location"):
        fields[key] = options[key]
    for key in ("birthday", "work_anniversary"):
        yd = options[key]
        if isinstance(yd, YearlyDate):
            fields[key] = date(yd.year, yd.month, yd.day) if yd.year else str(yd)
    if options["cadence"]:
        fields["cadence"] = options["cadence"]
    fields["tags"] = list(options["tags"])  # type: ignore[call-overload]
    if options["introduced_by"]:
        who = find_contact(idx, app.config, app.today, str(options["introduced_by"]))
        fields["introduced_by"] = wikilink(who)
    fields["how_met"] = options["how_met"]
    from vaultnet.app.edits import add_contact

    created = add_contact(app.vault, app.config, idx, fields)
    click.echo(f"Created {created.relative_to(app.vault).as_posix()}")
