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
"""

from __future__ import annotations

import csv
import io
import os
import random
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from orglens.demo_events import EVENTS_YAML, render_events

__all__ = ["DEMO_FILES", "write_demo"]

SEED = 20240611
COMPANY = "Nordljus Software AB"
EMAIL_DOMAIN = "nordljus.example"

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

# -- names -------------------------------------------------------------------------------------

# fmt: off
_FIRST = {
    "se": (
        "Anna", "Åsa", "Björn", "Göran", "Märta", "Örjan", "Sofia", "Erik", "Lars", "Karin",
        "Linnéa", "Maja", "Oskar", "Håkan", "Åke", "Ingrid", "Per", "Mikael", "Johanna", "Elin",
        "Fredrik", "Jonas", "Malin", "Emma", "Ebba", "Hugo", "Axel", "Alva", "Ida", "Sara",
        "Viktor", "Henrik", "Mattias", "Therese", "Petra", "Ulrika", "Kristina", "Gustav",
        "Jöns", "Agnes", "Love", "Tove", "Nils", "Sixten", "Astrid", "Frida", "Klara", "Stina",
    ),
    "de": (
        "Jürgen", "Jörg", "Lukas", "Katrin", "Sabine", "Stefan", "Maximilian", "Felix", "Lena",
        "Julia", "Sophie", "Tobias", "Matthias", "Anja", "Uwe", "Birgit", "Jana", "Moritz",
    ),
    "uk": (
        "Oliver", "Harry", "Charlotte", "Emily", "James", "Thomas", "Amelia", "George", "Jack",
        "Hannah", "Rebecca", "Daniel", "Siobhan", "Ciarán", "Niamh", "Aoife", "Liam", "Connor",
    ),
}
# fmt: on
# fmt: off
_LAST = {
    "se": (
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jönsson", "Lindström", "Lindqvist",
        "Åberg", "Åström", "Öberg", "Sjöberg", "Bäckström", "Hägglund", "Ekström", "Löfgren",
        "Strömberg", "Nyström", "Holmström", "Söderberg", "Engström", "Håkansson", "Hedström",
        "Björk", "Sandén", "Wikström", "Forsberg", "Bergqvist", "Dahlgren", "Lundgren",
    ),
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schäfer", "Hoffmann", "Koch", "Bauer", "Richter", "Krüger", "Hübner", "Böhm", "Weiß",
    ),
    "uk": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Roberts",
        "Walker", "Wright", "Hughes", "Green", "O'Brien", "Murphy", "Kelly", "Byrne", "Walsh",
    ),
}
# fmt: on
# fmt: off
_ORIGIN_OF_LOCATION = {
    "Stockholm": "se", "Göteborg": "se", "Malmö": "se", "Oslo": "se", "København": "se",
    "München": "de", "Berlin": "de", "Hamburg": "de", "Zürich": "de",
    "London": "uk", "Manchester": "uk", "Dublin": "uk",
}
# fmt: on

# -- the organization --------------------------------------------------------------------------

NORDIC = ("Stockholm", "Stockholm", "Stockholm", "Göteborg", "Malmö", "Oslo", "København")
DACH = ("München", "München", "Berlin", "Hamburg", "Zürich")
UKI = ("London", "London", "Manchester", "Dublin")
HQ = ("Stockholm",)
TECH = ("Stockholm", "Stockholm", "Stockholm", "Göteborg", "Berlin")
ALL_SEGMENTS = ("enterprise", "mid-market", "public-sector")


@dataclass(frozen=True)
class _Role:
    title: str
    competences: tuple[str, ...]
    cost: tuple[int, int]  # annual people cost in SEK at fte 1, junior to senior
    count: int = 1
    extra: tuple[str, ...] = ()  # one of these may be added to the competences
    locations: tuple[str, ...] = HQ
    segments: tuple[tuple[str, ...], ...] = ((),)  # one of these is drawn per person
    work_mode: str = ""
    part_time: int = 0  # how many of ``count`` work part-time
    senior_title: bool = False  # the most senior get "Senior" in front of the title


@dataclass(frozen=True)
class _UnitSpec:
    id: str
    name: str
    parent: str
    function: str
    cost_center: str
    head: _Role
    members: tuple[_Role, ...] = ()


def _r(
    title: str,
    competences: str,
    low: int,
    high: int | None = None,
    *,
    count: int = 1,
    extra: str = "",
    locations: tuple[str, ...] = HQ,
    segments: tuple[tuple[str, ...], ...] = ((),),
    work_mode: str = "",
    part_time: int = 0,
    senior_title: bool = False,
) -> _Role:
    """A role; costs in thousands of SEK, competences ``;``-separated to keep the table short."""
    return _Role(
        title=title,
        competences=tuple(competences.split(";")),
        cost=(low * 1000, (high or low) * 1000),
        count=count,
        extra=tuple(extra.split(";")) if extra else (),
        locations=locations,
        segments=segments,
        work_mode=work_mode,
        part_time=part_time,
        senior_title=senior_title,
    )


_SEG = {
    "sales": (
        ("enterprise",),
        ("enterprise", "public-sector"),
        ("public-sector",),
        ("mid-market",),
    ),
    "intl": (("enterprise",), ("enterprise", "mid-market"), ("mid-market",)),
    "sdr": (("mid-market",), ("mid-market", "small-business"), ("small-business",)),
    "comms": (("opinion-leaders",), ("opinion-leaders", "public-sector"), ("opinion-leaders",)),
    "cs": (("enterprise",), ("mid-market",), ("public-sector",), ("enterprise", "public-sector")),
    "pm": (("enterprise",), ("mid-market",), ("public-sector",)),
}

# fmt: off
UNITS: tuple[_UnitSpec, ...] = (
    _UnitSpec("management", "Management", "", "management", "CC-100",
        _r("Chief Executive Officer", "general management;strategy", 3400),
        (_r("Executive Assistant", "administration;planning", 640),)),
    _UnitSpec("sales", "Sales", "management", "sales", "CC-200",
        _r("Chief Revenue Officer", "sales leadership;forecasting;negotiation", 2300,
           segments=(ALL_SEGMENTS,), work_mode="process"),
        (_r("Revenue Operations Analyst", "crm;sales analytics;forecasting", 760, 900, count=2,
            work_mode="process"),
         _r("Partner Manager", "partner management;negotiation", 1050, work_mode="process",
            segments=(("mid-market", "small-business"),)))),
    _UnitSpec("sales-nordics", "Sales Nordics", "sales", "sales", "CC-210",
        _r("Sales Manager Nordics", "sales leadership;field sales;negotiation", 1550,
           segments=(("enterprise", "public-sector"),), work_mode="process"),
        (_r("Account Executive", "field sales;negotiation", 950, 1300, count=16,
            extra="public procurement;value selling;account planning;solution selling",
            locations=NORDIC, segments=_SEG["sales"], work_mode="process", senior_title=True),
         _r("Solutions Engineer", "presales;solution architecture;product demos", 1000, 1150,
            segments=(ALL_SEGMENTS,), work_mode="process"))),
    _UnitSpec("sales-dach", "Sales DACH", "sales", "sales", "CC-220",
        _r("Sales Manager DACH (player/coach)", "field sales;negotiation;sales leadership", 1700,
           locations=("München",), segments=(("enterprise",),), work_mode="process"),
        (_r("Account Executive", "field sales;negotiation", 1150, 1450, count=4,
            extra="value selling;account planning", locations=DACH, segments=_SEG["intl"],
            work_mode="process", senior_title=True),)),
    _UnitSpec("sales-ukie", "Sales UK & Ireland", "sales", "sales", "CC-230",
        _r("Sales Manager UK & Ireland (player/coach)", "field sales;negotiation;sales leadership",
           1600, locations=("London",), segments=(("enterprise",),), work_mode="process"),
        (_r("Account Executive", "field sales;negotiation", 1100, 1400, count=5,
            extra="value selling;account planning", locations=UKI, segments=_SEG["intl"],
            work_mode="process", senior_title=True),)),
    _UnitSpec("inside-sales", "Inside Sales", "sales", "sales", "CC-240",
        _r("Inside Sales Team Lead", "inside sales;sales development;coaching", 950,
           segments=(("mid-market", "small-business"),), work_mode="process"),
        (_r("Sales Development Representative", "sales development;prospecting", 560, 680,
            count=11, extra="cold calling;linkedin prospecting;crm;german", locations=(
                "Stockholm", "Stockholm", "Malmö"), segments=_SEG["sdr"], work_mode="process",
            part_time=1),)),
    _UnitSpec("marketing", "Marketing", "management", "marketing", "CC-300",
        _r("Chief Marketing Officer", "marketing leadership;brand;demand generation", 2000,
           segments=(ALL_SEGMENTS,), work_mode="project"),
        (_r("Marketing Operations Manager", "marketing automation;crm;analytics", 900,
            work_mode="process"),)),
    _UnitSpec("brand", "Brand", "marketing", "marketing", "CC-310",
        _r("Brand Manager", "brand;creative;content", 1100, segments=(ALL_SEGMENTS,),
           work_mode="project"),
        (_r("Brand Strategist", "brand;market research", 900, segments=(ALL_SEGMENTS,),
            work_mode="project"),
         _r("Graphic Designer", "brand;creative;graphic design", 700, 850, count=2,
            segments=(ALL_SEGMENTS,), work_mode="project", part_time=1),
         _r("Copywriter", "content;copywriting;brand", 750, segments=(ALL_SEGMENTS,),
            work_mode="project"))),
    _UnitSpec("demand-gen", "Demand Generation", "marketing", "marketing", "CC-320",
        _r("Head of Demand Generation", "demand generation;marketing automation;campaigns", 1200,
           segments=(("enterprise", "mid-market"),), work_mode="process"),
        (_r("Campaign Manager", "demand generation;campaigns", 780, 900, count=2,
            segments=(("enterprise", "mid-market"),), work_mode="process", senior_title=True),
         _r("Marketing Automation Specialist", "marketing automation;crm;analytics", 800,
            segments=(("mid-market", "small-business"),), work_mode="process"),
         _r("Paid Media Specialist", "paid media;analytics;demand generation", 760,
            segments=(("mid-market", "small-business"),), work_mode="process"),
         _r("SEO & Web Specialist", "seo;web;content", 720, work_mode="process",
            segments=(("enterprise", "mid-market"),)),
         _r("Content Marketer", "content;demand generation;copywriting", 700,
            segments=(("enterprise", "mid-market"),), work_mode="process"),
         _r("Events & Webinar Manager", "events;webinars;demand generation", 740,
            segments=(("enterprise", "public-sector"),), work_mode="process"))),
    _UnitSpec("product-marketing", "Product Marketing", "marketing", "marketing", "CC-330",
        _r("Head of Product Marketing", "product marketing;messaging;positioning", 1250,
           segments=(ALL_SEGMENTS,), work_mode="project"),
        (_r("Product Marketing Manager", "product marketing;messaging;sales enablement", 880,
            1000, count=3, locations=("Stockholm", "München"), segments=_SEG["pm"],
            work_mode="project"),)),
    _UnitSpec("communications", "Communications", "management", "communications", "CC-400",
        _r("Head of Communications", "pr;content;corporate communications", 1300,
           segments=(("opinion-leaders", "public-sector", "enterprise"),), work_mode="project"),
        (_r("PR Manager", "pr;media relations;content", 820, segments=_SEG["comms"],
            work_mode="project"),
         _r("Content Editor", "content;copywriting;pr", 700, segments=_SEG["comms"],
            work_mode="project"),
         _r("Internal Communications Specialist", "internal communications;content", 680,
            work_mode="project", part_time=1),
         _r("Social Media Specialist", "social media;content;brand", 620, work_mode="project",
            segments=(("opinion-leaders", "mid-market"),), part_time=1))),
    _UnitSpec("product", "Product", "management", "product", "CC-500",
        _r("Chief Product Officer", "product management;strategy", 2100, work_mode="project")),
    _UnitSpec("product-management", "Product Management", "product", "product", "CC-510",
        _r("Head of Product Management", "product management;discovery", 1400,
           segments=(ALL_SEGMENTS,), work_mode="project"),
        (_r("Product Manager", "product management;discovery", 1000, 1200, count=4,
            extra="analytics;integrations;ux design", segments=_SEG["pm"], work_mode="project",
            senior_title=True),)),
    _UnitSpec("design", "Product Design", "product", "product", "CC-520",
        _r("Design Lead", "ux design;design systems", 1100, work_mode="project"),
        (_r("Product Designer", "ux design;ui design", 800, 950, count=2,
            extra="user research;prototyping", work_mode="project"),)),
    _UnitSpec("engineering", "Engineering", "product", "product", "CC-530",
        _r("VP Engineering", "software engineering;engineering leadership", 1900,
           work_mode="project"),
        (_r("Security Engineer", "security;cloud infrastructure", 1150, work_mode="project"),)),
    _UnitSpec("eng-platform", "Team Platform", "engineering", "product", "CC-531",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;cloud infrastructure", 780, 1250, count=6,
            extra="kubernetes;databases;security", locations=TECH, work_mode="project",
            senior_title=True),
         _r("QA Engineer", "software testing;test automation", 820, work_mode="project"))),
    _UnitSpec("eng-integrations", "Team Integrations", "engineering", "product", "CC-532",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;apis;integrations", 780, 1250, count=6,
            extra="databases;security", locations=TECH, work_mode="project",
            senior_title=True),)),
    _UnitSpec("eng-insights", "Team Insights", "engineering", "product", "CC-533",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;data engineering;analytics", 780, 1250,
            count=5, locations=TECH, work_mode="project", senior_title=True),
         _r("Data Scientist", "data science;analytics", 1000, work_mode="project"))),
    _UnitSpec("eng-apps", "Team Web & Mobile", "engineering", "product", "CC-534",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;frontend;mobile", 780, 1250, count=7,
            extra="ux design;accessibility", locations=TECH, work_mode="project",
            senior_title=True, part_time=1),)),
    _UnitSpec("customer-success", "Customer Success", "management", "customer_success", "CC-600",
        _r("VP Customer Success", "customer success;account management;leadership", 1800,
           segments=(ALL_SEGMENTS,), work_mode="process"),
        (_r("Customer Success Operations Analyst", "crm;analytics;customer success", 720,
            work_mode="process"),)),
    _UnitSpec("cs-onboarding", "Onboarding", "customer-success", "customer_success", "CC-610",
        _r("Onboarding Lead", "implementation;project management", 1000, work_mode="project"),
        (_r("Implementation Consultant", "implementation;project management;integrations", 750,
            900, count=5, locations=("Stockholm", "Stockholm", "München", "London"),
            segments=_SEG["cs"], work_mode="project", senior_title=True),)),
    _UnitSpec("cs-accounts", "Account Management", "customer-success", "customer_success",
        "CC-620",
        _r("Head of Account Management", "account management;negotiation;customer success", 1250,
           segments=(ALL_SEGMENTS,), work_mode="process"),
        (_r("Customer Success Manager", "customer success;account management", 780, 950, count=8,
            extra="upselling;negotiation;public procurement", locations=(
                "Stockholm", "Stockholm", "Göteborg", "München", "London"), segments=_SEG["cs"],
            work_mode="process", senior_title=True),)),
    _UnitSpec("cs-support", "Support", "customer-success", "customer_success", "CC-630",
        _r("Support Lead", "customer support;itil", 850, work_mode="process"),
        (_r("Support Specialist", "customer support;troubleshooting", 520, 620, count=7,
            extra="german;integrations", locations=("Stockholm", "Stockholm", "Malmö"),
            work_mode="process", part_time=1),)),
    _UnitSpec("hr", "HR", "management", "hr", "CC-700",
        _r("Head of People", "hr;leadership;employment law", 1350, work_mode="process"),
        (_r("HR Business Partner", "hr;employment law;coaching", 850, work_mode="process"),
         _r("Talent Acquisition Partner", "recruiting;employer branding", 700, 780, count=2,
            work_mode="process"),
         _r("People Operations Coordinator", "hr administration;payroll", 560,
            work_mode="process", part_time=1))),
    _UnitSpec("finance", "Finance", "management", "finance", "CC-800",
        _r("Chief Financial Officer", "finance;controlling;strategy", 2000, work_mode="process"),
        (_r("Financial Controller", "controlling;reporting", 1000, work_mode="process"),
         _r("Accountant", "accounting;payroll", 600, 680, count=2, work_mode="process"),
         _r("FP&A Analyst", "financial planning;analytics;forecasting", 800,
            work_mode="process"))),
)
# fmt: on

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

# -- generation --------------------------------------------------------------------------------


def _email_part(text: str) -> str:
    """ASCII e-mail local part of a name: 'Åsa' → 'asa', 'Weiß' → 'weiss', "O'Brien" → 'obrien'."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("æ", "ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c == "-")


