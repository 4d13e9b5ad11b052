"""``orglens serve``: the web workspace, on a database and a data folder of its own."""

from __future__ import annotations

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
) -> None:
    """Serve the web workspace: accounts, shared workspaces with roles, every page with a JSON
    twin. Migrates the database to the newest version first."""
    try:
        import uvicorn

        from orglens.web import WebConfig, create_app, prepare
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
    config = WebConfig.at(data, db)

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
    app = create_app(config, engine=engine)
    typer.echo(f"orglens serve: http://{host}:{port}/ (data in {data})", err=True)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")


def register(app: typer.Typer) -> None:
    """Add ``orglens serve`` to ``app``."""
    app.command("serve")(serve)
