"""XES and XES.gz files as one Arrow table: one row per event, attributes as PM4Py names them.

Two readers give the same table (the same columns in the same order, names, types, values and
rows):

- **rustxes** (the default): the ``rustxes`` package parses the file in Rust. On
  ``bpic2012.xes.gz`` (262,200 events) the import (``read_events``) took 1.85 s this way, 3.5 s
  with the expat reader and 10-15 s with PM4Py's own reader (``pm4py.read_xes(path,
  variant="iterparse")``), with peaks of 456, 232 and 719 MB (``bench/xes_import.py``;
  ``bench/RESULTS.md`` has each recorded run).
- **expat** (the standard library's parser, streamed): the reference, and the fallback. It reads
  when rustxes is not installed, when ``reader="expat"`` or the environment variable
  ``ORGLENS_XES_READER=expat`` asks for it, and every file that rustxes would read differently
  (below); :attr:`XesLog.fallback` then says why. Errors (XML that is not well-formed, a
  truncated file, an unparsable timestamp) always come from this reader, with their line.

Semantics, as PM4Py's own ``read_xes``: event attributes keep their keys (``concept:name``,
``time:timestamp``, ``org:resource``...), trace attributes get a ``case:`` prefix
(``case:concept:name``); ``<global>`` defaults are not filled in; nested attributes keep the
parent's value only; ``list`` and ``container`` attributes are skipped; a trace without events
adds no rows, columns or types. Columns: event attributes in the order they first appear, then
trace attributes in the order they first appear. Typed values become Arrow types: ``date`` →
``timestamp[us, tz=UTC]`` (offsets converted; no offset: UTC; digits beyond the microsecond
dropped), ``int`` → int64, ``float`` → float64, ``boolean`` → bool; a key seen with two types,
or with a value its type cannot hold, is text (except ``time:timestamp``, which must hold dates).

How the rustxes reader gets the expat reader's table:

1. One pass over the file (0.4 s on bpic2012) refuses a DOCTYPE, writes a plain copy of it
   without the log's header to a temporary file (rustxes would fill ``<global>`` defaults into
   events, and read only the first member of a multi-member ``.gz``) and looks for what rustxes
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

Known differences that remain, on files no XES writer produces: a key written twice in one event
or trace (rustxes keeps the first value, expat the last, as PM4Py and OpenXES do); three kinds of
malformed XML that rustxes accepts and expat refuses (``<`` in an attribute value, an attribute
value without quotes, one XML attribute twice in a tag); a date with a lowercase ``t`` or a space
before the time and a lowercase ``z`` after it (rustxes reads it, expat refuses it); ``key =
"case:..."`` or ``value = "+5"`` written with spaces around ``=``. ``ORGLENS_XES_READER=expat``
reads such files strictly. And one of the expat reader alone: a trace attribute written after
some of the trace's events, in a trace that spans two of its chunks (:data:`CHUNK_EVENTS`), is
missing from the events of the first chunk.

Why expat and not lxml for the reference: on ``bpic2012.xes.gz`` expat callbacks building one
dict per event took 2.9 s where lxml ``iterparse`` over events (clearing each event and its
previous siblings) took 5.1 s, an lxml parser target 4.5 s and ElementTree's C pull parser
5.7 s, in the same run. ``bench/xes_import.py --floor`` also times expat calling an empty Python
function per element: the least any reader on expat can take.

Safety: a DOCTYPE or entity declaration is refused before either parser sees the file (and by
an expat handler, should one hide further in), as are external entity references, so neither
external entities (XXE) nor entity expansion can happen; expat (>= 2.4) also limits
amplification on its own. (rustxes would not expand entities, but keeps them as text.)

Memory: the expat reader reads the file in blocks of about 1 MiB and holds events as Python
dicts for at most :data:`CHUNK_EVENTS` events at a time, then as Arrow columns: beyond that
constant, memory grows only with the output table. rustxes holds the whole log in its own
structures before the table is made (about twice the expat reader's peak), and the plain copy
takes the decompressed size of the file on the temporary disk while it reads.
"""

from __future__ import annotations

import gc
import gzip
import os
import re
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any, Literal, cast
from xml.parsers import expat

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.eventlog import Progress, TimestampError, parse_timestamps

