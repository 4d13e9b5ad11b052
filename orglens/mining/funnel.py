"""The funnel: how many cases reach each stage of the journey, and how long the step takes.

Definitions (event order, waits and the exact quantiles: see :mod:`orglens.mining`):

- **stages**: given as ``(stage, activities)`` in journey order (the stages of the declared
  journey, with their activities). An event belongs to the stage that names its activity; names
  match ignoring case and extra spaces, and an activity named by several stages counts for the
  first. A stage none of whose activities is in the log is left out (``stages_not_in_log``): the
  log cannot show who reached it.
- **usual order**: without stages, or when no activity of the stages is in the log, every
  activity of the log is a stage of its own. Activity ``a`` *comes before* ``b`` when, of the
  cases that have both, more reach ``a`` first than ``b`` first (by the first event of each).
  The stages run by how many activities each comes before minus how many come before it, most
  first (on a single path, its order), ties by more cases first, then by name. Unlike a
  median place in the case, this does not push an activity back because it happens in long
  cases.
- **cases** of a stage: the cases with at least one event of it; **share**: cases / all cases of
  the log.
- **conversion**: of the cases that reached the previous stage, the share that reached this one
  too (``None`` for the first stage). Cases that never reach a stage are the funnel's drop-off.
- **time from the previous stage**: for each case that reached both, the time from its first
  event of the previous stage to its first event of this one (negative when the case reached
  this stage first); its median (p50) and p95 in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir  # type: ignore[import-untyped]

from orglens.mining._log import EventLog, Events, kept_on_engine
from orglens.mining._steps import ACTIVITY, TIMESTAMP, rows, seconds

__all__ = ["Funnel", "FunnelStage", "Stages", "funnel"]

#: Stages in journey order: ``(stage, activities)``.
Stages = Sequence[tuple[str, Sequence[str]]]

#: Where the stages of a :class:`Funnel` come from.
JOURNEY = "journey"
USUAL_ORDER = "activity order"

_MICROSECONDS = 1_000_000


@dataclass(frozen=True)
class FunnelStage:
    """One stage of the funnel (see the module documentation for each figure).

    ``activities`` are the log's activities counted for the stage; ``cases_from_previous`` the
    cases that reached the previous stage and this one.
    """

    stage: str
    activities: tuple[str, ...]
    cases: int
    share: float | None
    cases_from_previous: int | None
    conversion: float | None
    from_previous_s_p50: float | None
    from_previous_s_p95: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "activities": list(self.activities),
            "cases": self.cases,
            "share": None if self.share is None else round(self.share, 6),
            "cases_from_previous": self.cases_from_previous,
            "conversion": None if self.conversion is None else round(self.conversion, 6),
            "from_previous_s_p50": seconds(self.from_previous_s_p50),
            "from_previous_s_p95": seconds(self.from_previous_s_p95),
        }


@dataclass(frozen=True)
class Funnel:
    """Cases per stage in journey order, with conversion and time from stage to stage.

    ``source`` is ``"journey"`` (the stages given) or ``"activity order"`` (the log's activities
    in their usual order); ``note`` says why the stages given were not used.
    """

    source: str
    cases: int
    stages: tuple[FunnelStage, ...]
    stages_not_in_log: tuple[str, ...] = ()
    activities_outside_stages: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"source", "cases", "stages": [{stage, activities, cases, share,
        cases_from_previous, conversion, from_previous_s_p50, from_previous_s_p95}],
        "stages_not_in_log", "activities_outside_stages", "note"}``."""
        return {
            "source": self.source,
            "cases": self.cases,
            "stages": [stage.to_dict() for stage in self.stages],
            "stages_not_in_log": list(self.stages_not_in_log),
            "activities_outside_stages": list(self.activities_outside_stages),
            "note": self.note,
        }


def funnel(events: Events, /, *, stages: Stages | None = None) -> Funnel:
    """Cases reaching each stage, conversion and time from the previous stage.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    stages
        ``(stage, activities)`` in journey order; ``None``: the log's activities in their usual
        order (see the module documentation).

    Returns
    -------
    Funnel
        One :class:`FunnelStage` per stage found in the log, in order.

    Examples
    --------
    Three leads; two reach sales, one of them within an hour, the other in three.

    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1", "c2", "c2", "c3"],
    ...     "activity": ["mql", "call", "mql", "call", "mql"],
    ...     "timestamp": [hour(9), hour(10), hour(9), hour(12), hour(9)],
    ...     "resource": [None] * 5, "group": [None] * 5, "position": [0, 1, 2, 3, 4]}))
    >>> found = funnel(log, stages=[("lead", ["MQL"]), ("sales", ["call", "won"])])
    >>> [(s.stage, s.cases, s.conversion) for s in found.stages]
    [('lead', 3, None), ('sales', 2, 0.6666666666666666)]
    >>> found.stages[1].from_previous_s_p50
    7200.0
    """
    log = EventLog.of(events)
    names = log.names(ACTIVITY)
    chosen: list[tuple[str, tuple[int, ...]]] = []
    missing: list[str] = []
    outside: tuple[str, ...] = ()
    note = None
    source = JOURNEY
    if stages is not None:
        chosen, missing = _matched(stages, names)
        if chosen:
            counted = {code for _, codes in chosen for code in codes}
            outside = tuple(name for code, name in enumerate(names) if code not in counted)
        else:
            note = (
                "no activity of the declared journey is in the event log; the stages are the "
                "log's activities in their usual order"
            )
            missing = []
    if not chosen:
        source = USUAL_ORDER
        chosen = [(names[code], (code,)) for code in _usual_order(log)]
    cases, measured = _measure(log, chosen, names)
    return Funnel(
        source=source,
        cases=cases,
        stages=measured,
        stages_not_in_log=tuple(missing),
        activities_outside_stages=outside,
        note=note,
    )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _matched(
    stages: Stages, names: Sequence[str]
) -> tuple[list[tuple[str, tuple[int, ...]]], list[str]]:
    """The stages with the codes of the log's activities they name, and the stages with none."""
    codes_of: dict[str, list[int]] = {}
    for code, name in enumerate(names):
        codes_of.setdefault(_key(name), []).append(code)
    taken: set[int] = set()
    found: list[tuple[str, tuple[int, ...]]] = []
    missing: list[str] = []
    for stage, activities in stages:
        codes = sorted(
            {code for activity in activities for code in codes_of.get(_key(activity), ())} - taken
        )
        taken.update(codes)
        if codes:
            found.append((stage, tuple(codes)))
        else:
            missing.append(stage)
    return found, missing


