"""The lens dashboard: today's organization of a version through the four lenses (hr, process,
budget, customer), with the report's charts and a few headline figures, people's cost hidden
for the role that may not see it.

Also what the data pages share with it: a workspace's versions by number, the scenarios
written in the browser, and the dashboard of a version (cached per version by
:mod:`orglens.web.cache`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from orglens.i18n import integer, number, percent, t
from orglens.report.charts_budget import money
from orglens.web import results
from orglens.web.cache import Applicable, computed
from orglens.web.config import WebConfig
from orglens.web.db import reading
from orglens.web.render import page
from orglens.web.roles import Action
from orglens.web.routes import RuledRoute, Visit, WebError, route
from orglens.web.tables import Scenario, User, Version

__all__ = [
    "MAX_NUMBER",
    "ROUTES",
    "asked_number",
    "dashboard_of",
    "dashboard_page",
    "dashboard_result",
    "hide_cost",
    "version_numbered",
    "version_shown",
    "versions_of",
    "written_of",
]


#: The largest version number a database column holds (a larger one in a URL is not found).
MAX_NUMBER = 2**31 - 1


def hide_cost(visit: Visit) -> bool:
    """Whether the visitor may not see people's cost."""
    return not visit.workspace.can(Action.view_cost)


def asked_number(visit: Visit) -> int | None:
    """The ``?version=N`` of the request (``None`` without one; 404 when it is no number)."""
    text = visit.request.query_params.get("version", "")
    if not text:
        return None
    if not text.isdigit():
        raise WebError(404, t("web.error.not_found"))
    return int(text)


def version_numbered(db: DbSession, workspace_id: int, number: int | None) -> Version | None:
    """Version ``number`` of the workspace (404 when it has none of that number: another
    workspace's versions are not found), or its latest (``None`` before the first upload)."""
    query = select(Version).where(Version.workspace_id == workspace_id)
    if number is None:
        return db.scalars(query.order_by(Version.number.desc()).limit(1)).first()
    found = None
    if 0 < number <= MAX_NUMBER:
        found = db.scalars(query.where(Version.number == number)).first()
    if found is None:
        raise WebError(404, t("web.error.not_found"))
    return found


def version_shown(version: Version, uploader: str) -> dict[str, Any]:
    """A version as the pages show it: who uploaded it by name (never their e-mail)."""
    base = f"/w/{version.workspace_id}"
    return {
        "number": version.number,
        "kind": version.kind,
        "filename": version.filename,
        "size": version.size,
        "sha256": version.sha256,
        "sha256_short": version.sha256[:12],
        "created_by": uploader,
        "created_at": version.created_at,
        "url": f"{base}/versions/{version.number}",
        "dashboard_url": f"{base}/dashboard?version={version.number}",
    }


def versions_of(db: DbSession, workspace_id: int) -> list[dict[str, Any]]:
    """The workspace's versions, newest first (:func:`version_shown`)."""
    rows = db.execute(
        select(Version, User.name)
        .join(User, User.id == Version.created_by)
        .where(Version.workspace_id == workspace_id)
        .order_by(Version.number.desc())
    )
    return [version_shown(version, name) for version, name in rows]


def written_of(db: DbSession, workspace_id: int) -> dict[str, str]:
    """The scenarios written in the workspace's browser pages: ``{name: YAML}``."""
    rows = db.execute(
        select(Scenario.name, Scenario.yaml)
        .where(Scenario.workspace_id == workspace_id)
        .order_by(Scenario.name)
    )
    return {row.name: row.yaml for row in rows}


def dashboard_of(visit: Visit, version: Version, written: dict[str, str]) -> dict[str, Any]:
    """:func:`orglens.web.results.dashboard` of ``version`` in the visitor's language, people's
    cost hidden where their role says so; cached per version."""
    return dashboard_result(
        visit.config, visit.engine, version, written, visit.lang, hide_cost(visit)
    )


