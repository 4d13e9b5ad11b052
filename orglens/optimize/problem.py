"""The team-design problem: people (nodes) with a size, how much each pair must work together,
and the constraints an organization has; and what a solver returns.

Choose a team for every node so that the weight crossing team boundaries, plus ``move_cost`` ×
the people who change unit, is as small as possible. A team's *unit* is the current unit most of
its members come from (a plurality: ties to the unit first in :attr:`Graph.units`); a node moves
when its team's unit is not its own. This is the handover minimisation problem of the
operations-research literature (Morán-Mirabal et al. 2013) with an organization's constraints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Constraints",
    "Graph",
    "Progress",
    "Solution",
    "cross_weight",
    "movers",
    "objective",
    "violations",
]

#: Called by a solver now and then: ``(seconds spent, best objective so far, its lower bound)``.
Progress = Callable[[float, float, float], None]


@dataclass(frozen=True)
class Graph:
    """Nodes and the weight between them.

    ``nodes`` are ids (person ids, or roles); ``size`` each node's size (1 for a person, its
    FTE with ``--size-by fte``, a node weight in the handover instances); ``edges`` the pairs
    ``(i, j, weight)`` with ``i < j`` and ``weight > 0`` (symmetric: both directions summed);
    ``unit`` each node's current unit as an index into ``units`` (``None``: no current unit, it
    never counts as moving); ``labels`` each node's functions and competences (for ``require``).
    """

    nodes: tuple[str, ...]
    size: tuple[float, ...]
    edges: tuple[tuple[int, int, float], ...]
    unit: tuple[int | None, ...] = ()
    units: tuple[str, ...] = ()
    labels: tuple[frozenset[str], ...] = ()

    def __post_init__(self) -> None:
        count = len(self.nodes)
        if len(self.size) != count:
            raise ValueError(f"{len(self.size)} sizes for {count} nodes")
        if self.unit and len(self.unit) != count:
            raise ValueError(f"{len(self.unit)} units for {count} nodes")
        if self.labels and len(self.labels) != count:
            raise ValueError(f"{len(self.labels)} label sets for {count} nodes")
        for i, j, weight in self.edges:
            if not 0 <= i < j < count or weight <= 0:
                raise ValueError(f"edge {(i, j, weight)!r}: needs 0 <= i < j < {count}, weight > 0")

    @property
    def total_weight(self) -> float:
        return sum(weight for _, _, weight in self.edges)


@dataclass(frozen=True)
class Constraints:
    """What every team must satisfy (all optional but the size range).

    - ``min_size`` / ``max_size``: each team's total node size (people, or FTE);
    - ``teams``: exactly this many (non-empty) teams; ``None`` lets the solver choose;
    - ``require``: labels every team must hold at least one node of (``--require sales,marketing``);
    - ``together`` / ``apart``: groups of node indices that must share a team / must all be in
      different teams;
    - ``fixed``: node index → team index it must be in (pinned people, ``--keep``; teams are
      numbered from 0, so pinning breaks the teams' symmetry);
    - ``move_cost``: the cost of one person changing unit, in units of weight.
    """

    min_size: float = 1.0
    max_size: float = float("inf")
    teams: int | None = None
    require: tuple[str, ...] = ()
    together: tuple[tuple[int, ...], ...] = ()
    apart: tuple[tuple[int, ...], ...] = ()
    fixed: Mapping[int, int] = field(default_factory=dict)
    move_cost: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_size": self.min_size,
            "max_size": None if self.max_size == float("inf") else self.max_size,
            "teams": self.teams,
            "require": list(self.require),
            "together": [list(group) for group in self.together],
            "apart": [list(group) for group in self.apart],
            "fixed": {str(node): team for node, team in sorted(self.fixed.items())},
            "move_cost": self.move_cost,
        }


@dataclass(frozen=True)
class Solution:
    """A solver's answer: ``assignment[i]`` is node ``i``'s team (0, 1, ...; every team
    non-empty), its ``cross_weight`` and ``moved`` people, ``objective`` (cross weight + move
    cost × moved), ``lower_bound`` on the best objective possible, whether the solver proved it
    ``optimal``, which ``solver`` and how many ``seconds``."""

    assignment: tuple[int, ...]
    cross_weight: float
    moved: int
    objective: float
    lower_bound: float
    optimal: bool
    solver: str
    seconds: float

    @property
    def gap(self) -> float:
        """``(objective - lower_bound) / objective``: 0 when proved optimal (or both are 0)."""
        if self.optimal or self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.lower_bound) / self.objective)

    @property
    def teams(self) -> int:
        return len(set(self.assignment))


def cross_weight(graph: Graph, assignment: Sequence[int]) -> float:
    """The weight of the edges whose ends are in different teams."""
    return sum((w for i, j, w in graph.edges if assignment[i] != assignment[j]), 0.0)


def movers(graph: Graph, assignment: Sequence[int]) -> int:
    """The nodes whose team's unit (the plurality of its members' current units) is not their
    own; nodes without a current unit never move."""
    if not graph.unit:
        return 0
    counts: dict[int, dict[int, int]] = {}
    for team, unit in zip(assignment, graph.unit, strict=True):
        if unit is not None:
            per = counts.setdefault(team, {})
            per[unit] = per.get(unit, 0) + 1
    return sum(sum(per.values()) - max(per.values()) for per in counts.values())


def objective(graph: Graph, constraints: Constraints, assignment: Sequence[int]) -> float:
    """What the solvers minimise: cross weight + ``move_cost`` × movers."""
    cost = cross_weight(graph, assignment)
    if constraints.move_cost:
        cost += constraints.move_cost * movers(graph, assignment)
    return cost


def violations(graph: Graph, constraints: Constraints, assignment: Sequence[int]) -> list[str]:
    """Every constraint ``assignment`` breaks, in words (empty: feasible)."""
    found: list[str] = []
    if len(assignment) != len(graph.nodes):
        return [f"{len(assignment)} teams given for {len(graph.nodes)} nodes"]
    sizes: dict[int, float] = {}
    for team, size in zip(assignment, graph.size, strict=True):
        sizes[team] = sizes.get(team, 0.0) + size
    for team, size in sorted(sizes.items()):
        if not constraints.min_size - 1e-9 <= size <= constraints.max_size + 1e-9:
            found.append(
                f"team {team} has size {size:g}, outside "
                f"{constraints.min_size:g}–{constraints.max_size:g}"
            )
    if sorted(sizes) != list(range(len(sizes))):
        found.append(f"teams {sorted(sizes)} are not numbered 0..{len(sizes) - 1}")
    if constraints.teams is not None and len(sizes) != constraints.teams:
        found.append(f"{len(sizes)} teams, not {constraints.teams}")
    for label in constraints.require:
        lacking = sorted(
            team
            for team in sizes
            if not any(
                assignment[i] == team and label in graph.labels[i] for i in range(len(assignment))
            )
        )
        if lacking:
            found.append(f"teams {lacking} have nobody of {label!r}")
    for group in constraints.together:
        if len({assignment[i] for i in group}) > 1:
            found.append(f"nodes {list(group)} must share a team")
    for group in constraints.apart:
        if len({assignment[i] for i in group}) < len(group):
            found.append(f"nodes {list(group)} must be in different teams")
    for node, team in constraints.fixed.items():
        if assignment[node] != team:
            found.append(f"node {node} must be in team {team}")
    return found
