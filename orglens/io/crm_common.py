"""What every CRM reader shares: loose column names, dates with the line of a bad one, the end.

Internal: :mod:`orglens.io.crm` is the public face. Each reader (:mod:`orglens.io.crm_hubspot`,
:mod:`orglens.io.crm_salesforce`, :mod:`orglens.io.crm_public`) makes its events, notes what it
found as warnings, and hands both to :func:`finish_events`, which makes the canonical table of
:mod:`orglens.io.eventlog` (or says the export holds no events).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.csv_lines import csv_line_finder
from orglens.io.events_canonical import canonical_events as _canonical
from orglens.io.events_time import TimestampError, parse_timestamps

__all__ = [
    "PathLike",
    "as_paths",
    "column_key",
    "compact_name",
    "count_phrase",
    "finish_events",
    "missing_columns_error",
    "parse_date_column",
    "text_array",
]

PathLike = str | os.PathLike[str]
_CANONICAL = {
    "case": "case_id",
    "activity": "activity",
    "timestamp": "timestamp",
    "resource": "resource",
    "group": "group",
}


def column_key(name: str) -> str:
    """A column name in snake case: ``" Lead-Status "`` → ``"lead_status"``."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def compact_name(name: str) -> str:
    """A name in lowercase letters and digits only: ``"Owner_Id"`` → ``"ownerid"``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def as_paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """One path or several, as a list of paths."""
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(path) for path in paths]


def text_array(values: Sequence[object]) -> pa.Array:
    """``values`` as an Arrow string array."""
    return pa.array(values, pa.string())


def finish_events(parts: list[pa.Table], source: str, notes: list[str], empty: str) -> pa.Table:
    """The canonical event table of a reader's ``parts``, with ``notes`` as its warnings; an
    error saying ``empty`` when they hold no events."""
    if not parts or not sum(part.num_rows for part in parts):
        raise InvalidWorkspace(Problem(f"the export holds no events: {empty}", _EMPTY_FIX, source))
    table = pa.concat_tables(parts, promote_options="default")
    table = table.drop_columns(["position"]) if "position" in table.column_names else table
    for name in ("resource", "group"):
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    table = table.append_column("position", pa.array(range(table.num_rows), pa.int64()))
    return _canonical(table, source, _CANONICAL, warnings=notes)


_EMPTY_FIX = "export the history with its dated changes, or give another file"


def parse_date_column(
    raw: pa.Table,
    name: str,
    path: Path,
    line_of: Callable[[int], int | None] | None = None,
    *,
    required: bool = False,
) -> pa.Array:
    """The dates of column ``name``; with ``required``, a row without one is an error."""
    find = line_of or csv_line_finder(path)
    try:
        parsed = parse_timestamps(raw.column(name))
    except TimestampError as error:
        raise InvalidWorkspace(
            Problem(
                f"{name!r} has {error.value!r}, which is not a date",
                "write dates as ISO 8601 (2024-03-01 or 2024-03-01 14:05:00+01:00)",
                path.name,
                find(error.row),
                name,
            )
        ) from None
    if required and parsed.null_count:
        row = int(pc.index(pc.is_null(parsed), True).as_py())
        raise InvalidWorkspace(
            Problem(
                f"{name!r} is empty",
                "give every row its date, or remove the rows without one",
                path.name,
                find(row),
                name,
            )
        )
    return parsed


def missing_columns_error(path: Path, raw: pa.Table, what: str, fix: str) -> InvalidWorkspace:
    """The error to raise when ``raw`` lacks columns: ``what``, ``fix`` and the columns it has."""
    listing = ", ".join(repr(name) for name in raw.column_names)
    return InvalidWorkspace(Problem(what, f"{fix}; the file has: {listing}", path.name, 1))


def count_phrase(number: int, one: str, many: str) -> str:
    """``number`` with ``one`` or ``many`` after it: ``count_phrase(2, "deal", "deals")`` →
    ``"2 deals"``."""
    return f"{number:,} {one if number == 1 else many}"
