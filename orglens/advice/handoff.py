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

from dataclasses import dataclass
from itertools import pairwise

from orglens.advice._context import (
    Context,
    duration,
    listed,
    missing_functions,
    number,
    percent,
    sentence,
)
from orglens.advice.finding import Evidence, Finding
from orglens.scenarios import (
    CEO_FORUM,
    JOURNEY_PODS,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    SEGMENT_PODS,
    STATUS_QUO,
)

__all__ = ["marketing_sales_handoff"]

_DESIGNS = (
    STATUS_QUO,
    CEO_FORUM,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    JOURNEY_PODS,
    SEGMENT_PODS,
)


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
    slow = leaky = None
    if observed is not None:
        slow = (
            observed.speed_to_lead_s is not None
            and observed.speed_to_lead_s > settings.speed_to_lead_s
        ) or (observed.wait_ratio is not None and observed.wait_ratio >= settings.slow_wait_ratio)
        leaky = (
            observed.leakage_share is not None and observed.leakage_share >= settings.leakage_share
        )
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
        found = ctx.metric_by_scenario(key, _DESIGNS)
        if found:
            evidence[key] = found
    missing = _missing(ctx, declared, observed)
    because = (
        sentence("; ".join(reasons))
        if reasons
        else "Neither the declared journey nor an event log shows marketing handing to sales."
    )
    triggered = bool(slow or leaky) if observed is not None else bool(often)
    sources = (
        *(("oldroyd_2011",) if observed is not None else ()),
        *(("orglens",) if reasons else ()),
    )
    conditions = (
        "the waits include time the buyer chooses (a demo booked for next week is no slow handoff)",
        "the event log's resources are matched to people (events without a unit are left out)",
    )
    if not triggered:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=(
                "No finding: the event log shows a fast marketing→sales handoff that keeps its "
                "leads."
                if observed is not None
                else "No finding: the declared journey hands work between marketing and sales "
                "no more than once per case."
                if declared is not None
                else "No finding: nothing shows marketing handing work to sales."
            ),
            because=because,
            evidence=evidence,
            conditions=conditions,
            counter="",
            missing=missing,
            sources=sources,
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=(
            "The structure or the agreement at the marketing-sales handoff must change: merge, "
            f"pods, or a lead SLA (first sales touch within {duration(settings.speed_to_lead_s)})"
            f"{_best_design(ctx)}."
        ),
        because=because,
        evidence=evidence,
        conditions=conditions,
        counter=(
            "A merger alone does not make a handoff fast: a lead SLA with one definition of a "
            "qualified lead, measured every week, can fix speed and leakage in today's structure."
        ),
        missing=missing,
        sources=sources,
    )


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
    """``'; of the designs, journey_pods leaves fewest ...'`` when the scorecard says so."""
    found = {
        name: value
        for name, value in ctx.metric_by_scenario("cross_unit_handoffs_per_case", _DESIGNS).items()
        if value is not None
    }
    today = found.get(STATUS_QUO)
    if today is None or len(found) < 2:
        return ""
    fewest = min(found.values())
    if fewest >= today:
        return "; no design removes handoffs, so the agreement is the lever"
    best = [name for name, value in found.items() if value == fewest]
    leave = "leaves" if len(best) == 1 else "leave"
    return (
        f"; {listed(best)} {leave} fewest cross-unit handoffs ({number(fewest)} per case "
        f"against {number(today)} today)"
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
