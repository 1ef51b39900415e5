"""Network insights: the shape of the network, dormant ties, weak ties that bridge, introducers.

Pure: contacts, interaction counts, co-mentions and today in; plain results out.

The graph (plain dicts): a node per contact; an edge joins two contacts met together (one dated
note or one log entry links both) or introduced one to the other (``introduced_by``, or
``introduced_to`` for introductions the user made). People who share a company are joined through
a node for the company (the same reach as an edge between every pair, without n² edges).

The user's circle: active contacts with at least ``REGULAR`` days of interaction, the last
within ``dormant_days``. A weak tie (an active contact outside the circle whom the user has
talked to) bridges to the people the circle reaches only through them: those cut off from the
user when the weak tie is taken out of the graph with the user joined to the circle.

Only the map (``with_map``, for the note) is clustered: networkx's seeded Louvain method, run
on lists (``core.louvain``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from vaultnet.core.links import link_keys, note_name
from vaultnet.core.model import Contact
from vaultnet.core.names import fold as fold_text
from vaultnet.core.reach import Graph, component, cut_off

REGULAR = 3  # days of interaction that make a tie regular ("several interactions")
RECENT_DAYS = 90
MAX_NODES = 36  # the Mermaid map, the user included: a few dozen stays readable
PER_CLUSTER = 6
SHOWN_BRIDGES = 3
SHOWN_REACHED = 3
SHOWN_DORMANT = 3
ME = "me"
fold = lru_cache(maxsize=1 << 16)(fold_text)  # each name and company is folded a few times

Interactions = Mapping[int, tuple[int, str, str]]  # id -> (days, first, last), as the index says
CoMentions = Iterable[tuple[int, int, int, str]]  # (a, b, days, last day)


@dataclass(frozen=True)
class KindShare:
    kind: str | None
    count: int
    last_90_days: int
    last_year: int


@dataclass(frozen=True)
class Composition:
    total: int
    kinds: list[KindShare]
    companies: list[tuple[str, int]]  # most people first
    no_company: int


@dataclass(frozen=True)
class Dormant:
    contact: Contact
    interactions: int
    silent_days: int
    text: str


@dataclass(frozen=True)
class Bridge:
    contact: Contact
    interactions: int
    reached: list[Contact]
    groups: list[str]  # companies of the reached people, most people first
    text: str


@dataclass(frozen=True)
class Introducer:
    contact: Contact
    introduced: list[Contact]


@dataclass(frozen=True)
class MapNode:
    id: str  # a safe identifier: "me" or "n<number>"
    contact: Contact | None  # None for the user
    role: str  # "me", "circle", "bridge", "reached", "dormant"
    cluster: int | None  # index into Map.clusters


@dataclass(frozen=True)
class Map:
    """What the Mermaid graph shows, chosen to stay within ``MAX_NODES``."""

    nodes: list[MapNode]
    clusters: list[str]
    edges: list[tuple[str, str, str]]  # (from id, to id, style: "strong", "weak", "through", "met")
    unsettled: bool = False  # the clustering went on without end: none (core.louvain)


@dataclass
class Network:
    today: date
    dormant_days: int
    composition: Composition
    dormant: list[Dormant] = field(default_factory=list)
    bridges: list[Bridge] = field(default_factory=list)
    introducers: list[Introducer] = field(default_factory=list)
    introduced_by_you: list[Introducer] = field(default_factory=list)
    map: Map = field(default_factory=lambda: Map([], [], []))


def analyse(
    contacts: Sequence[Contact],
    interactions: Interactions,
    co_mentions: CoMentions,
    today: date,
    dormant_days: int = 365,
    wanted: Callable[[Contact], bool] | None = None,
    max_nodes: int = MAX_NODES,
    with_map: bool = True,
) -> Network:
    """Every insight at once. The graph is always the whole vault; ``wanted`` (e.g. a kind or
    tag filter) only decides which contacts the results list. Without ``with_map``, the map
    (and its clustering, most of the cost) is left empty."""
    show = wanted or (lambda c: True)
    by_id = {c.id: c for c in contacts}
    days = {cid: interactions[cid][0] for cid in by_id if cid in interactions}
    keys = contact_keys(contacts)
    graph = build_graph(contacts, co_mentions, keys, order=with_map)
    del co_mentions  # (some 10^5 tuples at 10k contacts: not held through the clustering)
    circle = {c.id for c in contacts if _in_circle(c, days.get(c.id, 0), today, dormant_days)}
    dormant = dormant_ties(contacts, days, today, dormant_days)
    bridges = weak_bridges(graph, by_id, days, circle)
    intros, mine = introductions(contacts, keys)
    net = Network(
        today=today,
        dormant_days=dormant_days,
        composition=composition([c for c in contacts if c.active and show(c)], today),
        dormant=[d for d in dormant if show(d.contact)],
        bridges=[b for b in bridges if show(b.contact)],
        introducers=[i for i in intros if show(i.contact)],
        introduced_by_you=[i for i in mine if show(i.contact)],
    )
    if with_map:
        strength = {cid: tie_strength(n, by_id[cid].last_contact, today) for cid, n in days.items()}
        net.map = choose_map(graph, by_id, strength, circle, net, show, max_nodes)
    return net


# -- the graph ---------------------------------------------------------------------------------
def build_graph(
    contacts: Sequence[Contact], pairs: CoMentions, keys: Mapping[str, int], order: bool = True
) -> Graph:
    """Contacts (int ids) and companies (``("company", folded name)``) joined as the vault says
    (``pairs``: co-mentions; ``keys``: ``contact_keys(contacts)``). Without ``order``, the pairs
    are taken as they come and no edge list is kept: the same reach, but no clustering."""
    graph = Graph({cid: {} for cid in sorted(c.id for c in contacts)}, keep_edges=order)
    adj, edges = graph.adj, graph.edges
    for a, b, n, _last in sorted(pairs) if order else pairs:
        if a != b and a in adj and b in adj:
            if b in adj[a] or not order:
                graph.join(a, b, n)
            else:  # the usual case, inline: a pair comes once from the index
                adj[a][b] = adj[b][a] = n
                edges.append((a, b))
    for c in contacts:
        intro = keys.get(_name_key(c.introduced_by)) if c.introduced_by else None
        if intro is not None and intro != c.id:
            graph.join(c.id, intro, 1)
        for other in _introduced_to(c, keys):
            graph.join(c.id, other, 1)
    for key, members in sorted(_companies(contacts).items()):
        hub = ("company", key)
        adj[hub] = {}
        for m in sorted(members):
            graph.join(hub, m, 0)
    return graph


def _companies(contacts: Iterable[Contact]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for c in contacts:
        if c.company and fold(c.company):
            out[fold(c.company)].append(c.id)
    return out


def contact_keys(contacts: Iterable[Contact]) -> dict[str, int]:
    """Folded name, alias and file name -> contact id; a key two contacts share resolves to none."""
    owners: dict[str, int | None] = {}
    for c in contacts:
        for key in map(fold, (c.name, note_name(c.path), *c.aliases)):
            if key and owners.setdefault(key, c.id) != c.id:
                owners[key] = None  # a second contact: it names neither
    return {k: cid for k, cid in owners.items() if cid is not None}


def _name_key(text: str | None) -> str:
    """``Ana``, ``[[People/Ana|Ana]]`` -> the folded key of the note it names."""
    text = (text or "").strip()
    if "[[" in text:
        found = link_keys(text, "")
        return found[0] if found else ""
    return fold(text)


def _introduced_to(c: Contact, keys: Mapping[str, int]) -> list[int]:
    """Contacts the user introduced ``c`` to: the note's ``introduced_to`` list."""
    if '"introduced_to"' not in c.fields_json:
        return []  # most contacts: their front matter is not decoded for nothing
    value: Any = c.fields.get("introduced_to")
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    out = []
    for text in texts:
        if isinstance(text, str):
            key = keys.get(_name_key(text))
            if key is not None and key != c.id and key not in out:
                out.append(key)
    return out


