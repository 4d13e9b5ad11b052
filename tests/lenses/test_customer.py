"""The customer lens on tiny organizations whose answers can be checked by hand."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.errors import UsageError
from orglens.lenses import customer
from orglens.model import (
    VIRTUAL_TOP,
    Organization,
    Person,
    RevenueStream,
    Segment,
    Settings,
    Unit,
)


def _company() -> Organization:
    """Company > Commercial > (Sales, Marketing); Company > Comms, Product, Partners."""
    return Organization(
        people=[
            Person(id="ceo", unit="Company"),
            Person(id="s1", manager_id="ceo", unit="Sales", segments=("ent",)),
            Person(id="s2", manager_id="ceo", unit="Sales", segments=(" SMB ", "Mid-market")),
            Person(id="m1", manager_id="ceo", unit="Marketing", segments=("enterprise",)),
            Person(id="p1", manager_id="ceo", unit="Product", segments=("smb",)),
            Person(id="c1", manager_id="ceo", unit="Comms"),
        ],
        units=[
            Unit(id="Company", function="management"),
            Unit(id="Commercial", parent="Company", function="management"),
            Unit(id="Sales", parent="Commercial", function="sales"),
            Unit(id="Marketing", parent="Commercial", function="Marketing"),
            Unit(id="Comms", parent="Company", function="communications"),
            Unit(id="Product", parent="Company", function="product"),
            Unit(id="Partners", parent="Company", function="partnerships"),
        ],
        revenue=[
            RevenueStream(stream="resale", unit="Partners", amount=10, segment="smb"),
            RevenueStream(stream="mid", unit="Sales", amount=20, segment="Mid-market"),
            RevenueStream(stream="services", unit="Marketing", amount=5),
        ],
        segments=[
            Segment(id="ent", name="Enterprise", owner_unit="Sales"),
            Segment(id="smb", name="SMB"),
            Segment(id="gov", name="Public sector", owner_unit="Product"),
        ],
    )


def test_each_segment_lists_the_units_serving_it_by_id_name_revenue_or_ownership() -> None:
    segments = customer.analyze(_company()).to_dict()["segments"]
    assert [s["id"] for s in segments] == ["ent", "smb", "gov"]
    enterprise, smb, public = segments
    assert enterprise == {
        "id": "ent",
        "name": "Enterprise",
        "owner_unit": "Sales",
        "serving_units": ["Marketing", "Sales"],  # "enterprise" matches the name, any case
        "serving_groups": ["Commercial"],
        "has_one_owner": True,
        "shared_by": 1,
    }
    assert smb["serving_units"] == ["Partners", "Product", "Sales"]  # Partners by revenue
    assert smb["serving_groups"] == ["Commercial", "Partners", "Product"]
    assert smb["has_one_owner"] is False
    assert smb["shared_by"] == 3
    assert public["serving_units"] == ["Product"]  # the owner, though nobody lists it


@pytest.mark.parametrize(
    ("level", "groups"),
    [(0, ["Company"]), (1, ["Commercial"]), (2, ["Marketing", "Sales"])],
)
def test_serving_groups_are_counted_at_the_level(level: int, groups: list[str]) -> None:
    enterprise = customer.analyze(_company(), level=level).segments[0]
    assert list(enterprise.serving_groups) == groups
    assert enterprise.shared_by == len(groups)


def test_level_defaults_to_the_organization_settings() -> None:
    org = _company().model_copy(update={"settings": Settings(level=2)})
    assert customer.analyze(org).to_dict()["segments"][0]["serving_groups"] == [
        "Marketing",
        "Sales",
    ]


def test_negative_level_is_refused() -> None:
    with pytest.raises(UsageError, match="level -2"):
        customer.analyze(_company(), level=-2)


def test_without_a_single_top_unit_the_whole_company_is_one_virtual_group_at_level_zero() -> None:
    org = Organization(
        people=[
            Person(id="a", unit="Sales", segments=("smb",)),
            Person(id="b", manager_id="a", unit="Marketing", segments=("smb",)),
        ],
        segments=[Segment(id="smb")],
    )
    assert customer.analyze(org, level=1).segments[0].serving_groups == ("Marketing", "Sales")
    assert customer.analyze(org, level=0).segments[0].serving_groups == (VIRTUAL_TOP,)


def test_segment_values_nobody_defined_are_listed_with_the_units_using_them() -> None:
    result = customer.analyze(_company()).to_dict()
    assert result["undefined_segments"] == [{"segment": "Mid-market", "units": ["Sales"]}]


def test_undefined_values_keep_their_spelling_and_are_sorted_ignoring_case() -> None:
    org = Organization(
        people=[
            Person(id="a", unit="Sales", segments=("mid-market", "Startups")),
            Person(id="b", unit="Marketing", segments=("Mid-market", "Agencies")),
        ]
    )
    assert [u.segment for u in customer.undefined_segments(org)] == [
        "Agencies",
        "Mid-market",
        "mid-market",
        "Startups",
    ]


def test_a_value_naming_one_segment_by_id_and_another_by_name_goes_to_the_id() -> None:
    org = Organization(
        people=[Person(id="a", unit="Sales", segments=("y",))],
        segments=[Segment(id="x", name="Y"), Segment(id="y", name="Z")],
    )
    x, y = customer.segment_coverage(org)
    assert x.serving_units == ()
    assert y.serving_units == ("Sales",)


def test_customer_facing_units_whose_people_list_no_segment_are_reported() -> None:
    result = customer.analyze(_company()).to_dict()
    assert result["customer_facing_units"] == ["Sales", "Marketing", "Comms", "Product"]
    assert result["units_without_segments"] == ["Comms"]


def test_common_segment_model_fails_when_a_customer_facing_unit_uses_no_segment() -> None:
    # Comms lists nothing and Sales uses the undefined "Mid-market".
    assert customer.analyze(_company()).common_segment_model is False


def _two_units(sales_segments: tuple[str, ...], revenue_segment: str | None = None) -> Organization:
    return Organization(
        people=[
            Person(id="s", unit="Sales", segments=sales_segments),
            Person(id="m", manager_id="s", unit="Marketing", segments=("SMB",)),
        ],
        units=[Unit(id="Sales", function="sales"), Unit(id="Marketing", function="marketing")],
        revenue=[RevenueStream(stream="r", unit="Sales", amount=1, segment=revenue_segment)],
        segments=[Segment(id="smb", name="SMB")],
    )


def test_common_segment_model_holds_when_every_customer_facing_unit_uses_defined_segments() -> None:
    assert customer.analyze(_two_units(("smb",), revenue_segment="SMB")).common_segment_model


def test_common_segment_model_fails_on_an_undefined_segment_in_revenue() -> None:
    org = _two_units(("smb",), revenue_segment="Government")
    assert customer.has_common_segment_model(org) is False


def test_common_segment_model_fails_when_people_of_a_customer_facing_unit_list_none() -> None:
    org = _two_units((), revenue_segment="smb")
    assert customer.units_without_segments(org) == ("Sales",)
    assert customer.has_common_segment_model(org) is False


def test_common_segment_model_is_unknown_without_customer_facing_functions() -> None:
    org = Organization(people=[Person(id="a", unit="Sales", segments=("smb",))])
    result = customer.analyze(org).to_dict()
    assert result["customer_facing_units"] == []
    assert result["units_without_segments"] == []
    assert result["common_segment_model"] is None


def test_without_segments_the_lens_is_empty_but_still_lists_used_values() -> None:
    org = Organization(people=[Person(id="a", unit="Sales", segments=("SMB",))])
    result = customer.analyze(org).to_dict()
    assert result["segments"] == []
    assert result["undefined_segments"] == [{"segment": "SMB", "units": ["Sales"]}]


def test_the_result_is_plain_json() -> None:
    text = json.dumps(customer.analyze(_company()).to_dict(), allow_nan=False)
    assert '"common_segment_model": false' in text


@st.composite
def organizations(draw: st.DrawFn) -> Organization:
    """Random units (some customer-facing), people listing segments, and defined segments."""
    names = ["SMB", "Enterprise", "Gov", "Startups"]
    unit_ids = [f"u{i}" for i in range(draw(st.integers(1, 5)))]
    units = [
        Unit(
            id=uid,
            parent=None if i == 0 else draw(st.sampled_from(unit_ids[:i])),
            function=draw(st.sampled_from(["sales", "marketing", "hr", None])),
        )
        for i, uid in enumerate(unit_ids)
    ]
    people = [
        Person(
            id=f"p{i}",
            manager_id=None if i == 0 else "p0",
            unit=draw(st.sampled_from(unit_ids)),
            segments=tuple(draw(st.lists(st.sampled_from(names), max_size=3))),
        )
        for i in range(draw(st.integers(1, 6)))
    ]
    defined = draw(st.lists(st.sampled_from(names), unique=True))
    segments = [
        Segment(id=name.lower(), name=name, owner_unit=draw(st.none() | st.sampled_from(unit_ids)))
        for name in defined
    ]
    return Organization(people=people, units=units, segments=segments)


@settings(deadline=None)
@given(organizations(), st.integers(0, 3))
def test_every_used_value_is_either_a_defined_segment_or_undefined(
    org: Organization, level: int
) -> None:
    result = customer.analyze(org, level=level)
    served = {(u, s.name) for s in result.segments for u in s.serving_units}
    undefined = {(u, entry.segment) for entry in result.undefined_segments for u in entry.units}
    for person in org.people:
        for value in person.segments:
            assert ((person.unit, value) in served) != ((person.unit, value) in undefined)
    for coverage in result.segments:
        assert coverage.shared_by == len(coverage.serving_groups) <= len(coverage.serving_units)
