"""The one place that opens an Ibis backend, and reads the canonical event table into it.

In-process DuckDB unless the caller names another engine of :data:`SUPPORTED_ENGINES`: an Ibis
URL (``"duckdb:///FILE.db"``, ``"pyspark://"``), an Ibis backend already connected, or a PySpark
``SparkSession``. Other backends (SQLite, Polars, Postgres...) are refused up front. The
mining algorithms (:mod:`orglens.mining`) take the table :meth:`Engine.read_events` gives and
never learn which engine runs them.

The canonical event table has the columns ``case_id`` (string), ``activity`` (string),
``timestamp`` (timestamp, UTC), ``resource`` and ``group`` (strings, nullable) and ``position``
(int64: the event's order in its source file, which breaks timestamp ties), plus any other
attributes. On DuckDB the timestamps are UTC values held without a zone (``TIMESTAMP``, not
``TIMESTAMPTZ``): DuckDB computes differences of zoned timestamps through a calendar library,
about 15 times slower, and every value is the same. Events of a case are ordered by
``timestamp``, ties by ``position``; positions must be unique within a case, or engines may
order tied events differently.

>>> import pyarrow as pa, datetime as dt
>>> log = pa.table({
...     "case_id": ["c1", "c1"], "activity": ["call", "offer"],
...     "timestamp": pa.array([dt.datetime(2024, 1, 1, 9), dt.datetime(2024, 1, 1, 10)],
...                           pa.timestamp("us", tz="UTC")),
...     "resource": ["ann", "bob"], "group": ["sales", "sales"], "position": [0, 1]})
>>> engine = connect()
>>> engine.name
'duckdb'
>>> engine.read_events(log).count().to_pyarrow().as_py()
2
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import tempfile
import uuid
import warnings
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis  # type: ignore[import-untyped]
import ibis.expr.datatypes as dt  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, OrglensError, Problem, UsageError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = [
    "EVENT_COLUMNS",
    "SUPPORTED_ENGINES",
    "Engine",
    "EngineUnavailable",
    "connect",
    "local_spark_session",
    "mask_password",
]

#: The columns every canonical event table has (``resource`` and ``group`` may hold nulls).
EVENT_COLUMNS = ("case_id", "activity", "timestamp", "resource", "group", "position")

#: The Ibis backends every analysis of orglens runs on (and is tested on). SQLite runs queries
#: only in the thread that opened it, Polars lacks the window functions the miner needs; other
#: backends are untested: each is refused up front rather than failing halfway.
SUPPORTED_ENGINES = ("duckdb", "pyspark")

_SPARK_HINT = "install the Spark extra: pip install 'orglens[spark]'"


class EngineUnavailable(ImportError, OrglensError):
    """The engine a user asked for needs a package that is not installed."""

    def __init__(self, problem: Problem) -> None:
        self.problems = [problem]
        super().__init__(str(problem))


@dataclass(frozen=True, eq=False)
class Engine:
    """An open Ibis backend that reads event tables; build one with :func:`connect`.

    Attributes
    ----------
    backend
        The Ibis backend (``ibis.BaseBackend``) every expression of this engine runs on.
    """

    backend: Any

    @property
    def name(self) -> str:
        """The Ibis backend's name: ``"duckdb"``, ``"pyspark"``, ``"postgres"``..."""
        return str(self.backend.name)

    def read_events(self, source: str | Path | pa.Table) -> ir.Table:
        """The canonical event table of ``source`` as a lazy Ibis table on this engine.

        Parameters
        ----------
        source
            A Parquet file (or folder of Parquet files) written by ``orglens import``, or an
            Arrow table with the same columns. DuckDB scans an Arrow table in place, without a
            copy; a Spark engine reads Parquet directly, while an Arrow table is first written
            to a scratch Parquet file for it. The text columns may be dictionary-encoded.

        Raises
        ------
        InvalidWorkspace
            When the file does not exist, or a canonical column is missing or has the wrong
            type.
        """
        if isinstance(source, pa.Table):
            table = self._from_arrow(source)
            origin = "<arrow table>"
        else:
            path = Path(source)
            if not path.exists():
                raise InvalidWorkspace(
                    Problem(
                        f"event log {str(path)!r} does not exist",
                        "give the Parquet file written by `orglens import`",
                        file=str(path),
                    )
                )
            with _quiet_ibis():
                table = self.backend.read_parquet(
                    self._parquet_source(path), table_name=_fresh_name()
                )
            origin = str(path)
        _check_event_schema(table, origin)
        if self.name == "duckdb" and table.schema()["timestamp"].timezone is not None:
            # The session's zone is UTC (Ibis sets it), so this keeps every value.
            table = table.mutate(timestamp=table.timestamp.cast(dt.Timestamp(scale=6)))
        return table

    def _parquet_source(self, path: Path) -> str:
        if path.is_dir() and self.name != "pyspark":
            # Spark reads a folder of part files as one table; the others need a glob.
            return str(path / "**" / "*.parquet")
        return str(path)

    def _from_arrow(self, events: pa.Table) -> ir.Table:
        # An all-null column (say, no event has a group) is inferred as Arrow's null type,
        # which engines cannot store: it is a column of strings that are all missing.
        events = events.cast(
            pa.schema(
                field.with_type(pa.string()) if pa.types.is_null(field.type) else field
                for field in events.schema
            )
        )
        if self.name == "pyspark":
            # Spark ingests in-memory Arrow slowly (seconds even for small tables, see
            # STACK-NOTES) but reads Parquet quickly.
            import pyarrow.parquet as pq  # type: ignore[import-untyped]

            path = _scratch_folder(self.backend) / f"{_fresh_name()}.parquet"
            pq.write_table(events, path)
            with _quiet_ibis():
                return self.backend.read_parquet(str(path), table_name=_fresh_name())
        name = _fresh_name()
        if self.name == "duckdb":
            if "timestamp" in events.column_names and pa.types.is_timestamp(
                events.schema.field("timestamp").type
            ):
                # The same UTC values without the zone: no copy (see _check_event_schema).
                position = events.column_names.index("timestamp")
                kind = events.schema.field("timestamp").type
                events = events.set_column(
                    position, "timestamp", events.column(position).cast(pa.timestamp(kind.unit))
                )
            # DuckDB scans the Arrow table where it is (no copy): the log is in memory once.
            self.backend.con.register(name, events)
            with _quiet_ibis():
                return self.backend.table(name)
        with _quiet_ibis():
            return self.backend.create_table(name, obj=events, temp=True)


