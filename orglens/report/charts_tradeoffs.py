"""The trade-offs at a glance: each design (best ranked first) by the recommendation's metric
groups, its normalised group scores and weighted score, the recommended design and the Pareto
front marked, dominated designs grey.

Every figure comes from the :class:`~orglens.workspace.Comparison` the JSON output prints: the
recommendation's ranking, group scores, weights and front; every word from the
``charts_compare`` catalogue (designs and metric groups are named as the report names them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from orglens.advice import Ranked, Recommendation
from orglens.display import draws
from orglens.i18n import decimal, integer, listed, number, t
from orglens.model import METRIC_GROUPS
from orglens.report.chart import Chart, DataTable
from orglens.report.charts_compare import ACCENT, GREY, TRACK, design_status, group_title
from orglens.report.draw_bars import WIDTH, bar, empty_chart, wrap
from orglens.report.labels import design_label, group_label
from orglens.report.svg import INK, MUTED, element, literal, svg, text, title
from orglens.scenarios import ScenarioScore
from orglens.workspace import Comparison

__all__ = ["tradeoffs_chart"]

#: The band behind the recommended design's row.
RECOMMENDED_FILL = "#eef5fb"
#: Designs drawn at most (the best ranked; the table keeps every design).
MAX_RANKED = 12


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
        *(group_title(g) for g in groups),
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
            design_status(entry.name, recommendation, scenarios),
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
        parts.extend(_header(group_title(group), cx, cell - 2, "middle"))
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
        status = wrap(
            design_status(entry.name, recommendation, scenarios), label_width - 10, 10.5, 2
        )
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
