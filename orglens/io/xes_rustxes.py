"""The rustxes reader of XES files: fast, and checked to give the expat reader's table.

Internal: :func:`orglens.io.xes.read_xes` is the public face, and reads with
:mod:`orglens.io.xes_expat` (the reference) whatever this reader declines (:class:`Declined`,
which says why).

How the rustxes reader gets the expat reader's table:

1. One pass over the file (0.4 s on bpic2012) refuses a DOCTYPE, a damaged ``.gz`` and one that
   inflates past the limit (:func:`~orglens.io.xes_common.max_inflated_bytes`); writes a plain
   copy of it without the log's header to a temporary file, nameless on Linux so that nothing
   is left behind even when the process is killed (rustxes would fill ``<global>`` defaults
   into events, and read only the first member of a multi-member ``.gz``); declines a copy
   above :data:`RUSTXES_MAX_BYTES` (rustxes holds it all in memory); and looks for what rustxes
   reads differently: an ``&`` that is not a predefined or character reference (rustxes keeps
   undefined entities as text, accepts a bare ``&``), keys starting with ``case:`` (rustxes
   merges such event keys with trace keys), ints with a ``+`` sign, dates that only rustxes
   reads (``...T10:00:00z``, ``...T10:00:00:123``, second 60), a file that does not end with
   ``</log>``, an encoding other than UTF-8.
2. rustxes reads the copy. What it writes to standard error (a value its type cannot hold, a
   key with two types, an unknown element...) is captured, never shown, and means: use expat.
3. The table is checked for values expat reads differently (tabs and newlines, which XML turns
   into spaces; control characters; U+FFFD, from bytes that are not UTF-8; ``&#`` left as text;
   keys with ``&``) and for ``list``, ``container`` and ``id`` attributes (rustxes writes their
   debug text or reformats the UUID: values starting with ``[`` or canonical UUIDs send it to
   look for such elements in the file); timestamps (naive nanoseconds in UTC) are floored to
   microseconds; the columns (in no particular order) are put in the expat reader's: by the
   first row holding each, and where several keys first appear in one event or trace, in the
   order that event or trace writes them (the copy is read again up to there).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from itertools import chain
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.io.csv_lines import Progress
from orglens.io.xes_common import READ_SIZE, inflated, refuse_declarations

__all__ = ["RUSTXES_MAX_BYTES", "Declined", "read_with_rustxes"]


class Declined(Exception):
    """rustxes cannot promise the expat reader's table for this file: ``why``."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


#: The largest plain copy rustxes reads: it holds the whole log in memory, about five times the
#: plain size (bpic2012: 74 MB of XES, 382 MB). Larger logs go to the streaming expat reader.
RUSTXES_MAX_BYTES = 256 << 20
_PROC_FD = Path("/proc/self/fd")
#: How far the pass before rustxes reads to find the first trace before it gives up.
_HEADER_LIMIT = 64 << 20
#: Bytes of one block kept for the next, so that a pattern across two blocks is seen.
_OVERLAP = 64
#: Bytes the header scan wants after the start of a markup before it says what it is.
_LOOKAHEAD = 16
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
#: Markup before the root element (comments, processing instructions, declarations, the root)
#: and after it, up to the first trace (what can hide a ``<trace``; the end of the log).
_PROLOG = re.compile(rb"<(!--|\?|!|[^\s!?/>]+)")
_HEADER = re.compile(rb"<(!--|\?|!\[CDATA\[|!|/log[\s>]|trace[\s/>])")
_CLOSERS = {b"!--": b"-->", b"?": b"?>", b"![CDATA[": b"]]>"}
#: ``&`` that is neither a predefined entity nor a character reference.
_ODD_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")
#: Date spellings rustxes reads and the expat reader refuses: ``...T10:00:00z`` (lowercase z),
#: ``...T10:00:00:123`` (a colon before the fraction), ``...T10:00:60`` (a leap second).
_ODD_DATE = re.compile(rb"T[0-9]{2}:[0-9]{2}:(?:60|[0-9]{2}(?::|(?:\.[0-9]+)?z))")
_END = re.compile(rb"</log\s*>\s*\Z")
#: Text the expat reader would have read differently: whitespace that XML turns into spaces,
#: control characters, U+FFFD (bytes that are not UTF-8), character references rustxes left.
_SUSPECT_TEXT = r"[\x00-\x1f\x{fffd}]|&#"
#: What rustxes makes of ``list``/``container`` attributes (their debug text) and of ``id``
#: attributes (a canonical UUID, whatever the file wrote).
_MAYBE_NOT_TEXT = r"^\[|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_SUSPECT_KEY = re.compile(r"[\x00-\x1f\ufffd&]")
_STDERR = threading.Lock()


