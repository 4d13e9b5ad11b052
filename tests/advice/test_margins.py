"""Margins, borderline verdicts and tipping points of the rules; the advice never recommends a
design the scorecard dominates without saying why; counter-arguments use the company's evidence.

A verdict within 10% of its threshold is borderline: a company just below and one just above
the threshold get the same (hedged) verdict, both marked borderline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from firms import company, event_log, finding, journey
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.advice import AdviceSettings, Finding, advise, margin
from orglens.lenses import analyze
from orglens.model import (
    BudgetLine,
    CoordinationNeed,
    EventSource,
    Organization,
    RevenueStream,
    Segment,
    Settings,
)
from orglens.scenarios import ScenarioScore, Scorecard, dominance


def _scored(org: Organization, metrics: Mapping[str, Mapping[str, float]]) -> Scorecard:
    """A scorecard with these metrics, its designs dominated as :func:`dominance` finds."""
    analysis = analyze(org)
    beaten = dominance(metrics)
    return Scorecard(
        level=1,
        scenarios=tuple(
            ScenarioScore(
                name=name,
                kind="",
                description="",
                metrics=values,
                dominated_by=beaten[name],
                warnings=(),
                organization=org,
                analysis=analysis,
            )
            for name, values in metrics.items()
        ),
    )


def _with_card(org: Organization, rule: str, metrics: Mapping[str, Mapping[str, float]]) -> Finding:
    return advise(org, analyze(org), _scored(org, metrics)).finding(rule)


# -- rule 1: size ------------------------------------------------------------------------------


def _go_to_market(people: int) -> Organization:
    """Sales split by region (its head, 15 sellers in Oslo, 15 in Lund) and marketing making up
    the rest of ``people``."""
    return company(
        {"sales": ("sales", 1), "mkt": ("marketing", people - 31)},
        teams={"north": ("sales", 15), "south": ("sales", 15)},
        traits={"north": {"location": "Oslo"}, "south": {"location": "Lund"}},
    )


def test_a_company_just_below_and_just_above_the_size_threshold_gets_the_same_verdict() -> None:
    below, above = (finding(_go_to_market(n), "go_to_market_size") for n in (46, 54))
    assert below.verdict == above.verdict
    assert below.verdict.startswith("At 46–54 people the size argument does not decide")
    assert below.borderline and above.borderline
    assert below.margin == above.margin == pytest.approx(0.08)
    assert below.triggered and above.triggered
    assert below.tipping_point == (
        "The verdict turns at small_go_to_market = 50 people; this company has 46: at 45 "
        "people or fewer merging is low-risk, and at 55 or more one head may not work with "
        "sales split by region."
    )


def test_companies_clearly_below_and_above_the_size_threshold_get_the_two_clear_verdicts() -> None:
    small, large = (finding(_go_to_market(n), "go_to_market_size") for n in (40, 60))
    assert small.verdict == "Merging sales and marketing is low-risk at this size."
    assert large.verdict.startswith("One head for sales and marketing may not work here")
    assert not small.borderline and not large.borderline
    assert small.margin == pytest.approx(0.2)
    assert small.tipping_point == (
        "The verdict turns at small_go_to_market = 50 people; this company has 40: 11 more "
        "people in sales and marketing, or a threshold of 39, would change it."
    )
    assert large.tipping_point == (
        "The verdict turns at small_go_to_market = 50 people; this company has 60: 10 fewer "
        "people in sales and marketing, or a threshold of 60, would change it."
    )


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=40, max_value=150))
def test_any_size_threshold_gives_one_verdict_across_its_borderline_band(limit: int) -> None:
    options = AdviceSettings(small_go_to_market=limit)
    near = [n for n in range(limit // 2, 2 * limit) if (margin(n, limit) or 0.0) < 0.1]
    low, high = min(near), max(near)
    found = [finding(_go_to_market(n), "go_to_market_size", settings=options) for n in (low, high)]
    assert found[0].verdict == found[1].verdict
    assert found[0].borderline and found[1].borderline
    outside = finding(_go_to_market(high + 1), "go_to_market_size", settings=options)
    assert not outside.borderline
    assert outside.verdict != found[0].verdict


# -- rule 2: span ------------------------------------------------------------------------------


def test_a_merged_span_just_below_and_just_above_the_range_gets_the_same_verdict() -> None:
    # Merged, the sales head leads its 13 (or 15) sellers and the marketing head: 14 or 16.
    below, above = (
        finding(company({"sales": ("sales", n), "mkt": ("marketing", 4)}), "span_after_merge")
        for n in (14, 16)
    )
    assert below.verdict == above.verdict
    assert "at 14–16 direct reports a merged head sits at the edge" in below.verdict
    assert below.borderline and above.borderline
    assert below.evidence["middle_managers_needed"] == 0
    assert above.evidence["middle_managers_needed"] == 1


# -- rule 3: the handoff -----------------------------------------------------------------------


def _speed(minutes: float) -> Finding:
    """Every lead: a form, scored after 30 minutes, called ``minutes`` after the form, won four
    hours after the call; within-unit waits are long, so only the speed to lead is near its
    threshold."""
    hours = minutes / 60
    case = [("form", "mkt1", 0), ("scored", "mkt1", 0.5), ("call", "sales1", hours)]
    log = event_log([[*case, ("won", "sales1", hours + 4)]] * 4)
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
        events=EventSource(path="log.csv", end_activities=("won",)),
    )
    return finding(org, "marketing_sales_handoff", events=log)


def test_a_speed_to_lead_just_under_and_just_over_an_hour_gets_the_same_verdict() -> None:
    below, above = _speed(55), _speed(65)
    assert below.verdict == above.verdict
    assert below.verdict.startswith(
        "With the median speed to lead at 54 minutes–1.1 hours the handoff argument does not "
        "decide (speed_to_lead_s = 1 hour)"
    )
    assert below.borderline and above.borderline
    assert "below 54 minutes it is no reason to change the handoff" in below.tipping_point


def test_a_clearly_slow_speed_to_lead_says_what_would_tip_it() -> None:
    found = _speed(180)
    assert found.triggered and not found.borderline
    assert found.margin == pytest.approx(2.0)
    assert found.tipping_point == (
        "The verdict turns at speed_to_lead_s = 1 hour; the median speed to lead is 3 hours: "
        "a value of 1 hour or less, or a threshold of 3 hours, would change it."
    )


def test_exactly_one_declared_crossing_per_case_is_the_least_a_split_needs_not_a_borderline() -> (
    None
):
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        journey=journey(("lead", "mkt", 1000), ("deal", "sales", 100)),
    )
    found = finding(org, "marketing_sales_handoff")
    assert not found.triggered and not found.borderline
    assert found.margin is None
    assert "any step back from sales to marketing would change it" in found.tipping_point


# -- rule 4: the forum -------------------------------------------------------------------------


def _forum(distance: float) -> Finding:
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
    )
    card = {
        "status_quo": {"escalation_distance": 3.0},
        "ceo_forum": {"escalation_distance": distance},
        "merge_sales_marketing": {"escalation_distance": 1.0},
    }
    return finding(org, "ceo_owns_journey", scenarios=card)


def test_a_forum_achieving_just_under_and_just_over_half_the_merger_gets_the_same_verdict() -> None:
    below, above = _forum(2.04), _forum(1.96)  # 48% and 52% of the merger's gain
    assert below.verdict == above.verdict
    assert "achieves about 50% (45%–55%) of the merger's shorter escalation" in below.verdict
    assert below.borderline and above.borderline


# -- rule 5: brand vs activation ---------------------------------------------------------------


def _brand(brand: float) -> Finding:
    org = company(
        {"sales": ("sales", 3), "brand": ("marketing", 3), "demand": ("marketing", 3)},
        budget=[
            BudgetLine(id="b", unit="brand", amount=brand, horizon="brand"),
            BudgetLine(id="a", unit="demand", amount=100 - brand, horizon="activation"),
        ],
    )
    return finding(org, "brand_vs_activation")


def test_a_brand_share_just_inside_and_just_outside_the_tolerance_gets_the_same_verdict() -> None:
    # The benchmark is 46%: 41.2% is 4.8 points below it, 40.8% is 5.2 (tolerance 5).
    inside, outside = _brand(41.2), _brand(40.8)
    assert (
        inside.verdict
        == outside.verdict
        == (
            "The brand-activation argument does not decide: a brand share 4.5–5.5 points below the "
            "46% benchmark is too close to brand_tolerance to call for moving budget."
        )
    )
    assert inside.borderline and outside.borderline
    assert inside.triggered and outside.triggered
    clear = _brand(20)
    assert clear.verdict.startswith("Move budget toward brand") and not clear.borderline
    assert "a brand share of 41% or more, or a tolerance of 26 points" in clear.tipping_point


# -- rule 6: communications into marketing -----------------------------------------------------


def _comms(shared: int = 1, own: int = 2, **options: Any) -> Finding:
    """Communications shares a stage with marketing and ``shared`` of its ``own`` competences,
    no segment: the competence overlap decides whether 2 of 3 overlaps are reached."""
    skills = tuple(f"skill{i}" for i in range(own))
    org = company(
        {"mkt": ("marketing", 3), "comms": ("communications", 2), "sales": ("sales", 2)},
        traits={"mkt": {"competences": skills[:shared]}, "comms": {"competences": skills}},
        journey=journey(("awareness", "mkt", 100), ("awareness", "comms", 100)),
    )
    return finding(org, "communications_into_marketing", settings=AdviceSettings(**options))


def test_a_competence_overlap_just_below_and_above_its_threshold_gets_the_same_verdict() -> None:
    # 1 of 3 (33%) and 3 of 8 (38%) competences shared, against 35%.
    below = _comms(shared=1, own=3, competence_overlap=0.35)
    above = _comms(shared=3, own=8, competence_overlap=0.35)
    assert (
        above.verdict
        == below.verdict
        == (
            "Whether communications should merge into marketing does not follow: it hangs on a "
            "competence overlap of 32%–38%, at the competence_overlap threshold of 35%."
        )
    )
    assert above.borderline and below.borderline
    clear = _comms(competence_overlap=0.25)
    assert clear.verdict.startswith("Merge communications into marketing")
    assert clear.margin == pytest.approx(1.0)
    assert clear.tipping_point == (
        "The verdict turns at competence_overlap = 25%; 50% of communications' competences are "
        "shared with marketing: an overlap below 25%, or a threshold above 50%, would change it."
    )


def test_a_count_of_overlaps_one_short_of_its_threshold_is_not_borderline() -> None:
    # A stage and the competences overlap (2 of 3) against overlap_kinds = 3. A count turns
    # between 2 and 3, so it is measured from 2.5: a margin of 0.5 / 2.5 = 20%.
    found = _comms(competence_overlap=0.25, overlap_kinds=3)
    assert not found.triggered and not found.borderline
    assert found.margin == pytest.approx(0.2)
    assert "1 more overlap, or a threshold of 2, would change it" in found.tipping_point


# -- rule 7: accountability --------------------------------------------------------------------


def _spend(elsewhere: float) -> Finding:
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        budget=[
            BudgetLine(id="x", unit="mkt", amount=elsewhere, outcome_unit="sales"),
            BudgetLine(id="y", unit="mkt", amount=100 - elsewhere),
        ],
        revenue=[RevenueStream(stream="new", unit="sales", amount=1000)],
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
    )
    return finding(org, "accountability")


def test_spend_just_under_and_just_over_its_threshold_gets_the_same_verdict() -> None:
    below, above = _spend(9.5), _spend(10.5)
    assert below.verdict == above.verdict
    assert below.verdict.startswith(
        "At 9%–11% of spend serving another department's result the accountability argument "
        "does not decide"
    )
    assert below.borderline and above.borderline
    clear = _spend(50)
    assert clear.triggered and not clear.borderline
    assert clear.tipping_point == (
        "The verdict turns at spend_elsewhere_share = 10%; 50% of the spend serves another "
        "department's result: moving more than 40 EUR to the units that own its result, an "
        "end-to-end owner, or a threshold above 50%, would change it."
    )


# -- the advice and the scorecard never contradict each other ----------------------------------

#: The merges change managers and shorten nothing: the forum and today dominate them.
_MERGES_DOMINATED = {
    "status_quo": {"escalation_distance": 2.0, "managers_changed": 0.0},
    "ceo_forum": {"escalation_distance": 2.0, "managers_changed": 0.0},
    "merge_sales_marketing": {"escalation_distance": 2.0, "managers_changed": 1.0},
    "merge_marketing_communications": {"escalation_distance": 2.0, "managers_changed": 1.0},
}


def test_a_dominated_merge_is_not_called_low_risk_without_saying_so() -> None:
    org = company({"sales": ("sales", 5), "mkt": ("marketing", 3)})
    found = _with_card(org, "go_to_market_size", _MERGES_DOMINATED)
    assert "low-risk" not in found.verdict
    assert found.verdict == (
        "Size is no obstacle to merging sales and marketing, but the scorecard shows "
        "merge_sales_marketing dominated by status_quo and ceo_forum, worse than status_quo on "
        "managers changed and equal on the rest: size alone is no reason to merge."
    )


def test_a_dominated_merge_of_communications_is_not_recommended() -> None:
    org = company(
        {"mkt": ("marketing", 3), "comms": ("communications", 2), "sales": ("sales", 2)},
        traits={"mkt": {"competences": ("content",)}, "comms": {"competences": ("content",)}},
        journey=journey(("awareness", "mkt", 100), ("awareness", "comms", 100)),
    )
    found = _with_card(org, "communications_into_marketing", _MERGES_DOMINATED)
    assert found.triggered
    assert not found.verdict.startswith("Merge communications")
    assert "merge_marketing_communications dominated by status_quo and ceo_forum" in (found.verdict)
    assert found.verdict.endswith("in one plan rather than merge.")


def test_the_handoff_names_only_designs_on_the_pareto_front() -> None:
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        journey=journey(
            ("lead", "mkt", 100), ("deal", "sales", 100), ("deal", "mkt", 100), ("x", "sales", 50)
        ),
    )
    metrics = {
        "status_quo": {"cross_unit_handoffs_per_case": 2.5, "managers_changed": 0.0},
        "merge_sales_marketing": {"cross_unit_handoffs_per_case": 0.0, "managers_changed": 1.0},
        "journey_pods": {"cross_unit_handoffs_per_case": 0.5, "managers_changed": 4.0},
        "segment_pods": {"cross_unit_handoffs_per_case": 0.5, "managers_changed": 5.0},
    }
    found = _with_card(org, "marketing_sales_handoff", metrics)
    assert "must change: merge, or a lead SLA" in found.verdict  # every pod design is dominated
    assert "merge_sales_marketing leaves fewest cross-unit handoffs" in found.verdict
    both = {**metrics, "merge_sales_marketing": {**metrics["journey_pods"], "managers_changed": 9}}
    found = _with_card(org, "marketing_sales_handoff", both)
    assert "merge" not in found.verdict.split(":")[1]  # no design named as a lever
    assert "a lead SLA" in found.verdict


def test_pods_the_scorecard_dominates_are_still_named_for_the_ways_of_working_with_a_reason() -> (
    None
):
    org = company(
        {"sales": ("sales", 3), "brand": ("marketing", 3), "demand": ("marketing", 3)},
        traits={"brand": {"work_mode": "project"}, "demand": {"work_mode": "process"}},
        budget=[
            BudgetLine(id="b", unit="brand", amount=46, horizon="brand"),
            BudgetLine(id="a", unit="demand", amount=54, horizon="activation"),
        ],
    )
    metrics = {
        "status_quo": {"people_moved": 0.0},
        "journey_pods": {"people_moved": 5.0},
        "segment_pods": {"people_moved": 6.0},
    }
    found = _with_card(org, "brand_vs_activation", metrics)
    assert "build pods" in found.verdict
    assert (
        "although the scorecard shows journey_pods dominated by status_quo, worse than "
        "status_quo on people moved and equal on the rest: the scorecard does not measure how "
        "brand and activation work is run" in found.verdict
    )


def test_designs_on_the_pareto_front_are_named_without_a_reason() -> None:
    org = company({"sales": ("sales", 5), "mkt": ("marketing", 3)})
    metrics = {
        "status_quo": {"escalation_distance": 2.0, "managers_changed": 0.0},
        "merge_sales_marketing": {"escalation_distance": 1.0, "managers_changed": 1.0},
    }
    found = _with_card(org, "go_to_market_size", metrics)
    assert found.verdict == "Merging sales and marketing is low-risk at this size."


# -- counter-arguments use the company's evidence ----------------------------------------------


def _size_pair() -> tuple[Organization, Organization]:
    return _go_to_market(40), _go_to_market(36)


def _span_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", n), "mkt": ("marketing", 4)}, settings=Settings(span_range=(3, 5))
        )
        for n in (7, 9)
    )


def _handoff_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", 3), "mkt": ("marketing", 2)},
            journey=journey(
                ("lead", "mkt", 1000),
                ("deal", "sales", cases),
                ("deal", "mkt", 100),
                ("x", "sales", 50),
            ),
        )
        for cases in (100, 80)
    )


def _journey_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", 3), "mkt": ("marketing", 2), "cs": ("success", 2)},
            journey=journey(*steps),
        )
        for steps in (
            (("lead", "mkt", 100), ("deal", "sales", 10)),
            (("lead", "mkt", 100), ("deal", "sales", 10), ("renew", "cs", 5)),
        )
    )


def _brand_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", 3), "brand": ("marketing", 3), "demand": ("marketing", 3)},
            budget=[
                BudgetLine(id="b", unit="brand", amount=brand, horizon="brand"),
                BudgetLine(id="a", unit="demand", amount=100 - brand, horizon="activation"),
            ],
        )
        for brand in (20, 30)
    )


def _comms_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"mkt": ("marketing", 3), "comms": ("communications", size), "sales": ("sales", 2)},
            traits={"mkt": {"competences": ("content",)}, "comms": {"competences": ("content",)}},
            journey=journey(("awareness", "mkt", 100), ("awareness", "comms", 100)),
        )
        for size in (2, 4)
    )


def _spend_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", 3), "mkt": ("marketing", 2)},
            budget=[
                BudgetLine(id="x", unit="mkt", amount=amount, outcome_unit="sales"),
                *([BudgetLine(id="y", unit="sales", amount=10)] * lines),
            ],
            journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
        )
        for amount, lines in ((100, 0), (250, 1))
    )


def _segments_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", 2), "mkt": ("marketing", 2)},
            traits={"sales": {"segments": (name,)}, "mkt": {"segments": (f"{name} firms",)}},
            segments=[Segment(id=name, name=name)],
        )
        for name in ("small", "large")
    )


def _coordination_pair() -> tuple[Organization, ...]:
    return tuple(
        company(
            {"sales": ("sales", 3), "mkt": ("marketing", 2), other: ("hr", 1)},
            coordination=[CoordinationNeed(source=other, target="sales", weight=2)],
        )
        for other in ("hr", "people")
    )


_PAIRS: dict[str, Callable[[], tuple[Organization, ...]]] = {
    "go_to_market_size": _size_pair,
    "span_after_merge": _span_pair,
    "marketing_sales_handoff": _handoff_pair,
    "ceo_owns_journey": _journey_pair,
    "brand_vs_activation": _brand_pair,
    "communications_into_marketing": _comms_pair,
    "accountability": _spend_pair,
    "common_segments": _segments_pair,
    "coordination_beyond_merging": _coordination_pair,
}


@pytest.mark.parametrize("rule", list(_PAIRS))
def test_two_companies_get_different_counter_arguments_and_conditions(rule: str) -> None:
    first, second = (finding(org, rule) for org in _PAIRS[rule]())
    assert first.triggered and second.triggered
    assert first.counter and second.counter
    assert first.counter != second.counter
    assert first.conditions != second.conditions


def test_a_forum_that_is_not_enough_does_not_point_to_a_dominated_merger_without_saying_so() -> (
    None
):
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
    )
    metrics = {
        "status_quo": {"escalation_distance": 3.0, "managers_changed": 0.0},
        "ceo_forum": {"escalation_distance": 2.8, "managers_changed": 0.0},
        "merge_sales_marketing": {"escalation_distance": 1.0, "managers_changed": 1.0},
        "journey_pods": {"escalation_distance": 0.5, "managers_changed": 1.0},
    }
    found = _with_card(org, "ceo_owns_journey", metrics)
    assert found.verdict.endswith(
        "so it is not enough on its own, though the scorecard shows merge_sales_marketing "
        "dominated by journey_pods, worse than journey_pods on escalation distance and equal "
        "on the rest."
    )


def test_a_dominated_forum_is_named_for_budget_authority_with_the_reason() -> None:
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        budget=[BudgetLine(id="x", unit="mkt", amount=100, outcome_unit="sales")],
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
    )
    metrics = {
        "status_quo": {"escalation_distance": 2.0, "managers_changed": 0.0},
        "ceo_forum": {"escalation_distance": 2.0, "managers_changed": 1.0},
    }
    found = _with_card(org, "accountability", metrics)
    assert "name that owner (or a forum with budget authority, although the scorecard shows " in (
        found.verdict
    )
    assert "ceo_forum dominated by status_quo" in found.verdict
