"""What the web workspace's pages show: an uploaded version opened with the scenarios written in
the browser (the upload never touched), the lenses, the comparison and the report, and cost
hiding for the role that may not see people's cost."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orglens.advice import RULES
from orglens.cli import app
from orglens.demo import write_demo
from orglens.errors import InvalidWorkspace, UsageError
from orglens.i18n import t, using
from orglens.model import Organization
from orglens.report.charts_budget import money
from orglens.report.document import report_html
from orglens.web.results import (
    cache_key,
    can_print_pdf,
    comparison,
    dashboard,
    design,
    open_version,
    report,
    validate_scenario,
)
from orglens.web.results_cost import COST_CHARTS, PEOPLE_COST_KEYS
from orglens.workspace import Workspace

GROWTH = (
    "description: The SDRs join demand generation\n"
    "operations:\n"
    "  - move: {role: Sales Development Representative, to: demand-gen}\n"
)
BAD = "description: a typo\noperations:\n  - move: {role: Sales Development Representative}\n"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo as ``orglens demo`` writes it, standing for an uploaded version's folder."""
    folder = tmp_path_factory.mktemp("data") / "v1"
    write_demo(folder)
    return folder


@pytest.fixture(scope="module")
def demo(upload: Path) -> Workspace:
    return open_version(upload)


@pytest.fixture(scope="module")
def grown(upload: Path) -> Workspace:
    return open_version(upload, {"growth": GROWTH})


# -- the version and its written scenarios -----------------------------------------------------


def test_a_version_without_written_scenarios_is_the_uploaded_folder_opened(
    upload: Path, demo: Workspace
) -> None:
    assert demo.path == upload
    assert demo.organization.name == "Nordljus Software AB"


def test_a_written_scenario_joins_the_comparison_and_the_upload_is_left_as_it_was(
    upload: Path,
) -> None:
    before = snapshot(upload)
    ws = open_version(upload, {"growth": GROWTH})
    growth = next(s for s in comparison(ws)["scenarios"] if s["name"] == "growth")
    assert growth["written"] is True
    assert growth["source"] == "scenarios/growth.yaml"
    assert growth["description"] == "The SDRs join demand generation"
    assert growth["target"] == "scenario:growth"
    assert ws.path != upload
    assert ws.organization.name == "Nordljus Software AB"  # named as the upload, not the copy
    assert snapshot(upload) == before
    assert not (upload / "scenarios").exists()


def test_the_scratch_copy_goes_with_the_workspace(upload: Path, tmp_path: Path) -> None:
    ws = open_version(upload, {"growth": GROWTH}, scratch=tmp_path)
    copy = ws.path
    assert copy.is_relative_to(tmp_path)
    assert (copy / "scenarios" / "growth.yaml").read_text(encoding="utf-8") == GROWTH
    # on the same file system the copy's files are the upload's, linked: nothing is copied
    assert (copy / "events.csv").stat().st_ino == (upload / "events.csv").stat().st_ino
    del ws
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_a_written_scenario_replaces_an_uploaded_file_of_its_name(
    upload: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "v2"
    shutil.copytree(upload, folder)
    (folder / "scenarios").mkdir()
    uploaded = "description: as uploaded\noperations:\n  - move: {people: [P004], to: marketing}\n"
    (folder / "scenarios" / "growth.yml").write_text(uploaded, encoding="utf-8")
    (folder / "scenarios" / "kept.yaml").write_text(uploaded, encoding="utf-8")
    ws = open_version(folder, {"growth": GROWTH})
    assert ws.scenario("growth").description == "The SDRs join demand generation"
    assert ws.scenario("kept").description == "as uploaded"
    assert (folder / "scenarios" / "growth.yml").read_text(encoding="utf-8") == uploaded


def test_a_zipped_workspace_folder_is_found_inside_its_version_folder(
    upload: Path, tmp_path: Path
) -> None:
    shutil.copytree(upload, tmp_path / "v3" / "nordljus")
    ws = open_version(tmp_path / "v3", {"growth": GROWTH})
    assert ws.path.name == "nordljus"
    assert ws.scenario("growth").description == "The SDRs join demand generation"
    assert open_version(tmp_path / "v3").path == tmp_path / "v3" / "nordljus"


def test_a_scenario_with_problems_gets_the_messages_of_orglens_validate(
    upload: Path, tmp_path: Path
) -> None:
    problems = validate_scenario(upload, "typo", BAD)
    assert [str(p) for p in problems] == [
        "scenarios/typo.yaml:3: scenario 'typo', operation 1 (move): to is missing — add to: ..."
    ]
    folder = tmp_path / "cli"
    shutil.copytree(upload, folder)
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "typo.yaml").write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [str(p) for p in problems]
    with pytest.raises(InvalidWorkspace) as raised:
        open_version(upload, {"typo": BAD})
    assert raised.value.problems == problems


