"""``orglens mine`` and ``orglens import`` as a user meets them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglens.cli import app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"

LOG = (
    "Lead ID,Stage,Created At,Owner,Team\n"
    "L1,MQL,2024-03-01 09:00,mia,Marketing\n"
    "L1,Call,2024-03-01 13:00,sam,Sales\n"
    "L1,Won,2024-03-02 10:00,sam,Sales\n"
    "L2,MQL,2024-03-01 10:00,mia,Marketing\n"
    "L2,Call,2024-03-03 10:00,sue,Sales\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "crm.csv"
    path.write_text(LOG, encoding="utf-8")
    return path


def test_mine_one_analysis_prints_its_json_shape(runner: CliRunner, log: Path) -> None:
    result = runner.invoke(app, ["mine", str(log), "--what", "dfg"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"edges", "start_activities", "end_activities"}
    assert {key: data["edges"][1][key] for key in ("source", "target", "count")} == {
        "source": "MQL",
        "target": "Call",
        "count": 2,
    }
    assert data["start_activities"] == {"MQL": 2}


def test_mine_several_analyses_keys_them_by_name(runner: CliRunner, log: Path) -> None:
    result = runner.invoke(
        app,
        ["mine", str(log), "--what", "handover,unit-handoffs,leakage", "--end-activities", "Won"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["handover", "unit-handoffs", "leakage"]
    pairs = {(p["source"], p["target"]): p for p in data["unit-handoffs"]["pairs"]}
    # Units come from the group column (Team): two Marketing→Sales handoffs, 4 h and 48 h.
    assert pairs[("Marketing", "Sales")]["count"] == 2
    assert pairs[("Marketing", "Sales")]["wait_s_median"] == 26 * 3600
    assert data["leakage"]["leaked_cases"] == 1
    handover = {(e["source"], e["target"]): e["value"] for e in data["handover"]["edges"]}
    assert handover[("mia", "sam")] == pytest.approx(1 / 3)


def test_mine_csv_has_one_row_per_edge(runner: CliRunner, log: Path) -> None:
    result = runner.invoke(app, ["mine", str(log), "--what", "handover", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["source"], r["target"], r["count"]) for r in rows} == {
        ("mia", "sam", "1"),
        ("sam", "sam", "1"),
        ("mia", "sue", "1"),
    }


def test_mine_with_a_workspace_maps_people_to_their_departments(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["mine", str(DEMO / "events.csv"), "--what", "leakage", "--workspace", str(DEMO)],
    )
    assert result.exit_code == 0, result.output
    pairs = {(p["source"], p["target"]): p for p in json.loads(result.stdout)["pairs"]}
    # The demo history leaks about 30% of its leads at the marketing→sales handoff.
    assert 0.2 < pairs[("marketing", "sales")]["share"] < 0.4


def test_mine_rejects_an_unknown_analysis(runner: CliRunner, log: Path) -> None:
    result = runner.invoke(app, ["mine", str(log), "--what", "dfg,social"])
    assert result.exit_code == 2
    assert "'social'" in result.stderr
    assert "unit-handoffs" in result.stderr


def test_mine_names_the_columns_that_exist_when_one_is_missing(
    runner: CliRunner, log: Path
) -> None:
    result = runner.invoke(app, ["mine", str(log), "--case", "Deal"])
    assert result.exit_code == 2
    assert "Deal" in result.stderr
    assert "Lead ID" in result.stderr
    assert "Traceback" not in result.output


def test_import_writes_parquet_that_mine_reads(
    runner: CliRunner, log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["import", "log", str(log), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 events, 2 cases" in result.stderr
    mined = runner.invoke(app, ["mine", str(out), "--what", "dfg"])
    assert mined.exit_code == 0, mined.output
    assert json.loads(mined.stdout)["end_activities"] == {"Won": 1, "Call": 1}


def test_import_of_a_bad_log_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("case,activity,timestamp\nc1,a,yesterday\n", encoding="utf-8")
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["import", "log", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert "'yesterday'" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_import_refuses_an_output_that_is_not_parquet(
    runner: CliRunner, log: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["import", "log", str(log), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert ".parquet" in result.stderr


def test_analyze_shows_the_demo_history_next_to_the_declared_journey(runner: CliRunner) -> None:
    result = runner.invoke(app, ["analyze", str(DEMO), "--format", "json"])
    assert result.exit_code == 0, result.output
    process = json.loads(result.stdout)["process"]
    observed = process["observed"]
    assert observed["events"] > 30_000
    assert (
        observed["waits"]["cross"]["wait_s_median"] > observed["waits"]["within"]["wait_s_median"]
    )
    assert observed["speed_to_lead"]["cases"] > 0
    assert process["cross_unit_handoffs_per_case"] is not None
