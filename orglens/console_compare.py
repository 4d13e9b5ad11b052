"""Terminal rendering of a comparison (``Comparison.to_dict()``), in English or Swedish: the
recommendation, the scorecard, then the advice (whose texts the comparison already holds in
its language: ``Workspace.compare(lang=...)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from orglens.console_format import duration, label, local, num, pct
from orglens.i18n import language, t, using
from orglens.terminal import literal

__all__ = ["render_comparison"]


def _metric_cell(value: Any, key: str) -> str:
    if key.endswith("_wait_s"):
        return duration(value)
    if key.endswith("_share") or key == "discipline_fit":
        return pct(value)
    return num(value)


def _design(name: str) -> str:
    """A design as the texts name it (its id in English, the id ``--scenario`` takes)."""
    return label("design", name)


def _warn(console: Console, warning: str) -> None:
    console.print(literal(t("console.warning", warning=warning), style="yellow"))


def render_comparison(
    data: Mapping[str, Any], console: Console, *, lang: str | None = None
) -> None:
    """Print a comparison (``Comparison.to_dict()``): the recommendation, the scorecard, then
    the advice, in ``lang`` (the current language of :mod:`orglens.i18n` by default)."""
    with using(lang or language()):
        recommendation = data.get("recommendation")
        if recommendation:
            _render_recommendation(recommendation, console)
        _render_scorecard(data, console)
        _render_advice(data.get("advice", []), console)


def _render_scorecard(data: Mapping[str, Any], console: Console) -> None:
    scenarios = data.get("scenarios", [])
    title = t("console.compare.title", level=data.get("level"))
    console.rule(literal(title, style="bold"))
    table = Table(title=literal(t("console.compare.scorecard")), title_justify="left")
    table.add_column(literal(t("console.compare.metric")))
    for scenario in scenarios:
        header = _design(scenario["name"]).replace("_", " ")
        table.add_column(literal(header), justify="right", overflow="fold")
    for metric in data.get("metrics", []):
        key, better = metric["key"], metric.get("better")
        values = [s["metrics"].get(key) for s in scenarios]
        known = [v for v in values if isinstance(v, int | float)]
        best = (min(known) if better == "lower" else max(known)) if known and better else None
        cells = [
            literal(_metric_cell(v, key), style="green" if v is not None and v == best else "")
            for v in values
        ]
        name = label("metric", key, default=key.replace("_", " "))
        direction = label("better", better) if better else "–"
        table.add_row(literal(t("console.compare.row", metric=name, better=direction)), *cells)
    console.print(table)
    dominated = (data.get("recommendation") or {}).get("dominated", {})
    for scenario in scenarios:
        if scenario["name"] in dominated:
            line = f"{_design(scenario['name'])}: {dominated[scenario['name']]}"
            console.print(literal(line))
        for warning in scenario.get("warnings", []):  # already name their scenario
            _warn(console, warning)
    for warning in data.get("warnings", []):
        _warn(console, warning)


def _render_advice(advice: list[Mapping[str, Any]], console: Console) -> None:
    findings = sorted(advice, key=lambda f: not f.get("triggered", True))
    if findings:
        console.rule(literal(t("console.advice.title"), style="bold"))
    for finding in findings:
        style = "bold" if finding.get("triggered", True) else "dim"
        body = [
            literal(finding.get("verdict", ""), style=style),
            literal(t("console.advice.because", text=finding.get("because", ""))),
        ]
        conditions = finding.get("conditions") or []
        if isinstance(conditions, str):
            conditions = [conditions]
        if conditions:
            text = t("console.advice.conditions", text="; ".join(conditions))
            body.append(literal(text, style="dim"))
        if finding.get("counter"):
            text = t("console.advice.counter", text=finding["counter"])
            body.append(literal(text, style="italic"))
        if finding.get("borderline"):
            text = t("console.advice.borderline", text=finding.get("tipping_point", ""))
            body.append(literal(text, style="yellow"))
        title = literal(finding.get("rule", ""))
        console.print(Panel(Group(*body), title=title, title_align="left"))


def _render_recommendation(recommendation: Mapping[str, Any], console: Console) -> None:
    """The bottom line first: the recommended design, the runner-up, the front, the flips."""
    console.rule(literal(t("console.recommendation.title"), style="bold"))
    chosen = recommendation.get("recommended")
    if chosen is None:
        console.print(literal(t("console.recommendation.none")))
        return
    text = t("console.recommendation.recommended", design=_design(chosen))
    console.print(literal(text, style="bold green"))
    console.print(literal(recommendation.get("why", "")))
    if recommendation.get("runner_up"):
        text = t("console.recommendation.runner_up", design=_design(recommendation["runner_up"]))
        console.print(literal(text, style="bold"))
        console.print(literal(recommendation.get("runner_up_why", "")))
    front = ", ".join(_design(name) for name in recommendation.get("pareto", []))
    console.print(literal(t("console.recommendation.pareto", designs=front)))
    _render_ranked(recommendation.get("ranked", []), console)
    flips = recommendation.get("flips", {})
    for flip in flips.get("weights", []):
        if flip.get("flips_at") is not None:
            text = t(
                "console.recommendation.weight_flip",
                group=label("group", flip["group"]),
                weight=local(f"{flip['weight']:g}"),
                flips_at=local(f"{flip['flips_at']:.2f}"),
                design=_design(flip["to"]),
            )
            console.print(literal(text, style="dim"))
    for flip in flips.get("thresholds", []):
        if flip.get("borderline"):
            text = t(
                "console.recommendation.borderline",
                rule=flip["rule"],
                tipping_point=flip["tipping_point"],
            )
            console.print(literal(text, style="yellow"))


def _render_ranked(ranked: list[Mapping[str, Any]], console: Console) -> None:
    table = Table(title=literal(t("console.recommendation.ranked")), title_justify="left")
    table.add_column(literal(t("console.recommendation.design")))
    table.add_column(literal(t("console.recommendation.score")), justify="right")
    table.add_column(literal(t("console.recommendation.on_front")))
    for entry in ranked:
        table.add_row(
            literal(_design(entry["name"])),
            literal(local(f"{entry['score']:.2f}")),
            literal(num(bool(entry.get("on_pareto_front")))),
        )
    console.print(table)
