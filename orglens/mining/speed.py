"""Speed to lead: the time from a case's first marketing event to its first sales touch.

- **speed to lead**: per case, the time from its first event done by marketing to its first
  *sales touch* at or after it; cases without both are not counted. A sales touch is an event
  of an activity declared as a touch (``touch``); without that declaration, an event done by
  sales whose activity does not close the case (neither a declared end activity nor named like
  a close: a word such as won, lost, closed or disqualified). The activities that were first
  touches are named in the result. When sales only closes (every sales event is a close or a
  win) there is no figure, and ``note`` says so: the time to a close is lead-to-win, not speed
  to lead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]

from orglens.mining._log import EventLog, Events
from orglens.mining._steps import ACTIVITY, CASE, TIMESTAMP, WaitSummary, require_columns, rows

__all__ = ["DECLARED", "INFERRED", "SpeedToLead", "speed_to_lead"]

_MICROSECONDS = 1_000_000

#: How a sales touch was recognised (:attr:`SpeedToLead.touch`).
DECLARED = "declared"
INFERRED = "inferred"

# Words that name an activity closing a case: such an activity is no first sales touch.
_CLOSING = re.compile(r"\b(won|win|lost|loss|close|closed|closing|disqualified)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SpeedToLead:
    """Time from the first marketing event of a case to its first sales touch.

    ``touch`` is ``"declared"`` (activities marked as touch) or ``"inferred"`` (the first
    sales event that does not close the case); ``first_touches`` names the activity of each
    counted case's first touch, with its number of cases, most first. ``note`` says why there
    is no figure when ``cases`` is 0.
    """

    cases: int
    wait: WaitSummary
    touch: str = INFERRED
    first_touches: tuple[tuple[str, int], ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``cases``, ``wait_s_mean``, ``wait_s_median``, ``wait_s_p90``, ``touch``,
        ``first_touch_activities`` ({activity: cases}), ``note``."""
        summary = self.wait.to_dict()
        return {
            "cases": self.cases,
            **{k: v for k, v in summary.items() if k != "count"},
            "touch": self.touch,
            "first_touch_activities": dict(self.first_touches),
            "note": self.note,
        }


