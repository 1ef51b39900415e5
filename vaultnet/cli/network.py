"""Command: network."""

from __future__ import annotations

import click

from vaultnet.app.context import App
from vaultnet.cli.params import echo, echo_notices, echo_pieces, open_index, pass_app, slices


@click.command(
    "network",
    help="""Insights into the network the vault describes.

\b
People are joined when one dated note (or one log entry) links both,
when one introduced the other (introduced_by; introduced_to lists the
people you introduced a contact to), or when they share a company.
\b
  - Composition: contacts by kind and company; for each kind, the share
    contacted in the last 90 days and the last year.
  - Dormant ties: at least 3 days of interaction, then silent for more than
    dormant_days (config, default 365); strongest first.
  - Weak ties that bridge: people you rarely talk to who are your only way
    to others (your circle, the people you talk to regularly, reaches them
    only through them); most people reached first.
  - Introducers: who introduced you to the most people; whom you introduced.
Archived and deceased contacts are never suggested.
""",
)
@click.option(
    "--kind", help="Only list contacts of this kind (the graph is still the whole vault)."
)
@click.option("--tag", help="Only list contacts with this tag.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="json: stable keys, for scripts; markdown: the note --write writes.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Also write the report as a note with Mermaid diagrams (config `network_note`,"
    " default Network.md); only when it changed.",
)
@pass_app
def network_cmd(app: App, kind: str | None, tag: str | None, fmt: str, write: bool) -> None:
    from vaultnet.app.network import network_report
    from vaultnet.render.network import NETWORK_FORMATS

    report = network_report(
        open_index(app),
        app.config,
        app.today,
        kind=kind,
        tag=tag,
        write=write,
        with_map=fmt == "markdown",  # only the note shows the map
    )
    if report.written is not None:
        note = app.config["network_note"]
        echo(f"{'Wrote' if report.written else 'Unchanged:'} {note}", err=True)
    shown = NETWORK_FORMATS[fmt](report.net, report.me)
    notices = report.notices
    del report  # the analysis is printed: only its text is needed now
    # A megabyte at a time: the whole report is never held twice (made safe, encoded).
    from vaultnet.render.text import terminal_safe

    pieces = map(terminal_safe, slices(shown))
    echo_pieces(pieces, styled=fmt != "json", nl=False)  # long reports through the pager
    echo_notices(app, notices)
