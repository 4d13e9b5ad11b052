"""CRM history exports as canonical event tables: HubSpot, Salesforce and two public datasets.

- :func:`read_hubspot`: contacts or deals exports with stage-date columns, one event per
  record and stage that has a date.
- :func:`read_salesforce`: ``LeadHistory``, ``OpportunityHistory``, ``OpportunityFieldHistory``
  (and any other ``<Object>History`` with ``Field``/``OldValue``/``NewValue``, such as
  ``CaseHistory``); an owner change is a handoff event whose resource is the new owner.
- :func:`read_olist`, :func:`read_maven`: the Olist marketing funnel and the Maven sales
  pipeline (folders as published); :func:`read_crm_folder` finds and reads every dataset in a
  folder and says why it skipped the others (a lead table without dates has no events).

Every reader returns the canonical table of :mod:`orglens.io.eventlog`, with its
:class:`~orglens.io.eventlog.ImportReport` (quirks found, as warnings) attached.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.eventlog import (
    TIMESTAMP,
    TimestampError,
    _csv_line_finder,
    _number_or_text,
    import_report,
    parse_timestamps,
    read_csv_text,
    read_events,
)
from orglens.io.eventlog import canonical_events as _canonical

__all__ = [
    "CrmFolder",
    "read_crm_folder",
    "read_hubspot",
    "read_maven",
    "read_olist",
    "read_salesforce",
]

PathLike = str | os.PathLike[str]
_CANONICAL = {
    "case": "case_id",
    "activity": "activity",
    "timestamp": "timestamp",
    "resource": "resource",
    "group": "group",
}

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


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _compact(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(path) for path in paths]


def _text(values: Sequence[object]) -> pa.Array:
    return pa.array(values, pa.string())


def _finish(parts: list[pa.Table], source: str, notes: list[str], empty: str) -> pa.Table:
    if not parts or not sum(part.num_rows for part in parts):
        raise InvalidWorkspace(Problem(f"the export holds no events: {empty}", _EMPTY_FIX, source))
    table = pa.concat_tables(parts, promote_options="default")
    table = table.drop_columns(["position"]) if "position" in table.column_names else table
    for name in ("resource", "group"):
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    table = table.append_column("position", pa.array(range(table.num_rows), pa.int64()))
    return _canonical(table, source, _CANONICAL, warnings=notes)


_EMPTY_FIX = "export the history with its dated changes, or give another file"


def _parse_column(
    raw: pa.Table, name: str, path: Path, line_of: Callable[[int], int | None] | None = None
) -> pa.Array:
    try:
        return parse_timestamps(raw.column(name))
    except TimestampError as error:
        find = line_of or _csv_line_finder(path)
        raise InvalidWorkspace(
            Problem(
                f"{name!r} has {error.value!r}, which is not a date",
                "write dates as ISO 8601 (2024-03-01 or 2024-03-01 14:05:00+01:00)",
                path.name,
                find(error.row),
                name,
            )
        ) from None


def _missing_columns(path: Path, raw: pa.Table, what: str, fix: str) -> InvalidWorkspace:
    listing = ", ".join(repr(name) for name in raw.column_names)
    return InvalidWorkspace(Problem(what, f"{fix}; the file has: {listing}", path.name, 1))


# --- HubSpot -----------------------------------------------------------------------------


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
        ``Contact owner``, the team ``hubspot_team_id`` / ``HubSpot Team``.

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
    files = _paths(paths)
    notes: list[str] = [
        "HubSpot exports hold each record's current owner only: every event of a record has "
        "that owner as resource, so handoffs between owners are not visible",
    ]
    parts = [_hubspot_events(path, read_csv_text(path), notes) for path in files]
    return _finish(
        parts, ", ".join(path.name for path in files), notes, "no record has a stage date"
    )


def _hubspot_events(path: Path, raw: pa.Table, notes: list[str]) -> pa.Table:
    by_key = {_key(name): name for name in reversed(raw.column_names)}
    stages: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for name in raw.column_names:
        for pattern in _STAGE_COLUMNS:
            found = pattern.match(" ".join(name.split()))
            if found is None:
                continue
            stage = found.group("stage")
            stage_key = _compact(stage)
            stages.setdefault(stage_key, []).append(name)
            labels.setdefault(stage_key, _STAGE_LABELS.get(stage_key, stage.strip()))
            break
    if not stages:
        raise _missing_columns(
            path,
            raw,
            "no stage-date columns (hs_lifecyclestage_<stage>_date, hs_v2_date_entered_<stage>, "
            "'Became a <Stage> Date' or 'Date entered \"<Stage> (<Pipeline>)\"')",
            "export the records with their lifecycle-stage or deal-stage date properties",
        )
    id_column = next((by_key[key] for key in _HUBSPOT_IDS if key in by_key), None)
    if id_column is None:
        raise _missing_columns(
            path, raw, "no record id column (hs_object_id, Record ID, vid, Deal ID...)",
            "export the record id with the records",
        )  # fmt: skip
    owner = next((by_key[key] for key in _HUBSPOT_OWNERS if key in by_key), None)
    team = next((by_key[key] for key in _HUBSPOT_TEAMS if key in by_key), None)
    record_type = _hubspot_type(set(by_key), path)
    line_of = _csv_line_finder(path)
    dated = {
        stage: _earliest(raw, columns, path, line_of, notes) for stage, columns in stages.items()
    }
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
            "activity": _text([labels[stage]] * len(rows)),
            "timestamp": times.take(rows),
            "resource": raw.column(owner).take(rows) if owner else pa.nulls(len(rows), pa.string()),
            "group": raw.column(team).take(rows) if team else pa.nulls(len(rows), pa.string()),
            "record_id": ids.take(rows),
            "record_type": _text([record_type] * len(rows)),
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


def _earliest(
    raw: pa.Table,
    columns: list[str],
    path: Path,
    line_of: Callable[[int], int | None],
    notes: list[str],
) -> pa.Array:
    parsed = [_parse_column(raw, name, path, line_of) for name in columns]
    if len(parsed) == 1:
        return parsed[0]
    # The element-wise kernels take no zoned timestamps: compare microseconds since the epoch.
    micros = [pc.cast(times, pa.int64()) for times in parsed]
    earliest = pc.min_element_wise(*micros, skip_nulls=True)
    differ = pc.sum(pc.not_equal(pc.max_element_wise(*micros, skip_nulls=False), earliest))
    if differ.as_py():
        notes.append(
            f"{path.name}: {_count(differ.as_py(), 'record has', 'records have')} different "
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


# --- Salesforce --------------------------------------------------------------------------


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
    files = _paths(paths)
    notes: list[str] = []
    parts = []
    seen: set[tuple[str, str, Any]] = set()
    duplicates = 0
    for path in files:
        raw = read_csv_text(path)
        events = _salesforce_events(path, raw, notes)
        keep = []
        for index, key in enumerate(
            zip(
                events.column("case_id").to_pylist(),
                events.column("activity").to_pylist(),
                events.column("timestamp").to_pylist(),
                strict=True,
            )
        ):
            if key in seen:
                duplicates += 1
            else:
                seen.add(key)
                keep.append(index)
        parts.append(events.take(pa.array(keep, pa.int64())))
    if duplicates:
        notes.append(
            f"{_count(duplicates, 'stage change', 'stage changes')} appeared in two exports "
            "(OpportunityHistory and OpportunityFieldHistory); each is kept once"
        )
    empty = "no row records a creation, a stage or status change, or an owner change"
    return _finish(parts, ", ".join(path.name for path in files), notes, empty)


def _salesforce_events(path: Path, raw: pa.Table, notes: list[str]) -> pa.Table:
    by_key = {_compact(name): name for name in reversed(raw.column_names)}
    object_key = next((key for key in _HISTORY_OBJECTS if key in by_key), None)
    required = ("createddate", "createdbyid")
    if object_key is not None and all(key in by_key for key in required):
        if {"field", "newvalue"} <= set(by_key):
            return _field_history(path, raw, by_key, object_key, notes)
        if object_key == "opportunityid" and "stagename" in by_key:
            return _opportunity_history(path, raw, by_key, notes)
    raise _missing_columns(
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
    raw = raw.append_column("_ts", _parse_column(raw, created, path))
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
            f"{path.name}: {_count(unchanged, 'row changed', 'rows changed')} an opportunity "
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
    raw = raw.append_column("_ts", _parse_column(raw, created, path))
    raw = raw.append_column("_row", pa.array(range(raw.num_rows), pa.int64()))
    skipped: Counter[str] = Counter()
    events: list[dict[str, Any]] = []
    owners: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for row in _live_rows(raw, by_key):
        name = str(row[field] or "").strip()
        compact = _compact(name)
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
    for pair in owners.values():
        events.append(_one_owner_change(pair))
    if skipped:
        listing = ", ".join(f"{name} ({count:,})" for name, count in skipped.most_common(5))
        notes.append(
            f"{path.name}: {_count(sum(skipped.values()), 'change', 'changes')} of fields that "
            f"are neither stage, status nor owner were skipped: {listing}"
        )
    events.sort(key=lambda event: int(event.pop("_row")))
    for event in events:
        event.pop("_typed", None)
    return _event_table(events)


def _one_owner_change(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Of the rows Salesforce writes for one owner change (ids, names), the one with the id."""

    def is_id(row: dict[str, Any]) -> bool:
        value = str(row["resource"])
        return row["_typed"].lower() == "entityid" or (
            _SALESFORCE_ID.match(value) is not None and value[:3] in ("005", "00G")
        )

    chosen = next((row for row in rows if is_id(row)), rows[0])
    names = [row["resource"] for row in rows if row is not chosen]
    return {**chosen, "new_owner_name": names[0]} if names else chosen


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


