"""The import report: what an import found (counts, and the quirks kept in the data).

:func:`summarize` computes it from a canonical event table in a few passes over whole columns:
the case ids are hashed once (see :func:`case_order`), the label columns are counted on their
distinct values, and the timestamps as integers. Nothing here turns a Python value into an Arrow
one: pyarrow imports pandas the first time it does (seconds on a cold start).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.io.events_columns import label_codes, labels
from orglens.io.events_time import TIMESTAMP

__all__ = [
    "METADATA_KEY",
    "PLACEHOLDERS",
    "CaseOrder",
    "ForeignReport",
    "ImportReport",
    "case_order",
    "stored_report",
    "summarize",
    "with_report",
]

#: The schema metadata key the report is kept under (Parquet keeps it).
METADATA_KEY = b"orglens.import"

#: Values that stand for "unknown" in exports; they are kept but reported.
PLACEHOLDERS = frozenset(
    ("empty", "unknown", "none", "null", "n/a", "na", "nan", "-", "?", "select", "undefined")
)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SLICE = 1 << 20


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


def with_report(table: pa.Table, report: ImportReport) -> pa.Table:
    """``table`` with ``report`` in its schema metadata (any other metadata is dropped)."""
    metadata = {METADATA_KEY: json.dumps(report.to_dict()).encode()}
    return table.replace_schema_metadata(metadata)


class ForeignReport(ValueError):
    """The ``orglens.import`` metadata of a table is not a report orglens wrote for it: ``why``."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


_COUNTS = (
    "events",
    "cases",
    "activities",
    "resources",
    "groups",
    "events_without_resource",
    "events_without_group",
    "cases_out_of_order",
    "timestamp_ties",
    "events_at_midnight",
)


