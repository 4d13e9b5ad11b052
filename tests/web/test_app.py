"""The application: health, pages and their JSON twins, security headers, CSRF, workspaces,
members and invitations, languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from starlette.testclient import TestClient

from orglens.web import WebConfig, create_app
from orglens.web.db import remove_orphans, transaction, utcnow
from orglens.web.security import CONTENT_SECURITY_POLICY
from orglens.web.tables import Invitation, Member, User, Version, Workspace

# A browser is a TestClient that sends the CSRF token back (tests/web/conftest.py).
Browser = TestClient
SignUp = Callable[..., Browser]
NewBrowser = Callable[..., Browser]


def test_healthz_answers_ok_when_the_database_answers(browser: NewBrowser) -> None:
    answer = browser().get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_healthz_answers_503_when_the_database_is_unreachable(
    tmp_path: Path, browser_of: NewBrowser
) -> None:
    config = WebConfig(db_url=f"sqlite:///{tmp_path}/no/such/dir/x.db", data_dir=tmp_path)
    answer = browser_of(create_app(config)).get("/healthz")
    assert (answer.status_code, answer.json()) == (503, {"status": "unavailable"})


def test_an_anonymous_visitor_to_the_start_page_gets_the_sign_in_page(
    browser: NewBrowser,
) -> None:
    visitor = browser()
    answer = visitor.get("/")
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")
    page = visitor.get("/signin")
    assert page.status_code == 200
    assert '<form method="post" action="/signin"' in page.text


@pytest.mark.parametrize(
    "path", ["/", "/signin", "/signin?format=json", "/static/app.css", "/no/such/page"]
)
def test_every_response_carries_the_security_headers(browser: NewBrowser, path: str) -> None:
    headers = browser().get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY  # no script at all: default-src 'none'
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


def test_the_csrf_cookie_is_strict_and_http_only(browser: NewBrowser) -> None:
    cookie = browser().get("/signin").headers["set-cookie"]
    assert cookie.startswith("orglens_csrf=")
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie and "Secure" not in cookie


def test_cookies_are_secure_over_https(browser: NewBrowser) -> None:
    visitor = browser(https=True)
    assert "Secure" in visitor.get("/signin").headers["set-cookie"]
    form = {"name": "Ann", "email": "ann@example.com", "password": "0123456789"}
    session = visitor.post("/signup", data=form).headers["set-cookie"]
    assert session.startswith("orglens_session=")
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session


def test_a_form_without_the_csrf_token_is_refused(sign_up: SignUp, browser: NewBrowser) -> None:
    sign_up("Ann")
    visitor = browser(csrf=False)
    visitor.get("/signin")
    form = {"email": "ann@example.com", "password": "correct horse battery"}
    assert visitor.post("/signin", data=form).status_code == 403
    wrong = visitor.post("/signin", data=form | {"csrf": "x" * 43})
    assert wrong.status_code == 403
    assert "reload the page" in wrong.text


def test_the_csrf_token_may_come_in_the_form_or_in_the_header(
    sign_up: SignUp, browser: NewBrowser
) -> None:
    sign_up("Ann")
    visitor = browser(csrf=False)
    token = visitor.get("/signin").cookies["orglens_csrf"]
    form = {"email": "ann@example.com", "password": "correct horse battery"}
    assert visitor.post("/signin", data=form | {"csrf": token}).status_code == 303
    header = visitor.post("/workspaces", data={"name": "Acme"}, headers={"x-csrf-token": token})
    assert header.status_code == 303


def test_a_cookie_without_a_submitted_token_does_not_pass(browser: NewBrowser) -> None:
    visitor = browser(csrf=False)
    visitor.get("/signin")
    assert visitor.post("/signout").status_code == 403


def test_every_page_has_a_json_twin_by_query_or_by_accept(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int]
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    by_query = ann.get(f"/w/{ws}?format=json")
    by_accept = ann.get(f"/w/{ws}", headers={"accept": "application/json"})
    assert by_query.headers["content-type"] == "application/json"
    assert by_query.json() == by_accept.json()
    assert by_query.json()["workspace"] == {"id": ws, "name": "Acme"}
    assert by_query.json()["role"] == "owner"
    assert ann.get(f"/w/{ws}").headers["content-type"].startswith("text/html")


def test_a_body_over_the_form_limit_is_refused_with_413(sign_up: SignUp) -> None:
    ann = sign_up("Ann")
    answer = ann.post("/workspaces", data={"name": "x" * (2**20 + 10)})
    assert answer.status_code == 413
    assert "larger than the limit of 1 MB" in answer.text


def test_an_unknown_path_is_a_404_page_and_a_wrong_method_a_405(browser: NewBrowser) -> None:
    visitor = browser()
    missing = visitor.get("/no/such/page")
    assert missing.status_code == 404 and "There is no such page here." in missing.text
    assert visitor.put("/signin").status_code == 405


def test_static_serves_the_stylesheet_and_nothing_outside_its_folder(
    browser: NewBrowser,
) -> None:
    visitor = browser()
    css = visitor.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for sneaky in ("/static/..%2Fapp.py", "/static/%2e%2e%2fapp.py", "/static/../app.py"):
        assert visitor.get(sneaky).status_code == 404


def test_a_new_workspace_makes_its_creator_the_owner_and_is_listed(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int]
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    listed = ann.get("/workspaces?format=json").json()["workspaces"]
    assert listed == [{"id": ws, "name": "Acme", "role": "owner", "url": f"/w/{ws}"}]
    assert ann.post("/workspaces", data={"name": "  "}).status_code == 400


def test_a_workspace_name_is_shown_as_text_never_as_markup(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int]
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "<script>alert(1)</script>")
    page = ann.get(f"/w/{ws}").text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_workspace_page_lists_members_and_versions_by_name_only(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    invite: Callable[..., str],
    engine: Engine,
) -> None:
    ann, bob = sign_up("Ann"), sign_up("Bob")
    ws = workspace_of(ann, "Acme")
    bob.post(invite(ann, ws, "viewer"))
    with transaction(engine) as db:
        ann_id = db.scalar(select(User.id).where(User.email == "ann@example.com"))
        assert ann_id is not None
        version = Version(
            workspace_id=ws, number=1, kind="zip", filename="acme <2026>.zip", sha256="0" * 64,
            size=2560, folder=f"workspaces/{ws}/v1", created_by=ann_id, created_at=utcnow(),
        )  # fmt: skip
        db.add(version)
    data = bob.get(f"/w/{ws}?format=json").json()
    assert [(m["name"], m["role"]) for m in data["members"]] == [
        ("Ann", "owner"),
        ("Bob", "viewer"),
    ]
    assert [(v["number"], v["filename"], v["created_by"]) for v in data["versions"]] == [
        (1, "acme <2026>.zip", "Ann")
    ]
    assert data["can"] == {
        "view": True, "view_cost": True, "comment": False, "edit": False, "manage": False
    }  # fmt: skip
    page = bob.get(f"/w/{ws}").text
    assert "ann@example.com" not in page and "ann@example.com" not in str(data)
    assert "acme &lt;2026&gt;.zip" in page and "2.5 kB" in page


def test_an_owner_changes_a_role_and_removes_a_member(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int], invite: Callable[..., str]
) -> None:
    ann, bob = sign_up("Ann"), sign_up("Bob")
    ws = workspace_of(ann, "Acme")
    bob.post(invite(ann, ws, "viewer"))
    bob_id = next(m["id"] for m in ann.get(f"/w/{ws}/members?format=json").json()["members"]
                  if m["name"] == "Bob")  # fmt: skip
    assert ann.post(f"/w/{ws}/members/{bob_id}/role", data={"role": "editor"}).status_code == 303
    assert bob.get(f"/w/{ws}?format=json").json()["role"] == "editor"
    assert ann.post(f"/w/{ws}/members/{bob_id}/role", data={"role": "king"}).status_code == 400
    assert ann.post(f"/w/{ws}/members/{bob_id}/remove").status_code == 303
    assert bob.get(f"/w/{ws}").status_code == 404


def test_the_last_owner_can_neither_leave_nor_be_demoted(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int], invite: Callable[..., str]
) -> None:
    ann, bob = sign_up("Ann"), sign_up("Bob")
    ws = workspace_of(ann, "Acme")
    members = ann.get(f"/w/{ws}/members?format=json").json()
    ann_id = members["me"]
    demoted = ann.post(f"/w/{ws}/members/{ann_id}/role", data={"role": "viewer"})
    assert demoted.status_code == 409 and "at least one owner" in demoted.text
    assert ann.post(f"/w/{ws}/members/{ann_id}/remove").status_code == 409
    bob.post(invite(ann, ws, "owner"))
    assert ann.post(f"/w/{ws}/members/{ann_id}/remove").headers["location"] == "/workspaces"
    assert ann.get(f"/w/{ws}").status_code == 404


def test_an_invitation_link_lets_a_signed_in_person_join_once_in_its_role(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    invite: Callable[..., str],
    engine: Engine,
) -> None:
    ann, bob, eve = sign_up("Ann"), sign_up("Bob"), sign_up("Eve")
    ws = workspace_of(ann, "Acme")
    link = invite(ann, ws, "commenter")
    landing = bob.get(f"{link}?format=json").json()
    assert landing["workspace"]["name"] == "Acme" and landing["role"] == "commenter"
    assert (landing["signed_in"], landing["member"]) == (True, False)
    joined = bob.post(link)
    assert (joined.status_code, joined.headers["location"]) == (303, f"/w/{ws}")
    assert bob.get(f"/w/{ws}?format=json").json()["role"] == "commenter"
    used = eve.get(link)
    assert used.status_code == 410 and "used already" in used.text
    assert eve.post(link).status_code == 410
    with transaction(engine) as db:
        stored = db.scalars(select(Invitation.token_hash)).one()
    assert stored not in link and len(stored) == 64


def test_an_expired_or_unknown_invitation_link_says_so(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    invite: Callable[..., str],
    engine: Engine,
) -> None:
    ann, bob = sign_up("Ann"), sign_up("Bob")
    ws = workspace_of(ann, "Acme")
    link = invite(ann, ws, "viewer")
    with transaction(engine) as db:
        db.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
    expired = bob.get(link)
    assert expired.status_code == 410 and "has expired" in expired.text
    assert bob.post(link).status_code == 410
    assert bob.get("/invite/" + "x" * 43).status_code == 404


def test_an_invitation_expires_after_seven_days_unless_told_otherwise(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    invite: Callable[..., str],
    engine: Engine,
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    invite(ann, ws, "viewer")
    invite(ann, ws, "viewer", days=2)
    with transaction(engine) as db:
        lives = sorted(i.expires_at - i.created_at for i in db.scalars(select(Invitation)))
    assert lives == [timedelta(days=2), timedelta(days=7)]
    assert ann.post(f"/w/{ws}/invitations", data={"role": "viewer", "days": "0"}).status_code == 400


def test_an_anonymous_visitor_of_a_link_is_sent_to_sign_in_and_back(
    sign_up: SignUp,
    browser: NewBrowser,
    workspace_of: Callable[[Browser, str], int],
    invite: Callable[..., str],
) -> None:
    ann = sign_up("Ann")
    link = invite(ann, workspace_of(ann, "Acme"), "viewer")
    visitor = browser()
    page = visitor.get(link)
    assert page.status_code == 200
    assert f'href="/signup?next={link}"' in page.text
    form = {"name": "Cy", "email": "cy@example.com", "password": "0123456789", "next": link}
    assert visitor.post("/signup", data=form).headers["location"] == link


def test_an_owner_revokes_an_open_invitation(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int], invite: Callable[..., str]
) -> None:
    ann, bob = sign_up("Ann"), sign_up("Bob")
    ws = workspace_of(ann, "Acme")
    link = invite(ann, ws, "viewer")
    (open_link,) = ann.get(f"/w/{ws}/members?format=json").json()["invitations"]
    assert ann.post(f"/w/{ws}/invitations/{open_link['id']}/revoke").status_code == 303
    assert ann.get(f"/w/{ws}/members?format=json").json()["invitations"] == []
    assert bob.get(link).status_code == 404


def test_deleting_a_workspace_needs_its_name_and_removes_its_files(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    folder = config.workspaces_dir / str(ws) / "v1"
    folder.mkdir(parents=True)
    assert ann.post(f"/w/{ws}/delete", data={"confirm": "acme"}).status_code == 400
    assert ann.post(f"/w/{ws}/delete", data={"confirm": "Acme"}).status_code == 303
    assert not folder.parent.exists()
    with transaction(engine) as db:
        assert db.get(Workspace, ws) is None
        assert db.scalars(select(Member).where(Member.workspace_id == ws)).all() == []


def test_start_up_removes_version_folders_without_a_row_and_unfinished_uploads(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    kept, orphan = config.workspaces_dir / str(ws) / "v1", config.workspaces_dir / str(ws) / "v2"
    unfinished = config.tmp_dir / "a1b2"
    for folder in (kept, orphan, unfinished):
        (folder / "people.csv").parent.mkdir(parents=True)
        (folder / "people.csv").write_text("id\n", encoding="utf-8")
    with transaction(engine) as db:
        owner = db.scalars(select(User.id)).one()
        db.add(
            Version(
                workspace_id=ws, number=1, kind="zip", filename="a.zip", sha256="0" * 64,
                size=1, folder=f"workspaces/{ws}/v1", created_by=owner, created_at=utcnow(),
            )
        )  # fmt: skip
    assert remove_orphans(engine, config) == [unfinished, orphan]
    assert kept.is_dir() and not orphan.exists() and not unfinished.exists()


def test_a_swedish_account_sees_swedish_pages_and_an_anonymous_visitor_their_browsers(
    sign_up: SignUp, browser: NewBrowser
) -> None:
    sven = sign_up("Sven", lang="sv")
    assert "Dina arbetsytor" in sven.get("/workspaces").text
    assert '<html lang="sv">' in sven.get("/account").text
    visitor = browser()
    assert "Logga in" in visitor.get("/signin", headers={"accept-language": "sv-SE,sv;q=0.9"}).text
    assert "Sign in" in visitor.get("/signin", headers={"accept-language": "de, en;q=0.5"}).text


def test_another_app_on_the_same_database_sees_the_same_accounts(
    sign_up: SignUp, config: WebConfig, browser_of: NewBrowser
) -> None:
    sign_up("Ann")
    other = browser_of(create_app(config))
    form = {"email": "ann@example.com", "password": "correct horse battery"}
    assert other.post("/signin", data=form).status_code == 303


def test_healthz_answers_503_to_a_signed_in_browser_when_the_database_is_gone(
    sign_up: SignUp, engine: Engine, config: WebConfig, browser_of: NewBrowser
) -> None:
    ann = sign_up("Ann")
    gone = WebConfig(db_url=f"sqlite:///{config.data_dir}/missing/x.db", data_dir=config.data_dir)
    visitor = browser_of(create_app(gone))
    visitor.cookies.set("orglens_session", ann.cookies["orglens_session"])
    assert visitor.get("/healthz").status_code == 503


def test_an_id_too_large_for_the_database_is_not_found(sign_up: SignUp) -> None:
    """/w/100000000000000000000 overflowed the driver's integer (a 500); now a 404."""
    ann = sign_up("Ann")
    answer = ann.get("/w/100000000000000000000", follow_redirects=False)
    assert answer.status_code == 404