# --- Public CRM datasets ------------------------------------------------------------------

_OLIST_LEADS = "olist_marketing_qualified_leads_dataset.csv"
_OLIST_DEALS = "olist_closed_deals_dataset.csv"
_MAVEN_PIPELINE = "sales_pipeline.csv"


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _require(path: Path, raw: pa.Table, columns: Sequence[str]) -> None:
    missing = [name for name in columns if name not in raw.column_names]
    if missing:
        raise _missing_columns(
            path,
            raw,
            f"missing column(s) {', '.join(repr(name) for name in missing)}",
            "give the file as published",
        )


def read_olist(folder: PathLike) -> pa.Table:
    """The Olist marketing funnel: each marketing-qualified lead's first contact, and the won deal.

    Events: ``MQL first contact`` (from ``first_contact_date``, a date without time; no
    resource; group ``marketing``; ``origin`` and ``landing_page_id`` kept) and ``Deal won``
    (from ``won_date``; resource = the sales rep ``sr_id``; group ``sales``; the sales
    development rep ``sdr_id`` and the deal's other columns kept). The SDR's qualification
    has no date in the data, so it is an attribute, not an event. A deal won before the
    lead's first contact is kept and reported.
    """
    base = Path(folder)
    leads_path = base / _OLIST_LEADS
    if not leads_path.is_file():
        raise InvalidWorkspace(
            Problem(
                f"{_OLIST_LEADS} is not in the folder", "give the Olist funnel folder", str(base)
            )
        )
    leads = read_csv_text(leads_path)
    _require(leads_path, leads, ("mql_id", "first_contact_date"))
    contact = _parse_column(leads, "first_contact_date", leads_path)
    count = leads.num_rows
    parts = [
        pa.table(
            {
                "case_id": leads.column("mql_id"),
                "activity": _text(["MQL first contact"] * count),
                "timestamp": contact,
                "resource": pa.nulls(count, pa.string()),
                "group": _text(["marketing"] * count),
                **{
                    name: _number_or_text(leads.column(name))
                    for name in leads.column_names
                    if name not in ("mql_id", "first_contact_date")
                },
            }
        )
    ]
    notes = [
        "MQL first contacts have no resource: the data names no marketer; the sales "
        "development rep (sdr_id) qualified the lead at an unknown date and is kept as an "
        "attribute of 'Deal won'"
    ]
    deals_path = base / _OLIST_DEALS
    if deals_path.is_file():
        deals = read_csv_text(deals_path)
        _require(deals_path, deals, ("mql_id", "won_date", "sr_id", "sdr_id"))
        won = _parse_column(deals, "won_date", deals_path)
        parts.append(
            pa.table(
                {
                    "case_id": deals.column("mql_id"),
                    "activity": _text(["Deal won"] * deals.num_rows),
                    "timestamp": won,
                    "resource": deals.column("sr_id"),
                    "group": _text(["sales"] * deals.num_rows),
                    **{
                        name: _number_or_text(deals.column(name))
                        for name in deals.column_names
                        if name not in ("mql_id", "won_date")
                    },
                }
            )
        )
        notes += _olist_checks(leads, contact, deals, won)
    return _finish(parts, base.name or str(base), notes, "the files have no leads")


