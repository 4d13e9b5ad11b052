"""The fast way through a large table: whole columns checked at once.

A people.csv of a million rows read cell by cell, each person validated on its own, spends most
of its time on rows that have nothing wrong. Here each column is checked as a whole, and the
rows whose every cell is sound become records at once (:func:`~orglens.model.checked_records`).
A row with anything unusual (an empty id, a number with thousand separators, an ``80%`` fte, an
ambiguous unit name) is left to the row-by-row reader of :mod:`orglens.io.records`, which reads
it and words its problems; so the records and the messages are the same either way.

Repeated texts (roles, locations, work modes, lists of competences) are kept once, so that a
large organization holds each distinct value once rather than once a person.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import compress
from operator import itemgetter
from typing import TypeVar

from pydantic import BaseModel

from orglens.io.cells import WORK_MODES, Cells, split_items
from orglens.io.columns import ValueScales
from orglens.io.tables import Table
from orglens.io.units import UnitIndex
from orglens.model import CoordinationNeed, Origin, Person, checked_records

__all__ = ["checked_coordination", "checked_people"]

Text = TypeVar("Text", bound=Hashable)
Value = TypeVar("Value")
Record = TypeVar("Record", bound=BaseModel)

#: A cell that the fast way does not read (the row is left to the row-by-row reader).
_UNREAD = object()


def checked_people(cells: Cells, units: UnitIndex, scales: ValueScales) -> list[Person | None]:
    """Per row of the people table in ``cells``: its person, or ``None`` for a row that must be
    read row by row. The table has the columns ``id``, ``manager_id`` and ``unit``.

    Every unit named is looked up in ``units`` in the order the rows first name it, as reading
    row by row does (a derived index so declares each unit where it is first named).
    """
    table = cells.table
    column = _Columns(table)
    ids = column.strings("id")
    unit_texts = column.strings("unit")
    resolved: dict[str, str | tuple[str, ...]] = {}
    for row, text in zip(table.rows, unit_texts, strict=True):
        if text and text not in resolved:
            resolved[text] = units.resolve(text, declare_at=cells.origin(row))
    found_units = [resolved.get(text) for text in unit_texts]
    costs = _numbers(column.texts("cost"))
    ftes = _numbers(column.texts("fte"))
    modes = _kept(column.texts("work_mode"), _work_mode)
    sound = [
        bool(person_id)
        and isinstance(unit, str)
        and cost is not _UNREAD
        and fte is not _UNREAD
        and mode is not _UNREAD
        for person_id, unit, cost, fte, mode in zip(
            ids, found_units, costs, ftes, modes, strict=True
        )
    ]
    per_year, percent = scales.cost_per_year, scales.fte_percent
    values: dict[str, Sequence[object]] = {
        "origin": column.origins(),
        "id": ids,
        "name": column.strings("name"),
        "manager_id": column.texts("manager_id"),
        "unit": found_units,
        "role": _kept(column.strings("role"), str),
        "competences": _kept(column.texts("competences"), _items),
        "cost": [(cost or 0.0) * per_year if isinstance(cost, float) else 0.0 for cost in costs],
        "fte": [_fte(fte, percent) for fte in ftes],
        "email": column.texts("email"),
        "location": _kept(column.texts("location"), _same),
        "segments": _kept(column.texts("segments"), _items),
        "work_mode": modes,
        "attributes": _attributes(cells),
    }
    return _aligned(Person, values, sound)


def checked_coordination(
    cells: Cells, units: UnitIndex, person_ids: set[str]
) -> list[CoordinationNeed | None]:
    """Per row of the coordination table in ``cells``: its need when source and target are
    person ids or unit ids and the weight is sound, else ``None`` (read row by row). The table
    has the columns ``source`` and ``target``."""
    column = _Columns(cells.table)
    sources, targets = column.strings("source"), column.strings("target")
    weights = [
        _UNREAD if isinstance(weight, float) and weight <= 0 else weight
        for weight in _numbers(column.texts("weight"))
    ]
    sound = [
        bool(source)
        and bool(target)
        and (source in person_ids or source in units)
        and (target in person_ids or target in units)
        and weight is not _UNREAD
        for source, target, weight in zip(sources, targets, weights, strict=True)
    ]
    values: dict[str, Sequence[object]] = {
        "origin": column.origins(),
        "source": sources,
        "target": targets,
        "weight": [weight if isinstance(weight, float) else 1.0 for weight in weights],
        "kind": _kept(column.strings("kind"), _same),
        "attributes": _attributes(cells),
    }
    return _aligned(CoordinationNeed, values, sound)


# -- columns ----------------------------------------------------------------------------------


class _Columns:
    """The cells of a table, a column at a time."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._cells = [row.cells for row in table.rows]

    def strings(self, name: str) -> list[str]:
        """The stripped cells of column ``name``; ``""`` in every row when there is none."""
        position = self._table.columns.get(name)
        if position is None:
            return [""] * len(self._cells)
        return list(map(itemgetter(position), self._cells))

    def texts(self, name: str) -> list[str | None]:
        """The cells of column ``name`` as :meth:`Cells.text` reads them (``None`` when empty)."""
        return [text or None for text in self.strings(name)]

    def origins(self) -> list[Origin]:
        source = self._table.source
        return [Origin(source, row.line) for row in self._table.rows]


def _kept(texts: Sequence[Text], convert: Callable[[Text], Value]) -> list[Value]:
    """``convert`` of each text, converting each distinct text once and keeping one result for
    all the rows that hold it."""
    results: dict[Text, Value] = {}
    kept = []
    for text in texts:
        try:
            kept.append(results[text])
        except KeyError:
            results[text] = value = convert(text)
            kept.append(value)
    return kept


def _same(text: Text) -> Text:
    return text


def _items(text: str | None) -> tuple[str, ...]:
    return split_items(text) if text else ()


def _work_mode(text: str | None) -> object:
    if text is None:
        return None
    value = text.lower()
    return value if value in WORK_MODES else _UNREAD


def _numbers(texts: Iterable[str | None]) -> list[object]:
    """The number in each cell: ``None`` when empty, :data:`_UNREAD` unless it is a finite
    number of zero or more that ``float`` reads (read so in any file, as by
    :func:`~orglens.io.cells.parse_number`); the row-by-row reader reads the rest, or says why
    not."""
    numbers: list[object] = []
    isfinite = math.isfinite
    for text in texts:
        if text is None:
            numbers.append(None)
            continue
        try:
            value = float(text)
        except ValueError:
            numbers.append(_UNREAD)
            continue
        numbers.append(value if isfinite(value) and not value < 0 else _UNREAD)
    return numbers


def _fte(fte: object, percent: bool) -> float:
    if not isinstance(fte, float):
        return 1.0
    return fte / 100 if percent else fte


def _attributes(cells: Cells) -> list[dict[str, str]]:
    rows = cells.table.rows
    if not cells.has_extras:
        return [{} for _ in rows]
    return [cells.attributes(row) for row in rows]


def _aligned(
    model: type[Record], values: dict[str, Sequence[object]], sound: list[bool]
) -> list[Record | None]:
    """The records of the sound rows at their rows' positions, ``None`` at the others."""
    if all(sound):
        return list(checked_records(model, values))
    kept = {name: list(compress(column, sound)) for name, column in values.items()}
    records = iter(checked_records(model, kept))
    return [next(records) if ok else None for ok in sound]
