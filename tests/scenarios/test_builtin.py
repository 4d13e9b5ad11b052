"""The built-in designs: generated from the units' functions, on the demo company and others."""

from __future__ import annotations

from pathlib import Path

from companies import small_company

import orglens
from orglens.model import Organization, Person, Unit
from orglens.scenarios import (
    BUILTIN_NAMES,
    HoldForum,
    MergeUnits,
    Scenario,
    all_scenarios,
    apply,
    builtin_scenarios,
    departments,
)


def test_the_demo_company_gets_every_built_in_design(demo: Organization) -> None:
    scenarios = builtin_scenarios(demo)
    assert tuple(s.name for s in scenarios) == BUILTIN_NAMES
    assert [s.kind for s in scenarios] == [
        "status_quo",
        "forum",
        "merge",
        "merge",
        "merge",
        "pods",
        "pods",
    ]
    assert all(s.description for s in scenarios)


def test_every_built_in_design_applies_to_the_demo_without_changing_it(demo: Organization) -> None:
    before = demo.model_dump()
    for scenario in builtin_scenarios(demo):
        designed = apply(demo, scenario)
        assert sorted(p.id for p in designed.people) == sorted(p.id for p in demo.people)
        new_warnings = designed.warnings[len(demo.warnings) :]
        assert all(w.startswith(f"{scenario.name}: ") for w in new_warnings)
    assert demo.model_dump() == before


def test_the_ceo_forum_gathers_the_customer_facing_departments_under_the_ceo(
    demo: Organization,
) -> None:
    forum = {s.name: s for s in builtin_scenarios(demo)}["ceo_forum"]
    assert forum.operations == (
        HoldForum(units=("sales", "marketing", "communications", "product"), name="CEO forum"),
    )
    assert apply(demo, forum).forums[0].chair == "P001"


def test_merging_sales_and_marketing_in_the_demo_puts_the_cro_over_the_cmo(
    demo: Organization,
) -> None:
    merge = {s.name: s for s in builtin_scenarios(demo)}["merge_sales_marketing"]
    merged = apply(demo, merge)
    head_of_marketing = demo.unit_by_id["marketing"].head
    assert merged.unit_by_id["sales-marketing"].head == "P003"
    assert merged.person_by_id[str(head_of_marketing)].manager_id == "P003"


def test_journey_pods_in_the_demo_give_everyone_moved_a_chapter(demo: Organization) -> None:
    pods = {s.name: s for s in builtin_scenarios(demo)}["journey_pods"]
    designed = apply(demo, pods)
    in_pods = [p for p in designed.people if designed.unit_by_id[p.unit].parent == "pods"]
    assert len(in_pods) > 30
    assert all(p.chapter == demo.person_by_id[p.id].unit for p in in_pods)
    high = demo.settings.team_size[1]
    sizes = [
        len(designed.structure.unit_members[u.id]) for u in designed.units if u.parent == "pods"
    ]
    assert all(size <= high for size in sizes)


def test_designs_need_their_functions() -> None:
    org = Organization(
        people=[Person(id="ceo", unit="top"), Person(id="s", manager_id="ceo", unit="sales")],
        units=[Unit(id="top"), Unit(id="sales", parent="top", function="sales")],
    )
    assert [s.name for s in builtin_scenarios(org)] == ["status_quo"]


def test_small_company_gets_merges_and_a_forum_but_no_pods_without_a_journey() -> None:
    assert [s.name for s in builtin_scenarios(small_company())] == [
        "status_quo",
        "ceo_forum",
        "merge_sales_marketing",
        "merge_marketing_communications",
        "merge_sales_marketing_communications",
    ]


def test_without_one_top_unit_the_top_level_units_are_the_departments() -> None:
    org = Organization(
        people=[Person(id="a", unit="s"), Person(id="b", unit="m")],
        units=[Unit(id="s", function="sales"), Unit(id="m", function="marketing")],
    )
    assert departments(org) == {"sales": ("s",), "marketing": ("m",)}
    merge = {s.name: s for s in builtin_scenarios(org)}["merge_sales_marketing"]
    assert apply(org, merge).unit_by_id["sales-marketing"].parent is None


def test_a_written_scenario_replaces_the_built_in_of_the_same_name() -> None:
    mine = Scenario(
        name="merge_sales_marketing",
        operations=[MergeUnits(units=("sales", "mkt"), name="Revenue", head="m")],
    )
    extra = Scenario(name="mine")
    names = [(s.name, s is mine) for s in all_scenarios(small_company(), [mine, extra])]
    assert names[2] == ("merge_sales_marketing", True)
    assert names[-1] == ("mine", False)
    assert len(names) == 6


def test_designs_that_do_not_apply_say_why_and_pods_without_data_warn(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "id,manager_id,unit\nceo,,top\ns,ceo,sales\nm,ceo,marketing\n", encoding="utf-8"
    )
    (tmp_path / "units.csv").write_text(
        "id,parent,function\ntop,,\nsales,top,sales\nmarketing,top,marketing\n", encoding="utf-8"
    )
    compared = orglens.Workspace.open(tmp_path).compare().to_dict()
    assert compared["skipped_designs"] == {
        "merge_marketing_communications": "no department is tagged communications (units.csv "
        "function, on a unit directly below the top)",
        "merge_sales_marketing_communications": "no department is tagged communications "
        "(units.csv function, on a unit directly below the top)",
        "journey_pods": "no declared journey (journey.csv) has an activity done in sales or "
        "marketing",
        "segment_pods": "nobody in sales or marketing lists customer segments (people.csv "
        "segments)",
    }
    assert compared["warnings"][:2] == [
        "journey_pods is not compared: no declared journey (journey.csv) has an activity done "
        "in sales or marketing",
        "segment_pods is not compared: nobody in sales or marketing lists customer segments "
        "(people.csv segments)",
    ]
