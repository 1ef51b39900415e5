"""What ``log``, ``snooze`` and ``add`` do to the vault (no terminal here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from vaultnet.app.contacts import broken_note
from vaultnet.app.context import App
from vaultnet.core.config import Config
from vaultnet.core.dates import YearlyDate, parse_date
from vaultnet.core.errors import UsageError
from vaultnet.core.links import wikilink
from vaultnet.core.names import fold
from vaultnet.store.contacts import find_contact, resolve_one
from vaultnet.store.index import Index
from vaultnet.vault.edit import (
    Lines,
    append_to_section,
    create_note,
    edit_note,
    new_note_text,
    parse_front,
    remove_field,
    set_field,
)
from vaultnet.vault.fsio import vault_lock


def task_line(text: str, due: date | None) -> str:
    return f"- [ ] {text}" + (f" \U0001f4c5 {due.isoformat()}" if due else "")


def resolve_for_edit(index: Index, config: Config, query: str) -> str:
    """The note of the contact ``query`` names, for ``log`` and ``snooze``.

    A note in a contacts folder that could not be read as a contact (broken front matter,
    not UTF-8) is not in the index as one; it is found by its file name so that the edit
    refuses with the real reason rather than "no contact named".
    """
    try:
        return resolve_one(index, query)
    except UsageError:
        problem = broken_note(index, config, query)
        if problem is None:
            raise
        return problem.path


def spelled(front: dict[str, Any], field: str, config: Config | None) -> str:
    """The key the note already uses for ``field`` (``lastContact``, ``Last Contacted``),
    so an edit changes that key instead of adding a second one; else vaultnet's own."""
    from vaultnet.core.fieldnames import key_table, normal_key

    table = key_table(config["fields"] if config is not None else None)
    return next((k for k in front if table.get(normal_key(str(k))) == field), field)


def log_interaction(
    vault: Path,
    config: Config,
    rel_path: str,
    when: date,
    text: str,
    task: str | None = None,
    due: date | None = None,
) -> bool:
    """Add ``- when text`` (and an open task) to the log section, in date order when the
    section is in order (else at its end); move ``last_contact`` on."""
    entries = [f"- {when.isoformat()} {' '.join(text.split())}".rstrip()]
    if task:
        entries.append(task_line(" ".join(task.split()), due))

    def change(lines: Lines) -> None:
        front = parse_front(lines)
        key = spelled(front, "last_contact", config)
        current = front.get(key)
        try:
            known = parse_date(str(current).strip()) if current not in (None, "") else None
        except ValueError:
            known = None  # an invalid value is replaced by a valid one
        if known is None or when > known:
            set_field(lines, key, when)
        append_to_section(lines, config.log_heading, entries, when=when)

    return edit_note(vault / rel_path, change, vault=vault)


def snooze(vault: Path, rel_path: str, until: date | None, config: Config | None = None) -> bool:
    """Set ``snooze_until``: no check-in reminders before that day; None removes it."""

    def change(lines: Lines) -> None:
        key = spelled(parse_front(lines), "snooze_until", config)
        if until is None:
            remove_field(lines, key)
        else:
            set_field(lines, key, until)

    return edit_note(vault / rel_path, change, vault=vault)


def find_existing(index: Index, name: str, aliases: list[str], emails: list[str]) -> str | None:
    """The path of a contact that already has this name, one of these aliases or emails."""
    wanted = {fold(n) for n in [name, *aliases] if n.strip()}
    mails = {e.strip().casefold() for e in emails if e.strip()}
    for c in index.stored_contacts():
        keys = {fold(c.name)} | {fold(a) for a in c.aliases}
        if wanted & keys or mails & {e.casefold() for e in c.emails}:
            return c.path
    return None


def contacts_folder(index: Index, config: Config) -> str:
    """Where a new contact goes: the first configured contacts folder; else the people
    folder (`People`, `contacts`, `👤 People`...) that holds the most contacts already;
    else `People`."""
    if config.contacts_folders:
        return config.contacts_folders[0]
    from vaultnet.core.fieldnames import folder_holds_people

    counts: dict[str, int] = {}
    for c in index.stored_contacts():
        parts = c.path.split("/")[:-1]
        found = [i for i, part in enumerate(parts) if folder_holds_people(part)]
        if found:
            folder = "/".join(parts[: found[-1] + 1])
            counts[folder] = counts.get(folder, 0) + 1
    return max(sorted(counts), key=lambda f: counts[f]) if counts else "People"


