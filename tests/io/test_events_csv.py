"""CSV event logs read with typed columns give the table the all-text read gives."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from orglens.errors import InvalidWorkspace
from orglens.io import events_csv
from orglens.io.csv_lines import csv_line_finder
from orglens.io.eventlog import import_report, read_events, write_events
from orglens.io.events_canonical import canonical_events
from orglens.io.events_columns import LABEL
from orglens.io.events_csv import read_csv_text, typed_extras
from orglens.io.events_time import TIMESTAMP

HEADER = "case,activity,timestamp,resource,group,amount,code,note\n"


def row(i: int, timestamp: str) -> str:
    return f"c{i % 7},act{i % 3},{timestamp},r{i % 4},G{i % 2},{i * 10},{i + 100},note {i}\n"


def zoned(i: int) -> str:
    return f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"


def naive(i: int) -> str:
    return f"2024-01-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{i % 7:02d}"


def write_log(tmp_path: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    data = (header + "".join(rows)).encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def text_read(path: Path, mapping: Mapping[str, str | None] | None = None) -> pa.Table:
    """The log read the way it was before typed reading: every column as text, then parsed."""
    given = dict(mapping or {})
    raw = typed_extras(read_csv_text(path), given)
    return canonical_events(raw, path.name, given, line_of=csv_line_finder(path))


def plain(table: pa.Table) -> pa.Table:
    """``table`` in one chunk per column, dictionaries decoded, to compare values and types."""
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = pc.cast(column, column.type.value_type)
        columns[name] = column.combine_chunks()
    return pa.table(columns)


def assert_same_tables(typed: pa.Table, text: pa.Table) -> None:
    assert plain(typed).equals(plain(text))
    assert import_report(typed) == import_report(text)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The column types of every Arrow read of a CSV file, with a 256-byte sample."""
    monkeypatch.setattr(events_csv, "_SAMPLE_BYTES", 256)
    seen: list[dict[str, Any]] = []
    original = events_csv._arrow_read

    def spy(
        path: Path, layout: Any, types: Mapping[str, Any], progress: Any, **options: Any
    ) -> pa.Table:
        # "_one_line": read assuming a row per line (no line break inside a cell)
        one_line = options.get("one_line_rows", False)
        seen.append(dict(zip(layout.names, types.values(), strict=True)) | {"_one_line": one_line})
        return original(path, layout, types, progress, **options)

    monkeypatch.setattr(events_csv, "_arrow_read", spy)
    return seen


def test_zoned_timestamps_are_read_typed_with_dictionary_labels(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    path = write_log(tmp_path, "log.csv", [row(i, zoned(i)) for i in range(300)])
    table = read_events(path)
    assert len(reads) == 1
    assert reads[0]["_one_line"]
    assert reads[0]["timestamp"] == TIMESTAMP
    assert reads[0]["activity"] == reads[0]["resource"] == reads[0]["group"] == LABEL
    assert reads[0]["case"] == reads[0]["note"] == pa.string()
    assert [table.schema.field(name).type for name in ("activity", "resource", "group")] == [
        LABEL,
        LABEL,
        LABEL,
    ]
    assert_same_tables(table, text_read(path))


def test_naive_timestamps_are_read_typed_and_taken_as_utc(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    path = write_log(tmp_path, "log.csv", [row(i, naive(i)) for i in range(300)])
    table = read_events(path)
    assert reads[0]["timestamp"] == pa.timestamp("us")
    assert table.schema.field("timestamp").type == TIMESTAMP
    assert_same_tables(table, text_read(path))


def test_a_date_only_after_the_sample_falls_back_to_text_with_the_same_table(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, zoned(i)) for i in range(300)]
    rows[250] = row(250, "2024-03-05")
    path = write_log(tmp_path, "log.csv", rows)
    table = read_events(path)
    assert [read["timestamp"] for read in reads] == [TIMESTAMP, pa.string()]
    assert table.column("timestamp")[250].as_py().isoformat() == "2024-03-05T00:00:00+00:00"
    assert_same_tables(table, text_read(path))


def test_a_zoned_time_among_naive_ones_after_the_sample_falls_back(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, naive(i)) for i in range(300)]
    rows[299] = row(299, "2024-03-05T10:00:00+02:00")
    path = write_log(tmp_path, "log.csv", rows)
    table = read_events(path)
    assert [read["timestamp"] for read in reads] == [pa.timestamp("us"), pa.string()]
    assert table.column("timestamp")[299].as_py().isoformat() == "2024-03-05T08:00:00+00:00"
    assert_same_tables(table, text_read(path))


@pytest.mark.parametrize(
    "timestamps",
    [
        ["2024-01-02", "2024-01-01T10:00:00+02:00"],  # mixed from the first rows
        ["1709301900000", "1709301960000"],  # epoch milliseconds
        [" 2024-01-02 ", "2024-01-03"],  # padded
        ["2024/01/02 10:00", "2024/01/03 11:00"],  # slashes
    ],
)
def test_timestamps_the_typed_read_cannot_take_are_read_as_text(
    tmp_path: Path, reads: list[dict[str, Any]], timestamps: list[str]
) -> None:
    path = write_log(tmp_path, "log.csv", [row(i, timestamps[i % 2]) for i in range(100)])
    table = read_events(path)
    assert reads[-1]["timestamp"] == pa.string()
    assert_same_tables(table, text_read(path))


def test_a_bad_timestamp_after_the_sample_names_its_line(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, naive(i)) for i in range(300)]
    rows[280] = row(280, "31/02/2024")
    path = write_log(tmp_path, "log.csv", rows)
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert str(error.value).startswith(
        "log.csv:282: event #281 has timestamp '31/02/2024', which is not a date"
    )


