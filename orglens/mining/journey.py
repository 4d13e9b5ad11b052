"""The observed customer journey: how cases really moved between units, from an event log.

Definitions (event order, successions, waits and quantiles: see :mod:`orglens.mining`):

- **cross-unit handoffs per case**: successions between events of different units (events
  without a unit left out first), divided by the number of cases in the log.
- **waits at handoffs**: waiting times of cross-unit successions next to those of within-unit
  successions.
- **leakage**: cases whose last event directly follows a cross-unit handoff and is not a
  declared end activity (see :func:`~orglens.mining.leakage`).
- **handoff SLA**: see :mod:`orglens.mining.sla`.
- **speed to lead**: see :mod:`orglens.mining.speed`.
- **funnel**: see :mod:`orglens.mining.funnel`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orglens.mining._log import EventLog, Events
from orglens.mining._steps import rows
from orglens.mining.funnel import Funnel, Stages, funnel
from orglens.mining.sla import DEFAULT_SLA_BANDS_S, HandoffSla, bands_us, handoff_sla
from orglens.mining.speed import SpeedToLead, speed_to_lead
from orglens.mining.units import Leakage, UnitHandoffs, UnitSource, leakage, unit_handoffs

__all__ = ["ObservedJourney", "ResourceMatch", "observe"]

#: How many unmatched resources :class:`ResourceMatch` names as examples.
EXAMPLES = 5


@dataclass(frozen=True)
class ResourceMatch:
    """How many of the log's resources a ``{resource: unit}`` mapping knows.

    ``events`` counts events with a resource, ``events_matched`` those whose resource the
    mapping knows; ``unmatched`` names the most frequent unknown resources (up to
    :data:`EXAMPLES`) with their events.
    """

    resources: int
    matched: int
    events: int
    events_matched: int
    unmatched: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float | None:
        """The share of events with a resource whose resource is matched."""
        return self.events_matched / self.events if self.events else None

    def to_dict(self) -> dict[str, Any]:
        share = self.share
        return {
            "resources": self.resources,
            "matched": self.matched,
            "events": self.events,
            "events_matched": self.events_matched,
            "events_matched_share": None if share is None else round(share, 6),
            "unmatched_examples": dict(self.unmatched),
        }


def resource_match(
    events: Events, /, *, unit: Mapping[str, str], resource: str = "resource"
) -> ResourceMatch:
    """How many of the log's resources (and of their events) ``unit`` knows.

    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> at = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1"] * 4, "activity": ["a"] * 4, "timestamp": [at] * 4,
    ...     "resource": ["mia", "Sam", "Sam", None], "group": [None] * 4,
    ...     "position": [0, 1, 2, 3]}))
    >>> resource_match(log, unit={"mia": "Marketing"}).to_dict()["unmatched_examples"]
    {'Sam': 2}
    """
    log = EventLog.of(events)
    names = log.names(resource)
    known = [code for code, name in enumerate(names) if name in unit]
    if len(known) == len(names) and not log.has_null(resource):
        # every event has a resource the mapping knows: nothing to count
        return ResourceMatch(len(names), len(names), log.count(), log.count(), ())
    table, code, _ = log.column_codes(resource)
    counts = {
        row["_r"]: int(row["_n"])
        for row in rows(table.group_by(_r=code).aggregate(_n=table.count()))
        if row["_r"] is not None
    }
    unknown = sorted(
        ((names[c], n) for c, n in counts.items() if names[c] not in unit),
        key=lambda item: (-item[1], item[0]),
    )
    return ResourceMatch(
        resources=len(names),
        matched=len(known),
        events=sum(counts.values()),
        events_matched=sum(counts.get(c, 0) for c in known),
        unmatched=tuple(unknown[:EXAMPLES]),
    )


@dataclass(frozen=True)
class ObservedJourney:
    """The journey as the event log shows it, measured between units."""

    events: int
    cases: int
    handoffs: UnitHandoffs
    leakage: Leakage
    speed_to_lead: SpeedToLead | None
    funnel: Funnel | None = None
    handoff_sla: HandoffSla | None = None
    resources: ResourceMatch | None = None

    @property
    def cross_unit_handoffs_per_case(self) -> float | None:
        return self.handoffs.cross.count / self.cases if self.cases else None

    @property
    def leakage_share(self) -> float | None:
        return self.leakage.leaked_cases / self.cases if self.cases else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``events``, ``cases``, ``cross_unit_handoffs_per_case``,
        ``handoff_matrix`` (cross-unit counts), ``waits`` {within, cross}, ``leakage``,
        ``speed_to_lead``, ``events_without_unit``, ``funnel`` (:class:`Funnel`) and
        ``handoff_sla`` (:class:`HandoffSla`)."""
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
            "funnel": None if self.funnel is None else self.funnel.to_dict(),
            "handoff_sla": None if self.handoff_sla is None else self.handoff_sla.to_dict(),
            "resources": None if self.resources is None else self.resources.to_dict(),
        }


def observe(
    events: Events,
    /,
    *,
    unit: UnitSource,
    function: str | Mapping[str, str] | None = None,
    end_activities: Collection[str] | None = None,
    resource: str = "resource",
    stages: Stages | None = None,
    touch: Collection[str] | None = None,
    bands_s: Sequence[float] = DEFAULT_SLA_BANDS_S,
) -> ObservedJourney:
    """Measure the journey an event log shows between units.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    unit
        Where an event's unit comes from (a column, or a ``{resource: unit}`` mapping).
    function
        ``{resource: function}`` (``"marketing"``, ``"sales"``, ...), or a column holding each
        event's function, for :func:`speed_to_lead`; without it, speed to lead is not measured.
    end_activities
        Activities that end a case properly; see :func:`~orglens.mining.leakage`. They are no
        sales touch either.
    resource
        The column the mappings' keys are matched against.
    stages
        The journey's ``(stage, activities)`` in order, for the :func:`~orglens.mining.funnel`
        (``None``: the log's activities in their usual order).
    touch
        Activities that are a first sales touch (see :func:`speed_to_lead`).
    bands_s
        The bands of the :func:`handoff_sla`, in seconds.

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
    >>> [(s.stage, s.cases) for s in seen.funnel.stages]
    [('mql', 2), ('call', 2), ('won', 1)]
    >>> seen.handoff_sla.pairs[0].wait_s_p95, seen.handoff_sla.within
    (14040.0, (0, 0, 2, 2))
    """
    log = EventLog.of(events)
    # The per-pair figures of the handoffs and of the SLA: one query for both.
    log.unit_successions(unit, resource).pair_stats(bands_us=bands_us(bands_s))
    return ObservedJourney(
        events=log.count(),
        cases=log.cases(),
        handoffs=unit_handoffs(log, unit=unit, resource=resource),
        leakage=leakage(log, unit=unit, end_activities=end_activities, resource=resource),
        speed_to_lead=(
            None
            if function is None
            else speed_to_lead(
                log,
                function=function,
                resource=resource,
                touch=touch,
                end_activities=end_activities,
            )
        ),
        funnel=funnel(log, stages=stages),
        handoff_sla=handoff_sla(log, unit=unit, bands_s=bands_s, resource=resource),
        resources=(
            resource_match(log, unit=unit, resource=resource) if isinstance(unit, Mapping) else None
        ),
    )
