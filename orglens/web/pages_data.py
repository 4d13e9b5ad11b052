"""A workspace's data: its versions, uploading a new one, a version's page and its report.

An upload (a .zip of a workspace folder, or one .xlsx) reaches the handler as a file Starlette
has spooled to disk past 1 MiB (the body capped at ``WebConfig.max_upload_bytes``: the route is
declared ``upload=True``); :func:`orglens.web.upload.unpack` copies it in chunks into a folder of
its own under ``DATA/tmp``, refuses what could hurt the server and validates the workspace.
:func:`store_version` then takes the next number, renames the folder into
``DATA/workspaces/<id>/v<number>`` and commits the version's row, in one transaction. A refused
or invalid upload answers 422 with every problem beside its file and line, and leaves nothing:
no row, no folder (a kill halfway leaves only what start-up removes: ``DATA/tmp``'s contents
and version folders without a row).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.i18n import LANGUAGES, t
from orglens.privacy import mask_emails
from orglens.report.pdf import html_to_pdf
from orglens.web import results
from orglens.web.cache import Applicable, computed
from orglens.web.config import WebConfig
from orglens.web.db import reading, transaction, utcnow
from orglens.web.pages_lenses import (
    dashboard_of,
    hide_cost,
    version_numbered,
    version_shown,
    versions_of,
    written_of,
)
from orglens.web.render import json_response, page, redirect, wants_json
from orglens.web.results_version import workspace_path
from orglens.web.roles import Action
from orglens.web.routes import RuledRoute, Visit, WebError, route
from orglens.web.tables import User, Version, Workspace
from orglens.web.upload import Unpacked, UploadLimits, unpack
from orglens.web.warm import warmer_for

__all__ = [
    "ROUTES",
    "data_page",
    "data_upload",
    "problem_row",
    "store_version",
    "version_page",
    "version_report",
]

#: The most files a version's page lists (an upload holds at most 1,000 entries).
MAX_FILES_SHOWN = 1_000
#: Reports printed to PDF at once by this process (each runs a headless Chromium).
_PRINTING = threading.BoundedSemaphore(2)


def problem_row(problem: Problem) -> dict[str, Any]:
    """A problem as the table of an upload's problems shows it: file, line, what, fix.

    >>> problem_row(Problem("duplicate id 'p7'", "give each their own", "people.csv", 9))
    {'file': 'people.csv', 'line': 9, 'what': "duplicate id 'p7'", 'fix': 'give each their own'}
    """
    return {
        "file": problem.file,
        "line": problem.line,
        "what": mask_emails(problem.what),
        "fix": mask_emails(problem.fix),
    }


def _workspace(visit: Visit) -> dict[str, Any]:
    place = visit.workspace
    return {"id": place.id, "name": place.name}


# -- the data page and the upload --------------------------------------------------------------


def data_page(
    visit: Visit,
    *,
    problems: list[dict[str, Any]] | None = None,
    refused: str | None = None,
    status: int = 200,
) -> Response:
    """``/w/{ws}/data``: the versions, newest first, and the upload form for editors;
    ``problems`` of the upload ``refused`` (its name as sent) beside their file and line."""
    place = visit.workspace
    with reading(visit.engine) as db:
        versions = versions_of(db, place.id)
    data = {
        "workspace": _workspace(visit),
        "versions": versions,
        "can_upload": place.can(Action.edit),
        "max_upload_bytes": visit.config.max_upload_bytes,
        "dashboard_url": f"/w/{place.id}/dashboard",
        "refused": refused,
        "problems": problems,
    }
    return page(visit.request, "data.html", data, status=status)


def store_version(
    engine: Engine, config: WebConfig, workspace_id: int, user_id: int, unpacked: Unpacked
) -> Version:
    """Keep the upload ``unpacked``: the workspace's next version, its folder renamed into
    ``DATA/workspaces/<id>/v<number>`` and its row committed, in one transaction (a failed
    commit removes the folder again). Two uploads at once take numbers one after the other:
    the workspace's row is locked to the end of the transaction on PostgreSQL, and SQLite's
    write transactions run one at a time. A number whose folder is still on disk (left by a
    failed upload) is skipped.

    Raises
    ------
    WebError
        404 when the workspace has been deleted meanwhile.
    """
    moved: Path | None = None
    try:
        with transaction(engine) as db:
            locked = select(Workspace.id).where(Workspace.id == workspace_id).with_for_update()
            if db.scalars(locked).first() is None:
                raise WebError(404, t("web.error.not_found"))
            latest = db.scalar(
                select(func.max(Version.number)).where(Version.workspace_id == workspace_id)
            )
            number = (latest or 0) + 1
            while (config.data_dir / config.version_folder(workspace_id, number)).exists():
                number += 1
            folder = config.version_folder(workspace_id, number)
            target = config.data_dir / folder
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(unpacked.folder, target)
            moved = target
            version = Version(
                workspace_id=workspace_id, number=number, kind=unpacked.kind,
                filename=unpacked.filename[:500], sha256=unpacked.sha256, size=unpacked.size,
                folder=folder, created_by=user_id, created_at=utcnow(),
            )  # fmt: skip
            db.add(version)
            db.flush()
    except BaseException:
        if moved is not None:
            shutil.rmtree(moved, ignore_errors=True)
        raise
    return version


def data_upload(visit: Visit) -> Response:
    """``POST /w/{ws}/data``: unpack, validate and keep the upload in field ``file``; to the
    new version's page (JSON: 201 and the version), or 422 with the problems."""
    place, config = visit.workspace, visit.config
    sent = visit.form.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        missing = Problem(t("web_data.upload.no_file"), t("web_data.upload.no_file_fix"))
        return data_page(visit, problems=[problem_row(missing)], status=422)
    config.tmp_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="upload-", dir=config.tmp_dir))
    try:
        sent.file.seek(0)
        limits = UploadLimits(max_upload_bytes=config.max_upload_bytes)
        unpacked = unpack(sent.file, sent.filename, work / "version", limits=limits)
        version = store_version(visit.engine, config, place.id, visit.me.id, unpacked)
    except InvalidWorkspace as error:
        rows = [problem_row(problem) for problem in error.problems]
        return data_page(visit, problems=rows, refused=sent.filename, status=422)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    warmer = warmer_for(visit.request.app)
    if warmer is not None:
        warmer.submit(version.id)  # its results computed before anyone asks
    shown = version_shown(version, visit.me.name)
    if wants_json(visit.request):
        return json_response({"version": shown}, status=201)
    return redirect(shown["url"])


