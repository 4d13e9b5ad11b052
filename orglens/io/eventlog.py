"""Event logs from CSV, Parquet and XES files, as one canonical Arrow table.

The canonical event table has, in this order:

``case_id`` (string), ``activity`` (string), ``timestamp`` (``timestamp[us, tz=UTC]``),
``resource`` (string, may be null), ``group`` (string, may be null), ``position`` (int64: the
event's 0-based order in the source, which breaks ties between equal timestamps), then every other
attribute of the source as a column of its own (text, unless the source typed it).

Rows keep the order of the source; the miner sorts by case, timestamp and position. Timestamps
with a zone offset are converted to UTC; timestamps without one are taken to be UTC already (an
export's local time cannot be guessed; shift the column before importing if it matters).

Each imported table carries an :class:`ImportReport` (counts and the quirks found: events without
resource, placeholder values such as ``EMPTY``, cases whose events go back in time, dates without
a time of day) in its schema metadata; :func:`import_report` reads it back.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any, cast

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.tables import column_key, detect_delimiter

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

#: ``progress(bytes_read, total_bytes)``, called as a file is read.
Progress = Callable[[int, int], None]

TIMESTAMP = pa.timestamp("us", tz="UTC")
_METADATA_KEY = b"orglens.import"

#: Source column names recognised for each role (compared after :func:`_name_key`), best first.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "case": (
        "case:concept:name", "case_id", "caseid", "case", "case_key", "case_number", "trace_id",
        "lead_id", "leadid", "opportunity_id", "opportunityid", "deal_id", "dealid",
        "ticket_id", "ticketid", "contact_id", "record_id", "mql_id", "prospect_id",
    ),
    "activity": (
        "concept:name", "activity", "activity_name", "event", "event_name", "stage",
        "stage_name", "stagename", "deal_stage", "dealstage", "status", "action", "task", "step",
    ),
    "timestamp": (
        "time:timestamp", "timestamp", "event_time", "time", "datetime", "date_time", "date",
        "created_at", "createddate", "created_date", "occurred_at", "start_time", "end_time",
    ),
    "resource": (
        "org:resource", "resource", "owner", "owner_id", "ownerid", "hubspot_owner_id", "user",
        "user_id", "agent", "sales_agent", "performer", "actor", "assignee", "employee",
        "createdbyid", "created_by_id",
    ),
    "group": (
        "org:group", "group", "team", "team_id", "hubspot_team_id", "department", "unit",
        "org_unit", "business_unit",
    ),
}  # fmt: skip
ROLES = tuple(CANDIDATES)
_REQUIRED = ("case", "activity", "timestamp")

#: Values that stand for "unknown" in exports; they are kept but reported.
PLACEHOLDERS = frozenset(
    ("empty", "unknown", "none", "null", "n/a", "na", "nan", "-", "?", "select", "undefined")
)

_OFFSET = r":\d\d(?:[.,]\d+)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"
_SLASH_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")
_ISO_FIX = "write it as ISO 8601, e.g. 2024-03-01 14:05:00+01:00 or 2024-03-01"


@dataclass(frozen=True)
class ImportReport:
    """What an import found: counts, and the quirks kept in the data.

    Every field counts events of the canonical table:

    - ``events``, ``cases``, ``activities``, ``resources``, ``groups``: rows, and distinct
      non-null values of ``case_id``, ``activity``, ``resource`` and ``group``;
    - ``events_without_resource`` / ``events_without_group``: events whose value is null;
    - ``placeholders``: per column (``resource``, ``group``), values that stand for "unknown"
      (``EMPTY``, ``UNKNOWN``, ``N/A``...) and how many events carry each; they are kept as
      values, as PM4Py does;
    - ``cases_out_of_order``: cases with at least one event whose timestamp is earlier than the
      event before it in the source (a deal won before the first contact);
    - ``timestamp_ties``: events with the same timestamp as the event before them in the same
      case, in source order (their order then comes from ``position``);
    - ``events_at_midnight``: events whose timestamp is exactly 00:00:00 UTC (dates without a
      time of day, most often);
    - ``first`` / ``last``: the earliest and latest timestamp (ISO 8601);
    - ``mapping``: which source column became each canonical one (``None``: none did);
    - ``warnings``: sentences for a person, one per quirk.
    """

    source: str
    events: int
    cases: int
    activities: int
    resources: int
    groups: int
    events_without_resource: int
    events_without_group: int
    placeholders: dict[str, dict[str, int]]
    cases_out_of_order: int
    timestamp_ties: int
    events_at_midnight: int
    first: str | None
    last: str | None
    mapping: dict[str, str | None] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data with the field names as keys."""
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportReport:
        """The report :meth:`to_dict` gave."""
        return cls(**{**data, "warnings": tuple(data.get("warnings", ()))})