def read_with_rustxes(file: Path, progress: Progress | None) -> pa.Table:
    """The expat reader's table, made by rustxes; :class:`Declined` when it cannot be."""
    try:
        import rustxes  # type: ignore[import-untyped]
    except ImportError:
        raise Declined("rustxes is not installed") from None
    with _plain_copy() as (out, plain):
        return _read_copy(rustxes, file, out, plain, progress)


@contextmanager
def _plain_copy() -> Iterator[tuple[IO[bytes], Path]]:
    """A temporary file for the plain copy, and a path rustxes can open it by.

    On Linux the file has no name from the start (``/proc/self/fd/N`` opens it), so nothing is
    left behind whatever ends the process: an error, a signal, the kernel's out-of-memory
    killer. Elsewhere it is a named file, removed when reading ends.
    """
    if _PROC_FD.is_dir():
        with tempfile.TemporaryFile(prefix="orglens-") as out:
            yield out, _PROC_FD / str(out.fileno())
        return
    descriptor, name = tempfile.mkstemp(prefix="orglens-", suffix=".xes")
    try:
        with os.fdopen(descriptor, "w+b") as out:
            yield out, Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _read_copy(
    rustxes: Any, file: Path, out: IO[bytes], plain: Path, progress: Progress | None
) -> pa.Table:
    try:
        if not _copy_events(file, out, progress):
            raise Declined("the log has no traces")
        out.flush()
        try:
            frame, said = _quietly(lambda: rustxes.import_xes(str(plain))[0])
        except BaseException as error:
            if isinstance(error, Exception) or type(error).__name__ == "PanicException":
                raise Declined(f"rustxes failed ({_first_line(str(error))})") from None
            raise
        if said:
            raise Declined(f"rustxes said: {_first_line(said.decode(errors='replace'))}")
        table = _from_rustxes(frame.to_arrow())
        if table.num_rows == 0:
            raise Declined("the log has no events")
        _check_text(table, plain)
        return _in_expat_order(table, plain)
    except OSError as error:
        raise Declined(
            f"the plain copy for rustxes could not be written or read ({error})"
        ) from None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    return next((line for line in lines if line), "")[:200]


def _copy_events(file: Path, out: IO[bytes], progress: Progress | None) -> bool:
    """Write ``<log>`` and the file from its first trace on to ``out``; ``False`` if none.

    The log's header (extensions, ``<global>`` defaults, classifiers, log attributes) is left
    out: the table takes nothing from it, and rustxes would fill ``<global>`` defaults into the
    events that lack them. Raises :class:`InvalidWorkspace` for a DOCTYPE in the first block,
    :class:`Declined` for whatever rustxes would read differently (module docstring).
    """
    with closing(_blocks(file, progress)) as blocks:
        return _copy_blocks(file.name, blocks, out)


def _copy_blocks(source: str, blocks: Iterator[bytes], out: IO[bytes]) -> bool:
    head = next(blocks, b"")
    refuse_declarations(head, source)
    encoding = _ENCODING.match(head)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:256]:
        raise Declined("the file is not UTF-8")
    if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        raise Declined(f"the file is {encoding.group(1).decode(errors='replace')}, not UTF-8")
    found = _first_trace(head, blocks)
    if found is None:
        return False
    head, start = found
    out.write(b"<log>\n")
    tail = b""
    written = 0
    for data in chain([head[start:]], blocks):
        window = tail + data
        _check_markup(window)
        out.write(data)
        written += len(data)
        if written > RUSTXES_MAX_BYTES:
            raise Declined(
                f"the log is larger than {RUSTXES_MAX_BYTES >> 20} MiB: the streaming reader "
                "needs less memory"
            )
        tail = window[-_OVERLAP:]
    if not _END.search(tail):
        raise Declined("the file does not end with </log>")
    return True


def _blocks(file: Path, progress: Progress | None) -> Generator[bytes, None, None]:
    """The file's bytes, decompressed, in blocks of about 1 MiB."""
    total = file.stat().st_size
    with file.open("rb") as raw:
        # A damaged .gz, or one that inflates past the limit, is refused here and then, before
        # the copy goes further or the expat reader starts again.
        stream: Any = inflated(raw, file.name) if file.suffix == ".gz" else raw
        while True:
            data = stream.read(READ_SIZE)
            if progress is not None:
                progress(raw.tell(), total)
            if not data:
                return
            yield data


