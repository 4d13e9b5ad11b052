"""Reporting lines and the unit tree of an organization, indexed for the lenses.

Definitions used everywhere in orglens:

- **layer**: the top person is layer 1, their direct reports layer 2, and so on. When several
  people have no manager (a part of a company), each of them is layer 1 and they are analysed
  under a *virtual top* (:data:`VIRTUAL_TOP`), which is nobody's unit and has no cost.
- **department**: a unit directly below the top unit; when the units form no single tree (e.g.
  without ``units.csv``), each top-level unit. People of the top unit itself form their own
  department. Measures "at level N" use the units N levels below the top unit instead
  (level 1 = departments); units above that depth stand for themselves.
- **unit owner**: the unit's declared ``head``; otherwise its most senior member (lowest layer,
  ties by file order); otherwise the owner of its nearest ancestor unit.
- **lowest common manager** of some people: the lowest person who is each of them or manages
  each of them, directly or indirectly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orglens.model.organization import Organization
    from orglens.model.records import Person

__all__ = ["VIRTUAL_TOP", "Structure"]

_ID, _MANAGER_ID, _UNIT = attrgetter("id"), attrgetter("manager_id"), attrgetter("unit")

#: Stands for the missing common manager when several people have no manager.
VIRTUAL_TOP = "(virtual top)"


@dataclass(frozen=True)
class Structure:
    """Indexes over an :class:`~orglens.model.Organization`; build with :meth:`of`.

    The indexes of every person (:attr:`manager`, :attr:`unit_of`, :attr:`reports`,
    :attr:`layer`) are built on first use: the lenses need them for managers, who are few, and
    a dict of a million people costs several times more per entry than one of its managers.
    """

    #: Per manager (a person with at least one direct report), their direct reports in file
    #: order; managers in the order their first report comes in the file.
    direct_reports: dict[str, tuple[str, ...]]
    #: Per manager, their layer (:meth:`layer_of` gives anyone's).
    manager_layer: dict[str, int]
    #: How many people sit in each layer, by layer.
    people_per_layer: dict[int, int]
    roots: tuple[str, ...]
    unit_parent: dict[str, str | None]
    unit_depth: dict[str, int]
    unit_children: dict[str, tuple[str, ...]]
    unit_members: dict[str, tuple[str, ...]]
    unit_owner: dict[str, str | None]
    #: Per unit, who leads it: its head, else its members at the highest layer (several when
    #: peers share it), else nobody.
    unit_leads: dict[str, tuple[str, ...]]
    single_top_unit: bool
    _lines: _Lines = field(repr=False, compare=False)
    _groups: dict[int, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def top(self) -> str:
        """The top person, or :data:`VIRTUAL_TOP` when several people have no manager."""
        return self.roots[0] if len(self.roots) == 1 else VIRTUAL_TOP

    @property
    def layers(self) -> int:
        """Number of layers (the deepest layer)."""
        return max(self.people_per_layer, default=0)

    @cached_property
    def manager(self) -> dict[str, str | None]:
        """Every person's manager (``None`` at the top), people in file order."""
        people = self._lines.people
        return dict(zip(people, map(_MANAGER_ID, people.values()), strict=True))

    @cached_property
    def unit_of(self) -> dict[str, str]:
        """Every person's unit, people in file order."""
        people = self._lines.people
        return dict(zip(people, map(_UNIT, people.values()), strict=True))

    @cached_property
    def reports(self) -> dict[str, tuple[str, ...]]:
        """Every person's direct reports (``()`` for most), people in file order."""
        reports: dict[str, tuple[str, ...]] = dict.fromkeys(self._lines.people, ())
        reports.update(self.direct_reports)
        return reports

    @cached_property
    def layer(self) -> dict[str, int]:
        """Every person's layer, people in file order."""
        people = self._lines.people
        return dict(zip(people, map(self._lines.layer_of, people), strict=True))

    def layer_of(self, person: str) -> int:
        """The layer of ``person`` (without building :attr:`layer`)."""
        return self._lines.layer_of(person)

    @classmethod
    def of(cls, org: Organization) -> Structure:
        # Whole columns at a time (map, zip, dict.fromkeys) where the work allows: most people
        # manage nobody and need no line of Python of their own.
        people = org.people
        ids = list(map(_ID, people))
        managers = list(map(_MANAGER_ID, people))
        units = list(map(_UNIT, people))
        members: dict[str, list[str]] = {u.id: [] for u in org.units}
        children: dict[str, list[str]] = {}
        top: list[str] = []
        for pid, mid, uid in zip(ids, managers, units, strict=True):
            members[uid].append(pid)
            if mid is None:
                top.append(pid)
            elif mid in children:
                children[mid].append(pid)
            else:
                children[mid] = [pid]
        del ids, units
        direct_reports = {mid: tuple(pids) for mid, pids in children.items()}
        del children
        roots = tuple(top)
        lines = _Lines.of(org.person_by_id, direct_reports)
        # A person's layer is one more than their manager's: counted per manager's layer in
        # one pass over the column, without a dict of everyone's layer.
        below = Counter(map(lines.manager_layer.get, managers))
        del managers
        people_per_layer = {1: len(roots)} if roots else {}
        people_per_layer.update(
            (layer + 1, below[layer]) for layer in sorted(k for k in below if k is not None)
        )

        unit_parent = {u.id: u.parent for u in org.units}
        unit_children: dict[str, list[str]] = {u.id: [] for u in org.units}
        for uid, parent in unit_parent.items():
            if parent is not None:
                unit_children[parent].append(uid)
        unit_depth: dict[str, int] = {}
        unit_frontier = [uid for uid, parent in unit_parent.items() if parent is None]
        single_top_unit = len(unit_frontier) == 1
        depth = 0
        while unit_frontier:
            nxt: list[str] = []
            for uid in unit_frontier:
                unit_depth[uid] = depth
                nxt.extend(unit_children[uid])
            unit_frontier, depth = nxt, depth + 1

        # The owner of a unit: its head; else its one member at the highest layer, or the
        # lowest common manager of several there (never the first row of the file); else the
        # owner of the unit above.
        owner: dict[str, str | None] = {}
        leads: dict[str, tuple[str, ...]] = {}
        for uid in sorted(unit_depth, key=unit_depth.__getitem__):  # parents before children
            head = org.unit_by_id[uid].head
            if head is not None:
                leads[uid] = (head,)
            elif members[uid]:
                highest = min(map(lines.layer_of, members[uid]))
                leads[uid] = tuple(sorted(p for p in members[uid] if lines.layer_of(p) == highest))
            else:
                leads[uid] = ()
            if leads[uid]:
                head = _common_manager(leads[uid], lines)
            elif unit_parent[uid] is not None:
                head = owner[unit_parent[uid]]  # type: ignore[index]
            owner[uid] = head

        return cls(
            direct_reports=direct_reports,
            manager_layer=lines.manager_layer,
            people_per_layer=people_per_layer,
            roots=roots,
            unit_parent=unit_parent,
            unit_depth=unit_depth,
            unit_children={k: tuple(v) for k, v in unit_children.items()},
            unit_members={k: tuple(v) for k, v in members.items()},
            unit_owner=owner,
            unit_leads=leads,
            single_top_unit=single_top_unit,
            _lines=lines,
        )

    # -- people --------------------------------------------------------------------------------

    def lowest_common_manager(self, people: Iterable[str]) -> str | None:
        """The lowest person who is or manages every one of ``people``.

        :data:`VIRTUAL_TOP` when they sit under different tops; ``None`` when ``people`` is empty.
        """
        result: str | None = None
        for pid in people:
            result = pid if result is None else self._lcm_pair(result, pid)
            if result == VIRTUAL_TOP:
                break
        return result

    def _lcm_pair(self, a: str, b: str) -> str:
        if a == VIRTUAL_TOP or b == VIRTUAL_TOP:
            return VIRTUAL_TOP
        above = self._lines.above
        la, lb = self.layer_of(a), self.layer_of(b)
        x: str | None = a
        y: str | None = b
        while la > lb:
            x, la = above(x), la - 1  # type: ignore[arg-type]
        while lb > la:
            y, lb = above(y), lb - 1  # type: ignore[arg-type]
        while x != y:
            x, y = above(x), above(y)  # type: ignore[arg-type]
            if x is None or y is None:
                return VIRTUAL_TOP
        assert x is not None
        return x

    def distance_to(self, person: str, ancestor: str) -> int:
        """Reporting steps from ``person`` up to ``ancestor`` (one of their managers, or self)."""
        if ancestor == VIRTUAL_TOP:
            return self.layer_of(person)
        return self.layer_of(person) - self.layer_of(ancestor)

    # -- units ---------------------------------------------------------------------------------

    def group_of_unit(self, unit: str, level: int = 1) -> str:
        """The unit that stands for ``unit`` when measuring at ``level`` (1 = department)."""
        return self.unit_groups(level)[unit]

    def unit_groups(self, level: int = 1) -> Mapping[str, str]:
        """Every unit's :meth:`group_of_unit` at ``level``, in one mapping (for lenses that look
        up a group per person or per need)."""
        groups = self._groups.get(level)
        if groups is None:
            groups = self._groups[level] = self._find_groups(level)
        return groups

    def _find_groups(self, level: int) -> dict[str, str]:
        if level == 0 and not self.single_top_unit:
            # The whole company as one unit, with no unit standing for it.
            return dict.fromkeys(self.unit_depth, VIRTUAL_TOP)
        # Without a single top unit the top-level units already are the departments.
        deepest = level - (0 if self.single_top_unit else 1)
        parent = self.unit_parent
        groups: dict[str, str] = {}
        for unit, depth in self.unit_depth.items():  # parents before children
            groups[unit] = unit if depth <= deepest else groups[parent[unit]]  # type: ignore[index]
        return groups

    def group_of_person(self, person: str, level: int = 1) -> str:
        return self.group_of_unit(self._lines.people[person].unit, level)

    def unit_or_person_group(self, ref: str, level: int = 1) -> str:
        """The group of a unit id, or of the unit of a person id."""
        if ref in self.unit_depth:
            return self.group_of_unit(ref, level)
        return self.group_of_person(ref, level)

    def unit_subtree(self, unit: str) -> list[str]:
        """``unit`` and every unit below it."""
        out, stack = [], [unit]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.unit_children[current])
        return out


