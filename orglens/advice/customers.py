"""Rules about the customer: communications overlapping marketing, and one segment model.

- ``communications_into_marketing`` (rule 6): communications shares journey stages,
  competences and segments with marketing → merge it into marketing.
- ``common_segments`` (rule 8): segments not shared across sales, marketing, communications
  and product → a common segment model first, whatever the structure.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from orglens.i18n import listed, number, percent, t
from orglens.lenses.customer import CUSTOMER_FACING_FUNCTIONS
from orglens.scenarios import MERGE_MARKETING_COMMUNICATIONS, STATUS_QUO

__all__ = ["common_segments", "communications_into_marketing"]


@dataclass(frozen=True)
class _Overlap:
    """The evidence of rule 6: what communications shares with marketing, and with whom else
    it coordinates."""

    stages: tuple[str, ...]
    shared: tuple[str, ...]  # competences
    overlap: float | None  # share of communications' competences marketing also holds
    segments: tuple[str, ...]
    threshold: float  # competence_overlap
    needed: int  # overlap_kinds
    names: tuple[str, ...]  # communications groups
    people: int  # in communications
    holders: int  # communications people holding a shared competence

    @property
    def competent(self) -> bool:
        return self.overlap is not None and self.overlap >= self.threshold

    @property
    def kinds(self) -> int:
        return sum((bool(self.stages), self.competent, bool(self.segments)))

    @property
    def overlapping(self) -> bool:
        return self.kinds >= self.needed

    @property
    def pivotal(self) -> bool:
        """Whether the competence overlap alone decides the verdict (the other two overlaps
        are one short of ``overlap_kinds``)."""
        return self.overlap is not None and bool(self.stages) + bool(self.segments) == (
            self.needed - 1
        )

    @property
    def borderline_competence(self) -> bool:
        """Whether the competence overlap decides and lies near its threshold."""
        near = self.margin
        return self.pivotal and near is not None and near < BORDERLINE

    @property
    def margin(self) -> float | None:
        """The competence overlap's margin when it decides; else the count of overlaps against
        the point halfway between the last count that falls short and the first that does not
        (a count of 3 has no finer margin)."""
        if self.pivotal and self.overlap is not None:
            return margin(self.overlap, self.threshold)
        return margin(self.kinds, self.needed - 0.5)


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
            rule, t("advice_customers.comms_argument"), listed(("communications", "marketing"))
        )
    found = _overlap(ctx, comms, marketing)
    with_marketing, elsewhere, partners = _coordination(ctx, comms, marketing)
    total = with_marketing + elsewhere
    evidence: dict[str, Evidence] = {
        "shared_stages": found.stages,
        "shared_competences": found.shared,
        "competence_overlap": found.overlap,
        "shared_segments": found.segments,
        "overlap_kinds": found.kinds,
        "coordination_with_marketing": with_marketing,
        "coordination_elsewhere_share": elsewhere / total if total else None,
    }
    for key in ("coordination_cross_unit_share", "cross_unit_handoffs_per_case"):
        scored = ctx.metric_by_scenario(key, (STATUS_QUO, MERGE_MARKETING_COMMUNICATIONS))
        if scored:
            evidence[key] = scored
    counter = (
        t(
            "advice_customers.comms_counter_partners",
            share=percent(elsewhere / total),
            partners=listed(partners),
        )
        if total and partners
        else counted(
            "advice_customers.comms_counter_unknown",
            found.people,
            names=listed(found.names),
        )
    )
    return Finding(
        rule=rule,
        triggered=found.overlapping or found.borderline_competence,
        verdict=_comms_verdict(ctx, found),
        because=_comms_because(found),
        evidence=evidence,
        conditions=_comms_conditions(found),
        counter=counter,
        missing=_comms_missing(ctx),
        sources=("orglens",),
        margin=found.margin,
        tipping_point=_comms_tipping(found),
    )


def _overlap(ctx: Context, comms: set[str], marketing: set[str]) -> _Overlap:
    own = {c for p in ctx.people_of("communications") for c in p.competences}
    theirs = {c for p in ctx.people_of("marketing") for c in p.competences}
    shared = tuple(sorted(own & theirs))
    people = ctx.people_of("communications")
    return _Overlap(
        stages=tuple(
            s.stage
            for s in ctx.analysis.process.stages
            if comms & set(s.groups) and marketing & set(s.groups)
        ),
        shared=shared,
        overlap=len(shared) / len(own) if own else None,
        segments=tuple(
            s.name or s.id
            for s in ctx.analysis.customer.segments
            if comms & set(s.serving_groups) and marketing & set(s.serving_groups)
        ),
        threshold=ctx.settings.competence_overlap,
        needed=ctx.settings.overlap_kinds,
        names=tuple(ctx.unit_name(g) for g in sorted(comms)),
        people=len(people),
        holders=sum(1 for p in people if set(p.competences) & set(shared)),
    )


def _functions(functions: tuple[str, ...]) -> str:
    """The customer-facing ``functions`` as a sentence names them: ``'sales and marketing'``."""
    return listed(t(f"advice_customers.function_{function}") for function in functions)


def _comms_because(found: _Overlap) -> str:
    shared = {
        "stages_count": number(len(found.stages)),
        "stages": listed(found.stages),
        "segments_count": number(len(found.segments)),
        "segments": listed(found.segments),
        "kinds": number(found.kinds),
    }
    if found.overlap is None:
        return t("advice_customers.comms_because_no_competences", **shared)
    return t(
        "advice_customers.comms_because",
        overlap=percent(found.overlap),
        competences=listed(found.shared),
        **shared,
    )


def _comms_missing(ctx: Context) -> tuple[str, ...]:
    missing = []
    if not ctx.org.journey:
        missing.append(t("advice_customers.comms_missing_journey"))
    own = [c for p in ctx.people_of("communications") for c in p.competences]
    theirs = [c for p in ctx.people_of("marketing") for c in p.competences]
    if not own or not theirs:
        missing.append(t("advice_customers.comms_missing_competences"))
    if not ctx.org.segments:
        missing.append(t("advice_customers.comms_missing_segments"))
    return tuple(missing)


def _comms_verdict(ctx: Context, found: _Overlap) -> str:
    """Undecided near the competence threshold (the same words on both sides); merge when
    the overlaps add up, unless the scorecard dominates that merge."""
    threshold = found.threshold
    if found.borderline_competence:
        return t(
            "advice_customers.comms_verdict_borderline",
            band=between(threshold, percent),
            threshold=percent(threshold),
        )
    if not found.overlapping:
        return t("advice_customers.comms_verdict_none")
    beaten = dominated(ctx, MERGE_MARKETING_COMMUNICATIONS)
    if beaten:
        work = listed(found.stages or found.shared or found.segments)
        return t("advice_customers.comms_verdict_dominated", dominated=beaten, work=work)
    return t("advice_customers.comms_verdict_merge")


def _comms_conditions(found: _Overlap) -> tuple[str, ...]:
    if found.shared:
        shared = t(
            "advice_customers.comms_condition_shared_people",
            holders=number(found.holders),
            people=number(found.people),
            competences=listed(found.shared),
        )
    else:
        shared = t(
            "advice_customers.comms_condition_shared_stages",
            shared=listed((*found.stages, *found.segments)),
        )
    return (t("advice_customers.comms_condition_other_work", names=listed(found.names)), shared)


def _comms_tipping(found: _Overlap) -> str:
    threshold, overlap, kinds, needed = found.threshold, found.overlap, found.kinds, found.needed
    if found.pivotal and overlap is not None:
        shown = t("advice_customers.comms_tipping_competences", overlap=percent(overlap))
        if found.borderline_competence:
            low, high = band(threshold)
            return t(
                "advice_customers.comms_tipping_borderline",
                threshold=percent(threshold),
                shown=shown,
                low=percent(low),
                high=percent(high),
            )
        change = t(
            "advice_customers.comms_change_competent"
            if found.competent
            else "advice_customers.comms_change_not_competent",
            threshold=percent(threshold),
            overlap=percent(overlap),
        )
        return tipping("competence_overlap", percent(threshold), shown, change)
    which = [
        t(f"advice_customers.comms_kind_{name}")
        for name, present in (
            ("stages", found.stages),
            ("competences", found.competent),
            ("segments", found.segments),
        )
        if present
    ]
    if found.overlapping:
        fewer, more = kinds - needed + 1, kinds + 1
        change = (
            counted("advice_customers.comms_change_fewer_or_threshold", fewer, threshold=more)
            if kinds < 3
            else counted("advice_customers.comms_change_fewer", fewer)
        )
    else:
        change = (
            counted(
                "advice_customers.comms_change_more_or_threshold", needed - kinds, threshold=kinds
            )
            if kinds
            else counted("advice_customers.comms_change_more", needed - kinds)
        )
    return tipping(
        "overlap_kinds",
        t("advice_customers.comms_threshold", needed=needed),
        t("advice_customers.comms_overlaps_in", kinds=kinds, which=listed(which)),
        change,
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
            rule, t("advice_customers.segments_argument"), t("advice_customers.segments_functions")
        )
    if not customer.segments and not customer.undefined_segments:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=t("advice_customers.segments_verdict_unknown"),
            because=t("advice_customers.segments_because_unknown"),
            evidence={"segments": 0},
            conditions=(),
            counter="",
            missing=(t("advice_customers.segments_missing_unknown"),),
        )
    found = _segments(ctx)
    issues = found.issues
    functions = _functions(found.present)
    if not issues:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=t("advice_customers.segments_verdict_shared"),
            because=t(
                "advice_customers.segments_because_shared",
                n=number(len(found.names)),
                functions=functions,
            ),
            evidence=found.evidence,
            conditions=(t("advice_customers.segments_condition_shared", functions=functions),),
            counter="",
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=t("advice_customers.segments_verdict", functions=functions),
        because=sentence("; ".join(issues)),
        evidence=found.evidence,
        conditions=found.conditions,
        counter=(
            t(
                "advice_customers.segments_counter",
                n=number(len(found.names)),
                names=listed(found.names),
            )
            if found.names
            else t("advice_customers.segments_counter_unnamed", n=number(len(found.names)))
        ),
        tipping_point=counted("advice_customers.segments_tipping", len(issues)),
    )


@dataclass(frozen=True)
class _Segments:
    """The evidence of rule 8 (names throughout)."""

    common: bool | None
    present: tuple[str, ...]  # customer-facing functions the company has
    names: tuple[str, ...]  # defined segments
    undefined: tuple[str, ...]
    without: tuple[str, ...]  # customer-facing units listing no segment
    ownerless: tuple[str, ...]
    not_shared: dict[str, tuple[str, ...]]  # segment -> present functions not serving it

    @property
    def evidence(self) -> dict[str, Evidence]:
        return {
            "common_segment_model": self.common,
            "segments": len(self.names),
            "undefined_segments": self.undefined,
            "units_without_segments": self.without,
            "segments_without_owner": self.ownerless,
            "segments_not_shared": self.not_shared,
        }

    @property
    def issues(self) -> list[str]:
        issues = []
        if not self.names:
            issues.append(t("advice_customers.segments_issue_none_defined"))
        if self.undefined:
            issues.append(
                counted(
                    "advice_customers.segments_issue_undefined",
                    len(self.undefined),
                    segments=listed(self.undefined),
                )
            )
        if self.without:
            issues.append(
                counted(
                    "advice_customers.segments_issue_without",
                    len(self.without),
                )
            )
        if self.ownerless:
            issues.append(
                counted(
                    "advice_customers.segments_issue_ownerless",
                    len(self.ownerless),
                    segments=listed(self.ownerless),
                )
            )
        if self.not_shared:
            lacking = (
                t("advice_customers.segments_lacking", segment=s, functions=_functions(fs))
                for s, fs in self.not_shared.items()
            )
            issues.append(
                counted(
                    "advice_customers.segments_issue_not_shared",
                    len(self.not_shared),
                    lacking=listed(lacking),
                )
            )
        return issues

    @property
    def conditions(self) -> tuple[str, str]:
        """When the verdict would not hold, with this company's segments and units."""
        if self.undefined:
            first = t(
                "advice_customers.segments_condition_undefined", segments=listed(self.undefined)
            )
        elif self.not_shared:
            first = t(
                "advice_customers.segments_condition_not_shared",
                segments=listed(self.not_shared),
                functions=_functions(self.present),
            )
        else:
            first = t("advice_customers.segments_condition_ownerless")
        people = (
            counted(
                "advice_customers.segments_condition_without",
                len(self.without),
                units=listed(self.without),
            )
            if self.without
            else t("advice_customers.segments_condition_people", functions=_functions(self.present))
        )
        return first, people


def _segments(ctx: Context) -> _Segments:
    customer = ctx.analysis.customer
    present = tuple(f for f in CUSTOMER_FACING_FUNCTIONS if ctx.groups_of(f))
    not_shared: dict[str, tuple[str, ...]] = {}
    for segment in customer.segments:
        serving = {ctx.function_of(g) for g in segment.serving_groups}
        lacking = tuple(f for f in present if f not in serving)
        if lacking:
            not_shared[segment.name or segment.id] = lacking
    return _Segments(
        common=customer.common_segment_model,
        present=present,
        names=tuple(s.name or s.id for s in customer.segments),
        undefined=tuple(u.segment for u in customer.undefined_segments),
        without=tuple(ctx.unit_name(u) for u in customer.units_without_segments),
        ownerless=tuple(s.name or s.id for s in customer.segments if not s.has_one_owner),
        not_shared=not_shared,
    )
