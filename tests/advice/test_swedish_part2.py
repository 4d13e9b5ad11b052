"""Rules 5-8 and the recommendation speak Swedish in ``compare(lang="sv")``, English unchanged.

Rules 5 (brand vs activation), 6 (communications into marketing), 7 (accountability), 8 (one
segment model) and the recommendation (why, runner-up, Pareto front) word their texts through the
catalogue: whole Swedish sentences with Swedish numbers, ids (rules, metrics, settings, designs,
units, people) kept as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
from firms import company, finding, journey

import orglens
from orglens.advice import AdviceSettings, Finding, recommend
from orglens.i18n import using
from orglens.model import BudgetLine, RevenueStream
from orglens.scenarios import METRICS, ScenarioScore, Scorecard, dominance

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
RULES = (
    "brand_vs_activation",
    "communications_into_marketing",
    "accountability",
    "common_segments",
)
#: Words an English sentence can hardly do without; none of the demo's names holds them.
ENGLISH = (" the ", " and ", " would ", " of ", " is ", " to ", " with ", " or ")


@cache
def _compared(lang: str) -> dict[str, Any]:
    return orglens.Workspace.open(DEMO).compare(lang=lang).to_dict()


def _texts(found: Mapping[str, Any]) -> Iterator[str]:
    yield from (found["verdict"], found["because"], found["counter"], found["tipping_point"])
    yield from (*found["conditions"], *found["missing"])


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in f" {text} "]


def _demo_finding(rule: str, lang: str = "sv") -> dict[str, Any]:
    return next(f for f in _compared(lang)["advice"] if f["rule"] == rule)


@pytest.mark.parametrize("rule", RULES)
def test_the_demos_findings_of_rules_5_to_8_are_swedish_in_every_text(rule: str) -> None:
    texts = [text for text in _texts(_demo_finding(rule)) if text]
    assert texts
    assert {text: _english_in(text) for text in texts if _english_in(text)} == {}


def test_the_demos_brand_finding_reads_as_a_swedish_consultant_writes_it() -> None:
    found = _demo_finding("brand_vs_activation")
    assert found["verdict"].startswith(
        "Flytta budget mot varumärke (riktmärket är 46\u00a0% varumärke)"
    )
    assert "bygg poddar av säljare och marknadsförare" in found["verdict"]
    assert found["because"].startswith("Varumärket får 34\u00a0% av budgeten för varumärke")
    assert found["tipping_point"].startswith("Bedömningen vänder vid mode_share = 50\u00a0%")


def test_the_demos_communications_and_accountability_findings_are_swedish() -> None:
    comms = _demo_finding("communications_into_marketing")
    assert comms["verdict"] == (
        "Slå ihop kommunikation med marknad: de gör överlappande arbete för samma kunder."
    )
    assert comms["because"].endswith(
        "3 kundsegment (Enterprise, Mid-market och Public sector): 3 av 3 överlapp."
    )
    owner = _demo_finding("accountability")
    assert "26\u00a0% av budgeten tjänar en annan avdelnings resultat" in owner["because"]
    assert "ingen under vd:n äger processen från början till slut" in owner["because"]
    assert "de 7\u00a0830\u00a0000 SEK som tjänar" in owner["counter"]  # Swedish grouping


def test_the_demos_segment_finding_counts_in_swedish_singular_and_plural() -> None:
    found = _demo_finding("common_segments")
    assert found["verdict"].startswith(
        "Kom först överens om en gemensam segmentmodell för försäljning, marknad, kommunikation "
        "och produkt"
    )
    assert "1 segmentvärde som ingen har definierat (opinion-leaders)" in found["because"]
    assert "7 kundnära enheter anger inget kundsegment" in found["because"]
    assert "(Small business: saknar kommunikation och produkt)" in found["because"]


def test_the_demos_recommendation_is_swedish_with_decimal_commas() -> None:
    choice = _compared("sv")["recommendation"]
    assert choice["why"] == (
        "merge_sales_marketing_communications får 0,799 poäng mot 0,656 för "
        "merge_sales_marketing: bättre på överlämningar och väntetider "
        "(cross_unit_handoffs_per_case 0,00975 mot 1,21) och samordning "
        "(coordination_cross_unit_share 0,419 mot 0,494), men sämre på förändringskostnad "
        "(managers_changed 2 mot 1)."
    )
    assert choice["runner_up_why"].startswith("merge_sales_marketing får 0,656 poäng mot 0,799")
    for text in (choice["why"], choice["runner_up_why"]):
        assert _english_in(text) == []


def test_the_demo_in_english_reads_as_before_after_it_was_worded_in_swedish() -> None:
    _compared("sv")
    choice = _compared("en")["recommendation"]
    assert choice["why"].startswith(
        "merge_sales_marketing_communications scores 0.799 against 0.656 for "
        "merge_sales_marketing: better on handoffs and waits"
    )
    assert _demo_finding("accountability", "en")["counter"].startswith(
        "Budgets per function keep Lena Weber"
    )


# -- the other branches, on tiny companies ------------------------------------------------------


def _brand(brand: float) -> Finding:
    org = company(
        {"sales": ("sales", 3), "brand": ("marketing", 3), "demand": ("marketing", 3)},
        budget=[
            BudgetLine(id="b", unit="brand", amount=brand, horizon="brand"),
            BudgetLine(id="a", unit="demand", amount=100 - brand, horizon="activation"),
        ],
    )
    return finding(org, "brand_vs_activation")


def test_a_brand_share_near_the_tolerance_does_not_decide_in_swedish() -> None:
    with using("sv"):
        found, clear = _brand(41.2), _brand(20)
    assert found.verdict == (
        "Argumentet om varumärke mot aktivering avgör inte: en varumärkesandel 4,5–5,5 "
        "procentenheter under riktmärket på 46\u00a0% ligger för nära brand_tolerance för att "
        "motivera en omfördelning av budgeten."
    )
    assert clear.tipping_point.endswith(
        "en varumärkesandel på 41\u00a0% eller mer, eller en tolerans på 26 procentenheter, "
        "skulle ändra det."
    )
    assert clear.counter.startswith("Att flytta 26 EUR (26 procentenheter av budgeten")


def test_a_competence_overlap_near_its_threshold_does_not_decide_in_swedish() -> None:
    skills = ("skill0", "skill1", "skill2")
    org = company(
        {"mkt": ("marketing", 3), "comms": ("communications", 2), "sales": ("sales", 2)},
        traits={"mkt": {"competences": skills[:1]}, "comms": {"competences": skills}},
        journey=journey(("awareness", "mkt", 100), ("awareness", "comms", 100)),
    )
    with using("sv"):
        found = finding(
            org,
            "communications_into_marketing",
            settings=AdviceSettings(competence_overlap=0.35),
        )
    assert found.verdict == (
        "Om kommunikation ska slås ihop med marknad går inte att avgöra: det hänger på en "
        "kompetensöverlappning på 32\u00a0%–38\u00a0%, vid tröskeln competence_overlap på "
        "35\u00a0%."
    )
    assert found.tipping_point.endswith(
        "under 32\u00a0% överlappar kommunikation inte marknad tillräckligt, över 38\u00a0% gör "
        "den det."
    )
    assert found.counter == (
        "Comms (2 personer) kan tjäna målgrupper som marknad inte når (medarbetare, media, "
        "ägare); ingen deklarerad samordning visar hur mycket."
    )


def test_spend_near_its_threshold_does_not_decide_in_swedish() -> None:
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        budget=[
            BudgetLine(id="x", unit="mkt", amount=9.5, outcome_unit="sales"),
            BudgetLine(id="y", unit="mkt", amount=90.5),
        ],
        revenue=[RevenueStream(stream="new", unit="sales", amount=1000)],
        journey=journey(("lead", "mkt", 100), ("deal", "sales", 10)),
    )
    with using("sv"):
        found = finding(org, "accountability")
    assert found.verdict.startswith(
        "Vid 9\u00a0%–11\u00a0% av budgeten som tjänar en annan avdelnings resultat avgör inte "
        "ansvarsargumentet (spend_elsewhere_share = 10\u00a0%)"
    )
    assert found.tipping_point.endswith(
        "under 9\u00a0% är det inget skäl att agera, över 11\u00a0% krävs en ägare av hela "
        "processen."
    )


def _card(designs: Mapping[str, Mapping[str, float]]) -> Scorecard:
    """A scorecard of hand-written metrics (every other metric None)."""
    keys = [metric.key for metric in METRICS]
    metrics = {name: {key: values.get(key) for key in keys} for name, values in designs.items()}
    beaten = dominance(metrics)
    nothing = cast(Any, None)  # the designed organization and analysis are not used here
    return Scorecard(
        level=1,
        scenarios=tuple(
            ScenarioScore(name, "custom", "", metrics[name], beaten[name], (), nothing, nothing)
            for name in designs
        ),
    )


def test_the_pareto_front_says_in_swedish_why_a_design_is_left_out() -> None:
    card = _card(
        {
            "status_quo": {"escalation_distance": 4.0, "people_moved": 0, "layers": 3},
            "forum": {"escalation_distance": 3.0, "people_moved": 1, "layers": 3},
            "worse": {"escalation_distance": 5.0, "people_moved": 1, "layers": 3},
        }
    )
    with using("sv"):
        choice = recommend(card)
    assert choice.dominated == {
        "worse": "dominerad av status_quo (och av forum): sämre på escalation_distance och "
        "people_moved, lika på 1 återstående mått som jämförts"
    }
    assert choice.why == (
        "status_quo får 0,75 poäng mot 0,5 för forum: bättre på förändringskostnad "
        "(people_moved 0 mot 1), men sämre på eskalering (escalation_distance 4 mot 3)."
    )


def test_two_equal_designs_tie_in_swedish() -> None:
    card = _card({"a": {"layers": 3.0}, "b": {"layers": 3.0}})
    with using("sv"):
        choice = recommend(card)
    assert choice.why == (
        "a och b får samma poäng, 0: lika i varje måttgrupp som räknas; a står först."
    )
