"""Any Arrow table with one row per event made the canonical event table, its report attached.

:func:`canonical_events` finds the column of each role (case, activity, timestamp, resource,
group), checks and converts them, keeps every other column as an attribute, and attaches the
:class:`~orglens.io.events_report.ImportReport`. The canonical table is described in
:mod:`orglens.io.eventlog`, whose readers (CSV, Parquet, XES) and the CRM importers all end here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.events_columns import (
    CANDIDATES,
    ROLES,
    existing_positions,
    optional_labels,
    required_labels,
    required_text,
    resolve_mapping,
    row_positions,
)
from orglens.io.events_report import CaseOrder, case_order, summarize, with_report
from orglens.io.events_time import timestamp_column

__all__ = ["CANONICAL_COLUMNS", "canonical_columns", "canonical_events"]

#: The columns every event table starts with, in order.
CANONICAL_COLUMNS = ("case_id", "activity", "timestamp", "resource", "group", "position")


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
    :func:`~orglens.io.eventlog.read_events`). Columns not mapped are kept as they are (a name
    that clashes with a canonical column gets a ``source_`` prefix). ``line_of(row)`` gives the
    line of a row for error messages; ``warnings`` are added to the report.

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
    >>> from orglens.io.eventlog import import_report
    >>> import_report(table).cases_out_of_order
    1
    """
    given = dict(mapping or {})
    # The case order (the longest part of the report) is computed in a thread of its own from
    # the moment case ids and timestamps are known, while this one does the rest.
    with ThreadPoolExecutor(max_workers=1) as pool:
        table, resolved, notes, order = canonical_columns(
            raw, source, given, line_of=line_of, pool=pool
        )
        report = summarize(table, source, resolved, [*warnings, *notes], order=order)
    return with_report(table, report)


def canonical_columns(
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
