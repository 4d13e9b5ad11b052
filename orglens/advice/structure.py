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
from dataclasses import dataclass, replace
from math import ceil

from orglens.advice._context import (
    Context,
    band,
    between,
    dominated,
    head_names,
    listed,
    missing_functions,
    number,
    percent,
    tipping,
)
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.lenses.process import CommonManager
from orglens.model import VIRTUAL_TOP, Person
from orglens.scenarios import CEO_FORUM, MERGE_SALES_MARKETING, STATUS_QUO, departments

__all__ = ["ceo_owns_journey", "go_to_market_size", "span_after_merge"]

#: Unit attributes (extra columns of units.csv) that say which region or segment a unit serves.
_ATTRIBUTES = {"region": ("region", "market"), "segment": ("segment",)}


@dataclass(frozen=True)
class _Size:
    """The evidence of rule 1: the headcounts, the threshold and how sales is split."""

    sales: int
    marketing: int
    limit: int
    split_by: str | None
    parts: dict[str, str]  # sales unit name -> its region or segment
    heads: tuple[str, ...]  # the heads of sales and marketing

    @property
    def people(self) -> int:
        return self.sales + self.marketing

    @property
    def sizes(self) -> str:
        return (
            f"Sales ({self.sales}) and marketing ({self.marketing}) together have "
            f"{self.people} people"
        )

    @property
    def split_units(self) -> tuple[str, ...]:
        """``'unit: region'`` (or segment) of each part of sales."""
        return tuple(f"{unit}: {value}" for unit, value in self.parts.items())

    @property
    def evidence(self) -> dict[str, Evidence]:
        return {
            "sales_headcount": self.sales,
            "marketing_headcount": self.marketing,
            "go_to_market_headcount": self.people,
            "small_go_to_market": self.limit,
            "sales_split_by": self.split_by,
            "sales_units": self.split_units,
        }


def go_to_market_size(ctx: Context) -> Finding:
    """Rule 1: is the go-to-market organization small, or large with sales split?

    The go-to-market headcount is the total headcount (sub-units included) of the departments
    whose function is sales or marketing. Sales is **split by region or segment** when at least
    two of its sub-units (its departments, when there are several, else the units directly
    below it) differ in their people's most common location, or in their people's most common
    first segment, or in a ``region``/``market``/``segment`` attribute of the unit. Within
    :data:`~orglens.advice.BORDERLINE` of ``small_go_to_market`` the size does not decide, and
    the verdict says so in the same words on both sides of the threshold.
    """
    by_function = departments(ctx.org)
    sales, marketing = by_function.get("sales", ()), by_function.get("marketing", ())
    if not sales or not marketing:
        return missing_functions("go_to_market_size", "the size argument")
    total = {u.unit: u.total_headcount for u in ctx.analysis.hr.units}
    split_by, parts = _sales_split(ctx, sales)
    size = _Size(
        sales=sum(total[u] for u in sales),
        marketing=sum(total[u] for u in marketing),
        limit=ctx.settings.small_go_to_market,
        split_by=split_by,
        parts=parts,
        heads=head_names(ctx, (*sales[:1], *marketing[:1])),
    )
    near = margin(size.people, size.limit)
    if near is not None and near < BORDERLINE:
        found = _size_undecided(size)
    elif size.people <= size.limit:
        found = _size_small(ctx, size)
    else:
        found = _size_split(size) if split_by is not None else _size_unsplit(ctx, size, sales)
    return replace(found, margin=near)


def _size_finding(
    size: _Size,
    *,
    triggered: bool,
    verdict: str,
    because: str,
    conditions: tuple[str, ...],
    counter: str,
    tipping_point: str,
) -> Finding:
    return Finding(
        rule="go_to_market_size",
        triggered=triggered,
        verdict=verdict,
        because=because,
        evidence=size.evidence,
        conditions=conditions,
        counter=counter,
        sources=("dunbar_layers",),
        tipping_point=tipping_point,
    )


