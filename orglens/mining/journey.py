"""The observed customer journey: how cases really moved between units, from an event log.

Definitions (event order, successions, waits and quantiles: see :mod:`orglens.mining`):

- **cross-unit handoffs per case**: successions between events of different units (events
  without a unit left out first), divided by the number of cases in the log.
- **waits at handoffs**: waiting times of cross-unit successions next to those of within-unit
  successions.
- **leakage**: cases whose last event directly follows a cross-unit handoff and is not a
  declared end activity (see :func:`~orglens.mining.leakage`).
- **handoff SLA**: per cross-unit pair ``u → v``, the median (p50) and p95 of the waits and the
  share of waits at most each band (by default 5 minutes, 1 hour, 1 day, 1 week); and the
  shares for all cross-unit handoffs together. Dated published figures on lead response come
  with it as references (:data:`LEAD_RESPONSE_REFERENCES`): context, never targets.
- **speed to lead**: per case, the time from its first event done by marketing to its first
  *sales touch* at or after it; cases without both are not counted. A sales touch is an event
  of an activity declared as a touch (``touch``); without that declaration, an event done by
  sales whose activity does not close the case (neither a declared end activity nor named like
  a close: a word such as won, lost, closed or disqualified). The activities that were first
  touches are named in the result. When sales only closes (every sales event is a close or a
  win) there is no figure, and ``note`` says so: the time to a close is lead-to-win, not speed
  to lead.
- **funnel**: see :mod:`orglens.mining.funnel`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]

from orglens.mining._log import EventLog, Events
from orglens.mining._steps import (
    ACTIVITY,
    CASE,
    TIMESTAMP,
    WaitSummary,
    require_columns,
    rows,
    seconds,
)
from orglens.mining.funnel import Funnel, Stages, funnel
from orglens.mining.units import Leakage, UnitHandoffs, UnitSource, leakage, unit_handoffs

__all__ = [
    "DEFAULT_SLA_BANDS_S",
    "LEAD_RESPONSE_REFERENCES",
    "HandoffSla",
    "ObservedJourney",
    "Reference",
    "SlaPair",
    "SpeedToLead",
    "handoff_sla",
    "observe",
    "speed_to_lead",
]

_MICROSECONDS = 1_000_000

#: The bands of the handoff SLA in seconds: 5 minutes, 1 hour, 1 day, 1 week.
DEFAULT_SLA_BANDS_S: tuple[float, ...] = (300.0, 3600.0, 86400.0, 604800.0)

#: How a sales touch was recognised (:attr:`SpeedToLead.touch`).
DECLARED = "declared"
INFERRED = "inferred"

# Words that name an activity closing a case: such an activity is no first sales touch.
_CLOSING = re.compile(r"\b(won|win|lost|loss|close|closed|closing|disqualified)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A published figure shown for context: dated, labelled and sourced; never a target."""

    id: str
    year: int
    label: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "year": self.year, "label": self.label, "source": self.source}


#: What published research found about how fast leads go cold, as shown next to the handoff
#: SLA. The ids match the advice sources (:data:`orglens.model.advice.SOURCES`) where they exist.
LEAD_RESPONSE_REFERENCES = (
    Reference(
        id="oldroyd_2007",
        year=2007,
        label=(
            "web leads called within 5 minutes rather than 30: the odds of reaching the lead "
            "were 100 times and the odds of qualifying it 21 times higher (about 15,000 leads "
            "and 100,000 call attempts over three years)"
        ),
        source=(
            "Oldroyd (MIT Sloan) & InsideSales.com, 'Lead Response Management Study', presented "
            "at the MarketingSherpa B2B Demand Generation Summit (October 2007)"
        ),
    ),
    Reference(
        id="oldroyd_2011",
        year=2011,
        label=(
            "an audit of 2,241 US companies: 37% answered a web lead within an hour, 23% never; "
            "those answering within 30 days took 42 hours on average. In 1.25 million leads of "
            "42 companies, trying within an hour made qualifying the lead nearly 7 times as "
            "likely as an hour later, and over 60 times as likely as after 24 hours or more"
        ),
        source=(
            "Oldroyd, McElheran & Elkington, 'The Short Life of Online Sales Leads', Harvard "
            "Business Review (March 2011)"
        ),
    ),
)


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


@dataclass(frozen=True)
class SlaPair:
    """Waits at the handoffs from one unit to another against the SLA bands.

    ``within[i]`` counts the waits of at most ``bands_s[i]`` seconds.
    """

    source: str
    target: str
    count: int
    wait_s_p50: float | None
    wait_s_p95: float | None
    within: tuple[int, ...]

    def to_dict(self, bands_s: Sequence[float]) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "count": self.count,
            "wait_s_p50": seconds(self.wait_s_p50),
            "wait_s_p95": seconds(self.wait_s_p95),
            "within": _within(bands_s, self.within, self.count),
        }


