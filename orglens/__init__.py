"""orglens: evidence for how to organize sales, marketing, communications and product.

>>> import orglens
>>> org = orglens.Organization(people=[orglens.Person(id="ceo", unit="Management")])
>>> orglens.analyze(org).hr.to_dict()["layers"]
1
"""

from typing import Any

from orglens.errors import InvalidWorkspace, OrglensError, Problem, UsageError
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


def __getattr__(name: str) -> Any:
    # The engine brings Ibis and DuckDB: loaded when first asked for, not on `import orglens`.
    if name == "connect":
        from orglens.engine import connect

        return connect
    raise AttributeError(f"module 'orglens' has no attribute {name!r}")
