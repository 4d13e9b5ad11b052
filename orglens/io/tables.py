"""Raw tables from messy exports: CSV bytes in any common dialect, or the sheets of a workbook.

A :class:`Table` keeps the header, a lookup from normalized column names to positions, and the
data rows (cells stripped, one per header column), each with the physical line it starts on
(header = line 1; in a workbook, the sheet row). Problems found later can so point at the line
a user sees in their editor, even when a quoted cell spans several lines.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orglens.errors import Problem

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = [
    "DELIMITERS",
    "Row",
    "Sheet",
    "Table",
    "cell_text",
    "column_key",
    "decode",
    "detect_delimiter",
    "read_csv",
    "read_workbook",
    "table_from_sheet",
]

#: The delimiters recognised in a CSV header line, in order of preference on a tie.
DELIMITERS = (",", ";", "\t")

_UTF8_FIX = "save it as UTF-8 text (in Excel: Save As › 'CSV UTF-8 (Comma delimited)')"
_EMPTY_FIX = "add a header line with the column names and one row per record, or remove the file"

Records = Iterator[tuple[int, Sequence[str]]]


@dataclass(frozen=True, slots=True)
class Row:
    """The stripped cells of one data row (one per header column) and the physical line (or
    sheet row) it starts on."""

    line: int
    cells: Sequence[str]


@dataclass(frozen=True)
class Table:
    """One CSV file or workbook sheet, as text cells.

    ``source`` names it in messages (``people.csv`` or ``book.xlsx[people]``); ``header`` holds
    the stripped header texts, found on ``header_line``; ``columns`` maps :func:`column_key` of
    each header to its position; ``delimiter`` is ``None`` for a workbook sheet.
    """

    source: str
    header_line: int
    header: tuple[str, ...]
    columns: dict[str, int]
    rows: tuple[Row, ...]
    delimiter: str | None

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers may use a decimal comma (only in ``;``-delimited files)."""
        return self.delimiter == ";"


@dataclass(frozen=True)
class Sheet:
    """The non-empty rows of one workbook sheet, as text cells with their row numbers."""

    source: str
    records: tuple[tuple[int, tuple[str, ...]], ...]


def column_key(header: str) -> str:
    """The name a header is matched by: lower case, inner spaces as ``_``, outer ones dropped.

    Examples
    --------
    >>> column_key("  Manager ID ")
    'manager_id'
    """
    return "_".join(header.lower().split())