def read_events(
    path: str | os.PathLike[str],
    /,
    *,
    case: str | None = None,
    activity: str | None = None,
    timestamp: str | None = None,
    resource: str | None = None,
    group: str | None = None,
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
        truncated file, or an XES file with a DOCTYPE.

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
    >>> import_report(table).mapping["case"]
    'Lead ID'
    """
    mapping = {"case": case, "activity": activity, "timestamp": timestamp}
    mapping |= {"resource": resource, "group": group}
    file = Path(path)
    suffixes = "".join(file.suffixes[-2:]).lower()
    if not file.is_file():
        raise InvalidWorkspace(
            Problem("the file does not exist", "check the path and the file name", str(file))
        )
    if suffixes.endswith((".xes", ".xes.gz")):
        from orglens.io.xes import read_xes

        xes = read_xes(file, progress=progress)
        return canonical_events(xes.table, file.name, mapping, line_of=xes.line_of)
    if suffixes.endswith(".parquet") or file.suffix.lower() == ".pq":
        raw = _read_parquet(file)
        if progress is not None:
            progress(file.stat().st_size, file.stat().st_size)
        table = canonical_events(raw.replace_schema_metadata(None), file.name, mapping)
        stored = (raw.schema.metadata or {}).get(_METADATA_KEY)
        canonical = raw.column_names[:6] == list(CANONICAL_COLUMNS)
        if stored and canonical and not any(mapping.values()):
            # A table orglens wrote: keep the report of the import that made it.
            return table.replace_schema_metadata({_METADATA_KEY: stored})
        return table
    if suffixes.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        raw = read_csv_text(file, progress=progress)
        return canonical_events(
            _typed_extras(raw, mapping), file.name, mapping, line_of=_csv_line_finder(file)
        )
    raise InvalidWorkspace(
        Problem(
            f"the file type {file.suffix!r} is not an event log orglens reads",
            "give a .csv, .csv.gz, .parquet, .xes or .xes.gz file",
            file.name,
        )
    )


def write_events(table: pa.Table, path: str | os.PathLike[str]) -> Path:
    """Write a canonical event table to Parquet, atomically, and return the path.

    The table is written to a temporary file beside ``path`` that then replaces ``path``; on
    any error nothing is left behind and an existing ``path`` is untouched. The import report
    travels with the file (Parquet keeps the schema metadata).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> table = pa.table({
    ...     "case_id": ["c1"], "activity": ["a"],
    ...     "timestamp": pa.array([0], TIMESTAMP), "resource": pa.array([None], pa.string()),
    ...     "group": pa.array([None], pa.string()), "position": pa.array([0], pa.int64()),
    ... })
    >>> out = write_events(table, pathlib.Path(tempfile.mkdtemp()) / "events.parquet")
    >>> read_events(out).num_rows
    1
    """
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    expected = {
        "case_id": pa.string(),
        "activity": pa.string(),
        "timestamp": TIMESTAMP,
        "resource": pa.string(),
        "group": pa.string(),
        "position": pa.int64(),
    }
    wrong = [
        f"{name} ({table.schema.field(name).type if name in table.column_names else 'missing'})"
        for name, kind in expected.items()
        if name not in table.column_names or table.schema.field(name).type != kind
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
    metadata = table.schema.metadata or {}
    if _METADATA_KEY in metadata:
        return ImportReport.from_dict(json.loads(metadata[_METADATA_KEY]))
    return _summarize(table, "<table>", {}, ())


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

    Examples
    --------
    >>> raw = pa.table({"deal": ["d1", "d1"], "stage": ["Won", "Open"],
    ...                 "date": ["2024-01-02", "2024-01-01T10:00:00+02:00"], "amount": [5, 5]})
    >>> table = canonical_events(raw, "deals.csv", {"case": "deal"})
    >>> table.column_names
    ['case_id', 'activity', 'timestamp', 'resource', 'group', 'position', 'amount']
    >>> [t.isoformat() for t in table.column("timestamp").to_pylist()]
    ['2024-01-02T00:00:00+00:00', '2024-01-01T08:00:00+00:00']
    >>> import_report(table).cases_out_of_order
    1
    """
    given = dict(mapping or {})
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
    resolved = _resolve_mapping(raw.column_names, given, source)
    find_line = line_of or (lambda row: None)
    case_column = _required_text(raw, resolved["case"], "case", source, find_line)
    activity_column = _required_text(raw, resolved["activity"], "activity", source, find_line)
    timestamps = _timestamp_column(raw, resolved["timestamp"], source, find_line)
    position_column = _existing_positions(raw, resolved)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "case_id": case_column,
        "activity": activity_column,
        "timestamp": timestamps,
        "resource": _optional_text(raw, resolved["resource"]),
        "group": _optional_text(raw, resolved["group"]),
        "position": position_column
        if position_column is not None
        else pa.array(range(raw.num_rows), pa.int64()),
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
    table = pa.table(columns)
    notes = list(warnings)
    for role in ("resource", "group"):
        if resolved[role] is None and not given.get(role):
            looked = ", ".join(CANDIDATES[role][:4])
            notes.append(
                f"no {role} column found (looked for {looked}, ...): {role} is empty; "
                f"name one with --{role} COLUMN"
            )
    return _with_report(table, _summarize(table, source, resolved, notes))


def _with_report(table: pa.Table, report: ImportReport) -> pa.Table:
    metadata = {_METADATA_KEY: json.dumps(report.to_dict()).encode()}
    return table.replace_schema_metadata(metadata)


def _name_key(name: str) -> str:
    return column_key(name.replace("-", " "))


def _resolve_mapping(
    columns: Sequence[str], given: Mapping[str, str | None], source: str
) -> dict[str, str | None]:
    by_key: dict[str, str] = {}
    for name in columns:
        by_key.setdefault(_name_key(name), name)
    listing = ", ".join(repr(name) for name in columns)
    problems: list[Problem] = []
    resolved: dict[str, str | None] = {}
    for role in ROLES:
        wanted = given.get(role)
        if wanted:
            found = wanted if wanted in columns else by_key.get(_name_key(wanted))
            if found is None:
                problems.append(
                    Problem(
                        f"column {wanted!r} (given for {role}) is not in the file",
                        f"give --{role} one of the columns the file has: {listing}",
                        source,
                        1,
                        wanted,
                    )
                )
            resolved[role] = found
            continue
        resolved[role] = next((by_key[key] for key in CANDIDATES[role] if by_key.get(key)), None)
        if resolved[role] is None and role in _REQUIRED:
            looked = ", ".join(CANDIDATES[role][:6])
            problems.append(
                Problem(
                    f"no {role} column found (looked for {looked}, ...)",
                    f"name it with --{role} COLUMN; the file has: {listing}",
                    source,
                    1,
                )
            )
    taken: dict[str, str] = {}
    for role in _REQUIRED:
        chosen = resolved[role]
        if chosen is not None and chosen in taken:
            problems.append(
                Problem(
                    f"column {chosen!r} is used for both {taken[chosen]} and {role}",
                    f"give --{role} another column",
                    source,
                    1,
                    chosen,
                )
            )
        elif chosen is not None:
            taken[chosen] = role
    if problems:
        raise InvalidWorkspace(problems)
    return resolved


def _existing_positions(raw: pa.Table, resolved: Mapping[str, str | None]) -> pa.Array | None:
    """The ``position`` column of a table that is canonical already (re-read Parquet)."""
    canonical = resolved["case"] == "case_id" and resolved["timestamp"] == "timestamp"
    if not canonical or "position" not in raw.column_names:
        return None
    column = raw.column("position")
    if not pa.types.is_integer(column.type) or column.null_count:
        return None
    return pc.cast(column, pa.int64()).combine_chunks()


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    return pc.cast(column, pa.string())


def _required_text(
    raw: pa.Table, name: str | None, role: str, source: str, line_of: Callable[[int], int | None]
) -> pa.ChunkedArray:
    assert name is not None
    column = _as_text(raw.column(name))
    missing = pc.or_kleene(pc.is_null(column), pc.equal(pc.utf8_trim_whitespace(column), ""))
    if pc.any(missing).as_py():
        row = _first_true(missing)
        raise InvalidWorkspace(
            Problem(
                f"event #{row + 1} has no {role} (column {name!r} is empty)",
                f"fill in the {role} of every event, or remove the events without one",
                source,
                line_of(row),
                name,
            )
        )
    return column


def _optional_text(raw: pa.Table, name: str | None) -> pa.ChunkedArray:
    if name is None:
        return pa.chunked_array([pa.nulls(raw.num_rows, pa.string())])
    column = _as_text(raw.column(name))
    blank = pc.equal(pc.utf8_trim_whitespace(column), "")
    if not pc.any(blank).as_py():
        return column
    return pc.if_else(blank, pa.scalar(None, pa.string()), column)


def _first_true(mask: pa.ChunkedArray | pa.Array) -> int:
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _timestamp_column(
    raw: pa.Table, name: str | None, source: str, line_of: Callable[[int], int | None]
) -> pa.Array:
    assert name is not None
    column = raw.column(name)
    kind = column.type
    if pa.types.is_timestamp(kind):
        result = pc.cast(column, pa.timestamp(kind.unit, "UTC"))
        result = pc.cast(result, TIMESTAMP, safe=False)
    elif pa.types.is_date(kind):
        result = pc.cast(pc.cast(column, pa.timestamp("us")), TIMESTAMP)
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            result = parse_timestamps(column)
        except TimestampError as bad:
            raise InvalidWorkspace(
                Problem(
                    f"event #{bad.row + 1} has timestamp {bad.value!r}, which is not a date",
                    _ISO_FIX,
                    source,
                    line_of(bad.row),
                    name,
                )
            ) from None
    else:
        raise InvalidWorkspace(
            Problem(
                f"column {name!r} holds {kind} values, not timestamps",
                "give --timestamp a column of dates and times (ISO 8601 text or a timestamp type)",
                source,
                1,
                name,
            )
        )
    if isinstance(result, pa.ChunkedArray):
        result = result.combine_chunks()
    if result.null_count:
        row = _first_true(pc.is_null(result))
        raise InvalidWorkspace(
            Problem(
                f"event #{row + 1} has no timestamp (column {name!r} is empty)",
                "give every event its date and time, or remove the events without one",
                source,
                line_of(row),
                name,
            )
        )
    return result


class TimestampError(ValueError):
    """A text that :func:`parse_timestamps` cannot read: its row and value."""

    def __init__(self, row: int, value: str) -> None:
        super().__init__(f"row {row}: {value!r}")
        self.row = row
        self.value = value


def parse_timestamps(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Parse text timestamps into ``timestamp[us, tz=UTC]``; nulls stay null.

    Accepted: ISO 8601 with ``T`` or a space, with or without seconds, fractions and a zone
    offset (``Z``, ``+02:00``, ``+0200``: converted to UTC; without one: taken as UTC);
    date-only ``2024-03-01`` (midnight UTC); ``2024/03/01 14:05``; and epoch milliseconds
    (13 digits, as HubSpot's API gives them). Raises ``ValueError`` naming the first row that
    is none of these.

    Examples
    --------
    >>> parse_timestamps(pa.array(["2011-10-01T00:38:44.546+02:00", "2011-10-01", None]))
    ... # doctest: +NORMALIZE_WHITESPACE
    <pyarrow.lib.TimestampArray object at ...>
    [
      2011-09-30 22:38:44.546000Z,
      2011-10-01 00:00:00.000000Z,
      null
    ]
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.string())
    text = pc.utf8_trim_whitespace(values)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    valid = text.drop_null()
    if len(valid) and pc.all(pc.match_substring_regex(valid, r"^\d{13}$")).as_py():
        millis = pc.multiply(pc.cast(text, pa.int64()), 1000)
        return pc.cast(millis, TIMESTAMP)
    try:
        return _parse_vectorized(text)
    except pa.ArrowInvalid:
        return _parse_one_by_one(text)


def _parse_vectorized(text: pa.Array) -> pa.Array:
    has_offset = pc.fill_null(pc.match_substring_regex(text, _OFFSET), False)
    null = pa.scalar(None, pa.string())
    if pc.all(has_offset).as_py():
        return pc.cast(text, TIMESTAMP)
    if not pc.any(has_offset).as_py():
        return pc.cast(pc.cast(text, pa.timestamp("us")), TIMESTAMP)
    zoned = pc.cast(pc.if_else(has_offset, text, null), TIMESTAMP)
    naive = pc.cast(pc.cast(pc.if_else(has_offset, null, text), pa.timestamp("us")), TIMESTAMP)
    result: pa.Array = pc.if_else(has_offset, zoned, naive)
    return result


def _parse_one_by_one(text: pa.Array) -> pa.Array:
    parsed: list[dt.datetime | None] = []
    for row, value in enumerate(text.to_pylist()):
        if value is None:
            parsed.append(None)
            continue
        moment = _parse_text(value)
        if moment is None:
            raise TimestampError(row, value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        parsed.append(moment.astimezone(dt.UTC))
    return pa.array(parsed, TIMESTAMP)


def _parse_text(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    for pattern in _SLASH_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
    return None


def _summarize(
    table: pa.Table, source: str, mapping: Mapping[str, str | None], notes: Iterable[str]
) -> ImportReport:
    cases = pc.dictionary_encode(table.column("case_id").combine_chunks())
    timestamps = table.column("timestamp")
    # Each case's events in source order, to compare each timestamp with the one before it.
    order = pc.sort_indices(
        pa.table({"case": cases.indices, "position": table.column("position")}),
        sort_keys=[("case", "ascending"), ("position", "ascending")],
    )
    in_case = pc.take(cases.indices, order)
    times = pc.take(timestamps, order)
    same_case = pc.equal(in_case[1:], in_case[:-1])
    earlier = pc.and_(same_case, pc.less(times[1:], times[:-1]))
    tied = pc.and_(same_case, pc.equal(times[1:], times[:-1]))
    midnight = pc.equal(timestamps, pc.floor_temporal(timestamps, unit="day"))
    placeholders = {
        column: found
        for column in ("resource", "group")
        if (found := _placeholder_counts(table.column(column)))
    }
    earliest, latest = pc.min(timestamps).as_py(), pc.max(timestamps).as_py()
    report = ImportReport(
        source=source,
        events=table.num_rows,
        cases=len(cases.dictionary),
        activities=_distinct(table.column("activity")),
        resources=_distinct(table.column("resource")),
        groups=_distinct(table.column("group")),
        events_without_resource=table.column("resource").null_count,
        events_without_group=table.column("group").null_count,
        placeholders=placeholders,
        cases_out_of_order=int(pc.count_distinct(pc.filter(in_case[1:], earlier)).as_py()),
        timestamp_ties=int(pc.sum(tied).as_py() or 0),
        events_at_midnight=int(pc.sum(midnight).as_py() or 0),
        first=earliest.isoformat() if earliest else None,
        last=latest.isoformat() if latest else None,
        mapping=dict(mapping),
    )
    return replace(report, warnings=(*notes, *_warnings(report)))


def _distinct(column: pa.ChunkedArray) -> int:
    return int(pc.count_distinct(column, mode="only_valid").as_py())


def _placeholder_counts(column: pa.ChunkedArray) -> dict[str, int]:
    counts = pc.value_counts(column.drop_null())
    found = {
        str(item["values"]): int(item["counts"])
        for item in counts.to_pylist()
        if str(item["values"]).strip().lower() in PLACEHOLDERS
    }
    return dict(sorted(found.items()))


def _warnings(report: ImportReport) -> list[str]:
    notes: list[str] = []
    # Without a resource column at all, canonical_events has said so already.
    if report.events_without_resource and report.mapping.get("resource"):
        notes.append(
            f"{report.events_without_resource:,} of {report.events:,} events have no resource; "
            "they are kept, and analyses of who handed work to whom skip them"
        )
    for column, found in report.placeholders.items():
        for value, count in found.items():
            notes.append(
                f"{column} value {value!r} on {count:,} events looks like a placeholder; "
                "it is kept as a value of its own (as PM4Py does)"
            )
    if report.cases_out_of_order:
        cases = report.cases_out_of_order
        notes.append(
            f"{cases:,} {'case has' if cases == 1 else 'cases have'} an event dated earlier "
            "than the event before it in the source; analyses order each case by timestamp"
        )
    if report.events_at_midnight and report.events_at_midnight >= report.events // 2:
        notes.append(
            f"{report.events_at_midnight:,} of {report.events:,} events are at 00:00:00 "
            "(dates without a time of day?): events of a case on the same day keep their "
            "order in the source, and waiting times are in whole days"
        )
    return notes


def read_csv_text(path: Path, *, progress: Progress | None = None) -> pa.Table:
    """Every column of a CSV file as text (empty cells: null), with its stripped header names.

    The delimiter (``,``, ``;`` or tab) is taken from the header line; an Excel ``sep=;`` first
    line is honoured; ``.gz`` files are decompressed; an unnamed, empty trailing column (as
    spreadsheets write) is dropped.
    """
    import pyarrow.csv as pcsv  # type: ignore[import-untyped]

    source = path.name
    header, delimiter, skip = _csv_header(path, source)
    if not header:
        raise InvalidWorkspace(
            Problem("the file is empty", "export the log again with a header line", source)
        )
    names = [f"f{i}" for i in range(len(header))]
    options = pcsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    try:
        with _open_binary(path, progress) as stream:
            table = pcsv.read_csv(
                stream,
                read_options=pcsv.ReadOptions(column_names=names, skip_rows=skip + 1),
                parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
                convert_options=options,
            )
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise InvalidWorkspace(_damaged(source, error)) from None
    except pa.ArrowInvalid as error:
        raise InvalidWorkspace(_csv_problem(path, source, str(error))) from None
    columns: dict[str, pa.ChunkedArray] = {}
    problems: list[Problem] = []
    for position, name in enumerate(header):
        column = table.column(position)
        if not name:
            if column.null_count == len(column):
                continue
            name = f"unnamed_{position + 1}"
        if name in columns:
            problems.append(
                Problem(
                    f"column {name!r} appears twice in the header",
                    "rename or remove one of them",
                    source,
                    skip + 1,
                    name,
                )
            )
        columns[name] = column
    if problems:
        raise InvalidWorkspace(problems)
    return pa.table(columns)


def _csv_header(path: Path, source: str) -> tuple[list[str], str, int]:
    try:
        with _open_binary(path, None) as stream:
            head = stream.read(1 << 16)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise InvalidWorkspace(_damaged(source, error)) from None
    text = head.decode("utf-8-sig", errors="replace")
    lines = io.StringIO(text, newline="")
    first = lines.readline()
    skip = 0
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter, skip = first.strip()[4], 1
    else:
        delimiter = detect_delimiter(first)
        lines.seek(0)
    row = next(csv.reader(lines, delimiter=delimiter), [])
    return [cell.strip() for cell in row], delimiter, skip


class _Counting(io.RawIOBase):
    """A binary file that reports how far it has been read."""

    def __init__(self, raw: IO[bytes], total: int, progress: Progress) -> None:
        self._raw = raw
        self._total = total
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._progress(self._raw.tell(), self._total)
        return int(count or 0)


@contextmanager
def _open_binary(path: Path, progress: Progress | None) -> Iterator[IO[bytes]]:
    """The file's bytes (decompressed for ``.gz``), reporting progress if asked."""
    with path.open("rb") as raw:
        stream: IO[bytes] = raw
        if progress is not None:
            stream = io.BufferedReader(_Counting(raw, path.stat().st_size, progress), 1 << 20)
        if path.suffix.lower() == ".gz":
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb"))
        yield stream


def _damaged(source: str, error: BaseException) -> Problem:
    return Problem(
        f"the compressed file is damaged or truncated ({error})",
        "download or export it again; `gzip -t FILE` tells whether a .gz is whole",
        source,
    )


def _csv_problem(path: Path, source: str, message: str) -> Problem:
    if "UTF8" in message or "UTF-8" in message:
        line = _first_non_utf8_line(path)
        return Problem(
            "the file is not UTF-8 text (Windows-1252 or Latin-1?)",
            "save it as UTF-8 text (in Excel: Save As › 'CSV UTF-8 (Comma delimited)')",
            source,
            line,
        )
    detail = message.removeprefix("CSV parse error: ").splitlines()[0]
    return Problem(
        f"the file cannot be read as CSV: {detail}",
        "put cells that contain the delimiter in double quotes, and close every quote",
        source,
    )


def _first_non_utf8_line(path: Path) -> int | None:
    with _open_binary(path, None) as stream:
        data = stream.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1
    return None


def _csv_line_finder(path: Path) -> Callable[[int], int | None]:
    """``line_of(row)`` for a CSV file: rescans it, and only when a message needs a line."""

    def line_of(row: int) -> int | None:
        with _open_binary(path, None) as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            _, delimiter, skip = _csv_header(path, path.name)
            for _ in range(skip):
                text.readline()
            reader = csv.reader(text, delimiter=delimiter)
            next(reader, None)
            previous = reader.line_num
            seen = -1
            for cells in reader:
                start = skip + previous + 1
                previous = reader.line_num
                if any(cell.strip() for cell in cells):
                    seen += 1
                    if seen == row:
                        return start
        return None

    return line_of


_LEADING_ZERO = r"^[+-]?0\d"


def _typed_extras(raw: pa.Table, mapping: Mapping[str, str | None]) -> pa.Table:
    """Text columns holding only integers or only decimal numbers become numeric.

    Mapped columns, and columns with numbers written with leading zeros (ids, postcodes),
    stay text.
    """
    mapped = {_name_key(name) for name in mapping.values() if name}
    mapped |= {key for keys in CANDIDATES.values() for key in keys}
    columns = {}
    for name in raw.column_names:
        column = raw.column(name)
        if _name_key(name) not in mapped and column.null_count < len(column):
            column = _number_or_text(column)
        columns[name] = column
    return pa.table(columns)


def _number_or_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    valid = column.drop_null()
    if not len(valid) or pc.any(pc.match_substring_regex(valid, _LEADING_ZERO)).as_py():
        return column
    if not pc.all(
        pc.match_substring_regex(valid, r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
    ).as_py():
        return column
    for kind in (pa.int64(), pa.float64()):
        try:
            return pc.cast(pc.utf8_trim_whitespace(column), kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return column


def _read_parquet(path: Path) -> pa.Table:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise InvalidWorkspace(
            Problem(
                f"the file cannot be read as Parquet ({error})",
                "write it again (it may be truncated or not Parquet at all)",
                path.name,
            )
        ) from None
    return table
