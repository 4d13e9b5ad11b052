"""The declared customer journey: its steps, stages, cross-unit handoffs and common manager.

The process lens (:mod:`orglens.lenses.process`, where the terms are defined) reads the declared
journey with :func:`declared_journey` and measures it with :func:`journey_stages`,
:func:`declared_handoffs` and :func:`journey_common_manager`; :func:`funnel_stages` gives the
stages of the observed funnel. A journey mined from an event log can produce the same
:class:`Handoffs`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from orglens.lenses._common import Matrix, grouper, matrix_to_dict, resolve_level, rounded
from orglens.model import Organization

__all__ = [
    "CommonManager",
    "Handoffs",
    "JourneyStage",
    "JourneyStep",
    "declared_handoffs",
    "declared_journey",
    "funnel_stages",
    "journey_common_manager",
    "journey_stages",
]


@dataclass(frozen=True)
class JourneyStep:
    """One activity of the journey, with the unit doing it and that unit's group.

    ``volume_per_year`` is as declared; ``volume_used`` fills a missing volume with the previous
    known one (1 when none is known).
    """

    order: float
    stage: str
    activity: str
    unit: str | None
    group: str | None
    volume_per_year: float | None
    volume_used: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "stage": self.stage,
            "activity": self.activity,
            "unit": self.unit,
            "group": self.group,
            "volume_per_year": rounded(self.volume_per_year),
            "volume_used": rounded(self.volume_used),
        }


@dataclass(frozen=True)
class JourneyStage:
    """A stage of the journey: its distinct units and groups, in order of appearance."""

    stage: str
    units: tuple[str, ...]
    groups: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "units": list(self.units), "groups": list(self.groups)}


def _unit_of_role(org: Organization, role: str) -> str | None:
    wanted = role.strip().casefold()
    holders = Counter(p.unit for p in org.people if p.role.strip().casefold() == wanted)
    # most_common keeps first-seen order among equal counts: ties go to file order.
    return holders.most_common(1)[0][0] if holders else None


def declared_journey(org: Organization, /, *, level: int | None = None) -> tuple[JourneyStep, ...]:
    """The declared journey in ``order``, each activity with its unit, group and volume used.

    Parameters
    ----------
    org
        The organization.
    level
        Depth of the unit tree that groups units (``None``: ``org.settings.level``).

    Returns
    -------
    tuple of JourneyStep
        Sorted by ``order``, ties in file order. ``unit`` is the declared unit, or for an activity
        given by role the unit where most people with that role sit (ties by file order);
        ``None`` when neither is known, and then ``group`` is ``None`` too. ``volume_used`` is the
        declared volume, or the previous known volume when it is missing (1 when none is known).

    Examples
    --------
    >>> from orglens.model import JourneyActivity, Organization, Person
    >>> org = Organization(
    ...     people=[Person(id="m", unit="Marketing"), Person(id="s", unit="Sales", role="AE")],
    ...     journey=[
    ...         JourneyActivity(order=2, stage="Deal", activity="Demo", role="ae"),
    ...         JourneyActivity(order=1, stage="Lead", activity="Campaign", unit="Marketing",
    ...                         volume_per_year=500),
    ...     ],
    ... )
    >>> [(s.activity, s.unit, s.volume_used) for s in declared_journey(org)]
    [('Campaign', 'Marketing', 500.0), ('Demo', 'Sales', 500.0)]
    """
    group_of = grouper(org, resolve_level(org, level))
    steps: list[JourneyStep] = []
    previous_volume = 1.0
    for activity in sorted(org.journey, key=lambda a: a.order):
        unit = activity.unit
        if unit is None and activity.role:
            unit = _unit_of_role(org, activity.role)
        volume = activity.volume_per_year
        used = previous_volume if volume is None else volume
        previous_volume = used
        steps.append(
            JourneyStep(
                order=activity.order,
                stage=activity.stage,
                activity=activity.activity,
                unit=unit,
                group=None if unit is None else group_of(unit),
                volume_per_year=volume,
                volume_used=used,
            )
        )
    return tuple(steps)


def journey_stages(steps: Sequence[JourneyStep], /) -> tuple[JourneyStage, ...]:
    """The stages of a journey in order of first appearance, with who works in each.

    ``units`` (and ``groups``) are the distinct known units (groups) of the stage's activities,
    in journey order.

    Examples
    --------
    >>> steps = [
    ...     JourneyStep(1, "Lead", "Ads", "Demand gen", "Marketing", 100, 100),
    ...     JourneyStep(2, "Lead", "Call", "SDR", "Sales", 50, 50),
    ...     JourneyStep(3, "Lead", "Email", "Demand gen", "Marketing", 40, 40),
    ... ]
    >>> journey_stages(steps)[0].units
    ('Demand gen', 'SDR')
    """
    units: dict[str, dict[str, None]] = {}
    groups: dict[str, dict[str, None]] = {}
    for step in steps:
        units.setdefault(step.stage, {})
        groups.setdefault(step.stage, {})
        if step.unit is not None and step.group is not None:
            units[step.stage].setdefault(step.unit, None)
            groups[step.stage].setdefault(step.group, None)
    return tuple(
        JourneyStage(stage=stage, units=tuple(units[stage]), groups=tuple(groups[stage]))
        for stage in units
    )


def funnel_stages(org: Organization, /) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The declared journey's stages in order of first appearance, each with its activities in
    ``order`` (ties in file order): the stages of the observed funnel
    (:func:`orglens.mining.funnel`).

    Examples
    --------
    >>> from orglens.model import JourneyActivity, Organization, Person
    >>> org = Organization(people=[Person(id="m", unit="Marketing")], journey=[
    ...     JourneyActivity(order=3, stage="Deal", activity="Demo"),
    ...     JourneyActivity(order=1, stage="Lead", activity="Form"),
    ...     JourneyActivity(order=2, stage="Lead", activity="MQL"),
    ... ])
    >>> funnel_stages(org)
    (('Lead', ('Form', 'MQL')), ('Deal', ('Demo',)))
    """
    stages: dict[str, list[str]] = {}
    for activity in sorted(org.journey, key=lambda a: a.order):
        stages.setdefault(activity.stage, []).append(activity.activity)
    return tuple((stage, tuple(activities)) for stage, activities in stages.items())


