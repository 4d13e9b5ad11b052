"""Small pieces every lens shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from orglens.errors import Problem, UsageError
from orglens.model import Organization, Structure

__all__ = ["Matrix", "grouper", "matrix_to_dict", "resolve_level", "roll_up", "rounded"]

#: Weights from source group to target group (``matrix[source][target]``).
Matrix = Mapping[str, Mapping[str, float]]


def rounded(value: float | None) -> float | None:
    """``value`` rounded to 6 decimals for output; ``None`` stays ``None``."""
    return None if value is None else round(value, 6)


def resolve_level(org: Organization, level: int | None) -> int:
    """The level to measure at: ``level``, or the workspace's setting when ``None``."""
    used = org.settings.level if level is None else level
    if used < 0:
        raise UsageError(
            Problem(
                f"level {used!r} is negative",
                "use 0 (whole company), 1 (departments) or a deeper level of the unit tree",
            )
        )
    return used


def roll_up(structure: Structure, own: dict[str, float]) -> dict[str, float]:
    """Each unit's value plus the values of every unit below it (children before parents)."""
    total = dict(own)
    for unit in sorted(structure.unit_depth, key=structure.unit_depth.__getitem__, reverse=True):
        parent = structure.unit_parent[unit]
        if parent is not None:
            total[parent] += total[unit]
    return total


def matrix_to_dict(matrix: Matrix) -> dict[str, dict[str, float | None]]:
    """``matrix`` for output: sources and targets sorted, weights :func:`rounded`."""
    return {
        source: {target: rounded(row[target]) for target in sorted(row)}
        for source, row in sorted(matrix.items())
    }


def grouper(org: Organization, level: int) -> Callable[[str], str]:
    """Map a unit id or a person id to its group at ``level``
    (:meth:`~orglens.model.Structure.unit_or_person_group`, looked up without a call per step)."""
    structure = org.structure
    groups, unit_of = structure.unit_groups(level), structure.unit_of

    def group_of(ref: str) -> str:
        group = groups.get(ref)
        return groups[unit_of[ref]] if group is None else group

    return group_of
