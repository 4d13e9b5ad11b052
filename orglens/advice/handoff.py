"""Rule 3, ``marketing_sales_handoff``: does the work cross the marketing→sales boundary often
and slowly?

*Often* is read from the declared journey: the crossings between a marketing group and a sales
group (either way, volume-weighted as in :mod:`orglens.lenses.process`) per case that reaches
sales (the volume of the first activity done by sales). One crossing is the least any split
needs; more means the work goes back and forth.

*Slowly* (and *leaky*) is read from the event log, when the workspace has one: the mean wait
at marketing→sales handoffs against the mean wait within units, the median speed to lead (first
marketing touch to first sales touch of a case), and the share of cases that ended right after
a marketing→sales handoff.

With an event log the rule fires when the handoff is slow or leaky; without one, when the
declared journey goes back and forth (saying that its speed is unknown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from orglens.advice._context import (
    Context,
    band,
    between,
    dominated,
    missing_functions,
    sentence,
    tipping,
)
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import duration, listed, number, percent
from orglens.scenarios import (
    JOURNEY_PODS,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    SALES_MARKETING_DESIGNS,
    SEGMENT_PODS,
    STATUS_QUO,
)

__all__ = ["marketing_sales_handoff"]


@dataclass(frozen=True)
class _Declared:
    crossings_per_year: float
    cases_reaching_sales: float
    per_case: float | None
    transitions: int


@dataclass(frozen=True)
class _Observed:
    handoffs: int
    wait_s_mean: float | None
    within_wait_s_mean: float | None
    wait_ratio: float | None
    leakage_share: float | None
    speed_to_lead_s: float | None


def marketing_sales_handoff(ctx: Context) -> Finding:
    """Rule 3 (see the module doc)."""
    rule = "marketing_sales_handoff"
    marketing, sales = set(ctx.groups_of("marketing")), set(ctx.groups_of("sales"))
    if not marketing or not sales:
        return missing_functions(rule, "the handoff argument")
    declared = _declared(ctx, marketing, sales)
    observed = _observed(ctx, marketing, sales)
    settings = ctx.settings
    evidence: dict[str, Evidence] = {}
    reasons: list[str] = []
    often = None
    if declared is not None:
        often = (declared.per_case or 0) > settings.handoffs_per_sales_case
        evidence.update(
            declared_crossings_per_sales_case=declared.per_case,
            declared_boundary_transitions=declared.transitions,
            cases_reaching_sales_per_year=declared.cases_reaching_sales,
        )
        reasons.append(
            f"the declared journey crosses the marketing-sales boundary {declared.transitions} "
            f"time(s), {number(declared.per_case or 0)} crossings per case that reaches sales "
            f"({'above' if often else 'at most'} {number(settings.handoffs_per_sales_case)})"
        )
    if observed is not None:
        evidence.update(
            observed_handoffs=observed.handoffs,
            handoff_wait_s_mean=observed.wait_s_mean,
            within_unit_wait_s_mean=observed.within_wait_s_mean,
            wait_ratio=observed.wait_ratio,
            speed_to_lead_s_median=observed.speed_to_lead_s,
            leakage_share=observed.leakage_share,
        )
        reasons.append(_observed_text(observed))
    for key in ("cross_unit_handoffs_per_case", "expected_handoff_wait_s"):
        scored = ctx.metric_by_scenario(key, SALES_MARKETING_DESIGNS)
        if scored:
            evidence[key] = scored
    missing = _missing(ctx, declared, observed)
    because = (
        sentence("; ".join(reasons))
        if reasons
        else "Neither the declared journey nor an event log shows marketing handing to sales."
    )
    sources = (
        *(("oldroyd_2011",) if observed is not None else ()),
        *(("orglens",) if reasons else ()),
    )
    found = Finding(
        rule=rule,
        triggered=False,
        verdict="",
        because=because,
        evidence=evidence,
        conditions=_conditions(declared, observed),
        counter=_counter(declared, observed),
        missing=missing,
        sources=sources,
    )
    return _decide(ctx, found, declared, observed)


def _decide(
    ctx: Context, found: Finding, declared: _Declared | None, observed: _Observed | None
) -> Finding:
    """The verdict on the measures (the event log's, else the declared journey's): undecided
    near the threshold of the decisive measure, in the same words on both sides; a change when
    a measure fires; else no finding."""
    measures = _measures(ctx, declared, observed)
    decisive = _decisive(measures)
    near = None if decisive is None else decisive.margin
    found = replace(
        found,
        margin=near,
        tipping_point="" if decisive is None else _tipping(decisive, measures),
    )
    if near is not None and near < BORDERLINE and decisive is not None:
        return replace(found, triggered=True, verdict=_undecided(ctx, decisive))
    if any(m.fires for m in measures):
        return replace(found, triggered=True, verdict=_change(ctx))
    return replace(
        found,
        verdict=(
            "No finding: the event log shows a fast marketing→sales handoff that keeps its leads."
            if observed is not None
            else "No finding: the declared journey hands work between marketing and sales "
            "no more than once per case."
            if declared is not None
            else "No finding: nothing shows marketing handing work to sales."
        ),
        counter="",
    )


@dataclass(frozen=True)
class _Measure:
    """One measure the verdict turns on: it fires above its threshold (at or above, unless
    ``strict``), and ``show`` writes its values."""

    setting: str
    threshold: float
    value: float
    strict: bool
    name: str
    show: Callable[[float], str]
    floor: float = 0.0  # the least the measure can be

    @property
    def fires(self) -> bool:
        return self.value > self.threshold if self.strict else self.value >= self.threshold

    @property
    def at_floor(self) -> bool:
        """Whether the measure sits at the least it can be and does not fire: only a rise can
        change the verdict, so no margin is measured."""
        return bool(self.floor) and self.value <= self.floor and not self.fires

    @property
    def margin(self) -> float | None:
        return None if self.at_floor else margin(self.value, self.threshold)


def _times(ratio: float) -> str:
    return f"{number(ratio)} times"


def _measures(
    ctx: Context, declared: _Declared | None, observed: _Observed | None
) -> list[_Measure]:
    """With an event log its speed, waits and leakage; else the declared crossings."""
    settings = ctx.settings
    if observed is None:
        if declared is None:
            return []
        return [
            _Measure(
                "handoffs_per_sales_case",
                settings.handoffs_per_sales_case,
                declared.per_case or 0.0,
                True,
                "the declared crossings per case that reaches sales",
                number,
                floor=1.0,  # one crossing is the least any split of the two needs
            )
        ]
    candidates = (
        ("speed_to_lead_s", observed.speed_to_lead_s, True, "the median speed to lead", duration),
        (
            "slow_wait_ratio",
            observed.wait_ratio,
            False,
            "the wait at marketing→sales handoffs against the wait within units",
            _times,
        ),
        (
            "leakage_share",
            observed.leakage_share,
            False,
            "the share of handed-over cases that end right after the handoff",
            percent,
        ),
    )
    return [
        _Measure(setting, getattr(settings, setting), value, strict, name, show)
        for setting, value, strict, name, show in candidates
        if value is not None
    ]


def _decisive(measures: list[_Measure]) -> _Measure | None:
    """The measure whose crossing would change the verdict: of those that fire, the furthest
    above its threshold (all must fall back); else the nearest below. ``None`` when none can
    turn (no measure, or one that fires at a threshold of 0)."""
    firing = [m for m in measures if m.fires]
    if firing:
        if any(m.margin is None for m in firing):
            return None
        return max(firing, key=lambda m: m.margin or 0.0)
    return min(measures, key=lambda m: float("inf") if m.margin is None else m.margin, default=None)


def _sla(ctx: Context) -> str:
    return f"a lead SLA (first sales touch within {duration(ctx.settings.speed_to_lead_s)})"


def _undecided(ctx: Context, decisive: _Measure) -> str:
    """The same verdict on both sides of the threshold the decisive measure is near."""
    show, threshold = decisive.show, decisive.threshold
    return (
        f"With {decisive.name} at {between(threshold, show)} the handoff argument does not "
        f"decide ({decisive.setting} = {show(threshold)}): agree {_sla(ctx)} either way, and "
        "measure again before changing the structure."
    )


def _change(ctx: Context) -> str:
    """The verdict when the handoff must change, naming only designs the scorecard does not
    dominate."""
    kinds = {
        "merge": (MERGE_SALES_MARKETING, MERGE_SALES_MARKETING_COMMUNICATIONS),
        "pods": (JOURNEY_PODS, SEGMENT_PODS),
    }
    kept = []
    for kind, names in kinds.items():
        fronts = [ctx.on_pareto_front(name) for name in names]
        if any(front is True for front in fronts) or all(front is None for front in fronts):
            kept.append(kind)
    if kept:
        return (
            "The structure or the agreement at the marketing-sales handoff must change: "
            f"{', '.join(kept)}, or {_sla(ctx)}{_best_design(ctx)}."
        )
    return (
        f"The agreement at the marketing-sales handoff must change: {_sla(ctx)}; the "
        "scorecard shows every merge and pod design dominated, so the structure is not the "
        "lever."
    )


def _tipping(decisive: _Measure, measures: list[_Measure]) -> str:
    show, threshold, value = decisive.show, decisive.threshold, decisive.value
    setting, shown = decisive.setting, f"{decisive.name} is {show(value)}"
    near = decisive.margin
    if near is not None and near < BORDERLINE:
        low, high = band(threshold)
        return (
            f"The verdict turns at {setting} = {show(threshold)}; {shown}: below {show(low)} "
            f"it is no reason to change the handoff, above {show(high)} it is."
        )
    if decisive.at_floor:
        return (
            f"The verdict turns at {setting} = {show(threshold)}; {shown}, the least any split "
            "of marketing and sales needs: any step back from sales to marketing would change it."
        )
    if not decisive.fires:
        cross = f"above {show(threshold)}" if decisive.strict else f"of {show(threshold)} or more"
        lower = "below" if decisive.strict else "of"
        return tipping(
            setting,
            show(threshold),
            shown,
            f"a value {cross}, or a threshold {lower} {show(value)},",
        )
    back = f"of {show(threshold)} or less" if decisive.strict else f"below {show(threshold)}"
    higher = "of" if decisive.strict else "above"
    others = [m.setting for m in measures if m.fires and m is not decisive]
    also = f", with {listed(others)} no longer met too," if others else ","
    return tipping(
        setting,
        show(threshold),
        shown,
        f"a value {back}, or a threshold {higher} {show(value)}{also}",
    )


def _counter(declared: _Declared | None, observed: _Observed | None) -> str:
    """The strongest counter-argument, with this company's figures."""
    if observed is not None:
        facts = []
        if observed.speed_to_lead_s is not None:
            facts.append(f"a median speed to lead of {duration(observed.speed_to_lead_s)}")
        if observed.leakage_share:
            facts.append(f"{percent(observed.leakage_share)} of handed-over cases lost")
        if not facts and observed.wait_ratio is not None:
            facts.append(f"handoff waits {_times(observed.wait_ratio)} those within units")
        if not facts:
            facts.append(f"{observed.handoffs} slow handoffs")
        return (
            f"A merger alone does not make a handoff fast: {listed(facts)} come from how sales "
            "picks leads up, and a lead SLA with one definition of a qualified lead, measured "
            "every week, can fix that in today's structure."
        )
    if declared is not None:
        return (
            "A merger alone does not end the back-and-forth: the declared journey's "
            f"{declared.transitions} crossing(s) ({number(declared.per_case or 0)} per case "
            "that reaches sales) come from who does which step, which can be agreed in "
            "today's structure."
        )
    return ""


