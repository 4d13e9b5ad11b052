"""Authorization on every route, generated from the application's route table.

Every route must carry a rule (``orglens.web.routes.route(..., rule=...)``). For each route and
method, and for each identity — anonymous, signed in but not a member, and a member in each
role — the answer must be what the rule says: allowed (anything but 401, 403 or 404), a
redirect to sign in (401 for JSON), 404 for a non-member, 403 for a member whose role lacks the
action. No answer shows another person's e-mail address.

A route whose path has parameters besides ``{ws}`` needs a sample in :data:`PATH_SAMPLES`: a
function that creates a real object of that kind in the given workspace (so that an allowed
visitor finds it) and returns the value for the path. The same samples, created in another
workspace, must answer 404 (another workspace's ids are not found).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route
from starlette.testclient import TestClient

from orglens.web import WebConfig, create_app
from orglens.web.db import transaction, utcnow
from orglens.web.roles import Action, Role, allowed
from orglens.web.routes import PUBLIC, SIGNED_IN, Rule, RuledRoute, route
from orglens.web.security import new_token, start_session, token_hash
from orglens.web.tables import Invitation, Member, User, Workspace

ANONYMOUS, NON_MEMBER = "anonymous", "non_member"
IDENTITIES = (ANONYMOUS, NON_MEMBER, *(role.value for role in Role))
ALLOWED = "allowed"
SIGN_IN = "sign in"
PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


@dataclass(frozen=True)
class World:
    """A workspace with one member in each role, a person who is not a member, and a second
    workspace of the same owner (whose ids must not reach the first one's routes)."""

    engine: Engine
    config: WebConfig
    ws: int
    other_ws: int
    users: dict[str, int]  # identity -> user id (not for the anonymous)
    emails: dict[str, str]
    tokens: dict[str, str]  # identity -> session token
    visitor: int | None = None  # the user id of the identity visiting (samples may use it)


def _user(engine: Engine, label: str) -> tuple[int, str]:
    email = f"{label}-{secrets.token_hex(4)}@example.com"
    with transaction(engine) as db:
        # "!" is no argon2 hash: nobody can sign in as these people, sessions are made directly
        user = User(email=email, name=label, password_hash="!", lang="en", created_at=utcnow())
        db.add(user)
        db.flush()
        return user.id, email


def _member(world: World, ws: int, role: Role = Role.viewer) -> int:
    user_id, _ = _user(world.engine, "sample")
    with transaction(world.engine) as db:
        db.add(Member(workspace_id=ws, user_id=user_id, role=role.value))
    return user_id


def _invitation(world: World, ws: int) -> tuple[int, str]:
    token, now = new_token(), utcnow()
    with transaction(world.engine) as db:
        found = Invitation(
            workspace_id=ws, token_hash=token_hash(token), role=Role.viewer.value,
            created_by=world.users[Role.owner.value], created_at=now,
            expires_at=now + timedelta(days=1),
        )  # fmt: skip
        db.add(found)
        db.flush()
        return found.id, token


#: Path parameter -> a function creating such an object in the workspace given; its path value.
PATH_SAMPLES: dict[str, Callable[[World, int], str]] = {
    "user": lambda world, ws: str(_member(world, ws)),
    "invitation": lambda world, ws: str(_invitation(world, ws)[0]),
    "token": lambda world, ws: _invitation(world, ws)[1],
    "name": lambda world, ws: "app.css",
}

#: Route path -> form fields a request sends (a valid form, so that allowed requests succeed).
FORM_SAMPLES: dict[str, dict[str, str]] = {
    "/signin": {"email": "nobody@example.com", "password": "not the password"},
    "/workspaces": {"name": "Sample"},
    "/w/{ws:int}/members/{user:int}/role": {"role": "editor"},
    "/w/{ws:int}/invitations": {"role": "viewer", "days": "3"},
    "/w/{ws:int}/delete": {"confirm": "A"},
}

# Each area's tests may add their own samples in tests/web/samples_<area>.py (PATH_SAMPLES and
# FORM_SAMPLES dicts of the same kinds), so that areas do not all edit this file.
for _path in sorted(Path(__file__).parent.glob("samples_*.py")):
    _spec = importlib.util.spec_from_file_location(_path.stem, _path)
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    PATH_SAMPLES.update(getattr(_module, "PATH_SAMPLES", {}))
    FORM_SAMPLES.update(getattr(_module, "FORM_SAMPLES", {}))


def make_world(engine: Engine, config: WebConfig) -> World:
    users: dict[str, int] = {}
    emails: dict[str, str] = {}
    for identity in IDENTITIES[1:]:
        users[identity], emails[identity] = _user(engine, identity)
    owner = users[Role.owner.value]
    with transaction(engine) as db:
        spaces = [Workspace(name=name, created_by=owner, created_at=utcnow()) for name in "AB"]
        db.add_all(spaces)
        db.flush()
        db.add_all(Member(workspace_id=spaces[0].id, user_id=users[r], role=r) for r in Role)
        db.add(Member(workspace_id=spaces[1].id, user_id=owner, role=Role.owner.value))
        tokens = {who: start_session(db, uid, config, utcnow()) for who, uid in users.items()}
    return World(engine, config, spaces[0].id, spaces[1].id, users, emails, tokens)


def expected(rule: Rule, identity: str) -> str | int:
    """What ``identity`` must get from a route with ``rule``."""
    if rule is PUBLIC:
        return ALLOWED
    if identity == ANONYMOUS:
        return SIGN_IN
    if rule is SIGNED_IN:
        return ALLOWED
    assert isinstance(rule, Action)
    if identity == NON_MEMBER:
        return 404
    return ALLOWED if allowed(Role(identity), rule) else 403


def route_table() -> list[BaseRoute]:
    """The routes of an application as ``create_app`` builds it (no database is opened)."""
    config = WebConfig(db_url="sqlite:///unused.db", data_dir=Path("unused"))
    return list(create_app(config).routes)


ROUTES = route_table()
CASES = [
    pytest.param(found, method, identity, id=f"{method} {found.path} as {identity}")
    for found in ROUTES
    if isinstance(found, Route)
    for method in sorted((found.methods or {"GET"}) - {"HEAD"})
    for identity in IDENTITIES
]


def fill(path: str, world: World, ws: int, samples_in: int) -> str:
    """``path`` with ``{ws}`` = ``ws`` and every other parameter a sample made in
    ``samples_in``."""

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name == "ws":
            return str(ws)
        if name not in PATH_SAMPLES:
            pytest.fail(
                f"{path}: no sample for the path parameter {name!r}; add one to PATH_SAMPLES "
                f"in {__file__}"
            )
        return PATH_SAMPLES[name](world, samples_in)

    return PARAMETER.sub(value, path)


@pytest.fixture
def world(shared_engine: Engine, shared_config: WebConfig) -> World:
    return make_world(shared_engine, shared_config)


@pytest.fixture
def visitor_as(
    shared_app: Starlette, browser_of: Callable[..., TestClient], world: World
) -> Callable[[str], TestClient]:
    def visitor(identity: str) -> TestClient:
        client = browser_of(shared_app)
        if identity != ANONYMOUS:
            client.cookies.set("orglens_session", world.tokens[identity])
        return client

    return visitor


def test_every_route_declares_its_rule() -> None:
    bare = [getattr(found, "path", repr(found)) for found in ROUTES]
    bare = [
        path for found, path in zip(ROUTES, bare, strict=True) if not isinstance(found, RuledRoute)
    ]
    assert bare == [], "routes without a rule: declare them with orglens.web.routes.route"


def test_every_path_parameter_has_a_sample() -> None:
    names = {name for found in ROUTES for name in PARAMETER.findall(getattr(found, "path", ""))}
    assert names - {"ws"} - set(PATH_SAMPLES) == set(), f"add samples to PATH_SAMPLES in {__file__}"


def test_a_route_with_an_action_needs_the_workspace_in_its_path() -> None:
    with pytest.raises(ValueError, match=r"needs \{ws:int\}"):
        route("/scenarios", lambda visit: None, rule=Action.edit)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="is not PUBLIC, SIGNED_IN or an Action"):
        route("/x", lambda visit: None, rule="view")  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize(("found", "method", "identity"), CASES)
