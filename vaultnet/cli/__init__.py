"""The command line. Each command: parse arguments, call the core, render, echo."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from vaultnet import __version__
from vaultnet.app.context import App
from vaultnet.cli.params import DATE, FORMAT_TABLE_JSON, open_index, pass_app, progress_callback
from vaultnet.core.errors import VaultnetError


class VaultnetGroup(click.Group):
    """The single error boundary: domain errors become one line on stderr and an exit status.

    Commands kept in their own modules are imported only when run (or listed by --help):
    a report does not pay for loading every other command.
    """

    lazy: dict[str, tuple[str, str]] = {}  # command name -> (module, attribute)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module, attribute = self.lazy[cmd_name]
            command = getattr(importlib.import_module(f"vaultnet.{module}"), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VaultnetError as exc:
            click.echo(f"vaultnet: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("vaultnet: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=VaultnetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="VAULTNET_VAULT",
    help="The notes vault. Default: $VAULTNET_VAULT, else the nearest folder at or above "
    "the current one holding .vaultnet/ or .obsidian/, else the current folder.",
)
@click.option(
    "--today",
    type=DATE,
    envvar="VAULTNET_TODAY",
    help="Pretend today is this date (also $VAULTNET_TODAY): reports become reproducible.",
)
@click.version_option(__version__, prog_name="vaultnet")
@click.pass_context
def main(ctx: click.Context, vault: Path | None, today: date | None) -> None:
    """vaultnet keeps up your professional network inside your notes vault.

    Contacts are Markdown notes with YAML front matter (by default everything under
    People/, or any note tagged #person). vaultnet reads them, keeps an index in
    .vaultnet/cache/, and tells you who to check in with and why.

    \b
    Start with:
      vaultnet --vault example-vault list
      vaultnet --vault example-vault followups
    """
    from vaultnet.vault.scan import find_vault

    root = find_vault(str(vault) if vault else None, Path.cwd())
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", param_hint="--vault")
    app = App(vault=root, today=today or date.today())
    ctx.obj = app
    ctx.call_on_close(app.close)


@main.command("index")
@click.option("--rebuild", is_flag=True, help="Throw the cache away and parse every note again.")
@pass_app
def index_cmd(app: App, rebuild: bool) -> None:
    """Bring the index up to date and print what it holds.

    Every command does this by itself; run it to see counts, or with --rebuild to start over.
    """
    progress = progress_callback()
    idx = app.index(update=False)
    stats = idx.rebuild(progress) if rebuild else idx.update(progress)
    counts = idx.counts()
    click.echo(
        f"{counts['contacts']} contacts, {counts['notes']} notes, {counts['problems']} problems"
        f" ({stats.parsed} parsed, {stats.deleted} removed) in {stats.seconds:.2f}s"
    )
    if counts["problems"]:
        click.echo("Run `vaultnet check` to see the problems.", err=True)


@main.command("list")
@click.option("--kind", help="Only contacts of this kind (colleague, mentor, peer, ...).")
@click.option("--tag", help="Only contacts with this tag (with or without #).")
@click.option("--all", "show_all", is_flag=True, help="Include archived contacts.")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_TABLE_JSON,
    default="table",
    show_default=True,
    help="json: a list of objects with stable keys, for scripts.",
)
@pass_app
def list_cmd(app: App, kind: str | None, tag: str | None, show_all: bool, fmt: str) -> None:
    """List contacts, sorted by name."""
    from vaultnet.render import text as render
    from vaultnet.store.contacts import load_contacts

    contacts = [
        c
        for c in load_contacts(open_index(app), app.config, app.today)
        if (show_all or not c.archived) and c.matches(kind, tag)
    ]
    if fmt == "json":
        click.echo(render.to_json([render.contact_json(c) for c in contacts]))
    else:
        click.echo(render.contacts_table(contacts, app.today))


@main.command("show")
@click.argument("name")
@pass_app
def show_cmd(app: App, name: str) -> None:
    """Show one contact's card: fields, last contact, recent interactions, open tasks.

    NAME is matched against names, aliases and file names, ignoring case and accents.
    """
    from vaultnet.render import text as render
    from vaultnet.store.contacts import find_contact

    idx = open_index(app)
    contact = find_contact(idx, app.config, app.today, name, with_tasks=True)
    click.echo(render.contact_card(contact, idx.interactions(contact.id, app.today), app.today))


@main.command("check")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of {path, line, message} objects.",
)
@pass_app
def check_cmd(app: App, fmt: str) -> None:
    """Report every problem in the vault, one a line as path:line: message.

    Broken YAML, invalid dates or cadences, duplicate names or aliases, introduced_by
    pointing nowhere. Exit status 1 when there is any problem, 0 when there is none.
    """
    from vaultnet.render import text as render
    from vaultnet.store.contacts import vault_problems

    problems = vault_problems(open_index(app))
    if fmt == "json":
        click.echo(render.problems_json(problems))
    elif problems:
        click.echo(render.problems_text(problems))
    else:
        click.echo("No problems found.")
    if problems:
        sys.exit(1)


# command -> (module, command object): one line a command, so that features do not collide.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "followups": ("cli.reports", "followups_cmd"),
    "upcoming": ("cli.reports", "upcoming_cmd"),
    "log": ("cli.reports", "log_cmd"),
    "add": ("cli.reports", "add_cmd"),
    "snooze": ("cli.reports", "snooze_cmd"),
    "watch": ("cli.watch", "watch_cmd"),
    "templates": ("cli.checkin", "templates_cmd"),
    "checkin": ("cli.checkin", "checkin_cmd"),
    "ics": ("cli.calendar", "ics"),
    "serve": ("cli.calendar", "serve"),
    "network": ("cli.network", "network_cmd"),
    "import": ("cli.transfer", "import_cmd"),
    "export": ("cli.transfer", "export_cmd"),
}
VaultnetGroup.lazy = LAZY_COMMANDS


def load_commands() -> dict[str, click.Command]:
    """Every command, loaded (for tests and documentation checks)."""
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        main.get_command(ctx, name)
    return dict(main.commands)
