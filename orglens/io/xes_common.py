"""What both XES readers share: the size of the blocks they read, the refusal of DTDs, the
bound on how far a compressed event log (``.xes.gz``, ``.csv.gz``) may inflate, and the reading
of XES's ``lifecycle:transition`` (:func:`select_lifecycle`).

Internal: :func:`orglens.io.xes.read_xes` is the public face. A DOCTYPE or entity declaration in
the first block of a file is refused here, before either parser sees the file; the expat reader
also refuses one hidden further in (:mod:`orglens.io.xes_expat`).

A ``.gz`` event log is read through :func:`inflated`, which stops with a problem once it has
given more than :func:`max_inflated_bytes` bytes (1 GiB unless the environment variable
:data:`MAX_INFLATED_VARIABLE` says otherwise, in MiB): a few megabytes of gzip can expand to
gigabytes ("gzip bomb"). Real logs stay far below the limit: BPI Challenge 2012 (262,200 events)
inflates to 74 MB.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError

__all__ = [
    "DECLARATION_FIX",
    "DEFAULT_MAX_INFLATED_MIB",
    "LIFECYCLES",
    "MAX_INFLATED_VARIABLE",
    "READ_SIZE",
    "TRANSITION",
    "Lifecycle",
    "LifecycleChoice",
    "checked_lifecycle",
    "damaged_problem",
    "inflated",
    "max_inflated_bytes",
    "refuse_declarations",
    "select_lifecycle",
]

#: The environment variable that sets how many MiB a compressed event log may inflate to.
MAX_INFLATED_VARIABLE = "ORGLENS_MAX_INFLATED_MIB"
#: The limit when :data:`MAX_INFLATED_VARIABLE` is not set: 1 GiB.
DEFAULT_MAX_INFLATED_MIB = 1024

#: Bytes the XES readers read at a time.
READ_SIZE = 1 << 20
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
#: The fix for a refused DOCTYPE or entity declaration.
DECLARATION_FIX = (
    "export the log again without a DOCTYPE: orglens does not read DTDs or entities, "
    "which can read local files or expand to gigabytes"
)


def refuse_declarations(head: bytes, source: str) -> None:
    """Raise :class:`~orglens.errors.InvalidWorkspace` if ``head`` declares a DOCTYPE or entity."""
    found = _DECLARATION.search(head)
    if found:
        line = head.count(b"\n", 0, found.start()) + 1
        what = found.group(1).decode().upper()
        raise InvalidWorkspace(
            Problem(f"the XES file declares a {what}", DECLARATION_FIX, source, line)
        )


def max_inflated_bytes() -> int:
    """The bytes a compressed event log may inflate to (see the module docstring).

    Raises
    ------
    UsageError
        When :data:`MAX_INFLATED_VARIABLE` is set to something other than a positive number.

    Examples
    --------
    >>> max_inflated_bytes() >= 1 << 20
    True
    """
    text = os.environ.get(MAX_INFLATED_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_INFLATED_MIB << 20
    try:
        mebibytes = float(text)
    except ValueError:
        mebibytes = -1.0
    if not mebibytes > 0:
        raise UsageError(
            Problem(
                f"the environment variable {MAX_INFLATED_VARIABLE} is {text!r}",
                f"set it to a number of MiB, such as {DEFAULT_MAX_INFLATED_MIB * 4}, or unset it",
            )
        )
    return int(mebibytes * (1 << 20))


def damaged_problem(source: str, error: BaseException) -> Problem:
    """The problem of a ``.gz`` file that gzip cannot inflate (damaged or cut short)."""
    detail = str(error) or type(error).__name__
    return Problem(
        f"the compressed file is damaged or truncated ({detail})",
        "download or export it again; `gzip -t FILE` tells whether a .gz is whole",
        source,
    )


class _Inflated(io.RawIOBase):
    """The inflated bytes of a gzip stream, refused past a limit; damage is a problem too."""

    def __init__(self, raw: IO[bytes], source: str, limit: int) -> None:
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self._source = source
        self._limit = limit
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count = self._gzip.readinto(buffer)
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise InvalidWorkspace(damaged_problem(self._source, error)) from None
        self.given += count
        if self.given > self._limit:
            raise InvalidWorkspace(
                Problem(
                    f"the compressed file inflates to more than {self._limit >> 20:,} MiB, "
                    "the limit for an event log",
                    f"if it is a real log, raise the limit: set {MAX_INFLATED_VARIABLE} to a "
                    "number of MiB (or give the uncompressed file)",
                    self._source,
                )
            )
        return count

    def close(self) -> None:
        self._gzip.close()
        super().close()


def inflated(raw: IO[bytes], source: str) -> IO[bytes]:
    """The inflated bytes of the gzip stream ``raw``, read in blocks; a read past
    :func:`max_inflated_bytes`, or of a damaged or truncated stream, raises
    :class:`~orglens.errors.InvalidWorkspace` naming ``source``.

    Examples
    --------
    >>> import gzip, io
    >>> stream = inflated(io.BytesIO(gzip.compress(b"<log/>")), "log.xes.gz")
    >>> stream.read()
    b'<log/>'
    >>> inflated(io.BytesIO(gzip.compress(b"<log/>")[:-9]), "cut.xes.gz").read()
    Traceback (most recent call last):
    ...
    orglens.errors.InvalidWorkspace: cut.xes.gz: the compressed file is damaged or truncated ...
    """
    return cast(
        IO[bytes], io.BufferedReader(_Inflated(raw, source, max_inflated_bytes()), READ_SIZE)
    )


#: How ``lifecycle:transition`` is read: ``"complete"`` keeps only the completions when a log
#: records both starts and completions; ``"both"`` keeps every event, its activity suffixed with
#: its transition.
Lifecycle = Literal["complete", "both"]
LIFECYCLES: tuple[Lifecycle, ...] = ("complete", "both")
#: The XES attribute that holds an event's transition (``start``, ``complete``, ``schedule``...).
TRANSITION = "lifecycle:transition"


@dataclass(frozen=True)
class LifecycleChoice:
    """What :func:`select_lifecycle` did: the table, which source rows it kept (``None``: all,
    in order) and a sentence for the import report (``None``: nothing to say)."""

    table: pa.Table
    kept: pa.Array | None = None
    note: str | None = None


def checked_lifecycle(lifecycle: str) -> Lifecycle:
    """``lifecycle`` when it is one of :data:`LIFECYCLES`, else :class:`UsageError`."""
    if lifecycle not in LIFECYCLES:
        raise UsageError(
            Problem(
                f"lifecycle is {lifecycle!r}",
                "use 'complete' (only completions, when starts are recorded too) or 'both' "
                "(every event, as 'activity+transition')",
                "--lifecycle",
            )
        )
    return "complete" if lifecycle == "complete" else "both"


def select_lifecycle(raw: pa.Table, lifecycle: Lifecycle, activity: str | None) -> LifecycleChoice:
    """The events of ``raw`` as ``lifecycle`` asks, given its ``activity`` column's name.

    Without a ``lifecycle:transition`` column nothing changes. Transitions are compared without
    regard to case (BPI logs write ``COMPLETE``); events without one count as completions, as the
    XES standard says.

    Examples
    --------
    >>> raw = pa.table({"concept:name": ["a", "a", "b"],
    ...                 "lifecycle:transition": ["START", "COMPLETE", None]})
    >>> chosen = select_lifecycle(raw, "complete", "concept:name")
    >>> chosen.table.column("concept:name").to_pylist(), chosen.kept.to_pylist()
    (['a', 'b'], [1, 2])
    >>> chosen.note.split(" — ")[0]
    'lifecycle: left out 1 of 3 events that are not completions (start 1), kept 2'
    >>> select_lifecycle(raw, "both", "concept:name").table.column("concept:name").to_pylist()
    ['a+start', 'a+complete', 'b']
    """
    name = next((n for n in raw.column_names if n.lower() == TRANSITION), None)
    if name is None or raw.schema.names.count(name) != 1:
        return LifecycleChoice(raw)
    transitions = pc.utf8_lower(pc.cast(raw.column(name), pa.string()))
    if lifecycle == "both":
        if activity is None or activity not in raw.column_names:
            return LifecycleChoice(raw)
        position = raw.column_names.index(activity)
        text = pc.cast(raw.column(position), pa.string())
        joined = pc.if_else(
            pc.is_null(transitions), text, pc.binary_join_element_wise(text, transitions, "+")
        )
        return LifecycleChoice(raw.set_column(position, activity, joined))
    counts = {
        row["values"]: row["counts"] for row in pc.value_counts(transitions.drop_null()).to_pylist()
    }
    if "start" not in counts or "complete" not in counts:
        return LifecycleChoice(raw)
    keep = pc.fill_null(pc.equal(transitions, "complete"), True)
    kept = pc.indices_nonzero(keep)
    left_out = raw.num_rows - len(kept)
    others = sorted(
        ((value, count) for value, count in counts.items() if value != "complete"),
        key=lambda pair: (-pair[1], pair[0]),
    )
    detail = ", ".join(f"{value} {count:,}" for value, count in others)
    note = (
        f"lifecycle: left out {left_out:,} of {raw.num_rows:,} events that are not completions "
        f"({detail}), kept {len(kept):,} — give --lifecycle both to keep every event, as "
        "'activity+transition'"
    )
    return LifecycleChoice(raw.take(kept), kept, note)
