"""Commands about the vault's contacts and the index: index, list, show, check."""

from __future__ import annotations

import os
import sys

import click

from vaultnet.app.context import App
from vaultnet.cli.params import (
    FORMAT_TABLE_JSON,
    complete_contact,
    complete_kind,
    complete_tag,
    echo,
    echo_notices,
    echo_pieces,
    echo_styled,
    open_index,
    pass_app,
    progress_callback,
    terminal,
)
from vaultnet.core.errors import UsageError


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Throw the cache away and parse every note again.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: {contacts, notes, problems, parsed, removed, seconds}.",
)
@pass_app
def index_cmd(app: App, rebuild: bool, fmt: str) -> None:
    """Bring the index up to date and print what it holds.

    Every command does this by itself; run it to see counts, or with --rebuild to start over.
    """
    progress = progress_callback()
    idx = app.index(update=False)
    stats = idx.rebuild(progress) if rebuild else idx.update(progress)
    counts = idx.counts()
    if fmt == "json":
        from vaultnet.render.text import index_json

        echo(index_json(counts, stats.parsed, stats.deleted, stats.seconds))
        return
    echo(
        f"{counts['contacts']} contacts, {counts['notes']} notes, {counts['problems']} problems"
        f" ({stats.parsed} parsed, {stats.deleted} removed) in {stats.seconds:.2f}s"
    )
    if counts["problems"]:
        echo("Run `vaultnet check` to see the problems.", err=True)


@click.command("list")
@click.option(
    "--kind",
    shell_complete=complete_kind,
    help="Only contacts of this kind (colleague, mentor, peer, ...).",
)
@click.option(
    "--tag", shell_complete=complete_tag, help="Only contacts with this tag (with or without #)."
)
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
    from vaultnet.app.contacts import listed_contacts
    from vaultnet.render import text as render

    listing = listed_contacts(open_index(app), app.config, app.today, kind, tag, show_all)
    if fmt == "json":
        echo_pieces(render.contacts_json_pieces(listing.batches))
    else:
        term = terminal()
        table = render.contacts_table_pieces(listing.batches, app.today, term.width, term.paint)
        echo_pieces(table, styled=True)  # colours and the pager as for tables
    echo_notices(app, listing.notices)


@click.command("show")
@click.argument("name", shell_complete=complete_contact)
@click.option(
    "--why",
    is_flag=True,
    help="Also list the notes that link them but do not count as an interaction, and why"
    " (a link in an open task, a quote, an embed, a note without a date).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the contact as `list --format json` shows it, plus interactions, open tasks"
    " and the Obsidian URI.",
)
@pass_app
def show_cmd(app: App, name: str, why: bool, fmt: str) -> None:
    """Show one contact's card: fields, last contact, recent interactions, open tasks.

    NAME is matched against names, aliases and file names, ignoring case and accents.
    """
    from vaultnet.app.contacts import contact_history, passed_over
    from vaultnet.render import text as render

    idx = open_index(app)
    contact, interactions = contact_history(idx, app.config, app.today, name)
    if fmt == "json":
        over = passed_over(idx, contact, app.today) if why else None
        echo(render.to_json(render.card_json(contact, interactions, app.vault.name, over)))
        return
    card = render.contact_card(contact, interactions, app.today, app.vault.name, terminal().paint)
    if why:
        card += "\n" + render.terminal_safe(
            render.passed_over_text(passed_over(idx, contact, app.today))
        )
    echo_styled(card)  # colours and the pager as for tables


@click.command("edit")
@click.argument("name", shell_complete=complete_contact)
@click.option(
    "--obsidian",
    is_flag=True,
    help="Open the note in Obsidian (through an obsidian://open URI) instead of an editor.",
)
@pass_app
def edit_cmd(app: App, name: str, obsidian: bool) -> None:
    """Open NAME's note in $VISUAL (else $EDITOR); then bring the index up to date and
    report the note's problems (exit status 1 when it has any)."""
    from vaultnet.app.contacts import named_contact, problems_of
    from vaultnet.render import text as render

    idx = open_index(app)
    path = named_contact(idx, app.config, name)
    if obsidian:
        uri = render.obsidian_uri(app.vault.name, path)
        echo(uri)
        click.launch(uri)
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError("set $VISUAL or $EDITOR to your editor, or open it with --obsidian")
    click.edit(filename=str(app.vault / path), editor=editor)
    found = problems_of(idx, path)
    if found:
        echo(render.problems_text(found), err=True)
        sys.exit(1)


@click.command("check")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "text"]),
    default="table",
    show_default=True,
    help="json: a list of {path, line, message} objects (text: the same as table).",
)
@pass_app
def check_cmd(app: App, fmt: str) -> None:
    """Report every problem in the vault, one a line as path:line: message.

    Broken YAML, invalid dates or cadences, duplicate names or aliases, introduced_by
    pointing nowhere, a contacts folder the config names that does not exist. Exit status 1 when there is any problem, 0 when there is none.
    """
    from vaultnet.app.contacts import problems as vault_problems
    from vaultnet.render import text as render

    problems = vault_problems(open_index(app), app.config, app.today)
    if fmt == "json":
        echo(render.problems_json(problems))
    elif problems:
        echo_styled(render.terminal_safe(render.problems_text(problems)))
    else:
        echo("No problems found.")
    if problems:
        sys.exit(1)
