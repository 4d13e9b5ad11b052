"""Thebeau's (2001) DSM clustering, the organizational-DSM baseline of bench/optimize.py.

Implemented from the description in R. E. Thebeau, *Knowledge management of system interfaces
and interactions for product development processes*, MIT SDM thesis, 2001 (after Fernandez,
1998): every element starts in a cluster of its own; an element picked at random receives a
bid from every cluster it interacts with, ``(interactions with the cluster's members) ** pow_dep
/ (cluster size) ** pow_bid`` (a cluster at its maximum size does not bid); the element goes to
the highest bidder, or to the second highest one time in ``rand_bid``; the move is kept when
the total coordination cost does not rise, and one time in ``rand_accept`` even when it does
(simulated-annealing-like). The coordination cost of a clustering is

    Σ over interacting pairs inside a cluster  (DSM_ij + DSM_ji) · (cluster size) ** pow_cc
  + Σ over interacting pairs in no cluster     (DSM_ij + DSM_ji) · (DSM size) ** pow_cc.

After ``times × N`` picks the system is checked: when the best cost seen did not improve for
``stable_limit`` checks in a row the pass ends; when it ends above the best state kept before
an uphill move, the search returns to that state and runs again, at most ``max_repeat`` passes.

Our adaptations, so that the result is a set of teams comparable with the other solvers':

- a *partition*: the element leaves its cluster for the winning one (Thebeau's code adds it to
  the winning cluster and keeps it in its old one unless that becomes a subset of another, so
  its clusters may overlap);
- node sizes: a cluster does not bid when the element would take its total node size over
  ``max_size`` (Thebeau's ``max_cluster_size``, which counts elements); sizes in the cost and
  the bids count elements, as in the thesis;
- the cost is updated per move in time proportional to the element's interactions (the
  original recomputes it over the whole matrix), which changes the speed, not the result;
- the best state seen is returned (the better of the current state and the state kept before
  the last uphill move that improved it).

Defaults are those of Thebeau's example run script: ``pow_cc = 2``, ``pow_bid = 2``,
``pow_dep = 4``, ``rand_accept = rand_bid = 2 × N``, ``times = 2``, ``stable_limit = 2``, 10
passes at most. The algorithm knows neither a number of teams nor a minimum size.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from orglens.optimize import Graph

__all__ = ["Clustering", "Parameters", "best_of", "cluster", "coordination_cost"]


@dataclass(frozen=True)
class Parameters:
    """The algorithm's control parameters (``None``: 2 × the number of elements)."""

    pow_cc: float = 2.0
    pow_bid: float = 2.0
    pow_dep: float = 4.0
    rand_accept: float | None = None
    rand_bid: float | None = None
    times: int = 2
    stable_limit: int = 2
    max_repeat: int = 10
    max_size: float = math.inf


@dataclass(frozen=True)
class Clustering:
    """One run's answer: ``assignment[i]`` is element ``i``'s cluster (0, 1, ... in order of
    first appearance), its coordination ``cost``, the ``seed``, the ``seconds`` it took, how
    many bids were taken (``picks``) and how many ``passes`` it ran."""

    assignment: tuple[int, ...]
    cost: float
    seed: int
    seconds: float
    picks: int
    passes: int

    @property
    def clusters(self) -> int:
        return len(set(self.assignment))


def _relabel(assignment: Sequence[int]) -> tuple[int, ...]:
    labels: dict[int, int] = {}
    return tuple(labels.setdefault(c, len(labels)) for c in assignment)


def coordination_cost(graph: Graph, assignment: Sequence[int], pow_cc: float = 2.0) -> float:
    """Thebeau's coordination cost of a partition (see the module documentation).

    Two clusters {0, 1} and {2}, one edge of weight 3 inside, one of weight 2 across:
    3 · 2² + 2 · 3² = 30.

    >>> graph = Graph(nodes=("a", "b", "c"), size=(1.0,) * 3, edges=((0, 1, 3.0), (1, 2, 2.0)))
    >>> coordination_cost(graph, (0, 0, 1))
    30.0
    """
    count = len(graph.nodes)
    members: dict[int, int] = {}
    for c in assignment:
        members[c] = members.get(c, 0) + 1
    cost = 0.0
    for i, j, w in graph.edges:
        if assignment[i] == assignment[j]:
            cost += w * members[assignment[i]] ** pow_cc
        else:
            cost += w * count**pow_cc
    return cost


