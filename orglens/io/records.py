"""Records from tables: one reader per workspace file.

Each reader checks its required columns, reads every row, adds a problem for each bad cell and
builds a record (with its ``origin``) only from a row without problems, except people: a person
whose id and unit are sound is kept with defaults for bad values, so that reporting lines can be
checked in the same pass. Unit references are mapped to unit ids by
:class:`~orglens.io.units.UnitIndex`. People and coordination needs, the tables that grow with
the company, go through :mod:`orglens.io.checked` first: the rows whose every cell is sound
become records at once, and only the others are read here, cell by cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from orglens.errors import Problem
from orglens.io.cells import HORIZONS, WORK_MODES, Cells, parse_number
from orglens.io.checked import checked_coordination, checked_people
from orglens.io.columns import ValueScales
from orglens.io.synonyms import column_names
from orglens.io.tables import Row, Table
from orglens.io.units import UnitIndex, normalize_function
from orglens.model import (
    BudgetLine,
    CoordinationNeed,
    JourneyActivity,
    Person,
    RevenueStream,
    Segment,
    Unit,
)

__all__ = [
    "assign_role_units",
    "read_budget",
    "read_coordination",
    "read_journey",
    "read_people",
    "read_revenue",
    "read_segments",
    "read_units",
]

# As Organization words it, which reports the same when nothing else is wrong.
_UNIT_FIX = "use an id from units.csv (or add the unit there)"
# The columns of each file are documented once, in orglens.io.synonyms.
PEOPLE_COLUMNS = column_names("people")
UNIT_COLUMNS = column_names("units")
BUDGET_COLUMNS = column_names("budget")
REVENUE_COLUMNS = column_names("revenue")
JOURNEY_COLUMNS = column_names("journey")
COORDINATION_COLUMNS = column_names("coordination")
SEGMENT_COLUMNS = column_names("segments")


def _unit(
    cells: Cells,
    row: Row,
    column: str,
    units: UnitIndex,
    *,
    required: bool = False,
    declare: bool = False,
    check: bool = False,
) -> str | None:
    """The id of the unit the cell names (by id or name); ``None`` when empty or ambiguous.

    With ``check``, a unit the index does not know is a problem here (once the index is
    complete), so that it is reported together with every other problem of the file.
    """
    text = cells.required(row, column) if required else cells.text(row, column)
    if not text:
        return None
    found = units.resolve(text, declare_at=cells.origin(row) if declare else None)
    if isinstance(found, tuple):
        ids = ", ".join(repr(unit_id) for unit_id in found)
        cells.add(
            row,
            column,
            f"{column} {text!r} is the name of several units ({ids})",
            "use the unit id",
        )
        return None
    if check and found not in units and units.complete(cells.problems, cells.table.source):
        cells.add(row, column, f"unknown {column} {text!r}", _UNIT_FIX)
        return None
    return found


def read_units(table: Table, problems: list[Problem]) -> tuple[list[Unit], UnitIndex]:
    """The units of ``units.csv`` (``parent`` by id or name) and the index to name them by."""
    cells = Cells(table, problems, UNIT_COLUMNS)
    if not cells.require_columns("id"):
        return [], UnitIndex.declared((), table.source)
    named: list[tuple[Row, str, str]] = []
    for row in table.rows:
        unit_id = cells.required(row, "id")
        if unit_id:
            named.append((row, unit_id, cells.text(row, "name") or unit_id))
    index = UnitIndex.declared(((unit_id, name) for _, unit_id, name in named), table.source)
    units = []
    for row, unit_id, name in named:
        before = len(problems)
        parent = _unit(cells, row, "parent", index)
        if len(problems) > before:
            continue
        unit = cells.build(
            Unit,
            row,
            id=unit_id,
            name=name,
            parent=parent,
            head=cells.text(row, "head"),
            function=normalize_function(cells.text(row, "function"), name),
            attributes=cells.attributes(row),
        )
        if unit is not None:
            units.append(unit)
    return units, index


def read_people(
    table: Table,
    units: UnitIndex,
    problems: list[Problem],
    *,
    scales: ValueScales | None = None,
) -> list[Person]:
    """The people of ``people.csv``; ``fte`` defaults to 1, ``cost`` to 0.

    ``scales`` (from :func:`~orglens.io.columns.map_tables`) turns a monthly cost into an annual
    one and an employment percentage into an fte; an fte cell such as ``80%`` is always 0.8.
    """
    cells = Cells(table, problems, PEOPLE_COLUMNS)
    if not cells.require_columns("id", "manager_id", "unit"):
        return []
    units.people_read(table.source)
    scales = scales or ValueScales()
    # Rows dropped while reading the table (too many cells) were reported already.
    if not table.rows and not any(problem.file == table.source for problem in problems):
        problems.append(
            Problem(
                "the file has a header but no people",
                "add one row per person below the header",
                table.source,
                table.header_line,
            )
        )
    people = []
    for row, checked in zip(table.rows, checked_people(cells, units, scales), strict=True):
        if checked is not None:
            people.append(checked)
            continue
        before = len(problems)
        person_id = cells.required(row, "id")
        unit = _unit(cells, row, "unit", units, required=True, declare=True)
        if len(problems) > before:
            continue
        # A bad value does not drop the person: reporting lines can still be checked.
        cost = cells.number(row, "cost")
        fte = _fte(cells, row, percent=scales.fte_percent)
        work_mode = cells.choice(row, "work_mode", WORK_MODES)
        person = cells.build(
            Person,
            row,
            id=person_id,
            name=cells.text(row, "name") or "",
            manager_id=cells.text(row, "manager_id"),
            unit=unit,
            role=cells.text(row, "role") or "",
            competences=cells.items(row, "competences"),
            cost=(cost or 0.0) * scales.cost_per_year,
            fte=1.0 if fte is None else fte,
            email=cells.text(row, "email"),
            location=cells.text(row, "location"),
            segments=cells.items(row, "segments"),
            work_mode=work_mode,
            attributes=cells.attributes(row),
        )
        if person is not None:
            people.append(person)
    return people


def _fte(cells: Cells, row: Row, *, percent: bool) -> float | None:
    """The fte of a row: a share of full time, or a percentage (``80%``, or any number when the
    column holds percentages) divided by 100."""
    text = cells.text(row, "fte")
    if text is not None and text.endswith("%"):
        value = parse_number(text[:-1].strip(), decimal_comma=cells.table.decimal_comma)
        if value is not None and value >= 0:
            return value / 100
    fte = cells.number(row, "fte")
    return fte / 100 if fte is not None and percent else fte


def read_budget(table: Table, units: UnitIndex, problems: list[Problem]) -> list[BudgetLine]:
    """The spend lines of ``budget.csv``; ``horizon`` defaults to ``other``."""
    cells = Cells(table, problems, BUDGET_COLUMNS)
    if not cells.require_columns("id", "unit", "amount"):
        return []
    lines = []
    for row in table.rows:
        before = len(problems)
        line_id = cells.required(row, "id")
        unit = _unit(cells, row, "unit", units, required=True, check=True)
        outcome_unit = _unit(cells, row, "outcome_unit", units, check=True)
        amount = cells.number(row, "amount", required=True)
        horizon = cells.choice(row, "horizon", HORIZONS)
        if len(problems) > before:
            continue
        line = cells.build(
            BudgetLine,
            row,
            id=line_id,
            unit=unit,
            category=cells.text(row, "category") or "",
            amount=amount,
            horizon=horizon or "other",
            outcome_unit=outcome_unit,
            description=cells.text(row, "description") or "",
            attributes=cells.attributes(row),
        )
        if line is not None:
            lines.append(line)
    return lines


def read_revenue(table: Table, units: UnitIndex, problems: list[Problem]) -> list[RevenueStream]:
    """The revenue streams of ``revenue.csv``."""
    cells = Cells(table, problems, REVENUE_COLUMNS)
    if not cells.require_columns("stream", "unit", "amount"):
        return []
    streams = []
    for row in table.rows:
        before = len(problems)
        stream = cells.required(row, "stream")
        unit = _unit(cells, row, "unit", units, required=True, check=True)
        amount = cells.number(row, "amount", required=True)
        if len(problems) > before:
            continue
        revenue = cells.build(
            RevenueStream,
            row,
            stream=stream,
            unit=unit,
            amount=amount,
            segment=cells.text(row, "segment"),
            attributes=cells.attributes(row),
        )
        if revenue is not None:
            streams.append(revenue)
    return streams


def read_journey(table: Table, units: UnitIndex, problems: list[Problem]) -> list[JourneyActivity]:
    """The activities of ``journey.csv``, each done by a unit or a role (see
    :func:`assign_role_units`)."""
    cells = Cells(table, problems, JOURNEY_COLUMNS)
    has_columns = cells.require_columns("order", "stage", "activity")
    has_doer = cells.require_one_of("unit", "role")
    if not (has_columns and has_doer):
        return []
    activities = []
    for row in table.rows:
        before = len(problems)
        order = cells.number(row, "order", bound="any", required=True)
        stage = cells.required(row, "stage")
        activity = cells.required(row, "activity")
        unit = _unit(cells, row, "unit", units, check=True)
        role = cells.text(row, "role")
        volume = cells.number(row, "volume_per_year")
        effort = cells.number(row, "effort_hours")
        work_mode = cells.choice(row, "work_mode", WORK_MODES)
        if unit is None and role is None and len(problems) == before:
            cells.add(
                row, "unit", "the row names neither a unit nor a role", "fill in unit or role"
            )
        if len(problems) > before:
            continue
        record = cells.build(
            JourneyActivity,
            row,
            order=order,
            stage=stage,
            activity=activity,
            unit=unit,
            role=role,
            volume_per_year=volume,
            effort_hours=effort,
            work_mode=work_mode,
            attributes=cells.attributes(row),
        )
        if record is not None:
            activities.append(record)
    return activities


def read_coordination(
    table: Table, units: UnitIndex, person_ids: set[str], problems: list[Problem]
) -> list[CoordinationNeed]:
    """The needs of ``coordination.csv``: ``source``/``target`` are person ids, unit ids or
    unit names; ``weight`` must be greater than 0 and defaults to 1."""
    cells = Cells(table, problems, COORDINATION_COLUMNS)
    if not cells.require_columns("source", "target"):
        return []
    needs = []
    checked_needs = checked_coordination(cells, units, person_ids)
    for row, checked in zip(table.rows, checked_needs, strict=True):
        if checked is not None:
            needs.append(checked)
            continue
        before = len(problems)
        source = _party(cells, row, "source", units, person_ids)
        target = _party(cells, row, "target", units, person_ids)
        weight = cells.number(row, "weight", bound="positive")
        if len(problems) > before:
            continue
        need = cells.build(
            CoordinationNeed,
            row,
            source=source,
            target=target,
            weight=1.0 if weight is None else weight,
            kind=cells.text(row, "kind") or "",
            attributes=cells.attributes(row),
        )
        if need is not None:
            needs.append(need)
    return needs


def _party(
    cells: Cells, row: Row, column: str, units: UnitIndex, person_ids: set[str]
) -> str | None:
    text = cells.required(row, column)
    if not text or text in person_ids:
        return text
    found = _unit(cells, row, column, units)
    if (
        found is not None
        and found not in units
        and units.complete(cells.problems, cells.table.source)
    ):
        cells.add(
            row,
            column,
            f"{column} {text!r} is neither a person id nor a unit id",
            "use an id from people.csv or units.csv",
        )
        return None
    return found


def read_segments(table: Table, units: UnitIndex, problems: list[Problem]) -> list[Segment]:
    """The customer segments of ``segments.csv``; ``name`` defaults to the id."""
    cells = Cells(table, problems, SEGMENT_COLUMNS)
    if not cells.require_columns("id"):
        return []
    segments = []
    for row in table.rows:
        before = len(problems)
        segment_id = cells.required(row, "id")
        owner = _unit(cells, row, "owner_unit", units, check=True)
        size = cells.number(row, "size")
        if len(problems) > before:
            continue
        segment = cells.build(
            Segment,
            row,
            id=segment_id,
            name=cells.text(row, "name") or segment_id,
            owner_unit=owner,
            size=size,
            needs=cells.text(row, "needs") or "",
            attributes=cells.attributes(row),
        )
        if segment is not None:
            segments.append(segment)
    return segments


def assign_role_units(
    journey: Sequence[JourneyActivity],
    people: Sequence[Person],
    people_source: str,
    problems: list[Problem],
) -> list[JourneyActivity]:
    """Give each activity named by role only the unit where most people with that role sit.

    Roles match ignoring case; on a tie, the unit named first in ``people`` wins. A role nobody
    has is a problem.
    """
    if all(activity.unit is not None for activity in journey):
        return list(journey)
    units_by_role: dict[str, Counter[str]] = {}
    for person in people:
        if person.role:
            units_by_role.setdefault(person.role.casefold(), Counter())[person.unit] += 1
    assigned = []
    for activity in journey:
        if activity.unit is None and activity.role is not None:
            counts = units_by_role.get(activity.role.casefold())
            if counts is None:
                problems.append(_unknown_role(activity, people, people_source))
                continue
            activity = activity.model_copy(update={"unit": counts.most_common(1)[0][0]})
        assigned.append(activity)
    return assigned


def _unknown_role(
    activity: JourneyActivity, people: Sequence[Person], people_source: str
) -> Problem:
    roles = sorted({person.role for person in people if person.role}, key=str.casefold)
    known = ", ".join(repr(role) for role in roles[:8]) + (", ..." if len(roles) > 8 else "")
    origin = activity.origin
    return Problem(
        f"role {activity.role!r} is the role of nobody in {people_source}",
        f"use a role from {people_source} ({known or 'it has no roles'}), or fill in the unit",
        origin.file if origin else None,
        origin.line if origin else None,
        "role",
    )
