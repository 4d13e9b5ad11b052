"""A CSV file read line by line with Python's csv module, where Arrow's reader cannot help.

:func:`open_binary` gives a file's bytes (a ``.gz`` inflated within its limit, progress
reported); :func:`read_header` its header line, delimiter and the lines before it (an Excel
``sep=;`` line); :func:`csv_line_finder` the line a row starts on, for messages; and
:func:`csv_problem` says, in words a user knows and at its line, why Arrow refused a file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from orglens.errors import Problem
from orglens.io.tables import detect_delimiter
from orglens.io.xes_common import inflated

__all__ = ["Progress", "csv_line_finder", "csv_problem", "open_binary", "read_header"]

#: ``progress(bytes_read, total_bytes)``, called as a file is read.
Progress = Callable[[int, int], None]


def csv_line_finder(path: Path) -> Callable[[int], int | None]:
    """``line_of(row)`` for a CSV file: rescans it, and only when a message needs a line."""

    def line_of(row: int) -> int | None:
        with open_binary(path, None) as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            _, delimiter, skip = read_header(path, path.name)
            for _ in range(skip):
                text.readline()
            reader = csv.reader(text, delimiter=delimiter)
            next(reader, None)
            previous = reader.line_num
            seen = -1
            for cells in reader:
                start = skip + previous + 1
                previous = reader.line_num
                if any(cell.strip() for cell in cells):
                    seen += 1
                    if seen == row:
                        return start
        return None

    return line_of


def read_header(path: Path, source: str) -> tuple[list[str], str, int]:
    """The stripped header cells of a CSV file, its delimiter, and how many lines come before
    the header (1 after an Excel ``sep=;`` line), from the file's first 64 KiB."""
    with open_binary(path, None) as stream:
        head = stream.read(1 << 16)
    text = head.decode("utf-8-sig", errors="replace")
    lines = io.StringIO(text, newline="")
    first = lines.readline()
    skip = 0
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter, skip = first.strip()[4], 1
    else:
        delimiter = detect_delimiter(first)
        lines.seek(0)
    row = next(csv.reader(lines, delimiter=delimiter), [])
    return [cell.strip() for cell in row], delimiter, skip


class _Counting(io.RawIOBase):
    """A binary file that reports how far it has been read."""

    def __init__(self, raw: IO[bytes], total: int, progress: Progress) -> None:
        self._raw = raw
        self._total = total
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._progress(self._raw.tell(), self._total)
        return int(count or 0)


@contextmanager
def open_binary(path: Path, progress: Progress | None) -> Iterator[IO[bytes]]:
    """The file's bytes (decompressed for ``.gz``), reporting progress if asked."""
    with path.open("rb") as raw:
        stream: IO[bytes] = raw
        if progress is not None:
            stream = io.BufferedReader(_Counting(raw, path.stat().st_size, progress), 1 << 20)
        if path.suffix.lower() == ".gz":
            # Refused past the limit of inflated size, and when damaged, as it is read.
            stream = inflated(stream, path.name)
        yield stream


def csv_problem(path: Path, source: str, message: str) -> Problem:
    """The problem behind Arrow's ``message`` refusing the file: text that is not UTF-8, or the
    first row whose cells do not match the header, at its line."""
    if "UTF8" in message or "UTF-8" in message:
        line = _first_non_utf8_line(path)
        return Problem(
            "the file is not UTF-8 text (Windows-1252 or Latin-1?)",
            "save it as UTF-8 text (in Excel: Save As › 'CSV UTF-8 (Comma delimited)')",
            source,
            line,
        )
    return _misshapen_row(path, source) or Problem(
        "the file cannot be read as CSV (its rows do not split into the header's columns)",
        "put cells that contain the delimiter in double quotes, and close every quote",
        source,
    )


def _misshapen_row(path: Path, source: str) -> Problem | None:
    """The first row that does not have the header's number of cells, said in our words.

    Read again with Python's CSV reader, only after Arrow has refused the file: Arrow's
    messages give neither the line nor words a user knows.
    """
    _, delimiter, skip = read_header(path, source)
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    with open_binary(path, None) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        for _ in range(skip):
            text.readline()
        reader = csv.reader(text, delimiter=delimiter)
        header = next(reader, [])
        previous = reader.line_num
        try:
            for cells in reader:
                start, previous = skip + previous + 1, reader.line_num
                if not cells or len(cells) == len(header):
                    continue
                if any("\n" in cell or "\r" in cell for cell in cells):
                    end = skip + reader.line_num
                    runs = f"runs on to line {end}" if end > start else "is never closed"
                    return Problem(
                        f"a quote opened on this line {runs}, which leaves the row "
                        f"{len(cells)} cells where the header has {len(header)}",
                        'close the quote; a quote inside a cell is written twice ("")',
                        source,
                        start,
                    )
                if len(cells) > len(header):
                    return Problem(
                        f"the row has {len(cells)} cells where the header has {len(header)}",
                        f"put cells that contain the delimiter {shown} in double quotes",
                        source,
                        start,
                    )
                return Problem(
                    f"the row has {len(cells)} cell{'s' if len(cells) != 1 else ''} where the "
                    f"header has {len(header)}",
                    f"give every row all {len(header)} cells (an empty cell is written as "
                    "nothing between two delimiters)",
                    source,
                    start,
                )
        except csv.Error:
            return Problem(
                f"a cell is longer than {csv.field_size_limit():,} characters: most likely a "
                "quote opened on this line is never closed",
                'close the quote; a quote inside a cell is written twice ("")',
                source,
                skip + previous + 1,
            )
    return None


def _first_non_utf8_line(path: Path) -> int | None:
    """The line of the first bytes that are not UTF-8, read a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with open_binary(path, None) as stream:
        while True:
            data = stream.read(1 << 20)
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as error:
                return lines + data.count(b"\n", 0, max(error.start, 0)) + 1
            if not data:
                return None
            lines += data.count(b"\n")
