"""The event-log commands of the command line: ``orglens mine`` and ``orglens import``."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperOption

from orglens.errors import Problem, UsageError
from orglens.io.importers import IMPORTERS
from orglens.jsonout import json_text
from orglens.terminal import guarded, progress_bar, steps_bar, warn

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.mining import Mined
    from orglens.model import Organization

__all__ = ["register"]


class MineFormat(StrEnum):
    json = "json"
    csv = "csv"


class Lifecycle(StrEnum):
    complete = "complete"
    both = "both"


LifecycleOpt = Annotated[
    Lifecycle,
    typer.Option(
        "--lifecycle",
        help="XES lifecycle:transition: complete (only completions when starts are recorded "
        "too) or both (activity+transition).",
    ),
]


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
    show_emails: Annotated[
        bool,
        typer.Option("--show-emails", help="Print e-mail addresses instead of masking them."),
    ] = False,
    lifecycle: LifecycleOpt = Lifecycle.complete,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside", help="With --workspace: let its files lead outside its folder."
        ),
    ] = False,
    fmt: Annotated[MineFormat, typer.Option("--format", "-f")] = MineFormat.json,
) -> None:
    """Mine an event log: directly-follows graph, handover of work, unit handoffs, leakage..."""

    def run() -> Mined:
        from orglens.mining import ANALYSES, analysis_names
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
        org = None
        if workspace is not None:
            from orglens.io import load

            org = load(workspace, allow_outside=allow_outside)
            if ends is None and org.events is not None:
                ends = org.events.end_activities or None
        from orglens.io.eventlog import import_report
        from orglens.io.events_columns import event_column
        from orglens.io.logs import read_log

        units_needed = any(ANALYSES[name].uses_units for name in names)
        units: list[str | Mapping[str, str]] = [unit_source]

        def prepared(events: pa.Table) -> pa.Table:
            """The events as read, with people's names (--workspace) and units resolved."""
            for warning in import_report(events).warnings:
                warn(f"{log.name}: {warning}", show_emails=show_emails)
            if org is not None and workspace is not None:
                shown = any(ANALYSES[name].shows_resources for name in names)
                events, units[0] = _as_people(events, org, workspace, level, units_needed, shown)
            elif unit is not None:
                # --unit names the file's column (`org:group`, `department`) or a canonical
                # one; reading renamed the file's columns that became roles.
                mapping = import_report(events).mapping
                units[0] = event_column(unit, events.column_names, mapping, log.name)
            elif units_needed and events.column("group").null_count == events.num_rows:
                raise UsageError(
                    Problem(
                        "no event has a unit: the log has no group column (org:group, "
                        "department, team...) for "
                        f"{', '.join(n for n in names if ANALYSES[n].uses_units)}",
                        "name the column with --unit COLUMN, or give --workspace W whose "
                        "people are the log's resources",
                        str(log),
                    )
                )
            return events

        with progress_bar(f"reading {log.name}") as progress:
            table = read_log(
                log,
                engine,
                lifecycle=lifecycle.value,
                progress=progress,
                on_read=prepared,
                case=case,
                activity=activity,
                timestamp=timestamp,
                resource=resource,
                group=group,
            )
        unit_source = units[0]
        with steps_bar(len(names)) as step:
            return mine_events(
                table, names, beta=beta, unit=unit_source, end_activities=ends, step=step
            )

    mined = guarded(run, show_emails=show_emails)
    sys.stdout.write(
        mined.csv_text(show_emails=show_emails)
        if fmt is MineFormat.csv
        else json_text(mined.to_dict(show_emails=show_emails))
    )


#: Under this share of events whose resource is a person of ``--workspace``, ``mine`` warns.
MATCHED_AT_LEAST = 0.5


