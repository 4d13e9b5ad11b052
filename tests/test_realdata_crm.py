"""The decision on a real CRM set from ``../shared/data/crm``: the Maven sales pipeline."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import orglens
from orglens.io.crm import read_maven

pytestmark = pytest.mark.realdata


@pytest.fixture
def maven(shared_data: Path, tmp_path: Path) -> Path:
    """The Maven sales team as a workspace: 35 agents under 6 managers in 3 regional offices,
    under one head of sales, and the pipeline's engage and close events."""
    source = shared_data / "crm" / "maven_crm_sales_opportunities"
    with (source / "sales_teams.csv").open(encoding="utf-8") as handle:
        teams = list(csv.DictReader(handle))
    people = ["id,name,manager_id,unit,function", "vp,Head of sales,,Sales,sales"]
    managers = sorted({(row["manager"], row["regional_office"]) for row in teams})
    people += [f"{name},{name},vp,{office},sales" for name, office in managers]
    people += [
        f"{row['sales_agent']},{row['sales_agent']},{row['manager']},{row['regional_office']},sales"
        for row in teams
    ]
    offices = sorted({row["regional_office"] for row in teams})
    units = ["id,name,parent,head,function", "Sales,Sales,,vp,sales"]
    units += [f"{office},{office},Sales,,sales" for office in offices]
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    (tmp_path / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    pq.write_table(read_maven(source), tmp_path / "events.parquet")
    (tmp_path / "orglens.yaml").write_text(
        "name: Maven CRM\n"
        "events:\n"
        "  path: events.parquet\n"
        "  end_activities: [Won, Lost]\n"
        "scenarios:\n"
        "  - name: merge_east_west\n"
        "    operations:\n"
        "      - merge: {units: [East, West], name: Coasts}\n"
        "  - name: managers_forum\n"
        "    operations:\n"
        "      - forum: {units: [Central, East, West]}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_maven_status_quo_is_recommended_the_forum_only_costs_and_the_merge_ties(
    maven: Path,
) -> None:
    workspace = orglens.Workspace.open(maven)
    comparison = workspace.compare()
    choice = comparison.recommendation
    observed = workspace.analysis().process.observed
    assert observed is not None
    # Every opportunity is engaged and closed by the same agent: no handoff to reorganise.
    assert observed.handoffs.events_without_unit == 0
    assert observed.cross_unit_handoffs_per_case == 0
    # No office has a head: each is led by its two managers, under the head of sales, who
    # therefore owns both East and West (not whichever manager's row comes first). Merging
    # them changes nobody's manager: the merge ties with the status quo.
    assert choice.pareto == ("status_quo", "merge_east_west")
    assert choice.recommended == "status_quo"
    assert choice.runner_up == "merge_east_west"
    assert choice.why == (
        "status_quo and merge_east_west tie at 1: equal on every metric group that counts; "
        "status_quo is listed first."
    )
    assert choice.dominated == {
        "managers_forum": "dominated by status_quo (and by merge_east_west): worse on "
        "forum_hours_per_year, equal on the other 9 metrics compared",
    }
    # Neither front design can overtake the other whatever the weights.
    assert all(flip.flips_at is None and flip.to is None for flip in choice.weight_flips)
    forum = comparison.scenario("managers_forum").metrics
    # 12 meetings x 1.5 hours x 7 attendees: the head of sales chairing, and each office's two
    # managers (no office has a head: its people at the highest layer lead it)
    assert forum["forum_hours_per_year"] == 126
    merge = comparison.scenario("merge_east_west").metrics
    assert (merge["layers"], merge["max_span"], merge["managers_changed"]) == (3, 6, 0)


def test_maven_report_is_written_in_both_languages_with_every_section(
    maven: Path, tmp_path: Path
) -> None:
    from orglens.report.document import SECTIONS, write_report

    workspace = orglens.Workspace.open(maven)
    for lang in ("en", "sv"):
        page = write_report(workspace, tmp_path / f"maven-{lang}.html", lang=lang).read_text(
            encoding="utf-8"
        )
        for section in SECTIONS:
            assert f'<section id="{section}">' in page
        assert 'data-chart="org_merge_east_west"' in page
        assert "<script" not in page
