"""An event log file read onto an engine, the engine opened while the file is parsed."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from orglens.engine import Engine, connect
from orglens.io.eventlog import read_events

if TYPE_CHECKING:
    import ibis.expr.types as ir  # type: ignore[import-untyped]
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.io.csv_lines import Progress
    from orglens.io.xes_common import Lifecycle

__all__ = ["read_log"]


def read_log(
    path: str | os.PathLike[str],
    /,
    backend: str | object | None = None,
    *,
    lifecycle: Lifecycle = "complete",
    progress: Progress | None = None,
    on_read: Callable[[pa.Table], pa.Table] | None = None,
    **columns: str | None,
) -> ir.Table:
    """Read an event log file onto an engine, opening the engine while the file is read.

    ``read_events(path, lifecycle=lifecycle, progress=progress, **columns)`` then
    ``orglens.engine.connect(backend).read_events(...)``, but faster: opening an engine imports
    its Ibis backend (0.2 s for DuckDB), which a second thread does while the file is parsed in
    Arrow's threads. A million-event log is ready 0.05-0.13 s sooner (measured on two cores).

    Parameters
    ----------
    path
        A CSV, Parquet or XES event log (see :func:`orglens.io.eventlog.read_events`).
    backend
        The engine, as for :func:`orglens.engine.connect`.
    lifecycle
        ``"complete"`` or ``"both"``: how XES lifecycle transitions are read (as
        :func:`orglens.io.eventlog.read_events`).
    progress
        Called as ``progress(bytes_read, total_bytes)`` while the file is read.
    on_read
        Called with the canonical Arrow table once the file is read (while the engine may
        still be opening); the table it returns goes onto the engine.
    columns
        The source column of ``case``, ``activity``, ``timestamp``, ``resource`` or ``group``.

    Raises
    ------
    InvalidWorkspace
        When the file cannot be read (as :func:`orglens.io.eventlog.read_events`).
    EngineUnavailable, UsageError
        When the engine cannot be opened (as :func:`orglens.engine.connect`), or ``lifecycle``
        is neither ``"complete"`` nor ``"both"``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = log.write_text("case,activity,timestamp\\nc1,call,2024-01-01T09:00:00Z\\n")
    >>> read_log(log).count().to_pyarrow().as_py()
    1
    """
    # The reader's modules are imported before the engine's thread starts importing its own.
    import pyarrow.csv  # type: ignore[import-untyped]
    import pyarrow.parquet  # type: ignore[import-untyped]  # noqa: F401

    opened: list[Engine] = []
    failed: list[BaseException] = []

    def open_engine() -> None:
        try:
            opened.append(connect(backend))
        except BaseException as error:  # handed to the caller's thread below
            failed.append(error)

    thread = threading.Thread(target=open_engine, name="orglens-connect", daemon=True)
    thread.start()
    try:
        table = read_events(path, lifecycle=lifecycle, progress=progress, **columns)
        if on_read is not None:
            table = on_read(table)
    finally:
        thread.join()
    if failed:
        raise failed[0]
    return opened[0].read_events(table)
