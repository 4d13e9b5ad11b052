"""Declared coordination needs between groups: the group×group matrix and its cross-unit share.

Part of the process lens (:mod:`orglens.lenses.process`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from orglens.lenses._common import Matrix, grouper, matrix_to_dict, resolve_level, rounded
from orglens.model import Organization

__all__ = ["Coordination", "coordination_matrix"]


@dataclass(frozen=True)
class Coordination:
    """Declared coordination needs between groups (see :func:`coordination_matrix`)."""

    needs: int
    total_weight: float
    cross_unit_weight: float
    cross_unit_share: float | None
    matrix: Matrix

    def to_dict(self) -> dict[str, Any]:
        return {
            "needs": self.needs,
            "total_weight": rounded(self.total_weight),
            "cross_unit_weight": rounded(self.cross_unit_weight),
            "cross_unit_share": rounded(self.cross_unit_share),
            "matrix": matrix_to_dict(self.matrix),
        }


def coordination_matrix(org: Organization, /, *, level: int | None = None) -> Coordination:
    """Declared coordination needs as a group×group matrix, and their cross-unit share.

    Each need's ``source`` and ``target`` (a unit id, or a person id standing for their unit)
    map to their group at ``level``. ``total_weight`` is the sum of all weights;
    ``cross_unit_weight`` the sum over needs whose groups differ; ``cross_unit_share`` their
    ratio (``None`` without needs). ``matrix[source][target]`` is the summed weight, within-group
    cells included.

    Examples
    --------
    >>> from orglens.model import CoordinationNeed, Organization, Person
    >>> org = Organization(
    ...     people=[Person(id="m", unit="Marketing"), Person(id="s", unit="Sales")],
    ...     coordination=[
    ...         CoordinationNeed(source="m", target="Sales", weight=3),
    ...         CoordinationNeed(source="Marketing", target="m", weight=1),
    ...     ],
    ... )
    >>> c = coordination_matrix(org)
    >>> c.cross_unit_share, dict(c.matrix["Marketing"])
    (0.75, {'Sales': 3.0, 'Marketing': 1.0})
    """
    group_of = grouper(org, resolve_level(org, level))
    matrix: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    total = 0.0
    cross = 0.0
    for need in org.coordination:
        source, target = group_of(need.source), group_of(need.target)
        matrix[source][target] += need.weight
        total += need.weight
        if source != target:
            cross += need.weight
    return Coordination(
        needs=len(org.coordination),
        total_weight=total,
        cross_unit_weight=cross,
        cross_unit_share=cross / total if total > 0 else None,
        matrix={source: dict(row) for source, row in matrix.items()},
    )
