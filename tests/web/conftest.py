"""Fixtures of the web workspace's tests: the app on a fresh database (a SQLite file, and a
PostgreSQL database when the machine can run one), browsers that keep their cookies, and people
who sign up through the real pages.

A browser made by ``browser()`` sends the CSRF token as a header with every unsafe request, as
a page's form would in its ``csrf`` field; ``browser(csrf=False)`` does not (for the CSRF tests).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from starlette.applications import Starlette

from orglens.web import WebConfig, create_app, prepare, security
from orglens.web.security import CSRF_COOKIE, CSRF_HEADER

with warnings.catch_warnings():
    # Starlette asks for httpx2 instead of the httpx the dev lock has; both work alike here.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Browser(TestClient):
    """A test client that, like a page's forms, sends the CSRF cookie's token back."""

    def __init__(self, app: Starlette, *, csrf: bool = True, https: bool = False) -> None:
        base = "https://testserver" if https else "http://testserver"
        super().__init__(app, base_url=base, follow_redirects=False)
        self.csrf = csrf

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.csrf and method.upper() in UNSAFE:
            if CSRF_COOKIE not in self.cookies:
                super().request("GET", "/healthz")  # any response sets the cookie
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault(CSRF_HEADER, self.cookies[CSRF_COOKIE])
            kwargs["headers"] = headers
        return super().request(method, url, **kwargs)


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the least work: the tests sign up and in hundreds of times, and the real
    parameters (64 MiB, 3 passes) take a quarter of a second each."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(security, "PASSWORD_HASHER", cheap)


def _database(kind: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A URL of an empty database of ``kind``."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'orglens.db'}"
        return
    pgserver = pytest.importorskip(
        "pgserver", reason="tests/web/pgserver.py (the PostgreSQL test server) cannot be imported"
    )
    with pgserver.fresh_database(request.getfixturevalue("postgresql_server")) as url:
        yield url


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[str]:
    """A throwaway PostgreSQL server for the session (skipped where none can run)."""
    pgserver = pytest.importorskip(
        "pgserver", reason="tests/web/pgserver.py (the PostgreSQL test server) cannot be imported"
    )
    with pgserver.running_postgresql_or_skip() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file in ``tmp_path``, then a PostgreSQL database."""
    yield from _database(request.param, request, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_config(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebConfig]:
    """Like ``config``, for a whole module: tests that share it keep to rows of their own."""
    folder = tmp_path_factory.mktemp("web")
    for url in _database(request.param, request, folder):
        yield WebConfig(db_url=url, data_dir=folder / "data")


@pytest.fixture(scope="module")
def shared_engine(shared_config: WebConfig) -> Iterator[Engine]:
    engine = prepare(shared_config)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def shared_app(shared_config: WebConfig, shared_engine: Engine) -> Starlette:
    return create_app(shared_config, engine=shared_engine)


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> WebConfig:
    return WebConfig(db_url=db_url, data_dir=tmp_path / "data")


@pytest.fixture
def engine(config: WebConfig) -> Iterator[Engine]:
    """The database of ``config``, migrated to head."""
    engine = prepare(config)
    yield engine
    engine.dispose()


@pytest.fixture
def app(config: WebConfig, engine: Engine) -> Starlette:
    return create_app(config, engine=engine)


@pytest.fixture
def browser_of() -> Iterator[Callable[..., Browser]]:
    """``browser_of(app, csrf=True, https=False)``: a browser on any app, closed after the test
    (its lifespan run)."""
    with ExitStack() as stack:

        def new(app: Starlette, *, csrf: bool = True, https: bool = False) -> Browser:
            return stack.enter_context(Browser(app, csrf=csrf, https=https))

        yield new


@pytest.fixture
def browser(app: Starlette, browser_of: Callable[..., Browser]) -> Callable[..., Browser]:
    """``browser(csrf=True, https=False)``: a new browser on the app."""

    def new(*, csrf: bool = True, https: bool = False) -> Browser:
        return browser_of(app, csrf=csrf, https=https)

    return new


@pytest.fixture
def sign_up(browser: Callable[..., Browser]) -> Callable[..., Browser]:
    """``sign_up("Ann", lang="en")``: a browser of a new account (e-mail ``ann@example.com``
    unless given), signed in through the sign-up page."""

    def new(name: str, *, email: str | None = None, lang: str = "en") -> Browser:
        person = browser()
        address = email or f"{name.lower().replace(' ', '.')}@example.com"
        form = {"name": name, "email": address, "password": PASSWORD, "lang": lang}
        answer = person.post("/signup", data=form)
        assert answer.status_code == 303, answer.text
        return person

    return new


@pytest.fixture
def workspace_of() -> Callable[[Browser, str], int]:
    """``workspace_of(owner, "Acme")``: create a workspace as ``owner``; its id."""

    def create(owner: Browser, name: str) -> int:
        answer = owner.post("/workspaces", data={"name": name})
        assert answer.status_code == 303, answer.text
        return int(answer.headers["location"].rsplit("/", 1)[1])

    return create


@pytest.fixture
def invite() -> Callable[..., str]:
    """``invite(owner, ws, "viewer")``: an invitation link's path (``/invite/TOKEN``)."""

    def create(owner: Browser, ws: int, role: str, days: int | None = None) -> str:
        form = {"role": role} | ({"days": str(days)} if days is not None else {})
        answer = owner.post(
            f"/w/{ws}/invitations", data=form, headers={"accept": "application/json"}
        )
        assert answer.status_code == 201, answer.text
        url: str = answer.json()["invitation"]["url"]
        return url.removeprefix("http://testserver").removeprefix("https://testserver")

    return create
