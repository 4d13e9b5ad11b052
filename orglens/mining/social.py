"""Social networks of resources: handover of work and working together.

Both take the resource from a column (``resource`` by default); any grouping column, such as
``group``, gives the same networks between groups. **Events whose resource is null are left
out first** (PM4Py raises on them): a case ``ann → (none) → bob`` hands work from ann to bob.

Definitions (van der Aalst, Reijers and Song 2005, as PM4Py computes them):

- **handover of work**, ``beta = 0``: ``count`` of ``a → b`` is the number of successions where
  an event of ``b`` directly follows an event of ``a`` in a case (``a == b`` included);
  ``value`` = count / the number of successions of the whole log.
- **handover of work**, ``0 < beta <= 1`` (indirect succession with decay): every pair of
  events ``i < j`` of a case (positions among the case's events with a resource) weighs
  ``beta ** (j - i - 1)``; ``value`` of ``a → b`` = the weight of the pairs from an event of
  ``a`` to an event of ``b`` / the weight of all pairs of the log. ``count`` stays the number of
  direct successions (the ``beta = 0`` count), so an edge seen only indirectly has count 0.
- **working together**: ``count`` of ``a, b`` (``a != b``) is the number of cases in which both
  have an event; ``value`` = count / the number of cases of the log (all cases, also those
  without any resource). Both directions are listed, with equal numbers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]

from orglens.errors import Problem, UsageError
from orglens.mining._log import EventLog, Events, table_of
from orglens.mining._steps import (
    CASE,
    POSITION,
    TIMESTAMP,
    case_order,
    columns,
    require_columns,
    rows,
    scalar,
)

__all__ = ["SocialEdge", "SocialNetwork", "handover", "working_together"]


@dataclass(frozen=True)
class SocialEdge:
    """One directed edge of a social network."""

    source: str
    target: str
    count: int
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "count": self.count,
            "value": self.value,
        }


@dataclass(frozen=True)
class SocialNetwork:
    """A network of resources (or groups), edges sorted by (source, target)."""

    edges: tuple[SocialEdge, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"edges": [{source, target, count, value}]}``."""
        return {"edges": [edge.to_dict() for edge in self.edges]}

    def matrix(self) -> dict[str, dict[str, float]]:
        """The values as a nested dict ``{source: {target: value}}``, keys sorted."""
        nested: dict[str, dict[str, float]] = {}
        for edge in self.edges:
            nested.setdefault(edge.source, {})[edge.target] = edge.value
        return nested


def handover(events: Events, /, *, beta: float = 0.0, resource: str = "resource") -> SocialNetwork:
    """Handover of work between resources (or between the values of any column).

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    beta
        Decay of indirect successions, from 0 (direct successions only) to 1.
    resource
        The column whose values are the network's nodes (``"group"`` for groups).

    Returns
    -------
    SocialNetwork
        ``count``: direct successions ``source → target``; ``value``: for ``beta = 0``,
        count / all successions; for ``beta > 0``, the decayed weight of ``source → target``
        over the decayed weight of all pairs (see the module documentation). Values sum to 1.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1", "c1", "c1"], "activity": ["a", "b", "c"],
    ...                 "timestamp": [hour(9), hour(10), hour(11)],
    ...                 "resource": ["ann", "bob", "ann"], "group": [None] * 3,
    ...                 "position": [0, 1, 2]})
    >>> events = connect().read_events(log)
    >>> [(e.source, e.target, e.count, e.value) for e in handover(events).edges]
    [('ann', 'bob', 1, 0.5), ('bob', 'ann', 1, 0.5)]
    >>> [(e.source, e.target, e.count, e.value) for e in handover(events, beta=0.5).edges]
    [('ann', 'ann', 0, 0.2), ('ann', 'bob', 1, 0.4), ('bob', 'ann', 1, 0.4)]
    """
    if not 0.0 <= beta <= 1.0 or math.isnan(beta):
        raise UsageError(
            Problem(f"beta {beta!r} is outside 0..1", "give a beta from 0 (direct) to 1")
        )
    if beta > 0.0:
        table = table_of(events)
        require_columns(table, CASE, TIMESTAMP, POSITION, resource)
        return _decayed_handover(table, beta, resource)
    steps = EventLog.of(events).successions(resource)
    counted = steps.table.group_by(["source", "target"]).aggregate(count=ibis._.count())
    found = columns(counted.order_by(["source", "target"]))
    names = steps.names
    total = sum(found["count"])
    pairs: Iterable[tuple[int, int, int]] = zip(
        found["source"], found["target"], found["count"], strict=True
    )
    # Codes follow the engine's order of the names; Python's is code-point order, which DuckDB
    # and Spark share (then sorted codes are sorted names) but a collation may not.
    if list(names) != sorted(names):
        pairs = sorted(pairs, key=lambda pair: (names[pair[0]], names[pair[1]]))
    return SocialNetwork(
        tuple(
            SocialEdge(names[source], names[target], count, count / total)
            for source, target, count in pairs
        )
    )


