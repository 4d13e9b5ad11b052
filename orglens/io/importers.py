"""The sources ``orglens import`` reads canonical events from, in one registry.

:data:`IMPORTERS` maps each source's name to an :class:`Importer`. Adding a source is one module
(its reader) plus one line in :data:`IMPORTERS`. The readers are imported when they run, so the
command line lists the sources without loading PyArrow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from orglens.errors import Problem, UsageError

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.io.csv_lines import Progress
    from orglens.io.xes_common import Lifecycle

__all__ = ["COLUMNS", "IMPORTERS", "ImportOptions", "Importer", "ReadEvents"]

#: The columns whose source column a user may name (``unit`` is kept as it is, for
#: ``orglens mine --unit``).
COLUMNS = ("case", "activity", "timestamp", "resource", "group", "unit")


@dataclass(frozen=True, kw_only=True)
class ImportOptions:
    """What a deal table needs beyond its columns (``orglens import deals``).

    Attributes
    ----------
    stage_dates
        ``(column, activity)`` pairs, in the order of the process; empty: found by name.
    outcome
        The column whose value (Won, Closed lost, vunnen...) names a row's last event.
    join
        ``KEY`` or ``LEADS_KEY=DEALS_KEY``: two files (leads, deals) joined on it.
    lifecycle
        How an event log's XES lifecycle transitions are read (``import log``): ``complete``
        or ``both`` (see :func:`orglens.io.eventlog.read_events`).
    """

    stage_dates: tuple[tuple[str, str], ...] = field(default=())
    outcome: str | None = None
    join: str | None = None
    lifecycle: Lifecycle = "complete"

    def given(self) -> list[str]:
        """The options set, as the command line names them."""
        names = {"--stage-dates": self.stage_dates, "--outcome": self.outcome}
        return [name for name, value in (names | {"--join": self.join}).items() if value]


class ReadEvents(Protocol):
    """``read(files, columns=..., progress=...)``: the canonical events of ``files``."""

    def __call__(
        self,
        files: Sequence[Path],
        /,
        *,
        columns: Mapping[str, str | None],
        progress: Progress | None = None,
        options: ImportOptions = ...,
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
        ``read(files, *, columns, progress=None, options=ImportOptions())``: the canonical
        event table (see :mod:`orglens.io.eventlog`) of ``files``. ``columns`` maps names of
        :data:`COLUMNS` to source columns (``None``: found by name), for sources whose columns
        vary; ``progress`` is called as ``progress(bytes_read, total_bytes)`` by readers that
        report it; ``options`` are for deal tables (:class:`ImportOptions`).

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


def _checked(
    columns: Mapping[str, str | None], name: str, *, takes: Sequence[str] = COLUMNS
) -> dict[str, str | None]:
    unknown = [key for key in columns if key not in COLUMNS]
    if unknown:
        raise UsageError(
            Problem(
                f"unknown column {', '.join(map(repr, unknown))}",
                f"name the source column of {', '.join(COLUMNS)}",
            )
        )
    ignored = [f"--{key}" for key, value in columns.items() if value and key not in takes]
    if ignored:
        uses = ", ".join(f"--{key}" for key in takes) or "no column option"
        raise UsageError(
            Problem(
                f"{', '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} not used here",
                f"leave {'it' if len(ignored) == 1 else 'them'} out (this source takes {uses})",
                f"orglens import {name}",
            )
        )
    return dict(columns)


def _no_options(options: ImportOptions, name: str) -> None:
    if options.given():
        raise UsageError(
            Problem(
                f"{', '.join(options.given())} {'is' if len(options.given()) == 1 else 'are'} "
                "for deal tables",
                "use orglens import deals FILE (or LEADS DEALS --join KEY) for them",
                f"orglens import {name}",
            )
        )


def _hubspot(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
    options: ImportOptions = ImportOptions(),
) -> pa.Table:
    from orglens.io.crm import read_hubspot

    _checked(columns, "hubspot", takes=())  # the export's columns have fixed names
    _no_options(options, "hubspot")
    return read_hubspot(files)


def _salesforce(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
    options: ImportOptions = ImportOptions(),
) -> pa.Table:
    from orglens.io.crm import read_salesforce

    _checked(columns, "salesforce", takes=())  # the export's columns have fixed names
    _no_options(options, "salesforce")
    return read_salesforce(files)


def _log(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
    options: ImportOptions = ImportOptions(),
) -> pa.Table:
    if options.join is not None:
        # The two-file form of a funnel: leads and deals tables, one row per record.
        return _deals(files, columns=columns, progress=progress, options=options)
    from orglens.io.eventlog import import_report, read_events
    from orglens.io.events_columns import event_column
    from orglens.io.xes_common import checked_lifecycle

    mapping = _checked(columns, "log")
    _no_options(options, "log")
    if len(files) != 1:
        raise UsageError(
            Problem(
                f"{len(files)} files given",
                "import one event log at a time",
                "orglens import log",
            )
        )
    table = read_events(
        files[0],
        case=mapping.get("case"),
        activity=mapping.get("activity"),
        timestamp=mapping.get("timestamp"),
        resource=mapping.get("resource"),
        group=mapping.get("group"),
        progress=progress,
        lifecycle=checked_lifecycle(options.lifecycle),
    )
    unit = mapping.get("unit")
    if unit:
        event_column(unit, table.column_names, import_report(table).mapping, files[0].name)
    return table


def _deals(
    files: Sequence[Path],
    /,
    *,
    columns: Mapping[str, str | None],
    progress: Progress | None = None,
    options: ImportOptions = ImportOptions(),
) -> pa.Table:
    from orglens.io.crm_deals import DealColumns, read_deals
    from orglens.io.crm_join import read_joined

    mapping = _checked(columns, "deals", takes=("case", "resource", "group", "unit"))
    spec = DealColumns(
        case=mapping.get("case"),
        stage_dates=options.stage_dates,
        resource=mapping.get("resource"),
        group=mapping.get("group"),
        outcome=options.outcome,
        unit=mapping.get("unit"),
    )
    if len(files) == 2 and options.join is not None:
        if spec.case is not None:
            raise UsageError(
                Problem(
                    "--case and --join both name the id",
                    "give only --join KEY: the key is the case id of the joined files",
                    "orglens import deals",
                )
            )
        return read_joined(files[0], files[1], spec, join=options.join)
    if len(files) == 1 and options.join is None:
        return read_deals(files[0], spec)
    raise UsageError(
        Problem(
            f"{len(files)} file(s) given{' with --join' if options.join else ''}",
            "give one deal table, or a leads and a deals table with --join KEY",
            "orglens import deals",
        )
    )


#: Every source by the name ``orglens import`` takes.
IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer("hubspot", "HubSpot contacts or deals exports with stage dates (CSV)", _hubspot),
        Importer("salesforce", "Salesforce history exports (CSV, API field names)", _salesforce),
        Importer("log", "one event log: CSV, Parquet or XES", _log),
        Importer("deals", "deal or lead tables with a date column per stage (CSV)", _deals),
    )
}
