"""Constraints that no team design can meet, found by counting before any solving.

:func:`check` raises a :class:`~orglens.errors.UsageError` whose sentence names the constraint
that cannot be met ("12 people cannot form teams of 5–5"). It is not a proof of feasibility:
sizes that cannot be packed (FTE of 0.8 and 0.7 into teams of exactly 1), or labels, pins and
groups that only conflict in combination, pass it; the solvers report those.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from orglens.errors import Problem, UsageError
from orglens.optimize.problem import Constraints, Graph

__all__ = ["check", "team_count_range", "together_groups"]

_EPS = 1e-9


def together_groups(graph: Graph, constraints: Constraints) -> tuple[int, ...]:
    """Each node's group among those that must share a team (``together`` groups joined when
    they overlap), numbered 0, 1, ... in order of first node.

    >>> g = Graph(nodes=("a", "b", "c", "d"), size=(1, 1, 1, 1), edges=())
    >>> together_groups(g, Constraints(together=((3, 1), (1, 2))))
    (0, 1, 1, 1)
    """
    parent = list(range(len(graph.nodes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for group in constraints.together:
        for i in group[1:]:
            parent[root(i)] = root(group[0])
    number: dict[int, int] = {}
    return tuple(number.setdefault(root(i), len(number)) for i in range(len(graph.nodes)))


def team_count_range(graph: Graph, constraints: Constraints) -> range:
    """The numbers of teams the constraints allow, by counting: ``k × min_size ≤ total size ≤
    k × max_size``, at most one team per node (per ``together`` group), exactly ``teams`` when
    given, at least as many as the largest ``apart`` group and the highest pinned team index + 1,
    at most as many as the holders of each required label. Empty when none fits.

    >>> g = Graph(nodes=tuple("abcdefghijkl"), size=(1.0,) * 12, edges=())
    >>> team_count_range(g, Constraints(min_size=3, max_size=5))
    range(3, 5)
    >>> team_count_range(g, Constraints(min_size=5, max_size=5))
    range(3, 3)
    """
    low, high = _size_range(graph, constraints)
    for _, bound_low, bound_high in _count_bounds(graph, constraints):
        low, high = max(low, bound_low), min(high, bound_high)
    return range(low, max(low, high + 1))


def check(graph: Graph, constraints: Constraints) -> None:
    """Raise :class:`~orglens.errors.UsageError` naming the first constraint that no team
    design can meet; return ``None`` when counting finds none (not a proof that one exists).

    >>> g = Graph(nodes=tuple("abcdefghijkl"), size=(1.0,) * 12, edges=())
    >>> check(g, Constraints(min_size=3, max_size=5))
    >>> check(g, Constraints(min_size=5, max_size=5))
    Traceback (most recent call last):
    ...
    orglens.errors.UsageError: <input>: 12 people cannot form teams of 5–5 — ...
    """
    _check_ranges(graph, constraints)
    _check_indices(graph, constraints)
    _check_sizes(graph, constraints)
    _check_groups(graph, constraints)
    _check_count(graph, constraints)


def _fail(what: str, fix: str) -> UsageError:
    return UsageError(Problem(what, fix))


def _people(graph: Graph) -> str:
    """How to speak of the nodes' total: "12 people", or "a total size of 10.5"."""
    total = sum(graph.size)
    if all(size == 1 for size in graph.size):
        return "1 person" if len(graph.nodes) == 1 else f"{len(graph.nodes)} people"
    return f"a total size of {total:g}"


def _sizes(constraints: Constraints) -> str:
    return f"{constraints.min_size:g}–{constraints.max_size:g}"


def _names(graph: Graph, nodes: Sequence[int]) -> str:
    shown = ", ".join(repr(graph.nodes[i]) for i in list(nodes)[:5])
    return shown + (f" and {len(nodes) - 5} more" if len(nodes) > 5 else "")


def _check_ranges(graph: Graph, constraints: Constraints) -> None:
    if constraints.min_size > constraints.max_size:
        raise _fail(
            f"teams cannot have a size of at least {constraints.min_size:g} "
            f"and at most {constraints.max_size:g}",
            "make --min-team at most --max-team",
        )
    if constraints.teams is not None and constraints.teams < 1 and graph.nodes:
        raise _fail(
            f"--teams {constraints.teams}: a design needs at least one team",
            "give --teams 1 or more, or leave it out to let the optimizer choose",
        )
    if constraints.move_cost < 0:
        raise _fail(
            f"--move-cost {constraints.move_cost:g} is negative",
            "give a move cost of 0 or more",
        )


