"""Raw tables from messy exports: a CSV file in any common dialect, as rows of text cells.

A :class:`Table` keeps the header, a lookup from normalized column names to positions, and the
data rows (cells stripped, one per header column), each with the physical line it starts on
(header = line 1; in a workbook, the sheet row). Problems found later can so point at the line
a user sees in their editor, even when a quoted cell spans several lines. The text of the file
comes from :func:`~orglens.io.decoding.decode_csv`; the sheets of a workbook become tables in
:mod:`orglens.io.workbook`, through :func:`table_from_records`.

Files from strangers may be built to exhaust memory or time. :data:`MAX_CELL_CHARS` and
:data:`MAX_COLUMNS` (Excel's own limits, far above what a real HR export reaches) hold for CSV
files and sheets alike; each refusal is one :class:`~orglens.errors.Problem` naming the file. A
program may change a limit before it reads a workspace (``orglens.io.tables.MAX_CELL_CHARS =
...``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, overload

from orglens.errors import Problem
from orglens.io.decoding import decode_csv

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = [
    "DELIMITERS",
    "LIMITS_NOTE",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "Records",
    "Refused",
    "Row",
    "Table",
    "column_key",
    "detect_delimiter",
    "long_cell",
    "read_csv",
    "table_from_records",
    "text_lines",
]

#: The delimiters recognised in a CSV header line, in order of preference on a tie.
DELIMITERS = (",", ";", "\t")

#: The longest cell read, in characters (Excel's own limit for a cell).
MAX_CELL_CHARS = 32_767
#: The most columns a table may have (Excel's own limit).
MAX_COLUMNS = 16_384

#: Where a refusal's fix points the user for the limits.
LIMITS_NOTE = "the limits are listed in the README, 'Limits on input files'"
_EMPTY_FIX = "add a header line with the column names and one row per record, or remove the file"

#: The non-empty records of a table, each with the line (or sheet row) it starts on.
Records = Iterator[tuple[int, Sequence[str]]]


@dataclass(frozen=True, slots=True)
class Row:
    """The stripped cells of one data row (one per header column) and the physical line (or
    sheet row) it starts on."""

    line: int
    cells: Sequence[str]

    @property
    def filled(self) -> Sequence[str]:
        """The cells the row really holds: a short row without the empty cells padding it."""
        cells = self.cells
        return cells.held if isinstance(cells, _PaddedCells) else cells


@dataclass(frozen=True)
class Table:
    """One CSV file or workbook sheet, as text cells.

    ``source`` names it in messages (``people.csv`` or ``book.xlsx[people]``); ``header`` holds
    the stripped header texts, found on ``header_line``; ``columns`` maps :func:`column_key` of
    each header to its position; ``delimiter`` is ``None`` for a workbook sheet. ``warnings``
    say what was guessed while reading it (the encoding of a file that is not UTF-8).
    """

    source: str
    header_line: int
    header: tuple[str, ...]
    columns: dict[str, int]
    rows: tuple[Row, ...]
    delimiter: str | None
    warnings: tuple[str, ...] = ()

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers may use a decimal comma (only in ``;``-delimited files)."""
        return self.delimiter == ";"


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


