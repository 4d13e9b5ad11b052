"""The four lenses, and :func:`analyze` that looks through all of them at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from orglens._collector import collector_paused
from orglens.display import Displayed
from orglens.lenses import budget, customer, hr, journey, process
from orglens.lenses._common import resolve_level
from orglens.lenses.budget import BudgetResult
from orglens.lenses.customer import CustomerResult
from orglens.lenses.hr import HrResult
from orglens.lenses.process import ProcessResult
from orglens.lenses.resources import resource_functions, resource_units
from orglens.model import Organization

if TYPE_CHECKING:
    import ibis.expr.types as ir  # type: ignore[import-untyped]

    from orglens.mining import ObservedJourney

__all__ = [
    "MATCHED_AT_LEAST",
    "Analysis",
    "BudgetResult",
    "CustomerResult",
    "HrResult",
    "ProcessResult",
    "analyze",
    "observed_warnings",
    "resolve_level",
]


@dataclass(frozen=True)
class Analysis(Displayed):
    """One organization seen through the ``hr``, ``budget``, ``process`` and ``customer`` lenses."""

    organization: str
    currency: str
    level: int
    warnings: tuple[str, ...]
    hr: HrResult
    budget: BudgetResult
    process: ProcessResult
    customer: CustomerResult

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; keys are stable (see the README for each lens's keys)."""
        return {
            "organization": self.organization,
            "currency": self.currency,
            "level": self.level,
            "warnings": list(self.warnings),
            "hr": self.hr.to_dict(),
            "budget": self.budget.to_dict(),
            "process": self.process.to_dict(),
            "customer": self.customer.to_dict(),
        }


def analyze(
    org: Organization,
    /,
    *,
    level: int | None = None,
    events: ir.Table | None = None,
) -> Analysis:
    """Look at ``org`` through every lens.

    Parameters
    ----------
    org
        The organization (from :func:`orglens.load` or built in code).
    level
        Depth of the unit tree at which cross-unit measures count: 1 (the default, from
        ``settings.level``) counts between departments, 2 between the units below them.
    events
        The company's event log as a canonical Ibis table (:meth:`orglens.engine.Engine.
        read_events`); its resources are matched to people by id, name or e-mail, and the
        process lens then shows the observed journey next to the declared one: its funnel by
        the declared journey's stages, and the handoff SLA in ``settings.handoff_sla_bands_s``.
        End activities and the activities of a first sales touch come from ``org.events``
        (``events:`` in ``orglens.yaml``).

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> org = Organization(people=[
    ...     Person(id="ceo", unit="Management"),
    ...     Person(id="s", manager_id="ceo", unit="Sales"),
    ...     Person(id="m", manager_id="ceo", unit="Marketing"),
    ... ])
    >>> result = analyze(org)
    >>> result.to_dict()["hr"]["layers"]
    2
    """
    used_level = org.settings.level if level is None else level
    observed = None
    warnings: tuple[str, ...] = ()
    if events is not None:
        from orglens.mining import EventLog, observe

        log = EventLog.of(events)
        names = log.names("resource")
        observed = observe(
            log,
            unit=resource_units(org, level=used_level, resources=names),
            function=resource_functions(org, resources=names),
            end_activities=(org.events.end_activities or None) if org.events else None,
            stages=journey.funnel_stages(org) or None,
            touch=org.events.touch if org.events else None,
            bands_s=org.settings.handoff_sla_bands_s,
        )
        warnings = observed_warnings(observed)
    with collector_paused():
        found = _analyze(org, used_level, observed)
    return replace(found, warnings=(*found.warnings, *warnings)) if warnings else found


#: Under this share of events whose resource is a person of the workspace, the observed
#: journey measures too little of the log to be read without a warning.
MATCHED_AT_LEAST = 0.5


def observed_warnings(observed: ObservedJourney) -> tuple[str, ...]:
    """What the observed journey left out or inferred, in sentences (see the README)."""
    found: list[str] = []
    match = observed.resources
    if match is not None and match.events and (match.share or 0.0) < MATCHED_AT_LEAST:
        examples = ", ".join(f"{name!r} ({count:,} events)" for name, count in match.unmatched)
        found.append(
            f"events: {match.events - match.events_matched:,} of {match.events:,} events "
            f"({1 - (match.share or 0.0):.0%}) are done by resources that match no person of "
            f"the workspace by id, name or e-mail (ignoring case), e.g. {examples}; the observed "
            "journey counts only the rest — give people.csv the ids, names or e-mail addresses "
            "the event log uses"
        )
    leakage = observed.leakage
    if leakage.end_activities_inferred:
        if leakage.end_activities:
            ends = ", ".join(map(repr, leakage.end_activities))
            found.append(
                f"events: no end_activities declared; inferred from the log: {ends} (they end "
                "cases and are rarely followed): cases ending there do not leak — declare them "
                "under events: end_activities: in orglens.yaml"
            )
        else:
            found.append(
                "events: no end_activities declared and none could be inferred: every case "
                "that ends right after a handoff counts as leaked — declare them under events: "
                "end_activities: in orglens.yaml"
            )
    return tuple(found)


def _analyze(org: Organization, used_level: int, observed: ObservedJourney | None) -> Analysis:
    return Analysis(
        organization=org.name,
        currency=org.currency,
        level=used_level,
        warnings=org.warnings,
        hr=hr.analyze(org, level=used_level),
        budget=budget.analyze(org, level=used_level),
        process=process.analyze(org, level=used_level, observed=observed),
        customer=customer.analyze(org, level=used_level),
    )