def _size_small(ctx: Context, size: _Size) -> Finding:
    people, limit = size.people, size.limit
    beaten = dominated(ctx, MERGE_SALES_MARKETING)
    head = f"the one head ({' or '.join(size.heads)})" if size.heads else "the one head"
    return _size_finding(
        size,
        triggered=True,
        verdict=(
            f"Size is no obstacle to merging sales and marketing, but {beaten}: size alone is "
            "no reason to merge."
            if beaten
            else "Merging sales and marketing is low-risk at this size."
        ),
        because=(
            f"{size.sizes}, at most {limit}: a group of that size (one of Dunbar's layers) can "
            "know each other and be led by one head."
        ),
        conditions=(
            f"the go-to-market team grows past {limit} people soon ({limit + 1 - people} more "
            "would do)",
            f"{head} cannot lead both crafts (see the discipline fit of the merge)",
        ),
        counter=(
            f"In a group of {people}, sellers and marketers already talk every day, so a merger "
            "may change little; the gain has to come from one plan and one target."
        ),
        tipping_point=tipping(
            "small_go_to_market",
            f"{limit} people",
            f"this company has {people}",
            f"{limit + 1 - people} more people in sales and marketing"
            + (f", or a threshold of {people - 1}," if people > 1 else ""),
        ),
    )


def _size_split(size: _Size) -> Finding:
    people, limit, split_by = size.people, size.limit, size.split_by
    values = listed(dict.fromkeys(size.parts.values()))
    return _size_finding(
        size,
        triggered=True,
        verdict=(
            "One head for sales and marketing may not work here: with sales split by "
            f"{split_by}, one marketing team would serve several sales heads from inside "
            "one department."
        ),
        because=(
            f"{size.sizes}, more than {limit}, and sales is split by {split_by} "
            f"({listed(size.split_units)})."
        ),
        conditions=(
            f"the {split_by}s ({values}) share one marketing plan and one segment model",
            f"marketing ({size.marketing} people) is also split per {split_by}, each part "
            "beside its sales team",
        ),
        counter=(
            f"Middle managers solve span: one head can lead the heads of {listed(size.parts)} "
            f"and a marketing head, so {people} people is no reason by itself to keep the "
            "functions apart."
        ),
        tipping_point=tipping(
            "small_go_to_market",
            f"{limit} people",
            f"this company has {people}",
            f"{people - limit} fewer people in sales and marketing, or a threshold of {people},",
        ),
    )


def _size_unsplit(ctx: Context, size: _Size, sales: tuple[str, ...]) -> Finding:
    people, limit = size.people, size.limit
    sellers = [p for u in sales for p in _members(ctx, u)]
    known = sum(1 for p in sellers if p.location or p.segments)
    return _size_finding(
        size,
        triggered=False,
        verdict=(
            "No finding: the go-to-market organization is not small, but sales is not split by "
            "region or segment, so size alone neither favours nor rules out one head."
        ),
        because=(
            f"{size.sizes}, more than {limit}; no split of sales by region or segment was found."
        ),
        conditions=(
            f"more sales people had a location or segment: {known} of {len(sellers)} have "
            "either, and the split is read from them",
        ),
        counter=(
            f"Size still matters through span of control: {people} people need managers "
            "between them and one head (see span_after_merge)."
        ),
        tipping_point=(
            f"The verdict turns at small_go_to_market = {limit} people; this company has "
            f"{people}: {people - limit} fewer people, or a threshold of {people}, would make "
            "merging low-risk, and a split of sales by region or segment would make one head "
            "doubtful."
        ),
    )


