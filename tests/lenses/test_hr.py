"""The HR lens on tiny organizations whose numbers can be checked by hand."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orglens.errors import UsageError
from orglens.lenses.hr import analyze
from orglens.model import Organization, Person, Settings, SpanArchetype, Unit


def org_with_spans(spans: list[int], settings: Settings | None = None) -> Organization:
    """A CEO over one manager per entry of ``spans``, each with that many direct reports."""
    people = [Person(id="ceo", unit="Top")]
    for i, span in enumerate(spans):
        people.append(Person(id=f"m{i}", manager_id="ceo", unit=f"U{i}"))
        people += [Person(id=f"m{i}r{j}", manager_id=f"m{i}", unit=f"U{i}") for j in range(span)]
    return Organization(people=people, settings=settings or Settings())


def spans_of(org: Organization) -> dict[str, int]:
    return {m.id: m.span for m in analyze(org).managers}


def test_span_counts_direct_reports_only() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="A"),
            Person(id="a", manager_id="ceo", unit="A"),
            Person(id="b", manager_id="ceo", unit="A"),
            Person(id="c", manager_id="ceo", unit="A"),
            Person(id="x", manager_id="a", unit="A"),
            Person(id="y", manager_id="a", unit="A"),
        ]
    )
    assert spans_of(org) == {"ceo": 3, "a": 2}


def test_managers_are_sorted_by_descending_span_then_id() -> None:
    org = org_with_spans([2, 4, 2])
    assert [(m.id, m.span) for m in analyze(org).managers] == [
        ("m1", 4),
        ("ceo", 3),
        ("m0", 2),
        ("m2", 2),
    ]


def test_manager_entry_names_the_person_and_unit() -> None:
    org = Organization(
        people=[
            Person(id="ceo", name="Åsa Ström", unit="Top"),
            Person(id="a", manager_id="ceo", unit="Sales"),
        ]
    )
    (entry,) = analyze(org).to_dict()["managers"]
    assert entry == {
        "id": "ceo",
        "name": "Åsa Ström",
        "unit": "Top",
        "span": 1,
        "archetype": "none",
        "flag": "below range",
    }


def test_archetypes_follow_the_default_ranges() -> None:
    hr = analyze(org_with_spans([2, 3, 5, 6, 8, 10, 11, 15, 16]))
    archetype = {m.id: m.archetype for m in hr.managers}
    assert archetype == {
        "ceo": "supervisor",  # 9 managers below the CEO
        "m0": "none",
        "m1": "player/coach",
        "m2": "player/coach",
        "m3": "coach",
        "m4": "supervisor",
        "m5": "supervisor",
        "m6": "facilitator",
        "m7": "facilitator",
        "m8": "coordinator",
    }


def test_archetypes_follow_configured_ranges() -> None:
    settings = Settings(
        span_archetypes=(
            SpanArchetype(name="small", min=1, max=2),
            SpanArchetype(name="large", min=3),
        )
    )
    hr = analyze(org_with_spans([1, 2, 3, 30], settings))
    assert {m.id: m.archetype for m in hr.managers} == {
        "ceo": "large",
        "m0": "small",
        "m1": "small",
        "m2": "large",
        "m3": "large",
    }


def test_spans_outside_the_configured_range_are_flagged_and_counted() -> None:
    hr = analyze(org_with_spans([1, 2, 4, 5], Settings(span_range=(2, 4))))
    assert {m.id: m.flag for m in hr.managers} == {
        "ceo": None,
        "m0": "below range",
        "m1": None,
        "m2": None,
        "m3": "above range",
    }
    assert hr.spans_out_of_range == 2


def test_span_statistics_over_managers() -> None:
    # Spans: ceo 4, m0 1, m1 2, m2 3, m3 6 -> sorted 1 2 3 4 6.
    hr = analyze(org_with_spans([1, 2, 3, 6]))
    assert hr.span.to_dict() == {"mean": 3.2, "median": 3.0, "min": 1, "max": 6}


def test_span_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    # Spans: ceo 3, m0 1, m1 2, m2 8 -> sorted 1 2 3 8.
    hr = analyze(org_with_spans([1, 2, 8]))
    assert hr.span.median == 2.5
    assert hr.span.mean == 3.5


def test_span_statistics_are_none_without_managers() -> None:
    hr = analyze(Organization(people=[Person(id="solo", unit="A")]))
    assert hr.managers == ()
    assert hr.span.to_dict() == {"mean": None, "median": None, "min": None, "max": None}
    assert hr.spans_out_of_range == 0


def test_span_bands_give_each_bands_managers_and_their_share() -> None:
    # Spans: ceo 7 (seven managers below), m0 1, m1 2, m2 3, m3 5, m4 9, m5 14, m6 20.
    hr = analyze(org_with_spans([1, 2, 3, 5, 9, 14, 20]))
    assert [b.to_dict() for b in hr.span_bands] == [
        {"band": "1", "min": 1, "max": 1, "managers": 1, "share": 0.125},
        {"band": "2-3", "min": 2, "max": 3, "managers": 2, "share": 0.25},
        {"band": "4-7", "min": 4, "max": 7, "managers": 2, "share": 0.25},
        {"band": "8-12", "min": 8, "max": 12, "managers": 1, "share": 0.125},
        {"band": "13-16", "min": 13, "max": 16, "managers": 1, "share": 0.125},
        {"band": "17+", "min": 17, "max": None, "managers": 1, "share": 0.125},
    ]


def test_span_bands_are_configurable_as_upper_bounds() -> None:
    hr = analyze(org_with_spans([1, 2, 3, 6], Settings(span_bands=(2, 5))))
    # Spans: ceo 4, m0 1, m1 2, m2 3, m3 6.
    assert [(b.band, b.managers) for b in hr.span_bands] == [("1-2", 2), ("3-5", 2), ("6+", 1)]


@pytest.mark.parametrize("bounds", [(), (0, 3), (3, 3), (7, 3)])
def test_span_bands_must_rise_from_one(bounds: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="span_bands must be rising upper bounds"):
        Settings(span_bands=bounds)


def test_span_band_shares_are_none_without_managers() -> None:
    hr = analyze(Organization(people=[Person(id="solo", unit="A")]))
    assert {(b.managers, b.share) for b in hr.span_bands} == {(0, None)}


def one_over_one_company() -> Organization:
    """ceo over a and d; a → b → c → {x, y}; d → e → f.

    a and b each have one report who manages: one chain a-b-c of two steps. d has one report
    (e) who manages f: a chain d-e of one step. e's only report f manages nobody: e is no step.
    """
    lines = {"a": "ceo", "b": "a", "c": "b", "x": "c", "y": "c", "d": "ceo", "e": "d", "f": "e"}
    people = [Person(id="ceo", unit="A")]
    people += [Person(id=pid, manager_id=boss, unit="A") for pid, boss in lines.items()]
    return Organization(people=people)


def test_one_over_one_lists_managers_whose_only_report_manages() -> None:
    hr = analyze(one_over_one_company())
    assert [(o.id, o.layer, o.report) for o in hr.one_over_one] == [
        ("a", 2, "b"),
        ("d", 2, "e"),
        ("b", 3, "c"),
    ]
    assert hr.to_dict()["one_over_one_chains"] == [
        {"people": ["a", "b", "c"], "steps": 2},
        {"people": ["d", "e"], "steps": 1},
    ]


def test_span_per_layer_is_the_mean_span_of_the_managers_in_each_layer() -> None:
    hr = analyze(one_over_one_company())
    # Layer 1: ceo 2. Layer 2: a 1, d 1. Layer 3: b 1, e 1. Layer 4: c 2.
    assert [s.to_dict() for s in hr.span_per_layer] == [
        {"layer": 1, "managers": 1, "mean_span": 2.0},
        {"layer": 2, "managers": 2, "mean_span": 1.0},
        {"layer": 3, "managers": 2, "mean_span": 1.0},
        {"layer": 4, "managers": 1, "mean_span": 2.0},
    ]


def test_layers_count_the_top_person_as_layer_one() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="A"),
            Person(id="a", manager_id="ceo", unit="A"),
            Person(id="b", manager_id="ceo", unit="A"),
            Person(id="c", manager_id="a", unit="A"),
        ]
    )
    hr = analyze(org)
    assert hr.layers == 3
    assert hr.to_dict()["people_per_layer"] == {"1": 1, "2": 2, "3": 1}
    assert hr.top == "ceo"
    assert hr.virtual_top is False


def test_several_people_without_manager_are_each_layer_one_under_a_virtual_top() -> None:
    org = Organization(
        people=[
            Person(id="r1", unit="A"),
            Person(id="r2", unit="B"),
            Person(id="a", manager_id="r1", unit="A"),
        ]
    )
    hr = analyze(org)
    assert hr.virtual_top is True
    assert hr.top == "(virtual top)"
    assert hr.layers == 2
    assert hr.people_per_layer == {1: 2, 2: 1}
    assert [m.id for m in hr.managers] == ["r1"]


def test_team_members_are_own_unit_and_total_headcount_includes_sub_units() -> None:
    units = [
        Unit(id="Co", name="Company"),
        Unit(id="Mkt", name="Marketing", parent="Co"),
        Unit(id="Brand", parent="Mkt"),
        Unit(id="Empty", parent="Co"),
    ]
    people = [Person(id="ceo", unit="Co"), Person(id="cmo", manager_id="ceo", unit="Mkt")]
    people += [Person(id=f"b{i}", manager_id="cmo", unit="Brand") for i in range(5)]
    hr = analyze(Organization(people=people, units=units))
    teams = {t.unit: t.to_dict() for t in hr.teams}
    assert teams["Co"] == {
        "unit": "Co",
        "name": "Company",
        "members": 1,
        "within_range": None,
        "total_headcount": 7,
        "group_layer": 15,
        "not_counted": "only its head",
    }
    assert teams["Mkt"]["members"] == 1
    assert teams["Mkt"]["total_headcount"] == 6
    assert teams["Brand"]["name"] == "Brand"  # a unit without a name shows its id
    assert (teams["Brand"]["members"], teams["Brand"]["within_range"]) == (5, True)
    assert teams["Brand"]["group_layer"] == 5
    assert (teams["Empty"]["members"], teams["Empty"]["total_headcount"]) == (0, 0)
    assert teams["Empty"]["not_counted"] == "no own members"
    # Co and Mkt hold only their heads, Empty nobody: Brand is the one team judged.
    assert hr.teams_out_of_range == 0
    assert hr.teams_counted == 1
    assert hr.teams_not_counted == {
        "no own members": 1,
        "only its head": 2,
        "its head's staff, above sub-units": 0,
    }


def test_a_heads_staff_above_sub_units_and_units_shared_by_managers_are_no_single_team() -> None:
    units = [Unit(id="Sales"), Unit(id="East", parent="Sales"), Unit(id="West", parent="Sales")]
    people = [Person(id="vp", unit="Sales"), Person(id="ops", manager_id="vp", unit="Sales")]
    # East: two managers without a declared head, each with their own reps
    people += [Person(id=m, manager_id="vp", unit="East") for m in ("m1", "m2")]
    people += [Person(id=f"a{i}", manager_id="m1", unit="East") for i in range(5)]
    people += [Person(id=f"b{i}", manager_id="m2", unit="East") for i in range(3)]
    people += [Person(id=f"w{i}", manager_id="vp", unit="West") for i in range(6)]
    hr = analyze(Organization(people=people, units=units))
    teams = [(t.name, t.members, t.within_range, t.not_counted) for t in hr.teams]
    assert teams == [
        ("Sales", 2, None, "its head's staff, above sub-units"),
        ("East (m1)", 6, True, None),
        ("East (m2)", 4, False, None),
        ("West", 6, True, None),
    ]
    assert (hr.teams_counted, hr.teams_out_of_range) == (3, 1)


def test_a_unit_whose_only_member_is_its_head_is_not_an_out_of_range_team() -> None:
    units = [Unit(id="Co"), Unit(id="Legal", parent="Co"), Unit(id="Sales", parent="Co")]
    people = [
        Person(id="ceo", unit="Co"),
        Person(id="lawyer", manager_id="ceo", unit="Legal"),  # alone: the unit's head
        Person(id="cso", manager_id="ceo", unit="Sales"),
        Person(id="rep", manager_id="cso", unit="Sales"),
    ]
    hr = analyze(Organization(people=people, units=units))
    teams = {t.unit: t for t in hr.teams}
    assert (teams["Legal"].within_range, teams["Legal"].not_counted) == (None, "only its head")
    # Sales is a team of two (its head and a rep), below 5-9.
    assert (teams["Sales"].within_range, teams["Sales"].not_counted) == (False, None)
    assert (hr.teams_counted, hr.teams_out_of_range) == (1, 1)
    assert hr.to_dict()["teams_not_counted"] == {
        "no own members": 0,
        "only its head": 2,
        "its head's staff, above sub-units": 0,
    }


def test_a_one_person_unit_headed_from_elsewhere_is_a_team_out_of_range() -> None:
    units = [Unit(id="Co"), Unit(id="Desk", parent="Co", head="ceo")]
    people = [Person(id="ceo", unit="Co"), Person(id="clerk", manager_id="ceo", unit="Desk")]
    teams = {t.unit: t for t in analyze(Organization(people=people, units=units)).teams}
    assert (teams["Desk"].within_range, teams["Desk"].not_counted) == (False, None)


def test_team_size_range_is_configurable() -> None:
    people = [Person(id="ceo", unit="A")]
    people += [Person(id=f"p{i}", manager_id="ceo", unit="A") for i in range(2)]
    hr = analyze(Organization(people=people, settings=Settings(team_size=(2, 3))))
    (team,) = hr.teams
    assert team.within_range is True
    assert hr.teams_out_of_range == 0
    assert hr.to_dict()["team_size"] == [2, 3]


def test_group_layer_is_none_above_the_largest_group_layer() -> None:
    people = [Person(id="ceo", unit="A")]
    people += [Person(id=f"p{i}", manager_id="ceo", unit="A") for i in range(3)]
    hr = analyze(Organization(people=people, settings=Settings(group_layers=(2, 3))))
    assert hr.teams[0].total_headcount == 4
    assert hr.teams[0].group_layer is None


def test_competence_dispersion_is_zero_when_all_holders_share_one_unit() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="A", competences=("copy",)),
            Person(id="a", manager_id="ceo", unit="A", competences=("copy", "seo")),
            Person(id="b", manager_id="ceo", unit="B", competences=("seo",)),
        ]
    )
    spread = {c.competence: c.to_dict() for c in analyze(org).competences}
    assert spread["copy"] == {
        "competence": "copy",
        "holders": 2,
        "units": 1,
        "unit_ids": ["A"],
        "groups": 1,
        "group_ids": ["A"],
        "dispersion": 0.0,
    }
    assert spread["seo"]["dispersion"] == 0.5  # one holder in A, one in B
    assert list(spread) == ["copy", "seo"]


def test_competence_dispersion_is_one_minus_the_largest_unit_share() -> None:
    # selling: 2 holders in A, 1 in B, 1 in C -> 1 - 2/4.
    org = Organization(
        people=[
            Person(id="ceo", unit="A", competences=("selling",)),
            Person(id="a", manager_id="ceo", unit="A", competences=("selling",)),
            Person(id="b", manager_id="ceo", unit="B", competences=("selling",)),
            Person(id="c", manager_id="ceo", unit="C", competences=("selling",)),
        ]
    )
    (selling,) = analyze(org).competences
    assert (selling.holders, selling.units, selling.unit_ids) == (4, 3, ("A", "B", "C"))
    assert selling.dispersion == 0.5


def test_a_competence_listed_twice_by_one_person_counts_once() -> None:
    org = Organization(people=[Person(id="p", unit="A", competences=("copy", "copy"))])
    (copy,) = analyze(org).competences
    assert copy.holders == 1


def test_competence_groups_count_units_at_the_analysed_level() -> None:
    units = [
        Unit(id="Co"),
        Unit(id="Mkt", parent="Co"),
        Unit(id="Brand", parent="Mkt"),
        Unit(id="Demand", parent="Mkt"),
    ]
    org = Organization(
        units=units,
        people=[
            Person(id="ceo", unit="Co"),
            Person(id="b", manager_id="ceo", unit="Brand", competences=("copy",)),
            Person(id="d", manager_id="ceo", unit="Demand", competences=("copy",)),
        ],
    )
    assert analyze(org).competences[0].units == 2
    assert analyze(org).competences[0].groups == 1  # both in the Marketing department
    assert analyze(org, level=2).competences[0].groups == 2


def regional_sales() -> Organization:
    """A sales department with three regional teams (two sellers each) and a marketing one.

    ``negotiation`` is held by the six sellers; ``crm`` by one seller in North and one marketer.
    """
    units = [Unit(id="Co"), Unit(id="Sales", parent="Co"), Unit(id="Mkt", parent="Co")]
    units += [Unit(id=region, parent="Sales") for region in ("North", "South", "West")]
    seller = ("negotiation",)
    people = [
        Person(id="ceo", unit="Co"),
        Person(id="cso", manager_id="ceo", unit="Sales"),
        Person(id="n1", manager_id="cso", unit="North", competences=(*seller, "crm")),
        Person(id="n2", manager_id="cso", unit="North", competences=seller),
        Person(id="s1", manager_id="cso", unit="South", competences=seller),
        Person(id="s2", manager_id="cso", unit="South", competences=seller),
        Person(id="w1", manager_id="cso", unit="West", competences=seller),
        Person(id="w2", manager_id="cso", unit="West", competences=seller),
        Person(id="m1", manager_id="ceo", unit="Mkt", competences=("crm",)),
    ]
    return Organization(people=people, units=units)


def test_a_skill_in_three_teams_of_one_department_is_not_dispersed() -> None:
    hr = analyze(regional_sales())
    spread = {c.competence: c for c in hr.competences}
    negotiation = spread["negotiation"]
    assert (negotiation.holders, negotiation.units, negotiation.groups) == (6, 3, 1)
    assert negotiation.group_ids == ("Sales",)
    assert negotiation.dispersion == 0
    # crm: one holder in Sales (North), one in Marketing -> 1 - 1/2.
    assert spread["crm"].dispersion == 0.5
    assert hr.to_dict()["competences_counted_across"] == {
        "level": 1,
        "groups": "departments",
        "functions_together": True,
    }


def test_at_level_two_the_regional_teams_are_the_groups() -> None:
    hr = analyze(regional_sales(), level=2)
    negotiation = next(c for c in hr.competences if c.competence == "negotiation")
    assert negotiation.group_ids == ("North", "South", "West")
    assert negotiation.dispersion == pytest.approx(1 - 2 / 6)
    assert hr.to_dict()["competences_counted_across"] == {
        "level": 2,
        "groups": "units at level 2",
        "functions_together": False,
    }


def test_departments_of_one_function_are_one_group_at_department_level() -> None:
    # Three regional sales departments (function sales) and Support (no function): selling is
    # held by one person in each region and one in Support -> 1 - 3/4.
    units = [Unit(id="Co")]
    units += [Unit(id=region, parent="Co", function="sales") for region in ("EU", "US", "APAC")]
    units.append(Unit(id="Support", parent="Co"))
    people = [Person(id="ceo", unit="Co")]
    people += [
        Person(id=unit, manager_id="ceo", unit=unit, competences=("selling",))
        for unit in ("EU", "US", "APAC", "Support")
    ]
    org = Organization(people=people, units=units)
    (selling,) = analyze(org).competences
    assert (selling.groups, selling.group_ids) == (2, ("Support", "sales"))
    assert selling.dispersion == 0.25
    (by_region,) = analyze(org, level=2).competences  # below level 1 units stand for themselves
    assert by_region.group_ids == ("APAC", "EU", "Support", "US")
    assert by_region.dispersion == 0.75


def test_at_level_zero_no_competence_is_dispersed() -> None:
    hr = analyze(regional_sales(), level=0)
    assert all(c.dispersion == 0 for c in hr.competences)
    assert hr.to_dict()["competences_counted_across"]["groups"] == "the whole company"


def test_discipline_fit_compares_first_competence_with_the_managers_competences() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="A", competences=("leadership", "finance")),
            # fits: finance is among the CEO's competences
            Person(id="cfo", manager_id="ceo", unit="A", competences=("finance",)),
            # does not fit: the discipline is the first competence (selling), not leadership
            Person(id="cso", manager_id="ceo", unit="A", competences=("selling", "leadership")),
            # fits: selling is among the cso's competences
            Person(id="rep", manager_id="cso", unit="A", competences=("selling",)),
            # not counted: no competences of their own
            Person(id="new", manager_id="cso", unit="A"),
            # not counted: their manager lists no competences
            Person(id="jr", manager_id="new", unit="A", competences=("selling",)),
        ]
    )
    hr = analyze(org)
    assert hr.discipline_fit_counted == 3
    assert hr.discipline_fit == pytest.approx(2 / 3)
    assert hr.to_dict()["discipline_fit"] == 0.666667


def test_discipline_fit_is_none_when_nobody_can_be_counted() -> None:
    org = Organization(
        people=[Person(id="ceo", unit="A"), Person(id="a", manager_id="ceo", unit="A")]
    )
    hr = analyze(org)
    assert (hr.discipline_fit, hr.discipline_fit_counted) == (None, 0)


def test_headcount_fte_and_people_cost_per_unit_roll_up_over_sub_units() -> None:
    units = [
        Unit(id="Co", name="Company", function="management"),
        Unit(id="Sales", parent="Co", function="sales"),
        Unit(id="SDR", parent="Sales", function="sales"),
    ]
    org = Organization(
        units=units,
        people=[
            Person(id="ceo", unit="Co", cost=200),
            Person(id="cso", manager_id="ceo", unit="Sales", cost=150),
            Person(id="s1", manager_id="cso", unit="SDR", cost=60, fte=0.5),
            Person(id="s2", manager_id="cso", unit="SDR", cost=70),
        ],
    )
    hr = analyze(org)
    rows = {u.unit: u.to_dict() for u in hr.units}
    assert rows["SDR"] == {
        "unit": "SDR",
        "name": "SDR",
        "function": "sales",
        "headcount": 2,
        "fte": 1.5,
        "people_cost": 130.0,
        "total_headcount": 2,
        "total_fte": 1.5,
        "total_people_cost": 130.0,
    }
    assert (rows["Sales"]["headcount"], rows["Sales"]["total_headcount"]) == (1, 3)
    assert (rows["Sales"]["people_cost"], rows["Sales"]["total_people_cost"]) == (150.0, 280.0)
    assert (rows["Co"]["total_headcount"], rows["Co"]["total_people_cost"]) == (4, 480.0)
    assert (hr.headcount, hr.fte, hr.people_cost) == (4, 3.5, 480.0)


def test_to_dict_is_json_ready_with_the_documented_keys() -> None:
    data = analyze(org_with_spans([3, 4])).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {
        "managers",
        "span",
        "spans_out_of_range",
        "layers",
        "people_per_layer",
        "teams",
        "teams_out_of_range",
        "teams_counted",
        "teams_not_counted",
        "span_bands",
        "one_over_one",
        "one_over_one_chains",
        "span_per_layer",
        "competences",
        "competences_counted_across",
        "discipline_fit",
        "discipline_fit_counted",
        "units",
        "headcount",
        "people_cost",
        "virtual_top",
    } <= set(data)


def test_level_defaults_to_the_settings_level() -> None:
    org = Organization(people=[Person(id="p", unit="A")], settings=Settings(level=2))
    assert analyze(org).level == 2
    assert analyze(org, level=0).level == 0


def test_a_negative_level_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="level -1"):
        analyze(Organization(people=[Person(id="p", unit="A")]), level=-1)


@st.composite
def organizations(draw: st.DrawFn) -> Organization:
    """Random reporting forests: each person reports to an earlier one, or to nobody."""
    size = draw(st.integers(min_value=1, max_value=40))
    people = [Person(id="p0", unit="U0")]
    for i in range(1, size):
        manager = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=i - 1)))
        people.append(
            Person(
                id=f"p{i}",
                unit=f"U{draw(st.integers(min_value=0, max_value=4))}",
                manager_id=None if manager is None else f"p{manager}",
                competences=tuple(draw(st.lists(st.sampled_from("abc"), max_size=2))),
            )
        )
    return Organization(people=people)


@given(organizations())
def test_spans_sum_to_the_number_of_people_with_a_manager(org: Organization) -> None:
    hr = analyze(org)
    assert sum(m.span for m in hr.managers) == sum(p.manager_id is not None for p in org.people)


@given(organizations())
def test_layers_are_at_least_one_and_hold_every_person_once(org: Organization) -> None:
    hr = analyze(org)
    assert hr.layers >= 1
    assert sum(hr.people_per_layer.values()) == hr.headcount == len(org.people)
    assert sorted(hr.people_per_layer) == list(range(1, hr.layers + 1))


@given(organizations())
def test_span_bands_hold_every_manager_once_and_chains_every_step_once(org: Organization) -> None:
    hr = analyze(org)
    assert sum(b.managers for b in hr.span_bands) == len(hr.managers)
    if hr.managers:
        assert sum(b.share or 0 for b in hr.span_bands) == pytest.approx(1)
    assert sum(c.steps for c in hr.one_over_one_chains) == len(hr.one_over_one)
    assert sum(s.managers for s in hr.span_per_layer) == len(hr.managers)


@given(organizations())
def test_every_unit_is_a_judged_team_or_left_out_for_a_reason(org: Organization) -> None:
    hr = analyze(org)
    assert hr.teams_counted + sum(hr.teams_not_counted.values()) == len(hr.teams)
    assert all((t.within_range is None) == (t.not_counted is not None) for t in hr.teams)


@given(organizations())
def test_dispersion_and_discipline_fit_stay_between_zero_and_one(org: Organization) -> None:
    hr = analyze(org)
    assert all(0 <= c.dispersion < 1 for c in hr.competences)
    assert hr.discipline_fit is None or 0 <= hr.discipline_fit <= 1
    assert sum(t.members for t in hr.teams) == hr.headcount


def test_chapters_show_who_keeps_a_dotted_line_to_which_discipline_home() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="top"),
            Person(id="hs", manager_id="ceo", unit="sales", competences=("field sales",)),
            Person(id="hp", manager_id="ceo", unit="pods"),
            Person(
                id="a", manager_id="hp", unit="pods", chapter="sales", competences=("field sales",)
            ),
            Person(id="b", manager_id="hp", unit="pods", chapter="sales", competences=("crm",)),
            Person(id="c", manager_id="hs", unit="sales", chapter="sales"),
        ],
        units=[
            Unit(id="top"),
            Unit(id="sales", parent="top", head="hs"),
            Unit(id="pods", parent="top", head="hp"),
        ],
    )
    (chapter,) = analyze(org).chapters
    # c sits in its chapter already: no dotted line. a shares the head's craft, b does not.
    assert (chapter.unit, chapter.head, chapter.members) == ("sales", "hs", 2)
    assert chapter.discipline_fit == 0.5