def _first_trace(head: bytes, blocks: Iterator[bytes]) -> tuple[bytes, int] | None:
    """The head of the file, read on from ``blocks`` as far as its first ``<trace``, and where
    that starts; ``None`` when the file ends first.

    Comments, processing instructions and CDATA are skipped; a root other than ``<log>``, a
    declaration (a DOCTYPE beyond the first block) or a log that ends before any trace is
    :class:`Declined`.
    """
    position, rooted = 0, False
    while True:
        found = (_HEADER if rooted else _PROLOG).search(head, position)
        closer = _CLOSERS.get(found.group(1)) if found else None
        end = head.find(closer, found.end()) if found and closer else -1
        unclosed = closer is not None and end < 0
        if found is None or unclosed or len(head) - found.start() < _LOOKAHEAD:
            # Read on: the end of the head may hold the start of the markup looked for.
            more = next(blocks, None) if len(head) <= _HEADER_LIMIT else None
            if more is not None:
                if found is None:
                    position = max(position, len(head) - _LOOKAHEAD)
                head += more
                continue
            if found is None or unclosed:
                return None
        token = found.group(1)
        if closer:
            position = end + len(closer)
        elif token == b"!":
            raise Declined("the file has a declaration beyond its first block")
        elif token.startswith(b"/log"):
            raise Declined("the log has no traces")
        elif not rooted and token != b"log":
            raise Declined("the root element is not <log>")
        elif not rooted:
            rooted, position = True, found.end()
        else:
            return head, found.start()


def _check_markup(window: bytes) -> None:
    """:class:`Declined` for markup that rustxes reads differently from the expat reader."""
    if b'key="case:' in window or b'value="+' in window:
        raise Declined("an attribute key starts with 'case:' or an int has a '+' sign")
    if b"'" in window and (b"key='case:" in window or b"value='+" in window):
        raise Declined("an attribute key starts with 'case:' or an int has a '+' sign")
    odd = _ODD_AMPERSAND.search(window) if b"&" in window else None
    if odd:
        raise Declined(f"the file has an '&' that is not an entity ({odd.group()!r})")
    date = _ODD_DATE.search(window)
    if date:
        raise Declined(f"a date is written in a way the expat reader refuses ({date.group()!r})")


def _quietly(call: Callable[[], Any]) -> tuple[Any, bytes]:
    """``call()`` and what it wrote to the standard error file (rustxes writes there).

    The file descriptor is redirected for the whole process; rustxes holds the GIL while it
    runs, so no other Python thread writes in the meantime.
    """
    with _STDERR, tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(sink.fileno(), 2)
            result = call()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return result, sink.read()


def _from_rustxes(raw: pa.Table) -> pa.Table:
    """rustxes's columns with the expat reader's types; all-null columns dropped.

    rustxes gives a column for a key of a trace without events (all null, which the expat
    reader does not make), naive nanosecond timestamps in UTC (floored to microseconds, as
    the expat reader drops further digits) and large strings.
    """
    columns: dict[str, pa.ChunkedArray] = {}
    for field, column in zip(raw.schema, raw.columns, strict=True):
        kind = field.type
        if pa.types.is_null(kind):
            continue
        if pa.types.is_large_string(kind) or pa.types.is_string(kind):
            column = pc.cast(column, pa.string())
        elif pa.types.is_timestamp(kind) and kind.tz is None:
            floored = pc.floor_temporal(column, unit="microsecond")
            column = pc.cast(pc.cast(floored, pa.timestamp("us")), pa.timestamp("us", tz="UTC"))
        elif kind not in (pa.int64(), pa.float64(), pa.bool_()):
            raise Declined(f"rustxes gave {kind} values for {field.name!r}")
        if column.null_count == len(column):
            continue
        columns[field.name] = column
    return pa.table(columns) if columns else pa.table({})


