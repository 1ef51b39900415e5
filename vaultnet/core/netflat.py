"""``network`` without its map, in flat memory: the insights of ``core.network.analyse`` (the
same results, in the same orders) from columns of plain arrays, a contact a row.

At 50k contacts the analysis held every contact as a ``Contact``, the graph as a dict a node
and the walk's marks as dicts: some 150 MiB. Here a contact is its rank by path (the
numbering of ``app.network``), what the analysis reads of it is a few arrays, the graph a
``reach.Flat``, and only the contacts the report prints become ``Contact`` objects, at the
end (``network``): the ranks first (``analyse_flat``), then the report (``Ranked.network``).

Every ordering of ``analyse`` that breaks ties by ``(fold(name), path)`` breaks them here by
``namerank``, the position in that order; ``analyse`` lists in name order where it keeps
the order of its contacts.
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from vaultnet.core.model import Contact
from vaultnet.core.names import fold as fold_text
from vaultnet.core.network import (
    RECENT_DAYS,
    REGULAR,
    Bridge,
    CoMentions,
    Composition,
    Dormant,
    Introducer,
    KindShare,
    Network,
    _name_key,
    bridge_words,
    fold,
    span_words,
)
from vaultnet.core.reach import Flat, flat_component, flat_cut_off, flat_graph, marks


class Ranks:
    """Contact id -> rank (``Columns.add``) in an array by id (ids are note row ids: at
    most a few times as many as the contacts): a dict of them held 5 MiB at 50k."""

    def __init__(self) -> None:
        self._at = array("i")

    def __setitem__(self, cid: int, rank: int) -> None:
        if cid >= len(self._at):
            self._at.extend(array("i", [-1]) * (cid + 1 - len(self._at) + len(self._at) // 2))
        self._at[cid] = rank

    def get(self, cid: int, /) -> int | None:
        rank = self._at[cid] if 0 <= cid < len(self._at) else -1
        return None if rank < 0 else rank

    def __getitem__(self, cid: int) -> int:
        rank = self.get(cid)
        if rank is None:
            raise KeyError(cid)
        return rank


@dataclass
class Columns:
    """What the analysis reads of each contact, by rank (the order of ``add``: by path)."""

    ids: array[int] = field(default_factory=lambda: array("q"))  # the contact's id
    active: bytearray = field(default_factory=bytearray)
    shown: bytearray = field(default_factory=bytearray)  # ``wanted``: listed in the results
    kind: array[int] = field(default_factory=lambda: array("i"))  # into ``kinds``
    kinds: list[str | None] = field(default_factory=list)  # stripped and lower-cased
    company: array[int] = field(default_factory=lambda: array("i"))  # into ``companies``, -1
    companies: list[str] = field(default_factory=list)  # as written (never empty)
    last: array[int] = field(default_factory=lambda: array("i"))  # ordinal of last contact, 0
    days: array[int] = field(default_factory=lambda: array("i"))  # days of interaction
    folded: list[str] = field(default_factory=list)  # folded names, until ``rank_names``
    namerank: array[int] = field(default_factory=lambda: array("i"))
    byname: array[int] = field(default_factory=lambda: array("i"))  # ranks in name order
    introduced_by: list[tuple[int, str]] = field(default_factory=list)  # (rank, name key)
    introduced_to: list[tuple[int, list[str]]] = field(default_factory=list)  # name keys
    _kind_at: dict[str | None, int] = field(default_factory=dict)
    _company_at: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        cid: int,
        name: str,
        kind: str | None,
        company: str | None,
        introduced_by: str | None,
        active: bool,
        front: str,
        shown: bool,
    ) -> int:
        """The next contact (its last contact and days are set later), its rank: what
        ``Contact`` says of it, ``front`` its ``fields_json`` (or ``{}``: only the key
        ``introduced_to`` is read of it)."""
        rank = len(self.ids)
        self.ids.append(cid)
        self.active.append(active)
        self.shown.append(shown)
        if kind is not None:
            kind = kind.strip().lower() or None
        at = self._kind_at.get(kind)
        if at is None:
            at = self._kind_at[kind] = len(self.kinds)
            self.kinds.append(kind)
        self.kind.append(at)
        if company:
            at = self._company_at.get(company)
            if at is None:
                at = self._company_at[company] = len(self.companies)
                self.companies.append(company)
            self.company.append(at)
        else:
            self.company.append(-1)
        self.last.append(0)
        self.days.append(0)
        self.folded.append(fold_text(name))
        if introduced_by:
            self.introduced_by.append((rank, _name_key(introduced_by)))
        if '"introduced_to"' in front:
            to = _introduced_keys(front)
            if to:
                self.introduced_to.append((rank, to))
        return rank

    def rank_names(self) -> None:
        """``namerank`` and ``byname`` from the folded names (then dropped): by folded name,
        then by path (the rank: a stable sort keeps it)."""
        self.byname = array("i", sorted(range(len(self.folded)), key=self.folded.__getitem__))
        self.namerank = array("i", bytes(4 * len(self.byname)))
        for position, rank in enumerate(self.byname):
            self.namerank[rank] = position
        self.folded = []

    def wanted_keys(self) -> set[str]:
        """The name keys the introductions look up (whose owners ``analyse_flat`` needs)."""
        out = {key for _r, key in self.introduced_by if key}
        out.update(key for _r, keys in self.introduced_to for key in keys if key)
        return out


def _introduced_keys(front: str) -> list[str]:
    """The name keys of a contact's ``introduced_to`` (``core.network._introduced_to``,
    resolved later), from its front matter as JSON."""
    value: Any = json.loads(front).get("introduced_to")
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [_name_key(text) for text in texts if isinstance(text, str)]


@dataclass
class Ranked:
    """The results by rank: what ``Ranked.network`` turns into a ``Network``."""

    today: date
    dormant_days: int
    composition: Composition
    dormant: list[tuple[int, int, int, str]]  # (rank, interactions, silent days, text)
    bridges: list[tuple[int, int, list[int], list[str], str]]  # (rank, n, reached, groups, text)
    introducers: list[tuple[int, list[int]]]
    introduced_by_you: list[tuple[int, list[int]]]

    def printed(self) -> set[int]:
        """Every rank the report names."""
        out = {r for r, *_ in self.dormant}
        for r, _n, reached, _g, _t in self.bridges:
            out.add(r)
            out.update(reached)
        for r, people in (*self.introducers, *self.introduced_by_you):
            out.add(r)
            out.update(people)
        return out

    def network(self, contact: Callable[[int], Contact]) -> Network:
        """The report, each rank ``contact(rank)``."""
        return Network(
            today=self.today,
            dormant_days=self.dormant_days,
            composition=self.composition,
            dormant=[Dormant(contact(r), n, s, t) for r, n, s, t in self.dormant],
            bridges=[
                Bridge(contact(r), n, [contact(p) for p in reached], groups, text)
                for r, n, reached, groups, text in self.bridges
            ],
            introducers=[
                Introducer(contact(r), [contact(p) for p in people])
                for r, people in self.introducers
            ],
            introduced_by_you=[
                Introducer(contact(r), [contact(p) for p in people])
                for r, people in self.introduced_by_you
            ],
        )


def analyse_flat(
    cols: Columns, pairs: CoMentions, keys: Mapping[str, int], today: date, dormant_days: int
) -> Ranked:
    """``core.network.analyse`` without the map, by rank (``cols.rank_names`` done; ``pairs``
    numbered by rank; ``keys``: the rank of the contact that alone owns each of
    ``cols.wanted_keys()``, as ``core.network.contact_keys`` has it)."""
    company_key = [fold(c) for c in cols.companies]
    graph, introduced, mine = _graph(cols, pairs, keys, company_key)
    n = len(cols.ids)
    t = today.toordinal()
    circle = circle_ranks(cols, today, dormant_days)
    name = cols.namerank.__getitem__
    shown = cols.shown
    dormant = []
    for r in range(n):
        days, last = cols.days[r], cols.last[r]
        if cols.active[r] and days >= REGULAR and last and t - last > dormant_days:
            silent = t - last
            text = f"dormant tie: {days} interactions, silent for {span_words(silent)}"
            dormant.append((r, days, silent, text))
    dormant.sort(key=lambda d: (-d[1], d[2], name(d[0])))
    bridges = _bridges(cols, graph, set(circle), company_key)
    for people in introduced.values():
        people.sort(key=name)
    intros = sorted(introduced.items(), key=lambda i: (-len(i[1]), name(i[0])))
    mine.sort(key=lambda i: name(i[0]))
    return Ranked(
        today,
        dormant_days,
        _composition(cols, today, company_key),
        [d for d in dormant if shown[d[0]]],
        [b for b in bridges if shown[b[0]]],
        [i for i in intros if shown[i[0]]],
        [i for i in mine if shown[i[0]]],
    )


def circle_ranks(cols: Columns, today: date, dormant_days: int) -> list[int]:
    """The user's circle (``core.network._in_circle``), by rank: active, at least
    ``REGULAR`` days of interaction, the last within ``dormant_days``."""
    t = today.toordinal()
    return [
        r
        for r in range(len(cols.ids))
        if cols.active[r]
        and cols.days[r] >= REGULAR
        and cols.last[r]
        and t - cols.last[r] <= dormant_days
    ]


def _graph(
    cols: Columns, pairs: CoMentions, keys: Mapping[str, int], company_key: list[str]
) -> tuple[Flat, dict[int, list[int]], list[tuple[int, list[int]]]]:
    """``core.network.build_graph`` (contacts, then a node a company) with the
    introductions: (introducer -> the people, in no order; (contact, introduced to))."""
    n = len(cols.ids)
    a, b = array("i"), array("i")
    for x, y, _days, _last in pairs:
        a.append(x)
        b.append(y)
    introduced: dict[int, list[int]] = defaultdict(list)
    for rank, key in cols.introduced_by:
        intro = keys.get(key)
        if intro is not None and intro != rank:
            a.append(rank)
            b.append(intro)
            introduced[intro].append(rank)
    mine: list[tuple[int, list[int]]] = []
    for rank, names in cols.introduced_to:
        to: list[int] = []
        for key in names:
            other = keys.get(key)
            if other is not None and other != rank and other not in to:
                to.append(other)
                a.append(rank)
                b.append(other)
        if to:
            mine.append((rank, to))
    hubs: dict[str, int] = {}
    for rank, at in enumerate(cols.company):
        if at >= 0 and company_key[at]:
            a.append(rank)
            b.append(n + hubs.setdefault(company_key[at], len(hubs)))
    return flat_graph(n + len(hubs), a, b), introduced, mine


def _bridges(
    cols: Columns, graph: Flat, circle: set[int], company_key: list[str]
) -> list[tuple[int, int, list[int], list[str], str]]:
    """``core.network.weak_bridges`` by rank."""
    n = len(cols.ids)
    order, separated = flat_cut_off(graph, circle)
    core = marks(graph.size + 1, order)
    days, active, name = cols.days, cols.active, cols.namerank.__getitem__
    candidates = [
        r for r in range(n) if active[r] and r not in circle and (days[r] > 0 or cols.last[r])
    ]
    candidates.sort(key=lambda r: (-days[r], -graph.degree(r), name(r)))
    seen_outside = bytearray(n)
    found = []
    for c in candidates:
        cut: Iterable[int]
        if core[c]:
            spans = separated.get(c)
            if spans is None:
                continue  # no cut point: the circle reaches everyone around them anyway
            cut = {c}.union(*(order[lo:hi] for lo, hi in spans))
        else:
            if seen_outside[c]:
                continue  # a part the circle does not reach: its strongest weak tie leads there
            cut = flat_component(graph, c)
            for v in cut:
                if v < n:
                    seen_outside[v] = 1
        reached = sorted((v for v in cut if v < n and v != c and active[v]), key=name)
        if reached:
            groups = _groups(cols, reached, company_key)
            found.append((c, days[c], reached, groups, bridge_words(len(reached), groups)))
    found.sort(key=lambda f: (-len(f[2]), -f[1], name(f[0])))
    return found


def _groups(cols: Columns, people: Iterable[int], company_key: list[str]) -> list[str]:
    """``core.network._groups`` by rank (``people`` in name order)."""
    spelled: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for p in people:
        at = cols.company[p]
        if at >= 0 and company_key[at]:
            spelled.setdefault(company_key[at], cols.companies[at].strip())
            counts[company_key[at]] += 1
    return [spelled[k] for k, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _composition(cols: Columns, today: date, company_key: list[str]) -> Composition:
    """``core.network.composition`` of the active contacts shown."""
    recent = (today - timedelta(days=RECENT_DAYS)).toordinal()
    year = (today - timedelta(days=365)).toordinal()
    kinds: dict[int, list[int]] = {}
    spelled: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for r in cols.byname:
        if not (cols.active[r] and cols.shown[r]):
            continue
        total += 1
        share = kinds.setdefault(cols.kind[r], [0, 0, 0])
        share[0] += 1
        last = cols.last[r]
        share[1] += bool(last and last >= recent)
        share[2] += bool(last and last >= year)
        at = cols.company[r]
        if at >= 0:
            spelled[company_key[at]] = cols.companies[at].strip()  # the last by name
            if company_key[at]:
                counts[company_key[at]] += 1
    shares = [KindShare(cols.kinds[k], *share) for k, share in kinds.items()]
    shares.sort(key=lambda s: (-s.count, s.kind is None, s.kind or ""))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    no_company = total - sum(counts.values())
    return Composition(total, shares, [(spelled[k], m) for k, m in ranked], no_company)
