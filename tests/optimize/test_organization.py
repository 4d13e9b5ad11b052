"""The optimizer on an organization: graph, constraints from the options, teams as a scenario."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import orglens
from orglens.cli import app
from orglens.model import CoordinationNeed, Organization, Person, Unit
from orglens.optimize.organization import TeamOptions, optimize

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"


def two_cliques() -> Organization:
    """Six people in two units whose declared work crosses the units: a1, a2 and b1 work
    together, and so do a3, b2 and b3."""
    people = [Person(id="ceo", unit="top")]
    people += [Person(id=f"a{i}", manager_id="ceo", unit="a") for i in (1, 2, 3)]
    people += [Person(id=f"b{i}", manager_id="ceo", unit="b") for i in (1, 2, 3)]
    needs = [("a1", "a2"), ("a1", "b1"), ("a2", "b1"), ("a3", "b2"), ("a3", "b3"), ("b2", "b3")]
    return Organization(
        people=people,
        units=[Unit(id="top", head="ceo"), Unit(id="a", parent="top"), Unit(id="b", parent="top")],
        coordination=[CoordinationNeed(source=s, target=t, weight=5) for s, t in needs],
    )


def test_the_teams_follow_the_work_not_todays_units() -> None:
    found = optimize(
        two_cliques(),
        TeamOptions(min_team=3, max_team=4, keep=("ceo",)),
        time_limit=5,
    )
    teams = sorted(sorted(people) for people in found.teams.values())
    assert ["a1", "a2", "b1"] in [sorted(set(t) - {"ceo"}) for t in teams]
    assert found.solution.cross_weight == pytest.approx(0)
    assert found.solution.optimal
    data = found.to_dict()
    for key in ("assignment", "cross_team_weight", "lower_bound", "optimal", "gap", "solver",
                "seconds", "constraints"):  # fmt: skip
        assert key in data
    assert set(data["assignment"]) == {p.id for p in two_cliques().people}


def test_a_move_cost_keeps_people_in_their_unit_when_the_work_gains_less() -> None:
    cheap = optimize(two_cliques(), TeamOptions(min_team=1, max_team=4, move_cost=0), time_limit=5)
    dear = optimize(two_cliques(), TeamOptions(min_team=1, max_team=4, move_cost=100), time_limit=5)
    assert cheap.solution.moved > 0
    assert dear.solution.moved == 0


def test_impossible_sizes_are_one_clear_error() -> None:
    with pytest.raises(orglens.UsageError, match="5"):
        optimize(two_cliques(), TeamOptions(min_team=5, max_team=5), time_limit=2)


def test_an_unknown_person_to_keep_is_named() -> None:
    with pytest.raises(orglens.UsageError, match="'nobody'"):
        optimize(two_cliques(), TeamOptions(keep=("nobody",)), time_limit=2)


def test_the_demo_proposal_is_a_scenario_that_compare_scores(tmp_path: Path) -> None:
    workspace = tmp_path / "demo"
    shutil.copytree(DEMO, workspace)
    runner = CliRunner()
    target = workspace / "scenarios" / "optimized.yaml"
    target.parent.mkdir()
    done = runner.invoke(
        app,
        ["optimize", str(workspace), "--format", "json", "--time-limit", "5", "-o", str(target)],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    low, high = orglens.Workspace.open(DEMO).organization.settings.team_size
    sizes = [len(people) for people in data["teams"].values()]
    assert all(low <= size <= high for size in sizes), sizes
    assert data["lower_bound"] <= data["cross_team_weight"] + 1e-6
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["operations"][0]["teams"]
    compared = json.loads(
        runner.invoke(app, ["compare", str(workspace), "--format", "json"]).stdout
    )
    assert "optimized" in [scenario["name"] for scenario in compared["scenarios"]]


def test_the_command_refuses_impossible_teams_with_exit_2(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["optimize", str(DEMO), "--min-team", "500", "--max-team", "500"]
    )
    assert done.exit_code == 2
    assert "Traceback" not in done.output
    assert done.output.startswith("orglens optimize: "), done.output


def test_grouping_roles_counts_each_role_by_its_people(tmp_path: Path) -> None:
    """--by role: a role is one node as large as its people, so it stays whole in one team."""
    sizes = ["--min-team", "10", "--max-team", "40"]
    done = CliRunner().invoke(
        app,
        ["optimize", str(DEMO), "--by", "role", *sizes, "--time-limit", "3", "--format", "json"],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    people = orglens.Workspace.open(DEMO).organization.people
    team_of = data["assignment"]
    assert set(team_of) == {person.id for person in people}
    for role in {person.role for person in people}:
        teams = {team_of[person.id] for person in people if person.role == role}
        assert len(teams) == 1, (role, teams)
    sizes = [len(members) for members in data["teams"].values()]
    assert all(10 <= size <= 40 for size in sizes), sizes


def test_without_any_work_between_people_nobody_is_moved_for_nothing() -> None:
    """No handoffs and no coordination: every grouping crosses nothing, so only the head of
    a unit too small to be a team moves (found on the Maven CRM workspace: 25 of 35 people
    moved for no gain)."""
    people = [Person(id="vp", unit="top")]
    for unit, count in (("east", 9), ("west", 8), ("central", 7)):
        people += [Person(id=f"{unit}{i}", manager_id="vp", unit=unit) for i in range(count)]
    units = [Unit(id="top", head="vp")]
    units += [Unit(id=unit, parent="top") for unit in ("east", "west", "central")]
    found = optimize(Organization(people=people, units=units), TeamOptions(), time_limit=5)
    data = found.to_dict()
    assert data["cross_team_weight"] == 0
    assert data["moved"] == 1
    assert any("nobody needs to work with anybody" in warning for warning in found.warnings)
