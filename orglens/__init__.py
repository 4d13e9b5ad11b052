"""orglens: evidence for how to organize sales, marketing, communications and product.

>>> import orglens
>>> org = orglens.Organization(people=[orglens.Person(id="ceo", unit="Management")])
>>> orglens.analyze(org).hr.to_dict()["layers"]
1
"""

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
    "load",
    "validate",
]