__all__ = ["CHUNK_EVENTS", "READER_VARIABLE", "XesLog", "read_xes"]

#: Events held as Python objects before they become Arrow columns (expat reader).
CHUNK_EVENTS = 50_000
#: The environment variable that picks the reader when ``read_xes`` is not told: ``auto``
#: (rustxes when it can, the default) or ``expat``.
READER_VARIABLE = "ORGLENS_XES_READER"
_READ_SIZE = 1 << 20
_ATTRIBUTES = frozenset(("string", "date", "int", "float", "boolean", "id"))
_TYPES = {"int": pa.int64(), "float": pa.float64(), "boolean": pa.bool_()}
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_REFUSE_FIX = (
    "export the log again without a DOCTYPE: orglens does not read DTDs or entities, "
    "which can read local files or expand to gigabytes"
)

Reader = Literal["auto", "expat"]
LineOf = Callable[[int], int | None]


@dataclass(frozen=True)
class XesLog:
    """The events of an XES file: ``table`` has one row per event, in document order;
    ``line_of(row)`` finds the line an event starts on (it reads the file again: for messages);
    ``reader`` is the reader that made the table (``"rustxes"`` or ``"expat"``) and
    ``fallback`` why the expat reader made it when rustxes was not ruled out (else ``None``)."""

    table: pa.Table
    line_of: LineOf
    reader: Literal["rustxes", "expat"] = "expat"
    fallback: str | None = None


class _Refused(Exception):
    def __init__(self, what: str, line: int) -> None:
        super().__init__(what)
        self.what = what
        self.line = line


def read_xes(
    path: str | os.PathLike[str],
    /,
    *,
    progress: Progress | None = None,
    reader: Reader | None = None,
) -> XesLog:
    """Read the events of an ``.xes`` or ``.xes.gz`` file into an Arrow table.

    Parameters
    ----------
    path
        The file; a ``.gz`` suffix means gzip.
    progress
        Called as ``progress(bytes_read, total_bytes)`` (bytes of the file on disk) after each
        block of about 1 MiB, and ``progress(total_bytes, total_bytes)`` last, once the table
        is made. (With rustxes, the blocks are those of the pass before it: the bar reaches the
        end of the file while rustxes still parses.)
    reader
        ``"auto"``: rustxes when it is installed and reads the file exactly as the expat
        reader would (see the module docstring), else expat; ``"expat"``: the expat reader
        only. ``None``: the environment variable :data:`READER_VARIABLE`, else ``"auto"``.

    Raises
    ------
    InvalidWorkspace
        For a DOCTYPE or entity declaration (refused before parsing), XML that is not
        well-formed (with its line), a damaged or truncated ``.gz``, an unparsable
        ``time:timestamp`` (with its line).
    UsageError
        For a ``reader`` (or a value of :data:`READER_VARIABLE`) other than ``auto``/``expat``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> xes = pathlib.Path(tempfile.mkdtemp()) / "log.xes"
    >>> _ = xes.write_text('''<log xmlns="http://www.xes-standard.org/">
    ...   <trace><string key="concept:name" value="c1"/>
    ...     <event><string key="concept:name" value="Submit"/>
    ...       <date key="time:timestamp" value="2024-03-01T10:00:00+01:00"/>
    ...       <int key="amount" value="5"/></event>
    ...   </trace></log>''')
    >>> log = read_xes(xes)
    >>> log.table.column_names
    ['concept:name', 'time:timestamp', 'amount', 'case:concept:name']
    >>> log.table.column("time:timestamp")[0], log.line_of(0)
    (<pyarrow.TimestampScalar: '2024-03-01T09:00:00.000000+0000'>, 3)
    >>> read_xes(xes, reader="expat").table.equals(log.table)
    True
    """
    file = Path(path)
    choice = _reader_choice(reader)
    line_of = _event_lines(file)
    fallback: str | None = None
    if choice == "auto":
        try:
            table = _read_with_rustxes(file, progress)
        except _Declined as declined:
            fallback = declined.why
        else:
            if progress is not None:
                size = file.stat().st_size
                progress(size, size)
            return XesLog(table, line_of, "rustxes")
    expat_reader = _Reader(file.name, line_of)
    parser = expat_reader.parser()
    collecting = gc.isenabled()
    # Millions of small dicts without cycles: the cyclic collector would rescan them all, again
    # and again, and take longer than the parse itself.
    gc.disable()
    try:
        _parse(file, parser, expat_reader, progress)
    finally:
        if collecting:
            gc.enable()
    return XesLog(expat_reader.finish(), line_of, "expat", fallback)


