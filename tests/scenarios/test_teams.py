"""The ``teams`` operation: people regrouped into the teams listed (what the optimizer writes)."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from orglens.errors import Problem
from orglens.io.scenarios import dump_scenario, read_scenarios
from orglens.model import FormTeams, Organization, Person, Scenario, Unit
from orglens.scenarios import apply


def company() -> Organization:
    return Organization(
        people=[
            Person(id="ceo", unit="top"),
            Person(id="s", manager_id="ceo", unit="sales"),
            Person(id="s1", manager_id="s", unit="sales"),
            Person(id="s2", manager_id="s", unit="sales"),
            Person(id="m", manager_id="ceo", unit="marketing"),
            Person(id="m1", manager_id="m", unit="marketing"),
        ],
        units=[
            Unit(id="top", head="ceo"),
            Unit(id="sales", parent="top", head="s"),
            Unit(id="marketing", parent="top", head="m"),
        ],
    )


def test_each_team_is_a_unit_under_its_members_unit_led_by_its_highest_member() -> None:
    teams = FormTeams(teams={"Sales 1": ("s", "s1", "m1"), "Sales 2": ("s2", "m")})
    org = apply(company(), Scenario(name="t", operations=[teams]))
    first, second = org.unit_by_id["sales-1"], org.unit_by_id["sales-2"]
    assert (first.parent, first.head, second.parent, second.head) == (
        "sales",
        "s",
        "sales",
        "m",
    )
    manager = {p.id: p.manager_id for p in org.people}
    assert manager["m1"] == "s" and manager["s2"] == "m"
    assert manager["s"] == "ceo" and manager["m"] == "ceo"  # leads keep their manager
    assert {p.id: p.unit for p in org.people}["m1"] == "sales-1"


def test_a_person_in_two_teams_is_refused() -> None:
    with pytest.raises(ValidationError, match="more than one team"):
        FormTeams(teams={"a": ("s", "s1"), "b": ("s1", "m")})


def test_the_teams_scenario_round_trips_through_yaml() -> None:
    scenario = Scenario(name="optimized", operations=[FormTeams(teams={"A": ("s", "s1")})])
    text = yaml.safe_dump([dump_scenario(scenario)], sort_keys=False)
    problems: list[Problem] = []
    read = read_scenarios(yaml.safe_load(text), "orglens.yaml", {}, problems)
    assert problems == []
    assert read[0].kind == "teams"
    assert read[0].operations == scenario.operations
