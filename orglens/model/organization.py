"""The organization: every record of a workspace, checked as a whole at construction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orglens.errors import InvalidWorkspace, Problem
from orglens.model.records import (
    BudgetLine,
    CoordinationNeed,
    EventSource,
    JourneyActivity,
    Origin,
    Person,
    RevenueStream,
    Segment,
    Unit,
)
from orglens.model.scenario import Forum
from orglens.model.settings import Settings

if TYPE_CHECKING:
    from orglens.model.structure import Structure

__all__ = ["Organization"]


def _problem(origin: Origin | None, what: str, fix: str, default_file: str) -> Problem:
    if origin is None:
        return Problem(what, fix, default_file)
    return Problem(what, fix, origin.file, origin.line)


class Organization(BaseModel):
    """A company (or a part of one) as orglens sees it.

    Construction checks that ids are unique, that every reference points at something that
    exists, and that managers and units form trees; all problems are raised at once as
    :class:`~orglens.errors.InvalidWorkspace`.

    Examples
    --------
    >>> org = Organization(people=[
    ...     Person(id="ceo", unit="Management"),
    ...     Person(id="a", manager_id="ceo", unit="Sales"),
    ... ])
    >>> [u.id for u in org.units]
    ['Management', 'Sales']
    >>> org.structure.top
    'ceo'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "Unnamed company"
    currency: str = "EUR"
    settings: Settings = Field(default_factory=Settings)
    people: tuple[Person, ...]
    units: tuple[Unit, ...] = ()
    budget: tuple[BudgetLine, ...] = ()
    revenue: tuple[RevenueStream, ...] = ()
    journey: tuple[JourneyActivity, ...] = ()
    coordination: tuple[CoordinationNeed, ...] = ()
    segments: tuple[Segment, ...] = ()
    forums: tuple[Forum, ...] = ()
    events: EventSource | None = None
    warnings: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _derive_units(cls, data: object) -> object:
        """Without declared units, the units are the distinct ``unit`` values of people."""
        if not isinstance(data, dict) or data.get("units"):
            return data
        seen: dict[str, None] = {}
        for person in data.get("people", ()):
            unit = person.unit if isinstance(person, Person) else person.get("unit")
            if unit:
                seen.setdefault(str(unit), None)
        return {**data, "units": tuple(Unit(id=u, name=u) for u in seen)}

    def __init__(self, /, **data: object) -> None:
        super().__init__(**data)
        # Checked here rather than in a pydantic validator so that the error reaches the caller
        # as InvalidWorkspace (pydantic would wrap a ValueError raised by a validator).
        problems = [*self._duplicate_ids(), *self._dangling_references(), *self._cycles()]
        if problems:
            raise InvalidWorkspace(problems)

    # -- indexes -------------------------------------------------------------------------------

    @cached_property
    def person_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    @cached_property
    def structure(self) -> Structure:
        """Reporting lines and the unit tree, with the lookups every lens needs."""
        from orglens.model.structure import Structure

        return Structure.of(self)

    # -- checks --------------------------------------------------------------------------------

    def _duplicate_ids(self) -> Iterable[Problem]:
        for file, records, noun in (
            ("people.csv", self.people, "person"),
            ("units.csv", self.units, "unit"),
            ("budget.csv", self.budget, "budget line"),
            ("segments.csv", self.segments, "segment"),
        ):
            counts = Counter(r.id for r in records)
            for record in records:
                if counts[record.id] > 1:
                    yield _problem(
                        record.origin,
                        f"duplicate {noun} id {record.id!r} ({counts[record.id]} rows use it)",
                        f"give every {noun} its own id",
                        file,
                    )

    def _dangling_references(self) -> Iterable[Problem]:
        people, units = self.person_by_id, self.unit_by_id
        unit_fix = "use an id from units.csv (or add the unit there)"
        for p in self.people:
            if p.manager_id is not None and p.manager_id not in people:
                yield _problem(
                    p.origin,
                    f"manager_id {p.manager_id!r} of {p.id!r} is not a person id",
                    "use the id of a person in people.csv, or leave it empty for the top",
                    "people.csv",
                )
            if p.unit not in units:
                yield _problem(
                    p.origin, f"unknown unit {p.unit!r} for {p.id!r}", unit_fix, "people.csv"
                )
            if p.chapter is not None and p.chapter not in units:
                yield _problem(
                    p.origin, f"unknown chapter {p.chapter!r} for {p.id!r}", unit_fix, "people.csv"
                )
        for u in self.units:
            if u.parent is not None and u.parent not in units:
                yield _problem(u.origin, f"unknown parent unit {u.parent!r}", unit_fix, "units.csv")
            if u.head is not None and u.head not in people:
                yield _problem(
                    u.origin,
                    f"head {u.head!r} of unit {u.id!r} is not a person id",
                    "use the id of a person in people.csv",
                    "units.csv",
                )
        for b in self.budget:
            for column, value in (("unit", b.unit), ("outcome_unit", b.outcome_unit)):
                if value is not None and value not in units:
                    yield _problem(b.origin, f"unknown {column} {value!r}", unit_fix, "budget.csv")
        for r in self.revenue:
            if r.unit not in units:
                yield _problem(r.origin, f"unknown unit {r.unit!r}", unit_fix, "revenue.csv")
        for a in self.journey:
            if a.unit is not None and a.unit not in units:
                yield _problem(a.origin, f"unknown unit {a.unit!r}", unit_fix, "journey.csv")
        for c in self.coordination:
            for column, value in (("source", c.source), ("target", c.target)):
                if value not in people and value not in units:
                    yield _problem(
                        c.origin,
                        f"{column} {value!r} is neither a person id nor a unit id",
                        "use an id from people.csv or units.csv",
                        "coordination.csv",
                    )
        for s in self.segments:
            if s.owner_unit is not None and s.owner_unit not in units:
                yield _problem(
                    s.origin, f"unknown owner_unit {s.owner_unit!r}", unit_fix, "segments.csv"
                )
        for f in self.forums:
            for unit in f.units:
                if unit not in units:
                    yield _problem(
                        None, f"unknown unit {unit!r} in forum {f.name!r}", unit_fix, "orglens.yaml"
                    )
            if f.chair not in people:
                yield _problem(
                    None,
                    f"chair {f.chair!r} of forum {f.name!r} is not a person id",
                    "use the id of a person in people.csv",
                    "orglens.yaml",
                )

    def _cycles(self) -> Iterable[Problem]:
        yield from _tree_cycles(
            {p.id: p.manager_id for p in self.people},
            {p.id: p.origin for p in self.people},
            "people.csv",
            "manager cycle",
            "someone in the chain must report to a manager outside it (or to nobody, at the top)",
        )
        yield from _tree_cycles(
            {u.id: u.parent for u in self.units},
            {u.id: u.origin for u in self.units},
            "units.csv",
            "unit parent cycle",
            "one unit of the chain must have a parent outside it (or none, at the top)",
        )


