"""Who a resource of an event log is: a person of the workspace, by id, name or e-mail.

Pure mappings from an :class:`~orglens.model.Organization`, handed to the mining functions so
that events done by a person count for that person's unit (or its department at a level).
"""

from __future__ import annotations

from collections import Counter

from orglens.model import Organization

__all__ = ["resource_functions", "resource_units"]


def _keys(org: Organization) -> dict[str, list[str]]:
    """Every text an event log may use for a person → the ids of the people it can mean.

    Ids always match; a name or an e-mail address (also in lower case) matches when only one
    person has it, so that two people with the same name never get mixed up.
    """
    names = Counter(p.name for p in org.people if p.name)
    keys: dict[str, list[str]] = {p.id: [p.id] for p in org.people}
    for person in org.people:
        aliases = []
        if person.name and names[person.name] == 1:
            aliases.append(person.name)
        if person.email:
            aliases += [person.email, person.email.lower()]
        for alias in aliases:
            keys.setdefault(alias, [person.id])
    return keys


def resource_units(org: Organization, /, *, level: int | None = None) -> dict[str, str]:
    """``{resource: unit}``: the person's unit at ``level`` (1 = department).

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> org = Organization(people=[Person(id="p1", name="Åsa", unit="Sales",
    ...                                   email="Asa@acme.example")])
    >>> resource_units(org)
    {'p1': 'Sales', 'Åsa': 'Sales', 'Asa@acme.example': 'Sales', 'asa@acme.example': 'Sales'}
    """
    used = org.settings.level if level is None else level
    structure = org.structure
    return {key: structure.group_of_person(ids[0], used) for key, ids in _keys(org).items()}


def resource_functions(org: Organization, /) -> dict[str, str]:
    """``{resource: function}``: the function of the person's unit, or of the nearest unit above
    it that has one (``sales``, ``marketing``...); people without any are left out."""
    structure = org.structure
    function_of: dict[str, str] = {}
    for unit in org.units:
        current: str | None = unit.id
        while current is not None:
            found = org.unit_by_id[current].function
            if found:
                function_of[unit.id] = found
                break
            current = structure.unit_parent[current]
    return {
        key: function_of[structure.unit_of[ids[0]]]
        for key, ids in _keys(org).items()
        if structure.unit_of[ids[0]] in function_of
    }
