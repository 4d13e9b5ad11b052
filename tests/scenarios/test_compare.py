"""The scorecard: every scenario measured on the same data, on tiny companies checked by hand
(see companies.small_company), on random companies, and on the demo company."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from companies import companies, small_company
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.engine import connect
from orglens.errors import UsageError
from orglens.io.eventlog import read_events
from orglens.lenses.resources import resource_units
from orglens.mining import observe
from orglens.model import BudgetLine, DecisionSettings, Organization
from orglens.scenarios import (
    BuildPods,
    HoldForum,
    MergeUnits,
    MovePeople,
    Operation,
    Scenario,
)
from orglens.scenarios.compare import Scorecard, compare, dominance
from orglens.scenarios.metrics import METRICS

STATUS_QUO = Scenario(name="status_quo")
MERGE = Scenario(name="merge", operations=[MergeUnits(units=("sales", "mkt"), name="Revenue")])
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _scenario(name: str, *operations: Operation) -> Scenario:
    return Scenario(name=name, operations=operations)


def _forum(*units: str) -> Scenario:
    return _scenario("forum", HoldForum(units=units))


def _metrics(card: Scorecard, name: str) -> dict[str, Any]:
    return dict(card.scenario(name).metrics)


# -- escalation distance -----------------------------------------------------------------------

# n1 -> n -> s -> ceo <- m <- m1: 3 + 2 = 5 steps; s1 and s2 both report to s: 1 + 1 = 2;
# the units north and comms stand for their owners n and c: 2 + 1 = 3.
NEEDS = [("n1", "m1", 3.0), ("s1", "s2", 1.0), ("north", "comms", 2.0)]


def test_escalation_distance_climbs_to_the_lowest_common_manager_weighted_by_need() -> None:
    card = compare(small_company(coordination=NEEDS), scenarios=[STATUS_QUO])
    # (3 * 5 + 1 * 2 + 2 * 3) / (3 + 1 + 2)
    assert _metrics(card, "status_quo")["escalation_distance"] == round(23 / 6, 6)


def test_a_forum_stops_escalation_at_its_heads_plus_one_step_for_the_forum() -> None:
    card = compare(
        small_company(coordination=NEEDS),
        scenarios=[
            _forum("sales", "mkt", "comms"),
            _scenario("pair", HoldForum(units=("sales", "mkt"))),
        ],
    )
    # n1 -> n -> s (2) + m1 -> m (1) + 1 = 4; s1 and s2 share a forum unit: still 2;
    # n -> s (1) + c is the head of comms (0) + 1 = 2
    assert _metrics(card, "forum")["escalation_distance"] == 3.0  # (12 + 2 + 4) / 6
    # without comms in the forum, north and comms still meet at the CEO: 3
    assert _metrics(card, "pair")["escalation_distance"] == round(20 / 6, 6)


def test_escalation_distance_is_none_without_coordination_needs() -> None:
    card = compare(small_company(), scenarios=[STATUS_QUO])
    assert _metrics(card, "status_quo")["escalation_distance"] is None


# -- dominance ---------------------------------------------------------------------------------


def test_a_scenario_is_dominated_by_one_as_good_everywhere_and_better_somewhere() -> None:
    scores = {
        "today": {"layers": 4, "discipline_fit": 0.5, "people_moved": 0},
        "better": {"layers": 3, "discipline_fit": 0.5, "people_moved": 0},
        "same": {"layers": 4, "discipline_fit": 0.5, "people_moved": 0},
        "trade": {"layers": 2, "discipline_fit": 0.4, "people_moved": 0},
    }
    assert dominance(scores) == {
        "today": ("better",),
        "better": (),
        "same": ("better",),
        "trade": (),
    }


def test_dominance_follows_each_metrics_direction_and_skips_missing_values() -> None:
    scores = {
        "fits": {"discipline_fit": 0.9, "escalation_distance": None},
        "flat": {"discipline_fit": 0.8, "escalation_distance": 1.0},
    }
    assert dominance(scores) == {"fits": (), "flat": ("fits",)}


def test_a_forum_costs_hours_so_it_no_longer_dominates_the_status_quo() -> None:
    card = compare(
        small_company(coordination=[("s1", "m1", 1.0)]),
        scenarios=[STATUS_QUO, _forum("sales", "mkt"), MERGE],
    )
    # the forum shortens escalation but costs 12 meetings x 1.5 h x 3 attendees a year
    assert _metrics(card, "forum")["forum_hours_per_year"] == 54.0
    assert _metrics(card, "status_quo")["forum_hours_per_year"] == 0.0
    assert card.scenario("status_quo").dominated_by == ()
    assert card.scenario("forum").dominated_by == ()
    assert card.scenario("merge").dominated_by == ()


def test_a_forum_that_never_meets_costs_nothing_and_dominates_the_status_quo() -> None:
    free = _scenario("forum", HoldForum(units=("sales", "mkt"), meetings_per_year=0))
    card = compare(small_company(coordination=[("s1", "m1", 1.0)]), scenarios=[STATUS_QUO, free])
    assert card.scenario("status_quo").dominated_by == ("forum",)


# -- cost of the change ------------------------------------------------------------------------


def test_a_merge_moves_nobody_and_changes_the_manager_of_the_other_head() -> None:
    card = compare(small_company(), scenarios=[MERGE])
    assert {key: _metrics(card, "merge")[key] for key in _COST} == {
        "people_moved": 0,  # the merged units keep their ids and people
        "managers_changed": 1,  # m now reports to s
        "managers_gaining_or_losing_reports": 2,  # the CEO loses m, s gains m
        "new_manager_roles": 0,
    }


def test_a_move_counts_the_people_moved_and_the_managers_they_leave_and_join() -> None:
    moves = _scenario(
        "moves",
        MovePeople(people=("m1",), to="north"),  # m1 leaves m (who manages nobody now) for n
        MovePeople(people=("s1",), to="comms"),  # c gets a first report
    )
    card = compare(
        small_company(), scenarios=[moves, _scenario("both", *MERGE.operations, *moves.operations)]
    )
    assert {key: _metrics(card, "moves")[key] for key in _COST} == {
        "people_moved": 2,
        "managers_changed": 2,
        "managers_gaining_or_losing_reports": 4,  # m, n, s, c
        "new_manager_roles": 1,  # c
    }
    assert {key: _metrics(card, "both")[key] for key in _COST} == {
        "people_moved": 2,
        "managers_changed": 3,  # m, m1, s1
        "managers_gaining_or_losing_reports": 5,  # the CEO too
        "new_manager_roles": 1,
    }


_COST = (
    "people_moved",
    "managers_changed",
    "managers_gaining_or_losing_reports",
    "new_manager_roles",
)


# -- other metrics -----------------------------------------------------------------------------


def _with_budget(org: Organization, *lines: BudgetLine) -> Organization:
    fields = {name: getattr(org, name) for name in Organization.model_fields}
    return Organization(**(fields | {"budget": lines}))


def test_accountability_counts_spend_whose_unit_and_outcome_share_an_owner_at_the_level() -> None:
    org = _with_budget(
        small_company(),
        BudgetLine(id="ads", unit="mkt", amount=30, outcome_unit="sales"),
        BudgetLine(id="crm", unit="sales", amount=10),
    )
    departments = compare(org, scenarios=[STATUS_QUO, MERGE])
    assert _metrics(departments, "status_quo")["accountability_share"] == 0.25
    assert _metrics(departments, "merge")["accountability_share"] == 1.0  # s owns both
    teams = compare(org, scenarios=[MERGE], level=2)
    assert _metrics(teams, "merge")["accountability_share"] == 0.25


def test_the_scorecard_reads_the_lenses_of_the_designed_organization() -> None:
    org = small_company(
        steps=[("lead", "mkt", 100), ("deal", "sales", 50), ("story", "comms", 10)],
        coordination=[("m1", "sales", 3), ("mkt", "comms", 1)],
    )
    card = compare(org, scenarios=[STATUS_QUO, MERGE])
    today, merged = _metrics(card, "status_quo"), _metrics(card, "merge")
    assert (today["cross_unit_handoffs_per_case"], merged["cross_unit_handoffs_per_case"]) == (
        0.6,
        0.1,
    )
    assert (today["coordination_cross_unit_share"], merged["coordination_cross_unit_share"]) == (
        1.0,
        0.25,
    )
    # the CEO leads s, m and c; s leads s1, s2, s3 and n, and m too after the merge
    assert (today["max_span"], merged["max_span"]) == (4, 5)
    assert (today["layers"], merged["layers"]) == (4, 4)
    # crm is held by s2, s3 (sales) and m1 (mkt): 1 - 2/3
    assert today["competence_dispersion"] == round(1 / 3, 6)
    assert today["discipline_fit"] is None  # no manager lists a competence
    assert today["observed_cross_unit_handoffs_per_case"] is None
    assert today["expected_handoff_wait_s"] is None


def test_every_scenario_has_every_metric_in_order_and_the_json_is_plain() -> None:
    card = compare(small_company(steps=[("lead", "mkt", 10), ("deal", "sales", 5)]))
    data = card.to_dict()
    json.dumps(data, allow_nan=False)
    keys = [metric["key"] for metric in data["metrics"]]
    assert keys == [metric.key for metric in METRICS]
    assert {metric["better"] for metric in data["metrics"]} == {"lower", "higher"}
    assert [s["name"] for s in data["scenarios"]] == [
        "status_quo",
        "ceo_forum",
        "merge_sales_marketing",
        "merge_marketing_communications",
        "merge_sales_marketing_communications",
        "journey_pods",
    ]
    for scenario in data["scenarios"]:
        assert list(scenario) == [
            "name",
            "kind",
            "description",
            "metrics",
            "dominated_by",
            "warnings",
        ]
        assert list(scenario["metrics"]) == keys


def test_two_scenarios_with_one_name_are_refused() -> None:
    with pytest.raises(UsageError, match="two scenarios are called 'status_quo'"):
        compare(small_company(), scenarios=[STATUS_QUO, STATUS_QUO])


def test_asking_for_a_scenario_that_was_not_compared_names_those_that_were() -> None:
    card = compare(small_company(), scenarios=[STATUS_QUO])
    with pytest.raises(UsageError, match="use one of: status_quo"):
        card.scenario("merge")


# -- warnings ----------------------------------------------------------------------------------


def test_warnings_add_a_pod_left_without_a_marketer_and_spans_fallen_below_range() -> None:
    org = small_company(steps=[("deal", "sales", 100), ("deal", "mkt", 100)])
    # one pod-deal of s1, s2, s3, n1 and m1 under s; then m1 leaves it for comms
    pods = _scenario(
        "pods", BuildPods(units=("sales", "mkt")), MovePeople(people=("m1",), to="comms")
    )
    card = compare(org, scenarios=[pods])
    assert card.scenario("pods").warnings == (
        "pods: s would have 2 direct reports, below the span range 3-15",
        "pods: c would have 1 direct report, below the span range 3-15",
        "pods: pod 'pod-deal' has no marketer (nobody from a marketing unit)",
    )


def test_a_warning_apply_already_gives_is_not_repeated() -> None:
    org = small_company(steps=[("lead", "mkt", 100), ("deal", "sales", 50)])
    card = compare(org, scenarios=[_scenario("pods", BuildPods(units=("sales", "mkt")))])
    warnings = card.scenario("pods").warnings
    assert len(warnings) == len(set(warnings))
    assert "pods: pod 'pod-lead' has no seller (nobody from a sales unit)" in warnings


# -- the event log, re-mapped ------------------------------------------------------------------


def _log(rows: list[tuple[str, str, float]]) -> pa.Table:
    """Events ``(case, resource, hours after T0)``, one activity per event."""
    return pa.table(
        {
            "case_id": [case for case, _, _ in rows],
            "activity": [f"a{i}" for i in range(len(rows))],
            "timestamp": pa.array(
                [T0 + timedelta(hours=h) for _, _, h in rows], pa.timestamp("us", tz="UTC")
            ),
            "resource": [resource for _, resource, _ in rows],
            "group": pa.array([None] * len(rows), pa.string()),
            "position": list(range(len(rows))),
        }
    )


# c1: m1 -> s1 after 10 h (cross), s1 -> s1 after 1 h (within);
# c2: m1 -> m after 1 h (the bot's event is left out: within), m -> s2 after 4 h (cross).
LOG = [
    ("c1", "m1", 0),
    ("c1", "s1", 10),
    ("c1", "s1", 11),
    ("c2", "m1", 0),
    ("c2", "bot", 0.5),
    ("c2", "m", 1),
    ("c2", "s2", 5),
]


def test_the_history_is_re_mapped_to_each_scenarios_units() -> None:
    events = connect().read_events(_log(LOG))
    card = compare(small_company(), scenarios=[STATUS_QUO, MERGE], events=events)
    today, merged = _metrics(card, "status_quo"), _metrics(card, "merge")
    assert today["observed_cross_unit_handoffs_per_case"] == 1.0  # 2 handoffs, 2 cases
    assert merged["observed_cross_unit_handoffs_per_case"] == 0.0
    # today's median cross-unit wait (10 h, 4 h) -> 7 h; waits within a unit are no handoff's
    assert today["expected_handoff_wait_s"] == 2 * 7 * 3600 / 2
    assert merged["expected_handoff_wait_s"] == 0.0  # no handoffs left: no handoff wait


def test_the_re_mapped_history_counts_the_handoffs_observe_counts() -> None:
    events = connect().read_events(_log(LOG))
    scenarios = [STATUS_QUO, MERGE, _scenario("move", MovePeople(people=("m",), to="sales"))]
    card = compare(small_company(), scenarios=scenarios, events=events, level=2)
    for score in card.scenarios:
        seen = observe(events, unit=resource_units(score.organization, level=2))
        expected = seen.cross_unit_handoffs_per_case
        assert score.metrics["observed_cross_unit_handoffs_per_case"] == expected


def test_the_expected_wait_is_unknown_when_today_has_no_handoff_to_time_the_scenarios() -> None:
    events = connect().read_events(_log([("c1", "s1", 0), ("c1", "s2", 2)]))  # within only
    split = _scenario("move", MovePeople(people=("s2",), to="mkt"))
    card = compare(small_company(), scenarios=[STATUS_QUO, split], events=events)
    assert _metrics(card, "status_quo")["expected_handoff_wait_s"] == 0.0
    assert _metrics(card, "move")["observed_cross_unit_handoffs_per_case"] == 1.0
    assert _metrics(card, "move")["expected_handoff_wait_s"] is None


# -- properties --------------------------------------------------------------------------------


@settings(deadline=None, max_examples=60)
@given(companies(), st.data())
def test_merging_two_sibling_units_never_adds_cross_unit_handoffs_or_coordination_on_the_card(
    org: Organization, data: st.DataObject
) -> None:
    parent = data.draw(
        st.sampled_from([u.id for u in org.units if len(org.structure.unit_children[u.id]) >= 2])
    )
    children = list(org.structure.unit_children[parent])
    pair = data.draw(st.lists(st.sampled_from(children), min_size=2, max_size=2, unique=True))
    merge = _scenario("merge", MergeUnits(units=tuple(pair), name="Merged"))
    level = data.draw(st.integers(0, 3))
    card = compare(org, scenarios=[STATUS_QUO, merge], level=level)
    today, merged = _metrics(card, "status_quo"), _metrics(card, "merge")
    for key in ("cross_unit_handoffs_per_case", "coordination_cross_unit_share"):
        assert (today[key] is None) == (merged[key] is None)
        if today[key] is not None:
            assert merged[key] <= today[key]


# -- the demo company --------------------------------------------------------------------------

DEBATE = ("merge_sales_marketing", "ceo_forum", "journey_pods")


def _wins_and_losses(card: Scorecard, name: str) -> tuple[set[str], set[str]]:
    """Metrics where ``name`` beats the status quo, and where some other scenario beats it."""
    mine = card.scenario(name).metrics
    today = card.scenario("status_quo").metrics
    wins: set[str] = set()
    losses: set[str] = set()
    for metric in METRICS:
        sign = 1 if metric.better == "higher" else -1

        def gain(a: Any, b: Any, sign: int = sign) -> float:
            return 0.0 if a is None or b is None else sign * (a - b)

        if gain(mine[metric.key], today[metric.key]) > 0:
            wins.add(metric.key)
        for other in card.scenarios:
            if other.name != name and gain(other.metrics[metric.key], mine[metric.key]) > 0:
                losses.add(metric.key)
    return wins, losses


def test_the_demo_makes_the_debate_visible(demo: Organization) -> None:
    card = compare(demo)
    for name in DEBATE:
        wins, losses = _wins_and_losses(card, name)
        assert wins, f"{name} beats the status quo on nothing"
        assert losses, f"{name} loses on nothing"
        assert card.scenario(name).dominated_by == (), name
    assert {"coordination_cross_unit_share", "accountability_share"} <= _wins_and_losses(
        card, "merge_sales_marketing"
    )[0]
    assert _wins_and_losses(card, "ceo_forum")[0] == {"escalation_distance"}
    pods_wins, pods_losses = _wins_and_losses(card, "journey_pods")
    assert "max_span" in pods_wins
    assert {"discipline_fit", "competence_dispersion", "people_moved"} <= pods_losses


@pytest.fixture(scope="module")
def demo_events(demo: Organization) -> Any:
    source = demo.events
    assert source is not None
    table = read_events(
        Path(source.path),
        case=source.case,
        activity=source.activity,
        timestamp=source.timestamp,
        resource=source.resource,
    )
    return connect().read_events(table)


def test_on_the_demo_history_the_merge_removes_handoffs_and_journey_pods_add_some(
    demo: Organization, demo_events: Any
) -> None:
    card = compare(demo, events=demo_events)
    today = _metrics(card, "status_quo")
    merged = _metrics(card, "merge_sales_marketing")
    pods = _metrics(card, "journey_pods")
    for key in ("observed_cross_unit_handoffs_per_case", "expected_handoff_wait_s"):
        assert merged[key] < today[key] < pods[key], key
    for name in ("merge_sales_marketing", "journey_pods"):
        seen = observe(demo_events, unit=resource_units(card.scenario(name).organization, level=1))
        assert _metrics(card, name)["observed_cross_unit_handoffs_per_case"] == round(
            seen.cross_unit_handoffs_per_case or 0.0, 6
        )


# -- what escalation leaves out, and the cost of a change in money -----------------------------


def test_a_persons_need_with_themself_is_left_out_of_escalation_and_counted_in_a_warning() -> None:
    with_self = compare(
        small_company(coordination=[("s1", "m1", 1.0), ("s1", "s1", 5.0)]), scenarios=[STATUS_QUO]
    )
    without = compare(small_company(coordination=[("s1", "m1", 1.0)]), scenarios=[STATUS_QUO])
    assert _metrics(with_self, "status_quo")["escalation_distance"] == 4.0
    assert _metrics(without, "status_quo")["escalation_distance"] == 4.0
    assert with_self.warnings == (
        "1 coordination need(s) of a person with themself (s1) left out of escalation_distance",
    )
    assert with_self.to_dict()["warnings"] == list(with_self.warnings)


def test_without_reporting_lines_escalation_is_unknown_not_measured_to_an_invented_top() -> None:
    from orglens.model import CoordinationNeed, Organization, Person, Unit

    org = Organization(
        people=[Person(id="a", unit="sales"), Person(id="b", unit="mkt")],
        units=[Unit(id="sales"), Unit(id="mkt")],
        coordination=[CoordinationNeed(source="a", target="b", weight=1)],
    )
    card = compare(org, scenarios=[STATUS_QUO])
    assert _metrics(card, "status_quo")["escalation_distance"] is None


def test_the_first_year_cost_values_forum_hours_and_moves_at_peoples_cost() -> None:
    forum = _scenario(
        "forum", HoldForum(units=("sales", "mkt"), meetings_per_year=10, hours_per_meeting=2)
    )
    move = _scenario("move", MovePeople(people=("s1",), to="mkt"))
    card = compare(
        small_company(),
        scenarios=[forum, move],
        decision=DecisionSettings(working_hours_per_year=100, move_cost_share=0.5),
    )
    # 20 hours a year each for ceo (300), s (200) and m (180), at cost / 100 hours
    assert _metrics(card, "forum")["first_year_cost"] == 20 * (300 + 200 + 180) / 100
    # s1 (cost 120) moves: half a year's cost
    assert _metrics(card, "move")["first_year_cost"] == 60.0
    fixed = compare(
        small_company(), scenarios=[move], decision=DecisionSettings(move_cost_per_person=7)
    )
    assert _metrics(fixed, "move")["first_year_cost"] == 7.0
