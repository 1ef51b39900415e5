"""What an import does to each incoming contact: create, merge or skip. No I/O but the
index read by ``known_contacts``.

Matching, strongest key first: the same email (case-insensitive), then the same LinkedIn
profile URL (scheme, ``www.``, country subdomain, query and trailing slash ignored), then
the same name or alias (``names.match_key``: case, accents, apostrophes, dashes and
LinkedIn's decorations do not count). A name match is ruled out when both sides have a
LinkedIn URL and the URLs differ: those are two people. A name is weak evidence: when it
is all that matches and the record works elsewhere (another company, and not the same
title), it is only a *possible match*, left alone unless ``--trust-names``.

Within one file, a later row matches a contact an earlier row creates by email or URL
only, not by name: an export lists each person once, so two rows with the same name are
namesakes and both are created (``Alex Chen.md``, ``Alex Chen 2.md``). A later row with
the same email or URL is the same person: what it adds is merged into the new contact.
Importing the file again matches each row to its note by email or URL; namesakes with
neither are ambiguous then, and skipped, so a second import creates nothing.

A job change is proposed only by a source at least as recent as the one the note's
position came from (``position_from: linkedin 2026-11-20``, written with every company
and title an import sets), so an old phone export never undoes what LinkedIn said.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from vaultnet.core.incoming import Action, Incoming, JobChange, split_name
from vaultnet.core.names import fold, match_key
from vaultnet.store.index import Index

_POSITION_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*$")


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
    phones: set[str] = field(default_factory=set)  # phone_key of each number
    position_from: str | None = None  # where the note's company and title came from

    @property
    def position_as_of(self) -> date | None:
        m = _POSITION_DATE.search(self.position_from or "")
        if m is None:
            return None
        try:
            return date.fromisoformat(m.group(1))
        except ValueError:
            return None


def email_key(email: str) -> str:
    return re.sub(r"^mailto:", "", email.strip(), flags=re.IGNORECASE).casefold()


def linkedin_key(url: str | None) -> str | None:
    """``https://de.linkedin.com/in/Alex-Chen/?trk=x`` -> ``linkedin.com/in/alex-chen``."""
    if not url or not url.strip():
        return None
    text = re.sub(r"^[a-z]+://", "", url.strip().casefold())
    text = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
    return re.sub(r"^(?:[a-z]{2,3}|www)\.linkedin\.com", "linkedin.com", text)


def phone_key(number: str) -> str:
    """A phone number as compared: its last nine digits (``+44 20 7946 0018`` and
    ``020 7946 0018`` are one number)."""
    digits = re.sub(r"\D", "", number)
    return digits[-9:] if len(digits) >= 9 else digits or number.strip().casefold()


# The lists a merge extends (rather than only fills): field -> how items compare.
LIST_KEYS = {"email": email_key, "phone": phone_key, "aliases": match_key}


def new_items(key: str, current: list[str], incoming: list[str]) -> list[str]:
    """The items of ``incoming`` that ``current`` lacks, compared as ``LIST_KEYS`` says."""
    compare = LIST_KEYS[key]
    seen = {compare(c) for c in current}
    out = []
    for item in incoming:
        k = compare(item)
        if item.strip() and k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


# Front-matter key an import writes -> the attribute of the contact that holds that field.
_SPELLED = {
    "email": "emails", "aliases": "aliases", "phone": "phone", "company": "company",
    "title": "title", "kind": "kind", "linkedin": "linkedin", "location": "location",
    "birthday": "birthday", "work_anniversary": "work_anniversary", "tags": "tags",
}  # fmt: skip


def known_contacts(index: Index) -> list[Known]:
    """Every contact of the (up-to-date) index, as matching sees it."""
    out = []
    for c in index.stored_contacts():
        front = c.fields
        present = {k for k, v in front.items() if _filled(v)}
        # The fields the note has under any spelling (`Email`, `org`, `bday`...).
        present |= {key for key, attr in _SPELLED.items() if _filled(getattr(c, attr))}
        dates = front.get("dates")
        source = front.get("position_from")
        out.append(
            Known(
                name=c.name,
                label=c.path,
                names={match_key(n) for n in [c.name, *c.aliases] if n.strip()},
                emails={email_key(e) for e in c.emails},
                linkedin=linkedin_key(c.linkedin),
                company=c.company,
                title=c.title,
                present=present,
                date_labels={fold(str(k)) for k in dates}
                if isinstance(dates, dict)
                else (set() if dates is None else None),
                phones={phone_key(p) for p in (c.phone or "").split(", ") if p.strip()},
                position_from=source if isinstance(source, str) else None,
            )
        )
    return out


