"""Commands: templates, checkin."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from vaultnet.app.context import App
from vaultnet.cli.params import open_index, pass_app

if TYPE_CHECKING:
    from vaultnet.core.checkin import Template
    from vaultnet.core.model import Contact


def _templates(app: App) -> list[Template]:
    """Built-in templates merged with the vault's (a vault one replaces a built-in)."""
    from importlib import resources

    from vaultnet.core.checkin import merge_templates, parse_template

    builtins = []
    for entry in resources.files("vaultnet").joinpath("templates").iterdir():
        if entry.name.endswith(".md"):
            name = entry.name[:-3]
            builtins.append(parse_template(name, entry.read_bytes(), "built-in", str(entry)))
    folder_name = str(app.config["templates_folder"]).strip("/")
    folder = app.vault / folder_name
    mine = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            if path.name.startswith(".") or not path.is_file():
                continue  # dot files are editors' and vaultnet's temporary files
            rel = path.relative_to(app.vault).as_posix()
            mine.append(parse_template(path.stem, path.read_bytes(), "vault", rel))
    return merge_templates(builtins, mine)


@click.command("templates")
@pass_app
def templates_cmd(app: App) -> None:
    """List check-in templates: name, where each comes from, and what it is for.

    Built-in templates ship with vaultnet. Put your own in the vault's templates folder
    (config `templates_folder`, default Templates/vaultnet/) as NAME.md, with front matter
    `subject:` and `description:` and a Jinja2 body; one named like a built-in replaces it.
    """
    from vaultnet.render.drafts import templates_table

    click.echo(templates_table(_templates(app), str(app.config["templates_folder"]).strip("/")))


@click.command("checkin")
@click.argument("name", required=False)
@click.option("--template", "-t", "template_name", help="Use this template (see `templates`).")
@click.option("--due", is_flag=True, help="Draft one for every contact `followups` lists.")
@click.option(
    "--write",
    is_flag=True,
    help="Also save each draft as a note in Check-ins/ (config `checkins_folder`).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text"]),
    default="markdown",
    show_default=True,
    help="text drops the Markdown syntax, for pasting into an email client.",
)
@pass_app
def checkin_cmd(
    app: App, name: str | None, template_name: str | None, due: bool, write: bool, fmt: str
) -> None:
    """Draft a check-in message to NAME: subject, body, and a mailto: link when there is an email.

    \b
    Without --template, the template is chosen, and the reason shown:
      an occasion within the follow-up horizon   -> congratulate
      an open task due within it                 -> follow-up
      silent for over twice the cadence
        (or over 180 days without a cadence)     -> reconnect
      otherwise                                  -> coffee

    --write saves the draft as "Check-ins/YYYY-MM-DD NAME.md" (status: draft) and never
    overwrites a note: a taken name gets a number. Nothing else in the vault changes.
    """
    from vaultnet.core.checkin import find_template, make_draft
    from vaultnet.core.errors import UsageError
    from vaultnet.render.drafts import draft_text, note_text
    from vaultnet.store.contacts import load_contacts, resolve_one

    if due == (name is not None):
        raise UsageError("give a contact's NAME, or --due for everyone `followups` lists")
    templates = _templates(app)
    if template_name is not None:
        find_template(templates, template_name)  # an unknown name fails before any work
    idx = open_index(app)
    horizon = int(app.config["horizon_days"])
    contacts = load_contacts(idx, app.config, app.today, with_tasks=True)
    if due:
        from vaultnet.core.followups import followups

        targets = [f.contact for f in followups(contacts, app.today, horizon)]
        if not targets:
            click.echo(f"Nobody to check in with within {horizon} days.")
            return
    else:
        assert name is not None
        path = resolve_one(idx, name)
        targets = [c for c in contacts if c.path == path]
        if targets[0].deceased:
            raise UsageError(f"{targets[0].name} is marked deceased; no check-in drafted")
    me = dict(app.config["me"])
    # Every draft is rendered before anything is written: one broken template, no files.
    drafts = [
        make_draft(
            c,
            templates,
            template_name,
            idx.interactions(c.id, app.today, 1),
            me,
            app.today,
            horizon,
        )
        for c in _progress(targets, "Drafting check-ins")
    ]
    blocks = [draft_text(d, fmt) for d in drafts]
    click.echo(("\n" + "-" * 40 + "\n\n").join(blocks), nl=False)
    if write:
        from vaultnet.vault.edit import create_note

        folder = app.vault / str(app.config["checkins_folder"]).strip("/")
        for d in drafts:
            created = create_note(
                folder, f"{app.today.isoformat()} {d.contact.name}", note_text(d, app.today)
            )
            shown = created.relative_to(app.vault) if created.is_relative_to(app.vault) else created
            click.echo(f"Wrote {shown.as_posix()}", err=True)


def _progress(items: list[Contact], label: str) -> Iterator[Contact]:
    """The items, with a progress bar on a terminal when there are several."""
    if len(items) < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar
