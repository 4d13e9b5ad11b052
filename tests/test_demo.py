"""The bundled demo company: committed files, size, e-mails, budget, tensions, CRM history, and a
clean load."""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml

from orglens.demo import DEMO_FILES, write_demo
from orglens.demo_events import END_ACTIVITIES
from orglens.model import Settings

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


@cache
def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _department_of() -> dict[str, str]:
    """Each unit id → the unit directly below the top unit that holds it (or the top unit)."""
    parent = {u["id"]: u["parent"] for u in _rows("units.csv")}
    top = next(uid for uid, p in parent.items() if not p)
    department = {}
    for uid in parent:
        current = uid
        while parent[current] and parent[current] != top:
            current = parent[current]
        department[uid] = current
    return department


def test_committed_demo_files_equal_a_fresh_generation(tmp_path: Path) -> None:
    written = write_demo(tmp_path)
    assert [path.name for path in written] == list(DEMO_FILES)
    assert {"orglens.yaml", "events.csv"} <= set(DEMO_FILES)
    for path in written:
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), (
            f"{path.name} differs: run `python examples/demo/generate.py` and commit the result"
        )


def test_write_demo_creates_the_directory_and_leaves_only_its_files(tmp_path: Path) -> None:
    out = tmp_path / "new" / "demo"
    write_demo(out)
    write_demo(out)  # a second run replaces the files in place
    assert sorted(path.name for path in out.iterdir()) == sorted(DEMO_FILES)


def test_demo_company_has_between_130_and_170_people() -> None:
    assert 130 <= len(_rows("people.csv")) <= 170


def test_every_demo_person_has_an_email_of_their_own() -> None:
    emails = [p["email"] for p in _rows("people.csv")]
    assert all(e.endswith("@nordljus.example") and e.count("@") == 1 for e in emails)
    assert len(set(emails)) == len(emails)


def test_demo_names_keep_swedish_letters() -> None:
    names = "".join(p["name"] for p in _rows("people.csv"))
    assert {"å", "ä", "ö"} <= set(names.lower())


def test_demo_brand_share_of_marketing_spend_is_below_the_benchmark() -> None:
    """Brand share = brand / (brand + activation); below benchmark whether or not comms counts."""
    function = {u["id"]: u["function"] for u in _rows("units.csv")}
    budget = _rows("budget.csv")
    for functions in ({"marketing"}, {"marketing", "communications"}):
        spend: dict[str, float] = {"brand": 0.0, "activation": 0.0, "other": 0.0}
        for line in budget:
            if function[line["unit"]] in functions:
                spend[line["horizon"]] += float(line["amount"])
        share = spend["brand"] / (spend["brand"] + spend["activation"])
        assert 0.2 < share < Settings().brand_benchmark


def test_demo_activation_spend_serves_the_sales_result() -> None:
    function = {u["id"]: u["function"] for u in _rows("units.csv")}
    serving_sales = [
        line
        for line in _rows("budget.csv")
        if line["horizon"] == "activation"
        and function[line["unit"]] == "marketing"
        and function[line["outcome_unit"]] == "sales"
    ]
    assert len(serving_sales) >= 3


def test_demo_has_an_overloaded_sales_manager_and_player_coaches() -> None:
    people = _rows("people.csv")
    spans = Counter(p["manager_id"] for p in people if p["manager_id"])
    unit_of = {p["id"]: p["unit"] for p in people}
    function = {u["id"]: u["function"] for u in _rows("units.csv")}
    sales_spans = [span for pid, span in spans.items() if function[unit_of[pid]] == "sales"]
    assert max(sales_spans) > 15
    assert sum(3 <= span <= 5 for span in spans.values()) >= 2


def test_demo_journey_crosses_marketing_sales_and_customer_success_repeatedly() -> None:
    department = _department_of()
    path = [department[a["unit"]] for a in _rows("journey.csv")]
    crossings = [(a, b) for a, b in pairwise(path) if a != b]
    assert {"marketing", "sales", "customer-success", "communications"} <= set(path)
    assert crossings.count(("marketing", "sales")) >= 2
    assert len(crossings) >= 8


def test_communications_uses_a_segment_nobody_defined_and_shares_one_with_marketing() -> None:
    defined = {s["id"] for s in _rows("segments.csv")}
    department = _department_of()
    used: dict[str, set[str]] = {}
    for person in _rows("people.csv"):
        segments = {s for s in person["segments"].split(";") if s}
        used.setdefault(department[person["unit"]], set()).update(segments)
    assert used["communications"] - defined == {"opinion-leaders"}
    assert used["communications"] & used["marketing"]
    assert all(segments <= defined for dept, segments in used.items() if dept != "communications")