def _olist_checks(leads: pa.Table, contact: pa.Array, deals: pa.Table, won: pa.Array) -> list[str]:
    first = dict(zip(leads.column("mql_id").to_pylist(), contact.to_pylist(), strict=True))
    orphans = 0
    early: list[float] = []
    for mql, moment in zip(deals.column("mql_id").to_pylist(), won.to_pylist(), strict=True):
        if mql not in first:
            orphans += 1
        elif moment < first[mql]:
            early.append((first[mql] - moment).total_seconds() / 86_400)
    notes = []
    if orphans:
        notes.append(
            f"{_count(orphans, 'won deal has', 'won deals have')} no marketing-qualified lead: "
            "kept as cases of their own"
        )
    if early:
        notes.append(
            f"{_count(len(early), 'deal was', 'deals were')} won before the lead's first contact "
            f"(by up to "
            f"{max(early):.1f} days): kept as they are; ordered by timestamp, 'Deal won' comes "
            "first in those cases"
        )
    return notes


def read_maven(folder: PathLike) -> pa.Table:
    """The Maven CRM sales pipeline: engage and close events of each opportunity.

    Events: ``Engaging`` at ``engage_date`` and, for closed opportunities, ``Won`` or ``Lost``
    (the ``deal_stage``) at ``close_date``; resource = ``sales_agent``; group = the agent's
    ``regional_office`` and ``manager`` kept, from ``sales_teams.csv`` when it is there.
    Dates have no time of day. Opportunities still in ``Prospecting`` have no date and so no
    event: they are counted in the warnings, as are products that ``products.csv`` spells
    differently (``GTXPro`` for ``GTX Pro``).
    """
    base = Path(folder)
    pipeline_path = base / _MAVEN_PIPELINE
    if not pipeline_path.is_file():
        raise InvalidWorkspace(
            Problem(
                f"{_MAVEN_PIPELINE} is not in the folder", "give the Maven CRM folder", str(base)
            )
        )
    pipeline = read_csv_text(pipeline_path)
    columns = ("opportunity_id", "sales_agent", "deal_stage", "engage_date", "close_date")
    _require(pipeline_path, pipeline, columns)
    engage = _parse_column(pipeline, "engage_date", pipeline_path)
    close = _parse_column(pipeline, "close_date", pipeline_path)
    teams = _maven_teams(base)
    agents = pipeline.column("sales_agent").to_pylist()
    office = _text([teams.get(agent or "", (None, None))[1] for agent in agents])
    manager = _text([teams.get(agent or "", (None, None))[0] for agent in agents])
    extras = {
        name: _number_or_text(pipeline.column(name))
        if name == "close_value"
        else pipeline.column(name)
        for name in pipeline.column_names
        if name not in ("opportunity_id", "sales_agent", "engage_date", "close_date")
    }
    if teams:
        extras["manager"] = manager
    parts = []
    for order, (activity, times) in enumerate((("Engaging", engage), ("close", close))):
        rows = pc.indices_nonzero(pc.is_valid(times))
        names = (
            pipeline.column("deal_stage").take(rows)
            if activity == "close"
            else _text([activity] * len(rows))
        )
        part = {
            "case_id": pipeline.column("opportunity_id").take(rows),
            "activity": names,
            "timestamp": times.take(rows),
            "resource": pipeline.column("sales_agent").take(rows),
            "group": office.take(rows) if teams else pa.nulls(len(rows), pa.string()),
            **{name: column.take(rows) for name, column in extras.items()},
            "_row": pc.cast(rows, pa.int64()),
            "_order": pa.array([order] * len(rows), pa.int64()),
        }
        parts.append(pa.table(part))
    table = pa.concat_tables(parts)
    table = table.take(pc.sort_indices(table, [("_row", "ascending"), ("_order", "ascending")]))
    notes = _maven_checks(base, pipeline, engage, teams, agents)
    events = table.drop_columns(["_row", "_order"])
    return _finish([events], base.name or str(base), notes, "no opportunity has a date")


