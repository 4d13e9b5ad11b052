"""Typed values from the text cells of a table; every unreadable cell becomes a Problem.

Empty cells mean "missing". Numbers accept spaces (also no-break spaces) as thousand separators
and, in ``;``-delimited files, a decimal comma. Lists (``competences``, ``segments``) are
separated by ``;`` or ``|``.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from orglens.errors import Problem
from orglens.io.tables import Row, Table
from orglens.model import Origin

__all__ = [
    "HORIZONS",
    "WORK_MODES",
    "Cells",
    "parse_number",
    "split_items",
    "validation_problems",
]

WORK_MODES = ("process", "project")
HORIZONS = ("brand", "activation", "other")

#: Which numbers a column accepts: any, zero or more, or more than zero.
Bound = Literal["any", "zero", "positive"]

Model = TypeVar("Model", bound=BaseModel)

_THOUSANDS = str.maketrans("", "", " \u00a0\u202f\u2009")


def parse_number(text: str, *, decimal_comma: bool) -> float | None:
    """The finite number written in ``text``, or ``None`` if it is not one.

    Examples
    --------
    >>> parse_number("612 345,50", decimal_comma=True)
    612345.5
    >>> parse_number("1.234,5", decimal_comma=True), parse_number("1234.5", decimal_comma=True)
    (1234.5, 1234.5)
    >>> parse_number("1,5", decimal_comma=False) is None, parse_number("nan", decimal_comma=False)
    (True, None)
    """
    try:
        value = float(text)
    except ValueError:
        cleaned = text.translate(_THOUSANDS)
        if decimal_comma and "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def split_items(text: str) -> tuple[str, ...]:
    """The distinct, stripped, non-empty items of a ``;``- or ``|``-separated list.

    Examples
    --------
    >>> split_items(" SEO; content |SEO;; ")
    ('SEO', 'content')
    """
    if ";" not in text and "|" not in text:
        stripped = text.strip()
        return (stripped,) if stripped else ()
    items = [item.strip() for item in text.replace("|", ";").split(";")]
    return tuple(dict.fromkeys(item for item in items if item))


def detail_text(label: str, detail: Mapping[str, Any]) -> str:
    """One pydantic error in words: ``label: message (got value)``, without pydantic's
    ``Value error,`` prefix, and without the value when the message already says what it got.

    >>> detail_text("span_range", {"type": "value_error", "input": [9, 3],
    ...     "msg": "Value error, span_range must be [min, max] with min <= max, got [9, 3]"})
    'span_range: span_range must be [min, max] with min <= max, got [9, 3]'
    >>> detail_text("fte", {"type": "float_parsing", "input": "x",
    ...     "msg": "Input should be a number"})
    "fte: Input should be a number (got 'x')"
    """
    message = str(detail["msg"]).removeprefix("Value error, ")
    if detail["type"] == "value_error" and "got " in message:
        return f"{label}: {message}"
    return f"{label}: {message} (got {detail['input']!r})"


def validation_problems(
    error: ValidationError, file: str | None, line: int | None, *, prefix: str = ""
) -> list[Problem]:
    """One :class:`Problem` per error pydantic found, located at ``file:line``."""
    problems = []
    for detail in error.errors():
        location = ".".join(str(part) for part in (prefix, *detail["loc"]) if part != "")
        column = str(detail["loc"][0]) if detail["loc"] else None
        what = detail_text(location or "value", detail)
        problems.append(Problem(what, "correct the value", file, line, column))
    return problems


class Cells:
    """Typed access to the cells of one table, adding a problem for each unreadable cell.

    ``known`` are the column keys the file defines; every other column is kept per row by
    :meth:`attributes`, under its original header text.
    """

    def __init__(self, table: Table, problems: list[Problem], known: Iterable[str]) -> None:
        self.table = table
        self.problems = problems
        self._columns = table.columns
        self._decimal_comma = table.decimal_comma
        known_keys = frozenset(known)
        self._extras = sorted(
            (position, table.header[position])
            for key, position in table.columns.items()
            if key not in known_keys
        )
        self._extra_positions = [position for position, _ in self._extras]

    # -- columns -------------------------------------------------------------------------------

    def has(self, column: str) -> bool:
        return column in self._columns

    @property
    def has_extras(self) -> bool:
        """Whether the table has columns the file does not define (kept by :meth:`attributes`)."""
        return bool(self._extras)

    def require_columns(self, *columns: str) -> bool:
        """Whether every one of ``columns`` exists; a problem for each that does not."""
        missing = [column for column in columns if column not in self._columns]
        for column in missing:
            self._missing_column(repr(column), f"add a column named {column}")
        return not missing

    def require_one_of(self, *columns: str) -> bool:
        """Whether at least one of ``columns`` exists; a problem if none does."""
        if any(column in self._columns for column in columns):
            return True
        names = " or ".join(repr(column) for column in columns)
        self._missing_column(names, f"add a column named {columns[0]}")
        return False

    def _missing_column(self, names: str, fix: str) -> None:
        found = ", ".join(repr(text) for text in self.table.header if text) or "none"
        self.problems.append(
            Problem(
                f"missing required column {names}",
                f"{fix}; the columns found are {found}",
                self.table.source,
                self.table.header_line,
            )
        )

    # -- cells ---------------------------------------------------------------------------------

    def origin(self, row: Row) -> Origin:
        return Origin(self.table.source, row.line)

    def add(self, row: Row, column: str | None, what: str, fix: str) -> None:
        """Record a problem in ``column`` of ``row``."""
        self.problems.append(Problem(what, fix, self.table.source, row.line, column))

    def text(self, row: Row, column: str) -> str | None:
        """The stripped cell, or ``None`` when it is empty or the column does not exist."""
        position = self._columns.get(column)
        return None if position is None else row.cells[position] or None

    def required(self, row: Row, column: str) -> str:
        """The stripped cell; a problem (and ``""``) when it is empty."""
        value = self.text(row, column)
        if value is None:
            self.add(row, column, f"{column} is empty", f"fill in the {column}, or delete the row")
            return ""
        return value

    def number(
        self, row: Row, column: str, *, bound: Bound = "zero", required: bool = False
    ) -> float | None:
        """The number in the cell, ``None`` when empty; a problem when it is not allowed."""
        text = self.required(row, column) if required else self.text(row, column)
        if not text:
            return None
        value = parse_number(text, decimal_comma=self._decimal_comma)
        if value is None:
            self.add(row, column, f"{column} {text!r} is not a number", self._number_fix(text))
        elif bound == "zero" and value < 0:
            self.add(row, column, f"{column} {text!r} is negative", f"make {column} 0 or more")
        elif bound == "positive" and value <= 0:
            self.add(
                row,
                column,
                f"{column} {text!r} is not greater than 0",
                f"give a {column} greater than 0, or delete the row",
            )
        else:
            return value
        return None

    def _number_fix(self, text: str) -> str:
        if self._decimal_comma:
            return "write a plain number such as 1234.5 or 1 234,5"
        if "," in text:
            return (
                "write it with a decimal point and no thousand separators (1234.5); "
                "a decimal comma is read only in ;-delimited files"
            )
        return "write a plain number such as 1234.5"

    def choice(self, row: Row, column: str, allowed: tuple[str, ...]) -> str | None:
        """The cell in lower case when it is one of ``allowed``; ``None`` when empty."""
        text = self.text(row, column)
        if text is None:
            return None
        value = text.lower()
        if value not in allowed:
            self.add(
                row,
                column,
                f"{column} {text!r} is not one of {', '.join(allowed)}",
                f"use one of: {', '.join(allowed)} (or leave it empty)",
            )
            return None
        return value

    def items(self, row: Row, column: str) -> tuple[str, ...]:
        """The list in the cell (see :func:`split_items`)."""
        text = self.text(row, column)
        return split_items(text) if text else ()

    def attributes(self, row: Row) -> dict[str, str]:
        """The non-empty cells of the columns the file does not define, by header text."""
        cells = row.filled
        extras = self._extras
        if self._extra_positions and self._extra_positions[-1] >= len(cells):
            # A short row: the columns after its last cell are empty, however many there are.
            extras = extras[: bisect_left(self._extra_positions, len(cells))]
        return {header: cells[position] for position, header in extras if cells[position]}

    def build(self, model: type[Model], row: Row, **values: object) -> Model | None:
        """``model(origin=..., **values)``; the errors pydantic finds become problems."""
        try:
            return model(origin=self.origin(row), **values)
        except ValidationError as error:
            self.problems.extend(validation_problems(error, self.table.source, row.line))
            return None
