"""The rules of the debate, and :func:`advise` that runs them all.

Each rule is a function of one :class:`~orglens.advice._context.Context` that returns a
:class:`~orglens.advice.Finding`; every rule always returns one (``triggered`` tells whether its
argument applies), so an advice lists the whole debate in the same order every time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from orglens.advice._context import Context, ScenarioMetrics
from orglens.advice.accountability import accountability
from orglens.advice.coordination import coordination_beyond_merging
from orglens.advice.customers import common_segments, communications_into_marketing
from orglens.advice.finding import Advice, Finding, Source
from orglens.advice.handoff import marketing_sales_handoff
from orglens.advice.journey_owner import ceo_owns_journey
from orglens.advice.span import span_after_merge
from orglens.advice.spend import brand_vs_activation
from orglens.advice.structure import go_to_market_size
from orglens.lenses import Analysis
from orglens.model import Organization
from orglens.model.advice import SOURCES, AdviceSettings
from orglens.scenarios import Scorecard

__all__ = ["RULES", "advise"]

Rule = Callable[[Context], Finding]

#: Every rule, by the stable id its finding carries, in the order of the debate.
RULES: dict[str, Rule] = {
    "go_to_market_size": go_to_market_size,
    "span_after_merge": span_after_merge,
    "marketing_sales_handoff": marketing_sales_handoff,
    "ceo_owns_journey": ceo_owns_journey,
    "brand_vs_activation": brand_vs_activation,
    "communications_into_marketing": communications_into_marketing,
    "accountability": accountability,
    "common_segments": common_segments,
    "coordination_beyond_merging": coordination_beyond_merging,
}


def advise(
    org: Organization,
    analysis: Analysis,
    scenarios: Scorecard | ScenarioMetrics | None = None,
    /,
    *,
    settings: AdviceSettings | None = None,
    designed: Mapping[str, Organization] | None = None,
) -> Advice:
    """Run every rule of the debate on ``org`` and explain what follows.

    Parameters
    ----------
    org
        Today's organization.
    analysis
        ``orglens.analyze(org)``; with an event log its process lens carries the observed
        journey, which the handoff rule uses for waits, leakage and speed to lead.
    scenarios
        The scorecard (:func:`orglens.scenarios.compare`), or its metrics as plain data,
        ``{scenario name: {metric: value}}``; any part may be missing or ``None``, and the
        rules that would compare designs then say which evidence is missing.
    settings
        Thresholds (:class:`AdviceSettings`; its defaults carry their sources).
    designed
        ``{built-in design name: the organization it designs}`` already applied to ``org``;
        the rules about span and coordination apply the other built-in designs themselves.

    Returns
    -------
    Advice
        One :class:`Finding` per rule of :data:`RULES`, in that order, and the sources the
        findings cite (``brand_benchmark`` is the workspace's own benchmark source).

    Examples
    --------
    >>> from orglens.lenses import analyze
    >>> from orglens.model import Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"),
    ...             Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="marketing")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top", function="sales"),
    ...            Unit(id="marketing", parent="top", function="marketing")],
    ... )
    >>> advice = advise(org, analyze(org))
    >>> advice.finding("go_to_market_size").verdict
    'Merging sales and marketing is low-risk at this size.'
    >>> [s.id for s in advice.sources]
    ['dunbar_layers', 'mckinsey_spans']
    """
    metrics: ScenarioMetrics | None = (
        {score.name: score.metrics for score in scenarios.scenarios}
        if isinstance(scenarios, Scorecard)
        else scenarios
    )
    dominated_by = (
        {score.name: score.dominated_by for score in scenarios.scenarios}
        if isinstance(scenarios, Scorecard)
        else None
    )
    context = Context(org, analysis, metrics, settings or AdviceSettings(), designed, dominated_by)
    findings = tuple(rule(context) for rule in RULES.values())
    texts = {**SOURCES, "brand_benchmark": analysis.budget.brand_benchmark_source}
    cited = dict.fromkeys(source for finding in findings for source in finding.sources)
    return Advice(findings=findings, sources=tuple(Source(s, texts[s]) for s in cited))
