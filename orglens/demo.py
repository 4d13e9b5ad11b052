"""The bundled demo company: Nordljus Software AB, a Nordic B2B software company of ~150 people.

The company is built to show the tensions of the sales-and-marketing debate: a customer journey
that crosses marketing, sales and customer success several times (so that the CEO is the only
manager common to it), a sales manager with far too many reports next to player/coach managers,
a marketing budget that spends far less on brand than the B2B benchmark and whose activation
spend serves the sales department's result, and a communications department that overlaps
marketing (shared competences and segments) and targets a segment nobody defined. Its CRM
history of 2025 (``events.csv``, built by :mod:`orglens.demo_events`) shows how leads really
moved: a slow, leaky handoff from marketing to sales, and conversion that falls with the wait.

Everything derives from one seeded :class:`random.Random`, so the files are identical byte for
byte on every run and every machine; ``tests/test_demo.py`` checks the committed copy in
``examples/demo`` against a fresh one.

This module holds the company's tables (segments, budget, revenue, journey, coordination,
settings) and writes the workspace (:func:`write_demo`); its people and units come from
:mod:`orglens.demo_people`.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from orglens.demo_events import EVENTS_YAML, render_events
from orglens.demo_people import UNITS, csv_number, hire

__all__ = ["DEMO_FILES", "write_demo"]

SEED = 20240611
COMPANY = "Nordljus Software AB"

#: The files :func:`write_demo` writes, in this order.
DEMO_FILES = (
    "orglens.yaml",
    "people.csv",
    "units.csv",
    "budget.csv",
    "revenue.csv",
    "journey.csv",
    "coordination.csv",
    "segments.csv",
    "events.csv",
)

# fmt: off
SEGMENTS = (
    ("enterprise", "Enterprise", "sales", 1400,
     "Group-wide roll-out, security reviews, integration with ERP and identity providers"),
    ("mid-market", "Mid-market", "marketing", 6200,
     "Fast time to value, packaged onboarding, predictable per-seat pricing"),
    ("public-sector", "Public sector", "sales-nordics", 920,
     "Public procurement (LOU), data residency in the EU, accessibility requirements"),
    ("small-business", "Small business", "", 24000,
     "Self-service trial, monthly billing, no implementation project"),
)
# fmt: on

# Marketing spend: brand ≈ 28% of brand + activation, far below the 46% B2B benchmark.
# fmt: off
BUDGET = (
    ("brand", "Media", 1300, "brand", "marketing",
     "Brand campaign: LinkedIn video and connected TV"),
    ("brand", "Creative production", 900, "brand", "marketing",
     "Brand platform refresh and campaign creative"),
    ("brand", "Research", 350, "brand", "marketing", "Brand tracking study, twice a year"),
    ("product-marketing", "Analyst relations", 400, "brand", "marketing",
     "Analyst relations (industry analysts and reports)"),
    ("demand-gen", "Media", 3800, "activation", "sales",
     "Paid search and paid social lead generation"),
    ("demand-gen", "Events", 1800, "activation", "sales",
     "Trade fairs and partner events in Stockholm, München and London"),
    ("demand-gen", "Content", 600, "activation", "sales", "Content syndication and intent data"),
    ("demand-gen", "Webinars", 300, "activation", "sales", "Webinar platform and guest speakers"),
    ("product-marketing", "Sales enablement", 450, "activation", "sales",
     "Battlecards, demo scripts and sales playbooks"),
    ("demand-gen", "Customer marketing", 500, "activation", "customer-success",
     "Upsell campaigns to existing customers"),
    ("marketing", "Tools", 1100, "other", "marketing",
     "Marketing automation and analytics licences"),
    ("communications", "PR agency", 720, "brand", "communications", "PR agency retainer"),
    ("communications", "Events", 450, "brand", "communications",
     "Opinion-leader seminars at Almedalen and Järvaveckan"),
    ("communications", "Publications", 380, "other", "finance", "Annual and sustainability report"),
    ("communications", "Tools", 150, "other", "communications", "Media monitoring and intranet"),
    ("sales", "Travel", 2100, "other", "sales", "Travel to customer meetings"),
    ("sales", "Tools", 1400, "other", "sales", "CRM and sales engagement licences"),
    ("sales", "Kick-off", 900, "other", "sales", "Sales kick-off and incentive trip"),
    ("inside-sales", "Data", 420, "activation", "inside-sales",
     "Prospect data and contact enrichment"),
    ("customer-success", "Events", 1200, "other", "customer-success",
     "Customer conference Nordljus Forum"),
    ("cs-support", "Tools", 600, "other", "customer-success", "Support desk and knowledge base"),
    ("engineering", "Cloud hosting", 6800, "other", "product",
     "Cloud hosting, production and test"),
    ("product", "Research", 400, "other", "product", "User research panel and usability tests"),
    ("hr", "Recruitment", 1300, "other", "hr", "Recruitment agencies and job ads"),
    ("hr", "Training", 800, "other", "hr", "Leadership and sales training"),
    ("finance", "Audit", 450, "other", "finance", "Audit and tax advisory"),
    ("management", "Advisory", 600, "other", "management", "Board and strategy advisory"),
)
# fmt: on

REVENUE = (
    ("New business", "sales-nordics", 34000, "enterprise"),
    ("New business", "sales-nordics", 17500, "public-sector"),
    ("New business", "sales-nordics", 12000, "mid-market"),
    ("New business", "sales-dach", 13500, "enterprise"),
    ("New business", "sales-dach", 6500, "mid-market"),
    ("New business", "sales-ukie", 11000, "enterprise"),
    ("New business", "sales-ukie", 5500, "mid-market"),
    ("New business", "inside-sales", 4200, "mid-market"),
    ("New business", "inside-sales", 2100, "small-business"),
    ("Renewals", "cs-accounts", 52000, "enterprise"),
    ("Renewals", "cs-accounts", 24000, "mid-market"),
    ("Renewals", "cs-accounts", 19000, "public-sector"),
    ("Expansion", "cs-accounts", 14000, "enterprise"),
    ("Expansion", "cs-accounts", 6000, "mid-market"),
    ("Expansion", "cs-accounts", 3500, "public-sector"),
    ("Expansion", "sales-nordics", 4000, "enterprise"),
    ("Services", "cs-onboarding", 5500, "enterprise"),
    ("Services", "cs-onboarding", 2500, "mid-market"),
    ("Services", "cs-onboarding", 2000, "public-sector"),
)

# A funnel: 40 000 reached → 2 000 MQL → 600 SQL → 150 won → 60 expansion deals a year.
# fmt: off
JOURNEY = (
    ("awareness", "Brand campaign reaches target companies", "brand", 40000, 0.1, "project"),
    ("awareness", "Thought leadership, PR and opinion-leader seminars", "communications", 40000,
     0.05, "project"),
    ("interest", "Content, webinars and paid campaigns", "demand-gen", 8000, 0.5, "process"),
    ("interest", "Lead scoring and nurturing to MQL", "demand-gen", 2000, 0.75, "process"),
    ("consideration", "Qualification call, MQL to SQL", "inside-sales", 2000, 1.5, "process"),
    ("consideration", "Discovery meeting and demo", "sales", 600, 6, "process"),
    ("consideration", "Tailored messaging, battlecard and reference case", "product-marketing",
     600, 1, "project"),
    ("consideration", "Proposal and business case", "sales", 300, 8, "process"),
    ("purchase", "Negotiation and contract", "sales", 150, 10, "process"),
    ("purchase", "Order booking and first invoice", "finance", 150, 1, "process"),
    ("onboarding", "Kick-off and implementation", "cs-onboarding", 150, 60, "project"),
    ("adoption", "Adoption reviews and health checks", "cs-accounts", 150, 12, "process"),
    ("adoption", "Customer story and reference", "communications", 30, 16, "project"),
    ("expansion", "Upsell campaign to existing customers", "demand-gen", 120, 0.5, "process"),
    ("expansion", "Expansion deal", "cs-accounts", 60, 8, "process"),
)
# fmt: on

COORDINATION_UNITS = (
    ("demand-gen", "inside-sales", 10, "lead handoff"),
    ("inside-sales", "sales-nordics", 8, "lead handoff"),
    ("inside-sales", "sales-dach", 4, "lead handoff"),
    ("inside-sales", "sales-ukie", 4, "lead handoff"),
    ("demand-gen", "sales-nordics", 5, "campaign planning"),
    ("demand-gen", "sales-dach", 3, "campaign planning"),
    ("demand-gen", "sales-ukie", 3, "campaign planning"),
    ("brand", "demand-gen", 5, "campaign planning"),
    ("brand", "communications", 6, "messaging"),
    ("communications", "product-marketing", 4, "messaging"),
    ("product-marketing", "sales", 6, "sales enablement"),
    ("product-marketing", "product-management", 8, "launch"),
    ("product-management", "engineering", 10, "roadmap"),
    ("design", "engineering", 6, "delivery"),
    ("eng-platform", "eng-integrations", 5, "delivery"),
    ("eng-apps", "eng-insights", 3, "delivery"),
    ("sales-nordics", "cs-accounts", 6, "account handoff"),
    ("sales-dach", "cs-accounts", 3, "account handoff"),
    ("sales-ukie", "cs-accounts", 3, "account handoff"),
    ("sales", "cs-onboarding", 5, "implementation handoff"),
    ("cs-accounts", "demand-gen", 3, "expansion campaigns"),
    ("cs-support", "product-management", 4, "product feedback"),
    ("cs-support", "eng-integrations", 4, "escalations"),
    ("hr", "sales", 5, "hiring"),
    ("hr", "engineering", 5, "hiring"),
    ("hr", "communications", 3, "employer branding"),
    ("hr", "customer-success", 2, "hiring"),
    ("finance", "sales", 4, "forecast and commissions"),
    ("finance", "marketing", 2, "budget follow-up"),
    ("communications", "management", 3, "executive communications"),
)

# Needs between the heads of two units, then between two people named by (unit, role title).
COORDINATION_HEADS = (
    ("sales", "marketing", 4, "pipeline review"),
    ("marketing", "communications", 3, "messaging"),
    ("demand-gen", "inside-sales", 4, "lead handoff"),
    ("product-marketing", "product-management", 4, "launch"),
    ("customer-success", "sales", 3, "renewal forecast"),
    ("finance", "sales", 3, "forecast and commissions"),
    ("hr", "engineering", 2, "hiring"),
)
# fmt: off
COORDINATION_ROLES = (
    (("marketing", "Marketing Operations Manager"), ("sales", "Revenue Operations Analyst"),
     5, "crm and reporting"),
    (("sales-nordics", "Sales Manager Nordics"), ("sales-nordics", "Solutions Engineer"),
     2, "deal review"),
)
# fmt: on

SETTINGS_YAML = """\
settings:
  span_range: [3, 15]
  team_size: [5, 9]
  brand_benchmark: 0.46
