"""The graphs of the optimizer benchmark (bench/optimize.py), each as an ``orglens.optimize``
:class:`~orglens.optimize.Graph` with the :class:`~orglens.optimize.Constraints` it is solved
under.

- Real organizations (``../shared/data/orgs``; see its SOURCES.md):

  - ``krackhardt-advice``: Krackhardt's 21 high-tech managers; weight between two managers =
    advice ties between them (0, 1 or 2: both directions summed); unit = department; teams of
    5–9 (orglens' default ``settings.team_size``).
  - ``lazega-cowork``: Lazega's 71 lawyers; weight = co-work nominations between the two (1 or
    2); unit = office; teams of 4–9 (the issue's figure: METIS's best balanced cut there is 811).
  - ``enron-email``: the 184 Enron mailboxes; weight = messages between the two (to, cc and bcc,
    both directions; messages to oneself left out); no unit; teams of 5–9.

- ``demo``: the demo company (``examples/demo``, 147 people). Weight: the declared coordination
  (``coordination.csv``): a need between two people links them; a need between two units is
  spread evenly over every pair of their members (as ``orglens optimize`` does), so a unit
  pair keeps its declared total; plus weight 1 between every manager and each direct report.
  The event log is left out (a simple, stable graph). Unit = the person's unit; teams of 5–9
  (the demo's ``settings.team_size``).

- ``company-N``: a seeded generated company of N people (:func:`company`): teams of 4–11 people
  in departments of 4–10 teams, departments chained into journeys (value streams of up to 6
  departments); heavy work inside teams, lighter work across teams of a department, handoffs
  between consecutive departments of a journey, and random noise; 10% of the people sit in
  another team of their department than the one they work with (the org chart is not the
  work). Unit = the team a person sits in; teams of 5–9.

- ``handover/N_M_SEED``: the 83 public handover minimisation instances
  (``../shared/data/optim/handover``, format in its README): node weights as sizes, the flow
  matrix's upper triangle as weights (the matrix is symmetric: each pair's flow counted once,
  as the published codes do), exactly M teams (``--teams``) of total size at most C
  (``--max-team``), no lower bound on a team's size. The literature lets a cluster stay empty;
  ``--teams M`` asks for M non-empty teams: the same optimum unless fewer teams cut less.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from orglens.optimize import Constraints, Graph

__all__ = [
    "DEMO",
    "SHARED_DATA",
    "Instance",
    "company",
    "demo",
    "enron",
    "handover",
    "handover_instances",
    "krackhardt",
    "lazega",
    "parse_handover",
    "real_organizations",
    "symmetric_edges",
]

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DEMO = ROOT / "examples" / "demo"
#: orglens' default ``settings.team_size``.
TEAM_SIZE = (5.0, 9.0)


@dataclass(frozen=True)
class Instance:
    """One benchmark graph: a name, what kind it is (``real``, ``demo``, ``generated``,
    ``handover``), the graph and the constraints it is solved under."""

    name: str
    kind: str
    graph: Graph
    constraints: Constraints

    @property
    def nodes(self) -> int:
        return len(self.graph.nodes)

    @property
    def edges(self) -> int:
        return len(self.graph.edges)

    def describe(self) -> str:
        """The constraints in the words of ``orglens optimize``'s options.

        >>> from orglens.optimize import Constraints, Graph
        >>> graph = Graph(nodes=("a", "b"), size=(1.0, 1.0), edges=((0, 1, 2.0),))
        >>> Instance("x", "real", graph, Constraints(min_size=1, max_size=2)).describe()
        'teams 1–2'
        >>> Instance("x", "real", graph, Constraints(min_size=0, max_size=2.5, teams=1)).describe()
        '1 teams, size ≤ 2.5'
        """
        c = self.constraints
        if c.teams is not None:
            return f"{c.teams} teams, size ≤ {c.max_size:g}"
        return f"teams {c.min_size:g}–{c.max_size:g}"


def symmetric_edges(
    arcs: Iterable[tuple[int, int, float]], count: int
) -> tuple[tuple[int, int, float], ...]:
    """Directed arcs ``(source, target, weight)`` as the graph's undirected edges: both directions
    summed, loops and zero weights left out, sorted.

    >>> symmetric_edges([(0, 1, 1.0), (1, 0, 1.0), (2, 2, 5.0), (2, 0, 3.0), (1, 2, 0.0)], 3)
    ((0, 1, 2.0), (0, 2, 3.0))
    """
    weight: defaultdict[tuple[int, int], float] = defaultdict(float)
    for a, b, w in arcs:
        if not (0 <= a < count and 0 <= b < count):
            raise ValueError(f"arc {(a, b)} outside 0..{count - 1}")
        if a != b and w > 0:
            weight[(a, b) if a < b else (b, a)] += w
    return tuple((a, b, w) for (a, b), w in sorted(weight.items()))


def _read_matrix(path: Path) -> list[list[float]]:
    with path.open(encoding="utf-8") as handle:
        return [[float(cell) for cell in row] for row in csv.reader(handle) if row]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def krackhardt(data: Path = SHARED_DATA) -> Instance:
    """Krackhardt's high-tech managers: advice ties, departments, teams of 5–9."""
    folder = data / "orgs" / "krackhardt_hightech"
    advice = _read_matrix(folder / "krackhardt_advice_adj.csv")
    attributes = _rows(folder / "krackhardt_attributes.csv")
    count = len(advice)
    arcs = [(i, j, w) for i, row in enumerate(advice) for j, w in enumerate(row) if w]
    units = tuple(sorted({f"d{row['dept']}" for row in attributes}))
    graph = Graph(
        nodes=tuple(row["id"] for row in attributes),
        size=(1.0,) * count,
        edges=symmetric_edges(arcs, count),
        unit=tuple(units.index(f"d{row['dept']}") for row in attributes),
        units=units,
    )
    return Instance("krackhardt-advice", "real", graph, Constraints(*TEAM_SIZE))


