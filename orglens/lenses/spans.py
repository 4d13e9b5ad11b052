"""Span of control for the HR lens: each manager's span, span bands, one-over-ones, layers.

The measures are defined in :mod:`orglens.lenses.hr`, which assembles them into its
:class:`~orglens.lenses.hr.HrResult`.

Examples
--------
>>> [(band.band, band.managers) for band in span_bands([1, 3, 9], (1, 3, 7))]
[('1', 1), ('2-3', 1), ('4-7', 0), ('8+', 1)]
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass
from operator import attrgetter
from typing import Any

from orglens.lenses._common import rounded
from orglens.model import Organization

__all__ = [
    "LayerSpan",
    "ManagerSpan",
    "OneOverOne",
    "OneOverOneChain",
    "SpanBand",
    "SpanStats",
    "manager_spans",
    "one_over_one_chains",
    "one_over_ones",
    "span_bands",
    "span_per_layer",
    "span_stats",
]

_ID, _SPAN = attrgetter("id"), attrgetter("span")


@dataclass(frozen=True)
class ManagerSpan:
    """A manager's span of control: ``span`` direct reports, its archetype and flag."""

    id: str
    name: str
    unit: str
    span: int
    archetype: str
    flag: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SpanStats:
    """Mean, median, minimum and maximum span over all managers (``None`` without managers)."""

    mean: float | None
    median: float | None
    min: int | None
    max: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": rounded(self.mean),
            "median": rounded(self.median),
            "min": self.min,
            "max": self.max,
        }


@dataclass(frozen=True)
class SpanBand:
    """The managers whose span lies in ``min``..``max`` (``max=None``: no upper bound).

    ``share`` is their share of all managers, ``None`` without managers.
    """

    band: str
    min: int
    max: int | None
    managers: int
    share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "min": self.min,
            "max": self.max,
            "managers": self.managers,
            "share": rounded(self.share),
        }


@dataclass(frozen=True)
class OneOverOne:
    """A manager in ``layer`` whose only direct report, ``report``, manages people themselves."""

    id: str
    name: str
    unit: str
    layer: int
    report: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class OneOverOneChain:
    """People linked by one-over-one steps, top first: each but the last is one over the next."""

    people: tuple[str, ...]

    @property
    def steps(self) -> int:
        """How many one-over-one steps the chain makes (one less than its people)."""
        return len(self.people) - 1

    def to_dict(self) -> dict[str, Any]:
        return {"people": list(self.people), "steps": self.steps}


@dataclass(frozen=True)
class LayerSpan:
    """The ``managers`` in one ``layer`` and their mean span."""

    layer: int
    managers: int
    mean_span: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "managers": self.managers,
            "mean_span": rounded(self.mean_span),
        }


def manager_spans(org: Organization) -> tuple[ManagerSpan, ...]:
    """Every person with at least one direct report, by descending span, then id."""
    settings = org.settings
    by_id = org.person_by_id
    judged: dict[int, tuple[str, str | None]] = {}  # archetype and flag of each span
    found = []
    for pid, reports in org.structure.direct_reports.items():
        span = len(reports)
        if span not in judged:
            judged[span] = (settings.archetype_of(span), settings.span_flag(span))
        archetype, flag = judged[span]
        person = by_id[pid]
        found.append(ManagerSpan(pid, person.name or pid, person.unit, span, archetype, flag))
    # By id, then (stable) by descending span: no key tuple for each of many managers.
    found.sort(key=_ID)
    found.sort(key=_SPAN, reverse=True)
    return tuple(found)


def span_stats(spans: list[int]) -> SpanStats:
    """Mean, median, minimum and maximum of the managers' ``spans`` (``None`` without any)."""
    return SpanStats(
        mean=statistics.fmean(spans) if spans else None,
        median=float(statistics.median(spans)) if spans else None,
        min=min(spans, default=None),
        max=max(spans, default=None),
    )


def span_bands(spans: list[int], bounds: tuple[int, ...]) -> tuple[SpanBand, ...]:
    """Managers per band: ``1..bounds[0]``, ``bounds[0]+1..bounds[1]``, ..., ``bounds[-1]+1`` up."""
    lows = (1, *(bound + 1 for bound in bounds))
    highs: tuple[int | None, ...] = (*bounds, None)
    bands = []
    for low, high in zip(lows, highs, strict=True):
        inside = sum(1 for span in spans if span >= low and (high is None or span <= high))
        label = f"{low}+" if high is None else str(low) if low == high else f"{low}-{high}"
        share = inside / len(spans) if spans else None
        bands.append(SpanBand(label, low, high, inside, share))
    return tuple(bands)


def one_over_ones(org: Organization) -> tuple[OneOverOne, ...]:
    """Managers whose single direct report has reports of their own, by layer then id."""
    structure = org.structure
    found = []
    managing = structure.direct_reports
    for pid, reports in managing.items():
        if len(reports) == 1 and reports[0] in managing:
            person, layer = org.person_by_id[pid], structure.manager_layer[pid]
            found.append(OneOverOne(pid, person.name or pid, person.unit, layer, reports[0]))
    return tuple(sorted(found, key=lambda o: (o.layer, o.id)))


def one_over_one_chains(
    org: Organization, steps: tuple[OneOverOne, ...]
) -> tuple[OneOverOneChain, ...]:
    """The longest runs of one-over-one steps, from a manager whose own manager is no step."""
    report_of = {step.id: step.report for step in steps}
    chains = []
    for step in steps:
        if org.person_by_id[step.id].manager_id in report_of:
            continue  # the chain already started above this manager
        people = [step.id]
        while people[-1] in report_of:
            people.append(report_of[people[-1]])
        chains.append(OneOverOneChain(tuple(people)))
    return tuple(sorted(chains, key=lambda c: (-c.steps, c.people[0])))


def span_per_layer(org: Organization, managers: tuple[ManagerSpan, ...]) -> tuple[LayerSpan, ...]:
    spans: dict[int, list[int]] = defaultdict(list)
    for m in managers:
        spans[org.structure.manager_layer[m.id]].append(m.span)
    return tuple(
        LayerSpan(layer, len(spans[layer]), statistics.fmean(spans[layer]))
        for layer in sorted(spans)
    )
