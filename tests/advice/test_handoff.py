"""Rule 3, the marketing→sales handoff, from a declared journey and from tiny event logs."""

from __future__ import annotations

import pytest
from firms import company, event_log, finding, journey

from orglens.advice import AdviceSettings
from orglens.model import EventSource, JourneyActivity, Organization

RULE = "marketing_sales_handoff"

# Marketing hands 100 of 1000 leads to sales, sales hands them back for messaging, marketing
# hands 50 back again: 100 + 100 + 50 = 250 crossings for the 100 cases that reach sales.
BACK_AND_FORTH = journey(
    ("lead", "mkt", 1000), ("deal", "sales", 100), ("deal", "mkt", 100), ("deal", "sales", 50)
)
# One handoff: 100 crossings for 100 cases reaching sales.
ONE_HANDOFF = journey(("lead", "mkt", 1000), ("deal", "sales", 100), ("deal", "sales", 30))
WON = EventSource(path="log.csv", end_activities=("won",))


def _firm(steps: tuple[JourneyActivity, ...] = BACK_AND_FORTH) -> Organization:
    return company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=steps, events=WON)


def test_a_journey_that_goes_back_and_forth_triggers_without_an_event_log() -> None:
    found = finding(_firm(), RULE)
    assert found.triggered
    assert found.evidence["declared_crossings_per_sales_case"] == 2.5
    assert found.evidence["declared_boundary_transitions"] == 3
    assert found.evidence["cases_reaching_sales_per_year"] == 100
    assert "2.5 crossings per case that reaches sales (above 1)" in found.because
    assert "lead SLA (first sales touch within 1 hour)" in found.verdict
    assert found.missing and "event log" in found.missing[0]


def test_a_single_handoff_per_case_is_no_finding() -> None:
    found = finding(_firm(ONE_HANDOFF), RULE)
    assert not found.triggered
    assert found.evidence["declared_crossings_per_sales_case"] == 1.0
    assert "no more than once per case" in found.verdict


def test_the_crossing_threshold_is_a_setting() -> None:
    settings = AdviceSettings(handoffs_per_sales_case=0.5)
    assert finding(_firm(ONE_HANDOFF), RULE, settings=settings).triggered


def test_a_slow_handoff_in_the_event_log_triggers_with_its_waits() -> None:
    # Each lead: scored 30 minutes after the form, called by sales 29.5 hours later, won an
    # hour after the call. Within-unit waits: 0.5 h and 1 h (mean 0.75 h).
    log = event_log(
        [
            [
                ("form", "mkt1", 0),
                ("scored", "mkt1", 0.5),
                ("call", "sales1", 30),
                ("won", "sales1", 31),
            ]
        ]
        * 4
    )
    found = finding(_firm(ONE_HANDOFF), RULE, events=log)
    assert found.triggered
    assert found.evidence["observed_handoffs"] == 4
    assert found.evidence["handoff_wait_s_mean"] == pytest.approx(29.5 * 3600)
    assert found.evidence["within_unit_wait_s_mean"] == pytest.approx(0.75 * 3600)
    assert found.evidence["wait_ratio"] == pytest.approx(29.5 / 0.75)
    assert found.evidence["speed_to_lead_s_median"] == pytest.approx(30 * 3600)
    assert found.evidence["leakage_share"] == 0.0
    assert "the median speed to lead is 30 hours" in found.because
    assert found.missing == ()
    assert found.sources == ("oldroyd_2011", "orglens")


def test_a_fast_complete_handoff_is_no_finding_even_when_the_journey_goes_back_and_forth() -> None:
    # Called 15 minutes after scoring (45 minutes after the form), won 30 minutes later.
    log = event_log(
        [
            [
                ("form", "mkt1", 0),
                ("scored", "mkt1", 0.5),
                ("call", "sales1", 0.75),
                ("won", "sales1", 1.25),
            ]
        ]
        * 4
    )
    found = finding(_firm(), RULE, events=log)
    assert not found.triggered
    assert found.evidence["speed_to_lead_s_median"] == pytest.approx(45 * 60)
    assert found.evidence["wait_ratio"] == pytest.approx(0.5)
    assert found.evidence["declared_crossings_per_sales_case"] == 2.5
    assert found.verdict.startswith("No finding: the event log shows a fast")


def test_a_leaky_handoff_triggers_even_when_fast() -> None:
    # Half the leads end at the call, right after the handoff: 50% leak (threshold 20%).
    won = [
        ("form", "mkt1", 0),
        ("scored", "mkt1", 0.5),
        ("call", "sales1", 0.75),
        ("won", "sales1", 1.25),
    ]
    lost = won[:3]
    found = finding(_firm(ONE_HANDOFF), RULE, events=event_log([won, lost, won, lost]))
    assert found.triggered
    assert found.evidence["leakage_share"] == 0.5
    assert "50% of the cases handed over ended right after it" in found.because


def test_the_scorecard_names_the_design_with_fewest_handoffs() -> None:
    card = {
        "status_quo": {"cross_unit_handoffs_per_case": 0.25},
        "merge_sales_marketing": {"cross_unit_handoffs_per_case": 0.0},
        "journey_pods": {"cross_unit_handoffs_per_case": 0.0},
        "ceo_forum": {"cross_unit_handoffs_per_case": 0.25, "expected_handoff_wait_s": None},
    }
    found = finding(_firm(), RULE, scenarios=card)
    assert "merge_sales_marketing and journey_pods leave fewest cross-unit handoffs" in (
        found.verdict
    )
    assert found.evidence["cross_unit_handoffs_per_case"] == {
        "status_quo": 0.25,
        "ceo_forum": 0.25,
        "merge_sales_marketing": 0.0,
        "journey_pods": 0.0,
    }
    assert "expected_handoff_wait_s" not in found.evidence  # every value is missing


def test_handoff_says_what_is_missing_without_journey_or_log() -> None:
    found = finding(_firm(()), RULE)
    assert not found.triggered
    assert found.verdict == "No finding: nothing shows marketing handing work to sales."
    assert len(found.missing) == 2


def test_handoff_says_what_is_missing_without_sales_and_marketing_functions() -> None:
    org = company({"sales": ("sales", 3), "mkt": (None, 2)}, journey=BACK_AND_FORTH)
    found = finding(org, RULE)
    assert not found.triggered
    assert found.missing
