"""Commands: followups, upcoming."""

from __future__ import annotations

from datetime import date, timedelta

import click

from vaultnet.app.context import App
from vaultnet.cli.params import FORMAT_TABLE_JSON, open_index, pass_app
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
