"""Teams and headcount for the HR lens: each unit's size as a team, its group layer, and its
headcount, FTE and people cost, own and rolled up over its sub-units.

The measures are defined in :mod:`orglens.lenses.hr`, which assembles them into its
:class:`~orglens.lenses.hr.HrResult`.

Examples
--------
>>> from orglens.model import Organization, Person
>>> org = Organization(people=[
...     Person(id="ceo", unit="Management"),
...     Person(id="s1", manager_id="ceo", unit="Sales"),
...     Person(id="s2", manager_id="ceo", unit="Sales"),
... ])
>>> teams = team_sizes(org, unit_headcounts(org))
>>> [(t.unit, t.members, t.not_counted) for t in teams]
[('Management', 1, 'only its head'), ('Sales', 2, None)]
>>> teams_not_counted(teams)
{'no own members': 0, 'only its head': 1, "its head's staff, above sub-units": 0}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from orglens.lenses._common import roll_up, rounded
from orglens.model import Organization

__all__ = ["TeamSize", "UnitHeadcount", "team_sizes", "teams_not_counted", "unit_headcounts"]

#: Why a unit is not judged as a team (``TeamSize.not_counted``).
_NO_OWN_MEMBERS = "no own members"
_ONLY_ITS_HEAD = "only its head"
_HEADS_STAFF = "its head's staff, above sub-units"


@dataclass(frozen=True)
class TeamSize:
    """A unit seen as a team: own ``members`` and ``total_headcount`` with its sub-units.

    ``within_range`` is ``None`` when the unit is not judged as a team; ``not_counted`` says why
    (``"no own members"``, ``"only its head"``, ``"its head's staff, above sub-units"``). A unit
    without a head that several managers share holds one team per manager: ``lead`` names the
    manager, ``members`` counts them and the people below them in the unit.
    """

    unit: str
    name: str
    members: int
    within_range: bool | None
    total_headcount: int
    group_layer: int | None
    not_counted: str | None
    lead: str | None = None

    def to_dict(self) -> dict[str, Any]:
        found = asdict(self)
        if self.lead is None:
            del found["lead"]
        return found


@dataclass(frozen=True)
class UnitHeadcount:
    """Headcount, FTE and people cost of a unit: own members, and ``total_*`` with sub-units."""

    unit: str
    name: str
    function: str | None
    headcount: int
    fte: float
    people_cost: float
    total_headcount: int
    total_fte: float
    total_people_cost: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "function": self.function,
            "headcount": self.headcount,
            "fte": rounded(self.fte),
            "people_cost": rounded(self.people_cost),
            "total_headcount": self.total_headcount,
            "total_fte": rounded(self.total_fte),
            "total_people_cost": rounded(self.total_people_cost),
        }


def unit_headcounts(org: Organization) -> tuple[UnitHeadcount, ...]:
    """Headcount, FTE and people cost of every unit (file order), own and with sub-units."""
    structure = org.structure
    headcount: dict[str, float] = {u.id: 0.0 for u in org.units}
    fte: dict[str, float] = dict(headcount)
    cost: dict[str, float] = dict(headcount)
    for p in org.people:
        headcount[p.unit] += 1
        fte[p.unit] += p.fte
        cost[p.unit] += p.cost
    total_headcount = roll_up(structure, headcount)
    total_fte = roll_up(structure, fte)
    total_cost = roll_up(structure, cost)
    return tuple(
        UnitHeadcount(
            unit=u.id,
            name=u.name or u.id,
            function=u.function,
            headcount=int(headcount[u.id]),
            fte=fte[u.id],
            people_cost=cost[u.id],
            total_headcount=int(total_headcount[u.id]),
            total_fte=total_fte[u.id],
            total_people_cost=total_cost[u.id],
        )
        for u in org.units
    )


def team_sizes(org: Organization, units: tuple[UnitHeadcount, ...]) -> tuple[TeamSize, ...]:
    """Each unit of ``units`` as a team against ``settings.team_size``, with its group layer."""
    low, high = org.settings.team_size
    layers = sorted(org.settings.group_layers)
    teams = []
    for u in units:
        not_counted = _not_a_team(org, u.unit)
        group_layer = next((size for size in layers if size >= u.total_headcount), None)
        shared = None if not_counted else _teams_of_leads(org, u.unit)
        if shared:
            for lead, members in shared:
                person = org.person_by_id[lead]
                teams.append(
                    TeamSize(
                        unit=u.unit,
                        name=f"{u.name} ({person.name or person.id})",
                        members=members,
                        within_range=low <= members <= high,
                        total_headcount=u.total_headcount,
                        group_layer=group_layer,
                        not_counted=None,
                        lead=lead,
                    )
                )
            continue
        teams.append(
            TeamSize(
                unit=u.unit,
                name=u.name,
                members=u.headcount,
                within_range=None if not_counted else low <= u.headcount <= high,
                total_headcount=u.total_headcount,
                group_layer=group_layer,
                not_counted=not_counted,
            )
        )
    return tuple(teams)


def _not_a_team(org: Organization, unit: str) -> str | None:
    """Why ``unit`` is no team to judge by size, or ``None``: it has no own members, its only
    member is its head, or it holds sub-units (its own members are its head's staff: the
    teams are below)."""
    structure = org.structure
    members = structure.unit_members[unit]
    if not members:
        return _NO_OWN_MEMBERS
    if members == (structure.unit_owner[unit],):
        return _ONLY_ITS_HEAD
    if structure.unit_children[unit]:
        return _HEADS_STAFF
    return None


def _teams_of_leads(org: Organization, unit: str) -> list[tuple[str, int]] | None:
    """``[(lead, members)]`` when several of the unit's leads manage people in it and every
    member is one of them or below one of them; else ``None`` (the unit is one team)."""
    structure = org.structure
    leads = structure.unit_leads[unit]
    if len(leads) < 2 or org.unit_by_id[unit].head is not None:
        return None
    in_unit = set(structure.unit_members[unit])
    size = dict.fromkeys(leads, 1)
    for person in in_unit - set(leads):
        above = structure.manager[person]
        while above is not None and above in in_unit and above not in size:
            above = structure.manager[above]
        if above not in size:
            return None
        size[above] += 1
    if sum(1 for count in size.values() if count > 1) < 2:
        return None
    return sorted(size.items())


def teams_not_counted(teams: tuple[TeamSize, ...]) -> dict[str, int]:
    """How many units are no team to judge, per reason (every reason, zeros included)."""
    return {
        reason: sum(1 for t in teams if t.not_counted == reason)
        for reason in (_NO_OWN_MEMBERS, _ONLY_ITS_HEAD, _HEADS_STAFF)
    }
