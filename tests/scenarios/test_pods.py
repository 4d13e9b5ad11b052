"""Cross-functional pods per journey stage or per segment, with chapters."""

from __future__ import annotations

import pytest
from companies import journey

from orglens.errors import UsageError
from orglens.lenses import process
from orglens.model import Organization, Person, Unit
from orglens.scenarios import BuildPods, Scenario, apply


def _company(steps: bool = True) -> Organization:
    """Sales (head s; s1..s4 costing 5..2), marketing (head m; m1, m2 costing 5, 4) and
    development (head d; d1) under the CEO. Marketing works in 'interest', sales in 'deal'."""
    people = [Person(id="ceo", unit="top")]
    for head, unit, members in (("s", "sales", 4), ("m", "mkt", 2), ("d", "dev", 1)):
        people.append(Person(id=head, manager_id="ceo", unit=unit, cost=9))
        people += [
            Person(id=f"{head}{i}", manager_id=head, unit=unit, cost=6 - i)
            for i in range(1, members + 1)
        ]
    segments = {"s1": ("ent",), "s2": ("smb", "ent"), "m1": ("ent",)}
    people = [p.model_copy(update={"segments": segments.get(p.id, ())}) for p in people]
    return Organization(
        people=people,
        units=[
            Unit(id="top", head="ceo"),
            Unit(id="sales", parent="top", head="s", function="sales"),
            Unit(id="mkt", parent="top", head="m", function="marketing"),
            Unit(id="dev", parent="top", head="d", function="product"),
        ],
        journey=journey([("interest", "mkt", 100), ("deal", "sales", 50), ("build", "dev", 10)])
        if steps
        else (),
    )


def _pods(**fields: object) -> Scenario:
    return Scenario(name="pods", operations=[BuildPods.model_validate(fields)])


def _pods_of(org: Organization) -> dict[str, list[str]]:
    return {
        unit.id: list(org.structure.unit_members[unit.id])
        for unit in org.units
        if unit.parent == "pods"
    }


def test_stage_pods_group_members_by_the_stage_their_unit_works_in() -> None:
    org = apply(_company(), _pods(units=["sales", "mkt"], by="stage", size=[2, 3]))
    # four sellers are more than 3: dealt in chapter then seniority order into two pods
    assert _pods_of(org) == {
        "pod-interest": ["m1", "m2"],
        "pod-deal-1": ["s1", "s3"],
        "pod-deal-2": ["s2", "s4"],
    }
    assert org.unit_by_id["pods"].parent == "top"
    assert org.unit_by_id["pod-deal-1"].attributes == {"stage": "deal"}


def test_pods_are_led_by_their_most_senior_member_under_the_head_of_the_largest_unit() -> None:
    org = apply(_company(), _pods(units=["sales", "mkt"], size=[2, 3]))
    assert org.unit_by_id["pods"].head == "s"
    assert [org.unit_by_id[pod].head for pod in _pods_of(org)] == ["m1", "s1", "s2"]
    managers = {pid: org.person_by_id[pid].manager_id for pid in ("m1", "m2", "s1", "s3", "s")}
    assert managers == {"m1": "s", "m2": "m1", "s1": "s", "s3": "s1", "s": "ceo"}


def test_pod_members_keep_a_chapter_and_chapter_heads_stay() -> None:
    before = _company()
    org = apply(before, _pods(units=["sales", "mkt"], size=[2, 3]))
    assert {pid: org.person_by_id[pid].chapter for pid in ("m2", "s4", "s", "d1")} == {
        "m2": "mkt",
        "s4": "sales",
        "s": None,
        "d1": None,
    }
    for head in ("s", "m", "d"):
        assert org.person_by_id[head] == before.person_by_id[head]


def test_pods_warn_about_a_pod_without_a_seller_or_a_marketer() -> None:
    org = apply(_company(), _pods(units=["sales", "mkt"], size=[2, 3]))
    assert org.warnings == (
        "pods: pod 'pod-interest' has no seller (nobody from a sales unit)",
        "pods: pod 'pod-deal-1' has no marketer (nobody from a marketing unit)",
        "pods: pod 'pod-deal-2' has no marketer (nobody from a marketing unit)",
    )


def test_the_journey_follows_the_pods_so_stages_join_at_level_one() -> None:
    before = _company()
    org = apply(before, _pods(units=["sales", "mkt"], size=[2, 3]))
    assert [a.unit for a in org.journey] == ["pod-interest", "pods", "dev"]

    def per_case(o: Organization, level: int) -> object:
        return process.analyze(o, level=level).to_dict()["cross_unit_handoffs_per_case"]

    assert per_case(before, 1) == 0.6  # (50 + 10) / 100
    assert per_case(org, 1) == 0.1
    assert per_case(org, 2) == 0.6


def test_segment_pods_use_the_first_segment_and_warn_about_small_pods() -> None:
    org = apply(_company(), _pods(units=["sales", "mkt"], by="segment", size=[2, 9]))
    assert _pods_of(org) == {"pod-ent": ["s1", "m1"], "pod-smb": ["s2"]}
    assert org.warnings[:2] == (
        "pods: 3 people have no segment and stay in their units",  # s3, s4 and m2
        "pods: pod 'pod-smb' has 1 person, fewer than 2 (size 2-9)",
    )


def test_pods_need_members_with_a_stage() -> None:
    with pytest.raises(UsageError, match="has a journey stage"):
        apply(_company(steps=False), _pods(units=["sales"]))
