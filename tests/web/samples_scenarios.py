"""Authorization samples of the scenario pages (merged into test_authz.py's tables): a written
scenario and a finished optimize job made in a workspace, and a valid form for each POST; and
:func:`upload_demo`, a version of the demo for the scenario pages' tests."""

from __future__ import annotations

import io
import secrets
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from orglens.web.config import WebConfig
from orglens.web.db import transaction, utcnow
from orglens.web.tables import Job, Member, Scenario, Version
from orglens.web.upload import unpack

SCENARIO_YAML = "description: a sample\noperations: []\n"


def _owner(world: Any, ws: int) -> int:
    with transaction(world.engine) as db:
        owner = db.scalars(
            select(Member.user_id).where(Member.workspace_id == ws, Member.role == "owner")
        ).first()
        assert owner is not None
        return owner


def written_scenario(world: Any, ws: int) -> str:
    """A scenario written in workspace ``ws``; its name."""
    name = f"sample_{secrets.token_hex(4)}"
    owner = _owner(world, ws)
    with transaction(world.engine) as db:
        db.add(
            Scenario(
                workspace_id=ws, name=name, yaml=SCENARIO_YAML, created_by=owner,
                updated_by=owner, updated_at=utcnow(),
            )
        )  # fmt: skip
    return name


def finished_job(world: Any, ws: int) -> str:
    """An optimize job of workspace ``ws`` that has failed; its id."""
    now = utcnow()
    with transaction(world.engine) as db:
        job = Job(
            workspace_id=ws, kind="optimize", status="failed", progress=0.0, message="sample",
            params={"version": 1}, result=None, created_by=_owner(world, ws), created_at=now,
            finished_at=now,
        )  # fmt: skip
        db.add(job)
        db.flush()
        return str(job.id)


PATH_SAMPLES = {"scenario": written_scenario, "job": finished_job}

FORM_SAMPLES: dict[str, dict[str, str]] = {
    "/w/{ws:int}/scenarios/new": {"name": "sample_new", "yaml": SCENARIO_YAML},
    "/w/{ws:int}/scenarios/{scenario}/edit": {"yaml": SCENARIO_YAML},
    "/w/{ws:int}/decisions": {"scenario": "status_quo", "reason": "a sample reason"},
    "/w/{ws:int}/optimize": {"time_limit": "1", "save": "1"},
}


# -- a version of the demo, for the scenario pages' tests ----------------------------------------

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@cache
def demo_zip() -> bytes:
    """``examples/demo`` as a browser would upload it: a .zip of the folder."""
    sent = io.BytesIO()
    with zipfile.ZipFile(sent, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(DEMO.iterdir()):
            if path.is_file():
                archive.write(path, f"demo/{path.name}")
    return sent.getvalue()


def upload_demo(engine: Engine, config: WebConfig, ws: int, number: int = 1) -> None:
    """Version ``number`` of workspace ``ws``: the demo, unpacked where an upload puts it, and
    its ``versions`` row (uploaded by the workspace's owner)."""
    folder = config.version_folder(ws, number)
    into = config.data_dir / folder
    unpacked = unpack(io.BytesIO(demo_zip()), "demo.zip", into)
    unpacked.folder.rename(into)
    with transaction(engine) as db:
        owner = db.scalars(
            select(Member.user_id).where(Member.workspace_id == ws, Member.role == "owner")
        ).first()
        assert owner is not None
        db.add(
            Version(
                workspace_id=ws, number=number, kind="zip", filename="demo.zip",
                sha256=unpacked.sha256, size=unpacked.size, folder=folder, created_by=owner,
                created_at=utcnow(),
            )
        )  # fmt: skip