@dataclass(frozen=True)
class _Lines:
    """Reporting lines looked up in dicts of managers only (each manager's own manager and
    layer), and anyone else's through their record."""

    people: Mapping[str, Person]
    #: Per manager, their own manager.
    boss: dict[str, str | None]
    manager_layer: dict[str, int]

    @classmethod
    def of(cls, people: Mapping[str, Person], managers: Iterable[str]) -> _Lines:
        """The lines of ``people`` (by id) whose ``managers`` are every person with a report."""
        boss = {person: people[person].manager_id for person in managers}
        return cls(people, boss, _manager_layers(boss))

    def above(self, person: str) -> str | None:
        """The manager of ``person``."""
        boss = self.boss
        return boss[person] if person in boss else self.people[person].manager_id

    def layer_of(self, person: str) -> int:
        found = self.manager_layer.get(person)
        if found is None:
            above = self.people[person].manager_id
            found = 1 if above is None else self.manager_layer[above] + 1
        return found


def _manager_layers(boss: Mapping[str, str | None]) -> dict[str, int]:
    """The layer of each manager (a key of ``boss``, which holds every manager's own manager):
    one more than their manager's, found by climbing to the first one placed already (or the
    top), so that each is placed once. The managers form trees
    (:class:`~orglens.model.Organization` checks it)."""
    layer: dict[str, int] = {}
    for person in boss:
        if person in layer:
            continue
        path = [person]
        above = boss[person]
        while above is not None and above not in layer:
            path.append(above)
            above = boss[above]
        depth = 0 if above is None else layer[above]
        for placed in reversed(path):
            depth += 1
            layer[placed] = depth
    return layer


def _common_manager(people: Sequence[str], lines: _Lines) -> str:
    """The lowest person who is or manages every one of ``people`` (sorted, not empty); the
    first of them when they have no manager in common (several tops)."""
    above, layer_of = lines.above, lines.layer_of
    found = people[0]
    for other in people[1:]:
        a, b = found, other
        while layer_of(a) > layer_of(b):
            a = above(a)  # type: ignore[assignment]
        while layer_of(b) > layer_of(a):
            b = above(b)  # type: ignore[assignment]
        while a != b:
            up_a, up_b = above(a), above(b)
            if up_a is None or up_b is None:
                return people[0]
            a, b = up_a, up_b
        found = a
    return found