def test_a_new_invitation_link_is_shown_once_and_a_reload_makes_no_other(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int], engine: Engine
) -> None:
    """The form's answer was the members page itself: reloading it posted the form again."""
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    made = ann.post(f"/w/{ws}/invitations", data={"role": "commenter", "days": "3"})
    assert made.status_code == 303 and made.headers["location"] == f"/w/{ws}/members"
    shown = ann.get(f"/w/{ws}/members").text
    assert shown.count("/invite/") == 1 and 'class="notice"' in shown
    again = ann.get(f"/w/{ws}/members").text
    assert "/invite/" not in again
    with transaction(engine) as db:
        assert len(db.scalars(select(Invitation)).all()) == 1


def test_the_sole_owner_is_not_offered_remove(
    sign_up: SignUp, workspace_of: Callable[[Browser, str], int], invite: Callable[..., str]
) -> None:
    ann, bob = sign_up("Ann"), sign_up("Bob")
    ws = workspace_of(ann, "Acme")
    assert bob.post(invite(ann, ws, "owner")).status_code == 303
    both = ann.get(f"/w/{ws}/members").text
    assert both.count("/remove") == 2
    ann_id = ann.get(f"/w/{ws}/members?format=json").json()["me"]
    assert ann.post(f"/w/{ws}/members/{ann_id}/remove").status_code == 303
    alone = bob.get(f"/w/{ws}/members").text
    assert "/remove" not in alone and "The only owner" in alone
