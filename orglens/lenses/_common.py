"""Small pieces every lens shares."""

from __future__ import annotations

from orglens.errors import Problem, UsageError
from orglens.model import Organization, Structure

__all__ = ["resolve_level", "roll_up", "rounded"]


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
