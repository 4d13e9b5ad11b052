"""Thebeau's DSM clustering (bench/thebeau.py), the optimizer benchmark's DSM baseline."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import thebeau

from orglens.optimize import Graph


def two_triangles(bridge: float = 1.0) -> Graph:
    """Two triangles of weight-5 edges, joined by one edge of weight ``bridge``."""
    edges = ((0, 1, 5.0), (0, 2, 5.0), (1, 2, 5.0), (3, 4, 5.0), (3, 5, 5.0), (4, 5, 5.0))
    return Graph(nodes=tuple("abcdef"), size=(1.0,) * 6, edges=(*edges, (2, 3, bridge)))


def test_the_cost_weighs_inside_pairs_by_cluster_size_and_outside_pairs_by_the_dsm_size() -> None:
    graph = two_triangles()
    # Each triangle a cluster: 6 inside edges × 5 × 3² + the bridge × 1 × 6² = 270 + 36.
    assert thebeau.coordination_cost(graph, (0, 0, 0, 1, 1, 1)) == 306.0
    # Everyone alone: every edge outside, 31 × 6².
    assert thebeau.coordination_cost(graph, range(6)) == 31 * 36.0
    # pow_cc = 1: sizes count linearly.
    assert thebeau.coordination_cost(graph, (0, 0, 0, 1, 1, 1), pow_cc=1.0) == 90.0 + 6.0


def test_two_triangles_are_found_as_two_clusters_by_every_seed() -> None:
    graph = two_triangles()
    for seed in range(5):
        found = thebeau.cluster(graph, thebeau.Parameters(max_size=3), seed=seed)
        assert set(map(frozenset, _groups(found.assignment))) == {
            frozenset({0, 1, 2}),
            frozenset({3, 4, 5}),
        }
        assert found.cost == 306.0


def test_a_cluster_at_its_maximum_size_does_not_bid() -> None:
    graph = two_triangles(bridge=5.0)
    for seed in range(5):
        found = thebeau.cluster(graph, thebeau.Parameters(max_size=2), seed=seed)
        assert max(len(group) for group in _groups(found.assignment)) <= 2


def test_node_sizes_count_against_the_maximum_size() -> None:
    heavy = Graph(nodes=("a", "b", "c"), size=(2.0, 2.0, 1.0), edges=((0, 1, 9.0), (1, 2, 1.0)))
    for seed in range(5):
        found = thebeau.cluster(heavy, thebeau.Parameters(max_size=3), seed=seed)
        assert found.assignment[0] != found.assignment[1]


def test_the_same_seed_gives_the_same_clustering() -> None:
    graph = two_triangles(bridge=4.0)
    first = thebeau.cluster(graph, seed=3)
    again = thebeau.cluster(graph, seed=3)
    assert (first.assignment, first.cost, first.picks) == (
        again.assignment,
        again.cost,
        again.picks,
    )


def test_an_element_without_interactions_stays_alone() -> None:
    graph = Graph(nodes=("a", "b", "c"), size=(1.0,) * 3, edges=((0, 1, 1.0),))
    found = thebeau.cluster(graph, seed=0)
    assert found.assignment == (0, 0, 1)


def test_best_of_keeps_the_lowest_cost_and_adds_up_the_time() -> None:
    graph = two_triangles(bridge=4.0)
    best, seconds = thebeau.best_of(graph, runs=3, seed=10)
    runs = [thebeau.cluster(graph, seed=seed) for seed in (10, 11, 12)]
    assert best.cost == min(run.cost for run in runs)
    assert seconds >= best.seconds


@pytest.mark.parametrize("seed", [0, 1])
def test_the_reported_cost_is_the_cost_of_the_reported_clustering(seed: int) -> None:
    graph = two_triangles(bridge=2.0)
    found = thebeau.cluster(graph, thebeau.Parameters(pow_cc=1.0, pow_bid=1.0), seed=seed)
    assert found.cost == thebeau.coordination_cost(graph, found.assignment, pow_cc=1.0)
    assert sorted(set(found.assignment)) == list(range(found.clusters))


def _groups(assignment: tuple[int, ...]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for node, cluster in enumerate(assignment):
        groups.setdefault(cluster, []).append(node)
    return list(groups.values())


def test_the_examples_in_the_modules_documentation_hold() -> None:
    assert doctest.testmod(thebeau).failed == 0
