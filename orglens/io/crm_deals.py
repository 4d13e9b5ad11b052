"""Deal and lead tables (one row per record, a date column per stage) as events.

A Maven-style sales pipeline, a HubSpot or Pipedrive deals export, an MQL table: each row is one
deal or lead, and each non-empty stage date is one event of it. The outcome column (``Won``,
``Closed lost``, ``vunnen``...) turns a row's last event into ``Won`` or ``Lost``.
:func:`read_deals` reads one such file; :mod:`orglens.io.crm_join` joins two (leads and deals)
on a key with the same building block, :func:`stage_events`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.crm_common import (
    PathLike,
    count_phrase,
    finish_events,
    parse_date_column,
    text_array,
)
from orglens.io.csv_lines import csv_line_finder
from orglens.io.events_columns import CANDIDATES, name_key
from orglens.io.events_csv import number_or_text, read_csv_text

__all__ = [
    "DealColumns",
    "StageEvents",
    "find_column",
    "guess_stage_dates",
    "guessed_stages_note",
    "outcome_of",
    "parse_stage_dates",
    "read_deal_table",
    "read_deals",
    "resolve_deal_columns",
    "stage_events",
]

WON, LOST = "Won", "Lost"
# Outcome values as people write them (compared in lower case, letters and digits only).
_OUTCOMES = {
    **dict.fromkeys(
        ("won", "win", "closedwon", "wonclosed", "dealwon", "vunnen", "vunnet", "vunna",
         "stängdvunnen", "stangdvunnen", "affärvunnen", "vundet", "gewonnen"),
        WON,
    ),
    **dict.fromkeys(
        ("lost", "lose", "closedlost", "lostclosed", "deallost", "förlorad", "förlorat",
         "förlorade", "forlorad", "forlorat", "stängdförlorad", "stangdforlorad",
         "affärförlorad", "tabt", "verloren"),
        LOST,
    ),
}  # fmt: skip
_DATE_WORDS = ("date", "datum", "dato")


def outcome_of(value: str | None) -> str | None:
    """``"Won"`` or ``"Lost"`` for an outcome value that says so, else ``None``.

    Examples
    --------
    >>> [outcome_of(v) for v in ("Won", "Closed lost", "closedwon", "Förlorad", "Engaging")]
    ['Won', 'Lost', 'Won', 'Lost', None]
    """
    if value is None:
        return None
    return _OUTCOMES.get(re.sub(r"[\W_]+", "", value.casefold()))


def parse_stage_dates(text: str | None) -> tuple[tuple[str, str], ...]:
    """``COL=ACTIVITY,...`` as ``((column, activity), ...)``; a ``COL`` alone is its own activity.

    Examples
    --------
    >>> parse_stage_dates("engage_date=Engaging, close_date=Closed")
    (('engage_date', 'Engaging'), ('close_date', 'Closed'))
    >>> parse_stage_dates(None)
    ()
    """
    if text is None:
        return ()
    pairs: list[tuple[str, str]] = []
    for part in text.split(","):
        column, _, activity = part.partition("=")
        column, activity = column.strip(), (activity.strip() or column.strip())
        if not column or ("=" in part and not part.partition("=")[2].strip()):
            raise UsageError(
                Problem(
                    f"{part.strip()!r} is not COLUMN=ACTIVITY",
                    "write --stage-dates engage_date=Engaging,close_date=Closed",
                    "--stage-dates",
                )
            )
        if any(column == seen for seen, _ in pairs):
            raise UsageError(
                Problem(
                    f"column {column!r} is given twice",
                    "name each stage-date column once",
                    "--stage-dates",
                )
            )
        pairs.append((column, activity))
    return tuple(pairs)


@dataclass(frozen=True, kw_only=True)
class DealColumns:
    """The columns of a deal table, as a user names them (``None``: not given).

    ``case`` is the deal or lead id (found by name when ``None``); ``stage_dates`` pairs each
    date column with the activity it records, in the order of the process (empty: every column
    whose name says *date*); ``outcome`` turns each row's last event into Won or Lost;
    ``resource``, ``group`` and ``unit`` name the owner, the team and a unit column kept for
    ``orglens mine --unit``.
    """

    case: str | None = None
    stage_dates: tuple[tuple[str, str], ...] = ()
    resource: str | None = None
    group: str | None = None
    outcome: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class StageEvents:
    """The events of one deal table before they are made canonical.

    ``table`` has ``case_id``, ``activity``, ``timestamp``, ``resource``, ``group``, the other
    columns of the file, ``_row`` (the row) and ``_stage`` (the stage's order); ``notes`` are
    warnings; ``cases`` the distinct ids of every row (dated or not).
    """

    table: pa.Table
    notes: tuple[str, ...]
    cases: frozenset[str]


def find_column(
    raw: pa.Table, name: str, source: str, option: str, *, required: bool = True
) -> str | None:
    """The column of ``raw`` called ``name`` (ignoring case, spaces and dashes)."""
    if name in raw.column_names:
        return name
    found = next((col for col in raw.column_names if name_key(col) == name_key(name)), None)
    if found is None and required:
        listing = ", ".join(repr(col) for col in raw.column_names)
        raise InvalidWorkspace(
            Problem(
                f"column {name!r} (given for {option}) is not in the file",
                f"give {option} one of the columns the file has: {listing}",
                source,
                1,
                name,
            )
        )
    return found


def guess_stage_dates(
    columns: Sequence[str], taken: Collection[str | None]
) -> tuple[tuple[str, str], ...]:
    """The columns whose name says *date* (``close_date``, ``Won Date``), with an activity
    made from the rest of the name.

    Examples
    --------
    >>> guess_stage_dates(["mql_id", "first_contact_date", "Won Date"], set())
    (('first_contact_date', 'First contact'), ('Won Date', 'Won'))
    """
    found = []
    for column in columns:
        words = [word for word in name_key(column).split("_") if word]
        if column in taken or not any(word.endswith(_DATE_WORDS) for word in words):
            continue
        kept = [_without_date(word) for word in words]
        found.append((column, " ".join(word for word in kept if word).capitalize() or column))
    return tuple(found)


def _without_date(word: str) -> str:
    """``closedate`` → ``close``, ``date`` → ``""``."""
    for suffix in _DATE_WORDS:
        if word.endswith(suffix):
            return word.removesuffix(suffix)
    return word


def read_deal_table(path: Path) -> pa.Table:
    """Every column of a deal table (CSV) as text; a clear error when there is no such file."""
    if path.is_dir():
        raise InvalidWorkspace(
            Problem("is a folder, not a file", "give the CSV file of the deals", str(path))
        )
    if not path.is_file():
        what = "is not a regular file" if path.exists() else "does not exist"
        raise InvalidWorkspace(
            Problem(f"the file {what}", "check the path and the file name", str(path))
        )
    return read_csv_text(path)


def stage_events(
    raw: pa.Table,
    path: Path,
    columns: DealColumns,
    *,
    case: str,
    kind: str = "deal",
    line_of: Callable[[int], int | None] | None = None,
) -> StageEvents:
    """The events of ``raw``: one per row and non-empty stage date, in row then stage order.

    Every column of ``columns`` must be in ``raw`` (:func:`find_column` the names first);
    ``case`` is the id column. ``kind`` names a row in the warnings (``deal``, ``lead``).
    """
    find = line_of or csv_line_finder(path)
    ids = raw.column(case)
    blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(ids), ""), True)
    if pc.any(blank).as_py():
        row = int(pc.index(blank, True).as_py())
        raise InvalidWorkspace(
            Problem(
                f"the {kind} has no id (column {case!r} is empty)",
                f"give every {kind} its id, or remove the row",
                path.name,
                find(row),
                case,
            )
        )
    dates = [
        (activity, parse_date_column(raw, column, path, find))
        for column, activity in columns.stage_dates
    ]
    last = pa.nulls(raw.num_rows, pa.int64())
    for order in reversed(range(len(dates))):
        dated = pc.is_valid(dates[order][1])
        last = pc.if_else(pc.and_(pc.is_null(last), dated), order, last)
    outcomes = _outcomes(raw, columns.outcome)
    consumed = {case, columns.resource, columns.group} | {c for c, _ in columns.stage_dates}
    extras = {
        name: number_or_text(raw.column(name)) for name in raw.column_names if name not in consumed
    }
    parts = []
    for order, (activity, times) in enumerate(dates):
        rows = pc.indices_nonzero(pc.is_valid(times))
        named = text_array([activity] * len(rows))
        if outcomes is not None:
            ends = pc.and_(pc.equal(last.take(rows), order), pc.is_valid(outcomes.take(rows)))
            named = pc.if_else(ends, outcomes.take(rows), named)
        parts.append(
            pa.table(
                {
                    "case_id": ids.take(rows),
                    "activity": named,
                    "timestamp": times.take(rows),
                    "resource": _optional(raw, columns.resource, rows),
                    "group": _optional(raw, columns.group, rows),
                    **{name: column.take(rows) for name, column in extras.items()},
                    "_row": pc.cast(rows, pa.int64()),
                    "_stage": pa.array([order] * len(rows), pa.int64()),
                }
            )
        )
    table = pa.concat_tables(parts)
    table = table.take(pc.sort_indices(table, [("_row", "ascending"), ("_stage", "ascending")]))
    notes = _row_notes(raw, path, columns, case, kind, last, outcomes)
    return StageEvents(table, tuple(notes), frozenset(ids.to_pylist()))


def read_deals(path: PathLike, /, columns: DealColumns) -> pa.Table:
    """The events of one deal or lead table (CSV): one per row and non-empty stage date.

    Parameters
    ----------
    path
        The file, one row per deal or lead.
    columns
        Its columns (:class:`DealColumns`). Stage-date columns not named are found by name
        (every column whose name says *date*), and said so in a warning.

    Returns
    -------
    pyarrow.Table
        The canonical event table (see :mod:`orglens.io.eventlog`): ``case_id`` the id,
        ``activity`` the stage (a row's last one ``Won`` or ``Lost`` when its outcome says so),
        ``timestamp`` the stage date, ``resource`` and ``group`` the named columns (the same on
        every event of a row), every other column kept. Its warnings count the rows without
        any stage date (they make no event), outcomes that are neither won nor lost, and ids
        on more than one row.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> deals = pathlib.Path(tempfile.mkdtemp()) / "deals.csv"
    >>> _ = deals.write_text(
    ...     "id,owner,stage,engaged,closed\\n"
    ...     "d1,ann,Won,2024-01-02,2024-02-01\\n"
    ...     "d2,bob,Prospecting,,\\n"
    ... )
    >>> spec = DealColumns(
    ...     case="id", resource="owner", outcome="stage",
    ...     stage_dates=(("engaged", "Engaging"), ("closed", "Closed")),
    ... )
    >>> table = read_deals(deals, spec)
    >>> table.select(["case_id", "activity", "resource"]).to_pylist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'case_id': 'd1', 'activity': 'Engaging', 'resource': 'ann'},
     {'case_id': 'd1', 'activity': 'Won', 'resource': 'ann'}]
    """
    file = Path(path)
    raw = read_deal_table(file)
    named = resolve_deal_columns(raw, file, columns)
    found = stage_events(raw, file, named, case=named.case or "")
    notes = [*_guess_note(columns, named), *found.notes]
    table = found.table.drop_columns(["_row", "_stage"])
    return finish_events([table], file.name, notes, "no row has a stage date")


def resolve_deal_columns(raw: pa.Table, path: Path, columns: DealColumns) -> DealColumns:
    """``columns`` with each name as the file spells it, the id and stage dates found by name
    when not given."""
    source = path.name
    case = (
        find_column(raw, columns.case, source, "--case")
        if columns.case
        else _by_name(raw, "case", set())
    )
    if case is None:
        listing = ", ".join(repr(c) for c in raw.column_names)
        raise InvalidWorkspace(
            Problem(
                "no deal id column found (looked for deal_id, opportunity_id, lead_id, ...)",
                f"name it with --case COLUMN; the file has: {listing}",
                source,
                1,
            )
        )

    def named(name: str | None, option: str) -> str | None:
        return find_column(raw, name, source, option) if name else None

    outcome, unit = named(columns.outcome, "--outcome"), named(columns.unit, "--unit")
    taken = {case, outcome, unit} - {None}
    resource = named(columns.resource, "--resource") or _by_name(raw, "resource", taken)
    group = named(columns.group, "--group") or _by_name(raw, "group", taken | {resource})
    stages = tuple(
        (find_column(raw, column, source, "--stage-dates") or column, activity)
        for column, activity in columns.stage_dates
    ) or guess_stage_dates(raw.column_names, {case, resource, group, outcome, unit} - {None})
    if not stages:
        listing = ", ".join(repr(c) for c in raw.column_names)
        raise InvalidWorkspace(
            Problem(
                "no stage-date column found (no column name says 'date')",
                f"name them with --stage-dates COLUMN=ACTIVITY,...; the file has: {listing}",
                source,
                1,
            )
        )
    return DealColumns(
        case=case,
        stage_dates=stages,
        resource=resource,
        group=group,
        outcome=outcome,
        unit=unit,
    )


def guessed_stages_note(stages: Sequence[tuple[str, str]]) -> str:
    """The warning that says which stage dates were found by name."""
    listing = ", ".join(f"{column} → {activity!r}" for column, activity in stages)
    return (
        f"stage dates found by name: {listing}; name them with --stage-dates "
        "COLUMN=ACTIVITY,... to choose others or other activity names"
    )


def _by_name(raw: pa.Table, role: str, taken: set[str | None]) -> str | None:
    """The column a role's usual names find (``owner``, ``sales_agent``; ``team``...)."""
    return next(
        (
            column
            for key in CANDIDATES[role]
            for column in raw.column_names
            if name_key(column) == key and column not in taken
        ),
        None,
    )