def test_a_scenario_naming_a_unit_that_does_not_exist_is_a_problem_at_its_line(
    upload: Path,
) -> None:
    text = "operations:\n  - merge: {units: [sales, nowhere], name: Revenue}\n"
    [problem] = validate_scenario(upload, "revenue", text)
    assert (problem.file, problem.line) == ("scenarios/revenue.yaml", 2)
    assert "nowhere" in problem.what


def test_a_good_scenario_has_no_problem(upload: Path) -> None:
    assert validate_scenario(upload, "growth", GROWTH) == []


@pytest.mark.parametrize("name", ["../evil", "a/b", ".hidden", "a b", "", "status_quo", "x" * 65])
def test_a_scenario_name_that_cannot_be_a_file_name_is_refused_clearly(
    upload: Path, name: str
) -> None:
    [problem] = validate_scenario(upload, name, GROWTH)
    assert repr(name) in problem.what
    with pytest.raises(UsageError):
        open_version(upload, {name: GROWTH})
    assert not (upload.parent / "evil.yaml").exists()


def test_a_written_file_holds_the_one_scenario_of_its_name(upload: Path) -> None:
    [problem] = validate_scenario(upload, "growth", "name: other\n" + GROWTH)
    assert str(problem) == (
        "scenarios/growth.yaml:1: scenario 'other' is written in the scenario 'growth' — "
        "write one scenario here, named 'growth' (or leave name: out)"
    )


def test_an_empty_scenario_is_a_problem(upload: Path) -> None:
    [problem] = validate_scenario(upload, "growth", "  \n")
    assert str(problem).startswith("scenarios/growth.yaml:1: the scenario is empty")


def test_scenarios_written_for_a_workbook_version_are_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "book.xlsx").write_bytes(b"not read")
    with pytest.raises(UsageError, match="need a workspace folder"):
        open_version(tmp_path, {"growth": GROWTH})


# -- the pages ---------------------------------------------------------------------------------


def chart_names(html: str) -> list[str]:
    return re.findall(r'<figure class="chart" data-chart="([^"]+)"', html)


def section_html(page: str, section: str) -> str:
    found = re.search(rf'<section id="{section}">(.*?)</section>', page, re.S)
    assert found is not None
    return found[1]


def test_the_dashboard_shows_the_charts_of_the_reports_four_lens_sections(
    demo: Workspace,
) -> None:
    shown = dashboard(demo)
    page = report_html(demo)
    assert [lens["lens"] for lens in shown["lenses"]] == ["hr", "process", "budget", "customer"]
    for lens in shown["lenses"]:
        drawn = [chart["name"] for chart in lens["charts"]]
        assert drawn == chart_names(section_html(page, lens["section"]))
        assert chart_names("".join(chart["html"] for chart in lens["charts"])) == drawn
    assert shown["people"] == 147
    assert shown["analysis"]["hr"]["headcount"] == 147
    assert shown["events"] is not None and shown["events"]["cases"] > 0


