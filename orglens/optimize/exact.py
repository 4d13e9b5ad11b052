"""The exact solver: the team-design problem as a CP-SAT model (OR-Tools), time-limited, that
proves the optimum of small instances (up to ~40 nodes) or reports the gap to its bound.

The model
---------
- ``x[i, t]``: node ``i`` is in team ``t``; exactly one per node. ``t`` ranges over the largest
  number of teams the constraints allow (:func:`~orglens.optimize.feasible.team_count_range`).
- ``used[t]`` ⇔ team ``t`` has a member; used teams form a prefix ``0..k-1`` (``used[t]`` ⇒
  ``used[t-1]``), so the answer's teams are numbered from 0 without gaps.
- Sizes: every used team's total size within ``min_size..max_size``; a number of used teams
  within the allowed range (exactly ``teams`` when given); ``require``: a holder of each label
  in every used team; ``together``: equal rows of ``x``; ``apart``: at most one per team;
  ``fixed``: the one allowed team.
- ``cut[e]`` for each edge ``(i, j)``: ``cut[e] + Σ_t both[e, t] >= 1`` with ``both[e, t]`` ⇒
  ``x[i, t]`` and ``x[j, t]`` (1 unless the ends share a team; the objective keeps it 0 when
  they do). Only edges get variables, so the model grows with the edges, not with all pairs.
  A valid inequality per node strengthens the relaxation: the neighbours a node keeps
  (``cut = 0``) must fit in its team beside it; without it CP-SAT's bound hardly rises on
  the handover instances.
- Movers, exactly as :func:`~orglens.optimize.problem.movers`: each used team chooses one unit
  ``unit[t, u]``; ``stay[i, t]`` ⇒ ``x[i, t]`` and ``unit[t, unit(i)]``; movers are the nodes
  with a unit that do not stay. Minimising makes each team choose its plurality unit.
- Objective: ``Σ w_e cut[e] + move_cost × movers``.

Symmetry: teams nobody is pinned to are interchangeable, so they are ordered by their first
member: the ``r``-th node not pinned (by index) may only join the pinned teams or the first
``r + 1`` free ones. A hint is relabelled into that order before it is given to the solver.

Scaling: CP-SAT needs integers. Sizes (with ``min_size``/``max_size``) and weights (with
``move_cost``) are each multiplied by the smallest power of ten, up to 10⁶, that makes every
one of them an integer (FTE of 0.8 → ×10; the handover instances' six decimals → ×10⁶), and the
model is then exact. Sizes that need more digits (thirds) are multiplied by 10¹² and rounded
up against the maximum, down against the minimum, with the 10⁻⁹ tolerance of
:func:`~orglens.optimize.problem.violations`: the model admits only teams it accepts, and every
team within the limits up to 1,000 members. Weights that need more digits are multiplied by
10⁶ and rounded down, so the model never overestimates a cost and its bound stays valid; then
``optimal`` is not claimed. Either way the answer's ``objective`` and ``cross_weight`` are
recomputed from the assignment with :func:`~orglens.optimize.problem.objective`, never read from
the scaled model.

Determinism: a search with one worker (the default) is deterministic for a given ``seed``;
with more, the workers' strategies are interleaved deterministically (CP-SAT's
``interleave_search``; its free-running parallel portfolio is not deterministic and is not
used). The same ``seed`` and ``workers`` give the same answer whenever the search ends before
``time_limit``; when the wall-clock limit stops it, a faster or busier machine may stop
elsewhere. One worker is the default because on two cores it proved as many of the 40-node
handover instances within 30 s as two interleaved workers (bench/RESULTS.md).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from orglens.errors import Problem, UsageError
from orglens.optimize.feasible import check, team_count_range, together_groups
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

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, IntVar, LinearExpr

__all__ = ["solve_exact"]

_DIGITS = 6
#: Scaled totals stay below this, far inside CP-SAT's 64-bit integers.
_LARGEST = 2**50
#: Sizes without a short decimal form are scaled by up to 10^12, so that the tolerance of
#: ``violations`` (1e-9) absorbs the rounding of up to 1,000 members per team.
_FINEST_SIZE = 12
_FINEST_WEIGHT = 6
_TOLERANCE = 1e-9


def solve_exact(
    graph: Graph,
    constraints: Constraints,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    hint: Sequence[int] | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> Solution:
    """The best teams CP-SAT finds within ``time_limit`` seconds, with its proven bound.

    Parameters
    ----------
    graph, constraints
        The problem (:mod:`orglens.optimize.problem`).
    time_limit
        Wall-clock seconds for the search.
    seed, workers
        CP-SAT's random seed and number of search workers; together they fix the answer (see
        the module docstring).
    hint
        A feasible assignment to start from (e.g. a heuristic's); the answer is never worse.
    progress
        Called at each better solution with ``(seconds, objective, lower bound)``.

    Returns
    -------
    Solution
        ``optimal`` when CP-SAT proved it; ``lower_bound`` its best bound (at most
        ``objective``); ``solver`` ``"cp-sat"``.

    Raises
    ------
    UsageError
        When OR-Tools is not installed, when no assignment meets the constraints, or when none
        was found within ``time_limit``.

    Examples
    --------
    Two triangles joined by one edge, in teams of three: the optimum cuts the bridge.

    >>> edges = ((0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0), (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0),
    ...          (2, 3, 1.0))
    >>> graph = Graph(nodes=tuple("abcdef"), size=(1.0,) * 6, edges=edges)
    >>> found = solve_exact(graph, Constraints(min_size=3, max_size=3))
    >>> found.assignment, found.objective, found.optimal
    ((0, 0, 0, 1, 1, 1), 1.0, True)
    """
    cp_model = _cp_model()
    started = time.perf_counter()
    check(graph, constraints)
    if not graph.nodes:
        return Solution((), 0.0, 0, 0.0, 0.0, True, "cp-sat", time.perf_counter() - started)
    built = _build(cp_model, graph, constraints)
    if hint is not None:
        _add_hint(built, graph, hint)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, time_limit - (time.perf_counter() - started))
    params.random_seed = seed
    params.num_workers = workers
    params.interleave_search = workers > 1
    tracker = _tracker(cp_model, built, graph, constraints, started, progress)
    status = solver.solve(built.model, tracker)
    if status == cp_model.INFEASIBLE:
        raise UsageError(
            Problem(f"no teams meet all of {_describe(constraints)} together", "relax one of them")
        )
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid CP-SAT model: {built.model.validate()}")
    found: Sequence[int] | None = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = _teams(built, solver.boolean_value)
        if _better(graph, constraints, tracker.best, found):
            found = tracker.best
    if hint is not None and _better(graph, constraints, hint, found):
        found = tuple(hint)
    if found is None:
        raise UsageError(
            Problem(
                f"CP-SAT found no teams within {time_limit:g} s",
                "give more --time-limit, or leave the exact solver out",
            )
        )
    value = objective(graph, constraints, found)
    # a rounded model's optimum need not be the true one
    optimal = status == cp_model.OPTIMAL and built.exact
    bound = solver.best_objective_bound / built.weight.factor
    return Solution(
        assignment=tuple(found),
        cross_weight=cross_weight(graph, found),
        moved=movers(graph, found),
        objective=value,
        lower_bound=value if optimal else max(0.0, min(bound, value)),
        optimal=optimal,
        solver="cp-sat",
        seconds=time.perf_counter() - started,
    )


def _better(
    graph: Graph, constraints: Constraints, other: Sequence[int], found: Sequence[int] | None
) -> bool:
    """Whether ``other`` is feasible and better than ``found`` (if anything was found)."""
    if not other or violations(graph, constraints, other):
        return False
    return found is None or objective(graph, constraints, other) < objective(
        graph, constraints, found
    )


def _cp_model() -> ModuleType:
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:
        raise UsageError(
            Problem(
                "the exact solver needs OR-Tools, which is not installed",
                "pip install 'orglens[optimize]'",
            )
        ) from error
    return cp_model


@dataclass(frozen=True)
class _Scale:
    """Multiply by ``factor`` to get integers; ``exact`` when every value then is one."""

    factor: int
    exact: bool

    def up(self, value: float) -> int:
        scaled = value * self.factor
        return round(scaled) if self.exact else math.ceil(scaled)

    def down(self, value: float) -> int:
        scaled = value * self.factor
        return round(scaled) if self.exact else math.floor(scaled)

    def at_most(self, limit: float) -> int:
        """The scaled limit for a sum of ``up`` values: within it, the true sum is at most
        ``limit`` (with the tolerance :func:`~orglens.optimize.problem.violations` allows)."""
        scaled = (limit + _TOLERANCE) * self.factor
        return round(limit * self.factor) if self.exact else math.floor(scaled)

    def at_least(self, limit: float) -> int:
        """The scaled limit for a sum of ``down`` values, from below."""
        scaled = (limit - _TOLERANCE) * self.factor
        return round(limit * self.factor) if self.exact else math.ceil(scaled)


def _scale(values: Sequence[float], total: float, finest: int) -> _Scale:
    """The smallest power of ten (up to 10⁶) that makes every value an integer; failing that,
    10^``finest`` (less if ``total`` would then pass ``_LARGEST``), inexact."""
    largest = max(0, math.floor(math.log10(_LARGEST / max(total, 1.0))))
    for digits in range(min(_DIGITS, largest) + 1):
        if all(round(value, digits) == value for value in values):
            return _Scale(10**digits, True)
    return _Scale(10 ** min(finest, largest), False)


@dataclass
class _Built:
    """The model and the variables the answer, the hint and the progress are read from."""

    model: CpModel
    domains: list[list[int]]
    groups: tuple[int, ...]
    pinned: list[int]
    free: list[int]
    weight: _Scale
    exact: bool
    x: dict[tuple[int, int], IntVar] = field(default_factory=dict)
    used: list[IntVar] = field(default_factory=list)
    cut: dict[int, IntVar] = field(default_factory=dict)
    both: dict[tuple[int, int], IntVar] = field(default_factory=dict)
    choose: dict[tuple[int, int], IntVar] = field(default_factory=dict)
    stay: dict[tuple[int, int], IntVar] = field(default_factory=dict)


def _build(cp_model: ModuleType, graph: Graph, constraints: Constraints) -> _Built:
    counts = team_count_range(graph, constraints)
    sizes = _scale(
        [*graph.size, max(constraints.min_size, 0.0)]
        + ([] if math.isinf(constraints.max_size) else [constraints.max_size]),
        sum(graph.size),
        _FINEST_SIZE,
    )
    moving = constraints.move_cost if any(u is not None for u in graph.unit) else 0.0
    weight = _scale(
        [w for _, _, w in graph.edges] + [moving],
        graph.total_weight + moving * len(graph.nodes),
        _FINEST_WEIGHT,
    )
    groups = together_groups(graph, constraints)
    pin = {groups[node]: team for node, team in constraints.fixed.items()}
    pinned = sorted(set(pin.values()))
    free = [team for team in range(counts[-1]) if team not in pin.values()]
    built = _Built(
        model=cp_model.CpModel(),
        domains=_domains(groups, pin, pinned, free),
        groups=groups,
        pinned=pinned,
        free=free,
        weight=weight,
        exact=sizes.exact and weight.exact,
    )
    _assign(built, counts)
    _sizes(built, graph, constraints, sizes)
    _groups(built, graph, constraints)
    terms = _cuts(built, graph, constraints, sizes) + _moves(cp_model, built, graph, moving)
    built.model.minimize(sum(terms))
    return built


def _domains(
    groups: Sequence[int], pin: Mapping[int, int], pinned: list[int], free: list[int]
) -> list[list[int]]:
    """Each node's allowed teams: its pin, or the pinned teams and the first ``r + 1`` free
    ones for the ``r``-th unpinned together group (by first node)."""
    rank: dict[int, int] = {}
    for group in groups:
        if group not in pin:
            rank.setdefault(group, len(rank))
    return [
        [pin[group]] if group in pin else sorted(pinned + free[: rank[group] + 1])
        for group in groups
    ]


def _assign(built: _Built, counts: range) -> None:
    """One team per node; used teams are the non-empty ones, a prefix, as many as allowed."""
    model = built.model
    for node, domain in enumerate(built.domains):
        for team in domain:
            built.x[node, team] = model.new_bool_var(f"x{node}_{team}")
        model.add_exactly_one(built.x[node, team] for team in domain)
    for team in range(counts[-1]):
        used = model.new_bool_var(f"used{team}")
        members = _members(built, team)
        for member in members:
            model.add_implication(member, used)
        model.add_bool_or(members).only_enforce_if(used)
        if built.used:
            model.add_implication(used, built.used[-1])
        built.used.append(used)
    model.add_linear_constraint(sum(built.used), counts.start, counts[-1])


def _members(built: _Built, team: int, nodes: Sequence[int] | None = None) -> list[IntVar]:
    """The ``x`` of the nodes (all by default) that may join ``team``."""
    if nodes is None:
        nodes = range(len(built.domains))
    return [built.x[node, team] for node in nodes if (node, team) in built.x]


def _sizes(built: _Built, graph: Graph, constraints: Constraints, sizes: _Scale) -> None:
    """Every used team's size within ``min_size..max_size`` (scaled so that the model admits
    only teams that are truly within)."""
    low = sizes.at_least(constraints.min_size) if constraints.min_size > 0 else 0
    for team, used in enumerate(built.used):
        nodes = [node for node in range(len(graph.nodes)) if (node, team) in built.x]
        members = _members(built, team, nodes)
        if low > 0:
            total = _dot([sizes.down(graph.size[node]) for node in nodes], members)
            built.model.add(total >= low * used)
        if not math.isinf(constraints.max_size):
            total = _dot([sizes.up(graph.size[node]) for node in nodes], members)
            built.model.add(total <= sizes.at_most(constraints.max_size) * used)


def _groups(built: _Built, graph: Graph, constraints: Constraints) -> None:
    """``require``: a holder of each label in every used team; ``together``: the same team
    (the domains already agree); ``apart``: at most one per team."""
    model = built.model
    for label in constraints.require:
        holders = [node for node, labels in enumerate(graph.labels) if label in labels]
        for team, used in enumerate(built.used):
            model.add_bool_or(_members(built, team, holders)).only_enforce_if(used)
    previous: dict[int, int] = {}
    for node, group in enumerate(built.groups):
        if group in previous:
            for team in built.domains[node]:
                model.add(built.x[node, team] == built.x[previous[group], team])
        previous[group] = node
    for apart in constraints.apart:
        for team in range(len(built.used)):
            model.add_at_most_one(_members(built, team, apart))


def _cuts(built: _Built, graph: Graph, constraints: Constraints, sizes: _Scale) -> list[LinearExpr]:
    """``cut[e]`` 1 unless both ends are in one team (``both[e, t]``); the objective terms.

    ``cut[e] + Σ_t both[e, t] >= 1`` with ``both[e, t]`` ⇒ ``x[i, t]`` and ``x[j, t]``: its
    relaxation charges an edge the share of its ends' teams that differ, stronger than
    ``cut[e] >= x[i, t] - x[j, t]`` for every ``t``, and CP-SAT proves more optima with it.
    """
    model, x = built.model, built.x
    kept: list[list[tuple[int, IntVar]]] = [[] for _ in graph.nodes]
    terms: list[LinearExpr] = []
    for edge, (i, j, weight) in enumerate(graph.edges):
        coefficient = built.weight.down(weight)
        if coefficient <= 0 or built.groups[i] == built.groups[j]:
            continue
        cut = built.cut[edge] = model.new_bool_var(f"cut{i}_{j}")
        together = []
        for team in built.domains[i]:
            if (j, team) in x:
                both = built.both[edge, team] = model.new_bool_var(f"both{i}_{j}_{team}")
                model.add_implication(both, x[i, team])
                model.add_implication(both, x[j, team])
                together.append(both)
        model.add(cut + sum(together) >= 1)
        terms.append(coefficient * cut)
        kept[i].append((sizes.up(graph.size[j]), cut))
        kept[j].append((sizes.up(graph.size[i]), cut))
    if not math.isinf(constraints.max_size):
        # the neighbours a node keeps must fit in its team beside it: a valid inequality that
        # the relaxation lacks
        room = sizes.at_most(constraints.max_size)
        for node, around in enumerate(kept):
            excess = sum(size for size, _ in around) + sizes.up(graph.size[node]) - room
            if excess > 0:
                model.add(_dot([size for size, _ in around], [cut for _, cut in around]) >= excess)
    return terms


def _moves(cp_model: ModuleType, built: _Built, graph: Graph, moving: float) -> list[LinearExpr]:
    """Each used team chooses a unit; a node with a unit stays when its team chose it; the
    objective terms ``move_cost × (nodes with a unit - stays)``."""
    cost = built.weight.down(moving)
    if cost <= 0:
        return []
    model = built.model
    units = sorted({unit for unit in graph.unit if unit is not None})
    for team in range(len(built.used)):
        for unit in units:
            built.choose[team, unit] = model.new_bool_var(f"unit{team}_{unit}")
        model.add_at_most_one(built.choose[team, unit] for unit in units)
    for (node, team), member in built.x.items():
        own = graph.unit[node]
        if own is not None:
            stay = built.stay[node, team] = model.new_bool_var(f"stay{node}_{team}")
            model.add_implication(stay, member)
            model.add_implication(stay, built.choose[team, own])
    with_unit = sum(1 for unit in graph.unit if unit is not None)
    return [cost * with_unit - cost * cp_model.LinearExpr.sum(list(built.stay.values()))]


def _dot(coefficients: Sequence[int], variables: Sequence[IntVar]) -> LinearExpr:
    from ortools.sat.python.cp_model import LinearExpr

    return LinearExpr.weighted_sum(variables, coefficients)


def _teams(built: _Built, value: Callable[[IntVar], bool]) -> tuple[int, ...]:
    """The assignment the solver's (or a callback's) current values give."""
    return tuple(
        next(team for team in domain if value(built.x[node, team]))
        for node, domain in enumerate(built.domains)
    )


def _add_hint(built: _Built, graph: Graph, hint: Sequence[int]) -> None:
    """Give CP-SAT every variable's value in ``hint``, relabelled so that the free teams come
    in the order the symmetry breaking expects (by first member)."""
    if len(hint) != len(graph.nodes):
        raise UsageError(
            Problem(
                f"the hint gives {len(hint)} teams for {len(graph.nodes)} nodes",
                "give one team per node",
            )
        )
    label = {team: team for team in built.pinned}
    free = iter(built.free)
    teams = []
    for team in hint:
        if team not in label:
            label[team] = next(free, -1)
        teams.append(label[team])
    model = built.model
    for (node, team), member in built.x.items():
        model.add_hint(member, teams[node] == team)
    for team, used in enumerate(built.used):
        model.add_hint(used, team in teams)
    for edge, cut in built.cut.items():
        i, j, _ = graph.edges[edge]
        model.add_hint(cut, teams[i] != teams[j])
    for (edge, team), both in built.both.items():
        i, j, _ = graph.edges[edge]
        model.add_hint(both, teams[i] == team == teams[j])
    if built.choose:
        _hint_units(built, graph, teams)


def _hint_units(built: _Built, graph: Graph, teams: Sequence[int]) -> None:
    """Hint each team's plurality unit (ties to the first) and who stays in it."""
    chosen: dict[int, int] = {}
    for team in set(teams):
        units = [graph.unit[node] for node in range(len(teams)) if teams[node] == team]
        known = sorted(unit for unit in units if unit is not None)
        if known:
            chosen[team] = max(known, key=known.count)
    for (team, unit), choose in built.choose.items():
        built.model.add_hint(choose, chosen.get(team) == unit)
    for (node, team), stay in built.stay.items():
        built.model.add_hint(stay, teams[node] == team and chosen.get(team) == graph.unit[node])


