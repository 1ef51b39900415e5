"""Commands: import (LinkedIn, vCard, Google Contacts) and export (vCard)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from vaultnet.app.context import App
from vaultnet.app.importers import SOURCES
from vaultnet.app.transfer import EXPORTERS, ImportOptions, export_contacts, import_contacts
from vaultnet.cli.params import echo, open_index, pass_app
from vaultnet.core.incoming import Issue
from vaultnet.render import imports as report

# Below this many contacts an import is over before a bar would be worth drawing.
_PROGRESS_FROM = 200


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None] | None]:
    """A tick callback drawing a bar on a terminal for large imports, else None."""
    if total < _PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
        yield lambda: bar.update(1)


@click.command("import")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option(
    "--merge",
    is_flag=True,
    help="Add what matched notes lack, and apply job changes (keeping the old position).",
)
@click.option(
    "--trust-names",
    is_flag=True,
    help="Treat a name-only match as the same person even when the job differs.",
)
@click.option("--kind", help="Kind of the contacts created (colleague, friend, ...).")
@click.option("--tag", "tags", multiple=True, help="Tag every contact created; repeatable.")
@pass_app
def import_cmd(
    app: App,
    source: str,
    file: Path,
    dry_run: bool,
    merge: bool,
    trust_names: bool,
    kind: str | None,
    tags: tuple[str, ...],
) -> None:
    """Import contacts from FILE: LinkedIn's Connections.csv, a .vcf file, or a Google
    Contacts CSV export. Each new contact becomes a note in the first contacts folder.

    \b
    A contact matches an existing one by email, LinkedIn URL, or name/alias
    (ignoring case, accents, apostrophes and LinkedIn's decorations). A match is
    skipped and reported; with --merge, what the note lacks is added (new emails,
    phones and names too). A different company or title is reported as a job
    change; --merge applies it, unless the source is older than the note's
    position. A name-only match at another company is only a possible match
    (--trust-names to merge it). Importing a file twice creates nothing the second
    time. Bad rows or cards are reported with their line or card number and
    skipped; the exit status is then 1.
    """

    def show_issues(issues: list[Issue]) -> None:
        for issue in issues:
            echo(report.issue_line(str(file), issue), err=True)

    run = import_contacts(
        app,
        source,
        file,
        ImportOptions(
            merge=merge, trust_names=trust_names, dry_run=dry_run, kind=kind, tags=list(tags)
        ),
        index=lambda: open_index(app),
        on_issues=show_issues,
        progress=_progress,
    )
    for line in report.plan_lines(run.actions, run.outcomes):
        echo(line)
    echo(report.summary(run.actions, run.outcomes, run.parse_errors))
    if report.error_count(run.outcomes, run.parse_errors):
        sys.exit(1)


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(EXPORTERS)))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--with-notes", is_flag=True, help="Add each note's first paragraph as NOTE.")
@pass_app
def export_cmd(app: App, fmt: str, out: Path | None, with_notes: bool) -> None:
    """Export every non-private contact as vCard 4.0 (name and its parts, emails, phones
    with their kinds, organization, title, location, birthday, anniversary and other
    dates, URLs, tags), e.g. for a phone's address book."""
    exported = export_contacts(app, open_index(app), fmt, out, with_notes)
    if out is None:
        echo(exported.text.encode("utf-8"), nl=False)  # bytes: CRLF stays CRLF on every OS
        return
    echo(f"Wrote {exported.count} contacts to {out}", err=True)
