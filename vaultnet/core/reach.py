"""Who reaches whom only through one person: the cut points of a graph, in one walk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any


def cut_off(
    graph: Any, me: Any, circle: Iterable[Any]
) -> tuple[list[Any], dict[Any, list[tuple[int, int]]]]:
    """What ``me`` (joined to everyone in ``circle``) reaches, in depth-first
    order, and for each cut point the spans of that order it alone leads to: without it,
    those people are out of reach. One walk (Hopcroft-Tarjan), for every contact at once."""
    adj: dict[Any, list[Any]] = {n: list(nbrs) for n, nbrs in graph.adjacency()}
    adj[me] = sorted(circle)
    for cid in adj[me]:
        adj[cid].append(me)
    disc: dict[Any, int] = {me: 0}
    low: dict[Any, int] = {me: 0}
    parent: dict[Any, Any] = {me: None}
    order: list[Any] = [me]
    separated: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    stack = [(me, iter(adj[me]))]
    while stack:
        v, nbrs = stack[-1]
        for w in nbrs:
            if w not in disc:
                disc[w] = low[w] = len(order)
                order.append(w)
                parent[w] = v
                stack.append((w, iter(adj[w])))
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
