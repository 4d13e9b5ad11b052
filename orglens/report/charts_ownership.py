"""Who owns revenue and spend: per unit measured on revenue and per pair of units joined by
spend, the lowest manager owning both the money and its result.

Every figure comes from the :class:`~orglens.lenses.Analysis` the JSON output prints (amounts
are summed only to group spend lines by the pair of units they join); every word from the
``charts_budget`` catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from orglens.display import draws
from orglens.i18n import integer, listed, percent, t
from orglens.lenses import Analysis
from orglens.lenses.budget import BudgetResult, RevenueAccountability, SpendAccountability
from orglens.model import VIRTUAL_TOP
from orglens.report.chart import Chart, DataTable
from orglens.report.charts_budget import money, unit_names
from orglens.report.draw_bars import WIDTH, bar, empty_chart, hatch, legend, truncate, wrap
from orglens.report.svg import FONT, INK, MUTED, WARN, colour, element, svg, text

__all__ = ["ownership_chart"]

REVENUE = colour(2)
SPEND = colour(0)
#: Rows drawn per section before the rest is grouped as "other" (the table keeps every row).
TOP_STREAMS = 10
TOP_SPEND = 15

#: How a row of the ownership chart is drawn: revenue; spend serving its own unit (or a unit of
#: the same owner); spend serving another unit's result with a manager below the top owning both;
#: the same where only the top (or nobody) owns both.
_KINDS = ("revenue", "own", "shared", "top")


@dataclass(frozen=True)
class _Row:
    label: str
    amount: float
    shown: str
    owner: str
    kind: str
    tip: str
    grouped: bool = False


def _owner_text(name: str | None, layer: int | None) -> str:
    if name is None:
        return t("charts_budget.owner_none")
    if name == VIRTUAL_TOP:
        return t("charts_budget.owner_virtual")
    if layer is not None and layer <= 1:
        return t("charts_budget.owner_top", name=name)
    return t("charts_budget.owner_layer", name=name, layer=layer)


def _only_top(line: SpendAccountability) -> bool:
    """Whether nobody below the top owns both the line's spend and its result."""
    return line.owner_name in (None, VIRTUAL_TOP) or (line.owner_layer or 0) <= 1


def _spend_kind(line: SpendAccountability) -> str:
    if line.same_owner:
        return "own"
    return "top" if _only_top(line) else "shared"


def _spend_rows(
    lines: Sequence[SpendAccountability], names: Mapping[str, str], currency: str
) -> list[_Row]:
    """One row per pair of units (the unit that spends → the unit whose result it serves; the
    owner depends on the pair only), the spend only the top owns first, largest first."""
    pairs: dict[tuple[str, str], list[SpendAccountability]] = {}
    for line in lines:
        pairs.setdefault((line.unit, line.outcome_unit or line.unit), []).append(line)
    rows = []
    for (unit, outcome), group in pairs.items():
        first = group[0]
        label = (
            names.get(unit, unit)
            if outcome == unit
            else t(
                "charts_budget.owner_spend_label",
                unit=names.get(unit, unit),
                outcome=names.get(outcome, outcome),
            )
        )
        amount = sum(line.amount for line in group)
        shown = money(amount, currency)
        owner = _owner_text(first.owner_name, first.owner_layer)
        tip = t(
            "charts_budget.owner_tip",
            label=label,
            amount=shown,
            owner=owner,
            lines=", ".join(line.id for line in group),
        )
        rows.append(_Row(label, amount, shown, owner, _spend_kind(first), tip))
    return sorted(rows, key=lambda row: -row.amount)


