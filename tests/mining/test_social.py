"""Handover of work and working together, checked by hand and against PM4Py."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pytest
from eventlogs import (
    assert_same_values,
    generated_log,
    log,
    pm4py_call,
    pm4py_frame,
    receipt,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.engine import Engine
from orglens.errors import UsageError
from orglens.mining import SocialNetwork, handover, working_together

# ann works in group M, bob in group S. c2's middle event has no resource (nor group); c4 has
# no resource at all.
TINY = log(
    ("c1", "call", 0, "ann", "M"),
    ("c1", "mail", 10, "bob", "S"),
    ("c1", "offer", 20, "ann", "M"),
    ("c2", "call", 0, "ann", "M"),
    ("c2", "note", 5, None, None),
    ("c2", "offer", 10, "bob", "S"),
    ("c3", "call", 0, "bob", "S"),
    ("c3", "mail", 1, "bob", "S"),
    ("c4", "visit", 0, None, None),
)


def _edges(network: SocialNetwork) -> dict[tuple[str, str], tuple[int, float]]:
    return {(e.source, e.target): (e.count, e.value) for e in network.edges}


@pytest.fixture(scope="module")
def events(engine: Engine) -> object:
    return engine.read_events(TINY)


def test_handover_values_are_shares_of_all_successions(events: object) -> None:
    # Successions: c1 ann→bob, bob→ann; c2 ann→bob (the event without resource is left out);
    # c3 bob→bob (a self-handover counts). Four in all.
    assert _edges(handover(events)) == {
        ("ann", "bob"): (2, 0.5),
        ("bob", "ann"): (1, 0.25),
        ("bob", "bob"): (1, 0.25),
    }


def test_handover_with_beta_weighs_later_events_by_decay(events: object) -> None:
    # Pairs i<j weigh 0.5**(j-i-1): c1 ann→bob 1, ann→ann 0.5, bob→ann 1; c2 ann→bob 1;
    # c3 bob→bob 1. Total 4.5; counts stay the direct successions.
    got = _edges(handover(events, beta=0.5))
    assert got.keys() == {("ann", "bob"), ("ann", "ann"), ("bob", "ann"), ("bob", "bob")}
    expected = {
        ("ann", "bob"): (2, 2 / 4.5),
        ("ann", "ann"): (0, 0.5 / 4.5),
        ("bob", "ann"): (1, 1 / 4.5),
        ("bob", "bob"): (1, 1 / 4.5),
    }
    for key, (count, value) in expected.items():
        assert got[key][0] == count
        assert math.isclose(got[key][1], value, rel_tol=1e-12)


def test_handover_between_groups_uses_the_group_column(events: object) -> None:
    network = handover(events, resource="group")
    assert _edges(network) == {
        ("M", "S"): (2, 0.5),
        ("S", "M"): (1, 0.25),
        ("S", "S"): (1, 0.25),
    }
    assert network.matrix() == {"M": {"S": 0.5}, "S": {"M": 0.25, "S": 0.25}}


def test_working_together_counts_cases_shared_over_all_cases(events: object) -> None:
    # ann and bob both work in c1 and c2; the log has 4 cases (c4 without any resource).
    assert _edges(working_together(events)) == {
        ("ann", "bob"): (2, 0.5),
        ("bob", "ann"): (2, 0.5),
    }


@pytest.mark.parametrize("beta", [-0.1, 1.5, math.nan])
def test_handover_refuses_a_beta_outside_zero_to_one(duckdb: Engine, beta: float) -> None:
    with pytest.raises(UsageError, match="beta"):
        handover(duckdb.read_events(TINY), beta=beta)


def test_an_unknown_resource_column_names_the_existing_ones(duckdb: Engine) -> None:
    with pytest.raises(UsageError, match=r"no column 'team'.*'resource'"):
        working_together(duckdb.read_events(TINY), resource="team")


def _pm4py_handover(frame: object, beta: float, key: str) -> dict[tuple[str, str], float]:
    network = pm4py_call("discover_handover_of_work_network", frame, beta=beta, resource_key=key)
    return dict(network.connections)


@pytest.mark.parametrize("beta", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("column", ["resource", "group"])
@pytest.mark.parametrize("seed", [7, 8])
def test_handover_equals_pm4py_on_generated_logs(
    duckdb: Engine, seed: int, column: str, beta: float
) -> None:
    table = generated_log(seed)
    ours = handover(duckdb.read_events(table), beta=beta, resource=column)
    theirs = _pm4py_handover(pm4py_frame(table), beta, f"org:{column}")
    assert_same_values({(e.source, e.target): e.value for e in ours.edges}, theirs)


@pytest.mark.parametrize("beta", [0.0, 0.5])
def test_handover_skips_events_without_resource_like_pm4py_on_the_filtered_log(
    duckdb: Engine, beta: float
) -> None:
    table = generated_log(9, missing=0.2)
    ours = handover(duckdb.read_events(table), beta=beta)
    theirs = _pm4py_handover(pm4py_frame(table, drop_missing="resource"), beta, "org:resource")
    assert_same_values({(e.source, e.target): e.value for e in ours.edges}, theirs)


EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3"]),
        st.sampled_from(["call", "mail"]),
        st.integers(0, 4),  # few distinct minutes: many timestamp ties
        st.sampled_from(["ann", "bob", "cy", None]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(events=EVENTS, beta=st.sampled_from([0.0, 0.5, 1.0]))
def test_handover_equals_pm4py_on_any_small_log(
    duckdb: Engine, events: list[tuple[str, str, int, str | None]], beta: float
) -> None:
    table = log(*events)
    ours = handover(duckdb.read_events(table), beta=beta)
    frame = pm4py_frame(table, drop_missing="resource")
    if not ours.edges:  # PM4Py raises on a log without any succession
        assert (frame.groupby("case:concept:name").size() <= 1).all()
        return
    assert math.isclose(math.fsum(e.value for e in ours.edges), 1.0, rel_tol=1e-12)
    theirs = _pm4py_handover(frame, beta, "org:resource")
    assert_same_values({(e.source, e.target): e.value for e in ours.edges}, theirs)


def test_handover_counts_are_the_direct_successions(duckdb: Engine) -> None:
    table = generated_log(10)
    events = duckdb.read_events(table)
    direct = {(e.source, e.target): e.count for e in handover(events).edges}
    decayed = {(e.source, e.target): e.count for e in handover(events, beta=0.5).edges}
    assert {key: count for key, count in decayed.items() if count} == direct


def _pm4py_working_together(frame: object) -> dict[tuple[str, str], float]:
    # PM4Py's EventLog variant divides by the number of cases, as the metric is defined.
    traces = pm4py_call("convert_to_event_log", frame)
    return dict(pm4py_call("discover_working_together_network", traces).connections)


@pytest.mark.parametrize("seed", [11, 12])
def test_working_together_equals_pm4py_on_generated_logs(duckdb: Engine, seed: int) -> None:
    table = generated_log(seed)
    ours = working_together(duckdb.read_events(table))
    theirs = _pm4py_working_together(pm4py_frame(table))
    assert_same_values({(e.source, e.target): e.value for e in ours.edges}, theirs)


def test_working_together_divides_by_all_cases_even_without_resources(duckdb: Engine) -> None:
    table = generated_log(13, missing=0.3)
    ours = working_together(duckdb.read_events(table))
    frame = pm4py_frame(table, drop_missing="resource")
    theirs = _pm4py_working_together(frame)
    cases_with_resource = frame["case:concept:name"].nunique()
    all_cases = len(set(table.column("case_id").to_pylist()))
    assert cases_with_resource < all_cases
    assert_same_values(
        {(e.source, e.target): e.value * all_cases / cases_with_resource for e in ours.edges},
        theirs,
    )


def test_pm4py_dataframe_working_together_divides_by_events_not_cases(duckdb: Engine) -> None:
    # Why orglens matches PM4Py's EventLog variant: on a DataFrame, PM4Py divides by len(df).
    table = generated_log(14)
    ours = working_together(duckdb.read_events(table))
    theirs = dict(pm4py_call("discover_working_together_network", pm4py_frame(table)).connections)
    cases = len(set(table.column("case_id").to_pylist()))
    assert_same_values(
        {(e.source, e.target): e.value * cases / table.num_rows for e in ours.edges}, theirs
    )


@pytest.fixture(scope="module")
def receipt_log(receipt_csv: Path) -> pa.Table:
    return receipt(receipt_csv)


@pytest.mark.realdata
@pytest.mark.parametrize(("column", "beta"), [("resource", 0.0), ("resource", 0.5), ("group", 0.0)])
def test_handover_equals_pm4py_on_the_receipt_log(
    duckdb: Engine, receipt_log: pa.Table, column: str, beta: float
) -> None:
    ours = handover(duckdb.read_events(receipt_log), beta=beta, resource=column)
    theirs = _pm4py_handover(pm4py_frame(receipt_log), beta, f"org:{column}")
    assert_same_values({(e.source, e.target): e.value for e in ours.edges}, theirs)


@pytest.mark.realdata
def test_working_together_equals_pm4py_on_the_receipt_log(
    duckdb: Engine, receipt_log: pa.Table
) -> None:
    ours = working_together(duckdb.read_events(receipt_log))
    theirs = _pm4py_working_together(pm4py_frame(receipt_log))
    assert_same_values({(e.source, e.target): e.value for e in ours.edges}, theirs)


@pytest.mark.realdata
def test_road_traffic_has_no_handover_as_only_one_event_per_case_has_a_resource(
    duckdb: Engine, shared_data: Path
) -> None:
    # 290 of the 390 events of this real log have no org:resource: each case has one officer's
    # "Create Fine" and then events of the post and the prefecture. Nobody hands work to
    # anybody; PM4Py raises on the missing resources instead.
    frame = pm4py_call("read_xes", str(shared_data / "eventlogs" / "roadtraffic100traces.xes"))
    table = pa.table(
        {
            "case_id": pa.array(frame["case:concept:name"].astype(str), pa.string()),
            "activity": pa.array(frame["concept:name"].astype(str), pa.string()),
            "timestamp": pa.array(frame["time:timestamp"].dt.as_unit("us")),
            "resource": pa.array(frame["org:resource"], pa.string()),
            "group": pa.nulls(len(frame), pa.string()),
            "position": pa.array(range(len(frame)), pa.int64()),
        }
    )
    assert table.column("resource").null_count == 290
    events = duckdb.read_events(table)
    assert handover(events).edges == ()
    assert handover(events, beta=0.5).edges == ()
    assert working_together(events).edges == ()
    with pytest.raises(TypeError):
        _pm4py_handover(pm4py_frame(table), 0.0, "org:resource")


def test_handover_edges_are_in_python_order_when_the_engine_sorts_text_otherwise() -> None:
    # Codes follow the engine's order of names; with a case-blind collation "a" comes before
    # "B", which Python puts after it. The edges still come in Python's (code-point) order.
    from orglens.engine import connect

    engine = connect()
    engine.backend.raw_sql("SET default_collation = 'nocase'")
    events = engine.read_events(
        log(("c1", "call", 0, "a", None), ("c1", "mail", 1, "B", None), ("c1", "x", 2, "a", None))
    )
    assert [(e.source, e.target) for e in handover(events).edges] == [("B", "a"), ("a", "B")]
