"""Rules 6 and 8 (communications into marketing, one segment model) on tiny companies."""

from __future__ import annotations

from typing import Any

from firms import company, finding, journey

from orglens.advice import AdviceSettings
from orglens.model import CoordinationNeed, Organization, Segment

# -- rule 6: communications into marketing -----------------------------------------------------


def _comms(competences: bool = True, segments: bool = True) -> Organization:
    """Marketing and communications both work in the awareness stage; with ``competences``
    they share "content" (1 of communications' 2 competences); with ``segments`` both serve
    SMB. Communications coordinates 1 with marketing and 3 with HR."""
    traits: dict[str, dict[str, Any]] = {
        "mkt": {"competences": ("brand", "content")},
        "comms": {"competences": ("content", "pr") if competences else ("pr",)},
    }
    if segments:
        traits["mkt"]["segments"] = traits["comms"]["segments"] = ("smb",)
    return company(
        {
            "mkt": ("marketing", 3),
            "comms": ("communications", 2),
            "sales": ("sales", 2),
            "hr": ("hr", 1),
        },
        traits=traits,
        segments=[Segment(id="smb", name="SMB", owner_unit="mkt")],
        journey=journey(
            ("awareness", "mkt", 1000), ("awareness", "comms", 1000), ("deal", "sales", 10)
        ),
        coordination=[
            CoordinationNeed(source="comms", target="mkt", weight=1),
            CoordinationNeed(source="hr", target="comms0", weight=3),
        ],
    )


def test_communications_overlapping_marketing_three_ways_should_merge_into_it() -> None:
    found = finding(_comms(), "communications_into_marketing")
    assert found.triggered
    assert found.verdict.startswith("Merge communications into marketing")
    assert found.evidence["shared_stages"] == ("awareness",)
    assert found.evidence["shared_competences"] == ("content",)
    assert found.evidence["competence_overlap"] == 0.5
    assert found.evidence["shared_segments"] == ("SMB",)
    assert found.evidence["overlap_kinds"] == 3
    assert found.evidence["coordination_with_marketing"] == 1.0
    assert found.evidence["coordination_elsewhere_share"] == 0.75
    assert "75% of its declared coordination is with Hr" in found.counter


def test_communications_sharing_only_a_stage_is_no_finding() -> None:
    found = finding(_comms(competences=False, segments=False), "communications_into_marketing")
    assert not found.triggered
    assert found.evidence["overlap_kinds"] == 1
    assert found.evidence["competence_overlap"] == 0.0


def test_how_many_overlaps_it_takes_is_a_setting() -> None:
    settings = AdviceSettings(overlap_kinds=1)
    org = _comms(competences=False, segments=False)
    assert finding(org, "communications_into_marketing", settings=settings).triggered


def test_the_scorecard_shows_what_the_merge_of_communications_changes() -> None:
    card = {
        "status_quo": {"coordination_cross_unit_share": 1.0},
        "merge_marketing_communications": {"coordination_cross_unit_share": 0.75},
    }
    found = finding(_comms(), "communications_into_marketing", scenarios=card)
    assert found.evidence["coordination_cross_unit_share"] == {
        "status_quo": 1.0,
        "merge_marketing_communications": 0.75,
    }


def test_communications_rule_says_what_is_missing_without_a_communications_unit() -> None:
    org = company({"mkt": ("marketing", 3), "sales": ("sales", 2)})
    found = finding(org, "communications_into_marketing")
    assert not found.triggered
    assert found.missing == ("units.csv: the function column (communications and marketing)",)


# -- rule 8: one segment model -----------------------------------------------------------------


def _segments(marketing_segments: tuple[str, ...], owner: str | None = "sales") -> Organization:
    return company(
        {"sales": ("sales", 2), "mkt": ("marketing", 2)},
        traits={"sales": {"segments": ("SMB",)}, "mkt": {"segments": marketing_segments}},
        segments=[Segment(id="smb", name="SMB", owner_unit=owner)],
    )


def test_segments_nobody_shares_call_for_one_segment_model_first() -> None:
    found = finding(_segments(("Small firms",)), "common_segments")
    assert found.triggered
    assert found.verdict.startswith("Agree one segment model across sales and marketing first")
    assert found.evidence["common_segment_model"] is False
    assert found.evidence["undefined_segments"] == ("Small firms",)
    assert found.evidence["segments_not_shared"] == {"SMB": ("marketing",)}
    assert "1 segment value nobody defined (Small firms)" in found.because


def test_a_segment_without_owner_calls_for_the_model_too() -> None:
    found = finding(_segments(("smb",), owner=None), "common_segments")
    assert found.triggered
    assert found.evidence["common_segment_model"] is True
    assert found.evidence["segments_without_owner"] == ("SMB",)


def test_shared_owned_segments_are_no_finding() -> None:
    found = finding(_segments(("smb",)), "common_segments")
    assert not found.triggered
    assert found.evidence["segments_not_shared"] == {}


def test_segments_rule_says_what_is_missing_without_segments_or_customer_functions() -> None:
    no_segments = finding(
        company({"sales": ("sales", 2), "mkt": ("marketing", 2)}), "common_segments"
    )
    assert not no_segments.triggered
    assert no_segments.missing[0].startswith("segments.csv")
    no_functions = finding(company({"hr": ("hr", 2)}), "common_segments")
    assert not no_functions.triggered
    assert no_functions.missing
