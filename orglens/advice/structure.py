"""Rules about structure: size, span after a merge, and the CEO as the journey's owner.

- ``go_to_market_size`` (rule 1): small sales + marketing → merging is low-risk; large with
  sales split by region or segment → one head for both may not work.
- ``span_after_merge`` (rule 2): a merge that takes a manager above the span range needs middle
  managers, and middle managers solve span.
- ``ceo_owns_journey`` (rule 4): the CEO as the only common manager of the journey must own its
  design; a forum of the heads may achieve much of a merger.
"""

from __future__ import annotations

from collections import Counter
from math import ceil

from orglens.advice._context import Context, listed, missing_functions, number, percent
from orglens.advice.finding import Evidence, Finding
from orglens.model import VIRTUAL_TOP
from orglens.scenarios import CEO_FORUM, MERGE_SALES_MARKETING, STATUS_QUO, departments

__all__ = ["ceo_owns_journey", "go_to_market_size", "span_after_merge"]

#: Unit attributes (extra columns of units.csv) that say which region or segment a unit serves.
_ATTRIBUTES = {"region": ("region", "market"), "segment": ("segment",)}


def go_to_market_size(ctx: Context) -> Finding:
    """Rule 1: is the go-to-market organization small, or large with sales split?

    The go-to-market headcount is the total headcount (sub-units included) of the departments
    whose function is sales or marketing. Sales is **split by region or segment** when at least
    two of its sub-units (its departments, when there are several, else the units directly
    below it) differ in their people's most common location, or in their people's most common
    first segment, or in a ``region``/``market``/``segment`` attribute of the unit.
    """
    rule = "go_to_market_size"
    by_function = departments(ctx.org)
    sales, marketing = by_function.get("sales", ()), by_function.get("marketing", ())
    if not sales or not marketing:
        return missing_functions(rule, "the size argument")
    total = {u.unit: u.total_headcount for u in ctx.analysis.hr.units}
    sales_count = sum(total[u] for u in sales)
    marketing_count = sum(total[u] for u in marketing)
    people = sales_count + marketing_count
    limit = ctx.settings.small_go_to_market
    split_by, values = _sales_split(ctx, sales)
    evidence: dict[str, Evidence] = {
        "sales_headcount": sales_count,
        "marketing_headcount": marketing_count,
        "go_to_market_headcount": people,
        "small_go_to_market": limit,
        "sales_split_by": split_by,
        "sales_units": values,
    }
    sizes = f"Sales ({sales_count}) and marketing ({marketing_count}) together have {people} people"
    if people <= limit:
        return Finding(
            rule=rule,
            triggered=True,
            verdict="Merging sales and marketing is low-risk at this size.",
            because=(
                f"{sizes}, at most {limit}: a group of that size (one of Dunbar's layers) can "
                "know each other and be led by one head."
            ),
            evidence=evidence,
            conditions=(
                f"the go-to-market team grows past {limit} people soon",
                "the one head cannot lead both crafts (see the discipline fit of the merge)",
            ),
            counter=(
                "In a group this small sellers and marketers already talk every day, so a "
                "merger may change little; the gain has to come from one plan and one target."
            ),
            sources=("dunbar_layers",),
        )
    if split_by is not None:
        return Finding(
            rule=rule,
            triggered=True,
            verdict=(
                "One head for sales and marketing may not work here: with sales split by "
                f"{split_by}, one marketing team would serve several sales heads from inside "
                "one department."
            ),
            because=(
                f"{sizes}, more than {limit}, and sales is split by {split_by} ({listed(values)})."
            ),
            evidence=evidence,
            conditions=(
                "the regions or segments share one marketing plan and one segment model",
                "marketing is also split per region or segment, each part beside its sales team",
            ),
            counter=(
                "Middle managers solve span: one head can lead regional sales heads and a "
                "marketing head, so size alone is no reason to keep the functions apart."
            ),
            sources=("dunbar_layers",),
        )
    return Finding(
        rule=rule,
        triggered=False,
        verdict=(
            "No finding: the go-to-market organization is not small, but sales is not split by "
            "region or segment, so size alone neither favours nor rules out one head."
        ),
        because=f"{sizes}, more than {limit}; no split of sales by region or segment was found.",
        evidence=evidence,
        conditions=("people's location and segments are filled in (the split is read from them)",),
        counter="Size still matters through span of control (see span_after_merge).",
        sources=("dunbar_layers",),
    )


