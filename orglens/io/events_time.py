"""Timestamps of event logs: text parsed into UTC, and a source column made canonical.

Every timestamp ends up as ``timestamp[us, tz=UTC]`` (:data:`TIMESTAMP`). Text with a zone offset
is converted to UTC; text without one is taken to be UTC already.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem

__all__ = [
    "TIMESTAMP",
    "TimestampError",
    "csv_timestamp_type",
    "parse_timestamps",
    "timestamp_column",
]

#: The type of the canonical ``timestamp`` column.
TIMESTAMP = pa.timestamp("us", tz="UTC")

_OFFSET = r":\d\d(?:[.,]\d+)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"
_EPOCH_MILLIS = r"^\d{13}$"
_SLASH_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")
_ISO_FIX = "write it as ISO 8601, e.g. 2024-03-01 14:05:00+01:00 or 2024-03-01"


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
    if len(valid) and pc.all(pc.match_substring_regex(valid, _EPOCH_MILLIS)).as_py():
        millis = pc.multiply(pc.cast(text, pa.int64()), 1000)
        return pc.cast(millis, TIMESTAMP)
    try:
        return _parse_vectorized(text)
    except pa.ArrowInvalid:
        return _parse_one_by_one(text)


def csv_timestamp_type(sample: pa.Array | pa.ChunkedArray) -> pa.DataType | None:
    """The type Arrow's CSV reader may convert a timestamp column to, judged by its first cells.

    ``timestamp[us, tz=UTC]`` when every cell of ``sample`` has a zone offset,
    ``timestamp[us]`` (naive, taken as UTC later) when none has; ``None`` (read the column as
    text, for :func:`parse_timestamps`) when the sample is empty, mixed, padded with
    whitespace, or epoch milliseconds. Arrow's CSV conversion is the ISO 8601 parser that
    :func:`parse_timestamps` casts with, so a column it converts whole has the values
    :func:`parse_timestamps` gives; a cell it cannot convert fails the read, and the caller
    reads the column as text instead.

    Examples
    --------
    >>> csv_timestamp_type(pa.array(["2024-01-01T10:00:00Z", "2024-01-02T08:00:00+02:00"]))
    TimestampType(timestamp[us, tz=UTC])
    >>> csv_timestamp_type(pa.array(["2024-01-01", None, "2024-01-02 10:00"]))
    TimestampType(timestamp[us])
    >>> csv_timestamp_type(pa.array(["2024-01-01", "2024-01-02T08:00:00+02:00"])) is None
    True
    """
    text = sample.drop_null()
    if not pa.types.is_string(text.type) or not len(text):
        return None
    if not pc.all(pc.equal(pc.utf8_trim_whitespace(text), text)).as_py():
        return None
    if pc.all(pc.match_substring_regex(text, _EPOCH_MILLIS)).as_py():
        return None
    has_offset = pc.match_substring_regex(text, _OFFSET)
    if pc.all(has_offset).as_py():
        return TIMESTAMP
    if not pc.any(has_offset).as_py():
        return pa.timestamp("us")
    return None


def timestamp_column(
    raw: pa.Table, name: str | None, source: str, line_of: Callable[[int], int | None]
) -> pa.Array | pa.ChunkedArray:
    """Column ``name`` of ``raw`` as ``timestamp[us, tz=UTC]``, refusing empty cells.

    Timestamp types are converted to UTC (naive ones taken as UTC), dates become midnight UTC,
    text is parsed by :func:`parse_timestamps`; any other type, an unparsable text and an empty
    cell raise :class:`~orglens.errors.InvalidWorkspace` with the event's line.
    """
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
    if result.null_count:
        row = int(pc.index(pc.is_null(result), True).as_py())
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
