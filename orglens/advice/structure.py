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
from orglens.i18n import listed, number, percent, t
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
        return t(
            "advice_structure.sizes",
            sales=number(self.sales),
            marketing=number(self.marketing),
            people=number(self.people),
        )

    @property
    def split_word(self) -> str:
        """How sales is split, as a sentence says it: ``'region'`` or ``'segment'``."""
        return t(f"advice_structure.split_{self.split_by}") if self.split_by else ""

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
        return missing_functions("go_to_market_size", t("advice_structure.argument"))
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
    heads = size.heads
    head = (
        t("advice_structure.head_named", names=_either(heads))
        if heads
        else t("advice_structure.head")
    )
    more = number(limit + 1 - people)
    return _size_finding(
        size,
        triggered=True,
        verdict=(
            t("advice_structure.verdict_small_dominated", dominated=beaten)
            if beaten
            else t("advice_structure.verdict_small")
        ),
        because=t("advice_structure.because_small", sizes=size.sizes, limit=number(limit)),
        conditions=(
            t("advice_structure.condition_grows", limit=number(limit), more=more),
            t("advice_structure.condition_head", head=head),
        ),
        counter=t("advice_structure.counter_small", people=number(people)),
        tipping_point=tipping(
            "small_go_to_market",
            _people(limit),
            _company_has(people),
            t("advice_structure.change_more_or", more=more, threshold=number(people - 1))
            if people > 1
            else t("advice_structure.change_more", more=more),
        ),
    )


def _either(names: tuple[str, ...]) -> str:
    """``'Ann or Bo'`` (``'Ann eller Bo'``): one of the ``names``."""
    if len(names) == 1:
        return names[0]
    return t("advice_structure.either", head=", ".join(names[:-1]), last=names[-1])


def _people(count: int) -> str:
    return t("advice_structure.people", n=number(count))


def _company_has(count: int) -> str:
    return t("advice_structure.company_has", n=number(count))


def _size_split(size: _Size) -> Finding:
    people, limit, split_by = size.people, size.limit, size.split_word
    values = listed(dict.fromkeys(size.parts.values()))
    return _size_finding(
        size,
        triggered=True,
        verdict=t("advice_structure.verdict_split", split_by=split_by),
        because=t(
            "advice_structure.because_split",
            sizes=size.sizes,
            limit=number(limit),
            split_by=split_by,
            units=listed(size.split_units),
        ),
        conditions=(
            t(f"advice_structure.condition_plan_{size.split_by}", values=values),
            t(
                "advice_structure.condition_marketing_split",
                marketing=number(size.marketing),
                split_by=split_by,
            ),
        ),
        counter=t(
            "advice_structure.counter_split", parts=listed(size.parts), people=number(people)
        ),
        tipping_point=tipping(
            "small_go_to_market",
            _people(limit),
            _company_has(people),
            t(
                "advice_structure.change_fewer",
                fewer=number(people - limit),
                threshold=number(people),
            ),
        ),
    )


def _size_unsplit(ctx: Context, size: _Size, sales: tuple[str, ...]) -> Finding:
    people, limit = size.people, size.limit
    sellers = [p for u in sales for p in _members(ctx, u)]
    known = sum(1 for p in sellers if p.location or p.segments)
    return _size_finding(
        size,
        triggered=False,
        verdict=t("advice_structure.verdict_unsplit"),
        because=t("advice_structure.because_unsplit", sizes=size.sizes, limit=number(limit)),
        conditions=(
            t(
                "advice_structure.condition_located",
                known=number(known),
                sellers=number(len(sellers)),
            ),
        ),
        counter=t("advice_structure.counter_unsplit", people=number(people)),
        tipping_point=t(
            "advice_structure.tipping_unsplit",
            limit=number(limit),
            people=number(people),
            fewer=number(people - limit),
        ),
    )


def _size_undecided(size: _Size) -> Finding:
    people, limit, split_by = size.people, size.limit, size.split_word
    low, high = band(limit, whole=True)
    shared = {
        "sizes": size.sizes,
        "within": percent(BORDERLINE),
        "limit": number(limit),
        "people": number(people),
        "split_by": split_by,
        "units": listed(size.split_units),
        "low": number(low),
        "high": number(high),
        "below": number(low - 1),
        "above": number(high + 1),
    }
    split = "_split" if size.split_by else ""
    return _size_finding(
        size,
        triggered=True,
        verdict=t(
            "advice_structure.verdict_undecided", band=between(limit, number, whole=True), **shared
        ),
        because=t(f"advice_structure.because_undecided{split}", **shared),
        conditions=(t("advice_structure.condition_undecided", **shared),),
        counter=t("advice_structure.counter_undecided", **shared),
        tipping_point=t(f"advice_structure.tipping_undecided{split}", **shared),
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
