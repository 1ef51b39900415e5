"""What ``network`` reads (``app.network``): interactions counted a contact, who met whom,
the notes too broad to tie anyone, and contacts with only the fields the analysis uses.
Part of ``store.index.Index``, beside ``store.queries``."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterable, Iterator
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Protocol

from vaultnet.core.tuples import NamedTuple
from vaultnet.store.connection import Connection

# The model and the contacts' decoders load with the queries that build contacts.
if TYPE_CHECKING:
    from vaultnet.core.model import Contact


class InteractionCount(NamedTuple):
    days: int  # days with a log entry or a mention
    first: str
    last: str


class CoMention(NamedTuple):
    a: int  # contact ids, a < b
    b: int
    days: int
    last: str


class Numbers(Protocol):
    """Contact id -> its number, or None: a dict, or ``core.netflat.Ranks``."""

    def get(self, key: int, /) -> int | None: ...


class NetworkQueries(Connection):
    """The network's queries (see the module)."""

    def interaction_counts(self, today: date) -> dict[int, InteractionCount]:
        """contact id -> (days with a log entry or a mention, first such day, last such day),
        up to today. Several on one day count once."""
        rows = self.db.execute(_INTERACTION_COUNTS, {"today": today.isoformat()})
        return {cid: InteractionCount(days, first, last) for cid, days, first, last in rows}

    def interaction_columns(self, today: date) -> Iterator[tuple[int, int, str]]:
        """(contact id, days of ``interaction_counts``, the day of its latest interaction of
        any rank: ``Queries.last_contacts``'s, without how or where) up to today, of each id
        with an interaction up to today (a contact's, or one no longer a contact's), one
        at a time: one pass over interactions(contact_id, date, rank)."""
        return self.db.execute(_INTERACTION_COLUMNS, {"today": today.isoformat()})

    def key_owner_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """Of these keys (folded names, aliases and file names), each that one contact alone
        owns -> that contact's id (``core.network.contact_keys``, for these keys only: a
        key two contacts share names neither). One seek a key in keys(key, note_id)."""
        rows = self.db.execute(
            "SELECT key, min(note_id) FROM keys WHERE key IN (SELECT value FROM json_each(?))"
            " GROUP BY key HAVING min(note_id) = max(note_id)",
            (json.dumps(sorted(keys)),),
        )
        return dict(rows)

    def co_mentions(
        self, today: date, broadcast: int | None = None, counted: bool = True
    ) -> list[CoMention]:
        """(contact a, contact b, days, last day) for each pair of contacts (a < b) that one dated
        note links, or that a contact's log entry links, up to today, by a then b. A note
        linking more than ``broadcast`` contacts ties no pair (see ``broadcast_notes``): its
        pairs would be quadratic in number and mean nothing (a holiday-card list). Without
        ``counted``, only the pairs (cheaper): each with 0 days and an empty last day."""
        if not counted:
            return list(map(CoMention._make, sorted(set(self._pairs(today, broadcast, None)))))
        cap = -1 if broadcast is None else broadcast
        rows = self.db.execute(_CO_MENTIONS, {"today": today.isoformat(), "cap": cap})
        return list(map(CoMention._make, rows))  # ids and counts come back as ints

    def co_mentions_numbered(
        self, today: date, numbers: Numbers, broadcast: int | None, counted: bool
    ) -> Iterable[tuple[int, int, int, str]]:
        """``co_mentions``, each contact named by its number in ``numbers`` (contact id ->
        number; pairs with anyone else are left out), a < b as numbered, in no set order,
        one at a time; without ``counted``, a pair once for each note or log entry that
        ties it (and no counts). Plain tuples: some 10^5 at 10k contacts."""
        if not counted:
            return self._pairs(today, broadcast, numbers)
        return self._counted(today, broadcast, numbers)

    def _counted(
        self, today: date, broadcast: int | None, numbers: Numbers
    ) -> Iterator[tuple[int, int, int, str]]:
        """``co_mentions_numbered`` with their counts, one at a time."""
        number = numbers.get
        cap = -1 if broadcast is None else broadcast
        for a, b, days, last in self.db.execute(
            _CO_MENTIONS, {"today": today.isoformat(), "cap": cap}
        ):
            x, y = number(a), number(b)
            if x is not None and y is not None:
                yield (x, y, days, last) if x < y else (y, x, days, last)

    def _pairs(
        self, today: date, broadcast: int | None, numbers: Numbers | None
    ) -> Iterator[tuple[int, int, int, str]]:
        """The pairs of ``co_mentions`` without their counts (as numbered), as each note and
        log entry ties them. Each note's people are paired here, from its mentions in note
        order: in SQL (a self-join, then a GROUP BY of every pair) it costs more, and a
        list of them (they are not deduplicated) held as much memory as the graph."""
        number: Callable[[int], int | None] = int if numbers is None else numbers.get
        cap = -1 if broadcast is None else broadcast
        params = {"today": today.isoformat()}
        for _note, rows in groupby(self.db.execute(_MENTIONED, params), itemgetter(0)):
            people = {cid for _n, cid in rows}
            if len(people) < 2 or 0 <= cap < len(people):
                continue  # a broadcast ties no pair: see broadcast_notes
            mine = sorted(x for x in map(number, people) if x is not None)
            for i, a in enumerate(mine):
                for b in mine[i + 1 :]:
                    yield a, b, 0, ""
        for a, b, _day in self.db.execute(_LOGGED_WITH, params):
            x, y = number(a), number(b)
            if x is not None and y is not None:
                yield (x, y, 0, "") if x < y else (y, x, 0, "")

    def broadcast_notes(self, broadcast: int) -> list[str]:
        """The dated notes that link more than ``broadcast`` contacts, by path."""
        rows = self.db.execute(
            _BROADCASTS + " SELECT path FROM notes WHERE id IN broad", {"cap": broadcast}
        )
        return sorted(r[0] for r in rows)

    def network_columns(
        self,
    ) -> Iterator[tuple[int, str, str | None, str | None, str | None, int, str]]:
        """What ``network_contacts`` gives of each contact that ``core.netflat.Columns.add``
        reads, as plain rows in path order: (id, name, kind, company, introduced_by,
        archived or deceased, front matter). No ``Contact`` is made, nor any list decoded."""
        return self.db.execute(
            "SELECT note_id, name, kind, company, introduced_by, archived OR deceased,"
            f" {_INTRODUCED_FRONT} FROM contacts ORDER BY path"
        )

    def network_contacts(self) -> Iterator[Contact]:
        """Every contact with only what ``network`` reads, in path order: name, aliases,
        kind, company, tags, introduced_by, archived and deceased, and the front matter
        only of the notes that say ``introduced_to`` (the others' stays ``{}``). Every
        other field keeps its default."""
        from vaultnet.core.model import Contact
        from vaultnet.store.contactrows import quick as _quick

        rows = self.db.execute(
            "SELECT note_id, path, name, aliases, kind, company, tags, introduced_by, archived,"
            f" deceased, {_INTRODUCED_FRONT} FROM contacts ORDER BY path"
        )
        texts = _quick(json.loads)
        for cid, path, name, aliases, kind, company, tags, by, archived, deceased, front in rows:
            yield Contact(
                id=cid,
                path=path,
                name=name,
                aliases=texts(aliases),
                kind=kind,
                company=company,
                tags=texts(tags),
                introduced_by=by,
                archived=bool(archived),
                deceased=bool(deceased),
                fields_json=front,
            )

    def printed_contacts(self, ids: Container[int]) -> Iterator[Contact]:
        """The contacts of ``ids`` with only what the report of ``network`` prints of them
        (name, path, kind, company; archived and deceased), in no set order: each a
        ``PrintedContact``, a kind or company many share one string (some 10^4 of them at
        50k contacts)."""
        from vaultnet.core.model import PrintedContact

        rows = self.db.execute(  # every row, read as it comes: no list of ids in SQL
            "SELECT note_id, path, name, kind, company, archived, deceased FROM contacts"
        )
        same: dict[str, str] = {}
        for cid, path, name, kind, company, archived, deceased in rows:
            if cid not in ids:
                continue
            yield PrintedContact(
                cid,
                path,
                name,
                None if kind is None else same.setdefault(kind, kind),
                None if company is None else same.setdefault(company, company),
                bool(archived),
                bool(deceased),
            )