_SCRATCH: weakref.WeakKeyDictionary[Any, Path] = weakref.WeakKeyDictionary()


def _scratch_folder(backend: Any) -> Path:
    """A temporary folder that lives as long as ``backend``.

    Tables read from it hold their backend, so the files stay while any table needs them.
    """
    if backend not in _SCRATCH:
        folder = Path(tempfile.mkdtemp(prefix="orglens-engine-"))
        weakref.finalize(backend, shutil.rmtree, folder, ignore_errors=True)
        _SCRATCH[backend] = folder
    return _SCRATCH[backend]


def connect(backend: str | object | None = None) -> Engine:
    """Open the engine the mining runs on.

    Parameters
    ----------
    backend
        ``None`` for in-process DuckDB; a string is an Ibis connection URL of an engine of
        :data:`SUPPORTED_ENGINES` (``"duckdb://"``, ``"duckdb:///path.db"``, ``"pyspark://"``);
        a PySpark ``SparkSession`` runs on Spark (see :func:`local_spark_session`); an Ibis
        backend object of a supported engine is used as it is.

    Raises
    ------
    EngineUnavailable
        When the engine's Python package is missing (the message says what to install).
    UsageError
        When the URL or backend is not of a supported engine (the message lists them), or
        the engine cannot be opened; a password in the URL is shown as ``***``.

    Examples
    --------
    >>> connect().name
    'duckdb'
    >>> connect("duckdb://").name
    'duckdb'
    """
    if backend is None:
        from orglens.engine import _duckdb

        opened = _duckdb.connect()
    elif isinstance(backend, str):
        opened = _connect_url(backend)
    elif _is_spark_session(backend):
        opened = _connect_spark(backend)
    elif isinstance(backend, ibis.BaseBackend):
        if backend.name not in SUPPORTED_ENGINES:
            raise UsageError(
                Problem(
                    f"cannot run on Ibis's {backend.name!r} backend: orglens runs its analyses "
                    f"on {_supported()} only",
                    "pass nothing (DuckDB), a DuckDB backend or a SparkSession",
                )
            )
        opened = backend
    else:
        raise UsageError(
            Problem(
                f"cannot run on {type(backend).__name__!r}",
                "pass nothing (DuckDB), an Ibis URL, an Ibis backend or a SparkSession",
            )
        )
    if opened.name == "duckdb":
        _enable_duckdb_lambdas(opened)
        if backend is None or isinstance(backend, str):
            _quiet_and_lean(opened)
    return Engine(opened)


