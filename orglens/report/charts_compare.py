"""The charts of the comparison: the scorecard (designs × measures) and the trade-offs at a
glance (designs × the recommendation's metric groups, with the Pareto front marked).

Every figure comes from the :class:`~orglens.workspace.Comparison` the JSON output prints: the
scorecard's metric values and the recommendation's ranking, group scores and front (designs are
only compared with one another to mark the best value of a measure); every word from the
``charts_compare`` catalogue (designs and metric groups are named as the report names them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from orglens.advice import Ranked, Recommendation
from orglens.display import draws
from orglens.i18n import decimal, duration, integer, listed, number, points, t
from orglens.model import METRIC_GROUPS
from orglens.report.chart import Chart, DataTable
from orglens.report.charts_budget import money
from orglens.report.draw_bars import WIDTH, bar, empty_chart, truncate, wrap
from orglens.report.labels import design_label, group_label, metric_label
from orglens.report.svg import INK, MUTED, colour, element, literal, svg, text, title
from orglens.scenarios import Metric, ScenarioScore
from orglens.workspace import Comparison

__all__ = ["metric_value", "scorecard_chart", "tradeoffs_chart"]

ACCENT = colour(0)
BEST_FILL = "#d6e9f5"
RECOMMENDED_FILL = "#eef5fb"
GREY = "#b8bfc6"
TRACK = "#e8ecf0"
#: Designs drawn at most (the recommended and the best ranked; the table keeps every design).
MAX_DESIGNS = 9
MAX_RANKED = 12

_PERCENT = {
    "coordination_cross_unit_share",
    "discipline_fit",
    "competence_dispersion",
    "accountability_share",
}
_COUNTS = {
    "max_span",
    "spans_out_of_range",
    "layers",
    "people_moved",
    "managers_changed",
    "managers_gaining_or_losing_reports",
    "new_manager_roles",
}


def metric_value(key: str, value: float | None, currency: str, *, short: bool = False) -> str:
    """A metric's value as a reader reads it: shares in percent, waits as durations (``short``:
    with the unit abbreviated, for a cell), the cost in ``currency``, counts whole; ``–`` when
    it was not measured.

    >>> metric_value("discipline_fit", 0.746575, "SEK"), metric_value("layers", 5, "SEK")
    ('74.7%', '5')
    >>> wait = 71733.7
    >>> metric_value("expected_handoff_wait_s", wait, "SEK"), metric_value(
    ...     "expected_handoff_wait_s", wait, "SEK", short=True)
    ('19.9 hours', '19.9 h')
    """
    if value is None:
        return "–"
    if key in _PERCENT:
        return t("charts_compare.percent", n=points(value))
    if key.endswith("_s"):
        return _short_duration(value) if short else duration(value)
    if key.endswith("_cost"):
        return money(value, currency)
    if key in _COUNTS:
        return integer(value)
    return number(value)


def _short_duration(seconds: float) -> str:
    """``duration``'s amount with its unit abbreviated: ``5400`` → ``'1.5 h'``."""
    long = duration(seconds)
    amount = long.split(" ", 1)[0]
    unit = (
        "seconds"
        if seconds < 60
        else "minutes"
        if seconds < 3600
        else "hours"
        if seconds < 48 * 3600
        else "days"
    )
    return t(f"charts_compare.short_{unit}", n=amount)


def _status(
    name: str, recommendation: Recommendation, scenarios: Mapping[str, ScenarioScore]
) -> str:
    """Recommended, runner-up, on the Pareto front, or dominated by whom."""
    if name == recommendation.recommended:
        return t("charts_compare.status_recommended")
    if name == recommendation.runner_up:
        return t("charts_compare.status_runner_up")
    if name in recommendation.pareto:
        return t("charts_compare.status_front")
    beaten_by = scenarios[name].dominated_by if name in scenarios else ()
    if beaten_by:
        return t(
            "charts_compare.status_dominated", by=listed([design_label(d) for d in beaten_by[:2]])
        )
    return t("charts_compare.status_off_front")