def test_the_dashboard_in_swedish_has_the_reports_swedish_headings_and_charts(
    demo: Workspace,
) -> None:
    swedish, english = dashboard(demo, "sv"), dashboard(demo, "en")
    assert [lens["heading"] for lens in swedish["lenses"]] == [
        "Dagens organisation",
        "Kundresan",
        "Budget och ansvar",
        "Kunder och segment",
    ]
    with using("sv"):
        assert swedish["lenses"][0]["heading"] == t("report.today")
    titles = [c["title"] for lens in swedish["lenses"] for c in lens["charts"]]
    assert titles != [c["title"] for lens in english["lenses"] for c in lens["charts"]]
    assert '<html lang="sv">' in report(demo, "sv").decode("utf-8")


def test_every_result_is_json_and_reads_back_the_same(grown: Workspace) -> None:
    for lang in ("en", "sv"):
        for hide_cost in (False, True):
            for result in (
                dashboard(grown, lang, hide_cost),
                comparison(grown, lang, hide_cost),
                design(grown, "growth", lang, hide_cost),
            ):
                assert json.loads(json.dumps(result)) == result


def test_the_comparison_shows_the_recommendation_the_front_and_the_scorecard(
    grown: Workspace,
) -> None:
    shown = comparison(grown, "sv")
    computed = grown.compare(lang="sv").recommendation
    assert shown["recommendation"]["recommended"] == computed.recommended
    assert shown["recommendation"]["target"] == "recommendation"
    assert shown["recommendation"]["label"] == "Slå ihop sälj, marknad och kommunikation"
    assert "Rekommenderad" in shown["recommendation"]["html"]
    assert [entry["name"] for entry in shown["pareto"]] == list(computed.pareto)
    assert [entry["name"] for entry in shown["dominated"]] == list(computed.dominated)
    by_name = {s["name"]: s for s in shown["scenarios"]}
    assert by_name[computed.recommended]["status"] == "rekommenderas"
    assert by_name[computed.recommended]["rank"] == 1
    assert by_name["status_quo"]["written"] is False
    assert by_name["growth"]["shown"]["people_moved"] == "11"
    assert [c["name"] for c in shown["charts"]] == ["tradeoffs", "scorecard"]


def test_each_finding_has_a_stable_id_its_rule_in_every_language_and_version(
    demo: Workspace, grown: Workspace
) -> None:
    rules = list(RULES)
    for ws in (demo, grown):
        for lang in ("en", "sv"):
            findings = comparison(ws, lang)["findings"]
            assert [f["id"] for f in findings] == [f["rule"] for f in findings] == rules
            assert all(f["target"] == f"finding:{f['id']}" for f in findings)
            assert all(f'id="rule-{f["id"]}"' in f["html"] for f in findings)


def test_a_design_shows_its_score_and_the_organization_it_designs(grown: Workspace) -> None:
    shown = design(grown, "growth", "sv")
    assert shown["name"] == "growth"
    assert [chart["name"] for chart in shown["charts"]] == ["org_growth"]
    with pytest.raises(UsageError, match="no scenario named 'nothing'"):
        design(grown, "nothing")


def test_the_report_is_the_offline_html_page(demo: Workspace) -> None:
    page = report(demo, "en").decode("utf-8")
    assert page.startswith("<!doctype html>")
    assert chart_names(page) == chart_names(report_html(demo))
    with pytest.raises(UsageError, match="no report format 'docx'"):
        report(demo, "en", "docx")


def tiny(folder: Path) -> Workspace:
    folder.mkdir()
    (folder / "people.csv").write_text(
        "id,manager_id,unit\nceo,,Management\ns,ceo,Sales\nm,ceo,Marketing\n", encoding="utf-8"
    )
    return open_version(folder)


@pytest.mark.skipif(not can_print_pdf(), reason="no Chromium on this machine")
def test_the_report_prints_to_pdf_where_the_server_has_chromium(tmp_path: Path) -> None:
    assert report(tiny(tmp_path / "v1"), "sv", "pdf").startswith(b"%PDF-")


