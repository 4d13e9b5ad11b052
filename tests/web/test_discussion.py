"""Discussion: comments, replies to any depth, editing and deleting one's own, the thread page
and its JSON twin, text shown safely, names without e-mail addresses; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from orglens.web import markdown
from orglens.web.db import reading, transaction
from orglens.web.discussion import discussion
from orglens.web.pages_discussion import discussion_url
from orglens.web.render import TEMPLATES, environment
from orglens.web.tables import Comment

Browser = TestClient
SignUp = Callable[..., Browser]
JSON = {"accept": "application/json"}


@dataclass(frozen=True)
class Team:
    """Workspace ``ws`` of Ann (owner) with Bob (commenter), Cleo (viewer), Dan (viewer
    without cost); ``other`` is a second workspace of Ann's."""

    ws: int
    other: int
    ann: Browser
    bob: Browser
    cleo: Browser
    dan: Browser


@pytest.fixture
def team(
    sign_up: SignUp,
    workspace_of: Callable[[Browser, str], int],
    invite: Callable[..., str],
) -> Team:
    ann = sign_up("Ann", email="ann.private@example.com")
    ws, other = workspace_of(ann, "Acme"), workspace_of(ann, "Other")
    people = {}
    for name, role in (("Bob", "commenter"), ("Cleo", "viewer"), ("Dan", "viewer_no_cost")):
        person = sign_up(name, email=f"{name.lower()}.private@example.com")
        assert person.post(invite(ann, ws, role)).status_code == 303
        people[name] = person
    return Team(ws, other, ann, people["Bob"], people["Cleo"], people["Dan"])


def team_engine(team: Team) -> Engine:
    """The database of the team's app."""
    engine: Engine = team.ann.app.state.engine  # type: ignore[attr-defined]
    return engine


def post(
    client: Browser,
    ws: int,
    body: str,
    *,
    target: str = "recommendation",
    parent: int | None = None,
    next_path: str | None = None,
) -> int:
    """Post a comment (or a reply) through the form; the new comment's id."""
    form = {"target": target, "body": body}
    if parent is not None:
        form["parent"] = str(parent)
    if next_path is not None:
        form["next"] = next_path
    answer = client.post(f"/w/{ws}/comments", data=form)
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rpartition("#c")[2])


def thread(client: Browser, ws: int, target: str = "recommendation") -> dict[str, object]:
    answer = client.get(discussion_url(ws, target), headers=JSON)
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = answer.json()["discussion"]
    return found


def comments(client: Browser, ws: int, target: str = "recommendation") -> list[dict[str, object]]:
    found = thread(client, ws, target)["comments"]
    assert isinstance(found, list)
    return found


def test_a_comment_a_reply_and_a_reply_to_the_reply_nest_three_levels(team: Team) -> None:
    first = post(team.ann, team.ws, "Why merge sales and marketing?")
    reply = post(team.bob, team.ws, "Fewer hand-offs.", parent=first)
    deeper = post(team.ann, team.ws, "How many fewer?", parent=reply)
    later = post(team.bob, team.ws, "A second thread.")
    shown = [
        (c["id"], c["depth"], c["parent_id"], c["author"]) for c in comments(team.cleo, team.ws)
    ]
    assert shown == [
        (first, 0, None, "Ann"),
        (reply, 1, first, "Bob"),
        (deeper, 2, reply, "Ann"),
        (later, 0, None, "Bob"),
    ]
    page = team.cleo.get(discussion_url(team.ws, "recommendation")).text
    assert f'class="comment d2" id="c{deeper}"' in page


def test_a_post_answers_303_to_the_thread_at_the_new_comment(team: Team) -> None:
    answer = team.bob.post(
        f"/w/{team.ws}/comments", data={"target": "scenario:growth_team", "body": "Good."}
    )
    (made,) = comments(team.bob, team.ws, "scenario:growth_team")
    want = f"/w/{team.ws}/discussion?target=scenario%3Agrowth_team#c{made['id']}"
    assert (answer.status_code, answer.headers["location"]) == (303, want)


