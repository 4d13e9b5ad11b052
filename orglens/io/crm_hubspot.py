"""HubSpot contacts and deals exports (CSV) as events: one per record and stage that has a date.

Re-exported by :mod:`orglens.io.crm`. A HubSpot export holds each record's current owner only, so
every event of a record has that owner as its resource.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.io.crm_common import (
    PathLike,
    as_paths,
    column_key,
    compact_name,
    count_phrase,
    finish_events,
    missing_columns_error,
    parse_date_column,
    text_array,
)
from orglens.io.csv_lines import csv_line_finder
from orglens.io.events_csv import read_csv_text
from orglens.io.events_time import TIMESTAMP

__all__ = ["read_hubspot"]

# HubSpot's internal names of the default lifecycle and deal stages, and how people call them.
_STAGE_LABELS = {
    "subscriber": "Subscriber",
    "lead": "Lead",
    "marketingqualifiedlead": "Marketing Qualified Lead",
    "salesqualifiedlead": "Sales Qualified Lead",
    "opportunity": "Opportunity",
    "customer": "Customer",
    "evangelist": "Evangelist",
    "other": "Other",
    "appointmentscheduled": "Appointment Scheduled",
    "qualifiedtobuy": "Qualified To Buy",
    "presentationscheduled": "Presentation Scheduled",
    "decisionmakerboughtin": "Decision Maker Bought-In",
    "contractsent": "Contract Sent",
    "closedwon": "Closed Won",
    "closedlost": "Closed Lost",
}
_STAGE_COLUMNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^hs_lifecyclestage_(?P<stage>.+)_date$",
        r"^hs_v2_date_entered_(?P<stage>.+)$",
        r"^hs_date_entered_(?P<stage>.+)$",
        r"^became an? (?P<stage>.+) date$",
        r"^date entered [\"“']?(?P<stage>.+?) \((?P<pipeline>[^)]*)\)[\"”']?$",
    )
)
_HUBSPOT_IDS = (
    "hs_object_id", "record_id", "recordid", "vid", "contact_id", "deal_id", "dealid",
    "company_id", "ticket_id", "object_id", "id",
)  # fmt: skip
_HUBSPOT_OWNERS = ("hubspot_owner_id", "hubspot_owner", "contact_owner", "deal_owner", "owner")
_HUBSPOT_TEAMS = ("hubspot_team_id", "hubspot_team", "hubspot_team_name", "team")


def read_hubspot(paths: PathLike | Iterable[PathLike]) -> pa.Table:
    """Events from HubSpot contacts or deals exports (CSV), one per record and dated stage.

    Parameters
    ----------
    paths
        One or more exports. A stage date is a column named ``hs_lifecyclestage_<stage>_date``,
        ``hs_v2_date_entered_<stage>`` or ``hs_date_entered_<stage>`` (property names), or
        ``Became a <Stage> Date`` / ``Date entered "<Stage> (<Pipeline>)"`` (labels, as the
        HubSpot app exports them). The record id is ``hs_object_id`` / ``Record ID`` (or
        ``vid``, ``Deal ID``...), the owner ``hubspot_owner_id`` / ``HubSpot Owner`` /
        ``Contact owner``, the team ``hubspot_team_id`` / ``HubSpot Team``. Records without any
        stage date make no event; the warnings count them in each file.

    Returns
    -------
    pyarrow.Table
        The canonical event table: ``case_id`` is ``<type>:<record id>`` (``contact:101``,
        ``deal:7``: contacts and deals never share a case), ``activity`` the stage's name
        (``Marketing Qualified Lead``; a custom stage keeps its id), ``timestamp`` the date the
        record entered the stage, ``resource`` the owner, ``group`` the team; the record's
        other columns are kept. When two columns date the same stage (``hs_lifecyclestage_`` and
        ``hs_v2_date_entered_``) the earlier date is taken (the first time the record got there).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> export = pathlib.Path(tempfile.mkdtemp()) / "contacts.csv"
    >>> _ = export.write_text(
    ...     "Record ID,Email,hubspot_owner_id,hs_lifecyclestage_lead_date,"
    ...     "hs_lifecyclestage_marketingqualifiedlead_date\\n"
    ...     "101,a@example.com,77,2024-01-05 10:00,2024-01-09 16:30\\n"
    ...     "102,b@example.com,,2024-02-01 08:00,\\n"
    ... )
    >>> table = read_hubspot(export)
    >>> table.select(["case_id", "activity", "resource"]).to_pylist()[:2]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'case_id': 'contact:101', 'activity': 'Lead', 'resource': '77'},
     {'case_id': 'contact:101', 'activity': 'Marketing Qualified Lead', 'resource': '77'}]
    """
    files = as_paths(paths)
    notes: list[str] = [
        "HubSpot exports hold each record's current owner only: every event of a record has "
        "that owner as resource, so handoffs between owners are not visible",
    ]
    parts = [_hubspot_events(path, read_csv_text(path), notes) for path in files]
    return finish_events(
        parts, ", ".join(path.name for path in files), notes, "no record has a stage date"
    )


def _hubspot_events(path: Path, raw: pa.Table, notes: list[str]) -> pa.Table:
    by_key = {column_key(name): name for name in reversed(raw.column_names)}
    stages: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for name in raw.column_names:
        for pattern in _STAGE_COLUMNS:
            found = pattern.match(" ".join(name.split()))
            if found is None:
                continue
            stage = found.group("stage")
            stage_key = compact_name(stage)
            stages.setdefault(stage_key, []).append(name)
            labels.setdefault(stage_key, _STAGE_LABELS.get(stage_key, stage.strip()))
            break
    if not stages:
        raise missing_columns_error(
            path,
            raw,
            "no stage-date columns (hs_lifecyclestage_<stage>_date, hs_v2_date_entered_<stage>, "
            "'Became a <Stage> Date' or 'Date entered \"<Stage> (<Pipeline>)\"')",
            "export the records with their lifecycle-stage or deal-stage date properties",
        )
    id_column = next((by_key[key] for key in _HUBSPOT_IDS if key in by_key), None)
    if id_column is None:
        raise missing_columns_error(
            path, raw, "no record id column (hs_object_id, Record ID, vid, Deal ID...)",
            "export the record id with the records",
        )  # fmt: skip
    owner = next((by_key[key] for key in _HUBSPOT_OWNERS if key in by_key), None)
    team = next((by_key[key] for key in _HUBSPOT_TEAMS if key in by_key), None)
    record_type = _hubspot_type(set(by_key), path)
    line_of = csv_line_finder(path)
    dated = {
        stage: _earliest(raw, columns, path, line_of, notes) for stage, columns in stages.items()
    }
    undated = _undated_records(list(dated.values()), raw.num_rows)
    if undated:
        stage_names = ", ".join(repr(labels[stage]) for stage in dated)
        notes.append(
            f"{path.name}: {count_phrase(undated, f'{record_type} has', f'{record_type}s have')} "
            f"no stage date ({stage_names}) and so no events"
        )
    consumed = {id_column, owner, team} | {name for names in stages.values() for name in names}
    extras = [name for name in raw.column_names if name not in consumed]
    ids = pc.cast(raw.column(id_column), pa.string())
    pieces = []
    for order, (stage, times) in enumerate(dated.items()):
        rows = pc.indices_nonzero(pc.is_valid(times))
        if not len(rows):
            continue
        columns: dict[str, Any] = {
            "case_id": pc.binary_join_element_wise(
                pa.array([record_type] * len(rows), pa.string()), ids.take(rows), ":"
            ),
            "activity": text_array([labels[stage]] * len(rows)),
            "timestamp": times.take(rows),
            "resource": raw.column(owner).take(rows) if owner else pa.nulls(len(rows), pa.string()),
            "group": raw.column(team).take(rows) if team else pa.nulls(len(rows), pa.string()),
            "record_id": ids.take(rows),
            "record_type": text_array([record_type] * len(rows)),
            "_row": pc.cast(rows, pa.int64()),
            "_stage": pa.array([order] * len(rows), pa.int64()),
        }
        columns |= {name: raw.column(name).take(rows) for name in extras}
        pieces.append(pa.table(columns))
    if not pieces:
        return pa.table({})
    table = pa.concat_tables(pieces)
    order = pc.sort_indices(table, sort_keys=[("_row", "ascending"), ("_stage", "ascending")])
    return table.take(order).drop_columns(["_row", "_stage"])


def _undated_records(dated: list[pa.Array], rows: int) -> int:
    """How many records have no date in any stage column."""
    undated = pc.is_null(dated[0]) if dated else pa.array([True] * rows)
    for times in dated[1:]:
        undated = pc.and_(undated, pc.is_null(times))
    return int(pc.sum(pc.cast(undated, pa.int64())).as_py() or 0)


def _earliest(
    raw: pa.Table,
    columns: list[str],
    path: Path,
    line_of: Callable[[int], int | None],
    notes: list[str],
) -> pa.Array:
    parsed = [parse_date_column(raw, name, path, line_of) for name in columns]
    if len(parsed) == 1:
        return parsed[0]
    # The element-wise kernels take no zoned timestamps: compare microseconds since the epoch.
    micros = [pc.cast(times, pa.int64()) for times in parsed]
    earliest = pc.min_element_wise(*micros, skip_nulls=True)
    differ = pc.sum(pc.not_equal(pc.max_element_wise(*micros, skip_nulls=False), earliest))
    if differ.as_py():
        notes.append(
            f"{path.name}: {count_phrase(differ.as_py(), 'record has', 'records have')} different "
            f"dates in {' and '.join(repr(name) for name in columns)}; the earliest is kept"
        )
    return pc.cast(earliest, TIMESTAMP)


def _hubspot_type(keys: set[str], path: Path) -> str:
    deal = {"dealname", "deal_name", "dealstage", "deal_stage", "deal_id", "dealid", "deal_owner"}
    if keys & (deal | {"pipeline"}):
        return "deal"
    if keys & {"ticket_id", "hs_pipeline_stage", "subject", "ticket_name"}:
        return "ticket"
    if keys & {"email", "firstname", "first_name", "lifecyclestage", "vid", "contact_owner"}:
        return "contact"
    if keys & {"domain", "company_domain_name", "company_id"}:
        return "company"
    return "deal" if "deal" in path.name.lower() else "contact"
