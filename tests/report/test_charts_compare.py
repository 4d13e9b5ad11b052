"""The comparison charts on a tiny company whose scorecard can be checked by hand."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import orglens
from orglens.advice import Advice, recommend
from orglens.i18n import using
from orglens.model import CoordinationNeed, Organization, Person, Scenario, Unit
from orglens.report import Chart
from orglens.report.charts_compare import metric_value, scorecard_chart
from orglens.report.charts_tradeoffs import tradeoffs_chart
from orglens.report.draw_bars import WIDTH
from orglens.report.labels import metric_label
from orglens.scenarios import METRICS, builtin_scenarios, compare
from orglens.workspace import Comparison

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>"


def company() -> Organization:
    """Cleo over one seller and one marketer who need each other once."""
    return Organization(
        people=[
            Person(id="ceo", name="Cleo", unit="top", cost=100_000),
            Person(id="s", manager_id="ceo", unit="sales", cost=100_000),
            Person(id="m", manager_id="ceo", unit="mkt", cost=100_000),
        ],
        units=[
            Unit(id="top"),
            Unit(id="sales", parent="top", function="sales"),
            Unit(id="mkt", parent="top", function="marketing"),
        ],
        coordination=[CoordinationNeed(source="s", target="m", weight=1)],
    )


def comparison(scenarios: tuple[Scenario, ...] | None = None) -> Comparison:
    """Status quo, CEO forum and the sales and marketing merger, scored and ranked (the advice,
    which these charts do not draw, left empty)."""
    card = compare(company(), scenarios=scenarios)
    return Comparison(card, Advice(findings=(), sources=()), recommend(card))


def drawn_marks(chart: Chart) -> int:
    return chart.svg.count('class="mark"')


def view_width(chart: Chart) -> float:
    found = re.search(r'viewBox="0 0 (\d+) \d+"', chart.svg)
    assert found is not None
    return float(found.group(1))


def test_every_metric_has_a_full_human_name_in_both_languages() -> None:
    for metric in METRICS:
        english = metric_label(metric.key)
        assert "_" not in english and "…" not in english and len(english) > 10
        with using("sv"):
            assert metric_label(metric.key) != english
    assert metric_label("coordination_cross_unit_share") == "Coordination needs that cross units"
    assert metric_label("a_new_metric") == "a new metric"


def test_metric_values_read_as_shares_durations_money_and_counts() -> None:
    assert metric_value("coordination_cross_unit_share", 0.72674, "EUR") == "72.7%"
    assert metric_value("expected_handoff_wait_s", 3530.3, "EUR") == "58.8 minutes"
    assert metric_value("expected_handoff_wait_s", 3530.3, "EUR", short=True) == "58.8 min"
    assert metric_value("first_year_cost", 121_090.9, "SEK") == "SEK 121k"
    assert metric_value("managers_changed", 2, "EUR") == "2"
    assert metric_value("escalation_distance", None, "EUR") == "–"
    with using("sv"):
        assert metric_value("coordination_cross_unit_share", 0.72674, "EUR") == "72,7\u00a0%"


def test_scorecard_draws_the_measured_metrics_of_every_design_with_the_best_bold() -> None:
    chart = scorecard_chart(comparison())
    # Six metrics are measured for no design here (no journey, no log, no competences, no
    # spend); the other 11 are drawn for each of the three designs.
    assert chart.marks == drawn_marks(chart) == 3 * 11
    assert "Not measured for any design, so not drawn:" in chart.svg
    # Merge: best on coordination, escalation (tied), span, forum hours (tied), cost (tied);
    # worst on spans out of range, layers and three of the cost of change.
    assert chart.takeaway == (
        "Merge sales and marketing, the recommended design, is best on 5 of the 10 measures on "
        "which the designs differ, and worst on managers with a span of control out of range, "
        "reporting layers, people who get a new manager and 2 more."
    )
    assert chart.table.header == (
        "Measure",
        "Status quo",
        "CEO forum",
        "Merge sales and marketing",
        "Better when",
    )
    rows = {row[0]: row[1:] for row in chart.table.rows}
    assert len(rows) == len(METRICS)  # the table keeps every metric
    assert rows["Escalation distance (reporting steps to a common manager)"] == (
        "2",
        "1",
        "1",
        "lower",
    )
    assert rows["Forum hours per year"] == ("0", "54", "0", "lower")
    assert rows["Cost of the change in its first year"] == ("EUR 0", "EUR 3.27k", "EUR 0", "lower")
    assert "coordi…" not in chart.svg
    assert "Coordination needs that cross units" in chart.svg
    assert view_width(chart) <= WIDTH


def test_tradeoffs_show_the_group_scores_of_the_ranked_designs() -> None:
    chart = tradeoffs_chart(comparison())
    # 3 designs × 4 groups that differ (coordination, escalation, spans, cost) + 3 scores.
    assert chart.marks == drawn_marks(chart) == 3 * 4 + 3
    assert chart.takeaway == (
        "Merge sales and marketing scores 0.73, ahead of CEO forum (0.55); it gives up most on "
        "cost of change, where Status quo scores 1.00 against its 0.40."
    )
    assert chart.table.rows == (
        ("Merge sales and marketing", "1.00", "1.00", "0.33", "0.40", "0.73", "recommended"),
        ("CEO forum", "0.00", "1.00", "0.67", "0.60", "0.55", "runner-up"),
        ("Status quo", "0.00", "0.00", "0.67", "1.00", "0.38", "on the Pareto front"),
    )
    assert "Not shown, because the designs do not differ on them:" in chart.svg
    assert "★" in chart.svg
    assert view_width(chart) <= WIDTH


def test_a_dominated_design_is_grey_and_says_by_whom() -> None:
    found = comparison()
    forum = found.scenario("ceo_forum")
    scorecard = replace(
        found.scorecard,
        scenarios=tuple(
            replace(s, dominated_by=("merge_sales_marketing",)) if s is forum else s
            for s in found.scenarios
        ),
    )
    recommendation = replace(
        found.recommendation,
        runner_up="status_quo",
        pareto=("status_quo", "merge_sales_marketing"),
        ranked=tuple(
            replace(r, on_pareto_front=r.name != "ceo_forum") for r in found.recommendation.ranked
        ),
    )
    chart = tradeoffs_chart(replace(found, scorecard=scorecard, recommendation=recommendation))
    rows = {row[0]: row for row in chart.table.rows}
    assert rows["CEO forum"][-1] == "dominated by Merge sales and marketing"
    assert "dominated by Merge" in chart.svg  # wrapped under its name
    assert 'fill="#b8bfc6" class="mark"' in chart.svg  # its bars are grey


def test_one_design_alone_says_how_to_compare() -> None:
    only = comparison(scenarios=builtin_scenarios(company())[:1])
    for chart in (scorecard_chart(only), tradeoffs_chart(only)):
        assert chart.takeaway.startswith("Only Status quo was compared")
    assert tradeoffs_chart(only).marks == 0


def test_a_hostile_design_name_is_shown_as_text() -> None:
    hostile = Scenario(name=HOSTILE, kind="forum", description="")
    found = comparison(scenarios=(*builtin_scenarios(company()), hostile))
    for chart in (scorecard_chart(found), tradeoffs_chart(found)):
        assert "<script" not in chart.svg
        assert "<script" not in chart.to_html()
        assert "&lt;script&gt;" in chart.svg


def test_the_comparison_charts_speak_swedish() -> None:
    with using("sv"):
        scorecard = scorecard_chart(comparison())
        tradeoffs = tradeoffs_chart(comparison())
    assert scorecard.title == "Resultatkort: varje alternativ på varje mått"
    assert "Samordningsbehov som korsar enhetsgränser" in scorecard.svg
    assert scorecard.takeaway.startswith(
        "Slå ihop sälj och marknad, det rekommenderade alternativet, är bäst på 5 av de 10 mått"
    )
    assert tradeoffs.takeaway.startswith("Slå ihop sälj och marknad får 0,73 poäng")
    assert "vikt 2" in tradeoffs.svg


def test_both_charts_draw_the_demo() -> None:
    found = orglens.Workspace.open(ROOT / "examples" / "demo").compare()
    for name in ("scorecard", "tradeoffs"):
        chart = found.chart(name)
        assert 0 < chart.marks == drawn_marks(chart) <= 400
        assert view_width(chart) <= WIDTH
    tradeoffs = found.chart("tradeoffs")
    assert tradeoffs.table.rows[0][0] == "Merge sales, marketing and communications"
    assert tradeoffs.table.rows[0][-1] == "recommended"