def cluster(graph: Graph, parameters: Parameters = Parameters(), *, seed: int = 0) -> Clustering:
    """One run of the clustering from singletons, reproducible for a given ``seed``.

    >>> graph = Graph(
    ...     nodes=tuple("abcdef"), size=(1.0,) * 6,
    ...     edges=((0, 1, 5.0), (0, 2, 5.0), (1, 2, 5.0), (3, 4, 5.0), (3, 5, 5.0), (4, 5, 5.0),
    ...            (2, 3, 1.0)))
    >>> cluster(graph, Parameters(max_size=3), seed=1).assignment
    (0, 0, 0, 1, 1, 1)
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    count = len(graph.nodes)
    rand_accept = parameters.rand_accept or 2.0 * count
    rand_bid = parameters.rand_bid or 2.0 * count
    neighbours: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    for i, j, w in graph.edges:
        neighbours[i].append((j, w))
        neighbours[j].append((i, w))
    size = graph.size
    # Powers of cluster sizes, looked up rather than computed.
    cc = [float(k) ** parameters.pow_cc for k in range(count + 2)]
    bid_power = [float(k) ** parameters.pow_bid for k in range(count + 2)]
    outside = float(count) ** parameters.pow_cc
    pow_dep = parameters.pow_dep
    max_size = parameters.max_size

    team = list(range(count))
    members = [1] * count
    load = list(size)
    inside = [0.0] * count  # weight of the edges inside each cluster
    cost = graph.total_weight * outside
    best_cost = cost
    kept: tuple[list[int], list[int], list[float], list[float], float] | None = None
    picks = passes = 0

    def restore(state: tuple[list[int], list[int], list[float], list[float], float]) -> float:
        team[:], members[:], load[:], inside[:] = state[0], state[1], state[2], state[3]
        return state[4]

    while True:
        passes += 1
        stable = 0
        while stable < parameters.stable_limit:
            improved = False
            for _ in range(parameters.times * count):
                picks += 1
                element = rng.randrange(count)
                own = team[element]
                link: dict[int, float] = {}
                for other, w in neighbours[element]:
                    c = team[other]
                    link[c] = link.get(c, 0.0) + w
                best_bid = second_bid = 0.0
                best_at = second_at = -1
                for c, interaction in link.items():
                    if c != own and load[c] + size[element] > max_size + 1e-9:
                        continue
                    offer = interaction**pow_dep / bid_power[members[c]]
                    if offer > best_bid:
                        second_bid, second_at = best_bid, best_at
                        best_bid, best_at = offer, c
                    elif second_bid < offer < best_bid:
                        second_bid, second_at = offer, c
                target = best_at
                if rng.random() * rand_bid < 1.0:  # the second best bid, one time in rand_bid
                    target = second_at
                if target < 0 or target == own:
                    continue
                to_own, to_target = link.get(own, 0.0), link[target]
                here, there = members[own], members[target]
                delta = (
                    (inside[own] - to_own) * cc[here - 1]
                    - inside[own] * cc[here]
                    + (inside[target] + to_target) * cc[there + 1]
                    - inside[target] * cc[there]
                    + (to_own - to_target) * outside
                )
                if delta > 0:
                    if rng.random() * rand_accept >= 1.0:
                        continue
                    if kept is None or cost < kept[4]:  # keep the state before going uphill
                        kept = (list(team), list(members), list(load), list(inside), cost)
                team[element] = target
                members[own] -= 1
                members[target] += 1
                load[own] -= size[element]
                load[target] += size[element]
                inside[own] -= to_own
                inside[target] += to_target
                cost += delta
                if cost < best_cost - 1e-9 * abs(best_cost):
                    best_cost = cost
                    improved = True
            stable = 0 if improved else stable + 1
        if kept is None or cost <= kept[4] or passes >= parameters.max_repeat:
            break
        cost = restore(kept)
    if kept is not None and kept[4] < cost:
        cost = restore(kept)
    assignment = _relabel(team)
    return Clustering(
        assignment=assignment,
        cost=coordination_cost(graph, assignment, parameters.pow_cc),
        seed=seed,
        seconds=time.perf_counter() - started,
        picks=picks,
        passes=passes,
    )


def best_of(
    graph: Graph, parameters: Parameters = Parameters(), *, runs: int = 5, seed: int = 0
) -> tuple[Clustering, float]:
    """The lowest-cost clustering of ``runs`` runs (seeds ``seed``, ``seed + 1``, ...) and the
    seconds all the runs took together."""
    found = [cluster(graph, parameters, seed=seed + run) for run in range(runs)]
    return min(found, key=lambda result: (result.cost, result.seed)), sum(
        result.seconds for result in found
    )
