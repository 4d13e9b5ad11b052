"""Cross-functional pods per journey stage or per customer segment, with discipline chapters.

Definitions (for :class:`~orglens.model.BuildPods`):

- **members**: the people of the given units and of every unit below them, except the owners of
  those units (the chapter heads, who stay where they are) and the head of the pods.
- **work** of a unit in a stage: the sum over the declared journey activities the unit does in
  that stage of ``volume used × effort_hours`` (each taken as 1 when missing; volume used as in
  :mod:`orglens.lenses.process`). A unit's **stage** is the stage where the unit and the units
  below it do the most work (ties: the earlier stage); when they do none, that of the nearest
  unit above it (up to the given unit). A member's stage is the stage of their unit.
- A member's **segment** is the first segment they list.
- Members with the same stage (segment) form one group; members without one stay in their unit.
  A group of more than ``max`` people is dealt into ``ceil(n / max)`` pods: the members sorted by
  chapter (in unit order) then seniority, dealt round-robin, so each chapter is spread evenly
  over the pods. A group smaller than ``min`` stays one pod, with a warning.
- Each pod is a unit ``pod-VALUE`` (``pod-VALUE-2``... when a group is dealt into several) in
  a new department under the given units' common parent. Its most senior member leads it and
  reports to the head of the pods; the others report to the lead. Every member keeps
  ``chapter`` = the unit they came from (or the chapter they already had).
- A pod with nobody from a sales unit ("no seller") or from a marketing unit ("no marketer")
  gets a warning, when the given units have that function at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from math import ceil

from orglens.lenses.journey import declared_journey
from orglens.model import BuildPods, Unit
from orglens.scenarios._draft import Draft

__all__ = ["build_pods"]

_ROLE_OF_FUNCTION = {"sales": "seller", "marketing": "marketer"}

_ValueOf = Callable[[str], str | None]


def build_pods(draft: Draft, op: BuildPods) -> None:
    """Build the pods of ``op`` in ``draft`` (see the module doc)."""
    roots = [draft.unit(ref) for ref in op.units]
    head = draft.person(op.head) if op.head is not None else None
    draft.raise_problems()
    draft.separate_units(roots)
    structure, org = draft.structure, draft.org
    head = head or draft.best_placed_head(roots)
    if head is None:
        draft.refuse(f"none of the units {roots} has a head or people", "name head: PERSON_ID")
    scope = {unit for root in roots for unit in structure.unit_subtree(root)}
    staying = {owner for unit in scope if (owner := structure.unit_owner[unit]) is not None}
    staying.add(head)
    members = [p.id for p in org.people if p.unit in scope and p.id not in staying]
    value_of = _stage_of(draft, roots) if op.by == "stage" else _segment_of(draft)
    groups: dict[str, list[str]] = defaultdict(list)
    for person in members:
        value = value_of(person)
        if value is not None:
            groups[value].append(person)
    if not groups:
        what = "a journey stage" if op.by == "stage" else "a segment"
        draft.refuse(
            f"no member of {roots} has {what}",
            "declare journey activities for these units, or list people's segments",
        )
    stayed = len(members) - sum(len(group) for group in groups.values())
    if stayed:
        verb = "has" if stayed == 1 else "have"
        draft.warnings.append(f"{_people(stayed)} {verb} no {op.by} and stay in their units")

    department = draft.new_unit_id(op.id or op.name)
    draft.add_unit(Unit(id=department, name=op.name, parent=draft.common_parent(roots), head=head))
    draft.place_head(head, [o for r in roots if (o := structure.unit_owner[r]) is not None])
    size = op.size or org.settings.team_size
    functions = {draft.function_of(unit) for unit in scope}
    checked = [f for f in _ROLE_OF_FUNCTION if f in functions]
    for value in _ordered(draft, op, groups):
        for number, pod in enumerate(_deal(draft, groups[value], size[1]), start=1):
            suffix = f" {number}" if len(groups[value]) > size[1] else ""
            pod_id = draft.new_unit_id(f"pod {value}{suffix}")
            _staff(draft, pod, pod_id, f"Pod {value}{suffix}", department, {op.by: value})
            _check(draft, pod, pod_id, size, checked)
    draft.cycle_fix = "name a head of the pods who is not a member of the given units"


def _staff(
    draft: Draft, pod: list[str], pod_id: str, name: str, parent: str, tags: dict[str, str]
) -> None:
    lead = draft.most_senior(pod)
    head = draft.units[parent].head
    draft.add_unit(Unit(id=pod_id, name=name, parent=parent, head=lead, attributes=tags))
    for person in pod:
        before = draft.org.person_by_id[person]
        draft.change_person(
            person,
            unit=pod_id,
            chapter=before.chapter or before.unit,
            manager_id=head if person == lead else lead,
        )


def _check(
    draft: Draft, pod: list[str], pod_id: str, size: tuple[int, int], functions: list[str]
) -> None:
    if len(pod) < size[0]:
        draft.warnings.append(
            f"pod {pod_id!r} has {_people(len(pod))}, fewer than {size[0]} "
            f"(size {size[0]}-{size[1]})"
        )
    found = {draft.function_of(draft.org.person_by_id[p].unit) for p in pod}
    for function in functions:
        if function not in found:
            role = _ROLE_OF_FUNCTION[function]
            draft.warnings.append(f"pod {pod_id!r} has no {role} (nobody from a {function} unit)")


def _people(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} people"


def _deal(draft: Draft, group: list[str], most: int) -> list[list[str]]:
    """``group`` dealt round-robin into pods of at most ``most``, chapters spread evenly."""
    count = ceil(len(group) / most)
    unit_rank = {unit.id: i for i, unit in enumerate(draft.org.units)}
    person_by_id = draft.org.person_by_id
    ordered = sorted(group, key=lambda p: (unit_rank[person_by_id[p].unit], draft.seniority(p)))
    return [ordered[i::count] for i in range(count)]


def _ordered(draft: Draft, op: BuildPods, groups: dict[str, list[str]]) -> list[str]:
    """Stages in journey order; segments in ``segments.csv`` order, then as first listed."""
    if op.by == "stage":
        order = [activity.stage for activity in sorted(draft.org.journey, key=lambda a: a.order)]
    else:
        order = [segment.id for segment in draft.org.segments]
    rank = {value: i for i, value in enumerate(dict.fromkeys(order))}
    return sorted(groups, key=lambda v: rank.get(v, len(rank)))


def _segment_of(draft: Draft) -> _ValueOf:
    people = draft.org.person_by_id
    return lambda person: people[person].segments[0] if people[person].segments else None


def _stage_of(draft: Draft, roots: list[str]) -> _ValueOf:
    stages = _unit_stages(draft, roots)
    people = draft.org.person_by_id
    return lambda person: stages.get(people[person].unit)


def _unit_stages(draft: Draft, roots: list[str]) -> dict[str, str]:
    """The stage of every unit in or below ``roots`` that has one (see the module doc)."""
    structure, org = draft.structure, draft.org
    activities = sorted(org.journey, key=lambda a: a.order)
    rank: dict[str, int] = {}
    work: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    # declared_journey sorts the same way and resolves activities given by role to a unit.
    for activity, step in zip(activities, declared_journey(org), strict=True):
        rank.setdefault(step.stage, len(rank))
        if step.unit is not None:
            effort = 1.0 if activity.effort_hours is None else activity.effort_hours
            work[step.unit][step.stage] += step.volume_used * effort

    def subtree_stage(unit: str) -> str | None:
        total: dict[str, float] = defaultdict(float)
        for below in structure.unit_subtree(unit):
            for stage, amount in work.get(below, {}).items():
                total[stage] += amount
        if not total:
            return None
        return min(total, key=lambda stage: (-total[stage], rank[stage]))

    stages: dict[str, str] = {}
    for root in roots:
        for unit in structure.unit_subtree(root):
            current: str | None = unit
            while current is not None:
                stage = subtree_stage(current)
                if stage is not None:
                    stages[unit] = stage
                    break
                current = None if current == root else structure.unit_parent[current]
    return stages