def _tracker(
    cp_model: ModuleType,
    built: _Built,
    graph: Graph,
    constraints: Constraints,
    started: float,
    progress: Progress | None,
) -> Any:
    """A solution callback keeping the truly best assignment (``.best``) and reporting each
    better one to ``progress``.

    A solution's true objective can be below the model's (a ``cut`` the search left at 1
    between teammates, a team that chose a unit other than its plurality), so the model's last
    solution need not be the truly best one seen.
    """

    class Tracker(cp_model.CpSolverSolutionCallback):  # type: ignore[misc, name-defined]
        best: tuple[int, ...] = ()
        value = math.inf

        def on_solution_callback(self) -> None:
            teams = _teams(built, self.boolean_value)
            found = objective(graph, constraints, teams)
            if found < self.value:
                self.best, self.value = teams, found
                if progress is not None:
                    bound = self.best_objective_bound / built.weight.factor
                    progress(time.perf_counter() - started, found, max(0.0, min(bound, found)))

    return Tracker()


def _describe(constraints: Constraints) -> str:
    """The constraints in force, in words, for an error message."""
    parts = [f"team sizes {constraints.min_size:g}–{constraints.max_size:g}"]
    if constraints.teams is not None:
        parts.append(f"exactly {constraints.teams} teams")
    if constraints.require:
        parts.append(f"--require {','.join(constraints.require)}")
    for kind, groups in (("together", constraints.together), ("apart", constraints.apart)):
        if groups:
            parts.append(f"{len(groups)} {kind} group{'s' if len(groups) > 1 else ''}")
    if constraints.fixed:
        parts.append(f"{len(constraints.fixed)} pinned")
    return ", ".join(parts)
