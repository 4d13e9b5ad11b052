"""The process charts on tiny organizations whose figures can be checked by hand."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

import orglens
from orglens.engine import connect
from orglens.errors import UsageError
from orglens.i18n import using
from orglens.lenses import Analysis, analyze
from orglens.model import CoordinationNeed, JourneyActivity, Organization, Person, Unit
from orglens.report import Chart
from orglens.report.charts_funnel import MAX_BARS, funnel_chart
from orglens.report.charts_journey import MAX_ARCS, MAX_LANES, MAX_ROWS, journey_chart
from orglens.report.charts_process import MAX_UNITS, coordination_chart, handoffs_chart
from orglens.report.draw_matrix import seriate

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>"

Step = tuple[float, str, str, str, float]  # order, stage, activity, unit, volume a year


def company(
    journey: Sequence[Step] = (),
    coordination: Sequence[tuple[str, str, float]] = (),
    sales: str = "Sales",
) -> Organization:
    """A CEO over marketing, sales and customer success (one person each)."""
    return Organization(
        people=[
            Person(id="ceo", name="Cleo", unit="Company"),
            Person(id="mia", name="Mia", manager_id="ceo", unit="Marketing"),
            Person(id="sam", name="Sam", manager_id="ceo", unit=sales),
            Person(id="cai", name="Cai", manager_id="ceo", unit="Success"),
        ],
        units=[
            Unit(id="Company", name="Company"),
            Unit(id="Marketing", name="Marketing", parent="Company"),
            Unit(id=sales, name=sales, parent="Company"),
            Unit(id="Success", name="Customer success", parent="Company"),
        ],
        journey=[
            JourneyActivity(order=o, stage=s, activity=a, unit=u, volume_per_year=v)
            for o, s, a, u, v in journey
        ],
        coordination=[CoordinationNeed(source=a, target=b, weight=w) for a, b, w in coordination],
    )


FUNNEL: list[Step] = [
    (1, "Lead", "Campaign", "Marketing", 1000),
    (2, "Deal", "Demo", "Sales", 200),
    (3, "Deal", "Close", "Sales", 50),
    (4, "Onboarding", "Kick-off", "Success", 40),
]


def marks_in(chart: Chart) -> int:
    return chart.svg.count('class="mark"')


def shown(chart: Chart) -> str:
    """The drawing's text as a reader sees it: lines joined, markup left out."""
    return " ".join(" ".join(re.findall(r">([^<]+)<", chart.svg)).split())