def _standing(
    name: str, recommendation: Recommendation, scenarios: Mapping[str, ScenarioScore]
) -> str:
    """The scorecard's note under a design: only what sets it apart (on the front is common;
    the recommended design is starred in the legend and bold)."""
    if name == recommendation.recommended:
        return "★"
    if name == recommendation.runner_up or name not in recommendation.pareto:
        return _status(name, recommendation, scenarios)
    return ""


def _currency(comparison: Comparison) -> str:
    return comparison.scenarios[0].analysis.currency if comparison.scenarios else ""


# -- the scorecard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MetricRow:
    metric: Metric
    values: tuple[float | None, ...]
    best: frozenset[int]
    worst: frozenset[int]


def _metric_rows(metrics: Sequence[Metric], designs: Sequence[ScenarioScore]) -> list[_MetricRow]:
    rows = []
    for metric in metrics:
        values = tuple(design.metrics.get(metric.key) for design in designs)
        known = {index: float(v) for index, v in enumerate(values) if v is not None}
        best: frozenset[int] = frozenset()
        worst: frozenset[int] = frozenset()
        if len(set(known.values())) > 1:
            pick = max if metric.better == "higher" else min
            drop = min if metric.better == "higher" else max
            top, bottom = pick(known.values()), drop(known.values())
            best = frozenset(i for i, v in known.items() if v == top)
            worst = frozenset(i for i, v in known.items() if v == bottom)
        rows.append(_MetricRow(metric, values, best, worst))
    return rows


def _grouped(metrics: Sequence[Metric]) -> list[tuple[str, list[Metric]]]:
    """The metrics under the recommendation's groups, in their order; the rest under "other"."""
    by_key = {metric.key: metric for metric in metrics}
    found = [
        (group, [by_key[key] for key in keys if key in by_key])
        for group, keys in METRIC_GROUPS.items()
    ]
    grouped = {key for keys in METRIC_GROUPS.values() for key in keys}
    found.append(("", [metric for metric in metrics if metric.key not in grouped]))
    return [(group, members) for group, members in found if members]


def _shown_designs(comparison: Comparison) -> list[ScenarioScore]:
    """Every design, or when there are too many, the best ranked (and today's) in their order."""
    scenarios = list(comparison.scenarios)
    if len(scenarios) <= MAX_DESIGNS:
        return scenarios
    ranked = [entry.name for entry in comparison.recommendation.ranked]
    keep = set(ranked[: MAX_DESIGNS - 1]) | {scenarios[0].name}
    return [s for s in scenarios if s.name in keep][:MAX_DESIGNS]


@draws(Comparison, "scorecard")
def scorecard_chart(comparison: Comparison, /) -> Chart:
    """The scorecard: every design's value of every measure, grouped as the recommendation
    weighs them, the best value of each measure shaded and bold."""
    name, chart_title = "scorecard", t("charts_compare.scorecard_title")
    scenarios = comparison.scenarios
    metrics = comparison.scorecard.metrics
    currency = _currency(comparison)
    header = (
        t("charts_compare.col_measure"),
        *(design_label(s.name) for s in scenarios),
        t("charts_compare.col_better"),
    )
    if not scenarios:
        return empty_chart(name, chart_title, t("charts_compare.no_designs"), header)
    designs = _shown_designs(comparison)
    rows = _metric_rows(metrics, designs)
    takeaway = _scorecard_takeaway(rows, designs, comparison.recommendation)
    drawing, marks = _scorecard_drawing(comparison, designs, rows, currency, takeaway)
    table = tuple(
        (
            metric_label(row.metric.key),
            *(metric_value(row.metric.key, v, currency) for v in row.values),
            t(f"charts_compare.better_{row.metric.better}"),
        )
        for row in _metric_rows(metrics, scenarios)
    )
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, table), marks)


