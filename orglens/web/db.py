"""The database: an engine from a URL, migrations to head, transactions, start-up housekeeping.

``sqlite:///FILE`` (the default) runs in WAL mode with foreign keys on and a busy timeout, and a
write transaction takes the write lock when it begins (``BEGIN IMMEDIATE``), so that two writers
wait for each other instead of failing halfway. ``postgresql://`` uses the pg8000 driver.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from orglens.errors import Problem, UsageError
from orglens.web.config import WebConfig
from orglens.web.tables import Version

__all__ = [
    "MIGRATIONS",
    "current_revision",
    "downgrade",
    "engine_for",
    "head_revision",
    "migrate",
    "reachable",
    "reading",
    "remove_orphans",
    "require_reachable",
    "shown_url",
    "transaction",
    "utcnow",
]

#: The Alembic script folder shipped in the package.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_URL_FIX = "give sqlite:///FILE or postgresql://USER:PASSWORD@HOST/DATABASE"
_WRITE = "orglens_write"


def utcnow() -> datetime:
    """Now, in UTC without a time zone (as every table keeps times)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _parsed(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(Problem(f"{url!r} is not a database URL", _URL_FIX, "--db")) from None
    backend = parsed.drivername.split("+")[0]
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+pg8000")
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise UsageError(
                Problem(f"{url!r} names no database file", "give sqlite:///FILE", "--db")
            )
        return parsed.set(drivername="sqlite")
    raise UsageError(Problem(f"orglens does not store data in {backend!r}", _URL_FIX, "--db"))


def shown_url(url: str) -> str:
    """``url`` with its password hidden, as messages show it.

    >>> shown_url("postgresql://ann:secret@db/orglens")
    'postgresql://ann:***@db/orglens'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def engine_for(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///FILE`` or ``postgresql://...``).

    Raises
    ------
    UsageError
        When ``url`` is not a URL of a database orglens stores data in.
    """
    parsed = _parsed(url)
    try:
        if parsed.drivername == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_connected)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except NoSuchModuleError:
        raise UsageError(Problem(f"no driver for {shown_url(url)}", _URL_FIX, "--db")) from None


def _sqlite_connected(connection: Any, _record: object) -> None:
    # Transactions are begun by _sqlite_begin, not by the driver (which would begin them late).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end of the block, or not at all."""
    writer = engine.execution_options(**{_WRITE: True})
    with Session(writer, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reading (one consistent snapshot; nothing it does is committed)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` of the packaged migrations (the newest by default)."""
    from alembic import command

    with engine.execution_options(**{_WRITE: True}).begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database down to ``revision`` (``"base"``: no tables at all)."""
    from alembic import command

    with engine.execution_options(**{_WRITE: True}).begin() as connection:
        command.downgrade(_alembic_config(connection), revision)


def head_revision() -> str:
    """The newest revision of the packaged migrations."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine, connection: Connection | None = None) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    if connection is not None:
        return MigrationContext.configure(connection).get_current_revision()
    with engine.connect() as fresh:
        return MigrationContext.configure(fresh).get_current_revision()


def reachable(engine: Engine) -> bool:
    """Whether ``SELECT 1`` works."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DBAPIError, OSError):
        return False
    return True


def require_reachable(engine: Engine, url: str) -> None:
    """:class:`UsageError` saying why the database at ``url`` cannot be reached, if it cannot."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise UsageError(
            Problem(
                f"cannot reach the database {shown_url(url)} ({reason})",
                "start the database, check the URL, or give another --db",
                "--db",
            )
        ) from None


def remove_orphans(engine: Engine, config: WebConfig) -> list[Path]:
    """Remove what a kill mid-upload leaves: ``DATA/tmp``'s contents, and version folders
    (``DATA/workspaces/<id>/v<n>``) that no ``versions`` row names. Returns what it removed."""
    with reading(engine) as session:
        known = {config.data_dir / folder for folder in session.scalars(select(Version.folder))}
    removed: list[Path] = []
    if config.tmp_dir.is_dir():
        removed.extend(sorted(config.tmp_dir.iterdir()))
    if config.workspaces_dir.is_dir():
        removed.extend(
            folder
            for folder in sorted(config.workspaces_dir.glob("*/v*"))
            if folder.is_dir() and folder not in known
        )
        # what an unpack straight into a workspace folder left (.vN.<random>.upload, .part)
        removed.extend(
            path
            for path in sorted(config.workspaces_dir.glob("*/.*"))
            if path.name.endswith((".upload", ".part"))
        )
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    return removed
