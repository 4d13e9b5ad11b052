"""Handoffs between units drawn as arcs: units left to right, an arc for each pair of units
one hands over to the other (left to right above the units, right to left below), its
thickness by count, labelled with the count and the waits.

The drawing takes what to show already worded and formatted and places it;
:mod:`orglens.report.charts_journey` decides what to show. Every data mark is a
``<g class="mark">`` whose first child is its ``<title>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orglens.report.draw_flow import (
    LINE_H,
    SMALL,
    WIDTH,
    Drawing,
    arrowhead,
    caption_lines,
    measure,
    tint,
    wrap,
)
from orglens.report.svg import FONT, INK, MUTED, element, svg, text, title

__all__ = ["Arc", "Node", "arc_flow"]


@dataclass(frozen=True)
class Node:
    """A unit of the arc flow: its name, colour and tooltip."""

    label: str
    colour: str
    tooltip: str


@dataclass(frozen=True)
class Arc:
    """Handoffs from node ``source`` to node ``target``: ``weight`` sets the thickness,
    ``lines`` the label at the arc's top (the count, then the waits)."""

    source: int
    target: int
    weight: float
    lines: tuple[str, ...]
    tooltip: str


_NODE_H = 40.0
_LEVEL_H = 38.0


def _rise(level: int) -> float:
    """How far the top of an arc of ``level`` (1, 2...) lies from the nodes."""
    return 24.0 + (level - 1) * _LEVEL_H


def _levels(arcs: Sequence[Arc], centres: Sequence[float]) -> dict[int, int]:
    """A height level for each arc (by index) so that labels never overlap: shorter arcs low,
    an arc above every arc it spans, and one level up while its label hits another's."""
    placed: dict[int, int] = {}
    boxes: list[tuple[int, float, float, bool]] = []
    order = sorted(
        range(len(arcs)),
        key=lambda i: (abs(arcs[i].target - arcs[i].source), -arcs[i].weight, i),
    )
    for index in order:
        arc = arcs[index]
        above = arc.source < arc.target
        low, high = sorted((arc.source, arc.target))
        level = 1 + max(
            (
                placed[other]
                for other in placed
                if (arcs[other].source < arcs[other].target) == above
                and low <= min(arcs[other].source, arcs[other].target)
                and max(arcs[other].source, arcs[other].target) <= high
            ),
            default=0,
        )
        middle = (centres[arc.source] + centres[arc.target]) / 2
        half = max((measure(line, SMALL) for line in arc.lines), default=0.0) / 2 + 6
        while arc.lines and any(
            side == above and lvl == level and start < middle + half and middle - half < stop
            for lvl, start, stop, side in boxes
        ):
            level += 1
        placed[index] = level
        boxes.append((level, middle - half, middle + half, above))
    return placed


