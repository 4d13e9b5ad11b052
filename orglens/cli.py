"""The command line: parses arguments, calls the public API, renders the result.

A user's mistake is printed as ``FILE:LINE: what is wrong — how to fix it`` lines on stderr with
exit status 2 and no traceback.
"""

from __future__ import annotations

import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from orglens import __version__
from orglens.errors import Problem, UsageError
from orglens.jsonout import json_text
from orglens.terminal import guarded, progress_bar

if TYPE_CHECKING:
    import ibis.expr.types as ir  # type: ignore[import-untyped]

    from orglens.lenses import Analysis
    from orglens.model import Organization
    from orglens.model.advice import AdviceSettings
    from orglens.scenarios import Comparison, Scenario

app = typer.Typer(
    name="orglens",
    help="Evidence for how to organize sales, marketing, communications and product.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"


def _emit(data: dict[str, Any], fmt: Format) -> None:
    if fmt is Format.json:
        sys.stdout.write(json_text(data))
        return
    from orglens.console import render_analysis

    render_analysis(data, Console(highlight=False))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orglens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """orglens: look at a company through the hr, budget, process and customer lenses."""


WorkspaceArg = Annotated[
    Path, typer.Argument(help="A workspace folder (people.csv, ...) or one .xlsx workbook.")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LevelOpt = Annotated[
    int | None,
    typer.Option(
        "--level",
        min=0,
        help="Depth of the unit tree at which cross-unit measures count (1 = departments).",
    ),
]


@app.command()
def validate(workspace: WorkspaceArg) -> None:
    """Check every file of a workspace; list all problems at once (exit 2 if any)."""
    from orglens.io import load

    org = guarded(lambda: load(workspace))
    typer.echo(
        f"{workspace}: ok — {len(org.people)} people, {len(org.units)} units, "
        f"{len(org.budget)} budget lines, {len(org.revenue)} revenue streams, "
        f"{len(org.journey)} journey activities, {len(org.coordination)} coordination needs, "
        f"{len(org.segments)} segments"
    )
    for warning in org.warnings:
        typer.echo(f"warning: {warning}", err=True)


EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="Ibis backend URL for the event log (default: in-process DuckDB).",
    ),
]


@app.command()
def analyze(
    workspace: WorkspaceArg,
    fmt: FormatOpt = Format.table,
    level: LevelOpt = None,
    engine: EngineOpt = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            "-s",
            help="Show the organization a scenario designs (built-in or written) instead.",
        ),
    ] = None,
) -> None:
    """Show a workspace through the hr, budget, process and customer lenses."""
    from orglens.io import read_workspace

    def run() -> dict[str, Any]:
        loaded = read_workspace(workspace)
        org = loaded.organization
        if scenario is not None:
            org = _scenario_org(org, loaded.scenarios, scenario)
        return _analysis(org, level=level, engine=engine).to_dict()

    _emit(guarded(run), fmt)


@app.command("compare")
def compare_command(
    workspace: WorkspaceArg,
    fmt: FormatOpt = Format.table,
    level: LevelOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Every design of the debate applied to the same data, side by side, with advice."""
    from orglens.io import read_workspace
    from orglens.scenarios import all_scenarios, compare

    def run() -> dict[str, Any]:
        loaded = read_workspace(workspace)
        org = loaded.organization
        events = _events(org, engine)
        comparison = compare(
            org, scenarios=all_scenarios(org, loaded.scenarios), level=level, events=events
        )
        advice = _advice(org, comparison, level, events, loaded.advice)
        return comparison.to_dict() | {"advice": advice}

    data = guarded(run)
    if fmt is Format.json:
        sys.stdout.write(json_text(data))
        return
    from orglens.console import render_comparison

    render_comparison(data, Console(highlight=False))


def _advice(
    org: Organization,
    comparison: Comparison,
    level: int | None,
    events: ir.Table | None,
    settings: AdviceSettings,
) -> list[dict[str, Any]]:
    """The findings of every advice rule, on today's analysis and the scorecard."""
    from orglens.advice import advise
    from orglens.lenses import analyze as analyze_org

    metrics = {s["name"]: s["metrics"] for s in comparison.to_dict()["scenarios"]}
    findings: list[dict[str, Any]] = advise(
        org, analyze_org(org, level=level, events=events), metrics, settings=settings
    ).to_dict()["findings"]
    return findings


def _scenario_org(org: Organization, written: tuple[Scenario, ...], name: str) -> Organization:
    """``org`` as the scenario ``name`` (built-in, or written in the workspace) designs it."""
    from orglens.scenarios import all_scenarios, apply

    scenarios = {s.name: s for s in all_scenarios(org, written)}
    if name not in scenarios:
        raise UsageError(
            Problem(
                f"no scenario named {name!r}",
                f"use one of: {', '.join(scenarios)}",
                "--scenario",
            )
        )
    return apply(org, scenarios[name])


def _analysis(org: Organization, *, level: int | None, engine: str | None) -> Analysis:
    """Analyse ``org``, with its event log (``events:`` in orglens.yaml) when it has one."""
    from orglens.lenses import analyze as analyze_org

    return analyze_org(org, level=level, events=_events(org, engine))


def _events(org: Organization, engine: str | None) -> ir.Table | None:
    """The workspace's event log on the engine, or ``None`` when it names none."""
    if org.events is None:
        return None
    from orglens.engine import connect
    from orglens.io.eventlog import read_events

    source = org.events
    with progress_bar(f"reading {Path(source.path).name}") as progress:
        table = read_events(
            source.path,
            case=source.case,
            activity=source.activity,
            timestamp=source.timestamp,
            resource=source.resource,
            group=source.group,
            progress=progress,
        )
    return connect(engine).read_events(table)


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the demo workspace to.")
    ] = Path("orglens-demo"),
    fmt: FormatOpt = Format.table,
) -> None:
    """Write the bundled demo company to a folder and show its analysis."""
    from orglens.demo import write_demo
    from orglens.io import load

    def run() -> dict[str, Any]:
        if out.exists() and not out.is_dir():
            raise UsageError(
                Problem(
                    "is a file, not a folder", "give a new or existing folder to --out", str(out)
                )
            )
        write_demo(out)
        return _analysis(load(out), level=None, engine=None).to_dict()

    data = guarded(run)
    _emit(data, fmt)
    if fmt is Format.table:
        Console(stderr=True).print(f"Demo workspace written to [bold]{out}[/bold]")


from orglens.cli_events import register  # noqa: E402  (the event-log commands join the app)

register(app)


def main() -> None:
    """Entry point of the ``orglens`` command."""
    try:
        app()
    finally:
        # The command is done and the process ends: spare the interpreter's last garbage
        # collection of the imported modules' objects and of the expressions built, each Ibis
        # node running a Python `__del__` (0.1-0.2 s of a mining run). Files are closed, and
        # exit handlers and the flush of standard output still run.
        gc.freeze()
