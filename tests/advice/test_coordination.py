"""Rule 9: the coordination that stays cross-unit in every built-in design."""

from __future__ import annotations

from firms import company, finding

from orglens.model import CoordinationNeed

RULE = "coordination_beyond_merging"


def _needs(*pairs: tuple[str, str, float]) -> list[CoordinationNeed]:
    return [CoordinationNeed(source=s, target=t, weight=w) for s, t, w in pairs]


def test_coordination_with_hr_stays_cross_unit_in_every_design() -> None:
    # Sales-marketing (4) is internal once they merge; HR-sales (3, once by person id) and
    # HR-product (2) stay cross-unit whatever the design: 5 of 9.
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2), "hr": ("hr", 1), "prod": ("product", 2)},
        coordination=_needs(
            ("sales", "mkt", 4), ("hr", "sales", 2), ("hr0", "sales1", 1), ("prod", "hr", 2)
        ),
    )
    found = finding(org, RULE)
    assert found.triggered
    assert found.evidence["designs_checked"] == (
        "status_quo",
        "ceo_forum",
        "merge_sales_marketing",
    )
    assert found.evidence["cross_unit_weight"] == 9.0
    assert found.evidence["stays_cross_unit_weight"] == 5.0
    assert found.evidence["stays_cross_unit_share"] == 5 / 9
    assert found.evidence["stays_cross_unit"] == {"Hr – Sales": 3.0, "Hr – Prod": 2.0}
    assert "56% of today's cross-unit weight" in found.verdict
    assert "most of it Hr – Sales (3) and Hr – Prod (2)" in found.because


def test_coordination_a_merger_brings_in_house_is_no_finding() -> None:
    org = company(
        {"sales": ("sales", 3), "mkt": ("marketing", 2)},
        coordination=_needs(("sales", "mkt", 4), ("sales", "sales1", 1)),
    )
    found = finding(org, RULE)
    assert not found.triggered
    assert found.evidence["stays_cross_unit"] == {}
    assert found.evidence["cross_unit_weight"] == 4.0


def test_coordination_rule_says_what_is_missing() -> None:
    without_needs = finding(company({"sales": ("sales", 3), "mkt": ("marketing", 2)}), RULE)
    assert not without_needs.triggered
    assert without_needs.missing == ("coordination.csv: declared coordination needs",)
    without_designs = finding(
        company({"a": (None, 2), "b": (None, 2)}, coordination=_needs(("a", "b", 1))), RULE
    )
    assert not without_designs.triggered
    assert without_designs.missing
