"""The process lens on tiny organizations whose numbers can be checked by hand."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.engine import connect
from orglens.errors import UsageError
from orglens.lenses import analyze, journey, process
from orglens.mining import DEFAULT_SLA_BANDS_S
from orglens.model import (
    VIRTUAL_TOP,
    CoordinationNeed,
    EventSource,
    JourneyActivity,
    Organization,
    Person,
    Settings,
    Unit,
)

Step = tuple[float, str, str, str | None, float | None]  # order, stage, activity, unit, volume


def _journey(steps: Sequence[Step]) -> list[JourneyActivity]:
    return [
        JourneyActivity(order=o, stage=stage, activity=a, unit=u, volume_per_year=v)
        for o, stage, a, u, v in steps
    ]


def _units(*pairs: tuple[str, str | None]) -> list[Unit]:
    return [Unit(id=uid, name=uid, parent=parent) for uid, parent in pairs]


def _company(
    journey: Sequence[Step] = (),
    coordination: Sequence[tuple[str, str, float]] = (),
) -> Organization:
    """CEO in the top unit; marketing, sales and customer success are departments below it."""
    return Organization(
        people=[
            Person(id="ceo", name="Cleo", unit="Company"),
            Person(id="m", name="Maja", manager_id="ceo", unit="Marketing"),
            Person(id="s", name="Sven", manager_id="ceo", unit="Sales"),
            Person(id="c", name="Cai", manager_id="ceo", unit="CustomerSuccess"),
        ],
        units=_units(
            ("Company", None),
            ("Marketing", "Company"),
            ("Sales", "Company"),
            ("CustomerSuccess", "Company"),
        ),
        journey=_journey(journey),
        coordination=[CoordinationNeed(source=s, target=t, weight=w) for s, t, w in coordination],
    )


FUNNEL: list[Step] = [
    (1, "Awareness", "Campaign", "Marketing", 1000),
    (2, "Lead", "Qualify lead", "Marketing", 400),
    (3, "Deal", "Demo", "Sales", 100),
    (4, "Deal", "Close", "Sales", 30),
    (5, "Onboarding", "Kick-off", "CustomerSuccess", None),
]


# -- journey and handoffs ----------------------------------------------------------------------


def test_funnel_handoffs_are_weighted_by_the_smaller_volume_of_each_transition() -> None:
    # Marketing -> Sales: min(400, 100) = 100; Sales -> CS: min(30, 30 carried forward) = 30.
    result = process.analyze(_company(FUNNEL)).to_dict()
    assert result["cases_per_year"] == 1000
    assert result["transitions"] == 4
    assert result["cross_unit_transitions"] == 2
    assert result["handoffs_per_year"] == 130
    assert result["cross_unit_handoffs_per_case"] == pytest.approx(0.13)
    assert result["handoff_matrix"] == {
        "Marketing": {"Sales": 100},
        "Sales": {"CustomerSuccess": 30},
    }
    assert result["handoff_source"] == "declared journey"


def test_journey_is_sorted_by_order_with_ties_in_file_order() -> None:
    shuffled = [FUNNEL[3], FUNNEL[0], (3, "Deal", "Proposal", "Sales", 60), FUNNEL[2]]
    steps = process.analyze(_company(shuffled)).to_dict()["journey"]
    assert [s["activity"] for s in steps] == ["Campaign", "Proposal", "Demo", "Close"]
    assert steps[0] == {
        "order": 1,
        "stage": "Awareness",
        "activity": "Campaign",
        "unit": "Marketing",
        "group": "Marketing",
        "volume_per_year": 1000,
        "volume_used": 1000,
    }


def test_missing_volume_counts_as_previous_known_volume_or_one_at_the_start() -> None:
    # volumes used: 1, 50, 50; transitions carry min(1, 50) = 1 and min(50, 50) = 50.
    org = _company(
        [
            (1, "Lead", "Webinar", "Marketing", None),
            (2, "Deal", "Demo", "Sales", 50),
            (3, "Lead", "Nurture", "Marketing", None),
        ]
    )
    result = process.analyze(org).to_dict()
    assert [s["volume_used"] for s in result["journey"]] == [1, 50, 50]
    assert [s["volume_per_year"] for s in result["journey"]] == [None, 50, None]
    assert result["cases_per_year"] == 1
    assert result["handoffs_per_year"] == 51
    assert result["cross_unit_handoffs_per_case"] == 51
    assert result["handoff_matrix"] == {"Marketing": {"Sales": 1}, "Sales": {"Marketing": 50}}


def test_stages_list_their_distinct_units_and_groups_in_order_of_appearance() -> None:
    org = _company(
        [
            (1, "Lead", "Ads", "Marketing", 100),
            (2, "Lead", "Call", "Sales", 50),
            (3, "Lead", "Email", "Marketing", 50),
            (4, "Deal", "Close", "Sales", 10),
        ]
    )
    assert process.analyze(org).to_dict()["stages"] == [
        {"stage": "Lead", "units": ["Marketing", "Sales"], "groups": ["Marketing", "Sales"]},
        {"stage": "Deal", "units": ["Sales"], "groups": ["Sales"]},
    ]


def test_activity_given_by_role_is_done_by_the_unit_where_most_people_have_that_role() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="Company"),
            Person(id="a", manager_id="ceo", unit="Marketing", role="SDR"),
            Person(id="b", manager_id="ceo", unit="Sales", role="sdr"),
            Person(id="c", manager_id="ceo", unit="Sales", role="SDR "),
        ],
        units=_units(("Company", None), ("Marketing", "Company"), ("Sales", "Company")),
        journey=[
            JourneyActivity(order=1, stage="Lead", activity="Ads", unit="Marketing"),
            JourneyActivity(order=2, stage="Lead", activity="Call", role="SDR"),
        ],
    )
    result = process.analyze(org).to_dict()
    assert result["journey"][1]["unit"] == "Sales"
    assert result["cross_unit_transitions"] == 1


def test_activity_without_a_known_unit_is_left_out_of_the_handoff_chain() -> None:
    # The chain is Marketing (100) -> Sales (20): one handoff of min(100, 20) = 20 a year.
    org = Organization(
        people=[Person(id="m", unit="Marketing"), Person(id="s", manager_id="m", unit="Sales")],
        journey=[
            JourneyActivity(order=1, stage="Lead", activity="Ads", unit="Marketing",
                            volume_per_year=100),
            JourneyActivity(order=2, stage="Lead", activity="Self-serve trial", role="customer",
                            volume_per_year=50),
            JourneyActivity(order=3, stage="Deal", activity="Close", unit="Sales",
                            volume_per_year=20),
        ],
    )  # fmt: skip
    result = process.analyze(org).to_dict()
    assert result["journey"][1]["unit"] is None
    assert result["journey"][1]["group"] is None
    assert result["transitions"] == 1
    assert result["handoffs_per_year"] == 20
    assert result["cross_unit_handoffs_per_case"] == pytest.approx(0.2)


def test_a_journey_with_no_cases_has_no_handoffs_per_case() -> None:
    org = _company([(1, "Lead", "Ads", "Marketing", 0), (2, "Deal", "Demo", "Sales", 10)])
    result = process.analyze(org).to_dict()
    assert result["handoffs_per_year"] == 0
    assert result["cross_unit_transitions"] == 1
    assert result["cross_unit_handoffs_per_case"] is None


def test_without_a_journey_handoffs_are_none_and_lists_empty() -> None:
    result = process.analyze(_company()).to_dict()
    assert result["journey"] == []
    assert result["stages"] == []
    for key in (
        "handoff_source",
        "cases_per_year",
        "transitions",
        "cross_unit_transitions",
        "handoffs_per_year",
        "cross_unit_handoffs_per_case",
        "journey_common_manager",
    ):
        assert result[key] is None, key
    assert result["handoff_matrix"] == {}
    assert result["groups"] == []


# -- levels ------------------------------------------------------------------------------------


def _nested_company() -> Organization:
    """Company > Commercial > (Marketing, Sales); Company > Product."""
    return Organization(
        people=[
            Person(id="ceo", unit="Company"),
            Person(id="cco", manager_id="ceo", unit="Commercial"),
            Person(id="m", manager_id="cco", unit="Marketing"),
            Person(id="s", manager_id="cco", unit="Sales"),
            Person(id="p", manager_id="ceo", unit="Product"),
        ],
        units=_units(
            ("Company", None),
            ("Commercial", "Company"),
            ("Marketing", "Commercial"),
            ("Sales", "Commercial"),
            ("Product", "Company"),
        ),
        journey=_journey(
            [
                (1, "Lead", "Campaign", "Marketing", 100),
                (2, "Deal", "Demo", "Sales", 50),
                (3, "Feedback", "Roadmap input", "Product", 10),
            ]
        ),
    )


@pytest.mark.parametrize(
    ("level", "groups", "per_year", "per_case"),
    [
        (0, ["Company"], 0, 0),
        (1, ["Commercial", "Product"], 10, 0.1),
        (2, ["Marketing", "Product", "Sales"], 60, 0.6),
        (5, ["Marketing", "Product", "Sales"], 60, 0.6),
    ],
)
def test_handoffs_count_between_the_groups_of_the_level(
    level: int, groups: list[str], per_year: float, per_case: float
) -> None:
    result = process.analyze(_nested_company(), level=level).to_dict()
    assert result["level"] == level
    assert result["groups"] == groups
    assert result["handoffs_per_year"] == per_year
    assert result["cross_unit_handoffs_per_case"] == pytest.approx(per_case)


def test_level_defaults_to_the_organization_settings() -> None:
    org = _nested_company().model_copy(update={"settings": Settings(level=2)})
    assert process.analyze(org).level == 2
    assert process.analyze(org).to_dict()["cross_unit_transitions"] == 2


def test_negative_level_is_refused() -> None:
    with pytest.raises(UsageError, match="level -1"):
        process.analyze(_company(FUNNEL), level=-1)


def _forest() -> Organization:
    """Two top-level units (no single top unit): Marketing (with Brand below it) and Sales."""
    return Organization(
        people=[
            Person(id="m", unit="Marketing"),
            Person(id="b", manager_id="m", unit="Brand"),
            Person(id="s", manager_id="m", unit="Sales"),
        ],
        units=_units(("Marketing", None), ("Brand", "Marketing"), ("Sales", None)),
        journey=_journey(
            [
                (1, "Awareness", "Brand campaign", "Brand", 10),
                (2, "Lead", "Demand gen", "Marketing", 10),
                (3, "Deal", "Close", "Sales", 10),
            ]
        ),
    )


@pytest.mark.parametrize(
    ("level", "groups", "cross"),
    [
        (0, [VIRTUAL_TOP] * 3, 0),
        (1, ["Marketing", "Marketing", "Sales"], 1),
        (2, ["Brand", "Marketing", "Sales"], 2),
    ],
)
def test_without_a_single_top_unit_the_top_level_units_are_the_departments(
    level: int, groups: list[str], cross: int
) -> None:
    result = process.analyze(_forest(), level=level).to_dict()
    assert [s["group"] for s in result["journey"]] == groups
    assert result["cross_unit_transitions"] == cross


def test_people_of_the_top_unit_form_their_own_group() -> None:
    # The CEO sits in Company itself: at level 1 Company is a group beside the departments.
    org = _company(coordination=[("ceo", "Sales", 2), ("ceo", "m", 1), ("s", "Sales", 4)])
    at_departments = process.analyze(org, level=1).to_dict()["coordination"]
    assert at_departments["matrix"] == {
        "Company": {"Marketing": 1, "Sales": 2},
        "Sales": {"Sales": 4},
    }
    assert at_departments["cross_unit_weight"] == 3
    assert at_departments["cross_unit_share"] == pytest.approx(3 / 7)
    whole_company = process.analyze(org, level=0).to_dict()["coordination"]
    assert whole_company["matrix"] == {"Company": {"Company": 7}}
    assert whole_company["cross_unit_share"] == 0


# -- coordination ------------------------------------------------------------------------------


def test_coordination_maps_people_and_units_to_groups_and_measures_the_cross_unit_share() -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="Company"),
            Person(id="m", manager_id="ceo", unit="Marketing"),
            Person(id="b", manager_id="m", unit="Brand"),
            Person(id="s", manager_id="ceo", unit="Sales"),
        ],
        units=_units(
            ("Company", None),
            ("Marketing", "Company"),
            ("Brand", "Marketing"),
            ("Sales", "Company"),
        ),
        coordination=[
            CoordinationNeed(source="b", target="Sales", weight=3),
            CoordinationNeed(source="b", target="Marketing", weight=1),
            CoordinationNeed(source="s", target="b", weight=2),
        ],
    )
    departments = process.analyze(org, level=1).coordination
    assert departments.needs == 3
    assert departments.total_weight == 6
    assert departments.cross_unit_weight == 5
    assert departments.cross_unit_share == pytest.approx(5 / 6)
    assert departments.to_dict()["matrix"] == {
        "Marketing": {"Marketing": 1, "Sales": 3},
        "Sales": {"Marketing": 2},
    }
    teams = process.analyze(org, level=2).coordination
    assert teams.to_dict()["matrix"] == {
        "Brand": {"Marketing": 1, "Sales": 3},
        "Sales": {"Brand": 2},
    }
    assert teams.cross_unit_share == 1


def test_without_coordination_needs_the_cross_unit_share_is_none() -> None:
    coordination = process.analyze(_company()).to_dict()["coordination"]
    assert coordination == {
        "needs": 0,
        "total_weight": 0,
        "cross_unit_weight": 0,
        "cross_unit_share": None,
        "matrix": {},
    }


def test_groups_are_those_of_the_journey_and_of_coordination() -> None:
    org = _company(FUNNEL[:2], coordination=[("ceo", "s", 1)])
    assert process.analyze(org).groups == ("Company", "Marketing", "Sales")


# -- journey common manager --------------------------------------------------------------------


def test_journey_common_manager_is_the_ceo_when_marketing_and_sales_are_separate_departments() -> (
    None
):
    org = Organization(
        people=[
            Person(id="ceo", name="Cleo", unit="Company"),
            Person(id="hm", name="Maja", manager_id="ceo", unit="Marketing"),
            Person(id="m2", manager_id="hm", unit="Marketing"),
            Person(id="hs", name="Sven", manager_id="ceo", unit="Sales"),
            Person(id="s2", manager_id="hs", unit="Sales"),
        ],
        units=_units(("Company", None), ("Marketing", "Company"), ("Sales", "Company")),
        journey=_journey([(1, "Lead", "Ads", "Marketing", 10), (2, "Deal", "Demo", "Sales", 5)]),
    )
    assert process.analyze(org).to_dict()["journey_common_manager"] == {
        "id": "ceo",
        "name": "Cleo",
        "is_top": True,
    }


def test_journey_common_manager_is_their_head_when_marketing_and_sales_share_a_department() -> None:
    org = Organization(
        people=[
            Person(id="ceo", name="Cleo", unit="Company"),
            Person(id="cco", name="Cora", manager_id="ceo", unit="Commercial"),
            Person(id="m2", manager_id="hm", unit="Marketing"),
            Person(id="hm", name="Maja", manager_id="cco", unit="Marketing"),
            Person(id="hs", name="Sven", manager_id="cco", unit="Sales"),
        ],
        units=[
            Unit(id="Company", head="ceo"),
            Unit(id="Commercial", parent="Company", head="cco"),
            Unit(id="Marketing", parent="Commercial"),  # owner: its most senior member, hm
            Unit(id="Sales", parent="Commercial", head="hs"),
        ],
        journey=_journey([(1, "Lead", "Ads", "Marketing", 10), (2, "Deal", "Demo", "Sales", 5)]),
    )
    result = process.analyze(org)
    assert result.journey_common_manager == journey.CommonManager("cco", "Cora", is_top=False)
    assert result.to_dict()["cross_unit_transitions"] == 0


def test_journey_within_one_unit_is_managed_by_its_owner() -> None:
    org = _company([(1, "Lead", "Ads", "Marketing", 10), (2, "Lead", "Email", "Marketing", 5)])
    assert process.analyze(org).to_dict()["journey_common_manager"] == {
        "id": "m",
        "name": "Maja",
        "is_top": False,
    }


def test_the_result_is_plain_json() -> None:
    org = _company(FUNNEL, coordination=[("m", "Sales", 2.5)])
    text = json.dumps(process.analyze(org).to_dict(), allow_nan=False)
    assert '"cross_unit_handoffs_per_case": 0.13' in text


# -- the observed journey: funnel, handoff SLA, speed to lead ----------------------------------


def _company_with_history(bands_s: tuple[float, ...] = DEFAULT_SLA_BANDS_S) -> Organization:
    """The FUNNEL company with functions on its departments, a first sales touch declared, and
    the SLA bands given."""
    company = _company(FUNNEL)
    functions = {"Marketing": "marketing", "Sales": "sales", "CustomerSuccess": "success"}
    return Organization(
        people=company.people,
        units=[
            Unit(id=u.id, name=u.name, parent=u.parent, function=functions.get(u.id))
            for u in company.units
        ],
        journey=company.journey,
        settings=Settings(handoff_sla_bands_s=bands_s),
        events=EventSource(path="events.csv", end_activities=("Close",), touch=("Demo",)),
    )


def _history() -> pa.Table:
    """Minutes after the start: l1 goes all the way; l2 reaches a demo a day after its lead
    was qualified; l3 stops at the campaign."""
    events = [
        ("l1", "Campaign", 0, "m"),
        ("l1", "Qualify lead", 10, "Maja"),
        ("l1", "Demo", 70, "s"),
        ("l1", "Close", 130, "s"),
        ("l1", "Kick-off", 190, "c"),
        ("l2", "Campaign", 0, "m"),
        ("l2", "Qualify lead", 20, "m"),
        ("l2", "Demo", 1460, "Sven"),
        ("l3", "Campaign", 0, "m"),
    ]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return pa.table(
        {
            "case_id": [e[0] for e in events],
            "activity": [e[1] for e in events],
            "timestamp": pa.array(
                [start + timedelta(minutes=e[2]) for e in events], pa.timestamp("us", tz="UTC")
            ),
            "resource": [e[3] for e in events],
            "group": pa.array([None] * len(events), pa.string()),
            "position": list(range(len(events))),
        }
    )


def test_the_observed_funnel_runs_by_the_declared_journey_stages() -> None:
    org = _company_with_history()
    assert journey.funnel_stages(org) == (
        ("Awareness", ("Campaign",)),
        ("Lead", ("Qualify lead",)),
        ("Deal", ("Demo", "Close")),
        ("Onboarding", ("Kick-off",)),
    )
    observed = analyze(org, events=connect().read_events(_history())).process.observed
    assert observed is not None and observed.funnel is not None
    found = observed.funnel
    assert found.source == "journey"
    assert [(s.stage, s.cases, s.conversion) for s in found.stages] == [
        ("Awareness", 3, None),
        ("Lead", 2, pytest.approx(2 / 3)),
        ("Deal", 2, 1.0),
        ("Onboarding", 1, 0.5),
    ]
    # Lead → Deal: l1 60 minutes, l2 1,440 minutes; Deal → Onboarding: l1 120 minutes.
    assert found.stages[2].from_previous_s_p50 == (3600 + 86400) / 2
    assert found.stages[3].from_previous_s_p50 == 7200.0


def test_the_handoff_sla_counts_within_the_bands_of_the_settings() -> None:
    org = _company_with_history((3600, 86400))
    result = analyze(org, events=connect().read_events(_history())).process
    data = result.to_dict()["observed"]["handoff_sla"]
    assert data["bands_s"] == [3600, 86400]
    # Marketing → Sales waited 60 minutes (l1) and a day (l2); Sales → CustomerSuccess an hour.
    assert [(p["source"], p["target"], p["count"]) for p in data["pairs"]] == [
        ("Marketing", "Sales", 2),
        ("Sales", "CustomerSuccess", 1),
    ]
    assert [band["count"] for band in data["pairs"][0]["within"]] == [1, 2]
    assert [band["share"] for band in data["all"]["within"]] == [pytest.approx(2 / 3), 1.0]
    assert [reference["year"] for reference in data["references"]] == [2007, 2011]


def test_speed_to_lead_runs_to_the_touch_declared_under_events() -> None:
    org = _company_with_history()
    observed = analyze(org, events=connect().read_events(_history())).process.observed
    assert observed is not None and observed.speed_to_lead is not None
    speed = observed.speed_to_lead
    # Campaign → Demo: l1 70 minutes, l2 1,460 minutes.
    assert (speed.touch, speed.cases, speed.first_touches) == ("declared", 2, (("Demo", 2),))
    assert speed.wait.wait_s_median == (4200 + 87600) / 2


def test_the_default_handoff_sla_bands_are_the_minings() -> None:
    assert Settings().handoff_sla_bands_s == DEFAULT_SLA_BANDS_S


# -- properties --------------------------------------------------------------------------------


@st.composite
def organizations(draw: st.DrawFn, *, single_top_unit: bool | None = None) -> Organization:
    """A small random organization with a journey and coordination needs."""
    n_units = draw(st.integers(1, 6))
    single = draw(st.booleans()) if single_top_unit is None else single_top_unit
    units = []
    for i in range(n_units):
        parents = [f"u{j}" for j in range(i)]
        if i == 0:
            parent = None
        elif single:
            parent = draw(st.sampled_from(parents))
        else:
            parent = draw(st.none() | st.sampled_from(parents))
        units.append(Unit(id=f"u{i}", parent=parent))
    unit_ids = [u.id for u in units]
    people = []
    for i in range(draw(st.integers(1, 8))):
        manager = None if i == 0 else draw(st.none() | st.sampled_from([f"p{j}" for j in range(i)]))
        people.append(Person(id=f"p{i}", manager_id=manager, unit=draw(st.sampled_from(unit_ids))))
    refs = unit_ids + [p.id for p in people]
    journey = [
        JourneyActivity(
            order=draw(st.integers(0, 5)),
            stage=draw(st.sampled_from(["Lead", "Deal", "Onboarding"])),
            activity=f"a{i}",
            unit=draw(st.sampled_from(unit_ids)),
            volume_per_year=draw(st.none() | st.integers(0, 10_000)),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    weights = st.floats(min_value=0.001, max_value=1000, allow_nan=False, allow_infinity=False)
    coordination = [
        CoordinationNeed(
            source=draw(st.sampled_from(refs)),
            target=draw(st.sampled_from(refs)),
            weight=draw(weights),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    return Organization(people=people, units=units, journey=journey, coordination=coordination)


@settings(deadline=None)
@given(organizations(), st.integers(0, 3))
def test_cross_unit_share_lies_between_zero_and_one(org: Organization, level: int) -> None:
    coordination = process.analyze(org, level=level).coordination
    if coordination.total_weight == 0:
        assert coordination.cross_unit_share is None
    else:
        assert coordination.cross_unit_share is not None
        assert 0 <= coordination.cross_unit_share <= 1


@settings(deadline=None)
@given(organizations(single_top_unit=True))
def test_the_whole_company_has_no_cross_unit_handoffs_under_a_single_top_unit(
    org: Organization,
) -> None:
    result = process.analyze(org, level=0)
    assert len(result.groups) <= 1
    assert result.coordination.cross_unit_weight == 0
    if result.handoffs is not None:
        assert result.handoffs.cross_unit_transitions == 0
        assert result.handoffs.handoffs_per_year == 0
        assert result.handoffs.matrix == {}


@settings(deadline=None)
@given(organizations(), st.integers(0, 3))
def test_coordination_total_weight_is_the_sum_of_the_weights(org: Organization, level: int) -> None:
    coordination = process.analyze(org, level=level).coordination
    weights = [need.weight for need in org.coordination]
    cells = [w for row in coordination.matrix.values() for w in row.values()]
    off_diagonal = [w for s, row in coordination.matrix.items() for t, w in row.items() if s != t]
    assert coordination.total_weight == pytest.approx(sum(weights))
    assert sum(cells) == pytest.approx(coordination.total_weight)
    assert sum(off_diagonal) == pytest.approx(coordination.cross_unit_weight)


@settings(deadline=None)
@given(organizations(), st.integers(0, 3))
def test_a_deeper_level_never_has_fewer_cross_unit_handoffs(org: Organization, level: int) -> None:
    coarse = process.analyze(org, level=level).handoffs
    fine = process.analyze(org, level=level + 1).handoffs
    if coarse is None or fine is None:
        assert coarse is None and fine is None
        return
    assert fine.cross_unit_transitions >= coarse.cross_unit_transitions
    assert fine.handoffs_per_year >= coarse.handoffs_per_year
    assert sum(sum(row.values()) for row in fine.matrix.values()) == pytest.approx(
        fine.handoffs_per_year
    )
