"""Commands: import (LinkedIn, vCard, Google Contacts; mail and calendar) and export (vCard)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vaultnet.app.context import App
from vaultnet.app.importers import SOURCES
from vaultnet.app.transfer import EXPORTERS, ImportOptions, export_contacts, import_contacts
from vaultnet.cli.params import CADENCE, DATE, FORMAT_TABLE_JSON, echo, open_index, pass_app
from vaultnet.core.errors import UsageError
from vaultnet.core.incoming import Issue
from vaultnet.render import imports as report

if TYPE_CHECKING:
    from vaultnet.core.interactions import Run

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


_FORMAT = click.option(
    "--format",
    "fmt",
    type=FORMAT_TABLE_JSON,
    default="table",
    show_default=True,
    help="The plan and summary as text or as JSON.",
)


@click.group("import")
def import_cmd() -> None:
    """Bring in contacts from another address book, or interactions from your own mail and
    calendar.

    \b
    Contacts (new notes in the first contacts folder):
      vaultnet import linkedin Connections.csv
      vaultnet import vcard contacts.vcf
      vaultnet import google contacts.csv
    Interactions (day notes in Interactions/, linking your contacts):
      vaultnet import mail ~/Mail/archive.mbox
      vaultnet import calendar calendar.ics

    Run `vaultnet import SOURCE --help` for each one's options.
    """


def _contacts_command(source: str, what: str) -> click.Command:
    """``import SOURCE FILE``: the same options and behaviour for each address book."""

    @click.command(source)
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
    @click.option(
        "--cadence",
        type=CADENCE,
        help="Cadence of every contact created: 30, 2w, monthly, quarterly, none.",
    )
    @_FORMAT
    @pass_app
    def command(
        app: App,
        file: Path,
        dry_run: bool,
        merge: bool,
        trust_names: bool,
        kind: str | None,
        tags: tuple[str, ...],
        cadence: str | None,
        fmt: str,
    ) -> None:
        options = ImportOptions(
            merge=merge,
            trust_names=trust_names,
            dry_run=dry_run,
            kind=kind,
            tags=list(tags),
            cadence=cadence,
        )
        _import_contacts(app, source, file, options, fmt)

    command.help = f"""Import contacts from FILE, {what}. Each new contact becomes a note in
    the first contacts folder.

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
    return command


def _import_contacts(app: App, source: str, file: Path, options: ImportOptions, fmt: str) -> None:
    def show_issues(issues: list[Issue]) -> None:
        for issue in issues:
            echo(report.issue_line(str(file), issue), err=True)

    run = import_contacts(
        app,
        source,
        file,
        options,
        index=lambda: open_index(app),
        on_issues=show_issues,
        progress=_progress,
    )
    done = report.ImportReport(
        source, str(file), run.issues, run.actions, run.outcomes, run.parse_errors
    )
    echo(report.IMPORT_FORMATS[fmt](done), nl=False)
    if report.error_count(run.outcomes, run.parse_errors):
        sys.exit(1)


_WHAT = {
    "linkedin": "LinkedIn's Connections.csv",
    "vcard": "a .vcf file (one or many vCards)",
    "google": "a Google Contacts CSV export",
}
for _source in SOURCES:
    import_cmd.add_command(_contacts_command(_source, _WHAT.get(_source, _source)))


@contextmanager
def _reading(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A (done, total) callback drawing a bar on a terminal, else None."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:

        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield update


def _echo_run(run: Run, fmt: str) -> None:
    """The report a piece at a time (a streamed run plans, and writes, its notes as they
    are shown), then each note that could not be written on stderr."""
    from vaultnet.render import interactions as rendered

    for piece in rendered.INTERACTIONS_PIECES[fmt](run):
        echo(piece, nl=False)
    errors = run.errors()
    for outcome in errors:
        echo(f"vaultnet: error: {outcome.path}: {outcome.message}", err=True)
    if errors:
        sys.exit(1)


_SINCE = click.option(
    "--since", type=DATE, help="Only what happened on or after this day (YYYY-MM-DD)."
)
_DRY_RUN = click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")


@import_cmd.command("mail")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_SINCE
@_DRY_RUN
@click.option("--no-subjects", is_flag=True, help="Leave the subjects out of the notes.")
@click.option(
    "--me",
    "me",
    multiple=True,
    metavar="ADDRESS",
    help="One of your own addresses, for this import (besides [me] in the config); repeatable.",
)
@_FORMAT
@pass_app
def import_mail_cmd(
    app: App,
    path: Path,
    since: date | None,
    dry_run: bool,
    no_subjects: bool,
    me: tuple[str, ...],
    fmt: str,
) -> None:
    """Record your mail with your contacts as day notes in the interactions folder.

    PATH is an mbox file (Thunderbird, Google Takeout, Apple Mail's export), a Maildir
    folder (mutt, mbsync; its subfolders too) or a folder of .eml files. Only the
    headers are read, never a body. A message counts for each contact (by any of their
    emails, any case, +tag too) who wrote to you or whom you wrote to; your addresses are
    `email` and `emails` under [me] in the config, and --me; without any, nothing is
    written and the error names the likely one. Mailing-list and bulk mail never
    counts. Each day gets one note, e.g. Interactions/2026/2026-11-20 Mail.md, with one
    line per contact; importing again, or a newer export, adds only what is new.
    """
    from vaultnet.app.mail import import_mail

    with _reading("Reading mail") as progress:
        run = import_mail(
            app,
            path,
            open_index(app),
            since=since,
            dry_run=dry_run,
            subjects=not no_subjects,
            progress=progress,
            me_addresses=me,
        )
    _echo_run(run, fmt)


@import_cmd.command("calendar")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_SINCE
@_DRY_RUN
@_FORMAT
@pass_app
def import_calendar_cmd(app: App, file: Path, since: date | None, dry_run: bool, fmt: str) -> None:
    """Record past events of your calendar export (.ics) with your contacts as day notes.

    An event before today counts for each contact among its attendees (by email, or by
    name when an attendee has only a name that names one contact). Recurring events are
    expanded; events you declined, cancelled ones and events without attendees do not
    count. Each day gets one note, e.g. Interactions/2026/2026-11-20 Calendar.md, with
    one line per contact; importing again adds only what is new.
    """
    from vaultnet.app.events import import_calendar

    run = import_calendar(app, file, open_index(app), since=since, dry_run=dry_run)
    _echo_run(run, fmt)


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(EXPORTERS)))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--with-notes", is_flag=True, help="Add each note's first paragraph as NOTE.")
@click.option(
    "--format",
    "report_fmt",
    type=FORMAT_TABLE_JSON,
    default="table",
    show_default=True,
    help="With --out: the summary as a line on stderr (table) or as JSON on stdout.",
)
@pass_app
def export_cmd(app: App, fmt: str, out: Path | None, with_notes: bool, report_fmt: str) -> None:
    """Export every non-private contact as vCard 4.0 (name and its parts, emails, phones
    with their kinds, organization, title, location, birthday, anniversary and other
    dates, URLs, tags), e.g. for a phone's address book."""
    if out is None and report_fmt == "json":
        raise UsageError("--format json reports what --out wrote: give --out FILE")
    exported = export_contacts(app, open_index(app), fmt, out, with_notes)
    if out is None:
        for piece in exported.pieces:
            echo(piece, nl=False)  # bytes: CRLF stays CRLF on every OS
        return
    if report_fmt == "json":
        echo(report.export_json(fmt, str(out), exported.count), nl=False)
        return
    echo(f"Wrote {exported.count} contacts to {out}", err=True)
