"""Optimize as a background job: queued by the page, run by the application's job runner with its
progress in the job's row, its proposal saved as the scenario ``optimized``; failures with a
message; jobs a stopped server left marked as interrupted — on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from samples_scenarios import upload_demo
from sqlalchemy import Engine, select
from starlette.applications import Starlette

from orglens.web import WebConfig, create_app
from orglens.web.db import reading, transaction, utcnow
from orglens.web.jobs import OptimizeParams, fail_interrupted, run_job, runner_for
from orglens.web.tables import Job, Member, Scenario

JSON = {"accept": "application/json"}
#: How long a test waits for a job at most before it gives up (not a timing assertion: a job
#: on the demo with a time limit of 1 s ends in a few seconds).
PATIENCE_S = 240


def owner_of(engine: Engine, ws: int) -> int:
    with reading(engine) as db:
        return db.scalars(
            select(Member.user_id).where(Member.workspace_id == ws, Member.role == "owner")
        ).one()


def add_job(engine: Engine, ws: int, status: str, **params: Any) -> int:
    """A job row of workspace ``ws`` put there directly (no runner sees it)."""
    with transaction(engine) as db:
        job = Job(
            workspace_id=ws, kind="optimize", status=status, progress=0.25, message="",
            params={"version": 1, "lang": "en"} | params, result=None,
            created_by=owner_of(engine, ws), created_at=utcnow(),
        )  # fmt: skip
        db.add(job)
        db.flush()
        return job.id


def job_row(engine: Engine, job_id: int) -> Job:
    with reading(engine) as db:
        found = db.get(Job, job_id)
        assert found is not None
        return found


def written(engine: Engine, ws: int) -> dict[str, str]:
    with reading(engine) as db:
        rows = db.scalars(select(Scenario).where(Scenario.workspace_id == ws))
        return {row.name: row.yaml for row in rows}


@pytest.fixture
def acme(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    engine: Engine,
    config: WebConfig,
) -> tuple[int, Any]:
    """Ann's workspace with the demo as its first version; her browser."""
    ann = sign_up("Ann")
    ws = workspace_of(ann, "Acme")
    upload_demo(engine, config, ws)
    return ws, ann


def test_an_optimize_job_runs_to_done_and_its_proposal_joins_the_comparison(
    acme: tuple[int, Any], engine: Engine
) -> None:
    ws, ann = acme
    started = ann.post(f"/w/{ws}/optimize", data={"time_limit": "1", "seed": "3", "save": "1"})
    assert started.status_code == 303
    page = started.headers["location"]
    job_id = int(page.rsplit("/", 1)[1])
    assert page == f"/w/{ws}/jobs/{job_id}"
    deadline = time.monotonic() + PATIENCE_S
    while job_row(engine, job_id).status in ("queued", "running"):
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.2)
    twin = ann.get(page, headers=JSON).json()
    assert (twin["status"], twin["message"]) == (
        "done",
        f"{len(twin['result']['teams'])} teams proposed",
    )
    assert twin["progress"] == 1.0 and twin["refresh"] is False
    assert twin["params"]["seed"] == 3 and twin["params"]["time_limit"] == 1.0
    result = twin["result"]
    assert result["saved_as"] == "optimized" and result["version"] == 1
    everyone = sorted(person for people in result["teams"].values() for person in people)
    assert everyone == sorted(result["assignment"])
    html = ann.get(page).text
    assert "<progress" in html and 'http-equiv="refresh"' not in html
    assert "optimized" in written(engine, ws)
    assert "teams:" in written(engine, ws)["optimized"]
    compared = ann.get(f"/w/{ws}/scenarios", headers=JSON).json()
    names = {entry["name"]: entry for entry in compared["comparison"]["scenarios"]}
    assert names["optimized"]["written"] is True
    assert compared["jobs"][0]["id"] == job_id


def test_a_job_without_saving_leaves_the_scenarios_alone(
    acme: tuple[int, Any], engine: Engine, config: WebConfig
) -> None:
    ws, _ = acme
    job_id = add_job(engine, ws, "queued", time_limit=1.0, save=False)
    run_job(engine, config, job_id)
    done = job_row(engine, job_id)
    assert done.status == "done" and done.finished_at is not None
    assert done.result is not None and done.result["saved_as"] is None
    assert written(engine, ws) == {}


def test_a_job_whose_constraints_cannot_be_met_fails_with_a_message_a_person_can_act_on(
    acme: tuple[int, Any], engine: Engine, config: WebConfig
) -> None:
    ws, ann = acme
    job_id = add_job(engine, ws, "queued", time_limit=1.0, min_team=60.0, max_team=60.0)
    run_job(engine, config, job_id)
    failed = job_row(engine, job_id)
    assert failed.status == "failed" and failed.result is None
    assert failed.message and "—" in failed.message  # what is wrong — how to fix it
    assert "<input>" not in failed.message
    twin = ann.get(f"/w/{ws}/jobs/{job_id}", headers=JSON).json()
    assert twin["status"] == "failed" and twin["message"] == failed.message
    assert written(engine, ws) == {}