def stored_report(table: pa.Table) -> ImportReport | None:
    """The report kept in ``table``'s schema metadata; ``None`` when there is none.

    Raises
    ------
    ForeignReport
        When the metadata is not a report orglens wrote for this table: not JSON, keys missing
        or unknown, counts that are not whole numbers, or a count of events other than the
        table's rows (another tool's metadata under our key, or a table changed since).

    Examples
    --------
    >>> table = pa.table({"x": [1]}).replace_schema_metadata({METADATA_KEY: b"{oops"})
    >>> stored_report(table)
    Traceback (most recent call last):
    ...
    orglens.io.events_report.ForeignReport: it is not JSON (Expecting property name ...)
    """
    metadata = table.schema.metadata or {}
    if METADATA_KEY not in metadata:
        return None
    try:
        data = json.loads(metadata[METADATA_KEY])
    except (ValueError, UnicodeDecodeError) as error:
        raise ForeignReport(f"it is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise ForeignReport(f"it holds a JSON {type(data).__name__}, not a report")
    expected = set(ImportReport.__dataclass_fields__)
    if set(data) != expected:
        odd = sorted(set(data) ^ expected)
        raise ForeignReport(f"its keys differ from a report's ({', '.join(odd[:5])})")
    wrong = [key for key in _COUNTS if type(data[key]) is not int or data[key] < 0]
    if wrong:
        raise ForeignReport(f"{wrong[0]!r} is {data[wrong[0]]!r}, not a count")
    if data["events"] != table.num_rows:
        raise ForeignReport(
            f"it counts {data['events']:,} events where the file has {table.num_rows:,}"
        )
    try:
        return ImportReport.from_dict(data)
    except (TypeError, ValueError) as error:
        raise ForeignReport(str(error)) from None


@dataclass(frozen=True)
class CaseOrder:
    """How the events of each case follow one another in the source (see :class:`ImportReport`).

    ``cases``: distinct non-null case ids; ``out_of_order``: cases with an event dated earlier
    than the event before it; ``ties``: events dated as the event before them in their case.
    """

    cases: int
    out_of_order: int
    ties: int


def case_order(
    case_id: pa.ChunkedArray,
    timestamps: pa.Array | pa.ChunkedArray,
    position: pa.Array | pa.ChunkedArray | None = None,
) -> CaseOrder:
    """The :class:`CaseOrder` of events given in source order, or in ``position`` order.

    The events are grouped by case id in one hash pass that keeps each case's timestamps in
    the order of the rows (grouping on one thread keeps it); neighbours within a case are then
    compared. Rows are sorted by ``position`` first only when they are not in its order.

    Most exports list events in time order. Then no case goes back in time, and an event can
    only tie with events at the same time, which sit next to it: the cases are counted as
    distinct ids while only the events that share their time with a neighbour are compared
    (for the 10M-event benchmark log: about half the time and a third of the memory).

    Examples
    --------
    >>> times = pa.array([5, 1, 1, 9], pa.timestamp("us", "UTC"))
    >>> case_order(pa.chunked_array([["a", "b", "b", "a"]]), times)
    CaseOrder(cases=2, out_of_order=0, ties=1)
    >>> case_order(pa.chunked_array([["a", "b", "b", "a"]]), times, pa.array([3, 1, 2, 0]))
    CaseOrder(cases=2, out_of_order=1, ties=1)
    >>> case_order(pa.chunked_array([["a", "b", "b", "a"]]), pa.array([1, 2, 2, 2], TIMESTAMP))
    CaseOrder(cases=2, out_of_order=0, ties=1)
    """
    events = pa.table({"case": case_id, "time": pc.cast(timestamps, pa.int64())})
    if position is not None:
        order = position.combine_chunks() if isinstance(position, pa.ChunkedArray) else position
        if len(order) > 1 and not pc.all(pc.less(order[:-1], order[1:])).as_py():
            events = events.take(pc.sort_indices(order))
    if events.column("case").null_count:
        events = events.filter(pc.is_valid(events.column("case")))
    if not _in_time_order(events.column("time")):
        return _grouped_order(events)
    # Two hash passes, over the case ids and over the events that share a time, side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        cases = pool.submit(lambda: len(pc.unique(events.column("case"))))
        ties = _ties_in_time_order(events)
        return CaseOrder(cases.result(), 0, ties)


def _ties_in_time_order(events: pa.Table) -> int:
    """The ties among ``events`` (``case``, ``time``) in time order.

    Events at one time sit next to each other. A run of two of them is a tie when both are
    of one case; the (rarer) events in longer runs are grouped by case.
    """
    times = events.column("time")
    same = pc.equal(times[1:], times[:-1])  # [k]: event k + 1 is at the time of event k
    if not pc.any(same).as_py():
        return 0
    false = pc.is_valid(pa.nulls(1, pa.bool_()))
    before = pa.chunked_array([false, *same.chunks])  # [i]: at the time of event i - 1
    after = pa.chunked_array([*same.chunks, false])  # [i]: at the time of event i + 1
    inner = pc.and_(before, after)  # inside a run of three or more
    next_inner = pa.chunked_array([*inner[1:].chunks, false])
    previous_inner = pa.chunked_array([false, *inner[:-1].chunks])
    in_long = pc.or_(inner, pc.or_(pc.and_(after, next_inner), pc.and_(before, previous_inner)))
    pairs = pc.indices_nonzero(pc.and_(same, pc.invert(in_long[:-1])))
    case = events.column("case")
    one = _scalar(1, pa.uint64())
    ties = _count(pc.equal(case.take(pairs), case.take(pc.add(pairs, one))))
    longer = events.filter(in_long)
    return ties + (_grouped_order(longer).ties if longer.num_rows else 0)


def _in_time_order(times: pa.ChunkedArray) -> bool:
    """Whether ``times`` never decreases (chunk by chunk: no copy of the column)."""
    if times.null_count:
        return False
    last: int | None = None
    for chunk in times.chunks:
        if not len(chunk):
            continue
        if last is not None and chunk[0].as_py() < last:
            return False
        if not pc.all(pc.less_equal(chunk[:-1], chunk[1:])).as_py():
            return False
        last = chunk[-1].as_py()
    return True


def _grouped_order(events: pa.Table) -> CaseOrder:
    """The :class:`CaseOrder` of ``events`` (``case``, ``time``) from each case's list of times."""
    grouped = _group_lists(events, "case", "time")
    sequences = grouped.column("time").combine_chunks()
    times = sequences.flatten()
    # Neighbours in the flattened lists; the pairs across two cases start at each offset.
    earlier = pc.less(times[1:], times[:-1])
    tied = pc.equal(times[1:], times[:-1])
    across = pc.subtract(sequences.offsets[1:-1], _scalar(1, pa.int32()))
    ties = _count(tied) - _count(pc.take(tied, across))
    out_of_order = 0
    if _count(earlier) > _count(pc.take(earlier, across)):
        case = pc.list_parent_indices(sequences)
        back = pc.and_(earlier, pc.equal(case[1:], case[:-1]))
        out_of_order = int(pc.count_distinct(pc.filter(case[1:], back)).as_py())
    return CaseOrder(grouped.num_rows, out_of_order, ties)


def _count(mask: pa.Array | pa.ChunkedArray) -> int:
    return int(pc.sum(mask).as_py() or 0)


def summarize(
    table: pa.Table,
    source: str,
    mapping: Mapping[str, str | None],
    notes: Iterable[str],
    *,
    order: Callable[[], CaseOrder] | None = None,
) -> ImportReport:
    """The report of a canonical event table (``activity``, ``resource``, ``group``: text or
    dictionary-encoded text); ``notes`` come first among its warnings.

    ``order`` gives the table's :class:`CaseOrder` when it is computed elsewhere (in another
    thread, while this one does the rest); it is called last. How each count is computed:

    - ``cases``, ``cases_out_of_order``, ``timestamp_ties``: see :func:`case_order`;
    - ``activities``, ``resources``, ``groups``: distinct codes in use of a dictionary column
      (its texts are distinct), distinct values of a text column;
    - ``placeholders``: when a placeholder is among the texts, events per value;
    - ``events_at_midnight``: timestamps (microseconds since 1970) that are whole days.
    """
    timestamps = table.column("timestamp")
    activities, _, _ = _values(table.column("activity"), placeholders=False)
    resources, resource_nulls, resource_placeholders = _values(table.column("resource"))
    groups, group_nulls, group_placeholders = _values(table.column("group"))
    placeholders = {
        column: found
        for column, found in (("resource", resource_placeholders), ("group", group_placeholders))
        if found
    }
    first, last = _extremes(timestamps)
    at_midnight = _at_midnight(timestamps)
    if order is None:
        sequences = case_order(table.column("case_id"), timestamps, table.column("position"))
    else:
        sequences = order()
    report = ImportReport(
        source=source,
        events=table.num_rows,
        cases=sequences.cases,
        activities=activities,
        resources=resources,
        groups=groups,
        events_without_resource=resource_nulls,
        events_without_group=group_nulls,
        placeholders=placeholders,
        cases_out_of_order=sequences.out_of_order,
        timestamp_ties=sequences.ties,
        events_at_midnight=at_midnight,
        first=first.isoformat() if first else None,
        last=last.isoformat() if last else None,
        mapping=dict(mapping),
    )
    return replace(report, warnings=(*notes, *_warnings(report)))


def _group_lists(table: pa.Table, key: str, values: str) -> pa.Table:
    """One row per distinct ``key`` (in order of first appearance) with the list of its
    ``values`` in row order: ``table.group_by(key, use_threads=False)`` aggregating a list.

    Built on ``pyarrow._acero`` as ``Table.group_by`` is: its public home ``pyarrow.acero``
    imports ``pyarrow.dataset``, which imports pandas (seconds on a cold start).
    """
    from pyarrow._acero import (  # type: ignore[import-untyped]
        AggregateNodeOptions,
        Declaration,
        TableSourceNodeOptions,
    )

    plan = Declaration.from_sequence(
        [
            Declaration("table_source", TableSourceNodeOptions(table.select([key, values]))),
            Declaration(
                "aggregate",
                AggregateNodeOptions([(values, "hash_list", None, values)], keys=[key]),
            ),
        ]
    )
    return plan.to_table(use_threads=False)


def _values(
    column: pa.ChunkedArray, *, placeholders: bool = True
) -> tuple[int, int, dict[str, int]]:
    """Distinct non-null values, nulls, and placeholder values with the events carrying each."""
    if not pa.types.is_dictionary(column.type):
        counts = pc.value_counts(column.drop_null())
        kept = _placeholders(counts.field("values"), counts.field("counts"))
        return len(counts), column.null_count, kept if placeholders else {}
    column = labels(column)
    codes = label_codes(column)
    distinct = int(pc.count_distinct(codes).as_py())
    texts = column.chunk(0).dictionary if column.num_chunks else pa.nulls(0, pa.string())
    found: dict[str, int] = {}
    if placeholders and any(_is_placeholder(text) for text in texts.to_pylist()):
        counts = pc.value_counts(codes)
        counts = counts.filter(pc.is_valid(counts.field("values")))
        found = _placeholders(pc.take(texts, counts.field("values")), counts.field("counts"))
    return distinct, column.null_count, found


def _placeholders(texts: pa.Array, counts: pa.Array) -> dict[str, int]:
    """The placeholder texts among ``texts`` with their ``counts`` of events, sorted."""
    found = {
        str(text): int(count)
        for text, count in zip(texts.to_pylist(), counts.to_pylist(), strict=True)
        if _is_placeholder(text)
    }
    return dict(sorted(found.items()))


def _is_placeholder(text: object) -> bool:
    return str(text).strip().lower() in PLACEHOLDERS


def _extremes(timestamps: pa.ChunkedArray) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The earliest and the latest timestamp."""
    if timestamps.type != TIMESTAMP:
        extremes = pc.min_max(timestamps)
        return extremes["min"].as_py(), extremes["max"].as_py()
    # As microseconds: pyarrow imports pandas to turn a zoned timestamp into a datetime.
    extremes = pc.min_max(pc.cast(timestamps, pa.int64()))
    return _utc(extremes["min"].as_py()), _utc(extremes["max"].as_py())


def _utc(micros: int | None) -> dt.datetime | None:
    return None if micros is None else _EPOCH + dt.timedelta(microseconds=micros)


def _at_midnight(timestamps: pa.ChunkedArray) -> int:
    if timestamps.type != TIMESTAMP:
        # Midnight in the column's own time zone, as the type says.
        midnight = pc.equal(timestamps, pc.floor_temporal(timestamps, unit="day"))
        return int(pc.sum(midnight).as_py() or 0)
    # Whole days of microseconds since 1970: integer arithmetic, 10x faster than floor_temporal;
    # a million events at a time, to keep the intermediate columns small.
    micros = pc.cast(timestamps, pa.int64())
    day = _scalar(86_400_000_000, pa.int64())
    found = 0
    for start in range(0, len(micros), _SLICE):
        part = micros.slice(start, _SLICE)
        found += _count(pc.equal(pc.multiply(pc.divide(part, day), day), part))
    return found


def _scalar(value: int, kind: pa.DataType) -> pa.Scalar:
    """``value`` as an Arrow integer scalar, made from its bytes (see the module docstring)."""
    data = value.to_bytes(kind.bit_width // 8, sys.byteorder, signed=value < 0)
    return pa.Array.from_buffers(kind, 1, [None, pa.py_buffer(data)])[0]


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
