"""The data pages: uploading versions (numbered per workspace, refused with every problem beside
its file and line, nothing stored then), a version's page and its report as a download — on
SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from sqlalchemy import Engine, func, select
from starlette.applications import Starlette

from orglens.web import WebConfig, create_app, prepare, results
from orglens.web.db import reading
from orglens.web.pages_data import store_version
from orglens.web.tables import User, Version
from orglens.web.upload import unpack
from orglens.workspace import Workspace

JSON = {"accept": "application/json"}
ROLES = ("editor", "commenter", "viewer", "viewer_no_cost")


def upload(person: Any, ws: int, data: bytes, name: str = "demo.zip", **kwargs: Any) -> Any:
    return person.post(f"/w/{ws}/data", files={"file": (name, data, "application/zip")}, **kwargs)


def stored(engine: Engine, config: WebConfig) -> tuple[int, list[Path]]:
    """The version rows, and what is on disk under the data folder (the database aside)."""
    with reading(engine) as db:
        rows = db.scalar(select(func.count()).select_from(Version)) or 0
    files = sorted(p for p in config.data_dir.rglob("*") if not p.name.startswith("orglens.db"))
    return rows, [p for p in files if p.is_file()]


@pytest.fixture
def team(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int], invite: Callable[..., str]
) -> dict[str, Any]:
    """A workspace of Olga the owner, with a member in each other role."""
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    people = {"owner": owner, "ws": ws}
    for role in ROLES:
        person = sign_up(role.replace("_", " ").title())
        assert person.post(invite(owner, ws, role)).status_code == 303
        people[role] = person
    return people


def test_the_demo_uploaded_twice_becomes_versions_1_and_2_kept_with_name_size_and_uploader(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    first = upload(owner, ws, demo_zip())
    assert first.status_code == 303, first.text
    assert first.headers["location"] == f"/w/{ws}/versions/1"
    second = upload(owner, ws, demo_zip(), "demo again.zip", headers=JSON)
    assert second.status_code == 201
    assert second.json()["version"]["number"] == 2
    listed = owner.get(f"/w/{ws}/data", headers=JSON).json()["versions"]
    assert [v["number"] for v in listed] == [2, 1]
    assert [v["filename"] for v in listed] == ["demo again.zip", "demo.zip"]
    assert {v["size"] for v in listed} == {len(demo_zip())}
    assert {v["created_by"] for v in listed} == {"Olga"}
    assert listed[0]["sha256_short"] == listed[0]["sha256"][:12]
    for number in (1, 2):
        assert (config.data_dir / f"workspaces/{ws}/v{number}/demo/people.csv").is_file()
    assert list(config.tmp_dir.iterdir()) == []
    page = owner.get(f"/w/{ws}/data").text
    assert "demo again.zip" in page and 'enctype="multipart/form-data"' in page


def test_a_file_name_is_shown_literally_never_as_markup(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int]
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    assert upload(owner, ws, zipped(TINY), "<b>{{7*7}}</b>.zip").status_code == 303
    page = owner.get(f"/w/{ws}/data").text
    assert "&lt;b&gt;{{7*7}}&lt;/b&gt;.zip" in page
    assert "<b>" not in page


def test_an_upload_of_several_mebibytes_streams_through_to_its_version(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    noise = random.Random(7).randbytes(3 * 2**20)  # does not compress: a 3 MiB upload
    answer = upload(owner, ws, zipped(TINY | {"notes.bin": noise}), headers=JSON)
    assert answer.status_code == 201
    assert answer.json()["version"]["size"] > 3 * 2**20
    assert (config.data_dir / f"workspaces/{ws}/v1/acme/notes.bin").read_bytes() == noise


def bomb() -> bytes:
    """A zip of one file of 20 MiB of zeros: it inflates about a thousand times."""
    sent = io.BytesIO()
    with zipfile.ZipFile(sent, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("acme/people.csv", TINY["people.csv"])
        archive.writestr("acme/events.csv", b"\0" * (20 * 2**20))
    return sent.getvalue()


@pytest.mark.parametrize(
    ("made", "said"),
    [
        (lambda: zipped(TINY | {"../../escape.csv": "x"}), "leads out of the folder"),
        (lambda: zipped(TINY, "") + b"", None),  # the control: a zip at its root is fine
        (bomb, "a zip bomb"),
        (lambda: b"not a zip at all", "is not a zip archive"),
    ],
    ids=["traversal", "root", "bomb", "not a zip"],
)
def test_a_hostile_zip_is_refused_with_its_message_and_leaves_nothing_on_disk_or_in_the_db(
    made: Callable[[], bytes],
    said: str | None,
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    answer = upload(owner, ws, made(), "acme.zip", headers=JSON)
    if said is None:
        assert answer.status_code == 201
        return
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert said in problem["what"] and problem["file"] == "acme.zip" and problem["fix"]
    assert answer.json()["versions"] == []
    assert stored(engine, config) == (0, [])
    page = upload(owner, ws, made(), "acme.zip")
    assert page.status_code == 422
    assert "acme.zip" in page.text and said in page.text.replace("&#39;", "'")


def test_a_bad_people_csv_is_shown_problem_by_problem_beside_its_file_and_line(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    people = "id,manager_id,unit\nceo,,management\ns,ceo,sales\ns,ceo,sales\nk,nobody,marketing\n"
    answer = upload(owner, ws, zipped({"people.csv": people}), headers=JSON)
    assert answer.status_code == 422
    found = {(p["file"], p["line"]) for p in answer.json()["problems"]}
    assert ("people.csv", 4) in found  # the second 's'
    assert ("people.csv", 5) in found  # a manager who does not exist
    assert stored(engine, config) == (0, [])
    page = upload(owner, ws, zipped({"people.csv": people})).text
    assert '<td class="literal">people.csv</td>\n    <td>4</td>' in page
    assert "Nothing was stored" in page


def test_an_upload_past_the_limit_is_refused_before_it_is_read(
    config: WebConfig,
    engine: Engine,
    browser_of: Callable[..., Any],
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    small: Starlette = create_app(
        dataclasses.replace(config, max_upload_bytes=100_000), engine=engine
    )
    visitor = browser_of(small)
    visitor.cookies = owner.cookies
    answer = upload(visitor, ws, demo_zip())
    assert answer.status_code == 413
    assert stored(engine, config) == (0, [])
    assert upload(visitor, ws, zipped(TINY)).status_code == 303


@pytest.mark.parametrize("role", ["viewer", "viewer_no_cost", "commenter"])
def test_a_member_who_may_not_edit_cannot_upload(
    role: str, team: dict[str, Any], config: WebConfig, engine: Engine
) -> None:
    ws = team["ws"]
    answer = upload(team[role], ws, zipped(TINY))
    assert answer.status_code == 403
    assert stored(engine, config) == (0, [])
    assert "multipart/form-data" not in team[role].get(f"/w/{ws}/data").text
    assert upload(team["editor"], ws, zipped(TINY)).status_code == 303


def test_two_uploads_at_once_take_numbers_one_after_the_other(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    with reading(engine) as db:
        user = db.scalars(select(User.id).where(User.email == "olga@example.com")).one()
    config.tmp_dir.mkdir(parents=True)
    unpacked = [
        unpack(io.BytesIO(zipped(TINY)), "acme.zip", config.tmp_dir / f"u{n}") for n in range(4)
    ]
    with ThreadPoolExecutor(4) as pool:
        kept = list(pool.map(lambda u: store_version(engine, config, ws, user, u), unpacked))
    assert sorted(v.number for v in kept) == [1, 2, 3, 4]
    for version in kept:
        assert (config.data_dir / version.folder / "acme" / "people.csv").is_file()


def test_a_version_page_lists_its_files_its_warnings_and_links_to_its_dashboard_and_report(
    team: dict[str, Any],
) -> None:
    owner, ws = team["owner"], team["ws"]
    assert upload(owner, ws, demo_zip()).status_code == 303
    data = team["viewer"].get(f"/w/{ws}/versions/1", headers=JSON).json()
    files = {f["path"]: f["size"] for f in data["files"]}
    assert files["people.csv"] == (Path("examples/demo/people.csv")).stat().st_size
    assert "events.csv" in files and "orglens.yaml" in files
    assert any("have no resource" in w for w in data["summary"]["warnings"])
    assert data["summary"]["people"] == 147
    assert data["version"]["created_by"] == "Olga"
    html = team["viewer"].get(f"/w/{ws}/versions/1").text
    assert f'href="/w/{ws}/dashboard?version=1"' in html
    assert f'href="/w/{ws}/versions/1/report?lang=sv&amp;format=html"' in html
    assert "have no resource" in html


def test_another_workspaces_version_is_not_found(
    sign_up: Callable[..., Any], workspace_of: Callable[[Any, str], int]
) -> None:
    owner = sign_up("Olga")
    mine, other = workspace_of(owner, "Mine"), workspace_of(owner, "Other")
    assert upload(owner, other, zipped(TINY)).status_code == 303
    for path in ("versions/1", "versions/1/report", "versions/1/report?format=html"):
        assert owner.get(f"/w/{mine}/{path}").status_code == 404
        assert owner.get(f"/w/{other}/{path}").status_code == 200
    assert owner.get(f"/w/{mine}/dashboard?version=1").status_code == 404
    assert owner.get(f"/w/{mine}/versions/2", headers=JSON).status_code == 404
    assert owner.get(f"/w/{other}/versions/{10**20}", headers=JSON).status_code == 404


def test_the_report_downloads_as_html_for_every_role_and_without_cost_for_viewer_no_cost(
    team: dict[str, Any], tmp_path: Path
) -> None:
    ws = team["ws"]
    assert upload(team["owner"], ws, distinct_demo_zip()).status_code == 303
    with zipfile.ZipFile(io.BytesIO(distinct_demo_zip())) as archive:
        archive.extractall(tmp_path)
    figures = people_cost_figures(Workspace.open(tmp_path / "demo").organization)
    for role in ("owner", *ROLES):
        answer = team[role].get(f"/w/{ws}/versions/1/report?lang=sv&format=html")
        assert answer.status_code == 200, role
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        disposition = answer.headers["content-disposition"]
        assert disposition == 'attachment; filename="orglens-report-v1-sv.html"'
        assert answer.text.startswith("<!doctype html>") or answer.text.startswith("<!DOCTYPE")
        assert 'lang="sv"' in answer.text[:200]
        if role == "viewer_no_cost":
            assert written_numbers(answer.text) & figures == set()
    twin = team["viewer_no_cost"].get(f"/w/{ws}/versions/1/report", headers=JSON).json()
    assert twin["hide_cost"] is True
    assert [link["lang"] for link in twin["report"]["links"]] == ["en", "sv"]


def test_a_report_in_an_unknown_language_or_format_is_a_clear_400(team: dict[str, Any]) -> None:
    owner, ws = team["owner"], team["ws"]
    assert upload(owner, ws, zipped(TINY)).status_code == 303
    assert owner.get(f"/w/{ws}/versions/1/report?lang=de").status_code == 400
    assert owner.get(f"/w/{ws}/versions/1/report?format=docx").status_code == 400


def test_a_pdf_where_the_server_cannot_print_answers_501_pointing_to_the_html(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, ws = team["owner"], team["ws"]
    assert upload(owner, ws, zipped(TINY)).status_code == 303
    monkeypatch.setattr(results, "can_print_pdf", lambda: False)
    answer = owner.get(f"/w/{ws}/versions/1/report?lang=en&format=pdf")
    assert answer.status_code == 501
    assert "no Chromium is installed" in answer.text
    assert f'href="/w/{ws}/versions/1/report?lang=en"' in answer.text
    assert "format=pdf" not in owner.get(f"/w/{ws}/versions/1").text


@pytest.mark.skipif(not results.can_print_pdf(), reason="no Chromium on this machine")
def test_a_pdf_is_printed_where_the_server_can(team: dict[str, Any]) -> None:
    owner, ws = team["owner"], team["ws"]
    assert upload(owner, ws, zipped(TINY)).status_code == 303
    answer = team["viewer_no_cost"].get(f"/w/{ws}/versions/1/report?lang=en&format=pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert "attachment" in answer.headers["content-disposition"]


def test_what_a_kill_halfway_through_an_upload_leaves_is_removed_at_start_up(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
    engine: Engine,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    assert upload(owner, ws, zipped(TINY)).status_code == 303
    # Killed while unpacking: the upload's folder under DATA/tmp, as the handler makes it.
    config.tmp_dir.mkdir(parents=True, exist_ok=True)
    unpacking = config.tmp_dir / "upload-killed"
    unpack(io.BytesIO(zipped(TINY)), "acme.zip", unpacking / "version")
    # Killed between the rename into place and the commit: a version folder without its row.
    renamed = unpack(io.BytesIO(zipped(TINY)), "acme.zip", config.tmp_dir / "x" / "version")
    renamed.folder.rename(config.data_dir / config.version_folder(ws, 2))
    prepare(config).dispose()
    assert list(config.tmp_dir.iterdir()) == []
    assert sorted(p.name for p in (config.workspaces_dir / str(ws)).iterdir()) == ["v1"]
    assert upload(owner, ws, zipped(TINY), headers=JSON).json()["version"]["number"] == 2


def test_a_number_whose_folder_a_failed_upload_left_on_disk_is_skipped_not_overwritten(
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    config: WebConfig,
) -> None:
    owner = sign_up("Olga")
    ws = workspace_of(owner, "Acme")
    left = config.data_dir / config.version_folder(ws, 1)
    left.mkdir(parents=True)
    (left / "half.csv").write_text("x")
    assert upload(owner, ws, zipped(TINY), headers=JSON).json()["version"]["number"] == 2
    assert (left / "half.csv").read_text() == "x"
