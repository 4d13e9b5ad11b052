"""Activity, resource and group as dictionaries: from any input, through Parquet and back."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from orglens.errors import InvalidWorkspace, UsageError
from orglens.io.eventlog import import_report, read_events, write_events
from orglens.io.events_canonical import canonical_events
from orglens.io.events_columns import LABEL, labels, row_positions
from orglens.io.events_time import TIMESTAMP

HOUR = 3_600_000_000


def raw_log(**columns: pa.Array | pa.ChunkedArray) -> pa.Table:
    base: dict[str, pa.Array | pa.ChunkedArray] = {
        "case": pa.array(["c1", "c1", "c2", "c2"]),
        "activity": pa.array(["lead", "won", "lead", "lost"]),
        "timestamp": pa.array([0, HOUR, 0, 2 * HOUR], TIMESTAMP),
        "resource": pa.array(["ann", "bob", None, "ann"]),
        "group": pa.array(["Sales", "Sales", "EMPTY", "Marketing"]),
    }
    return pa.table({**base, **columns})


def texts(table: pa.Table, name: str) -> list[object]:
    return list(table.column(name).to_pylist())


def test_labels_are_dictionaries_of_distinct_texts_shared_by_every_chunk() -> None:
    column = pa.chunked_array([["won", "lost"], ["lost", "open", None]])
    encoded = labels(column)
    assert encoded.type == LABEL
    dictionaries = [chunk.dictionary for chunk in encoded.chunks]
    assert all(d.equals(dictionaries[0]) for d in dictionaries)
    assert sorted(dictionaries[0].to_pylist()) == ["lost", "open", "won"]
    assert encoded.to_pylist() == column.to_pylist()


@pytest.mark.parametrize(
    "activity",
    [
        pa.array(["lead", "won", "lead", "lost"]).dictionary_encode(),
        pc.cast(
            pa.array(["lead", "won", "lead", "lost"]).dictionary_encode(),
            pa.dictionary(pa.int8(), pa.string()),
        ),
        pa.chunked_array(
            [
                pa.DictionaryArray.from_arrays([0, 1], ["lead", "won"]),
                pa.DictionaryArray.from_arrays([1, 0], ["lost", "lead"]),
            ]
        ),
        pa.DictionaryArray.from_arrays([0, 1, 2, 3], ["lead", "won", "lead", "lost"]),
        pa.array(["lead", "won", "lead", "lost"], pa.large_string()),
    ],
    ids=["dictionary", "int8 codes", "chunks apart", "repeated texts", "large string"],
)
def test_any_activity_column_becomes_the_same_dictionary_column(
    activity: pa.Array | pa.ChunkedArray,
) -> None:
    table = canonical_events(raw_log(activity=activity), "log")
    reference = canonical_events(raw_log(), "log")
    assert table.schema.field("activity").type == LABEL
    assert texts(table, "activity") == ["lead", "won", "lead", "lost"]
    assert import_report(table) == import_report(reference)
    values = table.column("activity").chunk(0).dictionary
    assert pc.count_distinct(values).as_py() == len(values)


def test_blank_resources_in_a_dictionary_become_null() -> None:
    resource = pa.DictionaryArray.from_arrays([0, 1, None, 2], ["ann", "  ", ""])
    table = canonical_events(raw_log(resource=resource), "log")
    assert texts(table, "resource") == ["ann", None, None, None]
    report = import_report(table)
    assert (report.resources, report.events_without_resource) == (1, 3)


def test_a_blank_activity_in_a_dictionary_is_refused_with_its_event() -> None:
    activity = pa.DictionaryArray.from_arrays([0, 0, 1, 0], ["lead", " "])
    with pytest.raises(InvalidWorkspace, match="event #3 has no activity"):
        canonical_events(raw_log(activity=activity), "log")


def test_a_null_typed_group_column_is_an_empty_group() -> None:
    table = canonical_events(raw_log(group=pa.nulls(4)), "log")
    assert table.schema.field("group").type == LABEL
    assert texts(table, "group") == [None] * 4
    assert import_report(table).groups == 0


def test_numbers_as_activities_become_their_text() -> None:
    table = canonical_events(raw_log(activity=pa.array([10, 20, 10, 30])), "log")
    assert texts(table, "activity") == ["10", "20", "10", "30"]


def test_dictionary_columns_round_trip_through_parquet(tmp_path: Path) -> None:
    table = canonical_events(raw_log(), "log")
    again = read_events(write_events(table, tmp_path / "events.parquet"))
    assert again.schema == table.schema
    assert again.to_pylist() == table.to_pylist()
    assert import_report(again) == import_report(table)


def test_text_label_columns_are_written_and_read_back_as_dictionaries(tmp_path: Path) -> None:
    table = canonical_events(raw_log(), "log")
    for position, name in ((1, "activity"), (3, "resource"), (4, "group")):
        table = table.set_column(position, name, pc.cast(table.column(name), pa.string()))
    out = write_events(table, tmp_path / "events.parquet")
    assert pq.read_schema(out).field("activity").type == pa.string()
    again = read_events(out)
    assert again.schema.field("activity").type == LABEL
    assert again.to_pylist() == table.to_pylist()
    assert import_report(again) == import_report(table)


def test_write_events_refuses_other_label_types(tmp_path: Path) -> None:
    table = canonical_events(raw_log(), "log")
    wrong = table.set_column(1, "activity", pc.cast(table.column("activity"), pa.large_string()))
    with pytest.raises(UsageError, match="activity \\(large_string\\)"):
        write_events(wrong, tmp_path / "x.parquet")


def test_a_foreign_parquet_log_reads_its_labels_as_dictionaries(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    note = pa.array(["x", "y", None, "x"])
    pq.write_table(raw_log(amount=pa.array([1, 2, 3, 4]), note=note), path, row_group_size=2)
    table = read_events(path)
    assert table.schema.field("case_id").type == table.schema.field("note").type == pa.string()
    assert texts(table, "note") == ["x", "y", None, "x"]
    assert [table.schema.field(name).type for name in ("activity", "resource", "group")] == [
        LABEL,
        LABEL,
        LABEL,
    ]
    assert texts(table, "group") == ["Sales", "Sales", "EMPTY", "Marketing"]
    assert table.schema.field("amount").type == pa.int64()
    assert import_report(table).placeholders == {"group": {"EMPTY": 1}}


def test_a_parquet_log_mapped_to_other_columns_reads_them_as_dictionaries(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.parquet"
    pq.write_table(raw_log(owner=pa.array(["x", "y", "x", "y"])), path)
    table = read_events(path, resource="owner")
    assert table.schema.field("resource").type == LABEL
    assert texts(table, "resource") == ["x", "y", "x", "y"]
    assert texts(table, "source_resource") == ["ann", "bob", None, "ann"]


def test_row_positions_count_from_zero() -> None:
    assert row_positions(0).to_pylist() == []
    assert row_positions(4).type == pa.int64()
    assert row_positions(4).to_pylist() == [0, 1, 2, 3]