def _conditions(declared: _Declared | None, observed: _Observed | None) -> tuple[str, ...]:
    """When the verdict would not hold, with this company's figures."""
    if observed is not None:
        wait = (
            "the waits include"
            if observed.wait_s_mean is None
            else f"the mean wait of {duration(observed.wait_s_mean)} at marketing→sales "
            "handoffs includes"
        )
        return (
            f"{wait} time the buyer chooses (a demo booked for next week is no slow handoff)",
            f"the {observed.handoffs} marketing→sales handoffs matched to people are not "
            "typical of all leads (events without a unit are left out)",
        )
    if declared is not None:
        return (
            f"the declared volumes are off: {number(declared.cases_reaching_sales)} cases a "
            "year are declared to reach sales",
        )
    return ()


def _declared(ctx: Context, marketing: set[str], sales: set[str]) -> _Declared | None:
    """The marketing↔sales crossings of the declared journey, or ``None`` without them."""
    process = ctx.analysis.process
    handoffs = process.handoffs
    first_sales = next((s for s in process.journey if s.group in sales), None)
    if handoffs is None or first_sales is None:
        return None
    if not any(s.group in marketing for s in process.journey):
        return None
    crossings = sum(
        flow
        for source, row in handoffs.matrix.items()
        for target, flow in row.items()
        if {source, target} & marketing and {source, target} & sales
    )
    chain = [s.group for s in process.journey if s.group is not None]
    transitions = sum(
        1
        for a, b in pairwise(chain)
        if (a in marketing and b in sales) or (a in sales and b in marketing)
    )
    cases = first_sales.volume_used
    return _Declared(
        crossings_per_year=crossings,
        cases_reaching_sales=cases,
        per_case=crossings / cases if cases > 0 else None,
        transitions=transitions,
    )


