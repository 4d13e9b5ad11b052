"""The database and start-up: migrations, engines from URLs, and ``orglens serve``'s checks."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from orglens.cli import app as cli
from orglens.errors import UsageError
from orglens.web import WebConfig
from orglens.web.db import (
    current_revision,
    downgrade,
    engine_for,
    head_revision,
    migrate,
    require_reachable,
    transaction,
    utcnow,
)
from orglens.web.tables import Base, Version

TABLES = {
    "users", "sessions", "sign_in_attempts", "workspaces", "members", "invitations", "versions",
    "scenarios", "results", "comments", "decisions", "jobs",
}  # fmt: skip


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_prepare_brings_an_empty_database_to_the_newest_revision(engine: Engine) -> None:
    assert current_revision(engine) == head_revision() == "0001"
    assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}


def test_the_migrations_make_exactly_the_tables_the_code_declares(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrating_again_changes_nothing_and_down_and_up_again_works(engine: Engine) -> None:
    migrate(engine)
    assert current_revision(engine) == "0001"
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}


def test_a_failed_write_leaves_nothing_behind(engine: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as db:
        db.execute(text("INSERT INTO sign_in_attempts (key, at) VALUES ('k', '2026-01-01')"))
        raise RuntimeError("killed halfway")
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM sign_in_attempts")) == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_a_version_of_a_workspace_that_does_not_exist_is_refused(engine: Engine) -> None:
    # pg8000 reports a foreign key violation as a ProgrammingError (a unique one as an
    # IntegrityError): DBAPIError covers both drivers.
    with pytest.raises(DBAPIError, match=r"(?i)foreign key"), transaction(engine) as db:
        db.add(
            Version(
                workspace_id=999, number=1, kind="zip", filename="a.zip", sha256="0" * 64,
                size=1, folder="workspaces/999/v1", created_by=999, created_at=utcnow(),
            )
        )  # fmt: skip
        db.flush()


def test_a_postgresql_url_uses_the_pg8000_driver() -> None:
    for url in ("postgresql://ann@db/orglens", "postgres://ann@db/orglens"):
        assert engine_for(url).url.drivername == "postgresql+pg8000"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "'not a url' is not a database URL — give sqlite:///FILE or postgresql://"),
        ("mysql://ann@db/x", "orglens does not store data in 'mysql'"),
        ("sqlite://", "names no database file — give sqlite:///FILE"),
    ],
)
def test_a_url_of_no_database_orglens_uses_is_a_usage_error(url: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        engine_for(url)
    assert str(raised.value).startswith("--db: ")
    assert message in str(raised.value)


def test_an_unreachable_database_is_named_without_its_password() -> None:
    url = f"postgresql://ann:s3cret@127.0.0.1:{closed_port()}/orglens"
    with pytest.raises(UsageError) as raised:
        require_reachable(engine_for(url), url)
    message = str(raised.value)
    assert "cannot reach the database postgresql://ann:***@127.0.0.1" in message
    assert "s3cret" not in message and "\n" not in message


def test_serve_migrates_removes_orphans_and_then_listens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    data = tmp_path / "data"
    (data / "tmp" / "half-unpacked").mkdir(parents=True)
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options, app=app))
    result = CliRunner().invoke(cli, ["serve", "--data", str(data), "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert (ran["host"], ran["port"]) == ("127.0.0.1", 8765)
    assert (data / "orglens.db").is_file() and not (data / "tmp" / "half-unpacked").exists()
    engine = engine_for(f"sqlite:///{data / 'orglens.db'}")
    assert current_revision(engine) == "0001"
    engine.dispose()
    assert ran["app"].state.config == WebConfig.at(data, warm_after_upload=True)


def test_serve_with_workers_prepares_once_and_hands_its_settings_to_every_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from orglens.web.app import ENVIRONMENT, from_environment

    data = tmp_path / "data"
    (data / "tmp" / "half-unpacked").mkdir(parents=True)
    for name in ENVIRONMENT:  # what serve sets is undone after the test
        monkeypatch.setenv(name, "")
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options, app=app))
    result = CliRunner().invoke(cli, ["serve", "--data", str(data), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "2 processes" in result.output
    assert ran["app"] == "orglens.web.app:from_environment"
    assert (ran["factory"], ran["workers"]) == (True, 2)
    assert not (data / "tmp" / "half-unpacked").exists()  # cleaned up before they start
    made = from_environment()  # what each process does
    db_url = f"sqlite:///{data / 'orglens.db'}"
    assert made.state.config == WebConfig.at(data, db_url, processes=2, warm_after_upload=True)
    made.state.engine.dispose()


@pytest.mark.parametrize(
    ("db", "says"),
    [
        ("mysql://x@y/z", "--db: orglens does not store data in 'mysql'"),
        ("postgresql://ann:s3cret@127.0.0.1:{port}/x", "--db: cannot reach the database"),
    ],
)
def test_serve_with_a_bad_database_exits_2_with_one_line(
    tmp_path: Path, db: str, says: str
) -> None:
    url = db.format(port=closed_port())
    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path), "--db", url])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(says) and "s3cret" not in lines[0]


def test_serve_without_the_web_extra_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "install orglens[web]" in result.stderr and "'uvicorn'" in result.stderr
