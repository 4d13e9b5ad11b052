"""The registry of scenario operations: one table of model and function, :data:`OPERATIONS`.

An operation is data, a model in :mod:`orglens.model.scenario` (the YAML reader knows it from
the :data:`~orglens.model.Operation` union), and a function here that applies it to a
:class:`~orglens.scenarios._draft.Draft` of the organization. :func:`orglens.scenarios.apply`
looks every operation up in this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from orglens.model import (
    BuildPods,
    FormTeams,
    HoldForum,
    MergeUnits,
    MovePeople,
    ScenarioOperation,
    SplitUnit,
)
from orglens.scenarios._draft import Draft
from orglens.scenarios.pods import build_pods
from orglens.scenarios.restructure import hold_forum, merge_units, move_people, split_unit
from orglens.scenarios.teams import form_teams

__all__ = ["OPERATIONS", "OperationKind"]

OperationT = TypeVar("OperationT", bound=ScenarioOperation)


@dataclass(frozen=True)
class OperationKind(Generic[OperationT]):
    """One scenario operation: its ``key`` (the model's ``op``, the YAML key ``- KEY: {...}``),
    its ``model``, and ``apply(draft, operation)``, which edits the draft in place.

    Examples
    --------
    >>> OPERATIONS["merge"].model.__name__, OPERATIONS["merge"].apply.__name__
    ('MergeUnits', 'merge_units')
    """

    key: str
    model: type[OperationT]
    apply: Callable[[Draft, OperationT], None]


#: Every scenario operation by its key, in the order of the :data:`~orglens.model.Operation`
#: union (a test checks that the two hold the same operations).
OPERATIONS: dict[str, OperationKind[Any]] = {
    kind.key: kind
    for kind in (
        OperationKind("merge", MergeUnits, merge_units),
        OperationKind("move", MovePeople, move_people),
        OperationKind("split", SplitUnit, split_unit),
        OperationKind("pods", BuildPods, build_pods),
        OperationKind("forum", HoldForum, hold_forum),
        OperationKind("teams", FormTeams, form_teams),
    )
}
