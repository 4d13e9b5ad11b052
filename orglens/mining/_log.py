"""An event table prepared once for many analyses: integer codes and one sorted pass.

Internal; the public face is :class:`EventLog` (exported by :mod:`orglens.mining`).

Sorting the events of every case is the costly part of mining. An :class:`EventLog` does it once
and keeps the result on the engine (``Table.cache()``: a temporary table on DuckDB, a persisted
DataFrame on Spark) as a *prepared* table of small integers:

- ``_c``: the case (an integer code per ``case_id``);
- ``_k``: the event's place in its case (0 = first), in the order of :mod:`orglens.mining`;
- ``timestamp``; ``_w``: microseconds to the case's next event (null for its last event);
- the codes of the coded columns (``activity``, ``resource``, ``group``), packed as digits of
  one integer ``_p<j>`` (digit 0 for a null value, else the code + 1; see :func:`_layout`),
  and the next event's packed codes in ``_q<j>``.

Codes number the distinct non-null values of a column in sorted order, from 0; a column's names
are read back once (they are few) to turn codes into values at the end. Successions of a column
that has nulls leave those events out first: a second pass over the prepared table (integers
only) forms them. Every step is an Ibis expression that runs unchanged on any engine.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]

from orglens.errors import Problem, UsageError
from orglens.mining._steps import ACTIVITY, CASE, POSITION, TIMESTAMP, require_columns, rows

__all__ = [
    "EventLog",
    "Events",
    "PairStats",
    "Succession",
    "UnitSource",
    "kept_on_engine",
    "table_of",
]

#: Where the unit of an event comes from: a column name, a ``{resource: unit}`` mapping, or a
#: table with columns ``resource`` and ``unit`` (on the same engine, or an ``ibis.memtable``).
UnitSource: TypeAlias = "str | Mapping[str, str] | ir.Table"

#: Columns coded in the shared pass, when the table has them.
SHARED = (ACTIVITY, "resource", "group")


@dataclass(frozen=True)
class _Codes:
    """The integer codes of one column's values."""

    table: ir.Table  # _key (the value), _code (int32: null for the null value)
    names: tuple[str, ...]  # names[code] is the value
    has_null: bool


@dataclass(frozen=True)
class PairStats:
    """The successions from one value to another (see :meth:`Succession.pair_stats`)."""

    count: int
    wait_s_mean: float
    wait_s_median: float
    wait_s_p90: float
    wait_s_p95: float
    cases: int | None  # cases with such a succession, when asked
    within: tuple[int, ...]  # successions that waited at most each band asked


@dataclass(frozen=True)
class Succession:
    """Successions among the events whose value (of a column, or a unit) is known.

    ``table`` has the columns ``_c`` (case code), ``_k`` (the first event's place in its case:
    the case's last succession has the largest), ``source`` and ``target`` (codes of the value;
    ``names[code]`` is the value) and ``wait_us`` (int64 microseconds). ``without`` counts the
    events left out (value null); when none is, each succession leads to the event at ``_k + 1``.
    """

    table: ir.Table
    names: tuple[str, ...]
    without: int
    _stats: list[tuple[tuple[int, ...], bool, dict[tuple[int, int], PairStats]]] = field(
        default_factory=list, repr=False, compare=False
    )

    def name(self, code: int) -> str:
        return self.names[code]

    def pair_stats(
        self, *, bands_us: tuple[int, ...] | None = None, cases: bool = False
    ) -> dict[tuple[int, int], PairStats]:
        """Per ``(source, target)`` code pair: the successions, their waits and (``cases``)
        the cases they occur in, and (``bands_us``) how many waited at most each band.

        One query for all the analyses of a log that ask: the first answer that holds what
        is asked (the same bands, and the cases when asked) is kept and shared.
        """
        for bands, counted, found in self._stats:
            if (bands_us is None or bands == bands_us) and (counted or not cases):
                return found
        bands = bands_us or ()
        table = self.table
        wait = table.wait_us
        measures: dict[str, Any] = {
            "_count": table.count(),
            "_mean": wait.mean(),
            "_q": wait.quantile([0.5, 0.9, 0.95]),
            **{f"_w{index}": table.count(where=wait <= band) for index, band in enumerate(bands)},
        }
        if cases:
            measures["_cases"] = table._c.nunique()
        found = {}
        for row in rows(table.group_by(["source", "target"]).aggregate(**measures)):
            median, p90, p95 = (float(value) / 1_000_000 for value in row["_q"])
            found[(row["source"], row["target"])] = PairStats(
                count=int(row["_count"]),
                wait_s_mean=float(row["_mean"]) / 1_000_000,
                wait_s_median=median,
                wait_s_p90=p90,
                wait_s_p95=p95,
                cases=int(row["_cases"]) if cases else None,
                within=tuple(int(row[f"_w{index}"]) for index in range(len(bands))),
            )
        self._stats.append((bands, cases, found))
        return found

    def last(self) -> ir.Table:
        """Each case's last succession (the largest ``_k``), with the same columns."""
        table = self.table
        last = table.group_by(_case="_c").aggregate(_last=table._k.max())
        return table.join(last, [table._c == last._case, table._k == last._last]).select(
            *table.columns
        )


