"""``orglens optimize``: the teams that keep the most work inside them, as a scenario."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orglens.errors import Problem, UsageError
from orglens.jsonout import json_text
from orglens.terminal import guarded, literal, plain_console, progress_bar, warn

if TYPE_CHECKING:
    from orglens.optimize.organization import Optimized

__all__ = ["optimize", "register"]


class OptimizeFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


def _listed(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _weights(text: str | None) -> dict[str, float]:
    found: dict[str, float] = {}
    for part in _listed(text):
        key, _, value = part.partition("=")
        try:
            found[key.strip()] = float(value)
        except ValueError:
            raise UsageError(
                Problem(
                    f"--weights: {part!r} is not KIND=NUMBER",
                    "write e.g. --weights handover=1,coordination=0.5",
                )
            ) from None
    return found


def optimize(
    workspace: Annotated[
        Path, typer.Argument(help="A workspace folder (people.csv, ...) or one .xlsx workbook.")
    ],
    teams: Annotated[int | None, typer.Option("--teams", min=1, help="Exactly N teams.")] = None,
    min_team: Annotated[
        float | None, typer.Option("--min-team", min=0, help="Smallest team (settings.team_size).")
    ] = None,
    max_team: Annotated[
        float | None, typer.Option("--max-team", min=0, help="Largest team (settings.team_size).")
    ] = None,
    size_by: Annotated[
        str, typer.Option("--size-by", help="Count team size in people or fte.")
    ] = "people",
    require: Annotated[
        str | None,
        typer.Option(
            "--require", help="Every team holds someone of each: F,G (function/competence)."
        ),
    ] = None,
    keep: Annotated[
        str | None, typer.Option("--keep", help="People who stay in their unit: P1,P2.")
    ] = None,
    keep_unit: Annotated[
        list[str] | None, typer.Option("--keep-unit", help="A unit whose people stay (repeat).")
    ] = None,
    together: Annotated[
        list[str] | None,
        typer.Option("--together", help="People who share a team: P1,P2 (repeat)."),
    ] = None,
    apart: Annotated[
        list[str] | None, typer.Option("--apart", help="People in different teams: P1,P2 (repeat).")
    ] = None,
    max_span: Annotated[
        int | None, typer.Option("--max-span", min=1, help="A team lead's largest span.")
    ] = None,
    move_cost: Annotated[
        float, typer.Option("--move-cost", min=0, help="Cost of one person changing unit.")
    ] = 0.0,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="handover=1,coordination=1: factor of each kind of work."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Nodes: person or role.")] = "person",
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same answer.")] = 0,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds the solver may take.")
    ] = 30.0,
    exact: Annotated[
        bool | None,
        typer.Option("--exact/--heuristic", help="Force the exact (CP-SAT) or heuristic solver."),
    ] = None,
    fmt: Annotated[
        OptimizeFormat, typer.Option("--format", "-f", help="table, json or yaml.")
    ] = OptimizeFormat.table,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", help="Write the scenario YAML here (scenarios/optimized.yaml)."
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="Ibis backend URL for the event log (default: DuckDB)."),
    ] = None,
    allow_outside: Annotated[
        bool,
        typer.Option("--allow-outside", help="Let the workspace's files lead outside its folder."),
    ] = False,
) -> None:
    """Propose teams that keep the most work inside them, under your constraints, with a proven
    bound on how far from the best possible they are; the result is a scenario compare scores."""
    from orglens.io.outfile import write_atomically
    from orglens.io.scenarios import dump_scenario
    from orglens.optimize.organization import TeamOptions
    from orglens.workspace import Workspace

    def run() -> Optimized:
        options = TeamOptions(
            teams=teams,
            min_team=min_team,
            max_team=max_team,
            size_by=size_by,
            require=_listed(require),
            keep=_listed(keep),
            keep_unit=tuple(keep_unit or ()),
            together=tuple(_listed(group) for group in together or ()),
            apart=tuple(_listed(group) for group in apart or ()),
            max_span=max_span,
            move_cost=move_cost,
            weights=_weights(weights),
            by=by,
        )
        opened = Workspace.open(workspace, engine=engine, allow_outside=allow_outside)
        source = opened.organization.events
        if source is not None:
            with progress_bar(f"reading {Path(source.path).name}") as progress:
                opened.read_events(progress)
        try:
            with _solver_bar(time_limit) as progress:
                found = opened.optimize(
                    options, time_limit=time_limit, seed=seed, exact=exact, progress=progress
                )
        except UsageError as error:
            # constraints that cannot be met come from the options: say so where a file would be
            problem = error.problems[0]
            if problem.file is not None:
                raise
            raise UsageError(replace(problem, file="orglens optimize")) from None
        if out is not None:
            text = _yaml(dump_scenario(found.scenario()))
            write_atomically(out, lambda temporary: temporary.write_text(text, encoding="utf-8"))
        return found

    found = guarded(run)
    for warning in found.warnings:
        warn(warning)
    if fmt is OptimizeFormat.json:
        sys.stdout.write(json_text(found.to_dict()))
    elif fmt is OptimizeFormat.yaml:
        sys.stdout.write(_yaml(dump_scenario(found.scenario())))
    else:
        _table(found)
    if out is not None:
        plain_console(stderr=True).print(f"wrote {out}")


def _yaml(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _solver_bar(time_limit: float) -> Any:
    """A bar of the time limit on a terminal, showing the best answer and its bound."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    @contextmanager
    def bar() -> Any:
        console = Console(stderr=True)
        if not console.is_terminal:
            yield None
            return
        columns = (TextColumn("optimizing"), BarColumn(), TextColumn("{task.description}"),
                   TimeElapsedColumn())  # fmt: skip
        with Progress(*columns, console=console, transient=True) as shown:
            task = shown.add_task("", total=time_limit)

            def update(seconds: float, best: float, bound: float) -> None:
                shown.update(task, completed=seconds, description=f"best {best:.6g} ≥ {bound:.6g}")

            yield update

    return bar()


def _table(found: Optimized) -> None:
    from rich.table import Table

    console = plain_console()
    solution = found.solution
    state = "optimal (proved)" if solution.optimal else f"gap ≤ {solution.gap:.1%} to the bound"
    console.print(
        f"{len(found.teams)} teams; cross-team weight {solution.cross_weight:.6g} of "
        f"{found.graph.total_weight:.6g}; lower bound {solution.lower_bound:.6g}; {state}; "
        f"{solution.moved} people change unit; {solution.solver}, {solution.seconds:.1f} s"
    )
    table = Table("team", "people", "members")
    for team, people in found.teams.items():
        names = [found.names.get(person, person) for person in people]
        shown = ", ".join(names[:6]) + (f" … (+{len(names) - 6})" if len(names) > 6 else "")
        table.add_row(literal(team), str(len(people)), literal(shown))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``orglens optimize`` to ``app``."""
    app.command("optimize")(optimize)
