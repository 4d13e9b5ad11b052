"""The exact solver (CP-SAT) on tiny graphs whose optimum can be checked by hand, against brute
force, and on the handover minimisation instances in ``../shared/data/optim/handover``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orglens.errors import UsageError
from orglens.optimize.exact import solve_exact
from orglens.optimize.problem import Constraints, Graph, objective, violations

#: Two triangles (a, b, c) and (d, e, f) joined by the bridge c-d.
TRIANGLES = Graph(
    nodes=tuple("abcdef"),
    size=(1.0,) * 6,
    edges=tuple((i, j, 1.0) for i, j in ((0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (2, 3))),
)


def ring(count: int, weight: float = 1.0) -> Graph:
    """``count`` nodes in a cycle: many equally good answers, to test determinism."""
    edges = (*((i, i + 1, weight) for i in range(count - 1)), (0, count - 1, weight))
    return Graph(nodes=tuple(f"n{i}" for i in range(count)), size=(1.0,) * count, edges=edges)


def grid(side: int) -> Graph:
    """A ``side`` × ``side`` grid with weights varying by position (few ties)."""
    edges = []
    for row in range(side):
        for col in range(side):
            node = row * side + col
            if col + 1 < side:
                edges.append((node, node + 1, float(1 + (row * 7 + col * 3) % 5)))
            if row + 1 < side:
                edges.append((node, node + side, float(1 + (row * 5 + col * 11) % 4)))
    return Graph(
        nodes=tuple(f"p{i}" for i in range(side * side)),
        size=(1.0,) * (side * side),
        edges=tuple(edges),
    )


def test_two_triangles_in_teams_of_three_cut_only_the_bridge() -> None:
    found = solve_exact(TRIANGLES, Constraints(min_size=3, max_size=3))
    assert found.assignment == (0, 0, 0, 1, 1, 1)
    assert (found.objective, found.cross_weight, found.lower_bound) == (1.0, 1.0, 1.0)
    assert found.optimal and found.gap == 0.0
    assert found.solver == "cp-sat"


def test_without_a_size_limit_everyone_shares_one_team() -> None:
    found = solve_exact(TRIANGLES, Constraints())
    assert found.assignment == (0,) * 6
    assert found.objective == 0.0


def test_exactly_three_teams_of_two_cut_the_triangles_apart() -> None:
    # each triangle loses two of its edges to a pair + a third node paired across the bridge
    found = solve_exact(TRIANGLES, Constraints(min_size=2, max_size=2, teams=3))
    assert found.teams == 3
    assert found.objective == 4.0
    assert (
        violations(TRIANGLES, Constraints(min_size=2, max_size=2, teams=3), found.assignment) == []
    )


def test_teams_are_numbered_from_zero_without_gaps() -> None:
    found = solve_exact(ring(9), Constraints(min_size=2, max_size=3))
    assert sorted(set(found.assignment)) == list(range(found.teams))
    assert found.teams in (3, 4)
    assert found.objective == float(found.teams)


def test_impossible_sizes_raise_a_usage_error_naming_them() -> None:
    graph = ring(12)
    with pytest.raises(UsageError, match="12 people cannot form teams of 5–5"):
        solve_exact(graph, Constraints(min_size=5, max_size=5))


def test_sizes_that_only_fail_to_pack_are_reported_with_every_constraint() -> None:
    # 0.6 + 0.6 + 0.8 = 2: two teams of exactly 1 FTE by counting, but no pair sums to 1
    graph = Graph(nodes=("a", "b", "c"), size=(0.6, 0.6, 0.8), edges=((0, 1, 1.0),))
    with pytest.raises(UsageError, match=r"no teams meet all of team sizes 1–1 together"):
        solve_exact(graph, Constraints(min_size=1, max_size=1))


def test_no_answer_within_the_time_limit_asks_for_more_time() -> None:
    with pytest.raises(UsageError, match=r"found no teams within 0.001 s — give more --time-limit"):
        solve_exact(grid(8), Constraints(min_size=4, max_size=4), time_limit=0.001)


def test_every_constraint_is_honoured() -> None:
    labels = tuple(frozenset({"sales"} if i % 3 == 0 else {"marketing"}) for i in range(9))
    graph = Graph(
        nodes=tuple(f"p{i}" for i in range(9)),
        size=(1.0,) * 9,
        edges=(*ring(9, 2.0).edges, (0, 4, 5.0), (2, 7, 5.0)),
        labels=labels,
    )
    constraints = Constraints(
        min_size=2,
        max_size=4,
        teams=3,
        require=("sales", "marketing"),
        together=((1, 5),),
        apart=((0, 4),),
        fixed={8: 0, 3: 2},
    )
    found = solve_exact(graph, constraints)
    assert violations(graph, constraints, found.assignment) == []
    assert found.optimal
    assert found.objective == pytest.approx(brute_force(graph, constraints))


def test_pinned_people_keep_the_team_number_they_are_pinned_to() -> None:
    found = solve_exact(TRIANGLES, Constraints(min_size=3, max_size=3, fixed={0: 1}))
    assert found.assignment == (1, 1, 1, 0, 0, 0)


def test_fractional_sizes_are_counted_in_fte() -> None:
    # a chain a-b-c-d; a and d are half-time, b and c full-time: 1.5 FTE per team at most
    graph = Graph(
        nodes=tuple("abcd"),
        size=(0.5, 1.0, 1.0, 0.5),
        edges=((0, 1, 3.0), (1, 2, 1.0), (2, 3, 3.0)),
    )
    found = solve_exact(graph, Constraints(min_size=0.5, max_size=1.5))
    assert found.assignment == (0, 0, 1, 1)
    assert found.objective == 1.0 and found.optimal


def test_sizes_without_a_short_decimal_form_are_never_overfilled() -> None:
    # thirds need more than six decimals: the model rounds them against the limits, so it
    # still never overfills a team, but does not claim a proof
    graph = Graph(nodes=tuple("abc"), size=(1 / 3,) * 3, edges=((0, 1, 1.0), (1, 2, 1.0)))
    found = solve_exact(graph, Constraints(min_size=0, max_size=2 / 3))
    assert violations(graph, Constraints(min_size=0, max_size=2 / 3), found.assignment) == []
    assert found.objective == 1.0
    assert not found.optimal and found.lower_bound <= found.objective


def test_fractional_weights_give_the_true_objective_not_the_scaled_one() -> None:
    graph = Graph(
        nodes=tuple("abcd"), size=(1.0,) * 4, edges=((0, 1, 0.7), (1, 2, 0.1), (2, 3, 0.7))
    )
    found = solve_exact(graph, Constraints(max_size=2))
    assert found.objective == pytest.approx(0.1) and found.cross_weight == found.objective
    assert found.optimal and found.lower_bound == found.objective


def test_a_high_move_cost_keeps_people_in_their_unit() -> None:
    # units {a, b, c} and {d, e, f}, but c works with d, e, f: moving c saves 3 - 2 = 1
    graph = Graph(
        nodes=tuple("abcdef"),
        size=(1.0,) * 6,
        edges=((0, 1, 1.0), (0, 2, 1.0), (2, 3, 1.0), (2, 4, 1.0), (2, 5, 1.0), (3, 4, 1.0)),
        unit=(0, 0, 0, 1, 1, 1),
        units=("sales", "marketing"),
    )
    cheap = solve_exact(graph, Constraints(max_size=4, teams=2, move_cost=0.5))
    assert cheap.assignment == (0, 0, 1, 1, 1, 1)
    assert (cheap.cross_weight, cheap.moved, cheap.objective) == (1.0, 1, 1.5)
    dear = solve_exact(graph, Constraints(max_size=4, teams=2, move_cost=5.0))
    assert dear.assignment == (0, 0, 0, 1, 1, 1)
    assert (dear.cross_weight, dear.moved, dear.objective) == (3.0, 0, 3.0)
    assert dear.optimal


def test_the_same_seed_gives_the_same_answer() -> None:
    graph, constraints = ring(16), Constraints(min_size=3, max_size=5)
    for workers in (1, 2):
        first = solve_exact(graph, constraints, seed=3, workers=workers)
        again = solve_exact(graph, constraints, seed=3, workers=workers)
        assert first.assignment == again.assignment
        assert first.optimal


def test_a_feasible_hint_is_never_worsened() -> None:
    graph = grid(6)
    constraints = Constraints(min_size=4, max_size=6, teams=6)
    hint = tuple(node // 6 for node in range(36))  # the rows
    assert violations(graph, constraints, hint) == []
    found = solve_exact(graph, constraints, time_limit=0.05, hint=hint, workers=1)
    assert violations(graph, constraints, found.assignment) == []
    assert found.objective <= objective(graph, constraints, hint)
    assert found.lower_bound <= found.objective


@pytest.mark.parametrize("shift", [0, 1, 3])
def test_a_hint_in_any_team_numbering_is_the_first_solution(shift: int) -> None:
    # the rows of a grid, numbered from `shift`: relabelled for the symmetry breaking, the
    # hint stays feasible, so CP-SAT starts from it
    graph, constraints = grid(6), Constraints(min_size=4, max_size=6, teams=6)
    hint = tuple((node // 6 + shift) % 6 for node in range(36))
    seen: list[float] = []
    found = solve_exact(
        graph, constraints, time_limit=1, hint=hint, progress=lambda _, best, __: seen.append(best)
    )
    assert seen[0] == objective(graph, constraints, hint) == 75.0
    assert found.objective < 75.0


def test_a_hint_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(UsageError, match="the hint gives 2 teams for 6 nodes"):
        solve_exact(TRIANGLES, Constraints(max_size=3), hint=(0, 1))


def test_progress_reports_better_answers_with_their_bound() -> None:
    seen: list[tuple[float, float, float]] = []
    found = solve_exact(
        grid(5),
        Constraints(min_size=4, max_size=6),
        time_limit=2,
        workers=1,
        progress=lambda seconds, best, bound: seen.append((seconds, best, bound)),
    )
    assert seen
    assert all(bound <= best for _, best, bound in seen)
    assert seen[-1][1] == found.objective
    bests = [best for _, best, _ in seen]
    assert bests == sorted(bests, reverse=True)


def test_without_ortools_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    with pytest.raises(UsageError, match=r"pip install 'orglens\[optimize\]'"):
        solve_exact(TRIANGLES, Constraints(max_size=3))


def test_importing_the_optimizer_does_not_import_ortools() -> None:
    code = "import sys, orglens.optimize.exact; print('ortools' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- against brute force ---------------------------------------------------------------------


def partitions(count: int) -> Iterator[list[int]]:
    """Every partition of ``count`` nodes, as restricted growth strings."""
    if count == 0:
        yield []
        return
    for head in partitions(count - 1):
        for team in range(max(head, default=-1) + 2):
            yield [*head, team]


def brute_force(graph: Graph, constraints: Constraints) -> float:
    """The least objective over every partition, its teams numbered 0, 1, ... (those with
    pinned nodes numbered as pinned)."""
    best = float("inf")
    for blocks in partitions(len(graph.nodes)):
        label: dict[int, int] = {}
        for node, team in constraints.fixed.items():
            if label.setdefault(blocks[node], team) != team:
                break
        else:
            pinned = set(label.values())
            spare = iter(t for t in range(len(graph.nodes)) if t not in pinned)
            assignment = []
            for block in blocks:
                if block not in label:
                    label[block] = next(spare)
                assignment.append(label[block])
            numbered = set(assignment) == set(range(len(set(assignment))))
            if numbered and not violations(graph, constraints, assignment):
                best = min(best, objective(graph, constraints, assignment))
    return best


@st.composite
def instances(draw: st.DrawFn) -> tuple[Graph, Constraints]:
    count = draw(st.integers(2, 7))
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    weights = draw(st.lists(st.integers(1, 9), min_size=len(chosen), max_size=len(chosen)))
    edges = tuple((i, j, float(w)) for (i, j), w in sorted(zip(chosen, weights, strict=True)))
    sizes = tuple(draw(st.lists(st.sampled_from([0.5, 1.0, 1.5]), min_size=count, max_size=count)))
    units = tuple(draw(st.lists(st.sampled_from([None, 0, 1]), min_size=count, max_size=count)))
    labels = tuple(
        draw(
            st.lists(
                st.sampled_from([frozenset(), frozenset({"s"})]), min_size=count, max_size=count
            )
        )
    )
    graph = Graph(
        nodes=tuple(f"n{i}" for i in range(count)),
        size=sizes,
        edges=edges,
        unit=units,
        units=("u0", "u1"),
        labels=labels,
    )
    nodes = st.integers(0, count - 1)
    low = draw(st.sampled_from([0.0, 1.0, 1.5]))
    constraints = Constraints(
        min_size=low,
        max_size=low + draw(st.sampled_from([1.0, 1.5, 2.5, float("inf")])),
        teams=draw(st.none() | st.integers(1, 3)),
        require=draw(st.sampled_from([(), ("s",)])),
        together=tuple(
            draw(st.lists(st.lists(nodes, min_size=2, max_size=2, unique=True), max_size=1))
        ),
        apart=tuple(
            draw(st.lists(st.lists(nodes, min_size=2, max_size=2, unique=True), max_size=1))
        ),
        fixed=draw(st.dictionaries(nodes, st.integers(0, 2), max_size=2)),
        move_cost=draw(st.sampled_from([0.0, 0.5, 3.0])),
    )
    return graph, constraints


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_answer_is_feasible_and_as_good_as_brute_force(
    instance: tuple[Graph, Constraints],
) -> None:
    graph, constraints = instance
    best = brute_force(graph, constraints)
    try:
        found = solve_exact(graph, constraints, time_limit=10, workers=1)
    except UsageError:
        assert best == float("inf")
        return
    assume(found.optimal)
    assert violations(graph, constraints, found.assignment) == []
    assert found.objective == pytest.approx(best)
    assert found.lower_bound == found.objective


# -- the handover minimisation instances ---------------------------------------------------


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
@pytest.mark.parametrize("seed", range(1, 6))
def test_the_20_node_handover_instances_are_solved_to_optimality(
    shared_data: Path, seed: int
) -> None:
    graph, constraints = read_handover(shared_data / "optim" / "handover" / f"20_5_27000{seed}")
    found = solve_exact(graph, constraints, time_limit=30)
    assert violations(graph, constraints, found.assignment) == []
    assert found.teams == 5
    assert found.lower_bound <= found.objective
    assert found.optimal
