"""CSV event logs: the header, the delimiter, and every column read with the type it will have.

:func:`read_csv_text` reads every column as text. :func:`read_csv_events` reads an event log for
:func:`~orglens.io.events_canonical.canonical_events` and gives the columns it would get from
:func:`read_csv_text` followed by :func:`typed_extras`, only faster and in less memory: the
header is read first and the column mapping resolved, then Arrow's CSV reader converts each
column itself, in parallel, as the file streams by: the timestamp column to a timestamp type when
its first cells all carry a zone offset or all lack one, the activity, resource and group columns
(and the other columns that may hold numbers) to dictionaries, whose distinct values are then
checked instead of every cell. When the timestamp column turns out to mix styles further down,
the file is read again with that column as text.

Opening the file, its header line, and the messages for a file Arrow refuses are
:mod:`orglens.io.csv_lines`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.csv_lines import Progress, csv_problem, open_binary, read_header
from orglens.io.events_columns import (
    CANDIDATES,
    LABEL,
    compact_text,
    label_codes,
    labels,
    name_key,
    resolve_mapping,
)
from orglens.io.events_time import csv_timestamp_type

__all__ = [
    "csv_header",
    "number_or_text",
    "read_csv_events",
    "read_csv_text",
    "typed_extras",
]

#: Bytes at the start of a file whose rows decide how its columns are read.
_SAMPLE_BYTES = 1 << 20
_LEADING_ZERO = r"^[+-]?0\d"
_NUMBER = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"


def read_csv_text(path: Path, *, progress: Progress | None = None) -> pa.Table:
    """Every column of a CSV file as text (empty cells: null), with its stripped header names.

    The delimiter (``,``, ``;`` or tab) is taken from the header line; an Excel ``sep=;`` first
    line is honoured; ``.gz`` files are decompressed; an unnamed, empty trailing column (as
    spreadsheets write) is dropped.
    """
    layout = _layout(path)
    types = dict.fromkeys(layout.fields, pa.string())
    return layout.named(_read(path, layout, types, progress))


def csv_header(path: Path) -> list[str]:
    """The column names :func:`read_csv_text` would give ``path``, from its first lines only.

    (An empty, unnamed column is named here, although the full read drops it when it is empty.)
    """
    return _layout(path).names


def read_csv_events(
    path: Path, mapping: Mapping[str, str | None], *, progress: Progress | None = None
) -> pa.Table:
    """The columns of a CSV event log, typed for
    :func:`~orglens.io.events_canonical.canonical_events`.

    The same columns, in the same order and with the same values, as
    ``typed_extras(read_csv_text(path), mapping)``, except that the timestamp column may come
    as a timestamp type (with the instants :func:`~orglens.io.events_time.parse_timestamps`
    gives its text) and the activity, resource and group columns come as dictionaries.
    """
    layout = _layout(path)
    plan = _plan(path, layout, mapping)
    if plan is None:
        return typed_extras(read_csv_text(path, progress=progress), mapping)
    table = _read_typed(path, layout, plan, progress)
    if table is None:
        return typed_extras(read_csv_text(path, progress=progress), mapping)
    table = layout.named(table)
    if not _resolves_as(table.column_names, mapping, plan):
        return typed_extras(read_csv_text(path, progress=progress), mapping)
    # Each block of the file has dictionaries of its own: unify them (or turn them into numbers)
    # one column at a time, so that the codes as read are freed as soon as they are replaced.
    pool = _reading_pool()
    for position, name in enumerate(table.column_names):
        column = table.column(position)
        if name in plan.numbers:
            table = table.set_column(position, name, _number_labels(column, pool))
        elif pa.types.is_dictionary(column.type):
            table = table.set_column(position, name, labels(column, memory_pool=pool))
    return table


def typed_extras(raw: pa.Table, mapping: Mapping[str, str | None]) -> pa.Table:
    """Text columns holding only integers or only decimal numbers become numeric.

    Mapped columns, and columns with numbers written with leading zeros (ids, postcodes),
    stay text.
    """
    mapped = _mapped_keys(mapping)
    columns = {}
    for name in raw.column_names:
        column = raw.column(name)
        if name_key(name) not in mapped and column.null_count < len(column):
            column = number_or_text(column)
        columns[name] = column
    return pa.table(columns)


def number_or_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` as int64 or float64 when every value is such a number, else unchanged.

    Values with a leading zero (``007``: ids, postcodes) keep the column text.

    Examples
    --------
    >>> number_or_text(pa.chunked_array([[" 12", None, "3"]])).to_pylist()
    [12, None, 3]
    >>> number_or_text(pa.chunked_array([["1.5", "2"]])).type
    DataType(double)
    >>> number_or_text(pa.chunked_array([["007", "8"]])).to_pylist()
    ['007', '8']
    """
    numbers = _as_numbers(column)
    return column if numbers is None else numbers


