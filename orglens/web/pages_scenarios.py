"""The scenarios of a workspace: the comparison of its latest version (the recommendation, the
scorecard, the Pareto front, the trade-offs and the advice findings), each design's page with
its org chart, and the discussion beside each place that can be argued about.

The handlers of the editor, the decision record and optimize are in the ``pages_scenarios_*``
modules; every route of the area is in :data:`ROUTES` here, in the order they must match.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from orglens.i18n import t
from orglens.privacy import mask_emails
from orglens.report.labels import metric_label
from orglens.web.db import reading
from orglens.web.pages_scenarios_decisions import decide, decisions_page
from orglens.web.pages_scenarios_edit import (
    scenario_create,
    scenario_delete,
    scenario_edit_form,
    scenario_new_form,
    scenario_save,
)
from orglens.web.pages_scenarios_jobs import job_page, optimize_start, recent_jobs
from orglens.web.pages_scenarios_shared import (
    asked_version,
    computed,
    computed_design,
    decisions_of,
    discussions,
    hide_cost,
    scenario_url,
    version_of,
    version_shown,
    written_scenarios,
)
from orglens.web.render import page
from orglens.web.roles import Action
from orglens.web.routes import RuledRoute, Visit, WebError, route
from orglens.web.tables import Version

__all__ = ["ROUTES", "comparison_page", "design_page"]


def _versions(visit: Visit) -> list[int]:
    with reading(visit.engine) as db:
        found = db.scalars(
            select(Version.number)
            .where(Version.workspace_id == visit.workspace.id)
            .order_by(Version.number.desc())
        )
        return list(found)


def _can(visit: Visit) -> dict[str, bool]:
    return {action.value: visit.workspace.can(action) for action in Action}


def comparison_page(visit: Visit) -> Response:
    """``/w/{ws}/scenarios``: the comparison of the latest version (``?version=N``: of that)."""
    place = visit.workspace
    with reading(visit.engine) as db:
        version = version_of(db, place.id, asked_version(visit))
        written = written_scenarios(db, place.id)
        decided = decisions_of(db, place.id, limit=1)
    data: dict[str, Any] = {
        "workspace": {"id": place.id, "name": place.name},
        "can": _can(visit),
        "hide_cost": hide_cost(visit),
        "version": None if version is None else version_shown(version),
        "versions": _versions(visit),
        "decision": decided[0] if decided else None,
        "written": [w.to_dict(place.id) for w in written],
        "left_out": {},
        "comparison": None,
        "jobs": recent_jobs(visit),
        "discussions": {},
    }
    if version is None:
        data["message"] = t("web_scenarios.no_version")
        return page(visit.request, "comparison.html", data)
    compared, left_out = computed(visit, version, {w.name: w.yaml for w in written})
    asked = "" if asked_version(visit) is None else f"?version={version.number}"
    designs = [
        entry | {"url": scenario_url(place.id, entry["name"]) + asked}
        for entry in compared["scenarios"]
    ]
    compared = compared | {"scenarios": designs}  # the results (maybe cached) stay as they are
    data["comparison"] = compared
    data["left_out"] = left_out
    data["designs"] = [
        {"name": entry["name"], "label": entry["label"]} for entry in compared["scenarios"]
    ]
    targets = [
        "recommendation",
        *(finding["target"] for finding in compared["findings"]),
        *(entry["target"] for entry in compared["scenarios"]),
        *(f"scenario:{name}" for name in left_out),
    ]
    data["discussions"] = discussions(visit, targets)
    return page(visit.request, "comparison.html", data)


def design_page(visit: Visit) -> Response:
    """``/w/{ws}/scenarios/{scenario}``: one design of the comparison and its org chart; a
    written scenario also with its text (e-mail addresses masked)."""
    place, name = visit.workspace, visit.param("scenario")
    with reading(visit.engine) as db:
        version = version_of(db, place.id, asked_version(visit))
        written = written_scenarios(db, place.id)
    mine = next((w for w in written if w.name == name), None)
    data: dict[str, Any] = {
        "workspace": {"id": place.id, "name": place.name},
        "can": _can(visit),
        "name": name,
        "target": f"scenario:{name}",
        "version": None if version is None else version_shown(version),
        "written": None if mine is None else mine.to_dict(place.id),
        "yaml": None if mine is None else mask_emails(mine.yaml),
        "problems": [],
        "design": None,
        "metrics": [],
        "discussions": {},
    }
    if version is None:
        if mine is None:
            raise WebError(404, t("web.error.not_found"))
        data["message"] = t("web_scenarios.no_version")
    else:
        shown, left_out = computed_design(visit, version, {w.name: w.yaml for w in written}, name)
        data["design"] = shown
        data["metrics"] = [
            {"key": key, "label": metric_label(key), "shown": value}
            for key, value in (shown or {}).get("shown", {}).items()
        ]
        data["problems"] = left_out.get(name, [])
    data["discussions"] = discussions(visit, [data["target"]])
    return page(visit.request, "scenario.html", data)


ROUTES: list[RuledRoute] = [
    route("/w/{ws:int}/scenarios", comparison_page, rule=Action.view),
    route("/w/{ws:int}/scenarios/new", scenario_new_form, rule=Action.edit),
    route(
        "/w/{ws:int}/scenarios/new",
        scenario_create,
        rule=Action.edit,
        methods=["POST"],
        name="scenario_create",
    ),
    route("/w/{ws:int}/scenarios/{scenario}", design_page, rule=Action.view),
    route("/w/{ws:int}/scenarios/{scenario}/edit", scenario_edit_form, rule=Action.edit),
    route(
        "/w/{ws:int}/scenarios/{scenario}/edit",
        scenario_save,
        rule=Action.edit,
        methods=["POST"],
        name="scenario_save",
    ),
    route(
        "/w/{ws:int}/scenarios/{scenario}/delete",
        scenario_delete,
        rule=Action.edit,
        methods=["POST"],
    ),
    route("/w/{ws:int}/decisions", decisions_page, rule=Action.view),
    route("/w/{ws:int}/decisions", decide, rule=Action.manage, methods=["POST"], name="decide"),
    route("/w/{ws:int}/optimize", optimize_start, rule=Action.edit, methods=["POST"]),
    route("/w/{ws:int}/jobs/{job:int}", job_page, rule=Action.view),
]
