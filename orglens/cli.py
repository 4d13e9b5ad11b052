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
from rich.text import Text

from orglens import __version__
from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.i18n import LANGUAGES
from orglens.jsonout import json_text
from orglens.terminal import guarded, literal, plain_console, progress_bar, steps_bar, warn

if TYPE_CHECKING:
    from orglens.model import Organization
    from orglens.workspace import Workspace

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


def _warn(data: dict[str, Any]) -> None:
    """The result's ``warnings`` on stderr (the table output shows them itself)."""
    for warning in data.get("warnings", []):
        warn(warning)


def _emit(data: dict[str, Any], fmt: Format, lang: str = LANGUAGES[0]) -> None:
    if fmt is Format.json:
        sys.stdout.write(json_text(data))
        _warn(data)
        return
    from orglens.console import render_analysis

    render_analysis(data, plain_console(), lang=lang)


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


def _language(value: str) -> str:
    """``value`` when orglens speaks it; click's message for a bad choice (exit 2) otherwise."""
    if value not in LANGUAGES:
        choices = ", ".join(repr(lang) for lang in LANGUAGES)
        raise typer.BadParameter(f"{value!r} is not one of {choices}.")
    return value


LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        callback=_language,
        metavar=f"<{'|'.join(LANGUAGES)}>",
        help="Language of the tables (and of compare's advice texts).",
    ),
]


AllowOutsideOpt = Annotated[
    bool,
    typer.Option(
        "--allow-outside",
        help="Let events: path: and the workspace's files lead outside its folder.",
    ),
]


@app.command()
def validate(workspace: WorkspaceArg, allow_outside: AllowOutsideOpt = False) -> None:
    """Check every file of a workspace and every scenario written in it; list all problems at
    once (exit 2 if any)."""
    from orglens.io import load
    from orglens.workspace import validate as problems_of

    def run() -> Organization:
        with progress_bar(f"checking {workspace.name}") as progress:
            problems = problems_of(workspace, progress=progress, allow_outside=allow_outside)
        if problems:
            raise InvalidWorkspace(problems)
        return load(workspace, allow_outside=allow_outside)

    org = guarded(run)
    typer.echo(
        f"{workspace}: ok — {len(org.people)} people, {len(org.units)} units, "
        f"{len(org.budget)} budget lines, {len(org.revenue)} revenue streams, "
        f"{len(org.journey)} journey activities, {len(org.coordination)} coordination needs, "
        f"{len(org.segments)} segments"
    )
    for warning in org.warnings:
        warn(warning)


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
    allow_outside: AllowOutsideOpt = False,
    lang: LangOpt = LANGUAGES[0],
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

    def run() -> dict[str, Any]:
        opened = _opened(workspace, engine=engine, level=level, allow_outside=allow_outside)
        return opened.analysis(scenario).to_dict()

    _emit(guarded(run), fmt, lang)


@app.command("compare")
def compare_command(
    workspace: WorkspaceArg,
    fmt: FormatOpt = Format.table,
    level: LevelOpt = None,
    engine: EngineOpt = None,
    allow_outside: AllowOutsideOpt = False,
    lang: LangOpt = LANGUAGES[0],
) -> None:
    """Every design of the debate applied to the same data, side by side, with advice."""

    def run() -> dict[str, Any]:
        opened = _opened(workspace, engine=engine, level=level, allow_outside=allow_outside)
        return opened.compare(lang=lang).to_dict()

    data = guarded(run)
    if fmt is Format.json:
        sys.stdout.write(json_text(data))
        _warn(data)
        return
    from orglens.console_compare import render_comparison

    render_comparison(data, plain_console(), lang=lang)


def _opened(
    path: Path, *, engine: str | None, level: int | None, allow_outside: bool = False
) -> Workspace:
    """The workspace at ``path``, its event log read with a progress bar on a terminal."""
    from orglens.workspace import Workspace

    opened = Workspace.open(path, engine=engine, level=level, allow_outside=allow_outside)
    source = opened.organization.events
    if source is not None:
        with progress_bar(f"reading {Path(source.path).name}") as progress:
            opened.read_events(progress)
    return opened


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the demo workspace to.")
    ] = Path("orglens-demo"),
    force: Annotated[
        bool, typer.Option("--force", help="Replace files of yours that the demo would overwrite.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Write the bundled demo company to a folder, its report (report.html) beside it, and show
    its analysis."""
    from orglens.demo import write_demo
    from orglens.report.document import SECTIONS, is_report, write_report
    from orglens.workspace import Workspace

    report = out / "report.html"

    def run() -> dict[str, Any]:
        if out.exists() and not out.is_dir():
            raise UsageError(
                Problem(
                    "is a file, not a folder", "give a new or existing folder to --out", str(out)
                )
            )
        if not force:
            _refuse_to_overwrite(out, write_demo)
            if report.exists() and not is_report(report):
                raise UsageError(
                    Problem(
                        "holds a report.html orglens did not write",
                        "give a new folder with --out, or --force to replace it",
                        str(out),
                    )
                )
        try:
            write_demo(out)
        except OSError as error:
            raise UsageError(
                Problem(
                    f"cannot write the demo there ({error.strerror or error})",
                    "give a folder you can write to with --out",
                    str(out),
                )
            ) from None
        opened = Workspace.open(out)
        with steps_bar(len(SECTIONS), "report") as step:
            write_report(opened, report, progress=step)
        return opened.analysis().to_dict()

    data = guarded(run)
    _emit(data, fmt)
    if fmt is Format.table:
        plain_console(stderr=True).print(
            Text.assemble(
                "Demo workspace written to ",
                literal(out, style="bold"),
                "; its report: ",
                literal(report, style="bold"),
            )
        )


def _refuse_to_overwrite(out: Path, write_demo: Any) -> None:
    """:class:`UsageError` when ``out`` holds files the demo would replace with other content
    (a workspace of the user's; the demo's own files are rewritten as they are)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        write_demo(fresh)
        clashes = sorted(
            str(path.relative_to(fresh))
            for path in fresh.rglob("*")
            if path.is_file()
            and (out / path.relative_to(fresh)).is_file()
            and (out / path.relative_to(fresh)).read_bytes() != path.read_bytes()
        )
    if clashes:
        shown = ", ".join(clashes[:5]) + (
            f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        )
        raise UsageError(
            Problem(
                f"holds files the demo would overwrite: {shown}",
                "give a new folder with --out, or --force to replace them",
                str(out),
            )
        )


from orglens.cli_events import register  # noqa: E402  (the event-log commands join the app)
from orglens.cli_init import register as register_init  # noqa: E402  (and `orglens init`)
from orglens.cli_optimize import register as register_optimize  # noqa: E402  (`orglens optimize`)
from orglens.cli_report import register as register_report  # noqa: E402  (and `orglens report`)
from orglens.cli_serve import register as register_serve  # noqa: E402  (`orglens serve`)

register(app)
register_init(app)
register_report(app)
register_optimize(app)
register_serve(app)


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
