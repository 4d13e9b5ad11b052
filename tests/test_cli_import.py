"""``orglens import`` as a user meets it: deal tables, two-file funnels, and where it writes."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from orglens.cli import app
from orglens.io import outfile

DEALS = (
    "opportunity_id,sales_agent,deal_stage,engage_date,close_date\n"
    "o1,ann,Won,2024-01-02,2024-02-01\n"
    "o2,bob,Lost,2024-01-05,2024-01-20\n"
    "o3,ann,Prospecting,,\n"
)
DEAL_OPTIONS = [
    "--case",
    "opportunity_id",
    "--stage-dates",
    "engage_date=Engaging,close_date=Closed",
    "--resource",
    "sales_agent",
    "--outcome",
    "deal_stage",
]
LEADS = "mql_id,first_contact_date\nm1,2024-01-02\nm2,2024-01-03\n"
WON = "mql_id,sr_id,won_date\nm1,sr7,2024-02-01\nm8,sr7,2024-02-02\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def deals(tmp_path: Path) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    return path


def only_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_import_deals_writes_one_event_per_stage_date_and_warns_of_undated_rows(
    runner: CliRunner, deals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 events, 2 cases" in result.stderr
    assert (
        "warning: deals.csv: 1 deal has no date in 'engage_date', 'close_date' and so no "
        "events (deal_stage: 'Prospecting' 1)"
    ) in result.stderr
    table = pq.read_table(out)
    assert table.column("activity").to_pylist() == ["Engaging", "Won", "Engaging", "Lost"]
    mined = runner.invoke(app, ["mine", str(out), "--what", "dfg"])
    assert json.loads(mined.stdout)["end_activities"] == {"Won": 1, "Lost": 1}


def test_import_deals_refuses_a_column_option_it_does_not_use(
    runner: CliRunner, deals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(
        app, ["import", "deals", str(deals), "--activity", "deal_stage", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert only_line(result.stderr).startswith("orglens import deals: --activity is not used")
    assert not out.exists()


def test_stage_dates_are_refused_by_importers_of_event_logs(
    runner: CliRunner, deals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(
        app, ["import", "log", str(deals), "--stage-dates", "engage_date", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "--stage-dates is for deal tables" in result.stderr


@pytest.mark.parametrize("source", ["deals", "log"])
def test_leads_and_deals_join_on_a_key_in_one_command(
    source: str, runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "leads.csv").write_text(LEADS, encoding="utf-8")
    (tmp_path / "won.csv").write_text(WON, encoding="utf-8")
    out = tmp_path / "events.parquet"
    result = runner.invoke(
        app,
        [
            "import", source, str(tmp_path / "leads.csv"), str(tmp_path / "won.csv"),
            "--join", "mql_id", "--resource", "sr_id", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 events, 3 cases" in result.stderr
    assert (
        "joined on 'mql_id': 1 of 2 deals match a lead; 1 lead has no deal; 1 deal has no lead"
    ) in result.stderr


def test_import_hubspot_counts_records_without_any_stage_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    export = tmp_path / "contacts.csv"
    export.write_text(
        "Record ID,Email,hs_lifecyclestage_lead_date,hs_lifecyclestage_customer_date\n"
        "1,a@example.com,2024-01-01,2024-02-01\n2,b@example.com,,\n3,c@example.com,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["import", "hubspot", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: contacts.csv: 2 contacts have no stage date ('Lead', 'Customer') and so no events"
    ) in result.stderr


# --- where the output goes ----------------------------------------------------------------


def test_the_output_gets_the_mode_the_users_umask_gives(
    runner: CliRunner, deals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.parquet"
    previous = os.umask(0o022)
    try:
        result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deals.csv", "events.parquet"]


def test_an_output_that_is_a_folder_is_one_clear_message(
    runner: CliRunner, deals: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out.parquet"
    folder.mkdir()
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(folder)])
    assert result.exit_code == 2
    assert only_line(result.stderr).startswith(f"{folder}: is a folder — name a file in it")
    assert list(folder.iterdir()) == []


def test_an_output_in_a_missing_folder_is_one_clear_message(
    runner: CliRunner, deals: Path, tmp_path: Path
) -> None:
    out = tmp_path / "nowhere" / "events.parquet"
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 2
    assert only_line(result.stderr) == (
        f"{out}: the folder {str(out.parent)!r} does not exist — create it first "
        f"(mkdir -p {out.parent}), or write to a folder that exists"
    )


def test_an_output_in_a_read_only_folder_is_one_clear_message(
    runner: CliRunner, deals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    # root may write anywhere: the check the user would fail is simulated for it.
    access = os.access
    monkeypatch.setattr(
        outfile.os, "access", lambda path, mode: Path(path) != folder and access(path, mode)
    )
    out = folder / "events.parquet"
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 2
    assert only_line(result.stderr) == (
        f"{out}: cannot write in the folder {str(folder)!r} (permission denied) — write the "
        "file to a folder you can write in"
    )
    assert list(folder.iterdir()) == []


def failing_write(error: BaseException) -> object:
    """A Parquet writer that writes half a file, then fails with ``error``."""

    def write(table: object, where: str, **options: object) -> None:
        Path(where).write_bytes(b"PAR1 half a file")
        raise error

    return write


def test_a_full_disk_is_one_clear_message_and_leaves_no_file(
    runner: CliRunner, deals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(pq, "write_table", failing_write(full))
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 2
    assert only_line(result.stderr) == (
        f"{out}: the disk is full (nothing was written) — free some space, or write the file "
        "to another disk"
    )
    assert "Traceback" not in result.output
    assert [path.name for path in tmp_path.iterdir()] == ["deals.csv"]


def test_a_failed_write_leaves_an_existing_output_as_it_was(
    runner: CliRunner, deals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "events.parquet"
    out.write_bytes(b"the user's earlier import")
    monkeypatch.setattr(pq, "write_table", failing_write(OSError(errno.EIO, "I/O error")))
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 2
    assert "cannot be written (I/O error)" in result.stderr
    assert out.read_bytes() == b"the user's earlier import"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deals.csv", "events.parquet"]


def test_sigterm_during_the_write_leaves_no_file_behind(
    runner: CliRunner, deals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(table: object, where: str, **options: object) -> None:
        Path(where).write_bytes(b"PAR1 half a file")
        os.kill(os.getpid(), signal.SIGTERM)
        Path(where).write_bytes(b"PAR1 more of the file")  # not reached: the handler raised

    monkeypatch.setattr(pq, "write_table", write)
    before = signal.getsignal(signal.SIGTERM)
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["import", "deals", str(deals), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 143
    assert only_line(result.stderr) == f"{out}: interrupted — nothing was written"
    assert [path.name for path in tmp_path.iterdir()] == ["deals.csv"]
    assert signal.getsignal(signal.SIGTERM) == before


def test_ctrl_c_during_the_write_leaves_no_file_behind(tmp_path: Path) -> None:
    target = tmp_path / "events.parquet"

    def write(temporary: Path) -> None:
        temporary.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        outfile.write_atomically(target, write)
    assert list(tmp_path.iterdir()) == []


# --- the real funnels, each in one command --------------------------------------------------


@pytest.mark.realdata
def test_maven_loads_with_one_import_deals_command(
    runner: CliRunner, shared_data: Path, tmp_path: Path
) -> None:
    pipeline = shared_data / "crm" / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    out = tmp_path / "maven.parquet"
    result = runner.invoke(app, ["import", "deals", str(pipeline), *DEAL_OPTIONS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "15,011 events, 8,300 cases" in result.stderr


@pytest.mark.realdata
def test_olist_loads_with_one_import_command(
    runner: CliRunner, shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "crm" / "olist_marketing_funnel"
    out = tmp_path / "olist.parquet"
    result = runner.invoke(
        app,
        [
            "import", "deals",
            str(folder / "olist_marketing_qualified_leads_dataset.csv"),
            str(folder / "olist_closed_deals_dataset.csv"),
            "--join", "mql_id", "--resource", "sr_id",
            "--stage-dates", "first_contact_date=MQL first contact,won_date=Deal won",
            "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8,842 events, 8,000 cases" in result.stderr
