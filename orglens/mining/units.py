"""Handoffs between organizational units, their waiting times, and leakage after them.

The **unit** of an event comes from a column of the event table (``unit="group"``) or from a
mapping of resources to units (``unit={"ann": "Marketing", ...}`` or a table with columns
``resource`` and ``unit``), which a caller builds from a workspace (a person's id, name or
e-mail → that person's unit at some level). **Events without a unit (no resource, or a
resource the mapping does not know) are left out before successions are formed**, so work
that passes through them counts as one handoff between the known units around them; their
number is reported as ``events_without_unit``.

Definitions (see :mod:`orglens.mining` for event order, waiting time and the quantiles):

- **transition** ``u → v``: a succession of two events of a case (among the events with a
  unit) whose units are ``u`` and ``v``; **within-unit** when ``u == v``, **cross-unit**
  (a *handoff*) otherwise.
- **unit handoff matrix**: per pair ``u → v``, the number of transitions and the mean, median
  and p90 of their waiting times in seconds; and the same for all within-unit and all
  cross-unit transitions together.
- **leakage**: a case *leaks* at ``u → v`` when its last two events with a unit are in units
  ``u != v`` (the case ended right after a handoff) and the activity of the case's very last
  event (with or without a unit) is not a declared end activity. ``handoff_cases`` of a pair
  counts the cases with at least one ``u → v`` handoff anywhere; ``share`` = leaked cases /
  handoff cases.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import Problem, UsageError
from orglens.mining._steps import (
    ACTIVITY,
    CASE,
    POSITION,
    TIMESTAMP,
    WaitSummary,
    case_order,
    require_columns,
    rows,
    scalar,
    seconds,
    successions,
    wait_summaries,
)

__all__ = [
    "Leakage",
    "LeakagePair",
    "UnitHandoffs",
    "UnitPair",
    "leakage",
    "unit_handoffs",
]

#: Where the unit of an event comes from: a column name, a ``{resource: unit}`` mapping, or a
#: table with columns ``resource`` and ``unit`` (on the same engine, or an ``ibis.memtable``).
UnitSource: TypeAlias = "str | Mapping[str, str] | ir.Table"

_UNIT = "_orglens_unit"


@dataclass(frozen=True)
class UnitPair:
    """Transitions from one unit to another (or within one unit) and their waiting times."""

    source: str
    target: str
    count: int
    wait_s_mean: float | None
    wait_s_median: float | None
    wait_s_p90: float | None

    @property
    def cross_unit(self) -> bool:
        """Whether the pair is a handoff between two different units."""
        return self.source != self.target

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "count": self.count,
            "wait_s_mean": seconds(self.wait_s_mean),
            "wait_s_median": seconds(self.wait_s_median),
            "wait_s_p90": seconds(self.wait_s_p90),
        }


@dataclass(frozen=True)
class UnitHandoffs:
    """The unit×unit transition matrix, and within-unit vs cross-unit totals."""

    pairs: tuple[UnitPair, ...]
    within: WaitSummary
    cross: WaitSummary
    events_without_unit: int

    def to_dict(self) -> dict[str, Any]:
        """``{"pairs": [{source, target, count, wait_s_mean, wait_s_median, wait_s_p90}],
        "within": {count, wait_s_mean, wait_s_median, wait_s_p90}, "cross": {...},
        "events_without_unit": n}``."""
        return {
            "pairs": [pair.to_dict() for pair in self.pairs],
            "within": self.within.to_dict(),
            "cross": self.cross.to_dict(),
            "events_without_unit": self.events_without_unit,
        }

    def matrix(self) -> dict[str, dict[str, int]]:
        """Transition counts as a nested dict ``{source: {target: count}}``, keys sorted."""
        nested: dict[str, dict[str, int]] = {}
        for pair in self.pairs:
            nested.setdefault(pair.source, {})[pair.target] = pair.count
        return nested


@dataclass(frozen=True)
class LeakagePair:
    """Cases that ended right after a handoff from ``source`` to ``target``."""

    source: str
    target: str
    count: int
    handoff_cases: int

    @property
    def share(self) -> float:
        """Leaked cases / cases with at least one such handoff."""
        return self.count / self.handoff_cases

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "count": self.count,
            "handoff_cases": self.handoff_cases,
            "share": self.share,
        }


@dataclass(frozen=True)
class Leakage:
    """Leaked cases per cross-unit pair (pairs with handoffs but no leak are listed with 0)."""

    pairs: tuple[LeakagePair, ...]
    leaked_cases: int
    cases: int

    def to_dict(self) -> dict[str, Any]:
        """``{"pairs": [{source, target, count, handoff_cases, share}], "leaked_cases": n,
        "cases": n}``."""
        return {
            "pairs": [pair.to_dict() for pair in self.pairs],
            "leaked_cases": self.leaked_cases,
            "cases": self.cases,
        }


def unit_handoffs(
    events: ir.Table, /, *, unit: UnitSource, resource: str = "resource"
) -> UnitHandoffs:
    """The unit×unit matrix of transitions with their waiting times.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`).
    unit
        Where an event's unit comes from: a column name, a ``{resource: unit}`` mapping, or a
        table with columns ``resource`` and ``unit``.
    resource
        The column the mapping's keys are matched against.

    Returns
    -------
    UnitHandoffs
        ``pairs`` sorted by (source, target), within-unit pairs included; ``within`` and
        ``cross`` summarise all within-unit and all cross-unit transitions.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1"] * 3, "activity": ["mql", "call", "offer"],
    ...                 "timestamp": [hour(9), hour(13), hour(14)],
    ...                 "resource": ["mia", "sam", "sue"], "group": [None] * 3,
    ...                 "position": [0, 1, 2]})
    >>> units = {"mia": "Marketing", "sam": "Sales", "sue": "Sales"}
    >>> result = unit_handoffs(connect().read_events(log), unit=units)
    >>> [(p.source, p.target, p.count, p.wait_s_mean) for p in result.pairs]
    [('Marketing', 'Sales', 1, 14400.0), ('Sales', 'Sales', 1, 3600.0)]
    >>> result.cross.count, result.within.count
    (1, 1)
    """
    labelled = _with_unit(events, unit, resource)
    steps = successions(labelled, _UNIT)
    pairs = tuple(
        UnitPair(
            source=source,
            target=target,
            count=summary.count,
            wait_s_mean=summary.wait_s_mean,
            wait_s_median=summary.wait_s_median,
            wait_s_p90=summary.wait_s_p90,
        )
        for (source, target), summary in sorted(wait_summaries(steps, ["source", "target"]).items())
    )
    kinds = wait_summaries(
        steps.mutate(kind=(steps.source == steps.target).ifelse("within", "cross")), ["kind"]
    )
    unknown = scalar(labelled[_UNIT].isnull().ifelse(1, 0).sum())
    return UnitHandoffs(
        pairs=pairs,
        within=kinds.get(("within",), WaitSummary.empty()),
        cross=kinds.get(("cross",), WaitSummary.empty()),
        events_without_unit=int(unknown or 0),
    )


def leakage(
    events: ir.Table,
    /,
    *,
    unit: UnitSource,
    end_activities: Collection[str] | None = None,
    resource: str = "resource",
) -> Leakage:
    """Cases that ended right after a cross-unit handoff, without reaching a declared end.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`).
    unit
        Where an event's unit comes from (see :func:`unit_handoffs`).
    end_activities
        Activities that end a case properly (won, lost, closed...). A case whose last event
        has one of them never leaks. ``None`` declares none: every case that ends right after
        a handoff leaks.
    resource
        The column the mapping's keys are matched against.

    Returns
    -------
    Leakage
        Per cross-unit pair with handoffs: leaked cases (``count``), cases with such a handoff
        (``handoff_cases``) and their ratio (``share``); and the totals ``leaked_cases`` and
        ``cases`` (all cases of the log).

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1", "c1", "c2", "c2", "c2"],
    ...                 "activity": ["mql", "call", "mql", "call", "won"],
    ...                 "timestamp": [hour(9), hour(10), hour(9), hour(10), hour(11)],
    ...                 "resource": ["mia", "sam", "mia", "sam", "sam"], "group": [None] * 5,
    ...                 "position": [0, 1, 2, 3, 4]})
    >>> units = {"mia": "Marketing", "sam": "Sales"}
    >>> result = leakage(connect().read_events(log), unit=units, end_activities={"won"})
    >>> [(p.source, p.target, p.count, p.handoff_cases, p.share) for p in result.pairs]
    [('Marketing', 'Sales', 1, 2, 0.5)]
    >>> result.leaked_cases, result.cases
    (1, 2)
    """
    labelled = _with_unit(events, unit, resource)
    order = case_order()

    ends = labelled.mutate(_next_time=labelled[TIMESTAMP].lead().over(order))
    last_events = ends.filter(ends._next_time.isnull()).select(CASE, _last_activity=ends[ACTIVITY])
    if end_activities:
        last_events = last_events.filter(~last_events._last_activity.isin(list(end_activities)))

    steps = successions(labelled, _UNIT)
    handoffs = steps.filter(steps.source != steps.target)
    handoff_cases = (
        handoffs.select(CASE, "source", "target")
        .distinct()
        .group_by(["source", "target"])
        .aggregate(handoff_cases=ibis._.count())
    )
    last_steps = _last_successions(labelled)
    leaked = (
        last_steps.filter(last_steps.source != last_steps.target)
        .join(last_events, CASE)
        .group_by(["source", "target"])
        .aggregate(count=ibis._.count())
    )
    joined = handoff_cases.left_join(
        leaked,
        [handoff_cases.source == leaked.source, handoff_cases.target == leaked.target],
    ).select(handoff_cases.source, handoff_cases.target, "handoff_cases", leaked["count"])
    found = tuple(
        LeakagePair(row["source"], row["target"], int(row["count"] or 0), int(row["handoff_cases"]))
        for row in sorted(rows(joined), key=lambda row: (row["source"], row["target"]))
    )
    cases = int(scalar(labelled[CASE].nunique()))
    return Leakage(found, sum(pair.count for pair in found), cases)


def _last_successions(labelled: ir.Table) -> ir.Table:
    """Each case's last succession among its events with a unit (``source``/``target`` units)."""
    known = labelled.filter(labelled[_UNIT].notnull())
    order = case_order()
    around = known.mutate(
        _previous=known[_UNIT].lag().over(order),
        _next_time=known[TIMESTAMP].lead().over(order),
    )
    last = around.filter(around._next_time.isnull() & around._previous.notnull())
    return last.select(CASE, source=last._previous, target=last[_UNIT])


