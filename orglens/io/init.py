"""A new workspace: every file orglens reads, with its columns documented, and the column
mapping guessed from an HR export.

:func:`write_skeleton` writes ``README.md`` (each file, each column, required or not, with an
example row), ``orglens.yaml`` (commented, with a ``columns:`` mapping when an export is given)
and one CSV file per table holding only its header. Given an export (``.csv`` or ``.xlsx``), the
export becomes ``people.csv`` with its own headers (a CSV copied byte for byte, a workbook's
``people`` sheet, else its first sheet, converted to UTF-8 CSV) and the mapping to read them
goes into ``orglens.yaml``: next month's export can replace ``people.csv`` as it comes.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.columns import ColumnMapping, MappedTables, map_tables
from orglens.io.synonyms import COLUMNS
from orglens.io.tables import Table, column_key, read_csv
from orglens.io.workbook import read_workbook, table_from_sheet

__all__ = ["Skeleton", "readme_text", "write_skeleton"]

README = "README.md"
CONFIG = "orglens.yaml"
_TABLE_FILES = tuple(f"{kind}.csv" for kind in COLUMNS)
_PURPOSE = {
    "people": "one row per person of the HR export (the only file orglens requires)",
    "units": "the unit tree; without it the units are the people's unit values",
    "budget": "spend lines (marketing budget and other costs)",
    "revenue": "revenue each unit is measured on",
    "journey": "the customer journey: stages and activities, done by a unit or a role",
    "coordination": "declared needs to coordinate between people or units",
    "segments": "customer segments or target groups",
}
_ESCAPED_PIPE = "\\|"  # a | inside a Markdown table cell
_PLAIN_YAML = re.compile(r"^[^\W\d][\w .()/%-]*$")


@dataclass(frozen=True)
class Skeleton:
    """What :func:`write_skeleton` did: the files written (in ``folder``), the mapping it guessed
    (our column to the export's header), whether the export's cost is monthly, and warnings
    about the export (guessed, unused or missing columns)."""

    folder: Path
    written: tuple[str, ...]
    columns: dict[str, str]
    cost_period: str | None
    warnings: tuple[str, ...]


def write_skeleton(
    folder: str | os.PathLike[str],
    *,
    export: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> Skeleton:
    """Write a workspace skeleton to ``folder`` (created if missing).

    Raises
    ------
    UsageError
        When ``folder`` is a file, or some of the files exist already and ``force`` is not set.
    InvalidWorkspace
        When the export cannot be read as a table.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "acme"
    >>> skeleton = write_skeleton(folder)
    >>> skeleton.written[:3]
    ('README.md', 'orglens.yaml', 'people.csv')
    >>> (folder / "revenue.csv").read_text()
    'stream,unit,amount,segment\\n'
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(
            Problem("is a file, not a folder", "give a new or existing folder", str(target))
        )
    names = (README, CONFIG, *_TABLE_FILES)
    existing = [name for name in names if (target / name).exists()]
    if existing and not force:
        raise UsageError(
            Problem(
                f"{', '.join(existing)} already {'exists' if len(existing) == 1 else 'exist'}",
                "choose a new folder, or add --force to overwrite these files",
                str(target),
            )
        )
    people: bytes | None = None
    guessed = _Guess()
    if export is not None:
        people, guessed = _read_export(Path(export))
    contents = {
        README: readme_text().encode(),
        CONFIG: _config_text(target, guessed, export).encode(),
        **{name: _header_line(kind) for kind, name in zip(COLUMNS, _TABLE_FILES, strict=True)},
    }
    if people is not None:
        contents["people.csv"] = people
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        _write_atomically(target / name, contents[name])
    return Skeleton(target, names, guessed.columns, guessed.cost_period, guessed.warnings)


def _header_line(kind: str) -> bytes:
    return (",".join(column.name for column in COLUMNS[kind]) + "\n").encode()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so that nothing is half-written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- the export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Guess:
    columns: dict[str, str] = field(default_factory=dict)
    cost_period: str | None = None
    warnings: tuple[str, ...] = ()
    hints: tuple[tuple[str, str], ...] = ()


def _read_export(path: Path) -> tuple[bytes, _Guess]:
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        fix = "give the path of a .csv or .xlsx HR export to --from"
        raise UsageError(Problem(f"the export {what}", fix, str(path)))
    problems: list[Problem] = []
    table: Table | None
    if path.suffix.lower() == ".xlsx":
        sheets = read_workbook(path, problems)
        sheet = None if not sheets else sheets.get("people", next(iter(sheets.values())))
        table = table_from_sheet(sheet, problems) if sheet is not None else None
        data = _csv_bytes(table) if table is not None else b""
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(
                Problem(
                    f"the export cannot be read ({error.strerror})",
                    "give the path of a .csv or .xlsx HR export to --from",
                    str(path),
                )
            ) from None
        table = read_csv(data, path.name, problems)
    if table is None or problems:
        if not problems:
            problems.append(Problem("the workbook has no sheet", "export the people", path.name))
        raise InvalidWorkspace(problems)
    # Two headers that could be one column are left for the user to map: a warning here.
    unclear: list[Problem] = []
    table = replace(table, source="people.csv")  # what the warnings will name from now on
    mapped = map_tables({"people": table}, ColumnMapping(), unclear)
    return data, _guess(table, mapped, tuple(str(problem) for problem in unclear))


def _csv_bytes(table: Table) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(row.cells for row in table.rows)
    return text.getvalue().encode()


def _guess(table: Table, mapped: MappedTables, unclear: tuple[str, ...]) -> _Guess:
    """The explicit mapping for what :func:`map_tables` matched by synonym or spelling."""
    columns = mapped.tables["people"].columns
    guessed = {
        column.name: table.header[columns[column.name]]
        for column in COLUMNS["people"]
        if column.name in columns and column_key(table.header[columns[column.name]]) != column.name
    }
    missing = [
        column.name
        for column in COLUMNS["people"]
        if column.required and column.name not in columns
    ]
    period = "month" if mapped.people.cost_per_year == 12 else None
    # The warnings loading the workspace will give, once the guessed mapping is in orglens.yaml.
    confirmed = ColumnMapping({"people": guessed}, "month" if period else None, CONFIG)
    warnings = [*unclear, *map_tables({"people": table}, confirmed, []).warnings]
    if missing:
        warnings.append(
            f"{table.source}: no column found for {', '.join(missing)}: map it under "
            f"columns: people: in {CONFIG}, or add it to the export"
        )
    hints = tuple((column, header) for header, column in mapped.hints.get("people", ()))
    return _Guess(guessed, period, tuple(warnings), hints)


# -- orglens.yaml ----------------------------------------------------------------------------


def _yaml_text(value: str) -> str:
    """``value`` as a YAML scalar: plain where that is safe, else double-quoted."""
    if _PLAIN_YAML.match(value) and value.strip() == value:
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _config_text(folder: Path, guess: _Guess, export: str | os.PathLike[str] | None) -> str:
    lines = [
        "# orglens workspace settings: every key is optional (README.md describes the files).",
        f"name: {_yaml_text(folder.resolve().name)}",
        "# currency: SEK              # of cost and amounts; EUR by default",
        "",
        "# The headers of your files, where they are not orglens's column names. Common English",
        "# and Swedish names (Anställningsnr, Chef, Avdelning, Månadslön...) are recognised",
        "# without this, each with a warning; a mapping here confirms them.",
    ]
    if guess.columns or guess.cost_period or guess.hints:
        lines.append(f"# Guessed from {Path(export or '').name}; check each line.")
        lines += ["columns:", "  people:"]
        lines += [f"    {column}: {_yaml_text(header)}" for column, header in guess.columns.items()]
        if guess.cost_period:
            lines.append("    cost_period: month        # cost is monthly: multiplied by 12")
        lines += [
            f"    # {column}: {_yaml_text(header)}    # looks like {column}; uncomment if it is"
            for column, header in guess.hints
        ]
        if not guess.columns and not guess.cost_period:
            lines.append("    {}")
    else:
        lines += [
            "# columns:",
            "#   people: {id: Anställningsnr, manager_id: Chef, unit: Avdelning, cost: Lön}",
            "#   # cost_period: month       # under people: when cost is a monthly salary",
        ]
    lines += [
        "",
        "# settings:",
        "#   span_range: [3, 15]        # direct reports a manager should have",
        "#   team_size: [5, 9]          # people per team",
        "#   brand_benchmark: 0.46      # brand share of marketing spend (B2B)",
        "",
        "# events: events.parquet       # CRM history (orglens import ... -o events.parquet)",
        "",
        "# scenarios:                   # your own designs beside the built-in ones",
        "#   - name: growth_team",
        "#     operations:",
        "#       - move: {role: SDR, to: marketing}",
        "",
    ]
    return "\n".join(lines)


# -- README.md -------------------------------------------------------------------------------


def readme_text() -> str:
    """The README of a new workspace: each file, each column (required or not) and an example.

    Examples
    --------
    >>> print(readme_text().split("## people.csv")[1].splitlines()[6])
    | `id` | required | the person's id (an employee number) | P002 |
    """
    parts = [
        "# orglens workspace",
        "",
        "Fill in the files below (only `people.csv` is required; delete a file you do not use),",
        "then run `orglens validate .` and `orglens analyze .`. Headers may be your export's own:",
        "map them under `columns:` in `orglens.yaml`. Lists in a cell are separated by `;` or `|`.",
        "Extra columns are kept as attributes (a split scenario can use them with `by:`).",
        "",
    ]
    for kind, columns in COLUMNS.items():
        parts += [
            f"## {kind}.csv",
            "",
            _PURPOSE[kind] + ".",
            "",
            "| column | | meaning | example |",
            "| --- | --- | --- | --- |",
        ]
        parts += [
            f"| `{column.name}` | {'required' if column.required else 'optional'} | "
            f"{column.meaning.replace('|', _ESCAPED_PIPE)} | {column.example} |"
            for column in columns
        ]
        header = ",".join(column.name for column in columns)
        example = ",".join(_csv_cell(column.example) for column in columns)
        parts += ["", "```csv", header, example, "```", ""]
    return "\n".join(parts)


def _csv_cell(text: str) -> str:
    return f'"{text}"' if any(char in text for char in ',"\n') else text