class EventLog:
    """A canonical event table, sorted once for every analysis run on it.

    Every function of :mod:`orglens.mining` takes an Ibis event table or an ``EventLog``. Given
    a table, an analysis sorts the events of each case itself; given an ``EventLog``, all the
    analyses of one log share a single sorted pass, kept on the engine as long as the
    ``EventLog`` lives. Build one when you run more than one analysis on the same events.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`).
    columns
        The columns coded together in the shared pass (by default ``activity``, ``resource``
        and ``group``, those of them the table has). Name only those the analyses will read:
        each costs the pass a join; a column asked for later gets a pass of its own.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> from orglens.mining import dfg, handover
    >>> hour = lambda h: dt.datetime(2024, 1, 1, h, tzinfo=dt.timezone.utc)
    >>> log = EventLog(connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1"], "activity": ["call", "offer"],
    ...     "timestamp": [hour(9), hour(10)], "resource": ["ann", "bob"],
    ...     "group": [None, None], "position": [0, 1]})))
    >>> [(e.source, e.target, e.count) for e in dfg(log).edges]
    [('call', 'offer', 1)]
    >>> [(e.source, e.target, e.count) for e in handover(log).edges]
    [('ann', 'bob', 1)]
    """

    def __init__(self, events: ir.Table, *, columns: Sequence[str] = SHARED) -> None:
        require_columns(events, CASE, ACTIVITY, TIMESTAMP, POSITION)
        self.events = events
        self._shared = tuple(column for column in columns if column in events.columns)
        self._codes: dict[str, _Codes] = {}
        self._prepared: dict[tuple[str, ...], ir.Table] = {}
        self._layouts: dict[tuple[str, ...], dict[str, tuple[int, int, int]]] = {}
        self._successions: dict[Hashable, Succession] = {}
        self._tables: list[ir.Table] = []
        self._events_count: int | None = None
        self._cases_count: int | None = None

    @classmethod
    def of(cls, events: Events) -> EventLog:
        """``events`` itself if it is an ``EventLog``, else a new one over the table."""
        return events if isinstance(events, EventLog) else cls(events)

    def names(self, column: str) -> tuple[str, ...]:
        """The distinct non-null values of ``column``, in the order of their codes."""
        return self._codes_of(column).names

    def has_null(self, column: str) -> bool:
        """Whether some event has no value in ``column``."""
        return self._codes_of(column).has_null

    def prepared(self) -> ir.Table:
        """The prepared table of the shared columns (see the module documentation)."""
        return self._prepared_for(self._shared)

    def column_codes(self, column: str) -> tuple[ir.Table, ir.Column, ir.Column]:
        """A prepared table holding ``column``, with the code of each event's value and of
        the next event's value (null where the value is null, or at a case's last event)."""
        group = self._shared if column in self._shared else (column,)
        table = self._prepared_for(group)
        pack, multiplier, base = self._layouts[group][column]
        nullable = self._codes_of(column).has_null

        def code(packed: ir.Column) -> ir.Column:
            digit = (packed // multiplier) % base
            return (digit == 0).ifelse(ibis.null("int64"), digit - 1) if nullable else digit - 1

        return table, code(table[f"_p{pack}"]), code(table[f"_q{pack}"])

    def successions(self, column: str) -> Succession:
        """Successions among the events whose ``column`` is not null (see :class:`Succession`)."""
        if column not in self._successions:
            require_columns(self.events, column)
            codes = self._codes_of(column)
            table, code, following = self.column_codes(column)
            if codes.has_null:
                steps = kept_on_engine(_pass(table.select("_c", "_k", TIMESTAMP, _value=code)))
                without = _count(table.filter(code.isnull()))
            else:
                steps, without = _adjacent(table, code, following), 0
            self._successions[column] = Succession(steps, codes.names, without)
        return self._successions[column]

    def unit_successions(self, unit: UnitSource, resource: str = "resource") -> Succession:
        """Successions between the units of events (see :func:`orglens.mining.unit_handoffs`).

        ``unit`` is a column, a ``{resource: unit}`` mapping or a table with columns
        ``resource`` and ``unit``; events whose unit is unknown are left out.
        """
        if isinstance(unit, str):
            return self.successions(unit)
        require_columns(self.events, resource)
        key: Hashable = (
            ("mapping", resource, tuple(sorted(unit.items())))
            if isinstance(unit, Mapping)
            else ("table", resource, id(unit))
        )
        if key not in self._successions:
            if not isinstance(unit, Mapping):
                self._tables.append(unit)  # keyed by id(): kept alive so the id stays its own
            units_of = _mapping(unit)
            codes = self._codes_of(resource)
            names = tuple(sorted({units_of[name] for name in codes.names if name in units_of}))
            number = {name: code for code, name in enumerate(names)}
            # unit code of each resource code (None: no unit), looked up by index on the engine
            lookup = ibis.literal(
                [number[units_of[name]] if name in units_of else None for name in codes.names],
                type="array<int32>",
            )
            if not codes.has_null and all(name in units_of for name in codes.names):
                # Every event has a unit: the successions of units are those of the resources,
                # relabelled, and need no pass of their own over the sorted events.
                # Read straight off the pass, in one projection (over the resources'
                # successions, a projection of a projection: 15 ms more for Ibis to compile),
                # and kept: the lookup's literal is compiled once, not by every query.
                table, code, following = self.column_codes(resource)
                steps = kept_on_engine(
                    _adjacent(table, lookup[code.cast("int32")], lookup[following.cast("int32")])
                )
                self._successions[key] = Succession(steps, names, 0)
                return self._successions[key]
            table, code, _ = self.column_codes(resource)
            # Spark's index of a null is not null: events without a resource are guarded.
            value = code.notnull().ifelse(lookup[code.cast("int32")], ibis.null("int32"))
            labelled = table.select("_c", "_k", TIMESTAMP, _value=value)
            steps = kept_on_engine(_pass(labelled))
            without = _count(labelled.filter(labelled._value.isnull()))
            self._successions[key] = Succession(steps, names, without)
        return self._successions[key]

    def last_activities(self) -> ir.Table:
        """Each case's last event: columns ``_c``, ``_k`` (its place) and ``_a`` (the
        activity's code)."""
        table, code, _ = self.column_codes(ACTIVITY)
        return table.filter(table._w.isnull()).select("_c", "_k", _a=code)

    def cases(self) -> int:
        """The number of cases (counted once)."""
        if self._cases_count is None:
            table = self.prepared()
            self._cases_count = _count(table.filter(table._k == 0))
        return self._cases_count

    def count(self) -> int:
        """The number of events (counted once)."""
        if self._events_count is None:
            self._events_count = _count(self.events)
        return self._events_count

    def _few_cases(self) -> bool:
        """Whether the log has fewer than 2**31 events (so fewer cases: int32 codes fit)."""
        return self.count() < 2**31

    def _codes_of(self, column: str) -> _Codes:
        if column not in self._codes:
            group = self._shared if column in self._shared else (column,)
            self._codes.update(self._code(group))
        return self._codes[column]

    def _code(self, columns: tuple[str, ...]) -> dict[str, _Codes]:
        """Codes of several columns at once: one table and one read for all of them."""
        require_columns(self.events, *columns)
        events = self.events
        values = ibis.union(
            *(
                events.select(
                    _column=ibis.literal(index, "int8"), _key=events[column].cast("string")
                ).distinct()
                for index, column in enumerate(columns)
            ),
            distinct=False,
        )
        known = values._key.notnull()
        number = ibis.row_number().over(group_by=[values._column, known], order_by=values._key)
        values = kept_on_engine(
            values.mutate(_code=known.ifelse(number, ibis.null("int64")).cast("int32"))
        )
        names: list[dict[int, str]] = [{} for _ in columns]
        nulls = [False for _ in columns]
        for row in rows(values):
            if row["_key"] is None:
                nulls[row["_column"]] = True
            else:
                names[row["_column"]][row["_code"]] = str(row["_key"])
        return {
            column: _Codes(
                values.filter(values._column == index).select("_key", "_code"),
                tuple(names[index][code] for code in range(len(names[index]))),
                nulls[index],
            )
            for index, column in enumerate(columns)
        }

    def _prepared_for(self, columns: tuple[str, ...]) -> ir.Table:
        if columns not in self._prepared:
            events = self.events
            cases = events.select(_case=events[CASE]).distinct()
            # int32 while there are fewer than 2**31 cases: the prepared table is held in memory
            number = ibis.row_number().over(order_by=cases._case)
            cases = cases.mutate(_c=number.cast("int32" if self._few_cases() else "int64"))
            coded = events.join(cases, events[CASE] == cases._case)
            digits: dict[str, Any] = {}
            for index, column in enumerate(columns):
                codes = self._codes_of(column).table.select(
                    **{f"_key{index}": "_key", f"_code{index}": "_code"}
                )
                coded = coded.left_join(
                    codes, events[column].cast("string") == codes[f"_key{index}"]
                )
                # 0 for a null value, else the code + 1
                digits[column] = codes[f"_code{index}"].cast("int64").fill_null(-1) + 1
            layout = _layout({column: len(self.names(column)) + 1 for column in columns})
            packed = {
                f"_p{pack}": _narrow(
                    sum(
                        (
                            digits[column] * multiplier
                            for column, (at, multiplier, _) in layout.items()
                            if at == pack
                        ),
                        ibis.literal(0, "int64"),
                    ),
                    math.prod(base for at, _, base in layout.values() if at == pack),
                )
                for pack in sorted({at for at, _, _ in layout.values()})
            }
            coded = coded.select(cases._c, events[TIMESTAMP], events[POSITION], **packed)
            order = ibis.window(group_by="_c", order_by=[TIMESTAMP, POSITION])
            following = coded[TIMESTAMP].lead().over(order)
            leads = {f"_q{name[2:]}": coded[name].lead().over(order) for name in packed}
            table = coded.select(
                "_c",
                TIMESTAMP,
                *packed,
                _k=ibis.row_number().over(order).cast("int32"),
                _w=following.delta(coded[TIMESTAMP], unit="microsecond"),
                **leads,
            )
            self._prepared[columns] = kept_on_engine(table)
            self._layouts[columns] = layout
        return self._prepared[columns]


#: An event table, or an :class:`EventLog` that shares one sorted pass among analyses.
Events: TypeAlias = "ir.Table | EventLog"


def table_of(events: Events) -> ir.Table:
    """The Ibis event table of ``events`` (a table, or an :class:`EventLog`)."""
    return events.events if isinstance(events, EventLog) else events


def _narrow(packed: ir.Column, bound: int) -> ir.Column:
    """``packed`` as int32 when every value stays below ``bound`` < 2**31 (half the memory)."""
    return packed.cast("int32") if bound < 2**31 else packed


def _layout(bases: Mapping[str, int]) -> dict[str, tuple[int, int, int]]:
    """Where each column's digit goes: ``(pack, multiplier, base)``.

    The shared pass leads one packed integer per pack instead of one code per column (each
    lead costs a pass over the sorted partitions); a pack holds columns while the product of
    their bases stays below 2**53: Spark divides integers through doubles, which are exact
    only up to there.
    """
    layout: dict[str, tuple[int, int, int]] = {}
    pack, multiplier = 0, 1
    for column, base in bases.items():
        if multiplier * base >= 2**53 and multiplier > 1:
            pack, multiplier = pack + 1, 1
        layout[column] = (pack, multiplier, base)
        multiplier *= base
    return layout


def _adjacent(table: ir.Table, source: ir.Column, target: ir.Column) -> ir.Table:
    """The successions of a prepared ``table`` whose every event has a value: each event but
    a case's last, with ``source`` (its value), ``target`` (the next event's) and its wait."""
    return table.filter(table._w.notnull()).select(
        "_c", "_k", source=source, target=target, wait_us=table._w
    )


def _pass(labelled: ir.Table) -> ir.Table:
    """Successions among the rows of ``labelled`` (``_c``, ``_k``, timestamp, ``_value``)
    whose ``_value`` is not null."""
    known = labelled.filter(labelled._value.notnull())
    order = ibis.window(group_by="_c", order_by="_k")
    steps = known.select(
        "_c",
        "_k",
        source=known._value,
        target=known._value.lead().over(order),
        wait_us=known[TIMESTAMP].lead().over(order).delta(known[TIMESTAMP], unit="microsecond"),
    )
    return steps.filter(steps.wait_us.notnull())


def kept_on_engine(table: ir.Table) -> ir.Table:
    """``table`` computed now and kept on its engine while referenced (``Table.cache()``)."""
    with warnings.catch_warnings():
        # Ibis 12 reads the new table's schema with DuckDB's deprecated `fetch_arrow_table()`.
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", category=DeprecationWarning
        )
        return table.cache()


