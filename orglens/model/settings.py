"""Settings a workspace may override in ``orglens.yaml`` under ``settings:``.

Every default carries its source, so that an output can say where a benchmark comes from.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

__all__ = ["BRAND_BENCHMARK_SOURCE", "Settings", "SpanArchetype"]

BRAND_BENCHMARK_SOURCE = (
    "Binet & Field, 'The 5 Principles of Growth in B2B Marketing' (LinkedIn B2B Institute, 2019): "
    "about 46% brand / 54% activation for B2B"
)


class SpanArchetype(BaseModel):
    """A manager archetype by span of control (number of direct reports), ``max=None`` = no cap."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    min: int = Field(ge=1)
    max: int | None = None


# After McKinsey's five manager archetypes ("How to identify the right 'spans of control' for
# your organization", McKinsey & Company, 2017). The source text
# gives "coordinator 15+"; 15 already belongs to facilitator, so coordinator starts at 16.
DEFAULT_ARCHETYPES = (
    SpanArchetype(name="player/coach", min=3, max=5),
    SpanArchetype(name="coach", min=6, max=7),
    SpanArchetype(name="supervisor", min=8, max=10),
    SpanArchetype(name="facilitator", min=11, max=15),
    SpanArchetype(name="coordinator", min=16, max=None),
)


class Settings(BaseModel):
    """Tunable thresholds of the lenses.

    Examples
    --------
    >>> Settings().span_range
    (3, 15)
    >>> Settings(span_range=(4, 8)).archetype_of(12)
    'facilitator'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    span_archetypes: tuple[SpanArchetype, ...] = DEFAULT_ARCHETYPES
    span_range: tuple[int, int] = (3, 15)
    team_size: tuple[int, int] = (5, 9)
    group_layers: tuple[int, ...] = (5, 15, 50, 150)
    brand_benchmark: float = Field(default=0.46, ge=0, le=1)
    brand_benchmark_source: str = BRAND_BENCHMARK_SOURCE
    level: int = Field(default=1, ge=0)
    #: Upper bounds of the span bands that ``hr.span_bands`` counts managers in; one more band
    #: holds every span above the last bound. The default bands are 1, 2-3, 4-7, 8-12, 13-16, 17+.
    span_bands: tuple[int, ...] = (1, 3, 7, 12, 16)
    #: Upper bounds in seconds of the bands the handoff SLA (``process.observed.handoff_sla``)
    #: counts waits within: by default 5 minutes, 1 hour, 1 day and 1 week.
    handoff_sla_bands_s: tuple[float, ...] = (300.0, 3600.0, 86400.0, 604800.0)

    @field_validator("span_bands")
    @classmethod
    def _span_bands_rise_from_one(cls, bounds: tuple[int, ...]) -> tuple[int, ...]:
        if not bounds or bounds[0] < 1 or list(bounds) != sorted(set(bounds)):
            raise ValueError(
                "span_bands must be rising upper bounds from 1, e.g. [1, 3, 7, 12, 16]"
            )
        return bounds

    @field_validator("handoff_sla_bands_s")
    @classmethod
    def _handoff_sla_bands_rise(cls, bounds: tuple[float, ...]) -> tuple[float, ...]:
        if not bounds or bounds[0] <= 0 or list(bounds) != sorted(set(bounds)):
            raise ValueError(
                "handoff_sla_bands_s must be rising seconds above 0, e.g. [300, 3600, 86400]"
            )
        return bounds

    # One validator per field (not one for the model), so that a bad team_size and a bad
    # span_range are both reported, each at its own line.
    @field_validator("span_range", "team_size")
    @classmethod
    def _range_is_ordered(cls, bounds: tuple[int, int], info: ValidationInfo) -> tuple[int, int]:
        low, high = bounds
        if low > high:
            raise ValueError(
                f"{info.field_name} must be [min, max] with min <= max, got {[low, high]}"
            )
        return bounds

    def archetype_of(self, span: int) -> str:
        """The archetype whose range holds ``span``, or ``"none"`` when no archetype does."""
        for archetype in self.span_archetypes:
            if span >= archetype.min and (archetype.max is None or span <= archetype.max):
                return archetype.name
        return "none"

    def span_flag(self, span: int) -> str | None:
        """``"below range"`` / ``"above range"`` when ``span`` is outside ``span_range``."""
        low, high = self.span_range
        if span < low:
            return "below range"
        if span > high:
            return "above range"
        return None