def lazega(data: Path = SHARED_DATA) -> Instance:
    """Lazega's law firm: co-work nominations, offices, teams of 4–9."""
    folder = data / "orgs" / "lazega_lawfirm"
    attributes = _rows(folder / "lazega_attributes.csv")
    ids = [row["id"] for row in attributes]
    index = {person: i for i, person in enumerate(ids)}
    arcs = [
        (index[r["from"]], index[r["to"]], 1.0) for r in _rows(folder / "lazega_cowork_edges.csv")
    ]
    offices = ("Boston", "Hartford", "Providence")
    graph = Graph(
        nodes=tuple(ids),
        size=(1.0,) * len(ids),
        edges=symmetric_edges(arcs, len(ids)),
        unit=tuple(int(row["office"]) - 1 for row in attributes),
        units=offices,
    )
    return Instance("lazega-cowork", "real", graph, Constraints(min_size=4, max_size=9))


def enron(data: Path = SHARED_DATA) -> Instance:
    """The Enron mailboxes: messages between two people, both directions; teams of 5–9."""
    folder = data / "orgs" / "enron_igraphdata"
    ids = [row["id"] for row in _rows(folder / "enron_nodes.csv")]
    index = {person: i for i, person in enumerate(ids)}
    arcs = [
        (index[row["from"]], index[row["to"]], float(row["total"]))
        for row in _rows(folder / "enron_edges_weighted.csv")
    ]
    graph = Graph(nodes=tuple(ids), size=(1.0,) * len(ids), edges=symmetric_edges(arcs, len(ids)))
    return Instance("enron-email", "real", graph, Constraints(*TEAM_SIZE))


def real_organizations(data: Path = SHARED_DATA) -> list[Instance]:
    return [krackhardt(data), lazega(data), enron(data)]


def demo(folder: Path = DEMO) -> Instance:
    """The demo company: declared coordination spread over people, plus manager–report links."""
    people = _rows(folder / "people.csv")
    ids = [row["id"] for row in people]
    index = {person: i for i, person in enumerate(ids)}
    units = tuple(dict.fromkeys(row["unit"] for row in people))
    members: defaultdict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(people):
        members[row["unit"]].append(i)
    arcs: list[tuple[int, int, float]] = []
    for need in _rows(folder / "coordination.csv"):
        sources = [index[need["source"]]] if need["source"] in index else members[need["source"]]
        targets = [index[need["target"]]] if need["target"] in index else members[need["target"]]
        pairs = [(a, b) for a in sources for b in targets if a != b]
        arcs += [(a, b, float(need["weight"]) / len(pairs)) for a, b in pairs]
    arcs += [
        (index[row["manager_id"]], i, 1.0) for i, row in enumerate(people) if row["manager_id"]
    ]
    graph = Graph(
        nodes=tuple(ids),
        size=(1.0,) * len(ids),
        edges=symmetric_edges(arcs, len(ids)),
        unit=tuple(units.index(row["unit"]) for row in people),
        units=units,
    )
    return Instance("demo", "demo", graph, Constraints(*TEAM_SIZE))