def _scorecard_takeaway(
    rows: Sequence[_MetricRow], designs: Sequence[ScenarioScore], recommendation: Recommendation
) -> str:
    if len(designs) < 2:
        return t("charts_compare.only_one", design=design_label(designs[0].name))
    differing = [row for row in rows if row.best]
    if not differing:
        return t("charts_compare.scorecard_no_difference", n=integer(len(rows)))
    if len(differing) == 1:
        names = [design.name for design in designs]
        row = differing[0]
        winners = [design_label(names[index]) for index in sorted(row.best)]
        return t(
            "charts_compare.scorecard_take_one",
            metric=_lower_first(metric_label(row.metric.key)),
            designs=listed(winners),
        )
    names = [design.name for design in designs]
    chosen = recommendation.recommended if recommendation.recommended in names else names[0]
    index = names.index(chosen)
    best = sum(index in row.best for row in differing)
    worst = [metric_label(row.metric.key) for row in differing if index in row.worst]
    found = {
        "design": design_label(chosen),
        "best": integer(best),
        "n": integer(len(differing)),
    }
    if not worst:
        return t("charts_compare.scorecard_take", **found)
    named = [_lower_first(label) for label in worst[:3]]
    if len(worst) > 3:
        named.append(t("charts_compare.more_measures", n=integer(len(worst) - 3)))
    return t("charts_compare.scorecard_take_worst", **found, worst=listed(named))


