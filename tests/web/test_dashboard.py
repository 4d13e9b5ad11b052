"""The lens dashboard (the four lenses of a version with the report's charts, people's cost
hidden for the role that may not see it, data shown as text, never as markup) and the results
cache behind it — on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from samples_data import (
    TINY,
    demo_zip,
    distinct_demo_zip,
    people_cost_figures,
    written_numbers,
    zipped,
)
from sqlalchemy import Engine, select

from orglens.errors import Problem, UsageError
from orglens.report.charts_budget import money
from orglens.web import WebConfig, cache, results
from orglens.web.db import reading, transaction, utcnow
from orglens.web.tables import Result, Scenario, Version
from orglens.workspace import Workspace

JSON = {"accept": "application/json"}
LENSES = ["hr", "process", "budget", "customer"]
HOSTILE = (
    "id,name,manager_id,unit,cost\nceo,<script>alert(1)</script>,,{{7*7}},900\n"
    "s,Sam,ceo,sales,500\nk,Kim,ceo,marketing,400\n"
)


def upload(person: Any, ws: int, data: bytes, name: str = "demo.zip") -> None:
    answer = person.post(f"/w/{ws}/data", files={"file": (name, data, "application/zip")})
    assert answer.status_code == 303, answer.text


@pytest.fixture
def team(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int], invite: Callable[..., str]
) -> dict[str, Any]:
    """A workspace of Olga the owner, with Vera (viewer without cost) and Sven (viewer, who
    reads Swedish)."""
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    vera, sven = sign_up("Vera"), sign_up("Sven", lang="sv")
    assert vera.post(invite(owner, ws, "viewer_no_cost")).status_code == 303
    assert sven.post(invite(owner, ws, "viewer")).status_code == 303
    return {"owner": owner, "vera": vera, "sven": sven, "ws": ws}


def results_stored(engine: Engine) -> list[str]:
    with reading(engine) as db:
        return sorted(db.scalars(select(Result.key)))


def test_before_the_first_upload_the_dashboard_points_to_the_data_page(
    team: dict[str, Any],
) -> None:
    ws = team["ws"]
    twin = team["vera"].get(f"/w/{ws}/dashboard", headers=JSON).json()
    assert twin["dashboard"] is None and twin["version"] is None
    assert twin["can_upload"] is False
    page = team["owner"].get(f"/w/{ws}/dashboard")
    assert page.status_code == 200
    assert f'<a href="/w/{ws}/data">Upload the workspace' in page.text


def test_the_dashboard_shows_the_four_lenses_of_the_latest_version_with_their_charts(
    team: dict[str, Any],
) -> None:
    owner, ws = team["owner"], team["ws"]
    upload(owner, ws, demo_zip())
    upload(owner, ws, zipped(TINY), "tiny.zip")
    latest = owner.get(f"/w/{ws}/dashboard", headers=JSON).json()
    assert latest["version"]["number"] == 2 and latest["versions"] == [2, 1]
    assert latest["dashboard"]["people"] == 3
    first = owner.get(f"/w/{ws}/dashboard?version=1", headers=JSON).json()
    lenses = first["dashboard"]["lenses"]
    assert [lens["lens"] for lens in lenses] == LENSES
    assert all(lens["charts"] for lens in lenses)
    assert first["dashboard"]["people"] == 147
    shown = {f["key"]: f["value"] for f in first["figures"]["hr"]}
    assert shown["headcount"] == "147" and shown["people_cost"] == "SEK 147M"
    html = owner.get(f"/w/{ws}/dashboard?version=1").text
    assert html.count("<svg") >= 10 and "Spans of control" in html
    assert f'href="/w/{ws}/dashboard?version=2"' in html
    assert "<script" not in html.lower()
    assert owner.get(f"/w/{ws}/dashboard?version=x").status_code == 404


def test_a_member_who_reads_swedish_sees_the_lenses_in_swedish(team: dict[str, Any]) -> None:
    upload(team["owner"], team["ws"], zipped(TINY))
    html = team["sven"].get(f"/w/{team['ws']}/dashboard").text
    assert "Linsöversikt" in html and "Antal anställda" in html


def test_names_from_the_data_are_shown_as_text_never_run_as_markup_or_template(
    team: dict[str, Any],
) -> None:
    owner, ws = team["owner"], team["ws"]
    upload(owner, ws, zipped({"people.csv": HOSTILE}))
    html = owner.get(f"/w/{ws}/dashboard").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "{{7*7}}" in html
    twin = owner.get(f"/w/{ws}/dashboard", headers=JSON)
    assert twin.headers["content-type"] == "application/json"
    assert "<script>alert(1)</script>" in twin.text  # data, as JSON: never rendered as HTML


def test_the_role_without_cost_sees_no_persons_cost_in_the_dashboard_nor_in_its_json(
    team: dict[str, Any], tmp_path: Path
) -> None:
    owner, vera, ws = team["owner"], team["vera"], team["ws"]
    upload(owner, ws, distinct_demo_zip())
    with zipfile.ZipFile(io.BytesIO(distinct_demo_zip())) as archive:
        archive.extractall(tmp_path)
    org = Workspace.open(tmp_path / "demo").organization
    figures = people_cost_figures(org)
    total = round(sum(p.cost for p in org.people), 2)
    twin = vera.get(f"/w/{ws}/dashboard", headers=JSON)
    assert twin.json()["hide_cost"] is True
    assert not re.search(r'"(people_cost|total_people_cost|cost|total_cost)":', twin.text)
    numbers = {round(float(n), 2) for n in re.findall(r"-?\d+(?:\.\d+)?", twin.text)}
    assert numbers & figures == set()
    html = vera.get(f"/w/{ws}/dashboard").text
    assert written_numbers(html) & figures == set()
    assert "People&#39;s cost is hidden" in html and "People&#39;s cost</dt>" not in html
    full = owner.get(f"/w/{ws}/dashboard", headers=JSON).json()
    assert full["dashboard"]["analysis"]["hr"]["people_cost"] == total
    assert "People&#39;s cost</dt>" in owner.get(f"/w/{ws}/dashboard").text


def test_each_result_is_computed_once_per_version_and_then_read_from_the_database(
    team: dict[str, Any], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, ws = team["owner"], team["ws"]
    upload(owner, ws, zipped(TINY))
    calls: list[tuple[str, bool]] = []
    real = results.dashboard

    def counted(workspace: Workspace, lang: str = "en", hide_cost: bool = False) -> Any:
        calls.append((lang, hide_cost))
        return real(workspace, lang, hide_cost)

    monkeypatch.setattr(results, "dashboard", counted)
    for _ in range(2):
        assert owner.get(f"/w/{ws}/dashboard").status_code == 200
        assert owner.get(f"/w/{ws}/dashboard", headers=JSON).status_code == 200
        assert team["vera"].get(f"/w/{ws}/dashboard").status_code == 200
        assert owner.get(f"/w/{ws}/versions/1").status_code == 200
    assert calls == [("en", False), ("en", True)]
    assert [key.rsplit(":", 1)[0] for key in results_stored(engine)] == [
        "dashboard:en:cost",
        "dashboard:en:no-cost",
    ]


def test_a_written_scenario_changes_the_key_and_one_that_does_not_apply_is_left_out(
    team: dict[str, Any], engine: Engine, config: WebConfig
) -> None:
    owner, ws = team["owner"], team["ws"]
    upload(owner, ws, zipped(TINY))
    assert owner.get(f"/w/{ws}/dashboard").status_code == 200
    with transaction(engine) as db:
        version = db.scalars(select(Version)).one()
        olga = version.created_by
        for name, text in (("good", "operations: []\n"), ("bad", "operations:\n  - move: {}\n")):
            db.add(
                Scenario(
                    workspace_id=ws, name=name, yaml=text, created_by=olga, updated_by=olga,
                    updated_at=utcnow(),
                )
            )  # fmt: skip
    assert owner.get(f"/w/{ws}/dashboard").status_code == 200
    assert len(results_stored(engine)) == 2
    written = {"good": "operations: []\n", "bad": "operations:\n  - move: {}\n"}
    with cache.applicable(config, version, written) as opened:
        assert opened.used == ("good",)
        assert list(opened.left_out) == ["bad"]
        assert opened.left_out["bad"][0].startswith("scenarios/bad.yaml:2:")
        assert "good" in [s.name for s in opened.workspace.scenarios]


def test_a_computation_that_fails_stores_nothing_and_the_next_one_is_kept(
    team: dict[str, Any], engine: Engine
) -> None:
    upload(team["owner"], team["ws"], zipped(TINY))
    with reading(engine) as db:
        version_id = db.scalars(select(Version.id)).one()

    def failing() -> Any:
        raise UsageError(Problem("no such thing", "ask for another"))

    with pytest.raises(UsageError):
        cache.cached(engine, version_id, "test:key", failing)
    assert results_stored(engine) == []
    assert cache.cached(engine, version_id, "test:key", lambda: {"n": 1}) == {"n": 1}
    assert cache.cached(engine, version_id, "test:key", lambda: {"n": 2}) == {"n": 1}


def test_a_result_another_process_stored_first_is_read_instead_of_failing_on_the_key(
    team: dict[str, Any], engine: Engine
) -> None:
    upload(team["owner"], team["ws"], zipped(TINY))
    with reading(engine) as db:
        version_id = db.scalars(select(Version.id)).one()

    def raced() -> dict[str, int]:
        with transaction(engine) as db:  # another server process, done first
            theirs = json.dumps({"n": "theirs"})
            db.add(Result(version_id=version_id, key="k", payload=theirs, created_at=utcnow()))
        return {"n": 2}

    assert cache.cached(engine, version_id, "k", raced) == {"n": "theirs"}
    assert results_stored(engine) == ["k"]


def test_requests_of_one_process_for_the_same_result_compute_it_once(
    team: dict[str, Any], engine: Engine
) -> None:
    upload(team["owner"], team["ws"], zipped(TINY))
    with reading(engine) as db:
        version_id = db.scalars(select(Version.id)).one()
    started, calls = threading.Barrier(4), []

    def slow() -> dict[str, int]:
        calls.append(1)
        threading.Event().wait(0.2)
        return {"n": len(calls)}

    def ask() -> Any:
        started.wait()
        return cache.cached(engine, version_id, "slow", slow)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]


def test_sums_of_data_the_version_does_not_have_are_left_out_instead_of_shown_as_zero(
    team: dict[str, Any],
) -> None:
    owner, ws = team["owner"], team["ws"]
    without_cost = "id,name,manager_id,unit\nceo,Ada,,management\ns,Sam,ceo,sales\n"
    upload(owner, ws, zipped({"people.csv": without_cost}))  # no cost, budget nor revenue
    twin = owner.get(f"/w/{ws}/dashboard", headers=JSON).json()
    assert twin["dashboard"]["given"] == {"cost": False, "budget": False, "revenue": False}
    shown = {f["key"] for lens in twin["figures"].values() for f in lens}
    assert shown.isdisjoint({"people_cost", "spend", "revenue"})
    assert "headcount" in shown
    assert "EUR 0" not in owner.get(f"/w/{ws}/dashboard").text

    upload(owner, ws, zipped(TINY))  # people's cost given: its sum is a figure again
    twin = owner.get(f"/w/{ws}/dashboard", headers=JSON).json()
    assert twin["dashboard"]["given"]["cost"] is True
    hr = {f["key"]: f["value"] for f in twin["figures"]["hr"]}
    assert hr["people_cost"] == money(1800, "EUR")
