"""Discussion: post a comment or a reply, edit or delete one's own, and one target's thread as
a page.

Every write is one transaction and answers ``303`` to the form's ``next`` (a path on this
site) or to the thread's page, at the comment (``#c123``). Only a comment's author may edit or
delete it (``403`` for anyone else, owners included); a deleted comment stays in its thread as
"deleted", its text erased and its replies kept. A comment id of another workspace is not found
(``404``), as is a reply to a comment of another workspace; a reply to a comment of another
target is refused (``422``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from orglens.i18n import t
from orglens.web.db import reading, transaction, utcnow
from orglens.web.discussion import (
    MAX_KEY_LENGTH,
    RECOMMENDATION,
    body_problem,
    clean_body,
    discussion,
    is_target,
    target_label,
)
from orglens.web.render import page, redirect
from orglens.web.roles import Action
from orglens.web.routes import RuledRoute, Visit, WebError, route
from orglens.web.security import safe_next
from orglens.web.tables import Comment

__all__ = ["ROUTES", "discussion_url"]

# The largest id a comment can have (the column is a 32-bit integer in PostgreSQL).
_MAX_ID = 2**31 - 1


def discussion_url(workspace_id: int, target: str) -> str:
    """The path of ``target``'s thread page in workspace ``workspace_id``.

    >>> discussion_url(3, "scenario:growth_team")
    '/w/3/discussion?target=scenario%3Agrowth_team'
    """
    return f"/w/{workspace_id}/discussion?target={quote(target, safe='')}"


def _target(text: str) -> str:
    if not is_target(text):
        raise WebError(400, t("web_discussion.target_invalid", most=MAX_KEY_LENGTH))
    return text


def _body(visit: Visit) -> str:
    body = clean_body(visit.field("body"))
    problem = body_problem(body)
    if problem is not None:
        raise WebError(422, problem)
    return body


def _back(visit: Visit, target: str, comment_id: int) -> Response:
    """303 to the form's ``next`` (a local path) or the thread's page, at the comment."""
    back = safe_next(visit.field("next")) or discussion_url(visit.workspace.id, target)
    return redirect(f"{back.partition('#')[0]}#c{comment_id}")


def _comment(db: DbSession, workspace_id: int, comment_id: int) -> Comment:
    """The comment ``comment_id`` of the workspace (locked for the transaction); 404 if none."""
    found = db.get(Comment, comment_id, with_for_update=True) if comment_id <= _MAX_ID else None
    if found is None or found.workspace_id != workspace_id:
        raise WebError(404, t("web.error.not_found"))
    return found


def _own(db: DbSession, visit: Visit) -> Comment:
    """The comment in the path, when the visitor wrote it: 404 if none here, 403 if another's."""
    found = _comment(db, visit.workspace.id, visit.param("comment"))
    if found.author_id != visit.me.id:
        raise WebError(403, t("web_discussion.not_yours"))
    return found


def _parent(db: DbSession, visit: Visit, target: str) -> int | None:
    text = visit.field("parent").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        raise WebError(404, t("web.error.not_found"))
    parent = _comment(db, visit.workspace.id, int(text))
    if parent.target != target:
        raise WebError(422, t("web_discussion.parent_elsewhere"))
    return parent.id


def comment_post(visit: Visit) -> Response:
    """A new comment on the form's ``target``, or a reply to its ``parent``."""
    place = visit.workspace
    target = _target(visit.field("target"))
    body = _body(visit)
    with transaction(visit.engine) as db:
        parent_id = _parent(db, visit, target)
        created = Comment(
            workspace_id=place.id,
            target=target,
            parent_id=parent_id,
            author_id=visit.me.id,
            body=body,
            created_at=utcnow(),
        )
        db.add(created)
        db.flush()
        comment_id = created.id
    return _back(visit, target, comment_id)


def comment_edit(visit: Visit) -> Response:
    """The visitor's own comment with the form's ``body`` (its time of editing kept)."""
    with transaction(visit.engine) as db:
        comment = _own(db, visit)
        if comment.deleted_at is not None:
            raise WebError(409, t("web_discussion.gone"))
        body = _body(visit)
        if body != comment.body:
            comment.body = body
            comment.edited_at = utcnow()
        target, comment_id = comment.target, comment.id
    return _back(visit, target, comment_id)


def comment_delete(visit: Visit) -> Response:
    """The visitor's own comment marked deleted, its text erased (its replies stay)."""
    with transaction(visit.engine) as db:
        comment = _own(db, visit)
        if comment.deleted_at is None:
            comment.deleted_at = utcnow()
            comment.body = ""
        target, comment_id = comment.target, comment.id
    return _back(visit, target, comment_id)


def _target_url(workspace_id: int, target: str) -> str:
    """Where ``target`` is shown: the comparison's recommendation or finding, or the scenario.

    >>> _target_url(3, "recommendation"), _target_url(3, "finding:span_after_merge")
    ('/w/3/scenarios#recommendation', '/w/3/scenarios#finding-span_after_merge')
    >>> _target_url(3, "scenario:säljpoddar")
    '/w/3/scenarios/s%C3%A4ljpoddar'
    """
    if target == RECOMMENDATION:
        return f"/w/{workspace_id}/scenarios#recommendation"
    kind, _, key = target.partition(":")
    if kind == "scenario":
        return f"/w/{workspace_id}/scenarios/{quote(key, safe='')}"
    return f"/w/{workspace_id}/scenarios#finding-{key}"


def discussion_page(visit: Visit) -> Response:
    """The thread of ``?target=`` (the recommendation's when none is given)."""
    place = visit.workspace
    target = _target(visit.request.query_params.get("target", RECOMMENDATION))
    with reading(visit.engine) as db:
        thread = discussion(db, place.id, target, visit.me.id)
    data: dict[str, Any] = {
        "workspace": {"id": place.id, "name": place.name},
        "target": target,
        "title": t("web_discussion.title_of", target=target_label(target)),
        "url": discussion_url(place.id, target),
        "target_url": _target_url(place.id, target),
        "target_label": target_label(target),
        "can": {"comment": place.can(Action.comment)},
        "discussion": thread,
    }
    return page(visit.request, "discussion.html", data)


ROUTES: list[RuledRoute] = [
    route("/w/{ws:int}/discussion", discussion_page, rule=Action.view),
    route("/w/{ws:int}/comments", comment_post, rule=Action.comment, methods=["POST"]),
    route(
        "/w/{ws:int}/comments/{comment:int}/edit",
        comment_edit,
        rule=Action.comment,
        methods=["POST"],
    ),
    route(
        "/w/{ws:int}/comments/{comment:int}/delete",
        comment_delete,
        rule=Action.comment,
        methods=["POST"],
    ),
]
