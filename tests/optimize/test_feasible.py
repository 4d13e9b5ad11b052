"""The feasibility checks: each impossible constraint is named in one sentence."""

from __future__ import annotations

import pytest

from orglens.errors import UsageError
from orglens.optimize.feasible import check, team_count_range, together_groups
from orglens.optimize.problem import Constraints, Graph


def people(count: int, labels: dict[int, set[str]] | None = None) -> Graph:
    """``count`` people p0, p1, ... of size 1, no edges, with the given labels."""
    held = labels or {}
    return Graph(
        nodes=tuple(f"p{i}" for i in range(count)),
        size=(1.0,) * count,
        edges=(),
        labels=tuple(frozenset(held.get(i, set())) for i in range(count)),
    )


def message(graph: Graph, constraints: Constraints) -> str:
    with pytest.raises(UsageError) as raised:
        check(graph, constraints)
    return str(raised.value)


def test_sizes_that_fit_pass_the_check() -> None:
    check(people(12), Constraints(min_size=3, max_size=5))
    check(people(12), Constraints(min_size=3, max_size=5, teams=3))


def test_twelve_people_cannot_form_teams_of_five_to_five() -> None:
    assert "12 people cannot form teams of 5–5" in message(
        people(12), Constraints(min_size=5, max_size=5)
    )


def test_too_few_teams_for_everybody_is_named() -> None:
    assert "16 people do not fit in 3 teams of at most 5" in message(
        people(16), Constraints(max_size=5, teams=3)
    )


def test_too_many_teams_for_the_minimum_size_is_named() -> None:
    assert "12 people cannot fill 4 teams of at least 4" in message(
        people(12), Constraints(min_size=4, teams=4)
    )


def test_more_teams_than_people_is_named() -> None:
    assert "5 people cannot form 6 teams" in message(people(5), Constraints(min_size=0, teams=6))


def test_fte_sizes_are_spoken_of_as_a_total() -> None:
    graph = Graph(nodes=("a", "b", "c"), size=(0.5, 1.0, 1.0), edges=())
    assert "a total size of 2.5 cannot form teams of 3–4" in message(
        graph, Constraints(min_size=3, max_size=4)
    )


def test_a_required_label_held_by_too_few_people_is_named() -> None:
    graph = people(16, {0: {"design"}, 5: {"design"}})
    assert "--require design: 2 people hold it, 4 teams need one each" in message(
        graph, Constraints(max_size=4, require=("design",))
    )


def test_a_required_label_nobody_holds_is_named() -> None:
    assert "--require legal: nobody holds it, 1 team needs one" in message(
        people(3), Constraints(require=("legal",))
    )


def test_a_together_group_larger_than_a_team_is_named() -> None:
    text = message(people(8), Constraints(max_size=2, together=((0, 1), (1, 2))))
    assert "'p0', 'p1', 'p2' must stay together but have size 3" in text
    assert "more than a team's maximum of 2" in text


def test_an_apart_group_larger_than_the_team_count_is_named() -> None:
    text = message(people(6), Constraints(min_size=2, max_size=3, apart=((0, 1, 2, 3),)))
    assert "4 people must be in different teams, but teams of 2–3 allow at most 3" in text
    text = message(people(6), Constraints(teams=2, apart=((0, 1, 2),)))
    assert "3 people must be in different teams, but there are only 2 teams" in text


def test_a_pin_to_a_team_beyond_the_count_is_named() -> None:
    text = message(people(6), Constraints(teams=2, fixed={4: 2}))
    assert "'p4' is pinned to team 2 (numbered from 0), but there are only 2 teams" in text


def test_a_pin_that_splits_a_together_group_is_named() -> None:
    text = message(people(6), Constraints(teams=2, together=((0, 1),), fixed={0: 0, 1: 1}))
    assert "'p0' and 'p1' must stay together but are pinned to teams 0 and 1" in text


def test_two_people_pinned_together_but_kept_apart_are_named() -> None:
    text = message(people(6), Constraints(teams=2, apart=((0, 3),), fixed={0: 1, 3: 1}))
    assert "'p0' and 'p3' must be in different teams but are both pinned to team 1" in text


def test_together_and_apart_on_the_same_pair_is_named() -> None:
    text = message(people(6), Constraints(together=((1, 2),), apart=((2, 1),)))
    assert "'p2' and 'p1' must both share a team and be in different teams" in text


def test_too_many_people_pinned_to_one_team_is_named() -> None:
    text = message(people(6), Constraints(max_size=2, fixed={0: 0, 1: 0, 2: 0}))
    assert "the people pinned to team 0 have size 3, more than a team's maximum of 2" in text


def test_a_person_larger_than_a_team_is_named() -> None:
    graph = Graph(nodes=("a", "b"), size=(1.0, 3.0), edges=())
    assert "'b' has size 3, more than a team's maximum of 2" in message(
        graph, Constraints(max_size=2)
    )


def test_inverted_sizes_and_zero_teams_are_named() -> None:
    assert "at least 5 and at most 4" in message(people(9), Constraints(min_size=5, max_size=4))
    assert "--teams 0" in message(people(9), Constraints(teams=0))


def test_unknown_nodes_in_groups_are_named() -> None:
    assert "names node 9, but there are 3 nodes" in message(
        people(3), Constraints(together=((0, 9),))
    )


def test_every_error_says_how_to_fix_it() -> None:
    assert " — widen --min-team/--max-team" in message(
        people(12), Constraints(min_size=5, max_size=5)
    )


def test_team_count_range_counts_sizes_nodes_and_groups() -> None:
    assert team_count_range(people(12), Constraints(min_size=3, max_size=5)) == range(3, 5)
    assert team_count_range(people(12), Constraints(min_size=3, max_size=5, teams=4)) == range(4, 5)
    assert team_count_range(people(4), Constraints(min_size=0)) == range(1, 5)
    assert team_count_range(people(4), Constraints(together=((0, 1, 2),))) == range(1, 3)
    labelled = people(12, {0: {"x"}, 1: {"x"}, 2: {"x"}})
    assert team_count_range(labelled, Constraints(max_size=6, require=("x",))) == range(2, 4)
    assert team_count_range(people(12), Constraints(max_size=12, fixed={0: 2})) == range(3, 13)
    assert not team_count_range(people(12), Constraints(min_size=5, max_size=5))


def test_overlapping_together_groups_are_joined() -> None:
    assert together_groups(people(5), Constraints(together=((4, 2), (0, 1), (1, 4)))) == (
        0,
        0,
        0,
        1,
        0,
    )