def _guess_note(given: DealColumns, named: DealColumns) -> list[str]:
    return [] if given.stage_dates else [guessed_stages_note(named.stage_dates)]


def _optional(raw: pa.Table, name: str | None, rows: pa.Array) -> pa.Array:
    if name is None:
        return pa.nulls(len(rows), pa.string())
    return raw.column(name).take(rows)


def _outcomes(raw: pa.Table, name: str | None) -> pa.Array | None:
    """Per row, ``Won``, ``Lost`` or null, read from the outcome column."""
    if name is None:
        return None
    encoded = pc.dictionary_encode(raw.column(name)).combine_chunks()
    normal = text_array([outcome_of(value) for value in encoded.dictionary.to_pylist()])
    return normal.take(encoded.indices)


def _row_notes(
    raw: pa.Table,
    path: Path,
    columns: DealColumns,
    case: str,
    kind: str,
    last: pa.Array,
    outcomes: pa.Array | None,
) -> list[str]:
    notes = []
    values = raw.column(columns.outcome).to_pylist() if columns.outcome else None
    undated = pc.is_null(last)
    count = pc.sum(pc.cast(undated, pa.int64())).as_py() or 0
    if count:
        stages = ", ".join(repr(column) for column, _ in columns.stage_dates)
        what = count_phrase(count, f"{kind} has", f"{kind}s have")
        note = f"{path.name}: {what} no date in {stages} and so no events"
        if values is not None:
            left = Counter(
                value for value, skip in zip(values, undated.to_pylist(), strict=True) if skip
            )
            note += f" ({columns.outcome}: {_listing(left)})"
        notes.append(note)
    if values is not None and outcomes is not None:
        flags = zip(values, outcomes.to_pylist(), undated.to_pylist(), strict=True)
        other = Counter(value for value, known, skip in flags if known is None and not skip)
        if other:
            what = count_phrase(sum(other.values()), f"{kind} has", f"{kind}s have")
            notes.append(
                f"{path.name}: {what} an outcome that is neither won nor lost "
                f"({columns.outcome}: {_listing(other)}): their last event keeps its stage name"
            )
    repeated = pc.sum(pc.greater(pc.value_counts(raw.column(case)).field("counts"), 1)).as_py()
    if repeated:
        notes.append(
            f"{path.name}: {count_phrase(repeated, 'id', 'ids')} in {case!r} "
            f"{'is' if repeated == 1 else 'are'} on more than one row: their events are one case"
        )
    return notes


def _listing(counts: Counter[str | None]) -> str:
    return ", ".join(
        f"{'(empty)' if value is None else repr(value)} {number:,}"
        for value, number in counts.most_common()
    )
