"""Competences for the HR lens: how each competence spreads over units and groups, the
discipline fit of managers and their people, and the chapters people keep a dotted line to.

The measures are defined in :mod:`orglens.lenses.hr`, which assembles them into its
:class:`~orglens.lenses.hr.HrResult`.

Examples
--------
>>> from orglens.model import Organization, Person
>>> org = Organization(people=[
...     Person(id="ceo", unit="Management", competences=("selling",)),
...     Person(id="s1", manager_id="ceo", unit="Sales", competences=("selling",)),
...     Person(id="m1", manager_id="ceo", unit="Marketing", competences=("selling",)),
... ])
>>> [(c.competence, c.holders, c.groups, c.dispersion) for c in competence_spread(org, 1)]
[('selling', 3, 3, 0.6666666666666667)]
>>> discipline_fit(org)
(1.0, 2)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from orglens.lenses._common import rounded
from orglens.model import Organization

__all__ = ["Chapter", "CompetenceSpread", "chapters", "competence_spread", "discipline_fit"]


@dataclass(frozen=True)
class CompetenceSpread:
    """How one competence is spread over the units and the groups at the analysed level.

    ``dispersion`` is counted across the groups (departments by default, those of one declared
    function as one group, named by the function), not the units.
    """

    competence: str
    holders: int
    units: int
    unit_ids: tuple[str, ...]
    groups: int
    group_ids: tuple[str, ...]
    dispersion: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "competence": self.competence,
            "holders": self.holders,
            "units": self.units,
            "unit_ids": list(self.unit_ids),
            "groups": self.groups,
            "group_ids": list(self.group_ids),
            "dispersion": rounded(self.dispersion),
        }


@dataclass(frozen=True)
class Chapter:
    """A discipline home ("chapter") that people keep a dotted line to from other units (pods).

    ``head`` is the chapter unit's owner: who develops its members in their craft.
    ``discipline_fit`` is the share of ``members`` whose first competence the head holds.
    """

    unit: str
    head: str | None
    members: int
    discipline_fit: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "head": self.head,
            "members": self.members,
            "discipline_fit": rounded(self.discipline_fit),
        }


def competence_spread(org: Organization, level: int) -> tuple[CompetenceSpread, ...]:
    # One flat count per (competence, unit): the hot loop runs once per person and competence.
    pair_count: dict[tuple[str, str], int] = {}
    for p in org.people:
        unit = p.unit
        for competence in dict.fromkeys(p.competences):  # a competence listed twice counts once
            key = (competence, unit)
            pair_count[key] = pair_count.get(key, 0) + 1
    per_competence: dict[str, dict[str, int]] = defaultdict(dict)
    for (competence, unit), count in pair_count.items():
        per_competence[competence][unit] = count
    group_of: dict[str, str] = {}
    result = []
    for competence in sorted(per_competence):
        counts = per_competence[competence]
        holders = sum(counts.values())
        per_group: Counter[str] = Counter()
        for unit, count in counts.items():
            if unit not in group_of:
                group_of[unit] = _competence_group(org, unit, level)
            per_group[group_of[unit]] += count
        result.append(
            CompetenceSpread(
                competence=competence,
                holders=holders,
                units=len(counts),
                unit_ids=tuple(sorted(counts)),
                groups=len(per_group),
                group_ids=tuple(sorted(per_group)),
                dispersion=1 - max(per_group.values()) / holders,
            )
        )
    return tuple(result)


def _competence_group(org: Organization, unit: str, level: int) -> str:
    """The group ``unit`` counts in: its unit at ``level``; at level 1 a department's function.

    Departments of one declared function are one discipline home (regional sales departments
    are all sales), as the builtin designs take them together; below level 1 the units asked
    for are compared as they are.
    """
    group = org.structure.group_of_unit(unit, level)
    record = org.unit_by_id.get(group)
    if level == 1 and record is not None and record.function:
        return record.function
    return group


def discipline_fit(org: Organization) -> tuple[float | None, int]:
    """Share of people whose first competence is among their manager's, and how many counted."""
    by_id = org.person_by_id
    counted = fitting = 0
    for p in org.people:
        if p.manager_id is None or not p.competences:
            continue
        manager_competences = by_id[p.manager_id].competences
        if not manager_competences:
            continue
        counted += 1
        fitting += p.competences[0] in manager_competences
    return (fitting / counted if counted else None), counted


def chapters(org: Organization) -> tuple[Chapter, ...]:
    """Who keeps a dotted line to which chapter, and whether its head shares their discipline."""
    structure = org.structure
    members: dict[str, list[str]] = defaultdict(list)
    for person in org.people:
        if person.chapter is not None and person.chapter != person.unit:
            members[person.chapter].append(person.id)
    chapters = []
    for unit in sorted(members):
        head = structure.unit_owner.get(unit)
        skills = org.person_by_id[head].competences if head is not None else ()
        counted = [org.person_by_id[pid] for pid in members[unit]]
        counted = [p for p in counted if p.competences]
        fit = (
            sum(p.competences[0] in skills for p in counted) / len(counted)
            if counted and skills
            else None
        )
        chapters.append(Chapter(unit, head, len(members[unit]), fit))
    return tuple(chapters)
