"""Every design of the debate, applied to the same data and scored side by side.

:func:`compare` applies each scenario to today's organization (:func:`~orglens.scenarios.apply`),
looks at the result through the four lenses at one level, and measures the scorecard of
:data:`~orglens.scenarios.metrics.METRICS` (each with its definition and the direction that is
better). With an event log, today's history is re-mapped to each scenario's units
(:class:`~orglens.scenarios.history.History`).

- **dominated by**: scenario B dominates scenario A when B is at least as good as A on every
  metric both have a value for (``None`` is skipped) and strictly better on at least one;
  values are compared as shown, rounded to 6 decimals. A scenario with no metric in common
  with another is not dominated by it.
- **warnings** of a scenario: those :func:`~orglens.scenarios.apply` adds (a span above range,
  a pod without a seller or marketer, a small pod...), then the rule breaks it does not check,
  each starting with the scenario's name:

  - a manager whose reports changed and whose span is now below ``settings.span_range``;
  - a pod whose members differ from today's and where nobody comes from a sales unit, or
    nobody from a marketing unit, when someone in the organization keeps a chapter in a unit
    of that function, and :func:`apply` did not already say so (a later operation may have
    moved the seller out). A *pod* is a unit more than half of whose members keep a discipline
    chapter in another unit; a member comes from the unit of their chapter, else their unit.

  Today's own warnings (from reading the workspace) are not repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orglens.errors import Problem, UsageError
from orglens.lenses import Analysis, analyze, resolve_level
from orglens.model import DecisionSettings, Organization, Scenario
from orglens.scenarios.apply import apply
from orglens.scenarios.builtin import all_scenarios
from orglens.scenarios.history import History
from orglens.scenarios.metrics import METRICS, Metric, Value, measure

if TYPE_CHECKING:
    import ibis.expr.types as ir  # type: ignore[import-untyped]

    from orglens.mining import EventLog

__all__ = ["ScenarioScore", "Scorecard", "compare", "dominance"]

_ROLE_OF_FUNCTION = {"sales": "seller", "marketing": "marketer"}


@dataclass(frozen=True)
class ScenarioScore:
    """One scenario on the scorecard.

    ``metrics`` holds every key of :data:`~orglens.scenarios.metrics.METRICS` in that order;
    ``organization`` is the organization the scenario designs and ``analysis`` its four lenses
    at the compared level (without the event log); neither is serialized.
    """

    name: str
    kind: str
    description: str
    metrics: Mapping[str, Value]
    dominated_by: tuple[str, ...]
    warnings: tuple[str, ...]
    organization: Organization = field(repr=False, compare=False)
    analysis: Analysis = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "metrics": dict(self.metrics),
            "dominated_by": list(self.dominated_by),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Scorecard:
    """The scorecard: every scenario's metrics at ``level``, and the metrics' definitions."""

    level: int
    scenarios: tuple[ScenarioScore, ...]
    metrics: tuple[Metric, ...] = METRICS
    warnings: tuple[str, ...] = ()

    def scenario(self, name: str) -> ScenarioScore:
        """The scenario called ``name``; :class:`UsageError` names the others when none is."""
        for score in self.scenarios:
            if score.name == name:
                return score
        names = ", ".join(score.name for score in self.scenarios)
        raise UsageError(Problem(f"no scenario {name!r} was compared", f"use one of: {names}"))

    def to_dict(self) -> dict[str, Any]:
        """``{"level", "scenarios": [{"name", "kind", "description", "metrics", "dominated_by",
        "warnings"}], "metrics": [{"key", "better", "definition"}], "warnings"}``; the last are
        the scorecard's own (what it left out of every design)."""
        return {
            "level": self.level,
            "scenarios": [score.to_dict() for score in self.scenarios],
            "metrics": [metric.to_dict() for metric in self.metrics],
            "warnings": list(self.warnings),
        }