def speed_to_lead(
    events: Events,
    /,
    *,
    function: str | Mapping[str, str],
    resource: str = "resource",
    touch: Collection[str] | None = None,
    end_activities: Collection[str] | None = None,
    start: str = "marketing",
    sales: str = "sales",
) -> SpeedToLead:
    """Per case, the time from its first ``start`` event to its first sales touch after it.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    function
        ``{resource: function}`` (resources of other functions, or none, do neither), or the
        name of a column holding each event's function.
    resource
        The column the mapping's keys are matched against.
    touch
        Activities that are a sales touch, whoever does them (names match ignoring case and
        extra spaces). Empty or ``None``: inferred, as an event done by ``sales`` whose activity
        does not close the case.
    end_activities
        Activities that close a case (with those named like a close: won, lost...); never an
        inferred touch.
    start, sales
        The functions whose events start the clock and (inferred) touch the lead.

    Returns
    -------
    SpeedToLead
        Counted cases and their waits, how a touch was recognised, and which activities were
        first touches; when no case counts, ``note`` says why (for instance when sales only
        closes: lead-to-win is no speed to lead).

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1", "c1"], "activity": ["mql", "call", "won"],
    ...     "timestamp": [hour(9), hour(10), hour(12)], "resource": ["mia", "sam", "sam"],
    ...     "group": ["marketing", "sales", "sales"], "position": [0, 1, 2]}))
    >>> speed = speed_to_lead(log, function={"mia": "marketing", "sam": "sales"})
    >>> speed.wait.wait_s_median, speed.first_touches
    (3600.0, (('call', 1),))
    """
    log = EventLog.of(events)
    column = function if isinstance(function, str) else resource
    require_columns(log.events, CASE, TIMESTAMP, column)
    names = log.names(ACTIVITY)
    declared = {_key(name) for name in touch or ()}
    ends = {_key(name) for name in end_activities or ()}
    closing = [
        code
        for code, name in enumerate(names)
        if _key(name) not in declared and (_key(name) in ends or _CLOSING.search(name))
    ]
    labelled = _roles(log, function, column, start, sales)
    is_touch = (
        labelled._a.isin([code for code, name in enumerate(names) if _key(name) in declared])
        if declared
        else (labelled._role == "x") & ~labelled._a.isin(closing)
    )
    starts = (
        labelled.filter(labelled._role == "s")
        .group_by("_c")
        .aggregate(_start=labelled[TIMESTAMP].min())
    )
    touches = labelled.filter(is_touch)
    after = touches.join(starts, "_c").filter(touches[TIMESTAMP] >= starts._start)
    # Each counted case's first touch (the smallest place: the earliest, ties in file order).
    first = after.group_by("_c").aggregate(
        wait_us=after[TIMESTAMP].min().delta(after._start.min(), unit="microsecond"),
        _a=after._a.argmin(after._k),
    )
    # The waits (row with a null activity) and the cases per first-touch activity, in one
    # query: engines that keep a shared subquery (DuckDB) find the first touches once.
    summary = first.aggregate(
        _n=first.count(),
        _mean=first.wait_us.mean(),
        _quantiles=first.wait_us.quantile([0.5, 0.9]),
    ).mutate(_a=ibis.null(first._a.type()))
    per_activity = first.group_by("_a").aggregate(_n=first.count())
    per_activity = per_activity.mutate(
        _mean=ibis.null(summary._mean.type()), _quantiles=ibis.null(summary._quantiles.type())
    )
    found = rows(ibis.union(summary, per_activity.select(*summary.columns), distinct=False))
    waits = next(row for row in found if row["_a"] is None)
    how = DECLARED if declared else INFERRED
    count = int(waits["_n"])
    if not count:
        return SpeedToLead(
            0, WaitSummary.empty(), how, (), _why_none(names, labelled, is_touch, declared, closing)
        )
    median, p90 = (float(value) / _MICROSECONDS for value in waits["_quantiles"])
    return SpeedToLead(
        cases=count,
        wait=WaitSummary(
            count=count,
            wait_s_mean=float(waits["_mean"]) / _MICROSECONDS,
            wait_s_median=median,
            wait_s_p90=p90,
        ),
        touch=how,
        first_touches=tuple(
            sorted(
                ((names[row["_a"]], int(row["_n"])) for row in found if row["_a"] is not None),
                key=lambda item: (-item[1], item[0]),
            )
        ),
    )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _roles(
    log: EventLog, function: str | Mapping[str, str], column: str, start: str, sales: str
) -> ir.Table:
    """The events with ``_c``, ``_k``, timestamp, ``_a`` (activity code) and ``_role`` ('s'
    start, 'x' sales, '-' neither)."""
    # The role of each code of `column` as one character of a text, looked up on the log's
    # sorted pass: no join with a mapping, and one literal to compile however many codes.
    roles = {start: "s", sales: "x"}
    values = log.names(column)
    if isinstance(function, str):
        role_of = [roles.get(value.strip().casefold(), "-") for value in values]
    else:
        role_of = [roles.get(function.get(value, ""), "-") for value in values]
    lookup = ibis.literal("".join(role_of))
    table, activity, _ = log.column_codes(ACTIVITY)
    other, code, _ = log.column_codes(column)
    if other is table:
        # one projection of the pass (stacked ones cost Ibis a rewrite each to compile)
        return table.select("_c", "_k", TIMESTAMP, _a=activity, _role=lookup.substr(code, 1))
    # A column outside the shared pass: its own prepared table, matched event by event.
    left = table.select("_c", "_k", TIMESTAMP, _a=activity)
    right = other.select(_rc="_c", _rk="_k", _r=code)
    coded = left.join(right, [left._c == right._rc, left._k == right._rk])
    return coded.select("_c", "_k", TIMESTAMP, "_a", _role=lookup.substr(coded._r, 1))


def _why_none(
    names: Sequence[str],
    labelled: ir.Table,
    is_touch: ir.Column,
    declared: set[str],
    closing: Sequence[int],
) -> str:
    """Why no case has a sales touch after a marketing event, in a sentence."""
    if declared and not any(_key(name) in declared for name in names):
        return (
            "no activity marked as a sales touch (events: touch: in orglens.yaml) is in the "
            "event log"
        )
    closes = labelled.filter((labelled._role == "x") & labelled._a.isin(closing))
    counts = rows(
        labelled.aggregate(
            _starts=labelled.count(where=labelled._role == "s"),
            _touches=labelled.count(where=is_touch),
        )
    )[0]
    closed = sorted(names[row["_a"]] for row in rows(closes.select("_a").distinct()))
    if not int(counts["_touches"]) and closed:
        return (
            f"the only sales events close the case ({', '.join(map(repr, closed))}): the time "
            "to them is lead-to-win, not speed to lead; name the first sales touch under "
            "events: touch: in orglens.yaml"
        )
    if not int(counts["_starts"]):
        return "no event is done by marketing: there is no first marketing event to start from"
    if not int(counts["_touches"]):
        return "no event is a sales touch"
    return "no sales touch follows a case's first marketing event"
