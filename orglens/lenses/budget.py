"""The budget lens: brand vs activation, cost and revenue per unit, and accountability.

The budget perspective measures revenue and cost per unit and per manager. This lens asks:

- **brand share**: of the marketing spend (budget lines whose horizon is ``brand`` or
  ``activation``, in whichever unit they sit), the share that builds the brand, against the B2B
  benchmark of ``settings.brand_benchmark`` (46% by default, after Binet & Field) whose source is
  shown with it.
- **cost and revenue per unit**: people cost of the members plus the unit's budget lines, and its
  revenue streams; own and rolled up over sub-units.
- **accountability**: for each spend line and each revenue stream, the lowest manager who owns
  both the spend and the outcome it serves (see :mod:`orglens.model.structure` for unit owners and
  the lowest common manager); and how much spend serves an outcome another unit owns.

Every function is pure and linear in the number of people, units, budget lines and streams
(times the depth of the reporting tree for the lowest common managers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from orglens.lenses._common import resolve_level, roll_up, rounded
from orglens.model import VIRTUAL_TOP, Organization, Structure

__all__ = [
    "Accountability",
    "BudgetResult",
    "RevenueAccountability",
    "SpendAccountability",
    "UnitFinance",
    "analyze",
]


@dataclass(frozen=True)
class UnitFinance:
    """Cost and revenue of one unit; ``total_*`` include every unit below it.

    ``cost`` = ``people_cost`` (its own members) + ``spend`` (its budget lines).
    """

    unit: str
    name: str
    function: str | None
    people_cost: float
    spend: float
    cost: float
    revenue: float
    total_people_cost: float
    total_spend: float
    total_cost: float
    total_revenue: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "function": self.function,
            "people_cost": rounded(self.people_cost),
            "spend": rounded(self.spend),
            "cost": rounded(self.cost),
            "revenue": rounded(self.revenue),
            "total_people_cost": rounded(self.total_people_cost),
            "total_spend": rounded(self.total_spend),
            "total_cost": rounded(self.total_cost),
            "total_revenue": rounded(self.total_revenue),
        }


@dataclass(frozen=True)
class SpendAccountability:
    """Who owns a spend line together with the outcome it serves."""

    id: str
    unit: str
    outcome_unit: str | None
    amount: float
    owner: str | None
    owner_name: str | None
    owner_layer: int | None
    same_owner: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit,
            "outcome_unit": self.outcome_unit,
            "amount": rounded(self.amount),
            "owner": self.owner,
            "owner_name": self.owner_name,
            "owner_layer": self.owner_layer,
            "same_owner": self.same_owner,
        }


@dataclass(frozen=True)
class RevenueAccountability:
    """Who owns a revenue stream together with the spend that serves it."""

    stream: str
    unit: str
    amount: float
    segment: str | None
    spend_serving: float
    owner: str | None
    owner_name: str | None
    owner_layer: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "unit": self.unit,
            "amount": rounded(self.amount),
            "segment": self.segment,
            "spend_serving": rounded(self.spend_serving),
            "owner": self.owner,
            "owner_name": self.owner_name,
            "owner_layer": self.owner_layer,
        }


@dataclass(frozen=True)
class Accountability:
    """Owners of spend and revenue, and the share of spend whose outcome another unit owns."""

    spend_lines: tuple[SpendAccountability, ...]
    revenue_streams: tuple[RevenueAccountability, ...]
    spend_outcome_elsewhere_amount: float
    spend_outcome_elsewhere_share: float | None
    spend_outcome_other_group_share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "spend_lines": [s.to_dict() for s in self.spend_lines],
            "revenue_streams": [r.to_dict() for r in self.revenue_streams],
            "spend_outcome_elsewhere_amount": rounded(self.spend_outcome_elsewhere_amount),
            "spend_outcome_elsewhere_share": rounded(self.spend_outcome_elsewhere_share),
            "spend_outcome_other_group_share": rounded(self.spend_outcome_other_group_share),
        }


@dataclass(frozen=True)
class BudgetResult:
    """What the budget lens finds; :meth:`to_dict` gives the JSON form with stable keys."""

    level: int
    currency: str
    brand_amount: float
    activation_amount: float
    other_amount: float
    brand_share: float | None
    brand_benchmark: float
    brand_benchmark_source: str
    brand_gap: float | None
    people_cost: float
    spend: float
    cost: float
    revenue: float
    units: tuple[UnitFinance, ...]
    accountability: Accountability

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "currency": self.currency,
            "brand_amount": rounded(self.brand_amount),
            "activation_amount": rounded(self.activation_amount),
            "other_amount": rounded(self.other_amount),
            "brand_share": rounded(self.brand_share),
            "brand_benchmark": rounded(self.brand_benchmark),
            "brand_benchmark_source": self.brand_benchmark_source,
            "brand_gap": rounded(self.brand_gap),
            "people_cost": rounded(self.people_cost),
            "spend": rounded(self.spend),
            "cost": rounded(self.cost),
            "revenue": rounded(self.revenue),
            "units": [u.to_dict() for u in self.units],
            "accountability": self.accountability.to_dict(),
        }


def analyze(org: Organization, /, *, level: int | None = None) -> BudgetResult:
    """Look at ``org`` through the budget lens.

    Parameters
    ----------
    org
        The organization (today's, or a scenario's).
    level
        Depth of the unit tree at which ``spend_outcome_other_group_share`` compares units
        (1 = departments); ``None`` uses ``org.settings.level``. All other measures are per unit.

    Returns
    -------
    BudgetResult
        With these measures (amounts in ``currency``):

        - ``brand_amount``, ``activation_amount``, ``other_amount``: the sum of budget lines of
          each horizon, over all units (marketing spend is recognised by its horizon, not by the
          unit that holds it, so brand work paid by sales or communications counts too).
        - ``brand_share`` = brand / (brand + activation), ``None`` when both are 0;
          ``brand_gap`` = brand_share - ``brand_benchmark`` (negative: less brand than the
          benchmark); ``brand_benchmark_source`` says where the benchmark comes from.
        - ``units``: per unit, ``people_cost`` of its own members, ``spend`` = its budget lines,
          ``cost`` = people_cost + spend, ``revenue`` = its revenue streams, and ``total_*`` the
          same including every unit below it; ``people_cost``, ``spend``, ``cost`` and ``revenue``
          at the top level are the totals of the organization.
        - ``accountability.spend_lines``: per budget line, ``owner`` = the lowest common manager
          of the owner of ``unit`` and the owner of ``outcome_unit`` (the unit itself when no
          outcome unit is given), with its name and layer (the virtual top is layer 0);
          ``same_owner`` is true when the outcome unit is missing or the same unit, or both units
          have the same owner. Owner fields are ``None`` when a unit involved has no owner.
        - ``accountability.revenue_streams``: per revenue stream, ``spend_serving`` = budget lines
          whose ``outcome_unit`` is the stream's unit, and ``owner`` = the lowest common manager of
          the owner of the stream's unit and the owners of the units holding that spend.
        - ``accountability.spend_outcome_elsewhere_share``: the share of all spend whose
          ``outcome_unit`` is set and differs from the line's unit (``..._amount``: the amount);
          ``spend_outcome_other_group_share``: the same with both units taken at ``level``.
          ``None`` when there is no spend.

    Raises
    ------
    UsageError
        When ``level`` is negative.

    Examples
    --------
    >>> from orglens.model import BudgetLine, Organization, Person
    >>> org = Organization(
    ...     people=[
    ...         Person(id="ceo", name="Ceo", unit="Management"),
    ...         Person(id="m", manager_id="ceo", unit="Marketing"),
    ...         Person(id="s", manager_id="ceo", unit="Sales"),
    ...     ],
    ...     budget=[
    ...         BudgetLine(id="b1", unit="Marketing", amount=30, horizon="brand"),
    ...         BudgetLine(id="b2", unit="Marketing", amount=70, horizon="activation",
    ...                    outcome_unit="Sales"),
    ...     ],
    ... )
    >>> budget = analyze(org)
    >>> budget.brand_share, round(budget.brand_gap, 2)
    (0.3, -0.16)
    >>> [(s.id, s.owner_name, s.same_owner) for s in budget.accountability.spend_lines]
    [('b1', 'm', True), ('b2', 'Ceo', False)]
    >>> budget.accountability.spend_outcome_elsewhere_share
    0.7
    """
    chosen_level = resolve_level(org, level)
    settings = org.settings

    by_horizon = {"brand": 0.0, "activation": 0.0, "other": 0.0}
    for line in org.budget:
        by_horizon[line.horizon] += line.amount
    marketing = by_horizon["brand"] + by_horizon["activation"]
    brand_share = by_horizon["brand"] / marketing if marketing > 0 else None

    units = _unit_finances(org)
    return BudgetResult(
        level=chosen_level,
        currency=org.currency,
        brand_amount=by_horizon["brand"],
        activation_amount=by_horizon["activation"],
        other_amount=by_horizon["other"],
        brand_share=brand_share,
        brand_benchmark=settings.brand_benchmark,
        brand_benchmark_source=settings.brand_benchmark_source,
        brand_gap=None if brand_share is None else brand_share - settings.brand_benchmark,
        people_cost=sum(u.people_cost for u in units),
        spend=sum(u.spend for u in units),
        cost=sum(u.cost for u in units),
        revenue=sum(u.revenue for u in units),
        units=units,
        accountability=_accountability(org, chosen_level),
    )


def _unit_finances(org: Organization) -> tuple[UnitFinance, ...]:
    structure = org.structure
    people_cost: dict[str, float] = {u.id: 0.0 for u in org.units}
    spend = dict(people_cost)
    revenue = dict(people_cost)
    for p in org.people:
        people_cost[p.unit] += p.cost
    for line in org.budget:
        spend[line.unit] += line.amount
    for stream in org.revenue:
        revenue[stream.unit] += stream.amount
    total_people_cost = roll_up(structure, people_cost)
    total_spend = roll_up(structure, spend)
    total_revenue = roll_up(structure, revenue)
    return tuple(
        UnitFinance(
            unit=u.id,
            name=u.name or u.id,
            function=u.function,
            people_cost=people_cost[u.id],
            spend=spend[u.id],
            cost=people_cost[u.id] + spend[u.id],
            revenue=revenue[u.id],
            total_people_cost=total_people_cost[u.id],
            total_spend=total_spend[u.id],
            total_cost=total_people_cost[u.id] + total_spend[u.id],
            total_revenue=total_revenue[u.id],
        )
        for u in org.units
    )


def _owner_of_units(structure: Structure, units: Iterable[str]) -> str | None:
    """Lowest common manager of the owners of ``units``; ``None`` if one of them has no owner."""
    owners = []
    for unit in units:
        owner = structure.unit_owner[unit]
        if owner is None:
            return None
        owners.append(owner)
    return structure.lowest_common_manager(owners)


def _accountability(org: Organization, level: int) -> Accountability:
    structure = org.structure

    def name_of(owner: str | None) -> str | None:
        if owner is None or owner == VIRTUAL_TOP:
            return owner
        return org.person_by_id[owner].name or owner

    def layer_of(owner: str | None) -> int | None:
        if owner is None:
            return None
        return 0 if owner == VIRTUAL_TOP else structure.layer_of(owner)

    spend_lines = []
    serving: dict[str, dict[str, None]] = defaultdict(dict)  # outcome unit -> spending units
    serving_amount: dict[str, float] = defaultdict(float)
    elsewhere = other_group = 0.0
    for line in org.budget:
        outcome = line.outcome_unit or line.unit
        owner = _owner_of_units(structure, (line.unit, outcome))
        unit_owner, outcome_owner = structure.unit_owner[line.unit], structure.unit_owner[outcome]
        spend_lines.append(
            SpendAccountability(
                id=line.id,
                unit=line.unit,
                outcome_unit=line.outcome_unit,
                amount=line.amount,
                owner=owner,
                owner_name=name_of(owner),
                owner_layer=layer_of(owner),
                same_owner=outcome == line.unit
                or (unit_owner is not None and unit_owner == outcome_owner),
            )
        )
        if line.outcome_unit is not None:
            serving[line.outcome_unit][line.unit] = None
            serving_amount[line.outcome_unit] += line.amount
            if line.outcome_unit != line.unit:
                elsewhere += line.amount
                if structure.group_of_unit(line.outcome_unit, level) != structure.group_of_unit(
                    line.unit, level
                ):
                    other_group += line.amount

    revenue_streams = []
    stream_owner: dict[str, str | None] = {}
    for stream in org.revenue:
        if stream.unit not in stream_owner:
            stream_owner[stream.unit] = _owner_of_units(
                structure, (stream.unit, *serving[stream.unit])
            )
        owner = stream_owner[stream.unit]
        revenue_streams.append(
            RevenueAccountability(
                stream=stream.stream,
                unit=stream.unit,
                amount=stream.amount,
                segment=stream.segment,
                spend_serving=serving_amount[stream.unit],
                owner=owner,
                owner_name=name_of(owner),
                owner_layer=layer_of(owner),
            )
        )

    total_spend = sum(line.amount for line in org.budget)
    return Accountability(
        spend_lines=tuple(spend_lines),
        revenue_streams=tuple(revenue_streams),
        spend_outcome_elsewhere_amount=elsewhere,
        spend_outcome_elsewhere_share=elsewhere / total_spend if total_spend > 0 else None,
        spend_outcome_other_group_share=other_group / total_spend if total_spend > 0 else None,
    )
