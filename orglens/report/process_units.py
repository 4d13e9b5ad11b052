"""What the process charts share: units named, kept and folded into "other" the same way in
every chart, in one left-to-right order; waits in a few characters; the chart of an empty input
and the source (the declared journey or the event log) a chart draws from.

The charts are :mod:`~orglens.report.charts_journey`, :mod:`~orglens.report.charts_funnel` and
:mod:`~orglens.report.charts_process`; every word comes from the ``charts_process`` catalogue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from orglens.errors import Problem, UsageError
from orglens.i18n import integer, listed, number, t
from orglens.lenses import Analysis
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_flow import Drawing, wrap
from orglens.report.svg import INK, svg, text

__all__ = [
    "NO_UNIT",
    "OTHER",
    "chosen_source",
    "drawn_chart",
    "grouped_note",
    "largest_units",
    "message_chart",
    "short_wait",
    "unit_namer",
    "unit_order",
]

#: Units named in a note on what was folded into "other"; the rest counted.
GROUPED_NAMED = 5
#: The key of the units folded together, and of the steps done by no unit: keys no unit id can
#: be, shown as ``t("charts_process.other")`` and ``t("charts_process.no_unit")``.
OTHER = "\x00other"
NO_UNIT = "\x00none"
#: What ``source=`` of a process chart takes.
SOURCES = ("auto", "declared", "observed")


def _k(key: str, /, **params: object) -> str:
    return t(f"charts_process.{key}", **params)


def unit_namer(analysis: Analysis) -> Callable[[str], str]:
    """A unit id's display name (its name, with the id when two units share it)."""
    names = {unit.unit: unit.name or unit.unit for unit in analysis.hr.units}
    shared = {name for name, count in Counter(names.values()).items() if count > 1}
    special = {OTHER: _k("other"), NO_UNIT: _k("no_unit")}

    def name(unit: str) -> str:
        if unit in special:
            return special[unit]
        found = names.get(unit, unit)
        return f"{found} ({unit})" if found in shared else found

    return name


def unit_order(analysis: Analysis) -> list[str]:
    """Groups in the order of the declared journey, then the others: the same left-to-right
    order (and in the journey, the same colour) for a unit in every process chart."""
    process = analysis.process
    found = dict.fromkeys(s.group for s in process.journey if s.group is not None)
    found.update(dict.fromkeys(process.groups))
    if process.observed is not None:
        for pair in sorted(process.observed.handoffs.pairs, key=lambda p: (p.source, p.target)):
            found.update(dict.fromkeys((pair.source, pair.target)))
    return list(found)


def grouped_note(names: Sequence[str]) -> str:
    """The units folded into "other", the first few by name."""
    shown = list(names[:GROUPED_NAMED])
    if len(names) > GROUPED_NAMED:
        shown.append(_k("n_more", n=len(names) - GROUPED_NAMED))
    return _k("grouped_units", units=listed(shown))


def largest_units(volume: Mapping[str, float], most: int) -> set[str]:
    """The ``most`` units of largest volume (ties by id), or all when they fit."""
    if len(volume) <= most:
        return set(volume)
    ranked = sorted(volume, key=lambda unit: (-volume[unit], unit))
    return set(ranked[: most - 1])


def short_wait(seconds: float | None) -> str:
    """A wait in few characters: ``'45 min'``, ``'3.5 h'``, ``'14 d'``."""
    if seconds is None:
        return "–"
    for size, key in ((86400 * 2, "days"), (3600, "hours"), (60, "minutes")):
        if seconds >= size:
            amount = seconds / (86400 if key == "days" else size)
            return _k(
                f"short_{key}", n=number(round(amount, 1)) if amount < 10 else integer(amount)
            )
    return _k("short_seconds", n=integer(seconds))


def message_chart(name: str, heading: str, sentence: str) -> Chart:
    """The chart of an empty input: the sentence saying what is missing, no marks."""
    lines = wrap(sentence, 720, lines=3)
    drawing = svg(
        760,
        24 + 18 * len(lines),
        [text(line, x=8, y=22 + 18 * n, fill=INK) for n, line in enumerate(lines)],
        label=sentence,
    )
    return Chart(name, heading, sentence, drawing, DataTable((heading,), ()), 0)


def drawn_chart(
    name: str, heading: str, takeaway: str, drawing: Drawing, table: DataTable
) -> Chart:
    """The chart ``name`` of a drawing, with its marks."""
    return Chart(name, heading, takeaway, drawing.svg, table, drawing.marks)


def chosen_source(analysis: Analysis, source: str) -> str:
    """``"declared"`` or ``"observed"``: as asked, or for ``"auto"`` observed with events."""
    if source not in SOURCES:
        raise UsageError(Problem(f"unknown source {source!r}", f"use one of {', '.join(SOURCES)}"))
    if source == "auto":
        return "observed" if analysis.process.observed is not None else "declared"
    return source