def test_a_post_goes_back_to_a_local_next_page_and_never_to_another_site(team: Team) -> None:
    here = f"/w/{team.ws}/scenarios/growth_team#old"
    form = {"target": "scenario:growth_team", "body": "x", "next": here}
    local = team.bob.post(f"/w/{team.ws}/comments", data=form).headers["location"]
    assert re.fullmatch(rf"/w/{team.ws}/scenarios/growth_team#c\d+", local)
    form["next"] = "https://evil.example/"
    away = team.bob.post(f"/w/{team.ws}/comments", data=form).headers["location"]
    assert away.startswith(f"/w/{team.ws}/discussion?target=scenario%3Agrowth_team#c")


def test_the_author_edits_their_comment(team: Team) -> None:
    made = post(team.bob, team.ws, "Frist draft")
    answer = team.bob.post(f"/w/{team.ws}/comments/{made}/edit", data={"body": "First **draft**"})
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"#c{made}")
    (shown,) = comments(team.bob, team.ws)
    assert shown["body_html"] == "<p>First <strong>draft</strong></p>"
    assert shown["body"] == "First **draft**" and shown["edited_at"] is not None
    blank = team.bob.post(f"/w/{team.ws}/comments/{made}/edit", data={"body": " "}, headers=JSON)
    assert blank.status_code == 422
    assert comments(team.bob, team.ws)[0]["body"] == "First **draft**"


def test_a_deleted_comment_stays_as_deleted_without_text_or_author_and_keeps_its_replies(
    team: Team,
) -> None:
    first = post(team.bob, team.ws, "Secret plan")
    reply = post(team.ann, team.ws, "Answer", parent=first)
    answer = team.bob.post(f"/w/{team.ws}/comments/{first}/delete")
    assert answer.status_code == 303
    gone, kept = comments(team.cleo, team.ws)
    assert (gone["id"], gone["deleted"], gone["author"], gone["body_html"]) == (
        first, True, None, "",
    )  # fmt: skip
    assert (kept["id"], kept["parent_id"], kept["depth"], kept["deleted"]) == (
        reply, first, 1, False,
    )  # fmt: skip
    assert thread(team.cleo, team.ws)["count"] == 1
    page = team.cleo.get(discussion_url(team.ws, "recommendation")).text
    assert "Deleted comment" in page and "Secret plan" not in page
    assert ">Bob<" not in page
    with reading(team_engine(team)) as db:
        assert db.scalar(select(Comment.body).where(Comment.id == first)) == ""


def test_a_deleted_comment_cannot_be_edited_and_deleting_it_again_changes_nothing(
    team: Team,
) -> None:
    made = post(team.bob, team.ws, "Soon gone")
    assert team.bob.post(f"/w/{team.ws}/comments/{made}/delete").status_code == 303
    again = team.bob.post(f"/w/{team.ws}/comments/{made}/delete")
    assert again.status_code == 303
    edit = team.bob.post(f"/w/{team.ws}/comments/{made}/edit", data={"body": "Back"}, headers=JSON)
    assert edit.status_code == 409
    (shown,) = comments(team.bob, team.ws)
    assert shown["deleted"] is True and shown["body_html"] == ""


def test_nobody_but_the_author_edits_or_deletes_a_comment_not_even_an_owner(team: Team) -> None:
    made = post(team.bob, team.ws, "Bob's view")
    for other in (team.ann, team.cleo):
        edit = other.post(f"/w/{team.ws}/comments/{made}/edit", data={"body": "Mine now"})
        delete = other.post(f"/w/{team.ws}/comments/{made}/delete")
        assert (edit.status_code, delete.status_code) == (403, 403)
    (shown,) = comments(team.bob, team.ws)
    assert shown["body_html"] == "<p>Bob&#39;s view</p>" and not shown["deleted"]


