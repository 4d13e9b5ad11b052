"""The graphs the heuristic works on: the problem with its ``together`` groups contracted
(:func:`contract`), and smaller graphs of it by heavy-edge matching (:func:`coarsen`, the
coarsening phase of multilevel partitioning: Karypis & Kumar 1998).

Every coarse node keeps what the constraints need (its size, the required labels it holds,
the people of each current unit in it, its pin and its ``apart`` groups), so that a feasible
partition of a coarse graph projects to a feasible partition of the finer one.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from orglens.optimize.feasible import together_groups
from orglens.optimize.problem import Constraints, Graph

__all__ = ["Level", "coarsen", "contract"]


@dataclass(frozen=True, eq=False)
class Level:
    """One graph of the multilevel hierarchy, nodes numbered ``0 .. n-1``.

    ``nbrs[v]`` / ``wts[v]``: v's neighbours and the weights to them (both directions listed);
    ``size``; ``labels[v]``: the indices (into ``Constraints.require``) of the required labels
    v holds; ``units[v]``: current unit → people of it in v (``None`` when moves cost nothing);
    ``fixed[v]``: the team v is pinned to, or -1; ``apart_of[v]``: the ``apart`` groups v is in
    (indices into ``Constraints.apart``).
    """

    nbrs: list[list[int]]
    wts: list[list[float]]
    size: list[float]
    labels: list[tuple[int, ...]]
    units: list[dict[int, int]] | None
    fixed: list[int]
    apart_of: list[tuple[int, ...]]

    @property
    def n(self) -> int:
        return len(self.size)


def contract(graph: Graph, constraints: Constraints) -> tuple[Level, list[int]]:
    """The problem as a :class:`Level` with each ``together`` group one node, and the node of
    each of ``graph``'s nodes in it."""
    parent = list(together_groups(graph, constraints))
    count = max(parent) + 1 if parent else 0
    size = [0.0] * count
    for node, group in enumerate(parent):
        size[group] += graph.size[node]
    labels: list[set[int]] = [set() for _ in range(count)]
    if constraints.require:
        for node, held in enumerate(graph.labels):
            for index, label in enumerate(constraints.require):
                if label in held:
                    labels[parent[node]].add(index)
    units: list[dict[int, int]] | None = None
    if constraints.move_cost > 0 and graph.unit:
        units = [{} for _ in range(count)]
        for node, unit in enumerate(graph.unit):
            if unit is not None:
                per = units[parent[node]]
                per[unit] = per.get(unit, 0) + 1
    fixed = [-1] * count
    for node, team in constraints.fixed.items():
        fixed[parent[node]] = team
    apart_of: list[set[int]] = [set() for _ in range(count)]
    for index, members in enumerate(constraints.apart):
        for node in members:
            apart_of[parent[node]].add(index)
    edges: dict[tuple[int, int], float] = {}
    for i, j, weight in graph.edges:
        a, b = parent[i], parent[j]
        if a != b:
            key = (a, b) if a < b else (b, a)
            edges[key] = edges.get(key, 0.0) + weight
    nbrs, wts = _adjacency(count, edges)
    level = Level(
        nbrs=nbrs,
        wts=wts,
        size=size,
        labels=[tuple(sorted(held)) for held in labels],
        units=units,
        fixed=fixed,
        apart_of=[tuple(sorted(groups)) for groups in apart_of],
    )
    return level, parent


def coarsen(
    level: Level, constraints: Constraints, teams: int, rng: random.Random
) -> tuple[Level, list[int]]:
    """A coarser graph by heavy-edge matching, and each node's coarse node.

    Nodes are visited in random order; each unmatched node is matched with the unmatched
    neighbour of the highest ``weight² / (size × size)`` (heavy edges, small nodes first)
    with which it may share a team: their size together at most half a team's maximum (so that
    teams can still be packed), not pinned to different teams, in no common ``apart`` group,
    and not the last holders of a required label (at least ``2 × teams`` stay).
    """
    cap = _merge_cap(level, constraints, teams)
    holders = [0] * len(constraints.require)
    for held in level.labels:
        for label in held:
            holders[label] += 1
    match = [-1] * level.n
    order = list(range(level.n))
    rng.shuffle(order)
    for v in order:
        if match[v] != -1:
            continue
        best, best_rating = v, 0.0
        for u, weight in zip(level.nbrs[v], level.wts[v], strict=True):
            if match[u] != -1 or not _mergeable(level, v, u, cap, holders, teams):
                continue
            rating = weight * weight / (level.size[v] * level.size[u] or 1.0)
            if rating > best_rating:
                best, best_rating = u, rating
        match[v] = best
        match[best] = v
        if best != v:
            for label in set(level.labels[v]) & set(level.labels[best]):
                holders[label] -= 1
    parent = [-1] * level.n
    count = 0
    for v in range(level.n):
        if parent[v] == -1:
            parent[v] = parent[match[v]] = count
            count += 1
    return _merge(level, parent, count), parent


def _merge_cap(level: Level, constraints: Constraints, teams: int) -> float:
    largest = max(level.size, default=1.0)
    if constraints.max_size < math.inf:
        return max(largest, constraints.max_size / 2)
    return max(largest, sum(level.size) / (2 * max(teams, 1)))


def _mergeable(level: Level, v: int, u: int, cap: float, holders: list[int], teams: int) -> bool:
    if level.size[v] + level.size[u] > cap:
        return False
    if level.fixed[v] != -1 and level.fixed[u] != -1 and level.fixed[v] != level.fixed[u]:
        return False
    if level.apart_of[v] and set(level.apart_of[v]) & set(level.apart_of[u]):
        return False
    return all(holders[label] > 2 * teams for label in set(level.labels[v]) & set(level.labels[u]))


def _merge(level: Level, parent: list[int], count: int) -> Level:
    size = [0.0] * count
    labels: list[set[int]] = [set() for _ in range(count)]
    units: list[dict[int, int]] | None = None if level.units is None else [{} for _ in range(count)]
    fixed = [-1] * count
    apart_of: list[set[int]] = [set() for _ in range(count)]
    edges: dict[tuple[int, int], float] = {}
    for v in range(level.n):
        c = parent[v]
        size[c] += level.size[v]
        labels[c].update(level.labels[v])
        if units is not None and level.units is not None:
            per = units[c]
            for unit, people in level.units[v].items():
                per[unit] = per.get(unit, 0) + people
        if level.fixed[v] != -1:
            fixed[c] = level.fixed[v]
        apart_of[c].update(level.apart_of[v])
        for u, weight in zip(level.nbrs[v], level.wts[v], strict=True):
            d = parent[u]
            if c < d:
                edges[(c, d)] = edges.get((c, d), 0.0) + weight
    nbrs, wts = _adjacency(count, edges)
    return Level(
        nbrs=nbrs,
        wts=wts,
        size=size,
        labels=[tuple(sorted(held)) for held in labels],
        units=units,
        fixed=fixed,
        apart_of=[tuple(sorted(groups)) for groups in apart_of],
    )


def _adjacency(
    count: int, edges: dict[tuple[int, int], float]
) -> tuple[list[list[int]], list[list[float]]]:
    nbrs: list[list[int]] = [[] for _ in range(count)]
    wts: list[list[float]] = [[] for _ in range(count)]
    for (a, b), weight in edges.items():
        nbrs[a].append(b)
        wts[a].append(weight)
        nbrs[b].append(a)
        wts[b].append(weight)
    return nbrs, wts
