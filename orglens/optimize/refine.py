"""A partition of a :class:`~orglens.optimize.coarsen.Level` into teams, kept up to date move
by move, and the local search on it.

Each node knows its connection to every team it touches (``conn[v][team]``), so a move's gain,
``conn[v][to] - conn[v][from]``, costs one look-up and a move costs the node's degree, as in
Fiduccia & Mattheyses (1982). The move cost is part of the gain: each team counts the people of
each current unit in it, and the plurality changes by a few counts per move. Candidate moves
wait in a heap by gain (:meth:`Partition.descend`); a move that the sizes or the required labels
block is tried as a swap with a node of the target team. :meth:`Partition.kick` is the
perturbation of the iterated local search; every change can be logged and undone.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable

from orglens.optimize.coarsen import Level
from orglens.optimize.problem import Constraints

__all__ = ["Partition"]

#: Members of a target team tried as swap partners (all of them in smaller teams).
SWAP_SAMPLE = 48


class Partition:
    """Teams ``0 .. teams-1`` for the nodes of ``level``, with sizes, connections, label and
    unit counts maintained under :meth:`move`; ``cost`` is cross weight + move cost × movers.
    Feasibility checks (:meth:`can_move`, :meth:`can_swap`) assume a feasible partition."""

    def __init__(
        self, level: Level, constraints: Constraints, teams: int, assignment: list[int]
    ) -> None:
        self.level = level
        self.teams = teams
        self.min_size = constraints.min_size - 1e-9
        self.max_size = constraints.max_size + 1e-9
        self.move_cost = constraints.move_cost if level.units is not None else 0.0
        self.eps = 1e-9 * max(1.0, max((max(row) for row in level.wts if row), default=1.0))
        self.team = list(assignment)
        self.journal: list[tuple[int, int]] | None = None
        self.size = [0.0] * teams
        self.members: list[list[int]] = [[] for _ in range(teams)]
        self.pos = [0] * level.n
        self.labels = [[0] * len(constraints.require) for _ in range(teams)]
        self.apart: list[dict[int, int]] = [{} for _ in constraints.apart]
        self.unit_count: list[dict[int, int]] = [{} for _ in range(teams)]
        self.unit_total = [0] * teams
        self.unit_max = [0] * teams
        self.conn: list[dict[int, float]] = [{} for _ in range(level.n)]
        self.cut = 0.0
        for v, t in enumerate(self.team):
            self._add(v, t)
            row = self.conn[v]
            for u, w in zip(level.nbrs[v], level.wts[v], strict=True):
                tu = self.team[u]
                row[tu] = row.get(tu, 0.0) + w
                if tu != t and u > v:
                    self.cut += w
        self.moved = sum(self.unit_total[t] - self.unit_max[t] for t in range(teams))
        self.home: dict[int, int] = {}

    @property
    def cost(self) -> float:
        return self.cut + self.move_cost * self.moved

    # --- bookkeeping -------------------------------------------------------------------

    def _add(self, v: int, t: int) -> None:
        self.size[t] += self.level.size[v]
        self.pos[v] = len(self.members[t])
        self.members[t].append(v)
        for label in self.level.labels[v]:
            self.labels[t][label] += 1
        for group in self.level.apart_of[v]:
            self.apart[group][t] = self.apart[group].get(t, 0) + 1
        if self.move_cost:
            counts = self.unit_count[t]
            for unit, people in self.level.units[v].items():  # type: ignore[index]
                counts[unit] = counts.get(unit, 0) + people
                self.unit_total[t] += people
                self.unit_max[t] = max(self.unit_max[t], counts[unit])

    def _remove(self, v: int, t: int) -> None:
        self.size[t] -= self.level.size[v]
        row = self.members[t]
        last = row.pop()
        if last != v:
            row[self.pos[v]] = last
            self.pos[last] = self.pos[v]
        for label in self.level.labels[v]:
            self.labels[t][label] -= 1
        for group in self.level.apart_of[v]:
            self.apart[group][t] -= 1
        if self.move_cost:
            counts = self.unit_count[t]
            for unit, people in self.level.units[v].items():  # type: ignore[index]
                counts[unit] -= people
                self.unit_total[t] -= people
                if not counts[unit]:
                    del counts[unit]
            self.unit_max[t] = max(counts.values(), default=0)

    def move(self, v: int, to: int) -> None:
        """Put ``v`` in team ``to``, updating every count (no feasibility check)."""
        at = self.team[v]
        if at == to:
            return
        row = self.conn[v]
        self.cut += row.get(at, 0.0) - row.get(to, 0.0)
        if self.move_cost:
            self.moved -= (self.unit_total[at] - self.unit_max[at]) + (
                self.unit_total[to] - self.unit_max[to]
            )
        self._remove(v, at)
        self.team[v] = to
        self._add(v, to)
        if self.move_cost:
            self.moved += (self.unit_total[at] - self.unit_max[at]) + (
                self.unit_total[to] - self.unit_max[to]
            )
        eps = self.eps
        conn = self.conn
        for u, w in zip(self.level.nbrs[v], self.level.wts[v], strict=True):
            cu = conn[u]
            left = cu[at] - w
            if left > eps:
                cu[at] = left
            else:
                del cu[at]
            cu[to] = cu.get(to, 0.0) + w
        if self.journal is not None:
            self.journal.append((v, at))

    def undo(self, journal: list[tuple[int, int]]) -> None:
        """Take back the moves logged in ``journal``, last first."""
        saved, self.journal = self.journal, None
        for v, at in reversed(journal):
            self.move(v, at)
        self.journal = saved

    # --- gains ---------------------------------------------------------------------------

    def _movers_after(self, t: int, minus: dict[int, int], plus: dict[int, int]) -> int:
        """Team ``t``'s movers once the people ``minus`` leave and ``plus`` join (by unit)."""
        counts = self.unit_count[t]
        total = self.unit_total[t] + sum(plus.values()) - sum(minus.values())
        top = 0
        lowered = False
        for unit in set(minus) | set(plus):
            before = counts.get(unit, 0)
            after = before - minus.get(unit, 0) + plus.get(unit, 0)
            top = max(top, after)
            lowered = lowered or (after < before and before == self.unit_max[t])
        if lowered:
            top = max(
                [top] + [c for unit, c in counts.items() if unit not in minus and unit not in plus]
            )
        else:
            top = max(top, self.unit_max[t])
        return total - top

    def _move_units(self, v: int, to: int) -> float:
        at = self.team[v]
        people = self.level.units[v]  # type: ignore[index]
        if not people:
            return 0.0
        before = self.unit_total[at] - self.unit_max[at] + self.unit_total[to] - self.unit_max[to]
        after = self._movers_after(at, people, {}) + self._movers_after(to, {}, people)
        return self.move_cost * (after - before)

    def move_delta(self, v: int, to: int) -> float:
        """How much ``cost`` changes when ``v`` moves to team ``to``."""
        if to == self.team[v]:
            return 0.0
        row = self.conn[v]
        delta = row.get(self.team[v], 0.0) - row.get(to, 0.0)
        if self.move_cost:
            delta += self._move_units(v, to)
        return delta

    def swap_delta(self, v: int, u: int, weight: float) -> float:
        """How much ``cost`` changes when ``v`` and ``u`` (joined by ``weight``) trade teams."""
        a, b = self.team[v], self.team[u]
        cv, cu = self.conn[v], self.conn[u]
        delta = cv.get(a, 0.0) - cv.get(b, 0.0) + cu.get(b, 0.0) - cu.get(a, 0.0) + 2 * weight
        if self.move_cost:
            pv = self.level.units[v]  # type: ignore[index]
            pu = self.level.units[u]  # type: ignore[index]
            if pv or pu:
                before = self.unit_total[a] - self.unit_max[a] + self.unit_total[b]
                before -= self.unit_max[b]
                after = self._movers_after(a, pv, pu) + self._movers_after(b, pu, pv)
                delta += self.move_cost * (after - before)
        return delta

    # --- feasibility ---------------------------------------------------------------------

    def can_move(self, v: int, to: int) -> bool:
        """Whether moving ``v`` to ``to`` keeps every constraint (the partition being feasible)."""
        level = self.level
        at = self.team[v]
        if at == to or level.fixed[v] != -1 or len(self.members[at]) == 1:
            return False
        size = level.size[v]
        if self.size[to] + size > self.max_size or self.size[at] - size < self.min_size:
            return False
        if any(self.labels[at][label] < 2 for label in level.labels[v]):
            return False
        return not any(self.apart[group].get(to, 0) for group in level.apart_of[v])

    def can_swap(self, v: int, u: int) -> bool:
        """Whether ``v`` and ``u`` (in different teams) may trade teams."""
        level = self.level
        a, b = self.team[v], self.team[u]
        if a == b or level.fixed[v] != -1 or level.fixed[u] != -1:
            return False
        change = level.size[u] - level.size[v]
        if not self.min_size <= self.size[a] + change <= self.max_size:
            return False
        if not self.min_size <= self.size[b] - change <= self.max_size:
            return False
        lv, lu = level.labels[v], level.labels[u]
        if lv != lu:
            if any(self.labels[a][label] < 2 and label not in lu for label in lv):
                return False
            if any(self.labels[b][label] < 2 and label not in lv for label in lu):
                return False
        gu = level.apart_of[u]
        for group in level.apart_of[v]:
            if self.apart[group].get(b, 0) - (group in gu) > 0:
                return False
        gv = level.apart_of[v]
        return not any(self.apart[group].get(a, 0) - (group in gv) > 0 for group in gu)

    # --- local search --------------------------------------------------------------------

    def refresh_home(self) -> None:
        """Note, for each unit, the team with most of its people (a candidate target for its
        people; the search refreshes it now and then, not after every move)."""
        self.home = {}
        if not self.move_cost:
            return
        best: dict[int, int] = {}
        for t, counts in enumerate(self.unit_count):
            for unit, people in counts.items():
                if people > best.get(unit, 0):
                    best[unit] = people
                    self.home[unit] = t

    def _targets(self, v: int) -> Iterable[int]:
        if not self.move_cost:
            return self.conn[v]
        homes = {self.home[unit] for unit in self.level.units[v] if unit in self.home}  # type: ignore[index]
        return homes.union(self.conn[v]) if homes else self.conn[v]

    def best_move(self, v: int) -> tuple[float, int, float, int]:
        """``v``'s best feasible move ``(delta, team)`` and its best blocked one (a swap
        candidate); ``(0.0, -1)`` when there is none."""
        at = self.team[v]
        best, target, blocked, blocked_target = 0.0, -1, 0.0, -1
        if self.level.fixed[v] != -1:
            return best, target, blocked, blocked_target
        for to in self._targets(v):
            if to == at:
                continue
            delta = self.move_delta(v, to)
            if delta < best - self.eps and self.can_move(v, to):
                best, target = delta, to
            elif delta < blocked - self.eps:
                blocked, blocked_target = delta, to
        return best, target, blocked, blocked_target

    def best_swap(self, v: int, to: int, rng: random.Random) -> tuple[float, int]:
        """The best swap of ``v`` with a member of team ``to``: ``(delta, partner)``, partner
        -1 when no swap is allowed (members sampled in large teams)."""
        weight = dict(zip(self.level.nbrs[v], self.level.wts[v], strict=True))
        row = self.members[to]
        partners = row if len(row) <= SWAP_SAMPLE else rng.sample(row, SWAP_SAMPLE)
        best, partner = float("inf"), -1
        for u in partners:
            if self.can_swap(v, u):
                delta = self.swap_delta(v, u, weight.get(u, 0.0))
                if delta < best:
                    best, partner = delta, u
        return best, partner

    def descend(self, seeds: Iterable[int], rng: random.Random) -> None:
        """Improve until no improving move or swap is left around ``seeds``: the best
        candidate (by gain, in a heap) first; a moved node's neighbours are re-examined."""
        heap: list[tuple[float, int, int]] = []
        tie = 0
        eps = self.eps

        def push(v: int) -> None:
            nonlocal tie
            delta, _, blocked, _ = self.best_move(v)
            key = min(delta, blocked)
            if key < -eps:
                tie += 1
                heapq.heappush(heap, (key, tie, v))

        for v in seeds:
            push(v)
        while heap:
            key, _, v = heapq.heappop(heap)
            delta, target, blocked, blocked_target = self.best_move(v)
            if min(delta, blocked) > key + eps:
                push(v)  # stale: its gain fell since it was queued
                continue
            changed: tuple[int, ...] = ()
            if delta < -eps:
                self.move(v, target)
                changed = (v,)
            if blocked < -eps and not changed:
                swap, partner = self.best_swap(v, blocked_target, rng)
                if swap < -eps:
                    at = self.team[v]
                    self.move(v, blocked_target)
                    self.move(partner, at)
                    changed = (v, partner)
            for node in changed:
                push(node)
                for u in self.level.nbrs[node]:
                    push(u)

    def kick(self, rng: random.Random, strength: int) -> list[int]:
        """Perturb: up to ``strength`` random feasible moves or swaps of random nodes to
        neighbouring (or random) teams. Returns the nodes touched."""
        touched: list[int] = []
        n = self.level.n
        for _ in range(strength):
            v = rng.randrange(n)
            if self.level.fixed[v] != -1:
                continue
            row = [t for t in self.conn[v] if t != self.team[v]]
            to = rng.choice(row) if row and rng.random() < 0.8 else rng.randrange(self.teams)
            if to == self.team[v]:
                continue
            if self.can_move(v, to):
                self.move(v, to)
                touched.append(v)
                continue
            members = self.members[to]
            for _ in range(4):
                u = members[rng.randrange(len(members))]
                if self.can_swap(v, u):
                    at = self.team[v]
                    self.move(v, to)
                    self.move(u, at)
                    touched += (v, u)
                    break
        return touched
