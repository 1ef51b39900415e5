"""What an import does to each incoming contact: create, merge or skip. No I/O but the
index read by ``known_contacts``.

Matching, strongest key first: the same email (case-insensitive), then the same LinkedIn
profile URL (scheme, ``www.``, country subdomain, query and trailing slash ignored), then
the same name or alias (case- and accent-insensitive). A name match is ruled out when
both sides have a LinkedIn URL and the URLs differ: those are two people.

Within one file, a later row matches a contact an earlier row creates by email or URL
only, not by name: an export lists each person once, so two rows with the same name are
namesakes and both are created (``Alex Chen.md``, ``Alex Chen 2.md``). Importing the
file again matches each row to its note by email or URL; namesakes with neither are
ambiguous then, and skipped, so a second import creates nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from vaultnet.core.incoming import Action, Incoming, JobChange
from vaultnet.core.names import fold
from vaultnet.store.index import Index


@dataclass(eq=False)  # two namesakes are two contacts: compare by identity
class Known:
    """A contact as matching sees it: a note in the vault, or one this import creates."""

    name: str
    label: str  # the note's path, or "line 5 of this file"
    names: set[str]
    emails: set[str]
    linkedin: str | None
    company: str | None = None
    title: str | None = None
    present: set[str] = field(default_factory=set)  # front-matter keys with a value
    date_labels: set[str] | None = field(default_factory=set)  # None: `dates` is unusable
    pending: Action | None = None  # the create action, for a contact of this import


def email_key(email: str) -> str:
    return re.sub(r"^mailto:", "", email.strip(), flags=re.IGNORECASE).casefold()


def linkedin_key(url: str | None) -> str | None:
    """``https://de.linkedin.com/in/Alex-Chen/?trk=x`` -> ``linkedin.com/in/alex-chen``."""
    if not url or not url.strip():
        return None
    text = re.sub(r"^[a-z]+://", "", url.strip().casefold())
    text = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
    return re.sub(r"^(?:[a-z]{2,3}|www)\.linkedin\.com", "linkedin.com", text)


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def known_contacts(index: Index) -> list[Known]:
    """Every contact of the (up-to-date) index, as matching sees it."""
    out = []
    for c in index.stored_contacts():
        front = c.fields
        present = {k for k, v in front.items() if _filled(v)}
        present |= {"email"} if "emails" in present else set()
        present |= {"aliases"} if "alias" in present else set()
        dates = front.get("dates")
        out.append(
            Known(
                name=c.name,
                label=c.path,
                names={fold(n) for n in [c.name, *c.aliases] if n.strip()},
                emails={email_key(e) for e in c.emails},
                linkedin=linkedin_key(c.linkedin),
                company=c.company,
                title=c.title,
                present=present,
                date_labels={fold(str(k)) for k in dates}
                if isinstance(dates, dict)
                else (set() if dates is None else None),
            )
        )
    return out


def note_fields(rec: Incoming) -> dict[str, Any]:
    """The front matter of a new note for ``rec``, in the order ``vaultnet add`` writes."""
    out: dict[str, Any] = {
        "name": rec.name,
        "aliases": rec.aliases,
        "kind": rec.kind,
        "company": rec.company,
        "title": rec.title,
        "email": rec.emails[0] if len(rec.emails) == 1 else rec.emails,
        "phone": rec.phones[0] if len(rec.phones) == 1 else rec.phones,
        "linkedin": rec.linkedin,
        "website": rec.website,
        "location": rec.location,
        "birthday": _yearly_value(rec.birthday),
        "dates": {"anniversary": _yearly_value(rec.anniversary)} if rec.anniversary else None,
        "tags": rec.tags,
        "connected_on": rec.connected_on,
    }
    return {k: v for k, v in out.items() if _filled(v)}


def _yearly_value(yd: Any) -> date | str | None:
    if yd is None:
        return None
    return date(yd.year, yd.month, yd.day) if yd.year else str(yd)


class _Registry:
    """Known contacts looked up by email, LinkedIn URL and folded name."""

    def __init__(self, known: list[Known]):
        self.by_email: dict[str, list[Known]] = defaultdict(list)
        self.by_url: dict[str, list[Known]] = defaultdict(list)
        self.by_name: dict[str, list[Known]] = defaultdict(list)
        for k in known:
            self.add(k)

    def add(self, k: Known) -> None:
        for e in k.emails:
            self._put(self.by_email[e], k)
        if k.linkedin:
            self._put(self.by_url[k.linkedin], k)
        for n in k.names:
            self._put(self.by_name[n], k)

    @staticmethod
    def _put(bucket: list[Known], k: Known) -> None:
        if not any(other is k for other in bucket):
            bucket.append(k)

    def match(self, rec: Incoming) -> tuple[list[Known], str]:
        found: list[Known] = []
        for e in rec.emails:
            found += [k for k in self.by_email.get(email_key(e), []) if k not in found]
        if found:
            return found, "same email"
        url = linkedin_key(rec.linkedin)
        if url and self.by_url.get(url):
            return list(self.by_url[url]), "same LinkedIn URL"
        for n in {fold(x) for x in [rec.name, *rec.aliases] if x.strip()}:
            for k in self.by_name.get(n, []):
                namesake = k.pending is not None or (url and k.linkedin and k.linkedin != url)
                if not namesake and k not in found:
                    found.append(k)
        return found, "same name"


