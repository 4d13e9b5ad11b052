"""Advice: one rule per argument of the sales-and-marketing debate, each explained.

:func:`advise` runs every rule of :data:`RULES` on an organization, its analysis and (when
available) the scorecard of its scenarios. Each :class:`Finding` says what it recommends, the
measured evidence, when it would not hold and the strongest counter-argument; thresholds are
:class:`AdviceSettings` whose defaults carry their sources.
"""

from orglens.advice.decision import (
    Ranked,
    Recommendation,
    WeightFlip,
    recommend,
    threshold_flips,
)
from orglens.advice.finding import BORDERLINE, Advice, Finding, Source, margin
from orglens.advice.rules import RULES, advise
from orglens.model.advice import SOURCES, THRESHOLD_SOURCES, AdviceSettings

__all__ = [
    "BORDERLINE",
    "RULES",
    "SOURCES",
    "THRESHOLD_SOURCES",
    "Advice",
    "AdviceSettings",
    "Finding",
    "Ranked",
    "Recommendation",
    "Source",
    "WeightFlip",
    "advise",
    "margin",
    "recommend",
    "threshold_flips",
]