def read_csv(data: bytes, source: str, problems: list[Problem]) -> Table | None:
    """Parse CSV ``data`` (encoding and delimiter detected) into a :class:`Table`.

    An Excel ``sep=;`` first line is honoured. Returns ``None`` with problems added when the
    file cannot be read as a table at all, or breaks :data:`MAX_CELL_CHARS` or
    :data:`MAX_COLUMNS`.

    Examples
    --------
    >>> table = read_csv(b'Id;Name\\n1;"two\\nlines"\\n2;B\\n', "people.csv", [])
    >>> table.columns, [(row.line, list(row.cells)) for row in table.rows]
    ({'id': 0, 'name': 1}, [(2, ['1', 'two\\nlines']), (4, ['2', 'B'])])
    """
    decoded = decode_csv(data, source, problems)
    if decoded is None:
        return None
    text = decoded.text
    if not text.strip():
        problems.append(Problem("the file is empty", _EMPTY_FIX, source))
        return None
    lines = text_lines(text)
    marker = next(lines, "").strip()
    if marker.lower().startswith("sep=") and len(marker) == 5:
        delimiter, skipped = marker[4], 1
    else:
        delimiter, skipped = detect_delimiter(_first_non_blank_line(text)), 0
        lines = text_lines(text)
    records = _Records(csv.reader(lines, delimiter=delimiter), skipped, text)
    try:
        table = table_from_records(source, iter(records), delimiter, problems)
    except _UnclosedQuote as error:
        problems.append(_unclosed_quote(source, error.line))
    except Refused as refused:
        problems.append(refused.problem(source))
    except csv.Error as error:
        problems.append(records.error_problem(error, source))
    else:
        if table is not None and decoded.warning is not None:
            return replace(table, warnings=(decoded.warning,))
        return table
    return None


