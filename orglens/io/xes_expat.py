"""The streaming expat reader of XES files: the reference, and the fallback of rustxes.

Internal: :func:`orglens.io.xes.read_xes` is the public face; its module docstring says what the
table holds, when this reader reads and how much memory it takes. Every file that
:mod:`orglens.io.xes_rustxes` declines is read here.

Why expat and not lxml for the reference: on ``bpic2012.xes.gz`` expat callbacks building one
dict per event took 2.9 s where lxml ``iterparse`` over events (clearing each event and its
previous siblings) took 5.1 s, an lxml parser target 4.5 s and ElementTree's C pull parser
5.7 s, in the same run. ``bench/xes_import.py --floor`` also times expat calling an empty Python
function per element: the least any reader on expat can take.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens._collector import collector_paused
from orglens.errors import InvalidWorkspace, Problem
from orglens.io.csv_lines import Progress
from orglens.io.events_time import TimestampError, parse_timestamps
from orglens.io.xes_common import DECLARATION_FIX, READ_SIZE, inflated, refuse_declarations

__all__ = ["CHUNK_EVENTS", "LineOf", "event_lines", "read_with_expat"]

#: Events held as Python objects before they become Arrow columns (expat reader).
CHUNK_EVENTS = 50_000
_TYPES = {"int": pa.int64(), "float": pa.float64(), "boolean": pa.bool_()}

LineOf = Callable[[int], int | None]


class _Refused(Exception):
    def __init__(self, what: str, line: int) -> None:
        super().__init__(what)
        self.what = what
        self.line = line


def read_with_expat(file: Path, line_of: LineOf, progress: Progress | None) -> pa.Table:
    """The events of ``file`` as one Arrow table, read by the expat handlers of :class:`_Reader`;
    ``line_of`` finds the line of an event for messages."""
    reader = _Reader(file.name, line_of)
    parser = reader.parser()
    # Millions of small dicts without cycles: the cyclic collector would rescan them all, again
    # and again, and take longer than the parse itself.
    with collector_paused():
        _parse(file, parser, reader, progress)
    return reader.finish()


def _parse(file: Path, parser: Any, reader: _Reader, progress: Progress | None) -> None:
    source = file.name
    total = file.stat().st_size
    with file.open("rb") as raw:
        # A damaged .gz, or one inflating past the limit, raises InvalidWorkspace as it is read.
        stream: Any = inflated(raw, source) if file.suffix == ".gz" else raw
        first = True
        while True:
            data = stream.read(READ_SIZE)
            if first:
                refuse_declarations(data, source)
                first = False
            _feed(parser, data, not data, source)
            reader.after_block()
            if progress is not None:
                progress(raw.tell(), total)
            if not data:
                break


def _feed(parser: Any, data: bytes, final: bool, source: str) -> None:
    try:
        parser.Parse(data, final)
    except _Refused as refused:
        raise InvalidWorkspace(
            Problem(refused.what, DECLARATION_FIX, source, refused.line)
        ) from None
    except expat.ExpatError as error:
        reason = expat.errors.messages[error.code]
        if final and error.code in _TRUNCATION_CODES:
            what = f"the XES file ends before the log is complete ({reason})"
            fix = "the file is truncated: export or download it again"
        else:
            what = f"the file is not well-formed XML ({reason}, column {error.offset + 1})"
            fix = "check the file is XES; an export tool may have cut or garbled it"
        raise InvalidWorkspace(Problem(what, fix, source, error.lineno)) from None


_TRUNCATION_CODES = frozenset(
    expat.errors.codes[message]
    for message in (expat.errors.XML_ERROR_NO_ELEMENTS, expat.errors.XML_ERROR_UNCLOSED_TOKEN)
)


class _Reader:
    """Expat handlers that collect events as dicts, and their conversion to Arrow chunks.

    The start handler runs for every element of the file, so it does as little as it can:
    the depth of an element is the number of starts minus the number of ends so far, and the
    end handler is the C method ``list.append`` rather than a Python function (half as many
    Python calls). By depth: 2 is a trace, 3 an event or a trace attribute, 4 an event
    attribute; deeper elements are nested attributes, whose values are not kept. A trace is
    noted once, with the number of events before it, not once per event.
    """

    def __init__(self, source: str, line_of: LineOf) -> None:
        self.source = source
        self.line_of = line_of
        self.converted = 0
        self.rows: list[dict[str, str]] = []
        self.traces: list[dict[str, str]] = []
        self.starts: list[int] = []
        self.event_types: dict[str, str] = {}
        self.case_types: dict[str, str] = {}
        self.event_keys: dict[str, None] = {}
        self.case_keys: dict[str, None] = {}
        self.chunks: list[pa.Table] = []
        self._in_event: Any = None
        self._forget_ends: Any = None

    def parser(self) -> Any:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        rows = self.rows
        traces = self.traces
        starts = self.starts
        event_types = self.event_types
        case_types = self.case_types
        ends: list[str] = []
        started = 0
        container: dict[str, str] | None = None
        case: dict[str, str] | None = None
        # The typed attributes of a trace count once it has an event (None: it has one).
        pending: list[tuple[str, str]] | None = None

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal started, container, case, pending
            started += 1
            depth = started - len(ends)
            if depth == 4:
                if container is not None:
                    try:
                        container[attrs["key"]] = attrs["value"]
                    except KeyError:  # a list or container attribute: it has no value
                        return
                    if name != "string" and event_types.get(attrs["key"]) != name:
                        _note_type(event_types, attrs["key"], name)
            elif depth == 3:
                container = None
                if case is None:
                    return
                if name == "event" or name.endswith(":event"):
                    container = {}
                    rows.append(container)
                    if pending is not None:
                        for typed, kind in pending:
                            _note_type(case_types, typed, kind)
                        pending = None
                    return
                key, value = attrs.get("key"), attrs.get("value")
                if key is not None and value is not None:
                    case[key] = value
                    if name != "string" and case_types.get(key) != name:
                        if pending is None:
                            _note_type(case_types, key, name)
                        else:
                            pending.append((key, name))
            elif depth == 2:
                container = case = None
                if name == "trace" or name.endswith(":trace"):
                    pending = []
                    case = {}
                    traces.append(case)
                    starts.append(len(rows))

        def in_event() -> bool:
            return started - len(ends) >= 3 and bool(rows) and container is rows[-1]

        def forget_ends() -> None:
            nonlocal started
            started -= len(ends)
            ends.clear()

        def refuse_doctype(*_: object) -> None:
            raise _Refused("the XES file declares a DOCTYPE", parser.CurrentLineNumber)

        def refuse_entity(*_: object) -> None:
            raise _Refused("the XES file declares an entity", parser.CurrentLineNumber)

        def refuse_external(*_: object) -> int:
            raise _Refused("the XES file refers to an external entity", parser.CurrentLineNumber)

        parser.StartElementHandler = start
        parser.EndElementHandler = ends.append
        parser.StartDoctypeDeclHandler = refuse_doctype
        parser.EntityDeclHandler = refuse_entity
        parser.ExternalEntityRefHandler = refuse_external
        self._in_event = in_event
        self._forget_ends = forget_ends
        return parser

    def after_block(self) -> None:
        """Between two blocks of input: drop the end markers, convert a full chunk."""
        self._forget_ends()
        if len(self.rows) >= CHUNK_EVENTS:
            self.flush()

    def flush(self) -> None:
        """Turn the complete events parsed so far into an Arrow chunk, typed columns converted."""
        rows, traces, starts = self.rows, self.traces, self.starts
        # An event still open at the end of a block stays for the next chunk.
        complete = len(rows) - 1 if self._in_event() else len(rows)
        if complete <= 0:
            return
        events = rows[:complete]
        self.event_keys.update(dict.fromkeys(chain.from_iterable(events)))
        event_schema = pa.schema([(key, pa.string()) for key in self.event_keys])
        table = pa.Table.from_pylist(events, schema=event_schema)
        if not self.event_keys:  # events without attributes: a table of rows without columns
            table = pa.table({"_": pa.nulls(complete)}).drop_columns(["_"])
        # Each trace's attributes are converted once, then repeated for its events. A trace
        # without events adds no column (as it adds no row).
        bounds = [min(start, complete) for start in starts] + [complete]
        with_events = (
            trace for trace, a, b in zip(traces, bounds, bounds[1:], strict=False) if b > a
        )
        self.case_keys.update(dict.fromkeys(chain.from_iterable(with_events)))
        case_schema = pa.schema([(key, pa.string()) for key in self.case_keys])
        offsets = pa.array(bounds, pa.int32())
        spans = pa.ListArray.from_arrays(offsets, pa.nulls(complete))
        cases = pa.Table.from_pylist(traces, schema=case_schema)
        cases = cases.take(pc.list_parent_indices(spans))
        for key in self.case_keys:
            table = table.append_column(_case_column(key, table.column_names), cases.column(key))
        self.chunks.append(self._typed(table))
        self.converted += complete
        # The handlers hold these very lists: shorten them in place. Only the last trace can
        # still get events.
        del rows[:complete]
        del traces[:-1]
        starts[:] = [max(starts[-1] - complete, 0)]

    def _typed(self, chunk: pa.Table) -> pa.Table:
        """The chunk with the columns of typed XES attributes converted (dates, numbers...)."""
        kinds = dict(self.event_types)
        names = list(self.event_keys)
        kinds |= {_case_column(key, names): kind for key, kind in self.case_types.items()}
        for position, name in enumerate(chunk.column_names):
            kind = kinds.get(name, "string")
            if kind in _TYPES or kind == "date":
                column = _typed(chunk.column(name), kind, name, self._line_in_chunk, self.source)
                chunk = chunk.set_column(position, name, column)
        return chunk

    def _line_in_chunk(self, row: int) -> int | None:
        return self.line_of(self.converted + row)

    def finish(self) -> pa.Table:
        self.flush()
        if not self.chunks:
            return pa.table({})
        # A key typed in one chunk may have held text in a later one: then it is text throughout.
        kinds: dict[str, set[pa.DataType]] = {}
        for chunk in self.chunks:
            for field in chunk.schema:
                kinds.setdefault(field.name, set()).add(field.type)
        mixed = [name for name, types in kinds.items() if len(types) > 1]
        chunks = [_as_text(chunk, mixed) for chunk in self.chunks] if mixed else self.chunks
        table = pa.concat_tables(chunks, promote_options="default")
        self.chunks.clear()
        # Event attributes first, then trace attributes, each in the order they first appear
        # (a chunk adds its new event columns after the trace columns of earlier chunks).
        events = list(self.event_keys)
        known = set(events)
        return table.select(events + [name for name in table.column_names if name not in known])


def _as_text(chunk: pa.Table, names: list[str]) -> pa.Table:
    for position, name in enumerate(chunk.column_names):
        if name in names and chunk.schema.field(name).type != pa.string():
            chunk = chunk.set_column(position, name, pc.cast(chunk.column(name), pa.string()))
    return chunk


def _case_column(key: str, event_columns: list[str]) -> str:
    name = f"case:{key}"
    while name in event_columns:
        name = f"case:{name}"
    return name


def _note_type(types: dict[str, str], key: str, name: str) -> None:
    """Remember a key's XES type; a key seen with two types becomes text."""
    kind = name.rpartition(":")[2]
    known = types.get(key)
    if known is None:
        types[key] = kind
    elif known != kind:
        types[key] = "string"


