"""Thresholds of the advice rules (pure data, read from ``advice:`` in orglens.yaml), each with
the source its default comes from.

Two kinds of default sit here. Some come from published work (Dunbar's group layers, the
lead-response study of Oldroyd, McElheran & Elkington); the others are conventions of orglens,
chosen so that a rule fires on a clear signal, and say so in their source. The span range and the
brand benchmark are not here: they are workspace settings (:class:`orglens.model.Settings`) that
the lenses already use, and the advice reads them from there.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SOURCES", "THRESHOLD_SOURCES", "AdviceSettings"]

#: Every source an advice may cite, by id. ``brand_benchmark`` is added per workspace from its
#: settings (``brand_benchmark_source``), since a workspace may set its own benchmark.
SOURCES: dict[str, str] = {
    "dunbar_layers": (
        "Dunbar, 'Coevolution of neocortical size, group size and language in humans', "
        "Behavioral and Brain Sciences 16 (1993); Zhou, Sornette, Hill & Dunbar, 'Discrete "
        "hierarchical organization of social group sizes', Proc. R. Soc. B 272 (2005): "
        "group layers of about 5, 15, 50 and 150 people"
    ),
    "mckinsey_spans": (
        "'How to identify the right \"spans of control\" for your organization', "
        "McKinsey & Company (2017): five manager archetypes, from "
        "player/coach (3-5 direct reports) to coordinator (15 or more)"
    ),
    "oldroyd_2011": (
        "Oldroyd, McElheran & Elkington, 'The Short Life of Online Sales Leads', Harvard "
        "Business Review (March 2011): firms that tried to contact a lead within an hour were "
        "nearly seven times as likely to qualify it as those that tried an hour later, and more "
        "than 60 times as likely as those that waited 24 hours or longer"
    ),
    "binet_field_2013": (
        "Binet & Field, 'The Long and the Short of It: Balancing Short and Long-Term Marketing "
        "Strategies', IPA (2013): brand building works over years, sales activation within "
        "weeks, so the two run on different cycles"
    ),
    "orglens": (
        "orglens convention: a default chosen for this tool so that a rule fires on a clear "
        "signal, not a published benchmark; set your own under advice: in orglens.yaml"
    ),
}


class AdviceSettings(BaseModel):
    """Tunable thresholds of the advice rules (see :data:`THRESHOLD_SOURCES` for each source).

    Parameters
    ----------
    small_go_to_market
        Rule ``size``: a sales + marketing headcount at most this large counts as small. 50 is
        the Dunbar layer within which everyone can still know everyone well.
    handoffs_per_sales_case
        Rule ``marketing_sales_handoff``: declared marketing↔sales crossings per case that
        reaches sales above this count as back-and-forth. One crossing is the least any split
        of the two needs.
    speed_to_lead_s
        Rule ``marketing_sales_handoff``: a median speed to lead (first marketing touch to first
        sales touch) above this many seconds is slow; one hour, after Oldroyd et al.
    slow_wait_ratio
        Rule ``marketing_sales_handoff``: a mean wait at marketing→sales handoffs at least this
        many times the mean wait within units is slow.
    leakage_share
        Rule ``marketing_sales_handoff``: a share of cases ending right after a marketing→sales
        handoff at least this large is leaky.
    forum_share_of_merger
        Rule ``ceo_owns_journey``: a forum achieving at least this share of the merger's
        reduction of escalation distance achieves "much of a merger".
    brand_tolerance
        Rule ``brand_vs_activation``: a brand share further than this from the benchmark
        (in share points, 0.05 = 5 points) is off the benchmark.
    mode_share
        Rule ``brand_vs_activation``: brand work is project-based (activation work
        process-based) when at least this share of the people of the units holding brand
        (activation) spend work that way.
    competence_overlap
        Rule ``communications_into_marketing``: communications shares its competences with
        marketing when at least this share of its distinct competences also occur in marketing.
    overlap_kinds
        Rule ``communications_into_marketing``: how many of the three overlaps (journey stages,
        competences, segments) make communications overlap marketing.
    spend_elsewhere_share
        Rule ``accountability``: the share of spend serving another department's result at or
        above which revenue and spend count as owned by different managers.

    Examples
    --------
    >>> AdviceSettings().speed_to_lead_s
    3600.0
    >>> AdviceSettings(small_go_to_market=30).small_go_to_market
    30
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    small_go_to_market: int = Field(default=50, ge=1)
    handoffs_per_sales_case: float = Field(default=1.0, ge=0)
    speed_to_lead_s: float = Field(default=3600.0, gt=0)
    slow_wait_ratio: float = Field(default=2.0, gt=0)
    leakage_share: float = Field(default=0.2, ge=0, le=1)
    forum_share_of_merger: float = Field(default=0.5, ge=0, le=1)
    brand_tolerance: float = Field(default=0.05, ge=0, le=1)
    mode_share: float = Field(default=0.5, gt=0, le=1)
    competence_overlap: float = Field(default=0.25, gt=0, le=1)
    overlap_kinds: int = Field(default=2, ge=1, le=3)
    spend_elsewhere_share: float = Field(default=0.1, ge=0, le=1)


#: The source id (a key of :data:`SOURCES`) of each threshold's default.
THRESHOLD_SOURCES: dict[str, str] = {
    "small_go_to_market": "dunbar_layers",
    "handoffs_per_sales_case": "orglens",
    "speed_to_lead_s": "oldroyd_2011",
    "slow_wait_ratio": "orglens",
    "leakage_share": "orglens",
    "forum_share_of_merger": "orglens",
    "brand_tolerance": "orglens",
    "mode_share": "orglens",
    "competence_overlap": "orglens",
    "overlap_kinds": "orglens",
    "spend_elsewhere_share": "orglens",
}
