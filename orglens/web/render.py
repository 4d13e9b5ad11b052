"""Every page twice: HTML from a Jinja2 template, or its data as JSON.

``page(request, "workspace.html", data)`` answers JSON (``data`` itself) when the URL has
``?format=json`` or the client asks for ``Accept: application/json``, and the template filled
with ``data`` otherwise. Templates are autoescaped; they speak the visitor's language
(``t("web...")``) and put :func:`csrf_field` in every form.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from orglens.i18n import LANGUAGES, date, decimal, integer, t, using
from orglens.report.labels import design_label
from orglens.web.security import CSRF_FIELD, CSRF_SCOPE_KEY

if TYPE_CHECKING:
    from orglens.web.routes import Visit

__all__ = [
    "VISIT_KEY",
    "csrf_token",
    "error",
    "guess_language",
    "json_response",
    "page",
    "redirect",
    "to_json",
    "visit_of",
    "wants_json",
]

#: Where the route wrapper leaves the request's :class:`~orglens.web.routes.Visit`.
VISIT_KEY = "orglens.visit"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def wants_json(request: Request) -> bool:
    """Whether the client asked for the page's JSON twin."""
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def guess_language(request: Request) -> str:
    """The language of a visitor who is not signed in: the first of ``Accept-Language`` that
    orglens speaks, else English."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return LANGUAGES[0]


def visit_of(request: Request) -> Visit | None:
    """The request's visit (who, where, in which language), once its route has checked it."""
    found: Visit | None = request.scope.get(VISIT_KEY)
    return found


def csrf_token(request: Request) -> str:
    """The CSRF token the forms of this response carry."""
    return str(request.scope.get(CSRF_SCOPE_KEY, ""))


def _language(request: Request) -> str:
    visit = visit_of(request)
    return visit.lang if visit is not None else guess_language(request)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds") + ("Z" if value.tzinfo is None else "")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(data: Any) -> str:
    """``data`` as JSON text; times (naive UTC) as ISO 8601 with ``Z``.

    >>> to_json({"at": dt.datetime(2026, 5, 1, 12, 30), "n": 1})
    '{"at": "2026-05-01T12:30:00Z", "n": 1}'
    """
    return json.dumps(data, ensure_ascii=False, default=_plain)


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as an ``application/json`` response."""
    return Response(to_json(data), status_code=status, media_type="application/json")


def when(value: dt.datetime | None) -> str:
    """A UTC time as a person reads it in the current language: ``'4 Dec 2026 14:03 UTC'``."""
    if value is None:
        return ""
    return f"{date(value.date())} {value:%H:%M} UTC"


def kilobytes(size: int) -> str:
    """A file size in kB, one decimal, in the current language: ``2560`` → ``'2.5 kB'``."""
    return f"{decimal(size / 1024)} kB"


@cache
def environment() -> Environment:
    """The templates' environment: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates ship with the package: no stat of every file on every page, and no
        # template edited under a running server that its loaded catalogue does not match.
        auto_reload=False,
    )
    env.globals["t"] = t
    env.globals["design_label"] = design_label  # a design's name as a reader reads it
    env.filters["when"] = when
    env.filters["kilobytes"] = kilobytes
    # numbers in the page's language: 1,234 / 1 234 and 0.34 / 0,34
    env.filters["integer"] = integer
    env.filters["decimal"] = decimal
    return env


def page(request: Request, template: str, data: dict[str, Any], *, status: int = 200) -> Response:
    """``data`` as JSON when asked for, else ``template`` filled with it (and with the visitor,
    the language and the CSRF token)."""
    if wants_json(request):
        return json_response(data, status)
    visit = visit_of(request)
    lang = _language(request)
    token = csrf_token(request)
    with using(lang):
        html = (
            environment()
            .get_template(template)
            .render(
                data=data,
                lang=lang,
                me=visit.user if visit is not None else None,
                place=visit.place if visit is not None else None,
                path=request.url.path,
                csrf_field=Markup(
                    f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">'
                ),
            )
        )
    return Response(html, status_code=status, media_type="text/html; charset=utf-8")


def error(request: Request, status: int, message: str) -> Response:
    """An error page (or ``{"error": message, "status": status}``) with ``status``."""
    return page(request, "error.html", {"error": message, "status": status}, status=status)


def redirect(url: str) -> Response:
    """``303 See Other`` to ``url`` (a local path)."""
    return RedirectResponse(url, status_code=303)
