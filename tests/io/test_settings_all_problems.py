"""`validate` lists every problem at once: one mistake never hides another, and a written
scenario cannot replace the baseline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from orglens.errors import Problem
from orglens.io.config import read_config
from orglens.io.scenarios import BASELINE_NAME
from orglens.scenarios import STATUS_QUO

WriteWorkspace = Callable[..., Path]
Problems = Callable[[Path], list[str]]

PEOPLE = "id,name,manager_id,unit\nceo,Ada,,Management\ns1,Bo,ceo,Sales\nm1,Cy,ceo,Marketing\n"


def settings_problems(text: str) -> list[tuple[int | None, str]]:
    problems: list[Problem] = []
    read_config(text.encode(), "orglens.yaml", problems)
    return [(problem.line, problem.what.split(":")[0]) for problem in problems]


def test_a_bad_team_size_does_not_hide_a_bad_span_range() -> None:
    text = "settings:\n  team_size: [9, 5]\n  span_range: [8, 2]\n"
    assert settings_problems(text) == [(2, "settings.team_size"), (3, "settings.span_range")]


def test_a_value_of_the_wrong_type_does_not_hide_a_range_in_the_wrong_order() -> None:
    text = "settings:\n  span_range: [8, 2]\n  team_size: many\n  brand_benchmark: 2\n"
    assert settings_problems(text) == [
        (2, "settings.span_range"),
        (3, "settings.team_size"),
        (4, "settings.brand_benchmark"),
    ]


def test_a_bad_weight_does_not_hide_an_unknown_id_on_another_row(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    coordination = "source,target,weight\nSales,Marketing,-1\nSales,Legal,2\n"
    folder = workspace(**{"people.csv": PEOPLE, "coordination.csv": coordination})
    assert problems_in(folder) == [
        "coordination.csv:2: weight '-1' is not greater than 0 — give a weight greater than 0, "
        "or delete the row",
        "coordination.csv:3: target 'Legal' is neither a person id nor a unit id — use an id "
        "from people.csv or units.csv",
    ]


def test_a_bad_amount_does_not_hide_an_unknown_unit_on_another_row(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    budget = "id,unit,amount\nb1,Sales,lots\nb2,Legal,20\n"
    units = "id,name\nmgmt,Management\nsales,Sales\nmkt,Marketing\n"
    folder = workspace(**{"people.csv": PEOPLE, "units.csv": units, "budget.csv": budget})
    assert problems_in(folder) == [
        "budget.csv:2: amount 'lots' is not a number — write a plain number such as 1234.5",
        "budget.csv:3: unknown unit 'Legal' — use an id from units.csv (or add the unit there)",
    ]


def test_a_units_file_with_a_problem_gives_no_false_unknown_unit_lines(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    units = "name\nSales\n"  # no id column: its units are unknown, not absent
    budget = "id,unit,amount\nb1,Sales,10\n"
    folder = workspace(**{"people.csv": PEOPLE, "units.csv": units, "budget.csv": budget})
    problems = problems_in(folder)
    assert len(problems) == 1
    assert problems[0].startswith("units.csv:1: missing required column 'id'")


def test_a_written_scenario_named_status_quo_is_a_problem_at_its_line(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "name: Acme\nscenarios:\n  - name: other\n  - name: status_quo\n    operations: []\n"
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})
    assert problems_in(folder) == [
        "orglens.yaml:4: scenario 'status_quo' would replace the baseline (today's organization "
        "as the files describe it), which every design is compared with — give the scenario "
        "another name"
    ]


def test_a_scenario_file_named_status_quo_is_a_problem_too(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(**{"people.csv": PEOPLE})
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "status_quo.yaml").write_text("description: mine\n", encoding="utf-8")
    (problem,) = problems_in(folder)
    assert problem.startswith("scenarios/status_quo.yaml")
    assert "would replace the baseline" in problem


def test_a_written_scenario_may_still_replace_another_built_in_design(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "scenarios:\n  - name: ceo_forum\n    operations: []\n"
    assert problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})) == []


def test_the_baseline_name_is_the_name_of_the_built_in_status_quo() -> None:
    assert BASELINE_NAME == STATUS_QUO