def _check_indices(graph: Graph, constraints: Constraints) -> None:
    count = len(graph.nodes)
    for kind, groups in (("together", constraints.together), ("apart", constraints.apart)):
        for group in groups:
            for node in group:
                if not 0 <= node < count:
                    raise _fail(
                        f"the {kind} group {list(group)} names node {node}, "
                        f"but there are {count} nodes",
                        "name nodes by their index, from 0",
                    )
    for node, team in constraints.fixed.items():
        if not 0 <= node < count:
            raise _fail(
                f"node {node} is pinned, but there are {count} nodes",
                "name nodes by their index, from 0",
            )
        if team < 0:
            raise _fail(
                f"{graph.nodes[node]!r} is pinned to team {team}",
                "number teams from 0",
            )
    if constraints.require and len(graph.labels) != count:
        raise _fail(
            f"--require {','.join(constraints.require)}: the nodes carry no labels",
            "give the people's functions or competences, or leave out --require",
        )


def _check_sizes(graph: Graph, constraints: Constraints) -> None:
    largest = constraints.max_size + _EPS
    for node, size in enumerate(graph.size):
        if size > largest:
            raise _fail(
                f"{graph.nodes[node]!r} has size {size:g}, "
                f"more than a team's maximum of {constraints.max_size:g}",
                "raise --max-team",
            )
    groups = together_groups(graph, constraints)
    group_size: dict[int, float] = {}
    for node, group in enumerate(groups):
        group_size[group] = group_size.get(group, 0.0) + graph.size[node]
    for group, size in group_size.items():
        if size > largest:
            members = [node for node, g in enumerate(groups) if g == group]
            raise _fail(
                f"{_names(graph, members)} must stay together but have size {size:g}, "
                f"more than a team's maximum of {constraints.max_size:g}",
                "raise --max-team or split the group",
            )
    pinned: dict[int, set[int]] = {}
    for node, team in constraints.fixed.items():
        pinned.setdefault(team, set()).add(groups[node])
    for team, pinned_groups in sorted(pinned.items()):
        size = sum(group_size[group] for group in pinned_groups)
        if size > largest:
            raise _fail(
                f"the people pinned to team {team} have size {size:g}, "
                f"more than a team's maximum of {constraints.max_size:g}",
                "pin fewer people to that team or raise --max-team",
            )


def _check_groups(graph: Graph, constraints: Constraints) -> None:
    groups = together_groups(graph, constraints)
    pinned_group: dict[int, tuple[int, int]] = {}
    for node, team in sorted(constraints.fixed.items()):
        other = pinned_group.setdefault(groups[node], (node, team))
        if other[1] != team:
            raise _fail(
                f"{graph.nodes[other[0]]!r} and {graph.nodes[node]!r} must stay together "
                f"but are pinned to teams {other[1]} and {team}",
                "pin them to the same team or let them part",
            )
    for group in constraints.apart:
        seen: dict[int, int] = {}
        for node in group:
            if groups[node] in seen:
                first = seen[groups[node]]
                raise _fail(
                    f"{graph.nodes[first]!r} and {graph.nodes[node]!r} "
                    "must both share a team and be in different teams",
                    "drop one of the two constraints",
                )
            seen[groups[node]] = node
        by_team: dict[int, int] = {}
        for node in group:
            pin = _pinned_team(constraints, groups, node)
            if pin is None:
                continue
            if pin in by_team:
                raise _fail(
                    f"{graph.nodes[by_team[pin]]!r} and {graph.nodes[node]!r} must be in "
                    f"different teams but are both pinned to team {pin}",
                    "pin one of them to another team",
                )
            by_team[pin] = node


def _pinned_team(constraints: Constraints, groups: Sequence[int], node: int) -> int | None:
    """The team ``node`` must be in: its own pin or a pin of its together group."""
    if node in constraints.fixed:
        return constraints.fixed[node]
    for other, team in constraints.fixed.items():
        if groups[other] == groups[node]:
            return team
    return None