class _UnclosedQuote(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class Refused(Exception):
    """A table broke a limit; raised where the source is not known yet.

    :meth:`problem` says it once the source is known (the file, or the workbook's sheet).
    """

    def __init__(self, what: str, fix: str, line: int | None) -> None:
        super().__init__(what)
        self.what, self.fix, self.line = what, fix, line

    def problem(self, source: str) -> Problem:
        """The refusal as a problem of ``source``."""
        return Problem(self.what, self.fix, source, self.line)


def _unclosed_quote(source: str, line: int) -> Problem:
    return Problem(
        "a quoted cell starting on this line is never closed",
        'close the quote (a " inside a quoted cell is written as "")',
        source,
        line,
    )


def long_cell(length: int | str, line: int | None, where: str = "a cell") -> Refused:
    """The refusal of a cell of ``length`` characters (or a text such as ``"over 131,072"``),
    more than :data:`MAX_CELL_CHARS`, on ``line``; ``where`` names the cell."""
    count = f"{length:,}" if isinstance(length, int) else length
    return Refused(
        f"{where} holds {count} characters, more than the {MAX_CELL_CHARS:,} of a spreadsheet cell",
        f"shorten the cell, or check that the file is the table you meant; {LIMITS_NOTE}",
        line,
    )


#: How much of a text :func:`text_lines` splits at a time, in characters.
_LINES_CHUNK = 1 << 20


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line ends, as ``io.StringIO(text, newline="")`` gives them
    (``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line).

    One ``StringIO`` of a whole file would hold four bytes a character of it; this splits the
    text a chunk at a time, each chunk ending after a ``\\n``, so that the memory stays small.

    Examples
    --------
    >>> list(text_lines("a\\r\\nb\\rc\\n\\nd"))
    ['a\\r\\n', 'b\\r', 'c\\n', '\\n', 'd']
    """
    size, start = len(text), 0
    while start < size:
        end = start + _LINES_CHUNK
        if end < size:
            found = text.find("\n", end - 1)
            end = size if found < 0 else found + 1
        else:
            end = size
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _first_non_blank_line(text: str) -> str:
    for line in text_lines(text):
        if line.strip():
            return line
    return ""


#: The most distinct cell texts a CSV reader keeps to share among the cells that repeat them.
_KEPT_TEXTS = 1 << 16


class _Records:
    """The non-blank records of a CSV reader, with the physical line each starts on."""

    def __init__(self, reader: CsvReader, skipped: int, text: str) -> None:
        self._reader = reader
        self._skipped = skipped
        self._text = text
        self.next_start = skipped + 1  # the line the next record starts on

    def __iter__(self) -> Records:
        reader, skipped = self._reader, self._skipped
        previous = start = 0
        cells: list[str] = []
        # A text repeated down a column (a unit, a role, a list of competences) is kept once:
        # a large export has far fewer distinct texts than cells. Bounded, so that the texts
        # seen once (ids, names) do not pile up.
        kept: dict[str, str] = {}
        keep = kept.setdefault
        for cells in reader:
            start = skipped + previous + 1
            previous = reader.line_num
            self.next_start = skipped + previous + 1
            if cells and max(map(len, cells)) > MAX_CELL_CHARS:
                raise self._overlong(start, max(map(len, cells)))
            stripped = list(map(str.strip, cells))
            if any(stripped):
                if len(kept) > _KEPT_TEXTS:
                    kept.clear()
                yield start, tuple(map(keep, stripped, stripped))
        # The csv module reads an unclosed quote up to the end of the file, line breaks
        # included; a legitimately quoted cell hardly ever ends with one.
        if skipped + previous > start and any(cell.endswith(("\n", "\r")) for cell in cells):
            raise _UnclosedQuote(start)

    def error_problem(self, error: csv.Error, source: str) -> Problem:
        """The problem a :class:`csv.Error` raised while reading the next record stands for."""
        if "field larger than field limit" in str(error):
            found = self._overlong(self.next_start, f"over {csv.field_size_limit():,}")
            return (
                found.problem(source)
                if isinstance(found, Refused)
                else _unclosed_quote(source, found.line)
            )
        return Problem(
            f"the file cannot be read as CSV ({error})",
            "check for a quote that is opened but never closed",
            source,
            self._skipped + self._reader.line_num,
        )

    def _overlong(self, line: int, length: int | str) -> Refused | _UnclosedQuote:
        """A cell too long, or a quote never closed (an odd number of quotes from ``line`` on)."""
        lines = io.StringIO(self._text, newline="")
        offset = sum(len(text) for _, text in zip(range(line - 1), lines, strict=False))
        if self._text.count('"', offset) % 2:
            return _UnclosedQuote(line)
        return long_cell(length, line)


def table_from_records(
    source: str, records: Records, delimiter: str | None, problems: list[Problem]
) -> Table | None:
    """The :class:`Table` of ``records``: the first is the header, the rest the data rows.

    ``delimiter`` is ``None`` for a workbook sheet. ``None`` (and a problem) when there is no
    record at all; :class:`Refused` past :data:`MAX_COLUMNS`. A row with more cells than the
    header, or a header text repeated, is a problem; a short row reads as padded with empty
    cells.
    """
    first = next(records, None)
    if first is None:
        what = "the sheet is empty" if delimiter is None else "the file is empty"
        problems.append(Problem(what, _EMPTY_FIX, source))
        return None
    header_line, header_cells = first
    header = tuple(header_cells)
    if len(header) > MAX_COLUMNS:
        raise Refused(
            f"the header has {len(header):,} columns, "
            f"more than the {MAX_COLUMNS:,} of a spreadsheet",
            f"check that the file is the table you meant; {LIMITS_NOTE}",
            header_line,
        )
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
            cells = _PaddedCells(cells[:width], width)
        yield Row(line, cells)


class _PaddedCells(Sequence[str]):
    """The cells of a short row, read as if padded with empty cells up to the header's width.

    Padding for real would let a file of a wide header and many short rows fill the memory.
    """

    __slots__ = ("_cells", "_width")

    def __init__(self, cells: Sequence[str], width: int) -> None:
        self._cells = cells
        self._width = width

    @property
    def held(self) -> Sequence[str]:
        return self._cells

    def __len__(self) -> int:
        return self._width

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self[position] for position in range(*index.indices(self._width)))
        position = index + self._width if index < 0 else index
        if not 0 <= position < self._width:
            raise IndexError(index)
        return self._cells[position] if position < len(self._cells) else ""


def _extra_cells_fix(delimiter: str | None) -> str:
    if delimiter is None:
        return "give the extra column a header, or clear it"
    fix = f"put cells that contain {delimiter!r} in double quotes"
    return f"{fix} (or separate list items with |)" if delimiter == ";" else fix
