"""Organizational process mining over a canonical event table, on any Ibis engine.

Every algorithm is a plain function of an Ibis table (from
:meth:`orglens.engine.Engine.read_events`) that runs the same expressions on DuckDB, Spark or
any other engine, and returns a frozen result with ``to_dict()``. Wrap the table in an
:class:`EventLog` to run several analyses on it: they then share one sorted pass over the log
(the costly part) instead of sorting it each.

Definitions shared by all algorithms:

- **order**: the events of a case sorted by ``timestamp``, ties by ``position`` (their order
  in the source file).
- **succession** (directly-follows pair): two consecutive events of a case in that order.
  Analyses of resources, groups or units first leave out the events where that value is null.
- **waiting time** of a succession: the time from the first event's timestamp to the second's,
  in whole microseconds (exact on every engine), reported in seconds.
- **median** (p50), **p90** and **p95**: the exact linear-interpolation quantile (Hyndman &
  Fan type 7, the default of ``numpy.percentile``): with the ``n`` values sorted as
  ``x[0] <= ... <= x[n-1]`` and ``h = (n - 1) * q``, the ``q`` quantile is
  ``x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])``; DuckDB computes it with
  ``quantile_cont`` and Spark with ``percentile`` (not the approximate ``percentile_approx``).

The algorithms: :func:`dfg`; :func:`handover` and :func:`working_together`; :func:`roles`;
:func:`unit_handoffs` and :func:`leakage`; :func:`funnel`; :func:`observe`, :func:`handoff_sla`
and :func:`speed_to_lead` for the process lens. :data:`ANALYSES` is the registry of those
``orglens mine --what`` offers, and :func:`mine` runs several of them on one log.
"""

from orglens.mining._log import EventLog
from orglens.mining._steps import WaitSummary
from orglens.mining.dfg import Dfg, DfgEdge, dfg
from orglens.mining.funnel import Funnel, FunnelStage, funnel
from orglens.mining.journey import ObservedJourney, observe
from orglens.mining.registry import (
    ANALYSES,
    Mined,
    MiningAnalysis,
    MiningOptions,
    MiningResult,
    analysis_names,
    mine,
)
from orglens.mining.roles import Role, Roles, roles
from orglens.mining.sla import (
    DEFAULT_SLA_BANDS_S,
    LEAD_RESPONSE_REFERENCES,
    HandoffSla,
    Reference,
    SlaPair,
    handoff_sla,
)
from orglens.mining.social import SocialEdge, SocialNetwork, handover, working_together
from orglens.mining.speed import SpeedToLead, speed_to_lead
from orglens.mining.units import (
    Leakage,
    LeakagePair,
    UnitHandoffs,
    UnitPair,
    UnitSource,
    leakage,
    unit_handoffs,
)

__all__ = [
    "ANALYSES",
    "DEFAULT_SLA_BANDS_S",
    "LEAD_RESPONSE_REFERENCES",
    "Dfg",
    "DfgEdge",
    "EventLog",
    "Funnel",
    "FunnelStage",
    "HandoffSla",
    "Leakage",
    "LeakagePair",
    "Mined",
    "MiningAnalysis",
    "MiningOptions",
    "MiningResult",
    "ObservedJourney",
    "Reference",
    "Role",
    "Roles",
    "SlaPair",
    "SocialEdge",
    "SocialNetwork",
    "SpeedToLead",
    "UnitHandoffs",
    "UnitPair",
    "UnitSource",
    "WaitSummary",
    "analysis_names",
    "dfg",
    "funnel",
    "handoff_sla",
    "handover",
    "leakage",
    "mine",
    "observe",
    "roles",
    "speed_to_lead",
    "unit_handoffs",
    "working_together",
]
