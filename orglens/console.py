"""Terminal rendering of an analysis, from its JSON-ready form (``Analysis.to_dict()``), in
English or Swedish (``lang``; the words live in ``orglens/i18n/<lang>/console.toml``).

Every text handed to rich is a :func:`~orglens.terminal.literal` text: names, ids and cells
from the data show exactly as written (``[interim]`` stays, ``[/]`` cannot break a table),
with control characters shown as escapes, whatever console prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from orglens.console_format import duration, grid, label, matrix, money, num, pct, table
from orglens.i18n import language, t, using
from orglens.terminal import literal

__all__ = ["render_analysis"]


def _people_cost(hr: Mapping[str, Any], currency: str) -> str:
    """The people cost in total, or why there is none (no person has a cost)."""
    if hr.get("people_with_cost") == 0:
        return t("console.hr.no_people_cost")
    return f"{money(hr.get('people_cost'))} {currency}"


def _hr(hr: Mapping[str, Any], currency: str) -> list[Any]:
    span = hr.get("span") or {}
    out: list[Any] = [
        grid(
            [
                (t("console.hr.headcount"), num(hr.get("headcount"))),
                (t("console.hr.people_cost"), _people_cost(hr, currency)),
                (t("console.hr.layers"), num(hr.get("layers"))),
                (
                    t("console.hr.span"),
                    " / ".join(num(span.get(k)) for k in ("mean", "median", "min", "max")),
                ),
                (t("console.hr.spans_out_of_range"), num(hr.get("spans_out_of_range"))),
                (t("console.hr.discipline_fit"), pct(hr.get("discipline_fit"))),
                (t("console.hr.teams_out_of_range"), num(hr.get("teams_out_of_range"))),
            ]
        )
    ]
    managers = hr.get("managers", [])
    flagged_first = sorted(managers, key=lambda m: (m.get("flag") is None, -m["span"], m["id"]))
    out.append(
        table(
            t("console.hr.managers"),
            [t(f"console.hr.{c}") for c in ("manager", "unit", "span_column", "archetype", "flag")],
            (
                [
                    m.get("name") or m["id"],
                    m.get("unit", ""),
                    m["span"],
                    label("archetype", m["archetype"]),
                    literal(
                        label("flag", m["flag"]) if m.get("flag") else "",
                        style="red" if m.get("flag") else "",
                    ),
                ]
                for m in flagged_first
            ),
        )
    )
    units = sorted(hr.get("units", []), key=lambda u: -(u.get("total_headcount") or 0))
    costed = hr.get("people_with_cost") != 0  # no column of zeros when nobody has a cost
    out.append(
        table(
            t("console.hr.units"),
            [
                *(t(f"console.hr.{c}") for c in ("unit", "function", "members", "with_sub_units")),
                *([t("console.hr.unit_people_cost", currency=currency)] if costed else []),
            ],
            (
                [
                    u.get("name") or u["unit"],
                    label("function", u.get("function") or ""),
                    u.get("headcount"),
                    u.get("total_headcount"),
                    *([money(u.get("total_people_cost"))] if costed else []),
                ]
                for u in units
            ),
        )
    )
    competences = sorted(hr.get("competences", []), key=lambda c: -c["dispersion"])
    out.append(
        table(
            t("console.hr.competences"),
            [t(f"console.hr.{c}") for c in ("competence", "holders", "units_column", "dispersion")],
            ([c["competence"], c["holders"], c["units"], c["dispersion"]] for c in competences),
        )
        if competences
        else _none(t("console.hr.no_competences"))
    )
    return out


def _none(said: str) -> Text:
    """A line saying why a table is not shown (nothing in the data to fill it)."""
    return Text(said, style="dim")


_BUDGET_COLUMNS = ("people_cost", "spend", "cost", "revenue", "total_cost", "total_revenue")


def _budget(budget: Mapping[str, Any], currency: str) -> list[Any]:
    accountability = budget.get("accountability") or {}
    share, bench = budget.get("brand_share"), budget.get("brand_benchmark")
    out: list[Any] = [
        grid(
            [
                (
                    t("console.budget.brand_share"),
                    t("console.budget.brand_share_value", share=pct(share), benchmark=pct(bench)),
                ),
                (t("console.budget.source"), str(budget.get("brand_benchmark_source", ""))),
                (
                    t("console.budget.spend_elsewhere"),
                    pct(accountability.get("spend_outcome_elsewhere_share")),
                ),
            ]
        )
    ]
    units = [u for u in budget.get("units", []) if u.get("total_cost") or u.get("total_revenue")]
    out.append(
        table(
            t("console.budget.units", currency=currency),
            [t("console.budget.unit"), *(t(f"console.budget.{c}") for c in _BUDGET_COLUMNS)],
            (
                [u.get("name") or u["unit"], *(money(u.get(key)) for key in _BUDGET_COLUMNS)]
                for u in sorted(units, key=lambda u: -(u.get("total_cost") or 0))
            ),
        )
        if units
        else _none(t("console.budget.no_units"))
    )
    streams = accountability.get("revenue_streams", [])
    if not streams:
        out.append(_none(t("console.budget.no_streams")))
        return out
    out.append(
        table(
            t("console.budget.streams"),
            [
                t(f"console.budget.{c}")
                for c in ("stream", "unit", "segment", "revenue", "spend_serving", "owner")
            ],
            (
                [
                    s["stream"],
                    s["unit"],
                    s.get("segment") or "",
                    money(s["amount"]),
                    money(s.get("spend_serving")),
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
        grid(
            [
                (
                    t("console.process.handoffs_per_case"),
                    num(process.get("cross_unit_handoffs_per_case")),
                ),
                (t("console.process.handoffs_per_year"), num(process.get("handoffs_per_year"), 0)),
                (
                    t("console.process.common_manager"),
                    (manager.get("name") or manager.get("id") or "–")
                    + (t("console.process.top") if manager.get("is_top") else ""),
                ),
                (
                    t("console.process.coordination"),
                    t(
                        "console.process.coordination_value",
                        share=pct(coordination.get("cross_unit_share")),
                        weight=num(coordination.get("total_weight")),
                    ),
                ),
            ]
        )
    )
    if journey:
        out.append(
            table(
                t("console.process.journey"),
                [
                    t(f"console.process.{c}")
                    for c in ("stage", "activity", "unit", "measured_as", "volume")
                ],
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
    for title, cells in (
        (t("console.process.handoff_matrix"), process.get("handoff_matrix") or {}),
        (t("console.process.coordination_matrix"), coordination.get("matrix") or {}),
    ):
        found = matrix(title, cells)
        if found is not None:
            out.append(found)
    return out


def _observed(observed: Mapping[str, Any]) -> list[Any]:
    waits = observed.get("waits") or {}
    within, cross = waits.get("within") or {}, waits.get("cross") or {}
    leak = observed.get("leakage") or {}
    speed = observed.get("speed_to_lead") or {}
    parts: list[Any] = [
        literal(
            t(
                "console.observed.title",
                events=num(observed.get("events")),
                cases=num(observed.get("cases")),
            ),
            style="bold",
        ),
        grid(
            [
                (
                    t("console.process.handoffs_per_case"),
                    num(observed.get("cross_unit_handoffs_per_case")),
                ),
                (
                    t("console.observed.median_wait"),
                    f"{duration(cross.get('wait_s_median'))} / "
                    f"{duration(within.get('wait_s_median'))}",
                ),
                (
                    t("console.observed.p90_wait"),
                    f"{duration(cross.get('wait_s_p90'))} / {duration(within.get('wait_s_p90'))}",
                ),
                (
                    t("console.observed.leakage"),
                    t(
                        "console.observed.leakage_value",
                        share=pct(leak.get("share")),
                        cases=num(leak.get("leaked_cases")),
                    ),
                ),
                (
                    t("console.observed.speed_to_lead"),
                    t(
                        "console.observed.speed_to_lead_value",
                        median=duration(speed.get("wait_s_median")),
                        p90=duration(speed.get("wait_s_p90")),
                        cases=num(speed.get("cases")),
                    ),
                ),
            ]
        ),
    ]
    pairs = [p for p in leak.get("pairs", []) if p.get("handoff_cases")]
    if pairs:
        parts.append(
            table(
                t("console.observed.leakage_table"),
                [
                    t(f"console.observed.{c}")
                    for c in ("source", "target", "handoff_cases", "stopped", "share")
                ],
                (
                    [p["source"], p["target"], p["handoff_cases"], p["count"], pct(p["share"])]
                    for p in sorted(pairs, key=lambda p: -p["count"])
                ),
            )
        )
    found = matrix(t("console.observed.handoff_matrix"), observed.get("handoff_matrix") or {})
    if found is not None:
        parts.append(found)
    return parts


def _customer(customer: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = []
    segments = customer.get("segments") or []
    if segments:
        out.append(
            table(
                t("console.customer.segments"),
                [
                    t(f"console.customer.{c}")
                    for c in ("segment", "owner", "served_by", "one_owner")
                ],
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
            table(
                t("console.customer.undefined"),
                [t("console.customer.segment"), t("console.customer.used_by")],
                ([u["segment"], ", ".join(u.get("units", []))] for u in undefined),
            )
        )
    out.append(
        grid(
            [
                (
                    t("console.customer.common_model"),
                    num(customer.get("common_segment_model")),
                )
            ]
        )
    )
    return out


def _lens_title(lens: str) -> Text:
    """The panel title of a lens, its name in bold (``hr lens``; ``HR-perspektivet``)."""
    before, _, after = t("console.lens").partition("{lens}")
    return Text.assemble(before, literal(t(f"console.lens_name.{lens}"), style="bold"), after)


def render_analysis(data: Mapping[str, Any], console: Console, *, lang: str | None = None) -> None:
    """Print an analysis (the dict of ``Analysis.to_dict()``) as panels of tables, in ``lang``
    (the current language of :mod:`orglens.i18n` by default)."""
    with using(lang or language()):
        currency = str(data.get("currency", ""))
        title = t(
            "console.title", organization=data.get("organization", ""), level=data.get("level")
        )
        console.rule(literal(title, style="bold"))
        for warning in data.get("warnings", []):
            console.print(literal(t("console.warning", warning=warning), style="yellow"))
        sections = (
            ("hr", _hr(data["hr"], currency)),
            ("budget", _budget(data["budget"], currency)),
            ("process", _process(data["process"])),
            ("customer", _customer(data["customer"])),
        )
        for name, parts in sections:
            console.print(Panel(Group(*parts), title=_lens_title(name), title_align="left"))