@dataclass(frozen=True)
class Handoffs:
    """Transitions of a journey and the cross-unit handoffs among them (see the module doc)."""

    source: str
    cases_per_year: float
    transitions: int
    cross_unit_transitions: int
    handoffs_per_year: float
    cross_unit_handoffs_per_case: float | None
    matrix: Matrix

    def to_dict(self) -> dict[str, Any]:
        return {
            "handoff_source": self.source,
            "cases_per_year": rounded(self.cases_per_year),
            "transitions": self.transitions,
            "cross_unit_transitions": self.cross_unit_transitions,
            "handoffs_per_year": rounded(self.handoffs_per_year),
            "cross_unit_handoffs_per_case": rounded(self.cross_unit_handoffs_per_case),
            "handoff_matrix": matrix_to_dict(self.matrix),
        }


def declared_handoffs(steps: Sequence[JourneyStep], /) -> Handoffs | None:
    """Cross-unit handoffs of the declared journey, weighted by volume.

    Definitions (``v_i`` is the volume used of activity *i*):

    - cases per year = ``v`` of the first activity of the journey;
    - the chain is the activities whose unit is known; consecutive activities of the chain form
      a transition, which happens ``min(v_i, v_i+1)`` times a year, and is a cross-unit handoff
      when the two groups differ;
    - handoffs per year = the sum of ``min(v_i, v_i+1)`` over cross-unit transitions;
    - cross-unit handoffs per case = handoffs per year / cases per year (``None`` when there are
      no cases);
    - matrix = handoffs per year from source group to target group, cross-unit only.

    Returns ``None`` for an empty journey.

    Examples
    --------
    A funnel of 1000 campaign contacts, 100 demos and 30 deals, where marketing hands the
    demos to sales: 100 handoffs a year, 0.1 per case.

    >>> steps = [
    ...     JourneyStep(1, "Lead", "Campaign", "Mkt", "Mkt", 1000, 1000),
    ...     JourneyStep(2, "Deal", "Demo", "Sales", "Sales", 100, 100),
    ...     JourneyStep(3, "Deal", "Close", "Sales", "Sales", 30, 30),
    ... ]
    >>> h = declared_handoffs(steps)
    >>> h.handoffs_per_year, h.cross_unit_handoffs_per_case, h.transitions
    (100.0, 0.1, 2)
    """
    if not steps:
        return None
    cases = steps[0].volume_used
    chain = [s for s in steps if s.group is not None]
    matrix: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    handoffs_per_year = 0.0
    cross = 0
    for before, after in pairwise(chain):
        if before.group == after.group:
            continue
        assert before.group is not None and after.group is not None
        flow = min(before.volume_used, after.volume_used)
        cross += 1
        handoffs_per_year += flow
        matrix[before.group][after.group] += flow
    return Handoffs(
        source="declared journey",
        cases_per_year=cases,
        transitions=max(len(chain) - 1, 0),
        cross_unit_transitions=cross,
        handoffs_per_year=handoffs_per_year,
        cross_unit_handoffs_per_case=handoffs_per_year / cases if cases > 0 else None,
        matrix={source: dict(row) for source, row in matrix.items()},
    )


@dataclass(frozen=True)
class CommonManager:
    """A person who manages everyone concerned; ``is_top`` when it is the top of the company."""

    id: str
    name: str
    is_top: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "is_top": self.is_top}


def journey_common_manager(
    org: Organization, steps: Iterable[JourneyStep], /
) -> CommonManager | None:
    """The lowest common manager of the owners of every unit in the journey.

    A unit's owner is its head, else its most senior member, else the owner of its parent unit
    (:class:`~orglens.model.Structure`). ``None`` when no journey unit has an owner. When the
    owners sit under different tops the answer is :data:`~orglens.model.VIRTUAL_TOP`.

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> org = Organization(people=[
    ...     Person(id="ceo", name="Cleo", unit="Management"),
    ...     Person(id="m", manager_id="ceo", unit="Marketing"),
    ...     Person(id="s", manager_id="ceo", unit="Sales"),
    ... ])
    >>> steps = [JourneyStep(1, "Lead", "Ads", u, u, 1, 1) for u in ("Marketing", "Sales")]
    >>> journey_common_manager(org, steps)
    CommonManager(id='ceo', name='Cleo', is_top=True)
    """
    structure = org.structure
    units = dict.fromkeys(s.unit for s in steps if s.unit is not None)
    owners = [owner for u in units if (owner := structure.unit_owner[u]) is not None]
    manager = structure.lowest_common_manager(owners)
    if manager is None:
        return None
    person = org.person_by_id.get(manager)
    name = (person.name or person.id) if person is not None else manager
    return CommonManager(id=manager, name=name, is_top=manager == structure.top)
