"""Accounts: sign up, sign in (rate-limited), sign out, and the account page."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from orglens.i18n import LANGUAGES, t
from orglens.web.db import reading, transaction, utcnow
from orglens.web.render import page, redirect
from orglens.web.routes import PUBLIC, SIGNED_IN, RuledRoute, Visit, route
from orglens.web.security import (
    SESSION_COOKIE,
    clear_sign_in_failures,
    cookie,
    end_session,
    hash_password,
    password_needs_rehash,
    record_sign_in_failure,
    safe_next,
    sign_in_blocked,
    start_session,
    token_hash,
    verify_password,
)
from orglens.web.tables import Session, User

__all__ = ["ROUTES"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: Longer passwords are refused before hashing: argon2 would take them, an attacker too.
MAX_PASSWORD = 1024
HOME = "/workspaces"


def _next(visit: Visit) -> str:
    return safe_next(visit.field("next") or visit.request.query_params.get("next")) or HOME


def _signed_in(visit: Visit, user_id: int, to: str) -> Response:
    """Start a session for ``user_id`` and go to ``to`` with its cookie."""
    config = visit.config
    with transaction(visit.engine) as db:
        token = start_session(db, user_id, config, utcnow())
    response = redirect(to)
    https = visit.request.url.scheme == "https"
    max_age = config.session_days * 24 * 3600
    response.headers.append(
        "set-cookie", cookie(SESSION_COOKIE, token, https=https, max_age=max_age, strict=False)
    )
    return response


def home(visit: Visit) -> Response:
    """``/``: the workspaces of a signed-in user, the sign-in page for anyone else."""
    return redirect(HOME if visit.user else "/signin")


def signin_form(visit: Visit, *, error: str | None = None, status: int = 200) -> Response:
    if visit.user is not None and error is None:
        return redirect(_next(visit))
    data = {"next": safe_next(visit.request.query_params.get("next") or visit.field("next"))}
    data |= {"email": visit.field("email").strip(), "error": error}
    return page(visit.request, "signin.html", data, status=status)


def signin(visit: Visit) -> Response:
    email, password = visit.field("email").strip().lower(), visit.field("password")
    address = visit.request.client.host if visit.request.client else "unknown"
    now = utcnow()
    with reading(visit.engine) as db:
        blocked = sign_in_blocked(db, visit.config, email=email, address=address, now=now)
        user = None if blocked else db.scalar(select(User).where(User.email == email))
    if blocked:
        minutes = visit.config.sign_in_window_s // 60
        return signin_form(visit, error=t("web.signin.too_many", minutes=minutes), status=429)
    if len(password) > MAX_PASSWORD or not verify_password(
        user.password_hash if user else None, password
    ):
        with transaction(visit.engine) as db:
            record_sign_in_failure(db, visit.config, email=email, address=address, now=now)
        return signin_form(visit, error=t("web.signin.wrong"), status=400)
    assert user is not None
    with transaction(visit.engine) as db:
        clear_sign_in_failures(db, email=email)
        if password_needs_rehash(user.password_hash):
            db.get_one(User, user.id).password_hash = hash_password(password)
    return _signed_in(visit, user.id, _next(visit))


def _account_problem(name: str, email: str) -> str | None:
    if not name or len(name) > 200:
        return t("web.account.name_needed")
    if len(email) > 320 or not _EMAIL.fullmatch(email):
        return t("web.account.email_invalid")
    return None


def _password_problem(visit: Visit, password: str) -> str | None:
    shortest = visit.config.password_min_length
    if len(password) < shortest or len(password) > MAX_PASSWORD:
        return t("web.account.password_short", n=shortest)
    return None


def signup_form(visit: Visit, *, error: str | None = None, status: int = 200) -> Response:
    if visit.user is not None and error is None:
        return redirect(_next(visit))
    data = {
        "next": safe_next(visit.request.query_params.get("next") or visit.field("next")),
        "name": visit.field("name").strip(),
        "email": visit.field("email").strip(),
        "error": error,
        "password_min_length": visit.config.password_min_length,
    }
    return page(visit.request, "signup.html", data, status=status)


def signup(visit: Visit) -> Response:
    name, email = visit.field("name").strip(), visit.field("email").strip().lower()
    password = visit.field("password")
    lang = visit.field("lang") if visit.field("lang") in LANGUAGES else visit.lang
    problem = _account_problem(name, email) or _password_problem(visit, password)
    if problem:
        return signup_form(visit, error=problem, status=400)
    hashed = hash_password(password)
    try:
        with transaction(visit.engine) as db:
            user = User(
                email=email, name=name, password_hash=hashed, lang=lang, created_at=utcnow()
            )
            db.add(user)
            db.flush()
            user_id = user.id
    except IntegrityError:
        return signup_form(visit, error=t("web.signup.taken"), status=400)
    return _signed_in(visit, user_id, _next(visit))


def signout(visit: Visit) -> Response:
    with transaction(visit.engine) as db:
        end_session(db, visit.request.cookies.get(SESSION_COOKIE))
    response = redirect("/signin")
    https = visit.request.url.scheme == "https"
    response.headers.append(
        "set-cookie", cookie(SESSION_COOKIE, "", https=https, max_age=0, strict=False)
    )
    return response


def account_page(visit: Visit, *, error: str | None = None, status: int = 200) -> Response:
    me = visit.me
    data = {
        "name": visit.field("name").strip() or me.name,
        "email": visit.field("email").strip() or me.email,
        "lang": me.lang,
        "languages": list(LANGUAGES),
        "error": error,
        "password_min_length": visit.config.password_min_length,
    }
    return page(visit.request, "account.html", data, status=status)


def account_save(visit: Visit) -> Response:
    name, email = visit.field("name").strip(), visit.field("email").strip().lower()
    lang = visit.field("lang") if visit.field("lang") in LANGUAGES else visit.me.lang
    problem = _account_problem(name, email)
    if problem:
        return account_page(visit, error=problem, status=400)
    try:
        with transaction(visit.engine) as db:
            user = db.get_one(User, visit.me.id)
            user.name, user.email, user.lang = name, email, lang
    except IntegrityError:
        return account_page(visit, error=t("web.signup.taken"), status=400)
    return redirect("/account")


def password_save(visit: Visit) -> Response:
    """A new password; every other session of the user ends."""
    current, new = visit.field("current_password"), visit.field("new_password")
    with reading(visit.engine) as db:
        stored = db.get_one(User, visit.me.id).password_hash
    if len(current) > MAX_PASSWORD or not verify_password(stored, current):
        return account_page(visit, error=t("web.account.password_wrong"), status=400)
    problem = _password_problem(visit, new)
    if problem:
        return account_page(visit, error=problem, status=400)
    hashed = hash_password(new)
    this = token_hash(visit.request.cookies.get(SESSION_COOKIE, ""))
    with transaction(visit.engine) as db:
        db.get_one(User, visit.me.id).password_hash = hashed
        db.execute(
            delete(Session).where(Session.user_id == visit.me.id, Session.token_hash != this)
        )
    return redirect("/account")


ROUTES: list[RuledRoute] = [
    route("/", home, rule=PUBLIC),
    route("/signin", signin_form, rule=PUBLIC),
    route("/signin", signin, rule=PUBLIC, methods=["POST"], name="signin_post"),
    route("/signup", signup_form, rule=PUBLIC),
    route("/signup", signup, rule=PUBLIC, methods=["POST"], name="signup_post"),
    route("/signout", signout, rule=SIGNED_IN, methods=["POST"]),
    route("/account", account_page, rule=SIGNED_IN),
    route("/account", account_save, rule=SIGNED_IN, methods=["POST"], name="account_post"),
    route("/account/password", password_save, rule=SIGNED_IN, methods=["POST"]),
]