def test_without_chromium_the_pdf_is_refused_with_a_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("ORGLENS_CHROMIUM", raising=False)
    assert not can_print_pdf()
    with pytest.raises(UsageError, match="print it to PDF from your browser"):
        report(tiny(tmp_path / "v1"), "en", "pdf")


def test_the_cache_key_follows_the_written_scenarios_not_their_order() -> None:
    key = cache_key("comparison", "en", False, {"a": "x", "b": "y"})
    assert key == cache_key("comparison", "en", False, {"b": "y", "a": "x"})
    assert key.startswith("comparison:en:cost:")
    others = {
        cache_key("comparison", "en", False, {"a": "x", "b": "y "}),
        cache_key("comparison", "en", False, {"a": "x"}),
        cache_key("comparison", "sv", False, {"a": "x", "b": "y"}),
        cache_key("comparison", "en", True, {"a": "x", "b": "y"}),
        cache_key("dashboard", "en", False, {"a": "x", "b": "y"}),
    }
    assert key not in others and len(others) == 5
    assert cache_key("dashboard", "en", False) == cache_key("dashboard", "en", False, {})


# -- cost hiding -------------------------------------------------------------------------------


def people_cost_figures(org: Organization) -> set[float]:
    """Every person's cost, and per unit (own members, and with every unit below it) the sum
    of people's cost and that sum plus the unit's spend; the organization's totals. Computed
    here from the records, not by the lenses."""
    children: dict[str | None, list[str]] = {}
    for unit in org.units:
        children.setdefault(unit.parent, []).append(unit.id)
    own = {u.id: sum(p.cost for p in org.people if p.unit == u.id) for u in org.units}
    spend = {u.id: sum(b.amount for b in org.budget if b.unit == u.id) for u in org.units}

    def below(unit: str) -> Iterator[str]:
        yield unit
        for child in children.get(unit, []):
            yield from below(child)

    figures = {p.cost for p in org.people}
    for unit in org.units:
        people = sum(own[u] for u in below(unit.id))
        figures |= {own[unit.id], people, own[unit.id] + spend[unit.id]}
        figures.add(people + sum(spend[u] for u in below(unit.id)))
    total = sum(p.cost for p in org.people)
    figures |= {total, total + sum(b.amount for b in org.budget)}
    return {round(f, 2) for f in figures if f >= 1000}  # a sum of 0 says nothing


def spend_and_revenue_figures(org: Organization) -> set[float]:
    """The amounts of budget lines and revenue streams (and their sums per unit): figures a
    cost may equal by chance, shown for what they are."""
    amounts = [b.amount for b in org.budget] + [r.amount for r in org.revenue]
    for unit in org.units:
        amounts.append(sum(b.amount for b in org.budget if b.unit == unit.id))
        amounts.append(sum(r.amount for r in org.revenue if r.unit == unit.id))
    return {round(a, 2) for a in amounts}


def numbers(data: Any) -> Iterator[float]:
    if isinstance(data, dict):
        for value in data.values():
            yield from numbers(value)
    elif isinstance(data, list):
        for value in data:
            yield from numbers(value)
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield round(float(data), 2)


