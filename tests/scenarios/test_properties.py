"""Properties of scenarios on random companies (see companies.companies)."""

from __future__ import annotations

from companies import companies
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.errors import UsageError
from orglens.lenses import process
from orglens.model import Organization
from orglens.scenarios import (
    BuildPods,
    HoldForum,
    MergeUnits,
    MovePeople,
    Operation,
    Scenario,
    SplitUnit,
    apply,
)


def _departments(org: Organization) -> list[str]:
    return [u.id for u in org.units if u.parent == "top"]


def _members(org: Organization) -> list[str]:
    """People who head no unit."""
    heads = {u.head for u in org.units}
    return [p.id for p in org.people if p.id not in heads]


@st.composite
def _operation(draw: st.DrawFn, org: Organization) -> Operation:
    departments = _departments(org)
    pair = st.lists(st.sampled_from(departments), min_size=2, max_size=2, unique=True)
    members = _members(org)
    kinds = ["merge", "split", "pods", "forum"] + (["move"] if members else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "merge":
        return MergeUnits(units=tuple(draw(pair)), name="Merged")
    if kind == "move":
        moved = draw(st.lists(st.sampled_from(members), min_size=1, max_size=3, unique=True))
        return MovePeople(people=tuple(moved), to=draw(st.sampled_from([u.id for u in org.units])))
    if kind == "split":
        return SplitUnit(unit=draw(st.sampled_from(departments)), by="location")
    if kind == "pods":
        units = draw(st.lists(st.sampled_from(departments), min_size=1, max_size=2, unique=True))
        by = draw(st.sampled_from(["stage", "segment"]))
        return BuildPods(units=tuple(units), by=by, size=(1, draw(st.integers(1, 4))))
    return HoldForum(units=tuple(draw(pair)))


@st.composite
def _company_and_scenario(draw: st.DrawFn) -> tuple[Organization, Scenario]:
    org = draw(companies())
    operations = draw(st.lists(_operation(org), min_size=1, max_size=3))
    return org, Scenario(name="random", operations=operations)


@settings(deadline=None)
@given(_company_and_scenario())
def test_applying_a_scenario_never_changes_the_input_and_conserves_people(
    case: tuple[Organization, Scenario],
) -> None:
    org, scenario = case
    before = org.model_dump()
    try:
        designed = apply(org, scenario)
    except UsageError:
        # nothing to split, or no member with a stage or segment to build pods from
        designed = None
    assert org.model_dump() == before
    if designed is not None:
        assert sorted(p.id for p in designed.people) == sorted(p.id for p in org.people)
        assert len(designed.people) == len(org.people)


def _measures(org: Organization, level: int) -> tuple[float, float]:
    result = process.analyze(org, level=level)
    handoffs = result.handoffs.cross_unit_handoffs_per_case if result.handoffs else None
    return handoffs or 0.0, result.coordination.cross_unit_share or 0.0


@settings(deadline=None)
@given(companies(), st.data())
def test_merging_two_sibling_units_never_adds_cross_unit_handoffs_or_coordination(
    org: Organization, data: st.DataObject
) -> None:
    parent = data.draw(
        st.sampled_from([u.id for u in org.units if len(org.structure.unit_children[u.id]) >= 2])
    )
    children = list(org.structure.unit_children[parent])
    pair = data.draw(st.lists(st.sampled_from(children), min_size=2, max_size=2, unique=True))
    merged = apply(org, Scenario(name="m", operations=[MergeUnits(units=tuple(pair), name="M")]))
    for level in (1, 2, 3):
        handoffs, share = _measures(org, level)
        merged_handoffs, merged_share = _measures(merged, level)
        assert merged_handoffs <= handoffs + 1e-9
        assert merged_share <= share + 1e-9


@settings(deadline=None)
@given(companies(), st.data())
def test_moving_people_there_and_back_is_the_identity_on_units_and_managers(
    org: Organization, data: st.DataObject
) -> None:
    members = _members(org)
    if not members:
        return
    home = data.draw(st.sampled_from(sorted({org.person_by_id[p].unit for p in members})))
    at_home = [p for p in members if org.person_by_id[p].unit == home]
    moved = tuple(data.draw(st.lists(st.sampled_from(at_home), min_size=1, unique=True)))
    away = data.draw(st.sampled_from([u.id for u in org.units]))
    round_trip = Scenario(
        name="round trip",
        operations=[MovePeople(people=moved, to=away), MovePeople(people=moved, to=home)],
    )
    back = apply(org, round_trip)
    assert [(p.id, p.unit, p.manager_id) for p in back.people] == [
        (p.id, p.unit, p.manager_id) for p in org.people
    ]