def _size_undecided(size: _Size) -> Finding:
    people, limit, split_by = size.people, size.limit, size.split_by
    low, high = band(limit, whole=True)
    split = f", and sales is split by {split_by} ({listed(size.split_units)})" if split_by else ""
    above = (
        f"one head may not work with sales split by {split_by}"
        if split_by
        else "size neither favours nor rules out one head"
    )
    return _size_finding(
        size,
        triggered=True,
        verdict=(
            f"At {between(limit, number, whole=True)} people the size argument does not "
            f"decide: the go-to-market team is too close to {limit} (small_go_to_market) for "
            "size to favour or rule out one head."
        ),
        because=f"{size.sizes}, within 10% of {limit}{split}.",
        conditions=(
            f"the go-to-market team stays near {people} people: growth past {number(high)} "
            f"or cuts below {number(low)} would settle the size argument",
        ),
        counter=(
            f"Headcount is a proxy: how often the {people} people work together (see "
            f"marketing_sales_handoff) says more about one head than whether they number "
            f"{number(low)} or {number(high)}."
        ),
        tipping_point=(
            f"The verdict turns at small_go_to_market = {limit} people; this company has "
            f"{people}: at {number(low - 1)} people or fewer merging is low-risk, and at "
            f"{number(high + 1)} or more {above}."
        ),
    )


def _members(ctx: Context, unit: str) -> list[Person]:
    structure = ctx.org.structure
    return [
        ctx.org.person_by_id[pid]
        for sub in structure.unit_subtree(unit)
        for pid in structure.unit_members[sub]
    ]


def _sales_split(ctx: Context, sales: tuple[str, ...]) -> tuple[str | None, dict[str, str]]:
    """How sales is split (``region``, ``segment`` or ``None``) and ``{unit name: value}``."""
    structure = ctx.org.structure
    parts = sales if len(sales) > 1 else structure.unit_children[sales[0]]
    for key in ("region", "segment"):
        found: dict[str, str] = {}
        for part in parts:
            value = _dominant(ctx, part, key)
            if value is not None:
                found[ctx.unit_name(part)] = value
        if len(set(found.values())) >= 2:
            return key, found
    return None, {}


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


@dataclass(frozen=True)
class _Span:
    """The evidence of rule 2: the largest span a merge gives a manager, against the range."""

    span: int
    scenario: str
    who: str  # the manager's name, empty when no merge changes anyone's reports
    low: int
    high: int
    above_today: tuple[str, ...]  # names of the managers above the range today
    layers: int

    @property
    def needed(self) -> int:
        """Middle managers that bring the span back within range."""
        high = self.high
        return ceil((self.span - high) / (high - 1)) if self.span > high and high > 1 else 0

    @property
    def today_note(self) -> str:
        names = self.above_today
        if not names:
            return ""
        return (
            f" {len(names)} manager(s) ({listed(names)}) are above the range today, whatever the "
            "design."
        )


def span_after_merge(ctx: Context) -> Finding:
    """Rule 2: does a merge take a manager above the span range, and how many middle managers
    would bring it back?

    For each built-in merge, the managers whose direct reports change are compared with
    ``settings.span_range``. A span ``n`` above the maximum ``h`` needs
    ``ceil((n - h) / (h - 1))`` new middle managers: each takes up to ``h`` of the reports and
    itself reports to the head, so the head keeps at most ``h``. Within
    :data:`~orglens.advice.BORDERLINE` of ``h`` the verdict says so in the same words on both
    sides.
    """
    rule = "span_after_merge"
    merges = [s.name for s in ctx.builtin if s.kind == "merge" and s.name in ctx.applied]
    if not merges:
        return missing_functions(rule, "the span argument")
    largest, (span, scenario, manager) = _largest_spans(ctx, merges)
    low, high = ctx.org.settings.span_range
    found = _Span(
        span=span,
        scenario=scenario,
        who=ctx.person_name(manager) if manager else "",
        low=low,
        high=high,
        above_today=tuple(m.name for m in ctx.analysis.hr.managers if m.flag == "above range"),
        layers=ctx.analysis.hr.layers,
    )
    evidence: dict[str, Evidence] = {
        "span_range": f"{low}-{high}",
        "largest_changed_span": largest,
        "spans_above_range_today": len(found.above_today),
        "middle_managers_needed": found.needed,
    }
    for key in ("max_span", "spans_out_of_range"):
        scored = ctx.metric_by_scenario(key, (STATUS_QUO, *merges))
        if scored:
            evidence[key] = scored
    near = margin(span, high) if manager else None
    if near is not None and near < BORDERLINE:
        wording = _span_undecided(found)
    else:
        wording = _span_needs(found) if found.needed else _span_fine(found)
    triggered, verdict, because, tipping_point = wording
    return Finding(
        rule=rule,
        triggered=triggered,
        verdict=verdict,
        because=because,
        evidence=evidence,
        conditions=_span_conditions(found),
        counter=_span_counter(found),
        sources=("mckinsey_spans",),
        margin=near,
        tipping_point=tipping_point,
    )


