"""Make a partition feasible: penalty-guided moves and swaps (the infeasible side of the
feasible–infeasible searches of the capacitated clustering literature).

The penalty counts, per team, its size below the minimum or above the maximum (in average node
sizes), 1 if it is empty and 1 per required label it lacks; per ``apart`` group, the members
that share a team with another. Each step takes one violation at random and makes the move (or
swap) that most lowers the penalty, the cost breaking ties; when none does, a random move of a
node not moved in the last few steps.
"""

from __future__ import annotations

import heapq
import random
import time

from orglens.optimize.refine import Partition

__all__ = ["repair"]

#: Teams with the most room (or the most people) offered as targets (or sources) in each step.
NEAR_TEAMS = 8
#: Nodes tried as swap partners, and members of the violated team, in a step without a move.
SWAP_TRIES = 48
#: Steps a moved node stays where it went, unless a move of it lowers the penalty.
TENURE = 5


def repair(p: Partition, rng: random.Random, budget: int, deadline: float | None = None) -> bool:
    """Move nodes of ``p`` until every constraint holds; ``False`` when ``budget`` steps (or
    the ``deadline``, a :func:`time.perf_counter` value) did not get there."""
    fix = _Repair(p)
    for step in range(budget):
        if not fix.bad_teams and not fix.bad_groups:
            return True
        if deadline is not None and step % 64 == 0 and time.perf_counter() > deadline:
            return False
        fix.step(rng, step)
    return not fix.bad_teams and not fix.bad_groups


