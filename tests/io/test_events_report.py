"""The import report: computed on dictionary codes and in one grouping, it equals the old way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.io.eventlog import import_report
from orglens.io.events_canonical import canonical_events
from orglens.io.events_columns import LABEL
from orglens.io.events_report import PLACEHOLDERS, CaseOrder, ImportReport, case_order
from orglens.io.events_time import TIMESTAMP


def reference_report(table: pa.Table) -> dict[str, Any]:
    """The counts as the report computed them before (text columns, a sort by case)."""
    text = {
        name: pc.cast(table.column(name), pa.string())
        if pa.types.is_dictionary(table.column(name).type)
        else table.column(name)
        for name in ("case_id", "activity", "resource", "group")
    }
    cases = pc.dictionary_encode(text["case_id"].combine_chunks())
    timestamps = table.column("timestamp")
    order = pc.sort_indices(
        pa.table({"case": cases.indices, "position": table.column("position")}),
        sort_keys=[("case", "ascending"), ("position", "ascending")],
    )
    in_case = pc.take(cases.indices, order)
    times = pc.take(timestamps, order)
    same_case = pc.equal(in_case[1:], in_case[:-1])
    earlier = pc.and_(same_case, pc.less(times[1:], times[:-1]))
    tied = pc.and_(same_case, pc.equal(times[1:], times[:-1]))
    midnight = pc.equal(timestamps, pc.floor_temporal(timestamps, unit="day"))
    placeholders = {}
    for column in ("resource", "group"):
        counts = pc.value_counts(text[column].drop_null()).to_pylist()
        found = {
            str(item["values"]): int(item["counts"])
            for item in counts
            if str(item["values"]).strip().lower() in PLACEHOLDERS
        }
        if found:
            placeholders[column] = dict(sorted(found.items()))
    earliest, latest = pc.min(timestamps).as_py(), pc.max(timestamps).as_py()
    return {
        "events": table.num_rows,
        "cases": len(cases.dictionary),
        "activities": pc.count_distinct(text["activity"]).as_py(),
        "resources": pc.count_distinct(text["resource"]).as_py(),
        "groups": pc.count_distinct(text["group"]).as_py(),
        "events_without_resource": text["resource"].null_count,
        "events_without_group": text["group"].null_count,
        "placeholders": placeholders,
        "cases_out_of_order": pc.count_distinct(pc.filter(in_case[1:], earlier)).as_py(),
        "timestamp_ties": pc.sum(tied).as_py() or 0,
        "events_at_midnight": pc.sum(midnight).as_py() or 0,
        "first": earliest.isoformat(),
        "last": latest.isoformat(),
    }


def counts(report: ImportReport) -> dict[str, Any]:
    data = report.to_dict()
    return {key: data[key] for key in reference_report_keys()}


def reference_report_keys() -> tuple[str, ...]:
    return (
        "events",
        "cases",
        "activities",
        "resources",
        "groups",
        "events_without_resource",
        "events_without_group",
        "placeholders",
        "cases_out_of_order",
        "timestamp_ties",
        "events_at_midnight",
        "first",
        "last",
    )


HOUR = 3_600_000_000
events = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3", "c4"]),
        st.sampled_from(["lead", "call", "won"]),
        st.integers(min_value=-48, max_value=48).map(lambda hours: hours * HOUR * 6),
        st.sampled_from(["ann", "bob", "EMPTY", " n/a ", "", None]),
        st.sampled_from(["Sales", "Marketing", "unknown", None]),
    ),
    min_size=1,
    max_size=40,
)


@settings(deadline=None, max_examples=150)
@given(events)
def test_the_report_equals_the_one_computed_the_old_way(rows: list[tuple[Any, ...]]) -> None:
    raw = pa.table(
        {
            "case": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "timestamp": pa.array([r[2] for r in rows], TIMESTAMP),
            "resource": pa.array([r[3] for r in rows], pa.string()),
            "group": pa.array([r[4] for r in rows], pa.string()),
        }
    )
    table = canonical_events(raw, "log")
    assert counts(import_report(table)) == reference_report(table)


@settings(deadline=None, max_examples=150)
@given(events, st.integers(min_value=1, max_value=5))
def test_a_log_in_time_order_in_many_chunks_gets_the_same_counts(
    rows: list[tuple[Any, ...]], chunk: int
) -> None:
    rows = sorted(rows, key=lambda r: r[2])
    raw = pa.table(
        {
            "case": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "timestamp": pa.array([r[2] for r in rows], TIMESTAMP),
        }
    )
    table = canonical_events(pa.Table.from_batches(raw.to_batches(max_chunksize=chunk)), "log")
    assert counts(import_report(table)) == reference_report(table)


@settings(deadline=None, max_examples=100)
@given(events, st.randoms(use_true_random=False))
def test_a_table_in_any_row_order_is_judged_in_position_order(
    rows: list[tuple[Any, ...]], shuffle: Any
) -> None:
    table = pa.table(
        {
            "case_id": [r[0] for r in rows],
            "activity": pa.array([r[1] for r in rows]).dictionary_encode(),
            "timestamp": pa.array([r[2] for r in rows], TIMESTAMP),
            "resource": pa.array([r[3] for r in rows], pa.string()),
            "group": pa.array([r[4] for r in rows], pa.string()),
            "position": pa.array(range(len(rows)), pa.int64()),
        }
    )
    order = list(range(len(rows)))
    shuffle.shuffle(order)
    shuffled = table.take(pa.array(order))
    assert counts(import_report(shuffled)) == reference_report(shuffled)
    assert counts(import_report(shuffled)) == counts(import_report(table))


def test_case_order_counts_steps_back_and_ties_within_each_case() -> None:
    times = pa.array([0, 5, 5, 3, 3, 1], TIMESTAMP)
    cases = pa.chunked_array([["a", "a", "b", "a", "b", "b"]])
    # a: 0, 5, 3 (back once); b: 5, 3, 1 (back twice, one case); tie: none within a case.
    assert case_order(cases, times) == CaseOrder(cases=2, out_of_order=2, ties=0)
    ties = pa.array([0, 0, 0, 1, 1, 1], TIMESTAMP)
    assert case_order(cases, ties) == CaseOrder(cases=2, out_of_order=0, ties=2)


def test_ties_in_a_log_in_time_order_count_each_case_once_per_time() -> None:
    times = pa.array([0, 0, 1, 1, 1, 2, 2, 3], TIMESTAMP)
    cases = pa.chunked_array([["a", "a", "b", "c"], ["b", "c", "d", "d"]])
    # time 0: a, a (one tie); time 1: b, c, b (one); time 2: c, d (none); time 3: d.
    assert case_order(cases, times) == CaseOrder(cases=4, out_of_order=0, ties=2)


def test_events_without_a_case_count_for_nothing_in_a_foreign_table() -> None:
    table = pa.table(
        {
            "case_id": ["a", None, "a", None],
            "activity": ["x", "y", "x", "y"],
            "timestamp": pa.array([2, 1, 1, 0], TIMESTAMP),
            "resource": pa.array([None, None, None, None], pa.string()),
            "group": pa.array([None, None, None, None], pa.string()),
            "position": pa.array([0, 1, 2, 3], pa.int64()),
        }
    )
    report = import_report(table)
    assert (report.cases, report.cases_out_of_order, report.timestamp_ties) == (1, 1, 0)
    assert counts(report) == reference_report(table)


def test_a_foreign_table_with_a_missing_timestamp_is_summarized_as_before() -> None:
    table = pa.table(
        {
            "case_id": ["a", "a", "a"],
            "activity": ["x", "y", "z"],
            "timestamp": pa.array([0, None, HOUR], TIMESTAMP),
            "resource": pa.array([None, None, None], pa.string()),
            "group": pa.array([None, None, None], pa.string()),
            "position": pa.array([0, 1, 2], pa.int64()),
        }
    )
    assert counts(import_report(table)) == reference_report(table)


def test_midnight_first_and_last_are_utc() -> None:
    day = 24 * HOUR
    raw = pa.table(
        {
            "case": ["c", "c", "c", "c"],
            "activity": ["a", "b", "c", "d"],
            "timestamp": pa.array([-day, -day + 1, 0, 3 * day + HOUR], TIMESTAMP),
        }
    )
    report = import_report(canonical_events(raw, "log"))
    assert report.events_at_midnight == 2
    assert (report.first, report.last) == (
        "1969-12-31T00:00:00+00:00",
        "1970-01-04T01:00:00+00:00",
    )


def test_a_foreign_table_with_zoned_timestamps_counts_local_midnights() -> None:
    zone = pa.timestamp("us", "Europe/Amsterdam")
    table = pa.table(
        {
            "case_id": ["c", "c"],
            "activity": ["a", "b"],
            "timestamp": pa.array([dt.datetime(2024, 1, 1, 23), dt.datetime(2024, 1, 2)], zone),
            "resource": pa.array([None, None], pa.string()),
            "group": pa.array([None, None], pa.string()),
            "position": pa.array([0, 1], pa.int64()),
        }
    )
    assert counts(import_report(table)) == reference_report(table)


def test_dictionary_and_text_columns_give_the_same_counts() -> None:
    raw = pa.table(
        {
            "case": ["c1", "c2", "c1"],
            "activity": ["a", "b", "a"],
            "timestamp": pa.array([0, 0, HOUR], TIMESTAMP),
            "resource": ["ann", "EMPTY", "EMPTY"],
            "group": ["x", None, "x"],
        }
    )
    table = canonical_events(raw, "log")
    assert table.schema.field("resource").type == LABEL
    as_text = table.replace_schema_metadata(None)
    for position, name in ((1, "activity"), (3, "resource"), (4, "group")):
        as_text = as_text.set_column(position, name, pc.cast(table.column(name), pa.string()))
    assert counts(import_report(as_text)) == counts(import_report(table))
    assert import_report(table).placeholders == {"resource": {"EMPTY": 2}}