def _largest_spans(ctx: Context, merges: list[str]) -> tuple[dict[str, int], tuple[int, str, str]]:
    """Per merge, the largest span of a manager whose reports it changes; and the largest of
    all as ``(span, merge, manager)``."""
    today = ctx.org.structure.reports
    largest: dict[str, int] = {}
    worst: tuple[int, str, str] = (0, "", "")
    for name in merges:
        designed = ctx.applied[name].structure.reports
        changed = [(len(r), m) for m, r in designed.items() if set(r) != set(today.get(m, ()))]
        span, manager = max(changed, default=(0, ""))
        largest[name] = span
        if span > worst[0]:
            worst = (span, name, manager)
    return largest, worst


_Wording = tuple[bool, str, str, str]  # triggered, verdict, because, tipping point


def _span_needs(found: _Span) -> _Wording:
    span, who, needed, low, high = found.span, found.who, found.needed, found.low, found.high
    return (
        True,
        f"Merging needs {needed} middle manager(s) under {who}: span is a reason to add a "
        "layer, not to keep the functions apart.",
        f"In {found.scenario}, {who} would have {span} direct reports, above the range "
        f"{low}-{high}; {needed} middle manager(s) bring it back within range.{found.today_note}",
        tipping(
            "span_range",
            f"{low}-{high} (at most {high} direct reports)",
            f"{found.scenario} gives {who} {span}",
            f"{span - high} fewer direct report(s), or a maximum of {span},",
        ),
    )


def _span_fine(found: _Span) -> _Wording:
    span, who, low, high = found.span, found.who, found.low, found.high
    threshold = f", or a maximum of {span - 1}," if span - 1 >= max(low, 1) else ""
    return (
        False,
        "Span is no reason to keep the functions apart: no merge needs a middle manager.",
        f"No built-in merge takes a manager above {high} direct reports; the largest new "
        f"span is {span}{f' ({who} in {found.scenario})' if who else ''}.{found.today_note}",
        tipping(
            "span_range",
            f"{low}-{high} (at most {high} direct reports)",
            f"{found.scenario} gives {who} {span}",
            f"{high + 1 - span} more direct report(s){threshold}",
        )
        if who
        else "",
    )


def _span_undecided(found: _Span) -> _Wording:
    span, who, low, high = found.span, found.who, found.low, found.high
    first, last = band(high, whole=True)
    return (
        True,
        f"Span is no reason to keep the functions apart; at "
        f"{between(high, number, whole=True)} direct reports a merged head sits at the edge "
        f"of the span range {low}-{high}, so one report more or less decides whether a middle "
        "manager is needed.",
        f"In {found.scenario}, {who} would have {span} direct reports, within 10% of the "
        f"maximum {high}.{found.today_note}",
        f"The verdict turns at span_range = {low}-{high}; {found.scenario} gives {who} {span} "
        f"direct reports: at {number(first - 1)} or fewer no middle manager is needed, at "
        f"{number(last + 1)} or more at least one is.",
    )


