"""The optimizer applied to an organization: its graph, its constraints, teams as a scenario.

:func:`optimize` builds the graph (:mod:`orglens.optimize.build`), turns the options a user
gives (``--teams``, ``--keep``...) into :class:`Constraints` over its nodes, solves, and names
the teams: each after the unit most of its members are in today (``Sales 1``, ``Sales 2``...).
The result is an :class:`Optimized`: the JSON of ``orglens optimize`` and the scenario in the
scenarios' YAML form, which ``orglens compare`` then scores beside the built-in designs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from orglens.errors import Problem, UsageError
from orglens.mining import SocialNetwork
from orglens.model import FormTeams, Organization, Scenario
from orglens.optimize.build import people_graph
from orglens.optimize.problem import Constraints, Graph, Progress, Solution
from orglens.optimize.solve import solve

__all__ = ["OPTIMIZED", "Optimized", "TeamOptions", "optimize"]

#: The name of the scenario the optimizer writes (``scenarios/optimized.yaml``).
OPTIMIZED = "optimized"


@dataclass(frozen=True)
class TeamOptions:
    """What a user asks of the teams (the options of ``orglens optimize``).

    Sizes default to ``settings.team_size``; ``max_span`` caps a team at its lead plus that many
    (people only); ``keep`` pins people in their current unit (pinned people of one unit share a
    team, apart from those of other units), ``keep_unit`` pins everyone of a unit; ``together``
    and ``apart`` are groups of person ids.
    """

    teams: int | None = None
    min_team: float | None = None
    max_team: float | None = None
    size_by: str = "people"
    require: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    keep_unit: tuple[str, ...] = ()
    together: tuple[tuple[str, ...], ...] = ()
    apart: tuple[tuple[str, ...], ...] = ()
    max_span: int | None = None
    move_cost: float = 0.0
    weights: Mapping[str, float] = field(default_factory=dict)
    by: str = "person"

    def to_dict(self) -> dict[str, Any]:
        return {
            "teams": self.teams,
            "min_team": self.min_team,
            "max_team": self.max_team,
            "size_by": self.size_by,
            "require": list(self.require),
            "keep": list(self.keep),
            "keep_unit": list(self.keep_unit),
            "together": [list(group) for group in self.together],
            "apart": [list(group) for group in self.apart],
            "max_span": self.max_span,
            "move_cost": self.move_cost,
            "weights": dict(self.weights),
            "by": self.by,
        }


@dataclass(frozen=True)
class Optimized:
    """The teams the optimizer proposes: ``teams`` (name → person ids), the solver's
    ``solution`` on ``graph``, the ``options`` asked and the ``warnings`` of building the graph."""

    teams: Mapping[str, tuple[str, ...]]
    solution: Solution
    graph: Graph
    options: TeamOptions
    warnings: tuple[str, ...] = ()
    #: Person id → name (the id when a person has none), for showing the teams.
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def assignment(self) -> dict[str, str]:
        """Person id → team name."""
        return {person: team for team, people in self.teams.items() for person in people}

    def scenario(self, name: str = OPTIMIZED) -> Scenario:
        """The teams as a scenario (the ``teams`` operation)."""
        solution = self.solution
        state = "optimal" if solution.optimal else f"within {solution.gap:.1%} of the best"
        return Scenario(
            name=name,
            description=(
                f"{len(self.teams)} teams proposed by orglens optimize: cross-team weight "
                f"{solution.cross_weight:.6g} ({state}; {solution.solver})"
            ),
            operations=[FormTeams(teams=dict(self.teams))],
        )

    def to_dict(self) -> dict[str, Any]:
        """``{"assignment": {person_id: team}, "cross_team_weight", "lower_bound", "optimal",
        "gap", "solver", "seconds", "constraints", "moved", "objective", "teams", "warnings"}``."""
        solution = self.solution
        return {
            "assignment": self.assignment,
            "cross_team_weight": round(solution.cross_weight, 6),
            "lower_bound": round(solution.lower_bound, 6),
            "optimal": solution.optimal,
            "gap": round(solution.gap, 6),
            "solver": solution.solver,
            "seconds": round(solution.seconds, 3),
            "constraints": self.options.to_dict(),
            "objective": round(solution.objective, 6),
            "moved": solution.moved,
            "total_weight": round(self.graph.total_weight, 6),
            "teams": {team: list(people) for team, people in self.teams.items()},
            "warnings": list(self.warnings),
        }


def _constraints(
    org: Organization, options: TeamOptions, members: Sequence[Sequence[str]]
) -> Constraints:
    node = {person: i for i, people in enumerate(members) for person in people}
    known = {person.id for person in org.people}

    def nodes(people: Sequence[str], option: str) -> tuple[int, ...]:
        unknown = [p for p in people if p not in known]
        if unknown:
            raise UsageError(
                Problem(
                    f"{option}: no person {', '.join(map(repr, unknown[:5]))}",
                    "name people by their id in people.csv",
                )
            )
        return tuple(dict.fromkeys(node[p] for p in people))

    low, high = org.settings.team_size
    min_size = float(options.min_team if options.min_team is not None else low)
    max_size = float(options.max_team if options.max_team is not None else high)
    if options.max_span is not None:
        if options.size_by != "people":
            raise UsageError(
                Problem("--max-span counts people", "use it with --size-by people (the default)")
            )
        max_size = min(max_size, options.max_span + 1.0)
    units = {unit.id for unit in org.units} | {person.unit for person in org.people}
    missing = [unit for unit in options.keep_unit if unit not in units]
    if missing:
        raise UsageError(
            Problem(f"--keep-unit: no unit {', '.join(map(repr, missing))}", "name units by id")
        )
    pinned: defaultdict[str, list[str]] = defaultdict(list)
    for person in org.people:
        if person.id in options.keep or person.unit in options.keep_unit:
            pinned[person.unit].append(person.id)
    nodes(list(options.keep), "--keep")
    together = [nodes(group, "--together") for group in options.together]
    together += [nodes(people, "--keep") for people in pinned.values() if len(people) > 1]
    apart = [nodes(group, "--apart") for group in options.apart]
    if len(pinned) > 1:
        apart.append(tuple(node[people[0]] for people in pinned.values()))
    return Constraints(
        min_size=min_size,
        max_size=max_size,
        teams=options.teams,
        require=tuple(label.strip().lower() for label in options.require if label.strip()),
        together=tuple(group for group in together if len(group) > 1),
        apart=tuple(group for group in apart if len(group) > 1),
        move_cost=options.move_cost,
    )


def _named(
    org: Organization, graph: Graph, members: Sequence[Sequence[str]], solution: Solution
) -> dict[str, tuple[str, ...]]:
    by_team: defaultdict[int, list[str]] = defaultdict(list)
    for index, team in enumerate(solution.assignment):
        by_team[team].extend(members[index])
    unit_of = {person.id: person.unit for person in org.people}
    name_of = {unit.id: unit.name or unit.id for unit in org.units}
    home = {
        team: Counter(unit_of[p] for p in people).most_common(1)[0][0]
        for team, people in by_team.items()
    }
    # teams in the order of their home unit's first person, then by size (largest first)
    order = {unit: i for i, unit in enumerate(dict.fromkeys(unit_of.values()))}
    ranked = sorted(
        by_team, key=lambda team: (order[home[team]], -len(by_team[team]), min(by_team[team]))
    )
    counts: Counter[str] = Counter()
    named: dict[str, tuple[str, ...]] = {}
    for team in ranked:
        counts[home[team]] += 1
        label = f"{name_of.get(home[team], home[team])} {counts[home[team]]}"
        named[label] = tuple(by_team[team])
    return named


def optimize(
    org: Organization,
    /,
    options: TeamOptions | None = None,
    *,
    handovers: SocialNetwork | None = None,
    years: float | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
    exact: bool | None = None,
    progress: Progress | None = None,
) -> Optimized:
    """Propose teams for ``org`` (see the module documentation).

    ``handovers`` (the event log's resource handover network) and ``years`` (the span of the log)
    add the mined work between people to the declared coordination.
    """
    asked = options or TeamOptions()
    built = people_graph(
        org,
        handovers=handovers,
        years=years,
        weights=asked.weights,
        by=asked.by,
        size_by=asked.size_by,
    )
    constraints = _constraints(org, asked, built.members)
    idle = not built.graph.edges and constraints.move_cost == 0
    if idle:
        # nothing to keep inside teams: the only thing left to minimise is who moves
        constraints = replace(constraints, move_cost=1.0)
    solution = solve(
        built.graph, constraints, time_limit=time_limit, seed=seed, exact=exact, progress=progress
    )
    teams = _named(org, built.graph, built.members, solution)
    warnings = list(built.warnings)
    if not built.graph.edges:
        warnings.append(
            "nobody needs to work with anybody here (no event log handoffs between people and "
            "no coordination.csv): every grouping is as good"
            + (
                "; the teams keep as many people in today's units as the sizes allow"
                if idle
                else ""
            )
        )
    names = {person.id: person.name or person.id for person in org.people}
    return Optimized(teams, solution, built.graph, asked, tuple(warnings), names)
