"""A new version's results computed right after its upload (``orglens serve`` does it), and the
lock through which several server processes compute each version's results once — on SQLite
and on PostgreSQL."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from samples_data import TINY, zipped
from sqlalchemy import Engine, select
from starlette.applications import Starlette

from orglens.web import WebConfig, cache, create_app, results
from orglens.web.db import reading
from orglens.web.tables import Result, Version
from orglens.web.warm import audience, warm, warmer_for
from orglens.workspace import Workspace

JSON = {"accept": "application/json"}
#: The results a version of a workspace whose one member reads English is warmed with.
WARMED = ["comparison:en:cost", "dashboard:en:cost"]


def stored(engine: Engine) -> list[str]:
    """The results stored, each key without its scenarios' part."""
    with reading(engine) as db:
        return sorted(key.rsplit(":", 1)[0] for key in db.scalars(select(Result.key)))


def upload_tiny(owner: Any, workspace_of: Callable[[Any, str], int]) -> int:
    """A new workspace of ``owner`` with a small workspace uploaded as version 1; its id."""
    ws = workspace_of(owner, "Acme")
    sent = {"file": ("tiny.zip", zipped(TINY), "application/zip")}
    assert owner.post(f"/w/{ws}/data", files=sent).status_code == 303
    return ws


@pytest.fixture
def warming_app(config: WebConfig, engine: Engine) -> Starlette:
    return create_app(replace(config, warm_after_upload=True), engine=engine)


def test_an_upload_has_its_results_computed_before_anyone_asks(
    warming_app: Starlette,
    engine: Engine,
    browser_of: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner = browser_of(warming_app)
    form = {"name": "Olga", "email": "olga@example.com", "password": "correct horse battery"}
    assert owner.post("/signup", data={**form, "lang": "en"}).status_code == 303
    ws = upload_tiny(owner, workspace_of)
    warmer = warmer_for(warming_app)
    assert warmer is not None
    warmer.join()
    assert stored(engine) == WARMED

    computed: list[str] = []
    real = results.dashboard

    def counted(workspace: Workspace, lang: str = "en", hide_cost: bool = False) -> Any:
        computed.append(lang)
        return real(workspace, lang, hide_cost)

    monkeypatch.setattr(results, "dashboard", counted)
    assert owner.get(f"/w/{ws}/dashboard").status_code == 200
    assert owner.get(f"/w/{ws}/scenarios", headers=JSON).status_code == 200
    assert computed == []  # read back, not computed
    assert stored(engine) == WARMED


def test_a_version_is_warmed_for_each_way_its_members_see_it(
    config: WebConfig,
    engine: Engine,
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
    invite: Callable[..., str],
) -> None:
    owner = sign_up("Olga")
    ws = upload_tiny(owner, workspace_of)
    for name, lang, role in [
        ("Sven", "sv", "viewer"),
        ("Vera", "en", "viewer_no_cost"),
        ("Ebba", "en", "editor"),
    ]:
        assert sign_up(name, lang=lang).post(invite(owner, ws, role)).status_code == 303
    with reading(engine) as db:
        assert audience(db, ws) == [("en", False), ("en", True), ("sv", False)]
        version_id = db.scalars(select(Version.id)).one()
    warm(config, engine, version_id)
    assert stored(engine) == sorted(
        f"{kind}:{way}"
        for kind in ("comparison", "dashboard")
        for way in ("en:cost", "en:no-cost", "sv:cost")
    )


def test_without_warming_an_upload_computes_nothing_until_asked(
    app: Starlette,
    engine: Engine,
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
) -> None:
    upload_tiny(sign_up("Olga"), workspace_of)
    assert warmer_for(app) is None
    assert stored(engine) == []


def test_warming_a_version_that_is_gone_does_nothing(config: WebConfig, engine: Engine) -> None:
    warm(config, engine, 12345)
    assert stored(engine) == []


def test_warming_writes_nothing_for_a_version_whose_files_are_broken(
    config: WebConfig,
    engine: Engine,
    sign_up: Callable[..., Any],
    workspace_of: Callable[[Any, str], int],
) -> None:
    upload_tiny(sign_up("Olga"), workspace_of)
    with reading(engine) as db:
        version = db.scalars(select(Version)).one()
    people = next((config.data_dir / version.folder).rglob("people.csv"))
    people.write_text("id,name\n", encoding="utf-8")  # changed on disk behind the server
    with pytest.raises(Exception):  # noqa: B017 - whichever the broken files give
        warm(config, engine, version.id)
    assert stored(engine) == []


# -- the lock ------------------------------------------------------------------------------------


def test_a_versions_lock_keeps_a_second_thread_out_until_the_first_leaves(
    tmp_path: Path,
) -> None:
    inside, leave, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with cache.version_lock(tmp_path, 7):
            inside.set()
            leave.wait(30)

    def second() -> None:
        with cache.version_lock(tmp_path, 7):
            second_in.set()

    holder = threading.Thread(target=first)
    holder.start()
    assert inside.wait(30)
    waiter = threading.Thread(target=second)
    waiter.start()
    assert not second_in.wait(0.3)  # still kept out while the first holds it
    with cache.version_lock(tmp_path, 8):  # another version is not held up
        pass
    leave.set()
    holder.join(30)
    waiter.join(30)
    assert second_in.is_set()


def test_a_thread_holding_a_versions_lock_takes_it_again_without_waiting(tmp_path: Path) -> None:
    with cache.version_lock(tmp_path, 3), cache.version_lock(tmp_path, 3):
        entered = True
    assert entered


def test_a_versions_lock_held_by_another_process_is_seen_taken(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from orglens.web.cache import version_lock\n"
            "with version_lock(Path(sys.argv[1]), 5):\n"
            "    print('held', flush=True); sys.stdin.read()\n",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        lock_file = tmp_path / f"version-{5 % cache.LOCK_SLOTS}.lock"
        with lock_file.open("ab") as handle, pytest.raises(BlockingIOError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        holder.communicate("", timeout=30)
    with lock_file.open("ab") as handle:  # free once that process left its block
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
