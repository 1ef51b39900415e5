"""Commands: templates, checkin."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from vaultnet.app.context import App
from vaultnet.cli.params import (
    FORMAT_TABLE_JSON,
    complete_contact,
    complete_template,
    echo,
    echo_notices,
    pass_app,
    progress_callback,
)

if TYPE_CHECKING:
    from vaultnet.core.model import Contact


@click.command("templates")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_TABLE_JSON,
    default="table",
    show_default=True,
    help="json: {name, origin, path, description, subject, replaces_builtin, problem} each.",
)
@pass_app
def templates_cmd(app: App, fmt: str) -> None:
    """List check-in templates: name, where each comes from, and what it is for.

    Built-in templates ship with vaultnet. Put your own in the vault's templates folder
    (config `templates_folder`, default Templates/vaultnet/) as NAME.md, with front matter
    `subject:` and `description:` and a Jinja2 body; one named like a built-in replaces it.
    """
    from vaultnet.app.checkin import list_templates
    from vaultnet.render.drafts import templates_json, templates_table

    found = list_templates(app)
    if fmt == "json":
        echo(templates_json(found.templates))
    else:
        echo(templates_table(found.templates, found.folder))


@click.command("checkin")
@click.argument("name", required=False, shell_complete=complete_contact)
@click.option(
    "--template",
    "-t",
    "template_name",
    shell_complete=complete_template,
    help="Use this template (see `templates`).",
)
@click.option("--due", is_flag=True, help="Draft one for every contact `followups` lists.")
@click.option(
    "--write",
    is_flag=True,
    help="Also save each draft as a note in Check-ins/ (config `checkins_folder`).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json"]),
    default="markdown",
    show_default=True,
    help="text drops the Markdown syntax, for pasting into an email client; json: one"
    " object a draft.",
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
    from vaultnet.app.checkin import draft_checkins, write_drafts
    from vaultnet.render.drafts import drafts_json, drafts_text, nobody_text

    result = draft_checkins(
        app,
        name,
        template_name,
        due,
        index_progress=progress_callback(),
        each=lambda targets: _progress(targets, "Drafting check-ins"),
    )
    if not result.drafts and fmt != "json":
        echo(nobody_text(result.horizon_days))
        echo_notices(app, result.notices)
        return
    shown = drafts_json(result.drafts) + "\n" if fmt == "json" else drafts_text(result.drafts, fmt)
    echo(shown, nl=False)
    if write:
        # The drafts are on screen before the first note is written, so a failed write
        # still leaves every draft to copy by hand.
        for shown, written in write_drafts(app, result.drafts, skip_drafted=due):
            echo(
                f"Wrote {shown}" if written else f"Skipped: a draft of today exists, {shown}",
                err=True,
            )
    echo_notices(app, result.notices)


def _progress(items: list[Contact], label: str) -> Iterator[Contact]:
    """The items, with a progress bar on a terminal when there are several."""
    if len(items) < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar
