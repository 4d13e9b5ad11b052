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
  (:mod:`orglens.io.xes_rustxes` says how it finds them); :attr:`XesLog.fallback` then says why.
  Errors (XML that is not well-formed, a truncated file, an unparsable timestamp) always come
  from this reader (:mod:`orglens.io.xes_expat`), with their line.

Semantics, as PM4Py's own ``read_xes``: event attributes keep their keys (``concept:name``,
``time:timestamp``, ``org:resource``...), trace attributes get a ``case:`` prefix
(``case:concept:name``); ``<global>`` defaults are not filled in; nested attributes keep the
parent's value only; ``list`` and ``container`` attributes are skipped; a trace without events
adds no rows, columns or types. Columns: event attributes in the order they first appear, then
trace attributes in the order they first appear. Typed values become Arrow types: ``date`` →
``timestamp[us, tz=UTC]`` (offsets converted; no offset: UTC; digits beyond the microsecond
dropped), ``int`` → int64, ``float`` → float64, ``boolean`` → bool; a key seen with two types,
or with a value its type cannot hold, is text (except ``time:timestamp``, which must hold dates).

Known differences that remain (the checks of :mod:`orglens.io.xes_rustxes` miss them), on files no
XES writer produces: a key written twice in one event or trace (rustxes keeps the first value,
expat the last, as PM4Py and OpenXES do); three kinds of malformed XML that rustxes accepts and
expat refuses (``<`` in an attribute value, an attribute value without quotes, one XML attribute
twice in a tag); a date with a lowercase ``t`` or a space before the time and a lowercase ``z``
after it (rustxes reads it, expat refuses it); ``key = "case:..."`` or ``value = "+5"`` written
with spaces around ``=``. ``ORGLENS_XES_READER=expat`` reads such files strictly. And one of the
expat reader alone: a trace attribute written after some of the trace's events, in a trace that
spans two of its chunks (:data:`CHUNK_EVENTS`), is missing from the events of the first chunk.

Safety: a DOCTYPE or entity declaration is refused before either parser sees the file (and by
an expat handler, should one hide further in), as are external entity references, so neither
external entities (XXE) nor entity expansion can happen; expat (>= 2.4) also limits
amplification on its own. (rustxes would not expand entities, but keeps them as text.)

Memory: the expat reader reads the file in blocks of about 1 MiB and holds events as Python
dicts for at most :data:`CHUNK_EVENTS` events at a time, then as Arrow columns: beyond that
constant, memory grows only with the output table. rustxes holds the whole log in its own
structures before the table is made (about twice the expat reader's peak), and the plain copy
takes the decompressed size of the file on the temporary disk while it reads (in a file without
a name, which nothing can leave behind); logs above
:data:`~orglens.io.xes_rustxes.RUSTXES_MAX_BYTES` go to the expat reader. A ``.xes.gz`` that
inflates past :func:`~orglens.io.xes_common.max_inflated_bytes` (1 GiB unless
``ORGLENS_MAX_INFLATED_MIB`` says otherwise) is refused as it is read, as is a damaged or
truncated one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import Problem, UsageError
from orglens.io.csv_lines import Progress
from orglens.io.xes_expat import CHUNK_EVENTS, LineOf, event_lines, read_with_expat
from orglens.io.xes_rustxes import Declined, read_with_rustxes

__all__ = ["CHUNK_EVENTS", "READER_VARIABLE", "XesLog", "read_xes"]

#: The environment variable that picks the reader when ``read_xes`` is not told: ``auto``
#: (rustxes when it can, the default) or ``expat``.
READER_VARIABLE = "ORGLENS_XES_READER"

Reader = Literal["auto", "expat"]


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
        reader would (see :mod:`orglens.io.xes_rustxes`), else expat; ``"expat"``: the expat
        reader only. ``None``: the environment variable :data:`READER_VARIABLE`, else ``"auto"``.

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
    line_of = event_lines(file)
    fallback: str | None = None
    if choice == "auto":
        try:
            table = read_with_rustxes(file, progress)
        except Declined as declined:
            fallback = declined.why
        else:
            if progress is not None:
                size = file.stat().st_size
                progress(size, size)
            return XesLog(table, line_of, "rustxes")
    return XesLog(read_with_expat(file, line_of, progress), line_of, "expat", fallback)


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
