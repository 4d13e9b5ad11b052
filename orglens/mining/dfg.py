"""The directly-follows graph of activities, with waiting times.

Definitions (see :mod:`orglens.mining` for event order, waiting time and the quantiles):

- **edge** ``source → target``: a succession of two events of a case whose activities are
  ``source`` and ``target``; ``count`` is how many such successions the log holds.
- **wait_s_mean**, **wait_s_median**: mean and median waiting time of those successions.
- **start_activities** / **end_activities**: for each activity, the number of cases whose
  first / last event has it.

This is PM4Py's ``discover_dfg`` (counts, start and end activities) and the mean and median of
``discover_performance_dfg`` on the same sorted log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orglens.mining._log import EventLog, Events
from orglens.mining._steps import ACTIVITY, rows, seconds, sorted_counts, wait_summaries

__all__ = ["Dfg", "DfgEdge", "dfg"]


@dataclass(frozen=True)
class DfgEdge:
    """One directly-follows edge between two activities."""

    source: str
    target: str
    count: int
    wait_s_mean: float
    wait_s_median: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "count": self.count,
            "wait_s_mean": seconds(self.wait_s_mean),
            "wait_s_median": seconds(self.wait_s_median),
        }


@dataclass(frozen=True)
class Dfg:
    """A directly-follows graph: edges sorted by (source, target), activity counts by name."""

    edges: tuple[DfgEdge, ...]
    start_activities: Mapping[str, int]
    end_activities: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        """``{"edges": [{source, target, count, wait_s_mean, wait_s_median}],
        "start_activities": {activity: cases}, "end_activities": {activity: cases}}``."""
        return {
            "edges": [edge.to_dict() for edge in self.edges],
            "start_activities": dict(self.start_activities),
            "end_activities": dict(self.end_activities),
        }


def dfg(events: Events) -> Dfg:
    """Directly-follows graph of the activities of ``events``, with waiting times.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.

    Returns
    -------
    Dfg
        ``count`` of each edge is the number of successions ``source → target``;
        ``wait_s_mean`` and ``wait_s_median`` are the mean and the median (linear
        interpolation) of their waiting times in seconds; ``start_activities`` and
        ``end_activities`` count the cases that start or end with each activity.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1", "c1", "c2", "c2"],
    ...                 "activity": ["call", "offer", "call", "offer"],
    ...                 "timestamp": [hour(9), hour(10), hour(9), hour(12)],
    ...                 "resource": ["ann", "bob", "ann", "ann"], "group": [None] * 4,
    ...                 "position": [0, 1, 2, 3]})
    >>> graph = dfg(connect().read_events(log))
    >>> [(e.source, e.target, e.count, e.wait_s_mean, e.wait_s_median) for e in graph.edges]
    [('call', 'offer', 2, 7200.0, 7200.0)]
    >>> graph.start_activities, graph.end_activities
    ({'call': 2}, {'offer': 2})
    """
    log = EventLog.of(events)
    steps = log.successions(ACTIVITY)
    name = steps.name
    edges = tuple(
        sorted(
            (
                DfgEdge(
                    source=name(source),
                    target=name(target),
                    count=summary.count,
                    wait_s_mean=_known(summary.wait_s_mean),
                    wait_s_median=_known(summary.wait_s_median),
                )
                for (source, target), summary in wait_summaries(
                    steps.table, ["source", "target"], p90=False
                ).items()
            ),
            key=lambda edge: (edge.source, edge.target),
        )
    )
    table, code, _ = log.column_codes(ACTIVITY)
    ends = table.group_by(_code=code).aggregate(
        _starts=(table._k == 0).ifelse(1, 0).sum(),
        _ends=table._w.isnull().ifelse(1, 0).sum(),
    )
    counted = rows(ends)
    return Dfg(
        edges=edges,
        start_activities=sorted_counts(
            (name(row["_code"]), int(row["_starts"])) for row in counted if row["_starts"]
        ),
        end_activities=sorted_counts(
            (name(row["_code"]), int(row["_ends"])) for row in counted if row["_ends"]
        ),
    )


def _known(value: float | None) -> float:
    # Every edge holds at least one succession, so its waiting times exist.
    assert value is not None
    return value
