"""Drawing helpers shared by the bar, matrix and scorecard charts: fitted labels, bars with
their tooltips, a hatch pattern, legend entries, and the chart that says what is missing.

Every function returns SVG markup built with :mod:`orglens.report.svg`, so every string from the
data is escaped on its way in.
"""

from __future__ import annotations

from collections.abc import Sequence

from orglens.report.chart import Chart, DataTable
from orglens.report.svg import FONT, INK, MUTED, element, svg, text, text_width, title

__all__ = [
    "ELLIPSIS",
    "SLACK",
    "WIDTH",
    "bar",
    "empty_chart",
    "hatch",
    "legend",
    "truncate",
    "width_of",
    "wrap",
]

#: The report column: no chart is wider.
WIDTH = 760
ELLIPSIS = "…"
#: Text is fitted as if it were this much wider than :func:`~orglens.report.svg.text_width`
#: estimates: the widest common sans-serif (DejaVu Sans, Linux's default) still fits.
SLACK = 1.15


def width_of(content: str, size: float = FONT) -> float:
    """The width ``content`` may take at ``size``, with :data:`SLACK` (px)."""
    return text_width(content, size) * SLACK


def truncate(content: str, width: float, size: float = FONT) -> str:
    """``content`` cut to fit ``width`` px at ``size``, ending in "…" when cut.

    >>> truncate("Sales UK & Ireland", 200)
    'Sales UK & Ireland'
    >>> truncate("Merge sales, marketing and communications", 80)
    'Merge sale…'
    """
    if width_of(content, size) <= width:
        return content
    cut = content
    while cut and width_of(cut + ELLIPSIS, size) > width:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def wrap(
    content: str, width: float, size: float = FONT, lines: int = 2, *, hyphenate: bool = False
) -> tuple[str, ...]:
    """``content`` broken at spaces into at most ``lines`` lines of ``width`` px; the last line
    truncated with "…" when the text does not fit. A word longer than a line is cut, or, with
    ``hyphenate``, broken with a hyphen (a narrow column header: "Ansvars-", "tydlighet").

    >>> wrap("Merge sales, marketing and communications", 95, 11, 2)
    ('Merge sales,', 'marketing and…')
    >>> wrap("Merge marketing and communications", 80, 11, 4, hyphenate=True)
    ('Merge', 'marketing', 'and communi-', 'cations')
    >>> wrap("Layers", 80)
    ('Layers',)
    """
    words = content.split()
    found: list[str] = []
    current = ""
    while words:
        word = words.pop(0)
        attempt = f"{current} {word}" if current else word
        if width_of(attempt, size) <= width:
            current = attempt
            continue
        split = _hyphenated(current, word, width, size) if hyphenate else None
        if split is not None:
            found.append(split[0])
            current = ""
            words.insert(0, split[1])
        elif not current:
            found.append(word)
        else:
            found.append(current)
            current = ""
            words.insert(0, word)
        if len(found) == lines - 1:
            current = " ".join([current, *words]).strip()
            break
    if current or not found:
        found.append(current)
    return tuple(truncate(line, width, size) for line in found[:lines])


def _hyphenated(current: str, word: str, width: float, size: float) -> tuple[str, str] | None:
    """``current`` line ended with the longest head of ``word`` that fits with a hyphen, and the
    rest of the word; ``None`` when no head of three letters or more fits (or the word is short
    enough to go whole onto the next line)."""
    if len(word) < 7 or (current and width_of(word, size) <= width and len(word) < 12):
        return None
    for cut in range(len(word) - 4, 3, -1):
        line = f"{current} {word[:cut]}-" if current else f"{word[:cut]}-"
        if width_of(line, size) <= width:
            return line, word[cut:]
    return None


def bar(
    x: float,
    y: float,
    width: float,
    height: float,
    tip: str,
    *,
    fill: str,
    **attributes: object,
) -> str:
    """One data mark: a rectangle with ``class="mark"`` whose tooltip is ``tip``."""
    return element(
        "rect",
        title(tip),
        x=x,
        y=y,
        width=max(width, 0.0),
        height=height,
        fill=fill,
        class_="mark",
        **attributes,
    )


def hatch(pattern_id: str, colour: str) -> str:
    """A ``<defs>`` with a diagonal hatch of ``colour`` (fill with ``url(#pattern_id)``), so
    that a highlighted bar differs by its pattern and not by its colour alone."""
    return element(
        "defs",
        element(
            "pattern",
            [
                element("rect", width=6, height=6, fill=colour, opacity="0.35"),
                element("path", d="M0,6 L6,0", stroke=colour, stroke_width=2),
            ],
            id=pattern_id,
            width=6,
            height=6,
            patternUnits="userSpaceOnUse",
        ),
    )


def legend(
    entries: Sequence[tuple[str, str]], y: float, *, size: float = 11, width: float = WIDTH
) -> tuple[str, float]:
    """Legend entries ``(fill, label)`` from ``(0, y)``: a swatch, then its label, in rows no
    wider than ``width``. Returns the markup and the baseline of its last row."""
    parts = []
    x = 0.0
    for fill, label in entries:
        step = 16 + width_of(label, size) + 18
        if x and x + step - 18 > width:
            x, y = 0.0, y + size + 7
        parts.append(
            element(
                "rect", x=x, y=y - 9, width=12, height=10, fill=fill, stroke=INK, stroke_width=0.5
            )
        )
        parts.append(text(label, x=x + 16, y=y, font_size=size, fill=INK))
        x += step
    return "".join(parts), y


def empty_chart(name: str, chart_title: str, message: str, header: Sequence[str]) -> Chart:
    """The chart of a result with nothing to draw: its SVG is just ``message`` (what is missing
    and how to add it), which is also its takeaway; no marks, an empty table."""
    lines = wrap(message, WIDTH - 24, FONT, 4)
    drawn = svg(
        WIDTH,
        20 + 18 * len(lines),
        [
            text(line, x=12, y=22 + 18 * index, fill=MUTED, font_style="italic")
            for index, line in enumerate(lines)
        ],
        label=message,
    )
    return Chart(
        name=name,
        title=chart_title,
        takeaway=message,
        svg=drawn,
        table=DataTable(header=tuple(header), rows=()),
        marks=0,
    )
