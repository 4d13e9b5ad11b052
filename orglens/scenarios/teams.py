"""Teams formed as listed (the ``teams`` operation, what ``orglens optimize`` writes)."""

from __future__ import annotations

from collections import Counter

from orglens.model import FormTeams, Unit
from orglens.scenarios._draft import Draft

__all__ = ["form_teams"]


def form_teams(draft: Draft, op: FormTeams) -> None:
    """Form the teams of ``op`` in ``draft`` (see :class:`~orglens.model.FormTeams`)."""
    teams = {name: [draft.person(ref) for ref in members] for name, members in op.teams.items()}
    parent = draft.unit(op.parent) if op.parent is not None else None
    draft.raise_problems()
    org, structure = draft.org, draft.structure
    for name, members in teams.items():
        home = parent or Counter(org.person_by_id[p].unit for p in members).most_common(1)[0][0]
        lead = min(members, key=lambda person: (structure.layer[person], draft.seniority(person)))
        team = draft.new_unit_id(name)
        draft.add_unit(Unit(id=team, name=name, parent=home, head=lead))
        for person in members:
            if person == lead:
                draft.change_person(person, unit=team)
            else:
                draft.change_person(person, unit=team, manager_id=lead)
    draft.cycle_fix = "list a team's leader first among people above its other members"