def _decayed_handover(events: ir.Table, beta: float, resource: str) -> SocialNetwork:
    known = events.filter(events[resource].notnull())
    ranked = known.select(CASE, _who=known[resource], _rank=ibis.row_number().over(case_order()))
    later = ranked.view()
    pairs = ranked.join(later, [ranked[CASE] == later[CASE], later._rank > ranked._rank]).select(
        source=ranked._who,
        target=later._who,
        gap=later._rank - ranked._rank - 1,
    )
    counted = rows(pairs.group_by(["source", "target", "gap"]).aggregate(count=pairs.count()))
    # The engine returns exact integer counts per gap; the decay is applied here, so every
    # engine gives the same floating-point numbers.
    weights: dict[tuple[str, str], list[float]] = defaultdict(list)
    direct: dict[tuple[str, str], int] = defaultdict(int)
    for row in counted:
        key = (row["source"], row["target"])
        weights[key].append(int(row["count"]) * beta ** int(row["gap"]))
        if row["gap"] == 0:
            direct[key] += int(row["count"])
    weight = {key: math.fsum(parts) for key, parts in weights.items()}
    total = math.fsum(weight.values())
    return SocialNetwork(
        tuple(
            SocialEdge(source, target, direct[(source, target)], weight[(source, target)] / total)
            for source, target in sorted(weight)
        )
    )


def working_together(events: Events, /, *, resource: str = "resource") -> SocialNetwork:
    """Working together: the share of cases in which two resources both have an event.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    resource
        The column whose values are the network's nodes (``"group"`` for groups).

    Returns
    -------
    SocialNetwork
        For each ordered pair of distinct resources: ``count`` = cases in which both worked,
        ``value`` = count / the number of cases in the log.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1", "c1", "c2", "c3"], "activity": ["a", "b", "a", "a"],
    ...                 "timestamp": [hour(9), hour(10), hour(9), hour(9)],
    ...                 "resource": ["ann", "bob", "ann", None], "group": [None] * 4,
    ...                 "position": [0, 1, 2, 3]})
    >>> net = working_together(connect().read_events(log))
    >>> [(e.source, e.target, e.count, round(e.value, 4)) for e in net.edges]
    [('ann', 'bob', 1, 0.3333), ('bob', 'ann', 1, 0.3333)]
    """
    events = table_of(events)
    require_columns(events, CASE, resource)
    known = events.filter(events[resource].notnull())
    workers = known.select(CASE, _who=known[resource]).distinct()
    partners = workers.view()
    pairs = workers.join(
        partners, [workers[CASE] == partners[CASE], workers._who != partners._who]
    ).select(source=workers._who, target=partners._who)
    counted = rows(pairs.group_by(["source", "target"]).aggregate(count=pairs.count()))
    cases = int(scalar(events[CASE].nunique()))
    return SocialNetwork(
        tuple(
            SocialEdge(row["source"], row["target"], int(row["count"]), row["count"] / cases)
            for row in sorted(counted, key=lambda row: (row["source"], row["target"]))
        )
    )
