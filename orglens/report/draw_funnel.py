"""The funnel drawn as SVG: one bar per stage, top to bottom, the share lost written between
the bars.

The drawing takes what to show already worded and formatted and places it;
:mod:`orglens.report.charts_funnel` decides what to show. Every data mark is a
``<g class="mark">`` whose first child is its ``<title>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orglens.report.draw_flow import BOX_H, SMALL, WIDTH, Drawing, caption_lines, fit, measure
from orglens.report.svg import INK, MUTED, WARN, element, svg, text, title

__all__ = ["Bar", "funnel_bars"]


@dataclass(frozen=True)
class Bar:
    """A stage of the funnel: ``value`` sets the bar's length; ``drop`` (the share lost since
    the stage before, worded) is written above it, in bold and orange when ``stress``."""

    label: str
    value: float
    value_text: str
    tooltip: str
    drop: str | None
    stress: bool = False


def funnel_bars(bars: Sequence[Bar], *, caption: str, label: str) -> Drawing:
    """One horizontal bar per stage, top to bottom; between bars, what was lost.

    >>> bars = [Bar("Lead", 100, "100", "Lead: 100", None),
    ...         Bar("Deal", 20, "20", "Deal: 20", "80% lost", stress=True)]
    >>> drawn = funnel_bars(bars, caption="", label="funnel")
    >>> drawn.marks, "80% lost" in drawn.svg
    (2, True)
    """
    left = min(230.0, max((measure(bar.label) for bar in bars), default=40.0) + 16)
    longest_value = max((measure(bar.value_text, SMALL) for bar in bars), default=0.0)
    span = WIDTH - left - longest_value - 16
    largest = max((bar.value for bar in bars), default=0.0)
    parts: list[str] = []
    y = 8.0
    for bar in bars:
        if bar.drop:
            y += 18
            parts.append(
                text(
                    "↓ " + bar.drop,
                    x=left + 4,
                    y=y - 4,
                    font_size=SMALL,
                    fill=WARN if bar.stress else MUTED,
                    font_weight=700 if bar.stress else None,
                )
            )
        else:
            y += 6
        length = max(span * bar.value / largest, 1.0) if largest > 0 else 1.0
        parts.append(
            element(
                "g",
                [
                    title(bar.tooltip),
                    text(
                        fit(bar.label, left - 12), x=left - 8, y=y + 14, text_anchor="end", fill=INK
                    ),
                    element("rect", x=left, y=y, width=length, height=BOX_H, rx=2, fill="#0072B2"),
                    text(bar.value_text, x=left + length + 6, y=y + 14, font_size=SMALL, fill=INK),
                ],
                class_="mark",
            )
        )
        y += BOX_H
    lines, extra = caption_lines(caption, y + 6)
    parts.extend(lines)
    height = y + 10 + extra
    return Drawing(svg(WIDTH, height, parts, label=label), len(bars))
