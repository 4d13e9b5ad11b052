"""The registry of sources ``orglens import`` reads events from."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglens.cli import app
from orglens.errors import UsageError
from orglens.io import IMPORTERS

LOG = "lead,step,at,owner\nL1,call,2024-01-01T09:00:00Z,ann\nL1,offer,2024-01-02T09:00:00Z,bob\n"

HUBSPOT = (
    "Record ID,hubspot_owner_id,hs_lifecyclestage_lead_date,"
    "hs_lifecyclestage_marketingqualifiedlead_date\n"
    "101,77,2024-01-05 10:00,2024-01-09 16:30\n"
)

SALESFORCE = (
    "Id,OpportunityId,StageName,Amount,CreatedDate,CreatedById\n"
    "008A1,006A1,Prospecting,100,2024-01-02T09:00:00.000+0000,005U1\n"
    "008A3,006A1,Closed Won,150,2024-01-09T15:00:00.000+0000,005U2\n"
)

NO_COLUMNS: dict[str, str | None] = dict.fromkeys(
    ("case", "activity", "timestamp", "resource", "group")
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_registry_holds_every_source_the_command_line_offers() -> None:
    assert {"hubspot", "salesforce", "log"} <= set(IMPORTERS)
    assert all(importer.name == name for name, importer in IMPORTERS.items())
    assert all(importer.description for importer in IMPORTERS.values())
    result = CliRunner().invoke(app, ["import", "nosuch", "x.csv", "-o", "x.parquet"])
    assert result.exit_code == 2
    assert all(repr(name) in result.stderr for name in IMPORTERS)


def test_the_log_importer_reads_the_named_columns(tmp_path: Path) -> None:
    log = write(tmp_path, "crm.csv", LOG)
    columns = NO_COLUMNS | {"case": "lead", "activity": "step", "timestamp": "at"}
    events = IMPORTERS["log"].read([log], columns=columns)
    assert events.select(["case_id", "activity", "resource"]).to_pylist() == [
        {"case_id": "L1", "activity": "call", "resource": "ann"},
        {"case_id": "L1", "activity": "offer", "resource": "bob"},
    ]


def test_the_log_importer_reports_the_bytes_it_reads(tmp_path: Path) -> None:
    log = write(tmp_path, "crm.csv", LOG)
    seen: list[tuple[int, int]] = []
    columns = {"case": "lead", "activity": "step", "timestamp": "at"}
    IMPORTERS["log"].read([log], columns=columns, progress=lambda *done: seen.append(done))
    assert seen[-1] == (len(LOG), len(LOG))


def test_the_log_importer_refuses_two_files(tmp_path: Path) -> None:
    log = write(tmp_path, "crm.csv", LOG)
    with pytest.raises(UsageError) as raised:
        IMPORTERS["log"].read([log, log], columns=NO_COLUMNS)
    assert str(raised.value) == (
        "orglens import log: 2 files given — import one event log at a time"
    )


def test_the_crm_importers_read_their_exports_and_ignore_the_columns(tmp_path: Path) -> None:
    hubspot = IMPORTERS["hubspot"].read(
        [write(tmp_path, "contacts.csv", HUBSPOT)], columns=NO_COLUMNS
    )
    assert hubspot.column("activity").to_pylist() == ["Lead", "Marketing Qualified Lead"]
    salesforce = IMPORTERS["salesforce"].read(
        [write(tmp_path, "OpportunityHistory.csv", SALESFORCE)], columns=NO_COLUMNS
    )
    assert salesforce.column("activity").to_pylist() == ["Prospecting", "Closed Won"]


@pytest.mark.parametrize("name", ["hubspot", "salesforce", "log"])
def test_an_unknown_column_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown column 'cas'"):
        IMPORTERS[name].read([tmp_path / "any.csv"], columns={"cas": "lead"})
