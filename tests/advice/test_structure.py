"""Rules 1, 2 and 4 (size, span after a merge, the CEO as journey owner) on tiny companies."""

from __future__ import annotations

import pytest
from firms import company, finding, journey

from orglens.advice import AdviceSettings
from orglens.model import Organization, Person, Settings, Unit

# -- rule 1: size ------------------------------------------------------------------------------


def test_a_small_go_to_market_team_makes_merging_low_risk() -> None:
    org = company({"sales": ("sales", 5), "mkt": ("marketing", 3)})
    found = finding(org, "go_to_market_size")
    assert found.triggered
    assert "low-risk" in found.verdict
    assert found.evidence["go_to_market_headcount"] == 8
    assert "8 people" in found.because
    assert found.sources == ("dunbar_layers",)


def test_a_large_team_with_sales_split_by_region_may_not_work_under_one_head() -> None:
    # 1 + 30 + 25 sellers and 10 marketers: 66 people, sales teams in Oslo and in Lund.
    org = company(
        {"sales": ("sales", 1), "mkt": ("marketing", 10)},
        teams={"north": ("sales", 30), "south": ("sales", 25)},
        traits={"north": {"location": "Oslo"}, "south": {"location": "Lund"}},
    )
    found = finding(org, "go_to_market_size")
    assert found.triggered
    assert "may not work" in found.verdict
    assert found.evidence["go_to_market_headcount"] == 66
    assert found.evidence["sales_split_by"] == "region"
    assert found.evidence["sales_units"] == ("North: Oslo", "South: Lund")


def test_a_sales_split_by_segment_counts_too() -> None:
    org = company(
        {"sales": ("sales", 1), "mkt": ("marketing", 10)},
        teams={"smb": ("sales", 30), "ent": ("sales", 25)},
        traits={"smb": {"segments": ("SMB",)}, "ent": {"segments": ("Enterprise", "SMB")}},
    )
    assert finding(org, "go_to_market_size").evidence["sales_split_by"] == "segment"


def test_a_large_team_without_a_split_gives_no_finding() -> None:
    org = company(
        {"sales": ("sales", 1), "mkt": ("marketing", 10)},
        teams={"north": ("sales", 30), "south": ("sales", 25)},
        traits={"north": {"location": "Oslo"}, "south": {"location": "Oslo"}},
    )
    found = finding(org, "go_to_market_size")
    assert not found.triggered
    assert found.verdict.startswith("No finding")
    assert found.evidence["sales_split_by"] is None


def test_the_size_threshold_is_a_setting() -> None:
    org = company({"sales": ("sales", 5), "mkt": ("marketing", 3)})
    found = finding(org, "go_to_market_size", settings=AdviceSettings(small_go_to_market=7))
    assert not found.triggered
    assert found.evidence["small_go_to_market"] == 7


def test_size_says_what_is_missing_without_sales_and_marketing_functions() -> None:
    org = company({"sales": ("sales", 5), "mkt": (None, 3)})
    found = finding(org, "go_to_market_size")
    assert not found.triggered
    assert found.missing and "function" in found.missing[0]


# -- rule 2: span after a merge ----------------------------------------------------------------


def test_a_merge_above_the_span_range_calls_for_middle_managers() -> None:
    # Range 3-5: the sales head has 5 reports; merged, the marketing head makes 6 > 5 (20%
    # above, not borderline): one middle manager taking 2 of them brings the head back to 5.
    org = company(
        {"sales": ("sales", 6), "mkt": ("marketing", 4)}, settings=Settings(span_range=(3, 5))
    )
    found = finding(org, "span_after_merge")
    assert found.triggered
    assert found.evidence["largest_changed_span"] == {"merge_sales_marketing": 6}
    assert found.evidence["middle_managers_needed"] == 1
    assert "not to keep the functions apart" in found.verdict
    assert "6 direct reports" in found.because
    assert found.sources == ("mckinsey_spans",)
    assert found.margin == pytest.approx(0.2)
    assert found.tipping_point == (
        "The verdict turns at span_range = 3-5 (at most 5 direct reports); "
        "merge_sales_marketing gives sales0 6: 1 fewer direct report, or a maximum of 6, "
        "would change it."
    )


def test_middle_managers_needed_follow_the_span_range() -> None:
    # Range 3-5: the head would have 9 + 1 = 10 reports; ceil((10 - 5) / 4) = 2 middle
    # managers take 7 of them, leaving the head 3 + 2 = 5.
    org = company(
        {"sales": ("sales", 10), "mkt": ("marketing", 3)}, settings=Settings(span_range=(3, 5))
    )
    found = finding(org, "span_after_merge")
    assert found.evidence["middle_managers_needed"] == 2
    assert found.evidence["span_range"] == "3-5"


def test_a_merge_within_the_span_range_is_no_reason_to_keep_functions_apart() -> None:
    org = company({"sales": ("sales", 6), "mkt": ("marketing", 3)})
    found = finding(org, "span_after_merge")
    assert not found.triggered
    assert found.verdict.startswith("Span is no reason")
    assert found.evidence["largest_changed_span"] == {"merge_sales_marketing": 6}
    assert found.evidence["middle_managers_needed"] == 0


