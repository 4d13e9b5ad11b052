"""Scenarios written in YAML: read into Scenario objects, every mistake at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orglens.errors import Problem
from orglens.io.scenarios import dump_scenario, read_scenario_files, read_scenarios, yaml_lines
from orglens.model import BuildPods, HoldForum, MergeUnits, MovePeople, Scenario, SplitUnit

CONFIG = """\
name: Acme
scenarios:
  - name: growth_team
    description: SDRs join demand generation
    operations:
      - move: {role: SDR, to: demand-gen}
      - merge: {units: [sales, marketing], name: Revenue, head: P002}
  - name: regions
    operations:
      - split: {unit: sales, by: location}
      - pods: {units: sales, by: segment, size: [4, 8]}
      - forum: {units: [sales, marketing], chair: 1001}
"""


def _read(text: str) -> tuple[list[Scenario], list[str]]:
    """Read ``scenarios:`` of an orglens.yaml text the way the workspace reader does."""
    root = yaml.compose(text)
    problems: list[Problem] = []
    scenarios = read_scenarios(
        yaml.safe_load(text).get("scenarios"), "orglens.yaml", yaml_lines(root, ""), problems
    )
    return scenarios, [str(p) for p in problems]


def test_the_documented_form_reads_into_scenarios() -> None:
    scenarios, problems = _read(CONFIG)
    assert problems == []
    growth, regions = scenarios
    assert (growth.name, growth.kind, growth.description) == (
        "growth_team",
        "custom",
        "SDRs join demand generation",
    )
    # origin (where it was written) is left out of the comparison
    assert [op.model_dump() for op in growth.operations] == [
        MovePeople(role="SDR", to="demand-gen").model_dump(),
        MergeUnits(units=("sales", "marketing"), name="Revenue", head="P002").model_dump(),
    ]
    assert [op.model_dump() for op in regions.operations] == [
        SplitUnit(unit="sales", by="location").model_dump(),
        BuildPods(units=("sales",), by="segment", size=(4, 8)).model_dump(),
        HoldForum(units=("sales", "marketing"), chair="1001").model_dump(),
    ]


def test_operations_remember_their_file_and_line() -> None:
    growth, regions = _read(CONFIG)[0]
    assert growth.origin is not None and growth.origin.line == 3
    assert [op.origin.line for op in growth.operations if op.origin] == [6, 7]
    assert regions.operations[2].origin is not None
    assert regions.operations[2].origin.file == "orglens.yaml"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "scenarios:\n  - name: a\n    colour: red\n",
            "orglens.yaml:3: scenario 'a': unknown key 'colour' — use one of: name, kind, "
            "description, operations",
        ),
        (
            "scenarios:\n  - name: a\n    operations:\n      - mrege: {units: [a, b]}\n",
            "orglens.yaml:4: scenario 'a', operation 1: unknown operation 'mrege' — use one of: "
            "merge, move, split, pods, forum, teams",
        ),
        (
            "scenarios:\n  - name: a\n    operations:\n      - merge:\n          name: R\n"
            "          units: [a, b]\n          hed: x\n",
            "orglens.yaml:7: scenario 'a', operation 1 (merge): unknown key 'hed' — use one of: "
            "units, name, head, id",
        ),
        (
            "scenarios:\n  - name: a\n    operations:\n      - merge: {units: [a, b]}\n",
            "orglens.yaml:4: scenario 'a', operation 1 (merge): name is missing — add name: ...",
        ),
        (
            "scenarios:\n  - name: a\n    operations:\n      - move: {role: x, people: [p], "
            "to: u}\n",
            "orglens.yaml:4: scenario 'a', operation 1 (move): give exactly one of people, role "
            "or competence — correct the operation",
        ),
        (
            "scenarios:\n  - name: a\n    operations:\n      - pods:\n          units: [a]\n"
            "          by: region\n",
            "orglens.yaml:6: scenario 'a', operation 1 (pods): by: Input should be 'stage' or "
            "'segment' (got 'region') — correct by",
        ),
        (
            "scenarios:\n  - name: a\n    kind: reorg\n",
            "orglens.yaml:3: scenario 'a': kind: Input should be 'status_quo', 'forum', 'merge', "
            "'pods', 'split', 'move', 'teams' or 'custom' (got 'reorg') — correct the value (kind "
            "is one of status_quo, forum, merge, pods, split, move, teams, custom; description is "
            "text)",
        ),
        (
            "scenarios:\n  - description: nameless\n",
            "orglens.yaml:2: scenario name None is not text — give the scenario a name",
        ),
        (
            "scenarios:\n  - name: a\n  - name: a\n",
            "orglens.yaml:3: scenario name 'a' is used twice — give every scenario its own name",
        ),
        (
            "scenarios: growth\n",
            "orglens.yaml:1: scenarios holds a str, not a list — write one '- name: ...' item "
            "per scenario, with description and operations under it",
        ),
    ],
)
def test_each_mistake_is_one_problem_at_its_line(text: str, problem: str) -> None:
    assert _read(text)[1] == [problem]


def test_a_scenario_with_a_problem_is_left_out_and_the_others_kept() -> None:
    text = "scenarios:\n  - name: bad\n    operations: [{merge: {}}]\n  - name: good\n"
    scenarios, problems = _read(text)
    assert [s.name for s in scenarios] == ["good"]
    assert len(problems) == 2  # units and name are missing


def test_dumped_scenarios_read_back_the_same() -> None:
    scenarios, _ = _read(CONFIG)
    dumped = yaml.safe_dump({"scenarios": [dump_scenario(s) for s in scenarios]})
    again, problems = _read(dumped)
    assert problems == []
    assert [dump_scenario(s) for s in again] == [dump_scenario(s) for s in scenarios]


def test_scenario_files_hold_one_scenario_or_a_list(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "b_growth.yaml").write_text(
        "description: SDRs to marketing\noperations:\n  - move: {role: SDR, to: mkt}\n"
    )
    (folder / "a_more.yml").write_text("scenarios:\n  - name: one\n  - name: two\n")
    (folder / "c_list.yaml").write_text("- name: three\n")
    (folder / "notes.txt").write_text("not a scenario")
    problems: list[Problem] = []
    scenarios = read_scenario_files(folder, problems)
    assert problems == []
    assert [(s.name, s.kind) for s in scenarios] == [
        ("one", "status_quo"),
        ("two", "status_quo"),
        ("b_growth", "move"),
        ("three", "status_quo"),
    ]
    assert scenarios[2].operations[0].origin is not None
    assert scenarios[2].operations[0].origin.file == "scenarios/b_growth.yaml"


def test_scenario_file_problems_name_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "broken.yaml").write_text("name: x\noperations: [\n")
    (folder / "latin1.yaml").write_bytes("name: Göran\n".encode("latin-1"))
    (folder / "twice.yaml").write_text("scenarios:\n  - name: x\nname: y\n")
    problems: list[Problem] = []
    read_scenario_files(folder, problems)
    assert [(p.file, p.line) for p in problems] == [
        ("scenarios/broken.yaml", 3),
        ("scenarios/latin1.yaml", 1),
        ("scenarios/twice.yaml", 3),
    ]
    assert problems[1].what == "the file is not UTF-8 text"
    assert problems[2].what == "unknown key 'name' beside scenarios"


def test_a_missing_scenarios_folder_holds_no_scenario(tmp_path: Path) -> None:
    assert read_scenario_files(tmp_path / "scenarios", []) == []
