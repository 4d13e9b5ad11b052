"""The brand vs activation chart: the split of marketing spend against the B2B benchmark; and
how the budget charts write an amount of money and name a unit.

Every figure comes from the :class:`~orglens.lenses.Analysis` the JSON output prints; every word
from the ``charts_budget`` catalogue. Who owns revenue and spend is
:mod:`~orglens.report.charts_ownership`; which units serve each customer segment,
:mod:`~orglens.report.charts_customer`.
"""

from __future__ import annotations

from orglens.display import draws
from orglens.i18n import integer, number, percent, points, t
from orglens.lenses import Analysis
from orglens.lenses.budget import BudgetResult
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_bars import WIDTH, bar, empty_chart, hatch, legend, width_of, wrap
from orglens.report.svg import INK, MUTED, WARN, colour, element, svg, text

__all__ = ["brand_chart", "money", "unit_names"]

BRAND = colour(0)
ACTIVATION = colour(1)


def money(amount: float, currency: str) -> str:
    """``amount`` in ``currency``, short: ``4120000`` → ``'SEK 4.12M'`` (``'4,12 MSEK'``).

    >>> money(4_120_000, "SEK"), money(950, "EUR"), money(120_000, "SEK")
    ('SEK 4.12M', 'EUR 950', 'SEK 120k')
    """
    size = abs(amount)
    for scale, key in ((1e9, "billions"), (1e6, "millions"), (1e3, "thousands")):
        if size >= scale:
            return t(f"charts_budget.money_{key}", n=number(amount / scale), currency=currency)
    return t("charts_budget.money_units", n=number(amount), currency=currency)


def unit_names(analysis: Analysis) -> dict[str, str]:
    """``{unit id: its name}`` for every unit of the analysed organization."""
    return {unit.unit: unit.name for unit in analysis.budget.units}


@draws(Analysis, "brand")
def brand_chart(analysis: Analysis, /) -> Chart:
    """Brand vs activation: the split of marketing spend against the B2B benchmark, with the
    benchmark's source beneath the bars."""
    budget = analysis.budget
    header = (
        t("charts_budget.brand_col_spend"),
        t("charts_budget.col_amount", currency=budget.currency),
        t("charts_budget.brand_col_share"),
        t("charts_budget.brand_col_benchmark"),
    )
    name, chart_title = "brand", t("charts_budget.brand_title")
    if budget.brand_share is None:
        missing = "brand_no_budget" if budget.spend == 0 else "brand_no_horizon"
        return empty_chart(name, chart_title, t(f"charts_budget.{missing}"), header)
    share, benchmark, gap = budget.brand_share, budget.brand_benchmark, budget.brand_gap or 0.0
    takeaway = _brand_takeaway(share, benchmark, gap, money(budget.brand_amount, budget.currency))
    drawing, marks = _brand_drawing(budget, takeaway)
    rows = (
        (
            t("charts_budget.brand_label"),
            integer(budget.brand_amount),
            percent(share),
            percent(benchmark),
        ),
        (
            t("charts_budget.activation_label"),
            integer(budget.activation_amount),
            percent(1 - share),
            percent(1 - benchmark),
        ),
        (t("charts_budget.brand_row_other"), integer(budget.other_amount), "–", "–"),
        (t("charts_budget.brand_row_source"), budget.brand_benchmark_source, "", ""),
    )
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, rows), marks)


def _brand_takeaway(share: float, benchmark: float, gap: float, amount: str) -> str:
    shown_gap = points(abs(gap))
    side = "at" if shown_gap == points(0) else "below" if gap < 0 else "above"
    return t(
        f"charts_budget.brand_{side}",
        share=percent(share),
        amount=amount,
        gap=shown_gap,
        benchmark=percent(benchmark),
    )


