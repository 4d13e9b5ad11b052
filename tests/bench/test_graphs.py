"""The optimizer benchmark's graphs (bench/graphs.py): loaders and the company generator."""

from __future__ import annotations

import doctest
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import graphs

from orglens.optimize import cross_weight


def test_arcs_become_edges_with_both_directions_summed() -> None:
    edges = graphs.symmetric_edges([(1, 0, 2.0), (0, 1, 3.0), (2, 1, 1.0), (1, 1, 9.0)], 3)
    assert edges == ((0, 1, 5.0), (1, 2, 1.0))
    with pytest.raises(ValueError, match="outside"):
        graphs.symmetric_edges([(0, 3, 1.0)], 3)


def test_a_handover_instance_reads_sizes_flows_teams_and_capacity() -> None:
    text = "4 2 7.5\n3.5\n4\n2\n1\n0 6 0 1 6 0 0 0 0 0 0 2 1 0 2 0\n"
    instance = graphs.parse_handover("4_2_1", text)
    assert instance.name == "handover/4_2_1"
    assert instance.graph.size == (3.5, 4.0, 2.0, 1.0)
    assert instance.graph.edges == ((0, 1, 6.0), (0, 3, 1.0), (2, 3, 2.0))
    assert instance.constraints.teams == 2
    assert instance.constraints.max_size == 7.5
    assert instance.constraints.min_size == 0.0


def test_a_handover_matrix_that_is_not_symmetric_is_refused() -> None:
    with pytest.raises(ValueError, match="not symmetric"):
        graphs.parse_handover("2_1_1", "2 1 9 1 1 0 3 4 0")


def test_a_generated_company_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    first, again, other = (
        graphs.company(300, seed=3),
        graphs.company(300, seed=3),
        graphs.company(300, seed=4),
    )
    assert first.graph == again.graph
    assert first.graph != other.graph
    assert first.nodes == 300
    assert first.graph.size == (1.0,) * 300
    assert (first.constraints.min_size, first.constraints.max_size) == (5.0, 9.0)


def test_most_of_a_generated_companys_work_stays_inside_its_planted_teams() -> None:
    company = graphs.company(500, seed=1)
    graph = company.graph
    # The current units are the planted teams with 10% of the people moved: still most work
    # stays inside them, and far more than inside random groups of the same sizes.
    current = [unit if unit is not None else -1 for unit in graph.unit]
    inside = 1 - cross_weight(graph, current) / graph.total_weight
    shuffled = list(current)
    random.Random(0).shuffle(shuffled)
    assert inside > 0.5
    assert inside > 3 * (1 - cross_weight(graph, shuffled) / graph.total_weight)


def test_the_demo_is_its_people_with_coordination_and_reporting_lines() -> None:
    demo = graphs.demo()
    assert demo.nodes == 147
    index = {person: i for i, person in enumerate(demo.graph.nodes)}
    weight = {(i, j): w for i, j, w in demo.graph.edges}
    # P048 and P067 have a declared need of 3 between them (and no reporting line).
    a, b = sorted((index["P048"], index["P067"]))
    assert weight[(a, b)] == pytest.approx(3.0)
    # The unit needs (142) and the person needs (30) keep their declared totals; 146 people
    # have a manager, each reporting line weighs 1.
    assert demo.graph.total_weight == pytest.approx(142 + 30 + 146)


@pytest.mark.realdata
def test_the_real_organizations_have_their_documented_sizes_and_ties(shared_data: Path) -> None:
    krackhardt, lazega, enron = graphs.real_organizations(shared_data)
    assert (krackhardt.nodes, krackhardt.graph.total_weight) == (21, 190.0)
    assert (lazega.nodes, lazega.graph.total_weight) == (71, 1104.0)
    assert (lazega.constraints.min_size, lazega.constraints.max_size) == (4.0, 9.0)
    assert len(lazega.graph.units) == 3
    # Enron: 125,409 messages, less those to oneself.
    assert enron.nodes == 184
    assert 100_000 < enron.graph.total_weight < 125_409


@pytest.mark.realdata
def test_all_83_handover_instances_load_in_order(shared_data: Path) -> None:
    instances = graphs.handover_instances(shared_data)
    assert len(instances) == 83
    assert instances[0].name == "handover/20_5_270001"
    assert instances[-1].name == "handover/400_50_270005"
    first = instances[0]
    assert (first.nodes, first.constraints.teams) == (20, 5)
    assert first.constraints.max_size == pytest.approx(106.704002)
    assert sum(w for _, _, w in first.graph.edges) == 2056.0


def test_the_examples_in_the_loaders_and_the_benchmark_scripts_documentation_hold() -> None:
    import optimize

    assert doctest.testmod(graphs).failed == 0
    assert doctest.testmod(optimize).failed == 0
