"""The funnel chart: the cases (or the declared volume) reaching each stage and where they
drop off, drawn from :attr:`Analysis.process <orglens.lenses.Analysis.process>`.

The builder is registered with :func:`~orglens.display.draws`, so that
``analysis.chart("funnel")`` works in a notebook, and returns a :class:`~orglens.report.Chart`
whose figures are those of ``analysis.to_dict()["process"]``; an empty input gives a chart that
says what is missing. Every word comes from the ``charts_process`` catalogue.
"""

from __future__ import annotations

from itertools import pairwise

from orglens.display import draws
from orglens.i18n import integer, listed, percent, t
from orglens.lenses import Analysis
from orglens.mining import Funnel
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_funnel import Bar, funnel_bars
from orglens.report.process_units import drawn_chart, message_chart, short_wait

__all__ = ["funnel_chart"]

#: Funnel bars drawn at most.
MAX_BARS = 16
#: A funnel stage reached by fewer cases than this share is drawn, but never the takeaway.
MIN_STAGE_SHARE = 0.01


def _k(key: str, /, **params: object) -> str:
    return t(f"charts_process.{key}", **params)


@draws(Analysis, "funnel")
def funnel_chart(analysis: Analysis, /) -> Chart:
    """The funnel with its drop-offs: the event log's funnel by the journey's stages (or by the
    log's activities when none of the journey's is in the log); without events the declared
    journey's volume entering each stage. Up to :data:`MAX_BARS` stages, the largest.

    >>> from orglens.lenses import analyze
    >>> from orglens.model import JourneyActivity, Organization, Person
    >>> org = Organization(people=[Person(id="m", unit="Marketing")], journey=[
    ...     JourneyActivity(order=1, stage="Lead", activity="Form", unit="Marketing",
    ...                     volume_per_year=1000),
    ...     JourneyActivity(order=2, stage="Deal", activity="Demo", unit="Marketing",
    ...                     volume_per_year=250)])
    >>> funnel_chart(analyze(org)).takeaway
    'The largest drop-off is between Lead and Deal: 75% of the declared volume goes no further.'
    """
    heading = _k("funnel_title")
    observed = analysis.process.observed
    if observed is not None and observed.funnel is not None and observed.funnel.stages:
        return _observed_funnel(heading, observed.funnel, declared=bool(analysis.process.journey))
    entering: dict[str, float] = {}
    for step in analysis.process.journey:
        entering.setdefault(step.stage, step.volume_used)
    if not entering:
        return message_chart("funnel", heading, _k("no_funnel"))
    stages = list(entering.items())
    # the share of a stage's volume that does not enter the next (none when the volume grows)
    lost: list[float | None] = [None]
    lost += [
        1 - after / before if before > 0 and after <= before else None
        for (_, before), (_, after) in pairwise(stages)
    ]
    ranked = sorted(range(len(stages)), key=lambda i: (-stages[i][1], i))
    shown = sorted(ranked[:MAX_BARS])
    drops = [(share, i) for i, share in enumerate(lost) if share is not None]
    worst = max(drops, key=lambda d: (d[0], -d[1]))[1] if drops else None
    bars = []
    for position, index in enumerate(shown):
        stage, volume = stages[index]
        share = lost[index] if position and shown[position - 1] == index - 1 else None
        drop = None if share is None else _k("drop", share=percent(share))
        tip = _k("stage_declared_tip", stage=stage, n=integer(volume))
        bars.append(Bar(stage, volume, integer(volume), tip, drop, stress=index == worst))
    table = tuple(
        (stage, integer(volume), "" if share is None else percent(share))
        for (stage, volume), share in zip(stages, lost, strict=True)
    )
    if worst is None:
        takeaway = _k("funnel_no_drop")
    else:
        takeaway = _k(
            "funnel_declared_takeaway",
            before=stages[worst - 1][0],
            after=stages[worst][0],
            share=percent(lost[worst] or 0.0),
        )
    caption = _k("funnel_declared_caption")
    if len(shown) < len(stages):
        caption += " " + _k("grouped_stages", n=len(stages) - len(shown))
    drawing = funnel_bars(bars, caption=caption, label=heading)
    header = (_k("col_stage"), _k("col_volume"), _k("col_drop"))
    return drawn_chart("funnel", heading, takeaway, drawing, DataTable(header, table))


def _stress(bar: Bar) -> Bar:
    return Bar(bar.label, bar.value, bar.value_text, bar.tooltip, bar.drop, stress=True)


def _observed_funnel(heading: str, funnel: Funnel, *, declared: bool) -> Chart:
    stages = funnel.stages
    ranked = sorted(range(len(stages)), key=lambda i: (-stages[i].cases, i))
    shown = sorted(ranked[:MAX_BARS])
    bars, table, drops = [], [], []
    for position, index in enumerate(shown):
        stage = stages[index]
        follows = position > 0 and shown[position - 1] == index - 1
        lost = None if stage.conversion is None or not follows else 1 - stage.conversion
        drop = None
        if lost is not None and not stage.cases_from_previous:
            # no case went on from the stage above: another path (an end, a branch), no drop
            lost, drop = None, _k("other_path")
        elif lost is not None:
            drops.append((lost, position))
            drop = _k("drop_time", share=percent(lost), time=short_wait(stage.from_previous_s_p50))
        share = percent(stage.share) if stage.share is not None else "–"
        tip = _k("stage_tip", stage=stage.stage, n=integer(stage.cases), share=share)
        bars.append(Bar(stage.stage, stage.cases, f"{integer(stage.cases)} · {share}", tip, drop))
        table.append(
            (
                stage.stage,
                integer(stage.cases),
                share,
                "" if stage.conversion is None else percent(stage.conversion),
                "" if lost is None else percent(lost),
                short_wait(stage.from_previous_s_p50) if stage.conversion is not None else "",
                short_wait(stage.from_previous_s_p95) if stage.conversion is not None else "",
            )
        )
    hidden = [stages[i].stage for i in ranked[MAX_BARS:]]
    caption = _k(
        "funnel_caption"
        if funnel.source == "journey"
        else "funnel_activity_caption"
        if declared
        else "funnel_log_caption"
    )
    if hidden:
        caption += " " + _k("grouped_stages", n=len(hidden))
        table.append((_k("other_stages", n=len(hidden)), "", "", "", "", "", listed(hidden[:5])))
    real = [d for d in drops if d[0] > 0 and (stages[shown[d[1]]].share or 0) >= MIN_STAGE_SHARE]
    if not real:
        takeaway = _k("funnel_no_drop")
    else:
        lost, at = max(real, key=lambda d: (d[0], -d[1]))
        bars[at] = _stress(bars[at])
        takeaway = _k(
            "funnel_takeaway", before=bars[at - 1].label, after=bars[at].label, share=percent(lost)
        )
    drawing = funnel_bars(bars, caption=caption, label=heading)
    header = (
        _k("col_stage"),
        _k("col_cases"),
        _k("col_share"),
        _k("col_conversion"),
        _k("col_drop"),
        _k("col_p50"),
        _k("col_p95"),
    )
    return drawn_chart("funnel", heading, takeaway, drawing, DataTable(header, tuple(table)))