def company(people: int, seed: int = 7) -> Instance:
    """A generated company of ``people`` people (see the module documentation); the same for the
    same ``seed``.

    >>> small = company(60, seed=1)
    >>> small.nodes, small.name, small.describe()
    (60, 'company-60', 'teams 5–9')
    >>> small.graph == company(60, seed=1).graph
    True
    """
    if people < 10:
        raise ValueError(f"a company of {people} people is too small to have teams")
    rng = random.Random(seed)
    # Teams of 4–11 people (the last one takes what is left), departments of 4–10 teams,
    # journeys of up to 6 departments.
    team_of: list[int] = []
    team_sizes: list[int] = []
    while len(team_of) < people:
        size = min(rng.randint(4, 11), people - len(team_of))
        team_of += [len(team_sizes)] * size
        team_sizes.append(size)
    dept_of_team: list[int] = []
    while len(dept_of_team) < len(team_sizes):
        dept_of_team += [dept_of_team[-1] + 1 if dept_of_team else 0] * rng.randint(4, 10)
    dept_of_team = dept_of_team[: len(team_sizes)]
    departments = dept_of_team[-1] + 1
    team_members: list[list[int]] = [[] for _ in team_sizes]
    dept_members: list[list[int]] = [[] for _ in range(departments)]
    for person, team in enumerate(team_of):
        team_members[team].append(person)
        dept_members[dept_of_team[team]].append(person)
    dept_teams: list[list[int]] = [[] for _ in range(departments)]
    for team, dept in enumerate(dept_of_team):
        dept_teams[dept].append(team)

    arcs: list[tuple[int, int, float]] = []
    for members in team_members:  # heavy work inside teams
        for a_at, a in enumerate(members):
            for b in members[a_at + 1 :]:
                if rng.random() < 0.8:
                    arcs.append((a, b, float(rng.randint(5, 20))))
    for members in dept_members:  # lighter work across the teams of a department
        for a in members:
            for _ in range(2):
                b = rng.choice(members)
                if team_of[a] != team_of[b]:
                    arcs.append((a, b, float(rng.randint(1, 4))))
    journey_length = 6  # handoffs between consecutive departments of a journey
    for dept in range(departments - 1):
        if (dept + 1) % journey_length == 0:
            continue
        here, there = dept_members[dept], dept_members[dept + 1]
        for _ in range(max(2, len(here) // 2)):
            arcs.append((rng.choice(here), rng.choice(there), float(rng.randint(2, 8))))
    for _ in range(people // 2):  # noise
        arcs.append((rng.randrange(people), rng.randrange(people), 1.0))

    # The org chart: 10% sit in another team of their department.
    unit = list(team_of)
    for person, team in enumerate(team_of):
        others = [t for t in dept_teams[dept_of_team[team]] if t != team]
        if others and rng.random() < 0.1:
            unit[person] = rng.choice(others)
    graph = Graph(
        nodes=tuple(f"E{person + 1:06d}" for person in range(people)),
        size=(1.0,) * people,
        edges=symmetric_edges(arcs, people),
        unit=tuple(unit),
        units=tuple(f"d{dept_of_team[team]}-t{team}" for team in range(len(team_sizes))),
    )
    return Instance(f"company-{people}", "generated", graph, Constraints(*TEAM_SIZE))


_HANDOVER_NAME = re.compile(r"^(\d+)_(\d+)_(\d+)$")


def parse_handover(name: str, text: str) -> Instance:
    """A handover instance from its text (N, M, C, N node weights, the N×N flow matrix).

    >>> tiny = parse_handover("3_2_1", "3 2 10.5  4 5 6  0 7 0  7 0 2  0 2 0")
    >>> tiny.graph.edges, tiny.graph.size, tiny.describe()
    (((0, 1, 7.0), (1, 2, 2.0)), (4.0, 5.0, 6.0), '2 teams, size ≤ 10.5')
    """
    tokens = text.split()
    count, teams, capacity = int(tokens[0]), int(tokens[1]), float(tokens[2])
    sizes = tuple(float(token) for token in tokens[3 : 3 + count])
    flow = [float(token) for token in tokens[3 + count :]]
    if len(sizes) != count or len(flow) != count * count:
        raise ValueError(f"{name}: expected {count} weights and {count * count} flows")
    edges = []
    for i in range(count):
        for j in range(i + 1, count):
            if flow[i * count + j] != flow[j * count + i]:
                raise ValueError(f"{name}: flow matrix not symmetric at {(i, j)}")
            if flow[i * count + j] > 0:
                edges.append((i, j, flow[i * count + j]))
    graph = Graph(nodes=tuple(str(i) for i in range(count)), size=sizes, edges=tuple(edges))
    return Instance(
        f"handover/{name}",
        "handover",
        graph,
        Constraints(min_size=0.0, max_size=capacity, teams=teams),
    )


def handover(path: Path) -> Instance:
    return parse_handover(path.name, path.read_text(encoding="utf-8"))


def _handover_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.name.split("_"))


def handover_instances(data: Path = SHARED_DATA) -> list[Instance]:
    """The 83 handover instances, by nodes, then teams, then seed."""
    folder = data / "optim" / "handover"
    paths = sorted(
        (path for path in folder.iterdir() if _HANDOVER_NAME.match(path.name)), key=_handover_key
    )
    return [handover(path) for path in paths]