def _reader_choice(reader: str | None) -> Reader:
    given = reader if reader is not None else os.environ.get(READER_VARIABLE) or "auto"
    if given not in ("auto", "expat"):
        where = "reader" if reader is not None else f"the environment variable {READER_VARIABLE}"
        raise UsageError(
            Problem(
                f"{where} is {given!r}, which is not an XES reader",
                "use 'auto' (rustxes when it can, else expat) or 'expat'",
            )
        )
    return cast(Reader, given)


# --- the expat reader ------------------------------------------------------------------------


def _parse(file: Path, parser: Any, reader: _Reader, progress: Progress | None) -> None:
    source = file.name
    total = file.stat().st_size
    with file.open("rb") as raw:
        stream: Any = gzip.GzipFile(fileobj=raw, mode="rb") if file.suffix == ".gz" else raw
        first = True
        while True:
            try:
                data = stream.read(_READ_SIZE)
            except (EOFError, zlib.error, gzip.BadGzipFile) as error:
                raise InvalidWorkspace(
                    Problem(
                        f"the compressed file is damaged or truncated ({error})",
                        "download or export it again; `gzip -t FILE` tells whether it is whole",
                        source,
                    )
                ) from None
            if first:
                _refuse_declarations(data, source)
                first = False
            _feed(parser, data, not data, source)
            reader.after_block()
            if progress is not None:
                progress(raw.tell(), total)
            if not data:
                break


def _refuse_declarations(head: bytes, source: str) -> None:
    found = _DECLARATION.search(head)
    if found:
        line = head.count(b"\n", 0, found.start()) + 1
        what = found.group(1).decode().upper()
        raise InvalidWorkspace(
            Problem(f"the XES file declares a {what}", _REFUSE_FIX, source, line)
        )


def _feed(parser: Any, data: bytes, final: bool, source: str) -> None:
    try:
        parser.Parse(data, final)
    except _Refused as refused:
        raise InvalidWorkspace(Problem(refused.what, _REFUSE_FIX, source, refused.line)) from None
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


# --- the rustxes reader ----------------------------------------------------------------------


class _Declined(Exception):
    """rustxes cannot promise the expat reader's table for this file: ``why``."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


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


def _read_with_rustxes(file: Path, progress: Progress | None) -> pa.Table:
    """The expat reader's table, made by rustxes; :class:`_Declined` when it cannot be."""
    try:
        import rustxes  # type: ignore[import-untyped]
    except ImportError:
        raise _Declined("rustxes is not installed") from None
    descriptor, name = tempfile.mkstemp(prefix="orglens-", suffix=".xes")
    plain = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as out:
            if not _copy_events(file, out, progress):
                raise _Declined("the log has no traces")
        try:
            frame, said = _quietly(lambda: rustxes.import_xes(str(plain))[0])
        except BaseException as error:
            if isinstance(error, Exception) or type(error).__name__ == "PanicException":
                raise _Declined(f"rustxes failed ({_first_line(str(error))})") from None
            raise
        if said:
            raise _Declined(f"rustxes said: {_first_line(said.decode(errors='replace'))}")
        table = _from_rustxes(frame.to_arrow())
        if table.num_rows == 0:
            raise _Declined("the log has no events")
        _check_text(table, plain)
        return _in_expat_order(table, plain)
    except OSError as error:
        raise _Declined(
            f"the plain copy for rustxes could not be written or read ({error})"
        ) from None
    finally:
        plain.unlink(missing_ok=True)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    return next((line for line in lines if line), "")[:200]


def _copy_events(file: Path, out: IO[bytes], progress: Progress | None) -> bool:
    """Write ``<log>`` and the file from its first trace on to ``out``; ``False`` if none.

    The log's header (extensions, ``<global>`` defaults, classifiers, log attributes) is left
    out: the table takes nothing from it, and rustxes would fill ``<global>`` defaults into the
    events that lack them. Raises :class:`InvalidWorkspace` for a DOCTYPE in the first block,
    :class:`_Declined` for whatever rustxes would read differently (module docstring).
    """
    with closing(_blocks(file, progress)) as blocks:
        return _copy_blocks(file.name, blocks, out)


