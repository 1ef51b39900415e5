"""Contacts as reports see them: stored fields plus what depends on today and the config."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from vaultnet.core.config import Config
from vaultnet.core.dates import YearlyDate, parse_yearly
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
        for cid, path, line, text, due in index.open_tasks(tasks_due_by):
            if (cid, path, line) in seen:
                continue
            seen.add((cid, path, line))
            tasks[cid].append(OpenTask(path, line, text, date.fromisoformat(due) if due else None))
    defaults = config.cadences
    out = []
    for row in index.contact_rows(paths):
        cid = row["note_id"]
        when, how, where = last.get(cid, (None, None, None))
        if row["cadence_set"]:
            cadence, source = row["cadence_days"], ("note" if row["cadence_days"] else None)
        else:
            cadence = defaults.get(fold(row["kind"] or ""))
            source = "kind default" if cadence else None
        out.append(
            Contact(
                id=cid,
                path=row["path"],
                name=row["name"],
                aliases=row["aliases"],
                kind=row["kind"],
                company=row["company"],
                title=row["title"],
                emails=row["emails"],
                phone=row["phone"],
                linkedin=row["linkedin"],
                location=row["location"],
                tags=row["tags"],
                birthday=_yearly(row["birthday"]),
                work_anniversary=_yearly(row["work_anniversary"]),
                dates={k: parse_yearly(v) for k, v in row["dates"].items()},
                cadence_days=cadence,
                cadence_source=source,
                last_contact=date.fromisoformat(when) if when else None,
                last_contact_how=how,
                last_contact_where=where,
                snooze_until=_date(row["snooze_until"]),
                introduced_by=row["introduced_by"],
                how_met=row["how_met"],
                archived=bool(row["archived"]),
                deceased=bool(row["deceased"]),
                private=bool(row["private"]),
                fields_json=row["fields"],
                open_tasks=sorted(
                    tasks.get(cid, []), key=lambda t: (t.due or date.max, t.path, t.line)
                ),
            )
        )
    out.sort(key=lambda c: (fold(c.name), c.path))
    return out


def _yearly(text: str | None) -> YearlyDate | None:
    return None if text is None else parse_yearly(text)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def candidates(index: Index) -> list[Candidate]:
    keys: dict[int, list[str]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for key, cid, _source, path, name in index.key_owners():
        keys[cid].append(key)
        names[cid] = (path, name)
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
    """Problems in single notes plus those across notes (duplicate names, dangling introductions)."""
    problems = list(index.problems())
    owners: dict[str, dict[str, tuple[str, str, str]]] = defaultdict(dict)
    for key, _cid, source, path, name in index.key_owners():
        owners[key].setdefault(path, (source, name, path))
    for key, by_path in sorted(owners.items()):
        named = {p: v for p, v in by_path.items() if v[0] in ("name", "alias")}
        if len(by_path) > 1 and named:
            paths = sorted(by_path)
            for path in paths:
                others = ", ".join(p for p in paths if p != path)
                source = by_path[path][0]
                problems.append(
                    Problem(
                        path,
                        None,
                        f"{'alias' if source == 'alias' else 'name'} {key!r} is also used by {others}",
                    )
                )
    for row in index.contact_rows():
        intro = row["introduced_by"]
        if intro and fold(intro) not in owners:
            problems.append(
                Problem(row["path"], None, f"introduced_by: no contact named {intro!r}")
            )
    problems.sort(key=lambda p: (p.path, p.line or 0, p.message))
    return problems
