"""The lenses on real organizations from ``../shared/data/orgs``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import orglens

pytestmark = pytest.mark.realdata


def read_matrix(path: Path) -> list[list[int]]:
    with path.open(encoding="utf-8") as handle:
        return [[int(cell) for cell in row] for row in csv.reader(handle)]


@pytest.fixture
def krackhardt(shared_data: Path, tmp_path: Path) -> Path:
    """Krackhardt's 21 high-tech managers as a workspace: reports-to tree, departments, advice."""
    folder = shared_data / "orgs" / "krackhardt_hightech"
    reports_to = read_matrix(folder / "krackhardt_reports_to_adj.csv")
    advice = read_matrix(folder / "krackhardt_advice_adj.csv")
    with (folder / "krackhardt_attributes.csv").open(encoding="utf-8") as handle:
        dept = {row["id"]: row["dept"] for row in csv.DictReader(handle)}

    people = ["id,name,manager_id,unit"]
    for ego, row in enumerate(reports_to, start=1):
        managers = [str(alter) for alter, tie in enumerate(row, start=1) if tie]
        assert len(managers) <= 1
        people.append(f"{ego},Manager {ego},{''.join(managers)},d{dept[str(ego)]}")
    units = ["id,name,parent,head", "d0,Executive office,,7"]
    units += [f"d{d},Department {d},d0," for d in "1234"]
    coordination = ["source,target,weight,kind"]
    coordination += [
        f"{ego},{alter},1,advice"
        for ego, row in enumerate(advice, start=1)
        for alter, tie in enumerate(row, start=1)
        if tie
    ]
    for name, lines in (
        ("people.csv", people),
        ("units.csv", units),
        ("coordination.csv", coordination),
    ):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_krackhardt_spans_and_layers_match_the_reports_to_tree(krackhardt: Path) -> None:
    hr = orglens.analyze(orglens.load(krackhardt)).hr.to_dict()
    spans = {m["id"]: m["span"] for m in hr["managers"]}
    # From the documented tree: CEO 7 over VPs 2, 14, 18, 21; their departments below.
    assert spans == {"7": 4, "2": 3, "14": 7, "18": 2, "21": 4}
    assert sum(spans.values()) == 20
    assert hr["layers"] == 3
    assert hr["span"] == {"mean": 4.0, "median": 4.0, "min": 2, "max": 7}
    by_id = {m["id"]: m for m in hr["managers"]}
    assert by_id["14"]["archetype"] == "coach"
    assert by_id["18"]["flag"] == "below range"


def test_krackhardt_advice_crossing_departments_is_counted_from_the_ties(
    shared_data: Path, krackhardt: Path
) -> None:
    folder = shared_data / "orgs" / "krackhardt_hightech"
    advice = read_matrix(folder / "krackhardt_advice_adj.csv")
    with (folder / "krackhardt_attributes.csv").open(encoding="utf-8") as handle:
        dept = [row["dept"] for row in csv.DictReader(handle)]
    ties = [(i, j) for i, row in enumerate(advice) for j, tie in enumerate(row) if tie]
    crossing = sum(1 for i, j in ties if dept[i] != dept[j])

    coordination = orglens.analyze(orglens.load(krackhardt)).process.to_dict()["coordination"]
    assert coordination["total_weight"] == len(ties) == 190
    assert coordination["cross_unit_weight"] == crossing
    assert coordination["cross_unit_share"] == pytest.approx(crossing / 190)


def test_krackhardt_gets_a_recommendation_on_its_pareto_front_with_its_flips(
    krackhardt: Path,
) -> None:
    (krackhardt / "orglens.yaml").write_text(
        "scenarios:\n"
        "  - name: merge_1_2\n"
        "    operations:\n"
        "      - merge: {units: [d1, d2], name: Departments 1 and 2}\n"
        "  - name: forum_1_2\n"
        "    operations:\n"
        "      - forum: {units: [d1, d2]}\n",
        encoding="utf-8",
    )
    comparison = orglens.Workspace.open(krackhardt).compare()
    choice = comparison.recommendation
    names = [score.name for score in comparison.scenarios]
    assert names == ["status_quo", "merge_1_2", "forum_1_2"]
    # No design dominates: the forum shortens escalation (2.66 against 2.81 reporting steps)
    # for 54 hours a year, the merge keeps more advice inside a department (61% against 76%
    # crossing) but lengthens escalation and changes a manager.
    assert choice.pareto == ("status_quo", "merge_1_2", "forum_1_2")
    assert choice.recommended == "forum_1_2"
    assert choice.runner_up == "status_quo"
    assert choice.why.startswith("forum_1_2 scores 0.619 against 0.464 for status_quo")
    flips = {flip.group: flip for flip in choice.weight_flips}
    assert set(flips) == set(choice.weights)
    assert flips["escalation"].to == "status_quo"
    assert flips["escalation"].flips_at is not None and flips["escalation"].flips_at < 2
    forum = comparison.scenario("forum_1_2").metrics
    # 12 meetings x 1.5 hours x (the CEO chairing, and the heads of departments 1 and 2)
    assert forum["forum_hours_per_year"] == 54.0
    assert forum["first_year_cost"] is None  # nobody's cost is known: not a cost of 0
    data = comparison.to_dict()
    assert next(iter(data)) == "recommendation"
    assert data["recommendation"]["recommended"] == choice.recommended
