"""Apply a scenario: today's organization in, the designed organization out (pure).

What each operation does (the words *owner*, *most senior*, *common parent* and *best-placed
head* are defined in :mod:`orglens.scenarios._draft`):

- ``merge``: the units become teams of one new department, under their common parent, headed
  by the given head or the best-placed head, who now manages the other units' owners. At level
  1 the merged departments count as one; at level 2 they stay separate teams. (Units with
  different parents leave their departments for the new one, so handoffs within those old
  departments can become cross-unit.)
- ``move``: people (by id, role or competence) move to a unit and report to its owner.
- ``split``: a unit's members are divided into sub-units by segment, location, role or any
  column, each under its most senior member, who reports to the unit's owner.
- ``pods``: cross-functional pods per journey stage or segment, members keeping a ``chapter``
  (:mod:`orglens.scenarios.pods`).
- ``forum``: no structural change; a :class:`~orglens.model.Forum` under a chair.

After all operations, **the work follows the people**: a journey activity or a coordination
need declared for a unit U (a unit of today's organization) moves to another unit when fewer than
half of U's people today (U and the units below it) still sit in U or below it: to the lowest
unit that now holds more than half of them (none: it stays). Merges, splits and forums never
move it; moving all SDRs to demand generation moves the SDRs' journey activities with them. Budget
lines, revenue and segment owners stay with their units (a budget belongs to whoever holds it).

Warnings of the scenario (a pod without a seller, a manager whose span rises above
``settings.span_range``...) are added to the organization's ``warnings``, each starting with
the scenario's name.
"""

from __future__ import annotations

from orglens.model import CoordinationNeed, JourneyActivity, Operation, Organization, Scenario
from orglens.scenarios._draft import Draft, rebuild
from orglens.scenarios.operations import OPERATIONS

__all__ = ["apply", "apply_operation"]


def apply(org: Organization, scenario: Scenario, /) -> Organization:
    """The organization ``scenario`` designs from ``org``; ``org`` itself is never changed.

    Parameters
    ----------
    org
        Today's organization.
    scenario
        Its operations are applied in order, each to the result of the one before.

    Returns
    -------
    Organization
        A new, fully validated organization (``org`` itself for a scenario without operations,
        an organization being immutable), whose ``warnings`` add the scenario's warnings.

    Raises
    ------
    InvalidWorkspace
        When an operation names a unit or a person that does not exist (all such problems of
        that operation at once, at the file and line the operation was written on).
    UsageError
        When an operation cannot work on this organization (units inside one another, nothing
        to split, reporting lines that would form a cycle...).

    Examples
    --------
    >>> from orglens.model import Organization, Person, Unit
    >>> from orglens.model import MergeUnits
    >>> org = Organization(
    ...     people=[
    ...         Person(id="ceo", unit="top"),
    ...         Person(id="s", manager_id="ceo", unit="sales"),
    ...         Person(id="s2", manager_id="s", unit="sales"),
    ...         Person(id="m", manager_id="ceo", unit="marketing"),
    ...     ],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top", head="s"),
    ...            Unit(id="marketing", parent="top", head="m")],
    ... )
    >>> merged = apply(org, Scenario(name="revenue", operations=[
    ...     MergeUnits(units=("sales", "marketing"), name="Revenue")]))
    >>> merged.unit_by_id["revenue"].head, merged.unit_by_id["marketing"].parent
    ('s', 'revenue')
    >>> merged.person_by_id["m"].manager_id, org.person_by_id["m"].manager_id
    ('s', 'ceo')
    """
    if not scenario.operations:
        return org
    current = org
    for number, operation in enumerate(scenario.operations, start=1):
        current = apply_operation(current, operation, scenario.name, number)
    current = _follow_people(org, current)
    warnings = [*current.warnings[len(org.warnings) :], *_span_warnings(org, current)]
    return rebuild(
        current,
        warnings=(*org.warnings, *(f"{scenario.name}: {warning}" for warning in warnings)),
    )


def apply_operation(
    org: Organization, operation: Operation, scenario: str = "", number: int = 1
) -> Organization:
    """``org`` after one operation (the work does not follow the people here, see :func:`apply`).

    ``scenario`` and ``number`` label problems: ``scenario 'x', operation 2 (merge): ...``.
    """
    where = f"operation {number} ({operation.op})"
    label = f"scenario {scenario!r}, {where}" if scenario else where
    draft = Draft(org, label, operation.origin)
    OPERATIONS[operation.op].apply(draft, operation)
    return draft.build()


def _follow_people(before: Organization, after: Organization) -> Organization:
    """``after`` with journey activities and unit coordination needs moved with their people."""
    moved = _moved_work(before, after)
    if not moved:
        return after
    journey = tuple(
        _moved_activity(activity, moved[activity.unit]) if activity.unit in moved else activity
        for activity in after.journey
    )
    coordination = tuple(_moved_need(need, moved) for need in after.coordination)
    return rebuild(after, journey=journey, coordination=coordination)


def _moved_activity(activity: JourneyActivity, unit: str) -> JourneyActivity:
    return activity.model_copy(update={"unit": unit})


def _moved_need(need: CoordinationNeed, moved: dict[str, str]) -> CoordinationNeed:
    # A unit id wins over a person id of the same text, as in the process lens.
    source, target = moved.get(need.source, need.source), moved.get(need.target, need.target)
    return need.model_copy(update={"source": source, "target": target})


def _moved_work(before: Organization, after: Organization) -> dict[str, str]:
    """``{unit: unit its work moves to}`` for today's units whose people mostly left."""
    old, new = before.structure, after.structure
    moved: dict[str, str] = {}
    for unit in old.unit_depth:
        people = [p for u in old.unit_subtree(unit) for p in old.unit_members[u]]
        below = set(new.unit_subtree(unit))
        stayed = sum(1 for p in people if new.unit_of[p] in below)
        if 2 * stayed >= len(people):
            continue
        holding: dict[str, int] = {}
        for person in people:
            current: str | None = new.unit_of[person]
            while current is not None:
                holding[current] = holding.get(current, 0) + 1
                current = new.unit_parent[current]
        majority = [u for u, count in holding.items() if 2 * count > len(people)]
        if majority:
            moved[unit] = max(majority, key=new.unit_depth.__getitem__)
    return moved


def _span_warnings(before: Organization, after: Organization) -> list[str]:
    """A warning for each manager whose reports changed and whose span is now above range."""
    low, high = after.settings.span_range
    old = before.structure.reports
    warnings = []
    for manager, reports in after.structure.reports.items():
        changed = set(reports) != set(old.get(manager, ()))
        if changed and after.settings.span_flag(len(reports)) == "above range":
            name = after.person_by_id[manager].name or manager
            warnings.append(
                f"{name} ({manager}) would have {len(reports)} direct reports, "
                f"above the span range {low}-{high}"
            )
    return warnings
