"""The mining analyses orglens offers (``orglens mine --what``), in one registry.

:data:`ANALYSES` maps each name to a :class:`MiningAnalysis`: how to run it on an
:class:`~orglens.mining.EventLog` and which rows of its result a spreadsheet wants.
:func:`mine` runs several of them on one sorted pass over the log. Adding an analysis is one
module (its function and result type) plus one line in :data:`ANALYSES`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from orglens.errors import Problem, UsageError
from orglens.mining._log import EventLog, Events
from orglens.mining.dfg import dfg
from orglens.mining.funnel import funnel
from orglens.mining.roles import roles
from orglens.mining.social import handover, working_together
from orglens.mining.units import leakage, unit_handoffs
from orglens.privacy import masked, visible

__all__ = [
    "ANALYSES",
    "Mined",
    "MiningAnalysis",
    "MiningOptions",
    "MiningResult",
    "analysis_names",
    "mine",
]


class MiningResult(Protocol):
    """What every analysis returns: a frozen result that turns into JSON."""

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, kw_only=True)
class MiningOptions:
    """The settings the analyses take (each reads the ones it needs).

    Attributes
    ----------
    beta
        Handover decay: 0 counts direct successions only (``handover``).
    unit
        Where an event's unit comes from: a column, or a ``{resource: unit}`` mapping
        (``unit-handoffs``, ``leakage``).
    end_activities
        Activities that end a case properly; ``None`` declares none (``leakage``).
    """

    beta: float = 0.0
    unit: str | Mapping[str, str] = "group"
    end_activities: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MiningAnalysis:
    """One analysis of the registry.

    Attributes
    ----------
    name
        The name ``orglens mine --what`` takes.
    run
        ``run(events, options)``: the analysis on an :class:`~orglens.mining.EventLog`.
    csv_rows
        The rows a spreadsheet wants of the result's ``to_dict()``: edges, pairs, or role
        memberships.
    description
        What it finds, in one line.
    uses_units
        Whether it needs each event's unit (``MiningOptions.unit``).
    shows_resources
        Whether its result names resources (people), so that showing them as the people of
        a workspace changes it.
    columns
        The columns of the event table it reads besides the case and the time (and the unit's,
        when it uses units): :func:`mine` codes only those in the log's sorted pass.
    """

    name: str
    run: Callable[[EventLog, MiningOptions], MiningResult]
    csv_rows: Callable[[Mapping[str, Any]], list[dict[str, Any]]]
    description: str
    uses_units: bool = False
    shows_resources: bool = False
    columns: tuple[str, ...] = ()


def _edges(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(result["edges"])


def _pairs(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(result["pairs"])


def _stages(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{**stage, "activities": ";".join(stage["activities"])} for stage in result["stages"]]


def _role_members(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "role": index,
            "activities": ";".join(role["activities"]),
            "resource": resource,
            "count": count,
        }
        for index, role in enumerate(result["roles"], start=1)
        for resource, count in role["resources"].items()
    ]


#: Every analysis by its ``--what`` name, in the order results are reported.
ANALYSES: dict[str, MiningAnalysis] = {
    analysis.name: analysis
    for analysis in (
        MiningAnalysis(
            "dfg",
            lambda events, options: dfg(events),
            _edges,
            "directly-follows graph of the activities, with waiting times",
            columns=("activity",),
        ),
        MiningAnalysis(
            "handover",
            lambda events, options: handover(events, beta=options.beta),
            _edges,
            "handover of work between resources",
            shows_resources=True,
            columns=("resource",),
        ),
        MiningAnalysis(
            "working-together",
            lambda events, options: working_together(events),
            _edges,
            "resources that work on the same cases",
            shows_resources=True,
            columns=("resource",),
        ),
        MiningAnalysis(
            "roles",
            lambda events, options: roles(events),
            _role_members,
            "activities grouped into roles by who does them",
            shows_resources=True,
            columns=("activity", "resource"),
        ),
        MiningAnalysis(
            "unit-handoffs",
            lambda events, options: unit_handoffs(events, unit=options.unit),
            _pairs,
            "unit-to-unit transitions and their waiting times",
            uses_units=True,
        ),
        MiningAnalysis(
            "leakage",
            lambda events, options: leakage(
                events, unit=options.unit, end_activities=options.end_activities
            ),
            _pairs,
            "cases that ended right after a cross-unit handoff",
            uses_units=True,
            columns=("activity",),
        ),
        MiningAnalysis(
            "funnel",
            lambda events, options: funnel(events),
            _stages,
            "cases reaching each activity in its usual order, conversion and time between",
            columns=("activity",),
        ),
    )
}


# A cell a spreadsheet would read as a formula (OWASP's list; its tab and carriage return are
# already shown as the texts \t and \r by `visible`), unless it is a plain number.
_FORMULA_START = ("=", "+", "-", "@")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _spreadsheet_cell(value: Any, /) -> Any:
    """A CSV cell as a spreadsheet should show it: text shown literally, never a formula.

    Control characters are shown as escapes (:func:`orglens.privacy.visible`), and a text that
    starts like a formula (``=``, ``+``, ``-``, ``@``) gets a ``'`` in front, which a
    spreadsheet hides and reads as "this is text". Numbers, and texts that are plain numbers
    such as ``-3.5``, stay as they are.

    Examples
    --------
    >>> [_spreadsheet_cell(v) for v in ["=HYPERLINK(1)", "@SUM(A1)", "-3.5", -2, "-1+2"]]
    ["'=HYPERLINK(1)", "'@SUM(A1)", '-3.5', -2, "'-1+2"]
    >>> print(_spreadsheet_cell("\\tBo\\x1b[2J"))
    \\tBo\\x1b[2J
    """
    if not isinstance(value, str):
        return value
    text = visible(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


@dataclass(frozen=True)
class Mined:
    """The results of :func:`mine`, by analysis name in the order they were asked for.

    Both outputs mask the e-mail addresses in the results (a resource such as
    ``anna@acme.se`` becomes ``a***-541af66f@acme.se``, the same mask for the same address:
    see :mod:`orglens.privacy`) unless ``show_emails`` is given.
    """

    results: dict[str, MiningResult]

    def to_dict(self, *, show_emails: bool = False) -> dict[str, Any]:
        """One analysis: its ``to_dict()`` alone; several: ``{name: to_dict()}``."""
        found = {name: self._shown(result, show_emails) for name, result in self.results.items()}
        return next(iter(found.values())) if len(found) == 1 else found

    def csv_text(self, *, show_emails: bool = False) -> str:
        """The rows of every result as CSV; with several analyses, an ``analysis`` column first.

        The columns are the union of the rows' keys, in the order they first appear. Every
        cell is shown literally and never as a formula (see :func:`_spreadsheet_cell`).
        """
        several = len(self.results) > 1
        rows = [
            ({"analysis": name} if several else {}) | row
            for name, result in self.results.items()
            for row in ANALYSES[name].csv_rows(self._shown(result, show_emails))
        ]
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_spreadsheet_cell(column) for column in columns)
        writer.writerows(
            [_spreadsheet_cell(row.get(column, "")) for column in columns] for row in rows
        )
        return out.getvalue()

    @staticmethod
    def _shown(result: MiningResult, show_emails: bool) -> dict[str, Any]:
        data = result.to_dict()
        return data if show_emails else dict(masked(data))


def analysis_names(what: str | Sequence[str], /) -> tuple[str, ...]:
    """The analyses ``what`` names, checked, duplicates dropped, in the order given.

    Parameters
    ----------
    what
        A name of :data:`ANALYSES`, several comma-separated, or a sequence of names.

    Raises
    ------
    UsageError
        When a name is unknown, or none is given.

    Examples
    --------
    >>> analysis_names("dfg, handover,dfg")
    ('dfg', 'handover')
    """
    text = what if isinstance(what, str) else ",".join(what)
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ANALYSES]
    if unknown or not names:
        raise UsageError(
            Problem(
                f"--what {text!r} names no analysis orglens knows"
                if not names
                else f"unknown analysis {', '.join(map(repr, unknown))} in --what",
                f"use one or more of {', '.join(ANALYSES)}, comma-separated",
                "--what",
            )
        )
    return tuple(dict.fromkeys(names))


def mine(
    events: Events,
    what: str | Sequence[str],
    /,
    *,
    beta: float = 0.0,
    unit: str | Mapping[str, str] = "group",
    end_activities: Sequence[str] | None = None,
    step: Callable[[str], None] | None = None,
) -> Mined:
    """Run the analyses ``what`` names on one sorted pass over ``events``.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an
        :class:`~orglens.mining.EventLog` of it.
    what
        Names of :data:`ANALYSES`: one, several comma-separated, or a sequence.
    beta, unit, end_activities
        The :class:`MiningOptions`.
    step
        Called as ``step(name)`` before each analysis runs (say, to move a progress bar).

    Returns
    -------
    Mined
        The results by name, in the order asked for.

    Raises
    ------
    UsageError
        When ``what`` names an unknown analysis (before any runs).

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1"], "activity": ["call", "offer"],
    ...     "timestamp": [hour(9), hour(10)], "resource": ["ann", "bob"],
    ...     "group": ["marketing", "sales"], "position": [0, 1]}))
    >>> found = mine(log, "handover,unit-handoffs")
    >>> [(e["source"], e["target"]) for e in found.to_dict()["handover"]["edges"]]
    [('ann', 'bob')]
    >>> print(mine(log, "dfg").csv_text(), end="")
    source,target,count,wait_s_mean,wait_s_median
    call,offer,1,3600.0,3600.0
    """
    names = analysis_names(what)
    options = MiningOptions(
        beta=beta,
        unit=unit,
        end_activities=None if end_activities is None else tuple(end_activities),
    )
    # A table is sorted here, for these analyses only: the pass codes the columns they read.
    log = (
        events if isinstance(events, EventLog) else EventLog(events, columns=_read(names, options))
    )
    results: dict[str, MiningResult] = {}
    for name in names:
        if step is not None:
            step(name)
        results[name] = ANALYSES[name].run(log, options)
    return Mined(results)


def _read(names: Sequence[str], options: MiningOptions) -> tuple[str, ...]:
    """The columns the analyses ``names`` read (see :attr:`MiningAnalysis.columns`)."""
    unit = options.unit if isinstance(options.unit, str) else "resource"
    return tuple(
        dict.fromkeys(
            column
            for name in names
            for column in (*ANALYSES[name].columns, *((unit,) if ANALYSES[name].uses_units else ()))
        )
    )
