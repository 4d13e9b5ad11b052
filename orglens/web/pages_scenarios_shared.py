"""What the scenario pages share: the version compared, the scenarios written in the browser,
the results of both (where the results cache plugs in), and the discussion of each place.

A scenario written against one version may not apply to the next one (a unit it merges is
gone): the comparison then leaves it out and says why, instead of failing as a whole.

The scenario area's routes are all in :data:`orglens.web.pages_scenarios.ROUTES`, in the order
they must match (``/scenarios/new`` before ``/scenarios/{scenario}``); this module has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session as DbSession

from orglens.errors import Problem, UsageError
from orglens.i18n import t
from orglens.report.labels import design_label
from orglens.web import cache, results
from orglens.web.config import WebConfig
from orglens.web.db import reading
from orglens.web.roles import Action
from orglens.web.routes import RuledRoute, Visit, WebError
from orglens.web.tables import Decision, Scenario, User, Version

__all__ = [
    "RESERVED_NAMES",
    "ROUTES",
    "Written",
    "asked_version",
    "computed",
    "computed_design",
    "decisions_of",
    "discussions",
    "hide_cost",
    "problem_text",
    "result_of",
    "scenario_url",
    "version_folder",
    "version_of",
    "version_shown",
    "written_scenarios",
]

#: The scenario area has its routes in ``pages_scenarios.ROUTES``.
ROUTES: list[RuledRoute] = []

#: Names a written scenario may not take: ``/scenarios/new`` is the editor's page.
RESERVED_NAMES = frozenset({"new"})


def problem_text(problem: Problem) -> str:
    """A problem as a person reads it: ``FILE:LINE: what — fix``, or ``what — fix`` when it
    names no file.

    >>> problem_text(Problem("no unit 'x'", "name a unit", "scenarios/a.yaml", 3))
    "scenarios/a.yaml:3: no unit 'x' — name a unit"
    >>> problem_text(Problem("--teams: too many", "ask for fewer"))
    '--teams: too many — ask for fewer'
    """
    return str(problem) if problem.file else f"{problem.what} — {problem.fix}"


def scenario_url(workspace_id: int, name: str, suffix: str = "") -> str:
    """The page of the design ``name`` (``suffix``: ``/edit``, ``/delete``).

    >>> scenario_url(3, "säljpoddar", "/edit")
    '/w/3/scenarios/s%C3%A4ljpoddar/edit'
    """
    return f"/w/{workspace_id}/scenarios/{quote(name, safe='')}{suffix}"


def hide_cost(visit: Visit) -> bool:
    """Whether the visitor may not see people's cost."""
    return not visit.workspace.can(Action.view_cost)


def version_of(db: DbSession, workspace_id: int, number: int | None = None) -> Version | None:
    """Version ``number`` of the workspace (404 when there is none), or its latest (``None``
    when nothing has been uploaded)."""
    query = select(Version).where(Version.workspace_id == workspace_id)
    if number is None:
        return db.scalars(query.order_by(Version.number.desc()).limit(1)).first()
    found = db.scalars(query.where(Version.number == number)).first()
    if found is None:
        raise WebError(404, t("web.error.not_found"))
    return found


def asked_version(visit: Visit) -> int | None:
    """The ``?version=N`` of the request (404 when it is not a number)."""
    text = visit.request.query_params.get("version") or visit.field("version")
    if not text:
        return None
    if not text.isdigit():
        raise WebError(404, t("web.error.not_found"))
    return int(text)


def version_folder(config: WebConfig, version: Version) -> Path:
    """Where the files of ``version`` are."""
    return config.data_dir / version.folder


def version_shown(version: Version) -> dict[str, Any]:
    """A version as the pages show it."""
    return {
        "number": version.number,
        "kind": version.kind,
        "filename": version.filename,
        "created_at": version.created_at,
    }


@dataclass(frozen=True)
class Written:
    """A scenario written in the browser, and who changed it last (by name)."""

    name: str
    yaml: str
    updated_by: str
    updated_at: Any

    def to_dict(self, workspace_id: int) -> dict[str, Any]:
        return {
            "name": self.name,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at,
            "url": scenario_url(workspace_id, self.name),
            "edit_url": scenario_url(workspace_id, self.name, "/edit"),
        }


