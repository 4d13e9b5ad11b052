"""Workspaces: the list of mine, creating one, its page, its members and invitations by link."""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from orglens.i18n import t
from orglens.web.db import reading, transaction, utcnow
from orglens.web.render import page, redirect, wants_json
from orglens.web.roles import Action, Role
from orglens.web.routes import PUBLIC, SIGNED_IN, RuledRoute, Visit, WebError, route
from orglens.web.security import cookie, new_token, token_hash
from orglens.web.tables import Invitation, Member, User, Version, Workspace

__all__ = ["ROUTES"]

MAX_INVITATION_DAYS = 90

#: The cookie that carries a new invitation's token from its POST to the members page it
#: redirects to, once (the token is stored hashed: that page is the only place it is shown).
NEW_INVITATION_COOKIE = "orglens_new_invitation"


def _role(visit: Visit) -> Role:
    value = visit.field("role")
    if value not in Role.__members__:
        raise WebError(400, t("web.members.role_unknown", role=value))
    return Role(value)


def _members(db: DbSession, workspace_id: int) -> list[dict[str, Any]]:
    """The members by name: id, name and role (never their e-mail)."""
    rows = db.execute(
        select(User.id, User.name, Member.role)
        .join(Member, Member.user_id == User.id)
        .where(Member.workspace_id == workspace_id)
        .order_by(User.name, User.id)
    )
    return [{"id": row.id, "name": row.name, "role": row.role} for row in rows]


def workspaces(visit: Visit, *, error: str | None = None, status: int = 200) -> Response:
    with reading(visit.engine) as db:
        rows = db.execute(
            select(Workspace.id, Workspace.name, Member.role)
            .join(Member, Member.workspace_id == Workspace.id)
            .where(Member.user_id == visit.me.id)
            .order_by(Workspace.name, Workspace.id)
        ).all()
    mine = [{"id": r.id, "name": r.name, "role": r.role, "url": f"/w/{r.id}"} for r in rows]
    data = {"workspaces": mine, "error": error}
    return page(visit.request, "workspaces.html", data, status=status)


def workspace_create(visit: Visit) -> Response:
    name = visit.field("name").strip()
    if not name or len(name) > 200:
        return workspaces(visit, error=t("web.workspaces.name_needed"), status=400)
    with transaction(visit.engine) as db:
        created = Workspace(name=name, created_by=visit.me.id, created_at=utcnow())
        db.add(created)
        db.flush()
        db.add(Member(workspace_id=created.id, user_id=visit.me.id, role=Role.owner.value))
    return redirect(f"/w/{created.id}")


def workspace_page(visit: Visit) -> Response:
    place = visit.workspace
    with reading(visit.engine) as db:
        members = _members(db, place.id)
        rows = db.execute(
            select(Version, User.name)
            .join(User, User.id == Version.created_by)
            .where(Version.workspace_id == place.id)
            .order_by(Version.number.desc())
        ).all()
    versions = [
        {
            "number": version.number,
            "kind": version.kind,
            "filename": version.filename,
            "size": version.size,
            "created_at": version.created_at,
            "created_by": name,
        }
        for version, name in rows
    ]
    data = {
        "workspace": {"id": place.id, "name": place.name},
        "role": place.role,
        "can": {action.value: place.can(action) for action in Action},
        "members": members,
        "versions": versions,
    }
    return page(visit.request, "workspace.html", data)


