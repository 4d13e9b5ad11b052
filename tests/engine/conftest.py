"""Fixtures for the engine tests: a tiny canonical event table, in memory and as Parquet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

# With --doctest-modules pytest would import this file a second time as the module "conftest",
# which clashes with the other conftest.py files; it holds no doctests.
collect_ignore = ["conftest.py"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "spark: runs on a local PySpark session (deselect with -m 'not spark')"
    )


@pytest.fixture
def canonical() -> pa.Table:
    """Two cases, three events; one event without resource and no groups at all."""
    at = [datetime(2024, 1, 1, hour, tzinfo=UTC) for hour in (9, 10, 9)]
    return pa.table(
        {
            "case_id": ["c1", "c1", "c2"],
            "activity": ["call", "offer", "call"],
            "timestamp": pa.array(at, pa.timestamp("us", tz="UTC")),
            "resource": ["ann", None, "bob"],
            "group": pa.nulls(3, pa.string()),
            "position": pa.array([0, 1, 2], pa.int64()),
            "channel": ["web", "web", "mail"],
        }
    )


@pytest.fixture
def canonical_parquet(canonical: pa.Table, tmp_path: Path) -> Path:
    path = tmp_path / "events.parquet"
    pq.write_table(canonical, path)
    return path