@dataclass(frozen=True)
class HandoffSla:
    """How long cross-unit handoffs wait, against bands, with published references beside.

    ``pairs`` holds each ``source → target`` with handoffs, sorted; :attr:`count` and
    :attr:`within` cover every cross-unit handoff (their median and p90 are the observed
    journey's ``waits.cross``).
    """

    bands_s: tuple[float, ...]
    pairs: tuple[SlaPair, ...]
    references: tuple[Reference, ...] = LEAD_RESPONSE_REFERENCES

    @property
    def count(self) -> int:
        """All cross-unit handoffs."""
        return sum(pair.count for pair in self.pairs)

    @property
    def within(self) -> tuple[int, ...]:
        """All cross-unit handoffs that waited at most each band."""
        return tuple(
            sum(column) for column in zip(*(p.within for p in self.pairs), strict=True)
        ) or ((0,) * len(self.bands_s))

    def to_dict(self) -> dict[str, Any]:
        """``{"bands_s", "all": {count, within: [{wait_s_at_most, label, count, share}]},
        "pairs": [{source, target, count, wait_s_p50, wait_s_p95, within}], "references":
        [{id, year, label, source}]}``."""
        return {
            "bands_s": list(self.bands_s),
            "all": {
                "count": self.count,
                "within": _within(self.bands_s, self.within, self.count),
            },
            "pairs": [pair.to_dict(self.bands_s) for pair in self.pairs],
            "references": [reference.to_dict() for reference in self.references],
        }


def _within(bands_s: Sequence[float], within: Sequence[int], count: int) -> list[dict[str, Any]]:
    return [
        {
            "wait_s_at_most": band,
            "label": band_label(band),
            "count": waits,
            "share": round(waits / count, 6) if count else None,
        }
        for band, waits in zip(bands_s, within, strict=True)
    ]


def band_label(band_s: float) -> str:
    """A band in words: ``300`` → ``'5 min'``, ``86400`` → ``'1 day'``, ``90`` → ``'90 s'``.

    >>> [band_label(s) for s in (300, 3600, 86400, 604800, 1209600, 90)]
    ['5 min', '1 h', '1 day', '1 week', '2 weeks', '90 s']
    """
    for size, singular, plural in (
        (604800, "week", "weeks"),
        (86400, "day", "days"),
        (3600, "h", "h"),
        (60, "min", "min"),
    ):
        if band_s >= size and band_s % size == 0:
            count = int(band_s // size)
            return f"{count} {singular if count == 1 else plural}"
    return f"{band_s:g} s"


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
    )


def handoff_sla(
    events: Events,
    /,
    *,
    unit: UnitSource,
    bands_s: Sequence[float] = DEFAULT_SLA_BANDS_S,
    resource: str = "resource",
) -> HandoffSla:
    """The waits at cross-unit handoffs against bands: p50, p95 and the share within each band.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    unit
        Where an event's unit comes from (see :func:`~orglens.mining.unit_handoffs`).
    bands_s
        Upper bounds of the bands in seconds, increasing: a wait of at most ``bands_s[i]``
        seconds is within band ``i``.
    resource
        The column the mapping's keys are matched against.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> at = lambda m: dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=m)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1", "c2", "c2"], "activity": ["mql", "call"] * 2,
    ...     "timestamp": [at(0), at(4), at(0), at(120)], "resource": ["mia", "sam"] * 2,
    ...     "group": [None] * 4, "position": [0, 1, 2, 3]}))
    >>> sla = handoff_sla(log, unit={"mia": "Marketing", "sam": "Sales"}, bands_s=[300, 3600])
    >>> sla.count, sla.within, sla.to_dict()["all"]["within"][0]["share"]
    (2, (1, 1), 0.5)
    """
    bands = tuple(float(band) for band in bands_s)
    steps = EventLog.of(events).unit_successions(unit, resource)
    table = steps.table
    cross = table.filter(table.source != table.target)
    found = cross.group_by(["source", "target"]).aggregate(
        _count=cross.count(),
        _q=cross.wait_us.quantile([0.5, 0.95]),
        **{
            f"_w{index}": cross.count(where=cross.wait_us <= round(band * _MICROSECONDS))
            for index, band in enumerate(bands)
        },
    )
    pairs = []
    for row in rows(found):
        p50, p95 = (float(value) / _MICROSECONDS for value in row["_q"])
        pairs.append(
            SlaPair(
                source=steps.name(row["source"]),
                target=steps.name(row["target"]),
                count=int(row["_count"]),
                wait_s_p50=p50,
                wait_s_p95=p95,
                within=tuple(int(row[f"_w{index}"]) for index in range(len(bands))),
            )
        )
    pairs.sort(key=lambda pair: (pair.source, pair.target))
    return HandoffSla(bands_s=bands, pairs=tuple(pairs))


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
        coded = table.select("_c", "_k", TIMESTAMP, _a=activity, _r=code)
    else:
        # A column outside the shared pass: its own prepared table, matched event by event.
        left = table.select("_c", "_k", TIMESTAMP, _a=activity)
        right = other.select(_rc="_c", _rk="_k", _r=code)
        coded = left.join(right, [left._c == right._rc, left._k == right._rk]).select(
            "_c", "_k", TIMESTAMP, "_a", "_r"
        )
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