def test_numbers_are_decided_on_distinct_values_as_on_text(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    header = "case,activity,timestamp,amount,score,late_zero,late_text,zip,blank\n"
    rows = [f"c{i % 5},a,{naive(i)},{i % 9},{i / 4},{i},{i % 3},0{i % 9},\n" for i in range(300)]
    rows[290] = f"c1,a,{naive(290)},1,2.5,0042,x,01,\n"
    path = write_log(tmp_path, "log.csv", rows, header)
    table = read_events(path)
    assert {name: reads[0][name] for name in ("amount", "score", "late_zero", "zip")} == {
        "amount": LABEL,
        "score": LABEL,
        "late_zero": LABEL,
        "zip": pa.string(),  # a leading zero in the sample: text for sure
    }
    kinds = {name: table.schema.field(name).type for name in table.column_names[6:]}
    assert kinds == {
        "amount": pa.int64(),
        "score": pa.float64(),
        "late_zero": pa.string(),
        "late_text": LABEL,  # text whose values repeat stays dictionary-encoded
        "zip": pa.string(),
        "blank": pa.string(),
    }
    assert_same_tables(table, text_read(path))


def test_an_empty_unnamed_trailing_column_is_dropped_and_a_filled_one_kept(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [f"c{i % 3},a,{zoned(i)},,{'x' if i == 250 else ''}\n" for i in range(300)]
    path = write_log(tmp_path, "log.csv", rows, "case,activity,timestamp,,\n")
    table = read_events(path)
    assert table.column_names[6:] == ["unnamed_5"]
    assert_same_tables(table, text_read(path))


def test_quoted_line_breaks_across_the_sample_end_read_as_one_value(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, zoned(i)).replace(f"note {i}", f'"note\n{i}"') for i in range(300)]
    path = write_log(tmp_path, "log.csv", rows)
    table = read_events(path)
    assert not reads[0]["_one_line"]  # the sample shows line breaks in cells
    assert table.column("note")[5].as_py() == "note\n5"
    assert_same_tables(table, text_read(path))


def test_line_breaks_in_cells_after_the_sample_are_read_again_the_careful_way(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    # Over two of Arrow's 1 MiB blocks: split at line ends, the rows go out of step.
    rows = [
        row(i, zoned(i)).replace(f"note {i}", f'"note\n{i}"' if i >= 100 else f"note {i}")
        for i in range(40_000)
    ]
    path = write_log(tmp_path, "log.csv", rows)
    table = read_events(path)
    assert [read["_one_line"] for read in reads] == [True, False]
    assert table.column("note")[30_000].as_py() == "note\n30000"
    assert_same_tables(table, text_read(path))


def test_blank_cells_are_handled_on_the_dictionary_as_on_text(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, naive(i)) for i in range(300)]
    rows[10] = f"c1,a,{naive(10)}, ,  ,1,2,x\n"
    rows[20] = f'c1,a,{naive(20)},"",EMPTY,1,2,x\n'
    path = write_log(tmp_path, "log.csv", rows)
    table = read_events(path)
    assert table.column("resource")[10].as_py() is None
    assert table.column("group")[10].as_py() is None
    assert table.column("resource")[20].as_py() is None
    assert_same_tables(table, text_read(path))
    assert import_report(table).placeholders == {"group": {"EMPTY": 1}}


def test_a_gzipped_log_and_a_semicolon_export_read_typed(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, zoned(i)) for i in range(300)]
    gz = write_log(tmp_path, "log.csv.gz", rows)
    semicolon = write_log(
        tmp_path,
        "excel.csv",
        [line.replace(",", ";") for line in rows],
        "sep=;\n" + HEADER.replace(",", ";"),
    )
    for path in (gz, semicolon):
        table = read_events(path)
        assert reads[-1]["timestamp"] == TIMESTAMP
        assert_same_tables(table, text_read(path))


def test_a_mapping_the_header_lacks_is_refused_as_before(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    path = write_log(tmp_path, "log.csv", [row(i, zoned(i)) for i in range(10)])
    with pytest.raises(InvalidWorkspace, match="column 'owner' \\(given for resource\\)"):
        read_events(path, resource="owner")
    assert [read["timestamp"] for read in reads] == [pa.string()]


def test_progress_reaches_the_file_size_when_the_typed_read_falls_back(
    tmp_path: Path, reads: list[dict[str, Any]]
) -> None:
    rows = [row(i, zoned(i)) for i in range(300)]
    rows[299] = row(299, "2024-03-05")
    path = write_log(tmp_path, "log.csv", rows)
    calls: list[tuple[int, int]] = []
    read_events(path, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert len(reads) == 2
    assert calls[-1] == (size, size)


def test_reading_a_log_does_not_import_pandas(tmp_path: Path) -> None:
    # pyarrow imports pandas the first time it converts a Python value: seconds on a cold start.
    csv = write_log(tmp_path, "log.csv", [row(i, zoned(i)) for i in range(100)])
    parquet = write_events(read_events(csv), tmp_path / "log.parquet")
    script = (
        "import sys\n"
        "from orglens.io.eventlog import read_events\n"
        f"read_events({str(csv)!r})\n"
        f"read_events({str(parquet)!r})\n"
        f"read_events({str(parquet)!r}, case='case_id')\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_csv_header_reads_the_names_from_the_first_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"sep=;\n Prospect ID ;Converted;\n" + b"p1;0;\n" * 50_000)
    assert events_csv.csv_header(path) == ["Prospect ID", "Converted", "unnamed_3"]
    assert read_csv_text(path).column_names == ["Prospect ID", "Converted"]
