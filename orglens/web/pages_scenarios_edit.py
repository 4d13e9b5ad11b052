"""The scenario editor: write a scenario in its YAML form, checked against the latest version
with the messages of ``orglens validate`` (``scenarios/NAME.yaml`` line N) before anything is
saved; edit it, delete it.

A scenario that does not validate is not saved: the page answers 422 with the text as it was
sent and each problem beside its line. Saving checks that nobody saved the scenario since the
editor was opened (409 otherwise, the text sent kept on the page).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from orglens.errors import Problem
from orglens.i18n import t
from orglens.web.db import reading, transaction, utcnow
from orglens.web.pages_scenarios_shared import (
    RESERVED_NAMES,
    problem_text,
    scenario_url,
    version_folder,
    version_of,
    version_shown,
)
from orglens.web.render import page, redirect
from orglens.web.results import validate_scenario
from orglens.web.results_version import MAX_NAME_LENGTH, scenario_file
from orglens.web.routes import RuledRoute, Visit, WebError
from orglens.web.tables import Scenario

__all__ = [
    "MAX_YAML_CHARS",
    "ROUTES",
    "numbered",
    "scenario_create",
    "scenario_delete",
    "scenario_edit_form",
    "scenario_new_form",
    "scenario_save",
]

#: The scenario area has its routes in ``pages_scenarios.ROUTES``.
ROUTES: list[RuledRoute] = []

#: The longest scenario text the editor takes (a scenario is a few dozen lines).
MAX_YAML_CHARS = 100_000

EXAMPLE = (
    "description: What this design changes, in one sentence\n"
    "operations:\n"
    "  - merge:\n"
    "      units: [sales, marketing]\n"
    "      name: Revenue\n"
)


def numbered(text: str, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines of ``text`` numbered from 1, each with the problems found on it.

    >>> [(line["number"], line["problems"]) for line in numbered("a: 1\\nb: [", [
    ...     {"line": 2, "text": "x"}])]
    [(1, []), (2, ['x'])]
    """
    lines = text.splitlines() or [""]
    return [
        {
            "number": number,
            "text": line,
            "problems": [p["text"] for p in problems if p["line"] == number],
        }
        for number, line in enumerate(lines, 1)
    ]


def _shown(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"line": p.line, "file": p.file, "text": problem_text(p)} for p in problems]


