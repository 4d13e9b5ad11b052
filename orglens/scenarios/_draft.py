"""A working copy of an organization that one operation edits, then builds anew.

Definitions shared by the operations:

- **owner** of a unit: as in :mod:`orglens.model.structure` (its head, else its most senior
  member, else the owner of the unit above it).
- **most senior** of some people: the one with the most direct reports (who already leads),
  then the highest cost (a proxy for seniority among peers: a senior account executive before
  an analyst who happens to report higher up), then the lowest layer, then the first in
  ``people.csv``.
- **common parent** of some units: the lowest unit above every one of them (their shared parent
  when they are siblings); ``None`` when they are top-level units of a company without one top
  unit.
- **best-placed head** of some units: the owner of the one with the most people (its sub-units
  included), ties by the order given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NoReturn

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.model import VIRTUAL_TOP, Forum, Organization, Origin, Person, Structure, Unit

__all__ = ["Draft", "best_placed_head", "rebuild", "slug"]

_SHOWN_IDS = 8


def slug(text: str) -> str:
    """``text`` as an id: lower case, runs of other characters than letters and digits as ``-``.

    Examples
    --------
    >>> slug("Sales & Marketing")
    'sales-marketing'
    >>> slug("Pod Göteborg 2")
    'pod-göteborg-2'
    """
    words = "".join(c if c.isalnum() else " " for c in text.casefold()).split()
    return "-".join(words) or "unit"


def rebuild(org: Organization, **changes: object) -> Organization:
    """A new, fully validated organization: ``org`` with some fields replaced."""
    fields = {name: getattr(org, name) for name in Organization.model_fields}
    return Organization(**(fields | changes))


def best_placed_head(structure: Structure, units: Sequence[str]) -> str | None:
    """The owner of the unit with the most people (its sub-units included), ties by the order of
    ``units``; ``None`` when none of them has an owner."""
    owned = [u for u in units if structure.unit_owner[u] is not None]
    if not owned:
        return None

    def headcount(unit: str) -> int:
        return sum(len(structure.unit_members[u]) for u in structure.unit_subtree(unit))

    largest = max(owned, key=lambda u: (headcount(u), -units.index(u)))
    return structure.unit_owner[largest]


def _some(ids: Iterable[str]) -> str:
    shown = list(ids)
    text = ", ".join(shown[:_SHOWN_IDS])
    return text + ", ..." if len(shown) > _SHOWN_IDS else text


class Draft:
    """``org`` being changed by one operation, labelled ``label`` in problems and warnings."""

    def __init__(self, org: Organization, label: str, origin: Origin | None) -> None:
        self.org = org
        self.structure = org.structure
        self.label = label
        self.origin = origin
        self.people: dict[str, Person] = {p.id: p for p in org.people}
        self.units: dict[str, Unit] = {u.id: u for u in org.units}
        self.forums: list[Forum] = list(org.forums)
        self.warnings: list[str] = []
        self.problems: list[Problem] = []
        self.cycle_fix = "choose another head or unit"
        self._position = {p.id: i for i, p in enumerate(org.people)}

    # -- problems ------------------------------------------------------------------------------

    def problem(self, what: str, fix: str) -> Problem:
        if self.origin is None:
            return Problem(f"{self.label}: {what}", fix)
        return Problem(f"{self.label}: {what}", fix, self.origin.file, self.origin.line)

    def refuse(self, what: str, fix: str) -> NoReturn:
        """Stop: the operation cannot work on this organization."""
        raise UsageError(self.problem(what, fix))

    def raise_problems(self) -> None:
        """Stop with every reference problem found so far, if any."""
        if self.problems:
            raise InvalidWorkspace(self.problems)

    # -- references ----------------------------------------------------------------------------

    def unit(self, ref: str) -> str:
        """The id of the unit ``ref`` names (an id, or a name no other unit has); a problem is
        recorded when there is none, and ``ref`` is returned as is."""
        if ref in self.org.unit_by_id:
            return ref
        wanted = ref.strip().casefold()
        named = [u.id for u in self.org.units if u.name.strip().casefold() == wanted]
        if len(named) == 1:
            return named[0]
        if named:
            what, fix = f"unit name {ref!r} is shared by {_some(named)}", "use the unit id"
        else:
            what, fix = f"unknown unit {ref!r}", f"use a unit id: {_some(self.org.unit_by_id)}"
        self.problems.append(self.problem(what, fix))
        return ref

    def person(self, ref: str) -> str:
        """The id of the person ``ref`` names (an id, or a name nobody else has), as for units."""
        if ref in self.org.person_by_id:
            return ref
        wanted = ref.strip().casefold()
        named = [p.id for p in self.org.people if p.name.strip().casefold() == wanted]
        if len(named) == 1:
            return named[0]
        if named:
            what, fix = f"{ref!r} is the name of {_some(named)}", "use the person id"
        else:
            what, fix = f"unknown person {ref!r}", "use an id from people.csv"
        self.problems.append(self.problem(what, fix))
        return ref

    def separate_units(self, units: Sequence[str]) -> None:
        """Refuse units listed twice, or one inside another (the top unit is inside nothing)."""
        if len(set(units)) < len(units):
            self.refuse(f"a unit is listed twice in {list(units)}", "list every unit once")
        for unit in units:
            for other in units:
                if other != unit and unit in self.ancestors(other):
                    self.refuse(
                        f"unit {other!r} is inside {unit!r}",
                        "list units of which none contains another",
                    )

    # -- the organization as it was ------------------------------------------------------------

    def ancestors(self, unit: str) -> list[str]:
        """The units above ``unit``, nearest first."""
        chain, parent = [], self.structure.unit_parent[unit]
        while parent is not None:
            chain.append(parent)
            parent = self.structure.unit_parent[parent]
        return chain

    def common_parent(self, units: Sequence[str]) -> str | None:
        """The lowest unit above every one of ``units`` (see the module doc)."""
        shared = self.ancestors(units[0])
        for unit in units[1:]:
            above = set(self.ancestors(unit))
            shared = [u for u in shared if u in above]
        return shared[0] if shared else None

    def best_placed_head(self, units: Sequence[str]) -> str | None:
        return best_placed_head(self.structure, units)

    def seniority(self, person: str) -> tuple[int, float, int, int]:
        """Sort key: the most senior person (see the module doc) sorts first."""
        return (
            -len(self.structure.reports[person]),
            -self.org.person_by_id[person].cost,
            self.structure.layer[person],
            self._position[person],
        )

    def most_senior(self, people: Iterable[str]) -> str:
        return min(people, key=self.seniority)

    def function_of(self, unit: str) -> str | None:
        """The function of ``unit``, or of the nearest unit above it that has one."""
        current: str | None = unit
        while current is not None:
            function = self.org.unit_by_id[current].function
            if function:
                return function
            current = self.structure.unit_parent[current]
        return None

    # -- changes -------------------------------------------------------------------------------

    def new_unit_id(self, wanted: str) -> str:
        """``slug(wanted)``, made unique with ``-2``, ``-3``... among the units."""
        base = slug(wanted)
        candidate, number = base, 1
        while candidate in self.units:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def add_unit(self, unit: Unit) -> None:
        self.units[unit.id] = unit

    def change_unit(self, unit: str, **changes: object) -> None:
        self.units[unit] = self.units[unit].model_copy(update=changes)

    def change_person(self, person: str, **changes: object) -> None:
        self.people[person] = self.people[person].model_copy(update=changes)

    def place_head(self, head: str, owners: Iterable[str]) -> str:
        """Make ``head`` report to the lowest common manager of ``owners`` and ``head``.

        Returns that manager (``head`` itself when they already manage every owner; the virtual
        top when the owners sit under different tops, and then ``head`` gets no manager).
        """
        boss = self.structure.lowest_common_manager([*owners, head])
        assert boss is not None
        if boss != head:
            self.change_person(head, manager_id=None if boss == VIRTUAL_TOP else boss)
        return boss

    def build(self) -> Organization:
        """The changed organization, validated; refused when reporting lines form a cycle."""
        cycle = _manager_cycle({pid: p.manager_id for pid, p in self.people.items()})
        if cycle:
            chain = " → ".join(repr(pid) for pid in [*cycle, cycle[0]])
            self.refuse(f"the new reporting lines would form a cycle: {chain}", self.cycle_fix)
        return rebuild(
            self.org,
            people=tuple(self.people.values()),
            units=tuple(self.units.values()),
            forums=tuple(self.forums),
            warnings=(*self.org.warnings, *self.warnings),
        )


def _manager_cycle(manager: dict[str, str | None]) -> list[str]:
    """The people of one cycle of reporting lines, or an empty list when there is none."""
    done: set[str] = set()
    for start in manager:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done:
            if node in on_path:
                return path[path.index(node) :]
            path.append(node)
            on_path.add(node)
            node = manager.get(node)
        done.update(path)
    return []
