"""A forum changes no structure; it adds a Forum under a chair (the top person by default)."""

from __future__ import annotations

import pytest
from companies import small_company

from orglens.errors import InvalidWorkspace, UsageError
from orglens.model import Forum, Organization, Person
from orglens.scenarios import HoldForum, Scenario, apply


def _forum(**fields: object) -> Scenario:
    return Scenario(name="forum", operations=[HoldForum.model_validate(fields)])


def test_a_forum_is_chaired_by_the_top_person_and_changes_nothing_else() -> None:
    org = small_company()
    held = apply(org, _forum(units=["sales", "mkt"]))
    assert held.forums == (
        Forum(name="Sales & Marketing forum", units=("sales", "mkt"), chair="ceo"),
    )
    assert held.people == org.people
    assert held.units == org.units


def test_a_forum_can_have_its_own_chair_and_name() -> None:
    held = apply(
        small_company(), _forum(units=["sales", "mkt", "comms"], chair="s", name="Council")
    )
    assert held.forums[0].chair == "s"
    assert held.forums[0].name == "Council"


def test_a_forum_needs_a_chair_when_several_people_have_no_manager() -> None:
    org = Organization(people=[Person(id="a", unit="A"), Person(id="b", unit="B")])
    with pytest.raises(UsageError, match="no top person to chair"):
        apply(org, _forum(units=["A", "B"]))


def test_a_forum_of_unknown_units_is_listed_as_problems() -> None:
    with pytest.raises(InvalidWorkspace, match="unknown unit 'legal'"):
        apply(small_company(), _forum(units=["sales", "legal"]))


def test_an_organization_refuses_a_forum_of_unknown_units_or_chair() -> None:
    org = small_company()
    with pytest.raises(InvalidWorkspace) as caught:
        Organization(
            people=org.people, units=org.units, forums=[Forum(units=("sales", "x"), chair="zed")]
        )
    assert [p.what for p in caught.value.problems] == [
        "unknown unit 'x' in forum ''",
        "chair 'zed' of forum '' is not a person id",
    ]