def _scorecard_drawing(
    comparison: Comparison,
    designs: Sequence[ScenarioScore],
    rows: Sequence[_MetricRow],
    currency: str,
    label: str,
) -> tuple[str, int]:
    recommendation = comparison.recommendation
    by_key = {row.metric.key: row for row in rows}
    label_width, arrow_width = 220.0, 18.0
    cell = min(110.0, (WIDTH - label_width - arrow_width) / len(designs))
    left = label_width + arrow_width
    head_top = 24.0
    parts = [
        element(
            "rect",
            x=0,
            y=head_top - 10,
            width=14,
            height=11,
            fill=BEST_FILL,
            stroke=MUTED,
            stroke_width=0.5,
        )
    ]
    legend_lines = [
        *wrap(t("charts_compare.legend_best"), label_width - 24, 11, 2),
        *wrap(t("charts_compare.legend_recommended"), label_width - 4, 11, 2),
        *wrap(t("charts_compare.legend_lower"), label_width - 4, 11, 1),
        *wrap(t("charts_compare.legend_higher"), label_width - 4, 11, 1),
    ]
    for number_, line in enumerate(legend_lines):
        parts.append(
            text(
                line,
                x=20 if number_ == 0 else 0,
                y=head_top + 14 * number_,
                font_size=11,
                fill=INK if number_ == 0 else MUTED,
            )
        )
    scenarios = {s.name: s for s in comparison.scenarios}
    headers = [
        wrap(
            design_label(design.name),
            cell - 4,
            11.5 if design.name == recommendation.recommended else 11,
            5,
            hyphenate=True,
        )
        for design in designs
    ]
    tallest = max(len(lines) for lines in headers)
    for index, (design, lines) in enumerate(zip(designs, headers, strict=True)):
        cx = left + cell * (index + 0.5)
        chosen = design.name == recommendation.recommended
        for number_, line in enumerate(lines):
            parts.append(
                element(
                    "text",
                    [title(design_label(design.name)), literal(line)],
                    x=cx,
                    y=head_top + 13 * number_,
                    font_size=11,
                    font_weight="bold" if chosen else None,
                    text_anchor="middle",
                    fill=INK,
                )
            )
        standing = _standing(design.name, recommendation, scenarios)
        for number_, line in enumerate(wrap(standing, cell - 4, 10, 2)):
            parts.append(
                text(
                    line,
                    x=cx,
                    y=head_top + 13 * tallest + 12 * number_,
                    font_size=13 if chosen else 10,
                    text_anchor="middle",
                    fill=ACCENT if chosen else MUTED,
                    font_weight="bold" if chosen else None,
                )
            )
    y, marks = max(head_top + 13 * tallest + 12 * 2, head_top + 14 * len(legend_lines)), 0
    for group, members in _grouped([row.metric for row in rows if _measured(row)]):
        y += 8
        heading = _group_heading(group, recommendation)
        parts.append(element("line", x1=0, x2=WIDTH, y1=y, y2=y, stroke=GREY, stroke_width=0.5))
        parts.append(text(heading, x=0, y=y + 15, font_size=11.5, font_weight="bold", fill=INK))
        y += 20
        for metric in members:
            row = by_key[metric.key]
            lines = wrap(metric_label(metric.key), label_width - 8, 11.5, 2)
            height = 8 + 14 * len(lines)
            for number_, line in enumerate(lines):
                parts.append(text(line, x=8, y=y + 15 + 14 * number_, font_size=11.5, fill=INK))
            arrow = "↑" if metric.better == "higher" else "↓"
            parts.append(text(arrow, x=label_width + 4, y=y + 15, font_size=12, fill=MUTED))
            for index, (design, value) in enumerate(zip(designs, row.values, strict=True)):
                shown = metric_value(metric.key, value, currency, short=True)
                best = index in row.best
                key = "tip_best" if best else "tip_value"
                tip = t(
                    f"charts_compare.{key}",
                    design=design_label(design.name),
                    metric=metric_label(metric.key),
                    value=shown,
                )
                x = left + cell * index
                parts.append(
                    bar(
                        x + 2,
                        y + 2,
                        cell - 4,
                        height - 4,
                        tip,
                        fill=BEST_FILL if best else "white",
                        stroke=TRACK,
                        stroke_width=0.5,
                    )
                )
                marks += 1
                parts.append(
                    text(
                        truncate(shown, cell - 8, 11.5),
                        x=x + cell / 2,
                        y=y + 15,
                        font_size=11.5,
                        text_anchor="middle",
                        fill=MUTED if value is None or not row.best else INK,
                        font_weight="bold" if best else None,
                    )
                )
            y += height
    notes = []
    if len(designs) < len(comparison.scenarios):
        notes.append(
            t("charts_compare.more_designs", n=integer(len(comparison.scenarios) - len(designs)))
        )
    same = [row for row in rows if not row.best and _measured(row)]
    if same and len(designs) > 1:
        notes.append(t("charts_compare.note_same", n=integer(len(same))))
    unmeasured = [_lower_first(metric_label(row.metric.key)) for row in rows if not _measured(row)]
    if unmeasured:
        notes.append(t("charts_compare.note_unmeasured", metrics=listed(unmeasured)))
    for note in notes:
        for line in wrap(note, WIDTH - 4, 11, 4):
            y += 16
            parts.append(text(line, x=0, y=y, font_size=11, fill=MUTED))
    return svg(WIDTH, y + 10, parts, label=label), marks


def _measured(row: _MetricRow) -> bool:
    """Whether any design has a value for the row's metric (the chart leaves the rest out)."""
    return any(value is not None for value in row.values)


def _group_heading(group: str, recommendation: Recommendation) -> str:
    if not group:
        return t("charts_compare.group_other")
    return t(
        "charts_compare.group_heading",
        group=_capital(group_label(group)),
        weight=number(recommendation.weights.get(group, 0.0)),
    )


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _lower_first(words: str) -> str:
    """A label inside a sentence: ``"Reporting layers"`` → ``"reporting layers"``."""
    return words[:1].lower() + words[1:]


# -- the trade-offs -----------------------------------------------------------------------------


