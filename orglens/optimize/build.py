"""The graph the optimizer partitions, built from an organization: who must work with whom.

Nodes are people (``by="person"``) or roles (``by="role"``: everyone of a role is one node, its
size their number or FTE, its unit the unit most of them are in). The weight between two nodes
adds, each multiplied by its factor in ``weights``:

- ``handover``: the mined handoffs between the two, both directions, per year (the event log's
  resources matched to people as everywhere in orglens; a handoff from someone to themselves,
  or to or from a resource that is nobody, is left out and counted in a warning);
- ``coordination``: the declared coordination needs (``coordination.csv``). A need between two
  people links them; a need between two units is spread evenly over every pair of their
  members (its whole weight, shared), so a unit pair's total stays what was declared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from orglens.errors import Problem, UsageError
from orglens.lenses.resources import people_of_resources
from orglens.mining import SocialNetwork
from orglens.model import Organization
from orglens.optimize.problem import Graph

__all__ = ["WEIGHT_KINDS", "BuildResult", "people_graph"]

#: The kinds of weight ``--weights`` takes.
WEIGHT_KINDS = ("handover", "coordination")


@dataclass(frozen=True)
class BuildResult:
    """The graph, what each node stands for (``members[i]``: the person ids of node ``i``) and
    what was left out, in words."""

    graph: Graph
    members: tuple[tuple[str, ...], ...]
    warnings: tuple[str, ...]


def _key(org: Organization, by: str) -> dict[str, str]:
    if by == "person":
        return {person.id: person.id for person in org.people}
    if by == "role":
        return {person.id: person.role or f"(no role: {person.unit})" for person in org.people}
    raise UsageError(Problem(f"cannot group by {by!r}", "use person or role"))


def people_graph(
    org: Organization,
    /,
    *,
    handovers: SocialNetwork | None = None,
    years: float | None = None,
    weights: Mapping[str, float] | None = None,
    by: str = "person",
    size_by: str = "people",
) -> BuildResult:
    """The optimizer's graph of ``org`` (see the module documentation).

    ``handovers`` is the event log's resource handover network (counts) and ``years`` the span
    the log covers (counts are divided by it; ``None``: counts as they are).

    Examples
    --------
    >>> from orglens.model import CoordinationNeed, Organization, Person
    >>> org = Organization(
    ...     people=[Person(id="a", unit="x"), Person(id="b", unit="x"), Person(id="c", unit="y")],
    ...     coordination=[CoordinationNeed(source="x", target="y", weight=4)])
    >>> built = people_graph(org)
    >>> built.graph.nodes, built.graph.edges
    (('a', 'b', 'c'), ((0, 2, 2.0), (1, 2, 2.0)))
    """
    factors = {kind: 1.0 for kind in WEIGHT_KINDS} | dict(weights or {})
    unknown = sorted(set(factors) - set(WEIGHT_KINDS))
    if unknown:
        raise UsageError(
            Problem(f"unknown weight {', '.join(map(repr, unknown))}", "use handover, coordination")
        )
    if size_by not in ("people", "fte"):
        raise UsageError(Problem(f"cannot size teams by {size_by!r}", "use people or fte"))
    node_of = _key(org, by)
    names = list(dict.fromkeys(node_of[person.id] for person in org.people))
    index = {name: i for i, name in enumerate(names)}
    members: list[list[str]] = [[] for _ in names]
    size = [0.0] * len(names)
    labels: list[set[str]] = [set() for _ in names]
    unit_votes: list[Counter[str]] = [Counter() for _ in names]
    function = {unit.id: unit.function for unit in org.units}
    for person in org.people:
        i = index[node_of[person.id]]
        members[i].append(person.id)
        size[i] += person.fte if size_by == "fte" else 1.0
        labels[i].update(c.strip().lower() for c in person.competences if c.strip())
        if function.get(person.unit):
            labels[i].add(str(function[person.unit]).lower())
        unit_votes[i][person.unit] += 1
    units = tuple(dict.fromkeys(person.unit for person in org.people))
    unit_index = {unit: u for u, unit in enumerate(units)}
    weight: defaultdict[tuple[int, int], float] = defaultdict(float)
    warnings: list[str] = []

    def add(a: int, b: int, amount: float) -> None:
        if a != b and amount > 0:
            weight[(a, b) if a < b else (b, a)] += amount

    if handovers is not None and factors["handover"]:
        warnings += _add_handovers(org, handovers, years, node_of, index, factors["handover"], add)
    if factors["coordination"]:
        by_unit: defaultdict[str, list[int]] = defaultdict(list)
        for person in org.people:
            by_unit[person.unit].append(index[node_of[person.id]])
        person_ids = {person.id for person in org.people}
        for need in org.coordination:
            sources = (
                [index[node_of[need.source]]]
                if need.source in person_ids
                else by_unit.get(need.source, [])
            )
            targets = (
                [index[node_of[need.target]]]
                if need.target in person_ids
                else by_unit.get(need.target, [])
            )
            pairs = [(a, b) for a in sources for b in targets if a != b]
            for a, b in pairs:
                add(a, b, factors["coordination"] * need.weight / len(pairs))
    graph = Graph(
        nodes=tuple(names),
        size=tuple(size),
        edges=tuple((a, b, w) for (a, b), w in sorted(weight.items())),
        unit=tuple(unit_index[votes.most_common(1)[0][0]] for votes in unit_votes),
        units=units,
        labels=tuple(frozenset(found) for found in labels),
    )
    return BuildResult(graph, tuple(tuple(found) for found in members), tuple(warnings))


def _add_handovers(
    org: Organization,
    handovers: SocialNetwork,
    years: float | None,
    node_of: Mapping[str, str],
    index: Mapping[str, int],
    factor: float,
    add: Callable[[int, int, float], None],
) -> list[str]:
    resources = {edge.source for edge in handovers.edges} | {
        edge.target for edge in handovers.edges
    }
    person_of = people_of_resources(org, resources)
    per_year = 1.0 / years if years else 1.0
    unmatched = own = 0
    for edge in handovers.edges:
        source, target = person_of.get(edge.source), person_of.get(edge.target)
        if source is None or target is None:
            unmatched += edge.count
            continue
        a, b = index[node_of[source]], index[node_of[target]]
        if a == b:
            own += edge.count
            continue
        add(a, b, factor * edge.count * per_year)
    total = sum(edge.count for edge in handovers.edges)
    found = []
    if unmatched:
        found.append(
            f"{unmatched:,} of {total:,} handoffs in the event log involve a resource that is "
            "nobody in people.csv: left out of the optimizer's weights"
        )
    if own:
        found.append(
            f"{own:,} of {total:,} handoffs in the event log go from a person to themselves "
            "(or within one role): they weigh nothing in the optimizer"
        )
    return found
