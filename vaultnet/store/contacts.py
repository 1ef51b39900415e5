"""Contacts as reports see them: stored fields plus what depends on today and the config."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from datetime import date, timedelta
from itertools import groupby

from vaultnet.core.config import Config
from vaultnet.core.errors import UsageError
from vaultnet.core.model import Contact, OpenTask, Problem
from vaultnet.core.names import Candidate, fold, resolve
from vaultnet.core.tuples import NamedTuple
from vaultnet.store.index import Index
from vaultnet.store.queries import LastContact, TaskRow


class _Known(NamedTuple):
    """Rows a caller of ``load_contacts`` has already: the open tasks (of the same
    ``tasks_due_by``) and the last contacts of the ids in ``looked_up``."""

    tasks: list[TaskRow]
    last: dict[int, LastContact]
    looked_up: frozenset[int]


def load_contacts(
    index: Index,
    config: Config,
    today: date,
    with_tasks: bool = False,
    paths: Collection[str] | None = None,
    with_last: bool = True,
    tasks_due_by: date | None = None,
    known: _Known | None = None,
    ids: Collection[int] | None = None,
) -> list[Contact]:
    """Every contact in the vault (or those of ``paths``), sorted by name. Without
    ``with_last``, no last contact is looked up (it costs a pass over every mention);
    with ``tasks_due_by``, only the open tasks due by then are loaded. ``known``: what the
    caller fetched already (those rows are not asked for again); ``ids``: only these."""
    stored = list(index.stored_contacts(paths, ids))
    if not with_last:
        last = {}
    elif paths is None and ids is None:
        last = index.last_contacts(today)
    else:  # a few: one seek each (none for those whose answer is known)
        looked_up = known.looked_up if known is not None else frozenset()
        last = dict(known.last) if known is not None else {}
        last.update(index.last_contacts(today, [c.id for c in stored if c.id not in looked_up]))
    tasks: dict[int, list[OpenTask]] = defaultdict(list)
    if with_tasks:
        seen: set[tuple[int, str, int]] = set()
        rows = known.tasks if known is not None else index.open_tasks(tasks_due_by)
        for cid, path, line, text, due in rows:
            key = (cid, path, line)
            if key in seen:
                continue
            seen.add(key)
            tasks[cid].append(OpenTask(path, line, text, date.fromisoformat(due) if due else None))
    defaults = config.cadences
    out = [_completed(c, defaults, last.get(c.id), tasks.get(c.id)) for c in stored]
    out.sort(key=lambda c: (fold(c.name), c.path))
    return out


def _completed(
    c: Contact,
    defaults: dict[str, int | None],
    found: LastContact | None,
    own: list[OpenTask] | None,
) -> Contact:
    """``c`` with what depends on today and the config: its effective cadence, its last
    contact and its open tasks (``own``, in order of due date)."""
    if c.cadence_set:
        c.cadence_source = "note" if c.cadence_days else None
    else:
        c.cadence_days = defaults.get(fold(c.kind or ""))
        c.cadence_source = "kind default" if c.cadence_days else None
    if found is None:
        c.last_contact = None
    else:
        c.last_contact = date.fromisoformat(found.date)
        c.last_contact_how, c.last_contact_where = found.how, found.where
    if own is not None:
        if len(own) > 1:
            own.sort(key=_task_order)
        c.open_tasks = own
    return c


def _task_order(t: OpenTask) -> tuple[date, str, int]:
    return (t.due or date.max, t.path, t.line)


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


class Candidates(NamedTuple):
    """The contacts a report over a window may list (a superset: the rules decide), and
    what its notices need to know of the rest."""

    contacts: list[Contact]  # loaded as ``load_contacts`` loads them, sorted by name
    total: int  # contacts in the vault
    without_cadence: int  # active ones with no cadence that never chose none


def candidates_until(
    index: Index, config: Config, today: date, end: date, *, cadences: bool = True
) -> Candidates:
    """The contacts that may have a reason from ``today`` to ``end``: an occasion in the
    window, an open task due by ``end`` or (with ``cadences``) a check-in due by then.
    Indexed queries pick them (``Queries.due_ids``); objects are built for those only."""
    picked, known = _picked(index, config, today, end, cadences)
    loaded = (
        load_contacts(
            index, config, today, with_tasks=cadences, ids=picked, tasks_due_by=end, known=known
        )
        if picked
        else []
    )
    return Candidates(loaded, index.contact_count(), without_cadence(index, config))


BATCH_CONTACTS = 500  # contacts held at once by ``candidates_in_batches``


def candidates_in_batches(
    index: Index, config: Config, today: date, end: date, size: int = BATCH_CONTACTS
) -> Iterator[list[Contact]]:
    """The contacts of ``candidates_until`` (with cadences), loaded ``size`` at a time by
    id: a report that keeps only what it prints of each holds no more at once."""
    picked, known = _picked(index, config, today, end, True)
    assert known is not None
    tasks: dict[int, list[TaskRow]] = defaultdict(list)
    for row in known.tasks:
        tasks[row.contact_id].append(row)
    ordered = sorted(picked)
    for i in range(0, len(ordered), size):
        batch = ordered[i : i + size]
        rows = [row for cid in batch for row in tasks.get(cid, ())]
        yield load_contacts(
            index,
            config,
            today,
            with_tasks=True,
            ids=batch,
            tasks_due_by=end,
            known=_Known(rows, {}, frozenset()),
        )


def _picked(
    index: Index, config: Config, today: date, end: date, cadences: bool
) -> tuple[set[int], _Known | None]:
    """The ids ``candidates_until`` loads, and the open task rows it knows (with cadences)."""
    defaults = config.cadences
    by_kind: dict[str, int] | None = None
    if cadences:  # the config's cadences by kind as stored (its keys are folded kinds)
        by_kind = {}
        for kind in index.kinds():
            days = defaults.get(fold(kind))
            if days:
                by_kind[kind] = days
    picked = set(index.due_ids(today, end, _month_days(today, end), by_kind))
    known = None
    if cadences:
        task_rows = list(index.open_tasks(end))
        picked.update(row.contact_id for row in task_rows)
        known = _Known(task_rows, {}, frozenset())
    return picked, known


def without_cadence(index: Index, config: Config) -> int:
    """How many active contacts have no cadence and never chose none (by the index alone)."""
    defaults = config.cadences
    return sum(n for kind, n in index.kinds_without_cadence().items() if fold(kind) not in defaults)


def contacts_of_ids(
    index: Index, config: Config, today: date, ids: Collection[int], tasks_due_by: date
) -> list[Contact]:
    """The contacts of ``ids`` as ``candidates_until`` loads them (with their open tasks due
    by ``tasks_due_by``), sorted by name; ids of no contact are left out."""
    if not ids:
        return []
    known = _Known(list(index.open_tasks(tasks_due_by, ids)), {}, frozenset())
    return load_contacts(
        index, config, today, with_tasks=True, ids=ids, tasks_due_by=tasks_due_by, known=known
    )


def _month_days(start: date, end: date) -> frozenset[str] | None:
    """Every "MM-DD" from ``start`` to ``end`` (None: the window holds a whole year)."""
    if (end - start).days >= 365:
        return None
    found = set()
    day = start
    while day <= end:
        found.add(f"{day.month:02d}-{day.day:02d}")
        day += timedelta(days=1)
    if "02-28" in found:  # Feb 29 falls on Feb 28 in common years
        found.add("02-29")
    return frozenset(found)


def _falls_in(yearly: str, days: frozenset[str]) -> bool:
    return yearly[-5:] in days


def contact_order(index: Index, *, archived: bool = True, private: bool = True) -> list[int]:
    """The ids of every contact in the order ``load_contacts`` gives them (by folded name,
    then path); without ``archived`` (or ``private``), those contacts are left out. Only a
    name and an id a contact are read: no ``Contact`` is built."""
    ids: list[int] = []
    folded: list[str] = []
    rows = index.db.execute("SELECT note_id, name, archived, private FROM contacts ORDER BY path")
    for cid, name, is_archived, is_private in rows:
        if (archived or not is_archived) and (private or not is_private):
            ids.append(cid)
            folded.append(fold(name))
    # A stable sort of rows in path order: equal folded names stay in path order.
    order = sorted(range(len(ids)), key=folded.__getitem__)
    del folded
    return [ids[i] for i in order]


def vault_problems(index: Index) -> list[Problem]:
    """Problems in single notes plus those across notes (duplicate names, dangling
    introductions). Two notes that share a name but whose emails or LinkedIn profiles
    differ are namesakes, not duplicates: a name is reported only for notes that nothing
    tells apart. In flat memory: the keys' owners are read in key order and judged one
    key at a time (never every owner at once), and the emails and profiles that tell
    namesakes apart are read only for the notes that share a key."""
    problems = list(index.problems())
    introduced = [(c.path, c.introduced_by) for c in index.stored_contacts() if c.introduced_by]
    wanted = {fold(introducer) for _, introducer in introduced}
    known: set[str] = set()
    shared: list[tuple[str, dict[str, tuple[str, str, str]]]] = []
    for key, group in groupby(index.key_owners(), key=lambda owner: owner.key):
        if key in wanted:
            known.add(key)
        by_path: dict[str, tuple[str, str, str]] = {}
        for o in group:
            by_path.setdefault(o.path, (o.source, o.name, o.path))
        if len(by_path) > 1 and any(v[0] in ("name", "alias") for v in by_path.values()):
            shared.append((key, by_path))
    involved = {path for _, by_path in shared for path in by_path}
    ids = {c.path: _identity(c.emails, c.linkedin) for c in index.stored_contacts(involved)}
    for key, by_path in shared:
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
        if fold(introducer) not in known:
            problems.append(Problem(path, None, f"introduced_by: no contact named {introducer!r}"))
    problems.sort(key=lambda p: (p.path, p.line or 0, p.message))
    return problems
