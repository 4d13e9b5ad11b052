"""What a rule finds, and the advice they add up to: frozen results with ``to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orglens.display import Displayed

__all__ = [
    "BORDERLINE",
    "Advice",
    "Evidence",
    "Finding",
    "Scalar",
    "Source",
    "jsonable",
    "margin",
]

Scalar = float | int | str | bool | None
#: One piece of evidence: a number or text, a list of names, or a small map (per scenario,
#: per unit pair...) of those.
Evidence = Scalar | tuple[str, ...] | Mapping[str, Scalar | tuple[str, ...]]


def _plain(value: Scalar | tuple[str, ...]) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


def jsonable(value: Evidence) -> Any:
    """``value`` as JSON-ready data: tuples become lists, floats are rounded to 6 decimals.

    Examples
    --------
    >>> jsonable({"status_quo": 1 / 3, "units": ("a", "b")})
    {'status_quo': 0.333333, 'units': ['a', 'b']}
    """
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return _plain(value)


@dataclass(frozen=True)
class Source:
    """A work an advice cites: ``id`` (stable) and the reference ``text``."""

    id: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True)
class Finding:
    """What one rule of the debate concludes for one organization.

    ``rule`` is a stable id; ``triggered`` tells whether the argument applies to this company;
    ``verdict`` says what to do (or why nothing follows) in one sentence; ``because`` gives the
    measured reasoning with its numbers; ``evidence`` the metrics used; ``conditions`` when the
    verdict would not hold; ``counter`` the strongest counter-argument; ``missing`` the evidence
    that was not available (the rule then says less); ``sources`` the ids of the works cited.
    """

    rule: str
    triggered: bool
    verdict: str
    because: str
    evidence: Mapping[str, Evidence]
    conditions: tuple[str, ...]
    counter: str
    missing: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    margin: float | None = None
    tipping_point: str = ""

    @property
    def borderline(self) -> bool:
        """Whether the measure the verdict turns on lies within :data:`BORDERLINE` (10%) of its
        threshold, so that a small change in the data or the setting would tip it."""
        return self.margin is not None and self.margin < BORDERLINE

    def to_dict(self) -> dict[str, Any]:
        """``{rule, triggered, verdict, because, evidence, conditions, counter, missing,
        sources, margin, borderline, tipping_point}``; evidence values are numbers, text, lists
        or small maps of those."""
        return {
            "rule": self.rule,
            "triggered": self.triggered,
            "verdict": self.verdict,
            "because": self.because,
            "evidence": {key: jsonable(value) for key, value in self.evidence.items()},
            "conditions": list(self.conditions),
            "counter": self.counter,
            "missing": list(self.missing),
            "sources": list(self.sources),
            "margin": None if self.margin is None else round(self.margin, 6),
            "borderline": self.borderline,
            "tipping_point": self.tipping_point,
        }


#: A finding whose measure lies closer than this to its threshold (relative) is borderline.
BORDERLINE = 0.10


def margin(value: float, threshold: float) -> float | None:
    """Relative distance of ``value`` from ``threshold``: ``|value - threshold| / |threshold|``
    (``None`` for a threshold of 0, where no relative distance exists).

    >>> margin(46, 50), margin(55, 50), margin(1, 0)
    (0.08, 0.1, None)
    """
    return abs(value - threshold) / abs(threshold) if threshold else None


@dataclass(frozen=True)
class Advice(Displayed):
    """Every rule's finding, in the order of the debate, and the sources they cite."""

    findings: tuple[Finding, ...]
    sources: tuple[Source, ...]

    @property
    def triggered(self) -> tuple[Finding, ...]:
        """The findings whose argument applies to this company."""
        return tuple(f for f in self.findings if f.triggered)

    def finding(self, rule: str) -> Finding:
        """The finding of ``rule`` (a :data:`~orglens.advice.RULES` id).

        Raises
        ------
        KeyError
            When no rule has that id.
        """
        for found in self.findings:
            if found.rule == rule:
                return found
        raise KeyError(rule)

    def to_dict(self) -> dict[str, Any]:
        """``{"findings": [Finding.to_dict()...], "sources": [{id, text}...]}``."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "sources": [s.to_dict() for s in self.sources],
        }
