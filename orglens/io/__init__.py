"""Reading a workspace (a folder of ``orglens.yaml`` and CSV files, or one ``.xlsx`` workbook)
and importing event logs.

:func:`load` gives the :class:`~orglens.model.Organization`; :func:`validate` lists every
problem, each as ``FILE:LINE: what is wrong — how to fix it``. :func:`read_events` turns an
event log (CSV, Parquet, XES) into the canonical event table and :func:`write_events` stores it
as Parquet; :func:`read_hubspot`, :func:`read_salesforce` and :func:`read_crm_folder` import CRM
history exports. The event-log functions load PyArrow on first use only.
"""

from typing import Any

from orglens.io.workspace import Workspace, load, read_workspace, validate

__all__ = [
    "ImportReport",
    "Workspace",
    "import_report",
    "load",
    "read_crm_folder",
    "read_events",
    "read_hubspot",
    "read_salesforce",
    "read_workspace",
    "validate",
    "write_events",
]

_LAZY = {
    "ImportReport": "orglens.io.eventlog",
    "import_report": "orglens.io.eventlog",
    "read_events": "orglens.io.eventlog",
    "write_events": "orglens.io.eventlog",
    "read_crm_folder": "orglens.io.crm",
    "read_hubspot": "orglens.io.crm",
    "read_salesforce": "orglens.io.crm",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'orglens.io' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
