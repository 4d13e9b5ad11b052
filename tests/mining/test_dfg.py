"""The directly-follows graph, on a log checkable by hand and against PM4Py."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import pytest
from eventlogs import generated_log, log, pm4py_call, pm4py_frame, receipt

from orglens.engine import Engine
from orglens.mining import Dfg, dfg

# Minutes after the start. c2 is written out of order; c4's first two events share a
# timestamp, so their file order decides (mail before call); c5 waits 1.000001 s.
TINY = log(
    ("c1", "call", 0, "ann"),
    ("c1", "mail", 10, "bob"),
    ("c1", "offer", 40, "ann"),
    ("c2", "offer", 20, "bob"),
    ("c2", "call", 0, "ann"),
    ("c3", "call", 5, "cy"),
    ("c4", "mail", 0, "bob"),
    ("c4", "call", 0, "ann"),
    ("c4", "offer", 60, "ann"),
    ("c5", "visit", 0, None),
    ("c5", "form", timedelta(seconds=1, microseconds=1), None),
)


@pytest.fixture(scope="module")
def graph(engine: Engine) -> Dfg:
    return dfg(engine.read_events(TINY))


def test_edges_count_successions_and_average_their_waits(graph: Dfg) -> None:
    assert [edge.to_dict() for edge in graph.edges] == [
        {"source": "call", "target": "mail", "count": 1, "wait_s_mean": 600.0,
         "wait_s_median": 600.0},
        {"source": "call", "target": "offer", "count": 2, "wait_s_mean": 2400.0,
         "wait_s_median": 2400.0},
        {"source": "mail", "target": "call", "count": 1, "wait_s_mean": 0.0,
         "wait_s_median": 0.0},
        {"source": "mail", "target": "offer", "count": 1, "wait_s_mean": 1800.0,
         "wait_s_median": 1800.0},
        {"source": "visit", "target": "form", "count": 1, "wait_s_mean": 1.000001,
         "wait_s_median": 1.000001},
    ]  # fmt: skip


def test_start_and_end_activities_count_cases(graph: Dfg) -> None:
    assert graph.to_dict()["start_activities"] == {"call": 3, "mail": 1, "visit": 1}
    assert graph.to_dict()["end_activities"] == {"call": 1, "form": 1, "offer": 3}


def test_timestamp_ties_follow_file_order(graph: Dfg) -> None:
    pairs = {(edge.source, edge.target) for edge in graph.edges}
    assert ("mail", "call") in pairs
    assert ("call", "mail") in pairs  # only from c1, whose call comes first by time


def test_an_empty_log_has_an_empty_graph(engine: Engine) -> None:
    assert dfg(engine.read_events(TINY.slice(0, 0))).to_dict() == {
        "edges": [],
        "start_activities": {},
        "end_activities": {},
    }


def _assert_equals_pm4py(graph: Dfg, frame: object) -> None:
    counts, starts, ends = pm4py_call("discover_dfg", frame)
    performance = pm4py_call("discover_performance_dfg", frame)[0]
    assert {(e.source, e.target): e.count for e in graph.edges} == dict(counts)
    assert dict(graph.start_activities) == dict(starts)
    assert dict(graph.end_activities) == dict(ends)
    for edge in graph.edges:
        theirs = performance[(edge.source, edge.target)]
        assert math.isclose(edge.wait_s_mean, theirs["mean"], rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(edge.wait_s_median, theirs["median"], rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dfg_equals_pm4py_on_generated_logs(duckdb: Engine, seed: int) -> None:
    table = generated_log(seed)
    _assert_equals_pm4py(dfg(duckdb.read_events(table)), pm4py_frame(table))


@pytest.mark.realdata
def test_dfg_equals_pm4py_on_the_receipt_log(duckdb: Engine, receipt_csv: Path) -> None:
    table = receipt(receipt_csv)
    graph = dfg(duckdb.read_events(table))
    assert sum(edge.count for edge in graph.edges) == 8577 - 1434
    _assert_equals_pm4py(graph, pm4py_frame(table))