def _as_people(
    events: pa.Table,
    org: Organization,
    workspace: Path,
    level: int | None,
    units: bool,
    shown: bool,
) -> tuple[pa.Table, dict[str, str]]:
    """The events with each resource that is a person of ``org`` shown as that person (their
    name, or their id when the name is shared or missing), and ``{resource: unit}``.

    When no result names resources (``shown`` false), the events stay as they are: their
    resources are only mapped to units, which spares relabelling every event.

    A log most of whose events match nobody is a warning (an error when none match and units
    are needed): a result of 0 handoffs from unmatched data is no finding.
    """
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    from orglens.lenses.resources import people_of_resources, resource_units

    column = events.column("resource")
    counts = {
        row["values"]: row["counts"] for row in pc.value_counts(column.drop_null()).to_pylist()
    }
    people = people_of_resources(org, counts)
    shared = Counter(p.name for p in org.people if p.name)
    label = {}
    for resource, pid in people.items():
        person = org.person_by_id[pid]
        label[resource] = person.name if person.name and shared[person.name] == 1 else person.id
    total = sum(counts.values())
    matched = sum(counts[resource] for resource in people)
    if total and matched < MATCHED_AT_LEAST * total:
        unmatched = sorted(
            ((resource, n) for resource, n in counts.items() if resource not in people),
            key=lambda item: (-item[1], item[0]),
        )[:5]
        examples = ", ".join(f"{resource!r} ({n:,} events)" for resource, n in unmatched)
        problem = Problem(
            f"{total - matched:,} of {total:,} events ({1 - matched / total:.0%}) are done by "
            "resources that match no person of the workspace by id, name or e-mail (ignoring "
            f"case), e.g. {examples}",
            "give people.csv the ids, names or e-mail addresses the event log uses",
            str(workspace),
        )
        if not matched and units:
            raise UsageError(problem)
        warn(str(problem))
    if not shown:
        return events, resource_units(org, level=level, resources=counts)
    relabelled = pa.chunked_array([_relabel(chunk, label) for chunk in column.chunks], pa.string())
    events = events.set_column(events.schema.get_field_index("resource"), "resource", relabelled)
    return events, resource_units(org, level=level, resources=set(label.values()))


def _relabel(chunk: pa.Array, label: Mapping[str, str]) -> pa.Array:
    """``chunk`` (text) with each value in ``label`` replaced, through its dictionary."""
    import pyarrow as pa

    coded = chunk.dictionary_encode()
    names = [label.get(value, value) for value in coded.dictionary.to_pylist()]
    return pa.DictionaryArray.from_arrays(coded.indices, pa.array(names, pa.string())).cast(
        pa.string()
    )


def import_(
    source: Annotated[
        Source,
        typer.Argument(
            help="hubspot or salesforce history exports, log (CSV/Parquet/XES), or deals "
            "(one row per deal or lead, a date column per stage)."
        ),
    ],
    files: Annotated[
        list[Path], typer.Argument(help="The exported files (deals: LEADS DEALS with --join).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The Parquet file to write.")],
    case: Column = None,
    activity: Column = None,
    timestamp: Column = None,
    resource: Column = None,
    group: Column = None,
    unit: Annotated[
        str | None, typer.Option(help="Column kept for `orglens mine --unit` (checked here).")
    ] = None,
    stage_dates: Annotated[
        str | None,
        typer.Option(
            "--stage-dates",
            help="deals: COL=ACTIVITY,... one event per non-empty date, in process order "
            "(default: every column whose name says date).",
        ),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(help="deals: column (Won/Lost/Closed won...) naming a row's last event."),
    ] = None,
    join: Annotated[
        str | None,
        typer.Option(help="deals or log: KEY (or LEADS_KEY=DEALS_KEY) joining two files."),
    ] = None,
    lifecycle: LifecycleOpt = Lifecycle.complete,
) -> None:
    """Turn CRM exports, deal tables or an event log into orglens's canonical events (Parquet)."""

    def run() -> pa.Table:
        from orglens.io.crm_deals import parse_stage_dates
        from orglens.io.eventlog import write_events
        from orglens.io.importers import ImportOptions
        from orglens.io.outfile import check_target, write_atomically

        if out.suffix.lower() != ".parquet":
            raise UsageError(
                Problem("is not a .parquet file name", "name the output FILE.parquet", str(out))
            )
        check_target(out)  # before a long import, not after it
        columns = {
            "case": case,
            "activity": activity,
            "timestamp": timestamp,
            "resource": resource,
            "group": group,
            "unit": unit,
        }
        options = ImportOptions(
            stage_dates=parse_stage_dates(stage_dates),
            outcome=outcome,
            join=join,
            lifecycle=lifecycle.value,
        )
        label = files[0].name if len(files) == 1 else f"{len(files)} files"
        with progress_bar(f"reading {label}") as progress:
            table = IMPORTERS[source].read(
                files, columns=columns, progress=progress, options=options
            )
        write_atomically(out, lambda temporary: write_events(table, temporary))
        return table

    try:
        table = guarded(run)
    except KeyboardInterrupt as stop:
        from orglens.io.outfile import Terminated

        typer.echo(f"{out}: interrupted — nothing was written", err=True)
        raise typer.Exit(143 if isinstance(stop, Terminated) else 130) from None
    from orglens.io.eventlog import import_report

    report = import_report(table)
    err = typer.echo
    err(
        f"{out}: {report.events:,} events, {report.cases:,} cases, "
        f"{report.resources:,} resources, {report.activities:,} activities",
        err=True,
    )
    for warning in report.warnings:
        warn(warning)


def register(app: typer.Typer) -> None:
    """Add ``mine`` and ``import`` to the command line."""
    app.command(cls=_MineCommand)(mine)
    app.command("import")(import_)