def members_page(
    visit: Visit,
    *,
    error: str | None = None,
    invitation: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    place = visit.workspace
    token = visit.request.cookies.get(NEW_INVITATION_COOKIE, "")
    with reading(visit.engine) as db:
        if invitation is None and token:
            invitation = _new_invitation(visit, db, token)
        members = _members(db, place.id)
        rows = db.execute(
            select(Invitation, User.name)
            .join(User, User.id == Invitation.created_by)
            .where(
                Invitation.workspace_id == place.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.expires_at)
        ).all()
    open_links = [
        {"id": inv.id, "role": inv.role, "expires_at": inv.expires_at, "created_by": name}
        for inv, name in rows
    ]
    data = {
        "workspace": {"id": place.id, "name": place.name},
        "me": visit.me.id,
        "members": members,
        "roles": [role.value for role in Role],
        "invitations": open_links,
        "invitation": invitation,
        "invitation_days": visit.config.invitation_days,
        "error": error,
    }
    shown = page(visit.request, "members.html", data, status=status)
    if token:  # shown once: a reload does not show it again
        https = visit.request.url.scheme == "https"
        shown.headers.append(
            "set-cookie", cookie(NEW_INVITATION_COOKIE, "", https=https, max_age=0, strict=True)
        )
    return shown


def _new_invitation(visit: Visit, db: DbSession, token: str) -> dict[str, Any] | None:
    """The invitation just made whose ``token`` the cookie carries, while it is open."""
    found = db.scalars(
        select(Invitation).where(
            Invitation.token_hash == token_hash(token),
            Invitation.workspace_id == visit.workspace.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    ).first()
    if found is None:
        return None
    url = f"{str(visit.request.base_url).rstrip('/')}/invite/{token}"
    return {"url": url, "role": found.role, "expires_at": found.expires_at}


def _member(db: DbSession, workspace_id: int, user_id: int) -> Member:
    found = db.get(Member, (workspace_id, user_id))
    if found is None:
        raise WebError(404, t("web.error.not_found"))
    return found


def _keeps_an_owner(db: DbSession, member: Member) -> None:
    """:class:`WebError` 409 when ``member`` is the workspace's last owner."""
    if member.role != Role.owner.value:
        return
    # The owners' rows stay locked to the end of the transaction (PostgreSQL; SQLite's write
    # transactions are one at a time): two owners demoting each other cannot both succeed.
    owners = db.scalars(
        select(Member.user_id)
        .where(Member.workspace_id == member.workspace_id, Member.role == Role.owner.value)
        .with_for_update()
    ).all()
    if len(owners) == 1:
        raise WebError(409, t("web.members.last_owner"))


def member_role(visit: Visit) -> Response:
    place = visit.workspace
    with transaction(visit.engine) as db:
        member = _member(db, place.id, visit.param("user"))
        role = _role(visit)
        if role is not Role.owner:
            _keeps_an_owner(db, member)
        member.role = role.value
    return redirect(f"/w/{place.id}/members")


def member_remove(visit: Visit) -> Response:
    place = visit.workspace
    with transaction(visit.engine) as db:
        member = _member(db, place.id, visit.param("user"))
        _keeps_an_owner(db, member)
        db.delete(member)
    return redirect("/workspaces" if member.user_id == visit.me.id else f"/w/{place.id}/members")


def invitation_create(visit: Visit) -> Response:
    place, role = visit.workspace, _role(visit)
    days_text = visit.field("days").strip() or str(visit.config.invitation_days)
    if not days_text.isdigit() or not 1 <= int(days_text) <= MAX_INVITATION_DAYS:
        raise WebError(400, t("web.members.days_range", most=MAX_INVITATION_DAYS))
    token, now = new_token(), utcnow()
    expires = now + timedelta(days=int(days_text))
    with transaction(visit.engine) as db:
        db.add(
            Invitation(
                workspace_id=place.id,
                token_hash=token_hash(token),
                role=role.value,
                created_by=visit.me.id,
                created_at=now,
                expires_at=expires,
            )
        )
    if not wants_json(visit.request):
        # Post/redirect/get: reloading the page it lands on makes no second invitation.
        response = redirect(f"/w/{place.id}/members")
        https = visit.request.url.scheme == "https"
        response.headers.append(
            "set-cookie",
            cookie(NEW_INVITATION_COOKIE, token, https=https, max_age=300, strict=True),
        )
        return response
    url = f"{str(visit.request.base_url).rstrip('/')}/invite/{token}"
    made = {"url": url, "role": role.value, "expires_at": expires}
    return members_page(visit, invitation=made, status=201)


def invitation_revoke(visit: Visit) -> Response:
    place = visit.workspace
    with transaction(visit.engine) as db:
        gone = db.execute(
            delete(Invitation).where(
                Invitation.id == visit.param("invitation"),
                Invitation.workspace_id == place.id,
                Invitation.used_at.is_(None),
            )
        )
        if gone.rowcount == 0:  # type: ignore[attr-defined]
            raise WebError(404, t("web.error.not_found"))
    return redirect(f"/w/{place.id}/members")


def workspace_delete(visit: Visit) -> Response:
    """Delete the workspace (its name typed again to confirm), its rows and its files."""
    place = visit.workspace
    if visit.field("confirm").strip() != place.name:
        raise WebError(400, t("web.workspace.delete_confirm"))
    with transaction(visit.engine) as db:
        db.execute(delete(Workspace).where(Workspace.id == place.id))
    # After the commit: a kill in between leaves folders without rows, removed at start-up.
    shutil.rmtree(visit.config.workspaces_dir / str(place.id), ignore_errors=True)
    return redirect("/workspaces")


def _invitation(db: DbSession, token: str) -> tuple[Invitation, str]:
    """The invitation of ``token`` and its workspace's name; 404 unknown, 410 used or expired."""
    row = db.execute(
        select(Invitation, Workspace.name)
        .join(Workspace, Workspace.id == Invitation.workspace_id)
        .where(Invitation.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise WebError(404, t("web.invite.unknown"))
    invitation, name = row[0], row[1]
    if invitation.used_at is not None:
        raise WebError(410, t("web.invite.used"))
    if invitation.expires_at <= utcnow():
        raise WebError(410, t("web.invite.expired"))
    return invitation, name


def invitation_page(visit: Visit) -> Response:
    token: str = visit.param("token")
    with reading(visit.engine) as db:
        invitation, name = _invitation(db, token)
        member = visit.user is not None and (
            db.get(Member, (invitation.workspace_id, visit.user.id)) is not None
        )
    data = {
        "workspace": {"id": invitation.workspace_id, "name": name},
        "role": invitation.role,
        "expires_at": invitation.expires_at,
        "signed_in": visit.user is not None,
        "member": member,
        "here": f"/invite/{token}",
    }
    return page(visit.request, "invitation.html", data)


def invitation_accept(visit: Visit) -> Response:
    with transaction(visit.engine) as db:
        invitation, _ = _invitation(db, visit.param("token"))
        workspace_id = invitation.workspace_id
        if db.get(Member, (workspace_id, visit.me.id)) is None:
            taken = db.execute(
                update(Invitation)
                .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
                .values(used_at=utcnow(), used_by=visit.me.id)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                raise WebError(410, t("web.invite.used"))
            db.add(Member(workspace_id=workspace_id, user_id=visit.me.id, role=invitation.role))
    return redirect(f"/w/{workspace_id}")


ROUTES: list[RuledRoute] = [
    route("/workspaces", workspaces, rule=SIGNED_IN),
    route("/workspaces", workspace_create, rule=SIGNED_IN, methods=["POST"], name="create"),
    route("/w/{ws:int}", workspace_page, rule=Action.view),
    route("/w/{ws:int}/delete", workspace_delete, rule=Action.manage, methods=["POST"]),
    route("/w/{ws:int}/members", members_page, rule=Action.manage),
    route("/w/{ws:int}/members/{user:int}/role", member_role, rule=Action.manage, methods=["POST"]),
    route(
        "/w/{ws:int}/members/{user:int}/remove",
        member_remove,
        rule=Action.manage,
        methods=["POST"],
    ),
    route("/w/{ws:int}/invitations", invitation_create, rule=Action.manage, methods=["POST"]),
    route(
        "/w/{ws:int}/invitations/{invitation:int}/revoke",
        invitation_revoke,
        rule=Action.manage,
        methods=["POST"],
    ),
    route("/invite/{token}", invitation_page, rule=PUBLIC),
    route("/invite/{token}", invitation_accept, rule=SIGNED_IN, methods=["POST"], name="join"),
]