def test_only_the_authors_own_comments_offer_edit_and_delete(team: Team) -> None:
    made = post(team.bob, team.ws, "Bob's view")
    url = discussion_url(team.ws, "recommendation")
    edit = f'action="/w/{team.ws}/comments/{made}/edit"'
    assert edit in team.bob.get(url).text
    assert edit not in team.ann.get(url).text
    shown = {
        who: comments(client, team.ws)[0] for who, client in (("bob", team.bob), ("ann", team.ann))
    }
    assert (shown["bob"]["mine"], shown["bob"]["body"]) == (True, "Bob's view")
    assert (shown["ann"]["mine"], shown["ann"]["body"]) == (False, None)


def test_a_viewer_cannot_post_and_sees_no_form_and_a_viewer_without_cost_can_read(
    team: Team,
) -> None:
    post(team.bob, team.ws, "Visible to all members")
    form = {"target": "recommendation", "body": "Let me in"}
    assert team.cleo.post(f"/w/{team.ws}/comments", data=form).status_code == 403
    assert team.dan.post(f"/w/{team.ws}/comments", data=form).status_code == 403
    page = team.dan.get(discussion_url(team.ws, "recommendation"))
    assert page.status_code == 200
    assert "Visible to all members" in page.text
    assert f'action="/w/{team.ws}/comments"' not in page.text
    assert "Your role lets you read the discussion" in page.text
    assert [c["body_html"] for c in comments(team.dan, team.ws)] == [
        "<p>Visible to all members</p>"
    ]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ('"><b onmouseover=x>', "&#34;&gt;&lt;b onmouseover=x&gt;"),
    ],
)
def test_markup_and_template_code_in_a_comment_show_as_literal_text(
    team: Team, typed: str, shown: str
) -> None:
    made = post(team.bob, team.ws, typed)
    for client in (team.bob, team.cleo):  # the author's page also holds the text to edit
        page = client.get(discussion_url(team.ws, "recommendation")).text
        body = re.search(rf'id="c{made}">.*?<div class="body">(.*?)</div>', page, re.S)
        assert body is not None
        assert body[1] == f"<p>{shown}</p>"
        assert "<script" not in page and "<img" not in page and "<b " not in page
        assert "49" not in body[1]
    (json_shown,) = comments(team.cleo, team.ws)
    assert "<script" not in str(json_shown["body_html"])


def test_the_authors_email_is_never_shown_to_another_member(team: Team) -> None:
    made = post(team.ann, team.ws, "Owner speaking")
    post(team.bob, team.ws, "Commenter answering", parent=made)
    for client in (team.bob, team.cleo, team.dan):
        page = client.get(discussion_url(team.ws, "recommendation")).text
        twin = client.get(discussion_url(team.ws, "recommendation"), headers=JSON).text
        assert ">Ann<" in page and '"author": "Ann"' in twin
        for text in (page, twin):  # no address at all: a discussion page never shows one
            assert "private@example.com" not in text


def test_another_workspaces_comment_ids_answer_404(team: Team) -> None:
    elsewhere = post(team.ann, team.other, "In the other workspace")
    edit = team.ann.post(f"/w/{team.ws}/comments/{elsewhere}/edit", data={"body": "x"})
    delete = team.ann.post(f"/w/{team.ws}/comments/{elsewhere}/delete")
    form = {"target": "recommendation", "body": "A reply", "parent": str(elsewhere)}
    reply = team.ann.post(f"/w/{team.ws}/comments", data=form)
    huge = team.ann.post(f"/w/{team.ws}/comments/{2**40}/delete")
    odd = team.ann.post(f"/w/{team.ws}/comments", data=form | {"parent": "²"})
    statuses = [a.status_code for a in (edit, delete, reply, huge, odd)]
    assert statuses == [404, 404, 404, 404, 404]
    assert comments(team.ann, team.ws) == []
    assert [c["body_html"] for c in comments(team.ann, team.other)] == [
        "<p>In the other workspace</p>"
    ]