def _count(table: ir.Table) -> int:
    return int(table.count().to_pyarrow().as_py())


def _mapping(unit: Mapping[str, str] | ir.Table) -> dict[str, str]:
    """A ``{resource: unit}`` mapping, read from a table with columns ``resource`` and ``unit``."""
    if isinstance(unit, Mapping):
        return {str(name): str(value) for name, value in unit.items()}
    missing = [name for name in ("resource", "unit") if name not in unit.columns]
    if missing:
        raise UsageError(
            Problem(
                f"the unit mapping has no column {', '.join(map(repr, missing))}; "
                f"it has {', '.join(map(repr, unit.columns))}",
                "give a table with columns 'resource' and 'unit'",
            )
        )
    pairs = unit.select(_key=unit.resource.cast("string"), _value=unit.unit.cast("string"))
    found: dict[str, set[str]] = {}
    for row in rows(pairs.distinct()):
        if row["_key"] is not None and row["_value"] is not None:
            found.setdefault(row["_key"], set()).add(row["_value"])
    clashes = sorted(name for name, values in found.items() if len(values) > 1)
    if clashes:
        names = ", ".join(map(repr, clashes[:3]))
        raise UsageError(
            Problem(
                f"the unit mapping gives several units to {names}",
                "give each resource one unit",
            )
        )
    return {name: values.pop() for name, values in found.items()}
