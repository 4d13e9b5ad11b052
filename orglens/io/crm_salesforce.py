"""Salesforce history exports (CSV, API field names) as events; an owner change is a handoff.

Re-exported by :mod:`orglens.io.crm`. Reads ``LeadHistory``, ``OpportunityHistory``,
``OpportunityFieldHistory`` and any other ``<Object>History`` with ``Field``/``OldValue``/
``NewValue`` (such as ``CaseHistory``); the resource of an owner change is the new owner.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.io.crm_common import (
    PathLike,
    as_paths,
    compact_name,
    count_phrase,
    finish_events,
    missing_columns_error,
    parse_date_column,
)
from orglens.io.events_csv import read_csv_text
from orglens.io.events_time import TIMESTAMP

__all__ = ["read_salesforce"]

_SALESFORCE_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_HISTORY_OBJECTS = {
    "leadid": "Lead",
    "opportunityid": "Opportunity",
    "caseid": "Case",
    "contactid": "Contact",
    "accountid": "Account",
}
_OWNER_FIELDS = frozenset(("owner", "ownerid", "ownerassignment"))
_STAGE_FIELDS = frozenset(("status", "stagename"))


def read_salesforce(paths: PathLike | Iterable[PathLike]) -> pa.Table:
    """Events from Salesforce history exports (CSV, API field names as Data Loader writes them).

    Which export a file is comes from its header:

    - ``OpportunityHistory`` (``OpportunityId, StageName, CreatedDate, CreatedById``): one
      event each time an opportunity's stage changes (rows that changed only the amount or the
      close date are skipped), resource = ``CreatedById`` (who made the change);
    - ``<Object>History`` with ``Field, OldValue, NewValue`` (``LeadHistory``,
      ``OpportunityFieldHistory``, ``CaseHistory``...): ``created`` → ``<Object> created``, a
      ``Status``/``StageName`` change → the new value, ``leadConverted`` → ``Lead converted``,
      an ``Owner`` change → ``Owner changed``, a handoff whose resource is the *new* owner
      (``previous_owner`` keeps the old one). Changes to other fields are skipped and counted.

    Salesforce writes an owner change twice (ids and names): the row with the user id is kept
    and the name goes to ``new_owner_name``. Deleted rows (``IsDeleted``) are skipped; a stage
    change present in two files (``OpportunityHistory`` and ``OpportunityFieldHistory``) is kept
    once. ``case_id`` is the record id (Salesforce ids are unique across objects); ``object``
    says which object it is.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> export = pathlib.Path(tempfile.mkdtemp()) / "OpportunityHistory.csv"
    >>> _ = export.write_text(
    ...     "Id,OpportunityId,StageName,Amount,CreatedDate,CreatedById\\n"
    ...     "008A1,006A1,Prospecting,100,2024-01-02T09:00:00.000+0000,005U1\\n"
    ...     "008A2,006A1,Prospecting,150,2024-01-03T09:00:00.000+0000,005U1\\n"
    ...     "008A3,006A1,Closed Won,150,2024-01-09T15:00:00.000+0000,005U2\\n"
    ... )
    >>> read_salesforce(export).select(["activity", "resource"]).to_pylist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'activity': 'Prospecting', 'resource': '005U1'},
     {'activity': 'Closed Won', 'resource': '005U2'}]
    """
    files = as_paths(paths)
    notes: list[str] = []
    parts = []
    seen: set[tuple[str, str, Any]] = set()
    duplicates = 0
    for path in files:
        raw = read_csv_text(path)
        events = _salesforce_events(path, raw, notes)
        keys = list(
            zip(
                events.column("case_id").to_pylist(),
                events.column("activity").to_pylist(),
                events.column("timestamp").to_pylist(),
                strict=True,
            )
        )
        # Only an event an earlier export gave is a duplicate: within one export, two events
        # alike (two owner changes in one second) are two events.
        keep = [index for index, key in enumerate(keys) if key not in seen]
        duplicates += len(keys) - len(keep)
        seen.update(keys)
        parts.append(events.take(pa.array(keep, pa.int64())))
    if duplicates:
        notes.append(
            f"{count_phrase(duplicates, 'stage change', 'stage changes')} appeared in two exports "
            "(OpportunityHistory and OpportunityFieldHistory); each is kept once"
        )
    empty = "no row records a creation, a stage or status change, or an owner change"
    return finish_events(parts, ", ".join(path.name for path in files), notes, empty)


def _salesforce_events(path: Path, raw: pa.Table, notes: list[str]) -> pa.Table:
    by_key = {compact_name(name): name for name in reversed(raw.column_names)}
    object_key = next((key for key in _HISTORY_OBJECTS if key in by_key), None)
    required = ("createddate", "createdbyid")
    if object_key is not None and all(key in by_key for key in required):
        if {"field", "newvalue"} <= set(by_key):
            return _field_history(path, raw, by_key, object_key, notes)
        if object_key == "opportunityid" and "stagename" in by_key:
            return _opportunity_history(path, raw, by_key, notes)
    raise missing_columns_error(
        path,
        raw,
        "not a Salesforce history export: expected LeadHistory or OpportunityFieldHistory "
        "(LeadId or OpportunityId, Field, OldValue, NewValue, CreatedDate, CreatedById) or "
        "OpportunityHistory (OpportunityId, StageName, CreatedDate, CreatedById)",
        "export the history object with Data Loader or the Data Export service (API names)",
    )


def _live_rows(raw: pa.Table, by_key: Mapping[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = raw.to_pylist()
    deleted = by_key.get("isdeleted")
    if deleted is None:
        return rows
    return [row for row in rows if str(row[deleted] or "").strip().lower() not in ("true", "1")]


def _opportunity_history(
    path: Path, raw: pa.Table, by_key: Mapping[str, str], notes: list[str]
) -> pa.Table:
    case, stage = by_key["opportunityid"], by_key["stagename"]
    created, actor = by_key["createddate"], by_key["createdbyid"]
    raw = raw.append_column("_ts", parse_date_column(raw, created, path, required=True))
    raw = raw.append_column("_row", pa.array(range(raw.num_rows), pa.int64()))
    rows = _live_rows(raw, by_key)
    # A stage change is a row whose stage differs from the opportunity's row before it in time.
    rows.sort(key=lambda row: (row[case] or "", row["_ts"], row["_row"]))
    previous: dict[str, str | None] = {}
    events: list[dict[str, Any]] = []
    unchanged = 0
    for row in rows:
        if row[stage] is None or previous.get(row[case]) == row[stage]:
            unchanged += 1
            continue
        previous[row[case]] = row[stage]
        events.append(
            {
                "case_id": row[case],
                "activity": row[stage],
                "timestamp": row["_ts"],
                "resource": row[actor],
                "object": "Opportunity",
                "_row": row["_row"],
                **_others(row, (case, stage, created, "_ts")),
            }
        )
    events.sort(key=lambda event: int(event.pop("_row")))
    if unchanged:
        notes.append(
            f"{path.name}: {count_phrase(unchanged, 'row changed', 'rows changed')} an opportunity "
            "without changing its stage (amount, close date...); they are not events"
        )
    return _event_table(events)


def _field_history(
    path: Path, raw: pa.Table, by_key: Mapping[str, str], object_key: str, notes: list[str]
) -> pa.Table:
    kind = _HISTORY_OBJECTS[object_key]
    case, field = by_key[object_key], by_key["field"]
    created, actor = by_key["createddate"], by_key["createdbyid"]
    new, old = by_key["newvalue"], by_key.get("oldvalue")
    data_type = by_key.get("datatype")
    raw = raw.append_column("_ts", parse_date_column(raw, created, path, required=True))
    raw = raw.append_column("_row", pa.array(range(raw.num_rows), pa.int64()))
    skipped: Counter[str] = Counter()
    events: list[dict[str, Any]] = []
    owners: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for row in _live_rows(raw, by_key):
        name = str(row[field] or "").strip()
        compact = compact_name(name)
        event: dict[str, Any] = {
            "case_id": row[case],
            "timestamp": row["_ts"],
            "resource": row[actor],
            "object": kind,
            "_row": row["_row"],
            **_others(row, (case, created, "_ts", "_row")),
        }
        if compact == "created":
            events.append({**event, "activity": f"{kind} created"})
        elif compact == "leadconverted":
            events.append({**event, "activity": "Lead converted"})
        elif compact in _STAGE_FIELDS and row[new]:
            events.append({**event, "activity": row[new]})
        elif compact in _OWNER_FIELDS and row[new]:
            owners.setdefault((row[case], row["_ts"]), []).append(
                {
                    **event,
                    "activity": "Owner changed",
                    "resource": row[new],
                    "previous_owner": row[old] if old else None,
                    "_typed": str(row[data_type] or "") if data_type else "",
                }
            )
        else:
            skipped[name or "(empty)"] += 1
    for written in owners.values():
        events.extend(_owner_changes(written))
    if skipped:
        listing = ", ".join(f"{name} ({count:,})" for name, count in skipped.most_common(5))
        notes.append(
            f"{path.name}: {count_phrase(sum(skipped.values()), 'change', 'changes')} of fields "
            f"that are neither stage, status nor owner were skipped: {listing}"
        )
    events.sort(key=lambda event: int(event.pop("_row")))
    for event in events:
        event.pop("_typed", None)
    return _event_table(events)


def _owner_changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The owner changes of one record in one second, from the rows Salesforce wrote for them.

    Salesforce writes each change twice, with user ids and with names: each row with an id is
    one change, and the rows with names go to those changes, in file order, as
    ``new_owner_name``. An export without id rows has one row per change.
    """

    def is_id(row: dict[str, Any]) -> bool:
        value = str(row["resource"])
        return row["_typed"].lower() == "entityid" or (
            _SALESFORCE_ID.match(value) is not None and value[:3] in ("005", "00G")
        )

    ids = [row for row in rows if is_id(row)]
    names = [row for row in rows if not is_id(row)]
    if not ids:
        return names
    named = [
        {**row, "new_owner_name": name["resource"]} for row, name in zip(ids, names, strict=False)
    ]
    # Rows left over on either side (an export that dropped some) are kept as they are.
    return named + ids[len(named) :] + names[len(named) :]


def _others(row: Mapping[str, Any], consumed: Iterable[str]) -> dict[str, Any]:
    skip = set(consumed)
    return {name: value for name, value in row.items() if name not in skip and name != "_row"}


def _event_table(events: list[dict[str, Any]]) -> pa.Table:
    if not events:
        return pa.table({})
    names = list(dict.fromkeys(name for event in events for name in event))
    columns = {}
    for name in names:
        values = [event.get(name) for event in events]
        kind = TIMESTAMP if name == "timestamp" else pa.string()
        columns[name] = pa.array(values, kind)
    return pa.table(columns)