def _revenue_rows(
    streams: Sequence[RevenueAccountability], names: Mapping[str, str], currency: str
) -> list[_Row]:
    """One row per unit measured on revenue (its streams share one owner), largest first."""
    by_unit: dict[str, list[RevenueAccountability]] = {}
    for stream in streams:
        by_unit.setdefault(stream.unit, []).append(stream)
    rows = []
    for unit, group in by_unit.items():
        first = group[0]
        label = t(
            "charts_budget.owner_revenue_label",
            unit=names.get(unit, unit),
            streams=", ".join(dict.fromkeys(stream.stream for stream in group)),
        )
        amount = sum(stream.amount for stream in group)
        shown = money(amount, currency)
        owner = _owner_text(first.owner_name, first.owner_layer)
        tip = t(
            "charts_budget.owner_revenue_tip",
            label=label,
            amount=shown,
            spend=money(first.spend_serving, currency),
            owner=owner,
        )
        rows.append(_Row(label, amount, shown, owner, "revenue", tip))
    return sorted(rows, key=lambda row: -row.amount)


def _top(rows: list[_Row], keep: int, other_key: str, currency: str) -> list[_Row]:
    """The ``keep`` largest rows, the spend only the top owns first; the rest as one row per
    kind (so that its pattern stays true), largest kinds of concern first."""
    if len(rows) > keep + 1:
        kept, rest = rows[:keep], rows[keep:]
    else:
        kept, rest = rows, []
    found = sorted(kept, key=lambda row: (-_KINDS.index(row.kind), -row.amount))
    for kind in reversed(_KINDS):
        group = [row for row in rest if row.kind == kind]
        if len(group) < 2:
            found.extend(group)
            continue
        owners = list(dict.fromkeys(row.owner for row in group))
        owner = owners[0] if len(owners) == 1 else t("charts_budget.owner_several")
        label = t(f"charts_budget.{other_key}", n=integer(len(group)))
        shown = money(sum(row.amount for row in group), currency)
        tip = t(
            "charts_budget.owner_other_tip", label=label, amount=shown, owners=listed(owners[:8])
        )
        amount = sum(row.amount for row in group)
        found.append(_Row(label, amount, shown, owner, kind, tip, grouped=True))
    return found


@draws(Analysis, "ownership")
def ownership_chart(analysis: Analysis, /) -> Chart:
    """Who owns revenue and spend: per unit measured on revenue and per pair of units joined
    by spend, the lowest manager owning both the money and its result; spend whose result
    another unit owns is hatched, and marked when only the top owns both."""
    budget = analysis.budget
    accountability = budget.accountability
    currency = budget.currency
    names = unit_names(analysis)
    header = (
        t("charts_budget.owner_col_item"),
        t("charts_budget.owner_col_kind"),
        t("charts_budget.col_amount", currency=currency),
        t("charts_budget.owner_col_result"),
        t("charts_budget.owner_col_owner"),
    )
    name, chart_title = "ownership", t("charts_budget.owner_title")
    if not accountability.spend_lines and not accountability.revenue_streams:
        return empty_chart(name, chart_title, t("charts_budget.owner_empty"), header)
    takeaway = _ownership_takeaway(budget, analysis.level)
    sections = [
        (
            t("charts_budget.owner_revenue_heading", total=money(budget.revenue, currency)),
            _top(
                _revenue_rows(accountability.revenue_streams, names, currency),
                TOP_STREAMS,
                "owner_other_streams",
                currency,
            ),
        ),
        (
            t("charts_budget.owner_spend_heading", total=money(budget.spend, currency)),
            _top(
                _spend_rows(accountability.spend_lines, names, currency),
                TOP_SPEND,
                "owner_other_spend",
                currency,
            ),
        ),
    ]
    drawing, marks = _ownership_drawing([s for s in sections if s[1]], takeaway)
    table_rows = [
        (
            t(
                "charts_budget.owner_stream_row",
                stream=row.stream,
                unit=names.get(row.unit, row.unit),
                segment=row.segment or "–",
            ),
            t("charts_budget.owner_kind_revenue"),
            integer(row.amount),
            names.get(row.unit, row.unit),
            _owner_text(row.owner_name, row.owner_layer),
        )
        for row in accountability.revenue_streams
    ] + [
        (
            t("charts_budget.owner_line_row", id=line.id, unit=names.get(line.unit, line.unit)),
            t(f"charts_budget.owner_kind_{_spend_kind(line)}"),
            integer(line.amount),
            names.get(line.outcome_unit or line.unit, line.outcome_unit or line.unit),
            _owner_text(line.owner_name, line.owner_layer),
        )
        for line in accountability.spend_lines
    ]
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, tuple(table_rows)), marks)


