"""Rules about the customer: communications overlapping marketing, and one segment model.

- ``communications_into_marketing`` (rule 6): communications shares journey stages,
  competences and segments with marketing → merge it into marketing.
- ``common_segments`` (rule 8): segments not shared across sales, marketing, communications
  and product → a common segment model first, whatever the structure.
"""

from __future__ import annotations

from orglens.advice._context import Context, listed, missing_functions, number, percent, sentence
from orglens.advice.finding import Evidence, Finding
from orglens.lenses.customer import CUSTOMER_FACING_FUNCTIONS
from orglens.scenarios import MERGE_MARKETING_COMMUNICATIONS, STATUS_QUO

__all__ = ["common_segments", "communications_into_marketing"]


def communications_into_marketing(ctx: Context) -> Finding:
    """Rule 6: does communications overlap marketing?

    Three overlaps are counted: **stages** of the journey where both a communications group and
    a marketing group work; **competences**, the share of communications' distinct competences
    that marketing people also hold (an overlap at ``competence_overlap`` or more); and
    **segments** that both serve (customer lens). Communications overlaps marketing when at
    least ``overlap_kinds`` of the three do. The counter-argument measures the share of
    communications' cross-unit coordination weight spent with others than marketing.
    """
    rule = "communications_into_marketing"
    comms, marketing = set(ctx.groups_of("communications")), set(ctx.groups_of("marketing"))
    if not comms or not marketing:
        return missing_functions(
            rule, "the communications argument", "communications and marketing"
        )
    settings = ctx.settings
    stages = tuple(
        s.stage
        for s in ctx.analysis.process.stages
        if comms & set(s.groups) and marketing & set(s.groups)
    )
    own = {c for p in ctx.people_of("communications") for c in p.competences}
    theirs = {c for p in ctx.people_of("marketing") for c in p.competences}
    shared = tuple(sorted(own & theirs))
    overlap = len(shared) / len(own) if own else None
    segments = tuple(
        s.name or s.id
        for s in ctx.analysis.customer.segments
        if comms & set(s.serving_groups) and marketing & set(s.serving_groups)
    )
    competent = overlap is not None and overlap >= settings.competence_overlap
    kinds = sum((bool(stages), competent, bool(segments)))
    with_marketing, elsewhere, partners = _coordination(ctx, comms, marketing)
    total = with_marketing + elsewhere
    evidence: dict[str, Evidence] = {
        "shared_stages": stages,
        "shared_competences": shared,
        "competence_overlap": overlap,
        "shared_segments": segments,
        "overlap_kinds": kinds,
        "coordination_with_marketing": with_marketing,
        "coordination_elsewhere_share": elsewhere / total if total else None,
    }
    for key in ("coordination_cross_unit_share", "cross_unit_handoffs_per_case"):
        found = ctx.metric_by_scenario(key, (STATUS_QUO, MERGE_MARKETING_COMMUNICATIONS))
        if found:
            evidence[key] = found
    missing = []
    if not ctx.org.journey:
        missing.append("journey.csv: who works in each stage")
    if not own or not theirs:
        missing.append("people.csv: competences of communications and marketing people")
    if not ctx.org.segments:
        missing.append("segments.csv: the segments each unit serves")
    because = sentence(
        f"Communications shares {len(stages)} journey stage(s) with marketing "
        f"({listed(stages)}), "
        + (
            f"{percent(overlap)} of its competences ({listed(shared)}), "
            if overlap is not None
            else "no known competences, "
        )
        + f"and {len(segments)} segment(s) ({listed(segments)}): {kinds} of 3 overlaps"
    )
    counter = (
        f"Communications also serves audiences marketing does not (employees, media, owners): "
        f"{percent(elsewhere / total)} of its declared coordination is with "
        f"{listed(partners)}, and a merger must keep those duties."
        if total and partners
        else "Communications may serve audiences marketing does not (employees, media, owners)."
    )
    conditions = (
        "communications mostly does internal communications, investor relations or public "
        "affairs rather than customer work",
        "the overlap is a few shared people rather than shared work",
    )
    if kinds < settings.overlap_kinds:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=(
                "No finding: communications does not overlap marketing enough to call for a merger."
            ),
            because=because,
            evidence=evidence,
            conditions=conditions,
            counter=counter,
            missing=tuple(missing),
            sources=("orglens",),
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=(
            "Merge communications into marketing: they do overlapping work for the same customers."
        ),
        because=because,
        evidence=evidence,
        conditions=conditions,
        counter=counter,
        missing=tuple(missing),
        sources=("orglens",),
    )


