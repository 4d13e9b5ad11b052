"""Authorization samples of the discussion routes (merged into tests/web/test_authz.py).

A comment may be edited or deleted by its author only, so the sample comment is written by the
identity the matrix case visits as (``World.visitor``), which the rule lets
through when the role may comment; without one (the test of another workspace's ids) the
owner writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orglens.web.db import transaction, utcnow
from orglens.web.tables import Comment


def _visitor(world: Any) -> int:
    """The user the matrix case visits as (the author may edit and delete), else the owner."""
    visitor: int | None = world.visitor
    return visitor if visitor is not None else int(world.users["owner"])


def _comment(world: Any, ws: int) -> str:
    with transaction(world.engine) as db:
        made = Comment(
            workspace_id=ws,
            target="recommendation",
            author_id=_visitor(world),
            body="A sample comment.",
            created_at=utcnow(),
        )
        db.add(made)
        db.flush()
        return str(made.id)


PATH_SAMPLES: dict[str, Callable[[Any, int], str]] = {"comment": _comment}

FORM_SAMPLES: dict[str, dict[str, str]] = {
    "/w/{ws:int}/comments": {"target": "recommendation", "body": "A sample comment."},
    "/w/{ws:int}/comments/{comment:int}/edit": {"body": "An edited sample comment."},
    "/w/{ws:int}/comments/{comment:int}/delete": {},
}
