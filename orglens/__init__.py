"""orglens: evidence for how to organize sales, marketing, communications and product.

:class:`Workspace` is the library object every front end calls: ``Workspace.open(path)``, then
``.analysis()``, ``.compare()``, ``.mine(...)``.

>>> import orglens
>>> org = orglens.Organization(people=[orglens.Person(id="ceo", unit="Management")])
>>> orglens.analyze(org).hr.to_dict()["layers"]
1
"""

import importlib
from typing import TYPE_CHECKING, Any

from orglens.errors import InvalidWorkspace, OrglensError, Problem, UsageError

if TYPE_CHECKING:
    from orglens.advice import Advice, Finding
    from orglens.engine import connect
    from orglens.io import load
    from orglens.lenses import (
        Analysis,
        BudgetResult,
        CustomerResult,
        HrResult,
        ProcessResult,
        analyze,
    )
    from orglens.model import Organization, Person, Settings, Unit
    from orglens.scenarios import Scorecard
    from orglens.workspace import Comparison, Workspace, validate

__version__ = "0.1.0"

__all__ = [
    "Advice",
    "Analysis",
    "BudgetResult",
    "Comparison",
    "CustomerResult",
    "Finding",
    "HrResult",
    "InvalidWorkspace",
    "Organization",
    "OrglensError",
    "Person",
    "Problem",
    "ProcessResult",
    "Scorecard",
    "Settings",
    "Unit",
    "UsageError",
    "Workspace",
    "__version__",
    "analyze",
    "connect",
    "load",
    "validate",
]


# Loaded when first asked for, not on `import orglens`: the model (pydantic) takes about a
# second to build, and the engine brings Ibis and DuckDB; `orglens mine` needs neither model
# nor lenses.
_LAZY = {
    "connect": "orglens.engine",
    "load": "orglens.io",
    **dict.fromkeys(("Comparison", "Workspace", "validate"), "orglens.workspace"),
    **dict.fromkeys(("Advice", "Finding"), "orglens.advice"),
    "Scorecard": "orglens.scenarios",
    **dict.fromkeys(
        ("Analysis", "BudgetResult", "CustomerResult", "HrResult", "ProcessResult", "analyze"),
        "orglens.lenses",
    ),
    **dict.fromkeys(("Organization", "Person", "Settings", "Unit"), "orglens.model"),
}


#: Modules whose results a notebook displays as the report's sections.
_DISPLAYED = frozenset({"orglens.workspace", "orglens.advice", "orglens.lenses"})


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'orglens' has no attribute {name!r}")
    if module in _DISPLAYED:
        # the report registers how results show in a notebook (see orglens.display)
        importlib.import_module("orglens.report")
    return getattr(importlib.import_module(module), name)
