"""A first assignment for the heuristic: greedy growth of teams along heavy edges."""

from __future__ import annotations

import heapq
import random

from orglens.optimize.coarsen import Level
from orglens.optimize.problem import Constraints

__all__ = ["greedy_start"]

#: Random draws for a seed away from the teams already started.
SEED_TRIES = 16


def greedy_start(
    level: Level,
    constraints: Constraints,
    teams: int,
    rng: random.Random,
    start: list[int] | None = None,
) -> list[int]:
    """Every node in one of ``teams`` teams, grown greedily: pinned nodes first, then one
    holder of each required label per team (scarcest label first), a random seed for each team
    still empty, then the unassigned node most connected to a team joins it (teams below the
    minimum size first), never above the maximum size or beside a node it must be apart from.
    Nodes no team reached go, largest first, where they fit best. Sizes below the minimum or
    labels missing are left for :func:`~orglens.optimize.repair.repair`. With ``start``, its
    teams (those in ``0 .. teams-1``, where they fit) are kept and the rest grown around them."""
    grow = _Growth(level, constraints, teams)
    for v, pinned in enumerate(level.fixed):
        if pinned != -1:
            grow.place(v, pinned)
    for v, t in enumerate(start or ()):
        if grow.team[v] == -1 and 0 <= t < teams and grow.fits(v, t):
            grow.place(v, t)
    grow.cover_labels(len(constraints.require), rng)
    for t in range(teams):
        if not grow.count[t]:
            grow.seed(t, rng)
    grow.spread(rng)
    for v in sorted(range(level.n), key=lambda v: -level.size[v]):
        if grow.team[v] == -1:
            grow.place(v, grow.best_team(v))
    return grow.team


class _Growth:
    def __init__(self, level: Level, constraints: Constraints, teams: int) -> None:
        self.level = level
        self.teams = teams
        self.min_size = constraints.min_size
        self.max_size = constraints.max_size + 1e-9
        self.team = [-1] * level.n
        self.size = [0.0] * teams
        self.count = [0] * teams
        self.labels = [[0] * len(constraints.require) for _ in range(teams)]
        self.apart: list[set[int]] = [set() for _ in constraints.apart]
        self.gain: list[dict[int, float]] = [{} for _ in range(level.n)]
        self.heap: list[tuple[int, float, int, int, int]] = []
        self.tie = 0
        self.sizes = [(0.0, t) for t in range(teams)]

    def fits(self, v: int, t: int) -> bool:
        if self.size[t] + self.level.size[v] > self.max_size:
            return False
        return not any(t in self.apart[group] for group in self.level.apart_of[v])

    def place(self, v: int, t: int) -> None:
        self.team[v] = t
        self.size[t] += self.level.size[v]
        self.count[t] += 1
        for label in self.level.labels[v]:
            self.labels[t][label] += 1
        for group in self.level.apart_of[v]:
            self.apart[group].add(t)
        heapq.heappush(self.sizes, (self.size[t], t))
        for u, w in zip(self.level.nbrs[v], self.level.wts[v], strict=True):
            if self.team[u] == -1:
                self.gain[u][t] = self.gain[u].get(t, 0.0) + w
                self.push(u, t)

    def push(self, u: int, t: int) -> None:
        self.tie += 1
        below = 0 if self.size[t] < self.min_size else 1
        heapq.heappush(self.heap, (below, -self.gain[u][t], self.tie, u, t))

    def cover_labels(self, count: int, rng: random.Random) -> None:
        """Give each team a holder of each required label, scarcest label first."""
        holders: list[list[int]] = [[] for _ in range(count)]
        for v, held in enumerate(self.level.labels):
            for label in held:
                holders[label].append(v)
        for label in sorted(range(count), key=lambda label: len(holders[label])):
            free = [v for v in holders[label] if self.team[v] == -1]
            rng.shuffle(free)
            for t in range(self.teams):
                if self.labels[t][label]:
                    continue
                for index, v in enumerate(free):
                    if self.team[v] == -1 and self.fits(v, t):
                        self.place(v, t)
                        del free[index]
                        break

    def seed(self, t: int, rng: random.Random) -> None:
        """Start team ``t`` from a random unassigned node, away from the other teams if one of
        a few draws finds such a node."""
        n = self.level.n
        chosen = -1
        for _ in range(SEED_TRIES):
            v = rng.randrange(n)
            if self.team[v] == -1 and self.fits(v, t):
                chosen = v
                if not self.gain[v]:
                    break
        if chosen == -1:
            chosen = next((v for v in range(n) if self.team[v] == -1 and self.fits(v, t)), -1)
        if chosen != -1:
            self.place(chosen, t)

    def spread(self, rng: random.Random) -> None:
        while self.heap:
            below, negative, _, u, t = heapq.heappop(self.heap)
            if self.team[u] != -1 or -negative != self.gain[u][t]:
                continue
            if below != (0 if self.size[t] < self.min_size else 1):
                self.push(u, t)
                continue
            if self.fits(u, t):
                self.place(u, t)

    def smallest(self) -> int:
        """The team of the smallest size (a lazy heap: stale entries are dropped)."""
        while self.sizes[0][0] != self.size[self.sizes[0][1]]:
            heapq.heappop(self.sizes)
        return self.sizes[0][1]

    def best_team(self, v: int) -> int:
        """Where an unreached node goes: a team it fits, below the minimum first, then the
        most connected, then the smallest; else the team it overfills least."""
        touching = [t for t in self.gain[v] if self.fits(v, t)]
        smallest = self.smallest()
        if self.size[smallest] < self.min_size:
            touching = [t for t in touching if self.size[t] < self.min_size]
        if touching:
            return max(touching, key=lambda t: (self.gain[v][t], -t))
        if self.fits(v, smallest):
            return smallest
        fitting = [t for t in range(self.teams) if self.fits(v, t)]
        return min(fitting or range(self.teams), key=lambda t: (self.size[t], t))
