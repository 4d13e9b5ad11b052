"""The domain model: immutable, validated records and the organization they form."""

from orglens.model.advice import AdviceSettings
from orglens.model.organization import Organization
from orglens.model.records import (
    FUNCTIONS,
    BudgetLine,
    CoordinationNeed,
    EventSource,
    JourneyActivity,
    Origin,
    Person,
    RevenueStream,
    Segment,
    Unit,
)
from orglens.model.scenario import Forum
from orglens.model.settings import Settings, SpanArchetype
from orglens.model.structure import VIRTUAL_TOP, Structure

__all__ = [
    "FUNCTIONS",
    "VIRTUAL_TOP",
    "AdviceSettings",
    "BudgetLine",
    "CoordinationNeed",
    "EventSource",
    "Forum",
    "JourneyActivity",
    "Organization",
    "Origin",
    "Person",
    "RevenueStream",
    "Segment",
    "Settings",
    "SpanArchetype",
    "Structure",
    "Unit",
]
