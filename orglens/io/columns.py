"""A workspace file's headers matched to our columns, and the ``columns:`` mapping that helps.

Every table of a workspace (``people``, ``units``, ``budget``, ``revenue``, ``journey``,
``coordination``, ``segments``) has its columns in :data:`~orglens.io.synonyms.COLUMNS`. A file's
headers are matched to them in this order:

1. the ``columns:`` mapping of ``orglens.yaml`` (``columns: {people: {id: Anställningsnr}}``),
   or ``columns.people.id`` rows of a workbook's ``orglens`` sheet;
2. the column's own name, in any case and spacing (``Manager ID`` is ``manager_id``);
3. a synonym from :data:`~orglens.io.synonyms.SYNONYMS`, in English or Swedish, ignoring case,
   accents, spaces, underscores and hyphens (``Avdelning`` is ``unit``); each is named in a
   warning.

Two headers that could be the same column are a problem naming both; so is a mapping naming a
header the file does not have. A header matched to nothing is kept as an attribute (a split
scenario can use it with ``by:``) and named once per file in a warning, with a hint where it
looks like a column (``'Annual Salary SEK' is not used: map it to cost?``).

A people ``cost`` is annual. ``cost_period: month`` under ``columns: people:`` makes it monthly
(multiplied by 12); a monthly header (``Månadslön``, ``Monthly salary``) implies it. An ``fte``
read from an employment percentage (``Sysselsättningsgrad``, or a header with ``%``) is divided
by 100.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from orglens.errors import Problem
from orglens.io.synonyms import (
    COLUMNS,
    READ_ATTRIBUTES,
    SYNONYM_INDEX,
    Synonym,
    column_names,
    header_words,
    normalize_header,
)
from orglens.io.tables import Table, column_key

__all__ = [
    "COST_PERIODS",
    "ColumnMapping",
    "MappedTables",
    "ValueScales",
    "guess_columns",
    "map_tables",
    "read_column_mapping",
]

CostPeriod = Literal["year", "month"]
COST_PERIODS: tuple[CostPeriod, ...] = ("year", "month")

_PERIOD_HINT = "if it is monthly, set cost_period: month under columns: people:"


# -- the mapping of orglens.yaml -------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMapping:
    """What ``columns:`` in ``orglens.yaml`` says: per table, our column to the file's header,
    and the period of a people ``cost`` (``None`` where it says nothing). ``lines`` locates each
    entry (``people.id``, ``people.cost_period``) in ``source`` for problems."""

    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    cost_period: CostPeriod | None = None
    source: str = "orglens.yaml"
    lines: Mapping[str, int] = field(default_factory=dict)


def read_column_mapping(
    value: object, source: str, lines: Mapping[str, int], problems: list[Problem]
) -> ColumnMapping:
    """The :class:`ColumnMapping` of a ``columns:`` value; a problem for each wrong entry.

    ``lines`` gives the line of ``columns``, ``columns.people``, ``columns.people.id``...

    Examples
    --------
    >>> problems = []
    >>> value = {"people": {"id": "Anställningsnr", "cost": "Lön", "cost_period": "month"}}
    >>> mapping = read_column_mapping(value, "orglens.yaml", {}, problems)
    >>> dict(mapping.headers["people"]), mapping.cost_period, problems
    ({'id': 'Anställningsnr', 'cost': 'Lön'}, 'month', [])
    >>> _ = read_column_mapping({"people": {"salary": "Lön"}}, "orglens.yaml", {}, problems)
    >>> print(problems[0])  # doctest: +ELLIPSIS
    orglens.yaml: columns: people: 'salary' is not a column of people — use one of: id, name, ...
    """
    if value is None:
        return ColumnMapping(source=source)
    where = {
        key.removeprefix("columns."): line
        for key, line in lines.items()
        if key.startswith("columns.")
    }
    if not isinstance(value, dict):
        fix = "indent one table per line under columns:, e.g. people: {id: Anställningsnr}"
        problems.append(Problem(f"columns {value!r} is not keys with values", fix, source, None))
        return ColumnMapping(source=source)
    headers: dict[str, dict[str, str]] = {}
    period: CostPeriod | None = None
    for kind, entries in value.items():
        line = where.get(str(kind), lines.get("columns"))
        if kind not in COLUMNS:
            fix = f"use one of: {', '.join(COLUMNS)}"
            problems.append(Problem(f"columns: unknown table {kind!r}", fix, source, line))
            continue
        if not isinstance(entries, dict):
            what = f"columns: {kind}: {entries!r} is not keys with values"
            fix = f"write one 'column: Header in the file' per line under {kind}:"
            problems.append(Problem(what, fix, source, line))
            continue
        mapped, found_period = _table_mapping(kind, entries, source, where, problems)
        headers[kind] = mapped
        period = found_period or period
    return ColumnMapping(headers, period, source, where)


def _table_mapping(
    kind: str,
    entries: dict[object, object],
    source: str,
    where: Mapping[str, int],
    problems: list[Problem],
) -> tuple[dict[str, str], CostPeriod | None]:
    mapped: dict[str, str] = {}
    period: CostPeriod | None = None
    names = column_names(kind)
    for column, header in entries.items():
        line = where.get(f"{kind}.{column}", where.get(kind))
        label = f"columns: {kind}: {column}"
        if column == "cost_period" and kind == "people":
            if header in COST_PERIODS:
                period = "month" if header == "month" else "year"
            else:
                what = f"{label} {header!r} is not one of {', '.join(COST_PERIODS)}"
                problems.append(Problem(what, "write cost_period: month or year", source, line))
        elif column not in names:
            what = f"columns: {kind}: {column!r} is not a column of {kind}"
            extra = " (and cost_period)" if kind == "people" else ""
            fix = f"use one of: {', '.join(names)}{extra}"
            problems.append(Problem(what, fix, source, line))
        elif isinstance(header, bool) or not isinstance(header, str | int | float):
            fix = "write the header as it reads in the file"
            problems.append(Problem(f"{label}: {header!r} is not a header", fix, source, line))
        elif str(header).strip() in mapped.values():
            other = next(name for name, text in mapped.items() if text == str(header).strip())
            what = f"{label}: {str(header).strip()!r} is already mapped to {other}"
            problems.append(Problem(what, "map each header to one column", source, line))
        else:
            mapped[str(column)] = str(header).strip()
    return mapped, period


# -- matching a table's headers --------------------------------------------------------------


@dataclass(frozen=True)
class ValueScales:
    """How the values of people ``cost`` and ``fte`` are turned into ours: ``cost`` times
    ``cost_per_year`` (12 when it is monthly), ``fte`` divided by 100 when ``fte_percent``."""

    cost_per_year: int = 1
    fte_percent: bool = False


@dataclass(frozen=True)
class MappedTables:
    """The workspace tables with their headers matched to our column names (each table's
    ``columns`` keyed by them), the scales of people's values, a warning for everything guessed
    or left unused, and per table the unused headers that look like a column (``(header,
    column)``)."""

    tables: dict[str, Table]
    people: ValueScales = ValueScales()
    warnings: tuple[str, ...] = ()
    hints: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def map_tables(
    tables: Mapping[str, Table], mapping: ColumnMapping, problems: list[Problem]
) -> MappedTables:
    """Match the headers of each table to our columns (see the module doc).

    Examples
    --------
    >>> from orglens.io.tables import read_csv
    >>> export = "Anställningsnr;Namn;Chef;Avdelning;Månadslön\\n1;Åsa;;Ledning;80 000\\n"
    >>> people = read_csv(export.encode(), "people.csv", [])
    >>> mapped = map_tables({"people": people}, ColumnMapping(), [])
    >>> sorted(mapped.tables["people"].columns), mapped.people.cost_per_year
    (['cost', 'id', 'manager_id', 'name', 'unit'], 12)
    >>> print(mapped.warnings[0])  # doctest: +ELLIPSIS
    people.csv: 'Anställningsnr' read as id, 'Namn' read as name, 'Chef' read as manager_id, ...
    """
    mapped: dict[str, Table] = {}
    warnings: list[str] = []
    hints: dict[str, tuple[tuple[str, str], ...]] = {}
    scales = ValueScales()
    for kind, table in tables.items():
        matcher = _Matcher(kind, table, mapping, problems)
        mapped[kind] = matcher.table()
        warnings += matcher.warnings()
        hints[kind] = tuple(matcher.unused())
        if kind == "people":
            scales = matcher.scales()
    for kind in mapping.headers:
        if kind not in tables and mapping.headers[kind]:
            warnings.append(
                f"{mapping.source}: columns: {kind}: the workspace has no {kind} table, "
                "so this mapping is not used"
            )
    return MappedTables(mapped, scales, tuple(warnings), hints)


class _Matcher:
    """The headers of one table matched to our columns; problems added as they are found."""

    def __init__(
        self, kind: str, table: Table, mapping: ColumnMapping, problems: list[Problem]
    ) -> None:
        self.kind, self.source, self.mapping = kind, table.source, mapping
        self._table = table
        self.names = column_names(kind)
        # Each header once, at its first position (a repeated header is a problem already).
        self.headers = {pos: table.header[pos] for pos in table.columns.values()}
        self.assigned: dict[str, int] = {}
        self.explicit: set[str] = set()
        self.guessed: list[tuple[int, Synonym]] = []
        self._explicit(mapping.headers.get(kind, {}), problems)
        self._by_name()
        self._by_synonym(problems)

    def _explicit(self, entries: Mapping[str, str], problems: list[Problem]) -> None:
        for column, wanted in entries.items():
            position = self._find(wanted)
            if position is None:
                found = ", ".join(repr(text) for text in self.headers.values()) or "none"
                problems.append(
                    Problem(
                        f"columns: {self.kind}: {column}: {wanted!r} is not a column of "
                        f"{self.source}",
                        f"write one of its headers: {found}",
                        self.mapping.source,
                        self.mapping.lines.get(f"{self.kind}.{column}"),
                    )
                )
            else:
                self.assigned[column] = position
                self.explicit.add(column)

    def _find(self, wanted: str) -> int | None:
        for matches in (
            lambda text: text == wanted,
            lambda text: column_key(text) == column_key(wanted),
            lambda text: normalize_header(text) == normalize_header(wanted),
        ):
            for position, text in self.headers.items():
                if matches(text):
                    return position
        return None

    def _free(self, position: int) -> bool:
        return position not in self.assigned.values()

    def _by_name(self) -> None:
        for key, position in self._table.columns.items():
            if key in self.names and key not in self.assigned and self._free(position):
                self.assigned[key] = position

    def _by_synonym(self, problems: list[Problem]) -> None:
        candidates: dict[str, list[tuple[int, Synonym]]] = {}
        for position, text in self.headers.items():
            synonym = SYNONYM_INDEX[self.kind].get(normalize_header(text))
            if synonym is None or synonym.column in self.assigned or not self._free(position):
                continue
            candidates.setdefault(synonym.column, []).append((position, synonym))
        for column, found in candidates.items():
            if len(found) > 1:
                first, second = (self.headers[position] for position, _ in found[:2])
                problems.append(
                    Problem(
                        f"{first!r} and {second!r} could both be {column}",
                        f"map one in orglens.yaml (columns: {self.kind}: {column}: {first}), "
                        "or rename the other",
                        self.source,
                        self._table.header_line,
                        column,
                    )
                )
            # The first is read (for the checks of its cells), so that the column is not also
            # reported missing; the problem keeps the workspace from loading.
            position, synonym = found[0]
            self.assigned[column] = position
            if synonym.text != synonym.column:
                self.guessed.append((position, synonym))

    # -- results -------------------------------------------------------------------------------

    def table(self) -> Table:
        columns = {column: position for column, position in self.assigned.items()}
        for key, position in self._table.columns.items():
            if self._free(position):
                # A header displaced by a mapping keeps its text as an attribute.
                columns[key if key not in self.names else f"{key}@{position}"] = position
        return replace(self._table, columns=columns)

    def warnings(self) -> list[str]:
        warnings = []
        if self.guessed:
            read = ", ".join(
                f"{self.headers[position]!r} read as {synonym.column}"
                + (
                    f" ({_PERIOD_HINT})"
                    if synonym.marker == "year?" and self.mapping.cost_period is None
                    else ""
                )
                for position, synonym in self.guessed
            )
            warnings.append(
                f"{self.source}: {read} (map them under columns: in orglens.yaml to confirm)"
            )
        if self.kind == "people":
            warnings += self.scale_warnings()
        # Other columns are kept as attributes (a split scenario can use them with by:):
        # nothing is ignored, so only those that look like one of ours are worth a word.
        warnings += [
            f"{self.source}: {text!r} is not used: map it to {column}? "
            f"(columns: {self.kind}: {column}: {text})"
            for text, column in self.unused()
        ]
        return warnings

    def unused(self) -> list[tuple[str, str]]:
        """Headers matched to nothing that look like one of our columns, with that column."""
        hints: list[tuple[str, str]] = []
        read = READ_ATTRIBUTES.get(self.kind, frozenset())
        for position, text in self.headers.items():
            if not self._free(position) or column_key(text) in read:
                continue
            column = _looks_like(self.kind, text)
            if column is None or column in self.assigned:
                continue
            if any(position < len(row.filled) and row.cells[position] for row in self._table.rows):
                hints.append((text, column))
        return hints

    def scales(self) -> ValueScales:
        cost = self._marker("cost")
        period = self.mapping.cost_period or ("month" if cost == "month" else "year")
        fte = self.assigned.get("fte")
        percent = self._marker("fte") == "percent" or (fte is not None and "%" in self.headers[fte])
        return ValueScales(12 if period == "month" else 1, percent)

    def scale_warnings(self) -> list[str]:
        warnings = []
        scales = self.scales()
        if scales.cost_per_year == 12 and "cost" in self.assigned:
            header = self.headers[self.assigned["cost"]]
            why = (
                f"cost_period: month in {self.mapping.source}"
                if self.mapping.cost_period == "month"
                else f"{header!r} is a monthly salary; set cost_period: year if it is not"
            )
            warnings.append(
                f"{self.source}: cost {header!r} read as monthly and multiplied by 12 "
                f"to an annual cost ({why})"
            )
        if scales.fte_percent:
            header = self.headers[self.assigned["fte"]]
            warnings.append(
                f"{self.source}: fte {header!r} read as a percentage and divided by 100 "
                "(100 = full time)"
            )
        return warnings

    def _marker(self, column: str) -> str:
        position = self.assigned.get(column)
        if position is None:
            return ""
        synonym = SYNONYM_INDEX[self.kind].get(normalize_header(self.headers[position]))
        return synonym.marker if synonym is not None and synonym.column == column else ""


def _looks_like(kind: str, header: str) -> str | None:
    """The column a header loosely resembles: it contains a synonym's words (``Annual Salary
    SEK``), or is one misspelt (``Manger ID``); ``None`` otherwise."""
    words = header_words(header)
    for synonym in SYNONYM_INDEX[kind].values():
        wanted = header_words(synonym.text)
        if len(wanted) <= len(words) and any(
            words[start : start + len(wanted)] == wanted
            for start in range(len(words) - len(wanted) + 1)
        ):
            return synonym.column
    close = difflib.get_close_matches(normalize_header(header), list(SYNONYM_INDEX[kind]), 1, 0.85)
    return SYNONYM_INDEX[kind][close[0]].column if close else None


# -- guessing a mapping for an export --------------------------------------------------------


def guess_columns(table: Table, kind: str = "people") -> MappedTables:
    """The mapping :func:`map_tables` would make for ``table`` without ``columns:``, as the
    mapped table (see its ``columns``), scales and warnings; problems are ignored here (they
    are found again when the workspace is read)."""
    return map_tables({kind: table}, ColumnMapping(), [])