def test_loading_the_demo_gives_no_problems_and_keeps_extra_columns() -> None:
    from orglens.io import load

    org = load(DEMO)
    assert org.name == "Nordljus Software AB"
    assert org.currency == "SEK"
    assert org.warnings == ()
    assert len(org.people) == len(_rows("people.csv"))
    assert len(org.journey) == len(_rows("journey.csv"))
    assert org.people[0].attributes["start_date"] == _rows("people.csv")[0]["start_date"]
    assert org.units[0].attributes["cost_center"] == "CC-100"


def test_the_ceo_is_the_only_common_manager_of_the_demo_journey() -> None:
    from orglens.io import load

    org = load(DEMO)
    owners = {org.structure.unit_owner[a.unit] for a in org.journey if a.unit is not None}
    assert None not in owners
    ceo = org.structure.top
    assert org.person_by_id[ceo].role == "Chief Executive Officer"
    assert org.structure.lowest_common_manager(o for o in owners if o) == ceo


# -- the CRM event history ---------------------------------------------------------------------

MARKETING_ACTIVITIES = {
    "Form submitted",
    "Webinar attended",
    "Content downloaded",
    "Email opened",
    "Lead scored",
    "MQL",
}
SDR_ACTIVITIES = {
    "Assigned to SDR",
    "First call",
    "Follow-up call",
    "Qualified (SQL)",
    "Disqualified",
}
DEAL_ACTIVITIES = {
    "Discovery meeting",
    "Demo",
    "Proposal sent",
    "Negotiation",
    "Closed won",
    "Closed lost",
}
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Event:
    activity: str
    time: datetime
    resource: str


@cache
def _cases() -> Mapping[str, list[Event]]:
    """The demo's events by case, in file order."""
    cases: dict[str, list[Event]] = {}
    for row in _rows("events.csv"):
        event = Event(row["activity"], datetime.fromisoformat(row["timestamp"]), row["resource"])
        cases.setdefault(row["case_id"], []).append(event)
    return cases


def _first(events: list[Event], activity: str) -> Event | None:
    return next((event for event in events if event.activity == activity), None)


def _wait_for_sales(events: list[Event]) -> timedelta | None:
    """MQL → first SDR touch (an SDR claiming the lead); None for a lead that never was an MQL."""
    mql, touch = _first(events, "MQL"), _first(events, "Assigned to SDR")
    return None if mql is None or touch is None else touch.time - mql.time


