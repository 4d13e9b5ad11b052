"""Every route carries its rule, and one wrapper enforces it before the handler runs.

``route("/w/{ws:int}/members", members, rule=Action.manage)`` declares a page on the workspace
in the path that only a member allowed to ``manage`` may open. The wrapper, in order: limits the
body (``upload=True`` routes to the upload limit), checks CSRF on every unsafe method, finds the
signed-in user and their role in the workspace, answers 303 to ``/signin?next=`` (401 for JSON)
for an anonymous visitor, 404 for a workspace they are not a member of and 403 for an action
their role lacks, and only then calls the handler with a :class:`Visit`. A plain function
handler runs in a worker thread (it may use the database); an ``async def`` one on the loop.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from orglens.i18n import t, using
from orglens.web.config import WebConfig
from orglens.web.db import reading, utcnow
from orglens.web.render import VISIT_KEY, error, guess_language, redirect, wants_json
from orglens.web.roles import Action, Role, allowed
from orglens.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    csrf_matches,
    session_user,
)
from orglens.web.tables import Member, User, Workspace

__all__ = [
    "PUBLIC",
    "SIGNED_IN",
    "Access",
    "Account",
    "Endpoint",
    "Place",
    "Rule",
    "RuledRoute",
    "Visit",
    "WebError",
    "route",
]


class _DatabaseInteger(IntegerConvertor):
    """An id a database INTEGER holds: a longer number in a path is not found (404), rather
    than an overflow in the driver (500)."""

    regex = "[0-9]{1,9}"


register_url_convertor("int", _DatabaseInteger())

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Access(StrEnum):
    """A rule that needs no workspace: anyone, or anyone signed in."""

    public = "public"
    signed_in = "signed_in"


PUBLIC = Access.public
SIGNED_IN = Access.signed_in
#: What a route requires: :data:`PUBLIC`, :data:`SIGNED_IN`, or an :class:`Action` on ``{ws}``.
Rule = Access | Action


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in user (their e-mail is shown to themselves only)."""

    id: int
    name: str
    email: str
    lang: str

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(id=user.id, name=user.name, email=user.email, lang=user.lang)


@dataclass(frozen=True, slots=True)
class Place:
    """The workspace in the path, and the visitor's role in it."""

    id: int
    name: str
    role: Role

    def can(self, action: Action) -> bool:
        """Whether the visitor's role allows ``action`` here."""
        return allowed(self.role, action)


@dataclass(frozen=True)
class Visit:
    """One request that passed its route's rule: who, where, what they sent, which language."""

    request: Request
    config: WebConfig
    engine: Engine
    user: Account | None
    place: Place | None
    form: FormData
    lang: str

    @property
    def me(self) -> Account:
        """The signed-in user (on routes whose rule is not :data:`PUBLIC`)."""
        if self.user is None:
            raise RuntimeError("a PUBLIC route asked for the signed-in user")
        return self.user

    @property
    def workspace(self) -> Place:
        """The workspace in the path (on routes whose rule is an :class:`Action`)."""
        if self.place is None:
            raise RuntimeError("a route without an Action rule asked for its workspace")
        return self.place

    def field(self, name: str) -> str:
        """The text of form field ``name`` (empty when absent or a file)."""
        value = self.form.get(name)
        return value if isinstance(value, str) else ""

    def param(self, name: str) -> Any:
        """The path parameter ``name``, converted as the path declares it."""
        return self.request.path_params[name]