def _sales_split(ctx: Context, sales: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """How sales is split (``region``, ``segment`` or ``None``) and ``'unit: value'`` texts."""
    structure = ctx.org.structure
    parts = sales if len(sales) > 1 else structure.unit_children[sales[0]]
    for key in ("region", "segment"):
        found: dict[str, str] = {}
        for part in parts:
            value = _dominant(ctx, part, key)
            if value is not None:
                found[ctx.unit_name(part)] = value
        if len(set(found.values())) >= 2:
            return key, tuple(f"{unit}: {value}" for unit, value in found.items())
    return None, ()


def _dominant(ctx: Context, unit: str, key: str) -> str | None:
    """The most common location (first segment) of the people in ``unit`` and below it, or the
    unit's own region/market/segment attribute."""
    attributes = ctx.org.unit_by_id[unit].attributes
    for name in _ATTRIBUTES[key]:
        if attributes.get(name):
            return attributes[name]
    structure = ctx.org.structure
    values: Counter[str] = Counter()
    for sub in structure.unit_subtree(unit):
        for pid in structure.unit_members[sub]:
            person = ctx.org.person_by_id[pid]
            value = person.location if key == "region" else next(iter(person.segments), None)
            if value:
                values[value] += 1
    return values.most_common(1)[0][0] if values else None


def span_after_merge(ctx: Context) -> Finding:
    """Rule 2: does a merge take a manager above the span range, and how many middle managers
    would bring it back?

    For each built-in merge, the managers whose direct reports change are compared with
    ``settings.span_range``. A span ``n`` above the maximum ``h`` needs
    ``ceil((n - h) / (h - 1))`` new middle managers: each takes up to ``h`` of the reports and
    itself reports to the head, so the head keeps at most ``h``.
    """
    rule = "span_after_merge"
    merges = [s.name for s in ctx.builtin if s.kind == "merge" and s.name in ctx.applied]
    if not merges:
        return missing_functions(rule, "the span argument")
    low, high = ctx.org.settings.span_range
    today = ctx.org.structure.reports
    largest: dict[str, int] = {}
    worst: tuple[int, str, str] = (0, "", "")  # span, scenario, manager
    for name in merges:
        designed = ctx.applied[name].structure.reports
        changed = [(len(r), m) for m, r in designed.items() if set(r) != set(today.get(m, ()))]
        span, manager = max(changed, default=(0, ""))
        largest[name] = span
        if span > worst[0]:
            worst = (span, name, manager)
    span, scenario, manager = worst
    above_today = sum(1 for m in ctx.analysis.hr.managers if m.flag == "above range")
    needed = ceil((span - high) / (high - 1)) if span > high and high > 1 else 0
    evidence: dict[str, Evidence] = {
        "span_range": f"{low}-{high}",
        "largest_changed_span": largest,
        "spans_above_range_today": above_today,
        "middle_managers_needed": needed,
    }
    for key in ("max_span", "spans_out_of_range"):
        found = ctx.metric_by_scenario(key, (STATUS_QUO, *merges))
        if found:
            evidence[key] = found
    today_note = (
        f" {above_today} manager(s) are above the range today, whatever the design."
        if above_today
        else ""
    )
    who = ctx.person_name(manager)
    counter = (
        "Every middle manager adds cost, a layer and one more step for each escalation; "
        "a wide span works only where the work is standardized (McKinsey's coordinator)."
    )
    conditions = (
        "the merged head also does hands-on work (a player/coach should lead 3-5 people)",
        "the middle managers can come from today's team leads rather than new hires",
    )
    if needed:
        return Finding(
            rule=rule,
            triggered=True,
            verdict=(
                f"Merging needs {needed} middle manager(s) under {who}: span is a reason to add "
                "a layer, not to keep the functions apart."
            ),
            because=(
                f"In {scenario}, {who} would have {span} direct reports, above the range "
                f"{low}-{high}; {needed} middle manager(s) bring it back within range.{today_note}"
            ),
            evidence=evidence,
            conditions=conditions,
            counter=counter,
            sources=("mckinsey_spans",),
        )
    return Finding(
        rule=rule,
        triggered=False,
        verdict="Span is no reason to keep the functions apart: no merge needs a middle manager.",
        because=(
            f"No built-in merge takes a manager above {high} direct reports; the largest new "
            f"span is {span}{f' ({who} in {scenario})' if manager else ''}.{today_note}"
        ),
        evidence=evidence,
        conditions=conditions,
        counter=counter,
        sources=("mckinsey_spans",),
    )


def ceo_owns_journey(ctx: Context) -> Finding:
    """Rule 4: the only common manager of the journey must own its design; does a forum of the
    heads achieve much of a merger?

    The forum's share of the merger is ``(d_sq - d_forum) / (d_sq - d_merge)`` on escalation
    distance (``d``) of ``status_quo``, ``ceo_forum`` and ``merge_sales_marketing``, when the
    scorecard has them and the merger shortens escalation at all.
    """
    rule = "ceo_owns_journey"
    process = ctx.analysis.process
    manager = process.journey_common_manager
    groups = tuple(dict.fromkeys(s.group for s in process.journey if s.group is not None))
    names = tuple(ctx.unit_name(g) for g in groups)
    evidence: dict[str, Evidence] = {
        "journey_common_manager": None if manager is None else manager.name,
        "journey_groups": names,
    }
    if manager is None or len(groups) < 2:
        return Finding(
            rule=rule,
            triggered=False,
            verdict="No finding: the declared journey does not cross units.",
            because=f"The declared journey runs through {len(groups)} unit(s) with an owner.",
            evidence=evidence,
            conditions=(),
            counter="",
            missing=() if process.journey else ("journey.csv: the declared customer journey",),
        )
    if not manager.is_top:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=(
                f"No finding: {manager.name}, below the CEO, already manages the whole journey."
            ),
            because=f"The journey's {len(groups)} units ({listed(names)}) meet at {manager.name}.",
            evidence=evidence,
            conditions=(),
            counter=f"{manager.name} must still design the journey on purpose.",
        )
    nobody = manager.id == VIRTUAL_TOP
    common = (
        "no manager is common to all of them (they sit under different tops)"
        if nobody
        else f"the only manager common to all of them is {manager.name} (the CEO)"
    )
    escalation = ctx.metric_by_scenario(
        "escalation_distance", (STATUS_QUO, CEO_FORUM, MERGE_SALES_MARKETING)
    )
    handoffs = ctx.metric_by_scenario(
        "cross_unit_handoffs_per_case", (CEO_FORUM, MERGE_SALES_MARKETING)
    )
    evidence.update(escalation_distance=escalation, cross_unit_handoffs_per_case=handoffs)
    share, forum_text = _forum_share(ctx, escalation)
    evidence["forum_share_of_merger"] = share
    complete = len(escalation) == 3 and None not in escalation.values()
    missing = () if complete else (_SCORECARD,)
    verdict = (
        "Name one owner of the whole journey: no single manager manages every unit in it."
        if nobody
        else f"{manager.name} must own the design of the customer journey; {forum_text}"
    )
    forums = [f.name or "a forum" for f in ctx.org.forums]
    return Finding(
        rule=rule,
        triggered=True,
        verdict=verdict,
        because=(
            f"The journey runs through {len(groups)} units ({listed(names)}) and {common}"
            + (f"; {listed(forums)} already meet(s)." if forums else ".")
        ),
        evidence=evidence,
        conditions=(
            "the CEO delegates the journey to one executive with authority over every stage",
            "the heads already meet and decide on the journey together",
        ),
        counter=(
            "A forum changes no reporting line, budget or target: every handoff stays "
            "cross-unit, and the forum lasts only as long as the CEO gives it time."
        ),
        missing=missing,
        sources=("orglens",) if share is not None else (),
    )


