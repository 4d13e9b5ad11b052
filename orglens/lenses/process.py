"""The process lens: how the work flows to the customer, and where it crosses unit boundaries.

The process perspective is the one the customer experiences: the customer journey. This lens
reads the declared journey (``journey.csv``) and the declared coordination needs
(``coordination.csv``) and measures them at a *level* of the unit tree (``level``, by default
``settings.level``; see :mod:`orglens.model.structure`): at level 1 every unit counts as its
department, a unit directly below the top unit; people of the top unit form their own group; at
level 0 the whole company is one group; deeper levels count between smaller units. Two units are
"the same" when they fall in the same group.

Definitions:

- **journey**: the declared activities sorted by ``order`` (ties keep file order). An activity
  given by ``role`` instead of ``unit`` is done by the unit where most people with that role
  (case-insensitive) sit, ties by file order.
- **volume used**: an activity's ``volume_per_year``; a missing volume counts as the previous
  known volume, or 1 when no earlier activity has one.
- **handoff chain**: the journey activities whose unit is known. A *transition* is a pair of
  consecutive activities of the chain; it is a *cross-unit handoff* when their groups differ.
- **cases per year**: the volume used of the first journey activity. A transition from activity
  *i* to *i+1* happens ``min(v_i, v_i+1)`` times a year (the cases that reach both).
- **handoffs per year**: the sum of ``min(v_i, v_i+1)`` over the cross-unit transitions.
- **cross-unit handoffs per case**: handoffs per year / cases per year.
- **handoff matrix**: handoffs per year from each source group to each target group, over
  cross-unit transitions only.
- **journey common manager**: the lowest common manager of the owners of every unit in the
  journey (is it the top person, i.e. the CEO?).
- **coordination**: each need's source and target (a person id or a unit id) map to their group;
  a need is cross-unit when the groups differ. The matrix holds the weight between every pair of
  groups, within-group cells (the diagonal) included; the cross-unit share is the cross-unit weight
  over the total weight.

The declared journey is read by :func:`declared_journey` and measured by
:func:`declared_handoffs`; a journey mined from an event log can produce the same
:class:`Handoffs`. Those live in :mod:`orglens.lenses.journey`, the coordination matrix in
:mod:`orglens.lenses.coordination`; this module assembles them into :class:`ProcessResult`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orglens.lenses._common import resolve_level
from orglens.lenses.coordination import Coordination, coordination_matrix
from orglens.lenses.journey import (
    CommonManager,
    Handoffs,
    JourneyStage,
    JourneyStep,
    declared_handoffs,
    declared_journey,
    journey_common_manager,
    journey_stages,
)
from orglens.model import Organization

if TYPE_CHECKING:
    from orglens.mining import ObservedJourney

__all__ = [
    "ProcessResult",
    "analyze",
]

_HANDOFF_KEYS = (
    "handoff_source",
    "cases_per_year",
    "transitions",
    "cross_unit_transitions",
    "handoffs_per_year",
    "cross_unit_handoffs_per_case",
    "handoff_matrix",
)


@dataclass(frozen=True)
class ProcessResult:
    """The process lens of one organization at one level (see the module doc for definitions).

    ``to_dict()`` keys: ``level``, ``groups``, ``journey``, ``stages``, ``handoff_source``,
    ``cases_per_year``, ``transitions``, ``cross_unit_transitions``, ``handoffs_per_year``,
    ``cross_unit_handoffs_per_case``, ``handoff_matrix``, ``journey_common_manager``,
    ``coordination`` (``needs``, ``total_weight``, ``cross_unit_weight``, ``cross_unit_share``,
    ``matrix``), ``observed`` (see :class:`orglens.mining.ObservedJourney`: with an event log,
    also its ``funnel`` by the stages of :func:`funnel_stages` and its ``handoff_sla``). Without
    a journey the handoff numbers and the common manager are ``None`` and the matrix is empty.
    """

    level: int
    groups: tuple[str, ...]
    journey: tuple[JourneyStep, ...]
    stages: tuple[JourneyStage, ...]
    handoffs: Handoffs | None
    journey_common_manager: CommonManager | None
    coordination: Coordination
    observed: ObservedJourney | None = None

    def to_dict(self) -> dict[str, Any]:
        handoffs: dict[str, Any] = (
            self.handoffs.to_dict()
            if self.handoffs is not None
            else dict.fromkeys(_HANDOFF_KEYS) | {"handoff_matrix": {}}
        )
        return {
            "level": self.level,
            "groups": list(self.groups),
            "journey": [step.to_dict() for step in self.journey],
            "stages": [stage.to_dict() for stage in self.stages],
            **handoffs,
            "journey_common_manager": None
            if self.journey_common_manager is None
            else self.journey_common_manager.to_dict(),
            "coordination": self.coordination.to_dict(),
            "observed": None if self.observed is None else self.observed.to_dict(),
        }


def analyze(
    org: Organization,
    /,
    *,
    level: int | None = None,
    observed: ObservedJourney | None = None,
) -> ProcessResult:
    """Look at ``org`` through the process lens: journey, handoffs, common manager, coordination.

    Parameters
    ----------
    org
        The organization.
    level
        Depth of the unit tree at which cross-unit measures count (``None``:
        ``org.settings.level``, 1 = departments; 0 = the whole company).
    observed
        The journey mined from the event log at the same level
        (:func:`orglens.mining.observe`), shown next to the declared one.

    Returns
    -------
    ProcessResult
        ``groups`` are the groups that appear in the journey or in a coordination need, sorted.

    Raises
    ------
    UsageError
        When ``level`` is negative.

    Examples
    --------
    >>> from orglens.model import JourneyActivity, Organization, Person
    >>> org = Organization(
    ...     people=[
    ...         Person(id="ceo", unit="Management"),
    ...         Person(id="m", manager_id="ceo", unit="Marketing"),
    ...         Person(id="s", manager_id="ceo", unit="Sales"),
    ...     ],
    ...     journey=[
    ...         JourneyActivity(order=1, stage="Lead", activity="Campaign", unit="Marketing",
    ...                         volume_per_year=1000),
    ...         JourneyActivity(order=2, stage="Deal", activity="Demo", unit="Sales",
    ...                         volume_per_year=200),
    ...     ],
    ... )
    >>> result = analyze(org).to_dict()
    >>> result["cross_unit_handoffs_per_case"], result["journey_common_manager"]["is_top"]
    (0.2, True)
    """
    used_level = resolve_level(org, level)
    steps = declared_journey(org, level=used_level)
    coordination = coordination_matrix(org, level=used_level)
    groups = {s.group for s in steps if s.group is not None}
    groups.update(coordination.matrix)
    for row in coordination.matrix.values():
        groups.update(row)
    return ProcessResult(
        level=used_level,
        groups=tuple(sorted(groups)),
        journey=steps,
        stages=journey_stages(steps),
        handoffs=declared_handoffs(steps),
        journey_common_manager=journey_common_manager(org, steps),
        coordination=coordination,
        observed=observed,
    )
