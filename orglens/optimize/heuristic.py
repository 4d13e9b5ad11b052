"""The heuristic for large instances: multilevel partitioning under the constraints, then an
iterated local search until the time limit.

1. ``together`` groups become single nodes (:func:`~orglens.optimize.coarsen.contract`); large
   graphs are coarsened by heavy-edge matching (Karypis & Kumar 1998), keeping what the
   constraints need in every coarse node.
2. On the coarsest graph, teams grow greedily along heavy edges from pinned nodes, holders of
   the required labels and random seeds (:mod:`orglens.optimize.construct`); a penalty-guided
   repair (:mod:`orglens.optimize.repair`) makes the result feasible, finishing on the full
   graph where small nodes pack better (the full graph is started afresh if even that fails).
3. Going back up, each projection is improved by moves and swaps chosen by gain from a heap,
   the move cost included in the gain (:class:`~orglens.optimize.refine.Partition`).
4. On the full graph, an iterated local search (Lourenço, Martin & Stützle 2003): a kick of a
   few random moves or swaps, a descent around it, kept when within :data:`ACCEPT` of the best
   and undone otherwise, the walk going back to the best now and then and the kick growing
   while nothing improves — until ``time_limit`` or ``max_rounds``; the best partition seen is
   the answer (anytime).

Every step draws from one ``random.Random(seed)``: the same seed and ``max_rounds`` give the
same assignment, as long as the rounds end before the time limit.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from orglens.errors import Problem, UsageError
from orglens.optimize.coarsen import Level, coarsen, contract
from orglens.optimize.construct import greedy_start
from orglens.optimize.feasible import check, team_count_range
from orglens.optimize.problem import (
    Constraints,
    Graph,
    Progress,
    Solution,
    cross_weight,
    movers,
    objective,
    violations,
)
from orglens.optimize.refine import Partition
from orglens.optimize.repair import repair

__all__ = ["solve_heuristic"]

#: Graphs are coarsened down to about this many nodes (or 4 per team, if more).
COARSEST = 400
#: Coarsening stops when a round of matching shrinks the graph by less than this share.
MIN_SHRINK = 0.1
#: A round's result is kept when its cost is within this share of the best (a walk near it;
#: on graphs above ACCEPT_NODES nodes, a share that much smaller: there a kick changes a small
#: part of the graph, and worse parts would pile up)...
ACCEPT = 0.002
ACCEPT_NODES = 400
#: ... and the walk goes back to the best after this many rounds without a new best.
RETURN_AFTER = 1000
#: Without ``teams``, the next team count is searched too (for a third of the time) on graphs
#: of at most this many nodes; larger ones spend all the time on the smallest count.
SECOND_COUNT_NODES = 2000
#: Rounds between two updates of each unit's home team (a move target when moves cost).
HOME_EVERY = 64
#: Seconds between two progress reports.
_REPORT_EVERY = 0.2


def solve_heuristic(
    graph: Graph,
    constraints: Constraints,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    progress: Progress | None = None,
    start: Sequence[int] | None = None,
    max_rounds: int | None = None,
) -> Solution:
    """A feasible assignment for ``graph`` under ``constraints``, the best found in
    ``time_limit`` seconds (or ``max_rounds`` rounds of the local search, whichever ends first).

    ``start`` is a first assignment to improve (a team per node; teams outside the allowed
    count, or that break a constraint, are regrown). Without ``teams``, the smallest team count
    the constraints allow is searched (the start's count, if allowed), and on graphs up to
    :data:`SECOND_COUNT_NODES` nodes the next one too, for a third of the time. The answer
    is never proved optimal: ``optimal`` is ``False`` and ``lower_bound`` 0. Raises
    :class:`~orglens.errors.UsageError` when a constraint cannot be met (see
    :func:`~orglens.optimize.feasible.check`) or when no feasible assignment was found.

    >>> g = Graph(nodes=("a", "b", "c", "d"), size=(1.0,) * 4,
    ...           edges=((0, 1, 5.0), (1, 2, 1.0), (2, 3, 5.0)))
    >>> found = solve_heuristic(g, Constraints(min_size=2, max_size=2), max_rounds=20)
    >>> found.assignment, found.objective
    ((0, 0, 1, 1), 1.0)
    """
    started = time.perf_counter()
    check(graph, constraints)
    if not graph.nodes:
        return Solution((), 0.0, 0, 0.0, 0.0, False, "heuristic", 0.0)
    level, parent = contract(graph, constraints)
    first = _level_start(graph, constraints, level, parent, start)
    counts = _counts_to_try(team_count_range(graph, constraints), first)
    if level.n > SECOND_COUNT_NODES:
        counts = counts[:1]
    rng = random.Random(seed)
    report = _Reporter(progress, started)
    best: _Found | None = None
    for index, teams in enumerate(counts):
        if best is not None and time.perf_counter() >= started + time_limit:
            break  # anytime: the next team count would start after the time limit
        deadline = started + time_limit * (1.0 if index else (2 / 3 if len(counts) > 1 else 1.0))
        found = _search(level, constraints, teams, rng, first, deadline, max_rounds, report)
        if found is not None and (best is None or found.cost < best.cost - 1e-9):
            best = found
    if best is None:
        raise _no_assignment(graph, constraints, level, parent, counts[0], rng)
    assignment = [best.team[parent[node]] for node in range(len(graph.nodes))]
    if not constraints.fixed:
        assignment = _numbered_in_order(assignment)
    left = violations(graph, constraints, assignment)
    if left:  # a bug, not a user's mistake: say which constraint anyway
        raise UsageError(Problem(f"the heuristic broke a constraint: {left[0]}", "report it"))
    value = objective(graph, constraints, assignment)
    report.done(value)
    return Solution(
        assignment=tuple(assignment),
        cross_weight=cross_weight(graph, assignment),
        moved=movers(graph, assignment),
        objective=value,
        lower_bound=0.0,
        optimal=False,
        solver="heuristic",
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class _Found:
    team: list[int]
    cost: float


class _Reporter:
    """Calls ``progress`` with each new best, at most every :data:`_REPORT_EVERY` seconds."""

    def __init__(self, progress: Progress | None, started: float) -> None:
        self.progress = progress
        self.started = started
        self.last = -_REPORT_EVERY

    def best(self, cost: float) -> None:
        now = time.perf_counter() - self.started
        if self.progress is not None and now - self.last >= _REPORT_EVERY:
            self.last = now
            self.progress(now, cost, 0.0)

    def done(self, cost: float) -> None:
        if self.progress is not None:
            self.progress(time.perf_counter() - self.started, cost, 0.0)


def _level_start(
    graph: Graph,
    constraints: Constraints,
    level: Level,
    parent: list[int],
    start: Sequence[int] | None,
) -> list[int] | None:
    """``start`` for the contracted nodes: the team of each group's first node, teams
    renumbered in order of first node unless people are pinned to team numbers."""
    if start is None:
        return None
    if len(start) != len(graph.nodes):
        raise UsageError(
            Problem(
                f"the start gives {len(start)} teams for {len(graph.nodes)} nodes",
                "give one team per node",
            )
        )
    teams = list(start) if constraints.fixed else _numbered_in_order(list(start))
    first = [-1] * level.n
    for node, group in reversed(list(enumerate(parent))):
        first[group] = int(teams[node])
    return first


def _counts_to_try(allowed: range, first: list[int] | None) -> list[int]:
    """The team counts to search: the start's own count if allowed, else the smallest allowed;
    then the next one."""
    if not allowed:
        return []
    count = allowed.start
    if first is not None and len(set(first)) in allowed:
        count = len(set(first))
    return [count, count + 1] if count + 1 in allowed else [count]


def _search(
    level: Level,
    constraints: Constraints,
    teams: int,
    rng: random.Random,
    first: list[int] | None,
    deadline: float,
    max_rounds: int | None,
    report: _Reporter,
) -> _Found | None:
    """Multilevel start then iterated local search for ``teams`` teams; ``None`` when no
    feasible partition was found."""
    levels, maps = [level], []
    if first is None:
        while levels[-1].n > max(COARSEST, 4 * teams):
            coarse, parent = coarsen(levels[-1], constraints, teams, rng)
            if coarse.n > (1 - MIN_SHRINK) * levels[-1].n:
                break
            levels.append(coarse)
            maps.append(parent)
    p = _partition(levels[-1], constraints, teams, rng, first, deadline, len(levels) > 1)
    _descend_all(p, rng, deadline)
    for depth in reversed(range(len(maps))):
        projected = [p.team[c] for c in maps[depth]]
        p = Partition(levels[depth], constraints, teams, projected)
        _descend_all(p, rng, deadline)
    if not repair(p, rng, 20 * level.n + 200, deadline):
        for _ in range(2):  # the coarse start could not be packed: start again on the graph
            p = _partition(level, constraints, teams, rng, first, deadline, False)
            if repair(p, rng, 20 * level.n + 200, deadline):
                break
        else:
            return None
        _descend_all(p, rng, deadline)
    team, cost = _iterate(p, rng, deadline, max_rounds, report)
    return _Found(team, cost)


def _partition(
    level: Level,
    constraints: Constraints,
    teams: int,
    rng: random.Random,
    first: list[int] | None,
    deadline: float,
    coarse: bool,
) -> Partition:
    """A greedy partition of ``level``, repaired (on a coarse level, only a little: the
    rest is repaired on the full graph, where small nodes pack better)."""
    p = Partition(level, constraints, teams, greedy_start(level, constraints, teams, rng, first))
    repair(p, rng, 2 * level.n + 100 if coarse else 20 * level.n + 200, deadline)
    return p


def _iterate(
    p: Partition,
    rng: random.Random,
    deadline: float,
    max_rounds: int | None,
    report: _Reporter,
) -> tuple[list[int], float]:
    """The iterated local search on ``p``; the best partition seen and its cost."""
    level = p.level
    best, best_cost = list(p.team), p.cost
    report.best(best_cost)
    weakest, strongest = 2, max(4, min(64, level.n // 8))
    stall = rounds = 0
    since_best: list[tuple[int, int]] = []
    share = ACCEPT * min(1.0, ACCEPT_NODES / level.n)
    while (max_rounds is None or rounds < max_rounds) and time.perf_counter() < deadline:
        rounds += 1
        strength = weakest + (stall // 32) % (strongest - weakest + 1)
        journal: list[tuple[int, int]] = []
        p.journal = journal
        touched = p.kick(rng, strength)
        seeds = set(touched)
        for v in touched:
            seeds.update(level.nbrs[v])
            team = p.members[p.team[v]]
            if len(team) <= 32:
                seeds.update(team)
        if rounds % HOME_EVERY == 1:
            p.refresh_home()
        p.descend(sorted(seeds), rng)
        p.journal = None
        slack = share * abs(best_cost) + p.eps
        if p.cost < best_cost - p.eps:
            best, best_cost, stall = list(p.team), p.cost, 0
            since_best = []
            report.best(best_cost)
            continue
        stall += 1
        if p.cost <= best_cost + slack:
            since_best += journal
        else:
            p.undo(journal)
        if stall % RETURN_AFTER == 0:
            p.undo(since_best)
            since_best = []
    return best, best_cost


def _descend_all(p: Partition, rng: random.Random, deadline: float) -> None:
    """A descent over every node, unless the time is up (then the partition stays as it is:
    feasible once repaired, and the answer comes within the time limit)."""
    if time.perf_counter() >= deadline:
        return
    p.refresh_home()
    p.descend(range(p.level.n), rng)


def _numbered_in_order(assignment: list[int]) -> list[int]:
    """Teams renumbered 0, 1, ... in the order of their first node."""
    number: dict[int, int] = {}
    return [number.setdefault(team, len(number)) for team in assignment]


def _no_assignment(
    graph: Graph,
    constraints: Constraints,
    level: Level,
    parent: list[int],
    teams: int,
    rng: random.Random,
) -> UsageError:
    """The error when no feasible assignment was found: the first constraint a greedy
    assignment still breaks."""
    assignment = greedy_start(level, constraints, teams, rng)
    left = violations(graph, constraints, [assignment[parent[i]] for i in range(len(parent))])
    what = left[0] if left else "no assignment was found"
    return UsageError(
        Problem(
            f"no team design meets every constraint; the search could not mend this: {what}",
            "relax the sizes, labels or groups, or give a longer --time-limit",
        )
    )
