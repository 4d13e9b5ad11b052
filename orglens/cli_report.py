"""``orglens report``: the workspace's report as one offline HTML file (or a PDF)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orglens.terminal import guarded, progress_bar, steps_bar

__all__ = ["register", "report"]


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"


def report(
    workspace: Annotated[
        Path, typer.Argument(help="A workspace folder (people.csv, ...) or one .xlsx workbook.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write (.html or .pdf).")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: en or sv.")] = "en",
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="html, or pdf (needs a headless Chromium)."),
    ] = ReportFormat.html,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            help="A design whose organization the report draws (repeat; default: every one).",
        ),
    ] = None,
    level: Annotated[
        int | None,
        typer.Option(
            "--level",
            min=0,
            help="Depth of the unit tree at which cross-unit measures count (1 = departments).",
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="Ibis backend URL for the event log (default: DuckDB)."),
    ] = None,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="Let events: path: and the workspace's files lead outside its folder.",
        ),
    ] = False,
) -> None:
    """Write the report a CEO reads: the recommendation, the charts with their takeaways and
    data tables, the designs compared and the advice — one HTML file that works offline."""
    from orglens.i18n import check
    from orglens.report.document import SECTIONS, write_report
    from orglens.workspace import Workspace

    def run() -> Path:
        check(lang)
        opened = Workspace.open(workspace, engine=engine, level=level, allow_outside=allow_outside)
        source = opened.organization.events
        if source is not None:
            with progress_bar(f"reading {Path(source.path).name}") as progress:
                opened.read_events(progress)
        with steps_bar(len(SECTIONS), "report") as step:
            return write_report(
                opened, out, lang=lang, scenarios=scenario, fmt=fmt.value, progress=step
            )

    written = guarded(run)
    typer.echo(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Add ``orglens report`` to ``app``."""
    app.command("report")(report)
