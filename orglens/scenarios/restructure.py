"""The operations that change units and reporting lines one step at a time: merge, move, split,
and the forum that changes neither. Pods are in :mod:`orglens.scenarios.pods`.

Each function edits a :class:`~orglens.scenarios._draft.Draft` of the organization; the words
*owner*, *most senior*, *common parent* and *best-placed head* are defined there.
"""

from __future__ import annotations

from orglens.model import (
    VIRTUAL_TOP,
    Forum,
    HoldForum,
    MergeUnits,
    MovePeople,
    Person,
    SplitUnit,
    Unit,
)
from orglens.scenarios._draft import Draft

__all__ = ["hold_forum", "merge_units", "move_people", "split_unit"]

_PERSON_FIELDS = ("location", "role", "work_mode")


def merge_units(draft: Draft, op: MergeUnits) -> None:
    """A new department above the merged units, headed by ``op.head`` or the best-placed head.

    The new department takes the merged units' shared function (none when they differ). Its
    head reports to the lowest common manager of the merged units' owners and the head, and the
    other owners now report to the head.
    """
    units = [draft.unit(ref) for ref in op.units]
    head = draft.person(op.head) if op.head is not None else None
    if op.id is not None and op.id in draft.units:
        draft.problems.append(
            draft.problem(f"unit id {op.id!r} already exists", "choose a new id, or leave it out")
        )
    draft.raise_problems()
    draft.separate_units(units)
    head = head or draft.best_placed_head(units)
    if head is None:
        draft.refuse(
            f"none of the units {units} has a head or people", "name the head with head: PERSON_ID"
        )
    functions = {draft.org.unit_by_id[u].function for u in units}
    department = draft.new_unit_id(op.id or op.name)
    draft.add_unit(
        Unit(
            id=department,
            name=op.name,
            parent=draft.common_parent(units),
            head=head,
            function=functions.pop() if len(functions) == 1 else None,
        )
    )
    for unit in units:
        draft.change_unit(unit, parent=department)
    owners = [owner for u in units if (owner := draft.structure.unit_owner[u]) is not None]
    boss = draft.place_head(head, owners)
    for owner in owners:
        if owner not in (head, boss):
            draft.change_person(owner, manager_id=head)
    draft.cycle_fix = "name a head who is not managed by the head of another merged unit"


def move_people(draft: Draft, op: MovePeople) -> None:
    """The selected people move to ``op.to`` and report to its owner (except the owner)."""
    target = draft.unit(op.to)
    moved = [draft.person(ref) for ref in op.people] if op.people else _holders(draft, op)
    draft.raise_problems()
    owner = draft.structure.unit_owner[target]
    if owner is None:
        draft.warnings.append(f"unit {target!r} has no head: the people moved keep their managers")
    for person in dict.fromkeys(moved):
        if owner is None or person == owner:
            draft.change_person(person, unit=target)
        else:
            draft.change_person(person, unit=target, manager_id=owner)
    draft.cycle_fix = (
        f"move the people who report to them first, or choose another unit than {target!r}"
    )


def _holders(draft: Draft, op: MovePeople) -> list[str]:
    """The people with ``op.role`` or ``op.competence`` (ignoring case and spaces)."""
    if op.role is not None:
        what, wanted = "role", op.role.strip().casefold()
        found = [p.id for p in draft.org.people if p.role.strip().casefold() == wanted]
    else:
        assert op.competence is not None
        what, wanted = "competence", op.competence.strip().casefold()
        found = [
            p.id
            for p in draft.org.people
            if any(c.strip().casefold() == wanted for c in p.competences)
        ]
    if not found:
        draft.problems.append(
            draft.problem(
                f"nobody has the {what} {wanted!r}", f"use a {what} written in people.csv"
            )
        )
    return found


def split_unit(draft: Draft, op: SplitUnit) -> None:
    """One sub-unit of ``op.unit`` per value of ``op.by`` among its own members.

    The unit's owner and members without a value stay. A sub-unit (id ``UNIT-VALUE``, named
    ``NAME VALUE``, with the unit's function) is headed by the most senior of its group, who
    reports to the unit's owner; the rest of the group reports to that head.
    """
    unit = draft.unit(op.unit)
    draft.raise_problems()
    owner = draft.structure.unit_owner[unit]
    groups: dict[str, list[str]] = {}
    for person in draft.structure.unit_members[unit]:
        value = split_value(draft.org.person_by_id[person], op.by)
        if person != owner and value is not None:
            groups.setdefault(value, []).append(person)
    if not groups:
        draft.refuse(
            f"no member of unit {unit!r} (besides its head) has a {op.by}",
            "split by segment, location, role, work_mode or a column people.csv fills in",
        )
    original = draft.org.unit_by_id[unit]
    for value, group in groups.items():
        head = draft.most_senior(group)
        sub_unit = draft.new_unit_id(f"{unit}-{value}")
        draft.add_unit(
            Unit(
                id=sub_unit,
                name=f"{original.name or unit} {value}",
                parent=unit,
                head=head,
                function=original.function,
                attributes={op.by: value},
            )
        )
        for person in group:
            if person != head:
                draft.change_person(person, unit=sub_unit, manager_id=head)
            elif owner is not None:
                draft.change_person(person, unit=sub_unit, manager_id=owner)
            else:
                draft.change_person(person, unit=sub_unit)
    draft.cycle_fix = f"split {unit!r} by another attribute, or give it a head"


def split_value(person: Person, by: str) -> str | None:
    """A person's value of ``by``, stripped; ``None`` when empty.

    ``segment`` (or ``segments``) is the first listed segment; ``location``, ``role`` and
    ``work_mode`` are the person's fields; anything else is an extra column of ``people.csv``
    (exact name, else ignoring case). ``region`` without such a column is the location.

    Examples
    --------
    >>> from orglens.model import Person
    >>> p = Person(id="a", unit="u", segments=("smb", "enterprise"), attributes={"Tier": "2"})
    >>> split_value(p, "segment"), split_value(p, "tier"), split_value(p, "location")
    ('smb', '2', None)
    """
    key = by.strip()
    value: str | None
    if key.casefold() in ("segment", "segments"):
        value = person.segments[0] if person.segments else None
    elif key.casefold() in _PERSON_FIELDS:
        value = getattr(person, key.casefold())
    else:
        folded = {name.casefold(): text for name, text in person.attributes.items()}
        value = person.attributes.get(key, folded.get(key.casefold()))
        if value is None and key.casefold() == "region":
            value = person.location
    value = (value or "").strip()
    return value or None


def hold_forum(draft: Draft, op: HoldForum) -> None:
    """A :class:`~orglens.model.Forum` of ``op.units`` chaired by ``op.chair`` or the top person.

    Without a name, the forum is named after its units (``Sales & Marketing forum``).
    """
    units = [draft.unit(ref) for ref in op.units]
    chair = draft.person(op.chair) if op.chair is not None else draft.structure.top
    draft.raise_problems()
    draft.separate_units(units)
    if chair == VIRTUAL_TOP:
        draft.refuse(
            "several people have no manager, so there is no top person to chair the forum",
            "name the chair with chair: PERSON_ID",
        )
    names = [draft.org.unit_by_id[u].name or u for u in units]
    name = op.name or f"{' & '.join(names)} forum"
    draft.forums.append(
        Forum(
            name=name,
            units=tuple(units),
            chair=chair,
            meetings_per_year=op.meetings_per_year,
            hours_per_meeting=op.hours_per_meeting,
        )
    )