# -- ties -----------------------------------------------------------------------------------------
def tie_strength(interaction_days: int, last: date | None, today: date) -> float:
    """How often, discounted by how long ago: the strength halves with each year of silence."""
    if last is None:
        return float(interaction_days)
    return float(interaction_days * 0.5 ** (max(0, (today - last).days) / 365))


def _in_circle(c: Contact, n: int, today: date, dormant_days: int) -> bool:
    return (
        c.active
        and n >= REGULAR
        and c.last_contact is not None
        and (today - c.last_contact).days <= dormant_days
    )


def dormant_ties(
    contacts: Iterable[Contact], days: Mapping[int, int], today: date, dormant_days: int
) -> list[Dormant]:
    """Once-regular ties silent for more than ``dormant_days``, strongest first."""
    out = []
    for c in contacts:
        n = days.get(c.id, 0)
        if not c.active or n < REGULAR or c.last_contact is None:
            continue
        silent = (today - c.last_contact).days
        if silent > dormant_days:
            text = f"dormant tie: {n} interactions, silent for {span_words(silent)}"
            out.append(Dormant(c, n, silent, text))
    out.sort(key=lambda d: (-d.interactions, d.silent_days, fold(d.contact.name), d.contact.path))
    return out


def span_words(days: int) -> str:
    """``2 years``, ``1 year``, ``7 months``, ``12 days``: a long silence, roughly."""
    for unit, size in (("year", 365), ("month", 30)):
        if days >= size:
            n = days // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def weak_bridges(
    graph: Graph, by_id: Mapping[int, Contact], days: Mapping[int, int], circle: set[int]
) -> list[Bridge]:
    """Weak ties ranked by how many people the user reaches only through them."""
    adj = graph.adj
    order, separated = cut_off(adj, ME, circle)
    core = set(order)
    candidates = [
        c
        for c in by_id.values()
        if c.active and c.id not in circle and (days.get(c.id, 0) > 0 or c.last_contact)
    ]
    candidates.sort(key=lambda c: (-days.get(c.id, 0), -len(adj[c.id]), fold(c.name), c.path))
    seen_outside: set[int] = set()
    found = []
    for c in candidates:
        if c.id in core:
            if c.id not in separated:
                continue  # no cut point: the circle reaches everyone around them anyway
            cut = {c.id}.union(*(order[lo:hi] for lo, hi in separated[c.id]))
        else:
            if c.id in seen_outside:
                continue  # a part the circle does not reach: its strongest weak tie leads there
            cut = component(adj, c.id)
            seen_outside.update(n for n in cut if isinstance(n, int))
        reached = sorted(
            (by_id[n] for n in cut if isinstance(n, int) and n != c.id and by_id[n].active),
            key=lambda r: (fold(r.name), r.path),
        )
        if reached:
            groups = _groups(reached)
            found.append(
                Bridge(c, days.get(c.id, 0), reached, groups, bridge_words(len(reached), groups))
            )
    found.sort(
        key=lambda b: (-len(b.reached), -b.interactions, fold(b.contact.name), b.contact.path)
    )
    return found


