"""Rule 7 about money: who owns spend and revenue together.

- ``accountability`` (rule 7): spend serving another department's result is fine only when the
  process has an owner end to end.
"""

from __future__ import annotations

from dataclasses import replace

from orglens.advice._context import (
    Context,
    band,
    between,
    dominated,
    head_names,
    money,
    sentence,
    tipping,
)
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import listed, number, percent, t
from orglens.model import VIRTUAL_TOP
from orglens.scenarios import CEO_FORUM, SALES_MARKETING_DESIGNS

__all__ = ["accountability"]


def accountability(ctx: Context) -> Finding:
    """Rule 7: revenue and spend owned by different managers, and whether anyone owns the
    process end to end.

    ``spend_outcome_other_group_share`` (budget lens) is the share of spend serving the result
    of another group at the analysed level (a department at level 1). The process has an
    **end-to-end owner** when the journey's lowest common manager is below the top of the
    company, or a forum of the organization holds every group that such spend crosses.
    """
    rule = "accountability"
    budget = ctx.analysis.budget
    lens = budget.accountability
    share = lens.spend_outcome_other_group_share
    if share is None:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=t("advice_accountability.verdict_no_spend"),
            because=t("advice_accountability.because_no_spend"),
            evidence={},
            conditions=(),
            counter="",
            missing=(t("advice_accountability.missing_spend"),),
        )
    groups = _crossed_groups(ctx)
    owner = _end_to_end_owner(ctx, groups)
    total = sum(line.amount for line in ctx.org.budget)
    near = margin(share, ctx.settings.spend_elsewhere_share)
    because = _accountability_because(ctx, share, groups, total)
    finding = Finding(
        rule=rule,
        triggered=False,
        verdict=t("advice_accountability.verdict_none"),
        because=sentence(because),
        evidence=_accountability_evidence(ctx, share, owner, total),
        conditions=(_outcome_condition(ctx),),
        counter=_accountability_counter(ctx, groups, share * total),
        sources=("orglens",),
        margin=near,
        tipping_point=_accountability_tipping(ctx, share, total, owner),
    )
    return _accountability_verdict(ctx, finding, because, owner, groups)


def _result_of_other(ctx: Context) -> str:
    """``'the result of another department'`` (a unit below level 1)."""
    return t(f"advice_accountability.result_of_other_{_noun(ctx)}")


def _others_result(ctx: Context) -> str:
    """``"another department's result"`` (a unit below level 1)."""
    return t(f"advice_accountability.others_result_{_noun(ctx)}")


def _noun(ctx: Context) -> str:
    return "department" if ctx.level == 1 else "unit"


def _crossed_groups(ctx: Context) -> set[str]:
    """The groups at both ends of spend serving another group's result."""
    groups: set[str] = set()
    for line in ctx.org.budget:
        ends = {ctx.group_of(line.unit), ctx.group_of(line.outcome_unit or line.unit)}
        if len(ends) == 2:
            groups |= ends
    return groups


def _top_owned(ctx: Context) -> float:
    """The spend whose only owner together with its result is the top of the company."""
    lines = ctx.analysis.budget.accountability.spend_lines
    top = ctx.org.structure.top
    return sum(s.amount for s in lines if not s.same_owner and s.owner == top)


def _accountability_evidence(
    ctx: Context, share: float, owner: str | None, total: float
) -> dict[str, Evidence]:
    lens = ctx.analysis.budget.accountability
    evidence: dict[str, Evidence] = {
        "spend_outcome_other_group_share": share,
        "spend_owned_only_at_top_share": _top_owned(ctx) / total if total else None,
        "revenue_owners": tuple(dict.fromkeys(r.owner_name or "-" for r in lens.revenue_streams)),
        "end_to_end_owner": owner,
        "spend_elsewhere_threshold": ctx.settings.spend_elsewhere_share,
    }
    found = ctx.metric_by_scenario("accountability_share", SALES_MARKETING_DESIGNS)
    if found:
        evidence["accountability_share"] = found
    return evidence


def _accountability_because(ctx: Context, share: float, groups: set[str], total: float) -> str:
    because = (
        t(
            "advice_accountability.because_groups",
            share=percent(share),
            result_of=_result_of_other(ctx),
            groups=listed(sorted(ctx.unit_name(g) for g in groups)),
        )
        if groups
        else t(
            "advice_accountability.because",
            share=percent(share),
            result_of=_result_of_other(ctx),
        )
    )
    top, top_owned = ctx.org.structure.top, _top_owned(ctx)
    if total and top_owned:
        on_top = percent(top_owned / total)
        because += "; " + (
            t("advice_accountability.because_top_nobody", share=on_top)
            if top == VIRTUAL_TOP
            else t("advice_accountability.because_top", share=on_top, top=ctx.person_name(top))
        )
    return because