# The front matter of a contact that says introduced_to (what network reads of it), else {}.
_INTRODUCED_FRONT = "CASE WHEN instr(fields, '\"introduced_to\"') THEN fields ELSE '{}' END"
# Days of interaction count log entries and mentions; the latest day counts the field too.
_INTERACTION_COLUMNS = """
SELECT contact_id, count(DISTINCT CASE WHEN rank > 1 THEN date END), max(date)
  FROM interactions WHERE date <= :today GROUP BY contact_id
"""
_INTERACTION_COUNTS = """
SELECT contact_id, count(DISTINCT date), min(date), max(date) FROM interactions
 WHERE rank > 1 AND date <= :today GROUP BY contact_id
"""

# The dated notes that link more than :cap contacts (none when :cap < 0): each counts as an
# interaction with each of them, but ties no pair. Only notes with more than :cap mentions
# are counted contact by contact.
_BROADCASTS = """
WITH many AS (
    SELECT note_id FROM interactions WHERE rank = 2 AND :cap >= 0
     GROUP BY note_id HAVING count(*) > :cap
), broad AS (
    SELECT m.note_id FROM many m JOIN notes n ON n.id = m.note_id WHERE n.date IS NOT NULL
       AND (SELECT count(DISTINCT contact_id) FROM interactions
             WHERE note_id = m.note_id AND rank = 2) > :cap
)"""


