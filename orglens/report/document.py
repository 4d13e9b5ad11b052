"""The whole report: one HTML file that works offline, in English or Swedish.

The page carries its styles inline and no script; its Content-Security-Policy forbids every
request (``default-src 'none'``), so a browser opening it asks nothing of the network even if
a name in the data looked like a URL. Charts are inline SVG (see :mod:`orglens.report.svg`).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from orglens.display import Drawn
from orglens.errors import Problem, UsageError
from orglens.i18n import check, date, integer, t, using
from orglens.io.outfile import write_atomically
from orglens.privacy import mask_emails
from orglens.report.sections import (
    advice_html,
    recommendation_html,
    warnings_html,
)
from orglens.report.svg import literal
from orglens.workspace import Comparison, Workspace

__all__ = ["GENERATOR", "SECTIONS", "Section", "is_report", "report_html", "write_report"]

#: Called with a section's id as it starts being built: the progress of writing a report.
Progress = Callable[[str], None]

#: The sections of the report, in order.
SECTIONS = (
    "recommendation",
    "today",
    "journey",
    "budget",
    "customers",
    "designs",
    "advice",
    "warnings",
)

#: The page's generator mark: what tells a report orglens wrote from a user's file.
GENERATOR = "orglens report"

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class Section:
    """One section of the report: its anchor ``id``, heading and HTML body."""

    id: str
    heading: str
    body: str

    def to_html(self) -> str:
        return f'<section id="{self.id}"><h2>{literal(self.heading)}</h2>{self.body}</section>'


def _charts(charts: Sequence[Drawn]) -> str:
    return "".join(chart.to_html() for chart in charts)


def _selected(comparison: Comparison, scenarios: Sequence[str] | None) -> list[str]:
    known = [score.name for score in comparison.scenarios]
    if not scenarios:
        return [name for name in known if name != "status_quo"]
    unknown = [name for name in scenarios if name not in known]
    if unknown:
        raise UsageError(
            Problem(
                f"no scenario {', '.join(map(repr, unknown))} in this workspace",
                f"use one of {', '.join(known)}",
            )
        )
    return list(scenarios)


def sections(
    ws: Workspace, *, scenarios: Sequence[str] | None = None
) -> Iterator[Callable[[], Section]]:
    """The report's sections in order, each built when called (so progress can be shown)."""
    comparison = ws.compare()
    analysis = ws.analysis()
    designs = _selected(comparison, scenarios)
    yield lambda: Section(
        "recommendation",
        t("report.recommendation"),
        recommendation_html(comparison.recommendation, comparison.advice.findings)
        + _charts([comparison.chart("tradeoffs")]),
    )
    yield lambda: Section(
        "today",
        t("report.today"),
        _charts([ws.chart("org"), analysis.chart("spans"), analysis.chart("layers")]),
    )
    yield lambda: Section(
        "journey",
        t("report.journey"),
        _charts([analysis.chart(name) for name in ("journey", "funnel", "handoffs")])
        + _charts([analysis.chart("coordination")]),
    )
    yield lambda: Section(
        "budget",
        t("report.budget"),
        _charts([analysis.chart("brand"), analysis.chart("ownership")]),
    )
    yield lambda: Section("customers", t("report.customers"), _charts([analysis.chart("segments")]))
    yield lambda: Section(
        "designs",
        t("report.designs"),
        _charts([comparison.chart("scorecard")])
        + _charts([comparison.chart("org", scenario=name) for name in designs]),
    )
    yield lambda: Section(
        "advice",
        t("report.advice"),
        advice_html(comparison.advice, _designs(comparison)),
    )
    yield lambda: Section(
        "warnings", t("report.warnings"), warnings_html(comparison.to_dict()["warnings"])
    )


def _header(ws: Workspace, today: dt.date) -> str:
    org = ws.organization
    observed = ws.analysis().process.observed
    events = (
        ""
        if observed is None
        else t("report.events", events=integer(observed.events), cases=integer(observed.cases))
    )
    subtitle = t(
        "report.subtitle",
        people=integer(len(org.people)),
        units=integer(len(org.units)),
        events=events,
        date=date(today),
        version=version("orglens"),
    )
    return (
        f"<header><h1>{literal(t('report.title', company=ws.analysis().organization))}</h1>"
        f'<p class="meta">{literal(subtitle)}</p></header>'
    )


def report_html(
    ws: Workspace,
    *,
    lang: str = "en",
    scenarios: Sequence[str] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> str:
    """The report of ``ws`` as one HTML document in ``lang`` (``"en"`` or ``"sv"``).

    ``scenarios`` names the designs whose organizations are drawn (all but the status quo by
    default); the recommendation and the scorecard always weigh every design.
    """
    with using(check(lang)):
        builders = list(sections(ws, scenarios=scenarios))
        built: list[Section] = []
        for name, build in zip(SECTIONS, builders, strict=True):
            if progress is not None:
                progress(name)
            built.append(build())
        contents = "".join(
            f'<li><a href="#{section.id}">{literal(section.heading)}</a></li>' for section in built
        )
        css = files("orglens.report").joinpath("report.css").read_text(encoding="utf-8")
        page = (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="{GENERATOR}">'
            f"<title>{literal(t('report.title', company=ws.analysis().organization))}</title>"
            f"<style>{css}</style></head><body>"
            f"{_header(ws, today or dt.date.today())}"
            f'<nav aria-label="{literal(t("report.contents"))}">'
            f"<strong>{literal(t('report.contents'))}</strong><ol>{contents}</ol></nav>"
            f"{''.join(section.to_html() for section in built)}"
            f'<footer><p class="noprint">{literal(t("report.print_note"))}</p></footer>'
            "</body></html>"
        )
    # a safety net: every text is masked where it is written, the whole page once more
    return mask_emails(page)


def write_report(
    ws: Workspace,
    path: str | os.PathLike[str],
    *,
    lang: str = "en",
    scenarios: Sequence[str] | None = None,
    fmt: str = "html",
    progress: Progress | None = None,
) -> Path:
    """Write the report of ``ws`` to ``path`` (``fmt`` ``"html"``, or ``"pdf"`` through a
    headless Chromium), atomically: a failed run leaves no file. Returns the path."""
    page = report_html(ws, lang=lang, scenarios=scenarios, progress=progress)
    if fmt == "pdf":
        from orglens.report.pdf import html_to_pdf

        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "report.html"
            source.write_text(page, encoding="utf-8")
            return write_atomically(path, lambda temporary: html_to_pdf(source, temporary))
    if fmt != "html":
        raise UsageError(Problem(f"no report format {fmt!r}", "use html or pdf"))
    return write_atomically(path, lambda temporary: temporary.write_text(page, encoding="utf-8"))


def _designs(comparison: Comparison) -> list[str]:
    return [score.name for score in comparison.scenarios]


def is_report(path: Path) -> bool:
    """Whether the file at ``path`` is a report orglens wrote (its generator mark is in the
    first kilobytes), so that replacing it loses nothing of the user's."""
    if not path.is_file():
        return False
    with path.open("rb") as file:
        head = file.read(4096)
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head