def _brand_drawing(budget: BudgetResult, label: str) -> tuple[str, int]:
    share = budget.brand_share or 0.0
    benchmark = budget.brand_benchmark
    left, span, height = 170.0, WIDTH - 170.0 - 10, 34.0
    rows = (
        (t("charts_budget.brand_yours"), share, budget.brand_amount, budget.activation_amount),
        (t("charts_budget.brand_benchmark_row"), benchmark, None, None),
    )
    parts = [
        hatch("ol-hatch-brand", ACTIVATION),
        legend(
            [
                (BRAND, t("charts_budget.brand_label")),
                ("url(#ol-hatch-brand)", t("charts_budget.activation_label")),
            ],
            16,
        )[0],
    ]
    marks = 0
    for index, (row_label, brand_share, brand_amount, activation_amount) in enumerate(rows):
        y = 34 + index * 58.0
        parts.append(text(row_label, x=0, y=y + 21, font_weight="bold"))
        segments = (
            (
                t("charts_budget.brand_label"),
                brand_share,
                brand_amount,
                BRAND,
                "white" if index == 0 else INK,
            ),
            (
                t("charts_budget.activation_label"),
                1 - brand_share,
                activation_amount,
                "url(#ol-hatch-brand)",
                INK,
            ),
        )
        x = left
        for name, part, amount, fill, ink in segments:
            width = part * span
            shown = percent(part)
            if amount is not None:
                shown = t(
                    "charts_budget.brand_part", share=shown, amount=money(amount, budget.currency)
                )
            tip = t("charts_budget.brand_tip", label=name, row=row_label, value=shown)
            parts.append(
                bar(
                    x,
                    y,
                    width,
                    height,
                    tip,
                    fill=fill,
                    stroke=INK,
                    stroke_width=0.5,
                    opacity=None if index == 0 else "0.6",
                )
            )
            marks += 1
            fitting = shown if width_of(shown, 12) + 12 < width else percent(part)
            if width_of(fitting, 12) + 8 < width:
                # Brand's label at its start, activation's at its end: the benchmark line
                # between them crosses neither.
                first = x == left
                parts.append(
                    text(
                        fitting,
                        x=x + 6 if first else x + width - 6,
                        y=y + 22,
                        fill=ink,
                        font_weight="bold",
                        text_anchor=None if first else "end",
                    )
                )
            x += width
    line_x = left + benchmark * span
    parts.append(
        element(
            "line",
            x1=line_x,
            x2=line_x,
            y1=28,
            y2=34 + 58 + height + 6,
            stroke=INK,
            stroke_width=1.5,
            stroke_dasharray="5 3",
        )
    )
    gap = budget.brand_gap or 0.0
    if points(abs(gap)) != points(0):
        key = "brand_gap_below" if gap < 0 else "brand_gap_above"
        note = t(f"charts_budget.{key}", gap=points(abs(gap)))
        share_x = left + share * span
        low, high = sorted((share_x, line_x))
        parts.append(
            element("path", d=f"M{low:.1f},76 L{high:.1f},76", stroke=WARN, stroke_width=2)
        )
        anchor_x = high + 6 if high + 6 + width_of(note, 11) < WIDTH else low - 6
        parts.append(
            text(
                note,
                x=anchor_x,
                y=80,
                font_size=11,
                fill=WARN,
                font_weight="bold",
                text_anchor="start" if anchor_x > high else "end",
            )
        )
    y = 34 + 58 + height + 20
    parts.append(
        text(
            t("charts_budget.brand_benchmark_line", share=percent(benchmark)),
            x=line_x,
            y=y,
            font_size=11,
            text_anchor="middle",
            fill=INK,
        )
    )
    source = t("charts_budget.brand_source", source=budget.brand_benchmark_source)
    notes = [*wrap(source, WIDTH - 4, 11, 3)]
    if budget.other_amount > 0:
        notes.append(
            t("charts_budget.brand_other", amount=money(budget.other_amount, budget.currency))
        )
    for line in notes:
        y += 16
        parts.append(text(line, x=0, y=y, font_size=11, fill=MUTED))
    return svg(WIDTH, y + 8, parts, label=label), marks
