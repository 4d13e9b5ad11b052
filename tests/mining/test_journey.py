"""The observed journey (handoffs, waits, leakage, speed to lead, handoff SLA, funnel) on logs
checkable by hand."""

from __future__ import annotations

import json

import pytest
from eventlogs import log

from orglens.engine import Engine, connect
from orglens.lenses import analyze
from orglens.mining import handoff_sla, observe, speed_to_lead
from orglens.model import EventSource, Organization, Person, Unit
from orglens.model.advice import SOURCES

UNITS = {"mia": "Marketing", "sam": "Sales", "sue": "Sales"}
FUNCTIONS = {"mia": "marketing", "sam": "sales", "sue": "sales"}

# Minutes after the start. c1: M→S then won; c2: M→S and nothing more (leaks);
# c3: sales only; c4: an automated event without resource, then M→S, lost.
HISTORY = log(
    ("c1", "mql", 0, "mia", None),
    ("c1", "call", 60, "sam", None),
    ("c1", "won", 120, "sue", None),
    ("c2", "mql", 0, "mia", None),
    ("c2", "assigned", 180, "sam", None),
    ("c3", "call", 0, "sam", None),
    ("c3", "offer", 30, "sue", None),
    ("c4", "form", 0, None, None),
    ("c4", "mql", 10, "mia", None),
    ("c4", "call", 40, "sue", None),
    ("c4", "lost", 50, "sue", None),
)


def test_observed_journey_counts_cross_unit_handoffs_per_case(engine: Engine) -> None:
    seen = observe(
        engine.read_events(HISTORY),
        unit=UNITS,
        function=FUNCTIONS,
        end_activities={"won", "lost"},
    )
    assert (seen.events, seen.cases) == (11, 4)
    # Three Marketing→Sales handoffs (c1, c2, c4) over four cases.
    assert seen.cross_unit_handoffs_per_case == pytest.approx(0.75)
    assert seen.handoffs.cross.count == 3
    assert seen.handoffs.cross.wait_s_median == 3600.0  # waits 60, 180, 30 minutes
    assert seen.handoffs.within.count == 3  # c1 call→won, c3 call→offer, c4 call→lost
    assert seen.handoffs.events_without_unit == 1
    assert seen.leakage.leaked_cases == 1  # c2 ends right after the handoff
    assert seen.leakage_share == pytest.approx(0.25)
    data = seen.to_dict()
    assert data["handoff_matrix"] == {"Marketing": {"Sales": 3}}
    assert data["leakage"]["share"] == 0.25


def test_speed_to_lead_runs_from_first_marketing_to_first_sales_touch(engine: Engine) -> None:
    speed = speed_to_lead(engine.read_events(HISTORY), function=FUNCTIONS)
    # c1 60 min, c2 180 min, c4 30 min; c3 has no marketing touch.
    assert speed.cases == 3
    assert speed.wait.wait_s_median == 3600.0
    assert speed.wait.wait_s_mean == pytest.approx(90 * 60)


def test_analyze_shows_the_observed_journey_next_to_the_declared_one(engine: Engine) -> None:
    org = Organization(
        people=[
            Person(id="ceo", unit="top"),
            Person(id="mia", manager_id="ceo", unit="mkt"),
            Person(id="s1", name="Sam", manager_id="ceo", unit="sales"),
            Person(id="s2", manager_id="s1", unit="sales", email="Sue@acme.example"),
        ],
        units=[
            Unit(id="top", function="management"),
            Unit(id="mkt", parent="top", function="marketing"),
            Unit(id="sales", parent="top", function="sales"),
        ],
        events=EventSource(path="events.csv", end_activities=("won", "lost")),
    )
    # Resources by id, by unique name and by e-mail address in any case.
    history = log(
        ("c1", "mql", 0, "mia", None),
        ("c1", "call", 60, "Sam", None),
        ("c1", "won", 120, "sue@acme.example", None),
        ("c2", "mql", 0, "mia", None),
        ("c2", "assigned", 180, "s1", None),
    )
    observed = analyze(org, events=engine.read_events(history)).process.to_dict()["observed"]
    assert observed["handoff_matrix"] == {"mkt": {"sales": 2}}
    assert observed["events_without_unit"] == 0
    assert observed["leakage"]["leaked_cases"] == 1
    assert observed["speed_to_lead"]["cases"] == 2
    assert analyze(org).process.to_dict()["observed"] is None


def test_an_inferred_sales_touch_names_the_activities_that_came_first(engine: Engine) -> None:
    speed = speed_to_lead(engine.read_events(HISTORY), function=FUNCTIONS)
    assert speed.touch == "inferred"
    # c1 and c4 were first touched by a call, c2 by the assignment.
    assert speed.first_touches == (("call", 2), ("assigned", 1))
    assert speed.note is None
    assert speed.to_dict()["first_touch_activities"] == {"call": 2, "assigned": 1}


def test_a_close_is_no_sales_touch_and_the_first_touch_after_it_counts(engine: Engine) -> None:
    events = log(
        ("c1", "mql", 0, "mia"),
        ("c1", "Closed lost", 20, "sam"),
        ("c1", "reopened call", 50, "sam"),
        ("c2", "mql", 0, "mia"),
        ("c2", "handover", 15, "sue"),
    )
    # 'handover' closes c2 when it is declared an end activity.
    speed = speed_to_lead(
        engine.read_events(events), function=FUNCTIONS, end_activities={"handover"}
    )
    assert (speed.cases, speed.wait.wait_s_median) == (1, 3000.0)
    assert speed.first_touches == (("reopened call", 1),)