@draws(Comparison, "tradeoffs")
def tradeoffs_chart(comparison: Comparison, /) -> Chart:
    """The trade-offs at a glance: each design (best ranked first) by the recommendation's metric
    groups, each cell its normalised group score (1 = best of the designs compared), the weighted
    score last; the recommended design and the Pareto front marked, dominated designs grey."""
    recommendation = comparison.recommendation
    groups = [g for g in METRIC_GROUPS if any(g in r.groups for r in recommendation.ranked)]
    name, chart_title = "tradeoffs", t("charts_compare.tradeoffs_title")
    header = (
        t("charts_compare.col_design"),
        *(_capital(group_label(g)) for g in groups),
        t("charts_compare.col_score"),
        t("charts_compare.col_status"),
    )
    if not recommendation.ranked:
        return empty_chart(name, chart_title, t("charts_compare.no_designs"), header)
    if len(recommendation.ranked) < 2:
        only = design_label(recommendation.ranked[0].name)
        return empty_chart(name, chart_title, t("charts_compare.only_one", design=only), header)
    if not groups:
        return empty_chart(name, chart_title, t("charts_compare.tradeoffs_no_difference"), header)
    scenarios = {s.name: s for s in comparison.scenarios}
    takeaway = _tradeoffs_takeaway(recommendation, groups)
    drawing, marks = _tradeoffs_drawing(recommendation, groups, scenarios, takeaway)
    table = tuple(
        (
            design_label(entry.name),
            *(decimal(entry.groups[g], 2) if g in entry.groups else "–" for g in groups),
            decimal(entry.score, 2),
            _status(entry.name, recommendation, scenarios),
        )
        for entry in recommendation.ranked
    )
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, table), marks)


def _tradeoffs_takeaway(recommendation: Recommendation, groups: Sequence[str]) -> str:
    ranked = {entry.name: entry for entry in recommendation.ranked}
    chosen = ranked[recommendation.recommended or recommendation.ranked[0].name]
    second = ranked.get(recommendation.runner_up or "") or next(
        entry for entry in recommendation.ranked if entry.name != chosen.name
    )
    found = {
        "design": design_label(chosen.name),
        "score": decimal(chosen.score, 2),
        "runner_up": design_label(second.name),
        "runner_up_score": decimal(second.score, 2),
    }
    if found["score"] == found["runner_up_score"]:
        return t("charts_compare.tradeoffs_take_tie", **found)
    deficits = []
    for group in groups:
        if group not in chosen.groups:
            continue
        rival = max(
            (entry for entry in recommendation.ranked if group in entry.groups),
            key=lambda entry: entry.groups[group],
        )
        deficits.append((rival.groups[group] - chosen.groups[group], group, rival))
    gap, group, rival = max(deficits, key=lambda d: d[0]) if deficits else (0.0, "", chosen)
    if gap <= 0:
        return t("charts_compare.tradeoffs_take_all_best", **found)
    return t(
        "charts_compare.tradeoffs_take",
        **found,
        group=group_label(group),
        rival=design_label(rival.name),
        rival_value=decimal(rival.groups[group], 2),
        value=decimal(chosen.groups[group], 2),
    )


