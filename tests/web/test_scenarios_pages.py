"""The scenario pages: the comparison of the latest version with the designs written in the
browser, each design's page, the scenario editor (checked against the version, nothing saved on a
problem) and the decision record — on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from samples_data import zipped
from samples_scenarios import upload_demo
from sqlalchemy import Engine, select

from orglens.web import WebConfig
from orglens.web.db import reading
from orglens.web.tables import Decision, Scenario

GROWTH = (
    "description: The SDRs join demand generation\n"
    "operations:\n"
    "  - move: {role: Sales Development Representative, to: demand-gen}\n"
)
BAD_UNIT = (
    "description: a unit that does not exist\n"
    "operations:\n"
    "  - move: {role: Sales Development Representative, to: nowhere}\n"
)
JSON = {"accept": "application/json"}
BUILT_IN = {
    "status_quo", "ceo_forum", "merge_sales_marketing", "merge_marketing_communications",
    "merge_sales_marketing_communications", "journey_pods", "segment_pods",
}  # fmt: skip


@pytest.fixture
def team(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    invite: Callable[..., str],
    engine: Engine,
    config: WebConfig,
) -> Callable[..., tuple[int, dict[str, Any]]]:
    """``team("viewer", "commenter", versions=1)``: a workspace of Ann (owner), the demo
    uploaded as its first version, and a member in each role given (browsers by role)."""

    def make(*roles: str, versions: int = 1, lang: str = "en") -> tuple[int, dict[str, Any]]:
        owner = sign_up("Ann")
        ws = workspace_of(owner, "Acme")
        people = {"owner": owner}
        for role in roles:
            person = sign_up(f"{role.title()} Person", lang=lang)
            assert person.post(invite(owner, ws, role)).status_code == 303
            people[role] = person
        for number in range(1, versions + 1):
            upload_demo(engine, config, ws, number)
        return ws, people

    return make


def written_rows(engine: Engine, ws: int) -> dict[str, str]:
    with reading(engine) as db:
        rows = db.scalars(select(Scenario).where(Scenario.workspace_id == ws))
        return {row.name: row.yaml for row in rows}


def test_the_comparison_lists_the_built_in_designs_beside_the_written_ones_and_recommends(
    team: Callable[..., tuple[int, dict[str, Any]]],
) -> None:
    ws, people = team()
    ann = people["owner"]
    made = ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH})
    assert made.status_code == 303
    assert made.headers["location"] == f"/w/{ws}/scenarios/growth"
    data = ann.get(f"/w/{ws}/scenarios", headers=JSON).json()
    designs = {entry["name"]: entry for entry in data["comparison"]["scenarios"]}
    assert set(designs) == BUILT_IN | {"growth"}
    assert designs["growth"]["written"] and not designs["ceo_forum"]["written"]
    assert [w["name"] for w in data["written"]] == ["growth"]
    assert data["written"][0]["updated_by"] == "Ann"
    recommendation = data["comparison"]["recommendation"]
    assert recommendation["recommended"] in designs
    assert recommendation["runner_up"] in designs
    assert recommendation["why"]
    assert data["version"]["number"] == 1
    ids = [finding["id"] for finding in data["comparison"]["findings"]]
    assert "go_to_market_size" in ids
    html = ann.get(f"/w/{ws}/scenarios").text
    assert f'href="/w/{ws}/scenarios/growth"' in html
    assert "Recommendation" in html and "Pareto front" in html and "Scorecard" in html
    assert "<code>finding:go_to_market_size</code>" in html
    assert 'data-chart="tradeoffs"' in html


def test_a_design_has_its_own_page_with_its_org_chart_and_an_unknown_one_is_not_found(
    team: Callable[..., tuple[int, dict[str, Any]]],
) -> None:
    ws, people = team("viewer")
    ann, viewer = people["owner"], people["viewer"]
    ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH})
    page = viewer.get(f"/w/{ws}/scenarios/growth", headers=JSON).json()
    assert page["design"]["name"] == "growth"
    assert page["target"] == "scenario:growth"
    assert [chart["name"] for chart in page["design"]["charts"]] == ["org_growth"]
    assert page["yaml"] == GROWTH
    html = viewer.get(f"/w/{ws}/scenarios/growth").text
    assert "SDRs join demand generation" in html
    assert "/edit" not in html  # a viewer is not offered the editor
    assert viewer.get(f"/w/{ws}/scenarios/ceo_forum").status_code == 200
    assert viewer.get(f"/w/{ws}/scenarios/no_such_design").status_code == 404


def test_a_member_who_reads_swedish_sees_the_comparison_in_swedish(
    team: Callable[..., tuple[int, dict[str, Any]]],
) -> None:
    ws, people = team("viewer", lang="sv")
    html = people["viewer"].get(f"/w/{ws}/scenarios").text
    assert "Scenarier och jämförelse" in html
    assert "Rekommendation" in html and "Paretofront" in html
    # the scores in Swedish decimals (they read "0.34" among "1,28" before)
    scores = people["viewer"].get(f"/w/{ws}/scenarios", headers=JSON).json()["comparison"]
    shown = [s["score"] for s in scores["scenarios"] if s["score"] is not None]
    assert shown and all(f"{score:.2f}".replace(".", ",") in html for score in shown)
    assert (
        people["viewer"].get(f"/w/{ws}/scenarios", headers=JSON).json()["comparison"]["lang"]
        == "sv"
    )


def test_a_scenario_with_an_unknown_unit_is_refused_with_its_file_and_line_and_not_saved(
    team: Callable[..., tuple[int, dict[str, Any]]], engine: Engine
) -> None:
    ws, people = team()
    ann = people["owner"]
    answer = ann.post(f"/w/{ws}/scenarios/new", data={"name": "bad", "yaml": BAD_UNIT})
    assert answer.status_code == 422
    assert "scenarios/bad.yaml:3: scenario &#39;bad&#39;" in answer.text
    assert "unknown unit &#39;nowhere&#39;" in answer.text
    assert 'id="line-3" class="bad"' in answer.text  # the problem beside its line
    assert BAD_UNIT.splitlines()[2].replace("'", "&#39;") in answer.text  # the text kept
    twin = ann.post(
        f"/w/{ws}/scenarios/new", data={"name": "bad", "yaml": BAD_UNIT}, headers=JSON
    ).json()
    assert [(p["file"], p["line"]) for p in twin["problems"]] == [("scenarios/bad.yaml", 3)]
    assert written_rows(engine, ws) == {}


def test_editing_checks_the_new_text_and_keeps_the_old_one_when_it_is_wrong(
    team: Callable[..., tuple[int, dict[str, Any]]], engine: Engine
) -> None:
    ws, people = team("editor")
    editor = people["editor"]
    assert (
        editor.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH}).status_code
        == 303
    )
    form = editor.get(f"/w/{ws}/scenarios/growth/edit", headers=JSON).json()
    assert form["yaml"] == GROWTH and form["base"]
    wrong = editor.post(f"/w/{ws}/scenarios/growth/edit", data={"yaml": BAD_UNIT})
    assert wrong.status_code == 422
    assert written_rows(engine, ws) == {"growth": GROWTH}
    better = GROWTH.replace("The SDRs", "All SDRs")
    saved = editor.post(
        f"/w/{ws}/scenarios/growth/edit", data={"yaml": better, "base": form["base"]}
    )
    assert saved.status_code == 303
    assert written_rows(engine, ws) == {"growth": better}
    stale = editor.post(
        f"/w/{ws}/scenarios/growth/edit", data={"yaml": GROWTH, "base": form["base"]}
    )
    assert stale.status_code == 409  # someone (here: the same editor) saved since
    assert written_rows(engine, ws) == {"growth": better}
    assert editor.post(f"/w/{ws}/scenarios/growth/delete").status_code == 303
    assert written_rows(engine, ws) == {}
    assert editor.get(f"/w/{ws}/scenarios/growth/edit").status_code == 404


def test_names_that_cannot_be_a_file_or_are_taken_are_refused(
    team: Callable[..., tuple[int, dict[str, Any]]], engine: Engine
) -> None:
    ws, people = team()
    ann = people["owner"]
    for name in ("../etc", "new", "status_quo", ""):
        answer = ann.post(f"/w/{ws}/scenarios/new", data={"name": name, "yaml": GROWTH})
        assert answer.status_code == 422, name
    assert (
        ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH}).status_code
        == 303
    )
    again = ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH})
    assert again.status_code == 409
    assert list(written_rows(engine, ws)) == ["growth"]


def test_a_viewer_cannot_write_scenarios_and_a_commenter_cannot_decide(
    team: Callable[..., tuple[int, dict[str, Any]]], engine: Engine
) -> None:
    ws, people = team("viewer", "commenter")
    viewer, commenter = people["viewer"], people["commenter"]
    form = {"name": "growth", "yaml": GROWTH}
    assert viewer.post(f"/w/{ws}/scenarios/new", data=form).status_code == 403
    assert viewer.get(f"/w/{ws}/scenarios/new").status_code == 403
    decision = {"scenario": "ceo_forum", "reason": "Try the forum first."}
    assert commenter.post(f"/w/{ws}/decisions", data=decision).status_code == 403
    assert written_rows(engine, ws) == {}
    with reading(engine) as db:
        assert db.scalars(select(Decision)).all() == []


def test_the_owner_decides_and_everyone_sees_who_decided_what_by_name_never_by_email(
    team: Callable[..., tuple[int, dict[str, Any]]],
) -> None:
    ws, people = team("viewer")
    ann, viewer = people["owner"], people["viewer"]
    reason = "The forum shortens escalation without moving anyone: try it first."
    assert (
        ann.post(f"/w/{ws}/decisions", data={"scenario": "ceo_forum", "reason": ""}).status_code
        == 422
    )
    unknown = {"scenario": "no_such_design", "reason": reason}
    assert ann.post(f"/w/{ws}/decisions", data=unknown).status_code == 422
    first = {"scenario": "merge_sales_marketing", "reason": "Merge first."}
    assert ann.post(f"/w/{ws}/decisions", data=first).status_code == 303
    chosen = {"scenario": "ceo_forum", "reason": reason}
    assert ann.post(f"/w/{ws}/decisions", data=chosen).status_code == 303
    listed = viewer.get(f"/w/{ws}/decisions", headers=JSON).json()["decisions"]
    assert [(d["scenario"], d["decided_by"], d["version"]) for d in listed] == [
        ("ceo_forum", "Ann", 1),
        ("merge_sales_marketing", "Ann", 1),
    ]
    html = viewer.get(f"/w/{ws}/decisions").text
    assert "Ann" in html and "ann@example.com" not in html
    assert "CEO forum" in html and reason in html
    top = viewer.get(f"/w/{ws}/scenarios", headers=JSON).json()["decision"]
    assert (top["scenario"], top["reason"], top["decided_by"]) == ("ceo_forum", reason, "Ann")
    page = viewer.get(f"/w/{ws}/scenarios").text
    assert page.index('id="decision"') < page.index('id="recommendation"')
    assert "ann@example.com" not in page


def test_the_role_without_cost_gets_the_comparison_with_cost_hidden(
    team: Callable[..., tuple[int, dict[str, Any]]],
) -> None:
    ws, people = team("viewer_no_cost")
    data = people["viewer_no_cost"].get(f"/w/{ws}/scenarios", headers=JSON).json()
    assert data["hide_cost"] is True and data["comparison"]["hide_cost"] is True
    owner = people["owner"].get(f"/w/{ws}/scenarios", headers=JSON).json()
    assert owner["hide_cost"] is False


def test_without_a_version_the_pages_say_to_upload_first_and_nothing_is_saved(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int], engine: Engine
) -> None:
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Empty")
    data = ann.get(f"/w/{ws}/scenarios", headers=JSON).json()
    assert data["comparison"] is None and "upload" in data["message"]
    assert "upload a version first" in ann.get(f"/w/{ws}/scenarios").text
    answer = ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH})
    assert answer.status_code == 409
    assert "upload" in answer.text
    assert written_rows(engine, ws) == {}
    assert ann.post(f"/w/{ws}/optimize", data={"time_limit": "1"}).status_code == 409


def test_a_written_scenario_that_does_not_apply_to_a_new_version_is_left_out_with_its_problem(
    team: Callable[..., tuple[int, dict[str, Any]]], engine: Engine, config: WebConfig
) -> None:
    ws, people = team()
    ann = people["owner"]
    assert (
        ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH}).status_code
        == 303
    )
    # a scenario written when the units were different: stored as it was, not checked now
    from orglens.web.db import transaction, utcnow

    with transaction(engine) as db:
        owner = db.scalars(select(Scenario.created_by).where(Scenario.workspace_id == ws)).one()
        db.add(Scenario(workspace_id=ws, name="old", yaml=BAD_UNIT.replace("a unit", "once"),
                        created_by=owner, updated_by=owner, updated_at=utcnow()))  # fmt: skip
    data = ann.get(f"/w/{ws}/scenarios", headers=JSON).json()
    names = [entry["name"] for entry in data["comparison"]["scenarios"]]
    assert "growth" in names and "old" not in names
    assert list(data["left_out"]) == ["old"]
    assert data["left_out"]["old"][0].startswith("scenarios/old.yaml:3:")
    page = ann.get(f"/w/{ws}/scenarios/old", headers=JSON).json()
    assert page["design"] is None and page["problems"] == data["left_out"]["old"]


def test_each_place_that_can_be_discussed_carries_its_thread_on_the_pages(
    team: Callable[..., tuple[int, dict[str, Any]]],
) -> None:
    ws, people = team("commenter")
    ann, commenter = people["owner"], people["commenter"]
    ann.post(f"/w/{ws}/scenarios/new", data={"name": "growth", "yaml": GROWTH})
    for target, body in (
        ("recommendation", "Is the merger worth the upheaval?"),
        ("finding:go_to_market_size", "The regions do share one plan."),
        ("scenario:growth", "Cheap to try."),
    ):
        said = commenter.post(
            f"/w/{ws}/comments", data={"target": target, "body": body, "next": "/"}
        )
        assert said.status_code == 303, said.text
    data = ann.get(f"/w/{ws}/scenarios", headers=JSON).json()
    threads = data["discussions"]
    targets = {"recommendation", "scenario:growth", "finding:go_to_market_size"}
    assert targets <= set(threads)
    assert {f"finding:{f['id']}" for f in data["comparison"]["findings"]} <= set(threads)
    assert threads["recommendation"]["count"] == 1
    assert threads["recommendation"]["comments"][0]["author"] == "Commenter Person"
    html = ann.get(f"/w/{ws}/scenarios").text
    slot = html.index('id="thread-recommendation"')
    assert html.index("Is the merger worth the upheaval?", slot) < html.index('id="designs"')
    finding = html.index('id="thread-finding:go_to_market_size"')
    assert "The regions do share one plan." in html[finding : finding + 3000]
    design = ann.get(f"/w/{ws}/scenarios/growth").text
    assert "Cheap to try." in design and 'id="thread-scenario:growth"' in design
    assert "commenter.person@example.com" not in html + design


def test_designs_the_data_does_not_allow_are_listed_with_the_reason(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int]
) -> None:
    """A sales-only company (the Maven CRM) showed only status_quo, with no word why."""
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Sales only")
    people = "id,manager_id,unit\nvp,,Sales\na1,vp,Sales\na2,vp,Sales\n"
    sent = ann.post(
        f"/w/{ws}/data", files={"file": ("sales.zip", zipped({"people.csv": people}), "x")}
    )
    assert sent.status_code in (200, 303), sent.text
    html = ann.get(f"/w/{ws}/scenarios").text
    skipped = ann.get(f"/w/{ws}/scenarios", headers=JSON).json()["comparison"]["skipped_designs"]
    assert "ceo_forum" in skipped
    assert "Not compared, because the data does not allow them" in html
    assert "<li>CEO forum: " in html  # the design's name, not its id
    # Only today's organization compared: no score, front or weights that say nothing.
    assert "Pareto front)" not in html and "all 1 are" not in html
    assert "No single weight change" not in html
    assert 'id="pareto"' not in html and 'href="#pareto"' not in html


def test_the_reasons_a_design_is_not_compared_speak_the_readers_language(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int]
) -> None:
    """The reasons were English on Swedish pages (they came from the core as fixed text)."""
    sven = sign_up("Sven", lang="sv")
    ws = workspace_of(sven, "Bara sälj")
    people = "id,manager_id,unit\nvp,,Sales\na1,vp,Sales\n"
    sent = sven.post(
        f"/w/{ws}/data", files={"file": ("sales.zip", zipped({"people.csv": people}), "x")}
    )
    assert sent.status_code in (200, 303), sent.text
    skipped = sven.get(f"/w/{ws}/scenarios", headers=JSON).json()["comparison"]["skipped_designs"]
    assert skipped["ceo_forum"].startswith("den kräver avdelningar för minst två av")
    assert skipped["merge_sales_marketing"].startswith("ingen avdelning är märkt")
    html = sven.get(f"/w/{ws}/scenarios").text
    assert "ingen avdelning är märkt" in html and "no department is tagged" not in html
