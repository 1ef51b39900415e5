"""What ``list``, ``show`` and ``check`` report about the vault's contacts."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vaultnet.app.notices import left_out
from vaultnet.core.config import CONFIG_DIR, CONFIG_NAME, Config
from vaultnet.core.errors import NoteError, UsageError
from vaultnet.core.links import note_name
from vaultnet.core.model import Contact, Interaction, PassedOver, Problem
from vaultnet.core.names import fold
from vaultnet.store.contacts import (
    contact_order,
    load_contacts,
    resolve_one,
    vault_problems,
)
from vaultnet.store.index import Index

# Contacts a report that prints every one of them builds at a time.
BATCH = 500


@dataclass(frozen=True)
class Listing:
    """The contacts ``list`` shows, by name a batch at a time (read once, as they are
    written out: a vault of any size is never held at once), and what it left out (lines
    for stderr)."""

    batches: Iterator[list[Contact]]
    notices: list[str] = field(default_factory=list)


def listed_contacts(
    index: Index,
    config: Config,
    today: date,
    kind: str | None = None,
    tag: str | None = None,
    archived: bool = False,
) -> Listing:
    """Contacts by name, of ``kind`` and with ``tag`` when given; archived ones too only
    with ``archived``."""
    order = contact_order(index, archived=archived)
    batches = (
        shown
        for batch in in_order(index, config, today, order)
        if (shown := [c for c in batch if c.matches(kind, tag)])
    )
    return Listing(batches, left_out(index, config, index.contact_count()))


def in_order(
    index: Index, config: Config, today: date, ids: Sequence[int], size: int | None = None
) -> Iterator[list[Contact]]:
    """The contacts of ``ids`` (in ``store.contacts.contact_order``'s order), loaded as
    ``load_contacts`` loads them, ``size`` at a time and in that order: a few hundred
    objects at once, whatever the size of the vault (``size``: BATCH)."""
    size = size or BATCH
    for start in range(0, len(ids), size):
        yield load_contacts(index, config, today, ids=ids[start : start + size])


def broken_note(index: Index, config: Config, query: str) -> Problem | None:
    """The first problem of the note in a contacts folder that ``query`` names by its file
    name, when that note is not read as a contact (front matter that does not parse, not
    UTF-8): it is in the index with its problems, but not as a contact."""
    from vaultnet.vault.parse import in_contacts_folder

    wanted = fold(query)
    contacts: dict[str, tuple[int, int]] | None = None
    for problem in index.problems():  # by path, then line: a note's first problem first
        in_folder = in_contacts_folder(problem.path, index.rules)
        if in_folder and fold(note_name(problem.path)) == wanted:
            if contacts is None:
                contacts = index.contact_states()
            if problem.path not in contacts:
                return problem
    return None


def named_contact(index: Index, config: Config, query: str) -> str:
    """The note of the one contact ``query`` names. When it names a note that could not be
    read as a contact, a NoteError says why, rather than "no contact named"."""
    try:
        return resolve_one(index, query)
    except UsageError:
        problem = broken_note(index, config, query)
        if problem is None:
            raise
        raise NoteError(
            "this note has problems, so it is not read as a contact:"
            f" {problem.message} (vaultnet check)",
            problem.path,
        ) from None


def contact_history(
    index: Index, config: Config, today: date, query: str
) -> tuple[Contact, list[Interaction]]:
    """The one contact ``query`` names, with open tasks, and its latest interactions."""
    path = named_contact(index, config, query)
    (contact,) = load_contacts(index, config, today, True, paths=[path])
    return contact, index.interactions(contact.id, today)


def known_kinds(config: Config) -> list[str]:
    """The kinds vaultnet knows: the built-in ones and those the config gives a cadence."""
    from vaultnet.core.model import KNOWN_KINDS

    extra = sorted(k for k in dict(config["cadences"]) if k not in KNOWN_KINDS)
    return [*KNOWN_KINDS, *extra]


def completions(index: Index, config: Config, what: str) -> list[str]:
    """What the shell may complete: contact names (``name``), ``kind`` or ``tag`` values
    in the vault."""
    found: set[str] = set()
    for c in index.stored_contacts():
        if what == "name":
            found.add(c.name)
        elif what == "tag":
            found.update(t.lstrip("#") for t in c.tags)
        elif what == "kind" and c.kind:
            found.add(c.kind)
    if what == "kind":
        found.update(known_kinds(config))
    return sorted(found, key=str.casefold)


def problems_of(index: Index, path: str) -> list[Problem]:
    """The problems of one note, after bringing the index up to date (``edit``)."""
    index.update()
    return [p for p in index.problems() if p.path == path]


def passed_over(index: Index, contact: Contact, today: date) -> list[PassedOver]:
    """The links to ``contact`` that are no interaction, and why (``show --why``)."""
    return index.passed_over(contact.id, today)


def problems(index: Index, config: Config, today: date | None = None) -> list[Problem]:
    """Every problem of the vault: in its config, in single notes and across notes; with
    ``today``, also a last contact after it, and kinds the config does not know."""
    found = config_problems(index.vault, config) + vault_problems(index) + name_problems(index)
    if today is not None:
        found += future_problems(index, config, today) + kind_problems(index, config)
    return sorted(found, key=lambda p: (p.path, p.line or 0, p.message))


def future_problems(index: Index, config: Config, today: date) -> list[Problem]:
    """A ``last_contact`` or a log entry after ``today``: no later log would replace it.
    Contacts are loaded a batch at a time (``in_order``)."""
    what = {"field": "last_contact", "log": "a log entry"}
    return [
        Problem(
            c.path,
            None,
            f"{what[c.last_contact_how]} is dated {c.last_contact.isoformat()}, after today"
            " (a log records what happened; an open task is for what is planned)",
        )
        for batch in in_order(index, config, date.max, contact_order(index))
        for c in batch
        if c.last_contact is not None and c.last_contact > today and c.last_contact_how in what
    ]


def kind_problems(index: Index, config: Config) -> list[Problem]:
    """Contacts whose kind is none of the known ones (built-in, or given a cadence)."""
    kinds = known_kinds(config)
    folded = {fold(k) for k in kinds}
    return [
        Problem(
            c.path,
            None,
            f"kind {c.kind!r} is not a known kind ({', '.join(kinds)}; a [cadences] entry in"
            " the config makes it one)",
        )
        for c in index.stored_contacts()
        if c.kind and fold(c.kind) not in folded
    ]


def name_problems(index: Index) -> list[Problem]:
    """Names holding a line break or another control character (they break tables, feeds
    and links, and an ESC sequence would drive the terminal that shows them)."""
    return [
        Problem(c.path, None, f"name {c.name!r} holds a line break or control character")
        for c in index.stored_contacts()
        if any(unicodedata.category(ch) == "Cc" for ch in c.name)
    ]


def config_problems(vault: Path, config: Config) -> list[Problem]:
    """What the config names that is not in the vault: a contacts folder the config sets
    and that does not exist (a default one that does not exist is no problem)."""
    if not config.is_set("contacts_folders"):
        return []
    missing = [f for f in config.contacts_folders if not _folder_exists(vault, f)]
    if not missing:
        return []
    where = f"{CONFIG_DIR}/{CONFIG_NAME}"
    line = _key_line(Path(config.path), "contacts_folders") if config.path else None
    return [
        Problem(where, line, f"contacts_folders: {folder!r} does not exist in the vault")
        for folder in missing
    ]


def _key_line(path: Path, key: str) -> int | None:
    """The line of the config file that sets the top-level ``key``, when it can be told."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, text in enumerate(lines, 1):
        if text.startswith("["):
            return None  # past the top-level keys
        name = text.split("=", 1)[0].strip().strip("\"'")
        if "=" in text and name == key:
            return number
    return None


def _folder_exists(vault: Path, folder: str) -> bool:
    """Whether ``folder`` is a folder of the vault, its names matched in any case (contacts
    folders match that way, whatever the file system does)."""
    here = vault
    for part in folder.replace("\\", "/").strip("/").split("/"):
        if part in ("", "."):
            continue
        if (here / part).is_dir():
            here = here / part
            continue
        wanted = part.casefold()
        try:
            with os.scandir(here) as entries:
                match = next(
                    (e.name for e in entries if e.is_dir() and e.name.casefold() == wanted), None
                )
        except OSError:
            return False
        if match is None:
            return False
        here = here / match
    return here.is_dir()