def test_a_reply_to_a_comment_of_another_target_is_refused(team: Team) -> None:
    made = post(team.bob, team.ws, "On the scenario", target="scenario:growth_team")
    form = {"target": "recommendation", "body": "A reply", "parent": str(made)}
    answer = team.bob.post(f"/w/{team.ws}/comments", data=form, headers=JSON)
    assert answer.status_code == 422
    assert answer.json()["error"] == "The comment you reply to belongs to another discussion."
    assert comments(team.bob, team.ws) == []


@pytest.mark.parametrize(
    "target",
    ["", "Recommendation", "scenario:", "scenario:../etc", "scenario:a b", "finding:<b>",
     "finding:" + "x" * 101, "member:1", "scenario:_x"],
)  # fmt: skip
def test_a_target_that_is_not_a_recommendation_scenario_or_finding_is_refused(
    team: Team, target: str
) -> None:
    answer = team.bob.post(f"/w/{team.ws}/comments", data={"target": target, "body": "x"})
    assert answer.status_code == 400
    if target:  # an empty ?target= is refused too; no target at all is the recommendation
        assert team.bob.get(discussion_url(team.ws, target), headers=JSON).status_code == 400


def test_the_discussion_page_without_a_target_is_the_recommendations(team: Team) -> None:
    post(team.bob, team.ws, "On the recommendation")
    answer = team.bob.get(f"/w/{team.ws}/discussion", headers=JSON)
    assert answer.json()["target"] == "recommendation"
    assert answer.json()["discussion"]["count"] == 1


@pytest.mark.parametrize(
    "typed", ["", "   \n\t\r\n  ", "x" * (markdown.MAX_BODY + 1)], ids=["empty", "blank", "long"]
)
def test_a_blank_or_too_long_body_is_refused_and_nothing_is_stored(team: Team, typed: str) -> None:
    answer = team.bob.post(
        f"/w/{team.ws}/comments", data={"target": "recommendation", "body": typed}, headers=JSON
    )
    assert answer.status_code == 422
    assert comments(team.bob, team.ws) == []


def test_a_body_of_exactly_the_limit_is_kept_whole_with_its_line_breaks_normalised(
    team: Team,
) -> None:
    post(team.bob, team.ws, "x" * markdown.MAX_BODY)
    post(team.bob, team.ws, "one\r\ntwo\x00")
    with reading(team_engine(team)) as db:
        bodies = db.scalars(select(Comment.body).order_by(Comment.id)).all()
    assert bodies == ["x" * markdown.MAX_BODY, "one\ntwo\ufffd"]


def test_the_page_speaks_swedish_to_a_swedish_user(
    team: Team, sign_up: SignUp, invite: Callable[..., str]
) -> None:
    eva = sign_up("Eva", lang="sv")
    assert eva.post(invite(team.ann, team.ws, "commenter")).status_code == 303
    made = post(team.bob, team.ws, "Hej")
    post(team.bob, team.ws, "Borta")
    team.bob.post(f"/w/{team.ws}/comments/{made + 1}/delete")
    page = eva.get(discussion_url(team.ws, "recommendation")).text
    assert '<html lang="sv">' in page
    swedish = ["Diskussion om rekommendationen", "Kommentarer (1)", "Svara", "Borttagen kommentar"]
    for text in [*swedish, "Skriv en kommentar", "Publicera kommentaren"]:
        assert text in page
    assert "Reply" not in page
    refused = eva.post(f"/w/{team.ws}/comments/{made}/delete", headers=JSON)
    assert (
        refused.json()["error"] == "Bara den som skrev en kommentar kan redigera eller ta bort den."
    )


def test_times_are_shown_as_people_read_them(team: Team) -> None:
    made = post(team.bob, team.ws, "Dated")
    with transaction(team_engine(team)) as db:
        row = db.get(Comment, made)
        assert row is not None
        row.created_at = row.created_at.replace(2026, 12, 4, 14, 3, 9)
    page = team.bob.get(discussion_url(team.ws, "recommendation")).text
    assert '<time datetime="2026-12-04T14:03:09Z">4 Dec 2026 14:03 UTC</time>' in page