def compare(
    org: Organization,
    /,
    *,
    scenarios: Iterable[Scenario] | None = None,
    level: int | None = None,
    events: ir.Table | EventLog | None = None,
    designed: Mapping[str, Organization] | None = None,
    history: History | None = None,
    decision: DecisionSettings | None = None,
) -> Scorecard:
    """Apply every scenario to ``org`` and score them side by side on the same data.

    Parameters
    ----------
    org
        Today's organization; the cost of each change is counted against it.
    scenarios
        The designs to compare, in the order to show them; ``None``: the built-in designs that
        apply to ``org`` (:func:`~orglens.scenarios.builtin_scenarios`). Names must be unique.
    level
        Depth of the unit tree at which cross-unit measures count (``None``:
        ``org.settings.level``; 1 = departments).
    events
        Today's event log as a canonical Ibis table (:meth:`orglens.engine.Engine.read_events`),
        or an :class:`~orglens.mining.EventLog` whose sorted pass other analyses share.
        With it, ``observed_cross_unit_handoffs_per_case`` and ``expected_handoff_wait_s`` are
        measured on the history re-mapped to each scenario's units; without it they are
        ``None``.
    designed
        ``{scenario name: the organization it designs}`` for scenarios already applied to
        ``org`` (:class:`orglens.Workspace` applies each once); the others are applied here.
    history
        ``History.read(events, org, level=...)`` when the caller has read it (then ``events``
        is not read again).
    decision
        What a change costs (``decision:`` in orglens.yaml; the defaults when ``None``).

    Returns
    -------
    Scorecard
        Per scenario, the metrics of :data:`~orglens.scenarios.metrics.METRICS` (their
        definitions and directions are in :attr:`Scorecard.metrics`), the scenarios that
        dominate it, and its warnings (see the module doc).

    Raises
    ------
    UsageError
        When two scenarios share a name, ``level`` is negative, or an operation cannot work on
        ``org``.
    InvalidWorkspace
        When an operation names a unit or a person that does not exist.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Unit, CoordinationNeed
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"),
    ...             Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="mkt")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top", function="sales"),
    ...            Unit(id="mkt", parent="top", function="marketing")],
    ...     coordination=[CoordinationNeed(source="s", target="m", weight=1)],
    ... )
    >>> card = compare(org)
    >>> [(s.name, s.metrics["escalation_distance"], s.metrics["managers_changed"])
    ...  for s in card.scenarios]
    [('status_quo', 2.0, 0), ('ceo_forum', 1.0, 0), ('merge_sales_marketing', 1.0, 1)]
    >>> card.scenario("ceo_forum").metrics["forum_hours_per_year"]  # 12 x 1.5 h x 3 people
    54.0
    >>> card.scenario("status_quo").dominated_by  # the forum shortens escalation, at a cost
    ()
    """
    used_level = resolve_level(org, level)
    chosen = all_scenarios(org) if scenarios is None else tuple(scenarios)
    _refuse_shared_names(chosen)
    if history is None and events is not None:
        history = History.read(events, org, level=used_level)
    applied = designed or {}
    scored = []
    for scenario in chosen:
        organization = applied.get(scenario.name) or apply(org, scenario)
        analysis = analyze(organization, level=used_level)
        metrics = measure(
            org, organization, analysis, level=used_level, history=history, decision=decision
        )
        scored.append((scenario, organization, analysis, metrics))
    beaten_by = dominance({scenario.name: metrics for scenario, _, _, metrics in scored})
    return Scorecard(
        level=used_level,
        warnings=_coordination_warnings(org),
        scenarios=tuple(
            ScenarioScore(
                name=scenario.name,
                kind=scenario.kind,
                description=scenario.description,
                metrics=metrics,
                dominated_by=beaten_by[scenario.name],
                warnings=_warnings(org, organization, scenario.name),
                organization=organization,
                analysis=analysis,
            )
            for scenario, organization, analysis, metrics in scored
        ),
    )


def _refuse_shared_names(scenarios: Iterable[Scenario]) -> None:
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.name in seen:
            raise UsageError(
                Problem(
                    f"two scenarios are called {scenario.name!r}",
                    "give every scenario its own name",
                )
            )
        seen.add(scenario.name)