def test_a_job_that_is_not_queued_any_more_is_not_run_again(
    acme: tuple[int, Any], engine: Engine, config: WebConfig
) -> None:
    ws, _ = acme
    job_id = add_job(engine, ws, "failed")
    run_job(engine, config, job_id)
    assert job_row(engine, job_id).status == "failed"


def test_a_running_jobs_page_refreshes_itself_and_a_finished_ones_does_not(
    acme: tuple[int, Any], engine: Engine, app: Starlette
) -> None:
    ws, ann = acme
    runner_for(app)  # started: the rows below are this server's own
    running = add_job(engine, ws, "running")
    html = ann.get(f"/w/{ws}/jobs/{running}").text
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress value="0.25" max="1">' in html
    assert ann.get(f"/w/{ws}/jobs/{running}", headers=JSON).json()["refresh"] is True
    # one optimize at a time per workspace
    assert ann.post(f"/w/{ws}/optimize", data={"time_limit": "1"}).status_code == 409
    failed = add_job(engine, ws, "failed")
    assert 'http-equiv="refresh"' not in ann.get(f"/w/{ws}/jobs/{failed}").text


def test_jobs_a_stopped_server_left_are_marked_failed_when_the_next_one_starts_its_runner(
    acme: tuple[int, Any], engine: Engine, config: WebConfig, browser_of: Callable[..., Any]
) -> None:
    ws, ann = acme
    running, queued = add_job(engine, ws, "running"), add_job(engine, ws, "queued")
    done = add_job(engine, ws, "done")
    restarted = create_app(config, engine=engine)
    page = browser_of(restarted)
    page.cookies = ann.cookies
    twin = page.get(f"/w/{ws}/jobs/{running}", headers=JSON).json()
    assert (twin["status"], twin["message"]) == (
        "failed",
        "interrupted by a restart — run it again",
    )
    assert job_row(engine, queued).status == "failed"
    assert job_row(engine, queued).finished_at is not None
    assert job_row(engine, done).status == "done"
    assert fail_interrupted(engine) == 0  # nothing left to mark


def test_one_of_several_server_processes_leaves_the_others_running_jobs_alone(
    acme: tuple[int, Any], engine: Engine, config: WebConfig, browser_of: Callable[..., Any]
) -> None:
    ws, ann = acme
    running = add_job(engine, ws, "running")  # another process's, under way
    second = create_app(replace(config, processes=2), engine=engine)
    page = browser_of(second)
    page.cookies = ann.cookies
    runner_for(second)
    assert job_row(engine, running).status == "running"
    assert page.get(f"/w/{ws}/jobs/{running}", headers=JSON).json()["status"] == "running"


def test_a_job_interrupted_for_a_swedish_speaker_says_so_in_swedish(
    acme: tuple[int, Any], engine: Engine
) -> None:
    ws, _ = acme
    job_id = add_job(engine, ws, "running", lang="sv")
    assert fail_interrupted(engine) == 1
    assert job_row(engine, job_id).message == "avbrutet av en omstart — kör det igen"


def test_another_workspaces_job_is_not_found(
    acme: tuple[int, Any],
    engine: Engine,
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
) -> None:
    ws, ann = acme
    other = workspace_of(ann, "Other")
    theirs = add_job(engine, other, "done")
    assert ann.get(f"/w/{ws}/jobs/{theirs}").status_code == 404
    assert ann.get(f"/w/{other}/jobs/{theirs}").status_code == 200
    bob = sign_up("Bob")
    assert bob.get(f"/w/{other}/jobs/{theirs}").status_code == 404


@pytest.mark.parametrize(
    "form",
    [
        {"time_limit": "301"},
        {"time_limit": "0"},
        {"time_limit": "soon"},
        {"teams": "2.5"},
        {"min_team": "9", "max_team": "3"},
        {"seed": "-1"},
    ],
)
def test_options_out_of_range_are_refused_and_nothing_is_queued(
    acme: tuple[int, Any], engine: Engine, form: dict[str, str]
) -> None:
    ws, ann = acme
    assert ann.post(f"/w/{ws}/optimize", data=form).status_code == 422
    with reading(engine) as db:
        assert db.scalars(select(Job).where(Job.workspace_id == ws)).all() == []


def test_the_parameters_of_a_job_read_back_as_they_were_written() -> None:
    params = OptimizeParams(version=2, teams=4, min_team=3.0, time_limit=5.0, save=False)
    assert OptimizeParams.from_dict(params.to_dict() | {"unknown": 1}) == params