def _size_range(graph: Graph, constraints: Constraints) -> tuple[int, int]:
    """The team counts ``k`` with ``k × min ≤ total ≤ k × max`` and ``1 ≤ k ≤ nodes``."""
    total = sum(graph.size)
    count = len(graph.nodes)
    if count == 0:
        return 0, 0
    low = 1
    if constraints.max_size < math.inf:
        low = max(low, math.ceil(total / constraints.max_size - _EPS))
    high = count
    if constraints.min_size > 0:
        high = min(high, math.floor(total / constraints.min_size + _EPS))
    return low, high


def _count_bounds(graph: Graph, constraints: Constraints) -> list[tuple[str, int, int]]:
    """Other bounds on the team count, each with what it comes from: ``(what, low, high)``."""
    unbounded = len(graph.nodes)
    bounds: list[tuple[str, int, int]] = []
    groups = together_groups(graph, constraints)
    if graph.nodes:
        bounds.append(("together", 0, max(groups) + 1))
    if constraints.teams is not None:
        bounds.append(("teams", constraints.teams, constraints.teams))
    for node, team in sorted(constraints.fixed.items(), key=lambda item: -item[1])[:1]:
        bounds.append((f"fixed:{node}", team + 1, unbounded))
    for index, group in sorted(enumerate(constraints.apart), key=lambda item: -len(item[1]))[:1]:
        bounds.append((f"apart:{index}", len(group), unbounded))
    for label in constraints.require:
        holders = {groups[i] for i, labels in enumerate(graph.labels) if label in labels}
        bounds.append((f"require:{label}", 0, len(holders)))
    return bounds


def _check_count(graph: Graph, constraints: Constraints) -> None:
    low, high = _size_range(graph, constraints)
    teams = constraints.teams
    total = sum(graph.size)
    people = _people(graph)
    if teams is None and low > high:
        raise _fail(
            f"{people} cannot form teams of {_sizes(constraints)}",
            "widen --min-team/--max-team",
        )
    if teams is not None:
        if teams * constraints.max_size < total - _EPS:
            raise _fail(
                f"{people} do not fit in {teams} teams of at most {constraints.max_size:g}",
                "raise --teams or --max-team",
            )
        if teams * constraints.min_size > total + _EPS:
            raise _fail(
                f"{people} cannot fill {teams} teams of at least {constraints.min_size:g}",
                "lower --teams or --min-team",
            )
        if teams > len(graph.nodes):
            raise _fail(f"{people} cannot form {teams} teams", "lower --teams")
    for what, bound_low, bound_high in _count_bounds(graph, constraints):
        if max(low, bound_low) > min(high, bound_high):
            raise _fail(*_count_sentence(graph, constraints, what, (low, high), bound_high))
        low, high = max(low, bound_low), min(high, bound_high)


def _count_sentence(
    graph: Graph, constraints: Constraints, what: str, counts: tuple[int, int], bound_high: int
) -> tuple[str, str]:
    """The sentence and the fix when the bound ``what`` (at most ``bound_high``) leaves no
    team count in the range ``counts`` the earlier constraints allow."""
    kind, _, key = what.partition(":")
    low, high = counts
    allowed = (
        f"there are only {constraints.teams} teams"
        if constraints.teams is not None
        else f"teams of {_sizes(constraints)} allow at most {high}"
    )
    if kind == "together":
        return (
            f"{_people(graph)} form only {bound_high} groups that must each stay together, "
            f"too few for {low} teams",
            "lower --teams or let some groups part",
        )
    if kind == "fixed":
        node = int(key)
        return (
            f"{graph.nodes[node]!r} is pinned to team {constraints.fixed[node]} (numbered from 0), "
            f"but {allowed}",
            "pin to a lower team number or raise --teams",
        )
    if kind == "apart":
        group = constraints.apart[int(key)]
        return (
            f"{len(group)} people must be in different teams, but {allowed}",
            "split the group or raise --teams",
        )
    hold = {0: "nobody holds it", 1: "1 person holds it"}.get(
        bound_high, f"{bound_high} people hold it"
    )
    return (
        f"--require {key}: {hold}, "
        + ("1 team needs one" if low == 1 else f"{low} teams need one each"),
        f"lower --teams or drop {key!r} from --require",
    )