def _typed(column: pa.ChunkedArray, kind: str, name: str, line_of: LineOf, source: str) -> pa.Array:
    text = column.combine_chunks()
    if kind == "date":
        try:
            return parse_timestamps(text)
        except TimestampError as error:
            if name != "time:timestamp":
                # Another date attribute with a value that is not a date: keep its text.
                return text
            raise InvalidWorkspace(
                Problem(
                    f"date {name!r} has value {error.value!r}, which is not a date",
                    "write XES dates as ISO 8601, e.g. 2024-03-01T14:05:00.000+01:00",
                    source,
                    line_of(error.row),
                    name,
                )
            ) from None
    try:
        return pc.cast(pc.utf8_trim_whitespace(text), _TYPES[kind])
    except pa.ArrowInvalid:
        return text


class _Found(Exception):
    pass


def event_lines(file: Path) -> LineOf:
    """``line_of(row)``: the line the event number ``row`` starts on, found by reading again."""

    def line_of(row: int) -> int | None:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        depth, seen, in_trace = 0, -1, False

        def start(name: str, _: object) -> None:
            nonlocal depth, seen, in_trace
            depth += 1
            if depth == 2:
                in_trace = name == "trace" or name.endswith(":trace")
            elif depth == 3 and in_trace and (name == "event" or name.endswith(":event")):
                seen += 1
                if seen == row:
                    raise _Found

        def end(_: str) -> None:
            nonlocal depth
            depth -= 1

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        with file.open("rb") as raw:
            stream: Any = gzip.GzipFile(fileobj=raw, mode="rb") if file.suffix == ".gz" else raw
            try:
                parser.ParseFile(stream)
            except _Found:
                return int(parser.CurrentLineNumber)
            except (expat.ExpatError, EOFError, OSError, zlib.error):
                return None
        return None

    return line_of