def _observed(ctx: Context, marketing: set[str], sales: set[str]) -> _Observed | None:
    """Waits, leakage and speed to lead at marketing→sales handoffs of the event log."""
    observed = ctx.analysis.process.observed
    if observed is None:
        return None
    pairs = [
        p
        for p in observed.handoffs.pairs
        if p.source in marketing and p.target in sales and p.count > 0
    ]
    if not pairs:
        return None
    timed = [p for p in pairs if p.wait_s_mean is not None]
    timed_count = sum(p.count for p in timed)
    wait = (
        sum(p.count * (p.wait_s_mean or 0.0) for p in timed) / timed_count if timed_count else None
    )
    within = observed.handoffs.within.wait_s_mean
    leaks = [p for p in observed.leakage.pairs if p.source in marketing and p.target in sales]
    handed = sum(p.handoff_cases for p in leaks)
    speed = observed.speed_to_lead
    return _Observed(
        handoffs=sum(p.count for p in pairs),
        wait_s_mean=wait,
        within_wait_s_mean=within,
        wait_ratio=wait / within if wait is not None and within else None,
        leakage_share=sum(p.count for p in leaks) / handed if handed else None,
        speed_to_lead_s=speed.wait.wait_s_median if speed is not None and speed.cases else None,
    )


def _observed_text(observed: _Observed) -> str:
    parts = [f"in the event log {observed.handoffs} marketing→sales handoffs"]
    if observed.wait_s_mean is not None and observed.within_wait_s_mean is not None:
        parts[0] += (
            f" waited {duration(observed.wait_s_mean)} on average, against "
            f"{duration(observed.within_wait_s_mean)} between steps within a unit"
        )
    else:
        parts[0] += " were seen"
    if observed.speed_to_lead_s is not None:
        parts.append(f"the median speed to lead is {duration(observed.speed_to_lead_s)}")
    if observed.leakage_share is not None:
        parts.append(
            f"{percent(observed.leakage_share)} of the cases handed over ended right after it"
        )
    return "; ".join(parts)