def arc_flow(nodes: Sequence[Node], arcs: Sequence[Arc], *, caption: str, label: str) -> Drawing:
    """Units in a row, handoffs as labelled arcs: left to right above, right to left below.

    >>> nodes = [Node("Marketing", "#0072B2", "Marketing"), Node("Sales", "#E69F00", "Sales")]
    >>> arcs = [Arc(0, 1, 20, ("20", "wait 2 d"), "Marketing → Sales: 20"),
    ...         Arc(1, 0, 3, ("3",), "Sales → Marketing: 3")]
    >>> drawn = arc_flow(nodes, arcs, caption="", label="handoffs")
    >>> drawn.marks
    4
    """
    count = max(len(nodes), 1)
    slot = (WIDTH - 20) / count
    node_w = min(150.0, slot - 14)
    centres = [10 + slot * (i + 0.5) for i in range(len(nodes))]
    levels = _levels(arcs, centres)
    up = max((levels[i] for i, a in enumerate(arcs) if a.source < a.target), default=0)
    down = max((levels[i] for i, a in enumerate(arcs) if a.source > a.target), default=0)
    node_y = 10 + (_rise(up) + 30 if up else 0)
    bottom = node_y + _NODE_H + (_rise(down) + 34 if down else 0) + 12
    heaviest = max((arc.weight for arc in arcs), default=0.0)
    parts: list[str] = []
    labels: list[str] = []
    for index, arc in enumerate(arcs):
        drawn, label = _arc(arc, nodes, centres, levels[index], node_y, heaviest)
        parts.append(drawn)
        labels.append(label)
    parts.extend(labels)
    for node, centre in zip(nodes, centres, strict=True):
        lines = wrap(node.label, node_w - 10, FONT)
        first = node_y + _NODE_H / 2 + 4 - (len(lines) - 1) * LINE_H / 2
        parts.append(
            element(
                "g",
                [
                    title(node.tooltip),
                    element(
                        "rect",
                        x=centre - node_w / 2,
                        y=node_y,
                        width=node_w,
                        height=_NODE_H,
                        rx=6,
                        fill=tint(node.colour),
                        stroke=node.colour,
                        stroke_width=2,
                    ),
                ]
                + [
                    text(
                        line,
                        x=centre,
                        y=first + LINE_H * n,
                        text_anchor="middle",
                        font_weight=600,
                        fill=INK,
                    )
                    for n, line in enumerate(lines)
                ],
                class_="mark",
            )
        )
    notes, extra = caption_lines(caption, bottom - 4)
    parts.extend(notes)
    height = bottom + extra
    return Drawing(svg(WIDTH, height, parts, label=label), len(nodes) + len(arcs))


def _arc(
    arc: Arc,
    nodes: Sequence[Node],
    centres: Sequence[float],
    level: int,
    node_y: float,
    heaviest: float,
) -> tuple[str, str]:
    """The arc (a mark) and its label, drawn after every arc so that no line runs over it."""
    above = arc.source < arc.target
    # Arcs leave a node right of its centre and arrive left of it, so that the two directions
    # of a pair, and arcs in and out of one unit, do not start at one point.
    x1, x2 = centres[arc.source] + 8, centres[arc.target] - 8
    base = node_y if above else node_y + _NODE_H
    apex = base - _rise(level) if above else base + _rise(level)
    pull = (apex - base) / 0.75
    colour = nodes[arc.source].colour
    width = 1.5 + 6 * ((arc.weight / heaviest) ** 0.5 if heaviest > 0 else 0.0)
    tip = base - 1 if above else base + 1
    end = tip - 8 if above else tip + 8
    path = (
        f"M{x1:.1f},{base:.1f} C{x1:.1f},{base + pull:.1f} {x2:.1f},{base + pull:.1f} "
        f"{x2:.1f},{end:.1f}"
    )
    children = [
        title(arc.tooltip),
        element(
            "path",
            d=path,
            fill="none",
            stroke=colour,
            stroke_width=width,
            stroke_opacity=0.85,
            stroke_linecap="round",
        ),
        arrowhead(x2, tip, above, colour, 5.0),
    ]
    middle = (x1 + x2) / 2
    # the label sits just outside the arc's top, where the next level's arc leaves room
    clear = 4 + width / 2
    first = apex - clear - 2 - (len(arc.lines) - 1) * LINE_H if above else apex + clear + 10
    label: list[str] = []
    if arc.lines:
        wide = max(measure(line, SMALL) for line in arc.lines) + 8
        label = [
            title(arc.tooltip),
            element(
                "rect",
                x=middle - wide / 2,
                y=first - 11,
                width=wide,
                height=LINE_H * len(arc.lines) + 3,
                rx=3,
                fill="#ffffff",
                fill_opacity=0.9,
            ),
        ]
        label += [
            text(
                line,
                x=middle,
                y=first + LINE_H * number,
                text_anchor="middle",
                font_size=SMALL,
                font_weight=600 if number == 0 else None,
                fill=INK if number == 0 else MUTED,
            )
            for number, line in enumerate(arc.lines)
        ]
    return element("g", children, class_="mark"), element("g", label) if label else ""
