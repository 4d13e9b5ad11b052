"""The budget and customer charts on tiny companies whose figures can be checked by hand."""

from __future__ import annotations

import re
from pathlib import Path

import orglens
from orglens.i18n import using
from orglens.lenses import Analysis, analyze
from orglens.model import BudgetLine, Organization, Person, RevenueStream, Segment, Unit
from orglens.report import Chart
from orglens.report.charts_budget import brand_chart, money
from orglens.report.charts_customer import MAX_UNIT_COLUMNS, segments_chart
from orglens.report.charts_ownership import TOP_SPEND, ownership_chart
from orglens.report.draw_bars import WIDTH

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>"


def company(
    *,
    marketing: str = "Marketing",
    cmo: str = "Maja",
    budget: tuple[BudgetLine, ...] | None = None,
    segments: bool = True,
) -> Organization:
    """Cecilia over Maja (marketing) and Sven (sales, with Sam). Marketing spends 30 on brand and
    70 on activation for Sales' result; Sales spends 100 of its own; Sales earns 500 from SMB."""
    lines = (
        BudgetLine(id="L1", unit="Mkt", amount=30, horizon="brand"),
        BudgetLine(id="L2", unit="Mkt", amount=70, horizon="activation", outcome_unit="Sales"),
        BudgetLine(id="L3", unit="Sales", amount=100),
    )
    return Organization(
        people=[
            Person(id="ceo", name="Cecilia", unit="Co"),
            Person(id="cmo", name=cmo, manager_id="ceo", unit="Mkt", segments=("SMB", "ent")),
            Person(id="cso", name="Sven", manager_id="ceo", unit="Sales", segments=("Public",)),
            Person(id="s1", name="Sam", manager_id="cso", unit="Sales", segments=("SMB",)),
        ],
        units=[
            Unit(id="Co", name="Company", head="ceo"),
            Unit(id="Mkt", name=marketing, parent="Co", function="marketing", head="cmo"),
            Unit(id="Sales", name="Sales", parent="Co", function="sales", head="cso"),
        ],
        budget=lines if budget is None else budget,
        revenue=[RevenueStream(stream="New business", unit="Sales", amount=500, segment="SMB")],
        segments=(
            [
                Segment(id="smb", name="SMB", owner_unit="Sales"),
                Segment(id="ent", name="Enterprise"),
            ]
            if segments
            else []
        ),
        currency="EUR",
    )


def drawn_marks(chart: Chart) -> int:
    return chart.svg.count('class="mark"')


def view_width(chart: Chart) -> float:
    found = re.search(r'viewBox="0 0 (\d+) \d+"', chart.svg)
    assert found is not None
    return float(found.group(1))


def test_money_is_short_in_each_language() -> None:
    assert money(4_120_000, "SEK") == "SEK 4.12M"
    assert money(70, "EUR") == "EUR 70"
    with using("sv"):
        assert money(4_120_000, "SEK") == "4,12 MSEK"
        assert money(120_000, "SEK") == "120 TSEK"


def test_brand_chart_shows_the_split_against_the_benchmark_and_its_source() -> None:
    analysis = analyze(company())
    chart = brand_chart(analysis)
    assert chart.takeaway == (
        "Brand gets 30% of marketing spend (EUR 30), 16 points below the B2B benchmark of 46%."
    )
    assert chart.marks == drawn_marks(chart) == 4  # brand and activation, yours and the benchmark
    assert "Binet &amp; Field" in chart.svg  # the source is drawn under the bars
    assert chart.table.rows[0] == ("Brand (long-term)", "30", "30%", "46%")
    assert chart.table.rows[1] == ("Activation (short-term)", "70", "70%", "54%")
    assert chart.table.rows[2][:2] == ("Other (neither brand nor activation)", "100")
    assert chart.table.rows[3][1] == analysis.budget.brand_benchmark_source
    assert view_width(chart) <= WIDTH


def test_brand_chart_says_what_is_missing_without_a_budget_or_a_horizon() -> None:
    no_budget = brand_chart(analyze(company(budget=())))
    assert no_budget.marks == drawn_marks(no_budget) == 0
    assert no_budget.takeaway.startswith("No budget.csv: add one")
    assert no_budget.table.rows == ()
    only_other = (BudgetLine(id="x", unit="Sales", amount=10),)
    unmarked = brand_chart(analyze(company(budget=only_other)))
    assert unmarked.marks == 0
    assert "horizon" in unmarked.takeaway


def test_ownership_chart_marks_spend_only_the_top_owns_with_its_result() -> None:
    chart = ownership_chart(analyze(company()))
    # Marketing's 70 serve Sales' result: only Cecilia, at the top, owns both; 70 of 200 = 35%.
    assert chart.takeaway == (
        "35% of spend pays for another department's result; for EUR 70 of it the only manager "
        "owning both the spend and its result is Cecilia (top)."
    )
    assert chart.marks == drawn_marks(chart) == 4  # one revenue unit, three pairs of units
    assert "Marketing → Sales" in chart.svg
    assert chart.svg.index("Marketing → Sales") < chart.svg.index(">Marketing<")  # top first
    rows = {row[0]: row for row in chart.table.rows}
    assert rows["New business · Sales · SMB"][1:] == (
        "revenue",
        "500",
        "Sales",
        "Cecilia (top)",  # Sales and the Marketing spend serving it meet at the top
    )
    assert rows["L2 · Marketing"][1:] == (
        "spend on another unit's result, owned together only at the top",
        "70",
        "Sales",
        "Cecilia (top)",
    )
    assert rows["L1 · Marketing"][1] == "spend on its own unit's result"
    assert rows["L3 · Sales"][4] == "Sven (layer 2)"


