"""Rule 1 about structure: is the go-to-market organization small, or large with sales split?

- ``go_to_market_size`` (rule 1): small sales + marketing → merging is low-risk; large with
  sales split by region or segment → one head for both may not work.

The other rules about structure have their own modules: span after a merge
(:mod:`orglens.advice.span`) and the CEO as the journey's owner
(:mod:`orglens.advice.journey_owner`); they are re-exported here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from orglens.advice._context import (
    Context,
    band,
    between,
    dominated,
    head_names,
    missing_functions,
    tipping,
)
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.advice.journey_owner import ceo_owns_journey
from orglens.advice.span import span_after_merge
from orglens.i18n import listed, number
from orglens.model import Person
from orglens.scenarios import MERGE_SALES_MARKETING, departments

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
