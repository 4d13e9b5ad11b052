"""The cost of a scenario's change in time and money: the hours people spend in its forums and
the first-year cost (the metrics ``forum_hours_per_year`` and ``first_year_cost`` of
:data:`~orglens.scenarios.metrics.METRICS`).
"""

from __future__ import annotations

from orglens.model import DecisionSettings, Organization

__all__ = ["first_year_cost", "forum_hours"]


def forum_hours(org: Organization, /) -> dict[str, float]:
    """``{person: hours a year}`` each attendee spends in ``org``'s forums (the definition of
    ``forum_hours_per_year`` in :data:`~orglens.scenarios.metrics.METRICS`).

    Examples
    --------
    >>> from orglens.model import Forum, Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"), Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="mkt")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top"), Unit(id="mkt", parent="top")],
    ...     forums=[Forum(units=("sales", "mkt"), chair="ceo", meetings_per_year=10)])
    >>> forum_hours(org)
    {'ceo': 15.0, 's': 15.0, 'm': 15.0}
    """
    hours: dict[str, float] = {}
    for forum in org.forums:
        attendees = dict.fromkeys([forum.chair, *(p for u in forum.units for p in _leads(org, u))])
        for person in attendees:
            if person is not None:
                spent = forum.meetings_per_year * forum.hours_per_meeting
                hours[person] = hours.get(person, 0.0) + spent
    return hours


def _leads(org: Organization, unit: str) -> tuple[str, ...]:
    """Who sits in a forum for ``unit``: its head, else its members at the highest layer, else
    the owner of the unit above it."""
    structure = org.structure
    owner = structure.unit_owner[unit]
    return structure.unit_leads[unit] or (() if owner is None else (owner,))


def first_year_cost(
    today: Organization, scenario: Organization, /, *, decision: DecisionSettings
) -> float | None:
    """The cost of the change in its first year (see :data:`~orglens.scenarios.metrics.METRICS`);
    ``None`` when it values people at their cost (a forum attendee, or a moved person at a share
    of their cost) and the workspace gives nobody a cost: an unknown cost is not a cost of 0."""
    people = scenario.person_by_id
    attendees = forum_hours(scenario)
    before, after = today.structure.unit_of, scenario.structure.unit_of
    moved = [p for p in after if p in before and before[p] != after[p]]
    valued = [*attendees, *(moved if decision.move_cost_per_person is None else ())]
    if valued and not any(person.cost for person in today.people):
        return None
    forums = sum(
        hours * people[person].cost / decision.working_hours_per_year
        for person, hours in attendees.items()
    )
    if decision.move_cost_per_person is not None:
        moves = decision.move_cost_per_person * len(moved)
    else:
        moves = sum(decision.move_cost_share * people[p].cost for p in moved)
    return forums + moves
