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

The work is shared with :mod:`orglens.io.events_csv` (reading CSV files),
:mod:`orglens.io.events_columns` (column mapping and checks), :mod:`orglens.io.events_time`
(timestamps) and :mod:`orglens.io.events_report` (the report); the names other modules use are
importable from here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.events_columns import CANDIDATES as CANDIDATES
from orglens.io.events_columns import LABEL as LABEL
from orglens.io.events_columns import ROLES as ROLES
from orglens.io.events_columns import (
    compact_text,
    existing_positions,
    optional_labels,
    required_labels,
    required_text,
    resolve_mapping,
    row_positions,
)
from orglens.io.events_csv import Progress as Progress
from orglens.io.events_csv import csv_line_finder, read_csv_events
from orglens.io.events_csv import read_csv_text as read_csv_text
from orglens.io.events_report import (
    METADATA_KEY,
    CaseOrder,
    ForeignReport,
    case_order,
    stored_report,
    summarize,
    with_report,
)
from orglens.io.events_report import PLACEHOLDERS as PLACEHOLDERS
from orglens.io.events_report import ImportReport as ImportReport
from orglens.io.events_time import TIMESTAMP as TIMESTAMP
from orglens.io.events_time import TimestampError as TimestampError
from orglens.io.events_time import parse_timestamps as parse_timestamps
from orglens.io.events_time import timestamp_column
from orglens.io.xes_common import Lifecycle, checked_lifecycle, select_lifecycle

__all__ = [
    "CANONICAL_COLUMNS",
    "ImportReport",
    "Progress",
    "TimestampError",
    "canonical_events",
    "import_report",
    "parse_timestamps",
    "read_csv_text",
    "read_events",
    "write_events",
]

#: The columns every event table starts with, in order.
CANONICAL_COLUMNS = ("case_id", "activity", "timestamp", "resource", "group", "position")

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
            table, _, _, _ = _canonical_columns(raw.replace_schema_metadata(None), file.name, {})
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
    """:func:`canonical_events` of ``raw`` after its lifecycle transitions are read as asked."""
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


def canonical_events(
    raw: pa.Table,
    source: str,
    mapping: Mapping[str, str | None] | None = None,
    *,
    line_of: Callable[[int], int | None] | None = None,
    warnings: Iterable[str] = (),
) -> pa.Table:
    """The canonical event table of ``raw`` (any Arrow table with one row per event).

    ``mapping`` names the source column of each role (``case``, ``activity``, ``timestamp``,
    ``resource``, ``group``); roles missing from it or set to ``None`` are found by name (see
    :func:`read_events`). Columns not mapped are kept as they are (a name that clashes with a
    canonical column gets a ``source_`` prefix). ``line_of(row)`` gives the line of a row for
    error messages; ``warnings`` are added to the report.

    The case id becomes text, the activity, resource and group ``dictionary<int32, string>``
    (any type is turned into text first; a dictionary of text keeps its codes), and blank
    resource and group cells null.

    Examples
    --------
    >>> raw = pa.table({"deal": ["d1", "d1"], "stage": ["Won", "Open"],
    ...                 "date": ["2024-01-02", "2024-01-01T10:00:00+02:00"], "amount": [5, 5]})
    >>> table = canonical_events(raw, "deals.csv", {"case": "deal"})
    >>> table.column_names
    ['case_id', 'activity', 'timestamp', 'resource', 'group', 'position', 'amount']
    >>> [t.isoformat() for t in table.column("timestamp").to_pylist()]
    ['2024-01-02T00:00:00+00:00', '2024-01-01T08:00:00+00:00']
    >>> table.schema.field("activity").type
    DictionaryType(dictionary<values=string, indices=int32, ordered=0>)
    >>> import_report(table).cases_out_of_order
    1
    """
    given = dict(mapping or {})
    # The case order (the longest part of the report) is computed in a thread of its own from
    # the moment case ids and timestamps are known, while this one does the rest.
    with ThreadPoolExecutor(max_workers=1) as pool:
        table, resolved, notes, order = _canonical_columns(
            raw, source, given, line_of=line_of, pool=pool
        )
        report = summarize(table, source, resolved, [*warnings, *notes], order=order)
    return with_report(table, report)


def _canonical_columns(
    raw: pa.Table,
    source: str,
    given: Mapping[str, str | None],
    *,
    line_of: Callable[[int], int | None] | None = None,
    pool: Executor | None = None,
) -> tuple[pa.Table, dict[str, str | None], list[str], Callable[[], CaseOrder] | None]:
    """The canonical table (no report yet), the column of each role, notes for the report, and
    (given a ``pool`` to compute it in) a function that gives the table's case order."""
    unknown = set(given) - set(ROLES)
    if unknown:
        raise UsageError(
            Problem(
                f"unknown role(s) {sorted(unknown)!r} in the column mapping",
                f"use only {', '.join(ROLES)}",
            )
        )
    if raw.num_rows == 0:
        raise InvalidWorkspace(
            Problem(
                "the log has no events",
                "export the log again with its events, or give another file",
                source,
            )
        )
    resolved = resolve_mapping(raw.column_names, given, source)
    _refuse_nested(raw.schema, resolved, source)
    find_line = line_of or (lambda row: None)
    case_column = required_text(raw, resolved["case"], "case", source, find_line)
    activity_column = required_labels(raw, resolved["activity"], "activity", source, find_line)
    timestamps = timestamp_column(raw, resolved["timestamp"], source, find_line)
    position_column = existing_positions(raw, resolved)
    order = None
    if pool is not None:
        order = pool.submit(case_order, case_column, timestamps, position_column).result
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "case_id": case_column,
        "activity": activity_column,
        "timestamp": timestamps,
        "resource": optional_labels(raw, resolved["resource"]),
        "group": optional_labels(raw, resolved["group"]),
        "position": position_column if position_column is not None else row_positions(raw.num_rows),
    }
    used = {name for name in resolved.values() if name is not None}
    if position_column is not None:
        used.add("position")
    for name in raw.column_names:
        if name in used:
            continue
        target = f"source_{name}" if name in columns else name
        while target in columns:
            target = f"source_{target}"
        columns[target] = raw.column(name)
    notes: list[str] = []
    for role in ("resource", "group"):
        if resolved[role] is None and not given.get(role):
            looked = ", ".join(CANDIDATES[role][:4])
            notes.append(
                f"no {role} column found (looked for {looked}, ...): {role} is empty; "
                f"name one with --{role} COLUMN"
            )
    return pa.table(columns), resolved, notes, order


def _refuse_nested(schema: pa.Schema, resolved: Mapping[str, str | None], source: str) -> None:
    """:class:`InvalidWorkspace` when a role's column holds lists, structs or maps.

    Other nested columns are kept as attributes.
    """
    problems = []
    for role, name in resolved.items():
        if name is None or schema.names.count(name) != 1:
            continue
        kind = schema.field(name).type
        if pa.types.is_nested(kind) or pa.types.is_union(kind):
            what = "a struct" if pa.types.is_struct(kind) else "a list or map"
            problems.append(
                Problem(
                    f"the {role} column {name!r} holds {what} ({kind}) in each row, not one value",
                    f"give --{role} a column of plain values (flatten the export, or map "
                    "another column)",
                    source,
                    column=name,
                )
            )
    if problems:
        raise InvalidWorkspace(problems)


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
