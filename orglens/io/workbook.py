"""The sheets of an ``.xlsx`` workbook as text cells, read within limits, and each as a table.

:func:`read_workbook` gives every sheet's non-empty rows (:class:`Sheet`), with their row
numbers; :func:`table_from_sheet` makes a sheet a :class:`~orglens.io.tables.Table`, as a CSV
file is one (its first non-empty row is the header).

A workbook from a stranger may be built to exhaust memory or time: a small file that inflates to
gigabytes, a sheet whose rows reach column XFD. The limits below are far above what a real HR
export reaches (Excel's own limits for rows); each refusal is one
:class:`~orglens.errors.Problem` naming the file, and the sheet and cell where known. A cell is
held to :data:`orglens.io.tables.MAX_CELL_CHARS`, as in a CSV file. A program may change a limit
before it reads a workspace (``orglens.io.workbook.MAX_SHEET_CELLS = ...``).
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import Any

from orglens.errors import Problem
from orglens.io import tables
from orglens.io.tables import LIMITS_NOTE, Refused, Table, long_cell, table_from_records
from orglens.io.zipsafe import DIRECTORY_BYTES_PER_ENTRY, zip_directory_size

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_SHEET_CELLS",
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_PARTS",
    "Sheet",
    "cell_text",
    "read_workbook",
    "table_from_sheet",
]

#: The last row a workbook sheet may use (Excel's own limit).
MAX_ROWS = 1_048_576
#: The most cells read from one sheet, counting the empty ones before the last cell of each row.
MAX_SHEET_CELLS = 20_000_000
#: The most bytes the parts of an ``.xlsx`` workbook (a zip archive) may inflate to, together.
MAX_WORKBOOK_BYTES = 200 * 2**20
#: The most parts (files inside the zip archive) a workbook may have.
MAX_WORKBOOK_PARTS = 10_000
#: How many times a part of over 1 MiB may inflate (real sheets inflate 5 to 20 times).
MAX_COMPRESSION_RATIO = 100

_BIG_PART = 2**20


@dataclass(frozen=True)
class Sheet:
    """The non-empty rows of one workbook sheet, as text cells with their row numbers."""

    source: str
    records: tuple[tuple[int, tuple[str, ...]], ...]


def cell_text(value: object) -> str:
    """The text of a workbook cell value, as it would read in a CSV export.

    Examples
    --------
    >>> [cell_text(v) for v in (None, 7.0, 612345.5, True, "Åsa")]
    ['', '7', '612345.5', 'true', 'Åsa']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path, problems: list[Problem]) -> dict[str, Sheet] | None:
    """Every sheet of the ``.xlsx`` at ``path``, keyed by its lower-case, stripped title.

    Before openpyxl opens it, the zip archive's declared sizes are checked against
    :data:`MAX_WORKBOOK_BYTES`, :data:`MAX_WORKBOOK_PARTS` and :data:`MAX_COMPRESSION_RATIO`;
    while a sheet is read, its rows against :data:`MAX_ROWS`, its cells against
    :data:`MAX_SHEET_CELLS` and each cell against :data:`~orglens.io.tables.MAX_CELL_CHARS`.
    A sheet's declared dimension is not trusted: only the cells it holds are read, each row up
    to its last cell.
    """
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    refused = _archive_problem(path)
    if refused is not None:
        problems.append(refused)
        return None
    try:
        with warnings.catch_warnings():
            # Exports from other tools often lack styles; openpyxl warns and copes.
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheets: dict[str, Sheet] = {}
            for sheet in book.worksheets:
                source = f"{path.name}[{sheet.title}]"
                try:
                    records = tuple(_sheet_records(sheet))
                except Refused as limit:
                    problems.append(limit.problem(source))
                    return None
                sheets[sheet.title.strip().lower()] = Sheet(source, records)
            return sheets
        finally:
            book.close()
    # A damaged workbook makes openpyxl (or zipfile, or its XML parser) raise errors of many
    # kinds; each means the same to the user: this file cannot be read.
    except Exception as error:
        problems.append(
            Problem(
                f"the workbook cannot be read ({type(error).__name__}: {error})",
                "save it again from Excel as an .xlsx workbook",
                path.name,
            )
        )
        return None


