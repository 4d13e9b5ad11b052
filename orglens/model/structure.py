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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orglens.model.organization import Organization

__all__ = ["VIRTUAL_TOP", "Structure"]

#: Stands for the missing common manager when several people have no manager.
VIRTUAL_TOP = "(virtual top)"


@dataclass(frozen=True)
class Structure:
    """Indexes over an :class:`~orglens.model.Organization`; build with :meth:`of`."""

    manager: dict[str, str | None]
    reports: dict[str, tuple[str, ...]]
    layer: dict[str, int]
    roots: tuple[str, ...]
    unit_of: dict[str, str]
    unit_parent: dict[str, str | None]
    unit_depth: dict[str, int]
    unit_children: dict[str, tuple[str, ...]]
    unit_members: dict[str, tuple[str, ...]]
    unit_owner: dict[str, str | None]
    #: Per unit, who leads it: its head, else its members at the highest layer (several when
    #: peers share it), else nobody.
    unit_leads: dict[str, tuple[str, ...]]
    single_top_unit: bool
    _groups: dict[int, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def top(self) -> str:
        """The top person, or :data:`VIRTUAL_TOP` when several people have no manager."""
        return self.roots[0] if len(self.roots) == 1 else VIRTUAL_TOP

    @property
    def layers(self) -> int:
        """Number of layers (the deepest layer)."""
        return max(self.layer.values(), default=0)

    @classmethod
    def of(cls, org: Organization) -> Structure:
        # Whole columns at a time (map, zip, dict.fromkeys) where the work allows: most people
        # manage nobody and need no line of Python of their own.
        people = org.people
        ids = list(map(attrgetter("id"), people))
        managers = list(map(attrgetter("manager_id"), people))
        units = list(map(attrgetter("unit"), people))
        manager = dict(zip(ids, managers, strict=True))
        unit_of = dict(zip(ids, units, strict=True))
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
        del managers, units
        reports: dict[str, tuple[str, ...]] = dict.fromkeys(ids, ())
        reports.update((mid, tuple(pids)) for mid, pids in children.items())
        del children
        roots = tuple(top)
        layer: dict[str, int] = {}
        frontier: list[str] = list(roots)
        depth = 1
        while frontier:
            layer.update(dict.fromkeys(frontier, depth))
            frontier = list(chain.from_iterable(map(reports.__getitem__, frontier)))
            depth += 1

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
                highest = min(map(layer.__getitem__, members[uid]))
                leads[uid] = tuple(sorted(p for p in members[uid] if layer[p] == highest))
            else:
                leads[uid] = ()
            if leads[uid]:
                head = _common_manager(leads[uid], manager, layer)
            elif unit_parent[uid] is not None:
                head = owner[unit_parent[uid]]  # type: ignore[index]
            owner[uid] = head

        return cls(
            manager=manager,
            reports=reports,
            layer=layer,
            roots=roots,
            unit_of=unit_of,
            unit_parent=unit_parent,
            unit_depth=unit_depth,
            unit_children={k: tuple(v) for k, v in unit_children.items()},
            unit_members={k: tuple(v) for k, v in members.items()},
            unit_owner=owner,
            unit_leads=leads,
            single_top_unit=single_top_unit,
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
        la, lb = self.layer[a], self.layer[b]
        x: str | None = a
        y: str | None = b
        while la > lb:
            x, la = self.manager[x], la - 1  # type: ignore[index]
        while lb > la:
            y, lb = self.manager[y], lb - 1  # type: ignore[index]
        while x != y:
            x, y = self.manager[x], self.manager[y]  # type: ignore[index]
            if x is None or y is None:
                return VIRTUAL_TOP
        assert x is not None
        return x

    def distance_to(self, person: str, ancestor: str) -> int:
        """Reporting steps from ``person`` up to ``ancestor`` (one of their managers, or self)."""
        if ancestor == VIRTUAL_TOP:
            return self.layer[person]
        return self.layer[person] - self.layer[ancestor]

    # -- units ---------------------------------------------------------------------------------

    def group_of_unit(self, unit: str, level: int = 1) -> str:
        """The unit that stands for ``unit`` when measuring at ``level`` (1 = department)."""
        return self.unit_groups(level)[unit]

    def unit_groups(self, level: int = 1) -> Mapping[str, str]:
        """Every unit's :meth:`group_of_unit` at ``level``, in one mapping (for lenses that look
        up a group per person or per need)."""
        groups = self._groups.get(level)
        if groups is None:
            groups = self._groups[level] = {u: self._find_group(u, level) for u in self.unit_depth}
        return groups

    def _find_group(self, unit: str, level: int) -> str:
        if level == 0 and not self.single_top_unit:
            return VIRTUAL_TOP  # the whole company as one unit, with no unit standing for it
        # Without a single top unit the top-level units already are the departments.
        rank_offset = 0 if self.single_top_unit else 1
        current = unit
        while self.unit_depth[current] + rank_offset > level:
            parent = self.unit_parent[current]
            assert parent is not None
            current = parent
        return current

    def group_of_person(self, person: str, level: int = 1) -> str:
        return self.group_of_unit(self.unit_of[person], level)

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


def _common_manager(
    people: Sequence[str], manager: Mapping[str, str | None], layer: Mapping[str, int]
) -> str:
    """The lowest person who is or manages every one of ``people`` (sorted, not empty); the
    first of them when they have no manager in common (several tops)."""
    found = people[0]
    for other in people[1:]:
        a, b = found, other
        while layer[a] > layer[b]:
            a = manager[a]  # type: ignore[assignment]
        while layer[b] > layer[a]:
            b = manager[b]  # type: ignore[assignment]
        while a != b:
            up_a, up_b = manager[a], manager[b]
            if up_a is None or up_b is None:
                return people[0]
            a, b = up_a, up_b
        found = a
    return found