@dataclass(frozen=True)
class _Layout:
    """What the first lines of a CSV file say: its header, delimiter and lines before it."""

    source: str
    header: list[str]
    delimiter: str
    skip: int

    @property
    def fields(self) -> list[str]:
        """The names Arrow reads the columns under (header names may repeat or be empty)."""
        return [f"f{i}" for i in range(len(self.header))]

    @property
    def names(self) -> list[str]:
        """The column names :meth:`named` gives, before it drops empty unnamed columns."""
        return [name or f"unnamed_{i + 1}" for i, name in enumerate(self.header)]

    def named(self, table: pa.Table) -> pa.Table:
        """``table`` (read under :attr:`fields`) under the header's names."""
        columns: dict[str, pa.ChunkedArray] = {}
        problems: list[Problem] = []
        for position, name in enumerate(self.header):
            column = table.column(position)
            if not name:
                if column.null_count == len(column):
                    continue
                name = f"unnamed_{position + 1}"
            if name in columns:
                problems.append(
                    Problem(
                        f"column {name!r} appears twice in the header",
                        "rename or remove one of them",
                        self.source,
                        self.skip + 1,
                        name,
                    )
                )
            columns[name] = column
        if problems:
            raise InvalidWorkspace(problems)
        return pa.table(columns)


@dataclass(frozen=True)
class _Plan:
    """How to read each column of an event log (by Arrow field name), and what to do after."""

    types: dict[str, pa.DataType]
    resolved: dict[str, str | None]
    #: The Arrow field of the timestamp column when it is read as a timestamp type.
    timestamp: str | None
    #: Columns read as dictionaries that become numbers when all their values are.
    numbers: frozenset[str]
    #: Whether a cell of the sample holds a line break (then no read assumes a row per line).
    multiline: bool


def _layout(path: Path) -> _Layout:
    header, delimiter, skip = read_header(path, path.name)
    if not header:
        raise InvalidWorkspace(
            Problem("the file is empty", "export the log again with a header line", path.name)
        )
    return _Layout(path.name, header, delimiter, skip)


def _plan(path: Path, layout: _Layout, mapping: Mapping[str, str | None]) -> _Plan | None:
    """The types to read with, or ``None`` when the plain text read must decide (and explain)."""
    names = layout.names
    if len(set(names)) < len(names):
        return None
    try:
        resolved = resolve_mapping(names, mapping, layout.source)
    except InvalidWorkspace:
        return None
    sample = _sample(path, layout)
    if sample is None:
        return None
    mapped = _mapped_keys(mapping)
    label_columns = {resolved["activity"], resolved["resource"], resolved["group"]}
    types: dict[str, pa.DataType] = {}
    timestamp: str | None = None
    numbers: set[str] = set()
    for field, name, cells in zip(layout.fields, names, sample.columns, strict=True):
        if name == resolved["timestamp"]:
            kind = csv_timestamp_type(cells)
            timestamp = field if kind is not None else None
            types[field] = kind or pa.string()
        elif name in label_columns:
            types[field] = LABEL
        elif name == resolved["case"] or name_key(name) in mapped or _text_for_sure(cells):
            types[field] = pa.string()
        else:
            types[field] = LABEL
            numbers.add(name)
    multiline = any(_has_line_break(cells) for cells in sample.columns)
    return _Plan(types, resolved, timestamp, frozenset(numbers), multiline)


def _has_line_break(cells: pa.ChunkedArray) -> bool:
    return bool(pc.any(pc.match_substring_regex(cells, "[\r\n]")).as_py())


def _resolves_as(columns: list[str], mapping: Mapping[str, str | None], plan: _Plan) -> bool:
    """Whether the columns read (empty unnamed ones dropped) map as the header did."""
    try:
        return resolve_mapping(columns, mapping, "") == plan.resolved
    except InvalidWorkspace:
        return False


def _mapped_keys(mapping: Mapping[str, str | None]) -> set[str]:
    """Name keys of columns that stay text whatever they hold: mapped, or named like a role."""
    mapped = {name_key(name) for name in mapping.values() if name}
    return mapped | {key for keys in CANDIDATES.values() for key in keys}


def _sample(path: Path, layout: _Layout) -> pa.Table | None:
    """The whole rows in the first :data:`_SAMPLE_BYTES` of the file, as text."""
    import pyarrow.csv as pcsv  # type: ignore[import-untyped]

    try:
        with open_binary(path, None) as stream:
            head = stream.read(_SAMPLE_BYTES)
            whole = len(head) < _SAMPLE_BYTES or not stream.read(1)
        if not whole:
            head = head[: head.rfind(b"\n") + 1]
        table = pcsv.read_csv(
            io.BytesIO(head),
            read_options=pcsv.ReadOptions(
                column_names=layout.fields, skip_rows=layout.skip + 1, use_threads=False
            ),
            parse_options=pcsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=True),
            convert_options=_convert_options(dict.fromkeys(layout.fields, pa.string())),
        )
    except pa.ArrowInvalid:
        return None
    # The last row may be cut short when the sample ends inside a quoted line break.
    return table if whole else table.slice(0, max(table.num_rows - 1, 0))


