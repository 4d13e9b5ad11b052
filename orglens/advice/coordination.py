"""Rule 9, ``coordination_beyond_merging``: one cannot merge every department that needs to
coordinate. Shows which declared coordination stays cross-unit in every built-in design.
"""

from __future__ import annotations

from collections.abc import Mapping

from orglens.advice._context import Context
from orglens.advice.finding import Evidence, Finding
from orglens.i18n import listed, number, percent
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
            verdict="No finding: there is no declared coordination, or no design to compare.",
            because=f"{len(needs)} coordination needs, {len(designs)} design(s) applied.",
            evidence={"needs": len(needs), "designs_checked": tuple(designs)},
            conditions=(),
            counter="",
            missing=(
                ("coordination.csv: declared coordination needs",)
                if not needs
                else ("units tagged with the functions the built-in designs need",)
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
    because = (
        f"Of {number(total)} cross-unit coordination weight today, {number(kept_weight)} stays "
        f"cross-unit in all {len(designs)} designs ({listed(designs)})"
    )
    if not ordered:
        return Finding(
            rule=rule,
            triggered=False,
            verdict="No finding: some design brings every declared coordination need in-house.",
            because=because + ".",
            evidence=evidence,
            conditions=(f"the {len(needs)} declared coordination needs are incomplete",),
            counter="",
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=(
            f"Plan the coordination no merger removes ({percent(share or 0)} of today's "
            "cross-unit weight) with forums, shared plans or liaison roles."
        ),
        because=f"{because}, most of it {top}.",
        evidence=evidence,
        conditions=(
            f"the {len(needs)} declared coordination needs are incomplete, or their weights "
            "not comparable",
            f"another cut of the units than the {len(designs)} designs checked brings "
            f"{first} in-house",
        ),
        counter=(
            f"Declared needs are estimates, not observed work: {first} "
            f"({number(ordered[first])}) may matter less than declared, and a grouping "
            "outside the built-in designs could bring some of it in-house."
        ),
        tipping_point=(
            "No threshold: the verdict would change only if a design brought all "
            f"{number(kept_weight)} of the remaining cross-unit weight in-house, starting "
            f"with {first}."
        ),
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
