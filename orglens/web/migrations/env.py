"""Alembic's environment: runs the migrations on the connection ``orglens.web.db`` hands over.

The ``alembic`` command line works too: ``alembic -x db=URL upgrade head`` with a config whose
``script_location`` is this folder.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from orglens.web.tables import Base


def run() -> None:
    """Run the migrations Alembic asked for, in one transaction."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        from orglens.web.db import engine_for

        url = context.get_x_argument(as_dictionary=True).get("db")
        url = url or context.config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("give the database: alembic -x db=URL ...")
        with engine_for(url).begin() as opened:
            _run_on(opened)
        return
    _run_on(connection)


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite changes tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


# Imported outside Alembic (the doctest collection imports every module): nothing to run.
if hasattr(context, "config"):
    run()
