"""What ``import`` and ``export`` do: contacts in from another address book, and out.

No terminal here: the command passes in how to show progress and the file's issues as
they happen, and renders what comes back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path

from vaultnet.app.contacts import in_order
from vaultnet.app.context import App
from vaultnet.app.importers import read_file
from vaultnet.app.importers.apply import apply_plan
from vaultnet.app.importers.plan import known_contacts, plan, with_options
from vaultnet.core.incoming import Action, Issue, Outcome
from vaultnet.core.model import Contact
from vaultnet.render.vcard import vcards
from vaultnet.store.contacts import contact_order
from vaultnet.store.index import Index
from vaultnet.vault.frontmatter import decode, split_front_matter
from vaultnet.vault.fsio import atomic_write

# total -> a context giving a tick to call once per contact written (or None: no ticks).
Progress = Callable[[int], AbstractContextManager[Callable[[], None] | None]]

# Export format -> the text of the contacts (and their notes, by path) in it; the command
# offers these names.
EXPORTERS: dict[str, Callable[[Iterable[Contact], Mapping[str, str]], str]] = {"vcard": vcards}


@dataclass(frozen=True)
class ImportOptions:
    """How to import: the command's flags."""

    merge: bool = False
    trust_names: bool = False
    dry_run: bool = False
    kind: str | None = None
    tags: list[str] = field(default_factory=list)
    cadence: str | None = None  # for the contacts created, as the user wrote it


@dataclass(frozen=True)
class ImportRun:
    """What an import read, planned and (unless a dry run) did."""

    issues: list[Issue]
    actions: list[Action]
    outcomes: list[Outcome] | None  # None: a dry run, nothing was written
    parse_errors: int  # rows or cards of the file left out


def import_contacts(
    app: App,
    source: str,
    file: Path,
    options: ImportOptions,
    *,
    index: Callable[[], Index],
    on_issues: Callable[[list[Issue]], None],
    progress: Progress,
) -> ImportRun:
    """Read ``file`` as an export of ``source``, plan it against the known contacts and,
    unless a dry run, write the notes.

    ``on_issues`` hears the file's problems as soon as it is read; ``index`` is asked for
    only then, so a file that cannot be read costs no index update.
    """
    parsed = read_file(source, file, app.today)
    on_issues(parsed.issues)
    records = with_options(parsed.records, options.kind, options.tags)
    actions = plan(records, known_contacts(index()), options.merge, options.trust_names)
    if options.cadence:
        # Planned first, so that a merge never adds a cadence to a note that has none.
        for action in actions:
            if action.kind == "create":
                action.record = replace(action.record, cadence=options.cadence)
    outcomes = None
    if not options.dry_run:
        with progress(len(actions)) as tick:
            outcomes = apply_plan(app.vault, app.config, actions, app.today, tick)
    return ImportRun(parsed.issues, actions, outcomes, parsed.error_count)


@dataclass(frozen=True)
class Exported:
    """An export, and how many contacts it holds: its bytes a batch of contacts at a time
    (read once; nothing when it was written to a file)."""

    pieces: Iterator[bytes]
    count: int


def export_contacts(
    app: App, index: Index, fmt: str, out: Path | None, with_notes: bool = False
) -> Exported:
    """Every non-private contact in format ``fmt`` (one of EXPORTERS); written atomically
    to ``out`` when given. ``with_notes``: each note's first paragraph goes along. The
    contacts are built a batch at a time, never all at once."""
    ids = contact_order(index, private=False)
    pieces = _exported(app, index, fmt, ids, with_notes)
    if out is None:
        return Exported(pieces, len(ids))
    data = BytesIO()
    for piece in pieces:
        data.write(piece)
    atomic_write(out, data.getvalue(), make_dirs=False)
    return Exported(iter(()), len(ids))


def _exported(
    app: App, index: Index, fmt: str, ids: list[int], with_notes: bool
) -> Iterator[bytes]:
    """The bytes of the export of ``ids``, a batch of contacts at a time."""
    export = EXPORTERS[fmt]
    for batch in in_order(index, app.config, app.today, ids):
        notes = {c.path: first_paragraph(app.vault / c.path) for c in batch} if with_notes else {}
        yield export(batch, {k: v for k, v in notes.items() if v}).encode("utf-8")


_HEADING = re.compile(r"^(#{1,6})\s")


def first_paragraph(path: Path) -> str:
    """The first paragraph of a note's body: after a leading ``# Title``, before any other
    heading (the log is no part of it); empty when there is none or the note is unreadable."""
    try:
        body = split_front_matter(decode(path.read_bytes())).body
    except (OSError, UnicodeDecodeError):
        return ""
    block: list[str] = []
    for line in body.splitlines():
        text = line.strip()
        m = _HEADING.match(text)
        if m and not block and len(m.group(1)) == 1:
            continue
        if m or (not text and block):
            break
        if text:
            block.append(text)
    return "\n".join(block)
