"""Terminal rendering of an analysis, from its JSON-ready form (``Analysis.to_dict()``).

Every text handed to rich is a :func:`~orglens.terminal.literal` text: names, ids and cells
from the data show exactly as written (``[interim]`` stays, ``[/]`` cannot break a table),
with control characters shown as escapes, whatever console prints them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from orglens.terminal import literal

__all__ = ["render_analysis"]

MAX_ROWS = 15
_NUMBER = re.compile(r"^-?[\d ]+(\.\d+)?( [kM]|%)?$")


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}".replace(",", " ")
        return f"{value:,.{digits}f}".replace(",", " ")
    return str(value)


def _money(value: Any) -> str:
    """Amounts in thousands or millions, so that cost tables stay narrow."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return _num(value)
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f} M"
    if abs(value) >= 1e4:
        return f"{value / 1e3:,.0f} k"
    return _num(float(value), 0)


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _cell(value: Any) -> Text:
    """A table cell: a number formatted, any other value shown literally."""
    return value if isinstance(value, Text) else literal(_num(value))


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A table of at most ``MAX_ROWS`` rows; columns holding only numbers are right-aligned."""
    all_rows = [[_cell(cell) for cell in row] for row in rows]
    shown = all_rows[:MAX_ROWS]
    table = Table(title=literal(title), title_justify="left", title_style="bold", expand=False)
    for i, column in enumerate(columns):
        values = [row[i].plain for row in shown if row[i].plain not in ("", "–")]
        numeric = bool(values) and all(_NUMBER.match(v) for v in values)
        table.add_column(literal(column), justify="right" if numeric else "left", overflow="fold")
    for row in shown:
        table.add_row(*row)
    if len(all_rows) > MAX_ROWS:
        table.caption = literal(
            f"… and {len(all_rows) - MAX_ROWS} more (use --format json for all)"
        )
    return table


def _matrix(title: str, matrix: Mapping[str, Mapping[str, float]]) -> Table | None:
    if not matrix:
        return None
    targets = sorted({t for row in matrix.values() for t in row})
    rows = [[src, *(row.get(t) or "" for t in targets)] for src, row in sorted(matrix.items())]
    return _table(title, ["from \\ to", *targets], rows)


def _kv(pairs: Iterable[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for key, value in pairs:
        grid.add_row(literal(key), literal(value))
    return grid


def _hr(hr: Mapping[str, Any], currency: str) -> list[Any]:
    span = hr.get("span") or {}
    out: list[Any] = [
        _kv(
            [
                ("headcount", _num(hr.get("headcount"))),
                ("people cost", f"{_money(hr.get('people_cost'))} {currency}"),
                ("layers", _num(hr.get("layers"))),
                (
                    "span (mean / median / min / max)",
                    " / ".join(_num(span.get(k)) for k in ("mean", "median", "min", "max")),
                ),
                ("managers with a span out of range", _num(hr.get("spans_out_of_range"))),
                ("people whose manager shares their discipline", _pct(hr.get("discipline_fit"))),
                ("units with a team size out of range", _num(hr.get("teams_out_of_range"))),
            ]
        )
    ]
    managers = hr.get("managers", [])
    flagged_first = sorted(managers, key=lambda m: (m.get("flag") is None, -m["span"], m["id"]))
    out.append(
        _table(
            "Managers (out of range first)",
            ["manager", "unit", "span", "archetype", "flag"],
            (
                [
                    m.get("name") or m["id"],
                    m.get("unit", ""),
                    m["span"],
                    m["archetype"],
                    literal(m["flag"] or "", style="red" if m.get("flag") else ""),
                ]
                for m in flagged_first
            ),
        )
    )
    units = sorted(hr.get("units", []), key=lambda u: -(u.get("total_headcount") or 0))
    out.append(
        _table(
            "Units",
            ["unit", "function", "members", "with sub-units", f"people cost ({currency})"],
            (
                [
                    u.get("name") or u["unit"],
                    u.get("function") or "",
                    u.get("headcount"),
                    u.get("total_headcount"),
                    _money(u.get("total_people_cost")),
                ]
                for u in units
            ),
        )
    )
    competences = sorted(hr.get("competences", []), key=lambda c: -c["dispersion"])
    out.append(
        _table(
            "Competences (most dispersed first)",
            ["competence", "holders", "units", "dispersion"],
            ([c["competence"], c["holders"], c["units"], c["dispersion"]] for c in competences),
        )
    )
    return out


def _budget(budget: Mapping[str, Any], currency: str) -> list[Any]:
    accountability = budget.get("accountability") or {}
    share, bench = budget.get("brand_share"), budget.get("brand_benchmark")
    out: list[Any] = [
        _kv(
            [
                ("brand share of marketing spend", f"{_pct(share)} (benchmark {_pct(bench)})"),
                ("benchmark source", str(budget.get("brand_benchmark_source", ""))),
                (
                    "spend whose outcome another unit owns",
                    _pct(accountability.get("spend_outcome_elsewhere_share")),
                ),
            ]
        )
    ]
    units = [u for u in budget.get("units", []) if u.get("total_cost") or u.get("total_revenue")]
    out.append(
        _table(
            f"Cost and revenue per unit ({currency})",
            ["unit", "people cost", "spend", "cost", "revenue", "total cost", "total revenue"],
            (
                [
                    u.get("name") or u["unit"],
                    *(
                        _money(u.get(key))
                        for key in (
                            "people_cost",
                            "spend",
                            "cost",
                            "revenue",
                            "total_cost",
                            "total_revenue",
                        )
                    ),
                ]
                for u in sorted(units, key=lambda u: -(u.get("total_cost") or 0))
            ),
        )
    )
    streams = accountability.get("revenue_streams", [])
    out.append(
        _table(
            "Who owns each revenue stream and the spend serving it",
            ["stream", "unit", "segment", "revenue", "spend serving", "lowest common manager"],
            (
                [
                    s["stream"],
                    s["unit"],
                    s.get("segment") or "",
                    _money(s["amount"]),
                    _money(s.get("spend_serving")),
                    s.get("owner_name") or s.get("owner") or "",
                ]
                for s in streams
            ),
        )
    )
    return out


def _process(process: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = []
    journey = process.get("journey") or []
    manager = process.get("journey_common_manager") or {}
    coordination = process.get("coordination") or {}
    out.append(
        _kv(
            [
                ("cross-unit handoffs per case", _num(process.get("cross_unit_handoffs_per_case"))),
                ("cross-unit handoffs per year", _num(process.get("handoffs_per_year"), 0)),
                (
                    "lowest common manager of the journey",
                    (manager.get("name") or manager.get("id") or "–")
                    + (" (the top of the company)" if manager.get("is_top") else ""),
                ),
                (
                    "coordination crossing units",
                    f"{_pct(coordination.get('cross_unit_share'))} of weight "
                    f"{_num(coordination.get('total_weight'))}",
                ),
            ]
        )
    )
    if journey:
        out.append(
            _table(
                "Declared journey",
                ["stage", "activity", "unit", "measured as", "volume / year"],
                (
                    [
                        a["stage"],
                        a["activity"],
                        a.get("unit") or "",
                        a.get("group") or "",
                        a.get("volume_per_year"),
                    ]
                    for a in journey
                ),
            )
        )
    observed = process.get("observed")
    if observed:
        out.extend(_observed(observed))
    for title, matrix in (
        ("Cross-unit handoffs per year (declared journey)", process.get("handoff_matrix") or {}),
        ("Coordination weight between units", coordination.get("matrix") or {}),
    ):
        table = _matrix(title, matrix)
        if table is not None:
            out.append(table)
    return out


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, int | float):
        return "–"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def _observed(observed: Mapping[str, Any]) -> list[Any]:
    waits = observed.get("waits") or {}
    within, cross = waits.get("within") or {}, waits.get("cross") or {}
    leak = observed.get("leakage") or {}
    speed = observed.get("speed_to_lead") or {}
    parts: list[Any] = [
        literal(
            f"Observed in the event log: {_num(observed.get('events'))} events, "
            f"{_num(observed.get('cases'))} cases",
            style="bold",
        ),
        _kv(
            [
                (
                    "cross-unit handoffs per case",
                    _num(observed.get("cross_unit_handoffs_per_case")),
                ),
                (
                    "median wait at a handoff across units / within a unit",
                    f"{_duration(cross.get('wait_s_median'))} / "
                    f"{_duration(within.get('wait_s_median'))}",
                ),
                (
                    "p90 wait across units / within a unit",
                    f"{_duration(cross.get('wait_s_p90'))} / {_duration(within.get('wait_s_p90'))}",
                ),
                (
                    "cases that stop right after a handoff",
                    f"{_pct(leak.get('share'))} ({_num(leak.get('leaked_cases'))} cases)",
                ),
                (
                    "speed to lead (first marketing → first sales touch), median / p90",
                    f"{_duration(speed.get('wait_s_median'))} / "
                    f"{_duration(speed.get('wait_s_p90'))} over {_num(speed.get('cases'))} cases",
                ),
            ]
        ),
    ]
    pairs = [p for p in leak.get("pairs", []) if p.get("handoff_cases")]
    if pairs:
        parts.append(
            _table(
                "Leakage per handoff (observed)",
                ["from", "to", "cases with the handoff", "stopped there", "share"],
                (
                    [
                        p["source"],
                        p["target"],
                        p["handoff_cases"],
                        p["count"],
                        _pct(p["share"]),
                    ]
                    for p in sorted(pairs, key=lambda p: -p["count"])
                ),
            )
        )
    table = _matrix("Cross-unit handoffs (observed, cases)", observed.get("handoff_matrix") or {})
    if table is not None:
        parts.append(table)
    return parts


def _customer(customer: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = []
    segments = customer.get("segments") or []
    if segments:
        out.append(
            _table(
                "Segments",
                ["segment", "owner", "served by (departments)", "one owner"],
                (
                    [
                        s.get("name") or s["id"],
                        s.get("owner_unit") or "",
                        ", ".join(s.get("serving_groups", [])),
                        s.get("has_one_owner"),
                    ]
                    for s in segments
                ),
            )
        )
    undefined = customer.get("undefined_segments") or []
    if undefined:
        out.append(
            _table(
                "Segments in use that nobody defined",
                ["segment", "used by"],
                ([u["segment"], ", ".join(u.get("units", []))] for u in undefined),
            )
        )
    out.append(
        _kv(
            [
                (
                    "one segment model shared by all customer-facing units",
                    _num(customer.get("common_segment_model")),
                )
            ]
        )
    )
    return out


def render_analysis(data: Mapping[str, Any], console: Console) -> None:
    """Print an analysis (the dict of ``Analysis.to_dict()``) as panels of tables."""
    currency = str(data.get("currency", ""))
    title = f"{data.get('organization', '')} — measured at level {data.get('level')}"
    console.rule(literal(title, style="bold"))
    for warning in data.get("warnings", []):
        console.print(literal(f"warning: {warning}", style="yellow"))
    sections = (
        ("hr", _hr(data["hr"], currency)),
        ("budget", _budget(data["budget"], currency)),
        ("process", _process(data["process"])),
        ("customer", _customer(data["customer"])),
    )
    for name, parts in sections:
        lens = Text.assemble(literal(name, style="bold"), " lens")
        console.print(Panel(Group(*parts), title=lens, title_align="left"))


def _metric_cell(value: Any, key: str) -> str:
    if key.endswith("_wait_s"):
        return _duration(value)
    if key.endswith("_share") or key == "discipline_fit":
        return _pct(value)
    return _num(value)


def render_comparison(data: Mapping[str, Any], console: Console) -> None:
    """Print a comparison (``Comparison.to_dict()``): the recommendation, the scorecard, then
    the advice."""
    scenarios = data.get("scenarios", [])
    recommendation = data.get("recommendation")
    if recommendation:
        _render_recommendation(recommendation, console)
    console.rule(literal(f"Scenarios compared at level {data.get('level')}", style="bold"))
    table = Table(title=literal("Scorecard (best value per row in green)"), title_justify="left")
    table.add_column(literal("metric (better)"))
    for scenario in scenarios:
        table.add_column(
            literal(scenario["name"].replace("_", " ")), justify="right", overflow="fold"
        )
    for metric in data.get("metrics", []):
        key, better = metric["key"], metric.get("better")
        values = [s["metrics"].get(key) for s in scenarios]
        known = [v for v in values if isinstance(v, int | float)]
        best = (min(known) if better == "lower" else max(known)) if known and better else None
        cells = [
            literal(_metric_cell(v, key), style="green" if v is not None and v == best else "")
            for v in values
        ]
        table.add_row(literal(f"{key.replace('_', ' ')} ({better or '–'})"), *cells)
    console.print(table)
    dominated = (recommendation or {}).get("dominated", {})
    for scenario in scenarios:
        if scenario["name"] in dominated:
            console.print(literal(f"{scenario['name']}: {dominated[scenario['name']]}"))
        for warning in scenario.get("warnings", []):  # already name their scenario
            console.print(literal(f"warning: {warning}", style="yellow"))
    for warning in data.get("warnings", []):
        console.print(literal(f"warning: {warning}", style="yellow"))
    findings = sorted(data.get("advice", []), key=lambda f: not f.get("triggered", True))
    if findings:
        console.rule(literal("Advice", style="bold"))
    for finding in findings:
        style = "bold" if finding.get("triggered", True) else "dim"
        body = [
            literal(finding.get("verdict", ""), style=style),
            literal(f"Because: {finding.get('because', '')}"),
        ]
        conditions = finding.get("conditions") or []
        if isinstance(conditions, str):
            conditions = [conditions]
        if conditions:
            body.append(literal(f"Holds unless: {'; '.join(conditions)}", style="dim"))
        if finding.get("counter"):
            body.append(literal(f"Counter-argument: {finding['counter']}", style="italic"))
        if finding.get("borderline"):
            body.append(literal(f"Borderline: {finding.get('tipping_point', '')}", style="yellow"))
        title = literal(finding.get("rule", ""))
        console.print(Panel(Group(*body), title=title, title_align="left"))


def _render_recommendation(recommendation: Mapping[str, Any], console: Console) -> None:
    """The bottom line first: the recommended design, the runner-up, the front, the flips."""
    console.rule(literal("Recommendation", style="bold"))
    chosen = recommendation.get("recommended")
    if chosen is None:
        console.print(literal("No design to recommend."))
        return
    console.print(literal(f"Recommended: {chosen}", style="bold green"))
    console.print(literal(recommendation.get("why", "")))
    if recommendation.get("runner_up"):
        console.print(literal(f"Runner-up: {recommendation['runner_up']}", style="bold"))
        console.print(literal(recommendation.get("runner_up_why", "")))
    console.print(literal(f"Pareto front: {', '.join(recommendation.get('pareto', []))}"))
    ranked = Table(title=literal("Ranked (score 0-1, higher is better)"), title_justify="left")
    ranked.add_column(literal("design"))
    ranked.add_column(literal("score"), justify="right")
    ranked.add_column(literal("on the front"))
    for entry in recommendation.get("ranked", []):
        front = "yes" if entry.get("on_pareto_front") else "no"
        ranked.add_row(literal(entry["name"]), literal(f"{entry['score']:.2f}"), literal(front))
    console.print(ranked)
    flips = recommendation.get("flips", {})
    for flip in flips.get("weights", []):
        if flip.get("flips_at") is not None:
            console.print(
                literal(
                    f"weight {flip['group']} {flip['weight']:g} → {flip['flips_at']:.2f} "
                    f"would recommend {flip['to']}",
                    style="dim",
                )
            )
    for flip in flips.get("thresholds", []):
        if flip.get("borderline"):
            console.print(
                literal(f"borderline {flip['rule']}: {flip['tipping_point']}", style="yellow")
            )