def local_spark_session(*, cores: int = 2, scratch: str | Path | None = None) -> SparkSession:
    """Start (or reuse) a local Spark session set up for orglens, e.g. for tests.

    Spark binds to 127.0.0.1 (``SPARK_LOCAL_IP``, unless already set), runs without its web UI
    and console progress bars, reads and writes timestamps in UTC, keeps its warehouse in a
    scratch folder (a fixed ``spark-warehouse`` folder makes a second run fail), and uses
    ``cores`` shuffle partitions without adaptive query execution, which only adds planning
    time when all partitions live on one machine.

    Parameters
    ----------
    cores
        Local worker threads (``local[cores]``).
    scratch
        Folder for the warehouse; a new temporary folder when ``None``.

    Raises
    ------
    EngineUnavailable
        When PySpark is not installed.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as missing:
        raise EngineUnavailable(Problem("PySpark is not installed", _SPARK_HINT)) from missing
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    warehouse = Path(scratch or tempfile.mkdtemp(prefix="orglens-spark-")) / "warehouse"
    builder: Any = SparkSession.builder
    session = (
        builder.master(f"local[{cores}]")
        .appName("orglens")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session  # type: ignore[no-any-return]


@contextlib.contextmanager
def _quiet_ibis() -> Iterator[None]:
    # Ibis 12 reads table schemas with DuckDB's `fetch_arrow_table()`, which DuckDB 2
    # deprecates; the warning is Ibis's to fix and says nothing to an orglens user.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", category=DeprecationWarning
        )
        yield


def _fresh_name() -> str:
    return f"orglens_events_{uuid.uuid4().hex}"


def _connect_url(url: str) -> Any:
    scheme = url.split("://", 1)[0].lower() if "://" in url else url.lower()
    shown = mask_password(url)
    if scheme not in SUPPORTED_ENGINES:
        raise UsageError(
            Problem(
                f"cannot open the engine {shown!r}: orglens runs its analyses on "
                f"{_supported()} only, not {scheme!r}",
                "leave --engine out for in-process DuckDB, or give 'duckdb:///FILE.db' or "
                "'pyspark://' (pip install 'orglens[spark]')",
                "--engine",
            )
        )
    try:
        if url.lower() == "pyspark://":
            # The local session orglens sets up (UTC, no web UI or progress bars, a scratch
            # warehouse removed when the process ends), rather than Spark's defaults.
            scratch = Path(tempfile.mkdtemp(prefix="orglens-spark-"))
            atexit.register(shutil.rmtree, scratch, ignore_errors=True)
            return _connect_spark(local_spark_session(scratch=scratch))
        return ibis.connect(url)
    except ImportError as missing:
        hint = _SPARK_HINT if scheme == "pyspark" else f"pip install 'ibis-framework[{scheme}]'"
        raise EngineUnavailable(
            Problem(f"the engine {scheme!r} needs a package that is not installed", hint)
        ) from missing
    except Exception as failed:  # a file that cannot be opened, a bad password...
        raise UsageError(
            Problem(
                f"cannot open the engine {shown!r}: {_without_secret(str(failed), url)}",
                f"give a URL of {_supported('or')} that can be opened, such as 'duckdb://' or "
                "'duckdb:///FILE.db'",
                "--engine",
            )
        ) from None


def mask_password(url: str) -> str:
    """``url`` with the password of its user part, if any, shown as ``***``.

    Examples
    --------
    >>> mask_password("postgres://ann:s3cret@db.example/crm")
    'postgres://ann:***@db.example/crm'
    >>> mask_password("duckdb:///tmp/x.db")
    'duckdb:///tmp/x.db'
    """
    return _CREDENTIALS.sub(r"\1***@", url)


_CREDENTIALS = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:)[^/@]*@")


def _without_secret(text: str, url: str) -> str:
    found = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:([^/@]*)@", url)
    text = text.replace(url, mask_password(url))
    if found and found.group(1):
        text = text.replace(found.group(1), "***")
    return text.splitlines()[0] if text.strip() else type(text).__name__


def _supported(conjunction: str = "and") -> str:
    return f" {conjunction} ".join(repr(name) for name in SUPPORTED_ENGINES)


def _is_spark_session(obj: object) -> bool:
    # Checked by name so that PySpark is imported only when a session is actually given.
    kind = type(obj)
    return kind.__name__ == "SparkSession" and kind.__module__.startswith("pyspark.")


def _connect_spark(session: object) -> Any:
    try:
        import ibis.backends.pyspark  # type: ignore[import-untyped]
    except ImportError as missing:
        raise EngineUnavailable(Problem("PySpark is not installed", _SPARK_HINT)) from missing
    return ibis.pyspark.connect(session)


def _enable_duckdb_lambdas(backend: Any) -> None:
    import duckdb

    # DuckDB 1.3 deprecated the `x -> body` lambdas Ibis generates; DuckDB 2 rejects them unless
    # this setting is on. Older versions do not know the setting and need nothing.
    if tuple(int(part) for part in duckdb.__version__.split(".")[:2]) >= (1, 3):
        backend.raw_sql("SET lambda_syntax='ENABLE_SINGLE_ARROW'")


def _quiet_and_lean(backend: Any) -> None:
    """Settings for a DuckDB that orglens opened itself.

    No progress bar: DuckDB draws its own on the terminal for queries longer than two seconds,
    in the middle of orglens's output. Freed memory goes back to the system after each task
    above 16 MiB (DuckDB keeps up to 128 MiB by default, and 512 MiB after a bulk free): a
    10-million-event log then peaks about 120 MB lower, at no measurable cost in time.
    In Jupyter without ipywidgets DuckDB refuses to touch the setting at all (it draws no bar
    there either): that refusal is no reason to fail.
    """
    import duckdb

    try:
        backend.raw_sql("SET enable_progress_bar = false")
    except duckdb.InvalidInputException as error:
        if "ipywidgets" not in str(error):
            raise
    backend.raw_sql("SET allocator_flush_threshold = '16MiB'")
    backend.raw_sql("SET allocator_bulk_deallocation_flush_threshold = '16MiB'")


def _check_event_schema(table: ir.Table, origin: str) -> None:
    schema = table.schema()
    present = list(schema.names)
    missing = [name for name in EVENT_COLUMNS if name not in schema]
    if missing:
        raise InvalidWorkspace(
            Problem(
                f"event table lacks the column(s) {', '.join(map(repr, missing))}; "
                f"it has {', '.join(map(repr, present))}",
                "import the log with `orglens import`, which writes the canonical columns",
                file=origin,
            )
        )
    expected = {
        "case_id": dt.String,
        "activity": dt.String,
        "timestamp": dt.Timestamp,
        "resource": dt.String,
        "group": dt.String,
        "position": dt.Integer,
    }
    wrong = [
        f"{name!r} is {schema[name]}"
        for name, kind in expected.items()
        if not isinstance(schema[name], kind)
    ]
    if wrong:
        raise InvalidWorkspace(
            Problem(
                f"event table has column(s) of the wrong type: {'; '.join(wrong)}",
                "import the log with `orglens import`, which writes the canonical types",
                file=origin,
            )
        )
