"""Opening engines and reading the canonical event table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orglens.engine import (
    EVENT_COLUMNS,
    EngineUnavailable,
    connect,
    local_spark_session,
)
from orglens.errors import InvalidWorkspace, OrglensError, UsageError
from orglens.io.eventlog import write_events


def test_connect_opens_in_process_duckdb_by_default() -> None:
    assert connect().name == "duckdb"


def test_duckdb_engines_accept_the_array_lambdas_ibis_generates() -> None:
    for engine in (connect(), connect("duckdb://")):
        doubled = ibis.literal([1, 2]).map(lambda x: x * 2)
        assert engine.backend.to_pyarrow(doubled).as_py() == [2, 4]


def test_connect_takes_an_ibis_backend_as_it_is() -> None:
    backend = ibis.duckdb.connect()
    assert connect(backend).backend is backend


def test_connect_refuses_an_unknown_url() -> None:
    with pytest.raises(UsageError, match="cannot open the engine 'nosuch://x'"):
        connect("nosuch://x")


def test_connect_refuses_an_object_that_is_no_engine() -> None:
    with pytest.raises(UsageError, match="cannot run on 'int'"):
        connect(42)


def test_a_missing_engine_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "ibis.backends.pyspark", None)
    with pytest.raises(EngineUnavailable, match=r"pip install 'orglens\[spark\]'"):
        connect("pyspark://")


def test_spark_without_pyspark_says_to_install_the_spark_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(EngineUnavailable) as raised:
        local_spark_session()
    assert "pip install 'orglens[spark]'" in str(raised.value)
    assert isinstance(raised.value, ImportError)
    assert isinstance(raised.value, OrglensError)


def test_a_spark_session_without_ibis_pyspark_says_to_install_the_spark_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = type("SparkSession", (), {"__module__": "pyspark.sql.session"})()
    monkeypatch.setitem(sys.modules, "ibis.backends.pyspark", None)
    with pytest.raises(EngineUnavailable, match=r"orglens\[spark\]"):
        connect(session)


def test_read_events_reads_parquet_and_keeps_every_attribute(canonical_parquet: Path) -> None:
    events = connect().read_events(canonical_parquet)
    assert list(events.columns) == [*EVENT_COLUMNS, "channel"]
    assert events.count().to_pyarrow().as_py() == 3


def test_read_events_reads_a_folder_of_parquet_parts(canonical: pa.Table, tmp_path: Path) -> None:
    (tmp_path / "log").mkdir()
    pq.write_table(canonical.slice(0, 2), tmp_path / "log" / "part-0.parquet")
    pq.write_table(canonical.slice(2), tmp_path / "log" / "part-1.parquet")
    events = connect().read_events(tmp_path / "log")
    assert sorted(events.case_id.to_pyarrow().to_pylist()) == ["c1", "c1", "c2"]


def test_read_events_takes_an_arrow_table_with_an_all_null_column(canonical: pa.Table) -> None:
    without_groups = canonical.set_column(4, "group", pa.nulls(3))
    events = connect().read_events(without_groups)
    assert events.schema()["group"].is_string()
    assert events.resource.isnull().sum().to_pyarrow().as_py() == 1


def test_read_events_says_which_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace, match="does not exist"):
        connect().read_events(tmp_path / "nowhere.parquet")


def test_read_events_names_missing_and_existing_columns(canonical: pa.Table) -> None:
    renamed = canonical.rename_columns(
        ["case", "activity", "timestamp", "resource", "group", "position", "channel"]
    )
    with pytest.raises(InvalidWorkspace) as raised:
        connect().read_events(renamed)
    message = str(raised.value)
    assert "lacks the column(s) 'case_id'" in message
    assert "it has 'case', 'activity'" in message


def test_read_events_refuses_timestamps_stored_as_text(canonical: pa.Table) -> None:
    as_text = canonical.set_column(2, "timestamp", pa.array(["2024-01-01"] * 3))
    with pytest.raises(InvalidWorkspace, match="'timestamp' is string"):
        connect().read_events(as_text)


def test_default_duckdb_returns_what_ibis_returns() -> None:
    # The default engine reads results without Ibis's pandas-importing converter: same tables.
    events = pa.table(
        {"k": ["a", "b", None], "n": [1, 2, 3], "x": [0.5, None, 1.5]},
    )
    lean, stock = connect().backend, ibis.duckdb.connect()
    for query in (
        lambda t: t.group_by("k").aggregate(total=t.n.sum(), mean=t.x.mean()).order_by("k"),
        lambda t: t.select(t.k, nothing=ibis.null(), typed=ibis.null("int64")),
        lambda t: t.n.max(),
        lambda t: ibis.null(),
        lambda t: t.x,
    ):
        got = lean.to_pyarrow(query(ibis.memtable(events)))
        want = stock.to_pyarrow(query(ibis.memtable(events)))
        assert type(got) is type(want)
        assert got.equals(want)


def test_mining_on_the_default_engine_never_imports_pandas(tmp_path: Path) -> None:
    # pandas takes 0.3-0.5 s to import: a fifth of a million-event `orglens mine`. (pyarrow
    # imports it to convert Python values: the log is written here and read by the child.)
    log = tmp_path / "events.parquet"
    write_events(
        pa.table(
            {
                "case_id": ["c", "c", "d"],
                "activity": ["a", "b", "a"],
                "timestamp": pa.array([0, 60, 0], pa.timestamp("us", tz="UTC")),
                "resource": ["x", "y", None],
                "group": ["g", "h", "g"],
                "position": [0, 1, 2],
            }
        ),
        log,
    )
    script = (
        "import sys\n"
        "from orglens.engine import connect\n"
        "from orglens.io.eventlog import read_events\n"
        "from orglens.mining import EventLog, dfg, handover, unit_handoffs\n"
        f"log = EventLog(connect().read_events(read_events({str(log)!r})))\n"
        "assert dfg(log).edges and handover(log).edges\n"
        "assert unit_handoffs(log, unit='group').pairs\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_the_engine_imports_nothing_of_io() -> None:
    # The engine sits below io: io reads files onto it, never the other way round.
    script = (
        "import sys\n"
        "from orglens.engine import connect\n"
        "connect().read_events\n"
        "print(sorted(name for name in sys.modules if name.startswith('orglens.io')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