class _Repair:
    def __init__(self, p: Partition) -> None:
        self.p = p
        level = p.level
        self.scale = sum(level.size) / max(level.n, 1)
        self.labels = range(len(p.labels[0]) if p.labels else 0)
        self.holders: list[list[int]] = [[] for _ in self.labels]
        for v, held in enumerate(level.labels):
            for label in held:
                self.holders[label].append(v)
        self.bad_teams = {t for t in range(p.teams) if self.team_penalty(t) > 0}
        self.bad_groups = {g for g in range(len(p.apart)) if self.group_penalty(g) > 0}
        self.moved_at = [-TENURE - 1] * level.n

    # --- penalty -------------------------------------------------------------------------

    def team_penalty(
        self,
        t: int,
        size: float = 0.0,
        count: int = 0,
        minus: tuple[int, ...] = (),
        plus: tuple[int, ...] = (),
    ) -> float:
        """Team ``t``'s penalty, after ``size``, ``count`` and the labels change as given."""
        p = self.p
        total = p.size[t] + size
        penalty = (max(0.0, p.min_size - total) + max(0.0, total - p.max_size)) / self.scale
        if len(p.members[t]) + count == 0:
            penalty += 1.0
        held = p.labels[t]
        for label in self.labels:
            if held[label] - (label in minus) + (label in plus) <= 0:
                penalty += 1.0
        return penalty

    def group_penalty(self, group: int) -> int:
        return sum(max(0, c - 1) for c in self.p.apart[group].values())

    def move_penalty(self, v: int, to: int) -> float:
        p = self.p
        at = p.team[v]
        size, held = p.level.size[v], p.level.labels[v]
        change = self.team_penalty(at, -size, -1, held) - self.team_penalty(at)
        change += self.team_penalty(to, size, 1, (), held) - self.team_penalty(to)
        for group in p.level.apart_of[v]:
            counts = p.apart[group]
            change += (counts.get(to, 0) >= 1) - (counts.get(at, 0) >= 2)
        return change

    def swap_penalty(self, v: int, u: int) -> float:
        p = self.p
        level = p.level
        a, b = p.team[v], p.team[u]
        shift = level.size[u] - level.size[v]
        lv, lu = level.labels[v], level.labels[u]
        change = self.team_penalty(a, shift, 0, lv, lu) - self.team_penalty(a)
        change += self.team_penalty(b, -shift, 0, lu, lv) - self.team_penalty(b)
        gv, gu = level.apart_of[v], level.apart_of[u]
        for group in set(gv) | set(gu):
            counts = p.apart[group]
            ca, cb = counts.get(a, 0), counts.get(b, 0)
            na = ca - (group in gv) + (group in gu)
            nb = cb - (group in gu) + (group in gv)
            change += max(0, na - 1) + max(0, nb - 1) - max(0, ca - 1) - max(0, cb - 1)
        return change

    # --- steps ---------------------------------------------------------------------------

    def step(self, rng: random.Random, step: int) -> None:
        choices = [(t, -1) for t in sorted(self.bad_teams)]
        choices += [(-1, g) for g in sorted(self.bad_groups)]
        team, group = choices[rng.randrange(len(choices))]
        moves = self.candidates(team, group, rng)
        best: tuple[float, float] = (-1e-9, 0.0)
        chosen: list[tuple[int, int]] = []
        for v, to in moves:
            score = (self.move_penalty(v, to), self.p.move_delta(v, to))
            if score < best and (step - self.moved_at[v] > TENURE or score[0] < -1e-9):
                best, chosen = score, [(v, to)]
        if not chosen and team != -1:
            chosen = self.best_swap(team, moves, rng)
        if not chosen:
            allowed = [(v, to) for v, to in moves if step - self.moved_at[v] > TENURE]
            if allowed or moves:
                chosen = [rng.choice(allowed or moves)]
        for v, to in chosen:
            self.apply(v, to, step)

    def apply(self, v: int, to: int, step: int) -> None:
        p = self.p
        at = p.team[v]
        p.move(v, to)
        self.moved_at[v] = step
        for t in (at, to):
            if self.team_penalty(t) > 0:
                self.bad_teams.add(t)
            else:
                self.bad_teams.discard(t)
        for g in p.level.apart_of[v]:
            if self.group_penalty(g) > 0:
                self.bad_groups.add(g)
            else:
                self.bad_groups.discard(g)

    def candidates(self, team: int, group: int, rng: random.Random) -> list[tuple[int, int]]:
        """Moves ``(node, to)`` that could mend the violation of ``team`` (or ``group``)."""
        p = self.p
        level = p.level
        fixed = level.fixed
        if group != -1:
            crowded = {t for t, c in p.apart[group].items() if c > 1}
            nodes = [
                v
                for t in sorted(crowded)
                for v in p.members[t]
                if group in level.apart_of[v] and fixed[v] == -1
            ]
            return self._outward(nodes)
        if p.size[team] > p.max_size:
            return self._outward([v for v in p.members[team] if fixed[v] == -1])
        sources = {u for v in p.members[team] for u in level.nbrs[v]}
        largest = heapq.nlargest(NEAR_TEAMS, range(p.teams), key=p.size.__getitem__)
        sources.update(v for t in largest for v in p.members[t])
        for label in self.labels:
            if not p.labels[team][label]:
                row = self.holders[label]
                sources.update(row if len(row) <= SWAP_TRIES else rng.sample(row, SWAP_TRIES))
        return [(v, team) for v in sorted(sources) if p.team[v] != team and fixed[v] == -1]

    def _outward(self, nodes: list[int]) -> list[tuple[int, int]]:
        """Moves of ``nodes`` to the teams they touch or the teams with most room."""
        p = self.p
        roomy = heapq.nsmallest(NEAR_TEAMS, range(p.teams), key=p.size.__getitem__)
        return [
            (v, to) for v in nodes for to in sorted(set(roomy).union(p.conn[v])) if to != p.team[v]
        ]

    def best_swap(
        self, team: int, moves: list[tuple[int, int]], rng: random.Random
    ) -> list[tuple[int, int]]:
        """The swap of a member of ``team`` with another node that most lowers the penalty."""
        p = self.p
        level = p.level
        inside = [v for v in p.members[team] if level.fixed[v] == -1]
        outside = sorted({v for v, _ in moves if p.team[v] != team})
        if not outside:
            outside = [v for t in range(p.teams) if t != team for v in p.members[t][:2]]
        outside = [u for u in outside if level.fixed[u] == -1]
        if len(inside) > SWAP_TRIES:
            inside = rng.sample(inside, SWAP_TRIES)
        if len(outside) > SWAP_TRIES:
            outside = rng.sample(outside, SWAP_TRIES)
        best, chosen = -1e-9, []
        for v in inside:
            for u in outside:
                change = self.swap_penalty(v, u)
                if change < best:
                    best, chosen = change, [(v, p.team[u]), (u, team)]
        return chosen
