"""The ``engine`` fixture: every mining test that takes it runs on DuckDB and on local Spark.

Spark starts once per test session (slow: 10–25 s) and only if a Spark test is selected;
``-m "not spark"`` deselects all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventlogs import SPARK_NOISE

from orglens.engine import Engine, connect, local_spark_session

# With --doctest-modules pytest would import this file a second time as the module "conftest",
# which clashes with the other conftest.py files; it holds no doctests.
collect_ignore = ["conftest.py"]


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'orglens[spark]')")
    session = local_spark_session(scratch=tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


@pytest.fixture(
    scope="module",
    params=["duckdb", pytest.param("spark", marks=[pytest.mark.spark, *SPARK_NOISE])],
)
def engine(request: pytest.FixtureRequest) -> Engine:
    if request.param == "spark":
        return connect(request.getfixturevalue("spark_session"))
    return connect()


@pytest.fixture(scope="session")
def duckdb() -> Engine:
    """DuckDB alone, for the comparisons with PM4Py (the engines agree: see test_engines)."""
    return connect()


@pytest.fixture(scope="session")
def receipt_csv(shared_data: Path) -> Path:
    """The WABO receipt log (8,577 events, 1,434 cases) exported by PM4Py to CSV."""
    return shared_data / "eventlogs" / "receipt.csv"
