"""Command: network. networkx is imported only when the command runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from vaultnet.app.context import App
from vaultnet.cli.params import open_index, pass_app

if TYPE_CHECKING:
    from vaultnet.core.model import Contact
    from vaultnet.core.network import Network


def analyse_vault(
    app: App, contacts: Sequence[Contact], wanted: Callable[[Contact], bool] | None = None
) -> Network:
    """The network insights of the whole vault (``contacts`` must be all of them)."""
    from vaultnet.core.network import analyse

    idx = open_index(app)
    return analyse(
        contacts,
        idx.interaction_counts(app.today),
        idx.co_mentions(app.today),
        app.today,
        dormant_days=int(app.config["dormant_days"]),
        wanted=wanted,
    )


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
    from vaultnet.render import network as rn
    from vaultnet.store.contacts import load_contacts

    contacts = load_contacts(open_index(app), app.config, app.today)
    net = analyse_vault(app, contacts, lambda c: c.matches(kind, tag))
    me = str(app.config["me"].get("name") or "Me")
    if write:
        from vaultnet.vault.fsio import atomic_write

        target = app.vault / app.config["network_note"]
        changed = atomic_write(target, rn.network_markdown(net, me).encode("utf-8"))
        click.echo(f"{'Wrote' if changed else 'Unchanged:'} {app.config['network_note']}", err=True)
    if fmt == "json":
        click.echo(rn.network_json(net))
    elif fmt == "markdown":
        click.echo(rn.network_markdown(net, me), nl=False)
    else:
        click.echo(rn.network_table(net))
