"""Accounts: signing up, in and out, the rate limit, sessions, the account page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update
from starlette.testclient import TestClient

from orglens.web.db import transaction, utcnow
from orglens.web.security import token_hash
from orglens.web.tables import Session, SignInAttempt, User

# A browser is a TestClient that sends the CSRF token back (tests/web/conftest.py).
SignUp = Callable[..., TestClient]
NewBrowser = Callable[..., TestClient]
PASSWORD = "correct horse battery"


def sign_in(visitor: TestClient, email: str, password: str = PASSWORD, **more: str) -> int:
    return visitor.post("/signin", data={"email": email, "password": password} | more).status_code


def test_sign_up_stores_an_argon2_hash_and_a_lower_case_email(
    browser: NewBrowser, engine: Engine
) -> None:
    form = {"name": "Ann", "email": " Ann@Example.COM ", "password": PASSWORD}
    assert browser().post("/signup", data=form).status_code == 303
    with transaction(engine) as db:
        ann = db.scalars(select(User)).one()
    assert ann.email == "ann@example.com"
    assert ann.password_hash.startswith("$argon2id$") and PASSWORD not in ann.password_hash


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "email": "a@example.com", "password": PASSWORD}, "Give a name"),
        ({"name": "Ann", "email": "ann-at-example", "password": PASSWORD}, "name@example.com"),
        ({"name": "Ann", "email": "a@example.com", "password": "123456789"}, "at least 10"),
    ],
)
def test_sign_up_refuses_a_missing_name_a_bad_email_and_a_short_password(
    browser: NewBrowser, form: dict[str, str], message: str
) -> None:
    answer = browser().post("/signup", data=form)
    assert answer.status_code == 400
    assert message in answer.text
    assert "orglens_session" not in answer.headers.get("set-cookie", "")


def test_an_email_signs_up_once(sign_up: SignUp, browser: NewBrowser) -> None:
    sign_up("Ann")
    form = {"name": "Other Ann", "email": "ANN@example.com", "password": PASSWORD}
    answer = browser().post("/signup", data=form, headers={"accept": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("An account with this e-mail address exists")


def test_sign_in_with_the_right_password_starts_a_session_stored_hashed(
    sign_up: SignUp, browser: NewBrowser, engine: Engine
) -> None:
    sign_up("Ann")
    visitor = browser()
    assert sign_in(visitor, "ANN@example.com") == 303
    token = visitor.cookies["orglens_session"]
    with transaction(engine) as db:
        stored = db.scalars(select(Session.token_hash)).all()
    assert token_hash(token) in stored and token not in stored
    assert visitor.get("/account?format=json").json()["email"] == "ann@example.com"


def test_a_wrong_password_or_unknown_email_gets_one_message(
    sign_up: SignUp, browser: NewBrowser
) -> None:
    sign_up("Ann")
    visitor = browser()
    wrong = visitor.post("/signin", data={"email": "ann@example.com", "password": "nope"})
    unknown = visitor.post("/signin", data={"email": "zed@example.com", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "The e-mail address or the password is wrong." in wrong.text
    assert "The e-mail address or the password is wrong." in unknown.text


def test_five_failures_for_an_email_block_it_for_fifteen_minutes(
    sign_up: SignUp, browser: NewBrowser, engine: Engine
) -> None:
    sign_up("Ann")
    visitor = browser()
    assert [sign_in(visitor, "ann@example.com", "wrong") for _ in range(5)] == [400] * 5
    blocked = visitor.post("/signin", data={"email": "ann@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed sign-ins: wait 15 minutes" in blocked.text
    assert sign_in(browser(), "other@example.com", "wrong") == 400  # other e-mails still try
    with transaction(engine) as db:
        db.execute(update(SignInAttempt).values(at=utcnow() - timedelta(minutes=16)))
    assert sign_in(visitor, "ann@example.com") == 303


def test_twenty_failures_from_one_client_block_it_for_every_email(
    sign_up: SignUp, browser: NewBrowser
) -> None:
    sign_up("Ann")
    visitor = browser()
    answers = [sign_in(visitor, f"guess{n}@example.com", "wrong") for n in range(20)]
    assert answers == [400] * 20
    assert sign_in(visitor, "ann@example.com") == 429


def test_a_successful_sign_in_forgets_the_emails_failures(
    sign_up: SignUp, browser: NewBrowser
) -> None:
    sign_up("Ann")
    visitor = browser()
    for _ in range(4):
        sign_in(visitor, "ann@example.com", "wrong")
    assert sign_in(visitor, "ann@example.com") == 303
    for _ in range(4):
        sign_in(browser(), "ann@example.com", "wrong")
    assert sign_in(browser(), "ann@example.com") == 303


@pytest.mark.parametrize(
    ("next_path", "lands"),
    [
        ("/w/7?tab=members", "/w/7?tab=members"),
        ("https://evil.example/", "/workspaces"),
        ("//evil.example/", "/workspaces"),
        ("/\\evil.example", "/workspaces"),
    ],
)
def test_sign_in_returns_to_a_local_next_only(
    sign_up: SignUp, browser: NewBrowser, next_path: str, lands: str
) -> None:
    sign_up("Ann")
    answer = browser().post(
        "/signin", data={"email": "ann@example.com", "password": PASSWORD, "next": next_path}
    )
    assert answer.headers["location"] == lands


def test_an_anonymous_page_visit_goes_to_sign_in_with_next_and_json_gets_401(
    browser: NewBrowser,
) -> None:
    visitor = browser()
    page = visitor.get("/workspaces?x=1")
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=%2Fworkspaces%3Fx%3D1"
    assert visitor.get("/signin?next=%2Fworkspaces%3Fx%3D1&format=json").json()["next"] == (
        "/workspaces?x=1"
    )
    answer = visitor.get("/workspaces", headers={"accept": "application/json"})
    assert (answer.status_code, answer.json()["error"]) == (401, "Sign in first.")


def test_sign_out_ends_the_session_on_the_server(sign_up: SignUp, browser: NewBrowser) -> None:
    ann = sign_up("Ann")
    token = ann.cookies["orglens_session"]
    answer = ann.post("/signout")
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")
    assert "orglens_session=;" in answer.headers["set-cookie"]
    thief = browser()
    thief.cookies.set("orglens_session", token)
    assert thief.get("/workspaces").status_code == 303


def test_a_session_ends_after_fourteen_days(sign_up: SignUp, engine: Engine) -> None:
    ann = sign_up("Ann")
    with transaction(engine) as db:
        session = db.scalars(select(Session)).one()
        assert session.expires_at - session.created_at == timedelta(days=14)
        session.expires_at = utcnow() - timedelta(seconds=1)
    assert ann.get("/workspaces").status_code == 303


def test_the_account_page_shows_the_own_email_and_saves_name_and_language(
    sign_up: SignUp,
) -> None:
    ann = sign_up("Ann")
    assert ann.get("/account?format=json").json() | {"error": None} == {
        "name": "Ann",
        "email": "ann@example.com",
        "lang": "en",
        "languages": ["en", "sv"],
        "error": None,
        "password_min_length": 10,
    }
    form = {"name": "Ann Berg", "email": "ann.berg@example.com", "lang": "sv"}
    assert ann.post("/account", data=form).status_code == 303
    data = ann.get("/account?format=json").json()
    assert (data["name"], data["email"], data["lang"]) == ("Ann Berg", "ann.berg@example.com", "sv")
    assert "Ditt konto" in ann.get("/account").text
    assert ann.post("/account", data=form | {"lang": "de"}).status_code == 303
    assert ann.get("/account?format=json").json()["lang"] == "sv"


def test_an_account_cannot_take_another_accounts_email(sign_up: SignUp) -> None:
    ann, _ = sign_up("Ann"), sign_up("Bob")
    form = {"name": "Ann", "email": "bob@example.com", "lang": "en"}
    answer = ann.post("/account", data=form)
    assert answer.status_code == 400 and "exists already" in answer.text


def test_changing_the_password_needs_the_old_one_and_ends_other_sessions(
    sign_up: SignUp, browser: NewBrowser
) -> None:
    ann = sign_up("Ann")
    elsewhere = browser()
    assert sign_in(elsewhere, "ann@example.com") == 303
    refused = ann.post(
        "/account/password", data={"current_password": "nope", "new_password": "x" * 12}
    )
    assert refused.status_code == 400
    form = {"current_password": PASSWORD, "new_password": "a new long password"}
    assert ann.post("/account/password", data=form).status_code == 303
    assert ann.get("/workspaces").status_code == 200
    assert elsewhere.get("/workspaces").status_code == 303
    assert sign_in(browser(), "ann@example.com", "a new long password") == 303
