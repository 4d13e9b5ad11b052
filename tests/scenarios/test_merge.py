"""Merging units on a tiny company (see companies.small_company) whose numbers check by hand."""

from __future__ import annotations

import pytest
from companies import small_company

from orglens.errors import InvalidWorkspace, UsageError
from orglens.lenses import process
from orglens.model import Organization
from orglens.scenarios import MergeUnits, Scenario, apply


def _merge(**fields: object) -> Scenario:
    return Scenario(name="merge", operations=[MergeUnits.model_validate(fields)])


def test_merge_puts_the_units_as_teams_under_a_new_department_below_their_parent() -> None:
    merged = apply(small_company(), _merge(units=["sales", "mkt"], name="Sales & Marketing"))
    department = merged.unit_by_id["sales-marketing"]
    assert (department.name, department.parent) == ("Sales & Marketing", "top")
    assert merged.unit_by_id["sales"].parent == "sales-marketing"
    assert merged.unit_by_id["mkt"].parent == "sales-marketing"
    assert merged.unit_by_id["north"].parent == "sales"


def test_merge_is_headed_by_the_head_of_the_largest_unit_who_manages_the_other_heads() -> None:
    merged = apply(small_company(), _merge(units=["mkt", "sales"], name="Revenue"))
    # sales holds 6 people with its team north, marketing 2
    assert merged.unit_by_id["revenue"].head == "s"
    assert merged.person_by_id["m"].manager_id == "s"
    assert merged.person_by_id["s"].manager_id == "ceo"
    assert merged.unit_by_id["sales"].head == "s"  # the head keeps their own unit


def test_merge_with_a_named_head_from_outside_puts_both_heads_under_them() -> None:
    merged = apply(small_company(), _merge(units=["sales", "mkt"], name="Revenue", head="c"))
    assert merged.unit_by_id["revenue"].head == "c"
    assert merged.person_by_id["s"].manager_id == "c"
    assert merged.person_by_id["m"].manager_id == "c"
    assert merged.person_by_id["c"].manager_id == "ceo"
    assert merged.unit_by_id["comms"].head == "c"


def test_merge_with_a_head_from_below_lifts_them_to_the_common_manager() -> None:
    merged = apply(small_company(), _merge(units=["sales", "mkt"], name="Revenue", head="n"))
    assert merged.person_by_id["n"].manager_id == "ceo"
    assert merged.person_by_id["s"].manager_id == "n"
    assert merged.person_by_id["m"].manager_id == "n"
    assert merged.person_by_id["n1"].manager_id == "n"


def test_merge_names_units_and_heads_by_name_too() -> None:
    merged = apply(small_company(), _merge(units=["Sales", "marketing"], name="R", id="rev"))
    assert merged.unit_by_id["rev"].name == "R"
    assert merged.unit_by_id["mkt"].parent == "rev"


def test_merge_joins_the_departments_at_level_one_but_keeps_the_teams_apart_at_level_two() -> None:
    org = small_company(
        steps=[("lead", "mkt", 100), ("deal", "sales", 50), ("story", "comms", 10)],
        coordination=[("m1", "sales", 3), ("mkt", "comms", 1)],
    )
    merged = apply(org, _merge(units=["sales", "mkt"], name="Revenue"))

    def measures(o: Organization, level: int) -> tuple[float | None, float | None]:
        result = process.analyze(o, level=level)
        assert result.handoffs is not None
        return result.handoffs.cross_unit_handoffs_per_case, result.coordination.cross_unit_share

    assert measures(org, 1) == (0.6, 1.0)  # (50 + 10) / 100; all 4 weight units cross
    assert measures(merged, 1) == (0.1, 0.25)
    assert measures(merged, 2) == (0.6, 1.0)


def test_merge_of_units_inside_one_another_is_refused() -> None:
    with pytest.raises(UsageError, match="unit 'north' is inside 'sales'"):
        apply(small_company(), _merge(units=["sales", "north"], name="R"))


def test_merge_lists_every_unknown_unit_and_head_at_once() -> None:
    with pytest.raises(InvalidWorkspace) as caught:
        apply(small_company(), _merge(units=["sales", "ops", "hr"], name="R", head="zed"))
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 3
    assert messages[0].startswith("<input>: scenario 'merge', operation 1 (merge): unknown unit")
    assert "unknown person 'zed'" in messages[2]


def test_merge_refuses_an_id_that_exists() -> None:
    with pytest.raises(InvalidWorkspace, match="unit id 'comms' already exists"):
        apply(small_company(), _merge(units=["sales", "mkt"], name="R", id="comms"))


def test_merge_makes_a_name_that_is_already_an_id_unique() -> None:
    merged = apply(small_company(), _merge(units=["sales", "mkt"], name="Sales"))
    assert merged.unit_by_id["sales-2"].name == "Sales"


def test_merge_never_changes_the_input() -> None:
    org = small_company()
    before = org.model_dump()
    apply(org, _merge(units=["sales", "mkt"], name="Revenue"))
    assert org.model_dump() == before
