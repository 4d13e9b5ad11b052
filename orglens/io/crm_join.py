"""Leads and deals in two files, joined on a key, as one event log.

An MQL table and a closed-deals table (the Olist funnel), a leads export and a deals export: each
file has one row per record and its own stage dates; the key (``mql_id``) makes a lead and its
deal one case. Each file's rows make events as in :mod:`orglens.io.crm_deals`, with that file's
owner, team and other columns; keys found on one side only are counted.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io.crm_common import PathLike, count_phrase, finish_events
from orglens.io.crm_deals import (
    DealColumns,
    StageEvents,
    find_column,
    guess_stage_dates,
    guessed_stages_note,
    read_deal_table,
    stage_events,
)

__all__ = ["parse_join", "read_joined"]


def parse_join(text: str) -> tuple[str, str]:
    """``KEY`` or ``LEADS_KEY=DEALS_KEY`` as the key column of each file.

    Examples
    --------
    >>> parse_join("mql_id"), parse_join("Lead ID = lead")
    (('mql_id', 'mql_id'), ('Lead ID', 'lead'))
    """
    left, _, right = text.partition("=")
    left, right = left.strip(), (right.strip() if "=" in text else left.strip())
    if not left or not right:
        raise UsageError(
            Problem(
                f"{text!r} is not a key column",
                "write --join KEY (the same column in both files) or --join LEADS_KEY=DEALS_KEY",
                "--join",
            )
        )
    return left, right


def read_joined(
    leads: PathLike, deals: PathLike, /, columns: DealColumns, *, join: str
) -> pa.Table:
    """The events of a leads file and a deals file, a lead and its deal one case.

    Parameters
    ----------
    leads, deals
        The two files (CSV), one row per lead and one per deal.
    columns
        As for :func:`orglens.io.crm_deals.read_deals`, but each column is looked up in both
        files: a stage date, owner, team or outcome column is read from the file that has it
        (from the leads file when both have it, with a warning), and applies to that file's
        rows only. ``columns.case`` is not used: the key is the case id. Without
        ``stage_dates``, every column whose name says *date* is one (in each file).
    join
        The key: ``KEY`` (a column of both files) or ``LEADS_KEY=DEALS_KEY``.

    Returns
    -------
    pyarrow.Table
        The canonical event table: the leads' events, then the deals'. Its warnings count the
        leads without a deal and the deals without a lead (kept as cases of their own), rows
        without any stage date, and keys on more than one row.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "leads.csv").write_text("mql,contact\\nm1,2024-01-02\\nm2,2024-01-03\\n")
    >>> _ = (folder / "deals.csv").write_text("mql,rep,won\\nm1,sr7,2024-02-01\\n")
    >>> spec = DealColumns(
    ...     resource="rep", stage_dates=(("contact", "MQL"), ("won", "Deal won"))
    ... )
    >>> table = read_joined(folder / "leads.csv", folder / "deals.csv", spec, join="mql")
    >>> table.select(["case_id", "activity", "resource"]).to_pylist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'case_id': 'm1', 'activity': 'MQL', 'resource': None},
     {'case_id': 'm2', 'activity': 'MQL', 'resource': None},
     {'case_id': 'm1', 'activity': 'Deal won', 'resource': 'sr7'}]
    """
    paths = (Path(leads), Path(deals))
    raws = [read_deal_table(path) for path in paths]
    keys = [
        find_column(raw, key, path.name, "--join") or key
        for raw, path, key in zip(raws, paths, parse_join(join), strict=True)
    ]
    notes: list[str] = []
    specs = _split_columns(raws, paths, keys, columns, notes)
    found: list[StageEvents] = []
    for raw, path, key, spec, kind in zip(raws, paths, keys, specs, ("lead", "deal"), strict=True):
        found.append(stage_events(raw, path, spec, case=key, kind=kind))
        notes.extend(found[-1].notes)
    notes.insert(0, _match_note(found[0].cases, found[1].cases, keys))
    tables = [part.table.drop_columns(["_row", "_stage"]) for part in found]
    source = f"{paths[0].name} + {paths[1].name}"
    return finish_events(tables, source, notes, "no lead or deal has a stage date")


def _split_columns(
    raws: list[pa.Table],
    paths: tuple[Path, Path],
    keys: list[str],
    columns: DealColumns,
    notes: list[str],
) -> list[DealColumns]:
    """Each file's share of ``columns``: the columns it has."""

    def where(name: str | None, option: str) -> list[str | None]:
        if name is None:
            return [None, None]
        found = [
            find_column(raw, name, path.name, option, required=False)
            for raw, path in zip(raws, paths, strict=True)
        ]
        if found == [None, None]:
            _missing(raws, paths, name, option)
        if None not in found:
            notes.append(
                f"{name!r} ({option}) is in both files: read from {paths[0].name} for its rows "
                f"and from {paths[1].name} for its rows"
            )
        return found

    resource, group = where(columns.resource, "--resource"), where(columns.group, "--group")
    outcome, unit = where(columns.outcome, "--outcome"), where(columns.unit, "--unit")
    stages: list[list[tuple[str, str]]] = [[], []]
    for column, activity in columns.stage_dates:
        found = where(column, "--stage-dates")
        side = 0 if found[0] is not None else 1
        stages[side].append((found[side] or column, activity))
    specs = []
    for side, raw in enumerate(raws):
        taken = {keys[side], resource[side], group[side], outcome[side], unit[side]} - {None}
        dates = tuple(stages[side])
        if not columns.stage_dates:
            dates = guess_stage_dates(raw.column_names, taken)
            if dates:
                notes.append(f"{paths[side].name}: {guessed_stages_note(dates)}")
        if not dates:
            _missing_dates(raw, paths[side])
        specs.append(
            replace(
                columns,
                case=keys[side],
                stage_dates=dates,
                resource=resource[side],
                group=group[side],
                outcome=outcome[side],
                unit=unit[side],
            )
        )
    return specs


def _missing(raws: list[pa.Table], paths: tuple[Path, Path], name: str, option: str) -> None:
    listing = "; ".join(
        f"{path.name} has {', '.join(repr(column) for column in raw.column_names)}"
        for raw, path in zip(raws, paths, strict=True)
    )
    raise InvalidWorkspace(
        Problem(
            f"column {name!r} (given for {option}) is in neither file",
            f"give one of the columns the files have: {listing}",
            f"{paths[0].name} + {paths[1].name}",
            None,
            name,
        )
    )


def _missing_dates(raw: pa.Table, path: Path) -> None:
    listing = ", ".join(repr(column) for column in raw.column_names)
    raise InvalidWorkspace(
        Problem(
            "none of the stage dates is a column of this file, so its rows make no events",
            f"name its date columns in --stage-dates COLUMN=ACTIVITY,...; it has: {listing}",
            path.name,
            1,
        )
    )


def _match_note(leads: frozenset[str], deals: frozenset[str], keys: list[str]) -> str:
    key = keys[0] if keys[0] == keys[1] else f"{keys[0]} = {keys[1]}"
    matched = len(leads & deals)
    return (
        f"joined on {key!r}: {matched:,} of {count_phrase(len(deals), 'deal', 'deals')} "
        f"match a lead; {count_phrase(len(leads - deals), 'lead has', 'leads have')} no deal; "
        f"{count_phrase(len(deals - leads), 'deal has', 'deals have')} no lead "
        "(kept as cases of their own)"
    )
