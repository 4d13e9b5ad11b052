"""Event logs from CSV, Parquet and XES files, as one canonical Arrow table.

The canonical event table has, in this order:

``case_id`` (string), ``activity`` (``dictionary<int32, string>``), ``timestamp``
(``timestamp[us, tz=UTC]``), ``resource`` (``dictionary<int32, string>``, may be null),
``group`` (``dictionary<int32, string>``, may be null), ``position`` (int64: the event's 0-based
order in the source, which breaks ties between equal timestamps), then every other attribute of
the source as a column of its own (text, unless the source typed it; text whose values repeat,
such as a channel or a country, is dictionary-encoded too when read from CSV or Parquet).

Activity, resource and group repeat a few values over many events: as dictionaries they hold
each distinct text once and a 4-byte code per event (about a quarter of the memory they take as
plain text in a 10M-event CRM log). Their dictionaries are unified across chunks and hold
distinct, non-null texts. Engines read them as strings (Ibis maps a dictionary of strings to
``string``).

Rows keep the order of the source; the miner sorts by case, timestamp and position. Timestamps
with a zone offset are converted to UTC; timestamps without one are taken to be UTC already (an
export's local time cannot be guessed; shift the column before importing if it matters).

Each imported table carries an :class:`ImportReport` (counts and the quirks found: events without
resource, placeholder values such as ``EMPTY``, cases whose events go back in time, dates without
a time of day) in its schema metadata; :func:`import_report` reads it back.

This module reads and writes files: :func:`read_events`, :func:`write_events` and
:func:`import_report`. The work is shared with :mod:`orglens.io.events_canonical` (any Arrow
table made canonical), :mod:`orglens.io.events_csv` and :mod:`orglens.io.csv_lines` (reading CSV
files), :mod:`orglens.io.events_columns` (column mapping and checks),
:mod:`orglens.io.events_time` (timestamps) and :mod:`orglens.io.events_report` (the report).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.csv_lines import Progress, csv_line_finder
from orglens.io.events_canonical import CANONICAL_COLUMNS, canonical_columns, canonical_events
from orglens.io.events_columns import LABEL, compact_text, resolve_mapping
from orglens.io.events_csv import read_csv_events
from orglens.io.events_report import (
    METADATA_KEY,
    ForeignReport,
    ImportReport,
    stored_report,
    summarize,
    with_report,
)
from orglens.io.events_time import TIMESTAMP
from orglens.io.xes_common import Lifecycle, checked_lifecycle, select_lifecycle

__all__ = ["ImportReport", "import_report", "read_events", "write_events"]

_LABEL_COLUMNS = ("activity", "resource", "group")


def read_events(
    path: str | os.PathLike[str],
    /,
    *,
    case: str | None = None,
    activity: str | None = None,
    timestamp: str | None = None,
    resource: str | None = None,
    group: str | None = None,
    lifecycle: Lifecycle = "complete",
    progress: Progress | None = None,
) -> pa.Table:
    """Read an event log (``.csv``, ``.csv.gz``, ``.parquet``, ``.xes``, ``.xes.gz``).

    Parameters
    ----------
    path
        The file; its suffix says how to read it.
    case, activity, timestamp, resource, group
        The source column for each canonical column. When one is not given it is found by name,
        ignoring case: the XES names (``case:concept:name``, ``concept:name``,
        ``time:timestamp``, ``org:resource``, ``org:group``) first, then common CRM names
        (``case_id``, ``lead_id``, ``opportunity_id``, ``deal_id``; ``activity``, ``event``,
        ``stage``, ``status``; ``timestamp``, ``date``, ``created_at``, ``CreatedDate``;
        ``resource``, ``owner``, ``user``, ``agent``, ``sales_agent``; ``group``, ``team``,
        ``department``, ``unit``). Case, activity and timestamp are required; without a resource
        or group column those columns are null.
    lifecycle
        How a ``lifecycle:transition`` column (XES's lifecycle extension, also in CSV exports
        of XES logs) is read. ``"complete"``: when the log records both ``start`` and
        ``complete`` transitions, only the completions are kept (and events without a
        transition), as PM4Py users expect; the report's warnings say how many events were
        left out. ``"both"``: every event is kept, its activity written
        ``activity+transition`` (``"W_Completeren aanvraag+start"``, the transition in lower
        case). A Parquet file written by ``orglens import`` was read this way already and is
        read as it is.
    progress
        Called as ``progress(bytes_read, total_bytes)`` while the file is read.

    Returns
    -------
    pyarrow.Table
        The canonical event table (see the module docstring), with an :class:`ImportReport`
        attached (:func:`import_report`).

    Raises
    ------
    InvalidWorkspace
        For a missing or misnamed column (the message lists those that exist), an unparsable
        or missing timestamp (with the line and the value), an empty log, a damaged or
        truncated file, a ``.gz`` that inflates past the limit
        (:func:`~orglens.io.xes_common.max_inflated_bytes`), a path that is a folder, a pipe,
        a device or a dangling link, or an XES file with a DOCTYPE.
    UsageError
        For a ``lifecycle`` other than ``"complete"`` or ``"both"``.

    Notes
    -----
    A CSV file is read in one pass by Arrow's multi-threaded reader with each column's type
    decided from the header and the first rows (see :mod:`orglens.io.events_csv`); a Parquet
    file reads its activity, resource and group columns as dictionaries directly.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text(
    ...     "Lead ID,Stage,Created At,Owner\\n"
    ...     "L1,MQL,2024-03-01,ann\\nL1,SQL,2024-03-02 09:30,bob\\n"
    ... )
    >>> table = read_events(folder / "log.csv")
    >>> table.column_names
    ['case_id', 'activity', 'timestamp', 'resource', 'group', 'position']
    >>> table.column("timestamp")[1]
    <pyarrow.TimestampScalar: '2024-03-02T09:30:00.000000+0000'>
    >>> table.column("activity").to_pylist()
    ['MQL', 'SQL']
    >>> import_report(table).mapping["case"]
    'Lead ID'
    """
    mapping = {"case": case, "activity": activity, "timestamp": timestamp}
    mapping |= {"resource": resource, "group": group}
    chosen = checked_lifecycle(lifecycle)
    file = Path(path)
    suffixes = "".join(file.suffixes[-2:]).lower()
    if not file.is_file():
        # Only now: the workspace reader is not needed to read a log.
        from orglens.io.workspace import file_kind_problem

        found = file_kind_problem(file, str(file))
        raise InvalidWorkspace(
            found or Problem("the file cannot be read", "check the path", str(file))
        )
    try:
        return _read_file(file, suffixes, mapping, chosen, progress)
    finally:
        # Reading leaves freed buffers in Arrow's allocator, which keeps them for reuse: give
        # them back, so that the engine that mines the table finds them (≈170 MB at 10M events).
        pa.default_memory_pool().release_unused()


def _read_file(
    file: Path,
    suffixes: str,
    mapping: dict[str, str | None],
    lifecycle: Lifecycle,
    progress: Progress | None,
) -> pa.Table:
    if suffixes.endswith((".xes", ".xes.gz")):
        from orglens.io.xes import read_xes

        xes = read_xes(file, progress=progress)
        return _lifecycle_events(xes.table, file.name, mapping, lifecycle, xes.line_of)
    if suffixes.endswith(".parquet") or file.suffix.lower() == ".pq":
        raw = _read_parquet(file, mapping)
        if progress is not None:
            progress(file.stat().st_size, file.stat().st_size)
        warnings: list[str] = []
        try:
            stored = stored_report(raw)
        except ForeignReport as foreign:
            stored = None
            warnings.append(
                f"the file's {METADATA_KEY.decode()} metadata is not a report orglens wrote "
                f"({foreign.why}): it is ignored, and the events are read as any Parquet log"
            )
        canonical = raw.column_names[:6] == list(CANONICAL_COLUMNS)
        if stored is not None and canonical and not any(mapping.values()):
            # A table orglens wrote: check it, and keep the report of the import that made it.
            table, _, _, _ = canonical_columns(raw.replace_schema_metadata(None), file.name, {})
            return with_report(table, stored)
        return _lifecycle_events(
            raw.replace_schema_metadata(None), file.name, mapping, lifecycle, None, warnings
        )
    if suffixes.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        raw = read_csv_events(file, mapping, progress=progress)
        return _lifecycle_events(raw, file.name, mapping, lifecycle, csv_line_finder(file))
    raise InvalidWorkspace(
        Problem(
            f"the file type {file.suffix!r} is not an event log orglens reads",
            "give a .csv, .csv.gz, .parquet, .xes or .xes.gz file",
            file.name,
        )
    )


def _lifecycle_events(
    raw: pa.Table,
    source: str,
    mapping: dict[str, str | None],
    lifecycle: Lifecycle,
    line_of: Callable[[int], int | None] | None,
    warnings: Iterable[str] = (),
) -> pa.Table:
    """:func:`~orglens.io.events_canonical.canonical_events` of ``raw`` after its lifecycle
    transitions are read as asked."""
    try:
        activity = resolve_mapping(raw.column_names, mapping, source)["activity"]
    except InvalidWorkspace:
        activity = None  # canonical_events says what is missing
    chosen = select_lifecycle(raw, lifecycle, activity)
    kept = chosen.kept
    if kept is not None and line_of is not None:
        # Messages name the line of a source row: row numbers before the selection.
        source_line = line_of

        def line_of(row: int) -> int | None:
            return source_line(int(kept[row].as_py()))

    notes = [*warnings, chosen.note] if chosen.note else list(warnings)
    return canonical_events(chosen.table, source, mapping, line_of=line_of, warnings=notes)


def write_events(table: pa.Table, path: str | os.PathLike[str]) -> Path:
    """Write a canonical event table to Parquet, atomically, and return the path.

    ``activity``, ``resource`` and ``group`` may be ``dictionary<int32, string>`` (as
    :func:`read_events` gives them) or plain ``string``; they are written as they are, and
    :func:`read_events` gives them back as dictionaries with the same values. The table is
    written to a temporary file beside ``path`` that then replaces ``path``; on any error
    nothing is left behind and an existing ``path`` is untouched. The import report travels
    with the file (Parquet keeps the schema metadata).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> table = pa.table({
    ...     "case_id": ["c1"], "activity": ["a"],
    ...     "timestamp": pa.array([0], TIMESTAMP), "resource": pa.array([None], pa.string()),
    ...     "group": pa.array([None], pa.string()), "position": pa.array([0], pa.int64()),
    ... })
    >>> out = write_events(table, pathlib.Path(tempfile.mkdtemp()) / "events.parquet")
    >>> again = read_events(out)
    >>> again.num_rows, again.schema.field("activity").type
    (1, DictionaryType(dictionary<values=string, indices=int32, ordered=0>))
    """
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    expected: dict[str, tuple[pa.DataType, ...]] = {
        "case_id": (pa.string(),),
        "activity": (LABEL, pa.string()),
        "timestamp": (TIMESTAMP,),
        "resource": (LABEL, pa.string()),
        "group": (LABEL, pa.string()),
        "position": (pa.int64(),),
    }
    wrong = [
        f"{name} ({table.schema.field(name).type if name in table.column_names else 'missing'})"
        for name, kinds in expected.items()
        if name not in table.column_names or table.schema.field(name).type not in kinds
    ]
    if wrong:
        raise UsageError(
            Problem(
                f"not a canonical event table: {', '.join(wrong)}",
                "build it with read_events(), read_hubspot() or read_salesforce()",
            )
        )
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(descriptor)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def import_report(table: pa.Table) -> ImportReport:
    """The report attached to an imported table, or a fresh one for a table without it.

    Examples
    --------
    >>> table = pa.table({
    ...     "case_id": ["c1", "c1"], "activity": ["won", "contact"],
    ...     "timestamp": pa.array([86_400_000_000, 0], TIMESTAMP),
    ...     "resource": pa.array(["sr1", None]), "group": pa.array(["EMPTY", "EMPTY"]),
    ...     "position": pa.array([0, 1], pa.int64()),
    ... })
    >>> report = import_report(table)
    >>> report.events_without_resource, report.cases_out_of_order, report.placeholders
    (1, 1, {'group': {'EMPTY': 2}})
    """
    try:
        stored = stored_report(table)
    except ForeignReport as foreign:
        note = f"the table's report metadata is not orglens's ({foreign.why}): made afresh"
        return summarize(table, "<table>", {}, (note,))
    if stored is not None:
        return stored
    return summarize(table, "<table>", {}, ())


def _read_parquet(path: Path, mapping: Mapping[str, str | None]) -> pa.Table:
    """The Parquet file, its activity, resource and group columns read as dictionaries.

    Every other text column is read as a dictionary too (Parquet stores text dictionary-encoded,
    and decoding it to text in one step takes twice as long), then kept so when it repeats its
    values, else decoded (see :func:`~orglens.io.events_columns.compact_text`).
    """
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        texts = [
            field.name
            for field in schema
            if pa.types.is_string(field.type) and schema.names.count(field.name) == 1
        ]
        labels = _parquet_label_columns(schema, mapping)
        # ParquetFile, not read_table: that goes through pyarrow.dataset, which imports pandas.
        with pq.ParquetFile(path, read_dictionary=texts or None) as parquet:
            table = parquet.read()
        # Each row group has a dictionary of its own: one for all of them, and the codes as
        # read freed here rather than held by the caller while the table is made canonical.
        table = table.unify_dictionaries()
        for name in texts:
            if name not in labels:
                position = table.column_names.index(name)
                table = table.set_column(position, name, compact_text(table.column(name)))
        return table
    except (pa.ArrowInvalid, OSError):
        pass
    try:
        # Read again the usual way, for the usual message (or the table, if that can read it).
        return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise InvalidWorkspace(
            Problem(
                f"the file cannot be read as Parquet ({error})",
                "write it again (it may be truncated or not Parquet at all)",
                path.name,
            )
        ) from None


def _parquet_label_columns(schema: pa.Schema, mapping: Mapping[str, str | None]) -> list[str]:
    """The text columns of ``schema`` that become activity, resource and group, if found."""
    try:
        resolved = resolve_mapping(schema.names, mapping, "")
    except InvalidWorkspace:
        return []  # canonical_events says what is missing
    return [
        name
        for role in _LABEL_COLUMNS
        if (name := resolved[role]) is not None
        and pa.types.is_string(schema.field(name).type)
        and schema.names.count(name) == 1
    ]