def _editor(
    visit: Visit,
    *,
    name: str,
    text: str,
    new: bool,
    base: str = "",
    problems: list[Problem] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    place = visit.workspace
    with reading(visit.engine) as db:
        version = version_of(db, place.id)
    shown = _shown(problems or [])
    data: dict[str, Any] = {
        "workspace": {"id": place.id, "name": place.name},
        "new": new,
        "name": name,
        "file": scenario_file(name) if name else None,
        "yaml": text,
        "base": base,
        "action": f"/w/{place.id}/scenarios/new" if new else scenario_url(place.id, name, "/edit"),
        "delete": None if new else scenario_url(place.id, name, "/delete"),
        "back": f"/w/{place.id}/scenarios" if new else scenario_url(place.id, name),
        "version": None if version is None else version_shown(version),
        "message": t("web_scenarios.no_version_edit") if version is None else None,
        "problems": shown,
        "lines": numbered(text, shown) if shown else [],
        "max_name": MAX_NAME_LENGTH,
        "error": error,
    }
    return page(visit.request, "scenario_edit.html", data, status=status)


def _row(visit: Visit) -> Scenario:
    name = visit.param("scenario")
    with reading(visit.engine) as db:
        row = db.scalars(
            select(Scenario).where(
                Scenario.workspace_id == visit.workspace.id, Scenario.name == name
            )
        ).first()
    if row is None:
        raise WebError(404, t("web.error.not_found"))
    return row


def _stamp(when: datetime) -> str:
    return when.isoformat()


def _problems(visit: Visit, name: str, text: str) -> list[Problem]:
    """What is wrong with the scenario ``name`` written as ``text`` for the latest version;
    409 when there is no version to check it against."""
    with reading(visit.engine) as db:
        version = version_of(db, visit.workspace.id)
    if version is None:
        raise WebError(409, t("web_scenarios.no_version_edit"))
    if name in RESERVED_NAMES:
        return [Problem(t("web_scenarios.name_reserved", name=name), t("web_scenarios.name_fix"))]
    if len(text) > MAX_YAML_CHARS:
        return [
            Problem(
                t("web_scenarios.too_long", most=MAX_YAML_CHARS),
                t("web_scenarios.too_long_fix"),
                scenario_file(name),
            )
        ]
    visit.config.tmp_dir.mkdir(parents=True, exist_ok=True)
    folder = version_folder(visit.config, version)
    return validate_scenario(folder, name, text, scratch=visit.config.tmp_dir)


def _text(visit: Visit) -> str:
    """The YAML field as written (a browser sends CRLF line ends: kept as LF)."""
    return visit.field("yaml").replace("\r\n", "\n")


def scenario_new_form(visit: Visit) -> Response:
    """``GET /w/{ws}/scenarios/new``: an empty editor (an example to start from)."""
    return _editor(visit, name="", text=EXAMPLE, new=True)


def scenario_create(visit: Visit) -> Response:
    """``POST /w/{ws}/scenarios/new``: save a new scenario (``name``, ``yaml``) once it
    validates against the latest version."""
    place, me = visit.workspace, visit.me
    name, text = visit.field("name").strip(), _text(visit)
    problems = _problems(visit, name, text)
    if problems:
        return _editor(visit, name=name, text=text, new=True, problems=problems, status=422)
    taken = t("web_scenarios.name_taken", name=name)
    try:
        with transaction(visit.engine) as db:
            exists = db.scalars(
                select(Scenario.id).where(Scenario.workspace_id == place.id, Scenario.name == name)
            ).first()
            if exists is not None:
                raise WebError(409, taken)
            now = utcnow()
            db.add(
                Scenario(
                    workspace_id=place.id,
                    name=name,
                    yaml=text,
                    created_by=me.id,
                    updated_by=me.id,
                    updated_at=now,
                )
            )
    except IntegrityError:
        raise WebError(409, taken) from None
    return redirect(scenario_url(place.id, name))


def scenario_edit_form(visit: Visit) -> Response:
    """``GET /w/{ws}/scenarios/{scenario}/edit``: the editor of a written scenario."""
    row = _row(visit)
    return _editor(visit, name=row.name, text=row.yaml, new=False, base=_stamp(row.updated_at))


def scenario_save(visit: Visit) -> Response:
    """``POST /w/{ws}/scenarios/{scenario}/edit``: save the new text (``yaml``) once it
    validates; ``base`` (the time of the text the editor was opened on) guards against
    overwriting someone else's save."""
    place, me = visit.workspace, visit.me
    row = _row(visit)
    name, text, base = row.name, _text(visit), visit.field("base")
    problems = _problems(visit, name, text)
    if problems:
        return _editor(
            visit, name=name, text=text, new=False, base=base, problems=problems, status=422
        )
    with transaction(visit.engine) as db:
        found = db.scalars(
            select(Scenario)
            .where(Scenario.workspace_id == place.id, Scenario.name == name)
            .with_for_update()
        ).first()
        if found is None:
            raise WebError(404, t("web.error.not_found"))
        stamp = _stamp(found.updated_at)
        conflict = bool(base) and stamp != base
        if not conflict:
            found.yaml, found.updated_by, found.updated_at = text, me.id, utcnow()
    if conflict:
        changed = t("web_scenarios.changed_meanwhile")
        return _editor(
            visit, name=name, text=text, new=False, base=stamp, error=changed, status=409
        )
    return redirect(scenario_url(place.id, name))


def scenario_delete(visit: Visit) -> Response:
    """``POST /w/{ws}/scenarios/{scenario}/delete``: delete a written scenario (its comments
    and the decisions naming it stay)."""
    place = visit.workspace
    with transaction(visit.engine) as db:
        gone = db.execute(
            delete(Scenario).where(
                Scenario.workspace_id == place.id, Scenario.name == visit.param("scenario")
            )
        )
        if gone.rowcount == 0:  # type: ignore[attr-defined]
            raise WebError(404, t("web.error.not_found"))
    return redirect(f"/w/{place.id}/scenarios")