def _with_unit(events: ir.Table, unit: UnitSource, resource: str) -> ir.Table:
    """``events`` with the unit of each event in column ``_orglens_unit`` (null if unknown)."""
    require_columns(events, CASE, ACTIVITY, TIMESTAMP, POSITION)
    if isinstance(unit, str):
        require_columns(events, unit)
        return events.mutate(**{_UNIT: events[unit]})
    require_columns(events, resource)
    if isinstance(unit, Mapping):
        mapping = ibis.memtable(
            pa.table(
                {
                    "_orglens_key": pa.array(list(unit), pa.string()),
                    "_orglens_value": pa.array(list(unit.values()), pa.string()),
                }
            )
        )
    else:
        mapping = _mapping_table(unit)
    joined = events.left_join(mapping, events[resource] == mapping._orglens_key)
    return joined.select(*events.columns, **{_UNIT: mapping._orglens_value})


def _mapping_table(table: ir.Table) -> ir.Table:
    missing = [name for name in ("resource", "unit") if name not in table.columns]
    if missing:
        raise UsageError(
            Problem(
                f"the unit mapping has no column {', '.join(map(repr, missing))}; "
                f"it has {', '.join(map(repr, table.columns))}",
                "give a table with columns 'resource' and 'unit'",
            )
        )
    mapping = table.select(
        _orglens_key=table.resource.cast("string"), _orglens_value=table.unit.cast("string")
    ).distinct()
    twice = mapping.group_by("_orglens_key").aggregate(units=mapping.count())
    clashes = rows(twice.filter(twice.units > 1).order_by("_orglens_key").limit(3))
    if clashes:
        names = ", ".join(repr(row["_orglens_key"]) for row in clashes)
        raise UsageError(
            Problem(
                f"the unit mapping gives several units to {names}",
                "give each resource one unit",
            )
        )
    return mapping