def test_ownership_chart_groups_many_spend_lines_into_the_largest_pairs_and_the_rest() -> None:
    units = [Unit(id="Co", head="ceo")] + [
        Unit(id=f"u{i}", parent="Co", head=f"p{i}") for i in range(40)
    ]
    people = [Person(id="ceo", unit="Co")] + [
        Person(id=f"p{i}", manager_id="ceo", unit=f"u{i}") for i in range(40)
    ]
    budget = [
        BudgetLine(id=f"b{i}", unit=f"u{i % 40}", amount=i + 1, outcome_unit=f"u{(i + 1) % 40}")
        for i in range(400)
    ]
    chart = ownership_chart(analyze(Organization(people=people, units=units, budget=budget)))
    assert chart.marks == drawn_marks(chart) == TOP_SPEND + 1  # the 40 pairs: 15 and the rest
    assert "25 smaller pairs of units" in chart.svg
    assert len(chart.table.rows) == 400  # the table keeps every line


def test_segments_chart_shows_who_serves_each_segment_and_who_owns_it() -> None:
    chart = segments_chart(analyze(company()))
    assert chart.takeaway == (
        "1 of 2 segments are served by more than one department, and Enterprise has no owner; "
        "customer-facing units do not share one segment model."
    )
    # SMB: Marketing and Sales (its owner); Enterprise: Marketing; "Public" (undefined): Sales.
    assert chart.marks == drawn_marks(chart) == 4
    assert chart.svg.count("★") == 2  # the legend and Sales' cell in the SMB row
    assert "Public (not in segments.csv): used by Sales" in chart.svg
    assert chart.table.rows == (
        ("SMB", "Sales", "Marketing, Sales", "2: Marketing, Sales"),
        ("Enterprise", "no owner", "Marketing", "1: Marketing"),
        ("Public (not defined)", "–", "Sales", "–"),
    )


def test_segments_chart_turns_to_departments_when_many_units_serve() -> None:
    teams = MAX_UNIT_COLUMNS + 6
    units = [Unit(id="Co"), Unit(id="Sales", parent="Co"), Unit(id="Mkt", parent="Co")] + [
        Unit(id=f"t{i}", parent="Sales" if i % 2 else "Mkt") for i in range(teams)
    ]
    people = [Person(id=f"p{i}", unit=f"t{i}", segments=("A",)) for i in range(teams)]
    org = Organization(people=people, units=units, segments=[Segment(id="A", name="A")])
    chart = segments_chart(analyze(org))
    assert chart.marks == drawn_marks(chart) == 2  # A: the Mkt and Sales departments
    assert f"{teams} units serve segments: the columns are their departments." in chart.svg


def test_segments_chart_says_what_is_missing_without_segments() -> None:
    org = company(segments=False)
    bare = Organization(people=[p.model_copy(update={"segments": ()}) for p in org.people])
    chart = segments_chart(analyze(bare))
    assert chart.marks == 0
    assert chart.takeaway.startswith("No segments.csv")


def test_a_hostile_name_is_shown_as_text_never_as_markup() -> None:
    analysis = analyze(company(marketing=HOSTILE, cmo=HOSTILE))
    for chart in (brand_chart(analysis), ownership_chart(analysis), segments_chart(analysis)):
        assert "<script" not in chart.svg
        assert "<script" not in chart.to_html()
    assert "&lt;script&gt;" in ownership_chart(analysis).svg
    assert "&lt;script&gt;" in segments_chart(analysis).svg


def test_the_charts_speak_swedish() -> None:
    analysis = analyze(company())
    with using("sv"):
        brand = brand_chart(analysis)
        owners = ownership_chart(analysis)
        segments = segments_chart(analysis)
    assert brand.takeaway == (
        "Varumärket får 30\u00a0% av marknadsbudgeten (30 EUR), 16 procentenheter under "
        "B2B-riktmärket på 46\u00a0%."
    )
    assert owners.takeaway.startswith("35\u00a0% av budgeten betalar för en annan avdelnings")
    assert "Cecilia (högsta chef)" in owners.takeaway
    assert segments.takeaway.startswith("1 av 2 segment bearbetas av mer än en avdelning")
    assert "ingen ägare" in segments.svg
    assert brand.title == "Varumärke kontra aktivering"


def test_every_chart_draws_the_demo() -> None:
    analysis = orglens.Workspace.open(ROOT / "examples" / "demo").analysis()
    assert isinstance(analysis, Analysis)
    for name in ("brand", "ownership", "segments"):
        chart = analysis.chart(name)
        assert isinstance(chart, Chart)
        assert 0 < chart.marks == drawn_marks(chart) <= 400
        assert view_width(chart) <= WIDTH
        assert chart.table.rows
    assert "Karin Nyström (top)" in analysis.chart("ownership").takeaway
