"""DuckDB and Spark give the same results for every algorithm, on one code path."""

from __future__ import annotations

import ast
import gc
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from eventlogs import assert_close, generated_log, quiet_spark

import orglens.mining
from orglens.engine import Engine, connect
from orglens.io import read_log
from orglens.mining import (
    dfg,
    funnel,
    handoff_sla,
    handover,
    leakage,
    roles,
    speed_to_lead,
    unit_handoffs,
    working_together,
)

UNITS = {"mia": "Marketing", "max": "Marketing", "sam": "Sales", "sue": "Sales", "cai": "Success"}


def _everything(events: Any) -> dict[str, Any]:
    return {
        "dfg": dfg(events).to_dict(),
        "handover": handover(events).to_dict(),
        "handover_beta": handover(events, beta=0.4).to_dict(),
        "group_handover": handover(events, resource="group").to_dict(),
        "working_together": working_together(events).to_dict(),
        "roles": roles(events).to_dict(),
        "unit_handoffs": unit_handoffs(events, unit=UNITS).to_dict(),
        "leakage": leakage(events, unit="group", end_activities=["won", "lost"]).to_dict(),
        "funnel": funnel(events).to_dict(),
        "journey_funnel": funnel(
            events, stages=[("lead", ["form", "mql"]), ("deal", ["demo", "offer"])]
        ).to_dict(),
        "handoff_sla": handoff_sla(events, unit=UNITS).to_dict(),
        "speed_to_lead": speed_to_lead(
            events, function={"mia": "marketing", "max": "marketing", "sam": "sales"}
        ).to_dict(),
    }


@pytest.mark.spark
@quiet_spark
def test_duckdb_and_spark_give_identical_results(
    duckdb: Engine, spark_session: Any, tmp_path: Path
) -> None:
    # Ties, microseconds, events without resource and resources without unit, shuffled rows.
    table: pa.Table = generated_log(41, cases=200, missing=0.1)
    pq.write_table(table, tmp_path / "events.parquet")
    on_duckdb = _everything(duckdb.read_events(table))
    on_spark = _everything(connect(spark_session).read_events(tmp_path / "events.parquet"))
    assert on_duckdb["dfg"]["edges"]  # the comparison compares something
    assert on_duckdb["leakage"]["leaked_cases"] > 0
    assert_close(on_duckdb, on_spark)


@pytest.mark.spark
@quiet_spark
def test_spark_tables_from_arrow_outlive_their_engine(spark_session: Any) -> None:
    events = connect(spark_session).read_events(generated_log(42, cases=5))
    gc.collect()  # the engine object is gone; its scratch Parquet file must not be
    assert events.count().to_pyarrow().as_py() > 0


def test_nothing_in_mining_imports_or_inspects_an_engine() -> None:
    for module in Path(orglens.mining.__file__).parent.glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        }
        assert not {
            name
            for name in imported
            if name.startswith(("duckdb", "pyspark", "orglens.engine", "ibis.backends"))
        }
        touched = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        touched |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert not touched & {"backend", "_find_backend", "get_backend", "Engine"}, module.name


@pytest.mark.spark
@quiet_spark
def test_read_log_opens_spark_while_reading(spark_session: Any, tmp_path: Path) -> None:
    # read_log opens the engine on a second thread: a Spark session given from Python works too.
    log = tmp_path / "events.parquet"
    pq.write_table(generated_log(43, cases=20, missing=0.1), log)
    on_spark = read_log(log, spark_session)
    assert on_spark.get_backend().name == "pyspark"
    assert_close(dfg(on_spark).to_dict(), dfg(read_log(log)).to_dict())
