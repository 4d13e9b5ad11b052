"""The domain model: immutable, validated records, the organization they form, and the scenarios
that redesign it (operations as data)."""

from orglens.model.advice import AdviceSettings
from orglens.model.decision import METRIC_GROUPS, DecisionSettings
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
    checked_records,
)
from orglens.model.scenario import (
    OPERATION_MODELS,
    BuildPods,
    FormTeams,
    Forum,
    HoldForum,
    MergeUnits,
    MovePeople,
    Operation,
    Scenario,
    ScenarioKind,
    ScenarioOperation,
    SplitUnit,
)
from orglens.model.settings import Settings, SpanArchetype
from orglens.model.structure import VIRTUAL_TOP, Structure

__all__ = [
    "FUNCTIONS",
    "METRIC_GROUPS",
    "OPERATION_MODELS",
    "VIRTUAL_TOP",
    "AdviceSettings",
    "BudgetLine",
    "BuildPods",
    "CoordinationNeed",
    "DecisionSettings",
    "EventSource",
    "FormTeams",
    "Forum",
    "HoldForum",
    "JourneyActivity",
    "MergeUnits",
    "MovePeople",
    "Operation",
    "Organization",
    "Origin",
    "Person",
    "RevenueStream",
    "Scenario",
    "ScenarioKind",
    "ScenarioOperation",
    "Segment",
    "Settings",
    "SpanArchetype",
    "SplitUnit",
    "Structure",
    "Unit",
    "checked_records",
]
