"""Load a workspace (a folder of YAML and CSV files, or one ``.xlsx`` workbook) as an
:class:`~orglens.model.Organization`, or list every problem in it.

Files are read in a fixed order (settings, units, people, then the rest) and every cell-level
problem of every file is collected. Only when there is none are references resolved (roles of
the journey) and the organization built, whose own checks (unknown ids, duplicate ids, cycles)
point at the lines the records came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from orglens._collector import collector_paused
from orglens.errors import InvalidWorkspace, Problem
from orglens.io.cells import validation_problems
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
from orglens.io.tables import Table, read_csv, read_workbook, table_from_sheet
from orglens.io.units import UnitIndex
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


def load(path: str | os.PathLike[str]) -> Organization:
    """Read the workspace at ``path`` (a folder or one ``.xlsx`` workbook).

    Parameters
    ----------
    path
        A folder with ``people.csv`` (required), optionally ``orglens.yaml``, ``units.csv``,
        ``budget.csv``, ``revenue.csv``, ``journey.csv``, ``coordination.csv`` and
        ``segments.csv``; or a workbook with sheets of the same names (and an optional
        ``orglens`` sheet of key/value rows for ``name`` and ``currency``).

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
        organization, _ = _read(Path(path), problems)
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


def read_workspace(path: str | os.PathLike[str]) -> WorkspaceFiles:
    """The organization of :func:`load` with the scenarios written beside it.

    Raises
    ------
    InvalidWorkspace
        Carrying every problem found, in the files and in the scenarios.
    """
    problems: list[Problem] = []
    with collector_paused():
        organization, config = _read(Path(path), problems)
        scenarios = _written_scenarios(Path(path), config, problems)
    if problems or organization is None:
        raise InvalidWorkspace(problems)
    return WorkspaceFiles(organization, scenarios, config.advice, config.decision)


def validate(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in the files of the workspace at ``path``; an empty list when it loads.

    Written scenarios are read, not applied: :func:`orglens.validate` applies them too.

    Each problem names the file (relative to the workspace; ``book.xlsx[sheet]`` in a
    workbook), the physical line (header = 1) and what to do about it.
    """
    problems: list[Problem] = []
    with collector_paused():
        _, config = _read(Path(path), problems)
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


def _read(path: Path, problems: list[Problem]) -> tuple[Organization | None, Config]:
    """The organization (``None`` after problems) and the workspace's configuration."""
    inputs: _Inputs | None
    if path.is_dir():
        inputs = _folder_inputs(path, problems)
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
    return _organization(inputs, problems), inputs.config


# -- sources ---------------------------------------------------------------------------------


def _folder_inputs(folder: Path, problems: list[Problem]) -> _Inputs:
    files = {entry.name.lower(): entry for entry in folder.iterdir() if entry.is_file()}
    config = Config()
    config_path = files.get(CONFIG_FILE)
    if config_path is not None and (data := _read_bytes(config_path, problems)) is not None:
        config = read_config(data, config_path.name, problems)
    tables: dict[str, Table] = {}
    for kind in TABLE_KINDS:
        csv_path = files.get(f"{kind}.csv")
        if csv_path is None or (data := _read_bytes(csv_path, problems)) is None:
            continue
        table = read_csv(data, csv_path.name, problems)
        if table is not None:
            tables[kind] = table
    if "people.csv" not in files:
        problems.append(Problem("the workspace has no people.csv", _PEOPLE_FIX, str(folder)))
    return _Inputs(folder.resolve().name, str(folder), config, tables, folder)


def _read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
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


def _organization(inputs: _Inputs, problems: list[Problem]) -> Organization | None:
    tables = inputs.tables
    units, index = read_units(tables["units"], problems) if "units" in tables else ([], None)
    if index is None or not units:
        index = UnitIndex.derived()
    people = read_people(tables["people"], index, problems) if "people" in tables else []
    person_ids = {person.id for person in people}
    budget = read_budget(tables["budget"], index, problems) if "budget" in tables else []
    revenue = read_revenue(tables["revenue"], index, problems) if "revenue" in tables else []
    journey = read_journey(tables["journey"], index, problems) if "journey" in tables else []
    coordination = (
        read_coordination(tables["coordination"], index, person_ids, problems)
        if "coordination" in tables
        else []
    )
    segments = read_segments(tables["segments"], index, problems) if "segments" in tables else []
    if problems:
        if _all_read(tables, people=people, units=units):
            # Reporting lines and unit references can still be checked in the same pass.
            _collect_reference_problems(people, units, index, problems)
        return None
    journey = assign_role_units(journey, people, tables["people"].source, problems)
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
            events=_located(config.events, inputs.folder),
            warnings=_manager_warnings(people),
        )
    except InvalidWorkspace as error:
        problems.extend(error.problems)
    except ValidationError as error:
        problems.extend(validation_problems(error, inputs.label, None))
    return None


def _located(events: EventSource | None, folder: Path | None) -> EventSource | None:
    """``events`` with its path made absolute, relative to the workspace folder."""
    if events is None or folder is None:
        return events
    return events.model_copy(update={"path": str((folder / events.path).resolve())})


def _all_read(tables: dict[str, Table], **records: list[Person] | list[Unit]) -> bool:
    """Whether every row of these tables became a record (none dropped for a bad id or unit)."""
    return all(
        len(found) == len(tables[kind].rows) for kind, found in records.items() if kind in tables
    )


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
