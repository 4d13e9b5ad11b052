"""CSV and Parquet event logs: column mapping, timestamps, quirks reported, bad input refused."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.errors import InvalidWorkspace, UsageError
from orglens.io.eventlog import import_report, read_events, write_events
from orglens.io.events_canonical import CANONICAL_COLUMNS, canonical_events
from orglens.io.events_time import TIMESTAMP, parse_timestamps

UTC = dt.UTC


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def only_problem(error: pytest.ExceptionInfo[InvalidWorkspace]) -> str:
    assert len(error.value.problems) == 1, error.value.problems
    return str(error.value.problems[0])


def column(table: pa.Table, name: str) -> list[object]:
    return list(table.column(name).to_pylist())


def test_xes_column_names_are_found_in_a_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case:concept:name,concept:name,time:timestamp,org:resource,org:group,case:group\n"
        "c1,Register,2024-01-01 09:00:00,r1,G1,case group\n",
    )
    table = read_events(path)
    assert table.column_names[:6] == list(CANONICAL_COLUMNS)
    assert table.to_pylist()[0] == {
        "case_id": "c1",
        "activity": "Register",
        "timestamp": dt.datetime(2024, 1, 1, 9, tzinfo=UTC),
        "resource": "r1",
        "group": "G1",
        "position": 0,
        "case:group": "case group",
    }


def test_crm_column_names_are_found_ignoring_case_and_spaces(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "deals.csv",
        "Deal ID,Stage,CreatedDate,Sales Agent,Team\nd1,Qualified,2024-01-01,ann,East\n",
    )
    table = read_events(path)
    assert import_report(table).mapping == {
        "case": "Deal ID",
        "activity": "Stage",
        "timestamp": "CreatedDate",
        "resource": "Sales Agent",
        "group": "Team",
    }
    assert table.select(["case_id", "resource", "group"]).to_pylist() == [
        {"case_id": "d1", "resource": "ann", "group": "East"}
    ]


def test_a_given_column_mapping_wins_over_detection(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case_id,activity,timestamp,resource,handled_by,unit\nc1,a,2024-01-01,bot,ann,Sales\n",
    )
    table = read_events(path, resource="HANDLED_BY", group="unit")
    assert column(table, "resource") == ["ann"]
    assert column(table, "group") == ["Sales"]
    assert column(table, "source_resource") == ["bot"]


def test_a_misnamed_column_is_reported_with_the_columns_that_exist(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "case,activity,when\nc1,a,2024-01-01\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path, timestamp="time")
    message = only_problem(error)
    assert message.startswith("log.csv:1: column 'time' (given for timestamp) is not in the file")
    assert "'case', 'activity', 'when'" in message


def test_a_log_without_case_and_timestamp_columns_names_both(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "who,activity\nann,a\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    messages = [problem.what for problem in error.value.problems]
    assert [message.split(" (")[0] for message in messages] == [
        "no case column found",
        "no timestamp column found",
    ]
    assert all("--case" in str(p) or "--timestamp" in str(p) for p in error.value.problems)


def test_an_unparsable_timestamp_names_file_line_and_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        'case,activity,timestamp\nc1,"two\nlines",2024-01-01\n\nc1,b,31/02/2024\n',
    )
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith(
        "log.csv:5: event #2 has timestamp '31/02/2024', which is not a date — write it as ISO"
    )


def test_an_event_without_timestamp_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "case,activity,timestamp\nc1,a,2024-01-01\nc1,b,\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith("log.csv:3: event #2 has no timestamp")


def test_an_event_without_case_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "case,activity,timestamp\n ,a,2024-01-01\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith("log.csv:2: event #1 has no case")


@pytest.mark.parametrize("text", ["", "case,activity,timestamp\n"])
def test_an_empty_log_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "log.csv", text))
    assert "log.csv" in only_problem(error)
    assert "empty" in only_problem(error) or "no events" in only_problem(error)


def test_offsets_become_utc_and_timestamps_without_one_are_taken_as_utc(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp\n"
        "c1,a,2024-03-01T10:00:00+02:00\n"
        "c1,b,2024-03-01 10:00\n"
        "c1,c,2024-03-01T10:00:00.123Z\n"
        "c1,d,2024-03-01T10:00:00-0500\n",
    )
    assert column(read_events(path), "timestamp") == [
        dt.datetime(2024, 3, 1, 8, tzinfo=UTC),
        dt.datetime(2024, 3, 1, 10, tzinfo=UTC),
        dt.datetime(2024, 3, 1, 10, 0, 0, 123000, tzinfo=UTC),
        dt.datetime(2024, 3, 1, 15, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", dt.datetime(2024, 3, 1, tzinfo=UTC)),
        ("2024/03/01 14:05", dt.datetime(2024, 3, 1, 14, 5, tzinfo=UTC)),
        ("1709301900000", dt.datetime(2024, 3, 1, 14, 5, tzinfo=UTC)),
        ("2024-03-01T14:05:00.123456789+01:00", dt.datetime(2024, 3, 1, 13, 5, 0, 123456, UTC)),
        ("0001-01-01T00:00:00", dt.datetime(1, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_timestamps_reads_common_export_formats(text: str, expected: dt.datetime) -> None:
    assert parse_timestamps(pa.array([text])).to_pylist() == [expected]


@settings(deadline=None)  # the first call imports pandas (pyarrow does, lazily)
@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_parse_timestamps_agrees_with_python_on_any_offset(
    moment: dt.datetime, minutes: int
) -> None:
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    aware = moment.replace(tzinfo=zone)
    parsed = parse_timestamps(pa.array([aware.isoformat(), moment.isoformat()])).to_pylist()
    assert parsed == [aware.astimezone(UTC), moment.replace(tzinfo=UTC)]


def test_date_only_timestamps_are_midnight_and_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "case,activity,date\nc1,a,2024-01-01\nc1,b,2024-01-01\n")
    report = import_report(read_events(path))
    assert (report.events_at_midnight, report.timestamp_ties) == (2, 1)
    assert any("dates without a time of day" in warning for warning in report.warnings)


def test_position_is_the_order_in_the_source(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp\nc2,x,2024-01-02\nc1,b,2024-01-01\nc1,a,2024-01-01\n",
    )
    table = read_events(path)
    assert column(table, "position") == [0, 1, 2]
    assert column(table, "activity") == ["x", "b", "a"]


def test_other_columns_are_kept_and_clear_numbers_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp,amount,score,zip,note\n"
        "c1,a,2024-01-01,100,0.5,01234,hello\n"
        "c1,b,2024-01-02,,1.5,02000,\n",
    )
    table = read_events(path)
    assert table.schema.field("amount").type == pa.int64()
    assert table.schema.field("score").type == pa.float64()
    assert column(table, "zip") == ["01234", "02000"]
    assert column(table, "note") == ["hello", None]


def test_events_without_resource_are_kept_counted_and_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp,resource\n"
        "c1,a,2024-01-01 09:00,ann\nc1,b,2024-01-02 10:00,\nc1,c,2024-01-03 11:00, \n",
    )
    table = read_events(path)
    report = import_report(table)
    assert column(table, "resource") == ["ann", None, None]
    assert (report.events_without_resource, report.resources) == (2, 1)
    assert report.warnings == (
        "no group column found (looked for org:group, group, team, team_id, ...): group is "
        "empty; name one with --group COLUMN",
        "2 of 3 events have no resource; they are kept, and analyses of who handed work to whom "
        "skip them",
    )


def test_a_placeholder_group_is_kept_as_a_group_and_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp,org:group\nc1,a,2024-01-01,EMPTY\nc1,b,2024-01-02,EMPTY\n"
        "c1,c,2024-01-03,Group 1\n",
    )
    table = read_events(path)
    report = import_report(table)
    assert column(table, "group") == ["EMPTY", "EMPTY", "Group 1"]
    assert (report.groups, report.placeholders) == (2, {"group": {"EMPTY": 2}})
    assert "group value 'EMPTY' on 2 events looks like a placeholder" in " ".join(report.warnings)


def test_a_case_that_goes_back_in_time_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp\nc1,contact,2024-01-05\nc2,contact,2024-01-01\n"
        "c1,won,2024-01-04\nc2,won,2024-01-02\n",
    )
    report = import_report(read_events(path))
    assert report.cases_out_of_order == 1
    assert "1 case has an event dated earlier" in " ".join(report.warnings)


def test_a_semicolon_delimited_export_with_excel_marker_reads(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "sep=;\ncase;activity;timestamp\nc1;a;2024-01-01\n")
    assert column(read_events(path), "activity") == ["a"]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", b"case,activity,timestamp\nc1,a,2024-01-01\nc1,\xe9,2024\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith("log.csv:3: the file is not UTF-8 text")


def test_a_csv_gz_reads_and_a_truncated_one_is_refused(tmp_path: Path) -> None:
    data = gzip.compress(b"case,activity,timestamp\n" + b"c1,a,2024-01-01\n" * 5000)
    assert read_events(write(tmp_path, "log.csv.gz", data)).num_rows == 5000
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "cut.csv.gz", data[: len(data) // 2]))
    assert "damaged or truncated" in only_problem(error)


def test_progress_is_reported_up_to_the_file_size(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "case,activity,timestamp\n" + "c1,a,2024-01-01\n" * 100)
    calls: list[tuple[int, int]] = []
    read_events(path, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls and calls[-1] == (size, size)


def test_parquet_round_trip_keeps_rows_positions_and_report(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "log.csv",
        "case,activity,timestamp,org:group\nc1,b,2024-01-02,EMPTY\nc1,a,2024-01-01,EMPTY\n",
    )
    table = read_events(source)
    out = write_events(table, tmp_path / "events.parquet")
    again = read_events(out)
    assert again.to_pylist() == table.to_pylist()
    assert import_report(again) == import_report(table)


def test_parquet_timestamp_types_become_utc(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    pq.write_table(
        pa.table(
            {
                "case_id": [1, 1],
                "activity": ["a", "b"],
                "ts": pa.array([0, 3_600_000_000_000], pa.timestamp("ns", "Europe/Amsterdam")),
                "day": pa.array([dt.date(2024, 1, 1), dt.date(2024, 1, 2)]),
            }
        ),
        path,
    )
    table = read_events(path, timestamp="ts")
    assert table.schema.field("timestamp").type == TIMESTAMP
    assert column(table, "case_id") == ["1", "1"]
    assert column(table, "timestamp")[1] == dt.datetime(1970, 1, 1, 1, tzinfo=UTC)
    assert column(read_events(path, timestamp="day"), "timestamp")[0] == dt.datetime(
        2024, 1, 1, tzinfo=UTC
    )


def test_a_damaged_parquet_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "log.parquet", b"PAR1 not really"))
    assert only_problem(error).startswith("log.parquet: the file cannot be read as Parquet")


def test_numbers_are_not_taken_for_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"case": ["c"], "activity": ["a"], "timestamp": [5]}), path)
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert "holds int64 values, not timestamps" in only_problem(error)


def test_write_events_leaves_nothing_behind_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = read_events(write(tmp_path, "log.csv", "case,activity,timestamp\nc1,a,2024-01-01\n"))
    target = write(tmp_path, "events.parquet", b"the old file")

    def fail(table: pa.Table, where: str) -> None:
        Path(where).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", fail)
    with pytest.raises(OSError, match="disk full"):
        write_events(table, target)
    assert target.read_bytes() == b"the old file"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events.parquet", "log.csv"]


def test_write_events_refuses_a_table_that_is_not_canonical(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a canonical event table: case_id"):
        write_events(pa.table({"case": ["c"]}), tmp_path / "x.parquet")
    assert not list(tmp_path.iterdir())


def test_an_unknown_file_type_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace, match="not an event log orglens reads"):
        read_events(write(tmp_path, "log.json", "{}"))
    with pytest.raises(InvalidWorkspace, match="does not exist"):
        read_events(tmp_path / "nothing.csv")


def test_canonical_events_refuses_an_unknown_role() -> None:
    with pytest.raises(UsageError, match="unknown role"):
        canonical_events(pa.table({"a": [1]}), "t", {"person": "a"})


@pytest.mark.realdata
def test_receipt_csv_matches_its_published_counts(shared_data: Path) -> None:
    table = read_events(shared_data / "eventlogs" / "receipt.csv")
    report = import_report(table)
    assert (report.events, report.cases, report.activities) == (8577, 1434, 27)
    assert (report.resources, report.groups, report.events_without_resource) == (48, 10, 0)
    assert report.placeholders == {"group": {"EMPTY": 1936}}
    assert "case:department" in table.column_names


# --- misshapen CSV rows, nested and foreign Parquet ---------------------------------------------

HEADER = "case,activity,timestamp\n"
ROW = "c1,call,2024-01-01T09:00:00Z\n"


def test_a_csv_row_with_an_extra_cell_is_named_by_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", HEADER + ROW * 3 + "c1,call,x,2024-01-01T10:00:00Z\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error) == (
        "log.csv:5: the row has 4 cells where the header has 3 — put cells that contain the "
        "delimiter ',' in double quotes"
    )


def test_a_csv_row_with_too_few_cells_is_named_by_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", HEADER + ROW + "c1,call\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith("log.csv:3: the row has 2 cells where the header has 3")


def test_an_unclosed_quote_is_named_at_the_line_it_opens(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", HEADER + ROW + 'c1,"call,2024-01-01T10:00:00Z\n' + ROW)
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith(
        "log.csv:3: a quote opened on this line runs on to line 4"
    )


def test_csv_errors_never_show_arrows_own_words(tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv.gz", gzip.compress((HEADER + ROW + "a,b,c,d\n").encode()))
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    message = only_problem(error)
    assert message.startswith("log.csv.gz:3: ")
    assert "Expected" not in message and "CSV parse error" not in message


def test_a_nested_parquet_column_mapped_to_a_role_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    at = pa.array([dt.datetime(2024, 1, 1, tzinfo=UTC)] * 2, TIMESTAMP)
    pq.write_table(pa.table({"case": ["c1", "c1"], "steps": [["a"], ["b", "c"]], "at": at}), path)
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path, case="case", activity="steps", timestamp="at")
    assert only_problem(error) == (
        "nested.parquet: the activity column 'steps' holds a list or map (list<element: string>) "
        "in each row, not one value — give --activity a column of plain values (flatten the "
        "export, or map another column)"
    )


def test_nested_parquet_columns_that_are_no_role_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    at = pa.array([dt.datetime(2024, 1, 1, tzinfo=UTC)], TIMESTAMP)
    table = pa.table({"case": ["c1"], "activity": ["a"], "at": at, "info": [{"x": 1}]})
    pq.write_table(table, path)
    events = read_events(path, timestamp="at")
    assert events.column("info").to_pylist() == [{"x": 1}]


@pytest.mark.parametrize(
    ("metadata", "why"),
    [
        (b"not json", "it is not JSON"),
        (b"[1, 2]", "it holds a JSON list, not a report"),
        (b'{"events": 1}', "its keys differ from a report's"),
    ],
)
def test_foreign_orglens_import_metadata_is_ignored_with_a_warning(
    tmp_path: Path, metadata: bytes, why: str
) -> None:
    source = write(tmp_path, "log.csv", HEADER + ROW)
    written = write_events(read_events(source), tmp_path / "events.parquet")
    table = pq.read_table(written).replace_schema_metadata({b"orglens.import": metadata})
    pq.write_table(table, written)
    events = read_events(written)
    assert events.num_rows == 1
    (warning,) = [w for w in import_report(events).warnings if "metadata" in w]
    assert warning.startswith(
        f"the file's orglens.import metadata is not a report orglens wrote ({why}"
    )


def test_a_stored_report_that_counts_other_events_is_not_trusted(tmp_path: Path) -> None:
    source = write(tmp_path, "log.csv", HEADER + ROW + ROW.replace("c1", "c2"))
    written = write_events(read_events(source), tmp_path / "events.parquet")
    pq.write_table(pq.read_table(written).slice(0, 1), written)
    report = import_report(read_events(written))
    assert report.events == 1
    assert any("counts 2 events where the file has 1" in w for w in report.warnings)


def test_import_report_of_a_table_with_foreign_metadata_is_made_afresh() -> None:
    table = pa.table(
        {
            "case_id": ["c1"],
            "activity": ["a"],
            "timestamp": pa.array([0], TIMESTAMP),
            "resource": pa.array([None], pa.string()),
            "group": pa.array([None], pa.string()),
            "position": pa.array([0], pa.int64()),
        }
    ).replace_schema_metadata({b"orglens.import": b"{"})
    report = import_report(table)
    assert report.events == 1
    assert report.warnings[0].startswith("the table's report metadata is not orglens's")
