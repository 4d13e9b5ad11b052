"""``create_app(config)``: the web workspace as one Starlette application.

Its routes are the ``ROUTES`` of the page modules in :data:`PAGES` plus ``/healthz`` and
``/static/...``; every one is declared with its rule (:func:`orglens.web.routes.route`).
"""

from __future__ import annotations

import os
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from pathlib import Path

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from orglens.i18n import t, using
from orglens.web.config import WebConfig
from orglens.web.db import engine_for, migrate, reachable, remove_orphans, require_reachable
from orglens.web.jobs import fail_interrupted, stop_runner
from orglens.web.render import error, guess_language, json_response
from orglens.web.routes import PUBLIC, RuledRoute, Visit, WebError, route
from orglens.web.security import SECURITY_HEADERS, SecurityMiddleware

__all__ = ["ENVIRONMENT", "PAGES", "create_app", "from_environment", "prepare"]

STATIC = Path(__file__).resolve().parent / "static"
#: The page modules (``orglens/web/pages_*.py``, by name); each has ``ROUTES``, a list of
#: ``route(...)``.
PAGES = tuple(
    import_module(f"orglens.web.{name}")
    for name in sorted(found.name for found in pkgutil.iter_modules([str(Path(__file__).parent)]))
    if name.startswith("pages_")
)


def healthz(visit: Visit) -> Response:
    """200 ``{"status": "ok"}`` when the database answers ``SELECT 1``, 503 otherwise."""
    if reachable(visit.engine):
        return json_response({"status": "ok"})
    return json_response({"status": "unavailable"}, status=503)


def static(visit: Visit) -> Response:
    """A file of ``static/`` by its name (no folders: nothing else can be reached)."""
    name: str = visit.param("name")
    files = {path.name: path for path in STATIC.iterdir() if path.is_file()}
    if name not in files:
        raise WebError(404, t("web.error.not_found"))
    return FileResponse(files[name], headers={"cache-control": "public, max-age=3600"})


def all_routes() -> list[RuledRoute]:
    """Every route of the application, in the order they match."""
    own = [
        route("/healthz", healthz, rule=PUBLIC),
        route("/static/{name}", static, rule=PUBLIC),
    ]
    return own + [found for module in PAGES for found in module.ROUTES]


async def _http_error(request: Request, problem: Exception) -> Response:
    assert isinstance(problem, HTTPException)
    key = {404: "web.error.not_found", 405: "web.error.method"}.get(problem.status_code)
    with using(guess_language(request)):
        message = t(key) if key else str(problem.detail)
    return error(request, problem.status_code, message)


async def _server_error(request: Request, _problem: Exception) -> Response:
    with using(guess_language(request)):
        response = error(request, 500, t("web.error.server"))
    # The outermost middleware answers this one, outside SecurityMiddleware.
    response.headers.update(SECURITY_HEADERS)
    return response


def prepare(config: WebConfig) -> Engine:
    """What ``orglens serve`` does before it listens: the data folder, a reachable database at
    the newest migration, no leftovers of an upload a kill interrupted, and the optimize jobs
    a stopped server left unfinished marked failed.

    Raises
    ------
    UsageError
        When the URL is not a database's or the database cannot be reached.
    """
    config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = engine_for(config.db_url)
    require_reachable(engine, config.db_url)
    migrate(engine)
    remove_orphans(engine, config)
    fail_interrupted(engine)
    return engine


def create_app(config: WebConfig, *, engine: Engine | None = None) -> Starlette:
    """The web workspace on ``config``'s database (an engine of its URL unless one is given;
    the database must be migrated: :func:`prepare`)."""
    owned = engine is None
    used = engine if engine is not None else engine_for(config.db_url)

    @asynccontextmanager
    async def lifespan(running: Starlette) -> AsyncIterator[None]:
        yield
        stop_runner(running)
        warmer = getattr(running.state, "warmer", None)
        if warmer is not None:
            warmer.stop()
        if owned:
            used.dispose()

    app = Starlette(
        routes=all_routes(),
        middleware=[Middleware(SecurityMiddleware)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.engine = used
    return app


#: The environment variables through which ``orglens serve --workers N`` hands its settings to
#: the server processes it starts (each builds its application with :func:`from_environment`):
#: the data folder, the database URL and how many processes there are.
ENVIRONMENT = ("ORGLENS_WEB_DATA", "ORGLENS_WEB_DB", "ORGLENS_WEB_PROCESSES")


def from_environment() -> Starlette:
    """The application of one of the server processes ``orglens serve --workers N`` starts
    (uvicorn's factory), on the settings in :data:`ENVIRONMENT`; the database was prepared
    (:func:`prepare`) once before they started."""
    data, db_url, processes = (os.environ[name] for name in ENVIRONMENT)
    config = WebConfig.at(Path(data), db_url, processes=int(processes), warm_after_upload=True)
    return create_app(config)
