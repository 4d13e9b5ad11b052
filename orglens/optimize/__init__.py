"""The team-design optimizer: group people into teams so that the least work crosses team
boundaries, under the constraints an organization has, with a proven bound on how far from
the best possible the answer may be."""

from orglens.optimize.problem import (
    Constraints,
    Graph,
    Progress,
    Solution,
    cross_weight,
    movers,
    objective,
    violations,
)

__all__ = [
    "Constraints",
    "Graph",
    "Progress",
    "Solution",
    "cross_weight",
    "movers",
    "objective",
    "violations",
]
