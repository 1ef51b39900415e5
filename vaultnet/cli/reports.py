"""Commands: followups, upcoming, log, add, snooze."""

from __future__ import annotations

from datetime import date, timedelta

import click

from vaultnet.app.context import App
from vaultnet.cli.params import DATE, FORMAT_TABLE_JSON, open_index, pass_app
from vaultnet.core.followups import RANKING_HELP


def _load(app: App, with_tasks: bool = True, tasks_due_by: date | None = None) -> list:  # type: ignore[type-arg]
    from vaultnet.store.contacts import load_contacts

    return load_contacts(
        open_index(app), app.config, app.today, with_tasks=with_tasks, tasks_due_by=tasks_due_by
    )


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
    from vaultnet.core.followups import followups
    from vaultnet.core.names import fold
    from vaultnet.render import followups as rf

    horizon = days if days is not None else int(app.config["horizon_days"])
    # Only tasks due within the horizon can be a reason: the others need not be loaded.
    due_by = app.today + timedelta(days=horizon)
    contacts = [c for c in _load(app, tasks_due_by=due_by) if c.matches(kind, tag)]
    if location:
        contacts = [c for c in contacts if fold(location) in fold(c.location or "")]
    items = followups(contacts, app.today, horizon)
    revive = _reconnect(app, contacts, items, reconnect) if reconnect else []
    if limit:
        items = items[:limit]
    items += revive
    if write:
        from vaultnet.vault.fsio import atomic_write

        target = app.vault / app.config["dashboard"]
        text = rf.followups_markdown(items, app.today, horizon)
        changed = atomic_write(target, text.encode("utf-8"))
        click.echo(f"{'Wrote' if changed else 'Unchanged:'} {app.config['dashboard']}", err=True)
    if fmt == "json":
        click.echo(rf.followups_json(items))
    elif fmt == "markdown":
        click.echo(rf.followups_markdown(items, app.today, horizon), nl=False)
    else:
        click.echo(rf.followups_table(items, app.today))


def _reconnect(app: App, shown: list, items: list, n: int) -> list:  # type: ignore[type-arg]
    """``followups --reconnect N``: weak ties worth reviving (networkx loads only here)."""
    from vaultnet.cli.network import analyse_vault
    from vaultnet.core.followups import FollowUp, Reason, cadence_due
    from vaultnet.core.network import reconnect

    by_id = {c.id: c for c in shown}
    net = analyse_vault(app, _load(app, with_tasks=False), lambda c: c.id in by_id)
    busy = {f.contact.id for f in items}
    return [
        FollowUp(
            by_id[c.id],
            [Reason("reconnect", app.today, text, 0.0, label=why)],
            due=cadence_due(by_id[c.id], app.today),
        )
        for c, why, text in reconnect(net, n, busy)
    ]


@click.command("upcoming")
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=30,
    show_default=True,
    help="How far ahead to look.",
)
@click.option("--format", "fmt", type=FORMAT_TABLE_JSON, default="table", show_default=True)
@pass_app
def upcoming_cmd(app: App, days: int, fmt: str) -> None:
    """Birthdays, work anniversaries and custom dates from today to today + DAYS.

    Today's own occasions are included; archived and deceased contacts are left out.
    """
    from vaultnet.core.followups import upcoming
    from vaultnet.render import followups as rf

    items = upcoming(_load(app, with_tasks=False), app.today, days)
    click.echo(rf.upcoming_json(items) if fmt == "json" else rf.upcoming_table(items, app.today))


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
@click.option("--for", "span", help="For how long: 10d, 2w, 3m, '6 weeks'.")
@pass_app
def snooze_cmd(app: App, name: str, until: date | None, span: str | None) -> None:
    """Pause check-in reminders for NAME (sets snooze_until). Occasions and tasks still show."""
    from vaultnet.app.edits import resolve_for_edit, snooze
    from vaultnet.core.dates import parse_duration_days
    from vaultnet.core.errors import UsageError

    if (until is None) == (span is None):
        raise UsageError("give exactly one of --until DATE or --for DURATION")
    if span is not None:
        try:
            until = app.today + timedelta(days=parse_duration_days(span))
        except ValueError as exc:
            raise UsageError(f"--for: {exc}") from None
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
@click.option("--birthday", help="YYYY-MM-DD, or --MM-DD when the year is unknown.")
@click.option("--work-anniversary", help="The day they started their current job.")
@click.option("--cadence", help="How often to check in: 30, 2w, monthly, quarterly, none.")
@click.option("--tag", "tags", multiple=True, help="Repeat for several.")
@click.option("--alias", "aliases", multiple=True, help="Repeat for several.")
@click.option("--introduced-by", help="Who introduced you (a contact's name).")
@click.option("--how-met")
@pass_app
def add_cmd(app: App, name: str, **options: object) -> None:
    """Create a contact note NAME in the first contacts folder, with an empty log.

    Refuses when a contact with that name, alias or email exists.
    """
    from vaultnet.core.dates import parse_cadence, parse_yearly
    from vaultnet.core.errors import UsageError
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
        raw = options[key]
        if raw:
            try:
                yd = parse_yearly(str(raw))
            except ValueError as exc:
                raise UsageError(f"--{key.replace('_', '-')}: {exc}") from None
            fields[key] = date(yd.year, yd.month, yd.day) if yd.year else str(yd)
    if options["cadence"]:
        try:
            parse_cadence(str(options["cadence"]))
        except ValueError as exc:
            raise UsageError(f"--cadence: {exc}") from None
        fields["cadence"] = options["cadence"]
    fields["tags"] = list(options["tags"])  # type: ignore[call-overload]
    if options["introduced_by"]:
        who = find_contact(idx, app.config, app.today, str(options["introduced_by"]))
        fields["introduced_by"] = wikilink(who)
    fields["how_met"] = options["how_met"]
    from vaultnet.app.edits import add_contact

    created = add_contact(app.vault, app.config, idx, fields)
    click.echo(f"Created {created.relative_to(app.vault).as_posix()}")
