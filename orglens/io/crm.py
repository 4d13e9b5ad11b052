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

The readers live in :mod:`orglens.io.crm_hubspot`, :mod:`orglens.io.crm_salesforce` and
:mod:`orglens.io.crm_public` (what they share: :mod:`orglens.io.crm_common`); this module
re-exports them and reads folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.crm_common import PathLike, column_key
from orglens.io.crm_hubspot import read_hubspot
from orglens.io.crm_public import MAVEN_PIPELINE, OLIST_LEADS, read_maven, read_olist
from orglens.io.crm_salesforce import read_salesforce
from orglens.io.eventlog import import_report, read_events
from orglens.io.events_csv import csv_header

__all__ = [
    "CrmFolder",
    "read_crm_folder",
    "read_hubspot",
    "read_maven",
    "read_olist",
    "read_salesforce",
]


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
    if OLIST_LEADS in files:
        logs[name] = read_olist(folder)
    elif MAVEN_PIPELINE in files:
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
    header = csv_header(path)  # the first lines only
    keys = {column_key(name) for name in header}
    words = {word for key in keys for word in key.split("_")}
    dated = bool(words & {"date", "timestamp", "datetime", "createddate"}) or any(
        key.endswith("_at") for key in keys
    )
    return "prospect_id" in keys and not dated