def dominance(
    scores: Mapping[str, Mapping[str, Value]], /, metrics: Iterable[Metric] = METRICS
) -> dict[str, tuple[str, ...]]:
    """``{scenario: the scenarios that dominate it}`` (see the module doc), in the given order.

    Only ``metrics`` count, each in its direction; a metric missing or ``None`` on either side
    is skipped.

    Examples
    --------
    >>> dominance({"a": {"layers": 3, "max_span": 9}, "b": {"layers": 3, "max_span": 7},
    ...            "c": {"layers": 2, "max_span": 12}, "d": {"layers": 9, "max_span": None}})
    {'a': ('b',), 'b': (), 'c': (), 'd': ('a', 'b', 'c')}
    """
    directions = [(metric.key, metric.better == "higher") for metric in metrics]

    def beats(winner: Mapping[str, Value], loser: Mapping[str, Value]) -> bool:
        strictly = False
        for key, higher in directions:
            mine, theirs = winner.get(key), loser.get(key)
            if mine is None or theirs is None:
                continue
            gain = mine - theirs if higher else theirs - mine
            if gain < 0:
                return False
            strictly = strictly or gain > 0
        return strictly

    return {
        name: tuple(other for other in scores if other != name and beats(scores[other], values))
        for name, values in scores.items()
    }


# -- warnings ----------------------------------------------------------------------------------


def _coordination_warnings(org: Organization) -> tuple[str, ...]:
    """What the escalation distance leaves out of every design, counted."""
    people = set(org.person_by_id)
    units = set(org.unit_by_id)
    own = [
        need
        for need in org.coordination
        if need.source == need.target and need.source in people and need.source not in units
    ]
    if not own:
        return ()
    shown = ", ".join(sorted({need.source for need in own})[:5])
    return (
        f"{len(own)} coordination need(s) of a person with themself ({shown}) left out of "
        "escalation_distance",
    )


def _warnings(today: Organization, designed: Organization, name: str) -> tuple[str, ...]:
    """The scenario's own warnings, then those :func:`apply` does not check (module doc)."""
    own = designed.warnings[len(today.warnings) :]  # apply keeps today's warnings first
    found = [*_spans_below_range(today, designed), *_pods_missing_a_function(today, designed)]
    extra = [f"{name}: {text}" for text in found]
    return (*own, *(text for text in extra if not any(text in seen for seen in own)))


def _spans_below_range(today: Organization, designed: Organization) -> list[str]:
    low, high = designed.settings.span_range
    before = today.structure.reports
    warnings = []
    for manager, reports in designed.structure.reports.items():
        changed = set(reports) != set(before.get(manager, ()))
        if reports and changed and designed.settings.span_flag(len(reports)) == "below range":
            name = designed.person_by_id[manager].name
            who = f"{name} ({manager})" if name else manager
            count = "1 direct report" if len(reports) == 1 else f"{len(reports)} direct reports"
            warnings.append(f"{who} would have {count}, below the span range {low}-{high}")
    return warnings


def _pods_missing_a_function(today: Organization, designed: Organization) -> list[str]:
    structure = designed.structure

    def function_of(unit: str) -> str | None:
        current: str | None = unit
        while current is not None:
            found = designed.unit_by_id[current].function
            if found:
                return found
            current = structure.unit_parent[current]
        return None

    def is_pod(unit: str, members: tuple[str, ...]) -> bool:
        elsewhere = sum(designed.person_by_id[p].chapter not in (None, unit) for p in members)
        return 2 * elsewhere > len(members)

    pods = [
        unit
        for unit, members in structure.unit_members.items()
        if is_pod(unit, members) and set(members) != set(today.structure.unit_members.get(unit, ()))
    ]
    home = {p.id: function_of(p.chapter or p.unit) for p in designed.people}
    drawn_on = {function_of(p.chapter) for p in designed.people if p.chapter is not None}
    warnings = []
    for pod in pods:
        present = {home[p] for p in structure.unit_members[pod]}
        for function, role in _ROLE_OF_FUNCTION.items():
            if function in drawn_on and function not in present:
                warnings.append(f"pod {pod!r} has no {role} (nobody from a {function} unit)")
    return warnings
