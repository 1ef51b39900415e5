"""Contacts as reports see them: stored fields plus what depends on today and the config."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from vaultnet.core.config import Config
from vaultnet.core.errors import UsageError
from vaultnet.core.model import Contact, OpenTask, Problem
from vaultnet.core.names import Candidate, fold, resolve
from vaultnet.store.index import Index


def load_contacts(
    index: Index,
    config: Config,
    today: date,
    with_tasks: bool = False,
    paths: Collection[str] | None = None,
    with_last: bool = True,
    tasks_due_by: date | None = None,
) -> list[Contact]:
    """Every contact in the vault (or those of ``paths``), sorted by name. Without
    ``with_last``, no last contact is looked up (it costs a pass over every mention);
    with ``tasks_due_by``, only the open tasks due by then are loaded."""
    last = index.last_contacts(today) if with_last else {}
    tasks: dict[int, list[OpenTask]] = defaultdict(list)
    if with_tasks:
        seen: set[tuple[int, str, int]] = set()
        for row in index.open_tasks(tasks_due_by):
            if (row.contact_id, row.path, row.line) in seen:
                continue
            seen.add((row.contact_id, row.path, row.line))
            due = date.fromisoformat(row.due) if row.due else None
            tasks[row.contact_id].append(OpenTask(row.path, row.line, row.text, due))
    defaults = config.cadences
    out = []
    for c in index.stored_contacts(paths):
        if c.cadence_set:
            c.cadence_source = "note" if c.cadence_days else None
        else:
            c.cadence_days = defaults.get(fold(c.kind or ""))
            c.cadence_source = "kind default" if c.cadence_days else None
        found = last.get(c.id)
        if found is None:
            c.last_contact = None
        else:
            c.last_contact = date.fromisoformat(found.date)
            c.last_contact_how, c.last_contact_where = found.how, found.where
        if c.id in tasks:
            c.open_tasks = sorted(tasks[c.id], key=lambda t: (t.due or date.max, t.path, t.line))
        out.append(c)
    out.sort(key=lambda c: (fold(c.name), c.path))
    return out


def candidates(index: Index) -> list[Candidate]:
    keys: dict[int, list[str]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for owner in index.key_owners():
        keys[owner.contact_id].append(owner.key)
        names[owner.contact_id] = (owner.path, owner.name)
    return [Candidate(path, name, tuple(keys[cid])) for cid, (path, name) in names.items()]


def resolve_one(index: Index, query: str) -> str:
    """The path of the one contact ``query`` names; UsageError when none or several do."""
    result = resolve(query, candidates(index))
    if len(result.matches) == 1:
        return result.matches[0].path
    if result.matches:
        listing = "; ".join(f"{c.name} ({c.path})" for c in result.matches[:10])
        raise UsageError(
            f"{query!r} is ambiguous: it could be {listing}. Use the full name or the note's path."
        )
    hint = (
        f" Did you mean {', '.join(repr(s) for s in result.suggestions)}?"
        if result.suggestions
        else ""
    )
    raise UsageError(f"no contact named {query!r}.{hint}")


def find_contact(
    index: Index, config: Config, today: date, query: str, with_tasks: bool = False
) -> Contact:
    """The one contact ``query`` names (see ``resolve_one`` for the errors)."""
    path = resolve_one(index, query)
    return next(c for c in load_contacts(index, config, today, with_tasks) if c.path == path)


def vault_problems(index: Index) -> list[Problem]:
    """Problems in single notes plus those across notes (duplicate names, dangling
    introductions). Two notes that share a name but whose emails or LinkedIn profiles
    differ are namesakes, not duplicates: a name is reported only for notes that nothing
    tells apart."""
    problems = list(index.problems())
    ids: dict[str, tuple[frozenset[str], str | None]] = {}
    introduced: list[tuple[str, str]] = []  # (path, introduced_by)
    for c in index.stored_contacts():
        ids[c.path] = _identity(c.emails, c.linkedin)
        if c.introduced_by:
            introduced.append((c.path, c.introduced_by))
    owners: dict[str, dict[str, tuple[str, str, str]]] = defaultdict(dict)
    for o in index.key_owners():
        owners[o.key].setdefault(o.path, (o.source, o.name, o.path))
    for key, by_path in sorted(owners.items()):
        named = {p: v for p, v in by_path.items() if v[0] in ("name", "alias")}
        if len(by_path) > 1 and named:
            paths = sorted(by_path)
            for path in paths:
                same = [p for p in paths if p != path and not _told_apart(ids, path, p)]
                if not same:
                    continue
                source = by_path[path][0]
                problems.append(
                    Problem(
                        path,
                        None,
                        f"{'alias' if source == 'alias' else 'name'} {key!r} is also used by"
                        f" {', '.join(same)}",
                    )
                )
    for path, introducer in introduced:
        if fold(introducer) not in owners:
            problems.append(Problem(path, None, f"introduced_by: no contact named {introducer!r}"))
    problems.sort(key=lambda p: (p.path, p.line or 0, p.message))
    return problems


def _identity(emails: list[str], linkedin: str | None) -> tuple[frozenset[str], str | None]:
    """A contact's emails and LinkedIn profile, as compared."""
    profile = None
    if linkedin and linkedin.strip():
        profile = linkedin.strip().casefold().split("?", 1)[0].rstrip("/")
        profile = profile.split("://", 1)[-1].removeprefix("www.")
    return frozenset(e.strip().casefold() for e in emails if e.strip()), profile


def _told_apart(ids: dict[str, tuple[frozenset[str], str | None]], a: str, b: str) -> bool:
    """Whether two notes are two people: both have emails and share none, or both have a
    LinkedIn profile and they differ."""
    (emails_a, url_a), (emails_b, url_b) = (
        ids.get(a, (frozenset(), None)),
        ids.get(b, (frozenset(), None)),
    )
    if emails_a and emails_b and not emails_a & emails_b:
        return True
    return bool(url_a and url_b and url_a != url_b)
