"""Reading an event log file straight onto an engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from orglens.engine import connect
from orglens.errors import InvalidWorkspace, UsageError
from orglens.io import read_log
from orglens.io.eventlog import read_events


def test_read_log_gives_the_table_reading_then_connecting_gives(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "lead,step,at,owner\n"
        "l1,call,2024-01-01T09:00:00Z,ann\n"
        "l1,offer,2024-01-01T10:00:00Z,bob\n"
        "l2,call,2024-01-02T09:00:00Z,\n"
    )
    mapping = {"case": "lead", "activity": "step", "timestamp": "at", "resource": "owner"}
    got = read_log(log, **mapping).order_by("position").to_pyarrow()
    want = connect().read_events(read_events(log, **mapping)).order_by("position").to_pyarrow()
    assert got.equals(want)
    assert got.column("resource").to_pylist() == ["ann", "bob", None]


def test_read_log_reports_a_bad_file_before_a_bad_engine(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.csv"
    with pytest.raises(InvalidWorkspace):
        read_log(missing, "nosuch://x")
    log = tmp_path / "log.csv"
    log.write_text("case_id,activity,timestamp\nc1,call,2024-01-01T09:00:00Z\n")
    with pytest.raises(UsageError, match="cannot open the engine 'nosuch://x'"):
        read_log(log, "nosuch://x")


def test_read_log_reports_the_bytes_it_reads(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("case_id,activity,timestamp\nc1,call,2024-01-01T09:00:00Z\n")
    seen: list[tuple[int, int]] = []
    read_log(log, progress=lambda done, total: seen.append((done, total)))
    size = log.stat().st_size
    assert seen and seen[-1] == (size, size)