#: Members of a cycle named in its message; a longer cycle shows its start and its length.
_SHOWN_IN_CYCLE = 8


def _chain(cycle: list[str]) -> str:
    """``'a' → 'b' → 'a'``; for a long cycle its start, then how many members it has.

    >>> _chain(["a", "b"])
    "'a' → 'b' → 'a'"
    >>> _chain([f"p{i}" for i in range(100_000)])
    "'p0' → 'p1' → 'p2' → 'p3' → 'p4' → 'p5' → 'p6' → 'p7' → … (100,000 in the cycle)"
    """
    if len(cycle) <= _SHOWN_IN_CYCLE:
        return " → ".join(repr(x) for x in [*cycle, cycle[0]])
    start = " → ".join(repr(x) for x in cycle[:_SHOWN_IN_CYCLE])
    return f"{start} → … ({len(cycle):,} in the cycle)"


def _tree_cycles(
    parent_of: dict[str, str | None],
    origins: dict[str, Origin | None],
    file: str,
    noun: str,
    fix: str,
) -> Iterable[Problem]:
    """Report each cycle of a parent map once, at the first of its members in the file."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    order = {key: i for i, key in enumerate(parent_of)}
    for start in parent_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            first = min(cycle, key=order.__getitem__)
            yield _problem(origins.get(first), f"{noun}: {_chain(cycle)}", fix, file)
        for visited in path:
            state[visited] = 2
