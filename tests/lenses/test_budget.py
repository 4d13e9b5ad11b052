"""The budget lens on tiny organizations whose numbers can be checked by hand."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orglens.errors import UsageError
from orglens.lenses.budget import analyze
from orglens.model import (
    VIRTUAL_TOP,
    BudgetLine,
    Organization,
    Person,
    RevenueStream,
    Settings,
    Unit,
)

UNITS = (
    Unit(id="Co", name="Company", function="management"),
    Unit(id="Mkt", name="Marketing", parent="Co", function="marketing", head="cmo"),
    Unit(id="Brand", parent="Mkt", function="marketing"),
    Unit(id="Demand", parent="Mkt", function="marketing"),
    Unit(id="Comms", name="Communications", parent="Co", function="communications", head="cmo"),
    Unit(id="Sales", parent="Co", function="sales", head="cso"),
)

PEOPLE = (
    Person(id="ceo", name="Cecilia", unit="Co", cost=300),
    Person(id="cmo", name="Maja", manager_id="ceo", unit="Mkt", cost=200),
    Person(id="b1", manager_id="cmo", unit="Brand", cost=100),
    Person(id="d1", name="Dan", manager_id="cmo", unit="Demand", cost=90),
    Person(id="cso", name="Sven", manager_id="ceo", unit="Sales", cost=250),
    Person(id="s1", manager_id="cso", unit="Sales", cost=120),
)


def company(
    budget: list[BudgetLine] | None = None,
    revenue: list[RevenueStream] | None = None,
    settings: Settings | None = None,
) -> Organization:
    """CEO over a CMO (Marketing with Brand and Demand, and Communications) and a CSO (Sales)."""
    return Organization(
        people=PEOPLE,
        units=UNITS,
        budget=budget or [],
        revenue=revenue or [],
        settings=settings or Settings(),
        currency="SEK",
    )


def line(
    id: str,
    unit: str,
    amount: float,
    horizon: Literal["brand", "activation", "other"] = "other",
    outcome: str | None = None,
) -> BudgetLine:
    return BudgetLine(id=id, unit=unit, amount=amount, horizon=horizon, outcome_unit=outcome)


def test_brand_share_counts_brand_and_activation_lines_of_every_unit() -> None:
    budget = analyze(
        company(
            [
                line("b", "Brand", 30, "brand"),
                line("c", "Comms", 20, "brand"),
                line("a", "Sales", 50, "activation"),
                line("o", "Mkt", 100, "other"),
            ]
        )
    )
    assert (budget.brand_amount, budget.activation_amount, budget.other_amount) == (50, 50, 100)
    assert budget.brand_share == 0.5
    assert budget.brand_gap == pytest.approx(0.04)
    assert budget.brand_benchmark == 0.46
    assert "Binet & Field" in budget.brand_benchmark_source


def test_brand_share_is_none_without_brand_or_activation_spend() -> None:
    budget = analyze(company([line("o", "Mkt", 100)]))
    assert (budget.brand_share, budget.brand_gap) == (None, None)
    assert budget.to_dict()["brand_share"] is None


def test_brand_gap_uses_the_configured_benchmark_and_shows_its_source() -> None:
    settings = Settings(brand_benchmark=0.6, brand_benchmark_source="Our own test panel")
    budget = analyze(
        company(
            [line("b", "Brand", 20, "brand"), line("a", "Demand", 80, "activation")], None, settings
        )
    )
    data = budget.to_dict()
    assert data["brand_share"] == 0.2
    assert data["brand_gap"] == -0.4
    assert data["brand_benchmark"] == 0.6
    assert data["brand_benchmark_source"] == "Our own test panel"


def test_unit_cost_is_people_cost_plus_spend_and_rolls_up_over_sub_units() -> None:
    budget = analyze(
        company(
            [line("b", "Brand", 30, "brand"), line("m", "Mkt", 10)],
            [RevenueStream(stream="new", unit="Sales", amount=1000, segment="SMB")],
        )
    )
    rows = {u.unit: u.to_dict() for u in budget.units}
    assert rows["Brand"] == {
        "unit": "Brand",
        "name": "Brand",
        "function": "marketing",
        "people_cost": 100.0,
        "spend": 30.0,
        "cost": 130.0,
        "revenue": 0.0,
        "total_people_cost": 100.0,
        "total_spend": 30.0,
        "total_cost": 130.0,
        "total_revenue": 0.0,
    }
    # Marketing: own 200 + 10; with Brand (100 + 30) and Demand (90).
    assert (rows["Mkt"]["cost"], rows["Mkt"]["total_cost"]) == (210.0, 430.0)
    assert (rows["Sales"]["revenue"], rows["Sales"]["total_revenue"]) == (1000.0, 1000.0)
    assert (rows["Co"]["total_cost"], rows["Co"]["total_revenue"]) == (1100.0, 1000.0)
    assert (budget.people_cost, budget.spend, budget.cost, budget.revenue) == (
        1060,
        40,
        1100,
        1000,
    )


def test_accountability_owner_is_the_ceo_when_marketing_spend_serves_sales() -> None:
    budget = analyze(
        company(
            [line("leads", "Demand", 70, "activation", outcome="Sales")],
            [RevenueStream(stream="new", unit="Sales", amount=1000, segment="SMB")],
        )
    )
    (spend,) = budget.accountability.spend_lines
    assert spend.to_dict() == {
        "id": "leads",
        "unit": "Demand",
        "outcome_unit": "Sales",
        "amount": 70.0,
        "owner": "ceo",
        "owner_name": "Cecilia",
        "owner_layer": 1,
        "same_owner": False,
    }
    (stream,) = budget.accountability.revenue_streams
    assert stream.to_dict() == {
        "stream": "new",
        "unit": "Sales",
        "amount": 1000.0,
        "segment": "SMB",
        "spend_serving": 70.0,
        "owner": "ceo",
        "owner_name": "Cecilia",
        "owner_layer": 1,
    }


def test_revenue_without_serving_spend_is_owned_by_its_unit_owner() -> None:
    budget = analyze(company([], [RevenueStream(stream="renewals", unit="Sales", amount=500)]))
    (stream,) = budget.accountability.revenue_streams
    assert (stream.owner, stream.owner_name, stream.owner_layer) == ("cso", "Sven", 2)
    assert stream.spend_serving == 0
    assert stream.segment is None


def test_spend_without_outcome_unit_is_owned_by_the_owner_of_its_unit() -> None:
    # Demand has no head: its owner is its most senior member, d1.
    budget = analyze(company([line("ads", "Demand", 10, "activation")]))
    (spend,) = budget.accountability.spend_lines
    assert (spend.owner, spend.owner_name, spend.owner_layer) == ("d1", "Dan", 3)
    assert spend.same_owner is True
    assert spend.outcome_unit is None


def test_spend_between_units_of_one_head_has_the_same_owner() -> None:
    # The CMO heads both Communications and Marketing.
    budget = analyze(company([line("pr", "Comms", 10, "brand", outcome="Mkt")]))
    (spend,) = budget.accountability.spend_lines
    assert (spend.owner, spend.same_owner) == ("cmo", True)


def test_spend_between_sub_units_is_owned_by_their_common_manager() -> None:
    # Brand's owner b1 and Demand's owner d1 both report to the CMO.
    budget = analyze(company([line("x", "Brand", 10, outcome="Demand")]))
    (spend,) = budget.accountability.spend_lines
    assert (spend.owner, spend.owner_name, spend.same_owner) == ("cmo", "Maja", False)


def test_spend_outcome_elsewhere_share_counts_spend_serving_another_unit() -> None:
    budget = analyze(
        company(
            [
                line("leads", "Demand", 100, "activation", outcome="Sales"),
                line("brand", "Brand", 300, "brand"),
                line("events", "Sales", 100, "activation", outcome="Sales"),
            ]
        )
    )
    accountability = budget.accountability
    assert accountability.spend_outcome_elsewhere_amount == 100
    assert accountability.spend_outcome_elsewhere_share == 0.2
    assert accountability.spend_outcome_other_group_share == 0.2


def test_spend_between_units_of_one_department_is_elsewhere_only_below_the_level() -> None:
    org = company([line("x", "Brand", 40, outcome="Demand"), line("y", "Sales", 60)])
    at_departments = analyze(org).accountability
    assert at_departments.spend_outcome_elsewhere_share == 0.4
    assert at_departments.spend_outcome_other_group_share == 0.0
    assert analyze(org, level=2).accountability.spend_outcome_other_group_share == 0.4


def test_shares_are_none_without_spend() -> None:
    accountability = analyze(company()).accountability
    assert accountability.spend_outcome_elsewhere_share is None
    assert accountability.spend_outcome_other_group_share is None
    assert accountability.spend_lines == ()


def test_owner_across_separate_tops_is_the_virtual_top() -> None:
    org = Organization(
        people=[Person(id="a", unit="A"), Person(id="b", unit="B")],
        budget=[line("x", "A", 10, outcome="B")],
        revenue=[RevenueStream(stream="r", unit="B", amount=5)],
    )
    accountability = analyze(org).accountability
    (spend,) = accountability.spend_lines
    assert (spend.owner, spend.owner_name, spend.owner_layer) == (VIRTUAL_TOP, VIRTUAL_TOP, 0)
    (stream,) = accountability.revenue_streams
    assert stream.owner == VIRTUAL_TOP


def test_owner_is_none_when_a_unit_has_no_owner() -> None:
    org = Organization(
        people=[Person(id="a", unit="A")],
        units=[Unit(id="A"), Unit(id="Partners")],
        budget=[line("x", "A", 10, outcome="Partners")],
        revenue=[RevenueStream(stream="r", unit="Partners", amount=5)],
    )
    accountability = analyze(org).accountability
    (spend,) = accountability.spend_lines
    assert (spend.owner, spend.owner_name, spend.owner_layer, spend.same_owner) == (
        None,
        None,
        None,
        False,
    )
    assert accountability.revenue_streams[0].owner is None


def test_currency_comes_from_the_organization_and_output_is_json_ready() -> None:
    data = analyze(
        company(
            [line("leads", "Demand", 70, "activation", outcome="Sales")],
            [RevenueStream(stream="new", unit="Sales", amount=1000)],
        )
    ).to_dict()
    assert data["currency"] == "SEK"
    assert json.loads(json.dumps(data)) == data
    assert {
        "brand_share",
        "brand_benchmark",
        "brand_benchmark_source",
        "brand_gap",
        "brand_amount",
        "activation_amount",
        "other_amount",
        "units",
        "accountability",
    } <= set(data)
    assert set(data["accountability"]) >= {
        "spend_lines",
        "revenue_streams",
        "spend_outcome_elsewhere_share",
    }


def test_a_negative_level_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="level -3"):
        analyze(company(), level=-3)


unit_ids = st.sampled_from([u.id for u in UNITS])
budget_lines = st.lists(
    st.builds(
        BudgetLine,
        id=st.uuids().map(str),
        unit=unit_ids,
        amount=st.floats(min_value=0, max_value=1e9),
        horizon=st.sampled_from(["brand", "activation", "other"]),
        outcome_unit=st.one_of(st.none(), unit_ids),
    ),
    max_size=20,
    unique_by=lambda b: b.id,
)


@given(budget_lines)
def test_brand_share_and_elsewhere_share_stay_between_zero_and_one(
    lines: list[BudgetLine],
) -> None:
    budget = analyze(company(lines))
    assert budget.brand_share is None or 0 <= budget.brand_share <= 1
    share = budget.accountability.spend_outcome_elsewhere_share
    assert share is None or 0 <= share <= 1 + 1e-9
    assert len(budget.accountability.spend_lines) == len(lines)


@given(budget_lines)
def test_the_top_unit_total_holds_all_cost(lines: list[BudgetLine]) -> None:
    budget = analyze(company(lines))
    top = next(u for u in budget.units if u.unit == "Co")
    assert top.total_cost == pytest.approx(budget.cost)
