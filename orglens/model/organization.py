"""The organization: every record of a workspace, checked as a whole at construction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from operator import attrgetter
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


_ID, _MANAGER_ID = attrgetter("id"), attrgetter("manager_id")


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
        return dict(zip(map(_ID, self.people), self.people, strict=True))

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
        for file, records, noun, distinct in (
            ("people.csv", self.people, "person", len(self.person_by_id)),
            ("units.csv", self.units, "unit", len(self.unit_by_id)),
            ("budget.csv", self.budget, "budget line", len({b.id for b in self.budget})),
            ("segments.csv", self.segments, "segment", len({s.id for s in self.segments})),
        ):
            if distinct == len(records):
                continue
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
        # Each kind of record is first checked as a whole (a million people take a moment one
        # by one); only a kind with a reference that is wrong is gone through record by record.
        if not (
            _all_known(self.people, ("manager_id",), people)
            and _all_known(self.people, ("unit", "chapter"), units)
        ):
            yield from self._dangling_people(people, units, unit_fix)
        if not (
            _all_known(self.units, ("parent",), units) and _all_known(self.units, ("head",), people)
        ):
            yield from self._dangling_units(people, units, unit_fix)
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
        if not _all_known(self.coordination, ("source", "target"), people, units):
            yield from self._dangling_coordination(people, units)
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

    def _dangling_people(
        self, people: dict[str, Person], units: dict[str, Unit], unit_fix: str
    ) -> Iterable[Problem]:
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

    def _dangling_units(
        self, people: dict[str, Person], units: dict[str, Unit], unit_fix: str
    ) -> Iterable[Problem]:
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

    def _dangling_coordination(
        self, people: dict[str, Person], units: dict[str, Unit]
    ) -> Iterable[Problem]:
        for c in self.coordination:
            for column, value in (("source", c.source), ("target", c.target)):
                if value not in people and value not in units:
                    yield _problem(
                        c.origin,
                        f"{column} {value!r} is neither a person id nor a unit id",
                        "use an id from people.csv or units.csv",
                        "coordination.csv",
                    )

    def _cycles(self) -> Iterable[Problem]:
        yield from _tree_cycles(
            dict(zip(map(_ID, self.people), map(_MANAGER_ID, self.people), strict=True)),
            lambda: {p.id: p.origin for p in self.people},
            "people.csv",
            "manager cycle",
            "someone in the chain must report to a manager outside it (or to nobody, at the top)",
        )
        yield from _tree_cycles(
            {u.id: u.parent for u in self.units},
            lambda: {u.id: u.origin for u in self.units},
            "units.csv",
            "unit parent cycle",
            "one unit of the chain must have a parent outside it (or none, at the top)",
        )


def _all_known(
    records: Sequence[BaseModel], fields: Sequence[str], *known: Mapping[str, object]
) -> bool:
    """Whether every value of ``fields`` in ``records`` is ``None`` or a key of one of ``known``."""
    values: set[object] = {None}
    for field in fields:
        values.update(map(attrgetter(field), records))
    for ids in known:
        values = values.difference(ids)  # looks each value up in the dict
    return values <= {None}


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
    origins: Callable[[], dict[str, Origin | None]],
    file: str,
    noun: str,
    fix: str,
) -> Iterable[Problem]:
    """Report each cycle of a parent map once, at the first of its members in the file.

    Each walk climbs from a key until it reaches the top, a parent that is not a key, or a key
    an earlier walk reached: one step a key. A walk that comes back to a key it reached itself
    has found a cycle. ``origins`` is called only then.
    """
    walk_of: dict[str | None, int] = {}  # the walk that reached a key first
    parent = parent_of.get
    cycles: list[list[str]] = []
    for walk, start in enumerate(parent_of):
        node: str | None = start
        while node is not None and node not in walk_of:
            walk_of[node] = walk
            node = parent(node)
        if node is not None and walk_of[node] == walk:
            cycles.append(_cycle_at(node, parent_of))
    if not cycles:
        return
    order = {key: i for i, key in enumerate(parent_of)}
    origin_of = origins()
    for cycle in cycles:
        first = min(cycle, key=order.__getitem__)
        yield _problem(origin_of.get(first), f"{noun}: {_chain(cycle)}", fix, file)


def _cycle_at(member: str, parent_of: dict[str, str | None]) -> list[str]:
    """The cycle of ``parent_of`` through ``member``, from ``member`` on."""
    cycle = [member]
    node = parent_of[member]
    while node != member:
        assert node is not None
        cycle.append(node)
        node = parent_of[node]
    return cycle