def _span_conditions(found: _Span) -> tuple[str, ...]:
    if not found.who:
        return ("the merged head also does hands-on work (a player/coach should lead 3-5 people)",)
    hands_on = (
        f"{found.who} also does hands-on work (a player/coach should lead 3-5 people, not "
        f"{found.span})"
    )
    if not found.needed:
        return (hands_on,)
    return (
        hands_on,
        f"the work under {found.who} is standardized enough for {found.span} direct reports "
        "(McKinsey's coordinator leads 15 or more)",
    )


def _span_counter(found: _Span) -> str:
    where = (
        f"a span of {found.span} under {found.who} works only where the work is standardized"
        if found.who
        else "a wide span works only where the work is standardized"
    )
    return (
        f"Every middle manager adds cost, a layer (the company has {found.layers} today) and "
        f"one more step for each escalation; {where} (McKinsey's coordinator)."
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
            tipping_point=(
                f"Only a journey stage in a unit outside what {manager.name} manages would "
                "change the verdict."
            ),
        )
    return _ceo_must_own(ctx, manager, groups, evidence)


def _ceo_must_own(
    ctx: Context, manager: CommonManager, groups: tuple[str, ...], evidence: dict[str, Evidence]
) -> Finding:
    """Rule 4 when only the CEO (or nobody) manages the whole journey."""
    names = tuple(ctx.unit_name(g) for g in groups)
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
    share, forum_text, tipping_point = _forum_share(ctx, escalation)
    evidence["forum_share_of_merger"] = share
    complete = len(escalation) == 3 and None not in escalation.values()
    forums = [f.name or "a forum" for f in ctx.org.forums]
    owner = "the CEO" if nobody else manager.name
    return Finding(
        rule="ceo_owns_journey",
        triggered=True,
        verdict=(
            "Name one owner of the whole journey: no single manager manages every unit in it."
            if nobody
            else f"{manager.name} must own the design of the customer journey; {forum_text}"
        ),
        because=(
            f"The journey runs through {len(groups)} units ({listed(names)}) and {common}"
            + (f"; {listed(forums)} already meet(s)." if forums else ".")
        ),
        evidence=evidence,
        conditions=(
            f"{owner} delegates the journey to one executive with authority over all "
            f"{len(groups)} units",
            f"the heads of {listed(names)} already meet and decide on the journey together",
        ),
        counter=_forum_counter(
            handoffs, len(groups), "its members make" if nobody else f"{owner} makes"
        ),
        missing=() if complete else (_SCORECARD,),
        sources=("orglens",) if share is not None else (),
        margin=None if share is None else margin(share, ctx.settings.forum_share_of_merger),
        tipping_point=tipping_point,
    )


def _forum_counter(handoffs: dict[str, float | None], units: int, who: str) -> str:
    forum, merged = handoffs.get(CEO_FORUM), handoffs.get(MERGE_SALES_MARKETING)
    stays = (
        f"its {number(forum)} cross-unit handoffs per case stay ({number(merged)} merged)"
        if forum is not None and merged is not None
        else f"every handoff between the {units} units stays cross-unit"
    )
    return (
        f"A forum changes no reporting line, budget or target: {stays}, and the forum lasts "
        f"only as long as {who} time for it."
    )


_SCORECARD = (
    "scenario metrics (escalation_distance of status_quo, ceo_forum, merge_sales_marketing)"
)