def note_fields(rec: Incoming) -> dict[str, Any]:
    """The front matter of a new note for ``rec``, in the order ``vaultnet add`` writes.

    ``first_name``/``last_name`` only when the source's split of the name is not the one
    ``split_name`` would guess (``de Graaff`` is guessed right); ``phone_types`` maps a
    number to its kind (``cell``, ``work fax``); ``position_from`` says which source and
    day the company and title are from."""
    guess_given, guess_family = split_name(rec.name)
    given = family = None
    if (rec.family and rec.family != guess_family) or (rec.given and rec.given != guess_given):
        given, family = rec.given, rec.family
    position = bool(rec.company or rec.title) and bool(rec.source and rec.as_of)
    out: dict[str, Any] = {
        "name": rec.name,
        "first_name": given,
        "last_name": family,
        "aliases": rec.aliases,
        "kind": rec.kind,
        "company": rec.company,
        "title": rec.title,
        "position_from": f"{rec.source} {rec.as_of}" if position else None,
        "email": rec.emails[0] if len(rec.emails) == 1 else rec.emails,
        "phone": rec.phones[0] if len(rec.phones) == 1 else rec.phones,
        "phone_types": {n: t for n, t in rec.phone_types.items() if n in rec.phones},
        "linkedin": rec.linkedin,
        "website": rec.website,
        "location": rec.location,
        "birthday": _yearly_value(rec.birthday),
        "work_anniversary": _yearly_value(rec.work_anniversary),
        "dates": {k: _yearly_value(v) for k, v in rec.dates.items()},
        "cadence": rec.cadence,
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
        for n in {match_key(x) for x in [rec.name, *rec.aliases] if x.strip()}:
            for k in self.by_name.get(n, []):
                namesake = k.pending is not None or (url and k.linkedin and k.linkedin != url)
                if not namesake and k not in found:
                    found.append(k)
        return found, "same name"


def plan(
    records: list[Incoming], known: list[Known], merge: bool, trust_names: bool = False
) -> list[Action]:
    """One action per record, in order; later records see what earlier ones create."""
    registry = _Registry(known)
    actions = []
    for rec in records:
        matches, how = registry.match(rec)
        if not matches:
            namesakes = registry.by_name.get(match_key(rec.name), [])
            reason = "new contact"
            if namesakes:
                reason += f" (same name as {namesakes[0].label}: an alias tells them apart)"
            action = Action("create", rec, reason)
            registry.add(
                Known(
                    name=rec.name,
                    label=f"{rec.where} of this file",
                    names={match_key(n) for n in [rec.name, *rec.aliases]},
                    emails={email_key(e) for e in rec.emails},
                    linkedin=linkedin_key(rec.linkedin),
                    pending=action,
                )
            )
        elif len(matches) > 1:
            labels = ", ".join(k.label for k in matches[:5])
            action = Action("skip", rec, f"{how} as {len(matches)} contacts ({labels}): which one?")
        elif matches[0].pending is not None:
            action = _duplicate_in_file(rec, matches[0], how, registry)
        elif how == "same name" and not trust_names and _works_elsewhere(matches[0], rec):
            target = matches[0]
            action = Action(
                "skip",
                rec,
                f"possible match: same name as {target.label}, but"
                f" {_position(rec)} rather than {_position(target)}; nothing changed"
                " (--trust-names to treat them as one person, or an email or LinkedIn URL in"
                " the note to tell them apart)",
                target.label,
            )
        else:
            action = _existing(rec, matches[0], how, merge, registry)
        actions.append(action)
    return actions


def _position(who: Known | Incoming) -> str:
    return " at ".join(x for x in (who.title, who.company) if x) or "no position"


def _works_elsewhere(target: Known, rec: Incoming) -> bool:
    """Whether the record names another company (and not the same title) than the note."""
    if not (rec.company and target.company) or match_key(rec.company) == match_key(target.company):
        return False
    return not (rec.title and target.title and match_key(rec.title) == match_key(target.title))


def _duplicate_in_file(rec: Incoming, target: Known, how: str, registry: _Registry) -> Action:
    """A second entry for a contact this file creates: what it adds goes into the first."""
    reason = f"{how} as {target.label}"
    pending = target.pending
    assert pending is not None
    filled = _fill_missing(pending.record, rec)
    if filled:
        target.emails |= {email_key(e) for e in pending.record.emails}
        target.linkedin = linkedin_key(pending.record.linkedin)
        target.names |= {match_key(n) for n in pending.record.aliases}
        registry.add(target)
        reason += f"; its {', '.join(filled)} added to that new contact"
    else:
        reason += "; nothing new"
    return Action("skip", rec, reason)


_UNIONS = {"emails": "email", "phones": "phone", "aliases": "aliases"}


def _fill_missing(into: Incoming, other: Incoming) -> list[str]:
    """Copy into ``into`` what it lacks from ``other``: empty fields, and the new items of
    its lists (emails, phones, aliases: ``other``'s name too, when it differs, and tags);
    the names of the fields that gained something."""
    filled = []
    for f in fields(Incoming):
        if f.name in ("where", "name", "source", "as_of"):
            continue
        mine, theirs = getattr(into, f.name), getattr(other, f.name)
        if f.name in _UNIONS:
            extra = [other.name] if f.name == "aliases" else []
            current = [into.name, *mine] if f.name == "aliases" else mine
            added = new_items(_UNIONS[f.name], current, [*extra, *theirs])
            mine.extend(added)
        elif isinstance(mine, (list, dict)):
            added = [k for k in theirs if k not in mine]
            for k in added:
                if isinstance(mine, list):
                    mine.append(k)
                else:
                    mine[k] = theirs[k]
        else:
            added = [theirs] if not _filled(mine) and _filled(theirs) else []
            if added:
                setattr(into, f.name, theirs)
        if added:
            filled.append(f.name)
    return filled


def _existing(rec: Incoming, target: Known, how: str, merge: bool, registry: _Registry) -> Action:
    reason = f"{how} as {target.label}"
    job = job_change(target, rec)
    if job is not None and _older(rec, target):
        reason += (
            f"; its position ({_position(rec)}, {rec.source} {rec.as_of}) is older than the"
            f" note's ({target.position_from}): kept the note's"
        )
        job = None
    adds = _missing(rec, note_fields(rec), target)
    if job is not None or _older(rec, target):
        adds = [k for k in adds if k not in ("company", "title", "position_from")]
    if not merge:
        if adds:
            reason += f"; --merge would add {', '.join(adds)}"
        return Action("skip", rec, reason, target.label, [], job)
    if not adds and job is None:
        return Action("skip", rec, reason + "; nothing new", target.label)
    _update(target, rec, adds, job)
    registry.add(target)
    detail = [f"adds {', '.join(adds)}"] if adds else []
    detail += ["job change"] if job else []
    return Action("merge", rec, f"{reason}; {', '.join(detail)}", target.label, adds, job)


def _update(target: Known, rec: Incoming, adds: list[str], job: JobChange | None) -> None:
    """The contact as the merge leaves it, for the later records of this file to see."""
    target.present |= set(adds)
    if "dates" in adds and target.date_labels is not None:
        target.date_labels |= {fold(k) for k in rec.dates}
    target.emails |= {email_key(e) for e in rec.emails}
    target.phones |= {phone_key(p) for p in rec.phones}
    if "aliases" in adds:
        target.names |= {match_key(n) for n in [rec.name, *rec.aliases]}
    if "linkedin" in adds:
        target.linkedin = linkedin_key(rec.linkedin)
    if job is not None:
        target.company, target.title = job.new_company, job.new_title
    if job is not None or "position_from" in adds:
        target.position_from = f"{rec.source} {rec.as_of}"


def _older(rec: Incoming, target: Known) -> bool:
    """Whether the record's position is older than the one the note has."""
    theirs = target.position_as_of
    return theirs is not None and rec.as_of is not None and rec.as_of < theirs


def _missing(rec: Incoming, new: dict[str, Any], target: Known) -> list[str]:
    """The keys a merge of ``rec`` adds to ``target``: keys it lacks, new labels of
    `dates`, and new emails, phones and names (as aliases)."""
    out = []
    for key in new:
        if key in ("name", "first_name", "last_name"):
            continue
        if key == "dates":
            labels = {fold(k) for k in rec.dates}
            if target.date_labels is not None and labels - target.date_labels:
                out.append(key)
        elif key == "position_from":
            if {"company", "title"} & set(out) and target.position_from is None:
                out.append(key)
        elif (
            key not in target.present
            or (key == "email" and {email_key(e) for e in rec.emails} - target.emails)
            or (key == "phone" and {phone_key(p) for p in rec.phones} - target.phones)
            or (key == "aliases" and {match_key(n) for n in rec.aliases} - target.names)
        ):
            out.append(key)
    if "aliases" not in out and match_key(rec.name) not in target.names:
        out.append("aliases")  # matched by email or URL under another name
    return out


def job_change(target: Known, rec: Incoming) -> JobChange | None:
    """A different company or title than the note says (both sides must say one)."""
    company_moved = bool(rec.company and target.company) and match_key(
        rec.company or ""
    ) != match_key(target.company or "")
    title_moved = bool(rec.title and target.title) and match_key(rec.title or "") != match_key(
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