# -- a version's page --------------------------------------------------------------------------


def _files(folder: Path) -> list[dict[str, Any]]:
    """The files of a version, named from its workspace's folder, with their sizes."""
    base = workspace_path(folder)
    if base.is_file():
        return [{"path": base.name, "size": base.stat().st_size}]
    found = sorted(p for p in base.rglob("*") if p.is_file() and not p.is_symlink())
    return [
        {"path": path.relative_to(base).as_posix(), "size": path.stat().st_size}
        for path in found[:MAX_FILES_SHOWN]
    ]


def _downloads(workspace_id: int, number: int) -> dict[str, Any]:
    base = f"/w/{workspace_id}/versions/{number}/report"
    pdf = results.can_print_pdf()
    return {
        "pdf_available": pdf,
        "links": [
            {
                "lang": lang,
                "html": f"{base}?lang={lang}&format=html",
                "pdf": f"{base}?lang={lang}&format=pdf" if pdf else None,
            }
            for lang in LANGUAGES
        ],
    }


def _version_and_uploader(visit: Visit) -> tuple[Version, str, dict[str, str]]:
    place = visit.workspace
    with reading(visit.engine) as db:
        version = version_numbered(db, place.id, visit.param("version"))
        assert version is not None
        uploader = db.scalars(select(User.name).where(User.id == version.created_by)).one()
        return version, uploader, written_of(db, place.id)


