"""The public CRM datasets as events: the Olist marketing funnel and the Maven sales pipeline.

Re-exported by :mod:`orglens.io.crm`. Each reader takes the dataset's folder as published, and
says in its warnings what the data lacks or gets wrong (undated rows, unknown agents, products
spelled differently).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.crm_common import (
    PathLike,
    count_phrase,
    finish_events,
    missing_columns_error,
    parse_date_column,
    text_array,
)
from orglens.io.events_csv import number_or_text, read_csv_text

__all__ = ["MAVEN_PIPELINE", "OLIST_LEADS", "read_maven", "read_olist"]

#: The file that marks a folder as the Olist funnel.
OLIST_LEADS = "olist_marketing_qualified_leads_dataset.csv"
_OLIST_DEALS = "olist_closed_deals_dataset.csv"
#: The file that marks a folder as the Maven sales pipeline.
MAVEN_PIPELINE = "sales_pipeline.csv"


def _require(path: Path, raw: pa.Table, columns: Sequence[str]) -> None:
    missing = [name for name in columns if name not in raw.column_names]
    if missing:
        raise missing_columns_error(
            path,
            raw,
            f"missing column(s) {', '.join(repr(name) for name in missing)}",
            "give the file as published",
        )


def read_olist(folder: PathLike) -> pa.Table:
    """The Olist marketing funnel: each marketing-qualified lead's first contact, and the won deal.

    Events: ``MQL first contact`` (from ``first_contact_date``, a date without time; no
    resource; group ``marketing``; ``origin`` and ``landing_page_id`` kept) and ``Deal won``
    (from ``won_date``; resource = the sales rep ``sr_id``; group ``sales``; the sales
    development rep ``sdr_id`` and the deal's other columns kept). The SDR's qualification
    has no date in the data, so it is an attribute, not an event. A deal won before the
    lead's first contact is kept and reported.
    """
    base = Path(folder)
    leads_path = base / OLIST_LEADS
    if not leads_path.is_file():
        raise InvalidWorkspace(
            Problem(
                f"{OLIST_LEADS} is not in the folder", "give the Olist funnel folder", str(base)
            )
        )
    leads = read_csv_text(leads_path)
    _require(leads_path, leads, ("mql_id", "first_contact_date"))
    contact = parse_date_column(leads, "first_contact_date", leads_path, required=True)
    count = leads.num_rows
    parts = [
        pa.table(
            {
                "case_id": leads.column("mql_id"),
                "activity": text_array(["MQL first contact"] * count),
                "timestamp": contact,
                "resource": pa.nulls(count, pa.string()),
                "group": text_array(["marketing"] * count),
                **{
                    name: number_or_text(leads.column(name))
                    for name in leads.column_names
                    if name not in ("mql_id", "first_contact_date")
                },
            }
        )
    ]
    notes = [
        "MQL first contacts have no resource: the data names no marketer; the sales "
        "development rep (sdr_id) qualified the lead at an unknown date and is kept as an "
        "attribute of 'Deal won'"
    ]
    deals_path = base / _OLIST_DEALS
    if deals_path.is_file():
        deals = read_csv_text(deals_path)
        _require(deals_path, deals, ("mql_id", "won_date", "sr_id", "sdr_id"))
        won = parse_date_column(deals, "won_date", deals_path, required=True)
        parts.append(
            pa.table(
                {
                    "case_id": deals.column("mql_id"),
                    "activity": text_array(["Deal won"] * deals.num_rows),
                    "timestamp": won,
                    "resource": deals.column("sr_id"),
                    "group": text_array(["sales"] * deals.num_rows),
                    **{
                        name: number_or_text(deals.column(name))
                        for name in deals.column_names
                        if name not in ("mql_id", "won_date")
                    },
                }
            )
        )
        notes += _olist_checks(leads, contact, deals, won)
    return finish_events(parts, base.name or str(base), notes, "the files have no leads")


def _olist_checks(leads: pa.Table, contact: pa.Array, deals: pa.Table, won: pa.Array) -> list[str]:
    first = dict(zip(leads.column("mql_id").to_pylist(), contact.to_pylist(), strict=True))
    orphans = 0
    early: list[float] = []
    for mql, moment in zip(deals.column("mql_id").to_pylist(), won.to_pylist(), strict=True):
        if mql not in first:
            orphans += 1
        elif moment < first[mql]:
            early.append((first[mql] - moment).total_seconds() / 86_400)
    notes = []
    if orphans:
        notes.append(
            f"{count_phrase(orphans, 'won deal has', 'won deals have')} no marketing-qualified "
            "lead: kept as cases of their own"
        )
    if early:
        notes.append(
            f"{count_phrase(len(early), 'deal was', 'deals were')} won before the lead's first "
            f"contact (by up to {max(early):.1f} days): kept as they are; ordered by timestamp, "
            "'Deal won' comes first in those cases"
        )
    return notes


def read_maven(folder: PathLike) -> pa.Table:
    """The Maven CRM sales pipeline: engage and close events of each opportunity.

    Events: ``Engaging`` at ``engage_date`` and, for closed opportunities, ``Won`` or ``Lost``
    (the ``deal_stage``) at ``close_date``; resource = ``sales_agent``; group = the agent's
    ``regional_office`` and ``manager`` kept, from ``sales_teams.csv`` when it is there.
    Dates have no time of day. Opportunities still in ``Prospecting`` have no date and so no
    event: they are counted in the warnings, as are products that ``products.csv`` spells
    differently (``GTXPro`` for ``GTX Pro``).
    """
    base = Path(folder)
    pipeline_path = base / MAVEN_PIPELINE
    if not pipeline_path.is_file():
        raise InvalidWorkspace(
            Problem(
                f"{MAVEN_PIPELINE} is not in the folder", "give the Maven CRM folder", str(base)
            )
        )
    pipeline = read_csv_text(pipeline_path)
    columns = ("opportunity_id", "sales_agent", "deal_stage", "engage_date", "close_date")
    _require(pipeline_path, pipeline, columns)
    engage = parse_date_column(pipeline, "engage_date", pipeline_path)
    close = parse_date_column(pipeline, "close_date", pipeline_path)
    teams = _maven_teams(base)
    agents = pipeline.column("sales_agent").to_pylist()
    office = text_array([teams.get(agent or "", (None, None))[1] for agent in agents])
    manager = text_array([teams.get(agent or "", (None, None))[0] for agent in agents])
    extras = {
        name: number_or_text(pipeline.column(name))
        if name == "close_value"
        else pipeline.column(name)
        for name in pipeline.column_names
        if name not in ("opportunity_id", "sales_agent", "engage_date", "close_date")
    }
    if teams:
        extras["manager"] = manager
    parts = []
    for order, (activity, times) in enumerate((("Engaging", engage), ("close", close))):
        rows = pc.indices_nonzero(pc.is_valid(times))
        names = (
            pipeline.column("deal_stage").take(rows)
            if activity == "close"
            else text_array([activity] * len(rows))
        )
        part = {
            "case_id": pipeline.column("opportunity_id").take(rows),
            "activity": names,
            "timestamp": times.take(rows),
            "resource": pipeline.column("sales_agent").take(rows),
            "group": office.take(rows) if teams else pa.nulls(len(rows), pa.string()),
            **{name: column.take(rows) for name, column in extras.items()},
            "_row": pc.cast(rows, pa.int64()),
            "_order": pa.array([order] * len(rows), pa.int64()),
        }
        parts.append(pa.table(part))
    table = pa.concat_tables(parts)
    table = table.take(pc.sort_indices(table, [("_row", "ascending"), ("_order", "ascending")]))
    notes = _maven_checks(base, pipeline, engage, teams, agents)
    events = table.drop_columns(["_row", "_order"])
    return finish_events([events], base.name or str(base), notes, "no opportunity has a date")


def _maven_teams(base: Path) -> dict[str, tuple[str | None, str | None]]:
    path = base / "sales_teams.csv"
    if not path.is_file():
        return {}
    teams = read_csv_text(path)
    _require(path, teams, ("sales_agent", "manager", "regional_office"))
    return {
        row["sales_agent"]: (row["manager"], row["regional_office"]) for row in teams.to_pylist()
    }


def _maven_checks(
    base: Path,
    pipeline: pa.Table,
    engage: pa.Array,
    teams: Mapping[str, tuple[str | None, str | None]],
    agents: list[str | None],
) -> list[str]:
    notes = []
    undated = Counter(
        stage
        for stage, moment in zip(
            pipeline.column("deal_stage").to_pylist(), engage.to_pylist(), strict=True
        )
        if moment is None
    )
    if undated:
        listing = ", ".join(f"{stage!r} ({count:,})" for stage, count in undated.most_common())
        notes.append(
            f"{count_phrase(sum(undated.values()), 'opportunity has', 'opportunities have')} no "
            f"engage date and so no events: {listing}"
        )
    if teams:
        unknown = sorted({agent for agent in agents if agent and agent not in teams})
        if unknown:
            notes.append(f"agents not in sales_teams.csv (no group): {', '.join(unknown)}")
    products_path = base / "products.csv"
    if products_path.is_file() and "product" in pipeline.column_names:
        known = set(read_csv_text(products_path).column("product").to_pylist())
        used = Counter(pipeline.column("product").to_pylist())
        for product, count in sorted(used.items(), key=lambda item: str(item[0])):
            if product is not None and product not in known:
                close = difflib.get_close_matches(product, sorted(known), n=1)
                hint = f" (products.csv has {close[0]!r})" if close else ""
                notes.append(
                    f"product {product!r} on "
                    f"{count_phrase(count, 'opportunity', 'opportunities')} is not in "
                    f"products.csv{hint}; kept as written"
                )
    return notes
