"""Command: init. Survey the vault and write .vaultnet/config.toml."""

from __future__ import annotations

import click

from vaultnet.app.context import App
from vaultnet.cli.params import pass_app


@click.command(
    "init",
    help="""Look at the vault and write .vaultnet/config.toml to match it.

\b
Reports where people's notes are (folders, tags, type:, categories:),
which keys the vault uses for each field vaultnet knows and the forms of
its dates, the templates (never read as people), the daily notes
(Obsidian's settings, else their names) and the notes with problems;
then prints the config it writes, a comment on every key.
An existing config is never replaced without --force: init lists what
would change in it and writes nothing.

--base also writes People.base, a table of the people for Obsidian's core
Bases plugin, filtered by the markers found; never over a file of yours.
""",
)
@click.option("--dry-run", is_flag=True, help="Print the report and the config; write nothing.")
@click.option("--force", is_flag=True, help="Replace an existing .vaultnet/config.toml.")
@click.option(
    "--base",
    is_flag=True,
    help="Also write People.base (Obsidian Bases: the people as a table), when absent or "
    "written by vaultnet.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: stable keys, for scripts (the config's text under `config`).",
)
@pass_app
def init_cmd(app: App, dry_run: bool, force: bool, base: bool, fmt: str) -> None:
    from vaultnet.app.init import init_vault
    from vaultnet.render.init import INIT_FORMATS, outcome

    report = init_vault(app.vault, dry_run=dry_run, force=force, base=base)
    click.echo(INIT_FORMATS[fmt](report), nl=False)
    click.echo(outcome(report), err=True)