# Two contacts met together: both linked from one dated note, or one linked from a log entry
# in the other's note ("- 2026-03-02 Lunch with [[Bo]]"). A dated note's mentions are its
# rank-2 interactions (links resolved when stored): no join of links with keys here. Each
# contact counts once a note before the pairs are made, and a note up to today that links
# more than :cap contacts (a broadcast, as above) makes none.
_MENTIONED = """
SELECT i.note_id, i.contact_id FROM interactions i JOIN notes n ON n.id = i.note_id
 WHERE i.rank = 2 AND n.date IS NOT NULL AND n.date <= :today ORDER BY i.note_id
"""
# (the note's contact, the contact its log entry links, the entry's day): a seek in
# links(note_id, line) a log entry.
_LOGGED_WITH = """
SELECT l.note_id AS a, k.note_id AS b, l.date AS day FROM logs l
  JOIN links li ON li.note_id = l.note_id AND li.line = l.line JOIN keys k ON k.key = li.key
 WHERE l.date <= :today AND k.note_id != l.note_id
"""
_CO_MENTIONS = f"""
WITH seen AS (
    SELECT DISTINCT i.note_id, i.contact_id, n.date FROM interactions i
      JOIN notes n ON n.id = i.note_id
     WHERE i.rank = 2 AND n.date IS NOT NULL AND n.date <= :today
), met AS (
    SELECT * FROM seen WHERE :cap < 0 OR note_id NOT IN (
        SELECT note_id FROM seen GROUP BY note_id HAVING count(*) > :cap)
), pairs AS (
    SELECT x.contact_id AS a, y.contact_id AS b, x.date AS day FROM met x
      JOIN met y ON y.note_id = x.note_id AND x.contact_id < y.contact_id
    UNION ALL
    SELECT min(a, b), max(a, b), day FROM ({_LOGGED_WITH})
)
SELECT a, b, count(DISTINCT day), max(day) FROM pairs GROUP BY a, b ORDER BY a, b
"""