def _ownership_takeaway(budget: BudgetResult, level: int) -> str:
    accountability = budget.accountability
    currency = budget.currency
    if not accountability.spend_lines:
        return t("charts_budget.owner_no_spend")
    if accountability.spend_outcome_elsewhere_amount == 0:
        return t("charts_budget.owner_all_own")
    crossing = [line for line in accountability.spend_lines if not line.same_owner]
    at_top = [line for line in crossing if _only_top(line)]
    where = (
        t("charts_budget.owner_where_1")
        if level == 1
        else t("charts_budget.owner_where_n", level=level)
    )
    share = percent(accountability.spend_outcome_other_group_share or 0.0)
    if at_top:
        return t(
            "charts_budget.owner_take_top",
            share=share,
            where=where,
            amount=money(sum(line.amount for line in at_top), currency),
            name=_owner_text(at_top[0].owner_name, at_top[0].owner_layer),
        )
    owners = dict.fromkeys(_owner_text(line.owner_name, line.owner_layer) for line in crossing)
    return t("charts_budget.owner_take", share=share, where=where, names=listed(list(owners)[:4]))


def _ownership_drawing(
    sections: Sequence[tuple[str, Sequence[_Row]]], label: str
) -> tuple[str, int]:
    label_right, bar_left, bar_span, owner_x = 236.0, 242.0, 220.0, 548.0
    fills = {
        "revenue": REVENUE,
        "own": SPEND,
        "shared": "url(#ol-hatch-ownership-shared)",
        "top": "url(#ol-hatch-ownership-top)",
    }
    entries, bottom = legend(
        [(fills[kind], t(f"charts_budget.owner_legend_{kind}")) for kind in _KINDS], 14
    )
    parts = [
        hatch("ol-hatch-ownership-shared", SPEND),
        hatch("ol-hatch-ownership-top", WARN),
        entries,
        text(
            t("charts_budget.owner_col_owner"),
            x=owner_x,
            y=bottom + 26,
            font_size=11,
            fill=MUTED,
            font_weight="bold",
        ),
    ]
    y, marks = bottom + 26, 0
    for heading, rows in sections:
        for number_, line in enumerate(wrap(heading, WIDTH - 4, FONT, 2)):
            y += 22 if number_ == 0 else 16
            parts.append(text(line, x=0, y=y, font_weight="bold"))
        # A grouped row ("12 smaller...") may exceed the scale: its bar is cut, its amount shown.
        largest = max((row.amount for row in rows if not row.grouped), default=0.0)
        largest = largest or max(row.amount for row in rows) or 1.0
        for row in rows:
            y += 20
            width = min(max(row.amount / largest * bar_span, 1.5), bar_span)
            cut = row.amount / largest * bar_span > bar_span
            alarm = row.kind == "top"
            parts.append(
                text(
                    truncate(row.label, label_right, 11),
                    x=label_right,
                    y=y - 3,
                    font_size=11,
                    text_anchor="end",
                    fill=INK,
                )
            )
            parts.append(
                bar(
                    bar_left,
                    y - 14,
                    width,
                    14,
                    row.tip,
                    fill=fills[row.kind],
                    stroke={"top": WARN, "shared": SPEND}.get(row.kind),
                )
            )
            if cut:
                gap = bar_left + bar_span * 0.85
                parts.append(
                    element("path", d=f"M{gap:.1f},{y - 16:.1f} l5,0 l-5,18 l-5,0 z", fill="white")
                )
            marks += 1
            parts.append(text(row.shown, x=bar_left + width + 4, y=y - 3, font_size=11, fill=MUTED))
            parts.append(
                text(
                    truncate(row.owner, WIDTH - owner_x, 11),
                    x=owner_x,
                    y=y - 3,
                    font_size=11,
                    fill=WARN if alarm else INK,
                    font_weight="bold" if alarm else None,
                )
            )
        y += 6
    return svg(WIDTH, y + 8, parts, label=label), marks