def _maven_teams(base: Path) -> dict[str, tuple[str | None, str | None]]:
    path = base / "sales_teams.csv"
    if not path.is_file():
        return {}
    teams = read_csv_text(path)
    _require(path, teams, ("sales_agent", "manager", "regional_office"))
    return {
        row["sales_agent"]: (row["manager"], row["regional_office"]) for row in teams.to_pylist()
    }


def _maven_checks(
    base: Path,
    pipeline: pa.Table,
    engage: pa.Array,
    teams: Mapping[str, tuple[str | None, str | None]],
    agents: list[str | None],
) -> list[str]:
    notes = []
    undated = Counter(
        stage
        for stage, moment in zip(
            pipeline.column("deal_stage").to_pylist(), engage.to_pylist(), strict=True
        )
        if moment is None
    )
    if undated:
        listing = ", ".join(f"{stage!r} ({count:,})" for stage, count in undated.most_common())
        notes.append(
            f"{_count(sum(undated.values()), 'opportunity has', 'opportunities have')} no "
            f"engage date and so no events: {listing}"
        )
    if teams:
        unknown = sorted({agent for agent in agents if agent and agent not in teams})
        if unknown:
            notes.append(f"agents not in sales_teams.csv (no group): {', '.join(unknown)}")
    products_path = base / "products.csv"
    if products_path.is_file() and "product" in pipeline.column_names:
        known = set(read_csv_text(products_path).column("product").to_pylist())
        used = Counter(pipeline.column("product").to_pylist())
        for product, count in sorted(used.items(), key=lambda item: str(item[0])):
            if product is not None and product not in known:
                close = difflib.get_close_matches(product, sorted(known), n=1)
                hint = f" (products.csv has {close[0]!r})" if close else ""
                notes.append(
                    f"product {product!r} on {_count(count, 'opportunity', 'opportunities')} is "
                    f"not in products.csv{hint}; kept as written"
                )
    return notes