def _forum_share(
    ctx: Context, escalation: dict[str, float | None]
) -> tuple[float | None, str, str]:
    """The forum's share of the merger's gain in escalation distance, how to say it, and what
    would tip it."""
    threshold = ctx.settings.forum_share_of_merger
    today, forum, merge = (
        escalation.get(k) for k in (STATUS_QUO, CEO_FORUM, MERGE_SALES_MARKETING)
    )
    if today is None or forum is None or merge is None or today - merge <= 0:
        return None, *_no_forum_share(ctx, today, merge)
    share = (today - forum) / (today - merge)
    levels = f"{number(forum)} levels with a forum, {number(merge)} merged, {number(today)} today"
    near = margin(share, threshold)
    if near is not None and near < BORDERLINE:
        text = (
            f"a forum of the heads achieves about {percent(threshold)} "
            f"({between(threshold, percent)}) of the merger's shorter escalation, too close to "
            "forum_share_of_merger to say whether it is enough on its own."
        )
    elif share >= 1:
        as_much = "as much as" if forum == merge else "more than"
        text = (
            f"a regular forum of the heads shortens escalation {as_much} the merger does "
            f"({levels}) without moving anyone: try it before merging" + _still(ctx, CEO_FORUM)
        )
    elif share >= threshold:
        text = (
            f"a regular forum of the heads achieves {percent(share)} of the merger's shorter "
            f"escalation ({levels}) without moving anyone: try it before merging"
            + _still(ctx, CEO_FORUM)
        )
    else:
        beaten = dominated(ctx, MERGE_SALES_MARKETING)
        text = (
            f"a forum of the heads achieves only {percent(share)} of the merger's shorter "
            f"escalation ({levels}), so it is not enough on its own"
            + (f", though {beaten}." if beaten else ".")
        )
    return share, text, _forum_tipping(share, threshold, (today, forum, merge), near)


def _no_forum_share(ctx: Context, today: float | None, merge: float | None) -> tuple[str, str]:
    """The forum half of the verdict, and what would tip it, when the scorecard lacks a
    distance or the merger does not shorten escalation."""
    threshold = percent(ctx.settings.forum_share_of_merger)
    if today is None or merge is None or today - merge > 0:
        return (
            "a regular forum of the heads may achieve much of a merger (compare ceo_forum with "
            "merge_sales_marketing).",
            "With the escalation distances of status_quo, ceo_forum and merge_sales_marketing "
            f"the verdict would turn at forum_share_of_merger = {threshold} of the merger's "
            "shorter escalation.",
        )
    return (
        "a merger does not shorten escalation, so a forum of the heads is the cheaper step"
        + _still(ctx, CEO_FORUM),
        f"Only a merger that shortened escalation ({number(merge)} levels merged, "
        f"{number(today)} today) would bring forum_share_of_merger = {threshold} into play.",
    )


def _still(ctx: Context, design: str) -> str:
    """``'.'``, or why a design the scorecard dominates is still worth trying."""
    beaten = dominated(ctx, design)
    return f", although {beaten}: it moves no one and can be stopped." if beaten else "."


def _forum_tipping(
    share: float, threshold: float, distances: tuple[float, float, float], near: float | None
) -> str:
    """At which forum escalation distance (or threshold) the forum half of the verdict turns;
    ``distances`` are today's, the forum's and the merger's."""
    today, forum, merge = distances
    turn = today - threshold * (today - merge)  # the forum's distance at the threshold
    first, last = band(threshold)
    achieved = (
        f"the forum shortens escalation {number(share)} times as much as the merger"
        if share >= 1
        else f"the forum achieves {percent(share)} of the merger's shorter escalation"
    )
    if near is not None and near < BORDERLINE:
        return (
            f"The verdict turns at forum_share_of_merger = {percent(threshold)}; {achieved}: "
            f"below {percent(first)} the forum is not enough on its own, above "
            f"{percent(last)} it is."
        )
    if share >= threshold:
        above = f", or a threshold above {percent(share)}," if share < 1 else ""
        change = f"a forum escalation distance above {number(turn)} levels{above}"
    else:
        change = (
            f"a forum escalation distance of {number(turn)} levels or less, or a threshold of "
            f"{percent(share)},"
        )
    return tipping(
        "forum_share_of_merger", percent(threshold), f"{achieved} ({number(forum)} levels)", change
    )
