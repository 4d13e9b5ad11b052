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


# --- column options take the file's own name or the canonical one ----------------------------

GROUPED_CSV = (
    "case:concept:name,concept:name,time:timestamp,org:resource,org:group,department\n"
    "c1,call,2024-01-01T09:00:00Z,ann,G1,Marketing\n"
    "c1,offer,2024-01-01T10:00:00Z,bob,G2,Sales\n"
    "c2,call,2024-01-02T09:00:00Z,ann,G1,Marketing\n"
    "c2,offer,2024-01-02T11:00:00Z,cid,G1,Sales\n"
)


def grouped_xes() -> str:
    def event(activity: str, when: str, who: str, group: str, department: str) -> str:
        return (
            f'<event><string key="concept:name" value="{activity}"/>'
            f'<date key="time:timestamp" value="{when}"/>'
            f'<string key="org:resource" value="{who}"/><string key="org:group" value="{group}"/>'
            f'<string key="department" value="{department}"/></event>'
        )

    traces = "".join(
        f'<trace><string key="concept:name" value="{case}"/>{first}{second}</trace>'
        for case, first, second in (
            (
                "c1",
                event("call", "2024-01-01T09:00:00Z", "ann", "G1", "Marketing"),
                event("offer", "2024-01-01T10:00:00Z", "bob", "G2", "Sales"),
            ),
            (
                "c2",
                event("call", "2024-01-02T09:00:00Z", "ann", "G1", "Marketing"),
                event("offer", "2024-01-02T11:00:00Z", "cid", "G1", "Sales"),
            ),
        )
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><log xes.version="1.0">{traces}</log>'


@pytest.fixture(params=["csv", "xes"])
def grouped_log(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"grouped.{request.param}"
    path.write_text(GROUPED_CSV if request.param == "csv" else grouped_xes(), encoding="utf-8")
    return path


def unit_pairs(runner: CliRunner, log: Path, *options: str) -> list[tuple[str, str, int]]:
    result = runner.invoke(app, ["mine", str(log), "--what", "unit-handoffs", *options])
    assert result.exit_code == 0, result.output
    return [
        (pair["source"], pair["target"], pair["count"])
        for pair in json.loads(result.stdout)["pairs"]
    ]


@pytest.mark.parametrize("unit", ["org:group", "group", "ORG:GROUP"])
def test_unit_names_the_files_group_column_or_the_canonical_one(
    unit: str, runner: CliRunner, grouped_log: Path
) -> None:
    assert unit_pairs(runner, grouped_log, "--unit", unit) == [("G1", "G1", 1), ("G1", "G2", 1)]


@pytest.mark.parametrize("unit", ["department", "Department"])
def test_unit_names_another_column_of_the_file(
    unit: str, runner: CliRunner, grouped_log: Path
) -> None:
    assert unit_pairs(runner, grouped_log, "--unit", unit) == [("Marketing", "Sales", 2)]


def test_unit_names_a_column_that_became_the_group(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(GROUPED_CSV.replace(",org:group", "").replace(",G1", "").replace(",G2", ""))
    assert unit_pairs(runner, log, "--unit", "department") == [("Marketing", "Sales", 2)]
    assert unit_pairs(runner, log, "--unit", "group") == [("Marketing", "Sales", 2)]


def test_unit_names_a_source_column_of_an_imported_log(
    runner: CliRunner, grouped_log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.parquet"
    imported = runner.invoke(app, ["import", "log", str(grouped_log), "-o", str(out)])
    assert imported.exit_code == 0, imported.output
    assert unit_pairs(runner, out, "--unit", "org:group") == [("G1", "G1", 1), ("G1", "G2", 1)]


def test_an_unknown_unit_column_is_one_line_listing_the_choices(
    runner: CliRunner, grouped_log: Path
) -> None:
    result = runner.invoke(
        app, ["mine", str(grouped_log), "--what", "unit-handoffs", "--unit", "region"]
    )
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith(f"{grouped_log.name}: column 'region' (given for --unit)")
    assert "'org:group'" in message and "'department'" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (["--resource", "group"], {("G1", "G2"), ("G1", "G1")}),
        (["--resource", "org:group"], {("G1", "G2"), ("G1", "G1")}),
        (["--resource", "resource"], {("ann", "bob"), ("ann", "cid")}),
        (["--group", "group", "--case", "case_id"], {("ann", "bob"), ("ann", "cid")}),
    ],
)
def test_role_options_take_a_canonical_name_for_the_column_found_by_name(
    option: list[str], expected: set[tuple[str, str]], runner: CliRunner, grouped_log: Path
) -> None:
    result = runner.invoke(app, ["mine", str(grouped_log), "--what", "handover", *option])
    assert result.exit_code == 0, result.output
    edges = json.loads(result.stdout)["edges"]
    assert {(edge["source"], edge["target"]) for edge in edges} == expected


def test_a_canonical_name_for_a_role_the_file_lacks_is_refused(
    runner: CliRunner, log: Path
) -> None:
    result = runner.invoke(app, ["mine", str(log), "--what", "handover", "--resource", "group"])
    assert result.exit_code == 0, result.output  # the log's 'Team' is its group column
    missing = log.with_name("nogroup.csv")
    missing.write_text(LOG.replace(",Team", "").replace(",Marketing", "").replace(",Sales", ""))
    result = runner.invoke(app, ["mine", str(missing), "--what", "handover", "--resource", "group"])
    assert result.exit_code == 2
    assert "--resource 'group' names the group column, and the file has none" in result.stderr


def _people_log(tmp_path: Path, resources: tuple[str, str]) -> tuple[Path, Path]:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "people.csv").write_text(
        "id,name,manager_id,unit,email\n"
        "ceo,Eva Lind,,Management,eva@acme.example\n"
        "m1,Mia Ek,ceo,Marketing,mia@acme.example\n"
        "s1,Sam Berg,ceo,Sales,sam@acme.example\n",
        encoding="utf-8",
    )
    log = tmp_path / "log.csv"
    marketer, seller = resources
    log.write_text(
        "case_id,activity,timestamp,resource\n"
        f"c1,MQL,2025-01-01T09:00:00Z,{marketer}\n"
        f"c1,Call,2025-01-01T10:00:00Z,{seller}\n"
        f"c2,MQL,2025-01-02T09:00:00Z,{marketer}\n"
        f"c2,Call,2025-01-02T10:00:00Z,{seller}\n",
        encoding="utf-8",
    )
    return tmp_path, log


def test_mine_with_a_workspace_shows_people_by_name_matching_ignoring_case(
    tmp_path: Path,
) -> None:
    workspace, log = _people_log(tmp_path, ("MIA@ACME.EXAMPLE", "sam berg"))
    result = CliRunner().invoke(
        app, ["mine", str(log), "--what", "handover,unit-handoffs", "--workspace", str(workspace)]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    (edge,) = found["handover"]["edges"]
    assert (edge["source"], edge["target"], edge["count"]) == ("Mia Ek", "Sam Berg", 2)
    pairs = {(p["source"], p["target"]): p["count"] for p in found["unit-handoffs"]["pairs"]}
    assert pairs == {("Marketing", "Sales"): 2}
    assert "@" not in result.stdout


def test_mine_with_a_workspace_finds_the_same_units_whether_or_not_people_are_shown(
    tmp_path: Path,
) -> None:
    # Without an analysis that names resources, the events are not relabelled as people:
    # their resources are mapped to units directly, and must give the same units.
    workspace, log = _people_log(tmp_path, ("MIA@ACME.EXAMPLE", "sam berg"))
    found = {}
    for what in ("unit-handoffs,leakage", "handover,unit-handoffs,leakage"):
        result = CliRunner().invoke(
            app, ["mine", str(log), "--what", what, "--workspace", str(workspace)]
        )
        assert result.exit_code == 0, result.output
        found[what] = json.loads(result.stdout)
    alone, shown = found.values()
    assert alone["unit-handoffs"] == shown["unit-handoffs"]
    assert alone["leakage"] == shown["leakage"]
    assert [(p["source"], p["target"]) for p in alone["unit-handoffs"]["pairs"]] == [
        ("Marketing", "Sales")
    ]


def test_mine_with_a_workspace_matching_none_of_the_log_is_an_error_not_zero(
    tmp_path: Path,
) -> None:
    workspace, log = _people_log(tmp_path, ("u-17", "u-42"))
    result = CliRunner().invoke(
        app, ["mine", str(log), "--what", "unit-handoffs", "--workspace", str(workspace)]
    )
    assert result.exit_code == 2
    assert "4 of 4 events (100%) are done by resources that match no person" in result.stderr
    assert "'u-17' (2 events), 'u-42' (2 events)" in result.stderr
    assert "Traceback" not in result.output


def test_mine_with_a_workspace_matching_under_half_of_the_log_warns(tmp_path: Path) -> None:
    # no unit analysis asked for: the handover still reads, with a warning
    workspace, log = _people_log(tmp_path, ("u-17", "u-42"))
    result = CliRunner().invoke(
        app, ["mine", str(log), "--what", "handover", "--workspace", str(workspace)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: ")
    assert "'u-17' (2 events)" in result.stderr


def test_unit_analyses_on_a_log_without_any_unit_column_are_refused(tmp_path: Path) -> None:
    _, log = _people_log(tmp_path, ("m1", "s1"))
    result = CliRunner().invoke(app, ["mine", str(log), "--what", "dfg,leakage"])
    assert result.exit_code == 2
    assert "no event has a unit: the log has no group column" in result.stderr
    assert "for leakage" in result.stderr


def test_mine_reads_lifecycle_transitions_as_completions_or_both(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "case_id,activity,timestamp,lifecycle:transition\n"
        "c1,call,2025-01-01T09:00:00Z,start\n"
        "c1,call,2025-01-01T09:10:00Z,complete\n"
        "c1,offer,2025-01-01T10:00:00Z,start\n"
        "c1,offer,2025-01-01T10:30:00Z,complete\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["mine", str(log), "--what", "dfg"])
    assert result.exit_code == 0, result.output
    edges = [(e["source"], e["target"]) for e in json.loads(result.stdout)["edges"]]
    assert edges == [("call", "offer")]
    assert "left out 2 of 4 events that are not completions" in result.stderr
    result = CliRunner().invoke(app, ["mine", str(log), "--what", "dfg", "--lifecycle", "both"])
    assert result.exit_code == 0, result.output
    edges = [(e["source"], e["target"]) for e in json.loads(result.stdout)["edges"]]
    assert ("call+start", "call+complete") in edges and len(edges) == 3


def test_a_workspace_whose_log_is_outside_it_needs_allow_outside(tmp_path: Path) -> None:
    workspace, log = _people_log(tmp_path / "w", ("m1", "s1"))
    outside = tmp_path / "log.csv"
    log.rename(outside)
    (workspace / "orglens.yaml").write_text(f"events:\n  path: {outside}\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["analyze", str(workspace), "--format", "json"])
    assert refused.exit_code == 2
    assert "orglens.yaml:2: events path" in refused.stderr and "--allow-outside" in refused.stderr
    allowed = CliRunner().invoke(
        app, ["analyze", str(workspace), "--format", "json", "--allow-outside"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["process"]["observed"]["events"] == 4