def test_the_json_twin_has_the_promised_shape(team: Team) -> None:
    made = post(team.bob, team.ws, "*Shape*", target="finding:span_after_merge")
    answer = team.bob.get(discussion_url(team.ws, "finding:span_after_merge"), headers=JSON)
    data = answer.json()
    assert set(data) == {
        "workspace", "target", "title", "url", "target_url", "target_label", "can", "discussion",
    }  # fmt: skip
    assert data["title"] == "Discussion of the finding span_after_merge"
    assert data["can"] == {"comment": True}
    assert set(data["discussion"]) == {"target", "count", "comments"}
    (shown,) = data["discussion"]["comments"]
    assert set(shown) == {
        "id", "parent_id", "depth", "author", "body_html", "body", "created_at", "edited_at",
        "deleted", "mine",
    }  # fmt: skip
    assert (shown["id"], shown["author"], shown["body_html"], shown["mine"]) == (
        made, "Bob", "<p><em>Shape</em></p>", True,
    )  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", shown["created_at"])
    assert shown["edited_at"] is None and shown["parent_id"] is None
    assert team.cleo.get(discussion_url(team.ws, "recommendation"), headers=JSON).json()["can"] == {
        "comment": False
    }


def test_discussion_reads_one_target_of_one_workspace_as_json(team: Team) -> None:
    post(team.bob, team.ws, "Here")
    post(team.bob, team.ws, "Another target", target="scenario:x")
    post(team.ann, team.other, "Another workspace")
    with reading(team_engine(team)) as db:
        seen = discussion(db, team.ws, "recommendation", None)
    assert (seen["target"], seen["count"]) == ("recommendation", 1)
    (only,) = seen["comments"]
    assert (only["body_html"], only["mine"], only["body"]) == ("<p>Here</p>", False, None)


def test_every_write_is_one_transaction(team: Team) -> None:
    """A reply refused halfway (its parent elsewhere) leaves no row behind."""
    with reading(team_engine(team)) as db:
        before = db.scalar(select(func.count()).select_from(Comment))
    made = post(team.bob, team.ws, "x", target="scenario:a")
    form = {"target": "scenario:b", "body": "y", "parent": str(made)}
    assert team.bob.post(f"/w/{team.ws}/comments", data=form).status_code == 422
    with reading(team_engine(team)) as db:
        assert db.scalar(select(func.count()).select_from(Comment)) == (before or 0) + 1


def test_the_forms_limit_is_the_markdown_limit() -> None:
    text = (Path(TEMPLATES) / "_discussion.html").read_text(encoding="utf-8")
    assert f"{{% set max_body = {markdown.MAX_BODY} %}}" in text


def test_a_page_of_another_area_includes_the_thread(team: Team) -> None:
    """The template renders the dict with only render.page's context and ``discussion``."""
    made = post(team.bob, team.ws, "Included")
    with reading(team_engine(team)) as db:
        seen = discussion(db, team.ws, "recommendation", None)
    html = (
        environment()
        .from_string('{% include "_discussion.html" %}')
        .render(discussion=seen, place=None, path="/w/1/scenarios/x", csrf_field="", lang="en")
    )
    assert f'id="c{made}"' in html and "<p>Included</p>" in html
    assert "<form" not in html


def test_a_thread_page_links_back_to_what_it_discusses(team: Team) -> None:
    """The thread page had no way back to the scenario, finding or recommendation."""
    for target, where in (
        ("recommendation", f"/w/{team.ws}/scenarios#recommendation"),
        ("scenario:growth_team", f"/w/{team.ws}/scenarios/growth_team"),
        ("finding:span_after_merge", f"/w/{team.ws}/scenarios#finding-span_after_merge"),
    ):
        page = team.cleo.get(discussion_url(team.ws, target)).text
        assert f'<a href="{where}">Open ' in page, target
