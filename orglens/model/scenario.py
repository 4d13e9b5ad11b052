"""What a scenario leaves in an organization besides its structure: forums.

A forum changes no reporting line and no unit. The heads of its units meet regularly under a
chair, so coordination between those units escalates to the chair instead of climbing the
hierarchy to their lowest common manager; handoffs between the units stay cross-unit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Forum"]


class Forum(BaseModel):
    """A regular meeting of the heads of ``units`` under ``chair`` (a person id).

    Examples
    --------
    >>> Forum(name="Revenue council", units=("sales", "marketing"), chair="ceo").units
    ('sales', 'marketing')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    units: tuple[str, ...] = Field(min_length=2)
    chair: str = Field(min_length=1)
