"""Who a resource of an event log is: a person of the workspace, by id, name or e-mail.

Pure mappings from an :class:`~orglens.model.Organization`, handed to the mining functions so
that events done by a person count for that person's unit (or its department at a level).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from orglens.model import Organization

__all__ = ["people_of_resources", "resource_functions", "resource_units"]


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


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def people_of_resources(org: Organization, resources: Iterable[str], /) -> dict[str, str]:
    """``{resource: person id}`` for the resources of an event log that name a person.

    A resource matches a person's id, name or e-mail address exactly, or else ignoring case and
    extra spaces (``ANNA.Berg@Acme.se`` is ``anna.berg@acme.se``); a name, or a text that
    several people share once case is ignored, matches nobody rather than the wrong person.
    Resources that match no one are left out.

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> org = Organization(people=[
    ...     Person(id="p1", name="Åsa Berg", email="asa@acme.example", unit="Sales"),
    ...     Person(id="p2", name="Bo Ek", unit="Sales")])
    >>> people_of_resources(org, ["ASA@ACME.EXAMPLE", "åsa  berg", "P2", "someone"])
    {'ASA@ACME.EXAMPLE': 'p1', 'åsa  berg': 'p1', 'P2': 'p2'}
    """
    exact = _keys(org)
    folded: dict[str, set[str]] = {}
    for person in org.people:
        for text in (person.id, person.name, person.email):
            if text:
                folded.setdefault(_folded(text), set()).add(person.id)
    found: dict[str, str] = {}
    for resource in resources:
        if resource in exact:
            found[resource] = exact[resource][0]
        elif len(ids := folded.get(_folded(resource), set())) == 1:
            found[resource] = next(iter(ids))
    return found


def _resource_keys(org: Organization, resources: Iterable[str] | None) -> dict[str, str]:
    """``{resource: person id}``: for the given ``resources``, or every text that names a
    person exactly."""
    if resources is None:
        return {key: ids[0] for key, ids in _keys(org).items()}
    return people_of_resources(org, resources)


def resource_units(
    org: Organization, /, *, level: int | None = None, resources: Iterable[str] | None = None
) -> dict[str, str]:
    """``{resource: unit}``: the person's unit at ``level`` (1 = department).

    With ``resources`` (an event log's resource names), the keys are those that match a person
    (see :func:`people_of_resources`: case is ignored); without, every id, unique name and
    e-mail address of the people.

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
    return {
        key: structure.group_of_person(person, used)
        for key, person in _resource_keys(org, resources).items()
    }


def resource_functions(
    org: Organization, /, *, resources: Iterable[str] | None = None
) -> dict[str, str]:
    """``{resource: function}``: the function of the person's unit, or of the nearest unit above
    it that has one (``sales``, ``marketing``...); people without any are left out. The keys
    are as for :func:`resource_units`."""
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
        key: function_of[structure.unit_of[person]]
        for key, person in _resource_keys(org, resources).items()
        if structure.unit_of[person] in function_of
    }
