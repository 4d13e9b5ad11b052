"""Scenarios as data: the operations a scenario is made of, the scenario itself, and the forums a
scenario leaves in an organization besides its structure.

Every operation is a frozen model that refuses unknown keys. Unit and person references are ids
(a unit's or a person's name also works when no other unit or person has it); they are checked
against the organization when the operation is applied (:func:`orglens.scenarios.apply`), so
that one scenario can be tried on several workspaces. What each operation does is documented on
its class and in :mod:`orglens.scenarios.apply`.

``origin`` remembers where an operation or a scenario was written (``orglens.yaml`` or
``scenarios/NAME.yaml`` and the line), so that a problem found when applying it points there;
it is never serialized.

A forum changes no reporting line and no unit. The heads of its units meet regularly under a
chair, so coordination between those units escalates to the chair instead of climbing the
hierarchy to their lowest common manager; handoffs between the units stay cross-unit.

An operation is a model here (a subclass of :class:`ScenarioOperation` with an ``op`` literal,
and a member of the :data:`Operation` union) plus a function in :mod:`orglens.scenarios`; see
that package for the registry.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orglens.model.records import Origin

__all__ = [
    "OPERATION_MODELS",
    "BuildPods",
    "FormTeams",
    "Forum",
    "HoldForum",
    "MergeUnits",
    "MovePeople",
    "Operation",
    "Scenario",
    "ScenarioKind",
    "ScenarioOperation",
    "SplitUnit",
]

ScenarioKind = Literal["status_quo", "forum", "merge", "pods", "split", "move", "teams", "custom"]


#: Default cadence and length of a forum: monthly, an hour and a half (an orglens convention).
FORUM_MEETINGS_PER_YEAR = 12.0
FORUM_HOURS_PER_MEETING = 1.5


class Forum(BaseModel):
    """A regular meeting of the heads of ``units`` under ``chair`` (a person id).

    ``meetings_per_year`` × ``hours_per_meeting`` × the attendees (the chair and the owner of
    each unit) are the forum's hours per year, its cost.

    Examples
    --------
    >>> Forum(name="Revenue council", units=("sales", "marketing"), chair="ceo").units
    ('sales', 'marketing')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    units: tuple[str, ...] = Field(min_length=2)
    chair: str = Field(min_length=1)
    meetings_per_year: float = Field(default=FORUM_MEETINGS_PER_YEAR, ge=0)
    hours_per_meeting: float = Field(default=FORUM_HOURS_PER_MEETING, ge=0)