@dataclass
class _Generator:
    rng: random.Random
    people: list[dict[str, str]]
    used_names: set[str]
    head_of: dict[str, str]
    first_holder: dict[tuple[str, str], str]

    def name(self, location: str) -> tuple[str, str]:
        origin = _ORIGIN_OF_LOCATION[location]
        # Headquarters is international: some Stockholm staff came from Germany or the UK.
        if location == "Stockholm" and self.rng.random() < 0.12:
            origin = self.rng.choice(("de", "uk"))
        while True:
            first, last = self.rng.choice(_FIRST[origin]), self.rng.choice(_LAST[origin])
            if f"{first} {last}" not in self.used_names:
                self.used_names.add(f"{first} {last}")
                return first, last

    def person(self, unit: _UnitSpec, role: _Role, manager: str, part_time: bool) -> str:
        rng = self.rng
        pid = f"P{len(self.people) + 1:03d}"
        seniority = rng.random()
        location = rng.choice(role.locations)
        first, last = self.name(location)
        competences = list(role.competences)
        if role.extra and rng.random() < 0.6:
            competences.append(rng.choice(role.extra))
        fte = rng.choice((0.5, 0.6, 0.8)) if part_time else 1.0
        low, high = role.cost
        cost = round((low + seniority * (high - low)) * fte, -3)
        title = role.title
        if role.senior_title and seniority > 0.75:
            title = f"Senior {title}"
        # The more senior, the longer with the company (plus some noise).
        tenure_days = int(seniority * 2600 + rng.random() * 1200)
        self.people.append(
            {
                "id": pid,
                "name": f"{first} {last}",
                "manager_id": manager,
                "unit": unit.id,
                "role": title,
                "competences": ";".join(competences),
                "cost": str(int(cost)),
                "fte": _number(fte),
                "email": f"{_email_part(first)}.{_email_part(last)}@{EMAIL_DOMAIN}",
                "location": location,
                "segments": ";".join(rng.choice(role.segments)),
                "work_mode": role.work_mode,
                "start_date": (date(2024, 9, 1) - timedelta(days=tenure_days)).isoformat(),
            }
        )
        self.first_holder.setdefault((unit.id, role.title), pid)
        return pid


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_number(v) if isinstance(v, float) else v for v in row])
    return out.getvalue()


