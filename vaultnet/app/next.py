"""``vaultnet next``: the one person to reach today, and the check-in to send them.

The candidates are the follow-ups report, in its order (``app.reports``). Left out are
those already handled today: logged (an interaction or ``last_contact`` dated today),
drafted (a check-in note of today in the check-ins folder, as ``checkin --write`` names
them) or skipped with ``next --skip`` (remembered for the day in the cache folder, never in
the notes). No terminal here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

import yaml

from vaultnet.app.checkin import draft_checkins
from vaultnet.app.context import App
from vaultnet.app.edits import log
from vaultnet.app.reports import followups_report
from vaultnet.core.config import Config
from vaultnet.core.errors import UsageError
from vaultnet.core.followups import FollowUp
from vaultnet.core.links import link_key, link_keys
from vaultnet.core.model import Contact
from vaultnet.core.names import fold
from vaultnet.render.next import Action, NextReport
from vaultnet.store.index import ProgressFn, cache_path
from vaultnet.vault.frontmatter import decode, load_yaml, split_front_matter

SKIP_NAME = "next-skipped.json"  # in the cache folder, beside the index
HANDLED = ("logged", "drafted", "skipped")
Handled = Literal["logged", "drafted", "skipped"]


def next_person(
    app: App,
    *,
    skip: bool = False,
    done: str | None = None,
    index_progress: ProgressFn | None = None,
) -> NextReport:
    """The top of ``followups`` not handled today, with its check-in drafted.

    ``skip``: pass over today's person for the rest of the day, then show the next one.
    ``done``: log ``done`` as an interaction with today's person (as ``log`` does), then
    show the next one.
    """
    if skip and done is not None:
        raise UsageError("give --skip or --done, not both")
    if done is not None and not done.strip():
        raise UsageError("--done needs the text to log, e.g. --done 'Coffee, talked about Q1'")
    idx = app.index(progress=index_progress)
    report = followups_report(idx, app.config, app.today)
    skipped = read_skipped(app.vault, app.today)
    drafted = drafted_today(app.vault, app.config, app.today)
    handled: dict[str, list[Contact]] = {reason: [] for reason in HANDLED}
    waiting: list[FollowUp] = []
    for item in report.items:
        reason = _handled(item.contact, app.today, skipped, drafted)
        if reason is None:
            waiting.append(item)
        else:
            handled[reason].append(item.contact)
    action = None
    if skip or done is not None:
        if not waiting:
            flag = "--skip" if skip else "--done"
            raise UsageError(f"nobody left to reach today, so nothing for {flag} to act on")
        first = waiting.pop(0)
        if skip:
            write_skipped(app.vault, app.today, {*skipped, first.contact.path})
            handled["skipped"].append(first.contact)
            action = Action("skipped", first.contact, app.today)
        else:
            _path, day = log(app, idx, first.contact.path, str(done))
            handled["logged"].append(first.contact)
            action = Action("done", first.contact, day)
    top = waiting[0] if waiting else None
    draft = None
    if top is not None:
        draft = draft_checkins(app, top.contact.path, None, False).drafts[0]
    return NextReport(
        today=app.today,
        horizon_days=report.horizon,
        item=top,
        draft=draft,
        remaining=max(0, len(waiting) - 1),
        due=len(report.items),
        handled=handled,
        action=action,
        notices=report.notices,
    )


def _handled(contact: Contact, today: date, skipped: set[str], drafted: set[str]) -> Handled | None:
    if contact.last_contact == today:
        return "logged"
    if link_key(contact.path) in drafted or fold(contact.name) in drafted:
        return "drafted"
    if contact.path in skipped:
        return "skipped"
    return None


# -- drafted today -------------------------------------------------------------------------
def drafted_today(vault: Path, config: Config, today: date) -> set[str]:
    """Folded keys of the contacts a check-in note of ``today`` is for.

    Only the notes of the check-ins folder named for today (``YYYY-MM-DD NAME.md``, as
    ``checkin --write`` writes them) are read; each names its contact in ``contact:``, else
    by the rest of its file name.
    """
    folder = vault / str(config["checkins_folder"]).strip("/")
    try:
        paths = sorted(folder.glob(f"{today.isoformat()} *.md"))
    except OSError:
        return set()
    keys: set[str] = set()
    for path in paths:
        keys |= _draft_keys(path, today)
    return keys


def _draft_keys(path: Path, today: date) -> set[str]:
    name = path.name[len(today.isoformat()) + 1 : -3]
    by_name = {fold(name)}
    words = name.rsplit(" ", 1)
    if len(words) == 2 and words[1].isdigit():
        by_name.add(fold(words[0]))  # "2026-11-25 Ann Lee 2.md": a second draft that day
    try:
        split = split_front_matter(decode(path.read_bytes()))
        meta = load_yaml(split.front) if split.front is not None else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return by_name
    contact = meta.get("contact") if isinstance(meta, dict) else None
    if isinstance(contact, str):
        linked = set(link_keys(contact, ""))
        if linked:
            return linked
    return by_name


# -- skipped today -------------------------------------------------------------------------
def skip_file(vault: Path) -> Path:
    """Where ``next --skip`` remembers today's skipped contacts (the cache folder)."""
    return cache_path(vault).parent / SKIP_NAME


def read_skipped(vault: Path, today: date) -> set[str]:
    """The notes skipped ``today``; a missing, corrupt or older file skips nobody."""
    try:
        data = json.loads(skip_file(vault).read_bytes())
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("day") != today.isoformat():
        return set()
    paths = data.get("skipped")
    if not isinstance(paths, list):
        return set()
    return {p for p in paths if isinstance(p, str)}


def write_skipped(vault: Path, today: date, paths: set[str]) -> None:
    """Remember ``paths`` as skipped for ``today`` (atomically; older days are dropped)."""
    from vaultnet.vault.fsio import atomic_write

    data = {"day": today.isoformat(), "skipped": sorted(paths)}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    atomic_write(skip_file(vault), text.encode("utf-8"), label="the list of skipped contacts")