def add_contact(vault: Path, config: Config, index: Index, fields: dict[str, Any]) -> Path:
    """Create a contact note in the first contacts folder; refuse a duplicate."""
    name = str(fields["name"]).strip()
    if not name:
        raise UsageError("the name must not be empty")
    aliases = [str(a) for a in fields.get("aliases") or []]
    emails = [str(e) for e in fields.get("email") or []]
    email = fields.get("email")
    if isinstance(email, list) and len(email) == 1:
        fields["email"] = email[0]
    folder = vault / contacts_folder(index, config)
    text = new_note_text(fields, log_heading=config.log_heading)
    # Another `add` may have created this contact since the index was brought up to date:
    # look again while no other vaultnet writes.
    with vault_lock(vault):
        index.update()
        existing = find_existing(index, name, aliases, emails)
        if existing is not None:
            raise UsageError(f"a contact with that name, alias or email exists already: {existing}")
        return create_note(folder, name, text, vault=vault)


# -- the commands ----------------------------------------------------------------------
def log(
    app: App,
    index: Index,
    query: str,
    text: str,
    when: date | None = None,
    task: str | None = None,
    due: date | None = None,
    others: Sequence[str] = (),
) -> tuple[list[str], date]:
    """``log``: record one interaction with the contact ``query`` names and each of
    ``others`` (the task goes to the first only); their notes and the day. Every name is
    resolved before any note is written."""
    if due is not None and not task:
        raise UsageError("--due goes with --task")
    day = when or app.today
    if day > app.today:
        raise UsageError(
            f"--date {day.isoformat()} is after today: a log records what happened;"
            " use --task for what is planned"
        )
    paths = list(dict.fromkeys(resolve_for_edit(index, app.config, q) for q in (query, *others)))
    for n, path in enumerate(paths):
        log_interaction(app.vault, app.config, path, day, text, task if n == 0 else None, due)
    return paths, day


def snooze_contact(
    app: App,
    index: Index,
    query: str,
    until: date | None = None,
    days: int | None = None,
    clear: bool = False,
) -> tuple[str, date | None, bool]:
    """``snooze``: no check-in reminders before ``until`` (or for ``days``; ``clear``
    removes the snooze); the note, the day (None when cleared), whether the note changed."""
    if sum((until is not None, days is not None, clear)) != 1:
        raise UsageError("give exactly one of --until DATE, --for DURATION or --clear")
    day = until if until is not None else None if clear else app.today + timedelta(days=days or 0)
    if day is not None and day <= app.today:
        raise UsageError(
            f"--until {day.isoformat()} is not after today: a snooze pauses reminders from"
            " now on (--clear ends one)"
        )
    path = resolve_for_edit(index, app.config, query)
    return path, day, snooze(app.vault, path, day, app.config)


def obsidian_tag(tag: str) -> str:
    """A tag as Obsidian accepts it: no ``#``, spaces and other marks as ``-``; a tag of
    digits only (Obsidian ignores it) is refused."""
    from vaultnet.app.importers import tag_from_label

    made = tag_from_label(tag)
    if not made or made.replace("/", "").isdigit():
        raise UsageError(f"--tag {tag!r} is no tag Obsidian accepts (it needs a letter)")
    return made


def kind_warning(config: Config, kind: str | None) -> str | None:
    """A warning when ``kind`` is none of the known kinds, with the closest one."""
    from difflib import get_close_matches

    from vaultnet.app.contacts import known_kinds

    kinds = known_kinds(config)
    if not kind or fold(kind) in {fold(k) for k in kinds}:
        return None
    close = get_close_matches(kind.lower(), kinds, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(kinds)})"
    return f"unknown kind {kind!r}{hint}"


def add(app: App, index: Index, name: str, options: Mapping[str, Any]) -> tuple[str, list[str]]:
    """``add``: a new contact note from the command's options; its vault-relative path and
    the warnings to show (an unknown kind)."""
    fields: dict[str, Any] = {"name": name.strip(), "aliases": list(options["aliases"])}
    fields["kind"] = options["kind"]
    warning = kind_warning(app.config, options["kind"])
    for key in ("company", "title"):
        fields[key] = options[key]
    fields["email"] = list(options["email"])
    for key in ("phone", "linkedin", "location"):
        fields[key] = options[key]
    for key in ("birthday", "work_anniversary"):
        yd = options[key]
        if isinstance(yd, YearlyDate):
            fields[key] = date(yd.year, yd.month, yd.day) if yd.year else str(yd)
    if options["cadence"]:
        fields["cadence"] = options["cadence"]
    fields["tags"] = list(dict.fromkeys(obsidian_tag(t) for t in options["tags"]))
    if options["introduced_by"]:
        who = find_contact(index, app.config, app.today, str(options["introduced_by"]))
        fields["introduced_by"] = wikilink(who.path, who.name)
    fields["how_met"] = options["how_met"]
    if options.get("last_contact") is not None:
        fields["last_contact"] = options["last_contact"]
        if options["last_contact"] > app.today:
            raise UsageError("--last-contact is after today: it records what happened")
    created = add_contact(app.vault, app.config, index, fields)
    return created.relative_to(app.vault).as_posix(), [warning] if warning else []