def log(events: Sequence[tuple[str, str, int, str | None]]) -> pa.Table:
    """Events ``(case, activity, minutes after the start, resource)``."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return pa.table(
        {
            "case_id": [e[0] for e in events],
            "activity": [e[1] for e in events],
            "timestamp": pa.array(
                [start + timedelta(minutes=e[2]) for e in events], pa.timestamp("us", tz="UTC")
            ),
            "resource": [e[3] for e in events],
            "group": pa.array([None] * len(events), pa.string()),
            "position": list(range(len(events))),
        }
    )


# Two cases: marketing hands both to sales (after 60 minutes and a day); one goes on to success.
HISTORY = [
    ("c1", "Campaign", 0, "mia"),
    ("c1", "Demo", 60, "sam"),
    ("c1", "Close", 90, "sam"),
    ("c1", "Kick-off", 210, "cai"),
    ("c2", "Campaign", 0, "mia"),
    ("c2", "Demo", 1440, "sam"),
]


def observed(org: Organization) -> Analysis:
    return analyze(org, events=connect().read_events(log(HISTORY)))


# -- the declared journey --------------------------------------------------------------------


def test_the_declared_journey_draws_a_row_per_activity_and_a_line_per_step() -> None:
    chart = journey_chart(analyze(company(FUNNEL)))
    # 4 activities and 3 steps between them; marketing → sales (200) and sales → success (40)
    # cross units, sales → sales does not.
    assert chart.marks == marks_in(chart) == 4 + 3
    assert "200/yr" in chart.svg and "40/yr" in chart.svg and "50/yr" not in chart.svg
    assert chart.takeaway == (
        "A case is handed between units 0.24 times on the declared journey (2 of 3 steps "
        "cross a unit line); the largest handoff is Marketing → Sales, 200 a year."
    )
    assert chart.table.rows == (
        ("Campaign", "Lead", "Marketing", "1,000", ""),
        ("Demo", "Deal", "Sales", "200", "from Marketing: 200 a year"),
        ("Close", "Deal", "Sales", "50", ""),
        ("Kick-off", "Onboarding", "Customer success", "40", "from Sales: 40 a year"),
    )


def test_the_labelled_handoffs_add_up_to_the_lens_handoff_matrix() -> None:
    steps: list[Step] = [
        (1, "Lead", "Ad", "Marketing", 900),
        (2, "Lead", "Call", "Sales", 300),
        (3, "Lead", "Nurture", "Marketing", 250),
        (4, "Deal", "Demo", "Sales", 100),
    ]
    analysis = analyze(company(steps))
    labels = [
        int(n.replace(",", "")) for n in re.findall(r">([\d,]+)/yr<", journey_chart(analysis).svg)
    ]
    assert analysis.process.handoffs is not None
    matrix = analysis.process.handoffs.matrix
    assert sorted(labels) == sorted([300, 250, 100])
    assert sum(labels) == sum(v for row in matrix.values() for v in row.values()) == 650


def test_a_long_journey_over_many_units_is_folded_into_at_most_the_limits() -> None:
    units = [f"U{n:02d}" for n in range(20)]
    people = [Person(id="ceo", unit="Top")] + [
        Person(id=f"p{u}", manager_id="ceo", unit=u) for u in units
    ]
    journey = [
        JourneyActivity(
            order=n,
            stage=f"Stage {n // 8}",
            activity=f"Activity {n}",
            unit=units[(n * 7) % 20],
            volume_per_year=1000 - n,
        )
        for n in range(60)
    ]
    org = Organization(
        people=people,
        units=[Unit(id="Top", name="Top")] + [Unit(id=u, name=u, parent="Top") for u in units],
        journey=journey,
    )
    chart = journey_chart(analyze(org))
    lanes = chart.svg.count('height="5"')  # the colour bar under each lane's header
    assert lanes == MAX_LANES
    assert "other units" in chart.svg
    assert "activities are grouped into dashed rows" in shown(chart)
    assert chart.marks == marks_in(chart) <= MAX_ROWS + MAX_ROWS * 2
    assert len(chart.table.rows) == 60  # the table keeps every activity


# -- the observed journey --------------------------------------------------------------------


def test_the_observed_journey_labels_each_handoff_with_its_count_and_waits() -> None:
    chart = journey_chart(observed(company(FUNNEL)))
    # three units, two handoffs: Marketing → Sales (2, waits 60 minutes and a day), Sales →
    # Success (1, two hours)
    assert chart.marks == marks_in(chart) == 3 + 2
    assert chart.table.rows == (
        ("Marketing → Sales", "2", "12 h", "23 h"),
        ("Sales → Customer success", "1", "2 h", "2 h"),
    )
    # the waits: median (60 + 1,440) / 2 minutes, p95 60 + 0.95 × 1,380 minutes
    assert ">2 handoffs<" in chart.svg and ">wait 12 h (p95 23 h)<" in chart.svg
    assert chart.takeaway.startswith("A case is handed between units 1.5 times; a handoff waits")


def test_auto_shows_the_declared_journey_without_events_and_the_observed_with_them() -> None:
    assert journey_chart(analyze(company(FUNNEL))).title == "The customer journey: who does what"
    found = observed(company(FUNNEL))
    assert journey_chart(found).title.startswith("The customer journey in the event log")
    assert journey_chart(found, source="declared").marks == 7


def test_an_unknown_source_is_a_usage_error_that_names_the_choices() -> None:
    with pytest.raises(UsageError, match="auto, declared, observed"):
        journey_chart(analyze(company(FUNNEL)), source="mined")


def test_a_log_over_many_units_draws_at_most_the_largest_arcs() -> None:
    units = [f"U{n:02d}" for n in range(15)]
    org = Organization(
        people=[Person(id="ceo", unit="Top")]
        + [Person(id=f"p{u}", manager_id="ceo", unit=u) for u in units],
        units=[Unit(id="Top", name="Top")] + [Unit(id=u, name=u, parent="Top") for u in units],
    )
    events = [
        (f"c{a}-{b}", "work", minute, f"p{unit}")
        for a in range(15)
        for b in range(15)
        if a != b
        for minute, unit in ((0, units[a]), (30, units[b]))
    ]
    analysis = analyze(org, events=connect().read_events(log(events)))
    chart = journey_chart(analysis)
    assert chart.marks == marks_in(chart) <= 8 + MAX_ARCS
    assert "smaller handoffs are in the data table only" in shown(chart)
    assert "other units" in chart.svg


# -- the funnel ------------------------------------------------------------------------------


def test_the_declared_funnel_shows_the_volume_entering_each_stage_and_the_largest_drop() -> None:
    chart = funnel_chart(analyze(company(FUNNEL)))
    assert chart.marks == marks_in(chart) == 3
    # Lead 1,000 → Deal 200 (80% lost) → Onboarding 40 (80% lost): the first one is named.
    assert chart.table.rows == (
        ("Lead", "1,000", ""),
        ("Deal", "200", "80%"),
        ("Onboarding", "40", "80%"),
    )
    assert chart.takeaway == (
        "The largest drop-off is between Lead and Deal: 80% of the declared volume goes no further."
    )


def test_the_observed_funnel_follows_the_journey_stages_in_the_log() -> None:
    chart = funnel_chart(observed(company(FUNNEL)))
    # Lead 2 cases → Deal 2 → Onboarding 1: half the cases in Deal never get onboarded.
    assert chart.marks == marks_in(chart) == 3
    assert [row[:5] for row in chart.table.rows] == [
        ("Lead", "2", "100%", "", ""),
        ("Deal", "2", "100%", "100%", "0%"),
        ("Onboarding", "1", "50%", "50%", "50%"),
    ]
    assert chart.takeaway == (
        "The largest drop-off is between Deal and Onboarding: 50% of the cases that reach Deal "
        "never reach Onboarding."
    )
    assert "50% drop off" in chart.svg


# -- the matrices ----------------------------------------------------------------------------


def test_the_observed_handoff_matrix_puts_within_unit_steps_on_a_dashed_diagonal() -> None:
    chart = handoffs_chart(observed(company(FUNNEL)))
    # cells: Marketing → Sales 2, Sales → Success 1, and Sales → Sales 1 (Demo → Close)
    assert chart.marks == marks_in(chart) == 3
    assert chart.table.rows == (
        ("Marketing", "Sales", "2", "between units"),
        ("Sales", "Sales", "1", "within a unit"),
        ("Sales", "Customer success", "1", "between units"),
    )
    assert chart.svg.count('stroke-dasharray="3 2"') == 2  # the diagonal cell and its legend
    assert chart.takeaway == (
        "Marketing → Sales carries 67% of the 3 handoffs between units in the event log: the "
        "handoff to look at first."
    )


def test_the_coordination_matrix_orders_units_so_that_clusters_sit_together() -> None:
    org = company(
        coordination=[
            ("mia", "Success", 5),
            ("sam", "Company", 4),
            ("Success", "mia", 1),
            ("Marketing", "Marketing", 2),
        ]
    )
    chart = coordination_chart(analyze(org))
    assert chart.marks == marks_in(chart) == 4
    assert [row[:3] for row in chart.table.rows] == [
        ("Marketing", "Customer success", "5"),
        ("Sales", "Company", "4"),
        ("Marketing", "Marketing", "2"),
        ("Customer success", "Marketing", "1"),
    ]
    # Marketing and Customer success need each other, and so do Sales and Company: each pair
    # sits side by side.
    order = re.findall(r'text-anchor="end" font-size="11" fill="#1f2328">([^<]+)<', chart.svg)
    assert sorted(order) == ["Company", "Customer success", "Marketing", "Sales"]
    assert abs(order.index("Marketing") - order.index("Customer success")) == 1
    assert abs(order.index("Sales") - order.index("Company")) == 1
    assert chart.takeaway == (
        "83% of the declared coordination crosses unit lines; the heaviest need is Marketing → "
        "Customer success (5)."
    )


def test_seriation_keeps_two_separate_pairs_side_by_side_and_is_deterministic() -> None:
    ties = {("a", "c"): 5.0, ("b", "d"): 4.0, ("d", "b"): 1.0}
    assert seriate(["a", "b", "c", "d"], ties) == ("a", "c", "b", "d")
    assert seriate(["d", "c", "b", "a"], ties) == seriate(["d", "c", "b", "a"], ties)
    assert seriate([], {}) == ()


def test_a_matrix_of_many_units_keeps_the_largest_and_folds_the_rest_into_other() -> None:
    units = [f"U{n:02d}" for n in range(30)]
    org = Organization(
        people=[Person(id="ceo", unit="Top")]
        + [Person(id=f"p{u}", manager_id="ceo", unit=u) for u in units],
        units=[Unit(id="Top", name="Top")] + [Unit(id=u, name=u, parent="Top") for u in units],
        coordination=[
            CoordinationNeed(source=a, target=b, weight=1 + (i * j) % 7)
            for i, a in enumerate(units)
            for j, b in enumerate(units)
        ],
    )
    chart = coordination_chart(analyze(org))
    assert chart.marks == marks_in(chart) <= MAX_UNITS * MAX_UNITS
    assert "Smaller units are shown as “other”" in shown(chart)
    assert any(row[3] == "between the smaller units" for row in chart.table.rows)


# -- every chart -----------------------------------------------------------------------------


BUILDERS = ("journey", "funnel", "handoffs", "coordination")


@pytest.mark.parametrize("name", BUILDERS)
def test_an_empty_organization_gets_a_chart_that_says_what_to_add(name: str) -> None:
    chart = analyze(company()).chart(name)
    assert isinstance(chart, Chart)
    assert chart.marks == marks_in(chart) == 0
    assert chart.takeaway.split(":")[0] in {
        "No customer journey",
        "No journey and no event log",
        "No coordination needs",
    }
    assert chart.takeaway in chart.svg


@pytest.mark.parametrize("name", BUILDERS)
def test_a_unit_named_like_markup_is_shown_as_text(name: str) -> None:
    journey = [
        (o, HOSTILE if s == "Deal" else s, a, HOSTILE if u == "Sales" else u, v)
        for o, s, a, u, v in FUNNEL
    ]
    org = company(journey, coordination=[("mia", HOSTILE, 3)], sales=HOSTILE)
    for analysis in (analyze(org), observed(org)):
        chart = analysis.chart(name)
        html = chart.to_html()
        assert "<script>" not in html
        assert "&lt;script&gt;" in chart.svg


@pytest.mark.parametrize("name", BUILDERS)
def test_the_charts_speak_swedish(name: str) -> None:
    org = company(FUNNEL, coordination=[("mia", "Sales", 3)])
    with using("sv"):
        chart = observed(org).chart(name)
    assert chart.title in {
        "Kundresan i händelseloggen: överlämningar mellan enheter",
        "Tratten och var ärendena faller bort",
        "Överlämningar mellan enheter",
        "Samordningsbehov mellan enheter",
    }
    english = journey_chart(analyze(org)).takeaway
    assert chart.takeaway != english
    assert " the " not in chart.takeaway


def test_swedish_numbers_group_with_spaces_in_the_drawing_and_the_table() -> None:
    with using("sv"):
        chart = journey_chart(analyze(company(FUNNEL)))
    assert chart.takeaway.startswith("Ett ärende lämnas över mellan enheter 0,24 gånger")
    assert "1\u00a0000" in chart.svg and "200/år" in chart.svg
    assert chart.table.header[0] == "Aktivitet"


@pytest.fixture(scope="module")
def demo() -> Analysis:
    return orglens.Workspace.open(ROOT / "examples" / "demo").analysis()


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("journey", {"source": "declared"}),
        ("journey", {"source": "observed"}),
        ("funnel", {}),
        ("handoffs", {"source": "declared"}),
        ("handoffs", {"source": "observed"}),
        ("coordination", {}),
    ],
)
def test_every_chart_draws_the_demo_within_the_column_and_the_mark_budget(
    demo: Analysis, name: str, options: dict[str, str]
) -> None:
    for lang in ("en", "sv"):
        with using(lang):
            chart = demo.chart(name, **options)
        assert isinstance(chart, Chart)
        assert 0 < chart.marks == marks_in(chart) <= 400
        width = float(re.search(r'viewBox="0 0 (\d+)', chart.svg).group(1))  # type: ignore[union-attr]
        assert width <= 760
        assert chart.table.rows and chart.takeaway.endswith(".")
        assert "@" not in chart.svg


def test_a_funnel_of_many_stages_draws_the_largest_and_keeps_every_stage_in_the_table() -> None:
    journey: list[Step] = [
        (n, f"Stage {n}", f"Activity {n}", "Marketing", 1000 - 10 * n) for n in range(30)
    ]
    chart = funnel_chart(analyze(company(journey)))
    assert chart.marks == marks_in(chart) == MAX_BARS
    assert "14 smaller stages are not drawn." in shown(chart)
    assert len(chart.table.rows) == 30
