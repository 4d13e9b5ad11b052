"""Tiny companies for the advice tests, built so that each rule's numbers check by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.advice import Advice, AdviceSettings, Finding, advise
from orglens.engine import connect
from orglens.lenses import analyze
from orglens.model import JourneyActivity, Organization, Person, Unit

Department = tuple[str | None, int]  # function, people (head included)
Team = tuple[str, int]  # parent unit, people (lead included)


def company(
    departments: Mapping[str, Department],
    *,
    teams: Mapping[str, Team] | None = None,
    traits: Mapping[str, Mapping[str, Any]] | None = None,
    **records: Any,
) -> Organization:
    """The CEO ``ceo`` ("Cleo") alone in unit ``top``; below it each department ``d`` of
    ``departments`` with its head ``d0`` reporting to the CEO and members ``d1``, ``d2``...
    reporting to the head; each team ``t`` of ``teams`` under its parent unit, led by ``t0``
    (reporting to the parent's head) with members ``t1``... reporting to the lead.

    ``traits`` sets Person fields (``location``, ``segments``, ``work_mode``,
    ``competences``...) for everyone in a unit (keyed by unit id) or for one person (keyed by
    person id; these win). ``records`` go to :class:`Organization` (journey, budget, ...).
    """
    traits = traits or {}
    people = [Person(id="ceo", name="Cleo", unit="top")]
    units = [Unit(id="top", name="Company", head="ceo", function="management")]

    def staff(unit: str, boss: str, size: int) -> None:
        for i in range(size):
            pid = f"{unit}{i}"
            fields = {**traits.get(unit, {}), **traits.get(pid, {})}
            people.append(
                Person(id=pid, unit=unit, manager_id=boss if i == 0 else f"{unit}0", **fields)
            )

    for name, (function, size) in departments.items():
        units.append(
            Unit(id=name, name=name.title(), parent="top", head=f"{name}0", function=function)
        )
        staff(name, "ceo", size)
    for name, (parent, size) in (teams or {}).items():
        function = next(u.function for u in units if u.id == parent)
        units.append(
            Unit(id=name, name=name.title(), parent=parent, head=f"{name}0", function=function)
        )
        staff(name, f"{parent}0", size)
    return Organization(people=people, units=units, **records)


def journey(*steps: tuple[str, str, float]) -> tuple[JourneyActivity, ...]:
    """Activities ``a1``, ``a2``... in order, each ``(stage, unit, volume per year)``."""
    return tuple(
        JourneyActivity(order=i, stage=stage, activity=f"a{i}", unit=unit, volume_per_year=v)
        for i, (stage, unit, v) in enumerate(steps, start=1)
    )


def event_log(cases: Sequence[Sequence[tuple[str, str, float]]]) -> Any:
    """A canonical event table: per case its ``(activity, resource, hours after the start)``."""
    start = dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC)
    columns: dict[str, list[Any]] = {
        "case_id": [],
        "activity": [],
        "timestamp": [],
        "resource": [],
        "group": [],
        "position": [],
    }
    for number, events in enumerate(cases, start=1):
        for activity, resource, hours in events:
            columns["case_id"].append(f"c{number}")
            columns["activity"].append(activity)
            columns["timestamp"].append(start + dt.timedelta(hours=hours))
            columns["resource"].append(resource)
            columns["group"].append(None)
            columns["position"].append(len(columns["position"]))
    return connect().read_events(pa.table(columns))


def run(
    org: Organization,
    scenarios: Mapping[str, Mapping[str, float | None]] | None = None,
    *,
    events: Any = None,
    settings: AdviceSettings | None = None,
) -> Advice:
    return advise(org, analyze(org, events=events), scenarios, settings=settings)


def finding(org: Organization, rule: str, **kwargs: Any) -> Finding:
    """The finding of ``rule`` for ``org`` (see :func:`run` for the keyword arguments)."""
    return run(org, **kwargs).finding(rule)