def _coordination(
    ctx: Context, comms: set[str], marketing: set[str]
) -> tuple[float, float, tuple[str, ...]]:
    """Communications' cross-unit coordination weight with marketing, with others, and who the
    others are (by weight)."""
    with_marketing = 0.0
    others: dict[str, float] = {}
    for source, row in ctx.analysis.process.coordination.matrix.items():
        for target, weight in row.items():
            if (source in comms) == (target in comms):
                continue  # within communications, or not about it
            other = target if source in comms else source
            if other in marketing:
                with_marketing += weight
            else:
                others[other] = others.get(other, 0.0) + weight
    partners = sorted(others, key=lambda g: (-others[g], g))
    return with_marketing, sum(others.values()), tuple(ctx.unit_name(g) for g in partners)


def common_segments(ctx: Context) -> Finding:
    """Rule 8: do sales, marketing, communications and product share one segment model?

    Uses the customer lens: ``common_segment_model``, segment values nobody defined,
    customer-facing units whose people list no segment, and segments without an owner. A
    defined segment is **not shared** when a customer-facing function present in the company
    serves it with none of its groups.
    """
    rule = "common_segments"
    customer = ctx.analysis.customer
    if customer.common_segment_model is None:
        return missing_functions(
            rule, "the segment argument", "sales, marketing, communications or product"
        )
    if not customer.segments and not customer.undefined_segments:
        return Finding(
            rule=rule,
            triggered=False,
            verdict="No finding: no segments are known, so their sharing cannot be judged.",
            because="Neither segments.csv nor the people's or revenue's segments name any.",
            evidence={"segments": 0},
            conditions=(),
            counter="",
            missing=("segments.csv, and the segments people serve (people.csv)",),
        )
    present = [f for f in CUSTOMER_FACING_FUNCTIONS if ctx.groups_of(f)]
    not_shared: dict[str, tuple[str, ...]] = {}
    for segment in customer.segments:
        serving = {ctx.function_of(g) for g in segment.serving_groups}
        lacking = tuple(f for f in present if f not in serving)
        if lacking:
            not_shared[segment.name or segment.id] = lacking
    undefined = tuple(u.segment for u in customer.undefined_segments)
    without = tuple(ctx.unit_name(u) for u in customer.units_without_segments)
    ownerless = tuple(s.name or s.id for s in customer.segments if not s.has_one_owner)
    evidence: dict[str, Evidence] = {
        "common_segment_model": customer.common_segment_model,
        "segments": len(customer.segments),
        "undefined_segments": undefined,
        "units_without_segments": without,
        "segments_without_owner": ownerless,
        "segments_not_shared": not_shared,
    }
    issues = []
    if not customer.segments:
        issues.append("segments.csv defines no segment")
    if undefined:
        issues.append(f"{len(undefined)} segment value(s) nobody defined ({listed(undefined)})")
    if without:
        issues.append(f"{len(without)} customer-facing unit(s) list no segment")
    if ownerless:
        issues.append(f"{len(ownerless)} segment(s) have no owner ({listed(ownerless)})")
    if not_shared:
        issues.append(
            f"{len(not_shared)} segment(s) are not served by every function "
            f"({listed(f'{s}: not {listed(fs)}' for s, fs in not_shared.items())})"
        )
    if not issues:
        return Finding(
            rule=rule,
            triggered=False,
            verdict="No finding: the customer-facing functions already share one segment model.",
            because=(
                f"All {len(customer.segments)} segments are defined, owned and served by "
                f"{listed(present)}."
            ),
            evidence=evidence,
            conditions=("people.csv lists the segments each person serves",),
            counter="",
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=(
            f"Agree one segment model across {listed(present)} first, whatever the structure: "
            "the same segments, each with an owner."
        ),
        because=sentence("; ".join(issues)),
        evidence=evidence,
        conditions=(
            "segments.csv is complete (an undefined value may only be a missing row)",
            "people.csv lists the segments each person serves",
        ),
        counter=(
            "Sales territories (regions, named accounts) may rightly differ from marketing's "
            f"target groups; one model holds both if territories nest inside the "
            f"{number(len(customer.segments))} segments."
        ),
    )