def _usual_order(log: EventLog) -> list[int]:
    """The activity codes in their usual order (see the module documentation)."""
    table, code, _ = log.column_codes(ACTIVITY)
    coded = table.select("_c", "_k", _a=code)
    coded = coded.filter(coded._a.notnull())
    # Each case's first place of each of its activities, kept for the two counts below.
    firsts = kept_on_engine(coded.group_by(["_c", "_a"]).aggregate(_first=coded._k.min()))
    other = firsts.select(_oc="_c", _ob="_a", _of="_first")
    both = firsts.join(other, [firsts._c == other._oc, firsts._a < other._ob])
    pairs = both.group_by(["_a", "_ob"]).aggregate(
        _before=both.count(where=both._first < both._of),
        _after=both.count(where=both._first > both._of),
    )
    cases = {
        row["_a"]: int(row["_n"])
        for row in rows(firsts.group_by("_a").aggregate(_n=firsts.count()))
    }
    score = dict.fromkeys(cases, 0)
    for row in rows(pairs):
        before, after = int(row["_before"]), int(row["_after"])
        if before != after:
            first, then = (row["_a"], row["_ob"]) if before > after else (row["_ob"], row["_a"])
            score[first] += 1
            score[then] -= 1
    names = log.names(ACTIVITY)
    return sorted(cases, key=lambda code: (-score[code], -cases[code], names[code]))


def _measure(
    log: EventLog,
    chosen: Sequence[tuple[str, tuple[int, ...]]],
    names: Sequence[str],
) -> tuple[int, tuple[FunnelStage, ...]]:
    """All cases, and per stage its cases, conversion and time from the previous stage, from
    one query over the log."""
    summary = rows(_stage_summary(log, chosen))[0]
    cases = int(summary["_cases"])
    stages: list[FunnelStage] = []
    for number, (stage, codes) in enumerate(chosen):
        reached = int(summary[f"_n{number}"])
        previous = stages[-1].cases if stages else None
        both = int(summary[f"_b{number}"]) if number else None
        quantiles = summary.get(f"_q{number}") or [None, None]
        p50, p95 = (None if value is None else float(value) / _MICROSECONDS for value in quantiles)
        stages.append(
            FunnelStage(
                stage=stage,
                activities=tuple(names[code] for code in codes),
                cases=reached,
                share=reached / cases if cases else None,
                cases_from_previous=both,
                conversion=both / previous if both is not None and previous else None,
                from_previous_s_p50=p50 if both else None,
                from_previous_s_p95=p95 if both else None,
            )
        )
    return cases, tuple(stages)


def _stage_summary(log: EventLog, chosen: Sequence[tuple[str, tuple[int, ...]]]) -> ir.Table:
    """One row: ``_cases`` (all cases) and per stage ``i`` (from 0) ``_n<i>`` (cases that
    reached it), ``_b<i>`` (cases that reached it and the previous stage) and ``_q<i>`` (p50
    and p95 of the microseconds from the previous stage)."""
    table, code, _ = log.column_codes(ACTIVITY)
    time = table[TIMESTAMP]
    # One row per case with its first time in each stage (null: never reached), from one
    # aggregate over the log's sorted pass.
    firsts = table.group_by("_c").aggregate(
        **{
            f"_t{index}": time.min(where=code.isin(codes))
            for index, (_, codes) in enumerate(chosen)
        }
    )
    measures: dict[str, Any] = {"_cases": firsts.count()}
    for index in range(len(chosen)):
        reached = firsts[f"_t{index}"]
        measures[f"_n{index}"] = reached.count()
        if index:
            before = firsts[f"_t{index - 1}"]
            measures[f"_b{index}"] = firsts.count(where=reached.notnull() & before.notnull())
            measures[f"_q{index}"] = reached.delta(before, unit="microsecond").quantile([0.5, 0.95])
    return firsts.aggregate(**measures)