def _tradeoffs_drawing(
    recommendation: Recommendation,
    groups: Sequence[str],
    scenarios: Mapping[str, ScenarioScore],
    label: str,
) -> tuple[str, int]:
    ranked: Sequence[Ranked] = recommendation.ranked[:MAX_RANKED]
    label_width, score_width = 188.0, 96.0
    cell = (WIDTH - label_width - score_width) / len(groups)
    track = min(cell - 14, 56.0)
    score_x, score_track = WIDTH - score_width + 6, score_width - 42
    parts: list[str] = []
    for index, group in enumerate(groups):
        cx = label_width + cell * (index + 0.5)
        parts.extend(_header(_capital(group_label(group)), cx, cell - 2, "middle"))
        weight = t("charts_compare.weight", weight=number(recommendation.weights.get(group, 0.0)))
        parts.append(
            text(
                weight, x=cx, y=HEADER_TOP + 13 * 3, font_size=10, text_anchor="middle", fill=MUTED
            )
        )
    parts.extend(_header(t("charts_compare.col_score"), score_x, score_width - 8, "start"))
    y, marks = HEADER_TOP + 13 * 3 + 10, 0
    for entry in ranked:
        chosen = entry.name == recommendation.recommended
        dominated = not entry.on_pareto_front
        ink, fill = (MUTED, GREY) if dominated else (INK, ACCENT)
        names = wrap(
            ("★ " if chosen else "") + design_label(entry.name),
            label_width - 10,
            12.5 if chosen else 12,
            2,
        )
        status = wrap(_status(entry.name, recommendation, scenarios), label_width - 10, 10.5, 2)
        height = 12 + 15 * len(names) + 13 * len(status)
        middle = y + height / 2
        if chosen:
            parts.append(
                element("rect", x=0, y=y, width=WIDTH, height=height, fill=RECOMMENDED_FILL)
            )
        parts.append(element("line", x1=0, x2=WIDTH, y1=y, y2=y, stroke=TRACK, stroke_width=1))
        for number_, line in enumerate(names):
            parts.append(
                text(
                    line,
                    x=4,
                    y=y + 17 + 15 * number_,
                    font_size=12,
                    font_weight="bold" if chosen else None,
                    fill=ink,
                )
            )
        for number_, line in enumerate(status):
            parts.append(
                text(
                    line,
                    x=4,
                    y=y + 17 + 15 * len(names) + 13 * number_,
                    font_size=10.5,
                    fill=ACCENT if chosen else MUTED,
                    font_style="italic" if dominated else None,
                )
            )
        for index, group in enumerate(groups):
            x = label_width + cell * index + (cell - track) / 2
            if group not in entry.groups:
                parts.append(
                    text("–", x=x + track / 2, y=middle + 4, text_anchor="middle", fill=MUTED)
                )
                continue
            value = entry.groups[group]
            tip = t(
                "charts_compare.tip_group",
                design=design_label(entry.name),
                group=group_label(group),
                value=decimal(value, 2),
            )
            parts.append(
                text(
                    decimal(value, 2),
                    x=x + track / 2,
                    y=middle - 3,
                    font_size=11,
                    text_anchor="middle",
                    fill=ink,
                )
            )
            parts.append(element("rect", x=x, y=middle + 3, width=track, height=8, fill=TRACK))
            parts.append(bar(x, middle + 3, value * track, 8, tip, fill=fill))
            marks += 1
        tip = t(
            "charts_compare.tip_score",
            design=design_label(entry.name),
            score=decimal(entry.score, 2),
        )
        parts.append(
            element("rect", x=score_x, y=middle - 7, width=score_track, height=14, fill=TRACK)
        )
        parts.append(
            bar(
                score_x,
                middle - 7,
                entry.score * score_track,
                14,
                tip,
                fill=GREY if dominated else INK,
            )
        )
        marks += 1
        parts.append(
            text(
                decimal(entry.score, 2),
                x=score_x + score_track + 4,
                y=middle + 4,
                font_size=11.5,
                font_weight="bold",
                fill=ink,
            )
        )
        y += height
    notes = [t("charts_compare.tradeoffs_how")]
    left_out = [g for g in METRIC_GROUPS if g not in groups]
    if left_out:
        notes.append(
            t(
                "charts_compare.tradeoffs_left_out",
                groups=listed([group_label(g) for g in left_out]),
            )
        )
    if len(recommendation.ranked) > len(ranked):
        notes.append(
            t("charts_compare.more_designs", n=integer(len(recommendation.ranked) - len(ranked)))
        )
    y += 4
    for note in notes:
        for line in wrap(note, WIDTH - 4, 11, 3):
            y += 15
            parts.append(text(line, x=0, y=y, font_size=11, fill=MUTED))
    return svg(WIDTH, y + 10, parts, label=label), marks


HEADER_TOP = 14.0


def _header(content: str, x: float, width: float, anchor: str) -> list[str]:
    """A column header in up to three bold lines (long words hyphenated), its full text as
    the tooltip."""
    return [
        element(
            "text",
            [title(content), literal(line)],
            x=x,
            y=HEADER_TOP + 13 * number_,
            font_size=10.5,
            font_weight="bold",
            text_anchor=anchor,
            fill=INK,
        )
        for number_, line in enumerate(wrap(content, width, 11, 3, hyphenate=True))
    ]
