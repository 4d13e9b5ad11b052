"""Load a workspace (a folder of YAML and CSV files, or one ``.xlsx`` workbook) as an
:class:`~orglens.model.Organization`, or list every problem in it.

Files are read in a fixed order (settings, units, people, then the rest) and every cell-level
problem of every file is collected. Only when there is none are references resolved (roles of
the journey) and the organization built, whose own checks (unknown ids, duplicate ids, cycles)
point at the lines the records came from.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from orglens._collector import collector_paused
from orglens.errors import InvalidWorkspace, Problem
from orglens.io.cells import validation_problems
from orglens.io.columns import map_tables
from orglens.io.config import Config, read_config, read_config_sheet
from orglens.io.records import (
    assign_role_units,
    read_budget,
    read_coordination,
    read_journey,
    read_people,
    read_revenue,
    read_segments,
    read_units,
)
from orglens.io.scenarios import read_scenario_files
from orglens.io.tables import Table, read_csv
from orglens.io.units import UnitIndex
from orglens.io.workbook import read_workbook, table_from_sheet
from orglens.model import EventSource, Organization, Person, Scenario, Unit
from orglens.model.advice import AdviceSettings
from orglens.model.decision import DecisionSettings

__all__ = ["WorkspaceFiles", "load", "read_workspace", "validate"]

#: The tables of a workspace, each a ``KIND.csv`` file or a ``KIND`` sheet.
TABLE_KINDS = ("units", "people", "budget", "revenue", "journey", "coordination", "segments")
CONFIG_FILE = "orglens.yaml"
CONFIG_SHEET = "orglens"
_PEOPLE_FIX = "add it with at least the columns id, manager_id, unit (one row per person)"
_SHOWN_ROOTS = 10


@dataclass(frozen=True)
class _Inputs:
    """What a workspace holds before its records are read."""

    default_name: str
    label: str
    config: Config
    tables: dict[str, Table]
    folder: Path | None  # where relative paths (the event log) start; the workbook's folder
    #: Tables whose file is there but could not be read: references to them are not checked.
    unread: frozenset[str] = frozenset()
    #: The text of orglens.yaml, to find the line a problem with ``events:`` is on.
    config_text: bytes = b""


def load(path: str | os.PathLike[str], *, allow_outside: bool = False) -> Organization:
    """Read the workspace at ``path`` (a folder or one ``.xlsx`` workbook).

    Parameters
    ----------
    path
        A folder with ``people.csv`` (required), optionally ``orglens.yaml``, ``units.csv``,
        ``budget.csv``, ``revenue.csv``, ``journey.csv``, ``coordination.csv`` and
        ``segments.csv``; or a workbook with sheets of the same names (and an optional
        ``orglens`` sheet of key/value rows for ``name`` and ``currency``).
    allow_outside
        Whether the workspace's files may lie outside its folder: a file that is a symbolic
        link to a file elsewhere, an ``events: path:`` that is absolute or leads out with
        ``../``. Without it each such file is a problem (a web workspace must not read the
        server's files); with it they are read.

    Returns
    -------
    Organization
        Its ``name`` is the configured one, else the folder or workbook name. Its ``warnings``
        say when several people have no manager (the company is then analysed as a part under a
        virtual top).

    Raises
    ------
    InvalidWorkspace
        Carrying every problem found (see :func:`validate`).

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "acme"
    >>> folder.mkdir()
    >>> _ = (folder / "people.csv").write_text(
    ...     "id;name;manager_id;unit;cost\\nceo;Åsa Öberg;;CEO Office;1 234,5\\n"
    ...     "s1;Bo;ceo;Nordic Sales;900\\n", encoding="utf-8-sig")
    >>> org = load(folder)
    >>> org.name, org.people[0].name, org.people[0].cost
    ('acme', 'Åsa Öberg', 1234.5)
    >>> [(unit.id, unit.function) for unit in org.units]
    [('CEO Office', 'management'), ('Nordic Sales', 'sales')]
    >>> shutil.rmtree(folder.parent)
    """
    problems: list[Problem] = []
    with collector_paused():
        organization, _ = _read(Path(path), problems, allow_outside)
    if problems or organization is None:
        raise InvalidWorkspace(problems)
    return organization


@dataclass(frozen=True)
class WorkspaceFiles:
    """What the files of a workspace hold: the organization, the scenarios its user wrote
    (``scenarios:`` in ``orglens.yaml`` and ``scenarios/*.yaml``, not yet applied) and the
    advice thresholds. :class:`orglens.Workspace` is the object to work with."""

    organization: Organization
    scenarios: tuple[Scenario, ...]
    advice: AdviceSettings = field(default_factory=AdviceSettings)
    decision: DecisionSettings = field(default_factory=DecisionSettings)


def read_workspace(path: str | os.PathLike[str], *, allow_outside: bool = False) -> WorkspaceFiles:
    """The organization of :func:`load` with the scenarios written beside it
    (``allow_outside`` as for :func:`load`).

    Raises
    ------
    InvalidWorkspace
        Carrying every problem found, in the files and in the scenarios.
    """
    problems: list[Problem] = []
    with collector_paused():
        organization, config = _read(Path(path), problems, allow_outside)
        scenarios = _written_scenarios(Path(path), config, problems)
    if problems or organization is None:
        raise InvalidWorkspace(problems)
    return WorkspaceFiles(organization, scenarios, config.advice, config.decision)


def validate(path: str | os.PathLike[str], *, allow_outside: bool = False) -> list[Problem]:
    """Every problem in the files of the workspace at ``path``; an empty list when it loads
    (``allow_outside`` as for :func:`load`).

    Written scenarios are read, not applied: :func:`orglens.validate` applies them too.

    Each problem names the file (relative to the workspace; ``book.xlsx[sheet]`` in a
    workbook), the physical line (header = 1) and what to do about it.
    """
    problems: list[Problem] = []
    with collector_paused():
        _, config = _read(Path(path), problems, allow_outside)
        _written_scenarios(Path(path), config, problems)
    return problems


def _written_scenarios(path: Path, config: Config, problems: list[Problem]) -> tuple[Scenario, ...]:
    """The user's scenarios as written (``scenarios:`` in orglens.yaml, ``scenarios/*.yaml``).

    Whether the units and people they name exist is checked by applying them, one level up
    (:meth:`orglens.Workspace.open`), where the organizations they design are kept.
    """
    if not path.is_dir():
        return ()
    return (*config.scenarios, *read_scenario_files(path / "scenarios", problems))


def _read(
    path: Path, problems: list[Problem], allow_outside: bool
) -> tuple[Organization | None, Config]:
    """The organization (``None`` after problems) and the workspace's configuration."""
    inputs: _Inputs | None
    if path.is_dir():
        inputs = _folder_inputs(path, problems, allow_outside)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        inputs = _workbook_inputs(path, problems)
    else:
        what = "is not a workbook" if path.exists() else "does not exist"
        problems.append(
            Problem(
                f"the workspace {what}",
                "give a folder with people.csv (and the other CSV files), or one .xlsx workbook",
                str(path),
            )
        )
        return None, Config()
    if inputs is None:
        return None, Config()
    return _organization(inputs, problems, allow_outside), inputs.config


# -- sources ---------------------------------------------------------------------------------


def _folder_inputs(folder: Path, problems: list[Problem], allow_outside: bool) -> _Inputs:
    wanted = {CONFIG_FILE, *(f"{kind}.csv" for kind in TABLE_KINDS)}
    # Every entry with a wanted name, whatever it is: a folder or a pipe named people.csv gets
    # a message of its own, not "no people.csv".
    files = {
        entry.name.lower(): entry for entry in folder.iterdir() if entry.name.lower() in wanted
    }
    config = Config()
    config_text = b""
    config_path = files.get(CONFIG_FILE)
    if config_path is not None:
        data = _read_bytes(config_path, folder, problems, allow_outside)
        if data is not None:
            config_text = data
            config = read_config(data, config_path.name, problems)
    tables: dict[str, Table] = {}
    unread: set[str] = set()
    for kind in TABLE_KINDS:
        csv_path = files.get(f"{kind}.csv")
        if csv_path is None:
            continue
        data = _read_bytes(csv_path, folder, problems, allow_outside)
        table = None if data is None else read_csv(data, csv_path.name, problems)
        if table is None:
            unread.add(kind)
        else:
            tables[kind] = table
    if "people.csv" not in files:
        problems.append(Problem("the workspace has no people.csv", _PEOPLE_FIX, str(folder)))
    return _Inputs(
        folder.resolve().name, str(folder), config, tables, folder, frozenset(unread), config_text
    )


#: The fix for a file of the workspace that lies outside it.
OUTSIDE_FIX = (
    "copy the file into the workspace folder, or allow files outside it "
    "(--allow-outside; allow_outside=True from Python)"
)


def file_kind_problem(path: Path, source: str) -> Problem | None:
    """A :class:`Problem` when ``path`` is not a regular file that can be opened, else ``None``.

    A dangling symbolic link, a folder, a named pipe (whose reading would wait forever), a
    device or a socket each get their own message.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> print(file_kind_problem(folder, "people.csv"))
    people.csv: is a folder, not a file — give a CSV file (or move the folder away)
    >>> (folder / "gone.csv").symlink_to(folder / "nowhere.csv")
    >>> print(file_kind_problem(folder / "gone.csv", "gone.csv"))  # doctest: +ELLIPSIS
    gone.csv: is a symbolic link to '...nowhere.csv', which does not exist — ...
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return Problem(
                f"is a symbolic link to {str(os.readlink(path))!r}, which does not exist",
                "point the link at an existing file, or put the file itself here",
                source,
            )
        return Problem("does not exist", "check the path and the file name", source)
    except OSError as error:
        return Problem(
            f"cannot be examined ({error.strerror})", "check the path and its permissions", source
        )
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        what, fix = "is a folder, not a file", "give a CSV file (or move the folder away)"
    elif stat.S_ISFIFO(mode):
        what = "is a named pipe (FIFO), not a file: reading it would wait for a writer"
        fix = "give a regular file"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what, fix = "is a device, not a file", "give a regular file"
    else:
        what, fix = "is a socket or other special file, not a file", "give a regular file"
    return Problem(what, fix, source)


def outside_problem(
    path: Path, folder: Path, source: str, line: int | None = None
) -> Problem | None:
    """A :class:`Problem` when ``path`` (symbolic links followed) lies outside ``folder``."""
    target = path.resolve()
    if target.is_relative_to(folder.resolve()):
        return None
    return Problem(f"leads outside the workspace, to {str(target)!r}", OUTSIDE_FIX, source, line)


def _read_bytes(
    path: Path, folder: Path, problems: list[Problem], allow_outside: bool
) -> bytes | None:
    found = file_kind_problem(path, path.name)
    if found is None and not allow_outside:
        found = outside_problem(path, folder, path.name)
    if found is not None:
        problems.append(found)
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        problems.append(
            Problem(
                f"the file cannot be read ({error.strerror})", "check its permissions", path.name
            )
        )
        return None


def _workbook_inputs(path: Path, problems: list[Problem]) -> _Inputs | None:
    sheets = read_workbook(path, problems)
    if sheets is None:
        return None
    config_sheet = sheets.get(CONFIG_SHEET)
    config = read_config_sheet(config_sheet, problems) if config_sheet else Config()
    tables: dict[str, Table] = {}
    for kind in TABLE_KINDS:
        sheet = sheets.get(kind)
        table = table_from_sheet(sheet, problems) if sheet is not None else None
        if table is not None:
            tables[kind] = table
    if "people" not in sheets:
        found = ", ".join(repr(sheet.source) for sheet in sheets.values())
        problems.append(
            Problem(
                f"the workbook has no sheet named people (sheets: {found})",
                f"add a sheet named people; {_PEOPLE_FIX}",
                path.name,
            )
        )
    return _Inputs(path.stem, path.name, config, tables, path.parent)


# -- records and the organization ------------------------------------------------------------


def _organization(
    inputs: _Inputs, problems: list[Problem], allow_outside: bool
) -> Organization | None:
    mapped = map_tables(inputs.tables, inputs.config.columns, problems)
    table_warnings = tuple(
        warning for table in inputs.tables.values() for warning in table.warnings
    )
    # Each table is let go of as soon as its records are read: the cells of a large people.csv
    # take as much memory as its people. Only their sizes and names are needed later.
    inputs.tables.clear()
    tables = mapped.tables
    rows = {kind: len(table.rows) for kind, table in tables.items()}
    people_source = tables["people"].source if "people" in tables else ""
    units, index = read_units(tables.pop("units"), problems) if "units" in tables else ([], None)
    if index is None or not units:
        index = UnitIndex.derived()
    people = (
        read_people(tables.pop("people"), index, problems, scales=mapped.people)
        if "people" in tables
        else []
    )
    person_ids = {person.id for person in people}
    budget = read_budget(tables.pop("budget"), index, problems) if "budget" in tables else []
    revenue = read_revenue(tables.pop("revenue"), index, problems) if "revenue" in tables else []
    journey = read_journey(tables.pop("journey"), index, problems) if "journey" in tables else []
    coordination = (
        read_coordination(tables.pop("coordination"), index, person_ids, problems)
        if "coordination" in tables
        else []
    )
    del person_ids
    segments = (
        read_segments(tables.pop("segments"), index, problems) if "segments" in tables else []
    )
    events = _located(inputs.config.events, inputs, problems, allow_outside)
    if problems:
        # Reporting lines and unit references can still be checked in the same pass, when
        # every table they refer to was read (else each reference to it would look wrong).
        readable = not inputs.unread and "people" in rows
        if readable and _all_read(rows, people=people, units=units):
            _collect_reference_problems(people, units, index, problems)
        return None
    journey = assign_role_units(journey, people, people_source, problems)
    if problems:
        return None
    config = inputs.config
    # The model keeps the default currency; only a configured one is passed on.
    currency = {"currency": config.currency} if config.currency else {}
    try:
        return Organization(
            name=config.name or inputs.default_name,
            settings=config.settings,
            **currency,
            people=tuple(people),
            units=tuple(units) or index.derived_units(),
            budget=tuple(budget),
            revenue=tuple(revenue),
            journey=tuple(journey),
            coordination=tuple(coordination),
            segments=tuple(segments),
            events=events,
            warnings=(
                *table_warnings,
                *mapped.warnings,
                *_manager_warnings(people),
            ),
        )
    except InvalidWorkspace as error:
        problems.extend(error.problems)
    except ValidationError as error:
        problems.extend(validation_problems(error, inputs.label, None))
    return None


def _located(
    events: EventSource | None, inputs: _Inputs, problems: list[Problem], allow_outside: bool
) -> EventSource | None:
    """``events`` with its path made absolute, relative to the workspace folder; a problem
    when it leads outside the folder and that is not allowed."""
    folder = inputs.folder
    if events is None or folder is None:
        return events
    located = folder / events.path
    if not allow_outside:
        line = _line_mentioning(inputs.config_text, events.path)
        found = outside_problem(located, folder, CONFIG_FILE, line)
        if found is not None:
            problems.append(
                Problem(f"events path {events.path!r} {found.what}", found.fix, CONFIG_FILE, line)
            )
            return None
    return events.model_copy(update={"path": str(located.resolve())})


def _line_mentioning(text: bytes, value: str) -> int | None:
    """The first line of ``text`` that holds ``value`` (the line a YAML value is on)."""
    at = text.find(value.encode())
    return None if at < 0 else text.count(b"\n", 0, at) + 1


def _all_read(rows: dict[str, int], **records: list[Person] | list[Unit]) -> bool:
    """Whether every row of these tables (``rows`` of each) became a record (none dropped for a
    bad id or unit)."""
    return all(len(found) == rows[kind] for kind, found in records.items() if kind in rows)


def _collect_reference_problems(
    people: list[Person], units: list[Unit], index: UnitIndex, problems: list[Problem]
) -> None:
    try:
        Organization(people=tuple(people), units=tuple(units) or index.derived_units())
    except InvalidWorkspace as error:
        problems.extend(error.problems)
    except ValidationError as error:
        problems.extend(validation_problems(error, "people.csv", None))


def _manager_warnings(people: list[Person]) -> tuple[str, ...]:
    roots = [person.id for person in people if person.manager_id is None]
    if len(roots) < 2:
        return ()
    shown = ", ".join(roots[:_SHOWN_ROOTS])
    if len(roots) > _SHOWN_ROOTS:
        shown += f" and {len(roots) - _SHOWN_ROOTS} more"
    return (
        f"{len(roots)} people have no manager ({shown}): "
        "analysed as a part of a company under a virtual top",
    )
