"""The people of the bundled demo company: its units, their roles, and the people who hold them.

:data:`UNITS` declares the organization of Nordljus Software AB unit by unit (head, members,
cost range, competences, locations, segments); :func:`hire` turns it into people, with Nordic,
German and British names drawn by location, from one seeded :class:`random.Random`. The
workspace files are written by :mod:`orglens.demo`.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["UNITS", "Role", "Staff", "UnitSpec", "csv_number", "hire"]

EMAIL_DOMAIN = "nordljus.example"

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
class Role:
    """A role of a unit of :data:`UNITS` and how many people hold it."""

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
class UnitSpec:
    """A unit of the demo company: where it sits, its head and its members."""

    id: str
    name: str
    parent: str
    function: str
    cost_center: str
    head: Role
    members: tuple[Role, ...] = ()


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
) -> Role:
    """A role; costs in thousands of SEK, competences ``;``-separated to keep the table short."""
    return Role(
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
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("management", "Management", "", "management", "CC-100",
        _r("Chief Executive Officer", "general management;strategy", 3400),
        (_r("Executive Assistant", "administration;planning", 640),)),
    UnitSpec("sales", "Sales", "management", "sales", "CC-200",
        _r("Chief Revenue Officer", "sales leadership;forecasting;negotiation", 2300,
           segments=(ALL_SEGMENTS,), work_mode="process"),
        (_r("Revenue Operations Analyst", "crm;sales analytics;forecasting", 760, 900, count=2,
            work_mode="process"),
         _r("Partner Manager", "partner management;negotiation", 1050, work_mode="process",
            segments=(("mid-market", "small-business"),)))),
    UnitSpec("sales-nordics", "Sales Nordics", "sales", "sales", "CC-210",
        _r("Sales Manager Nordics", "sales leadership;field sales;negotiation", 1550,
           segments=(("enterprise", "public-sector"),), work_mode="process"),
        (_r("Account Executive", "field sales;negotiation", 950, 1300, count=16,
            extra="public procurement;value selling;account planning;solution selling",
            locations=NORDIC, segments=_SEG["sales"], work_mode="process", senior_title=True),
         _r("Solutions Engineer", "presales;solution architecture;product demos", 1000, 1150,
            segments=(ALL_SEGMENTS,), work_mode="process"))),
    UnitSpec("sales-dach", "Sales DACH", "sales", "sales", "CC-220",
        _r("Sales Manager DACH (player/coach)", "field sales;negotiation;sales leadership", 1700,
           locations=("München",), segments=(("enterprise",),), work_mode="process"),
        (_r("Account Executive", "field sales;negotiation", 1150, 1450, count=4,
            extra="value selling;account planning", locations=DACH, segments=_SEG["intl"],
            work_mode="process", senior_title=True),)),
    UnitSpec("sales-ukie", "Sales UK & Ireland", "sales", "sales", "CC-230",
        _r("Sales Manager UK & Ireland (player/coach)", "field sales;negotiation;sales leadership",
           1600, locations=("London",), segments=(("enterprise",),), work_mode="process"),
        (_r("Account Executive", "field sales;negotiation", 1100, 1400, count=5,
            extra="value selling;account planning", locations=UKI, segments=_SEG["intl"],
            work_mode="process", senior_title=True),)),
    UnitSpec("inside-sales", "Inside Sales", "sales", "sales", "CC-240",
        _r("Inside Sales Team Lead", "inside sales;sales development;coaching", 950,
           segments=(("mid-market", "small-business"),), work_mode="process"),
        (_r("Sales Development Representative", "sales development;prospecting", 560, 680,
            count=11, extra="cold calling;linkedin prospecting;crm;german", locations=(
                "Stockholm", "Stockholm", "Malmö"), segments=_SEG["sdr"], work_mode="process",
            part_time=1),)),
    UnitSpec("marketing", "Marketing", "management", "marketing", "CC-300",
        _r("Chief Marketing Officer", "marketing leadership;brand;demand generation", 2000,
           segments=(ALL_SEGMENTS,), work_mode="project"),
        (_r("Marketing Operations Manager", "marketing automation;crm;analytics", 900,
            work_mode="process"),)),
    UnitSpec("brand", "Brand", "marketing", "marketing", "CC-310",
        _r("Brand Manager", "brand;creative;content", 1100, segments=(ALL_SEGMENTS,),
           work_mode="project"),
        (_r("Brand Strategist", "brand;market research", 900, segments=(ALL_SEGMENTS,),
            work_mode="project"),
         _r("Graphic Designer", "brand;creative;graphic design", 700, 850, count=2,
            segments=(ALL_SEGMENTS,), work_mode="project", part_time=1),
         _r("Copywriter", "content;copywriting;brand", 750, segments=(ALL_SEGMENTS,),
            work_mode="project"))),
    UnitSpec("demand-gen", "Demand Generation", "marketing", "marketing", "CC-320",
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
    UnitSpec("product-marketing", "Product Marketing", "marketing", "marketing", "CC-330",
        _r("Head of Product Marketing", "product marketing;messaging;positioning", 1250,
           segments=(ALL_SEGMENTS,), work_mode="project"),
        (_r("Product Marketing Manager", "product marketing;messaging;sales enablement", 880,
            1000, count=3, locations=("Stockholm", "München"), segments=_SEG["pm"],
            work_mode="project"),)),
    UnitSpec("communications", "Communications", "management", "communications", "CC-400",
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
    UnitSpec("product", "Product", "management", "product", "CC-500",
        _r("Chief Product Officer", "product management;strategy", 2100, work_mode="project")),
    UnitSpec("product-management", "Product Management", "product", "product", "CC-510",
        _r("Head of Product Management", "product management;discovery", 1400,
           segments=(ALL_SEGMENTS,), work_mode="project"),
        (_r("Product Manager", "product management;discovery", 1000, 1200, count=4,
            extra="analytics;integrations;ux design", segments=_SEG["pm"], work_mode="project",
            senior_title=True),)),
    UnitSpec("design", "Product Design", "product", "product", "CC-520",
        _r("Design Lead", "ux design;design systems", 1100, work_mode="project"),
        (_r("Product Designer", "ux design;ui design", 800, 950, count=2,
            extra="user research;prototyping", work_mode="project"),)),
    UnitSpec("engineering", "Engineering", "product", "product", "CC-530",
        _r("VP Engineering", "software engineering;engineering leadership", 1900,
           work_mode="project"),
        (_r("Security Engineer", "security;cloud infrastructure", 1150, work_mode="project"),)),
    UnitSpec("eng-platform", "Team Platform", "engineering", "product", "CC-531",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;cloud infrastructure", 780, 1250, count=6,
            extra="kubernetes;databases;security", locations=TECH, work_mode="project",
            senior_title=True),
         _r("QA Engineer", "software testing;test automation", 820, work_mode="project"))),
    UnitSpec("eng-integrations", "Team Integrations", "engineering", "product", "CC-532",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;apis;integrations", 780, 1250, count=6,
            extra="databases;security", locations=TECH, work_mode="project",
            senior_title=True),)),
    UnitSpec("eng-insights", "Team Insights", "engineering", "product", "CC-533",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;data engineering;analytics", 780, 1250,
            count=5, locations=TECH, work_mode="project", senior_title=True),
         _r("Data Scientist", "data science;analytics", 1000, work_mode="project"))),
    UnitSpec("eng-apps", "Team Web & Mobile", "engineering", "product", "CC-534",
        _r("Engineering Manager", "software engineering;people leadership", 1350,
           work_mode="project"),
        (_r("Software Engineer", "software engineering;frontend;mobile", 780, 1250, count=7,
            extra="ux design;accessibility", locations=TECH, work_mode="project",
            senior_title=True, part_time=1),)),
    UnitSpec("customer-success", "Customer Success", "management", "customer_success", "CC-600",
        _r("VP Customer Success", "customer success;account management;leadership", 1800,
           segments=(ALL_SEGMENTS,), work_mode="process"),
        (_r("Customer Success Operations Analyst", "crm;analytics;customer success", 720,
            work_mode="process"),)),
    UnitSpec("cs-onboarding", "Onboarding", "customer-success", "customer_success", "CC-610",
        _r("Onboarding Lead", "implementation;project management", 1000, work_mode="project"),
        (_r("Implementation Consultant", "implementation;project management;integrations", 750,
            900, count=5, locations=("Stockholm", "Stockholm", "München", "London"),
            segments=_SEG["cs"], work_mode="project", senior_title=True),)),
    UnitSpec("cs-accounts", "Account Management", "customer-success", "customer_success",
        "CC-620",
        _r("Head of Account Management", "account management;negotiation;customer success", 1250,
           segments=(ALL_SEGMENTS,), work_mode="process"),
        (_r("Customer Success Manager", "customer success;account management", 780, 950, count=8,
            extra="upselling;negotiation;public procurement", locations=(
                "Stockholm", "Stockholm", "Göteborg", "München", "London"), segments=_SEG["cs"],
            work_mode="process", senior_title=True),)),
    UnitSpec("cs-support", "Support", "customer-success", "customer_success", "CC-630",
        _r("Support Lead", "customer support;itil", 850, work_mode="process"),
        (_r("Support Specialist", "customer support;troubleshooting", 520, 620, count=7,
            extra="german;integrations", locations=("Stockholm", "Stockholm", "Malmö"),
            work_mode="process", part_time=1),)),
    UnitSpec("hr", "HR", "management", "hr", "CC-700",
        _r("Head of People", "hr;leadership;employment law", 1350, work_mode="process"),
        (_r("HR Business Partner", "hr;employment law;coaching", 850, work_mode="process"),
         _r("Talent Acquisition Partner", "recruiting;employer branding", 700, 780, count=2,
            work_mode="process"),
         _r("People Operations Coordinator", "hr administration;payroll", 560,
            work_mode="process", part_time=1))),
    UnitSpec("finance", "Finance", "management", "finance", "CC-800",
        _r("Chief Financial Officer", "finance;controlling;strategy", 2000, work_mode="process"),
        (_r("Financial Controller", "controlling;reporting", 1000, work_mode="process"),
         _r("Accountant", "accounting;payroll", 600, 680, count=2, work_mode="process"),
         _r("FP&A Analyst", "financial planning;analytics;forecasting", 800,
            work_mode="process"))),
)
# fmt: on

# -- hiring -----------------------------------------------------------------------------------


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

    def person(self, unit: UnitSpec, role: Role, manager: str, part_time: bool) -> str:
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
                "fte": csv_number(fte),
                "email": f"{_email_part(first)}.{_email_part(last)}@{EMAIL_DOMAIN}",
                "location": location,
                "segments": ";".join(rng.choice(role.segments)),
                "work_mode": role.work_mode,
                "start_date": (date(2024, 9, 1) - timedelta(days=tenure_days)).isoformat(),
            }
        )
        self.first_holder.setdefault((unit.id, role.title), pid)
        return pid


def csv_number(value: float) -> str:
    """A number as the demo's CSV files write it: ``1.0`` → ``'1'``, ``0.5`` → ``'0.5'``."""
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class Staff:
    """The people of the demo company, as rows of ``people.csv`` (column → text), in order.

    ``head_of`` maps a unit id to its head's id; ``first_holder`` maps ``(unit id, role title)``
    to the id of the first person hired into that role.
    """

    people: tuple[Mapping[str, str], ...]
    head_of: Mapping[str, str]
    first_holder: Mapping[tuple[str, str], str]


def hire(seed: int) -> Staff:
    """Hire the people of :data:`UNITS`, unit by unit, each head before their members.

    Examples
    --------
    >>> staff = hire(1)
    >>> staff.people[0]["role"], staff.people[0]["manager_id"]
    ('Chief Executive Officer', '')
    >>> staff.head_of["management"]
    'P001'
    """
    gen = _Generator(random.Random(seed), [], set(), {}, {})
    for unit in UNITS:
        manager = gen.head_of.get(unit.parent, "")
        gen.head_of[unit.id] = gen.person(unit, unit.head, manager, part_time=False)
        for role in unit.members:
            for i in range(role.count):
                gen.person(unit, role, gen.head_of[unit.id], part_time=i < role.part_time)
    return Staff(tuple(gen.people), gen.head_of, gen.first_holder)
