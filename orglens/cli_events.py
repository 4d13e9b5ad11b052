"""The event-log commands of the command line: ``orglens mine`` and ``orglens import``."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orglens.errors import Problem, UsageError
from orglens.jsonout import json_text
from orglens.terminal import guarded, progress_bar, steps_bar

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.mining import EventLog

__all__ = ["ANALYSES", "register"]

#: ``--what`` names, in the order they are reported.
ANALYSES = ("dfg", "handover", "working-together", "roles", "unit-handoffs", "leakage")


class MineFormat(StrEnum):
    json = "json"
    csv = "csv"


class Source(StrEnum):
    hubspot = "hubspot"
    salesforce = "salesforce"
    log = "log"


Column = Annotated[str | None, typer.Option(help="Source column for this canonical column.")]


def _analyses(what: str) -> list[str]:
    names = [name.strip() for name in what.split(",") if name.strip()]
    unknown = [name for name in names if name not in ANALYSES]
    if unknown or not names:
        raise UsageError(
            Problem(
                f"--what {what!r} names no analysis orglens knows"
                if not names
                else f"unknown analysis {', '.join(map(repr, unknown))} in --what",
                f"use one or more of {', '.join(ANALYSES)}, comma-separated",
                "--what",
            )
        )
    return list(dict.fromkeys(names))


def _run(
    name: str,
    events: EventLog,
    *,
    beta: float,
    unit: str | Mapping[str, str],
    end_activities: tuple[str, ...] | None,
) -> dict[str, Any]:
    from orglens import mining

    runners: dict[str, Callable[[], Any]] = {
        "dfg": lambda: mining.dfg(events),
        "handover": lambda: mining.handover(events, beta=beta),
        "working-together": lambda: mining.working_together(events),
        "roles": lambda: mining.roles(events),
        "unit-handoffs": lambda: mining.unit_handoffs(events, unit=unit),
        "leakage": lambda: mining.leakage(events, unit=unit, end_activities=end_activities),
    }
    result: dict[str, Any] = runners[name]().to_dict()
    return result


def _csv_rows(name: str, result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows a spreadsheet wants of one result: edges, pairs, or role memberships."""
    if name == "roles":
        return [
            {
                "role": index,
                "activities": ";".join(role["activities"]),
                "resource": resource,
                "count": count,
            }
            for index, role in enumerate(result["roles"], start=1)
            for resource, count in role["resources"].items()
        ]
    rows: list[dict[str, Any]] = result.get("edges") or result.get("pairs") or []
    return rows


def _write_csv(results: Mapping[str, Mapping[str, Any]]) -> str:
    several = len(results) > 1
    rows = [
        ({"analysis": name} if several else {}) | row
        for name, result in results.items()
        for row in _csv_rows(name, result)
    ]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _end_activities(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _read_log(
    path: Path,
    case: str | None,
    activity: str | None,
    timestamp: str | None,
    resource: str | None,
    group: str | None,
) -> pa.Table:
    """The canonical events of one log file, with a progress bar on a terminal."""
    from orglens.io.eventlog import read_events

    with progress_bar(f"reading {path.name}") as progress:
        return read_events(
            path,
            case=case,
            activity=activity,
            timestamp=timestamp,
            resource=resource,
            group=group,
            progress=progress,
        )


def mine(
    log: Annotated[Path, typer.Argument(help="Event log: .csv, .csv.gz, .parquet, .xes, .xes.gz")],
    what: Annotated[
        str, typer.Option("--what", help=f"One or more of {', '.join(ANALYSES)}, comma-separated.")
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

    def run() -> dict[str, dict[str, Any]]:
        names = _analyses(what)
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
        from orglens.engine import read_log
        from orglens.mining import EventLog

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
        events = EventLog(table)
        found: dict[str, dict[str, Any]] = {}
        with steps_bar(len(names)) as step:
            for name in names:
                step(name)
                found[name] = _run(name, events, beta=beta, unit=unit_source, end_activities=ends)
        return found

    results = guarded(run)
    if fmt is MineFormat.csv:
        sys.stdout.write(_write_csv(results))
        return
    data = next(iter(results.values())) if len(results) == 1 else results
    sys.stdout.write(json_text(data))


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
        from orglens.io.crm import read_hubspot, read_salesforce
        from orglens.io.eventlog import write_events

        if out.suffix.lower() != ".parquet":
            raise UsageError(
                Problem("is not a .parquet file name", "name the output FILE.parquet", str(out))
            )
        if source is Source.hubspot:
            table = read_hubspot(files)
        elif source is Source.salesforce:
            table = read_salesforce(files)
        else:
            if len(files) != 1:
                raise UsageError(
                    Problem(
                        f"{len(files)} files given",
                        "import one event log at a time",
                        "orglens import log",
                    )
                )
            table = _read_log(files[0], case, activity, timestamp, resource, group)
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
    app.command()(mine)
    app.command("import")(import_)
