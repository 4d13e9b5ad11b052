"""The advice as a whole: every rule, JSON-ready, its sources; the demo company's debate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from firms import company, journey, run
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import orglens
from orglens.advice import (
    RULES,
    SOURCES,
    THRESHOLD_SOURCES,
    Advice,
    AdviceSettings,
    Finding,
    advise,
)
from orglens.lenses import analyze
from orglens.model import BudgetLine, CoordinationNeed, Organization, Settings


def _org() -> Organization:
    return company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
        budget=[BudgetLine(id="b", unit="mkt", amount=10, horizon="brand", outcome_unit="sales")],
    )


def test_every_rule_gives_one_finding_in_the_order_of_the_debate() -> None:
    advice = run(_org())
    assert [f.rule for f in advice.findings] == list(RULES)
    assert len(RULES) == 9


def test_the_advice_is_json_ready_with_stable_keys() -> None:
    data = run(_org()).to_dict()
    assert set(data) == {"findings", "sources"}
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    for found in data["findings"]:
        assert list(found) == [
            "rule",
            "triggered",
            "verdict",
            "because",
            "evidence",
            "conditions",
            "counter",
            "missing",
            "sources",
            "margin",
            "borderline",
            "tipping_point",
        ]
        assert isinstance(found["triggered"], bool)
        assert found["verdict"].endswith(".")


def test_floats_are_rounded_and_tuples_become_lists() -> None:
    finding = Finding(
        rule="r",
        triggered=True,
        verdict="v.",
        because="b.",
        evidence={"share": 2 / 3, "units": ("a", "b"), "by": {"x": 1 / 3, "y": None}},
        conditions=("c",),
        counter="",
    )
    assert finding.to_dict()["evidence"] == {
        "share": 0.666667,
        "units": ["a", "b"],
        "by": {"x": 0.333333, "y": None},
    }


def test_the_advice_lists_exactly_the_sources_its_findings_cite() -> None:
    advice = run(_org())
    cited = {s for f in advice.findings for s in f.sources}
    assert [s.id for s in advice.sources] == list(
        dict.fromkeys(s for f in advice.findings for s in f.sources)
    )
    assert {s.id for s in advice.sources} == cited
    texts = {s.id: s.text for s in advice.sources}
    assert texts["brand_benchmark"].startswith("Binet & Field")


def test_a_workspace_benchmark_source_is_cited_as_written() -> None:
    org = _org().model_copy(
        update={"settings": Settings(brand_benchmark=0.6, brand_benchmark_source="Our board")}
    )
    texts = {s.id: s.text for s in run(org).sources}
    assert texts["brand_benchmark"] == "Our board"


def test_a_partial_scorecard_is_read_without_failing() -> None:
    card: dict[str, dict[str, float | None]] = {
        "status_quo": {"escalation_distance": None},
        "ceo_forum": {},
        "unknown_design": {"max_span": 3.0},
    }
    advice = run(_org(), card)
    assert len(advice.findings) == len(RULES)
    assert advice.finding("ceo_owns_journey").missing


def test_an_unknown_rule_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        run(_org()).finding("no_such_rule")


def test_the_triggered_findings_are_those_marked_so() -> None:
    advice = run(_org())
    assert advice.triggered == tuple(f for f in advice.findings if f.triggered)


def test_settings_refuse_unknown_keys_and_out_of_range_values() -> None:
    with pytest.raises(ValidationError):
        AdviceSettings(speed_to_lead=60)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        AdviceSettings(leakage_share=1.5)


def test_every_threshold_has_a_source_that_exists() -> None:
    assert set(THRESHOLD_SOURCES) == set(AdviceSettings.model_fields)
    assert set(THRESHOLD_SOURCES.values()) <= set(SOURCES)


# -- the demo company --------------------------------------------------------------------------


# No conftest.py here: this folder sorts before tests/conftest.py, and with --doctest-modules a
# conftest.py loaded first would clash with that one under the module name "conftest".
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(scope="module")
def demo_advice() -> Advice:
    demo = orglens.load(DEMO)
    return advise(demo, analyze(demo))


@pytest.mark.parametrize(
    "rule",
    [
        "marketing_sales_handoff",
        "ceo_owns_journey",
        "brand_vs_activation",
        "communications_into_marketing",
        "common_segments",
    ],
)
def test_the_demo_company_makes_the_debate_visible(demo_advice: Advice, rule: str) -> None:
    assert demo_advice.finding(rule).triggered


def test_the_demo_shows_the_numbers_behind_its_findings(demo_advice: Advice) -> None:
    handoff = demo_advice.finding("marketing_sales_handoff").evidence
    # 2000 + 300 marketing→sales and 600 sales→marketing a year, 2000 cases reach sales.
    assert handoff["declared_crossings_per_sales_case"] == pytest.approx(1.45)
    assert demo_advice.finding("ceo_owns_journey").evidence["journey_common_manager"] == (
        "Karin Nyström"
    )
    brand = demo_advice.finding("brand_vs_activation").evidence
    assert brand["brand_share"] == pytest.approx(0.34362, abs=1e-5)
    comms = demo_advice.finding("communications_into_marketing").evidence
    assert comms["shared_competences"] == ("brand", "content", "copywriting")
    segments = demo_advice.finding("common_segments").evidence
    assert segments["undefined_segments"] == ("opinion-leaders",)
    coordination = demo_advice.finding("coordination_beyond_merging")
    assert coordination.triggered
    assert "Marketing – Product" in coordination.evidence["stays_cross_unit"]  # type: ignore[operator]


def test_the_demo_advice_is_json_ready(demo_advice: Advice) -> None:
    json.dumps(demo_advice.to_dict(), allow_nan=False)


# -- any company -------------------------------------------------------------------------------

_FUNCTIONS = st.sampled_from(["sales", "marketing", "communications", "product", "hr", None])


@st.composite
def _companies(draw: st.DrawFn) -> Organization:
    """2-4 departments of random functions and sizes, with a random journey, coordination and
    spend over them."""
    names = ["d0", "d1", "d2", "d3"][: draw(st.integers(2, 4))]
    departments = {name: (draw(_FUNCTIONS), draw(st.integers(1, 18))) for name in names}
    units = st.sampled_from(names)
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(["a", "b"]), units, st.integers(1, 500).map(float)),
            max_size=5,
        )
    )
    pairs = draw(st.lists(st.tuples(units, units, st.integers(1, 5).map(float)), max_size=4))
    spend = draw(
        st.lists(st.tuples(units, units, st.sampled_from(["brand", "activation"])), max_size=3)
    )
    return company(
        departments,
        traits={
            n: {"work_mode": draw(st.sampled_from(["project", "process", None]))} for n in names
        },
        journey=journey(*steps),
        coordination=[CoordinationNeed(source=s, target=t, weight=w) for s, t, w in pairs],
        budget=[
            BudgetLine(id=f"b{i}", unit=u, outcome_unit=o, amount=10, horizon=h)
            for i, (u, o, h) in enumerate(spend)
        ],
    )


@settings(max_examples=40, deadline=None)
@given(_companies())
def test_any_company_gets_every_finding_as_json(org: Organization) -> None:
    advice = run(org)
    assert [f.rule for f in advice.findings] == list(RULES)
    json.dumps(advice.to_dict(), allow_nan=False)
    for found in advice.findings:
        assert found.verdict and found.because
        assert found.triggered or found.verdict.startswith(
            ("No finding", "Span is no reason", "Budgets per function are fine")
        )
