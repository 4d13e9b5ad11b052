"""Rules 5 and 7 (brand vs activation, accountability) on tiny companies."""

from __future__ import annotations

from typing import Any

from firms import company, finding, journey

from orglens.model import BudgetLine, Forum, Organization, RevenueStream, Settings

# -- rule 5: brand vs activation ---------------------------------------------------------------


def _marketing(brand: float, activation: float, brand_mode: str | None = "project") -> Organization:
    """Brand (3 people) holds the brand spend, Demand (3) the activation spend."""
    modes: dict[str, dict[str, Any]] = {}
    if brand_mode is not None:
        modes = {"brand": {"work_mode": brand_mode}, "demand": {"work_mode": "process"}}
    return company(
        {"sales": ("sales", 3), "brand": ("marketing", 3), "demand": ("marketing", 3)},
        traits=modes,
        budget=[
            BudgetLine(id="b1", unit="brand", amount=brand, horizon="brand"),
            BudgetLine(id="a1", unit="demand", amount=activation, horizon="activation"),
        ],
    )


def test_too_little_brand_and_different_ways_of_working_trigger_both_advices() -> None:
    found = finding(_marketing(20, 80), "brand_vs_activation")
    assert found.triggered
    assert found.evidence["brand_share"] == 0.2
    assert found.evidence["brand_gap"] == -0.26
    assert found.evidence["brand_units"] == ("Brand",)
    assert found.evidence["activation_units"] == ("Demand",)
    assert found.evidence["brand_project_share"] == 1.0
    assert found.evidence["activation_process_share"] == 1.0
    assert found.verdict.startswith("Move budget toward brand")
    assert "its own team, or build pods" in found.verdict
    assert "Brand gets 20% of the brand + activation spend" in found.because
    assert found.sources == ("brand_benchmark", "binet_field_2013", "orglens")


def test_too_much_brand_moves_budget_toward_activation() -> None:
    found = finding(_marketing(80, 20, brand_mode="process"), "brand_vs_activation")
    assert found.triggered
    assert found.verdict.startswith("Move budget toward activation")
    assert "own team" not in found.verdict


def test_a_balanced_budget_with_different_ways_of_working_calls_for_a_brand_team_or_pods() -> None:
    found = finding(_marketing(46, 54), "brand_vs_activation")
    assert found.triggered
    assert found.verdict.startswith("Give the project-based brand work its own team")


def test_a_balanced_budget_worked_the_same_way_is_no_finding() -> None:
    found = finding(_marketing(46, 54, brand_mode="process"), "brand_vs_activation")
    assert not found.triggered
    assert found.evidence["brand_project_share"] == 0.0


def test_the_benchmark_is_the_workspaces_own() -> None:
    org = _marketing(20, 80, brand_mode="process").model_copy(
        update={"settings": Settings(brand_benchmark=0.2)}
    )
    found = finding(org, "brand_vs_activation")
    assert not found.triggered
    assert found.evidence["brand_benchmark"] == 0.2


def test_brand_says_what_is_missing_without_work_modes_or_budget() -> None:
    without_modes = finding(_marketing(46, 54, brand_mode=None), "brand_vs_activation")
    assert not without_modes.triggered
    assert without_modes.missing == (
        "people.csv: work_mode (project or process) of the people who spend it",
    )
    without_budget = finding(company({"sales": ("sales", 3)}), "brand_vs_activation")
    assert without_budget.verdict == "No finding: no brand or activation spend to judge."
    assert without_budget.missing[0].startswith("budget.csv")


# -- rule 7: accountability --------------------------------------------------------------------

_SPEND = [
    BudgetLine(id="x", unit="mkt", amount=100, horizon="activation", outcome_unit="sales"),
    BudgetLine(id="y", unit="mkt", amount=100, horizon="brand"),
]
_FUNNEL = journey(("lead", "mkt", 100), ("deal", "sales", 10))


def _revenue_org(**records: Any) -> Organization:
    return company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        budget=records.pop("budget", _SPEND),
        revenue=[RevenueStream(stream="new", unit="sales", amount=1000)],
        journey=_FUNNEL,
        **records,
    )


def test_spend_serving_another_department_needs_an_end_to_end_owner() -> None:
    found = finding(_revenue_org(), "accountability")
    assert found.triggered
    assert found.evidence["spend_outcome_other_group_share"] == 0.5
    assert found.evidence["spend_owned_only_at_top_share"] == 0.5
    assert found.evidence["revenue_owners"] == ("Cleo",)
    assert found.evidence["end_to_end_owner"] is None
    assert "fine only if someone owns the revenue process end to end" in found.verdict
    assert found.because.startswith("50% of the spend serves the result of another department")


def test_a_forum_of_the_heads_owns_the_process_end_to_end() -> None:
    forum = Forum(name="Revenue council", units=("sales", "mkt"), chair="ceo")
    found = finding(_revenue_org(forums=[forum]), "accountability")
    assert not found.triggered
    assert found.verdict == (
        "Budgets per function are fine here: Revenue council owns the process end to end."
    )


def test_a_journey_owner_below_the_ceo_owns_the_process_end_to_end() -> None:
    org = company(
        {"sales": ("sales", 2), "mkt": ("marketing", 2)},
        teams={"north": ("sales", 2), "south": ("sales", 2)},
        budget=[BudgetLine(id="x", unit="north", amount=10, outcome_unit="south")],
        journey=journey(("lead", "north", 10), ("deal", "south", 5)),
        settings=Settings(level=2),
    )
    found = finding(org, "accountability")
    assert not found.triggered
    assert found.evidence["end_to_end_owner"] == "sales0"
    assert "another unit" in found.because


def test_spend_owned_with_its_result_is_no_finding() -> None:
    spend = [BudgetLine(id="y", unit="mkt", amount=100, outcome_unit="mkt")]
    found = finding(_revenue_org(budget=spend), "accountability")
    assert not found.triggered
    assert found.evidence["spend_outcome_other_group_share"] == 0.0


def test_accountability_shows_the_scorecards_share_and_says_what_is_missing() -> None:
    card = {"status_quo": {"accountability_share": 0.5}, "merge_sales_marketing": {}}
    found = finding(_revenue_org(), "accountability", scenarios=card)
    assert found.evidence["accountability_share"] == {
        "status_quo": 0.5,
        "merge_sales_marketing": None,
    }
    no_budget = finding(company({"sales": ("sales", 3)}), "accountability")
    assert not no_budget.triggered
    assert no_budget.missing[0].startswith("budget.csv")
