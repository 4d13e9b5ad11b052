"""The command line as a user meets it: exit codes, messages, JSON keys, nothing half-written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglens.cli import app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
MESSAGE = re.compile(r"^\S+:\d+: .+ — .+$")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "people.csv",
        "id,name,manager_id,unit,cost\n"
        "ceo,Ada,,Management,100\n"
        "a,Bo,ceo,Sales,abc\n"
        "b,Cy,nobody,Sales,50\n",
    )
    return tmp_path


def test_version_is_printed(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("orglens ")


def test_validate_accepts_the_demo(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout


def test_validate_lists_every_problem_with_file_and_line(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines, "no message printed"
    assert all(MESSAGE.match(line) for line in lines), lines
    assert any(line.startswith("people.csv:3:") and "'abc'" in line for line in lines)
    assert "Traceback" not in result.output


def test_analyze_json_has_the_documented_keys(runner: CliRunner) -> None:
    result = runner.invoke(app, ["analyze", str(DEMO), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    manager = data["hr"]["managers"][0]
    assert set(manager) >= {"id", "name", "span", "archetype", "flag"}
    assert isinstance(data["hr"]["layers"], int)
    assert set(data["hr"]["span"]) == {"mean", "median", "min", "max"}
    assert 0 <= data["budget"]["brand_share"] <= 1
    assert data["process"]["cross_unit_handoffs_per_case"] > 0
    coordination = data["process"]["coordination"]
    assert set(coordination) >= {"total_weight", "cross_unit_weight", "cross_unit_share", "matrix"}
    assert data["customer"]["segments"]


def test_no_output_ever_shows_an_email_address(runner: CliRunner) -> None:
    emails = [
        line.split(",")[0]
        for line in (DEMO / "people.csv").read_text(encoding="utf-8").splitlines()
        if "@" in line
    ]
    assert emails, "the demo has e-mail addresses on people"
    for fmt in ("json", "table"):
        result = runner.invoke(app, ["analyze", str(DEMO), "--format", fmt])
        assert result.exit_code == 0
        assert "@" not in result.stdout


def test_analyze_table_shows_each_lens(runner: CliRunner) -> None:
    result = runner.invoke(app, ["analyze", str(DEMO)], terminal_width=160)
    assert result.exit_code == 0, result.output
    for lens in ("hr lens", "budget lens", "process lens", "customer lens"):
        assert lens in result.stdout


def test_analyze_on_bad_input_writes_nothing_to_stdout(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["analyze", str(broken), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert all(MESSAGE.match(line) for line in result.stderr.strip().splitlines())


def test_analyze_a_missing_workspace_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.output


def test_level_zero_counts_no_cross_unit_handoffs(runner: CliRunner) -> None:
    result = runner.invoke(app, ["analyze", str(DEMO), "--format", "json", "--level", "0"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["level"] == 0
    assert data["process"]["cross_unit_handoffs_per_case"] == 0


def test_demo_writes_a_workspace_and_prints_its_analysis(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (out / "people.csv").is_file()
    assert json.loads(result.stdout)["organization"]
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    again = runner.invoke(app, ["demo", "--out", str(out), "--format", "json"])
    assert again.exit_code == 0, again.output  # its own report is replaced without asking


def test_demo_keeps_a_report_html_of_the_users(runner: CliRunner, tmp_path: Path) -> None:
    mine = write(tmp_path, "report.html", "<p>my notes</p>")
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "report.html orglens did not write" in result.stderr
    assert mine.read_text(encoding="utf-8") == "<p>my notes</p>"


def test_demo_refuses_a_file_as_output_folder(runner: CliRunner, tmp_path: Path) -> None:
    target = write(tmp_path, "taken", "not a folder")
    result = runner.invoke(app, ["demo", "--out", str(target)])
    assert result.exit_code == 2
    assert "taken" in result.stderr
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_python_dash_m_runs_without_traceback_on_bad_input(broken: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orglens", "validate", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "people.csv:3:" in done.stderr
    assert "people.csv:4:" in done.stderr


def test_every_command_and_lens_key_is_documented(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in (
        "demo",
        "validate",
        "analyze",
        "compare",
        "report",
        "optimize",
        "mine",
        "import",
    ):
        assert f"orglens {command}" in readme
    data = json.loads(runner.invoke(app, ["analyze", str(DEMO), "--format", "json"]).stdout)
    for lens in ("hr", "budget", "process", "customer"):
        for key in data[lens]:
            assert f"`{key}`" in readme, f"{lens}.{key} is not documented in README.md"


def test_analyze_a_scenario_shows_the_organization_it_designs(runner: CliRunner) -> None:
    today = json.loads(runner.invoke(app, ["analyze", str(DEMO), "-f", "json"]).stdout)
    result = runner.invoke(
        app, ["analyze", str(DEMO), "-f", "json", "--scenario", "merge_sales_marketing"]
    )
    assert result.exit_code == 0, result.output
    merged = json.loads(result.stdout)
    # Marketing→sales handoffs become internal to one department, in the declared journey and
    # in the re-mapped history.
    assert (
        merged["process"]["cross_unit_handoffs_per_case"]
        < today["process"]["cross_unit_handoffs_per_case"]
    )
    assert (
        merged["process"]["observed"]["cross_unit_handoffs_per_case"]
        < today["process"]["observed"]["cross_unit_handoffs_per_case"]
    )


def test_analyze_an_unknown_scenario_lists_the_known_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["analyze", str(DEMO), "--scenario", "reorg"])
    assert result.exit_code == 2
    assert "'reorg'" in result.stderr
    assert "merge_sales_marketing" in result.stderr


def test_compare_scores_every_builtin_design_and_gives_advice(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(DEMO), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    names = [s["name"] for s in data["scenarios"]]
    assert names[:3] == ["status_quo", "ceo_forum", "merge_sales_marketing"]
    assert {"journey_pods", "segment_pods", "merge_marketing_communications"} <= set(names)
    metrics = data["scenarios"][0]["metrics"]
    for key in (
        "cross_unit_handoffs_per_case",
        "expected_handoff_wait_s",
        "coordination_cross_unit_share",
        "escalation_distance",
        "max_span",
        "spans_out_of_range",
        "layers",
        "discipline_fit",
        "competence_dispersion",
        "accountability_share",
        "people_moved",
        "managers_changed",
    ):
        assert key in metrics
    finding = data["advice"][0]
    assert set(finding) >= {"rule", "verdict", "because", "evidence", "conditions", "counter"}
    assert any(f["rule"] == "ceo_owns_journey" and f["triggered"] for f in data["advice"])


def test_compare_table_shows_the_scorecard_and_the_advice(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(DEMO)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Scorecard" in result.stdout
    assert "Counter-argument" in result.stdout


def test_demo_refuses_to_overwrite_a_users_workspace_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("id,manager_id,unit\nme,,Mine\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    assert "holds files the demo would overwrite: people.csv" in result.stderr
    assert (tmp_path / "people.csv").read_text(encoding="utf-8").startswith("id,manager_id,unit")
    forced = CliRunner().invoke(
        app, ["demo", "--out", str(tmp_path), "--format", "json", "--force"]
    )
    assert forced.exit_code == 0, forced.output
    again = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--format", "json"])
    assert again.exit_code == 0, again.output  # the demo's own files are rewritten as they are


def test_demo_into_a_folder_it_cannot_write_is_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orglens.demo

    def read_only(directory: Path) -> list[Path]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(orglens.demo, "write_demo", read_only)
    result = CliRunner().invoke(
        app, ["demo", "--out", str(tmp_path / "x"), "--format", "json", "--force"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "cannot write the demo there (Permission denied) — give a folder you can write to with "
        "--out\n"
    )
    assert "Traceback" not in result.output
