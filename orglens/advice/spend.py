"""Rule 5 about money: the brand share of marketing spend, and brand vs activation work.

- ``brand_vs_activation`` (rule 5): the brand share of marketing spend against the benchmark,
  and whether brand work is project-based while activation work is process-based.

Who owns spend and revenue together (rule 7) has its own module,
:mod:`orglens.advice.accountability`; it is re-exported here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from orglens.advice._context import Context, band, between, dominated, money, sentence
from orglens.advice.accountability import accountability
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import listed, number, percent, points, t
from orglens.scenarios import JOURNEY_PODS, SEGMENT_PODS

__all__ = ["accountability", "brand_vs_activation"]


@dataclass(frozen=True)
class _Half:
    """One half of rule 5's verdict (the budget, or the ways of working): whether its measure
    crosses its threshold, and how near it is (``None``: it cannot turn)."""

    fires: bool
    margin: float | None

    @property
    def borderline(self) -> bool:
        return self.margin is not None and self.margin < BORDERLINE


@dataclass(frozen=True)
class _Brand:
    """The evidence of rule 5."""

    share: float | None
    gap: float | None
    benchmark: float
    tolerance: float
    mode_share: float
    project: float | None
    process: float | None
    brand_units: tuple[str, ...]  # names
    activation_units: tuple[str, ...]
    spend: float  # brand + activation
    with_mode: int  # people of brand and activation units with a work mode
    currency: str
    journey_units: int

    @property
    def budget(self) -> _Half | None:
        if self.gap is None:
            return None
        return _Half(abs(self.gap) > self.tolerance, margin(abs(self.gap), self.tolerance))

    @property
    def modes(self) -> _Half | None:
        if self.project is None or self.process is None:
            return None
        shares, least = (self.project, self.process), self.mode_share
        fires = min(shares) >= least
        near = [margin(v, least) or 0.0 for v in shares if fires or v < least]
        return _Half(fires, min(near) if fires else max(near))

    @property
    def side(self) -> str:
        return "below" if (self.gap or 0.0) < 0 else "above"


def brand_vs_activation(ctx: Context) -> Finding:
    """Rule 5: brand share against the benchmark, and project vs process work.

    ``brand_share`` and the benchmark come from the budget lens. A unit is a **brand unit** when
    it holds more brand than activation spend, an **activation unit** when the reverse. The
    ``brand_project_share`` is the share of project-based people (``work_mode``) among the
    people of brand units who have a work mode; ``activation_process_share`` the share of
    process-based people in activation units. The two ways of working differ when both shares
    reach ``mode_share``. Each half of the verdict near its threshold (within
    :data:`~orglens.advice.BORDERLINE`) says so, in the same words on both sides.
    """
    budget, settings = ctx.analysis.budget, ctx.settings
    brand_units, activation_units = _units_by_horizon(ctx)
    horizons = [line for line in ctx.org.budget if line.horizon in ("brand", "activation")]
    spending = {*brand_units, *activation_units}
    found = _Brand(
        share=budget.brand_share,
        gap=budget.brand_gap,
        benchmark=budget.brand_benchmark,
        tolerance=settings.brand_tolerance,
        mode_share=settings.mode_share,
        project=_mode_share(ctx, brand_units, "project"),
        process=_mode_share(ctx, activation_units, "process"),
        brand_units=tuple(ctx.unit_name(u) for u in brand_units),
        activation_units=tuple(ctx.unit_name(u) for u in activation_units),
        spend=sum(line.amount for line in horizons),
        with_mode=sum(1 for p in ctx.org.people if p.unit in spending and p.work_mode),
        currency=budget.currency,
        journey_units=len({s.group for s in ctx.analysis.process.journey if s.group}),
    )
    halves = [half for half in (found.budget, found.modes) if half is not None]
    near = min((h.margin for h in halves if h.margin is not None), default=None)
    judged_modes = found.modes is not None
    finding = Finding(
        rule="brand_vs_activation",
        triggered=False,
        verdict=t(
            "advice_spend.verdict_no_spend" if found.share is None else "advice_spend.verdict_none"
        ),
        because=_brand_because(found),
        evidence=_brand_evidence(found),
        conditions=(),
        counter="",
        missing=_brand_missing(found, brand_units or activation_units),
        sources=(
            *(("brand_benchmark",) if found.share is not None else ()),
            *(("binet_field_2013",) if judged_modes else ()),
            *(("orglens",) if found.share is not None or judged_modes else ()),
        ),
        margin=near,
        tipping_point=_brand_tipping(found),
    )
    if not any(h.fires or h.borderline for h in halves):
        return finding
    return replace(
        finding,
        triggered=True,
        verdict=_brand_verdict(ctx, found),
        conditions=_brand_conditions(found),
        counter=_brand_counter(found),
    )


def _brand_evidence(found: _Brand) -> dict[str, Evidence]:
    return {
        "brand_share": found.share,
        "brand_benchmark": found.benchmark,
        "brand_gap": found.gap,
        "brand_tolerance": found.tolerance,
        "brand_units": found.brand_units,
        "activation_units": found.activation_units,
        "brand_project_share": found.project,
        "activation_process_share": found.process,
    }


def _brand_missing(found: _Brand, spending: tuple[str, ...]) -> tuple[str, ...]:
    missing = []
    if found.share is None:
        missing.append(t("advice_spend.missing_budget"))
    if found.modes is None and spending:
        missing.append(t("advice_spend.missing_modes"))
    return tuple(missing)


def _brand_because(found: _Brand) -> str:
    reasons = []
    budget = found.budget
    if found.share is not None and found.gap is not None and budget is not None:
        reasons.append(
            t(
                "advice_spend.because_budget_off"
                if budget.fires
                else "advice_spend.because_budget_within",
                share=percent(found.share),
                benchmark=percent(found.benchmark),
                gap=percent(abs(found.gap)),
                tolerance=percent(found.tolerance),
            )
        )
    if found.project is not None and found.process is not None:
        reasons.append(
            t(
                "advice_spend.because_modes",
                project=percent(found.project),
                brand_units=listed(found.brand_units),
                process=percent(found.process),
                activation_units=listed(found.activation_units),
            )
        )
    return sentence("; ".join(reasons)) if reasons else t("advice_spend.because_none")


def _brand_verdict(ctx: Context, found: _Brand) -> str:
    """Each half that fires clearly gives an action; each borderline half says it does not
    decide, in words that do not depend on which side of its threshold it lies."""
    actions, hedges = [], []
    budget, modes = found.budget, found.modes
    if budget is not None and budget.borderline:
        hedges.append(
            t(
                f"advice_spend.hedge_budget_{found.side}",
                band=between(found.tolerance, points),
                benchmark=percent(found.benchmark),
            )
        )
    elif budget is not None and budget.fires:
        direction = "brand" if found.side == "below" else "activation"
        actions.append(
            t(f"advice_spend.action_toward_{direction}", benchmark=percent(found.benchmark))
        )
    if modes is not None and modes.borderline:
        hedges.append(
            t(
                "advice_spend.hedge_modes",
                mode_share=percent(found.mode_share),
                band=between(found.mode_share, percent),
            )
        )
    elif modes is not None and modes.fires:
        actions.append(t("advice_spend.action_modes", pods_note=_pods_note(ctx)))
    if not actions:
        return sentence(t("advice_spend.undecided", hedges="; ".join(hedges)))
    return sentence("; ".join(actions + hedges))


def _pods_note(ctx: Context) -> str:
    """Why pods are still named when the scorecard dominates every pod design it compared."""
    fronts = {name: ctx.on_pareto_front(name) for name in (JOURNEY_PODS, SEGMENT_PODS)}
    compared = [name for name, front in fronts.items() if front is not None]
    if not compared or any(fronts[name] for name in compared):
        return ""
    return t("advice_spend.pods_note", dominated=dominated(ctx, compared[0]))


def _brand_tipping(found: _Brand) -> str:
    """What would tip the half nearest its threshold."""
    halves = [(h, key) for h, key in ((found.budget, "budget"), (found.modes, "modes")) if h]
    if not halves:
        return ""
    half, key = min(
        halves, key=lambda item: _INFINITE if item[0].margin is None else item[0].margin
    )
    if key == "budget":
        return _budget_tipping(found, half)
    return _modes_tipping(found, half)


_INFINITE = float("inf")


def _budget_tipping(found: _Brand, half: _Half) -> str:
    bench, tolerance, gap = found.benchmark, found.tolerance, abs(found.gap or 0.0)
    start = t(
        f"advice_spend.tipping_budget_{found.side}",
        tolerance=points(tolerance),
        share=percent(found.share or 0.0),
        gap=points(gap),
        benchmark=percent(bench),
    )
    if half.borderline:
        low, high = band(tolerance)
        return t(
            "advice_spend.tipping_budget_borderline",
            start=start,
            low=points(low),
            high=points(high),
        )
    if half.fires:
        back = (
            t("advice_spend.back_below", share=percent(bench - tolerance))
            if found.side == "below"
            else t("advice_spend.back_above", share=percent(bench + tolerance))
        )
        return t("advice_spend.tipping_budget_fires", start=start, back=back, gap=points(gap))
    return t(
        "advice_spend.tipping_budget_holds",
        start=start,
        low=percent(bench - tolerance),
        high=percent(bench + tolerance),
        gap=points(gap),
    )


def _modes_tipping(found: _Brand, half: _Half) -> str:
    least, shares = found.mode_share, (found.project or 0.0, found.process or 0.0)
    shown = t(
        "advice_spend.tipping_modes_shown",
        project=percent(shares[0]),
        process=percent(shares[1]),
    )
    start = t("advice_spend.tipping_modes", mode_share=percent(least), shown=shown)
    if half.borderline:
        low, high = band(least)
        return t(
            "advice_spend.tipping_modes_borderline",
            start=start,
            low=percent(low),
            high=percent(high),
        )
    return t(
        "advice_spend.tipping_modes_fires" if half.fires else "advice_spend.tipping_modes_holds",
        start=start,
        mode_share=percent(least),
        lowest=percent(min(shares)),
    )


def _brand_conditions(found: _Brand) -> tuple[str, ...]:
    conditions = []
    if found.share is not None:
        conditions.append(
            t(
                "advice_spend.condition_benchmark",
                benchmark=percent(found.benchmark),
                share=percent(found.share),
            )
        )
    if found.modes is not None:
        conditions.append(
            t(
                "advice_spend.condition_modes",
                n=number(found.with_mode),
                units=listed((*found.brand_units, *found.activation_units)),
            )
        )
    return tuple(conditions)


def _brand_counter(found: _Brand) -> str:
    modes, budget = found.modes, found.budget
    if modes is not None and (modes.fires or modes.borderline):
        crossed = (
            t("advice_spend.crossed_journey", n=number(found.journey_units))
            if found.journey_units > 1
            else t("advice_spend.crossed_work", units=listed(found.activation_units))
        )
        return t(
            "advice_spend.counter_modes", brand_units=listed(found.brand_units), crossed=crossed
        )
    gap = abs(found.gap or 0.0)
    toward, losing = (
        ("brand", found.activation_units)
        if found.side == "below"
        else ("activation", found.brand_units)
    )
    return (
        t(
            f"advice_spend.counter_toward_{toward}",
            amount=money(gap * found.spend, found.currency),
            gap=points(gap),
            spend=money(found.spend, found.currency),
            losing=listed(losing),
        )
        if budget is not None
        else ""
    )


def _units_by_horizon(ctx: Context) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Units holding more brand than activation spend, and the reverse (file order)."""
    spend: dict[str, dict[str, float]] = defaultdict(lambda: {"brand": 0.0, "activation": 0.0})
    for line in ctx.org.budget:
        if line.horizon in ("brand", "activation"):
            spend[line.unit][line.horizon] += line.amount
    brand = tuple(u for u, s in spend.items() if s["brand"] > s["activation"])
    activation = tuple(u for u, s in spend.items() if s["activation"] > s["brand"])
    return brand, activation


def _mode_share(ctx: Context, units: tuple[str, ...], mode: str) -> float | None:
    """The share of ``mode`` among the people of ``units`` who have a work mode."""
    wanted = set(units)
    modes = [p.work_mode for p in ctx.org.people if p.unit in wanted and p.work_mode is not None]
    return sum(1 for m in modes if m == mode) / len(modes) if modes else None
