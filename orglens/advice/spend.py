"""Rules about money: brand vs activation, and who owns spend and revenue together.

- ``brand_vs_activation`` (rule 5): the brand share of marketing spend against the benchmark,
  and whether brand work is project-based while activation work is process-based.
- ``accountability`` (rule 7): spend serving another department's result is fine only when the
  process has an owner end to end.
"""

from __future__ import annotations

from collections import defaultdict

from orglens.advice._context import Context, listed, percent, sentence
from orglens.advice.finding import Evidence, Finding
from orglens.model import VIRTUAL_TOP
from orglens.scenarios import (
    CEO_FORUM,
    JOURNEY_PODS,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    SEGMENT_PODS,
    STATUS_QUO,
)

__all__ = ["accountability", "brand_vs_activation"]

_DESIGNS = (
    STATUS_QUO,
    CEO_FORUM,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    JOURNEY_PODS,
    SEGMENT_PODS,
)


def brand_vs_activation(ctx: Context) -> Finding:
    """Rule 5: brand share against the benchmark, and project vs process work.

    ``brand_share`` and the benchmark come from the budget lens. A unit is a **brand unit** when
    it holds more brand than activation spend, an **activation unit** when the reverse. The
    ``brand_project_share`` is the share of project-based people (``work_mode``) among the
    people of brand units who have a work mode; ``activation_process_share`` the share of
    process-based people in activation units. The two ways of working differ when both shares
    reach ``mode_share``.
    """
    rule = "brand_vs_activation"
    budget = ctx.analysis.budget
    settings = ctx.settings
    share, gap = budget.brand_share, budget.brand_gap
    off = gap is not None and abs(gap) > settings.brand_tolerance
    brand_units, activation_units = _units_by_horizon(ctx)
    project = _mode_share(ctx, brand_units, "project")
    process = _mode_share(ctx, activation_units, "process")
    differ = (
        project is not None
        and process is not None
        and project >= settings.mode_share
        and process >= settings.mode_share
    )
    judged_modes = project is not None and process is not None
    brand_names = tuple(ctx.unit_name(u) for u in brand_units)
    activation_names = tuple(ctx.unit_name(u) for u in activation_units)
    evidence: dict[str, Evidence] = {
        "brand_share": share,
        "brand_benchmark": budget.brand_benchmark,
        "brand_gap": gap,
        "brand_tolerance": settings.brand_tolerance,
        "brand_units": brand_names,
        "activation_units": activation_names,
        "brand_project_share": project,
        "activation_process_share": process,
    }
    missing = []
    if share is None:
        missing.append("budget.csv: spend lines with horizon brand or activation")
    if (project is None or process is None) and (brand_units or activation_units):
        missing.append("people.csv: work_mode (project or process) of the people who spend it")
    reasons = []
    if share is not None and gap is not None:
        reasons.append(
            f"brand gets {percent(share)} of the brand + activation spend against a benchmark "
            f"of {percent(budget.brand_benchmark)} ({'off by' if off else 'within'} "
            f"{percent(abs(gap)) if off else percent(settings.brand_tolerance)})"
        )
    if project is not None and process is not None:
        reasons.append(
            f"{percent(project)} of the people in brand units ({listed(brand_names)}) work in "
            f"projects and {percent(process)} of those in activation units "
            f"({listed(activation_names)}) in processes"
        )
    because = sentence("; ".join(reasons)) if reasons else "No brand or activation spend is known."
    sources = (
        *(("brand_benchmark",) if share is not None else ()),
        *(("binet_field_2013",) if judged_modes else ()),
        *(("orglens",) if share is not None or judged_modes else ()),
    )
    if not off and not differ:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=(
                "No finding: no brand or activation spend to judge."
                if share is None
                else "No finding: the brand share is near the benchmark and brand and "
                "activation work do not run on different cycles here."
            ),
            because=because,
            evidence=evidence,
            conditions=(),
            counter="",
            missing=tuple(missing),
            sources=sources,
        )
    actions = []
    if off and gap is not None:
        direction = "brand" if gap < 0 else "activation"
        actions.append(
            f"move budget toward {direction} (the benchmark is {percent(budget.brand_benchmark)} "
            "brand)"
        )
    if differ:
        actions.append(
            "give the project-based brand work its own team, or build pods of sellers and "
            "marketers that run both the campaign projects and the lead flow"
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=sentence("; ".join(actions)),
        because=because,
        evidence=evidence,
        conditions=(
            "the benchmark is an average over B2B categories: a new category, a fast-growing "
            "challenger or a short buying cycle can justify more activation",
            "work modes in people.csv describe how people really work",
        ),
        counter=(
            "A separate brand team adds one more boundary to the journey; pods that hold both "
            "cycles (and the budget split between them) avoid it, if their members can plan "
            "over years and weeks at once."
        ),
        missing=tuple(missing),
        sources=sources,
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
    groups: set[str] = set()
    for line in ctx.org.budget:
        ends = {ctx.group_of(line.unit), ctx.group_of(line.outcome_unit or line.unit)}
        if len(ends) == 2:
            groups |= ends
    top_owned = sum(
        s.amount for s in lens.spend_lines if not s.same_owner and s.owner == ctx.org.structure.top
    )
    total = sum(line.amount for line in ctx.org.budget)
    owner = _end_to_end_owner(ctx, groups)
    evidence: dict[str, Evidence] = {
        "spend_outcome_other_group_share": share,
        "spend_owned_only_at_top_share": top_owned / total if total else None,
        "revenue_owners": tuple(dict.fromkeys(r.owner_name or "-" for r in lens.revenue_streams)),
        "end_to_end_owner": owner,
        "spend_elsewhere_threshold": ctx.settings.spend_elsewhere_share,
    }
    found = ctx.metric_by_scenario("accountability_share", _DESIGNS)
    if found:
        evidence["accountability_share"] = found
    top = ctx.org.structure.top
    top_name = "nobody" if top == VIRTUAL_TOP else ctx.person_name(top)
    because = f"{percent(share)} of the spend serves the result of another {ctx.group_noun}"
    if groups:
        because += f" ({listed(sorted(ctx.unit_name(g) for g in groups))})"
    if total and top_owned:
        because += (
            f"; for {percent(top_owned / total)} of all spend only {top_name} is over both the "
            "spend and its result"
        )
    counter = (
        "Budgets per function keep each head answerable for their craft's cost; handing the "
        "spend to whoever owns the result lets short-term activation win every quarterly "
        "trade-off against brand."
    )
    conditions = (
        "outcome_unit in budget.csv says whose result each line serves (without it a line "
        "counts as serving its own unit)",
    )
    if share < ctx.settings.spend_elsewhere_share:
        return Finding(
            rule=rule,
            triggered=False,
            verdict="No finding: nearly all spend is owned by whoever owns its result.",
            because=sentence(because),
            evidence=evidence,
            conditions=conditions,
            counter=counter,
            sources=("orglens",),
        )
    if owner is not None:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=f"Budgets per function are fine here: {owner} owns the process end to end.",
            because=sentence(f"{because}, and {owner} owns the process end to end"),
            evidence=evidence,
            conditions=(*conditions, f"{owner} has a say over the budgets, not only the process"),
            counter=counter,
            sources=("orglens",),
        )
    return Finding(
        rule=rule,
        triggered=True,
        verdict=(
            "Budgets per function are fine only if someone owns the revenue process end to end: "
            "name that owner (or a forum with budget authority), or keep spend with the unit "
            "that owns its result."
        ),
        because=sentence(f"{because}; nobody below the CEO owns the process end to end"),
        evidence=evidence,
        conditions=(*conditions, "a forum of the heads already decides the budgets together"),
        counter=counter,
        sources=("orglens",),
    )


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
