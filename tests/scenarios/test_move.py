"""Moving people, a role or a competence to a unit (see companies.small_company)."""

from __future__ import annotations

import pytest
from companies import journey, small_company

from orglens.errors import InvalidWorkspace, UsageError
from orglens.lenses import process
from orglens.model import Organization, Person, Unit
from orglens.scenarios import MovePeople, Scenario, apply


def _move(**fields: object) -> Scenario:
    return Scenario(name="move", operations=[MovePeople.model_validate(fields)])


def _placed(org: Organization, *ids: str) -> list[tuple[str, str, str | None]]:
    return [(pid, org.person_by_id[pid].unit, org.person_by_id[pid].manager_id) for pid in ids]


def test_moved_people_report_to_the_head_of_their_new_unit() -> None:
    moved = apply(small_company(), _move(people=["s1", "n1"], to="mkt"))
    assert _placed(moved, "s1", "n1") == [("s1", "mkt", "m"), ("n1", "mkt", "m")]


def test_a_role_moves_everyone_who_has_it_ignoring_case() -> None:
    moved = apply(small_company(), _move(role=" sdr", to="Marketing"))
    assert _placed(moved, "s2", "s3", "s1") == [
        ("s2", "mkt", "m"),
        ("s3", "mkt", "m"),
        ("s1", "sales", "s"),
    ]


def test_a_competence_moves_everyone_who_lists_it() -> None:
    moved = apply(small_company(), _move(competence="CRM", to="north"))
    assert _placed(moved, "s2", "s3", "m1") == [
        ("s2", "north", "n"),
        ("s3", "north", "n"),
        ("m1", "north", "n"),
    ]


def test_the_head_of_the_target_unit_keeps_their_manager_when_moved_there() -> None:
    moved = apply(small_company(), _move(people=["n", "s1"], to="north"))
    assert _placed(moved, "n", "s1") == [("n", "north", "s"), ("s1", "north", "n")]


def test_a_moved_head_keeps_their_unit_and_their_reports() -> None:
    moved = apply(small_company(), _move(people=["m"], to="comms"))
    assert _placed(moved, "m", "m1") == [("m", "comms", "c"), ("m1", "mkt", "m")]
    assert moved.unit_by_id["mkt"].head == "m"


def test_moving_a_manager_under_their_own_report_is_refused() -> None:
    with pytest.raises(UsageError, match="cycle: 's' → 'n' → 's'"):
        apply(small_company(), _move(people=["s"], to="north"))


def test_a_role_nobody_has_and_an_unknown_unit_are_listed_together() -> None:
    with pytest.raises(InvalidWorkspace) as caught:
        apply(small_company(), _move(role="CFO", to="finance"))
    assert [p.what for p in caught.value.problems] == [
        "scenario 'move', operation 1 (move): unknown unit 'finance'",
        "scenario 'move', operation 1 (move): nobody has the role 'cfo'",
    ]


def test_the_journey_work_of_a_unit_moves_with_most_of_its_people() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="top"),
            Person(id="i", manager_id="ceo", unit="inside", role="Lead"),
            Person(id="i1", manager_id="i", unit="inside", role="SDR"),
            Person(id="i2", manager_id="i", unit="inside", role="SDR"),
            Person(id="d", manager_id="ceo", unit="demand"),
            Person(id="a", manager_id="ceo", unit="field"),
        ],
        units=[Unit(id="top")] + [Unit(id=u, parent="top") for u in ("inside", "demand", "field")],
        journey=journey(
            [("lead", "demand", 100), ("qualify", "inside", 40), ("deal", "field", 10)]
        ),
    )
    moved = apply(org, _move(role="SDR", to="demand"))
    # two of inside's three people now sit in demand, which holds more than half of them
    assert [a.unit for a in moved.journey] == ["demand", "demand", "field"]
    assert process.analyze(org).to_dict()["cross_unit_handoffs_per_case"] == 0.5  # (40 + 10) / 100
    assert process.analyze(moved).to_dict()["cross_unit_handoffs_per_case"] == 0.1


def test_work_stays_with_a_unit_that_keeps_half_of_its_people() -> None:
    org = small_company(steps=[("deal", "north", 10)], coordination=[("north", "mkt", 1)])
    moved = apply(org, _move(people=["n1"], to="mkt"))
    assert moved.journey[0].unit == "north"
    assert moved.coordination[0].source == "north"


def test_moving_people_there_and_back_restores_units_and_managers() -> None:
    org = small_company()
    there_and_back = Scenario(
        name="round trip",
        operations=[
            MovePeople(people=("s1", "s2"), to="comms"),
            MovePeople(people=("s1", "s2"), to="sales"),
        ],
    )
    back = apply(org, there_and_back)
    assert _placed(back, *org.person_by_id) == _placed(org, *org.person_by_id)
