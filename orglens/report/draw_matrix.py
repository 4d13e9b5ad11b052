"""Unit×unit matrices as heatmaps, their rows and columns ordered so that clusters show.

:func:`seriate` orders the units so that those with strong ties sit next to each other (a greedy
nearest-neighbour chain on the symmetrised matrix, deterministic); :func:`heatmap` draws the
matrix with the within-unit diagonal visibly apart from the cross-unit cells: grey and dashed,
on a scale of its own, so that a large diagonal does not wash out the handoffs between units.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from orglens.report.draw_flow import Drawing, caption_lines, fit, measure
from orglens.report.svg import FONT, INK, MUTED, element, svg, text, title

__all__ = ["HeatmapText", "heatmap", "seriate"]

#: The report column's width (px).
WIDTH = 760
#: Cross-unit cells run from light to dark blue (Okabe–Ito's blue in the middle) ...
CROSS_RAMP = ("#e6f0f7", "#0072B2", "#002f4b")
#: ... and within-unit cells from light to mid grey.
WITHIN_RAMP = ("#f2f2f2", "#b3b3b3", "#7a7a7a")
#: Cells smaller than this (px) show their number in the tooltip and table only.
LABELLED_CELL = 30


def seriate(labels: Sequence[str], weight: Mapping[tuple[str, str], float]) -> tuple[str, ...]:
    """``labels`` in an order that puts strongly tied units side by side.

    The ties are symmetrised (``weight[a, b] + weight[b, a]``; the diagonal ignored). The chain
    starts at the unit with the most ties and grows at either end by the unplaced unit most tied
    to that end; a unit with no tie to either end starts a new stretch on the right (the unit with
    the most ties first). Ties between candidates go to the larger total, then to the order of
    ``labels``, so the order is deterministic; the chain is read in the direction that starts
    nearer the front of ``labels``.

    Examples
    --------
    Two pairs that talk only among themselves end up side by side:

    >>> seriate(["a", "b", "c", "d"], {("a", "c"): 5, ("b", "d"): 4, ("c", "a"): 1})
    ('a', 'c', 'b', 'd')
    """
    tie: dict[tuple[str, str], float] = {}
    for (source, target), value in weight.items():
        if source != target and source in labels and target in labels:
            tie[source, target] = tie.get((source, target), 0.0) + value
            tie[target, source] = tie.get((target, source), 0.0) + value
    rank = {label: index for index, label in enumerate(labels)}
    total = {label: sum(tie.get((label, other), 0.0) for other in labels) for label in labels}

    def strongest(candidates: Sequence[str]) -> str:
        return min(candidates, key=lambda label: (-total[label], rank[label]))

    unplaced = list(labels)
    if not unplaced:
        return ()
    chain = [strongest(unplaced)]
    unplaced.remove(chain[0])
    while unplaced:
        # (tie to the end, total, file order, 0 = right end / 1 = left end): the least wins
        best = min(
            (-tie.get((end, label), 0.0), -total[label], rank[label], side, label)
            for side, end in ((0, chain[-1]), (1, chain[0]))
            for label in unplaced
        )
        strength, _, _, side, label = best
        if strength == 0.0:
            label, side = strongest(unplaced), 0
        if side == 0:
            chain.append(label)
        else:
            chain.insert(0, label)
        unplaced.remove(label)
    # A chain reads both ways: keep the way that agrees with the order given (a journey's).
    if rank[chain[0]] > rank[chain[-1]]:
        chain.reverse()
    return tuple(chain)


@dataclass(frozen=True)
class HeatmapText:
    """The words around a heatmap, in the report's language: ``rows`` and ``columns`` name the
    axes (``"from"``, ``"to"``); ``cross`` and ``within`` the legend of the two kinds of cells;
    ``label`` the accessible name of the drawing; ``note`` a line beneath (what was grouped)."""

    rows: str
    columns: str
    cross: str
    within: str
    label: str
    note: str = ""


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _ramp(stops: tuple[str, str, str], share: float) -> str:
    """The colour at ``share`` (0..1) of a three-stop ramp."""
    share = min(max(share, 0.0), 1.0)
    low, high = (stops[0], stops[1]) if share <= 0.5 else (stops[1], stops[2])
    part = share * 2 if share <= 0.5 else share * 2 - 1
    mixed = (round(a + (b - a) * part) for a, b in zip(_hex(low), _hex(high), strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _dark(colour: str) -> bool:
    red, green, blue = _hex(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 140


def _scale(values: Sequence[float]) -> Callable[[float], float]:
    """A square-root scale from 0..max to 0.15..1: skewed counts still tell apart, and the
    smallest cell stays visible."""
    top = max(values, default=0.0)
    if top <= 0:
        return lambda value: 0.15
    return lambda value: 0.15 + 0.85 * (max(value, 0.0) / top) ** 0.5


def heatmap(
    keys: Sequence[str],
    values: Mapping[tuple[str, str], float],
    *,
    names: Mapping[str, str],
    words: HeatmapText,
    value_text: Callable[[float], str],
    cell_title: Callable[[str, str, float], str],
) -> Drawing:
    """Draw ``values[row, column]`` for the units ``keys`` in their order (rows and columns
    alike), each shown by its name in ``names``.

    Every non-zero cell is a mark with a tooltip (``cell_title(row, column, value)``) and, when
    the cell is large enough, its number (``value_text``); cross-unit cells share a blue scale,
    the diagonal (within a unit) a grey scale and a dashed outline of its own.

    >>> words = HeatmapText("from", "to", "between units", "within a unit", "handoffs")
    >>> drawn = heatmap(["a", "b"], {("a", "b"): 3, ("b", "b"): 9}, names={"a": "A", "b": "B"},
    ...                 words=words, value_text=str, cell_title=lambda r, c, v: f"{r}→{c}: {v}")
    >>> drawn.marks, drawn.svg.count('stroke-dasharray')  # the diagonal cell, its legend
    (2, 2)
    """
    count = len(keys)
    labels = [names[key] for key in keys]
    size = FONT - 1
    longest = max((measure(label, size) for label in labels), default=0.0)
    left = min(170.0, max(60.0, longest + 14))
    cell = max(12.0, min(52.0, (WIDTH - left - 40) / max(count, 1)))
    top = min(130.0, max(40.0, 0.72 * min(longest, 150.0) + 34))
    grid = cell * count
    legend_y = top + grid + 26
    notes, extra = caption_lines(words.note, legend_y + 4)
    height = legend_y + 18 + extra
    diagonal = any(r == c and v > 0 for (r, c), v in values.items())
    legend = 60 + measure(words.cross, FONT - 1) + (measure(words.within, FONT - 1) + 30) * diagonal
    width = WIDTH if words.note else min(WIDTH, max(left + grid + 60, left + legend))
    cross = _scale([v for (r, c), v in values.items() if r != c])
    within = _scale([v for (r, c), v in values.items() if r == c])
    parts = [
        element("rect", x=left, y=top, width=grid, height=grid, fill="#fbfbfb", stroke="#e1e4e8"),
        text(words.rows + " ↓", x=left - 8, y=top - 8, text_anchor="end", fill=MUTED),
        text(words.columns + " →", x=left, y=14, fill=MUTED),
    ]
    for index, label in enumerate(labels):
        middle = top + cell * index + cell / 2
        parts.append(
            element(
                "g",
                [
                    title(label),
                    text(
                        fit(label, left - 14, size),
                        x=left - 6,
                        y=middle + 4,
                        text_anchor="end",
                        font_size=size,
                        fill=INK,
                    ),
                ],
            )
        )
        x = left + cell * index + cell / 2 + 4
        parts.append(
            element(
                "g",
                [
                    title(label),
                    text(
                        fit(label, (top - 30) / 0.72, size),
                        x=x,
                        y=top - 6,
                        transform=f"rotate(-45 {x:.1f} {top - 6:.1f})",
                        font_size=size,
                        fill=INK,
                    ),
                ],
            )
        )
    marks = 0
    for row_index, row in enumerate(keys):
        for column_index, column in enumerate(keys):
            value = values.get((row, column), 0.0)
            if value <= 0:
                continue
            inside = row == column
            fill = _ramp(
                WITHIN_RAMP if inside else CROSS_RAMP, (within if inside else cross)(value)
            )
            x, y = left + cell * column_index, top + cell * row_index
            shown = value_text(value)
            children = [
                title(cell_title(row, column, value)),
                element(
                    "rect",
                    x=x + 1,
                    y=y + 1,
                    width=cell - 2,
                    height=cell - 2,
                    fill=fill,
                    stroke=INK if inside else None,
                    stroke_width=1 if inside else None,
                    stroke_dasharray="3 2" if inside else None,
                ),
            ]
            if cell >= LABELLED_CELL and measure(shown, size - 1) <= cell - 4:
                children.append(
                    text(
                        shown,
                        x=x + cell / 2,
                        y=y + cell / 2 + 4,
                        text_anchor="middle",
                        font_size=size - 1,
                        fill="#ffffff" if _dark(fill) else INK,
                    )
                )
            parts.append(element("g", children, class_="mark"))
            marks += 1
    parts.extend(_legend(left, legend_y, words, diagonal=diagonal))
    parts.extend(notes)
    return Drawing(svg(width, height, parts, label=words.label), marks)


def _legend(x: float, y: float, words: HeatmapText, *, diagonal: bool) -> list[str]:
    """The blue scale between units; the grey dashed swatch within a unit, when drawn."""
    parts: list[str] = []
    for index, stop in enumerate(CROSS_RAMP):
        parts.append(element("rect", x=x + index * 12, y=y - 10, width=12, height=12, fill=stop))
    parts.append(text(words.cross, x=x + 42, y=y, fill=MUTED, font_size=FONT - 1))
    if not diagonal:
        return parts
    second = x + 56 + measure(words.cross, FONT - 1)
    parts.append(
        element(
            "rect",
            x=second,
            y=y - 10,
            width=12,
            height=12,
            fill=WITHIN_RAMP[1],
            stroke=INK,
            stroke_dasharray="3 2",
        )
    )
    parts.append(text(words.within, x=second + 18, y=y, fill=MUTED, font_size=FONT - 1))
    return parts