@dataclass(frozen=True)
class CrmFolder:
    """What :func:`read_crm_folder` found: event tables by dataset, and what it skipped, why."""

    logs: dict[str, pa.Table]
    skipped: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """``{"logs": {name: import report}, "skipped": {name: reason}}``, names sorted."""
        return {
            "logs": {name: import_report(self.logs[name]).to_dict() for name in sorted(self.logs)},
            "skipped": dict(sorted(self.skipped.items())),
        }


_LOG_SUFFIXES = (".xes", ".xes.gz", ".parquet", ".csv", ".csv.gz")


def read_crm_folder(path: PathLike) -> CrmFolder:
    """Read every CRM dataset in a folder (or the one dataset the folder is).

    Recognised by their files: the Olist funnel (:func:`read_olist`), the Maven pipeline
    (:func:`read_maven`), a lead table without dates (X Education ``Leads.csv``: skipped, with
    the reason). In any other folder each event log (``.xes``, ``.xes.gz``, ``.parquet``,
    ``.csv``) is read with :func:`~orglens.io.eventlog.read_events`; a file it cannot read is
    skipped with the error as the reason.

    Raises
    ------
    InvalidWorkspace
        When nothing in the folder holds events (the reasons are listed).
    """
    base = Path(path)
    if not base.is_dir():
        raise InvalidWorkspace(
            Problem("the folder does not exist", "give the folder of CRM exports", str(base))
        )
    logs: dict[str, pa.Table] = {}
    skipped: dict[str, str] = {}
    folders = [base] if _dataset_files(base) else sorted(p for p in base.iterdir() if p.is_dir())
    for folder in folders:
        _read_dataset(folder, folder.name if folder != base else base.name, logs, skipped)
    if not logs:
        reasons = [Problem(reason, "give a folder with dated CRM events", name) for name, reason in
                   skipped.items()] or [
            Problem("no CRM dataset or event log found", "give a folder of CRM exports", str(base))
        ]  # fmt: skip
        raise InvalidWorkspace(reasons)
    return CrmFolder(logs, skipped)


def _dataset_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(_LOG_SUFFIXES)
    )


def _read_dataset(
    folder: Path, name: str, logs: dict[str, pa.Table], skipped: dict[str, str]
) -> None:
    files = {file.name: file for file in _dataset_files(folder)}
    if _OLIST_LEADS in files:
        logs[name] = read_olist(folder)
    elif _MAVEN_PIPELINE in files:
        logs[name] = read_maven(folder)
    elif "Leads.csv" in files and _undated_leads(files["Leads.csv"]):
        skipped[f"{name}/Leads.csv"] = (
            "one row per lead with its outcome (Converted, Tags, Lead Quality) but no date or "
            "time column: no events to mine; use it for lead-quality analysis, or export the "
            "leads' activity history with dates"
        )
    else:
        for file_name, file in files.items():
            key = f"{name}/{file_name}"
            try:
                logs[key] = read_events(file)
            except InvalidWorkspace as error:
                skipped[key] = "; ".join(problem.what for problem in error.problems)


def _undated_leads(path: Path) -> bool:
    header = read_csv_text(path).column_names
    keys = {_key(name) for name in header}
    words = {word for key in keys for word in key.split("_")}
    dated = bool(words & {"date", "timestamp", "datetime", "createddate"}) or any(
        key.endswith("_at") for key in keys
    )
    return "prospect_id" in keys and not dated
