"""The scorecard's metrics: what each one measures, which way is better, and how it is computed.

Every metric is measured on one organization (today's, or the one a scenario designs) at one
*level* of the unit tree (1 = departments, see :mod:`orglens.model.structure`), except the cost
of the change, which compares the scenario's organization with today's. :data:`METRICS` lists
them with their direction and definition, in the order the scorecard shows them; the
definitions are the documentation (``orglens compare`` prints them with ``--format json``).

This module holds the structure metrics and :func:`measure`, which gathers every metric; the
event log's metrics are :class:`~orglens.scenarios.history.History`'s, the forums' hours and
the first-year cost are in :mod:`orglens.scenarios.cost`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from orglens.model import VIRTUAL_TOP, DecisionSettings, Organization, Structure
from orglens.scenarios.cost import first_year_cost, forum_hours

if TYPE_CHECKING:
    from orglens.lenses import Analysis
    from orglens.model import Forum
    from orglens.scenarios.history import History

__all__ = [
    "METRICS",
    "Metric",
    "Value",
    "accountability_share",
    "change_cost",
    "escalation_distance",
    "measure",
    "rounded",
]

Better = Literal["lower", "higher"]
Value = int | float | None


@dataclass(frozen=True)
class Metric:
    """One metric of the scorecard: its ``key``, which way is ``better``, its ``definition``."""

    key: str
    better: Better
    definition: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "better": self.better, "definition": self.definition}


#: The scorecard's metrics, in the order they are shown.
METRICS: tuple[Metric, ...] = (
    Metric(
        "cross_unit_handoffs_per_case",
        "lower",
        "Declared journey: consecutive activities (those with a known unit) done in different "
        "groups at the level, each weighted by min(volume before, volume after), summed and "
        "divided by the volume of the first activity (the process lens). None without a "
        "journey.",
    ),
    Metric(
        "observed_cross_unit_handoffs_per_case",
        "lower",
        "Event log re-mapped to the scenario: every succession between two events of people of "
        "the workspace (other events are left out first) whose people sit in different groups "
        "at the level of the scenario's organization, divided by the number of cases in the "
        "log. None without an event log.",
    ),
    Metric(
        "expected_handoff_wait_s",
        "lower",
        "Expected waiting at handoffs per case, in seconds: the successions of the re-mapped "
        "event log that cross groups in the scenario, each counted at the median wait of "
        "today's cross-unit successions, summed and divided by the number of cases (0 for a "
        "design without handoffs: waits within a unit are not handoff waits). None without an "
        "event log, or when the scenario has handoffs and today's log has none to time them.",
    ),
    Metric(
        "coordination_cross_unit_share",
        "lower",
        "Declared coordination needs: the weight of needs whose two sides (a unit, or a "
        "person's unit) fall in different groups at the level, over the total weight. None "
        "without needs.",
    ),
    Metric(
        "escalation_distance",
        "lower",
        "Per declared coordination need between two parties (a person, or a unit standing for "
        "its owner): the reporting steps from each party up to their lowest common manager, "
        "summed. When a forum holds both parties' units (each party's unit inside a different "
        "unit of the forum), escalation can stop there instead: the steps from each party to "
        "the owner of its forum unit, plus 1 for the forum where the two heads meet; the "
        "shorter way counts. The mean over needs, weighted by their weight; needs with a side "
        "that has no owner, needs of a person with themself, and needs whose two sides share no "
        "manager (no reporting line joins them) are left out. None without needs left.",
    ),
    Metric(
        "max_span",
        "lower",
        "The largest number of direct reports of any manager. None without managers.",
    ),
    Metric(
        "spans_out_of_range",
        "lower",
        "Managers whose number of direct reports lies outside settings.span_range.",
    ),
    Metric("layers", "lower", "Reporting layers: the deepest layer, the top person being 1."),
    Metric(
        "discipline_fit",
        "higher",
        "Among people with a manager, both with competences: the share whose first competence "
        "is among their manager's competences. None when nobody is counted.",
    ),
    Metric(
        "competence_dispersion",
        "lower",
        "Mean over competences of 1 - (holders in the group holding most of them) / holders, "
        "the groups being the units at the compared level (departments by default, departments "
        "that declare the same function counting as one): 0 when every competence sits in one "
        "group, however many of its teams hold it. None without competences.",
    ),
    Metric(
        "accountability_share",
        "higher",
        "Share of spend (budget amount) whose outcome the same manager owns: the line's unit "
        "and its outcome unit are the same unit or have the same owner, or their groups at "
        "the level are the same or have the same owner. None without spend.",
    ),
    Metric(
        "people_moved",
        "lower",
        "People whose unit differs from today's (a merged unit keeps its id: its people do "
        "not move).",
    ),
    Metric("managers_changed", "lower", "People whose manager differs from today's."),
    Metric(
        "managers_gaining_or_losing_reports",
        "lower",
        "People whose set of direct reports differs from today's.",
    ),
    Metric(
        "new_manager_roles",
        "lower",
        "People with direct reports in the scenario who have none today.",
    ),
    Metric(
        "forum_hours_per_year",
        "lower",
        "Hours people spend in the scenario's forums a year: for each forum, meetings per year "
        "x hours per meeting x attendees (its chair and who leads each of its units: the head, "
        "or else the people at the unit's highest layer; each counted once).",
    ),
    Metric(
        "first_year_cost",
        "lower",
        "The cost of the change in its first year, in the workspace currency: a year of forum "
        "hours, each valued at the attendee's annual people cost / decision."
        "working_hours_per_year, plus each person whose unit changes at decision."
        "move_cost_per_person (or decision.move_cost_share x their annual people cost). None "
        "when it values people at their cost and the workspace gives nobody a cost.",
    ),
)


def rounded(value: float | None) -> float | None:
    """A metric's value as the scorecard reports it: 6 decimals, ``None`` kept."""
    return None if value is None else round(value, 6)