def test_spans_already_out_of_range_are_reported_apart_from_the_merge() -> None:
    org = company({"sales": ("sales", 4), "mkt": ("marketing", 3), "ops": ("operations", 18)})
    found = finding(org, "span_after_merge")
    assert not found.triggered
    assert found.evidence["spans_above_range_today"] == 1
    assert "above the range today" in found.because


def test_span_uses_the_scorecard_when_given() -> None:
    org = company({"sales": ("sales", 6), "mkt": ("marketing", 3)})
    card = {"status_quo": {"max_span": 5.0}, "merge_sales_marketing": {"max_span": 6.0}}
    found = finding(org, "span_after_merge", scenarios=card)
    assert found.evidence["max_span"] == {"status_quo": 5.0, "merge_sales_marketing": 6.0}


def test_span_says_what_is_missing_without_a_merge_to_try() -> None:
    found = finding(company({"sales": ("sales", 6)}), "span_after_merge")
    assert not found.triggered
    assert found.missing


# -- rule 4: the CEO owns the journey ----------------------------------------------------------

_FUNNEL = journey(("lead", "mkt", 1000), ("deal", "sales", 100))


def test_the_ceo_as_only_common_manager_must_own_the_journey() -> None:
    org = company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=_FUNNEL)
    found = finding(org, "ceo_owns_journey")
    assert found.triggered
    assert found.verdict.startswith("Cleo must own the design of the customer journey")
    assert "may achieve much of a merger" in found.verdict
    assert found.evidence["journey_common_manager"] == "Cleo"
    assert found.evidence["journey_groups"] == ("Mkt", "Sales")
    assert found.missing and "escalation_distance" in found.missing[0]


def test_a_forum_achieving_more_than_half_the_merger_achieves_much_of_it() -> None:
    # (3 - 1.8) / (3 - 1) = 60% of the merger's gain, 20% above the threshold of 50%.
    org = company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=_FUNNEL)
    card = {
        "status_quo": {"escalation_distance": 3.0},
        "ceo_forum": {"escalation_distance": 1.8},
        "merge_sales_marketing": {"escalation_distance": 1.0},
    }
    found = finding(org, "ceo_owns_journey", scenarios=card)
    assert found.evidence["forum_share_of_merger"] == pytest.approx(0.6)
    assert "achieves 60% of the merger's shorter escalation" in found.verdict
    assert "try it before merging." in found.verdict
    assert found.missing == ()
    assert found.margin == pytest.approx(0.2)
    # At the threshold the forum's distance would be 3 - 0.5 * (3 - 1) = 2 levels.
    assert "a forum escalation distance above 2 levels" in found.tipping_point


def test_a_forum_achieving_little_of_the_merger_is_not_enough() -> None:
    org = company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=_FUNNEL)
    card = {
        "status_quo": {"escalation_distance": 3.0},
        "ceo_forum": {"escalation_distance": 2.8},
        "merge_sales_marketing": {"escalation_distance": 1.0},
    }
    found = finding(org, "ceo_owns_journey", scenarios=card)
    assert found.evidence["forum_share_of_merger"] == pytest.approx(0.1)
    assert "not enough on its own" in found.verdict


def test_a_forum_that_beats_the_merger_is_said_so() -> None:
    org = company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=_FUNNEL)
    card = {
        "status_quo": {"escalation_distance": 3.0},
        "ceo_forum": {"escalation_distance": 1.0},
        "merge_sales_marketing": {"escalation_distance": 2.0},
    }
    found = finding(org, "ceo_owns_journey", scenarios=card)
    assert found.evidence["forum_share_of_merger"] == 2.0
    assert "more than the merger" in found.verdict


def test_a_journey_inside_one_department_has_an_owner_below_the_ceo() -> None:
    org = company(
        {"sales": ("sales", 2), "mkt": ("marketing", 2)},
        teams={"north": ("sales", 2), "south": ("sales", 2)},
        journey=journey(("lead", "north", 10), ("deal", "south", 5)),
        settings=Settings(level=2),
    )
    found = finding(org, "ceo_owns_journey")
    assert not found.triggered
    assert found.evidence["journey_common_manager"] == "sales0"


def test_ceo_rule_says_what_is_missing_without_a_journey() -> None:
    found = finding(company({"sales": ("sales", 3), "mkt": ("marketing", 2)}), "ceo_owns_journey")
    assert not found.triggered
    assert found.missing == ("journey.csv: the declared customer journey",)


def test_a_journey_under_different_tops_needs_one_owner_named() -> None:
    org = Organization(
        people=[Person(id="s", unit="sales"), Person(id="m", unit="mkt")],
        units=[Unit(id="sales", function="sales"), Unit(id="mkt", function="marketing")],
        journey=_FUNNEL,
    )
    found = finding(org, "ceo_owns_journey")
    assert found.triggered
    assert found.verdict.startswith("Name one owner of the whole journey")
    assert "they sit under different tops" in found.because