def detect_delimiter(header_line: str) -> str:
    """The delimiter used most often outside quotes in ``header_line`` (``,`` on a tie).

    Examples
    --------
    >>> detect_delimiter("id;name;unit")
    ';'
    >>> detect_delimiter('id\\t"last; first"\\tunit')
    '\\t'
    >>> detect_delimiter("id")
    ','
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=counts.__getitem__)


def decode(data: bytes, source: str, problems: list[Problem]) -> str | None:
    """UTF-8 text of ``data`` without a BOM, or ``None`` (and a problem) if it is not UTF-8.

    Examples
    --------
    >>> decode("\\ufeffÅsa".encode(), "people.csv", [])
    'Åsa'
    >>> problems = []
    >>> decode(b"id\\n\\xe5", "people.csv", problems) is None
    True
    >>> print(problems[0])  # doctest: +ELLIPSIS
    people.csv:2: the file is not UTF-8: byte 0xe5 cannot be read (Windows-1252 or ...
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Problem("the file is UTF-16 text, not UTF-8", _UTF8_FIX, source))
        return None
    if b"\x00" in data:
        problems.append(
            Problem(
                "the file is binary, not text (it contains NUL bytes)",
                "export the table as CSV UTF-8 text (a whole workbook can be loaded as one .xlsx)",
                source,
            )
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        what = (
            f"the file is not UTF-8: byte 0x{byte:02x} cannot be read "
            "(Windows-1252 or Latin-1 text?)"
        )
        problems.append(Problem(what, _UTF8_FIX, source, line))
        return None


def read_csv(data: bytes, source: str, problems: list[Problem]) -> Table | None:
    """Parse CSV ``data`` (delimiter detected from the header line) into a :class:`Table`.

    An Excel ``sep=;`` first line is honoured. Returns ``None`` with problems added when the
    file cannot be read as a table at all.

    Examples
    --------
    >>> table = read_csv(b'Id;Name\\n1;"two\\nlines"\\n2;B\\n', "people.csv", [])
    >>> table.columns, [(row.line, list(row.cells)) for row in table.rows]
    ({'id': 0, 'name': 1}, [(2, ['1', 'two\\nlines']), (4, ['2', 'B'])])
    """
    text = decode(data, source, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem("the file is empty", _EMPTY_FIX, source))
        return None
    stream = io.StringIO(text, newline="")
    first_line = stream.readline()
    marker = first_line.strip()
    if marker.lower().startswith("sep=") and len(marker) == 5:
        delimiter, skipped = marker[4], 1
    else:
        delimiter, skipped = detect_delimiter(_first_non_blank_line(text)), 0
        stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        return _table(source, _records(reader, skipped), delimiter, problems)
    except _UnclosedQuote as error:
        problems.append(
            Problem(
                "a quoted cell starting on this line is never closed",
                'close the quote (a " inside a quoted cell is written as "")',
                source,
                error.line,
            )
        )
    except csv.Error as error:
        problems.append(
            Problem(
                f"the file cannot be read as CSV ({error})",
                "check for a quote that is opened but never closed",
                source,
                skipped + reader.line_num,
            )
        )
    return None


class _UnclosedQuote(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _first_non_blank_line(text: str) -> str:
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line
    return ""


def _records(reader: CsvReader, skipped: int) -> Records:
    """Non-blank records with the physical line each starts on."""
    previous = 0
    start = 0
    cells: list[str] = []
    for cells in reader:
        start = skipped + previous + 1
        previous = reader.line_num
        stripped = tuple([cell.strip() for cell in cells])
        if any(stripped):
            yield start, stripped
    # The csv module reads an unclosed quote up to the end of the file, line breaks included;
    # a legitimately quoted cell hardly ever ends with one.
    if skipped + previous > start and any(cell.endswith(("\n", "\r")) for cell in cells):
        raise _UnclosedQuote(start)


def _table(
    source: str, records: Records, delimiter: str | None, problems: list[Problem]
) -> Table | None:
    first = next(records, None)
    if first is None:
        what = "the sheet is empty" if delimiter is None else "the file is empty"
        problems.append(Problem(what, _EMPTY_FIX, source))
        return None
    header_line, header_cells = first
    header = tuple(header_cells)
    columns: dict[str, int] = {}
    for position, text in enumerate(header):
        key = column_key(text)
        if not key:
            continue
        if key in columns:
            problems.append(
                Problem(
                    f"column {text!r} appears twice in the header",
                    "rename or remove one of them",
                    source,
                    header_line,
                    text,
                )
            )
        else:
            columns[key] = position
    rows = tuple(_rows(source, records, len(header), delimiter, problems))
    return Table(source, header_line, header, columns, rows, delimiter)


def _rows(
    source: str, records: Records, width: int, delimiter: str | None, problems: list[Problem]
) -> Iterator[Row]:
    for line, cells in records:
        if len(cells) > width and any(cells[width:]):
            what = f"the row has {len(cells)} cells but the header has {width} columns"
            problems.append(Problem(what, _extra_cells_fix(delimiter), source, line))
            continue
        if len(cells) != width:
            cells = (*cells[:width], *[""] * (width - len(cells)))
        yield Row(line, cells)


def _extra_cells_fix(delimiter: str | None) -> str:
    if delimiter is None:
        return "give the extra column a header, or clear it"
    fix = f"put cells that contain {delimiter!r} in double quotes"
    return f"{fix} (or separate list items with |)" if delimiter == ";" else fix


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
    """Every sheet of the ``.xlsx`` at ``path``, keyed by its lower-case, stripped title."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            # Exports from other tools often lack styles; openpyxl warns and copes.
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, read_only=True, data_only=True)
        try:
            return {
                sheet.title.strip().lower(): Sheet(
                    f"{path.name}[{sheet.title}]",
                    tuple(_sheet_records(sheet.iter_rows(values_only=True))),
                )
                for sheet in book.worksheets
            }
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


def _sheet_records(values: Iterable[Sequence[object]]) -> Iterator[tuple[int, tuple[str, ...]]]:
    for number, row in enumerate(values, start=1):
        cells = tuple(cell_text(value).strip() for value in row)
        if any(cells):
            yield number, cells


def table_from_sheet(sheet: Sheet, problems: list[Problem]) -> Table | None:
    """The :class:`Table` of a workbook sheet: the first non-empty row is the header."""
    return _table(sheet.source, iter(sheet.records), None, problems)