def version_page(visit: Visit) -> Response:
    """``/w/{ws}/versions/{n}``: a version's files, what validating it warned of, and links to
    its dashboard and its report."""
    version, uploader, written = _version_and_uploader(visit)
    summary: dict[str, Any] | None = None
    problems: list[dict[str, Any]] | None = None
    try:
        lenses = dashboard_of(visit, version, written)
        keys = ("organization", "currency", "people", "units", "events", "warnings")
        summary = {key: lenses[key] for key in keys}
    except (InvalidWorkspace, UsageError) as error:
        problems = [problem_row(problem) for problem in error.problems]
    data = {
        "workspace": _workspace(visit),
        "version": version_shown(version, uploader),
        "files": _files(visit.config.data_dir / version.folder),
        "summary": summary,
        "problems": problems,
        "report": _downloads(version.workspace_id, version.number),
    }
    return page(visit.request, "version.html", data, status=200 if problems is None else 422)


# -- the report --------------------------------------------------------------------------------


def _report_html(visit: Visit, version: Version, written: dict[str, str], lang: str) -> str:
    """The report of ``version`` in ``lang`` as the visitor may see it (cached per version)."""
    hidden = hide_cost(visit)
    key = results.cache_key("report.html", lang, hidden, written)

    def make(opened: Applicable) -> dict[str, str]:
        return {"html": results.report(opened.workspace, lang, "html", hidden).decode("utf-8")}

    found: dict[str, str] = computed(visit.config, visit.engine, version, written, key, make)
    return found["html"]


def _printed(config: WebConfig, html: str) -> bytes:
    """``html`` printed to PDF by the server's Chromium, in a scratch folder under DATA/tmp."""
    config.tmp_dir.mkdir(parents=True, exist_ok=True)
    with _PRINTING, tempfile.TemporaryDirectory(prefix="report-", dir=config.tmp_dir) as scratch:
        source, target = Path(scratch) / "report.html", Path(scratch) / "report.pdf"
        source.write_text(html, encoding="utf-8")
        html_to_pdf(source, target)
        return target.read_bytes()


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def version_report(visit: Visit) -> Response:
    """``/w/{ws}/versions/{n}/report?lang=en|sv&format=html|pdf``: the report as a download
    (people's cost left out for the role that may not see it); JSON: the downloads there are.
    A PDF where the server cannot print answers 501, pointing to the HTML."""
    version, uploader, written = _version_and_uploader(visit)
    if wants_json(visit.request):
        data = {
            "workspace": _workspace(visit),
            "version": version_shown(version, uploader),
            "hide_cost": hide_cost(visit),
            "report": _downloads(version.workspace_id, version.number),
        }
        return json_response(data)
    params = visit.request.query_params
    lang, fmt = params.get("lang") or visit.lang, params.get("format") or "html"
    if lang not in LANGUAGES:
        raise WebError(400, t("web_data.report.lang_unknown", langs=", ".join(LANGUAGES)))
    if fmt not in results.REPORT_FORMATS:
        raise WebError(400, t("web_data.report.format_unknown"))
    name = f"orglens-report-v{version.number}-{lang}"
    html_url = f"/w/{version.workspace_id}/versions/{version.number}/report?lang={lang}"
    if fmt == "pdf" and not results.can_print_pdf():
        data = {"message": t("web_data.report.no_pdf"), "html_url": html_url}
        return page(visit.request, "data_no_pdf.html", data, status=501)
    html = _report_html(visit, version, written, lang)
    if fmt == "html":
        return _attachment(html.encode("utf-8"), "text/html; charset=utf-8", f"{name}.html")
    try:
        printed = _printed(visit.config, html)
    except UsageError:  # Chromium failed or ran out of time (its reasons name server paths)
        data = {"message": t("web_data.report.pdf_failed"), "html_url": html_url}
        return page(visit.request, "data_no_pdf.html", data, status=501)
    return _attachment(printed, "application/pdf", f"{name}.pdf")


ROUTES: list[RuledRoute] = [
    route("/w/{ws:int}/data", data_page, rule=Action.view),
    route(
        "/w/{ws:int}/data",
        data_upload,
        rule=Action.edit,
        methods=["POST"],
        name="upload",
        upload=True,
    ),
    route("/w/{ws:int}/versions/{version:int}", version_page, rule=Action.view),
    route("/w/{ws:int}/versions/{version:int}/report", version_report, rule=Action.view),
]