def _check_text(table: pa.Table, plain: Path) -> None:
    """:class:`Declined` for keys and text values the expat reader would read differently."""
    odd_keys = [name for name in table.column_names if _SUSPECT_KEY.search(name)]
    if odd_keys:
        raise Declined(f"a key has '&', a control character or U+FFFD ({odd_keys[0]!r})")
    maybe_not_text = False
    for name in table.column_names:
        column = table.column(name)
        if not pa.types.is_string(column.type):
            continue
        column = pc.unique(column)  # far fewer values to look at
        if pc.any(pc.match_substring_regex(column, _SUSPECT_TEXT)).as_py():
            raise Declined(
                f"values of {name!r} have whitespace XML normalizes, control characters, "
                "U+FFFD or character references"
            )
        maybe_not_text = maybe_not_text or bool(
            pc.any(pc.match_substring_regex(column, _MAYBE_NOT_TEXT)).as_py()
        )
    if maybe_not_text and _mentions(plain, re.compile(rb"<(?:list|container|id)[\s/>]")):
        raise Declined("the log has list, container or id attributes")


def _mentions(plain: Path, pattern: re.Pattern[bytes]) -> bool:
    tail = b""
    with plain.open("rb") as stream:
        while data := stream.read(READ_SIZE):
            window = tail + data
            if pattern.search(window):
                return True
            tail = window[-_OVERLAP:]
    return False


def _in_expat_order(table: pa.Table, plain: Path) -> pa.Table:
    """The columns in the expat reader's order: event keys, then trace keys, as first seen.

    A key is first seen at the first row that has it; keys first seen at the same row are
    ordered as they are written in that event (or trace), which the start of the file is read
    again for.
    """
    first: dict[str, int] = {}
    for name in table.column_names:
        column = table.column(name)
        first[name] = (
            0 if column.null_count == 0 else int(pc.index(pc.is_valid(column), True).as_py())
        )
    events = [name for name in table.column_names if not name.startswith("case:")]
    cases = [name for name in table.column_names if name.startswith("case:")]

    def tied(names: list[str]) -> set[int]:
        rows = [first[name] for name in names]
        return {row for row in rows if rows.count(row) > 1}

    event_rows, trace_rows = tied(events), tied(cases)
    event_keys, trace_keys = _written_keys(plain, event_rows, trace_rows)

    def rank(name: str, key: str, written: dict[int, list[str]], rows: set[int]) -> int:
        row = first[name]
        if row not in rows:
            return 0
        keys = written.get(row, [])
        if key not in keys:
            raise Declined(f"the key {key!r} was not found where rustxes put it")
        return keys.index(key)

    events.sort(key=lambda name: (first[name], rank(name, name, event_keys, event_rows)))
    cases.sort(key=lambda name: (first[name], rank(name, name[5:], trace_keys, trace_rows)))
    return table.select(events + cases)


class _Enough(Exception):
    pass


def _written_keys(
    plain: Path, event_rows: set[int], trace_rows: set[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The keys of the events numbered ``event_rows`` and of the traces whose first event is
    numbered in ``trace_rows``, in the order they are written; reads only as far as needed."""
    events: dict[int, list[str]] = {}
    traces: dict[int, list[str]] = {}
    if not event_rows and not trace_rows:
        return events, traces
    last = max(event_rows | trace_rows)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth, seen = 0, -1
    trace_keys: list[str] = []
    trace_first: int | None = None
    event_keys: list[str] | None = None

    def keep(keys: list[str], attrs: dict[str, str]) -> None:
        key = attrs.get("key")
        if key is not None and "value" in attrs and key not in keys:
            keys.append(key)

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, seen, trace_keys, trace_first, event_keys
        depth += 1
        if depth == 2:
            trace_keys, trace_first = [], None
        elif depth == 3 and name == "event":
            seen += 1
            trace_first = seen if trace_first is None else trace_first
            event_keys = None
            if seen in event_rows:
                event_keys = events[seen] = []
        elif depth == 3:
            keep(trace_keys, attrs)
        elif depth == 4 and event_keys is not None:
            keep(event_keys, attrs)

    def end(name: str) -> None:
        nonlocal depth, event_keys
        depth -= 1
        if depth == 2 and name == "event":
            event_keys = None
            if seen >= last and not trace_rows:
                raise _Enough
        elif depth == 1:
            if trace_first in trace_rows:
                traces[trace_first] = trace_keys
            if seen >= last:
                raise _Enough

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with plain.open("rb") as stream:
        try:
            while data := stream.read(1 << 16):
                parser.Parse(data, False)
        except _Enough:
            pass
        except expat.ExpatError as error:
            raise Declined(f"the file is not well-formed XML ({error})") from None
    return events, traces
