"""Rule 2 about structure: does a merge take a manager above the span range?

- ``span_after_merge`` (rule 2): a merge that takes a manager above the span range needs middle
  managers, and middle managers solve span.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from orglens.advice._context import (
    Context,
    band,
    between,
    counted,
    missing_functions,
    tipping,
)
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import listed, number, percent, t
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
        return counted("advice_span.today_note", len(names), names=listed(names))

    @property
    def range(self) -> str:
        """``'3-15'``: the span range as the setting writes it."""
        return f"{self.low}-{self.high}"

    @property
    def threshold(self) -> str:
        """The span range as the tipping point names it."""
        return t("advice_span.threshold", range=self.range, high=number(self.high))


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
        return missing_functions(rule, t("advice_span.argument"))
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
    span, who, needed, high = found.span, found.who, found.needed, found.high
    return (
        True,
        counted("advice_span.verdict_needs", needed, who=who),
        counted(
            "advice_span.because_needs",
            needed,
            scenario=found.scenario,
            who=who,
            span=number(span),
            range=found.range,
            today=found.today_note,
        ),
        tipping(
            "span_range",
            found.threshold,
            _gives(found),
            counted("advice_span.change_fewer", span - high, span=number(span)),
        ),
    )


def _gives(found: _Span) -> str:
    return t("advice_span.gives", scenario=found.scenario, who=found.who, span=number(found.span))


def _span_fine(found: _Span) -> _Wording:
    span, who, low, high = found.span, found.who, found.low, found.high
    more = "_or" if span - 1 >= max(low, 1) else ""
    return (
        False,
        t("advice_span.verdict_fine"),
        t(
            f"advice_span.because_fine{'_who' if who else ''}",
            high=number(high),
            span=number(span),
            who=who,
            scenario=found.scenario,
            today=found.today_note,
        ),
        tipping(
            "span_range",
            found.threshold,
            _gives(found),
            counted(f"advice_span.change_more{more}", high + 1 - span, maximum=number(span - 1)),
        )
        if who
        else "",
    )


def _span_undecided(found: _Span) -> _Wording:
    first, last = band(found.high, whole=True)
    shared = {
        "scenario": found.scenario,
        "who": found.who,
        "span": number(found.span),
        "range": found.range,
        "high": number(found.high),
        "today": found.today_note,
    }
    return (
        True,
        t(
            "advice_span.verdict_undecided",
            band=between(found.high, number, whole=True),
            range=found.range,
        ),
        t("advice_span.because_undecided", within=percent(BORDERLINE), **shared),
        t(
            "advice_span.tipping_undecided",
            below=number(first - 1),
            above=number(last + 1),
            **shared,
        ),
    )


def _span_conditions(found: _Span) -> tuple[str, ...]:
    if not found.who:
        return (t("advice_span.condition_hands_on_head"),)
    span = number(found.span)
    hands_on = t("advice_span.condition_hands_on", who=found.who, span=span)
    if not found.needed:
        return (hands_on,)
    return (hands_on, t("advice_span.condition_standardized", who=found.who, span=span))


def _span_counter(found: _Span) -> str:
    layers = number(found.layers)
    if found.who:
        return t("advice_span.counter_who", layers=layers, span=number(found.span), who=found.who)
    return t("advice_span.counter", layers=layers)