"""

# -- files -------------------------------------------------------------------------------------


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_number(v) if isinstance(v, float) else v for v in row])
    return out.getvalue()


def _render(seed: int = SEED) -> dict[str, str]:
    """The text of every demo file, by file name (see :data:`DEMO_FILES`)."""
    staff = hire(seed)
    people_columns = list(staff.people[0])
    return {
        "orglens.yaml": (
            "# Generated by examples/demo/generate.py (orglens.demo.write_demo); do not edit.\n"
            f"name: {COMPANY}\ncurrency: SEK\n{SETTINGS_YAML}{EVENTS_YAML}"
        ),
        "people.csv": _csv(people_columns, ([p[c] for c in people_columns] for p in staff.people)),
        "units.csv": _csv(
            ("id", "name", "parent", "head", "function", "cost_center"),
            (
                (u.id, u.name, u.parent, staff.head_of[u.id], u.function, u.cost_center)
                for u in UNITS
            ),
        ),
        "budget.csv": _csv(
            ("id", "unit", "category", "amount", "horizon", "outcome_unit", "description"),
            (
                (f"B{i:02d}", unit, category, thousands * 1000, horizon, outcome, description)
                for i, (unit, category, thousands, horizon, outcome, description) in enumerate(
                    BUDGET, start=1
                )
            ),
        ),
        "revenue.csv": _csv(
            ("stream", "unit", "amount", "segment"),
            ((stream, unit, k * 1000, segment) for stream, unit, k, segment in REVENUE),
        ),
        "journey.csv": _csv(
            ("order", "stage", "activity", "unit", "volume_per_year", "effort_hours", "work_mode"),
            ((i, *activity) for i, activity in enumerate(JOURNEY, start=1)),
        ),
        "coordination.csv": _csv(
            ("source", "target", "weight", "kind"),
            [
                *COORDINATION_UNITS,
                *(
                    (staff.head_of[source], staff.head_of[target], weight, kind)
                    for source, target, weight, kind in COORDINATION_HEADS
                ),
                *(
                    (staff.first_holder[source], staff.first_holder[target], weight, kind)
                    for source, target, weight, kind in COORDINATION_ROLES
                ),
            ],
        ),
        "segments.csv": _csv(("id", "name", "owner_unit", "size", "needs"), SEGMENTS),
        "events.csv": render_events(staff.people, seed + 1),
    }


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_demo(directory: Path) -> list[Path]:
    """Write the demo workspace of Nordljus Software AB into ``directory``.

    The directory is created if needed; existing demo files in it are replaced, each one
    atomically. The output is the same byte for byte on every run.

    Parameters
    ----------
    directory
        Where to write the workspace.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`DEMO_FILES`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [path.name for path in write_demo(Path(tmp))]  # doctest: +NORMALIZE_WHITESPACE
    ['orglens.yaml', 'people.csv', 'units.csv', 'budget.csv', 'revenue.csv', 'journey.csv',
     'coordination.csv', 'segments.csv', 'events.csv']
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = _render()
    written = []
    for name in DEMO_FILES:
        path = directory / name
        _write_atomically(path, files[name].encode("utf-8"))
        written.append(path)
    return written
