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

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import ibis  # type: ignore[import-untyped]

from orglens.mining._log import EventLog, Events, UnitSource
from orglens.mining._steps import ACTIVITY, WaitSummary, rows, seconds, wait_summaries

__all__ = [
    "END_CONTINUED_AT_MOST",
    "END_SHARE_OF_CASES",
    "Leakage",
    "LeakagePair",
    "UnitHandoffs",
    "UnitPair",
    "UnitSource",
    "inferred_end_activities",
    "leakage",
    "unit_handoffs",
]


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
    #: The activities that end a case properly, as declared or inferred (see :func:`leakage`).
    end_activities: tuple[str, ...] = ()
    end_activities_inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        """``{"pairs": [{source, target, count, handoff_cases, share}], "leaked_cases": n,
        "cases": n, "end_activities": [...], "end_activities_inferred": bool}``."""
        return {
            "pairs": [pair.to_dict() for pair in self.pairs],
            "leaked_cases": self.leaked_cases,
            "cases": self.cases,
            "end_activities": list(self.end_activities),
            "end_activities_inferred": self.end_activities_inferred,
        }


#: An activity is inferred to end cases (:func:`inferred_end_activities`) when it is the last
#: event of at least this share of all cases ...
END_SHARE_OF_CASES = 0.05
#: ... and another event of its case follows it at most this share of the times it occurs.
END_CONTINUED_AT_MOST = 0.05


def inferred_end_activities(events: Events, /) -> tuple[str, ...]:
    """The activities that end cases in this log, when none are declared.

    An activity ends cases when it is the last event of at least :data:`END_SHARE_OF_CASES`
    (5%) of all cases and is followed by another event of its case at most
    :data:`END_CONTINUED_AT_MOST` (5%) of the times it occurs: it ends many cases and (almost)
    never continues. Sorted by name.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1", "c2", "c2", "c3"], "activity": ["mql", "won"] * 2 + ["mql"],
    ...     "timestamp": [hour(9), hour(10)] * 2 + [hour(9)], "resource": [None] * 5,
    ...     "group": [None] * 5, "position": [0, 1, 2, 3, 4]}))
    >>> inferred_end_activities(log)  # mql ends c3 but continues in c1 and c2
    ('won',)
    """
    log = EventLog.of(events)
    table, code, _ = log.column_codes(ACTIVITY)
    counts = table.group_by(_a=code).aggregate(
        _n=table.count(), _last=table.count(where=table._w.isnull())
    )
    cases = log.cases()
    names = log.names(ACTIVITY)
    return tuple(
        sorted(
            names[row["_a"]]
            for row in rows(counts)
            if row["_a"] is not None
            and cases
            and row["_last"] >= END_SHARE_OF_CASES * cases
            and row["_n"] - row["_last"] <= END_CONTINUED_AT_MOST * row["_n"]
        )
    )


def unit_handoffs(
    events: Events, /, *, unit: UnitSource, resource: str = "resource"
) -> UnitHandoffs:
    """The unit×unit matrix of transitions with their waiting times.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
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
    steps = EventLog.of(events).unit_successions(unit, resource)
    name = steps.name
    summaries = steps.pair_stats()
    pairs = tuple(
        sorted(
            (
                UnitPair(
                    source=name(source),
                    target=name(target),
                    count=summary.count,
                    wait_s_mean=summary.wait_s_mean,
                    wait_s_median=summary.wait_s_median,
                    wait_s_p90=summary.wait_s_p90,
                )
                for (source, target), summary in summaries.items()
            ),
            key=lambda pair: (pair.source, pair.target),
        )
    )
    table = steps.table
    kinds = wait_summaries(
        table.mutate(kind=(table.source == table.target).ifelse("within", "cross")), ["kind"]
    )
    return UnitHandoffs(
        pairs=pairs,
        within=kinds.get(("within",), WaitSummary.empty()),
        cross=kinds.get(("cross",), WaitSummary.empty()),
        events_without_unit=steps.without,
    )


def leakage(
    events: Events,
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
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    unit
        Where an event's unit comes from (see :func:`unit_handoffs`).
    end_activities
        Activities that end a case properly (won, lost, closed...). A case whose last event
        has one of them never leaks. ``None``: inferred from the log
        (:func:`inferred_end_activities`; the result says so); empty: none, every case that
        ends right after a handoff leaks.
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
    log = EventLog.of(events)
    steps = log.unit_successions(unit, resource)
    last_events = log.last_activities()
    inferred = end_activities is None
    declared = (
        inferred_end_activities(log) if end_activities is None else tuple(sorted(end_activities))
    )
    if declared:
        ends = set(declared)
        codes = [code for code, name in enumerate(log.names(ACTIVITY)) if name in ends]
        if codes:
            last_events = last_events.filter(~last_events._a.isin(codes))
    table = steps.table
    handoffs = table.filter(table.source != table.target)
    handoff_cases = (
        handoffs.select("_c", "source", "target")
        .distinct()
        .group_by(["source", "target"])
        .aggregate(handoff_cases=ibis._.count())
    )
    if steps.without:
        last = steps.last()
        leaks = last.filter(last.source != last.target)
        ended = leaks.join(last_events, leaks._c == last_events._c)
    else:
        # No event left out: a case's last succession leads to its last event, so the
        # handoffs that end a case are found by their place, without looking for each last.
        ended = handoffs.join(
            last_events,
            [handoffs._c == last_events._c, handoffs._k + 1 == last_events._k],
        )
    leaked = ended.group_by(["source", "target"]).aggregate(count=ibis._.count())
    joined = handoff_cases.left_join(
        leaked,
        [handoff_cases.source == leaked.source, handoff_cases.target == leaked.target],
    ).select(handoff_cases.source, handoff_cases.target, "handoff_cases", leaked["count"])
    found = sorted(
        (
            LeakagePair(
                steps.name(row["source"]),
                steps.name(row["target"]),
                int(row["count"] or 0),
                int(row["handoff_cases"]),
            )
            for row in rows(joined)
        ),
        key=lambda pair: (pair.source, pair.target),
    )
    return Leakage(
        tuple(found),
        sum(pair.count for pair in found),
        log.cases(),
        end_activities=declared,
        end_activities_inferred=inferred,
    )
