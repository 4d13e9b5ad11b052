"""Unit handoffs and leakage, on a log checkable by hand and against references."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.compute
import pytest
from eventlogs import (
    assert_same_values,
    generated_log,
    log,
    percentile,
    pm4py_call,
    pm4py_frame,
    receipt,
)

from orglens.engine import Engine
from orglens.errors import UsageError
from orglens.mining import Leakage, UnitHandoffs, leakage, unit_handoffs

UNITS = {"mia": "M", "max": "M", "sam": "S", "sue": "S"}
UNIT_ROWS = pa.table({"resource": list(UNITS), "unit": list(UNITS.values())})

# Minutes after the start; the group column carries the same units. zed is in no unit; c4's
# last event has no resource. Units per case: c1 M S S S; c2 M S; c3 M (zed) S; c4 M S (none);
# c5 S M; c6 S S.
TINY = log(
    ("c1", "mql", 0, "mia", "M"),
    ("c1", "call", 60, "sam", "S"),
    ("c1", "offer", 120, "sue", "S"),
    ("c1", "won", 180, "sue", "S"),
    ("c2", "mql", 0, "mia", "M"),
    ("c2", "call", 30, "sam", "S"),
    ("c3", "mql", 0, "max", "M"),
    ("c3", "note", 10, "zed", None),
    ("c3", "call", 40, "sam", "S"),
    ("c4", "mql", 0, "mia", "M"),
    ("c4", "call", 20, "sue", "S"),
    ("c4", "lost", 50, None, None),
    ("c5", "call", 0, "sam", "S"),
    ("c5", "mql", 15, "mia", "M"),
    ("c6", "call", 0, "sam", "S"),
    ("c6", "offer", 5, "sue", "S"),
)

EXPECTED_HANDOFFS = {
    # M→S waits 60, 30, 40 (across zed's note), 20 minutes: sorted 1200, 1800, 2400, 3600 s;
    # median at h = 1.5 → 2100; p90 at h = 2.7 → 2400 + 0.7 * 1200 = 3240.
    "pairs": [
        {"source": "M", "target": "S", "count": 4, "wait_s_mean": 2250.0,
         "wait_s_median": 2100.0, "wait_s_p90": 3240.0},
        {"source": "S", "target": "M", "count": 1, "wait_s_mean": 900.0,
         "wait_s_median": 900.0, "wait_s_p90": 900.0},
        {"source": "S", "target": "S", "count": 3, "wait_s_mean": 2500.0,
         "wait_s_median": 3600.0, "wait_s_p90": 3600.0},
    ],
    "within": {"count": 3, "wait_s_mean": 2500.0, "wait_s_median": 3600.0,
               "wait_s_p90": 3600.0},
    # 900, 1200, 1800, 2400, 3600: median 1800; p90 at h = 3.6 → 2400 + 0.6 * 1200 = 3120.
    "cross": {"count": 5, "wait_s_mean": 1980.0, "wait_s_median": 1800.0,
              "wait_s_p90": 3120.0},
    "events_without_unit": 2,
}  # fmt: skip


@pytest.fixture(scope="module")
def events(engine: Engine) -> object:
    return engine.read_events(TINY)


@pytest.mark.parametrize("source", ["column", "dict", "table"])
def test_unit_handoffs_from_a_column_a_dict_or_a_table_agree_with_the_hand_count(
    events: object, source: str
) -> None:
    unit = {"column": "group", "dict": UNITS, "table": ibis.memtable(UNIT_ROWS)}[source]
    found = unit_handoffs(events, unit=unit)
    assert found.to_dict() == EXPECTED_HANDOFFS
    assert found.matrix() == {"M": {"S": 4}, "S": {"M": 1, "S": 3}}


# TINY without zed's note and c4's resourceless event: every event has a unit, so a mapping's
# successions are the resources' own, relabelled (no pass of their own).
EVERY_EVENT_KNOWN = TINY.filter(pa.compute.is_in(TINY.column("resource"), pa.array(list(UNITS))))


@pytest.mark.parametrize("source", ["dict", "table"])
def test_a_mapping_that_covers_every_resource_agrees_with_the_unit_column(
    engine: Engine, source: str
) -> None:
    events = engine.read_events(EVERY_EVENT_KNOWN)
    unit = {"dict": UNITS, "table": ibis.memtable(UNIT_ROWS)}[source]
    by_column = unit_handoffs(events, unit="group").to_dict()
    assert unit_handoffs(events, unit=unit).to_dict() == by_column
    assert by_column["events_without_unit"] == 0
    assert by_column["cross"]["count"] == 5  # c1, c2, c3, c4 M→S; c5 S→M
    ends = {"won", "lost"}
    assert (
        leakage(events, unit=unit, end_activities=ends).to_dict()
        == leakage(events, unit="group", end_activities=ends).to_dict()
    )


@pytest.fixture(scope="module")
def leaks(events: object) -> Leakage:
    return leakage(events, unit=UNITS, end_activities={"won", "lost"})


def test_cases_that_end_right_after_a_handoff_leak(leaks: Leakage) -> None:
    # c2 and c3 end in S right after M→S; c5 ends in M right after S→M. c1 ends with "won";
    # c4 ends with "lost" (an event without unit, judged by its activity); c6 stays in S.
    assert leaks.to_dict() == {
        "pairs": [
            {"source": "M", "target": "S", "count": 2, "handoff_cases": 4, "share": 0.5},
            {"source": "S", "target": "M", "count": 1, "handoff_cases": 1, "share": 1.0},
        ],
        "leaked_cases": 3,
        "cases": 6,
        "end_activities": ["lost", "won"],
        "end_activities_inferred": False,
    }


def test_without_declared_end_activities_they_are_inferred_and_said_to_be(
    duckdb: Engine,
) -> None:
    # won and lost each end a case and never continue; call ends c2 and c3 but continues 4 times,
    # offer ends c6 but continues in c1, mql ends c5 but continues 4 times.
    found = leakage(duckdb.read_events(TINY), unit="group")
    assert found.end_activities == ("lost", "won")
    assert found.end_activities_inferred
    assert found.leaked_cases == 3


def test_with_no_end_activities_every_case_ending_after_a_handoff_leaks(duckdb: Engine) -> None:
    found = leakage(duckdb.read_events(TINY), unit="group", end_activities=())
    assert {(p.source, p.target): p.count for p in found.pairs} == {("M", "S"): 3, ("S", "M"): 1}
    assert found.leaked_cases == 4
    assert not found.end_activities_inferred


def test_a_mapping_table_giving_one_resource_two_units_is_refused(duckdb: Engine) -> None:
    clash = ibis.memtable(pa.table({"resource": ["mia", "mia", "sam"], "unit": ["M", "S", "S"]}))
    with pytest.raises(UsageError, match="several units to 'mia'"):
        unit_handoffs(duckdb.read_events(TINY), unit=clash)


def test_a_mapping_table_needs_resource_and_unit_columns(duckdb: Engine) -> None:
    wrong = ibis.memtable(pa.table({"person": ["mia"], "unit": ["M"]}))
    with pytest.raises(UsageError, match=r"no column 'resource'.*'person'"):
        unit_handoffs(duckdb.read_events(TINY), unit=wrong)


def test_an_empty_mapping_leaves_every_event_without_unit(duckdb: Engine) -> None:
    found = unit_handoffs(duckdb.read_events(TINY), unit={})
    assert found.pairs == ()
    assert found.within.count == found.cross.count == 0
    assert found.cross.wait_s_median is None
    assert found.events_without_unit == TINY.num_rows


def _reference_handoffs(table: pa.Table, column: str) -> dict[tuple[str, str], list[float]]:
    """Waits per unit pair, computed the plain way from a sorted PM4Py-style frame."""
    frame = pm4py_frame(table, drop_missing=column)
    unit_of = frame["org:group" if column == "group" else "org:resource"]
    waits: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows = list(zip(frame["case:concept:name"], unit_of, frame["time:timestamp"], strict=True))
    for (case, unit, when), (next_case, next_unit, next_when) in itertools.pairwise(rows):
        if case == next_case:
            waits[(unit, next_unit)].append((next_when - when).total_seconds())
    return waits


def _assert_matches_reference(
    found: UnitHandoffs, waits: dict[tuple[str, str], list[float]]
) -> None:
    assert {(p.source, p.target): p.count for p in found.pairs} == {
        key: len(values) for key, values in waits.items()
    }
    for pair in found.pairs:
        values = waits[(pair.source, pair.target)]
        for ours, theirs in [
            (pair.wait_s_mean, math.fsum(values) / len(values)),
            (pair.wait_s_median, percentile(values, 0.5)),
            (pair.wait_s_p90, percentile(values, 0.9)),
        ]:
            assert ours is not None
            assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-6)
    cross = [w for (s, t), values in waits.items() if s != t for w in values]
    assert found.cross.count == len(cross)
    assert found.cross.wait_s_p90 is not None
    assert math.isclose(found.cross.wait_s_p90, percentile(cross, 0.9), rel_tol=1e-9)


@pytest.mark.parametrize("seed", [31, 32])
def test_unit_handoffs_equal_a_plain_computation_on_generated_logs(
    duckdb: Engine, seed: int
) -> None:
    table = generated_log(seed, missing=0.15)
    found = unit_handoffs(duckdb.read_events(table), unit="group")
    _assert_matches_reference(found, _reference_handoffs(table, "group"))
    assert found.events_without_unit == table.column("group").null_count


@pytest.mark.realdata
def test_unit_handoffs_on_the_receipt_log_match_pm4py_group_handover(
    duckdb: Engine, receipt_csv: Path
) -> None:
    table = receipt(receipt_csv)
    found = unit_handoffs(duckdb.read_events(table), unit="group")
    # SOURCES.md: 5,440 of the 7,143 successions change org:group ("EMPTY" is a group).
    assert found.cross.count == 5440
    assert found.within.count + found.cross.count == 7143
    _assert_matches_reference(found, _reference_handoffs(table, "group"))
    theirs = pm4py_call(
        "discover_handover_of_work_network", pm4py_frame(table), resource_key="org:group"
    ).connections
    assert_same_values({(p.source, p.target): p.count / 7143 for p in found.pairs}, dict(theirs))