def _archive_problem(path: Path) -> Problem | None:
    """A problem when the workbook's zip archive is larger than the limits allow.

    :mod:`zipfile` never returns more bytes than a part declares (and then checks its CRC), so
    the declared sizes also bound what openpyxl can inflate, whatever the data really holds.
    """
    fix = (
        "remove what is not needed (other sheets, pictures, formatted empty rows) and save it "
        f"again, or save each sheet as CSV; {LIMITS_NOTE}"
    )
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            what = f"the workbook is {_bytes(size)}, more than the {_bytes(MAX_WORKBOOK_BYTES)}"
            return Problem(f"{what} read from a workbook", fix, path.name)
        directory = zip_directory_size(path)
        if directory is not None and directory > MAX_WORKBOOK_PARTS * DIRECTORY_BYTES_PER_ENTRY:
            what = f"the workbook's list of parts takes {_bytes(directory)}, more than the"
            return Problem(
                f"{what} {MAX_WORKBOOK_PARTS:,} parts of a real workbook need", fix, path.name
            )
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile):
        return None  # openpyxl says why the file cannot be read
    if len(parts) > MAX_WORKBOOK_PARTS:
        what = f"the workbook has {len(parts):,} parts, more than the {MAX_WORKBOOK_PARTS:,}"
        return Problem(f"{what} of a real workbook", fix, path.name)
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_WORKBOOK_BYTES:
        what = f"the workbook inflates to {_bytes(inflated)}, more than the"
        return Problem(f"{what} {_bytes(MAX_WORKBOOK_BYTES)} read from a workbook", fix, path.name)
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _BIG_PART and ratio > MAX_COMPRESSION_RATIO:
            what = (
                f"its part {part.filename!r} inflates {ratio:,.0f} times "
                f"({_bytes(part.compress_size)} to {_bytes(part.file_size)}), more than the "
                f"{MAX_COMPRESSION_RATIO} times of a real workbook"
            )
            return Problem(what, fix, path.name)
    return None


def _bytes(size: int) -> str:
    """``size`` in the unit a reader takes in at a glance.

    Examples
    --------
    >>> _bytes(1_610_612_736), _bytes(209_715_200), _bytes(4_100)
    ('1.5 GiB', '200.0 MiB', '4,100 bytes')
    """
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20)):
        if size >= factor:
            return f"{size / factor:,.1f} {unit}"
    return f"{size:,} bytes"


_is_value = partial(is_not, None)


def _column_letters(position: int) -> str:
    """The spreadsheet name of the column at ``position`` (0 is ``A``).

    Examples
    --------
    >>> _column_letters(0), _column_letters(27), _column_letters(16_383)
    ('A', 'AB', 'XFD')
    """
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet_records(sheet: Any) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The non-empty rows of a read-only openpyxl ``sheet``, each up to its last filled cell."""
    # The declared dimension may be wrong, or huge on purpose: padding every row to it made
    # 400 million empty cells out of a small file.
    sheet.reset_dimensions()
    budget = MAX_SHEET_CELLS
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise Refused(
                f"the sheet has rows after row {MAX_ROWS:,}, the last one read (Excel's own limit)",
                f"delete the rows after the data; {LIMITS_NOTE}",
                None,
            )
        budget -= len(row)
        if budget < 0:
            raise Refused(
                f"the sheet holds more than {MAX_SHEET_CELLS:,} cells (counting the empty ones "
                "before the last cell of each row)",
                f"delete the empty rows and columns after the data, or save the sheet as CSV; "
                f"{LIMITS_NOTE}",
                number,
            )
        # Positions of filled cells, found at C speed: a row may be 16,384 cells wide.
        filled = list(compress(range(len(row)), map(_is_value, row)))
        if not filled:
            continue
        cells = [""] * (filled[-1] + 1)
        for position in filled:
            value = row[position]
            # Read from its module at each use: a program may have changed the limit.
            if isinstance(value, str) and len(value) > tables.MAX_CELL_CHARS:
                where = f"cell {_column_letters(position)}{number}"
                raise long_cell(len(value), number, where)
            cells[position] = cell_text(value).strip()
        if any(cells):
            yield number, tuple(cells)


def table_from_sheet(sheet: Sheet, problems: list[Problem]) -> Table | None:
    """The :class:`Table` of a workbook sheet: the first non-empty row is the header."""
    return table_from_records(sheet.source, iter(sheet.records), None, problems)