# -- structure ---------------------------------------------------------------------------------


def _steps(structure: Structure, a: str, b: str) -> int:
    """Reporting steps from ``a`` and from ``b`` up to their lowest common manager, summed."""
    common = structure.lowest_common_manager((a, b))
    assert common is not None
    return structure.distance_to(a, common) + structure.distance_to(b, common)


def _party(org: Organization, ref: str) -> tuple[str, str] | None:
    """``(person, unit)`` a coordination side stands for: a unit id (which wins over a person id
    of the same text) is its owner and itself; a person id is that person and their unit."""
    structure = org.structure
    if ref in structure.unit_depth:
        owner = structure.unit_owner[ref]
        return None if owner is None else (owner, ref)
    return ref, structure.unit_of[ref]


def _forum_unit(structure: Structure, forum: Forum, unit: str) -> str | None:
    """The unit of ``forum`` that ``unit`` is or sits inside, if any."""
    current: str | None = unit
    while current is not None:
        if current in forum.units:
            return current
        current = structure.unit_parent[current]
    return None


def _via_forum(
    structure: Structure, forum: Forum, first: tuple[str, str], second: tuple[str, str]
) -> int | None:
    """Steps of a need escalated through ``forum`` (see :data:`METRICS`), or ``None`` when the
    forum does not hold the two sides in two of its units with owners."""
    heads = []
    for _, unit in (first, second):
        held = _forum_unit(structure, forum, unit)
        if held is None:
            return None
        heads.append((held, structure.unit_owner[held]))
    (unit_a, head_a), (unit_b, head_b) = heads
    if unit_a == unit_b or head_a is None or head_b is None:
        return None
    return _steps(structure, first[0], head_a) + _steps(structure, second[0], head_b) + 1


def escalation_distance(org: Organization, /) -> float | None:
    """Mean reporting distance of the declared coordination needs, forums included.

    For a need between two sides (a person; or a unit, standing for its owner), the distance
    is the number of reporting steps from each side up to their lowest common manager, summed
    (0 when both sides are one person). When a forum of ``org`` holds the two sides in two
    different units of the forum (a side's unit is that unit or sits inside it), the need may
    escalate through the forum instead: the steps from each side to the owner of its forum
    unit, plus 1 for the forum itself, where the two heads meet; the shorter way counts. The
    result is the mean over needs weighted by their weight; needs with a side that has no owner
    are left out, and ``None`` is returned when no need is left.

    Examples
    --------
    Two sellers' and a marketer's manager report to the CEO: the seller and the marketer are
    2 steps each from the CEO, 4 in all; with a forum of the two heads, 1 step each to their
    head plus 1 for the forum: 3.

    >>> from orglens.model import CoordinationNeed, Forum, Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"),
    ...             Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="s1", manager_id="s", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="mkt"),
    ...             Person(id="m1", manager_id="m", unit="mkt")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top"), Unit(id="mkt", parent="top")],
    ...     coordination=[CoordinationNeed(source="s1", target="m1", weight=1)],
    ... )
    >>> escalation_distance(org)
    4.0
    >>> forum = Forum(units=("sales", "mkt"), chair="ceo")
    >>> escalation_distance(org.model_copy(update={"forums": (forum,)}))
    3.0
    """
    structure = org.structure
    weighted = weights = 0.0
    for need in org.coordination:
        first, second = _party(org, need.source), _party(org, need.target)
        if first is None or second is None or first[0] == second[0]:
            continue
        if structure.lowest_common_manager((first[0], second[0])) in (None, VIRTUAL_TOP):
            continue  # no reporting line joins them: a distance to an invented top says nothing
        distance = _steps(structure, first[0], second[0])
        for forum in org.forums:
            via = _via_forum(structure, forum, first, second)
            if via is not None:
                distance = min(distance, via)
        weighted += need.weight * distance
        weights += need.weight
    return weighted / weights if weights else None


