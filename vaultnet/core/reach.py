"""Who reaches whom: a graph in plain dicts, its parts, and who reaches whom only through one
person (the cut points, in one walk)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

Node = int | tuple[str, str]  # a contact id, or ("company", folded name) for a company


@dataclass
class Graph:
    """Nodes with their neighbours, each in the order it was added, and every edge once, in
    the order it was added: the order the clustering sees (its result depends on it)."""

    adj: dict[Node, dict[Node, int]] = field(default_factory=dict)  # neighbour -> days met
    edges: list[tuple[Node, Node]] = field(default_factory=list)
    keep_edges: bool = True  # False: ``edges`` stays empty (only the clustering reads it)

    def join(self, a: Node, b: Node, days: int) -> None:
        """An edge between ``a`` and ``b`` (both already nodes), ``days`` more days met."""
        known = self.adj[a].get(b)
        if known is None:
            if self.keep_edges:
                self.edges.append((a, b))
            known = 0
        self.adj[a][b] = self.adj[b][a] = known + days


def component(adj: Mapping[Node, Iterable[Node]], start: Node) -> set[Node]:
    """Every node ``start`` reaches, itself included."""
    seen = {start}
    todo = [start]
    while todo:
        for w in adj[todo.pop()]:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def cut_off(
    adj: Mapping[Any, Iterable[Any]], me: Any, circle: Iterable[Any]
) -> tuple[list[Any], dict[Any, list[tuple[int, int]]]]:
    """What ``me`` (joined to everyone in ``circle``) reaches, in depth-first
    order, and for each cut point the spans of that order it alone leads to: without it,
    those people are out of reach. One walk (Hopcroft-Tarjan), for every contact at once.

    ``adj``: each node's neighbours (``me`` is not one of its nodes); it is not changed."""
    mine = sorted(circle)
    joined = set(mine)

    def neighbours(v: Any) -> Iterator[Any]:
        if v == me:
            return iter(mine)
        return chain(adj[v], (me,)) if v in joined else iter(adj[v])

    disc: dict[Any, int] = {me: 0}
    low: dict[Any, int] = {me: 0}
    parent: dict[Any, Any] = {me: None}
    order: list[Any] = [me]
    separated: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    stack = [(me, neighbours(me))]
    while stack:
        v, nbrs = stack[-1]
        for w in nbrs:
            if w not in disc:
                disc[w] = low[w] = len(order)
                order.append(w)
                parent[w] = v
                stack.append((w, neighbours(w)))
                break
            if w != parent[v] and disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            p = parent[v]
            if p is None:
                continue
            if low[v] < low[p]:
                low[p] = low[v]
            if low[v] >= disc[p] and p != me:
                separated[p].append((disc[v], len(order)))
    return order, dict(separated)
