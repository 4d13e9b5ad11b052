"""Lower bounds on the best objective, for instances too large for the exact solver to prove.

Every bound here is a relaxation: it ignores ``move_cost`` (never negative), ``require``,
``together``, ``apart`` and ``fixed``, and keeps only the team sizes and their number, so it is
never above the true optimum. It is also weak. On the handover instances of 20–40 nodes it
reaches a third to two thirds of the optimum with 10–15 small teams (once only 14 %), and
little or nothing with 5 large ones (disconnected pieces fit whole); on a sparse graph
whose every neighbourhood fits in a team (about ten contacts, teams
of nine) it is a small fraction of the cut. Prove small instances with
:func:`orglens.optimize.exact.solve_exact` instead: its bound is far tighter."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from orglens.optimize.feasible import check, team_count_range
from orglens.optimize.problem import Constraints, Graph

__all__ = ["DENSE_LIMIT", "SPECTRAL_NODES", "lower_bound", "spectral_bound", "star_bound"]

#: Components (or pieces of one) up to this many nodes get a dense eigendecomposition; larger
#: components are cut into pieces of this size first (see :func:`spectral_bound`).
DENSE_LIMIT = 1000
#: :func:`lower_bound` leaves the eigenvalue bound out above this many nodes: its pieces then
#: drop so many edges that it rarely beats the star bound, for seconds per piece.
SPECTRAL_NODES = 5000

_EPS = 1e-9


def lower_bound(graph: Graph, constraints: Constraints) -> float:
    """A lower bound on the least objective any feasible assignment can reach.

    The larger of :func:`star_bound` and :func:`spectral_bound` (the star bound alone above
    :data:`SPECTRAL_NODES` nodes); both are relaxations, so the result is at least 0 and at most
    the optimum. It is weak (see the module docstring) but fast: well under a second for
    10,000 nodes, a few seconds up to 5,000 (dense eigendecompositions of pieces of
    :data:`DENSE_LIMIT` nodes).

    Raises
    ------
    UsageError
        When counting shows a constraint cannot be met (:func:`orglens.optimize.feasible.check`).

    Examples
    --------
    Two triangles joined by one edge, in teams of three: the optimum cuts the bridge (1).

    >>> edges = ((0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0), (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0),
    ...          (2, 3, 1.0))
    >>> graph = Graph(nodes=tuple("abcdef"), size=(1.0,) * 6, edges=edges)
    >>> 0 < lower_bound(graph, Constraints(min_size=3, max_size=3)) <= 1
    True
    """
    check(graph, constraints)
    star = star_bound(graph, constraints)
    if len(graph.nodes) > SPECTRAL_NODES:
        return star
    return max(star, spectral_bound(graph, constraints))


def star_bound(graph: Graph, constraints: Constraints) -> float:
    """Half the sum, over nodes, of the weight each must send out of its team.

    A node's team holds at most ``max_size`` minus its own size of other nodes, so at best it
    keeps the heaviest neighbours that fit (a fractional knapsack by weight per size); the rest
    of its weight crosses. Every crossing edge is counted at both ends, hence the half. Strong
    when teams are small and nodes have many contacts; 0 when every neighbourhood fits.

    Examples
    --------
    A star of four leaves in teams of at most two: the centre keeps one edge, three cross.

    >>> star = Graph(nodes=tuple("cabde"), size=(1.0,) * 5,
    ...              edges=tuple((0, leaf, 1.0) for leaf in range(1, 5)))
    >>> star_bound(star, Constraints(max_size=2))
    1.5
    """
    if math.isinf(constraints.max_size):
        return 0.0
    neighbours: list[list[tuple[float, float]]] = [[] for _ in graph.nodes]
    for i, j, weight in graph.edges:
        neighbours[i].append((weight, graph.size[j]))
        neighbours[j].append((weight, graph.size[i]))
    total = 0.0
    for node, around in enumerate(neighbours):
        room = constraints.max_size - graph.size[node]
        total += max(0.0, sum(w for w, _ in around) - _knapsack(around, room))
    return total / 2


def _knapsack(items: list[tuple[float, float]], room: float) -> float:
    """The most weight of ``(weight, size)`` items that fits in ``room``, items divisible."""
    kept = 0.0
    for weight, size in sorted(items, key=lambda item: _ratio(*item), reverse=True):
        if size <= room:
            kept += weight
            room -= size
        else:
            return kept + weight * max(room, 0.0) / size
    return kept


def _ratio(weight: float, size: float) -> float:
    return math.inf if size <= 0 else weight / size


def spectral_bound(graph: Graph, constraints: Constraints) -> float:
    """The Donath–Hoffman eigenvalue bound, minimised over the team sizes the constraints allow.

    For teams of total sizes ``m_1 >= ... >= m_k`` the crossing weight is at least
    ``½ Σ m_j λ_j``, where ``λ_1 <= λ_2 <= ...`` are the eigenvalues of ``S^-½ L S^-½``
    (``L`` the weighted Laplacian, ``S`` the node sizes; Donath & Hoffman 1973, with node sizes
    by the same argument). The sizes are relaxed to real numbers within
    ``min_size..max_size`` summing to the total, and every allowed number of teams is tried.

    Each connected component of up to :data:`DENSE_LIMIT` nodes is decomposed densely (numpy's
    ``eigvalsh``). A larger one is cut into pieces of that size in breadth-first order and the
    edges between pieces dropped: a Laplacian without some edges is below the full one, so its
    eigenvalues are lower (Weyl) and the bound stays valid, only weaker. Eigenvalues are lowered
    by a margin for rounding. Returns 0 when a node has no positive size.

    Examples
    --------
    Two triangles joined by one edge, in teams of three: a positive bound below the optimum 1.

    >>> edges = ((0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0), (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0),
    ...          (2, 3, 1.0))
    >>> graph = Graph(nodes=tuple("abcdef"), size=(1.0,) * 6, edges=edges)
    >>> round(spectral_bound(graph, Constraints(min_size=3, max_size=3)), 3)
    0.658
    """
    counts = team_count_range(graph, constraints)
    if not graph.edges or not counts or any(size <= 0 for size in graph.size):
        return 0.0
    values = np.sort(np.concatenate(_eigenvalues(graph, _pieces(graph))))
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    total = sum(graph.size)
    low = max(constraints.min_size, 0.0)
    high = min(constraints.max_size, total)
    best = min(_weighted_sum(prefix, k, total, low, high) for k in counts)
    return max(0.0, best / 2 * (1 - _EPS))


def _weighted_sum(
    prefix: npt.NDArray[np.float64], k: int, total: float, low: float, high: float
) -> float:
    """``min Σ m_j λ_j`` over ``low <= m_j <= high``, ``Σ m_j = total`` (``prefix[j]`` is
    ``λ_1 + ... + λ_j``): the parts with the smallest eigenvalues are filled first, to ``high``,
    one part takes the remainder and the rest keep ``low``."""
    spare = max(total - k * low, 0.0)
    full = k if high <= low else min(k, math.floor(spare / (high - low)))
    value = low * prefix[k] + (high - low) * prefix[full]
    if full < k:
        value += (spare - full * (high - low)) * (prefix[full + 1] - prefix[full])
    return float(value)


def _pieces(graph: Graph) -> list[list[int]]:
    """The nodes in breadth-first order, cut into connected pieces of at most DENSE_LIMIT."""
    around: list[list[int]] = [[] for _ in graph.nodes]
    for i, j, _ in graph.edges:
        around[i].append(j)
        around[j].append(i)
    seen = [False] * len(graph.nodes)
    pieces: list[list[int]] = []
    for start in range(len(graph.nodes)):
        if seen[start]:
            continue
        seen[start] = True
        order, head = [start], 0
        while head < len(order):
            for other in around[order[head]]:
                if not seen[other]:
                    seen[other] = True
                    order.append(other)
            head += 1
        pieces += [order[at : at + DENSE_LIMIT] for at in range(0, len(order), DENSE_LIMIT)]
    return pieces


def _eigenvalues(graph: Graph, pieces: list[list[int]]) -> list[npt.NDArray[np.float64]]:
    """The eigenvalues of ``S^-½ L S^-½`` on each piece (edges between pieces dropped), each
    lowered by a bound on its rounding error."""
    where: dict[int, tuple[int, int]] = {}
    for number, piece in enumerate(pieces):
        where.update((node, (number, at)) for at, node in enumerate(piece))
    inside: list[list[tuple[int, int, float]]] = [[] for _ in pieces]
    for i, j, weight in graph.edges:
        (piece_i, a), (piece_j, b) = where[i], where[j]
        if piece_i == piece_j:
            inside[piece_i].append((a, b, weight))
    found: list[npt.NDArray[np.float64]] = []
    for piece, edges in zip(pieces, inside, strict=True):
        laplacian = np.zeros((len(piece), len(piece)))
        for a, b, weight in edges:
            laplacian[a, b] -= weight
            laplacian[b, a] -= weight
            laplacian[a, a] += weight
            laplacian[b, b] += weight
        scale = 1 / np.sqrt(np.array([graph.size[node] for node in piece]))
        matrix = laplacian * scale[:, None] * scale[None, :]
        # eigvalsh is backward stable: each eigenvalue is off by at most ~n·ε·‖A‖, and ‖A‖ is
        # at most the largest absolute row sum
        margin = 1e-12 * len(piece) * float(np.abs(matrix).sum(axis=1).max())
        found.append(np.clip(np.linalg.eigvalsh(matrix) - margin, 0.0, None))
    return found