def test_demo_yaml_maps_the_event_log_columns() -> None:
    config = yaml.safe_load((DEMO / "orglens.yaml").read_text(encoding="utf-8"))
    assert config["events"] == {
        "path": "events.csv",
        "case": "case_id",
        "activity": "activity",
        "timestamp": "timestamp",
        "resource": "resource",
        "end_activities": list(END_ACTIVITIES),
    }
    header = (DEMO / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "case_id,activity,timestamp,resource,channel,segment"


def test_demo_history_has_30k_to_50k_events_of_5k_to_8k_leads_in_under_4_mb() -> None:
    assert 30_000 <= len(_rows("events.csv")) <= 50_000
    assert 5_000 <= len(_cases()) <= 8_000
    assert all(case_id.startswith("L") for case_id in _cases())
    assert (DEMO / "events.csv").stat().st_size < 4_000_000


def test_demo_leads_start_in_2025_and_timestamps_are_utc() -> None:
    assert all(row["timestamp"].endswith("Z") for row in _rows("events.csv"))
    starts = [events[0].time for events in _cases().values()]
    assert min(starts).year == max(starts).year == 2025
    assert all(start.tzinfo is not None and start.utcoffset() == timedelta(0) for start in starts)


def test_every_demo_event_resource_is_a_demo_person_and_about_one_percent_are_empty() -> None:
    people = {p["id"] for p in _rows("people.csv")}
    resources = [row["resource"] for row in _rows("events.csv")]
    assert {r for r in resources if r} <= people
    assert 0.005 <= resources.count("") / len(resources) <= 0.02


def test_demo_events_are_done_by_the_units_of_their_stage() -> None:
    unit_of = {p["id"]: p["unit"] for p in _rows("people.csv")}
    units: dict[str, set[str]] = {}
    for row in _rows("events.csv"):
        if row["resource"]:
            units.setdefault(row["activity"], set()).add(unit_of[row["resource"]])
    for activity in MARKETING_ACTIVITIES:
        assert units[activity] <= {"demand-gen", "marketing"}, activity
    for activity in SDR_ACTIVITIES:
        assert units[activity] == {"inside-sales"}, activity
    for activity in DEAL_ACTIVITIES:
        assert units[activity] == {"sales-nordics", "sales-dach", "sales-ukie"}, activity
    assert units["Kickoff"] == units["Onboarding completed"] == {"cs-onboarding"}
    assert units["Expansion opportunity"] == {"cs-accounts"}


def test_demo_event_segments_are_defined_and_constant_per_case() -> None:
    defined = {s["id"] for s in _rows("segments.csv")}
    segments: dict[str, set[str]] = {}
    for row in _rows("events.csv"):
        segments.setdefault(row["case_id"], set()).add(row["segment"])
        assert row["channel"]
    assert all(len(values) == 1 for values in segments.values())
    assert set().union(*segments.values()) == defined


def test_demo_mqls_wait_days_for_sales_while_marketing_steps_take_hours() -> None:
    """Median MQL → first SDR touch above a day; median gap between consecutive marketing events
    of a case below 12 hours."""
    waits = [w for w in map(_wait_for_sales, _cases().values()) if w is not None]
    marketing_gaps = [
        b.time - a.time
        for events in _cases().values()
        for a, b in pairwise(events)
        if a.activity in MARKETING_ACTIVITIES and b.activity in MARKETING_ACTIVITIES
    ]
    assert statistics.median(waits) > 24 * HOUR
    assert statistics.quantiles(waits, n=10)[-1] > 6 * 24 * HOUR
    assert statistics.median(marketing_gaps) < 12 * HOUR


def test_the_handoff_inside_sales_is_faster_than_the_one_from_marketing() -> None:
    """SQL → the account executive's discovery meeting, against MQL → first SDR touch."""
    to_sales = [w for w in map(_wait_for_sales, _cases().values()) if w is not None]
    to_account_executive = [
        b.time - a.time
        for events in _cases().values()
        for a, b in pairwise(events)
        if a.activity == "Qualified (SQL)" and b.activity == "Discovery meeting"
    ]
    assert statistics.median(to_account_executive) < statistics.median(to_sales) / 4


def test_a_third_of_demo_mqls_leak_right_after_the_handoff_to_an_sdr() -> None:
    assigned = [events for events in _cases().values() if _first(events, "Assigned to SDR")]
    leaked = [events for events in assigned if events[-1].activity == "Assigned to SDR"]
    assert 0.2 <= len(leaked) / len(assigned) <= 0.4
    assert "Assigned to SDR" not in END_ACTIVITIES


def test_demo_leads_touched_within_an_hour_qualify_more_often_than_after_two_days() -> None:
    def qualified(group: list[list[Event]]) -> float:
        return sum(_first(events, "Qualified (SQL)") is not None for events in group) / len(group)

    fast, slow = [], []
    for events in _cases().values():
        wait = _wait_for_sales(events)
        if wait is not None and wait <= HOUR:
            fast.append(events)
        elif wait is not None and wait > 48 * HOUR:
            slow.append(events)
    assert len(fast) >= 100 and len(slow) >= 100
    assert qualified(fast) > 2 * qualified(slow)


def test_won_demo_deals_are_handed_to_customer_success() -> None:
    won = [events for events in _cases().values() if _first(events, "Closed won")]
    kicked_off = [events for events in won if _first(events, "Kickoff")]
    assert len(won) >= 100
    assert len(kicked_off) >= 0.6 * len(won)
    for events in kicked_off:
        activities = [event.activity for event in events]
        assert activities.index("Kickoff") == activities.index("Closed won") + 1


def test_demo_history_has_ties_and_a_few_deals_won_before_the_first_call() -> None:
    """Events of a case are in time order in the file, except deals whose close date was typed
    before the first call was logged (about 0.2% of cases)."""
    backwards = {
        case_id
        for case_id, events in _cases().items()
        if any(b.time < a.time for a, b in pairwise(events))
    }
    won_before_call = set()
    for case_id, events in _cases().items():
        won, call = _first(events, "Closed won"), _first(events, "First call")
        if won is not None and call is not None and won.time < call.time:
            won_before_call.add(case_id)
    assert backwards == won_before_call
    assert 1 <= len(won_before_call) <= 0.004 * len(_cases())
    ties = sum(a.time == b.time for events in _cases().values() for a, b in pairwise(events))
    assert 0 < ties < 0.02 * len(_rows("events.csv"))


def test_demo_staff_work_on_weekdays_in_office_hours() -> None:
    """People act Monday to Friday, 08:00-17:00 Stockholm time (06:00-16:00 UTC covers it in
    summer and winter); prospects' own actions and hand-typed dates are left out."""
    staff_activities = SDR_ACTIVITIES | DEAL_ACTIVITIES | {"Kickoff", "Onboarding completed"}
    times = [
        event.time
        for events in _cases().values()
        for event in events
        if event.activity in staff_activities - {"Closed won"}
    ]
    in_hours = sum(t.weekday() < 5 and 6 <= t.hour < 16 for t in times)
    assert in_hours >= 0.99 * len(times)