def written_scenarios(db: DbSession, workspace_id: int) -> list[Written]:
    """The workspace's written scenarios, by name."""
    rows = db.execute(
        select(Scenario, User.name)
        .join(User, User.id == Scenario.updated_by)
        .where(Scenario.workspace_id == workspace_id)
        .order_by(Scenario.name)
    )
    return [Written(row.name, row.yaml, name, row.updated_at) for row, name in rows]


def decisions_of(
    db: DbSession, workspace_id: int, limit: int | None = None
) -> list[dict[str, Any]]:
    """The workspace's decisions, newest first: the design chosen (name and label), the reason,
    who decided (their name, never their e-mail), when, and on which version."""
    query = (
        select(Decision, User.name, Version.number)
        .join(User, User.id == Decision.decided_by)
        .outerjoin(Version, Version.id == Decision.version_id)
        .where(Decision.workspace_id == workspace_id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(limit)
    )
    return [
        {
            "scenario": decision.scenario,
            "label": design_label(decision.scenario),
            "url": scenario_url(workspace_id, decision.scenario),
            "reason": decision.reason,
            "decided_by": name,
            "decided_at": decision.decided_at,
            "version": number,
        }
        for decision, name, number in db.execute(query)
    ]


def _payload(opened: cache.Applicable, kind: str, lang: str, hidden: bool) -> dict[str, Any]:
    """What a page of ``kind`` (``comparison`` or ``design:NAME``) shows of the ``opened``
    version, JSON-ready: ``{"result", "left_out", "found"}`` (``found`` false: no such design)."""
    left_out, ws = opened.left_out, opened.workspace
    if kind == "comparison":
        compared = results.comparison(ws, lang, hidden)
        return {"result": compared, "left_out": left_out, "found": True}
    name = kind.removeprefix("design:")
    if name in left_out:
        return {"result": None, "left_out": left_out, "found": True}
    try:
        ws.scenario(name)
    except UsageError:
        return {"result": None, "left_out": left_out, "found": False}
    designed = results.design(ws, name, lang, hidden)
    return {"result": designed, "left_out": left_out, "found": True}


def result_of(
    config: WebConfig,
    engine: Engine,
    version: Version,
    written: Mapping[str, str],
    kind: str,
    lang: str,
    hidden: bool,
) -> dict[str, Any]:
    """The one place the results cache plugs in: the payload of a page of ``kind``
    (:func:`_payload`) of ``version`` with the ``written`` scenarios, in ``lang``, people's cost
    ``hidden`` or not; computed when not cached."""
    key = results.cache_key(kind, lang, hidden, written)

    def make(opened: cache.Applicable) -> dict[str, Any]:
        return _payload(opened, kind, lang, hidden)

    found: dict[str, Any] = cache.computed(config, engine, version, written, key, make)
    return found


def _computed(
    visit: Visit, version: Version, written: Mapping[str, str], kind: str
) -> dict[str, Any]:
    return result_of(
        visit.config, visit.engine, version, written, kind, visit.lang, hide_cost(visit)
    )


def computed(
    visit: Visit, version: Version, written: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The comparison of ``version`` with the ``written`` scenarios (``{name: YAML}``), in
    the visitor's language, people's cost hidden where their role says so; and the written
    scenarios left out of it (name → problems as text)."""
    payload = _computed(visit, version, written, "comparison")
    return payload["result"], payload["left_out"]


def computed_design(
    visit: Visit, version: Version, written: Mapping[str, str], name: str
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The design ``name`` of the comparison (:func:`orglens.web.results.design`), ``None``
    for a written scenario left out of the version (its problems in the second value); 404
    when there is no such design."""
    payload = _computed(visit, version, written, f"design:{name}")
    if not payload["found"]:
        raise WebError(404, t("web.error.not_found"))
    return payload["result"], payload["left_out"]


def discussions(visit: Visit, targets: Iterable[str]) -> dict[str, Any]:
    """The discussion of each target (``recommendation``, ``finding:ID``, ``scenario:NAME``)
    by :func:`orglens.web.discussion.discussion`; empty where that module is not installed."""
    try:
        module = import_module("orglens.web.discussion")
    except ModuleNotFoundError as error:
        if error.name != "orglens.web.discussion":
            raise
        return {}
    place = visit.workspace
    with reading(visit.engine) as db:
        found: dict[str, Any] = module.discussions(db, place.id, targets, visit.me.id)
        return found
