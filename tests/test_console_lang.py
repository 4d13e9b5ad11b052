"""The terminal tables in English and Swedish: `analyze` and `compare` take `--lang en|sv`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from orglens.cli import app
from orglens.console import render_analysis
from orglens.console_compare import render_comparison
from orglens.console_format import duration, label, local, money, num, pct, table
from orglens.i18n import LANGUAGES, catalogue, using
from orglens.model import FUNCTIONS, METRIC_GROUPS, Settings
from orglens.scenarios import BUILTIN_NAMES, METRICS
from orglens.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
NBSP = "\u00a0"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def rendered(draw: Any, data: dict[str, Any], *, lang: str, width: int = 200) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, markup=False, emoji=False, highlight=False)
    draw(data, console, lang=lang)
    return out.getvalue()


def tiny_analysis(**hr: Any) -> dict[str, Any]:
    """The dict of an analysis of a two-person company, ``hr`` overriding its hr lens."""
    return {
        "organization": "Tiny AB",
        "currency": "SEK",
        "level": 1,
        "warnings": [],
        "hr": {
            "headcount": 2,
            "people_cost": 1_234_567.0,
            "layers": 2,
            "span": {"mean": 1.5, "median": 1, "min": 1, "max": 2},
            "spans_out_of_range": 1,
            "discipline_fit": 0.5,
            "teams_out_of_range": 0,
            "managers": [
                {"id": "a", "name": "Ada", "unit": "sales", "span": 1, "archetype": "none"}
                | {"flag": "below range"}
            ],
            "units": [],
            "competences": [],
        }
        | hr,
        "budget": {"brand_share": 0.344, "brand_benchmark": 0.46, "units": []},
        "process": {"cross_unit_handoffs_per_case": 1.5, "handoffs_per_year": 1234.0},
        "customer": {"common_segment_model": False},
    }


def tiny_comparison() -> dict[str, Any]:
    """The dict of a comparison of today and one merger, the merger recommended."""
    metrics = [
        {"key": "coordination_cross_unit_share", "better": "lower"},
        {"key": "expected_handoff_wait_s", "better": "lower"},
    ]
    return {
        "level": 1,
        "metrics": metrics,
        "scenarios": [
            {"name": "status_quo", "metrics": {metrics[0]["key"]: 0.75, metrics[1]["key"]: 7200}},
            {"name": "my_design", "metrics": {metrics[0]["key"]: 0.25, metrics[1]["key"]: 90}},
        ],
        "recommendation": {
            "recommended": "my_design",
            "why": "(the advice's text)",
            "pareto": ["status_quo", "my_design"],
            "ranked": [
                {"name": "my_design", "score": 0.8, "on_pareto_front": True},
                {"name": "status_quo", "score": 0.25, "on_pareto_front": True},
            ],
            "flips": {
                "weights": [
                    {"group": "cost_of_change", "weight": 2.0, "flips_at": 4.5, "to": "status_quo"}
                ]
            }
            | {"thresholds": []},
        },
        "advice": [
            {"rule": "ceo_owns_journey", "verdict": "V", "because": "B", "counter": "C"}
            | {"conditions": ["X"], "borderline": True, "tipping_point": "T"}
        ],
    }


def test_swedish_numbers_in_the_tables_group_with_spaces_and_use_a_decimal_comma() -> None:
    with using("sv"):
        assert num(1234) == f"1{NBSP}234"
        assert num(5.8421) == "5,84"
        assert num(-2.5) == "\u22122,50"
        assert money(146_700_000) == "146,7 M"
        assert money(650_000) == "650 k"
        assert pct(0.747) == f"74,7{NBSP}%"
        assert duration(172_800) == "2,0 d"
        assert duration(4680) == "1,3 tim"
        assert num(True) == "ja"
    assert (num(1234), num(5.8421), money(146_700_000), pct(0.747)) == (
        "1 234",
        "5.84",
        "146.7 M",
        "74.7%",
    )
    assert (duration(172_800), duration(4680), num(True)) == ("2.0 d", "1.3 h", "yes")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_separators_of_its_numbers(lang: str) -> None:
    with using(lang):
        assert local("-1,234.5") != "-1,234.5"


def test_amounts_of_a_thousand_millions_group_like_every_other_number() -> None:
    assert money(1_234_500_000) == "1 234.5 M"
    with using("sv"):
        assert money(1_234_500_000) == f"1{NBSP}234,5 M"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_column_of_numbers_is_right_aligned_in_every_language(lang: str) -> None:
    with using(lang):
        found = table("T", ["name", "amount", "share"], [["a", 1234.5, pct(0.5)], ["b", 2, "–"]])
    assert [column.justify for column in found.columns] == ["left", "right", "right"]


def test_the_swedish_analysis_has_swedish_headings_labels_and_numbers() -> None:
    text = rendered(render_analysis, tiny_analysis(), lang="sv")
    for shown in (
        "Tiny AB — mätt på nivå 1",
        "HR-perspektivet",
        "Budgetperspektivet",
        "Processperspektivet",
        "Kundperspektivet",
        "antal medarbetare",
        "1,2 M SEK",
        "1,50 / 1 / 1 / 2",
        f"50,0{NBSP}%",
        "under intervallet",
        f"34,4{NBSP}% (riktmärke 46,0{NBSP}%)",
        f"1{NBSP}234",
        "en gemensam segmentmodell för alla kundnära enheter  nej",
    ):
        assert shown in text, shown
    for english in ("lens", "headcount", "below range", "benchmark", " no"):
        assert english not in text


def test_the_english_analysis_reads_as_it_always_has() -> None:
    text = rendered(render_analysis, tiny_analysis(), lang="en")
    for shown in ("Tiny AB — measured at level 1", "hr lens", "1.2 M SEK", "50.0%", "below range"):
        assert shown in text, shown


def test_the_swedish_comparison_names_designs_metrics_and_groups_in_words() -> None:
    text = rendered(render_comparison, tiny_comparison(), lang="sv")
    for shown in (
        "Rekommenderas: my_design",  # a design the user wrote keeps its name
        "Paretofronten: Som i dag, my_design",
        "andel av samordningen som går över enhetsgränser (lägre)",
        "förväntad väntetid vid överlämningar per ärende (lägre)",
        f"75,0{NBSP}%",
        "2,0 tim",
        "1,5 min",
        "0,80",
        "vikten för förändringskostnad 2 → 4,50 skulle ge Som i dag",
        "Därför: B",
        "Gäller inte om: X",
        "Motargument: C",
        "Gränsfall: T",
    ):
        assert shown in text, shown
    assert "status quo" not in text and "Recommended" not in text


def test_the_english_comparison_names_designs_by_their_ids() -> None:
    text = rendered(render_comparison, tiny_comparison(), lang="en")
    for shown in (
        "Recommended: my_design",
        "Pareto front: status_quo, my_design",
        "coordination cross unit share (lower)",
        "75.0%",
        "weight cost_of_change 2 → 4.50 would recommend status_quo",
        "Counter-argument: C",
    ):
        assert shown in text, shown


def test_swedish_metric_labels_show_whole_in_a_scorecard_of_120_columns() -> None:
    data = tiny_comparison()
    data["metrics"] = [{"key": metric.key, "better": metric.better} for metric in METRICS]
    names = [f"design_{i}" for i in range(7)]
    data["scenarios"] = [{"name": name, "metrics": {}} for name in names]
    data["recommendation"] = None
    text = rendered(render_comparison, data, lang="sv", width=120)
    with using("sv"):
        words = {word for m in METRICS for word in label("metric", m.key).split()}
    assert "…" not in text
    assert all(word in text for word in words)


def test_every_name_the_tables_put_in_words_has_its_words_in_every_language() -> None:
    settings = Settings()
    flags = [settings.span_flag(1), settings.span_flag(999)]
    values: dict[str, list[str]] = {
        "metric": [metric.key for metric in METRICS],
        "better": ["lower", "higher"],
        "design": list(BUILTIN_NAMES),
        "group": list(METRIC_GROUPS),
        "function": list(FUNCTIONS),
        "archetype": [a.name for a in settings.span_archetypes] + [settings.archetype_of(1)],
        "flag": [flag for flag in flags if flag is not None],
    }
    for lang in LANGUAGES:
        missing = [
            f"console.{kind}.{value}"
            for kind, names in values.items()
            for value in names
            if f"console.{kind}.{value}" not in catalogue(lang)
        ]
        assert missing == [], lang


def test_analyze_takes_lang_and_english_is_the_default(runner: CliRunner) -> None:
    default = runner.invoke(app, ["analyze", str(DEMO)], terminal_width=200)
    english = runner.invoke(app, ["analyze", str(DEMO), "--lang", "en"], terminal_width=200)
    swedish = runner.invoke(app, ["analyze", str(DEMO), "--lang", "sv"], terminal_width=200)
    assert default.exit_code == english.exit_code == swedish.exit_code == 0, swedish.output
    assert english.stdout == default.stdout
    assert "hr lens" in english.stdout and "HR-perspektivet" in swedish.stdout
    assert "146,7 M SEK" in swedish.stdout
    assert "@" not in swedish.stdout


def test_the_analysis_json_is_the_same_in_every_language(runner: CliRunner) -> None:
    outputs = [
        runner.invoke(app, ["analyze", str(DEMO), "-f", "json", "--lang", lang]).stdout
        for lang in LANGUAGES
    ]
    assert json.loads(outputs[0]) == json.loads(outputs[1])


def test_compare_json_in_swedish_is_the_swedish_comparison(runner: CliRunner) -> None:
    english = runner.invoke(app, ["compare", str(DEMO), "-f", "json"])
    swedish = runner.invoke(app, ["compare", str(DEMO), "-f", "json", "--lang", "sv"])
    assert english.exit_code == swedish.exit_code == 0, swedish.output
    found, expected = json.loads(swedish.stdout), json.loads(english.stdout)
    assert found == Workspace.open(DEMO).compare(lang="sv").to_dict()
    assert found["scenarios"] == expected["scenarios"]  # the keys and numbers stay
    assert found["recommendation"]["ranked"] == expected["recommendation"]["ranked"]
    assert [f["rule"] for f in found["advice"]] == [f["rule"] for f in expected["advice"]]


def test_compare_table_in_swedish_shows_the_scorecard_in_swedish(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(DEMO), "--lang", "sv"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for shown in (
        "Rekommendation",
        "Jämförelse (bästa värdet per rad i grönt)",
        "Råd",
        "Som i dag",
    ):
        assert shown in result.stdout, shown
    assert "Scorecard" not in result.stdout


@pytest.mark.parametrize("command", ["analyze", "compare"])
def test_an_unknown_language_is_one_clear_error_with_exit_2(
    runner: CliRunner, command: str
) -> None:
    result = runner.invoke(app, [command, str(DEMO), "--lang", "de"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'de' is not one of 'en', 'sv'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "nobody has a cost in people.csv"), ("sv", "ingen har en kostnad i people.csv")],
)
def test_a_company_whose_people_have_no_cost_shows_no_people_cost_instead_of_zero(
    lang: str, said: str
) -> None:
    """The Maven CRM workspace (no cost column) printed 'people cost  0 EUR'."""
    text = rendered(render_analysis, tiny_analysis(people_cost=0.0, people_with_cost=0), lang=lang)
    assert said in text
    assert "0 SEK" not in text
    costed = rendered(render_analysis, tiny_analysis(people_with_cost=2), lang=lang)
    assert said not in costed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tables_with_nothing_to_show_are_a_line_saying_why(lang: str) -> None:
    """The Maven CRM workspace (no cost, competences, budget or revenue) printed empty tables
    and a column of zeros."""
    text = rendered(render_analysis, tiny_analysis(people_with_cost=0), lang=lang)
    words = catalogue(lang)
    for key in ("hr.no_competences", "budget.no_units", "budget.no_streams"):
        assert words[f"console.{key}"] in text
    assert words["console.hr.competences"] not in text
    assert words["console.budget.streams"] not in text
    costed = tiny_analysis(
        people_with_cost=2,
        units=[{"unit": "sales", "headcount": 2, "total_headcount": 2, "total_people_cost": 9}],
    )
    heading = words["console.hr.unit_people_cost"].format(currency="SEK")
    assert heading in rendered(render_analysis, costed, lang=lang)
    uncosted = tiny_analysis(
        people_with_cost=0,
        units=[{"unit": "sales", "headcount": 2, "total_headcount": 2, "total_people_cost": 0}],
    )
    assert heading not in rendered(render_analysis, uncosted, lang=lang)
