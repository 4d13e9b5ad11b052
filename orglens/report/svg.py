"""The drawing primitives of the report's charts: SVG elements with every text escaped.

Charts are drawn here, in Python, as inline SVG: a report stays a few hundred kilobytes, opens
instantly, prints cleanly and needs no script (a page with no script cannot make a request or
log a console error). Every data mark carries ``class="mark"`` and a ``<title>`` (the browser's
tooltip), so tests count marks and a reader can hover for the number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from orglens.privacy import mask_emails, visible

__all__ = [
    "FONT",
    "INK",
    "MUTED",
    "PALETTE",
    "WARN",
    "colour",
    "element",
    "literal",
    "svg",
    "text",
    "text_width",
    "title",
]

#: Okabe–Ito's colour-blind-safe categorical palette (units, designs), then greys.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
INK = "#1f2328"
MUTED = "#6e7781"
WARN = "#D55E00"  # out of range, over a threshold
FONT = 12  # px, the charts' body size


def colour(index: int) -> str:
    """The ``index``-th categorical colour; beyond the palette, greys that stay readable."""
    if index < len(PALETTE):
        return PALETTE[index]
    shade = 90 + (index * 37) % 100
    return f"rgb({shade},{shade},{shade})"


def _attributes(attributes: Mapping[str, object]) -> str:
    parts = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        shown = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else value
        parts.append(f' {name}="{literal(str(shown))}"')
    return "".join(parts)


def element(tag: str, children: Iterable[str] | str = (), /, **attributes: object) -> str:
    """``<tag attributes>children</tag>``; attribute values escaped, ``class_`` → ``class``,
    ``stroke_width`` → ``stroke-width``, floats to two decimals. Children are markup already
    built by these functions (use :func:`text` for a string from the data)."""
    inner = children if isinstance(children, str) else "".join(children)
    if not inner:
        return f"<{tag}{_attributes(attributes)}/>"
    return f"<{tag}{_attributes(attributes)}>{inner}</{tag}>"


def literal(content: str) -> str:
    """``content`` from the data as HTML text shown literally: markup escaped, control and
    bidirectional-override characters shown as escapes, e-mail addresses masked."""
    return escape(visible(mask_emails(content)), quote=True)


def text(content: str, /, **attributes: object) -> str:
    """A ``<text>`` showing ``content`` literally (markup in a name is shown, never run)."""
    return element("text", literal(content), **attributes)


def title(content: str) -> str:
    """A ``<title>``: the tooltip of the element it is the first child of."""
    return element("title", literal(content))


def text_width(content: str, size: float = FONT) -> float:
    """An estimate of the width ``content`` takes in the report's sans-serif font (px)."""
    return (
        sum(0.33 if ch in "il.,:;|!' " else 0.62 if ch.isupper() else 0.55 for ch in content) * size
    )


def svg(width: float, height: float, children: Iterable[str], *, label: str) -> str:
    """The ``<svg>`` of one chart: scales to its container, ``role="img"`` with ``label`` as its
    accessible name (the data table beneath the chart gives the numbers)."""
    return element(
        "svg",
        children,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        width=f"{width:.0f}",
        role="img",
        aria_label=label,
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        font_size=FONT,
        class_="chart",
    )