class WebError(Exception):
    """Raised by a handler: answer ``status`` with ``message`` (in the visitor's language)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


Endpoint = Callable[[Visit], Response] | Callable[[Visit], Awaitable[Response]]


class _TooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return limited


def _who(engine: Engine, token: str | None, ws: int | None) -> tuple[Account | None, Place | None]:
    with reading(engine) as db:
        user = session_user(db, token, utcnow())
        if user is None or ws is None:
            return (Account.of(user) if user else None), None
        row = db.execute(
            select(Workspace.name, Member.role)
            .join(Member, Member.workspace_id == Workspace.id)
            .where(Workspace.id == ws, Member.user_id == user.id)
        ).first()
        return Account.of(user), (Place(ws, row.name, Role(row.role)) if row else None)


def _speaking(lang: str, endpoint: Callable[[Visit], Response], visit: Visit) -> Response:
    with using(lang):
        return endpoint(visit)


class _Guarded:
    """The ASGI app of a route: its rule, then its handler."""

    def __init__(self, endpoint: Endpoint, rule: Rule, *, upload: bool) -> None:
        self.endpoint = endpoint
        self.rule = rule
        self.upload = upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        config: WebConfig = scope["app"].state.config
        limit = config.max_upload_bytes if self.upload else config.max_form_bytes
        request = Request(scope, _limited(receive, limit))
        response = await self._respond(request, limit)
        await response(scope, receive, send)

    async def _form(self, request: Request, limit: int) -> FormData | None:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return None
        try:
            return await request.form(max_part_size=min(limit, 2**20))
        except _TooLarge:
            return None

    async def _respond(self, request: Request, limit: int) -> Response:
        form = FormData()
        if request.method not in SAFE_METHODS:
            parsed = await self._form(request, limit)
            if parsed is None:
                with using(guess_language(request)):
                    message = t("web.error.too_large", megabytes=f"{limit / 2**20:.0f}")
                return error(request, 413, message)
            form = parsed
        try:
            return await self._checked(request, form)
        finally:
            await form.close()  # uploaded files spooled to disk go away with the request

    async def _checked(self, request: Request, form: FormData) -> Response:
        state = request.app.state
        if request.method not in SAFE_METHODS:
            sent = form.get(CSRF_FIELD)
            submitted = sent if isinstance(sent, str) else request.headers.get(CSRF_HEADER)
            if not csrf_matches(request.cookies.get(CSRF_COOKIE), submitted):
                with using(guess_language(request)):
                    return error(request, 403, t("web.error.csrf"))
        ws = request.path_params.get("ws") if isinstance(self.rule, Action) else None
        token = request.cookies.get(SESSION_COOKIE)
        try:
            user, place = await run_in_threadpool(_who, state.engine, token, ws)
        except (DBAPIError, OSError):
            if self.rule is not PUBLIC:
                raise
            user, place = None, None  # /healthz and the sign-in page answer without a database
        lang = user.lang if user is not None else guess_language(request)
        visit = Visit(request, state.config, state.engine, user, place, form, lang)
        request.scope[VISIT_KEY] = visit
        with using(lang):
            denied = self._denied(visit)
        if denied is not None:
            return denied
        try:
            if inspect.iscoroutinefunction(self.endpoint):
                with using(lang):
                    return await self.endpoint(visit)  # type: ignore[no-any-return]
            sync: Callable[[Visit], Response] = self.endpoint  # type: ignore[assignment]
            return await run_in_threadpool(_speaking, lang, sync, visit)
        except WebError as problem:
            return error(request, problem.status, problem.message)

    def _denied(self, visit: Visit) -> Response | None:
        request = visit.request
        if self.rule is PUBLIC:
            return None
        if visit.user is None:
            if wants_json(request):
                return error(request, 401, t("web.error.sign_in_first"))
            if request.method not in SAFE_METHODS:
                return redirect("/signin")
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return redirect(f"/signin?next={quote(here, safe='')}")
        if isinstance(self.rule, Action):
            if visit.place is None:
                return error(request, 404, t("web.error.not_found"))
            if not visit.place.can(self.rule):
                return error(request, 403, t("web.error.forbidden"))
        return None


class RuledRoute(Route):
    """A Starlette route that knows its rule (the authorization tests read it)."""

    def __init__(
        self,
        path: str,
        endpoint: Endpoint,
        *,
        rule: Rule,
        methods: Sequence[str],
        name: str | None,
        upload: bool,
    ) -> None:
        self.rule = rule
        self.upload = upload
        guarded = _Guarded(endpoint, rule, upload=upload)
        super().__init__(path, guarded, methods=list(methods), name=name or endpoint.__name__)
        self.handler = endpoint


def route(
    path: str,
    endpoint: Endpoint,
    *,
    rule: Rule,
    methods: Sequence[str] = ("GET",),
    name: str | None = None,
    upload: bool = False,
) -> RuledRoute:
    """A route of the web workspace: ``endpoint(visit)`` behind ``rule``.

    An :class:`Action` rule is about the workspace in the path, so the path must hold
    ``{ws:int}``; ``upload=True`` lets the body grow to ``WebConfig.max_upload_bytes``.
    """
    if isinstance(rule, Action) and "{ws:int}" not in path:
        raise ValueError(f"{path!r}: a route with rule {rule.value!r} needs {{ws:int}} in its path")
    if not isinstance(rule, Access | Action):
        raise TypeError(f"{path!r}: the rule {rule!r} is not PUBLIC, SIGNED_IN or an Action")
    return RuledRoute(path, endpoint, rule=rule, methods=methods, name=name, upload=upload)
