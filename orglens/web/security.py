"""Passwords, sessions, CSRF, the sign-in rate limit and the headers every response carries.

Secrets never reach the database in the clear: a session or invitation token is stored as its
SHA-256, a password as its argon2id hash. Forms are protected by a double-submit token: the
``orglens_csrf`` cookie (SameSite=Strict) must equal the form's ``csrf`` field or the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as DbSession
from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orglens.web.config import WebConfig
from orglens.web.tables import Session, SignInAttempt, User

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "PASSWORD_HASHER",
    "SECURITY_HEADERS",
    "SESSION_COOKIE",
    "SecurityMiddleware",
    "clear_sign_in_failures",
    "cookie",
    "csrf_matches",
    "end_session",
    "hash_password",
    "new_token",
    "password_needs_rehash",
    "record_sign_in_failure",
    "safe_next",
    "session_user",
    "sign_in_blocked",
    "start_session",
    "token_hash",
    "verify_password",
]

SESSION_COOKIE = "orglens_session"
CSRF_COOKIE = "orglens_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
#: Where the CSRF token of the request is kept in the ASGI scope (read it with ``csrf_token``).
CSRF_SCOPE_KEY = "orglens.csrf"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}

_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

#: How passwords are hashed: argon2id at RFC 9106's low-memory profile (64 MiB, 3 passes).
#: Read at each call, so that tests may swap in a cheaper hasher.
PASSWORD_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


@cache
def _nobody(hasher: PasswordHasher) -> str:
    """A hash to verify against when the e-mail is unknown: the answer takes as long as for a
    known one, so that it does not tell which addresses have accounts."""
    return hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted: two calls give two hashes)."""
    return PASSWORD_HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the hash ``stored`` (``None``: no such account, same time).

    >>> verify_password(hash_password("correct horse"), "correct horse")
    True
    >>> verify_password(None, "anything at all")
    False
    """
    try:
        return PASSWORD_HASHER.verify(stored or _nobody(PASSWORD_HASHER), password) and bool(stored)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was hashed with weaker parameters than today's."""
    return PASSWORD_HASHER.check_needs_rehash(stored)


def new_token() -> str:
    """A random token of 256 bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, in hex.

    >>> token_hash("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_matches(cookie_value: str | None, submitted: str | None) -> bool:
    """Whether the submitted CSRF token is the cookie's (compared in constant time).

    >>> token = new_token()
    >>> csrf_matches(token, token), csrf_matches(token, new_token()), csrf_matches(None, None)
    (True, False, False)
    """
    if not cookie_value or not submitted:
        return False
    return hmac.compare_digest(cookie_value.encode(), submitted.encode())


def safe_next(value: str | None) -> str | None:
    """``value`` when it is a path on this site, ``None`` otherwise (never another site).

    >>> safe_next("/w/3?tab=members"), safe_next("//evil.example"), safe_next("https://x")
    ('/w/3?tab=members', None, None)
    >>> safe_next("/\\\\evil.example"), safe_next("/ok\\nSet-Cookie: x")
    (None, None)
    """
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F or char == "\\" for char in value):
        return None
    return value


def cookie(name: str, value: str, *, https: bool, max_age: int | None, strict: bool) -> str:
    """A ``Set-Cookie`` value: HttpOnly, ``Path=/``, SameSite Strict or Lax, Secure over https.

    >>> cookie("a", "b", https=False, max_age=60, strict=False)
    'a=b; Path=/; Max-Age=60; HttpOnly; SameSite=Lax'
    """
    parts = [f"{name}={value}", "Path=/"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    parts += ["HttpOnly", f"SameSite={'Strict' if strict else 'Lax'}"]
    if https:
        parts.append("Secure")
    return "; ".join(parts)


def start_session(db: DbSession, user_id: int, config: WebConfig, now: datetime) -> str:
    """A new session for ``user_id``; returns its token (the cookie's value). Expired sessions
    of anyone are forgotten on the way."""
    db.execute(delete(Session).where(Session.expires_at <= now))
    token = new_token()
    expires = now + timedelta(days=config.session_days)
    db.add(
        Session(token_hash=token_hash(token), user_id=user_id, created_at=now, expires_at=expires)
    )
    return token


def session_user(db: DbSession, token: str | None, now: datetime) -> User | None:
    """The user whose unexpired session ``token`` is, if any."""
    if not token or not _TOKEN.fullmatch(token):
        return None
    return db.scalar(
        select(User)
        .join(Session, Session.user_id == User.id)
        .where(Session.token_hash == token_hash(token), Session.expires_at > now)
    )


def end_session(db: DbSession, token: str | None) -> None:
    """Forget the session ``token``."""
    if token:
        db.execute(delete(Session).where(Session.token_hash == token_hash(token)))


def _keys(email: str, address: str) -> tuple[str, str]:
    return f"email:{email.strip().lower()}", f"addr:{address}"


def sign_in_blocked(
    db: DbSession, config: WebConfig, *, email: str, address: str, now: datetime
) -> bool:
    """Whether this e-mail or this client failed to sign in too often in the window."""
    since = now - timedelta(seconds=config.sign_in_window_s)
    by_email, by_address = _keys(email, address)

    def failures(key: str) -> int:
        counted = select(func.count()).where(SignInAttempt.key == key, SignInAttempt.at > since)
        return db.scalar(counted) or 0

    return (
        failures(by_email) >= config.sign_in_failures_per_email
        or failures(by_address) >= config.sign_in_failures_per_address
    )


def record_sign_in_failure(
    db: DbSession, config: WebConfig, *, email: str, address: str, now: datetime
) -> None:
    """Count a failed sign-in against its e-mail and its client; forget failures out of the
    window."""
    db.add_all(SignInAttempt(key=key, at=now) for key in _keys(email, address))
    since = now - timedelta(seconds=config.sign_in_window_s)
    db.execute(delete(SignInAttempt).where(SignInAttempt.at <= since))


def clear_sign_in_failures(db: DbSession, *, email: str) -> None:
    """Forget an e-mail's failures once its owner signed in."""
    by_email, _ = _keys(email, "")
    db.execute(delete(SignInAttempt).where(SignInAttempt.key == by_email))


class SecurityMiddleware:
    """Adds the security headers to every response, ``Cache-Control: no-store`` where none is
    set, and the CSRF cookie to a visitor who has none yet (its value in
    ``scope["orglens.csrf"]``, for the forms of the page)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = cookie_parser(MutableHeaders(scope=scope).get("cookie", ""))
        token = cookies.get(CSRF_COOKIE)
        fresh = token is None or not _TOKEN.fullmatch(token)
        if fresh:
            token = new_token()
        scope[CSRF_SCOPE_KEY] = token
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
                if fresh and token:
                    year = 365 * 24 * 3600
                    set_csrf = cookie(CSRF_COOKIE, token, https=https, max_age=year, strict=True)
                    headers.append("set-cookie", set_csrf)
            await send(message)

        await self.app(scope, receive, send_with_headers)
