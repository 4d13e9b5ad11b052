"""orglens: evidence for how to organize sales, marketing, communications and product.

>>> import orglens
>>> org = orglens.Organization(people=[orglens.Person(id="ceo", unit="Management")])
>>> orglens.analyze(org).hr.to_dict()["layers"]
1
"""

import importlib
from typing import TYPE_CHECKING, Any

from orglens.errors import InvalidWorkspace, OrglensError, Problem, UsageError

if TYPE_CHECKING:
    from orglens.engine import connect
    from orglens.io import load, validate
    from orglens.lenses import (
        Analysis,
        BudgetResult,
        CustomerResult,
        HrResult,
        ProcessResult,
        analyze,
    )
    from orglens.model import Organization, Person, Settings, Unit

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "BudgetResult",
    "CustomerResult",
    "HrResult",
    "InvalidWorkspace",
    "Organization",
    "OrglensError",
    "Person",
    "Problem",
    "ProcessResult",
    "Settings",
    "Unit",
    "UsageError",
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
    "validate": "orglens.io",
    **dict.fromkeys(
        ("Analysis", "BudgetResult", "CustomerResult", "HrResult", "ProcessResult", "analyze"),
        "orglens.lenses",
    ),
    **dict.fromkeys(("Organization", "Person", "Settings", "Unit"), "orglens.model"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'orglens' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
