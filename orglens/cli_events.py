"""The event-log commands of the command line: ``orglens mine`` and ``orglens import``."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperOption

from orglens.errors import Problem, UsageError
from orglens.io.importers import IMPORTERS
from orglens.jsonout import json_text
from orglens.terminal import guarded, progress_bar, steps_bar

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.mining import Mined

__all__ = ["register"]


class MineFormat(StrEnum):
    json = "json"
    csv = "csv"


if TYPE_CHECKING:
    Source = str
else:
    # The choices of `orglens import` come from the registry: a new importer needs no line here.
    Source = StrEnum("Source", [(name, name) for name in IMPORTERS])


Column = Annotated[str | None, typer.Option(help="Source column for this canonical column.")]


class _MineCommand(TyperCommand):
    """``orglens mine``, whose ``--what`` help lists the analyses of ``orglens.mining.ANALYSES``.

    The list is read only when the help is shown: the registry loads Ibis (0.35 s), which the
    other commands do not need at start-up.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from orglens.mining import ANALYSES

        for param in self.params:
            if isinstance(param, TyperOption) and param.name == "what":
                param.help = f"One or more of {', '.join(ANALYSES)}, comma-separated."
        super().format_help(ctx, formatter)


def _end_activities(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(",") if part.strip())


def mine(
    log: Annotated[Path, typer.Argument(help="Event log: .csv, .csv.gz, .parquet, .xes, .xes.gz")],
    what: Annotated[
        str, typer.Option("--what", help="One or more analyses, comma-separated.")
    ] = "dfg",
    beta: Annotated[float, typer.Option(min=0, help="Handover decay (0 = direct only).")] = 0.0,
    case: Column = None,
    activity: Column = None,
    timestamp: Column = None,
    resource: Annotated[
        str | None,
        typer.Option(
            help="Column whose values are the resources (a group column mines at group level)."
        ),
    ] = None,
    group: Column = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Column holding each event's unit (default: the group column)."),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(help="Workspace whose people (id, name or e-mail) give each resource's unit."),
    ] = None,
    level: Annotated[
        int | None, typer.Option(min=0, help="Unit level with --workspace (1 = departments).")
    ] = None,
    end_activities: Annotated[
        str | None,
        typer.Option(help="Comma-separated activities that end a case properly (leakage)."),
    ] = None,
    engine: Annotated[
        str | None, typer.Option(help="Ibis backend URL (default: in-process DuckDB).")
    ] = None,
    fmt: Annotated[MineFormat, typer.Option("--format", "-f")] = MineFormat.json,
) -> None:
    """Mine an event log: directly-follows graph, handover of work, unit handoffs, leakage..."""

    def run() -> Mined:
        from orglens.mining import analysis_names
        from orglens.mining import mine as mine_events

        names = analysis_names(what)
        if unit is not None and workspace is not None:
            raise UsageError(
                Problem(
                    "--unit and --workspace both say where units come from",
                    "give only one of them",
                    "--unit",
                )
            )
        ends = _end_activities(end_activities)
        unit_source: str | Mapping[str, str] = unit or "group"
        if workspace is not None:
            from orglens.io import load
            from orglens.lenses.resources import resource_units

            org = load(workspace)
            unit_source = resource_units(org, level=level)
            if ends is None and org.events is not None:
                ends = org.events.end_activities
        from orglens.io import read_log

        with progress_bar(f"reading {log.name}") as progress:
            table = read_log(
                log,
                engine,
                progress=progress,
                case=case,
                activity=activity,
                timestamp=timestamp,
                resource=resource,
                group=group,
            )
        with steps_bar(len(names)) as step:
            return mine_events(
                table, names, beta=beta, unit=unit_source, end_activities=ends, step=step
            )

    mined = guarded(run)
    sys.stdout.write(mined.csv_text() if fmt is MineFormat.csv else json_text(mined.to_dict()))


def import_(
    source: Annotated[
        Source,
        typer.Argument(help="hubspot or salesforce history exports, or log (CSV/Parquet/XES)."),
    ],
    files: Annotated[list[Path], typer.Argument(help="The exported files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The Parquet file to write.")],
    case: Column = None,
    activity: Column = None,
    timestamp: Column = None,
    resource: Column = None,
    group: Column = None,
) -> None:
    """Turn CRM history exports or an event log into orglens's canonical events (Parquet)."""

    def run() -> pa.Table:
        from orglens.io.eventlog import write_events

        if out.suffix.lower() != ".parquet":
            raise UsageError(
                Problem("is not a .parquet file name", "name the output FILE.parquet", str(out))
            )
        columns = {
            "case": case,
            "activity": activity,
            "timestamp": timestamp,
            "resource": resource,
            "group": group,
        }
        label = files[0].name if len(files) == 1 else f"{len(files)} files"
        with progress_bar(f"reading {label}") as progress:
            table = IMPORTERS[source].read(files, columns=columns, progress=progress)
        write_events(table, out)
        return table

    table = guarded(run)
    from orglens.io.eventlog import import_report

    report = import_report(table)
    err = typer.echo
    err(
        f"{out}: {report.events:,} events, {report.cases:,} cases, "
        f"{report.resources:,} resources, {report.activities:,} activities",
        err=True,
    )
    for warning in report.warnings:
        err(f"warning: {warning}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``mine`` and ``import`` to the command line."""
    app.command(cls=_MineCommand)(mine)
    app.command("import")(import_)