def accountability_share(org: Organization, /, *, level: int) -> float | None:
    """Share of spend whose outcome the same manager owns (``None`` without spend).

    A budget line counts when its ``outcome_unit`` is missing or is its own unit, when the two
    units have the same owner (``same_owner`` of the budget lens), or when, at ``level``, the
    two units fall in the same group or in groups with the same owner: the head of a merged
    department owns the marketing spend that serves its sales.

    Examples
    --------
    >>> from orglens.model import BudgetLine, Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"), Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="mkt")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top"), Unit(id="mkt", parent="top")],
    ...     budget=[BudgetLine(id="ads", unit="mkt", amount=30, outcome_unit="sales"),
    ...             BudgetLine(id="crm", unit="sales", amount=10)],
    ... )
    >>> accountability_share(org, level=1)
    0.25
    """
    structure = org.structure
    total = owned = 0.0
    for line in org.budget:
        total += line.amount
        outcome = line.outcome_unit or line.unit
        if _same_owner(structure, line.unit, outcome) or _same_owner(
            structure,
            structure.group_of_unit(line.unit, level),
            structure.group_of_unit(outcome, level),
        ):
            owned += line.amount
    return owned / total if total > 0 else None


def _same_owner(structure: Structure, unit: str, other: str) -> bool:
    if unit == other:
        return True
    owner = structure.unit_owner.get(unit)
    return owner is not None and owner == structure.unit_owner.get(other)


def change_cost(today: Organization, scenario: Organization, /) -> dict[str, int]:
    """The cost of moving from ``today`` to ``scenario``, in people (see :data:`METRICS`).

    Keys: ``people_moved``, ``managers_changed``, ``managers_gaining_or_losing_reports``,
    ``new_manager_roles``. People of ``scenario`` who are not in ``today`` are not counted
    (a scenario keeps the same people).

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> today = Organization(people=[Person(id="ceo", unit="top"),
    ...                              Person(id="a", manager_id="ceo", unit="x"),
    ...                              Person(id="b", manager_id="ceo", unit="x")])
    >>> after = Organization(people=[Person(id="ceo", unit="top"),
    ...                              Person(id="a", manager_id="ceo", unit="x"),
    ...                              Person(id="b", manager_id="a", unit="y")])
    >>> change_cost(today, after)
    {'people_moved': 1, 'managers_changed': 1, 'managers_gaining_or_losing_reports': 2, \
'new_manager_roles': 1}
    """
    before, after = today.structure, scenario.structure
    people = [p for p in after.manager if p in before.manager]
    return {
        "people_moved": sum(before.unit_of[p] != after.unit_of[p] for p in people),
        "managers_changed": sum(before.manager[p] != after.manager[p] for p in people),
        "managers_gaining_or_losing_reports": sum(
            set(before.reports[p]) != set(after.reports[p]) for p in people
        ),
        "new_manager_roles": sum(bool(after.reports[p]) and not before.reports[p] for p in people),
    }


def measure(
    today: Organization,
    scenario: Organization,
    analysis: Analysis,
    /,
    *,
    level: int,
    history: History | None = None,
    decision: DecisionSettings | None = None,
) -> dict[str, Value]:
    """Every metric of :data:`METRICS` for ``scenario`` (``analysis`` = its lenses at ``level``),
    keys in that order."""
    hr, process = analysis.hr, analysis.process
    dispersions = [c.dispersion for c in hr.competences]
    observed: dict[str, Value] = (
        {"observed_cross_unit_handoffs_per_case": None, "expected_handoff_wait_s": None}
        if history is None
        else history.measure(scenario, level=level)
    )
    values: dict[str, Value] = {
        "cross_unit_handoffs_per_case": rounded(
            None if process.handoffs is None else process.handoffs.cross_unit_handoffs_per_case
        ),
        **observed,
        "coordination_cross_unit_share": rounded(process.coordination.cross_unit_share),
        "escalation_distance": rounded(escalation_distance(scenario)),
        "max_span": hr.span.max,
        "spans_out_of_range": hr.spans_out_of_range,
        "layers": hr.layers,
        "discipline_fit": rounded(hr.discipline_fit),
        "competence_dispersion": rounded(
            sum(dispersions) / len(dispersions) if dispersions else None
        ),
        "accountability_share": rounded(accountability_share(scenario, level=level)),
        **change_cost(today, scenario),
        "forum_hours_per_year": rounded(sum(forum_hours(scenario).values())),
        "first_year_cost": rounded(
            first_year_cost(today, scenario, decision=decision or DecisionSettings())
        ),
    }
    return {metric.key: values[metric.key] for metric in METRICS}
