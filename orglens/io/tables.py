"""Raw tables from messy exports: CSV bytes in any common dialect, or the sheets of a workbook.

A :class:`Table` keeps the header, a lookup from normalized column names to positions, and the
data rows (cells stripped, one per header column), each with the physical line it starts on
(header = line 1; in a workbook, the sheet row). Problems found later can so point at the line
a user sees in their editor, even when a quoted cell spans several lines.

The encoding of a CSV file is found by :func:`decode_csv`, in a fixed order: a byte-order mark
(UTF-8, dropped silently; UTF-16 or UTF-32, Excel's "Unicode text"), else UTF-8, else
Windows-1252 (Excel's "CSV" on Windows in Western Europe) when every byte is defined in it, else
Latin-1; the last two with a warning naming the file, the encoding and the first byte that is
not UTF-8.

Files from strangers may be built to exhaust memory or time. The limits below are far above what
a real HR export reaches (Excel's own limits for cells, rows and columns); each refusal is one
:class:`~orglens.errors.Problem` naming the file, and the sheet and cell where known. A program
may change a limit before it reads a workspace (``orglens.io.tables.MAX_SHEET_CELLS = ...``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from orglens.errors import Problem

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = [
    "DELIMITERS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_SHEET_CELLS",
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_PARTS",
    "Decoded",
    "Row",
    "Sheet",
    "Table",
    "cell_text",
    "column_key",
    "decode",
    "decode_csv",
    "detect_delimiter",
    "read_csv",
    "read_workbook",
    "table_from_sheet",
]

#: The delimiters recognised in a CSV header line, in order of preference on a tie.
DELIMITERS = (",", ";", "\t")

#: The longest cell read, in characters (Excel's own limit for a cell).
MAX_CELL_CHARS = 32_767
#: The most columns a table may have (Excel's own limit).
MAX_COLUMNS = 16_384
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

_UTF8_FIX = "save it as UTF-8 text (in Excel: Save As › 'CSV UTF-8 (Comma delimited)')"
_EMPTY_FIX = "add a header line with the column names and one row per record, or remove the file"
_LIMITS = "the limits are listed in the README, 'Limits on input files'"
_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_BIG_PART = 2**20

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

    For ``orglens.yaml``, which must be UTF-8; CSV tables are read with :func:`decode_csv`.

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
        problems.append(_binary_problem(source))
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


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file, the encoding it was read in, and a warning when that was a guess."""

    text: str
    encoding: str
    warning: str | None = None


def decode_csv(data: bytes, source: str, problems: list[Problem]) -> Decoded | None:
    """The text of the CSV ``data``, in the encoding found as the module docstring says.

    ``None`` (and a problem) for binary data, or for bytes that break their byte-order mark.

    Examples
    --------
    >>> decode_csv("\\ufeffÅsa".encode(), "people.csv", []).text
    'Åsa'
    >>> decode_csv("id\\tnamn\\n1\\tÅsa\\n".encode("utf-16"), "people.csv", []).encoding
    'utf-16'
    >>> found = decode_csv("id\\nÅsa".encode("cp1252"), "people.csv", [])
    >>> found.text, found.encoding
    ('id\\nÅsa', 'cp1252')
    >>> print(found.warning)  # doctest: +ELLIPSIS
    people.csv:2: the file is not UTF-8 (byte 0xc5), so it was read as Windows-1252 — ...
    """
    for mark, encoding, name in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                what = f"the file starts as {name} text, but byte {error.start} is not {name}"
                problems.append(Problem(what, _UTF8_FIX, source, _line_of_byte(data, error.start)))
                return None
    if b"\x00" in data:
        problems.append(_binary_problem(source))
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    try:
        text, encoding, name = data.decode("cp1252"), "cp1252", "Windows-1252"
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined; Latin-1 reads any
        text, encoding, name = data.decode("latin-1"), "latin-1", "Latin-1 (ISO-8859-1)"
    what = f"the file is not UTF-8 (byte 0x{data[first_bad]:02x}), so it was read as {name}"
    fix = f"if letters such as å, ä, ö look wrong, {_UTF8_FIX}"
    warning = str(Problem(what, fix, source, _line_of_byte(data, first_bad)))
    return Decoded(text, encoding, warning)


