"""Optimize as a background job: the form's options checked, the job queued for the
application's :class:`~orglens.web.jobs.JobRunner`, and the job's page (status, a progress bar
that refreshes itself while the job runs, the proposal when it is done)."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select
from starlette.responses import Response

from orglens.i18n import number, percent, t
from orglens.web.db import reading, transaction, utcnow
from orglens.web.jobs import ACTIVE, MAX_QUEUED, MAX_TIME_LIMIT, OptimizeParams, runner_for
from orglens.web.pages_scenarios_shared import scenario_url, version_of
from orglens.web.render import page, redirect
from orglens.web.routes import RuledRoute, Visit, WebError
from orglens.web.tables import Job, User

__all__ = ["ROUTES", "job_page", "optimize_params", "optimize_start", "recent_jobs"]

#: The scenario area has its routes in ``pages_scenarios.ROUTES``.
ROUTES: list[RuledRoute] = []

MAX_TEAMS = 1_000
MAX_SEED = 2**31 - 1
#: The form's ticked checkbox.
TICKED = frozenset({"1", "on", "true", "yes"})


def _number(visit: Visit, field: str, low: float, high: float, *, whole: bool) -> float | None:
    text = visit.field(field).strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high) or (whole and value != int(value)):
        raise WebError(
            422, t(f"web_scenarios.optimize_{field}_range", low=f"{low:g}", high=f"{high:g}")
        )
    return value


def optimize_params(visit: Visit, version: int) -> OptimizeParams:
    """The options of the optimize form (422 for a value out of its range)."""
    teams = _number(visit, "teams", 1, MAX_TEAMS, whole=True)
    low = _number(visit, "min_team", 0, 100_000, whole=False)
    high = _number(visit, "max_team", 0, 100_000, whole=False)
    if low is not None and high is not None and low > high:
        raise WebError(422, t("web_scenarios.optimize_sizes"))
    limit = _number(visit, "time_limit", 1, MAX_TIME_LIMIT, whole=False)
    seed = _number(visit, "seed", 0, MAX_SEED, whole=True)
    return OptimizeParams(
        version=version,
        teams=None if teams is None else int(teams),
        min_team=low,
        max_team=high,
        time_limit=30.0 if limit is None else limit,
        seed=0 if seed is None else int(seed),
        save=visit.field("save").strip().lower() in TICKED,
        lang=visit.lang,
    )


def optimize_start(visit: Visit) -> Response:
    """``POST /w/{ws}/optimize``: queue an optimize of the latest version; 303 to its page."""
    place = visit.workspace
    runner = runner_for(visit.request.app)  # before the row: leftovers are marked first
    with reading(visit.engine) as db:
        version = version_of(db, place.id)
    if version is None:
        raise WebError(409, t("web_scenarios.no_version"))
    params = optimize_params(visit, version.number)
    with transaction(visit.engine) as db:
        running = db.scalars(
            select(Job.id).where(Job.workspace_id == place.id, Job.status.in_(ACTIVE))
        ).first()
        if running is not None:
            raise WebError(409, t("web_scenarios.optimize_running", job=running))
        waiting = db.scalar(select(func.count()).where(Job.status == "queued")) or 0
        if waiting >= MAX_QUEUED:
            raise WebError(503, t("web_scenarios.optimize_busy"))
        job = Job(
            workspace_id=place.id,
            kind="optimize",
            status="queued",
            progress=0.0,
            message=t("web_scenarios.job_queued"),
            params=params.to_dict(),
            result=None,
            created_by=visit.me.id,
            created_at=utcnow(),
        )
        db.add(job)
        db.flush()
        job_id = job.id
    runner.submit(job_id)
    return redirect(f"/w/{place.id}/jobs/{job_id}")


def recent_jobs(visit: Visit, limit: int = 5) -> list[dict[str, Any]]:
    """The workspace's latest jobs: id, status, progress, who started them (by name), when."""
    place = visit.workspace
    with reading(visit.engine) as db:
        rows = db.execute(
            select(Job.id, Job.status, Job.progress, Job.created_at, User.name)
            .join(User, User.id == Job.created_by)
            .where(Job.workspace_id == place.id)
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(limit)
        )
        return [
            {
                "id": row.id,
                "status": row.status,
                "progress": row.progress,
                "created_at": row.created_at,
                "created_by": row.name,
                "url": f"/w/{place.id}/jobs/{row.id}",
            }
            for row in rows
        ]


def _summary(result: dict[str, Any]) -> str:
    """The proposal in a sentence: teams, work across teams, who moves, how good it is."""
    try:
        said = t(
            "web_scenarios.job_summary",
            teams=len(result["teams"]),
            cross=number(result["cross_team_weight"]),
            total=number(result["total_weight"]),
            moved=result["moved"],
            solver=result["solver"],
        )
        gap = result["gap"]
        if result["optimal"]:
            return f"{said} {t('web_scenarios.job_optimal')}"
        return f"{said} {t('web_scenarios.job_gap', gap=percent(gap))}"
    except (KeyError, TypeError):
        return ""


def job_page(visit: Visit) -> Response:
    """``GET /w/{ws}/jobs/{job}``: the job's status and progress (the page refreshes itself
    every 2 seconds while the job is queued or running), its result when done."""
    place = visit.workspace
    runner_for(visit.request.app)  # a job a stopped server left is marked interrupted
    with reading(visit.engine) as db:
        row = db.execute(
            select(Job, User.name)
            .join(User, User.id == Job.created_by)
            .where(Job.id == visit.param("job"), Job.workspace_id == place.id)
        ).first()
    if row is None:
        raise WebError(404, t("web.error.not_found"))
    job, name = row[0], row[1]
    result = job.result if isinstance(job.result, dict) else None
    saved = None if result is None else result.get("saved_as")
    params = OptimizeParams.from_dict({"version": 0} | dict(job.params))
    data: dict[str, Any] = {
        "workspace": {"id": place.id, "name": place.name},
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": round(job.progress, 4),
        "message": job.message,
        "params": params.to_dict(),
        "asked": t(
            "web_scenarios.job_params",
            version=params.version,
            limit=number(params.time_limit),
            seed=params.seed,
        ),
        "summary": None if result is None else _summary(result),
        "result": result,
        "created_by": name,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "refresh": job.status in ACTIVE,
        "scenario_url": None if saved is None else scenario_url(place.id, saved),
        "comparison_url": f"/w/{place.id}/scenarios",
    }
    return page(visit.request, "job.html", data)
