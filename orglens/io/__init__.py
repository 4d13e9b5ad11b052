"""Reading a workspace (a folder of ``orglens.yaml`` and CSV files, or one ``.xlsx`` workbook)
and importing event logs.

:func:`load` gives the :class:`~orglens.model.Organization`; :func:`validate` lists every
problem, each as ``FILE:LINE: what is wrong — how to fix it``. :func:`read_events` turns an
event log (CSV, Parquet, XES) into the canonical event table and :func:`write_events` stores it
as Parquet; :func:`read_log` reads it straight onto an engine; :func:`read_hubspot`,
:func:`read_salesforce` and :func:`read_crm_folder` import CRM history exports, and
:data:`IMPORTERS` is the registry of the sources ``orglens import`` takes. Every name is loaded
on first use: reading an event log needs neither the domain model nor YAML, and the workspace
needs no PyArrow.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orglens.io.crm import read_crm_folder, read_hubspot, read_salesforce
    from orglens.io.eventlog import ImportReport, import_report, read_events, write_events
    from orglens.io.importers import IMPORTERS, Importer
    from orglens.io.logs import read_log
    from orglens.io.workspace import WorkspaceFiles, load, read_workspace, validate

__all__ = [
    "IMPORTERS",
    "ImportReport",
    "Importer",
    "WorkspaceFiles",
    "import_report",
    "load",
    "read_crm_folder",
    "read_events",
    "read_hubspot",
    "read_log",
    "read_salesforce",
    "read_workspace",
    "validate",
    "write_events",
]

_LAZY = {
    **dict.fromkeys(
        ("WorkspaceFiles", "load", "read_workspace", "validate"), "orglens.io.workspace"
    ),
    "ImportReport": "orglens.io.eventlog",
    "import_report": "orglens.io.eventlog",
    "read_events": "orglens.io.eventlog",
    "write_events": "orglens.io.eventlog",
    "read_crm_folder": "orglens.io.crm",
    "read_hubspot": "orglens.io.crm",
    "read_salesforce": "orglens.io.crm",
    "IMPORTERS": "orglens.io.importers",
    "Importer": "orglens.io.importers",
    "read_log": "orglens.io.logs",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'orglens.io' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