def _best_design(ctx: Context) -> str:
    """``'; of the designs, journey_pods leaves fewest ...'`` when the scorecard says so, among
    the designs no other dominates (and which dominated design would leave fewer)."""
    found = {
        name: value
        for name, value in ctx.metric_by_scenario(
            "cross_unit_handoffs_per_case", SALES_MARKETING_DESIGNS
        ).items()
        if value is not None
    }
    today = found.get(STATUS_QUO)
    if today is None or len(found) < 2:
        return ""
    front = {name: value for name, value in found.items() if ctx.on_pareto_front(name) is not False}
    fewest = min(front.values(), default=today)
    if fewest >= today:
        return "; no design on the Pareto front removes handoffs, so the agreement is the lever"
    best = [name for name, value in front.items() if value == fewest]
    leave = "leaves" if len(best) == 1 else "leave"
    fewer = [name for name, value in found.items() if value < fewest]
    beaten = (
        f" ({listed(fewer)} would leave fewer, but {dominated(ctx, fewer[0])})" if fewer else ""
    )
    return (
        f"; {listed(best)} {leave} fewest cross-unit handoffs ({number(fewest)} per case "
        f"against {number(today)} today){beaten}"
    )


def _missing(
    ctx: Context, declared: _Declared | None, observed: _Observed | None
) -> tuple[str, ...]:
    missing = []
    if declared is None:
        missing.append("journey.csv: a declared journey with marketing and sales activities")
    if observed is None:
        missing.append(
            "an event log (events: in orglens.yaml) with marketing→sales handoffs: how slow "
            "and leaky the handoff is"
            if ctx.analysis.process.observed is None
            else "marketing→sales handoffs in the event log (none matched)"
        )
    return tuple(missing)