class ScenarioOperation(BaseModel):
    """What every operation has: no unknown keys, immutability, and where it was written.

    A subclass declares ``op: Literal["KEY"] = "KEY"``, the key that names it in YAML
    (``- KEY: {...}``) and in :data:`ScenarioKind`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: Origin | None = Field(default=None, exclude=True, repr=False)


class MergeUnits(ScenarioOperation):
    """``units`` become teams of one new department named ``name``, headed by ``head``.

    The new department (id ``id``, else made from ``name``) sits under the lowest unit above
    every merged unit (their common parent, usually the top unit). Without ``head``, the owner
    of the largest merged unit (most people, sub-units included; ties by the order given) heads
    it. The head reports to the lowest common manager of the merged units' owners (usually
    unchanged) and now manages the owners of the other merged units; the head stays head of
    their own unit.

    Examples
    --------
    >>> MergeUnits(units=("sales", "marketing"), name="Revenue").op
    'merge'
    """

    op: Literal["merge"] = "merge"
    units: tuple[str, ...] = Field(min_length=2)
    name: str = Field(min_length=1)
    head: str | None = None
    id: str | None = Field(default=None, min_length=1)


class MovePeople(ScenarioOperation):
    """Some people move to unit ``to``: the ``people`` listed, everyone with ``role``, or everyone
    with ``competence`` (role and competence ignore case and surrounding spaces).

    Each moved person reports to the owner of ``to`` (its head), except the owner themselves.
    A moved unit head stays head of their old unit, and their reports keep reporting to them.

    Examples
    --------
    >>> MovePeople(role="SDR", to="demand-gen").role
    'SDR'
    >>> MovePeople(to="sales")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for MovePeople
      Value error, give exactly one of people, role or competence [...]
        ...
    """

    op: Literal["move"] = "move"
    people: tuple[str, ...] = ()
    role: str | None = Field(default=None, min_length=1)
    competence: str | None = Field(default=None, min_length=1)
    to: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_selection(self) -> MovePeople:
        given = sum((bool(self.people), self.role is not None, self.competence is not None))
        if given != 1:
            raise ValueError("give exactly one of people, role or competence")
        return self


class SplitUnit(ScenarioOperation):
    """The own members of ``unit`` are divided into one sub-unit per value of ``by``.

    ``by`` is ``segment`` (a person's first listed segment), ``location``, ``role``,
    ``work_mode``, or the name of any extra column of ``people.csv``. The unit's owner and the
    people without a value stay in the unit. Each sub-unit is headed by the most senior member
    of its group, who reports to the unit's owner; the others of the group report to that head.
    """

    op: Literal["split"] = "split"
    unit: str = Field(min_length=1)
    by: str = Field(min_length=1)


class BuildPods(ScenarioOperation):
    """Cross-functional pods from the members of ``units``, per journey stage or per segment.

    Everyone in ``units`` and the units below them moves into a pod, except unit owners (the
    chapter heads stay where they are), the pods' head, and people without a stage or segment.
    Pods hold ``size`` people (``None``: the team size of the settings) and sit in a new
    department ``name`` under the units' common parent, headed by ``head`` (else the owner of
    the largest unit, as for a merge). Every pod member keeps ``chapter`` = their previous unit.
    """

    op: Literal["pods"] = "pods"
    units: tuple[str, ...] = Field(min_length=1)
    by: Literal["stage", "segment"] = "stage"
    size: tuple[int, int] | None = None
    name: str = Field(default="Pods", min_length=1)
    head: str | None = None
    id: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _size_is_a_range(self) -> BuildPods:
        if self.size is not None and not 1 <= self.size[0] <= self.size[1]:
            raise ValueError(f"size must be [min, max] with 1 <= min <= max, got {self.size}")
        return self


class HoldForum(ScenarioOperation):
    """The heads of ``units`` meet regularly under ``chair`` (``None``: the top person).

    No reporting line or unit changes; the organization gains a :class:`Forum`, which meets
    ``meetings_per_year`` times for ``hours_per_meeting`` hours (default: monthly, 1.5 hours).
    """

    op: Literal["forum"] = "forum"
    units: tuple[str, ...] = Field(min_length=2)
    chair: str | None = None
    name: str = ""
    meetings_per_year: float = Field(default=FORUM_MEETINGS_PER_YEAR, ge=0)
    hours_per_meeting: float = Field(default=FORUM_HOURS_PER_MEETING, ge=0)


class FormTeams(ScenarioOperation):
    """People regrouped into teams, as ``orglens optimize`` proposes: ``teams`` maps each team's
    name to the ids of its members.

    Each team becomes a unit (id made from its name) under ``parent`` (``None``: the unit most
    of its members are in today, so that a team drawn from one department stays in it). The
    member highest in today's hierarchy (fewest layers from the top; ties to the most senior)
    leads it and keeps their manager; every other member reports to them. People in no team
    stay where they are.

    Examples
    --------
    >>> FormTeams(teams={"Team 1": ("anna", "bo")}).op
    'teams'
    """

    op: Literal["teams"] = "teams"
    teams: dict[str, tuple[str, ...]] = Field(min_length=1)
    parent: str | None = None

    @model_validator(mode="after")
    def _each_person_in_one_team(self) -> FormTeams:
        seen: set[str] = set()
        for name, members in self.teams.items():
            if not members:
                raise ValueError(f"team {name!r} has no members")
            twice = seen & set(members)
            if twice:
                raise ValueError(f"{sorted(twice)} are in more than one team")
            seen.update(members)
        return self


Operation = Annotated[
    MergeUnits | MovePeople | SplitUnit | BuildPods | HoldForum | FormTeams,
    Field(discriminator="op"),
]

#: The models of the :data:`Operation` union by the key that names them in YAML
#: (``- merge: {...}``), in the union's order; derived from the union, not a second list.
OPERATION_MODELS: dict[str, type[ScenarioOperation]] = {
    model.model_fields["op"].default: model for model in get_args(get_args(Operation)[0])
}


class Scenario(BaseModel):
    """A named design: ``operations`` applied in order to today's organization.

    ``kind`` says which design of the debate it is; when not given it follows from the
    operations: none → ``status_quo``, all of one kind → that kind, else ``custom``.

    Examples
    --------
    >>> Scenario(name="today").kind
    'status_quo'
    >>> Scenario(name="revenue", operations=[MergeUnits(units=("s", "m"), name="R")]).kind
    'merge'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    kind: ScenarioKind = "custom"
    description: str = ""
    operations: tuple[Operation, ...] = ()
    origin: Origin | None = Field(default=None, exclude=True, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _infer_kind(cls, data: object) -> object:
        if not isinstance(data, dict) or data.get("kind") is not None:
            return data
        kinds = set()
        for operation in data.get("operations") or ():
            is_mapping = isinstance(operation, dict)
            kinds.add(operation.get("op") if is_mapping else getattr(operation, "op", None))
        kinds.discard(None)
        inferred = "status_quo" if not kinds else kinds.pop() if len(kinds) == 1 else "custom"
        return {**data, "kind": inferred}