def _groups(people: Iterable[Contact]) -> list[str]:
    spelled: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for p in people:
        if p.company and fold(p.company):
            spelled.setdefault(fold(p.company), p.company.strip())
            counts[fold(p.company)] += 1
    return [spelled[k] for k, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def bridge_words(reached: int, groups: Sequence[str]) -> str:
    who = f"{reached} {'person' if reached == 1 else 'people'} you reach only through them"
    if not groups:
        return f"bridge to {who}"
    named = ", ".join(groups[:2]) + (f" and {len(groups) - 2} more" if len(groups) > 2 else "")
    return f"bridge to {named} ({who})"


# -- composition and introductions ---------------------------------------------------------------
def composition(contacts: Sequence[Contact], today: date) -> Composition:
    """Contacts by kind (with the share contacted lately) and by company."""
    recent, year = today - timedelta(days=RECENT_DAYS), today - timedelta(days=365)
    kinds: dict[str | None, list[Contact]] = defaultdict(list)
    for c in contacts:
        kinds[c.kind.strip().lower() if c.kind and c.kind.strip() else None].append(c)
    shares = [
        KindShare(
            kind,
            len(people),
            sum(1 for c in people if c.last_contact and c.last_contact >= recent),
            sum(1 for c in people if c.last_contact and c.last_contact >= year),
        )
        for kind, people in kinds.items()
    ]
    shares.sort(key=lambda s: (-s.count, s.kind is None, s.kind or ""))
    companies = _companies(contacts)
    spelled = {fold(c.company): c.company.strip() for c in contacts if c.company}
    ranked = sorted(companies.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    no_company = len(contacts) - sum(len(m) for m in companies.values())
    return Composition(len(contacts), shares, [(spelled[k], len(m)) for k, m in ranked], no_company)


def introductions(
    contacts: Sequence[Contact], keys: Mapping[str, int]
) -> tuple[list[Introducer], list[Introducer]]:
    """(who introduced the user to whom, most first; whom the user introduced to whom);
    ``keys``: ``contact_keys(contacts)``."""
    by_id = {c.id: c for c in contacts}
    introduced: dict[int, list[Contact]] = defaultdict(list)
    mine: list[Introducer] = []
    for c in contacts:
        intro = keys.get(_name_key(c.introduced_by)) if c.introduced_by else None
        if intro is not None and intro != c.id:
            introduced[intro].append(c)
        to = _introduced_to(c, keys)
        if to:
            mine.append(Introducer(c, [by_id[i] for i in to]))
    ranked = [Introducer(by_id[i], people) for i, people in introduced.items()]
    ranked.sort(key=lambda i: (-len(i.introduced), fold(i.contact.name), i.contact.path))
    return ranked, mine


def reconnect(network: Network, n: int, skip: set[int]) -> list[tuple[Contact, str, str]]:
    """The top ``n`` ties worth reviving, dormant and bridging in turn: (contact, "dormant" or
    "bridge", why). Contacts in ``skip`` (those with another reason already) are left out."""
    queues: list[list[tuple[Contact, str, str]]] = [
        [(d.contact, "dormant", d.text) for d in network.dormant],
        [(b.contact, "bridge", b.text) for b in network.bridges],
    ]
    out: list[tuple[Contact, str, str]] = []
    taken = set(skip)
    while len(out) < n and any(queues):
        for queue in queues:
            while queue and queue[0][0].id in taken:
                queue.pop(0)
            if queue and len(out) < n:
                item = queue.pop(0)
                taken.add(item[0].id)
                out.append(item)
    return out


# -- the map -------------------------------------------------------------------------------------
def choose_map(
    graph: Graph,
    by_id: Mapping[int, Contact],
    strength: Mapping[int, float],
    circle: set[int],
    net: Network,
    show: Callable[[Contact], bool],
    max_nodes: int = MAX_NODES,
) -> Map:
    """The user, the strongest clusters of the circle, the top bridges with a few of the people
    they lead to, and the strongest dormant ties: at most ``max_nodes`` nodes."""
    role: dict[int, str] = {}

    def add(cid: int, what: str) -> None:
        if cid not in role and len(role) < max_nodes - 1 and show(by_id[cid]):
            role[cid] = what

    for b in net.bridges[:SHOWN_BRIDGES]:
        add(b.contact.id, "bridge")
        for r in sorted(b.reached, key=lambda r: -strength.get(r.id, 0.0))[:SHOWN_REACHED]:
            add(r.id, "reached")
    for d in net.dormant[:SHOWN_DORMANT]:
        add(d.contact.id, "dormant")
    from vaultnet.core.louvain import clusters  # for the map alone

    communities = clusters(graph, circle, strength)
    unsettled, communities = communities is None, communities or []
    for members in communities:
        for cid in members[:PER_CLUSTER]:
            add(cid, "circle")
    cluster_of = {cid: i for i, members in enumerate(communities) for cid in members}
    shown = [i for i in range(len(communities)) if sum(cluster_of.get(c) == i for c in role) > 1]
    labels = [_cluster_label([by_id[c] for c in communities[i]], i) for i in shown]
    index = {c: shown.index(cluster_of[c]) for c in role if cluster_of.get(c) in shown}
    for b in net.bridges[:SHOWN_BRIDGES]:
        # The people a bridge leads to sit together, named after where they are.
        led = [r.id for r in b.reached if role.get(r.id) == "reached" and r.id not in index]
        if led:
            labels.append(b.groups[0] if b.groups else f"via {b.contact.name}")
            index.update((cid, len(labels) - 1) for cid in led)
    ids = {cid: f"n{k}" for k, cid in enumerate(role, 1)}
    nodes = [MapNode(ME, None, "me", None)]
    nodes.extend(MapNode(ids[c], by_id[c], role[c], index.get(c)) for c in role)
    edges = _map_edges(graph, role, ids, strength, circle, net, max_nodes * 2)
    return Map(nodes, labels, edges, unsettled)


def _cluster_label(members: Sequence[Contact], i: int) -> str:
    groups = _groups(members)
    top = sum(1 for m in members if m.company and groups and fold(m.company) == fold(groups[0]))
    if groups and top == len(members):
        return groups[0]
    if groups and top * 2 > len(members):
        return f"{groups[0]} and others"
    return f"Cluster {i + 1}"


def _map_edges(
    graph: Graph,
    role: Mapping[int, str],
    ids: Mapping[int, str],
    strength: Mapping[int, float],
    circle: set[int],
    net: Network,
    limit: int,
) -> list[tuple[str, str, str]]:
    edges = [
        (ME, ids[c], "strong" if c in circle else "weak")
        for c in role
        if role[c] != "reached" and (strength.get(c, 0.0) > 0 or role[c] in ("bridge", "dormant"))
    ]
    drawn = set()
    for b in net.bridges[:SHOWN_BRIDGES]:
        for r in b.reached:
            if b.contact.id in role and r.id in role:
                edges.append((ids[b.contact.id], ids[r.id], "through"))
                drawn.add(frozenset((b.contact.id, r.id)))
    met = sorted(
        (-graph.adj[a][b], ids[min(a, b)], ids[max(a, b)])
        for a, b in graph.edges
        if isinstance(a, int)
        and isinstance(b, int)  # no company
        and a in role
        and b in role
        and frozenset((a, b)) not in drawn
    )
    edges.extend((a, b, "met") for _d, a, b in met)
    return edges[: max(limit, len(role))]
