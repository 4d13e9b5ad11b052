"""One entry point: the exact solver for small instances, the heuristic with a bound for large.

Up to :data:`EXACT_NODES` nodes, CP-SAT (OR-Tools) proves the optimum or reports the gap to its
bound within the time limit, started from a quick heuristic answer (a hint). Above, the
heuristic runs for the time limit and a relaxation gives the lower bound. Without OR-Tools
installed, every instance goes to the heuristic.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import replace

from orglens.optimize.bound import lower_bound
from orglens.optimize.feasible import check
from orglens.optimize.heuristic import solve_heuristic
from orglens.optimize.problem import Constraints, Graph, Progress, Solution

__all__ = ["EXACT_NODES", "exact_available", "solve"]

#: Instances up to this many nodes go to the exact solver by default.
EXACT_NODES = 60
#: Share of the time limit the heuristic gets to find CP-SAT's first hint.
_HINT_SHARE = 0.1


def exact_available() -> bool:
    """Whether OR-Tools (the ``optimize`` extra) is installed."""
    return importlib.util.find_spec("ortools") is not None


def solve(
    graph: Graph,
    constraints: Constraints,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    exact: bool | None = None,
    progress: Progress | None = None,
) -> Solution:
    """The best teams found for ``graph`` under ``constraints`` within ``time_limit`` seconds.

    ``exact`` forces (``True``) or forbids (``False``) the exact solver; by default it runs up
    to :data:`EXACT_NODES` nodes when OR-Tools is installed. The answer always satisfies every
    constraint, or a :class:`~orglens.errors.UsageError` names the one that cannot be met.
    """
    check(graph, constraints)
    started = time.perf_counter()
    use_exact = (
        exact if exact is not None else (len(graph.nodes) <= EXACT_NODES and exact_available())
    )
    if use_exact:
        from orglens.optimize.exact import solve_exact

        first = solve_heuristic(graph, constraints, time_limit=time_limit * _HINT_SHARE, seed=seed)
        left = max(1.0, time_limit - (time.perf_counter() - started))
        found = solve_exact(
            graph, constraints, time_limit=left, seed=seed, hint=first.assignment,
            progress=progress,
        )  # fmt: skip
        if found.objective > first.objective:  # CP-SAT ran out of time before the hint's value
            found = replace(first, lower_bound=found.lower_bound, solver="cp-sat+heuristic")
    else:
        found = solve_heuristic(
            graph, constraints, time_limit=time_limit, seed=seed, progress=progress
        )
        found = replace(found, lower_bound=min(lower_bound(graph, constraints), found.objective))
    return replace(found, seconds=time.perf_counter() - started)