def _copy_blocks(source: str, blocks: Iterator[bytes], out: IO[bytes]) -> bool:
    head = next(blocks, b"")
    _refuse_declarations(head, source)
    encoding = _ENCODING.match(head)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:256]:
        raise _Declined("the file is not UTF-8")
    if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _Declined(f"the file is {encoding.group(1).decode(errors='replace')}, not UTF-8")
    found = _first_trace(head, blocks)
    if found is None:
        return False
    head, start = found
    out.write(b"<log>\n")
    tail = b""
    for data in chain([head[start:]], blocks):
        window = tail + data
        _check_markup(window)
        out.write(data)
        tail = window[-_OVERLAP:]
    if not _END.search(tail):
        raise _Declined("the file does not end with </log>")
    return True


def _blocks(file: Path, progress: Progress | None) -> Generator[bytes, None, None]:
    """The file's bytes, decompressed, in blocks of about 1 MiB."""
    total = file.stat().st_size
    with file.open("rb") as raw:
        stream: Any = gzip.GzipFile(fileobj=raw, mode="rb") if file.suffix == ".gz" else raw
        while True:
            try:
                data = stream.read(_READ_SIZE)
            except (EOFError, zlib.error, gzip.BadGzipFile) as error:
                raise _Declined(f"the compressed file is damaged ({error})") from None
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
    :class:`_Declined`.
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
            raise _Declined("the file has a declaration beyond its first block")
        elif token.startswith(b"/log"):
            raise _Declined("the log has no traces")
        elif not rooted and token != b"log":
            raise _Declined("the root element is not <log>")
        elif not rooted:
            rooted, position = True, found.end()
        else:
            return head, found.start()


def _check_markup(window: bytes) -> None:
    """:class:`_Declined` for markup that rustxes reads differently from the expat reader."""
    if b'key="case:' in window or b'value="+' in window:
        raise _Declined("an attribute key starts with 'case:' or an int has a '+' sign")
    if b"'" in window and (b"key='case:" in window or b"value='+" in window):
        raise _Declined("an attribute key starts with 'case:' or an int has a '+' sign")
    odd = _ODD_AMPERSAND.search(window) if b"&" in window else None
    if odd:
        raise _Declined(f"the file has an '&' that is not an entity ({odd.group()!r})")
    date = _ODD_DATE.search(window)
    if date:
        raise _Declined(f"a date is written in a way the expat reader refuses ({date.group()!r})")


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
            raise _Declined(f"rustxes gave {kind} values for {field.name!r}")
        if column.null_count == len(column):
            continue
        columns[field.name] = column
    return pa.table(columns) if columns else pa.table({})


def _check_text(table: pa.Table, plain: Path) -> None:
    """:class:`_Declined` for keys and text values the expat reader would read differently."""
    odd_keys = [name for name in table.column_names if _SUSPECT_KEY.search(name)]
    if odd_keys:
        raise _Declined(f"a key has '&', a control character or U+FFFD ({odd_keys[0]!r})")
    maybe_not_text = False
    for name in table.column_names:
        column = table.column(name)
        if not pa.types.is_string(column.type):
            continue
        column = pc.unique(column)  # far fewer values to look at
        if pc.any(pc.match_substring_regex(column, _SUSPECT_TEXT)).as_py():
            raise _Declined(
                f"values of {name!r} have whitespace XML normalizes, control characters, "
                "U+FFFD or character references"
            )
        maybe_not_text = maybe_not_text or bool(
            pc.any(pc.match_substring_regex(column, _MAYBE_NOT_TEXT)).as_py()
        )
    if maybe_not_text and _mentions(plain, re.compile(rb"<(?:list|container|id)[\s/>]")):
        raise _Declined("the log has list, container or id attributes")


def _mentions(plain: Path, pattern: re.Pattern[bytes]) -> bool:
    tail = b""
    with plain.open("rb") as stream:
        while data := stream.read(_READ_SIZE):
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
            raise _Declined(f"the key {key!r} was not found where rustxes put it")
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
            raise _Declined(f"the file is not well-formed XML ({error})") from None
    return events, traces


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


def _event_lines(file: Path) -> LineOf:
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
