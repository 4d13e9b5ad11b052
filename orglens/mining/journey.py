"""The observed customer journey: how cases really moved between units, from an event log.

Definitions (event order, successions, waits and quantiles: see :mod:`orglens.mining`):

- **cross-unit handoffs per case**: successions between events of different units (events
  without a unit left out first), divided by the number of cases in the log.
- **waits at handoffs**: waiting times of cross-unit successions next to those of within-unit
  successions.
- **leakage**: cases whose last event directly follows a cross-unit handoff and is not a
  declared end activity (see :func:`~orglens.mining.leakage`).
- **speed to lead**: per case, the time from its first event done by a marketing resource to
  the first event done by a sales resource at or after it; cases without both are not counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import ibis  # type: ignore[import-untyped]

from orglens.mining._log import EventLog, Events
from orglens.mining._steps import CASE, TIMESTAMP, WaitSummary, require_columns, rows, scalar
from orglens.mining.units import Leakage, UnitHandoffs, UnitSource, leakage, unit_handoffs

__all__ = ["ObservedJourney", "SpeedToLead", "observe", "speed_to_lead"]

_MICROSECONDS = 1_000_000


@dataclass(frozen=True)
class SpeedToLead:
    """Time from the first marketing touch of a case to its first sales touch."""

    cases: int
    wait: WaitSummary

    def to_dict(self) -> dict[str, Any]:
        summary = self.wait.to_dict()
        return {"cases": self.cases, **{k: v for k, v in summary.items() if k != "count"}}


@dataclass(frozen=True)
class ObservedJourney:
    """The journey as the event log shows it, measured between units."""

    events: int
    cases: int
    handoffs: UnitHandoffs
    leakage: Leakage
    speed_to_lead: SpeedToLead | None

    @property
    def cross_unit_handoffs_per_case(self) -> float | None:
        return self.handoffs.cross.count / self.cases if self.cases else None

    @property
    def leakage_share(self) -> float | None:
        return self.leakage.leaked_cases / self.cases if self.cases else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``events``, ``cases``, ``cross_unit_handoffs_per_case``,
        ``handoff_matrix`` (cross-unit counts), ``waits`` {within, cross}, ``leakage``,
        ``speed_to_lead``, ``events_without_unit``."""
        matrix: dict[str, dict[str, int]] = {}
        for pair in self.handoffs.pairs:
            if pair.cross_unit:
                matrix.setdefault(pair.source, {})[pair.target] = pair.count
        per_case = self.cross_unit_handoffs_per_case
        share = self.leakage_share
        return {
            "events": self.events,
            "cases": self.cases,
            "events_without_unit": self.handoffs.events_without_unit,
            "cross_unit_handoffs_per_case": None if per_case is None else round(per_case, 6),
            "handoff_matrix": matrix,
            "waits": {
                "within": self.handoffs.within.to_dict(),
                "cross": self.handoffs.cross.to_dict(),
            },
            "leakage": {
                **self.leakage.to_dict(),
                "share": None if share is None else round(share, 6),
            },
            "speed_to_lead": None if self.speed_to_lead is None else self.speed_to_lead.to_dict(),
        }


def observe(
    events: Events,
    /,
    *,
    unit: UnitSource,
    function: Mapping[str, str] | None = None,
    end_activities: Collection[str] | None = None,
    resource: str = "resource",
) -> ObservedJourney:
    """Measure the journey an event log shows between units.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    unit
        Where an event's unit comes from (a column, or a ``{resource: unit}`` mapping).
    function
        ``{resource: function}`` (``"marketing"``, ``"sales"``, ...) for :func:`speed_to_lead`;
        without it, speed to lead is not measured.
    end_activities
        Activities that end a case properly; see :func:`~orglens.mining.leakage`.
    resource
        The column the mappings' keys are matched against.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1"] * 3 + ["c2"] * 2,
    ...                 "activity": ["mql", "call", "won", "mql", "call"],
    ...                 "timestamp": [hour(9), hour(13), hour(14), hour(9), hour(11)],
    ...                 "resource": ["mia", "sam", "sam", "mia", "sam"], "group": [None] * 5,
    ...                 "position": [0, 1, 2, 3, 4]})
    >>> units = {"mia": "Marketing", "sam": "Sales"}
    >>> functions = {"mia": "marketing", "sam": "sales"}
    >>> seen = observe(connect().read_events(log), unit=units, function=functions,
    ...                end_activities={"won"})
    >>> seen.cross_unit_handoffs_per_case, seen.leakage.leaked_cases
    (1.0, 1)
    >>> seen.speed_to_lead.cases, seen.speed_to_lead.wait.wait_s_median
    (2, 10800.0)
    """
    log = EventLog.of(events)
    return ObservedJourney(
        events=int(scalar(log.events.count())),
        cases=log.cases(),
        handoffs=unit_handoffs(log, unit=unit, resource=resource),
        leakage=leakage(log, unit=unit, end_activities=end_activities, resource=resource),
        speed_to_lead=(
            None if function is None else speed_to_lead(log, function=function, resource=resource)
        ),
    )


def speed_to_lead(
    events: Events,
    /,
    *,
    function: Mapping[str, str],
    resource: str = "resource",
    start: str = "marketing",
    touch: str = "sales",
) -> SpeedToLead:
    """Per case, the time from its first ``start`` event to its first ``touch`` event after it.

    ``function`` maps a resource to its function; events of other resources are ignored.
    """
    log = EventLog.of(events)
    require_columns(log.events, CASE, TIMESTAMP, resource)
    # The role of each resource's code as one character of a text ('s' start, 't' touch, '-'
    # neither), looked up on the engine on the log's sorted pass: no join of the events with a
    # mapping, and one literal to compile however many resources there are.
    roles = {start: "s", touch: "t"}
    lookup = ibis.literal(
        "".join(roles.get(function.get(name, ""), "-") for name in log.names(resource))
    )
    table, code, _ = log.column_codes(resource)
    labelled = table.select("_c", TIMESTAMP, _role=lookup.substr(code, 1))
    starts = (
        labelled.filter(labelled._role == "s")
        .group_by("_c")
        .aggregate(_start=labelled[TIMESTAMP].min())
    )
    touches = labelled.filter(labelled._role == "t")
    after = touches.join(starts, "_c").filter(touches[TIMESTAMP] >= starts._start)
    first = after.group_by(["_c", "_start"]).aggregate(_touch=after[TIMESTAMP].min())
    waits = first.select(wait_us=first._touch.delta(first._start, unit="microsecond"))
    summary = rows(
        waits.aggregate(
            _count=waits.count(),
            _mean=waits.wait_us.mean(),
            _median=waits.wait_us.quantile(0.5),
            _p90=waits.wait_us.quantile(0.9),
        )
    )[0]
    count = int(summary["_count"])
    if not count:
        return SpeedToLead(0, WaitSummary.empty())
    return SpeedToLead(
        cases=count,
        wait=WaitSummary(
            count=count,
            wait_s_mean=float(summary["_mean"]) / _MICROSECONDS,
            wait_s_median=float(summary["_median"]) / _MICROSECONDS,
            wait_s_p90=float(summary["_p90"]) / _MICROSECONDS,
        ),
    )