def test_when_sales_only_wins_speed_to_lead_has_no_figure_and_says_why(engine: Engine) -> None:
    events = log(
        ("c1", "mql", 0, "mia"),
        ("c1", "Deal won", 600, "sam"),
        ("c2", "mql", 0, "mia"),
    )
    speed = speed_to_lead(engine.read_events(events), function=FUNCTIONS)
    assert (speed.cases, speed.wait.wait_s_median, speed.first_touches) == (0, None, ())
    assert speed.note == (
        "the only sales events close the case ('Deal won'): the time to them is lead-to-win, "
        "not speed to lead; name the first sales touch under events: touch: in orglens.yaml"
    )
    data = speed.to_dict()
    assert (data["wait_s_median"], data["note"]) == (None, speed.note)


def test_a_declared_touch_is_the_first_event_of_those_activities_whoever_does_it(
    engine: Engine,
) -> None:
    speed = speed_to_lead(engine.read_events(HISTORY), function=FUNCTIONS, touch=[" CALL "])
    # c1 60 min, c4 30 min; c2 has no call.
    assert (speed.touch, speed.cases, speed.wait.wait_s_median) == ("declared", 2, 2700.0)
    assert speed.first_touches == (("call", 2),)


def test_a_declared_touch_missing_from_the_log_is_said(engine: Engine) -> None:
    speed = speed_to_lead(engine.read_events(HISTORY), function=FUNCTIONS, touch=["demo"])
    assert speed.cases == 0
    assert speed.note is not None and "no activity marked as a sales touch" in speed.note


def test_speed_to_lead_reads_functions_from_a_column(engine: Engine) -> None:
    events = log(
        ("c1", "mql", 0, None, "Marketing"),
        ("c1", "call", 45, None, "Sales"),
        ("c1", "won", 90, None, "Sales"),
    )
    speed = speed_to_lead(engine.read_events(events), function="group")
    assert (speed.cases, speed.wait.wait_s_median, speed.first_touches) == (
        1,
        2700.0,
        (("call", 1),),
    )


def test_the_handoff_sla_gives_p50_p95_and_shares_within_bands(engine: Engine) -> None:
    seen = observe(engine.read_events(HISTORY), unit=UNITS)
    assert seen.handoff_sla is not None
    (pair,) = seen.handoff_sla.pairs
    # Marketing→Sales waits 60, 180 and 30 minutes: 1800, 3600, 10800 s.
    assert (pair.source, pair.target, pair.count) == ("Marketing", "Sales", 3)
    assert pair.wait_s_p50 == 3600.0
    assert pair.wait_s_p95 == pytest.approx(3600 + 0.9 * 7200)  # h = 1.9
    # Within 5 min: none; 1 h: 30 and 60 minutes (at most, inclusive); 1 day and 1 week: all.
    assert pair.within == (0, 2, 3, 3)
    data = seen.to_dict()["handoff_sla"]
    assert data["bands_s"] == [300.0, 3600.0, 86400.0, 604800.0]
    assert [band["label"] for band in data["all"]["within"]] == ["5 min", "1 h", "1 day", "1 week"]
    assert [band["share"] for band in data["pairs"][0]["within"]] == [0.0, 0.666667, 1.0, 1.0]
    assert data["all"]["count"] == 3


def test_the_handoff_sla_bands_can_be_set(engine: Engine) -> None:
    sla = handoff_sla(engine.read_events(HISTORY), unit=UNITS, bands_s=[1800, 7200])
    assert (sla.bands_s, sla.within) == ((1800.0, 7200.0), (1, 2))


def test_the_handoff_sla_shows_dated_sourced_references_not_targets() -> None:
    sla = handoff_sla(connect().read_events(HISTORY), unit=UNITS)
    references = sla.to_dict()["references"]
    assert [(r["id"], r["year"]) for r in references] == [
        ("oldroyd_2007", 2007),
        ("oldroyd_2011", 2011),
    ]
    assert all(set(r) == {"id", "year", "label", "source"} and r["source"] for r in references)
    assert "Harvard Business Review" in references[1]["source"]
    # The id of the HBR audit is the advice rules' source id for the same article.
    assert references[1]["id"] in SOURCES
    assert "target" not in json.dumps(references).lower()


def test_the_observed_journey_carries_the_funnel_by_the_stages_given(engine: Engine) -> None:
    stages = [("Lead", ["mql", "form"]), ("Sales", ["call", "offer"]), ("Closed", ["won", "lost"])]
    seen = observe(engine.read_events(HISTORY), unit=UNITS, stages=stages)
    assert seen.funnel is not None
    assert [(s.stage, s.cases) for s in seen.funnel.stages] == [
        ("Lead", 3),
        ("Sales", 3),
        ("Closed", 2),
    ]
    assert seen.funnel.activities_outside_stages == ("assigned",)
    assert seen.to_dict()["funnel"]["source"] == "journey"
