"""The observed journey (handoffs, waits, leakage, speed to lead) on a log checkable by hand."""

from __future__ import annotations

import pytest
from eventlogs import log

from orglens.engine import Engine
from orglens.lenses import analyze
from orglens.mining import observe, speed_to_lead
from orglens.model import EventSource, Organization, Person, Unit

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
