"""What the web workspace's pages show, computed from an uploaded version and the scenarios
written in the browser: no database, no HTTP, only :class:`~orglens.workspace.Workspace` and
the report.

Each function returns JSON-ready data (or the report's bytes) that the caller caches per
version under :func:`cache_key`: :func:`dashboard` (the four lenses, with the report's charts),
:func:`comparison` (scorecard, recommendation, Pareto front and the advice findings, each with
the target its comments attach to), :func:`design` (one scenario) and :func:`report` (the
report as HTML or PDF). Every HTML fragment is the report's own, escaped where it was built and
with e-mail addresses masked; ``hide_cost=True`` removes what would show people's cost (see
:mod:`orglens.web.results_cost`) from the output, never from the data the results are computed
on.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "people.csv").write_text(
...     "id,manager_id,unit,cost\\nceo,,m,900\\ns,ceo,sales,500\\nk,ceo,marketing,400\\n")
>>> merge = "operations:\\n  - merge: {units: [sales, marketing], name: Duo}\\n"
>>> ws = open_version(folder, {"duo": merge})
>>> [s["name"] for s in comparison(ws)["scenarios"]][-1]
'duo'
>>> dashboard(ws)["analysis"]["hr"]["people_cost"], "people_cost" in dashboard(
...     ws, hide_cost=True)["analysis"]["hr"]
(1800.0, False)
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from orglens.advice import Finding
from orglens.display import Drawn
from orglens.errors import Problem, UsageError
from orglens.i18n import check, t, using
from orglens.privacy import masked
from orglens.report import Chart
from orglens.report.charts_compare import design_status, metric_value
from orglens.report.document import report_html
from orglens.report.labels import design_label, humane, metric_label
from orglens.report.pdf import find_chromium, html_to_pdf
from orglens.report.sections import finding_html, recommendation_html
from orglens.web.results_cost import COST_CHARTS, without_cost, without_cost_charts
from orglens.web.results_version import open_version, validate_scenario
from orglens.workspace import Comparison, Workspace

__all__ = [
    "LENSES",
    "REPORT_FORMATS",
    "cache_key",
    "can_print_pdf",
    "comparison",
    "dashboard",
    "design",
    "finding_id",
    "open_version",
    "report",
    "validate_scenario",
]

#: The four lenses of the dashboard: the lens, the report section that shows it (its heading is
#: the dashboard's) and the charts drawn, as the report draws them (``org`` is the workspace's
#: chart of today's organization, the others the analysis's).
LENSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("hr", "today", ("org", "spans", "layers")),
    ("process", "journey", ("journey", "funnel", "handoffs", "coordination")),
    ("budget", "budget", ("brand", "ownership")),
    ("customer", "customers", ("segments",)),
)

#: The formats :func:`report` writes.
REPORT_FORMATS = ("html", "pdf")


def cache_key(
    kind: str, lang: str, hide_cost: bool, scenarios: Mapping[str, str] | None = None
) -> str:
    """The key of a cached result of a version: ``KIND:LANG:cost|no-cost:HASH``, the hash over
    the written scenarios (names and texts, in any order) and the orglens release (a new
    release computes its results afresh).

    ``kind`` names the result: ``dashboard``, ``comparison``, ``design:NAME``,
    ``report.html``, ``report.pdf``.

    Examples
    --------
    >>> key = cache_key("dashboard", "sv", True, {"b": "x", "a": "y"})
    >>> key.startswith("dashboard:sv:no-cost:"), len(key.rsplit(":", 1)[1])
    (True, 32)
    >>> key == cache_key("dashboard", "sv", True, {"a": "y", "b": "x"})
    True
    >>> key == cache_key("dashboard", "sv", True, {"a": "y", "b": "x "})
    False
    """
    written = sorted((scenarios or {}).items())
    payload = json.dumps([version("orglens"), written], ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
    return f"{kind}:{check(lang)}:{'no-cost' if hide_cost else 'cost'}:{digest}"


def _chart(drawn: Drawn) -> dict[str, Any]:
    """A chart as a page shows it: its name, title, takeaway and HTML (the report's figure)."""
    title = drawn.title if isinstance(drawn, Chart) else ""
    takeaway = drawn.takeaway if isinstance(drawn, Chart) else ""
    return {"name": drawn.name, "title": title, "takeaway": takeaway, "html": drawn.to_html()}


def _charts(drawn: Sequence[Drawn], hide_cost: bool) -> list[dict[str, Any]]:
    return [_chart(d) for d in drawn if not (hide_cost and d.name in COST_CHARTS)]


def _finished(data: dict[str, Any], hide_cost: bool) -> dict[str, Any]:
    """``data`` with e-mail addresses masked, and people's cost removed for ``hide_cost``."""
    shown: dict[str, Any] = masked(data)
    return without_cost(shown) if hide_cost else shown


def dashboard(ws: Workspace, lang: str = "en", hide_cost: bool = False) -> dict[str, Any]:
    """Today's organization through the four lenses: ``analysis`` (the JSON of
    ``orglens analyze``), and per lens of :data:`LENSES` its heading and the report's charts
    (``{"name", "title", "takeaway", "html"}``), in ``lang``.

    Keys: ``kind``, ``lang``, ``hide_cost``, ``organization``, ``currency``, ``level``,
    ``people``, ``units``, ``events`` (``{"events", "cases"}`` or ``None``), ``given``
    (whether the data has people's cost, budget lines and revenue streams: ``{"cost",
    "budget", "revenue"}``; a sum of none of them is not a figure of 0), ``warnings``,
    ``analysis``, ``lenses`` (``[{"lens", "section", "heading", "charts"}]``).
    """
    lang = check(lang)
    analysis, org = ws.analysis(), ws.organization
    observed = analysis.process.observed
    with using(lang):
        lenses = [
            {
                "lens": lens,
                "section": section,
                "heading": t(f"report.{section}"),
                "charts": _charts(
                    [ws.chart(n) if n == "org" else analysis.chart(n) for n in names], hide_cost
                ),
            }
            for lens, section, names in LENSES
        ]
    return _finished(
        {
            "kind": "dashboard",
            "lang": lang,
            "hide_cost": hide_cost,
            "organization": analysis.organization,
            "currency": analysis.currency,
            "level": analysis.level,
            "people": len(org.people),
            "units": len(org.units),
            "events": None
            if observed is None
            else {"events": observed.events, "cases": observed.cases},
            "given": {
                "cost": analysis.hr.people_with_cost > 0,
                "budget": bool(org.budget),
                "revenue": bool(org.revenue),
            },
            "warnings": list(analysis.warnings),
            "analysis": analysis.to_dict(),
            "lenses": lenses,
        },
        hide_cost,
    )


def finding_id(finding: Finding) -> str:
    """The stable id of an advice finding, which comments attach to (``finding:ID``): the id
    of its rule. Every rule of the debate gives exactly one finding for every workspace, in
    every language, so a comment stays with its rule from one version to the next (the
    finding's verdict may change with the data; the comment shows beside the new one)."""
    return finding.rule


def _scenarios(
    ws: Workspace, compared: Comparison, data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    recommendation = compared.recommendation
    scores = {score.name: score for score in compared.scenarios}
    ranked = {
        entry.name: (rank, entry.score) for rank, entry in enumerate(recommendation.ranked, 1)
    }
    currency = ws.analysis().currency
    found = []
    for entry in data["scenarios"]:
        name = entry["name"]
        origin = ws.scenario(name).origin
        rank, score = ranked.get(name, (None, None))
        found.append(
            entry
            | {
                "label": design_label(name),
                "target": f"scenario:{name}",
                "written": origin is not None,
                "source": None if origin is None else origin.file,
                "status": design_status(name, recommendation, scores),
                "rank": rank,
                "score": score,
                "recommended": name == recommendation.recommended,
                "on_pareto_front": name in recommendation.pareto,
                "shown": {
                    key: metric_value(key, value, currency, short=True)
                    for key, value in entry["metrics"].items()
                },
            }
        )
    return found


def comparison(ws: Workspace, lang: str = "en", hide_cost: bool = False) -> dict[str, Any]:
    """Every design scored, the recommendation and the advice, in ``lang``.

    Keys: ``kind``, ``lang``, ``hide_cost``, ``level``, ``currency``; ``recommendation`` (its
    JSON, ``target`` ``"recommendation"`` and ``html``, the report's section); ``pareto`` (the
    designs on the front, ``{"name", "label"}``) and ``dominated`` (``{"name", "label",
    "why"}``); ``scenarios`` (the JSON of each with ``label``, ``target`` ``scenario:NAME``,
    ``written``, ``source``, ``status``, ``rank``, ``score``, ``recommended``,
    ``on_pareto_front`` and ``shown``, each metric as a reader reads it); ``metrics`` (with
    ``label``); ``findings`` (each finding's JSON with ``id``, see :func:`finding_id`,
    ``target`` ``finding:ID`` and ``html``, the report's); ``sources``; ``warnings``;
    ``skipped_designs``; ``charts`` (the trade-offs and the scorecard).
    """
    lang = check(lang)
    compared = ws.compare(lang=lang)
    data = compared.to_dict()
    recommendation = compared.recommendation
    designs = [score.name for score in compared.scenarios]
    findings = compared.advice.findings
    with using(lang):
        result = {
            "kind": "comparison",
            "lang": lang,
            "hide_cost": hide_cost,
            "level": compared.level,
            "currency": ws.analysis().currency,
            "recommendation": data["recommendation"]
            | {
                "target": "recommendation",
                "label": None
                if recommendation.recommended is None
                else design_label(recommendation.recommended),
                "html": recommendation_html(recommendation, findings),
            },
            "pareto": [{"name": n, "label": design_label(n)} for n in recommendation.pareto],
            "dominated": [
                {"name": n, "label": design_label(n), "why": humane(why, designs)}
                for n, why in recommendation.dominated.items()
            ],
            "scenarios": _scenarios(ws, compared, data),
            "metrics": [m | {"label": metric_label(m["key"])} for m in data["metrics"]],
            "findings": [
                finding.to_dict()
                | {
                    "id": finding_id(finding),
                    "target": f"finding:{finding_id(finding)}",
                    "html": finding_html(finding, designs),
                }
                for finding in findings
            ],
            "sources": [source.to_dict() for source in compared.advice.sources],
            "warnings": data["warnings"],
            "skipped_designs": data["skipped_designs"],
            "charts": _charts(
                [compared.chart("tradeoffs"), compared.chart("scorecard")], hide_cost
            ),
        }
    return _finished(result, hide_cost)


def design(ws: Workspace, name: str, lang: str = "en", hide_cost: bool = False) -> dict[str, Any]:
    """One design of the comparison: its entry of :func:`comparison`'s ``scenarios`` and the
    chart of the organization it designs (``charts``: the report's one chart).

    Raises
    ------
    UsageError
        When the workspace has no scenario ``name`` (naming those it has).
    """
    lang = check(lang)
    ws.scenario(name)
    compared = ws.compare(lang=lang)
    with using(lang):
        [entry] = [s for s in _scenarios(ws, compared, compared.to_dict()) if s["name"] == name]
        charts = _charts([compared.chart("org", scenario=name)], hide_cost)
    return _finished(
        entry | {"kind": "design", "lang": lang, "hide_cost": hide_cost, "charts": charts},
        hide_cost,
    )


def can_print_pdf() -> bool:
    """Whether this server can print the report to PDF (a Chromium is installed)."""
    try:
        return find_chromium() is not None
    except UsageError:
        return False


def report(ws: Workspace, lang: str = "en", fmt: str = "html", hide_cost: bool = False) -> bytes:
    """The report of the workspace (``orglens report``) in ``lang``: an offline HTML page
    (UTF-8), or (``fmt="pdf"``) that page printed by the server's headless Chromium.

    Raises
    ------
    UsageError
        An unknown format, or a PDF where the server has no Chromium (use the HTML then: a
        browser prints it).
    """
    if fmt not in REPORT_FORMATS:
        raise UsageError(Problem(f"no report format {fmt!r}", "use html or pdf"))
    page = report_html(ws, lang=check(lang))
    if hide_cost:
        page = without_cost_charts(page)
    if fmt == "html":
        return page.encode("utf-8")
    if not can_print_pdf():
        raise UsageError(
            Problem(
                "this server cannot print the report to PDF: no Chromium is installed on it",
                "download the HTML report and print it to PDF from your browser",
            )
        )
    with tempfile.TemporaryDirectory(prefix="orglens-report-") as scratch:
        source, target = Path(scratch) / "report.html", Path(scratch) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        html_to_pdf(source, target)
        return target.read_bytes()
