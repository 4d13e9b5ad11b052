"""The decision record: an owner marks one of the compared designs as chosen, with a written
reason; everyone in the workspace sees who decided what and when (by name, never e-mail)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from orglens.i18n import t
from orglens.web.db import reading, transaction, utcnow
from orglens.web.pages_scenarios_shared import (
    asked_version,
    computed,
    decisions_of,
    version_of,
    written_scenarios,
)
from orglens.web.render import page, redirect
from orglens.web.roles import Action
from orglens.web.routes import RuledRoute, Visit, WebError
from orglens.web.tables import Decision

__all__ = ["MAX_REASON_CHARS", "ROUTES", "decide", "decisions_page"]

#: The longest reason a decision takes.
MAX_REASON_CHARS = 10_000

#: The scenario area has its routes in ``pages_scenarios.ROUTES``.
ROUTES: list[RuledRoute] = []


def decisions_page(visit: Visit) -> Response:
    """``GET /w/{ws}/decisions``: every decision, newest first."""
    place = visit.workspace
    with reading(visit.engine) as db:
        found = decisions_of(db, place.id)
    data: dict[str, Any] = {
        "workspace": {"id": place.id, "name": place.name},
        "decisions": found,
        "can_decide": place.can(Action.manage),
    }
    return page(visit.request, "decisions.html", data)


def decide(visit: Visit) -> Response:
    """``POST /w/{ws}/decisions``: record ``scenario`` (a design of the comparison of the
    latest version, or of ``version``) as chosen, for ``reason`` (required)."""
    place = visit.workspace
    name, reason = visit.field("scenario").strip(), visit.field("reason").strip()
    if not reason:
        raise WebError(422, t("web_scenarios.reason_needed"))
    if len(reason) > MAX_REASON_CHARS:
        raise WebError(422, t("web_scenarios.reason_long", most=MAX_REASON_CHARS))
    with reading(visit.engine) as db:
        version = version_of(db, place.id, asked_version(visit))
        written = written_scenarios(db, place.id)
    if version is None:
        raise WebError(409, t("web_scenarios.no_version"))
    compared, _ = computed(visit, version, {w.name: w.yaml for w in written})
    designs = [entry["name"] for entry in compared["scenarios"]]
    if name not in designs:
        raise WebError(422, t("web_scenarios.design_unknown", name=name))
    with transaction(visit.engine) as db:
        db.add(
            Decision(
                workspace_id=place.id,
                version_id=version.id,
                scenario=name,
                reason=reason,
                decided_by=visit.me.id,
                decided_at=utcnow(),
            )
        )
    return redirect(f"/w/{place.id}/decisions")
