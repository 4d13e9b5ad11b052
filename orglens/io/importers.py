"""The sources ``orglens import`` reads canonical events from, in one registry.

:data:`IMPORTERS` maps each source's name to an :class:`Importer`. Adding a source is one module
(its reader) plus one line in :data:`IMPORTERS`. The readers are imported when they run, so the
command line lists the sources without loading PyArrow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from orglens.errors import Problem, UsageError

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.io.eventlog import Progress

__all__ = ["COLUMNS", "IMPORTERS", "Importer", "ReadEvents"]

#: The canonical columns whose source column a user may name.
COLUMNS = ("case", "activity", "timestamp", "resource", "group")


class ReadEvents(Protocol):
    """``read(files, columns=..., progress=...)``: the canonical events of ``files``."""

    def __call__(
        self,
        files: Sequence[Path],
        /,
        *,
        columns: Mapping[str, str | None],
        progress: Progress | None = None,
    ) -> pa.Table: ...


@dataclass(frozen=True)
class Importer:
    """One source of events.

    Attributes
    ----------
    name
        The name ``orglens import`` takes.
    description
        What it reads, in one line.
    read
        ``read(files, *, columns, progress=None)``: the canonical event table (see
        :mod:`orglens.io.eventlog`) of ``files``. ``columns`` maps names of :data:`COLUMNS` to
        source columns (``None``: found by name), for sources whose columns vary; ``progress``
        is called as ``progress(bytes_read, total_bytes)`` by readers that report it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "crm.csv"
    >>> _ = log.write_text("lead,step,at\\nL1,call,2024-01-01T09:00:00Z\\n")
    >>> columns = {"case": "lead", "activity": "step", "timestamp": "at"}
    >>> events = IMPORTERS["log"].read([log], columns=columns)
    >>> events.select(["case_id", "activity"]).to_pylist()
    [{'case_id': 'L1', 'activity': 'call'}]
    """

    name: str
    description: str
    read: ReadEvents


def _checked(columns: Mapping[str, str | None]) -> dict[str, str | None]:
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        raise UsageError(
            Problem(
                f"unknown column {', '.join(map(repr, unknown))}",
                f"name the source column of {', '.join(COLUMNS)}",
            )
        )
    return dict(columns)


def _hubspot(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
) -> pa.Table:
    from orglens.io.crm import read_hubspot

    _checked(columns)  # the export's columns have fixed names
    return read_hubspot(files)


def _salesforce(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
) -> pa.Table:
    from orglens.io.crm import read_salesforce

    _checked(columns)  # the export's columns have fixed names
    return read_salesforce(files)


def _log(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
) -> pa.Table:
    from orglens.io.eventlog import read_events

    mapping = _checked(columns)
    if len(files) != 1:
        raise UsageError(
            Problem(
                f"{len(files)} files given",
                "import one event log at a time",
                "orglens import log",
            )
        )
    return read_events(
        files[0],
        case=mapping.get("case"),
        activity=mapping.get("activity"),
        timestamp=mapping.get("timestamp"),
        resource=mapping.get("resource"),
        group=mapping.get("group"),
        progress=progress,
    )


#: Every source by the name ``orglens import`` takes.
IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer("hubspot", "HubSpot contacts or deals exports with stage dates (CSV)", _hubspot),
        Importer("salesforce", "Salesforce history exports (CSV, API field names)", _salesforce),
        Importer("log", "one event log: CSV, Parquet or XES", _log),
    )
}
