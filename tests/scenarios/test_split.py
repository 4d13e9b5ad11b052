"""Splitting a unit by location, role, segment or any column (see companies.small_company)."""

from __future__ import annotations

import pytest
from companies import small_company

from orglens.errors import UsageError
from orglens.model import Organization, Person, Unit
from orglens.scenarios import Scenario, SplitUnit, apply


def _split(unit: str, by: str) -> Scenario:
    return Scenario(name="split", operations=[SplitUnit(unit=unit, by=by)])


def _placed(org: Organization, *ids: str) -> list[tuple[str, str, str | None]]:
    return [(pid, org.person_by_id[pid].unit, org.person_by_id[pid].manager_id) for pid in ids]


def test_split_by_location_makes_a_sub_unit_under_the_most_senior_of_the_group() -> None:
    split = apply(small_company(), _split("sales", "location"))
    oslo = split.unit_by_id["sales-oslo"]
    assert (oslo.name, oslo.parent, oslo.head, oslo.function) == (
        "Sales Oslo",
        "sales",
        "s1",
        "sales",
    )
    assert oslo.attributes == {"location": "Oslo"}
    # s1 (cost 120) leads s2 (cost 80); s3 has no location and stays; the team north is untouched
    assert _placed(split, "s1", "s2", "s3", "n1") == [
        ("s1", "sales-oslo", "s"),
        ("s2", "sales-oslo", "s1"),
        ("s3", "sales", "s"),
        ("n1", "north", "n"),
    ]


def test_split_by_role_makes_one_sub_unit_per_role() -> None:
    split = apply(small_company(), _split("sales", "role"))
    assert _placed(split, "s1", "s2", "s3") == [
        ("s1", "sales-ae", "s"),
        ("s2", "sales-sdr", "s3"),
        ("s3", "sales-sdr", "s"),
    ]


def test_split_by_segment_uses_the_first_segment_and_by_a_column_ignores_its_case() -> None:
    org = Organization(
        people=[
            Person(id="h", unit="u"),
            Person(
                id="a",
                manager_id="h",
                unit="u",
                segments=("smb", "ent"),
                attributes={"Region": "North"},
            ),
            Person(
                id="b", manager_id="h", unit="u", segments=("ent",), attributes={"Region": "North"}
            ),
        ],
        units=[Unit(id="u", head="h")],
    )
    by_segment = apply(org, _split("u", "segment"))
    assert _placed(by_segment, "a", "b") == [("a", "u-smb", "h"), ("b", "u-ent", "h")]
    by_region = apply(org, _split("u", "region"))
    assert _placed(by_region, "a", "b") == [("a", "u-north", "h"), ("b", "u-north", "a")]


def test_split_without_any_value_is_refused() -> None:
    with pytest.raises(UsageError, match=r"no member of unit 'mkt' .* has a location"):
        apply(small_company(), _split("mkt", "location"))
