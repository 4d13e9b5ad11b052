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
from orglens.i18n import listed, percent
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
            verdict="No finding: there is no spend to hold anyone accountable for.",
            because="budget.csv has no spend.",
            evidence={},
            conditions=(),
            counter="",
            missing=("budget.csv: spend lines with the outcome_unit they serve",),
        )
    groups = _crossed_groups(ctx)
    owner = _end_to_end_owner(ctx, groups)
    total = sum(line.amount for line in ctx.org.budget)
    near = margin(share, ctx.settings.spend_elsewhere_share)
    because = _accountability_because(ctx, share, groups, total)
    finding = Finding(
        rule=rule,
        triggered=False,
        verdict="No finding: nearly all spend is owned by whoever owns its result.",
        because=sentence(because),
        evidence=_accountability_evidence(ctx, share, owner, total),
        conditions=(_outcome_condition(ctx),),
        counter=_accountability_counter(ctx, groups, share * total),
        sources=("orglens",),
        margin=near,
        tipping_point=_accountability_tipping(ctx, share, total, owner),
    )
    return _accountability_verdict(ctx, finding, because, owner, groups)


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
    because = f"{percent(share)} of the spend serves the result of another {ctx.group_noun}"
    if groups:
        because += f" ({listed(sorted(ctx.unit_name(g) for g in groups))})"
    top, top_owned = ctx.org.structure.top, _top_owned(ctx)
    if total and top_owned:
        top_name = "nobody" if top == VIRTUAL_TOP else ctx.person_name(top)
        because += (
            f"; for {percent(top_owned / total)} of all spend only {top_name} is over both the "
            "spend and its result"
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
            verdict=f"Budgets per function are fine here: {owner} owns the process end to end.",
            because=sentence(f"{because}, and {owner} owns the process end to end"),
            conditions=(
                *finding.conditions,
                f"{owner} has no say over the budgets, only the process",
            ),
        )
    if undecided:
        return replace(
            finding,
            triggered=True,
            verdict=(
                f"At {between(threshold, percent)} of spend serving another {ctx.group_noun}'s "
                "result the accountability argument does not decide "
                f"(spend_elsewhere_share = {percent(threshold)}): nobody below the CEO owns the "
                "process end to end, but little spend depends on it."
            ),
        )
    if share < threshold:
        return finding
    beaten = dominated(ctx, CEO_FORUM)
    forum = "a forum with budget authority" + (
        f", although {beaten}: the scorecard does not measure budget authority" if beaten else ""
    )
    return replace(
        finding,
        triggered=True,
        verdict=(
            "Budgets per function are fine only if someone owns the revenue process end to end: "
            f"name that owner (or {forum}), or keep spend with the unit that owns its result."
        ),
        because=sentence(f"{because}; nobody below the CEO owns the process end to end"),
        conditions=(
            *finding.conditions,
            "a forum of the heads of "
            f"{listed(sorted(ctx.unit_name(g) for g in groups))} already decides the budgets "
            "together",
        ),
    )


def _outcome_condition(ctx: Context) -> str:
    lines = ctx.org.budget
    named = sum(1 for line in lines if line.outcome_unit)
    return (
        "the outcome_unit column misstates whose result the spend serves ("
        f"{named} of {len(lines)} budget lines fill it in; a line without one counts as "
        "serving its own unit)"
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
    return (
        f"Budgets per function keep {listed(heads) if heads else 'each head'} answerable for "
        f"their craft's cost; handing the {money(elsewhere, currency)} that serves another "
        f"{ctx.group_noun}'s result to "
        f"{listed(outcome_heads) if outcome_heads else 'whoever owns the result'} lets "
        "short-term activation win every quarterly trade-off against brand."
    )


def _accountability_tipping(ctx: Context, share: float, total: float, owner: str | None) -> str:
    threshold, currency = ctx.settings.spend_elsewhere_share, ctx.analysis.budget.currency
    shown = f"{percent(share)} of the spend serves another {ctx.group_noun}'s result"
    near = margin(share, threshold)
    if owner is not None and (share >= threshold or (near is not None and near < BORDERLINE)):
        return (
            f"The verdict holds while {owner} owns the process end to end; without that "
            f"owner, with {shown}, spend_elsewhere_share = {percent(threshold)} would call "
            "for one."
        )
    if near is not None and near < BORDERLINE:
        low, high = band(threshold)
        return (
            f"The verdict turns at spend_elsewhere_share = {percent(threshold)}; {shown}: below "
            f"{percent(low)} it is no reason to act, above {percent(high)} it calls for an "
            "end-to-end owner."
        )
    if share < threshold:
        more = money((threshold - share) * total, currency)
        change = f"another {more} of such spend, or a threshold of {percent(share)},"
    else:
        less = money((share - threshold) * total, currency)
        ways = [f"moving more than {less} to the units that own its result", "an end-to-end owner"]
        if share < 1:  # the threshold is at most 100%
            ways.append(f"a threshold above {percent(share)}")
        change = f"{', '.join(ways[:-1])}, or {ways[-1]},"
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
            return forum.name or f"the forum chaired by {ctx.person_name(forum.chair)}"
    return None
