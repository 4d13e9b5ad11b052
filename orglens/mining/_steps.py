"""Building blocks shared by the mining algorithms: event order, successions, waiting times.

Internal. Every function here builds Ibis expressions that run unchanged on any engine, or reads
results back as plain Python values (through Arrow, so nulls stay None and integers stay exact).
The definitions they implement are in the documentation of :mod:`orglens.mining`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]

from orglens.errors import Problem, UsageError

CASE = "case_id"
ACTIVITY = "activity"
TIMESTAMP = "timestamp"
POSITION = "position"

_MICROSECONDS = 1_000_000


def case_order() -> Any:
    """The window that orders the events of each case (timestamp, then position)."""
    return ibis.window(group_by=CASE, order_by=[TIMESTAMP, POSITION])


def require_columns(events: ir.Table, *names: str) -> None:
    """Raise :class:`UsageError` naming the existing columns when one of ``names`` is absent."""
    missing = [name for name in names if name not in events.columns]
    if missing:
        raise UsageError(
            Problem(
                f"the event table has no column {', '.join(map(repr, missing))}",
                f"use one of {', '.join(map(repr, events.columns))}",
            )
        )


def rows(expr: ir.Table) -> list[dict[str, Any]]:
    """Execute ``expr`` and return its rows as dicts of plain Python values (null → None)."""
    result: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return result


def columns(expr: ir.Table) -> dict[str, list[Any]]:
    """Execute ``expr`` and return its columns as lists of plain Python values (null → None)."""
    result: dict[str, list[Any]] = expr.to_pyarrow().to_pydict()
    return result


def scalar(expr: ir.Scalar) -> Any:
    """Execute a scalar expression and return its plain Python value."""
    return expr.to_pyarrow().as_py()


@dataclass(frozen=True)
class WaitSummary:
    """How many successions a group holds and how long they waited (seconds; None if none)."""

    count: int
    wait_s_mean: float | None
    wait_s_median: float | None
    wait_s_p90: float | None

    @classmethod
    def empty(cls) -> WaitSummary:
        return cls(0, None, None, None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "wait_s_mean": seconds(self.wait_s_mean),
            "wait_s_median": seconds(self.wait_s_median),
            "wait_s_p90": seconds(self.wait_s_p90),
        }


def wait_summaries(
    steps: ir.Table, keys: Sequence[str], *, p90: bool = True
) -> dict[tuple[Any, ...], WaitSummary]:
    """Count, mean, median and (unless ``p90`` is false) p90 of ``wait_us`` per group of
    ``keys``, in seconds."""
    wait = steps.wait_us
    # Both quantiles from one aggregate: engines keep every value of a group once, not twice.
    summary = steps.group_by(list(keys)).aggregate(
        _count=steps.count(),
        _mean=wait.mean(),
        _quantiles=wait.quantile([0.5, 0.9] if p90 else [0.5]),
    )
    found: dict[tuple[Any, ...], WaitSummary] = {}
    for row in rows(summary):
        quantiles = [float(value) / _MICROSECONDS for value in row["_quantiles"]]
        found[tuple(row[key] for key in keys)] = WaitSummary(
            count=int(row["_count"]),
            wait_s_mean=float(row["_mean"]) / _MICROSECONDS,
            wait_s_median=quantiles[0],
            wait_s_p90=quantiles[1] if p90 else None,
        )
    return found


def seconds(value: float | None) -> float | None:
    """A duration rounded to the microsecond, the resolution of event timestamps."""
    return None if value is None else round(value, 6)


def sorted_counts(counts: Mapping[str, int] | Iterable[tuple[str, int]]) -> dict[str, int]:
    """A ``{name: count}`` dict with its keys sorted."""
    items = counts.items() if isinstance(counts, Mapping) else counts
    return dict(sorted(items))