def _text_for_sure(cells: pa.ChunkedArray) -> bool:
    """Whether a sampled column holds a value that keeps it text (see :func:`number_or_text`)."""
    valid = cells.drop_null()
    if not len(valid):
        return False
    if pc.any(pc.match_substring_regex(valid, _LEADING_ZERO)).as_py():
        return True
    return not pc.all(pc.match_substring_regex(valid, _NUMBER)).as_py()


def _number_labels(column: pa.ChunkedArray, memory_pool: Any) -> pa.ChunkedArray:
    """A dictionary column as :func:`number_or_text` would give its text, judged on its values."""
    if column.null_count < len(column):
        column = labels(column, memory_pool=memory_pool)
        values = column.chunk(0).dictionary
        numbers = _as_numbers(values)
        if numbers is not None:
            return pc.take(numbers, label_codes(column), memory_pool=memory_pool)
        return compact_text(column)
    return pc.cast(column, pa.string(), memory_pool=memory_pool)


def _as_numbers(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray | None:
    valid = column.drop_null()
    if not len(valid) or pc.any(pc.match_substring_regex(valid, _LEADING_ZERO)).as_py():
        return None
    if not pc.all(pc.match_substring_regex(valid, _NUMBER)).as_py():
        return None
    for kind in (pa.int64(), pa.float64()):
        try:
            return pc.cast(pc.utf8_trim_whitespace(column), kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return None


def _convert_options(types: Mapping[str, pa.DataType]) -> Any:
    import pyarrow.csv as pcsv

    return pcsv.ConvertOptions(
        column_types=dict(types),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )


def _arrow_read(
    path: Path,
    layout: _Layout,
    types: Mapping[str, pa.DataType],
    progress: Progress | None,
    *,
    one_line_rows: bool = False,
) -> pa.Table:
    import pyarrow.csv as pcsv

    def read(source: Any) -> pa.Table:
        return pcsv.read_csv(
            source,
            read_options=pcsv.ReadOptions(column_names=layout.fields, skip_rows=layout.skip + 1),
            parse_options=pcsv.ParseOptions(
                delimiter=layout.delimiter, newlines_in_values=not one_line_rows
            ),
            convert_options=_convert_options(types),
            memory_pool=_reading_pool(),
        )

    if progress is None and path.suffix.lower() != ".gz":
        # Arrow's own file reading: faster, and no Python buffers held while blocks are parsed.
        with pa.OSFile(str(path)) as native:
            return read(native)
    with open_binary(path, progress) as stream:
        return read(stream)


def _reading_pool() -> Any:
    """jemalloc when pyarrow has it, else the default pool, for the reader's many threads.

    The reader parses blocks on Arrow's worker threads. With mimalloc (pyarrow's default) what
    they free stays with those threads, unused by the rest of the import: reading a 10M-event
    CSV then peaks about 200 MB higher than with jemalloc.
    """
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


def _read_typed(
    path: Path, layout: _Layout, plan: _Plan, progress: Progress | None
) -> pa.Table | None:
    """The file read as planned; ``None`` when Arrow cannot (the text read then says why)."""
    timestamp_failed = False
    if not plan.multiline:
        # A row per line, as in the sample: Arrow splits the file for its threads at line
        # ends without reading quotes (0.1 s of 0.5 s on a million events). A cell with a line
        # break further on puts the split out of step with the rows, which Arrow reports:
        # the file is then read again the careful way.
        try:
            return _arrow_read(path, layout, plan.types, progress, one_line_rows=True)
        except pa.ArrowInvalid as error:
            # Only the timestamp column has a type that a cell can fail to convert to.
            timestamp_failed = "conversion error" in str(error)
    if not timestamp_failed:
        try:
            return _arrow_read(path, layout, plan.types, progress)
        except pa.ArrowInvalid:
            pass
    if plan.timestamp is None:
        return None
    # A cell the timestamp type cannot take (a date-only among zoned times...): read that
    # column as text.
    try:
        return _arrow_read(path, layout, {**plan.types, plan.timestamp: pa.string()}, progress)
    except pa.ArrowInvalid:
        return None


def _read(
    path: Path, layout: _Layout, types: Mapping[str, pa.DataType], progress: Progress | None
) -> pa.Table:
    try:
        return _arrow_read(path, layout, types, progress)
    except pa.ArrowInvalid as error:
        raise InvalidWorkspace(csv_problem(path, layout.source, str(error))) from None