def plan(records: list[Incoming], known: list[Known], merge: bool) -> list[Action]:
    """One action per record, in order; later records see what earlier ones create."""
    registry = _Registry(known)
    actions = []
    for rec in records:
        matches, how = registry.match(rec)
        if not matches:
            namesakes = registry.by_name.get(fold(rec.name), [])
            reason = "new contact"
            if namesakes:
                reason += f" (same name as {namesakes[0].label}: an alias tells them apart)"
            action = Action("create", rec, reason)
            registry.add(
                Known(
                    name=rec.name,
                    label=f"{rec.where} of this file",
                    names={fold(n) for n in [rec.name, *rec.aliases]},
                    emails={email_key(e) for e in rec.emails},
                    linkedin=linkedin_key(rec.linkedin),
                    pending=action,
                )
            )
        elif len(matches) > 1:
            labels = ", ".join(k.label for k in matches[:5])
            action = Action("skip", rec, f"{how} as {len(matches)} contacts ({labels}): which one?")
        elif matches[0].pending is not None:
            action = _duplicate_in_file(rec, matches[0], how, merge, registry)
        else:
            action = _existing(rec, matches[0], how, merge, registry)
        actions.append(action)
    return actions


def _duplicate_in_file(
    rec: Incoming, target: Known, how: str, merge: bool, registry: _Registry
) -> Action:
    reason = f"{how} as {target.label}"
    pending = target.pending
    assert pending is not None
    if merge:
        filled = _fill_missing(pending.record, rec)
        if filled:
            target.emails |= {email_key(e) for e in pending.record.emails}
            target.linkedin = linkedin_key(pending.record.linkedin)
            registry.add(target)
            reason += f"; its {', '.join(filled)} added to that new contact"
    return Action("skip", rec, reason)


def _fill_missing(into: Incoming, other: Incoming) -> list[str]:
    """Copy the fields ``into`` lacks from ``other``; the names of those copied."""
    filled = []
    for f in fields(Incoming):
        if f.name in ("where", "name"):
            continue
        if not _filled(getattr(into, f.name)) and _filled(getattr(other, f.name)):
            value = getattr(other, f.name)
            setattr(into, f.name, list(value) if isinstance(value, list) else value)
            filled.append(f.name)
    return filled


def _existing(rec: Incoming, target: Known, how: str, merge: bool, registry: _Registry) -> Action:
    reason = f"{how} as {target.label}"
    job = job_change(target, rec)
    adds = _missing(note_fields(rec), target)
    if job is not None:
        adds = [k for k in adds if k not in ("company", "title")]
    if not merge:
        if adds:
            reason += f"; --merge would add {', '.join(adds)}"
        return Action("skip", rec, reason, target.label, [], job)
    if not adds and job is None:
        return Action("skip", rec, reason + "; nothing new", target.label)
    # Later records of this file see the contact as the merge leaves it.
    target.present |= set(adds)
    if "dates" in adds and target.date_labels is not None:
        target.date_labels.add("anniversary")
    if "email" in adds:
        target.emails |= {email_key(e) for e in rec.emails}
    if "linkedin" in adds:
        target.linkedin = linkedin_key(rec.linkedin)
    if job is not None:
        target.company, target.title = job.new_company, job.new_title
    registry.add(target)
    detail = [f"adds {', '.join(adds)}"] if adds else []
    detail += ["job change"] if job else []
    return Action("merge", rec, f"{reason}; {', '.join(detail)}", target.label, adds, job)


def _missing(new: dict[str, Any], target: Known) -> list[str]:
    out = []
    for key in new:
        if key == "name":
            continue
        if key == "dates":
            if target.date_labels is not None and "anniversary" not in target.date_labels:
                out.append(key)
        elif key not in target.present:
            out.append(key)
    return out


def job_change(target: Known, rec: Incoming) -> JobChange | None:
    """A different company or title than the note says (both sides must say one)."""
    company_moved = bool(rec.company and target.company) and fold(rec.company or "") != fold(
        target.company or ""
    )
    title_moved = bool(rec.title and target.title) and fold(rec.title or "") != fold(
        target.title or ""
    )
    if not (company_moved or title_moved):
        return None
    new_company = rec.company or target.company
    # A new employer without a known title: the old title does not come along.
    new_title = rec.title or (None if company_moved else target.title)
    return JobChange(target.name, target.company, target.title, new_company, new_title)


def with_options(records: list[Incoming], kind: str | None, tags: list[str]) -> list[Incoming]:
    """The records with ``--kind`` set and ``--tag`` values added."""
    out = []
    for rec in records:
        have = {x.casefold() for x in rec.tags}
        extra = [t.lstrip("#") for t in tags if t.lstrip("#").casefold() not in have]
        out.append(replace(rec, kind=kind or rec.kind, tags=[*rec.tags, *extra]))
    return out
