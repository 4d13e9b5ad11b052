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
    counted,
    dominated,
    missing_functions,
    sentence,
    tipping,
)
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import duration, listed, number, percent, t
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
        return missing_functions(rule, t("advice_handoff.argument"))
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
        threshold = number(settings.handoffs_per_sales_case)
        reasons.append(
            counted(
                "advice_handoff.reason_declared",
                declared.transitions,
                per_case=number(declared.per_case or 0),
                compared=t(
                    "advice_handoff.above" if often else "advice_handoff.at_most",
                    threshold=threshold,
                ),
            )
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
    because = sentence("; ".join(reasons)) if reasons else t("advice_handoff.because_none")
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
        verdict=t(
            "advice_handoff.verdict_none_observed"
            if observed is not None
            else "advice_handoff.verdict_none_declared"
            if declared is not None
            else "advice_handoff.verdict_none"
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
    return t("advice_handoff.times", n=number(ratio))


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
                t("advice_handoff.measure_declared"),
                number,
                floor=1.0,  # one crossing is the least any split of the two needs
            )
        ]
    candidates = (
        ("speed_to_lead_s", observed.speed_to_lead_s, True, "measure_speed", duration),
        ("slow_wait_ratio", observed.wait_ratio, False, "measure_wait", _times),
        ("leakage_share", observed.leakage_share, False, "measure_leakage", percent),
    )
    return [
        _Measure(
            setting, getattr(settings, setting), value, strict, t(f"advice_handoff.{name}"), show
        )
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
    return t("advice_handoff.sla", within=duration(ctx.settings.speed_to_lead_s))


def _undecided(ctx: Context, decisive: _Measure) -> str:
    """The same verdict on both sides of the threshold the decisive measure is near."""
    show, threshold = decisive.show, decisive.threshold
    return t(
        "advice_handoff.verdict_undecided",
        name=decisive.name,
        band=between(threshold, show),
        setting=decisive.setting,
        threshold=show(threshold),
        sla=_sla(ctx),
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
        return t(
            f"advice_handoff.verdict_change_{'_'.join(kept)}", sla=_sla(ctx), best=_best_design(ctx)
        )
    return t("advice_handoff.verdict_change_agreement", sla=_sla(ctx))


def _tipping(decisive: _Measure, measures: list[_Measure]) -> str:
    show, threshold, value = decisive.show, decisive.threshold, decisive.value
    setting = decisive.setting
    shown = t("advice_handoff.shown", name=decisive.name, value=show(value))
    near = decisive.margin
    if near is not None and near < BORDERLINE:
        low, high = band(threshold)
        return t(
            "advice_handoff.tipping_borderline",
            setting=setting,
            threshold=show(threshold),
            shown=shown,
            low=show(low),
            high=show(high),
        )
    if decisive.at_floor:
        return t(
            "advice_handoff.tipping_floor", setting=setting, threshold=show(threshold), shown=shown
        )
    strict = "_strict" if decisive.strict else ""
    if not decisive.fires:
        change = t(
            f"advice_handoff.change_rise{strict}", threshold=show(threshold), value=show(value)
        )
        return tipping(setting, show(threshold), shown, change)
    others = [m.setting for m in measures if m.fires and m is not decisive]
    change = t(
        f"advice_handoff.change_fall{strict}{'_others' if others else ''}",
        threshold=show(threshold),
        value=show(value),
        others=listed(others),
    )
    return tipping(setting, show(threshold), shown, change)


def _counter(declared: _Declared | None, observed: _Observed | None) -> str:
    """The strongest counter-argument, with this company's figures."""
    if observed is not None:
        facts = []
        if observed.speed_to_lead_s is not None:
            facts.append(t("advice_handoff.fact_speed", speed=duration(observed.speed_to_lead_s)))
        if observed.leakage_share:
            facts.append(t("advice_handoff.fact_leakage", share=percent(observed.leakage_share)))
        if not facts and observed.wait_ratio is not None:
            facts.append(t("advice_handoff.fact_wait", times=_times(observed.wait_ratio)))
        if not facts:
            facts.append(t("advice_handoff.fact_handoffs", n=number(observed.handoffs)))
        return t("advice_handoff.counter_observed", facts=listed(facts))
    if declared is not None:
        return counted(
            "advice_handoff.counter_declared",
            declared.transitions,
            per_case=number(declared.per_case or 0),
        )
    return ""


def _conditions(declared: _Declared | None, observed: _Observed | None) -> tuple[str, ...]:
    """When the verdict would not hold, with this company's figures."""
    if observed is not None:
        wait = (
            t("advice_handoff.condition_waits")
            if observed.wait_s_mean is None
            else t("advice_handoff.condition_wait", wait=duration(observed.wait_s_mean))
        )
        return (
            wait,
            t("advice_handoff.condition_handoffs", n=number(observed.handoffs)),
        )
    if declared is not None:
        return (t("advice_handoff.condition_volumes", cases=number(declared.cases_reaching_sales)),)
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
    handoffs = number(observed.handoffs)
    if observed.wait_s_mean is not None and observed.within_wait_s_mean is not None:
        parts = [
            t(
                "advice_handoff.observed_waited",
                n=handoffs,
                wait=duration(observed.wait_s_mean),
                within=duration(observed.within_wait_s_mean),
            )
        ]
    else:
        parts = [t("advice_handoff.observed_seen", n=handoffs)]
    if observed.speed_to_lead_s is not None:
        parts.append(t("advice_handoff.observed_speed", speed=duration(observed.speed_to_lead_s)))
    if observed.leakage_share is not None:
        parts.append(t("advice_handoff.observed_leakage", share=percent(observed.leakage_share)))
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
        return t("advice_handoff.best_none")
    best = [name for name, value in front.items() if value == fewest]
    fewer = [name for name, value in found.items() if value < fewest]
    beaten = (
        t("advice_handoff.best_beaten", fewer=listed(fewer), dominated=dominated(ctx, fewer[0]))
        if fewer
        else ""
    )
    return counted(
        "advice_handoff.best",
        len(best),
        best=listed(best),
        fewest=number(fewest),
        today=number(today),
        beaten=beaten,
    )


def _missing(
    ctx: Context, declared: _Declared | None, observed: _Observed | None
) -> tuple[str, ...]:
    missing = []
    if declared is None:
        missing.append(t("advice_handoff.missing_journey"))
    if observed is None:
        missing.append(
            t(
                "advice_handoff.missing_events"
                if ctx.analysis.process.observed is None
                else "advice_handoff.missing_matched"
            )
        )
    return tuple(missing)
