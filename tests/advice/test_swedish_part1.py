"""Rules 1-4 and 9 (size, span, handoff, journey owner, coordination) speak Swedish.

The English texts are held by the golden files and the other advice tests; here the same rules
run inside ``using("sv")`` on the demo and on tiny companies, and every text a person reads
must be Swedish, with Swedish numbers.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from firms import company, event_log, finding, journey

import orglens
from orglens.advice import Finding, advise
from orglens.i18n import using
from orglens.lenses import analyze
from orglens.model import (
    CoordinationNeed,
    EventSource,
    JourneyActivity,
    Organization,
    Person,
    Unit,
)
from orglens.scenarios import METRICS, ScenarioScore, Scorecard, dominance

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "orglens" / "i18n"
MINE = (
    "advice_common",
    "advice_handoff",
    "advice_journey_owner",
    "advice_structure",
    "advice_span",
    "advice_coordination",
)
RULES = (
    "go_to_market_size",
    "span_after_merge",
    "marketing_sales_handoff",
    "ceo_owns_journey",
    "coordination_beyond_merging",
)

#: Words an English sentence can hardly do without, and a Swedish one never uses.
ENGLISH = re.compile(
    r"\b(the|and|would|is|are|of|with|must|needs?|people|between|which|today|above|below)\b"
)
#: Names and ids the texts quote as they are (unit and person names, settings, scenarios).
QUOTED = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\bSales\b|\bMarketing\b")


#: A placeholder of a catalogue text: ``{needs}``.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(QUOTED.sub("", PLACEHOLDER.sub("", text)))


def texts(found: Finding) -> list[str]:
    return [
        found.verdict,
        found.because,
        found.counter,
        found.tipping_point,
        *found.conditions,
        *found.missing,
    ]


def assert_swedish(found: Finding) -> None:
    for text in texts(found):
        assert english_words(text) == [], f"{found.rule}: {text!r}"


@pytest.fixture(scope="module")
def demo() -> dict[str, dict[str, Finding]]:
    ws = orglens.Workspace.open(ROOT / "examples" / "demo")
    return {
        lang: {f.rule: f for f in ws.compare(lang=lang).advice.findings} for lang in ("en", "sv")
    }


# -- the demo --------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_every_demo_finding_of_these_rules_reads_in_swedish(
    demo: dict[str, dict[str, Finding]], rule: str
) -> None:
    found = demo["sv"][rule]
    assert_swedish(found)
    assert found.verdict and found.because


@pytest.mark.parametrize(
    ("rule", "phrase"),
    [
        ("go_to_market_size", "En gemensam chef för sälj och marknad fungerar kanske inte här"),
        ("span_after_merge", "Kontrollspannet är inget skäl att hålla isär funktionerna"),
        ("marketing_sales_handoff", "överlämningen från marknad till sälj måste ändras"),
        ("ceo_owns_journey", "Karin Nyström måste äga utformningen av kundresan"),
        ("coordination_beyond_merging", "Planera den samordning som ingen sammanslagning"),
    ],
)
def test_each_demo_verdict_says_it_as_a_swedish_consultant_would(
    demo: dict[str, dict[str, Finding]], rule: str, phrase: str
) -> None:
    assert phrase in demo["sv"][rule].verdict


def test_demo_numbers_use_a_decimal_comma_and_spaced_thousands(
    demo: dict[str, dict[str, Finding]],
) -> None:
    handoff, owner = demo["sv"]["marketing_sales_handoff"], demo["sv"]["ceo_owns_journey"]
    assert "1,45 (över 1)" in handoff.because
    assert "2\u00a0710 överlämningar" in handoff.because
    assert "4,2 dagar" in handoff.because
    assert "29\u00a0%" in handoff.because
    assert "2,53 nivåer med forum" in owner.verdict
    assert "forum_share_of_merger = 50\u00a0%" in owner.tipping_point
    assert "1.45" in demo["en"]["marketing_sales_handoff"].because


def test_the_language_changes_the_words_only(demo: dict[str, dict[str, Finding]]) -> None:
    for rule in RULES:
        english, swedish = demo["en"][rule], demo["sv"][rule]
        assert swedish.triggered == english.triggered
        assert swedish.evidence == english.evidence
        assert swedish.margin == english.margin
        assert swedish.sources == english.sources
        assert len(swedish.conditions) == len(english.conditions)
        assert swedish.verdict != english.verdict


# -- every branch, on tiny companies -----------------------------------------------------------

FUNNEL = journey(("lead", "mkt", 1000), ("deal", "sales", 100))
BACK_AND_FORTH = journey(
    ("lead", "mkt", 1000), ("deal", "sales", 100), ("deal", "mkt", 100), ("deal", "sales", 50)
)
WON = EventSource(path="log.csv", end_activities=("won",))
SLOW = [("form", "mkt1", 0), ("scored", "mkt1", 0.5), ("call", "sales1", 30), ("won", "sales1", 31)]
FAST = [
    ("form", "mkt1", 0),
    ("scored", "mkt1", 0.5),
    ("call", "sales1", 0.75),
    ("won", "sales1", 1),
]


def _small() -> Organization:
    return company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=FUNNEL)


def _split() -> Organization:
    return company(
        {"sales": ("sales", 1), "mkt": ("marketing", 10)},
        teams={"north": ("sales", 30), "south": ("sales", 25)},
        traits={"north": {"location": "Oslo"}, "south": {"location": "Lund"}},
    )


def _unsplit() -> Organization:
    return company(
        {"sales": ("sales", 1), "mkt": ("marketing", 10)},
        teams={"north": ("sales", 30), "south": ("sales", 25)},
    )


def _near() -> Organization:
    return company({"sales": ("sales", 30), "mkt": ("marketing", 18)})


def _no_marketing() -> Organization:
    return company({"sales": ("sales", 3), "mkt": (None, 2)}, journey=FUNNEL)


def _handoffs(steps: tuple[JourneyActivity, ...] = BACK_AND_FORTH) -> Organization:
    return company({"sales": ("sales", 3), "mkt": ("marketing", 2)}, journey=steps, events=WON)


def _tops() -> Organization:
    return Organization(
        people=[Person(id="s", unit="sales"), Person(id="m", unit="mkt")],
        units=[Unit(id="sales", function="sales"), Unit(id="mkt", function="marketing")],
        journey=FUNNEL,
    )


def _coordinated() -> Organization:
    needs = [("sales", "mkt", 4), ("hr", "sales", 2), ("prod", "hr", 2)]
    return company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2), "hr": ("hr", 1), "prod": ("product", 2)},
        coordination=[CoordinationNeed(source=s, target=t, weight=w) for s, t, w in needs],
    )


def _card(forum: float, merge: float) -> dict[str, dict[str, float | None]]:
    return {
        "status_quo": {"escalation_distance": 3.0, "cross_unit_handoffs_per_case": 1.0},
        "ceo_forum": {"escalation_distance": forum, "cross_unit_handoffs_per_case": 1.0},
        "merge_sales_marketing": {
            "escalation_distance": merge,
            "cross_unit_handoffs_per_case": 0.5,
        },
    }


CASES: dict[str, tuple[Callable[[], Organization], dict[str, Any]]] = {
    "small": (_small, {}),
    "split by region": (_split, {}),
    "not split": (_unsplit, {}),
    "near the size threshold": (_near, {}),
    "no marketing function": (_no_marketing, {}),
    "journey back and forth": (_handoffs, {}),
    "slow handoffs in the log": (_handoffs, {"events": [SLOW] * 4}),
    "fast handoffs in the log": (_handoffs, {"events": [FAST] * 4}),
    "leaky handoffs": (_handoffs, {"events": [FAST, FAST[:3]] * 2}),
    "no journey": (lambda: _handoffs(()), {}),
    "different tops": (_tops, {}),
    "forum achieves most": (_small, {"scenarios": _card(1.8, 1.0)}),
    "forum achieves little": (_small, {"scenarios": _card(2.8, 1.0)}),
    "forum beats the merger": (_small, {"scenarios": _card(1.0, 2.0)}),
    "forum near the threshold": (_small, {"scenarios": _card(2.0, 1.0)}),
    "merger does not shorten": (_small, {"scenarios": _card(2.5, 3.0)}),
    "coordination stays": (_coordinated, {}),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("rule", RULES)
def test_every_branch_of_these_rules_reads_in_swedish(case: str, rule: str) -> None:
    build, options = CASES[case]
    if "events" in options:
        options = {**options, "events": event_log(options["events"])}
    with using("sv"):
        found = finding(build(), rule, **options)
    assert_swedish(found)


def test_swedish_plurals_follow_the_count() -> None:
    with using("sv"):
        one = finding(_handoffs(journey(("lead", "mkt", 10), ("deal", "sales", 5))), RULES[2])
        three = finding(_handoffs(), RULES[2])
    assert "sälj 1 gång," in one.because
    assert "sälj 3 gånger," in three.because


# -- the shared wording: tipping points, missing functions, dominated designs ----------------


def test_a_tipping_point_and_a_missing_function_read_in_swedish() -> None:
    with using("sv"):
        small = finding(_small(), "go_to_market_size")
        missing = finding(_no_marketing(), "go_to_market_size")
    assert small.tipping_point == (
        "Bedömningen vänder vid small_go_to_market = 50 medarbetare; företaget har 5: 46 fler "
        "medarbetare i sälj och marknad, eller en tröskel på 4, skulle ändra det."
    )
    assert missing.verdict == (
        "Ingen slutsats: storleksargumentet kräver enheter taggade med funktionerna sales och "
        "marketing."
    )
    assert missing.missing == ("units.csv: kolumnen function (sales och marketing)",)


def _scored(org: Organization, metrics: Mapping[str, Mapping[str, float]]) -> Scorecard:
    """A scorecard with these metrics, its designs dominated as :func:`dominance` finds."""
    analysis, beaten = analyze(org), dominance(metrics)
    return Scorecard(
        level=1,
        scenarios=tuple(
            ScenarioScore(
                name=name,
                kind="",
                description="",
                metrics=values,
                dominated_by=beaten[name],
                warnings=(),
                organization=org,
                analysis=analysis,
            )
            for name, values in metrics.items()
        ),
    )


DOMINATED = {
    "status_quo": {"escalation_distance": 3.0, "managers_changed": 0.0},
    "ceo_forum": {"escalation_distance": 2.8, "managers_changed": 0.0},
    "merge_sales_marketing": {"escalation_distance": 3.0, "managers_changed": 1.0},
    "journey_pods": {"escalation_distance": 3.0, "managers_changed": 4.0},
    "segment_pods": {"escalation_distance": 3.0, "managers_changed": 5.0},
}


@pytest.mark.parametrize(
    ("rule", "build", "phrase"),
    [
        (
            "go_to_market_size",
            _small,
            "men resultatkortet visar att merge_sales_marketing domineras av status_quo och "
            "ceo_forum, är sämre än status_quo på byten av chef och lika på övriga mått: "
            "storleken i sig är inget skäl att slå ihop.",
        ),
        (
            "marketing_sales_handoff",
            _handoffs,
            "resultatkortet visar att varje design med sammanslagning eller poddar domineras",
        ),
        (
            "ceo_owns_journey",
            _small,
            "så ett chefsforum är det billigare steget.",
        ),
    ],
)
def test_a_dominated_design_is_named_with_swedish_metric_names(
    rule: str, build: Callable[[], Organization], phrase: str
) -> None:
    org = build()
    with using("sv"):
        found = advise(org, analyze(org), _scored(org, DOMINATED)).finding(rule)
    assert phrase in found.verdict
    assert_swedish(found)


def test_a_forum_short_of_a_dominated_merger_says_so_in_swedish() -> None:
    org = _small()
    metrics = {
        "status_quo": {"escalation_distance": 3.0, "managers_changed": 0.0},
        "ceo_forum": {"escalation_distance": 2.8, "managers_changed": 0.0},
        "merge_sales_marketing": {"escalation_distance": 1.0, "managers_changed": 1.0},
        "journey_pods": {"escalation_distance": 0.5, "managers_changed": 1.0},
    }
    with using("sv"):
        found = advise(org, analyze(org), _scored(org, metrics)).finding("ceo_owns_journey")
    assert found.verdict.endswith(
        "så det räcker inte på egen hand, även om resultatkortet visar att "
        "merge_sales_marketing domineras av journey_pods, är sämre än journey_pods på "
        "eskaleringsavstånd och lika på övriga mått."
    )
    assert "10\u00a0%" in found.verdict
    assert_swedish(found)


def test_every_scorecard_metric_has_a_name_in_each_language() -> None:
    for lang in ("en", "sv"):
        with (CATALOGUES / lang / "advice_common.toml").open("rb") as file:
            names = tomllib.load(file)["metric"]
        assert set(names) == {m.key for m in METRICS}
    with (CATALOGUES / "en" / "advice_common.toml").open("rb") as file:
        english = tomllib.load(file)["metric"]
    assert all(text == key.replace("_", " ") for key, text in english.items())


@pytest.mark.parametrize("name", MINE)
def test_no_swedish_text_of_these_catalogues_is_left_in_english(name: str) -> None:
    with (CATALOGUES / "sv" / f"{name}.toml").open("rb") as file:
        table = tomllib.load(file)
    flat = {
        f"{key}.{sub}" if isinstance(value, dict) else key: text
        for key, value in table.items()
        for sub, text in (value.items() if isinstance(value, dict) else [(None, value)])
    }
    assert {key: text for key, text in flat.items() if english_words(text)} == {}