_SCORECARD = (
    "scenario metrics (escalation_distance of status_quo, ceo_forum, merge_sales_marketing)"
)


def _forum_share(ctx: Context, escalation: dict[str, float | None]) -> tuple[float | None, str]:
    """The forum's share of the merger's gain in escalation distance, and how to say it."""
    today, forum, merge = (
        escalation.get(k) for k in (STATUS_QUO, CEO_FORUM, MERGE_SALES_MARKETING)
    )
    if today is None or forum is None or merge is None:
        return None, (
            "a regular forum of the heads may achieve much of a merger (compare ceo_forum with "
            "merge_sales_marketing)."
        )
    if today - merge <= 0:
        return (
            None,
            "a merger does not shorten escalation, so a forum of the heads is the cheaper step.",
        )
    share = (today - forum) / (today - merge)
    levels = f"{number(forum)} levels with a forum, {number(merge)} merged, {number(today)} today"
    if share >= 1:
        return share, (
            "a regular forum of the heads shortens escalation more than the merger does "
            f"({levels}) without moving anyone: try it before merging."
        )
    if share >= ctx.settings.forum_share_of_merger:
        return share, (
            f"a regular forum of the heads achieves {percent(share)} of the merger's shorter "
            f"escalation ({levels}) without moving anyone: try it before merging."
        )
    return share, (
        f"a forum of the heads achieves only {percent(share)} of the merger's shorter "
        f"escalation ({levels}), so it is not enough on its own."
    )