def _accountability_verdict(
    ctx: Context, finding: Finding, because: str, owner: str | None, groups: set[str]
) -> Finding:
    """The verdict: fine with an end-to-end owner; undecided near the threshold (the same
    words on both sides); else no finding below it and a call for an owner above it."""
    threshold = ctx.settings.spend_elsewhere_share
    share = ctx.analysis.budget.accountability.spend_outcome_other_group_share or 0.0
    undecided = finding.borderline
    if owner is not None and (share >= threshold or undecided):
        return replace(
            finding,
            verdict=t("advice_accountability.verdict_owner", owner=owner),
            because=sentence(
                t("advice_accountability.because_owner", because=because, owner=owner)
            ),
            conditions=(
                *finding.conditions,
                t("advice_accountability.condition_owner", owner=owner),
            ),
        )
    if undecided:
        return replace(
            finding,
            triggered=True,
            verdict=t(
                "advice_accountability.verdict_undecided",
                band=between(threshold, percent),
                others_result=_others_result(ctx),
                threshold=percent(threshold),
            ),
        )
    if share < threshold:
        return finding
    beaten = dominated(ctx, CEO_FORUM)
    forum = (
        t("advice_accountability.forum_dominated", dominated=beaten)
        if beaten
        else t("advice_accountability.forum")
    )
    return replace(
        finding,
        triggered=True,
        verdict=t("advice_accountability.verdict_owner_needed", forum=forum),
        because=sentence(t("advice_accountability.because_no_owner", because=because)),
        conditions=(
            *finding.conditions,
            t(
                "advice_accountability.condition_forum",
                groups=listed(sorted(ctx.unit_name(g) for g in groups)),
            ),
        ),
    )


def _outcome_condition(ctx: Context) -> str:
    lines = ctx.org.budget
    named = sum(1 for line in lines if line.outcome_unit)
    return t(
        "advice_accountability.condition_outcome", named=number(named), lines=number(len(lines))
    )


def _accountability_counter(ctx: Context, groups: set[str], elsewhere: float) -> str:
    currency = ctx.analysis.budget.currency
    heads = head_names(ctx, sorted(groups))
    outcome_heads = head_names(
        ctx,
        sorted(
            {
                ctx.group_of(line.outcome_unit)
                for line in ctx.org.budget
                if line.outcome_unit and ctx.group_of(line.outcome_unit) != ctx.group_of(line.unit)
            }
        ),
    )
    return t(
        "advice_accountability.counter",
        heads=listed(heads) if heads else t("advice_accountability.each_head"),
        amount=money(elsewhere, currency),
        others_result=_others_result(ctx),
        owners=listed(outcome_heads) if outcome_heads else t("advice_accountability.whoever_owns"),
    )


def _accountability_tipping(ctx: Context, share: float, total: float, owner: str | None) -> str:
    threshold, currency = ctx.settings.spend_elsewhere_share, ctx.analysis.budget.currency
    shown = t(
        "advice_accountability.tipping_shown",
        share=percent(share),
        others_result=_others_result(ctx),
    )
    near = margin(share, threshold)
    if owner is not None and (share >= threshold or (near is not None and near < BORDERLINE)):
        return t(
            "advice_accountability.tipping_owner",
            owner=owner,
            shown=shown,
            threshold=percent(threshold),
        )
    if near is not None and near < BORDERLINE:
        low, high = band(threshold)
        return t(
            "advice_accountability.tipping_borderline",
            threshold=percent(threshold),
            shown=shown,
            low=percent(low),
            high=percent(high),
        )
    if share < threshold:
        more = money((threshold - share) * total, currency)
        change = t("advice_accountability.change_more", amount=more, share=percent(share))
    else:
        less = money((share - threshold) * total, currency)
        change = t(
            # the threshold is at most 100%: at a share of 100% no threshold lies above
            "advice_accountability.change_less"
            if share < 1
            else "advice_accountability.change_less_all",
            amount=less,
            share=percent(share),
        )
    return tipping("spend_elsewhere_share", percent(threshold), shown, change)


def _end_to_end_owner(ctx: Context, groups: set[str]) -> str | None:
    """Who owns the process end to end: the journey's common manager below the top, or a forum
    holding every group in ``groups``; ``None`` when nobody does."""
    manager = ctx.analysis.process.journey_common_manager
    if manager is not None and not manager.is_top:
        return manager.name
    for forum in ctx.org.forums:
        held = {ctx.group_of(u) for u in forum.units}
        if groups and groups <= held:
            return forum.name or t(
                "advice_accountability.forum_chaired", chair=ctx.person_name(forum.chair)
            )
    return None
