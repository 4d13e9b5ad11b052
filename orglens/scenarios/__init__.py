"""Scenarios: the designs of the debate as operations on an organization (model → model, pure).

A :class:`Scenario` is a named list of operations (:class:`MergeUnits`, :class:`MovePeople`,
:class:`SplitUnit`, :class:`BuildPods`, :class:`HoldForum`); :func:`apply` turns today's
organization into the one the scenario designs. :func:`builtin_scenarios` generates the designs
of the debate for any workspace from its units' functions; :func:`read_scenarios` and
:func:`read_scenario_files` read the ones a user writes in YAML; :func:`compare` scores every
scenario on the same data (:data:`METRICS`).
"""

from orglens.scenarios.apply import apply, apply_operation
from orglens.scenarios.builtin import BUILTIN_NAMES, all_scenarios, builtin_scenarios, departments
from orglens.scenarios.compare import Comparison, ScenarioScore, compare, dominance
from orglens.scenarios.load import dump_scenario, read_scenario_files, read_scenarios, yaml_lines
from orglens.scenarios.metrics import METRICS, Metric
from orglens.scenarios.ops import (
    OPERATIONS,
    BuildPods,
    HoldForum,
    MergeUnits,
    MovePeople,
    Operation,
    Scenario,
    ScenarioKind,
    SplitUnit,
)

__all__ = [
    "BUILTIN_NAMES",
    "METRICS",
    "OPERATIONS",
    "BuildPods",
    "Comparison",
    "HoldForum",
    "MergeUnits",
    "Metric",
    "MovePeople",
    "Operation",
    "Scenario",
    "ScenarioKind",
    "ScenarioScore",
    "SplitUnit",
    "all_scenarios",
    "apply",
    "apply_operation",
    "builtin_scenarios",
    "compare",
    "departments",
    "dominance",
    "dump_scenario",
    "read_scenario_files",
    "read_scenarios",
    "yaml_lines",
]
