"""Who may do what in a workspace: the roles, the actions, and the one table between them.

>>> allowed(Role.editor, Action.edit), allowed(Role.viewer_no_cost, Action.view_cost)
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

__all__ = ["GRANTS", "Action", "Role", "allowed"]


class Role(StrEnum):
    """A member's role in a workspace, from the most to the least it may do."""

    owner = "owner"
    editor = "editor"
    commenter = "commenter"
    viewer = "viewer"
    viewer_no_cost = "viewer_no_cost"


class Action(StrEnum):
    """What a route does to the workspace in its path (``{ws:int}``)."""

    #: see the workspace, its data and results, without any person's cost
    view = "view"
    #: see people's cost, and sums of people's cost over a unit
    view_cost = "view_cost"
    #: write, edit and delete one's own comments
    comment = "comment"
    #: upload data, write scenarios, run optimize
    edit = "edit"
    #: members, invitations, decisions, deleting the workspace
    manage = "manage"


#: The actions of each role.
GRANTS: Mapping[Role, frozenset[Action]] = {
    Role.owner: frozenset(Action),
    Role.editor: frozenset({Action.view, Action.view_cost, Action.comment, Action.edit}),
    Role.commenter: frozenset({Action.view, Action.view_cost, Action.comment}),
    Role.viewer: frozenset({Action.view, Action.view_cost}),
    Role.viewer_no_cost: frozenset({Action.view}),
}


def allowed(role: Role, action: Action) -> bool:
    """Whether a member in ``role`` may do ``action``.

    >>> [action.value for action in Action if allowed(Role.commenter, action)]
    ['view', 'view_cost', 'comment']
    """
    return action in GRANTS[role]
