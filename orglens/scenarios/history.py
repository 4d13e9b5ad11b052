"""The event log's part of the scorecard: :class:`History`, today's log read once.

The successions of events between people are read once, then re-mapped to the units of each
scenario, so that "the same history, lived in the new organization" is measured without running
the log again (the metrics ``observed_cross_unit_handoffs_per_case`` and
``expected_handoff_wait_s`` of :data:`~orglens.scenarios.metrics.METRICS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from orglens.lenses.resources import resource_units
from orglens.model import Organization
from orglens.scenarios.metrics import Value, rounded

if TYPE_CHECKING:
    import ibis.expr.types as ir  # type: ignore[import-untyped]

    from orglens.mining import EventLog, UnitHandoffs

__all__ = ["History"]


@dataclass(frozen=True)
class History:
    """Today's event log reduced to what the scorecard needs from it.

    ``successions`` counts, per pair of resources ``(a, b)``, how often an event of ``b``
    directly follows one of ``a`` in a case, among the events whose resource is a person of
    the workspace (by id, name or e-mail; the others are left out first, as the mining does).
    People are the same in every scenario, so these successions are the same too; only the
    units they are mapped to change. ``within_wait_s`` and ``cross_wait_s`` are the median
    waits of today's within-unit and cross-unit successions at the level.
    """

    cases: int
    successions: Mapping[tuple[str, str], int]
    within_wait_s: float | None
    cross_wait_s: float | None

    @classmethod
    def read(
        cls,
        events: ir.Table | EventLog,
        org: Organization,
        /,
        *,
        level: int,
        today: UnitHandoffs | None = None,
    ) -> History:
        """Read ``events`` (a canonical Ibis event table, or an :class:`~orglens.mining.EventLog`
        whose sorted pass the other analyses share) once for ``org`` at ``level``.

        ``today`` is ``unit_handoffs(events, unit=resource_units(org, level=level))`` when the
        caller has it already (the process lens's observed journey); else it is mined here.
        """
        import ibis

        from orglens.mining import EventLog, unit_handoffs

        log = EventLog.of(events)
        units = resource_units(org, level=level, resources=log.names("resource"))
        if today is None:
            today = unit_handoffs(log, unit=units)  # checks the columns first
        # Each known resource is its own "unit": successions among the people's events, the
        # others left out first, on the log's shared sorted pass.
        people = log.unit_successions({resource: resource for resource in units})
        counted = people.table.group_by(["source", "target"]).aggregate(count=ibis._.count())
        found = counted.to_pyarrow().to_pydict()
        name = people.name
        return cls(
            cases=log.cases(),
            successions={
                (name(source), name(target)): int(count)
                for source, target, count in zip(
                    found["source"], found["target"], found["count"], strict=True
                )
            },
            within_wait_s=today.within.wait_s_median,
            cross_wait_s=today.cross.wait_s_median,
        )

    def handoffs(self, org: Organization, /, *, level: int) -> tuple[int, int]:
        """``(cross-unit, within-unit)`` successions with people mapped to ``org``'s groups."""
        resources = {resource for pair in self.successions for resource in pair}
        units = resource_units(org, level=level, resources=resources)
        cross = within = 0
        for (source, target), count in self.successions.items():
            if units[source] == units[target]:
                within += count
            else:
                cross += count
        return cross, within

    def measure(self, org: Organization, /, *, level: int) -> dict[str, Value]:
        """``observed_cross_unit_handoffs_per_case`` and ``expected_handoff_wait_s`` of ``org``
        (see :data:`~orglens.scenarios.metrics.METRICS`)."""
        if not self.cases:
            return {"observed_cross_unit_handoffs_per_case": None, "expected_handoff_wait_s": None}
        cross, _ = self.handoffs(org, level=level)
        waiting: float | None = 0.0
        if cross:
            waiting = None if self.cross_wait_s is None else cross * self.cross_wait_s
        return {
            "observed_cross_unit_handoffs_per_case": rounded(cross / self.cases),
            "expected_handoff_wait_s": None if waiting is None else rounded(waiting / self.cases),
        }
