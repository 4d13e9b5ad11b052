"""How the results show in a notebook: as the report's sections, registered with
:mod:`orglens.display` when the report is imported (``import orglens`` does it)."""

from __future__ import annotations

from importlib.resources import files

from orglens.advice import Advice
from orglens.display import renders_html
from orglens.i18n import t, using
from orglens.lenses import Analysis
from orglens.report.document import Section
from orglens.report.sections import advice_html, recommendation_html
from orglens.workspace import Comparison, Workspace

__all__ = ["advice_view", "analysis_view", "comparison_view", "workspace_view"]


def _styled(*sections: Section) -> str:
    css = files("orglens.report").joinpath("notebook.css").read_text(encoding="utf-8")
    body = "".join(section.to_html() for section in sections)
    return f'<style>{css}</style><div class="orglens">{body}</div>'


def _figures(result: Analysis | Comparison | Workspace, *names: str) -> str:
    return "".join(result.chart(name).to_html() for name in names)


@renders_html(Comparison)
def comparison_view(comparison: Comparison) -> str:
    """The recommendation, the trade-offs, the scorecard and the advice, in the language the
    comparison's advice speaks."""
    with using(comparison.lang):
        return _comparison_sections(comparison)


def _comparison_sections(comparison: Comparison) -> str:
    return _styled(
        Section(
            "recommendation",
            t("report.recommendation"),
            recommendation_html(comparison.recommendation, comparison.advice.findings)
            + _figures(comparison, "tradeoffs", "scorecard"),
        ),
        Section(
            "advice",
            t("report.advice"),
            advice_html(comparison.advice, _designs(comparison)),
        ),
    )


@renders_html(Analysis)
def analysis_view(analysis: Analysis) -> str:
    """The four lenses' charts: spans and layers, the journey, budget, segments."""
    return _styled(
        Section("today", t("report.today"), _figures(analysis, "spans", "layers")),
        Section(
            "journey",
            t("report.journey"),
            _figures(analysis, "journey", "funnel", "handoffs", "coordination"),
        ),
        Section("budget", t("report.budget"), _figures(analysis, "brand", "ownership")),
        Section("customers", t("report.customers"), _figures(analysis, "segments")),
    )


@renders_html(Advice)
def advice_view(advice: Advice) -> str:
    """Every rule of the debate with its verdict, evidence and counter-argument."""
    return _styled(Section("advice", t("report.advice"), advice_html(advice)))


@renders_html(Workspace)
def workspace_view(ws: Workspace) -> str:
    """Today's organization: its org chart (``ws.compare()`` and ``ws.analysis()`` show more)."""
    return _styled(Section("today", t("report.today"), _figures(ws, "org")))


def _designs(comparison: Comparison) -> list[str]:
    return [score.name for score in comparison.scenarios]