def dashboard_result(
    config: WebConfig,
    engine: Engine,
    version: Version,
    written: Mapping[str, str],
    lang: str,
    hidden: bool,
) -> dict[str, Any]:
    """:func:`orglens.web.results.dashboard` of ``version`` in ``lang``, people's cost
    ``hidden`` or not; cached per version."""
    key = results.cache_key("dashboard", lang, hidden, written)

    def make(opened: Applicable) -> dict[str, Any]:
        return results.dashboard(opened.workspace, lang, hidden)

    found: dict[str, Any] = computed(config, engine, version, written, key, make)
    return found


# -- the headline figures of each lens ---------------------------------------------------------

Shown = Callable[[Any, str], str]


def _whole(value: Any, _currency: str) -> str:
    return integer(value)


def _count(value: Any, _currency: str) -> str:
    return integer(len(value))


def _money(value: Any, currency: str) -> str:
    return money(value, currency)


def _number(value: Any, _currency: str) -> str:
    return number(value)


def _share(value: Any, _currency: str) -> str:
    return percent(value)


#: Per lens: the figures shown above its charts (the key of the lens's JSON and its format).
#: A key the role may not see (people's cost) is absent from the data, so it is not shown.
FIGURES: dict[str, tuple[tuple[str, Shown], ...]] = {
    "hr": (
        ("headcount", _whole),
        ("layers", _whole),
        ("spans_out_of_range", _whole),
        ("teams_out_of_range", _whole),
        ("people_cost", _money),
    ),
    "process": (
        ("cases_per_year", _whole),
        ("handoffs_per_year", _whole),
        ("cross_unit_handoffs_per_case", _number),
    ),
    "budget": (
        ("spend", _money),
        ("revenue", _money),
        ("brand_share", _share),
        ("people_cost", _money),
    ),
    "customer": (("segments", _count), ("units_without_segments", _count)),
}


#: The money figures that are sums of something the data may not have (``given`` of the
#: dashboard): without it, the figure is left out instead of shown as 0.
SUM_OF = {"people_cost": "cost", "spend": "budget", "revenue": "revenue"}


def figures(dashboard: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Per lens, its headline figures as a reader reads them (``{"key", "label", "value"}``),
    in the current language; those the data lacks are left out (a sum of no cost, no budget
    line or no revenue stream too: it is not a figure of 0)."""
    analysis, currency = dashboard["analysis"], dashboard.get("currency") or ""
    given = dashboard.get("given") or {}  # results stored before it was added: all given
    found: dict[str, list[dict[str, str]]] = {}
    for lens, shown in FIGURES.items():
        data = analysis.get(lens) or {}
        found[lens] = [
            {"key": key, "label": t(f"web_data.figure.{key}"), "value": show(data[key], currency)}
            for key, show in shown
            if data.get(key) is not None and given.get(SUM_OF.get(key, ""), True)
        ]
    return found


# -- the page ----------------------------------------------------------------------------------


def dashboard_page(visit: Visit) -> Response:
    """``/w/{ws}/dashboard``: the lenses of the latest version (``?version=N``: of that one)."""
    place = visit.workspace
    with reading(visit.engine) as db:
        version = version_numbered(db, place.id, asked_number(visit))
        written = written_of(db, place.id)
        versions = versions_of(db, place.id)
    shown = next((v for v in versions if version and v["number"] == version.number), None)
    lenses = None if version is None else dashboard_of(visit, version, written)
    data = {
        "workspace": {"id": place.id, "name": place.name},
        "version": shown,
        "versions": [v["number"] for v in versions],
        "hide_cost": hide_cost(visit),
        "can_upload": place.can(Action.edit),
        "data_url": f"/w/{place.id}/data",
        "figures": None if lenses is None else figures(lenses),
        "dashboard": lenses,
    }
    return page(visit.request, "dashboard.html", data)


ROUTES: list[RuledRoute] = [
    route("/w/{ws:int}/dashboard", dashboard_page, rule=Action.view),
]
