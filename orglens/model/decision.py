"""How the scorecard becomes a decision: metric groups, their weights and the cost of change.

Pure data, read from ``decision:`` in ``orglens.yaml``. The scoring itself is
:mod:`orglens.advice.decision`; the method is written there and in the README.

The defaults are orglens conventions, not published benchmarks: the work that reaches the
customer (handoffs and waits) counts most, then coordination, escalation and the cost of change,
then the structure's own health (spans and layers, discipline fit, accountability). A company
sets its own weights when it weighs these differently.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["DEFAULT_WEIGHTS", "METRIC_GROUPS", "DecisionSettings"]

#: The scorecard's metrics by the group a weight applies to, in the order groups are shown.
METRIC_GROUPS: dict[str, tuple[str, ...]] = {
    "handoffs_and_waits": (
        "cross_unit_handoffs_per_case",
        "observed_cross_unit_handoffs_per_case",
        "expected_handoff_wait_s",
    ),
    "coordination": ("coordination_cross_unit_share",),
    "escalation": ("escalation_distance",),
    "spans_and_layers": ("max_span", "spans_out_of_range", "layers"),
    "discipline_fit": ("discipline_fit", "competence_dispersion"),
    "accountability": ("accountability_share",),
    "cost_of_change": (
        "people_moved",
        "managers_changed",
        "managers_gaining_or_losing_reports",
        "new_manager_roles",
        "forum_hours_per_year",
        "first_year_cost",
    ),
}

#: The default weight of each metric group (relative: only their ratios matter).
DEFAULT_WEIGHTS: dict[str, float] = {
    "handoffs_and_waits": 3.0,
    "coordination": 2.0,
    "escalation": 2.0,
    "spans_and_layers": 1.0,
    "discipline_fit": 1.0,
    "accountability": 1.0,
    "cost_of_change": 2.0,
}


class DecisionSettings(BaseModel):
    """Weights of the metric groups and what a change costs.

    Parameters
    ----------
    weights
        Weight of each group of :data:`METRIC_GROUPS` (0 or more; groups not given keep their
        default of :data:`DEFAULT_WEIGHTS`).
    working_hours_per_year
        Hours a person works in a year, to value an hour of a forum at the attendee's annual
        people cost divided by it (1,650 hours: a full-time year after holidays, a convention).
    move_cost_share
        The cost of moving one person to another unit, as a share of that person's annual
        people cost (onboarding, lost productivity: 10%, a convention).
    move_cost_per_person
        A fixed cost per moved person instead (in the workspace currency); ``None``: use
        ``move_cost_share``.

    Examples
    --------
    >>> DecisionSettings(weights={"escalation": 5}).weights["escalation"]
    5.0
    >>> DecisionSettings().weights["handoffs_and_waits"]
    3.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    working_hours_per_year: float = Field(default=1650.0, gt=0)
    move_cost_share: float = Field(default=0.1, ge=0)
    move_cost_per_person: float | None = Field(default=None, ge=0)

    @field_validator("weights", mode="before")
    @classmethod
    def _known_groups_with_defaults(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        unknown = [str(key) for key in value if key not in METRIC_GROUPS]
        if unknown:
            raise ValueError(
                f"unknown metric group {', '.join(map(repr, unknown))}; "
                f"use one of: {', '.join(METRIC_GROUPS)}"
            )
        negative = [str(key) for key, weight in value.items() if _number(weight) < 0]
        if negative:
            raise ValueError(f"weights must be 0 or more ({', '.join(negative)})")
        return {**DEFAULT_WEIGHTS, **value}


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
