"""Rule 2 about structure: does a merge take a manager above the span range?

- ``span_after_merge`` (rule 2): a merge that takes a manager above the span range needs middle
  managers, and middle managers solve span.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from orglens.advice._context import Context, band, between, missing_functions, tipping
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import listed, number
from orglens.scenarios import STATUS_QUO

__all__ = ["span_after_merge"]


@dataclass(frozen=True)
class _Span:
    """The evidence of rule 2: the largest span a merge gives a manager, against the range."""

    span: int
    scenario: str
    who: str  # the manager's name, empty when no merge changes anyone's reports
    low: int
    high: int
    above_today: tuple[str, ...]  # names of the managers above the range today
    layers: int

    @property
    def needed(self) -> int:
        """Middle managers that bring the span back within range."""
        high = self.high
        return ceil((self.span - high) / (high - 1)) if self.span > high and high > 1 else 0

    @property
    def today_note(self) -> str:
        names = self.above_today
        if not names:
            return ""
        return (
            f" {len(names)} manager(s) ({listed(names)}) are above the range today, whatever the "
            "design."
        )


def span_after_merge(ctx: Context) -> Finding:
    """Rule 2: does a merge take a manager above the span range, and how many middle managers
    would bring it back?

    For each built-in merge, the managers whose direct reports change are compared with
    ``settings.span_range``. A span ``n`` above the maximum ``h`` needs
    ``ceil((n - h) / (h - 1))`` new middle managers: each takes up to ``h`` of the reports and
    itself reports to the head, so the head keeps at most ``h``. Within
    :data:`~orglens.advice.BORDERLINE` of ``h`` the verdict says so in the same words on both
    sides.
    """
    rule = "span_after_merge"
    merges = [s.name for s in ctx.builtin if s.kind == "merge" and s.name in ctx.applied]
    if not merges:
        return missing_functions(rule, "the span argument")
    largest, (span, scenario, manager) = _largest_spans(ctx, merges)
    low, high = ctx.org.settings.span_range
    found = _Span(
        span=span,
        scenario=scenario,
        who=ctx.person_name(manager) if manager else "",
        low=low,
        high=high,
        above_today=tuple(m.name for m in ctx.analysis.hr.managers if m.flag == "above range"),
        layers=ctx.analysis.hr.layers,
    )
    evidence: dict[str, Evidence] = {
        "span_range": f"{low}-{high}",
        "largest_changed_span": largest,
        "spans_above_range_today": len(found.above_today),
        "middle_managers_needed": found.needed,
    }
    for key in ("max_span", "spans_out_of_range"):
        scored = ctx.metric_by_scenario(key, (STATUS_QUO, *merges))
        if scored:
            evidence[key] = scored
    near = margin(span, high) if manager else None
    if near is not None and near < BORDERLINE:
        wording = _span_undecided(found)
    else:
        wording = _span_needs(found) if found.needed else _span_fine(found)
    triggered, verdict, because, tipping_point = wording
    return Finding(
        rule=rule,
        triggered=triggered,
        verdict=verdict,
        because=because,
        evidence=evidence,
        conditions=_span_conditions(found),
        counter=_span_counter(found),
        sources=("mckinsey_spans",),
        margin=near,
        tipping_point=tipping_point,
    )


def _largest_spans(ctx: Context, merges: list[str]) -> tuple[dict[str, int], tuple[int, str, str]]:
    """Per merge, the largest span of a manager whose reports it changes; and the largest of
    all as ``(span, merge, manager)``."""
    today = ctx.org.structure.reports
    largest: dict[str, int] = {}
    worst: tuple[int, str, str] = (0, "", "")
    for name in merges:
        designed = ctx.applied[name].structure.reports
        changed = [(len(r), m) for m, r in designed.items() if set(r) != set(today.get(m, ()))]
        span, manager = max(changed, default=(0, ""))
        largest[name] = span
        if span > worst[0]:
            worst = (span, name, manager)
    return largest, worst


_Wording = tuple[bool, str, str, str]  # triggered, verdict, because, tipping point


def _span_needs(found: _Span) -> _Wording:
    span, who, needed, low, high = found.span, found.who, found.needed, found.low, found.high
    return (
        True,
        f"Merging needs {needed} middle manager(s) under {who}: span is a reason to add a "
        "layer, not to keep the functions apart.",
        f"In {found.scenario}, {who} would have {span} direct reports, above the range "
        f"{low}-{high}; {needed} middle manager(s) bring it back within range.{found.today_note}",
        tipping(
            "span_range",
            f"{low}-{high} (at most {high} direct reports)",
            f"{found.scenario} gives {who} {span}",
            f"{span - high} fewer direct report(s), or a maximum of {span},",
        ),
    )


def _span_fine(found: _Span) -> _Wording:
    span, who, low, high = found.span, found.who, found.low, found.high
    threshold = f", or a maximum of {span - 1}," if span - 1 >= max(low, 1) else ""
    return (
        False,
        "Span is no reason to keep the functions apart: no merge needs a middle manager.",
        f"No built-in merge takes a manager above {high} direct reports; the largest new "
        f"span is {span}{f' ({who} in {found.scenario})' if who else ''}.{found.today_note}",
        tipping(
            "span_range",
            f"{low}-{high} (at most {high} direct reports)",
            f"{found.scenario} gives {who} {span}",
            f"{high + 1 - span} more direct report(s){threshold}",
        )
        if who
        else "",
    )


def _span_undecided(found: _Span) -> _Wording:
    span, who, low, high = found.span, found.who, found.low, found.high
    first, last = band(high, whole=True)
    return (
        True,
        f"Span is no reason to keep the functions apart; at "
        f"{between(high, number, whole=True)} direct reports a merged head sits at the edge "
        f"of the span range {low}-{high}, so one report more or less decides whether a middle "
        "manager is needed.",
        f"In {found.scenario}, {who} would have {span} direct reports, within 10% of the "
        f"maximum {high}.{found.today_note}",
        f"The verdict turns at span_range = {low}-{high}; {found.scenario} gives {who} {span} "
        f"direct reports: at {number(first - 1)} or fewer no middle manager is needed, at "
        f"{number(last + 1)} or more at least one is.",
    )


def _span_conditions(found: _Span) -> tuple[str, ...]:
    if not found.who:
        return ("the merged head also does hands-on work (a player/coach should lead 3-5 people)",)
    hands_on = (
        f"{found.who} also does hands-on work (a player/coach should lead 3-5 people, not "
        f"{found.span})"
    )
    if not found.needed:
        return (hands_on,)
    return (
        hands_on,
        f"the work under {found.who} is standardized enough for {found.span} direct reports "
        "(McKinsey's coordinator leads 15 or more)",
    )


def _span_counter(found: _Span) -> str:
    where = (
        f"a span of {found.span} under {found.who} works only where the work is standardized"
        if found.who
        else "a wide span works only where the work is standardized"
    )
    return (
        f"Every middle manager adds cost, a layer (the company has {found.layers} today) and "
        f"one more step for each escalation; {where} (McKinsey's coordinator)."
    )
