"""Engine URLs: unsupported backends refused up front, passwords never shown."""

from __future__ import annotations

import os
import sys

import ibis
import pytest

from orglens.engine import SUPPORTED_ENGINES, EngineUnavailable, connect, mask_password
from orglens.errors import UsageError


@pytest.mark.parametrize("url", ["sqlite://", "polars://", "postgres://ann@db.example/crm"])
def test_an_unsupported_engine_url_is_refused_with_the_supported_ones(url: str) -> None:
    with pytest.raises(UsageError) as raised:
        connect(url)
    message = str(raised.value)
    assert message.startswith("--engine: cannot open the engine")
    assert "'duckdb' and 'pyspark' only" in message
    assert "Traceback" not in message


def test_an_unsupported_ibis_backend_object_is_refused() -> None:
    with pytest.raises(UsageError, match=r"Ibis's 'sqlite' backend"):
        connect(ibis.sqlite.connect())


def test_the_supported_engines_are_duckdb_and_spark() -> None:
    assert SUPPORTED_ENGINES == ("duckdb", "pyspark")


def test_a_password_in_an_unsupported_url_is_masked() -> None:
    with pytest.raises(UsageError) as raised:
        connect("postgres://ann:s3cret@db.example:5432/crm")
    assert "s3cret" not in str(raised.value)
    assert "postgres://ann:***@db.example:5432/crm" in str(raised.value)


def test_a_password_is_masked_even_where_the_engine_repeats_it() -> None:
    with pytest.raises(UsageError) as raised:
        connect("duckdb://ann:s3cret@/no/such/folder/x.db")
    message = str(raised.value)
    assert "s3cret" not in message
    assert message.count("***") >= 1


def test_mask_password_leaves_urls_without_one_alone() -> None:
    assert mask_password("duckdb:///tmp/x.db") == "duckdb:///tmp/x.db"
    assert mask_password("pyspark://") == "pyspark://"
    assert mask_password("postgres://ann@host/db") == "postgres://ann@host/db"
    assert mask_password("postgres://ann:pw@host/db") == "postgres://ann:***@host/db"


def test_a_duckdb_file_url_still_opens(tmp_path: object) -> None:
    assert connect(f"duckdb:///{tmp_path}/x.db").name == "duckdb"


def test_the_spark_url_without_pyspark_says_to_install_the_spark_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "ibis.backends.pyspark", None)
    with pytest.raises(EngineUnavailable, match=r"pip install 'orglens\[spark\]'"):
        connect("pyspark://")


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_the_spark_url_the_readme_promises_runs_an_analysis(canonical: object) -> None:
    from orglens.mining import mine

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    engine = connect("pyspark://")
    assert engine.name == "pyspark"
    mined = mine(engine.read_events(canonical), ["dfg"])
    assert mined.to_dict()["start_activities"] == {"call": 2}