def _render(seed: int = SEED) -> dict[str, str]:
    """The text of every demo file, by file name (see :data:`DEMO_FILES`)."""
    gen = _Generator(random.Random(seed), [], set(), {}, {})
    for unit in UNITS:
        manager = gen.head_of.get(unit.parent, "")
        gen.head_of[unit.id] = gen.person(unit, unit.head, manager, part_time=False)
        for role in unit.members:
            for i in range(role.count):
                gen.person(unit, role, gen.head_of[unit.id], part_time=i < role.part_time)

    people_columns = list(gen.people[0])
    return {
        "orglens.yaml": (
            "# Generated by examples/demo/generate.py (orglens.demo.write_demo); do not edit.\n"
            f"name: {COMPANY}\ncurrency: SEK\n{SETTINGS_YAML}{EVENTS_YAML}"
        ),
        "people.csv": _csv(people_columns, ([p[c] for c in people_columns] for p in gen.people)),
        "units.csv": _csv(
            ("id", "name", "parent", "head", "function", "cost_center"),
            ((u.id, u.name, u.parent, gen.head_of[u.id], u.function, u.cost_center) for u in UNITS),
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
                    (gen.head_of[source], gen.head_of[target], weight, kind)
                    for source, target, weight, kind in COORDINATION_HEADS
                ),
                *(
                    (gen.first_holder[source], gen.first_holder[target], weight, kind)
                    for source, target, weight, kind in COORDINATION_ROLES
                ),
            ],
        ),
        "segments.csv": _csv(("id", "name", "owner_unit", "size", "needs"), SEGMENTS),
        "events.csv": render_events(gen.people, seed + 1),
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