def _line_of_byte(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _binary_problem(source: str) -> Problem:
    return Problem(
        "the file is binary, not text (it contains NUL bytes)",
        "export the table as CSV UTF-8 text (a whole workbook can be loaded as one .xlsx)",
        source,
    )


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
    stream = io.StringIO(text, newline="")
    first_line = stream.readline()
    marker = first_line.strip()
    if marker.lower().startswith("sep=") and len(marker) == 5:
        delimiter, skipped = marker[4], 1
    else:
        delimiter, skipped = detect_delimiter(_first_non_blank_line(text)), 0
        stream.seek(0)
    records = _Records(csv.reader(stream, delimiter=delimiter), skipped, text)
    try:
        table = _table(source, iter(records), delimiter, problems)
    except _UnclosedQuote as error:
        problems.append(_unclosed_quote(source, error.line))
    except _Refused as refused:
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


class _Refused(Exception):
    """A table broke a limit; raised where the source is not known yet."""

    def __init__(self, what: str, fix: str, line: int | None) -> None:
        super().__init__(what)
        self.what, self.fix, self.line = what, fix, line

    def problem(self, source: str) -> Problem:
        return Problem(self.what, self.fix, source, self.line)


def _unclosed_quote(source: str, line: int) -> Problem:
    return Problem(
        "a quoted cell starting on this line is never closed",
        'close the quote (a " inside a quoted cell is written as "")',
        source,
        line,
    )


def _long_cell(length: int | str, line: int | None, where: str = "a cell") -> _Refused:
    count = f"{length:,}" if isinstance(length, int) else length
    return _Refused(
        f"{where} holds {count} characters, more than the {MAX_CELL_CHARS:,} of a spreadsheet cell",
        f"shorten the cell, or check that the file is the table you meant; {_LIMITS}",
        line,
    )


def _first_non_blank_line(text: str) -> str:
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line
    return ""


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
        for cells in reader:
            start = skipped + previous + 1
            previous = reader.line_num
            self.next_start = skipped + previous + 1
            if cells and max(map(len, cells)) > MAX_CELL_CHARS:
                raise self._overlong(start, max(map(len, cells)))
            stripped = tuple([cell.strip() for cell in cells])
            if any(stripped):
                yield start, stripped
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
                if isinstance(found, _Refused)
                else _unclosed_quote(source, found.line)
            )
        return Problem(
            f"the file cannot be read as CSV ({error})",
            "check for a quote that is opened but never closed",
            source,
            self._skipped + self._reader.line_num,
        )

    def _overlong(self, line: int, length: int | str) -> _Refused | _UnclosedQuote:
        """A cell too long, or a quote never closed (an odd number of quotes from ``line`` on)."""
        lines = io.StringIO(self._text, newline="")
        offset = sum(len(text) for _, text in zip(range(line - 1), lines, strict=False))
        if self._text.count('"', offset) % 2:
            return _UnclosedQuote(line)
        return _long_cell(length, line)


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
    if len(header) > MAX_COLUMNS:
        raise _Refused(
            f"the header has {len(header):,} columns, "
            f"more than the {MAX_COLUMNS:,} of a spreadsheet",
            f"check that the file is the table you meant; {_LIMITS}",
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
    :data:`MAX_SHEET_CELLS` and each cell against :data:`MAX_CELL_CHARS`. A sheet's declared
    dimension is not trusted: only the cells it holds are read, each row up to its last cell.
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
                except _Refused as limit:
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
        f"again, or save each sheet as CSV; {_LIMITS}"
    )
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            what = f"the workbook is {_bytes(size)}, more than the {_bytes(MAX_WORKBOOK_BYTES)}"
            return Problem(f"{what} read from a workbook", fix, path.name)
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
            raise _Refused(
                f"the sheet has rows after row {MAX_ROWS:,}, the last one read (Excel's own limit)",
                f"delete the rows after the data; {_LIMITS}",
                None,
            )
        budget -= len(row)
        if budget < 0:
            raise _Refused(
                f"the sheet holds more than {MAX_SHEET_CELLS:,} cells (counting the empty ones "
                "before the last cell of each row)",
                f"delete the empty rows and columns after the data, or save the sheet as CSV; "
                f"{_LIMITS}",
                number,
            )
        # Positions of filled cells, found at C speed: a row may be 16,384 cells wide.
        filled = list(compress(range(len(row)), map(_is_value, row)))
        if not filled:
            continue
        cells = [""] * (filled[-1] + 1)
        for position in filled:
            value = row[position]
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                where = f"cell {_column_letters(position)}{number}"
                raise _long_cell(len(value), number, where)
            cells[position] = cell_text(value).strip()
        if any(cells):
            yield number, tuple(cells)


def table_from_sheet(sheet: Sheet, problems: list[Problem]) -> Table | None:
    """The :class:`Table` of a workbook sheet: the first non-empty row is the header."""
    return _table(sheet.source, iter(sheet.records), None, problems)
