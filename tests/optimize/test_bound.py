"""Lower bounds: checked by hand on tiny graphs, never above CP-SAT's proven optimum, and fast
on 10,000 nodes."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orglens.errors import UsageError
from orglens.optimize import bound
from orglens.optimize.bound import lower_bound, spectral_bound, star_bound
from orglens.optimize.exact import solve_exact
from orglens.optimize.problem import Constraints, Graph

#: Two triangles (a, b, c) and (d, e, f) joined by the bridge c-d.
TRIANGLES = Graph(
    nodes=tuple("abcdef"),
    size=(1.0,) * 6,
    edges=tuple((i, j, 1.0) for i, j in ((0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (2, 3))),
)


def complete(count: int, size: float = 1.0) -> Graph:
    edges = tuple((i, j, 1.0) for i in range(count) for j in range(i + 1, count))
    return Graph(nodes=tuple(f"n{i}" for i in range(count)), size=(size,) * count, edges=edges)


def company(count: int, seed: int = 0) -> Graph:
    """A sparse random company: a ring of colleagues plus four random contacts each."""
    rng = random.Random(seed)
    weights: dict[tuple[int, int], float] = {}
    for node in range(count):
        others = [(node + 1) % count] + [rng.randrange(count) for _ in range(4)]
        for other in others:
            if other != node:
                pair = (min(node, other), max(node, other))
                weights[pair] = weights.get(pair, 0.0) + rng.choice([1.0, 2.0, 5.0])
    return Graph(
        nodes=tuple(f"p{i}" for i in range(count)),
        size=(1.0,) * count,
        edges=tuple((i, j, w) for (i, j), w in sorted(weights.items())),
    )


def test_a_centre_keeps_only_the_neighbours_that_fit_its_team() -> None:
    # a star of four leaves in teams of two: the centre keeps one edge, sends three out
    star = Graph(
        nodes=tuple("cwxyz"), size=(1.0,) * 5, edges=tuple((0, i, 1.0) for i in range(1, 5))
    )
    assert star_bound(star, Constraints(max_size=2)) == 1.5
    assert star_bound(star, Constraints(max_size=5)) == 0.0
    assert star_bound(star, Constraints()) == 0.0


def test_the_star_bound_keeps_heavy_neighbours_per_unit_of_size() -> None:
    # the centre (size 1) has room for 1.5 beside it: the half-time neighbour (weight 3, 6 per
    # unit of size) and the one of weight 4 fit, the one of weight 2 does not
    graph = Graph(
        nodes=tuple("cabd"),
        size=(1.0, 0.5, 1.0, 1.0),
        edges=((0, 1, 3.0), (0, 2, 4.0), (0, 3, 2.0)),
    )
    # centre: 9 - (3 + 4) = 2 crosses at best, the leaves: nothing
    assert star_bound(graph, Constraints(max_size=2.5)) == 1.0


def test_the_complete_graph_of_four_in_pairs_meets_the_eigenvalue_bound() -> None:
    # Laplacian eigenvalues 0, 4, 4, 4; pairs of 2: ½(2·0 + 2·4) = 4 = the cut of any split
    assert spectral_bound(complete(4), Constraints(min_size=2, max_size=2)) == pytest.approx(4.0)


def test_node_sizes_scale_the_eigenvalue_bound() -> None:
    # two nodes of size 2 joined by weight 3, teams of at most 2: S^-½ L S^-½ has 0 and 3,
    # ½(2·0 + 2·3) = 3, the only possible cut
    graph = Graph(nodes=("a", "b"), size=(2.0, 2.0), edges=((0, 1, 3.0),))
    assert spectral_bound(graph, Constraints(max_size=2)) == pytest.approx(3.0)


def test_two_triangles_in_teams_of_three_are_bounded_below_their_optimum() -> None:
    # λ₂ = (5 - √17) / 2 for two triangles and a bridge: 3 · λ₂ / 2 ≈ 0.658
    assert spectral_bound(TRIANGLES, Constraints(min_size=3, max_size=3)) == pytest.approx(
        1.5 * (5 - 17**0.5) / 2
    )
    assert 0.65 < lower_bound(TRIANGLES, Constraints(min_size=3, max_size=3)) <= 1.0


def test_a_node_without_size_turns_the_eigenvalue_bound_off() -> None:
    graph = Graph(nodes=("a", "b"), size=(0.0, 1.0), edges=((0, 1, 3.0),))
    assert spectral_bound(graph, Constraints(max_size=1)) == 0.0


def test_the_move_cost_is_left_out_so_the_bound_stays_valid() -> None:
    graph = Graph(
        nodes=("a", "b"),
        size=(1.0, 1.0),
        edges=((0, 1, 3.0),),
        unit=(0, 1),
        units=("sales", "marketing"),
    )
    assert lower_bound(graph, Constraints(max_size=1, move_cost=10)) == pytest.approx(3.0)


def test_impossible_sizes_raise_a_usage_error() -> None:
    with pytest.raises(UsageError, match="cannot form teams of 4–5"):
        lower_bound(complete(7), Constraints(min_size=4, max_size=5))


def test_a_component_larger_than_the_dense_limit_is_cut_into_pieces_and_stays_valid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graph = company(12, seed=3)
    constraints = Constraints(min_size=3, max_size=4)
    whole = spectral_bound(graph, constraints)
    monkeypatch.setattr(bound, "DENSE_LIMIT", 6)
    pieces = spectral_bound(graph, constraints)
    assert 0 < pieces < whole
    optimum = solve_exact(graph, constraints, time_limit=20)
    assert optimum.optimal and whole <= optimum.objective


def test_ten_thousand_nodes_are_bounded_in_seconds() -> None:
    graph = company(10_000)
    started = time.perf_counter()
    value = lower_bound(graph, Constraints(min_size=5, max_size=9))
    assert time.perf_counter() - started < 10
    # each person has about ten contacts and at most eight teammates: the star bound is weak
    # on such a random graph (the best cut is most of the weight), but not empty
    assert 0.05 * graph.total_weight < value < graph.total_weight


@st.composite
def instances(draw: st.DrawFn) -> tuple[Graph, Constraints]:
    count = draw(st.integers(2, 8))
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=len(pairs)))
    weights = draw(st.lists(st.integers(1, 9), min_size=len(chosen), max_size=len(chosen)))
    sizes = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=count, max_size=count))
    graph = Graph(
        nodes=tuple(f"n{i}" for i in range(count)),
        size=tuple(sizes),
        edges=tuple((i, j, float(w)) for (i, j), w in sorted(zip(chosen, weights, strict=True))),
    )
    low = draw(st.sampled_from([0.0, 1.0, 2.0]))
    constraints = Constraints(
        min_size=low,
        max_size=low + draw(st.sampled_from([0.0, 1.0, 2.0, 3.0])),
        teams=draw(st.none() | st.integers(1, 4)),
    )
    return graph, constraints


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_bound_never_passes_the_proven_optimum(instance: tuple[Graph, Constraints]) -> None:
    graph, constraints = instance
    try:
        optimum = solve_exact(graph, constraints, time_limit=10, workers=1)
    except UsageError:
        assume(False)
        return
    assume(optimum.optimal)
    assert 0 <= lower_bound(graph, constraints) <= optimum.objective + 1e-9


def read_handover(path: Path) -> tuple[Graph, Constraints]:
    """An instance: N, M teams, capacity C, N node weights, the N×N flow matrix; the weight of
    a pair is the flow in both directions."""
    numbers = path.read_text(encoding="utf-8").split()
    count, teams, capacity = int(numbers[0]), int(numbers[1]), float(numbers[2])
    sizes = tuple(float(value) for value in numbers[3 : 3 + count])
    flow = [float(value) for value in numbers[3 + count : 3 + count + count * count]]
    edges = tuple(
        (i, j, flow[i * count + j] + flow[j * count + i])
        for i in range(count)
        for j in range(i + 1, count)
        if flow[i * count + j] + flow[j * count + i] > 0
    )
    graph = Graph(nodes=tuple(str(i) for i in range(count)), size=sizes, edges=edges)
    return graph, Constraints(min_size=0, max_size=capacity, teams=teams)


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["20_5_270001", "20_10_270001", "30_10_270001"])
def test_the_bound_of_handover_instances_is_below_their_optimum(
    shared_data: Path, name: str
) -> None:
    graph, constraints = read_handover(shared_data / "optim" / "handover" / name)
    optimum = solve_exact(graph, constraints, time_limit=30)
    assert optimum.optimal
    assert 0 < lower_bound(graph, constraints) <= optimum.objective
