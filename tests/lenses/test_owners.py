"""Who owns a unit (and so its revenue and spend) never depends on the order of the rows."""

from __future__ import annotations

import pytest

from orglens.model import Organization, Person, Unit

PEOPLE = [
    Person(id="vp", unit="Sales"),
    Person(id="m1", manager_id="vp", unit="East"),
    Person(id="m2", manager_id="vp", unit="East"),
    Person(id="a1", manager_id="m1", unit="East"),
    Person(id="a2", manager_id="m2", unit="East"),
    Person(id="m3", manager_id="vp", unit="West"),
    Person(id="a3", manager_id="m3", unit="West"),
]
UNITS = [Unit(id="Sales"), Unit(id="East", parent="Sales"), Unit(id="West", parent="Sales")]


@pytest.mark.parametrize("order", [1, -1])
def test_two_managers_of_a_unit_without_head_give_it_their_lowest_common_manager(
    order: int,
) -> None:
    structure = Organization(people=PEOPLE[::order], units=UNITS).structure
    assert structure.unit_leads["East"] == ("m1", "m2")
    assert structure.unit_owner["East"] == "vp"
    assert structure.unit_owner["West"] == "m3"  # one person at the unit's highest layer


def test_a_declared_head_owns_the_unit() -> None:
    units = [UNITS[0], Unit(id="East", parent="Sales", head="m2"), UNITS[2]]
    structure = Organization(people=PEOPLE, units=units).structure
    assert (structure.unit_owner["East"], structure.unit_leads["East"]) == ("m2", ("m2",))
