"""``orglens init``: a new workspace, its files documented, the mapping guessed from an export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orglens.terminal import guarded, literal, plain_console, warn

__all__ = ["init", "register"]


def init(
    folder: Annotated[Path, typer.Argument(help="The folder to write the workspace to.")],
    export: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="An HR export (.csv or .xlsx): it becomes people.csv, with the column mapping "
            "guessed from its headers in orglens.yaml.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files the folder already has.")
    ] = False,
) -> None:
    """Write a workspace skeleton: every file with its header, a README on each column, and a
    commented orglens.yaml."""
    from orglens.io.init import write_skeleton

    skeleton = guarded(lambda: write_skeleton(folder, export=export, force=force))
    out = plain_console()
    out.soft_wrap = True  # paths and headers stay whole, for copying
    out.print(literal(f"{folder}: wrote {', '.join(skeleton.written)}"))
    if export is not None:
        mapped = ", ".join(f"{column} = {header!r}" for column, header in skeleton.columns.items())
        period = "; cost is monthly (× 12)" if skeleton.cost_period == "month" else ""
        out.print(
            literal(
                f"people.csv is {export.name} as it comes; columns: in orglens.yaml maps "
                f"{mapped or 'nothing (its headers are orglens column names)'}{period}"
            )
        )
    for warning in skeleton.warnings:
        warn(warning)
    out.print(
        literal(
            f"next: fill in the files (see {folder / 'README.md'}), then run "
            f"orglens validate {folder}"
        )
    )


def register(app: typer.Typer) -> None:
    """Add ``init`` to the command line."""
    app.command("init")(init)