def texts(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from texts(value)
    elif isinstance(data, str):
        yield data


#: A whole number as a text writes it: bare, or grouped in English (1,234,567) or in Swedish
#: (1 234 567, with no-break spaces); the longest run of digits and groups is one number.
WRITTEN_NUMBER = re.compile("\\d+(?:[,\u00a0]\\d{3})*")


def written_numbers(text: str) -> set[float]:
    """Every whole number ``text`` writes (``'SEK 3,400,000 and 12'`` → 3400000 and 12)."""
    return {
        float(found.replace(",", "").replace("\u00a0", ""))
        for found in WRITTEN_NUMBER.findall(text)
    }


def leaked(result: Any, figures: set[float]) -> set[float]:
    """The ``figures`` that a result (JSON-ready data, or a page) shows."""
    if isinstance(result, bytes):
        return figures & written_numbers(result.decode("utf-8"))
    return figures & (set(numbers(result)) | written_numbers("\n".join(texts(result))))


def every_result(ws: Workspace, hide_cost: bool) -> Iterator[Any]:
    for lang in ("en", "sv"):
        yield dashboard(ws, lang, hide_cost)
        yield comparison(ws, lang, hide_cost)
        yield design(ws, "growth", lang, hide_cost)
        yield report(ws, lang, "html", hide_cost)


def test_hide_cost_shows_none_of_the_demos_people_cost_nor_a_units_sum_of_it(
    grown: Workspace,
) -> None:
    org = grown.organization
    coinciding = people_cost_figures(org) & spend_and_revenue_figures(org)
    figures = people_cost_figures(org) - coinciding
    assert len(coinciding) < 20 < len(figures)  # the test checks most of the demo's figures
    assert 3_400_000 in figures  # the CEO's cost
    for result in every_result(grown, hide_cost=True):
        assert leaked(result, figures) == set()


def test_without_hide_cost_the_units_sums_of_people_cost_are_shown(grown: Workspace) -> None:
    hr = dashboard(grown)["analysis"]["hr"]
    total = sum(p.cost for p in grown.organization.people)
    assert hr["people_cost"] == total
    sums = {unit["total_people_cost"] for unit in hr["units"]}
    assert sums <= people_cost_figures(grown.organization) | {0.0}
    assert leaked(dashboard(grown), people_cost_figures(grown.organization)) >= {
        round(total, 2),
        3_400_000 + 640_000,  # the management unit's own two people
    }


def test_hide_cost_removes_only_the_people_cost_keys_and_keeps_the_cost_of_change(
    grown: Workspace,
) -> None:
    full, hidden = dashboard(grown), dashboard(grown, hide_cost=True)
    assert set(full["analysis"]["budget"]) - set(hidden["analysis"]["budget"]) == {
        "people_cost",
        "cost",
    }
    assert set(full["analysis"]["hr"]) - set(hidden["analysis"]["hr"]) == {"people_cost"}
    assert set(full["analysis"]["budget"]["units"][0]) - set(
        hidden["analysis"]["budget"]["units"][0]
    ) == {"people_cost", "cost", "total_people_cost", "total_cost"}
    assert hidden["analysis"]["budget"]["spend"] == full["analysis"]["budget"]["spend"]
    shown, redacted = comparison(grown, "en"), comparison(grown, "en", hide_cost=True)
    assert redacted["recommendation"] == shown["recommendation"]
    costs = [s["metrics"]["first_year_cost"] for s in redacted["scenarios"]]
    assert costs == [s["metrics"]["first_year_cost"] for s in shown["scenarios"]]
    assert any(cost for cost in costs)
    assert "first_year_cost" in {m["key"] for m in redacted["metrics"]}
    assert not PEOPLE_COST_KEYS & set(re.findall(r'"(\w+)":', json.dumps(redacted)))


@pytest.fixture(scope="module")
def distinct(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo with every person's cost made distinct and far from a round figure."""
    folder = tmp_path_factory.mktemp("distinct") / "v1"
    write_demo(folder)
    with (folder / "people.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for index, row in enumerate(rows):
        row["cost"] = str(int(row["cost"]) + 1_009 + 37 * index)
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return open_version(folder, {"growth": GROWTH})


def test_no_chart_of_the_report_shows_people_cost_unless_it_is_a_cost_chart(
    distinct: Workspace,
) -> None:
    figures = people_cost_figures(distinct.organization)
    analysis, compared = distinct.analysis(), distinct.compare()
    for lang in ("en", "sv"):
        with using(lang):
            drawn = [distinct.chart("org")]
            drawn += [analysis.chart(name) for name in analysis.charts]
            drawn += [compared.chart(name) for name in compared.charts if name != "org"]
            drawn += [compared.chart("org", scenario=s.name) for s in compared.scenarios]
            for chart in drawn:
                if chart.name not in COST_CHARTS:
                    assert leaked(chart.to_html().encode(), figures) == set(), chart.name


def test_hide_cost_shows_no_distinct_cost_anywhere_while_the_full_view_does(
    distinct: Workspace,
) -> None:
    figures = people_cost_figures(distinct.organization)
    for result in every_result(distinct, hide_cost=True):
        assert leaked(result, figures) == set()
    org = distinct.organization
    total = sum(p.cost for p in org.people)
    with using("en"):
        compact = money(total, org.currency)
    assert compact not in report(distinct, "en", "html", True).decode("utf-8")
    assert round(total, 2) in leaked(dashboard(distinct), figures)


# -- real data ---------------------------------------------------------------------------------


def read_matrix(path: Path) -> list[list[int]]:
    with path.open(encoding="utf-8") as handle:
        return [[int(cell) for cell in row] for row in csv.reader(handle)]


def merged(department: str) -> str:
    """Departments 1 and 2 as one."""
    return "1+2" if department in ("1", "2") else department


@pytest.mark.realdata
def test_a_real_organization_opens_with_a_written_merge_in_swedish(
    shared_data: Path, tmp_path: Path
) -> None:
    """Krackhardt's 21 high-tech managers (reports-to tree, departments, advice ties) uploaded,
    with a merge of two departments written in the browser."""
    source = shared_data / "orgs" / "krackhardt_hightech"
    reports_to = read_matrix(source / "krackhardt_reports_to_adj.csv")
    advice = read_matrix(source / "krackhardt_advice_adj.csv")
    with (source / "krackhardt_attributes.csv").open(encoding="utf-8") as handle:
        dept = {row["id"]: row["dept"] for row in csv.DictReader(handle)}
    people = ["id,name,manager_id,unit"]
    for ego, row in enumerate(reports_to, start=1):
        managers = "".join(str(alter) for alter, tie in enumerate(row, start=1) if tie)
        people.append(f"{ego},Manager {ego},{managers},d{dept[str(ego)]}")
    units = ["id,name,parent,head", "d0,Executive office,,7"]
    units += [f"d{d},Department {d},d0," for d in "1234"]
    pairs = [
        (ego, alter)
        for ego, row in enumerate(advice, start=1)
        for alter, tie in enumerate(row, start=1)
        if tie
    ]
    ties = ["source,target,weight,kind", *(f"{ego},{alter},1,advice" for ego, alter in pairs)]
    folder = tmp_path / "v1"
    folder.mkdir()
    for name, lines in (("people.csv", people), ("units.csv", units), ("coordination.csv", ties)):
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(folder)
    merge = "operations:\n  - merge: {units: [d1, d2], name: Departments 1 and 2}\n"
    assert validate_scenario(folder, "merge_1_2", merge) == []

    ws = open_version(folder, {"merge_1_2": merge})
    lenses = dashboard(ws, "sv", hide_cost=True)
    assert lenses["people"] == 21
    assert lenses["lenses"][0]["heading"] == "Dagens organisation"
    assert "people_cost" not in lenses["analysis"]["hr"]
    shown = comparison(ws, "sv", hide_cost=True)
    by_name = {s["name"]: s for s in shown["scenarios"]}
    assert by_name["merge_1_2"]["written"] and not by_name["status_quo"]["written"]
    # the advice ties between departments 1 and 2 no longer cross units
    crossing = {
        name: sum(1 for i, j in pairs if name(dept[str(i)]) != name(dept[str(j)])) / len(pairs)
        for name in (str, merged)
    }
    assert by_name["status_quo"]["metrics"]["coordination_cross_unit_share"] == pytest.approx(
        crossing[str], abs=1e-6
    )
    assert by_name["merge_1_2"]["metrics"]["coordination_cross_unit_share"] == pytest.approx(
        crossing[merged], abs=1e-6
    )
    assert shown["recommendation"]["recommended"] in {s["name"] for s in shown["scenarios"]}
    assert report(ws, "sv", "html", True).startswith(b"<!doctype html>")
    assert snapshot(folder) == before
