"""Scenarios: the designs of the debate as operations on an organization (model → model, pure).

A :class:`Scenario` is a named list of operations (:class:`MergeUnits`, :class:`MovePeople`,
:class:`SplitUnit`, :class:`BuildPods`, :class:`HoldForum`; data, defined in
:mod:`orglens.model.scenario`); :func:`apply` turns today's organization into the one the scenario
designs. :func:`builtin_scenarios` generates the designs of the debate for any workspace from its
units' functions; :mod:`orglens.io.scenarios` reads the ones a user writes in YAML;
:func:`compare` scores every scenario on the same data (:data:`METRICS`).

Adding an operation (the extension point; :data:`OPERATIONS` is its registry):

1. in :mod:`orglens.model.scenario`, a model: a subclass of :class:`ScenarioOperation` with
   ``op: Literal["KEY"] = "KEY"``, added to the :data:`Operation` union and to
   :data:`ScenarioKind` (the YAML reader learns ``- KEY: {...}`` from the union);
2. in this package, a function ``(draft, operation) -> None`` that edits the
   :class:`~orglens.scenarios._draft.Draft` (in :mod:`~orglens.scenarios.restructure`, or a
   module of its own as :mod:`~orglens.scenarios.pods`), and one line
   ``OperationKind("KEY", Model, function)`` in :data:`OPERATIONS`
   (:mod:`orglens.scenarios.operations`).

A test checks that the union and the registry hold the same operations.
"""

from orglens.model import (
    BuildPods,
    HoldForum,
    MergeUnits,
    MovePeople,
    Operation,
    Scenario,
    ScenarioKind,
    ScenarioOperation,
    SplitUnit,
)
from orglens.scenarios.apply import apply, apply_operation
from orglens.scenarios.builtin import (
    BUILTIN_NAMES,
    CEO_FORUM,
    JOURNEY_PODS,
    MERGE_MARKETING_COMMUNICATIONS,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    SALES_MARKETING_DESIGNS,
    SEGMENT_PODS,
    STATUS_QUO,
    all_scenarios,
    builtin_scenarios,
    departments,
    skipped_designs,
)
from orglens.scenarios.compare import ScenarioScore, Scorecard, compare, dominance
from orglens.scenarios.history import History
from orglens.scenarios.metrics import METRICS, Metric
from orglens.scenarios.operations import OPERATIONS, OperationKind

__all__ = [
    "BUILTIN_NAMES",
    "CEO_FORUM",
    "JOURNEY_PODS",
    "MERGE_MARKETING_COMMUNICATIONS",
    "MERGE_SALES_MARKETING",
    "MERGE_SALES_MARKETING_COMMUNICATIONS",
    "METRICS",
    "OPERATIONS",
    "SALES_MARKETING_DESIGNS",
    "SEGMENT_PODS",
    "STATUS_QUO",
    "BuildPods",
    "History",
    "HoldForum",
    "MergeUnits",
    "Metric",
    "MovePeople",
    "Operation",
    "OperationKind",
    "Scenario",
    "ScenarioKind",
    "ScenarioOperation",
    "ScenarioScore",
    "Scorecard",
    "SplitUnit",
    "all_scenarios",
    "apply",
    "apply_operation",
    "builtin_scenarios",
    "compare",
    "departments",
    "dominance",
    "skipped_designs",
]
