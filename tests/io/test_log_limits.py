"""Compressed event logs stay within a limit of inflated size and leave no temporary files;
long messages stay short."""

from __future__ import annotations

import gzip
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import orglens.io.xes as xes
import orglens.io.xes_rustxes as xes_rustxes
from orglens.errors import InvalidWorkspace, UsageError
from orglens.io import read_events
from orglens.io.xes import read_xes
from orglens.io.xes_common import MAX_INFLATED_VARIABLE, max_inflated_bytes
from orglens.model import Organization, Person

EVENT = (
    '<event><string key="concept:name" value="call"/>'
    '<date key="time:timestamp" value="2024-01-01T09:00:00Z"/></event>\n'
)


def xes_text(events: int) -> bytes:
    return (
        '<log xmlns="http://www.xes-standard.org/">\n<trace>'
        '<string key="concept:name" value="c1"/>\n' + EVENT * events + "</trace>\n</log>\n"
    ).encode()


def gzip_stream(head: bytes, filler: bytes, times: int, tail: bytes) -> bytes:
    """A gzip member of ``head + filler * times + tail``, compressed without holding it whole."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(head)]
    parts += [compressor.compress(filler) for _ in range(times)]
    parts += [compressor.compress(tail), compressor.flush()]
    return b"".join(parts)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary folder every reader writes to, empty at the start."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


@pytest.fixture
def one_mib_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_INFLATED_VARIABLE, "1")


@pytest.fixture
def xes_bomb(tmp_path: Path) -> Path:
    """A 5 KB .xes.gz whose events inflate to 8 MiB."""
    path = tmp_path / "bomb.xes.gz"
    head, tail = xes_text(0).split(b"</trace>")
    filler = EVENT.encode() * 64
    path.write_bytes(gzip_stream(head, filler, (8 << 20) // len(filler), b"</trace>" + tail))
    assert path.stat().st_size < 64 << 10
    return path


@pytest.mark.usefixtures("one_mib_limit")
@pytest.mark.parametrize("reader", ["auto", "expat"])
def test_an_xes_gz_inflating_past_the_limit_is_refused_and_leaves_nothing(
    xes_bomb: Path, scratch: Path, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGLENS_XES_READER", reader)
    with pytest.raises(InvalidWorkspace) as raised:
        read_events(xes_bomb)
    assert str(raised.value) == (
        "bomb.xes.gz: the compressed file inflates to more than 1 MiB, the limit for an event "
        f"log — if it is a real log, raise the limit: set {MAX_INFLATED_VARIABLE} to a number "
        "of MiB (or give the uncompressed file)"
    )
    assert list(scratch.iterdir()) == []


def test_a_truncated_xes_gz_is_refused_by_the_first_pass_without_a_second_read(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = gzip.compress(xes_text(2_000))
    cut = tmp_path / "cut.xes.gz"
    cut.write_bytes(whole[: len(whole) // 2])

    def never(*_: object) -> None:
        raise AssertionError("the file was read again after the first pass found it damaged")

    monkeypatch.setattr(xes, "read_with_expat", never)
    with pytest.raises(InvalidWorkspace) as raised:
        read_xes(cut)
    assert str(raised.value).startswith("cut.xes.gz: the compressed file is damaged or truncated")
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("reader", ["auto", "expat"])
def test_a_truncated_xes_gz_is_one_clear_problem_whichever_reader(
    tmp_path: Path, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGLENS_XES_READER", reader)
    whole = gzip.compress(xes_text(2_000))
    cut = tmp_path / "cut.xes.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InvalidWorkspace) as raised:
        read_events(cut)
    assert len(raised.value.problems) == 1
    assert "damaged or truncated" in str(raised.value)


def test_the_plain_copy_for_rustxes_has_no_name_while_rustxes_reads_it(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rustxes

    log = tmp_path / "log.xes.gz"
    log.write_bytes(gzip.compress(xes_text(3)))
    seen: list[list[Path]] = []
    real = rustxes.import_xes

    def spy(path: str) -> object:
        seen.append(list(scratch.iterdir()))
        return real(path)

    monkeypatch.setattr(rustxes, "import_xes", spy)
    result = read_xes(log)
    assert (result.reader, result.table.num_rows) == ("rustxes", 3)
    assert seen == [[]]
    assert list(scratch.iterdir()) == []


def test_a_log_larger_than_rustxes_reads_goes_to_the_streaming_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.xes"
    log.write_bytes(xes_text(50))
    monkeypatch.setattr(xes_rustxes, "RUSTXES_MAX_BYTES", 1_000)
    result = read_xes(log)
    assert (result.reader, result.table.num_rows) == ("expat", 50)
    assert (
        result.fallback is not None and "the streaming reader needs less memory" in result.fallback
    )


@pytest.mark.usefixtures("one_mib_limit")
def test_a_csv_gz_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    row = b"c1,call,2024-01-01T09:00:00Z\n" * 256
    path.write_bytes(gzip_stream(b"case,activity,timestamp\n", row, (4 << 20) // len(row), b""))
    with pytest.raises(InvalidWorkspace, match=r"^bomb\.csv\.gz: the compressed file inflates"):
        read_events(path)


def test_a_truncated_csv_gz_says_it_is_damaged(tmp_path: Path) -> None:
    whole = gzip.compress(b"case,activity,timestamp\n" + b"c1,call,2024-01-01T09:00:00Z\n" * 5000)
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InvalidWorkspace) as raised:
        read_events(path)
    assert str(raised.value).startswith("cut.csv.gz: the compressed file is damaged or truncated")


def test_a_log_within_the_limit_reads_as_before(tmp_path: Path, one_mib_limit: None) -> None:
    path = tmp_path / "small.xes.gz"
    path.write_bytes(gzip.compress(xes_text(10)))
    assert read_events(path).num_rows == 10


def test_the_limit_of_inflated_size_is_set_in_mib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_INFLATED_VARIABLE, raising=False)
    assert max_inflated_bytes() == 1 << 30
    monkeypatch.setenv(MAX_INFLATED_VARIABLE, "4096")
    assert max_inflated_bytes() == 4 << 30


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_a_limit_that_is_not_a_positive_number_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(MAX_INFLATED_VARIABLE, value)
    with pytest.raises(UsageError, match=f"{MAX_INFLATED_VARIABLE} is {value!r}"):
        max_inflated_bytes()


def test_a_huge_manager_cycle_is_one_short_line_with_its_start_and_length() -> None:
    count = 100_000
    people = [
        Person(id=f"p{i}", manager_id=f"p{(i + 1) % count}", unit="Sales") for i in range(count)
    ]
    with pytest.raises(InvalidWorkspace) as raised:
        Organization(people=tuple(people))
    (problem,) = raised.value.problems
    assert len(str(problem)) < 300
    assert problem.what.startswith("manager cycle: 'p0' → 'p1' → 'p2'")
    assert problem.what.endswith("→ … (100,000 in the cycle)")


def test_a_short_manager_cycle_still_shows_every_member() -> None:
    people = (
        Person(id="a", manager_id="b", unit="Sales"),
        Person(id="b", manager_id="a", unit="Sales"),
    )
    with pytest.raises(InvalidWorkspace) as raised:
        Organization(people=people)
    assert raised.value.problems[0].what == "manager cycle: 'a' → 'b' → 'a'"


def test_the_reader_modules_leave_no_files_in_the_temporary_folder_after_a_good_read(
    tmp_path: Path, scratch: Path
) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(xes_text(5)))
    read_events(path)
    assert list(scratch.iterdir()) == []
    assert os.listdir(scratch) == []


# --- the hostile files at the command line: exit 2, one line, no traceback ------------------


def nested_parquet(folder: Path) -> Path:
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "nested.parquet"
    at = pa.array([dt.datetime(2024, 1, 1, tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC"))
    pq.write_table(pa.table({"case": ["c1"], "activity": [["a"]], "timestamp": at}), path)
    return path


def truncated_xes_gz(folder: Path) -> Path:
    whole = gzip.compress(xes_text(2_000))
    path = folder / "cut.xes.gz"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def fifo_log(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


@pytest.mark.usefixtures("one_mib_limit")
@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda folder: folder / "bomb.xes.gz", "bomb.xes.gz: the compressed file inflates"),
        (truncated_xes_gz, "cut.xes.gz: the compressed file is damaged or truncated"),
        (nested_parquet, "nested.parquet: the activity column 'activity' holds a list"),
        (fifo_log, "is a named pipe (FIFO), not a file"),
    ],
)
def test_a_hostile_log_is_one_message_and_exit_2_at_the_command_line(
    xes_bomb: Path, scratch: Path, build: Callable[[Path], Path], expected: str
) -> None:
    from typer.testing import CliRunner

    from orglens.cli import app

    path = build(xes_bomb.parent)
    result = CliRunner().invoke(app, ["mine", str(path), "--what", "dfg"])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert list(scratch.iterdir()) == []


def test_an_unsupported_engine_is_one_message_and_exit_2_at_the_command_line(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from orglens.cli import app

    log = tmp_path / "log.xes"
    log.write_bytes(xes_text(2))
    url = "postgres://ann:s3cret@db.example/crm"
    result = CliRunner().invoke(app, ["mine", str(log), "--engine", url])
    assert result.exit_code == 2
    assert "'duckdb' and 'pyspark' only" in result.output
    assert "s3cret" not in result.output