def test_each_identity_gets_what_the_routes_rule_allows(
    found: RuledRoute,
    method: str,
    identity: str,
    world: World,
    visitor_as: Callable[[str], TestClient],
) -> None:
    assert isinstance(found, RuledRoute), f"{found.path} has no rule"
    world = dataclasses.replace(world, visitor=world.users.get(identity))
    path = fill(found.path, world, world.ws, world.ws)
    want = expected(found.rule, identity)
    visitor = visitor_as(identity)
    form = FORM_SAMPLES.get(found.path) if method == "POST" else None
    page = visitor.request(method, path, headers={"accept": "text/html"}, data=form)
    if want == SIGN_IN:
        assert page.status_code == 303, page.text
        assert page.headers["location"].startswith("/signin")
        if method == "GET":
            assert page.headers["location"] == "/signin?next=" + path.replace("/", "%2F")
        answer = visitor.request(method, path, headers={"accept": "application/json"}, data=form)
        assert answer.status_code == 401
        return
    if want == ALLOWED:
        assert page.status_code not in (401, 403, 404), page.text
    else:
        assert page.status_code == want, page.text
    if method == "GET":
        twin = visitor.request(method, path, headers={"accept": "application/json"}).text
        others = [email for who, email in world.emails.items() if who != identity]
        shown = [email for email in others if email in page.text or email in twin]
        assert shown == [], "another person's e-mail address is shown"


FOREIGN = [
    pytest.param(found, method, id=f"{method} {found.path}")
    for found in ROUTES
    if isinstance(found, RuledRoute) and isinstance(found.rule, Action)
    and set(PARAMETER.findall(found.path)) - {"ws"}
    for method in sorted((found.methods or {"GET"}) - {"HEAD"})
]  # fmt: skip


@pytest.mark.parametrize(("found", "method"), FOREIGN)
def test_another_workspaces_ids_answer_404(
    found: RuledRoute, method: str, world: World, visitor_as: Callable[[str], TestClient]
) -> None:
    path = fill(found.path, world, world.ws, world.other_ws)
    owner = visitor_as(Role.owner.value)
    form = FORM_SAMPLES.get(found.path) if method == "POST" else None
    answer = owner.request(method, path, headers={"accept": "application/json"}, data=form)
    assert answer.status_code == 404
