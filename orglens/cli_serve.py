"""``orglens serve``: the web workspace, on a database and a data folder of its own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orglens.errors import Problem, UsageError
from orglens.terminal import fail, guarded

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["register", "serve"]

#: The modules of the ``web`` extra (imported by ``orglens.web``).
WEB_MODULES = frozenset(
    {"starlette", "jinja2", "multipart", "python_multipart", "uvicorn", "sqlalchemy"}
    | {"alembic", "argon2", "pg8000", "markupsafe"}
)


def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL: sqlite:///FILE or postgresql://USER:PASSWORD@HOST/DB "
            "(default: sqlite:///DATA/orglens.db).",
        ),
    ] = None,
    data: Annotated[
        Path,
        typer.Option("--data", help="Folder for the uploaded workspaces (and the SQLite file)."),
    ] = Path("orglens-data"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (one per core is a good start; 1: a single process).",
        ),
    ] = 1,
) -> None:
    """Serve the web workspace: accounts, shared workspaces with roles, every page with a JSON
    twin. Migrates the database to the newest version first."""
    try:
        import uvicorn

        from orglens.web import WebConfig, create_app, prepare
        from orglens.web.app import ENVIRONMENT
    except ModuleNotFoundError as missing:
        if (missing.name or "").split(".")[0] not in WEB_MODULES:
            raise
        fail(
            UsageError(
                Problem(
                    f"the web workspace needs the web extra ({missing.name!r} is not installed)",
                    "install orglens[web]: pip install 'orglens[web]'",
                    "orglens serve",
                )
            )
        )
    config = WebConfig.at(data, db, processes=workers, warm_after_upload=True)

    def ready() -> Engine:
        try:
            return prepare(config)
        except OSError as error:
            raise UsageError(
                Problem(
                    f"cannot use the data folder ({error.strerror or error})",
                    "give a folder you can write to with --data",
                    str(data),
                )
            ) from None

    engine = guarded(ready)
    shown = f"orglens serve: http://{host}:{port}/ (data in {data}"
    if workers == 1:
        typer.echo(f"{shown})", err=True)
        app = create_app(config, engine=engine)
        uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")
        return
    # Several processes: the database was prepared once, above; each process builds its own
    # application (and engine) from the settings handed over in its environment.
    engine.dispose()
    os.environ.update(
        zip(ENVIRONMENT, (str(config.data_dir), config.db_url, str(workers)), strict=True)
    )
    typer.echo(f"{shown}, {workers} processes)", err=True)
    uvicorn.run(
        "orglens.web.app:from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        proxy_headers=True,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    """Add ``orglens serve`` to ``app``."""
    app.command("serve")(serve)
