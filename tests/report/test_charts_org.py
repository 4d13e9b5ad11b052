"""The HR charts (org chart, spans, layers) on tiny companies whose figures can be checked by
hand, on big generated ones (aggregated before drawing) and on the demo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import orglens
from orglens.i18n import using
from orglens.lenses import Analysis, analyze
from orglens.model import Organization, Person, Settings, SpanArchetype
from orglens.report import Chart
from orglens.report.charts_org import CHILDREN, LEVELS, design_org_chart, org_chart
from orglens.report.charts_spans import layers_chart, spans_chart
from orglens.report.draw_bars import WIDTH
from orglens.report.draw_tree import MORE, Box, Lane, Node, draw_tree, prune
from orglens.report.svg import WARN

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>"


def marks_in(chart: Chart) -> int:
    return len(re.findall(r'class="mark"', chart.svg))


def width_of(chart: Chart) -> float:
    found = re.search(r'viewBox="0 0 (\d+) (\d+)"', chart.svg)
    assert found is not None
    return float(found.group(1))


def workspace(folder: Path, people: list[str], units: list[str]) -> orglens.Workspace:
    (folder / "people.csv").write_text(
        "id,name,manager_id,unit\n" + "\n".join(people) + "\n", encoding="utf-8"
    )
    (folder / "units.csv").write_text(
        "id,name,parent,head\n" + "\n".join(units) + "\n", encoding="utf-8"
    )
    return orglens.Workspace.open(folder)


@pytest.fixture
def small(tmp_path: Path) -> orglens.Workspace:
    """Anna heads the company (Bo and Cecilia report to her); Bo heads Sales with Dan, Eva and
    Fia; Cecilia heads Marketing with Gun only (a span of 1, below the 3-15 range)."""
    return workspace(
        tmp_path,
        [
            "a,Anna,,top",
            "b,Bo,a,sales",
            "c,Cecilia,a,mkt",
            "d,Dan,b,sales",
            "e,Eva,b,sales",
            "f,Fia,b,sales",
            "g,Gun,c,mkt",
        ],
        ["top,Company,,a", "sales,Sales,top,b", "mkt,Marketing,top,c"],
    )


# -- the org chart ---------------------------------------------------------------------------


def test_org_chart_draws_one_box_per_unit_with_its_head_people_and_span(
    small: orglens.Workspace,
) -> None:
    chart = org_chart(small)
    assert chart.name == "org_today"
    assert chart.marks == marks_in(chart) == 3
    assert chart.table.rows == (
        ("Company", "", "Anna", "7", "2▼", "span outside 3–15"),
        ("Sales", "Company", "Bo", "4", "3", ""),
        ("Marketing", "Company", "Cecilia", "2", "1▼", "span outside 3–15"),
    )
    assert ">7 people<" in chart.svg and ">span 3<" in chart.svg
    assert width_of(chart) <= WIDTH


def test_a_span_out_of_range_is_marked_by_colour_and_by_a_marker(
    small: orglens.Workspace,
) -> None:
    chart = org_chart(small)
    assert ">span 1▼<" in chart.svg and ">span 2▼<" in chart.svg
    assert chart.svg.count(f'stroke="{WARN}"') == 2  # the boxes of Anna and Cecilia
    assert chart.takeaway == (
        "2 of 3 managers are outside the 3–15 span range: Anna (2) and Cecilia (1)."
    )


def test_org_chart_is_registered_for_the_workspace(small: orglens.Workspace) -> None:
    assert "org" in small.charts
    assert small.chart("org").table == org_chart(small).table


def test_names_from_the_data_are_shown_as_text_never_as_markup(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        [f"a,{HOSTILE},,top", "b,Bo,a,x"],
        ["top,Company,,a", f"x,{HOSTILE},top,b"],
    )
    for chart in (org_chart(ws), spans_chart(ws.analysis()), layers_chart(ws.analysis())):
        assert "<script>" not in chart.svg
        assert "<script>" not in chart.to_html()
    assert "&lt;script&gt;" in org_chart(ws).svg


def test_a_wide_tree_shows_its_biggest_units_and_one_box_for_the_rest(tmp_path: Path) -> None:
    # 30 units under the top: unit i has i + 1 people, so units 16..29 are the biggest
    people = ["ceo,Chief,,top"]
    units = ["top,Top,,ceo"]
    for i in range(30):
        units.append(f"u{i},Unit {i},top,h{i}")
        people.append(f"h{i},Head {i},ceo,u{i}")
        people += [f"p{i}_{j},P,h{i},u{i}" for j in range(i)]
    chart = org_chart(workspace(tmp_path, people, units))
    names = [row[0] for row in chart.table.rows]
    shown = CHILDREN - 1
    assert names[1 : 1 + shown] == [f"Unit {i}" for i in range(30 - shown, 30)]
    assert names[-1] == f"+{30 - shown} more units"
    assert chart.marks == marks_in(chart) == 1 + shown + 1
    assert f"{1 + shown} of 31 units shown" in chart.svg


def test_a_deep_tree_shows_three_levels_and_says_how_many_units_are_folded(
    tmp_path: Path,
) -> None:
    # a chain of units, each the parent of the next, five deep under the top
    people = ["p0,Boss,,u0"] + [f"p{i},Person {i},p{i - 1},u{i}" for i in range(1, 6)]
    units = ["u0,Level 0,,p0"] + [f"u{i},Level {i},u{i - 1},p{i}" for i in range(1, 6)]
    chart = org_chart(workspace(tmp_path, people, units))
    assert [row[0] for row in chart.table.rows] == [f"Level {i}" for i in range(LEVELS + 1)]
    assert chart.table.rows[-1][-1] == "span outside 3–15; +2 units not shown"
    assert ">+2 units · 3 people<" in chart.svg
    assert "4 of 6 units shown" in chart.svg


def test_a_big_company_stays_small_to_draw(tmp_path: Path) -> None:
    # 911 people: 10 departments of 10 teams (a lead and 8 people), under their heads
    people, units = ["ceo,CEO,,top"], ["top,Top,,ceo"]
    for d in range(10):
        units.append(f"d{d},Department {d},top,dh{d}")
        people.append(f"dh{d},Head {d},ceo,d{d}")
        for team in range(10):
            unit = f"d{d}t{team}"
            units.append(f"{unit},Team {d}.{team},d{d},{unit}h")
            people.append(f"{unit}h,Lead,dh{d},{unit}")
            people += [f"{unit}p{j},P,{unit}h,{unit}" for j in range(8)]
    ws = workspace(tmp_path, people, units)
    for chart in (org_chart(ws), spans_chart(ws.analysis()), layers_chart(ws.analysis())):
        assert chart.marks == marks_in(chart) <= 60
        assert len(chart.svg) < 60_000
    chart = org_chart(ws)
    # the teams of 3 departments fit in 40 rows (30 teams and 7 departments), the biggest first:
    # all weigh the same, so the first three
    opened = [row[1] for row in chart.table.rows if row[1].startswith("Department")]
    assert sorted(set(opened)) == ["Department 0", "Department 1", "Department 2"]
    assert len(chart.table.rows) == 1 + 10 + 30
    assert chart.table.rows[-1] == (
        "Department 9",
        "Top",
        "Head 9",
        "91",
        "10",
        "+10 units not shown",
    )
    assert "41 of 111 units shown" in chart.svg


def test_a_company_without_a_top_unit_is_drawn_under_its_name(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "id,name,manager_id,unit\nceo,Anna,,Management\ns,Bo,ceo,Sales\n", encoding="utf-8"
    )
    (tmp_path / "orglens.yaml").write_text("name: Acme\n", encoding="utf-8")
    chart = org_chart(orglens.Workspace.open(tmp_path))
    assert [row[:2] for row in chart.table.rows] == [
        ("Acme", ""),
        ("Management", "Acme"),
        ("Sales", "Acme"),
    ]


def test_org_chart_speaks_swedish(small: orglens.Workspace) -> None:
    with using("sv"):
        chart = org_chart(small)
    assert chart.title == "Organisationsschema i dag"
    assert chart.takeaway.startswith("2 av 3 chefer ligger utanför spannet 3–15: Anna (2)")
    assert ">7 personer<" in chart.svg and ">spann 3<" in chart.svg
    assert chart.table.header[0] == "Enhet"


# -- the tree's layout -----------------------------------------------------------------------


def test_prune_opens_no_deeper_level_while_a_unit_above_stays_closed() -> None:
    # a (big) has two children, one with a child; b has three children; 4 rows fit a's and
    # b's children only if... they do not: b stays closed, so a1's child is not opened either
    tree = Node(
        "top",
        (
            Node("a", (Node("a1", (Node("a11"),)), Node("a2"))),
            Node("b", (Node("b1"), Node("b2"), Node("b3"))),
        ),
    )
    weight = {"top": 10, "a": 6, "a1": 4, "a11": 2, "a2": 2, "b": 4, "b1": 1, "b2": 1, "b3": 1}
    shown = prune(tree, weight=weight, rows=4, levels=3)
    a, b = shown.children
    assert [child.key for child in a.children] == ["a1", "a2"]
    assert a.children[0].children == () and a.children[0].folded == 1
    assert b.children == () and b.folded == 3


def test_dotted_lines_are_dashed_lanes_with_a_dot_per_unit_of_their_people() -> None:
    tree = Node("top", (Node("chapter"), Node("pods", (Node("pod1"), Node("pod2")))))
    boxes = {key: Box(name=key, people="1 person") for key in ("top", "chapter", "pods")}
    boxes |= {key: Box(name=key, people="3 people") for key in ("pod1", "pod2")}
    lane = Lane("chapter", {"pod1": (2, "pod1: 2"), "pod2": (1, "pod2: 1")}, "chapter: 3")
    drawn = draw_tree(tree, boxes, [lane])
    markup = "".join(drawn.parts)
    assert drawn.marks == 5 + 1 + 2  # boxes, the lane, its two dots
    assert markup.count('class="mark"') == drawn.marks
    assert 'stroke-dasharray="4 3"' in markup
    assert ">2</text>" in markup and ">1</text>" in markup


def test_a_box_for_units_left_out_is_keyed_by_its_parent() -> None:
    tree = Node("top", tuple(Node(f"u{i}") for i in range(4)))
    shown = prune(tree, weight={f"u{i}": i for i in range(4)}, most=3)
    assert [child.key for child in shown.children] == ["u2", "u3", MORE + "top"]
    assert shown.children[-1].hidden == ("u0", "u1")


# -- spans -----------------------------------------------------------------------------------


def with_spans(spans: list[int], settings: Settings | None = None) -> Analysis:
    """A CEO over one manager per entry of ``spans``, each with that many direct reports."""
    people = [Person(id="ceo", name="Chief", unit="Top")]
    for i, span in enumerate(spans):
        people.append(Person(id=f"m{i}", name=f"Manager {i}", manager_id="ceo", unit=f"U{i}"))
        people += [Person(id=f"m{i}r{j}", manager_id=f"m{i}", unit=f"U{i}") for j in range(span)]
    return analyze(Organization(people=people, settings=settings or Settings()))


def test_spans_chart_counts_managers_per_span_and_per_band() -> None:
    # spans: Chief 4, managers 1, 4, 4 and 20
    chart = spans_chart(with_spans([1, 4, 4, 20]))
    # columns with managers (1, 4, 20) and the six bands' brackets
    assert chart.marks == marks_in(chart) == 3 + 6
    assert chart.table.rows == (
        ("1", "1", "20%", "1", "no archetype"),
        ("2–3", "0", "0%", "0", ""),
        ("4–7", "3", "60%", "0", "player/coach"),
        ("8–12", "0", "0%", "0", ""),
        ("13–16", "0", "0%", "0", ""),
        ("17+", "1", "20%", "1", "coordinator"),
    )
    assert chart.takeaway == (
        "2 of 5 managers are outside the 3–15 span range: Manager 3 (20) and Manager 0 (1)."
    )
    assert chart.svg.count('fill="url(#spans-out)"') == 2  # hatched, not by colour alone
    assert ">coach 6–7<" in chart.svg and "McKinsey" in chart.svg


def test_spans_chart_draws_the_archetypes_it_is_given() -> None:
    archetypes = (SpanArchetype(name="small", min=1, max=4), SpanArchetype(name="big", min=5))
    analysis = with_spans([2, 6], Settings(span_archetypes=archetypes))
    assert "coach" not in spans_chart(analysis).svg  # the managers disagree with the defaults
    drawn = spans_chart(analysis, archetypes=archetypes).svg
    assert ">small 1–4<" in drawn and ">big 5+<" in drawn


def test_spans_chart_without_managers_says_what_to_add() -> None:
    alone = analyze(Organization(people=[Person(id="a", unit="A")]))
    chart = spans_chart(alone)
    assert chart.marks == marks_in(chart) == 0
    assert "manager_id" in chart.takeaway and chart.table.rows == ()


def test_spans_chart_speaks_swedish() -> None:
    with using("sv"):
        chart = spans_chart(with_spans([1, 4, 4, 20]))
    assert chart.title == "Kontrollspann"
    assert chart.takeaway.startswith("2 av 5 chefer ligger utanför spannet 3–15")
    assert chart.table.rows[0] == ("1", "1", "20\u00a0%", "1", "ingen arketyp")


# -- layers ----------------------------------------------------------------------------------


def test_layers_chart_draws_people_and_managers_per_layer() -> None:
    # layer 1: Chief (span 3); layer 2: three managers (spans 2, 4, 6); layer 3: 12 people
    chart = layers_chart(with_spans([2, 4, 6]))
    assert chart.table.rows == (("1", "1", "1", "3"), ("2", "3", "3", "4"), ("3", "12", "0", ""))
    assert chart.marks == marks_in(chart) == 3 + 2
    assert chart.takeaway == (
        "3 layers; managers in layer 2 have the narrowest spans (4 direct reports on average)."
    )


def test_layers_chart_names_the_one_over_one_managers() -> None:
    org = Organization(
        people=[
            Person(id="ceo", name="Chief", unit="Top"),
            Person(id="vp", name="Vera", manager_id="ceo", unit="Top"),
            Person(id="m", name="Mo", manager_id="vp", unit="Top"),
            *(Person(id=f"p{i}", manager_id="m", unit="Top") for i in range(4)),
        ]
    )
    chart = layers_chart(analyze(org))
    assert chart.takeaway.startswith("4 layers; 2 managers are one over one")
    assert chart.takeaway.endswith(": Chief and Vera.")


def test_layers_chart_speaks_swedish() -> None:
    with using("sv"):
        chart = layers_chart(with_spans([2, 4, 6]))
    assert chart.table.header == ("Nivå", "Personer", "Chefer", "Snittspann")
    assert "nivå 2" in chart.takeaway and ">Nivå 1<" in chart.svg


# -- the demo --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> orglens.Workspace:
    return orglens.Workspace.open(ROOT / "examples" / "demo")


def test_every_hr_chart_draws_the_demo(demo: orglens.Workspace) -> None:
    analysis = demo.analysis()
    comparison = demo.compare()
    charts = [org_chart(demo), analysis.chart("spans"), analysis.chart("layers")]
    charts += [comparison.chart("org", scenario=s.name) for s in comparison.scenarios]
    for chart in charts:
        assert isinstance(chart, Chart)
        assert 0 < chart.marks == marks_in(chart) <= 400
        assert width_of(chart) <= WIDTH
        assert "@" not in chart.svg  # no e-mail address
    assert org_chart(demo).takeaway.startswith("2 of 25 managers are outside")


def test_the_pods_design_draws_dotted_lines_to_the_chapters(demo: orglens.Workspace) -> None:
    chart = design_org_chart(demo.compare(), scenario="journey_pods")
    assert chart.name == "org_journey_pods"
    assert chart.title == "Org chart: Pods along the customer journey"
    assert "keep a dotted line to 10 chapters" in chart.takeaway
    assert 'stroke-dasharray="4 3"' in chart.svg
    notes = {row[0]: row[-1] for row in chart.table.rows}
    assert notes["Sales Nordics"] == "chapter of 17 people in other units"
    assert notes["Pod interest"].startswith("dotted line to Demand Generation (7)")


def test_a_unit_tree_thousands_deep_is_drawn_without_recursion(tmp_path: Path) -> None:
    depth = 3000
    people = ["p0,Boss,,u0"] + [f"p{i},P{i},p{i - 1},u{i}" for i in range(1, depth)]
    units = ["u0,Level 0,,p0"] + [f"u{i},Level {i},u{i - 1},p{i}" for i in range(1, depth)]
    chart = org_chart(workspace(tmp_path, people, units))
    assert chart.marks == LEVELS + 1
    assert chart.table.rows[-1][-1].endswith(f"+{depth - LEVELS - 1:,} units not shown")
