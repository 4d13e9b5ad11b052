"""Rule 9, ``coordination_beyond_merging``: one cannot merge every department that needs to
coordinate. Shows which declared coordination stays cross-unit in every built-in design.
"""

from __future__ import annotations

from collections.abc import Mapping

from orglens.advice._context import Context, counted
from orglens.advice.finding import Evidence, Finding
from orglens.i18n import listed, number, percent, t
from orglens.model import Organization

__all__ = ["coordination_beyond_merging"]


def coordination_beyond_merging(ctx: Context) -> Finding:
    """Rule 9: which declared coordination stays cross-unit in every built-in design?

    Each built-in design is applied; a declared need stays cross-unit when its two ends fall in
    different groups (at the analysed level) in every design, today's included. The remaining
    weight is summed per pair of today's groups.
    """
    rule = "coordination_beyond_merging"
    needs = ctx.org.coordination
    designs = {n: o for n, o in ctx.applied.items() if len(o.coordination) == len(needs)}
    if not needs or len(designs) < 2:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=t("advice_coordination.verdict_nothing"),
            because=counted(
                "advice_coordination.because_nothing", len(designs), needs=number(len(needs))
            ),
            evidence={"needs": len(needs), "designs_checked": tuple(designs)},
            conditions=(),
            counter="",
            missing=(
                t(
                    "advice_coordination.missing_needs"
                    if not needs
                    else "advice_coordination.missing_functions"
                ),
            ),
        )
    total, ordered = _staying(ctx, designs)
    kept_weight = sum(ordered.values())
    share = kept_weight / total if total else None
    evidence: dict[str, Evidence] = {
        "designs_checked": tuple(designs),
        "cross_unit_weight": total,
        "stays_cross_unit_weight": kept_weight,
        "stays_cross_unit_share": share,
        "stays_cross_unit": ordered,
    }
    top = listed(f"{pair} ({number(weight)})" for pair, weight in list(ordered.items())[:3])
    first = next(iter(ordered), "")
    shared = {
        "total": number(total),
        "kept": number(kept_weight),
        "designs": number(len(designs)),
        "names": listed(designs),
        "needs": number(len(needs)),
        "first": first,
    }
    if not ordered:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=t("advice_coordination.verdict_none"),
            because=t("advice_coordination.because_all", **shared),
            evidence=evidence,
            conditions=(t("advice_coordination.condition_incomplete", **shared),),
            counter="",
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=t("advice_coordination.verdict", share=percent(share or 0)),
        because=t("advice_coordination.because_most", top=top, **shared),
        evidence=evidence,
        conditions=(
            t("advice_coordination.condition_incomplete_weights", **shared),
            t("advice_coordination.condition_other_cut", **shared),
        ),
        counter=t("advice_coordination.counter", weight=number(ordered[first]), **shared),
        tipping_point=t("advice_coordination.tipping", **shared),
    )


def _staying(ctx: Context, designs: Mapping[str, Organization]) -> tuple[float, dict[str, float]]:
    """Today's cross-unit weight, and ``{'A – B': weight}`` of the needs that stay cross-unit
    in every design, heaviest first."""
    needs = ctx.org.coordination
    cross_today = [_is_cross(ctx.org, n.source, n.target, ctx.level) for n in needs]
    stays = list(cross_today)
    for designed in designs.values():
        for i, need in enumerate(designed.coordination):
            stays[i] = stays[i] and _is_cross(designed, need.source, need.target, ctx.level)
    structure = ctx.org.structure
    pairs: dict[str, float] = {}
    for need, kept in zip(needs, stays, strict=True):
        if kept:
            ends = sorted(
                ctx.unit_name(structure.unit_or_person_group(ref, ctx.level))
                for ref in (need.source, need.target)
            )
            key = " – ".join(ends)
            pairs[key] = pairs.get(key, 0.0) + need.weight
    total = sum(n.weight for n, cross in zip(needs, cross_today, strict=True) if cross)
    return total, dict(sorted(pairs.items(), key=lambda item: (-item[1], item[0])))


def _is_cross(org: Organization, source: str, target: str, level: int) -> bool:
    structure = org.structure
    return structure.unit_or_person_group(source, level) != structure.unit_or_person_group(
        target, level
    )
