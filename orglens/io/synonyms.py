"""The columns of every workspace file, and the other names HR exports give them.

:data:`COLUMNS` lists each table's columns (``people``, ``units``, ``budget``, ``revenue``,
``journey``, ``coordination``, ``segments``) with what they hold; :data:`SYNONYMS` the headers,
in English and Swedish, read as each of them. :data:`SYNONYM_INDEX` looks a header up in the form
:func:`normalize_header` gives it. How a file's headers are matched to the columns is
:mod:`orglens.io.columns`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "READ_ATTRIBUTES",
    "SYNONYMS",
    "SYNONYM_INDEX",
    "Column",
    "Synonym",
    "column_names",
    "header_words",
    "normalize_header",
]


@dataclass(frozen=True)
class Column:
    """One column of a workspace file: its name, whether the file needs it, what it holds and
    an example value."""

    name: str
    required: bool
    meaning: str
    example: str


def _columns(*specs: tuple[str, bool, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


#: The columns of each workspace table, in the order the skeleton writes them.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "people": _columns(
        ("id", True, "the person's id (an employee number)", "P002"),
        ("name", False, "the person's name", "Karin Nyström"),
        ("manager_id", True, "the id of their manager; empty for the top", "P001"),
        ("unit", True, "their unit, by id or name", "Sales"),
        ("role", False, "job title", "Account Executive"),
        ("competences", False, "skills, separated by ; or |", "negotiation;crm"),
        ("cost", False, "annual people cost (see cost_period for monthly)", "780000"),
        ("fte", False, "share of full time, 1 by default (or a percentage: 80%)", "1"),
        ("email", False, "matches event-log resources; never shown in any output", ""),
        ("location", False, "office or region", "Stockholm"),
        ("segments", False, "customer segments served, separated by ; or |", "enterprise"),
        ("work_mode", False, "process or project", "process"),
    ),
    "units": _columns(
        ("id", True, "the unit's id", "sales"),
        ("name", False, "its name (defaults to the id)", "Sales"),
        ("parent", False, "the unit above it, by id or name; empty at the top", "ceo-office"),
        ("head", False, "the person id of its head", "P002"),
        ("function", False, "sales, marketing, communications, product, ...", "sales"),
    ),
    "budget": _columns(
        ("id", True, "the spend line's id", "B01"),
        ("unit", True, "the unit that spends it", "marketing"),
        ("category", False, "free text", "events"),
        ("amount", True, "annual amount", "250000"),
        ("horizon", False, "brand, activation or other", "brand"),
        ("outcome_unit", False, "the unit whose result the spend serves", "sales"),
        ("description", False, "free text", "Trade fair"),
    ),
    "revenue": _columns(
        ("stream", True, "the revenue stream", "New business"),
        ("unit", True, "the unit measured on it", "sales"),
        ("amount", True, "annual amount", "12000000"),
        ("segment", False, "the customer segment", "enterprise"),
    ),
    "journey": _columns(
        ("order", True, "position in the journey (a number)", "1"),
        ("stage", True, "the journey stage", "Awareness"),
        ("activity", True, "the activity", "Webinar"),
        ("unit", False, "the unit doing it (this or role)", "marketing"),
        ("role", False, "the role doing it (this or unit)", ""),
        ("volume_per_year", False, "cases per year", "400"),
        ("effort_hours", False, "hours per case", "2"),
        ("work_mode", False, "process or project", "project"),
    ),
    "coordination": _columns(
        ("source", True, "a person or unit id", "sales"),
        ("target", True, "a person or unit id", "marketing"),
        ("weight", False, "how much (greater than 0), 1 by default", "3"),
        ("kind", False, "free text", "lead handover"),
    ),
    "segments": _columns(
        ("id", True, "the segment's id", "enterprise"),
        ("name", False, "its name (defaults to the id)", "Enterprise"),
        ("owner_unit", False, "the unit that owns it", "sales"),
        ("size", False, "number of customers (or any size measure)", "120"),
        ("needs", False, "free text", "Integration with ERP"),
    ),
}

#: Unit attributes the advice reads (extra columns of units.csv), never reported as unused.
READ_ATTRIBUTES = {"units": frozenset({"region", "market", "segment"})}

#: Header names other than a column's own, by table and column. ``cost`` headers ending in
#: ``@month`` are monthly amounts, those ending in ``@year?`` are often monthly in Sweden (the
#: warning says so); ``fte`` headers ending in ``@percent`` hold percentages.
# fmt: off
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "people": {
        "id": (
            "employee id", "employee number", "employee no", "emp id", "emp no", "person id",
            "personnel number", "staff id", "staff number", "worker id", "user id",
            "anställningsnummer", "anställningsnr", "anst nr", "medarbetar id",
            "medarbetarnummer", "personalnummer", "personal id", "person nr",
        ),
        "name": (
            "full name", "employee name", "employee", "namn", "fullständigt namn",
            "medarbetare", "medarbetarnamn", "anställd",
        ),
        "manager_id": (
            "manager", "manager employee id", "manager number", "line manager", "supervisor",
            "supervisor id", "reports to", "chef", "chef id", "chefens id", "chefs id",
            "chefens anställningsnummer", "chefens anställningsnr", "närmaste chef",
            "närmsta chef", "rapporterar till",
        ),
        "unit": (
            "department", "dept", "team", "org unit", "organizational unit",
            "organisational unit", "avdelning", "enhet", "organisationsenhet",
            "organisatorisk enhet", "sektion",
        ),
        "role": (
            "title", "job title", "position", "job role", "befattning", "titel", "roll",
            "tjänst", "yrkesroll", "tjänstetitel", "yrke",
        ),
        "competences": (
            "skills", "skill", "competencies", "competency", "competence", "expertise",
            "kompetenser", "kompetens", "färdigheter", "kunskaper",
        ),
        "cost": (
            "annual salary", "yearly salary", "annual cost", "annual pay", "yearly cost",
            "personnel cost", "people cost", "total cost", "årslön", "årskostnad",
            "personalkostnad", "lönekostnad", "salary@year?", "pay@year?", "base salary@year?",
            "lön@year?", "grundlön@year?", "monthly salary@month", "monthly pay@month",
            "monthly cost@month", "månadslön@month", "månadskostnad@month",
        ),
        "fte": (
            "full time equivalent", "heltidsekvivalent", "employment rate@percent",
            "employment percentage@percent", "sysselsättningsgrad@percent",
            "tjänstgöringsgrad@percent", "omfattning@percent", "arbetstid@percent",
        ),
        "email": ("e-mail", "mail", "email address", "e-post", "e-postadress"),
        "location": ("office", "city", "country", "ort", "kontor", "plats", "land"),
        "segments": ("segment", "customer segment", "kundsegment", "marknadssegment"),
        "work_mode": ("arbetssätt", "mode of work"),
    },
    "units": {
        "id": ("unit id", "unit", "department id", "enhet", "enhets id", "avdelning", "kod"),
        "name": ("unit name", "department name", "namn", "enhetsnamn", "avdelningsnamn"),
        "parent": ("parent unit", "parent id", "överordnad", "överordnad enhet", "förälder"),
        "head": ("manager", "manager id", "head id", "chef", "chef id", "enhetschef"),
        "function": ("funktion", "area", "område"),
    },
    "budget": {
        "id": ("line", "line id", "budget id", "rad", "post"),
        "unit": ("department", "avdelning", "enhet"),
        "category": ("kategori", "konto", "account", "type", "typ"),
        "amount": ("budget", "cost", "spend", "belopp", "kostnad", "summa"),
        "horizon": ("horisont", "brand or activation"),
        "outcome_unit": ("outcome", "serves unit", "resultatenhet"),
        "description": ("beskrivning", "text", "comment", "kommentar"),
    },
    "revenue": {
        "stream": ("revenue stream", "intäktsström", "intäktsslag", "product", "produkt"),
        "unit": ("department", "avdelning", "enhet"),
        "amount": ("revenue", "intäkt", "intäkter", "belopp", "summa", "omsättning"),
        "segment": ("customer segment", "kundsegment"),
    },
    "journey": {
        "order": ("step", "position", "ordning", "nr", "steg nr"),
        "stage": ("phase", "fas", "steg", "skede"),
        "activity": ("aktivitet", "task", "uppgift"),
        "unit": ("department", "avdelning", "enhet"),
        "role": ("roll", "befattning"),
        "volume_per_year": ("volume", "volym", "per year", "antal per år"),
        "effort_hours": ("effort", "hours", "timmar", "tid"),
        "work_mode": ("arbetssätt",),
    },
    "coordination": {
        "source": ("from", "från"),
        "target": ("to", "till"),
        "weight": ("vikt", "strength", "styrka", "frequency", "frekvens"),
        "kind": ("type", "typ", "slag"),
    },
    "segments": {
        "id": ("segment", "segment id", "kod"),
        "name": ("segment name", "namn", "segmentnamn"),
        "owner_unit": ("owner", "ägare", "ägande enhet"),
        "size": ("customers", "number of customers", "storlek", "antal kunder"),
        "needs": ("behov", "kundbehov"),
    },
}
# fmt: on


def normalize_header(text: str) -> str:
    """The form headers and synonyms are compared in: case-folded, without accents and without
    anything but letters and digits.

    Examples
    --------
    >>> normalize_header(" Anställnings-nr "), normalize_header("E_Mail"), normalize_header("Lön")
    ('anstallningsnr', 'email', 'lon')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum() and char.isascii())


def header_words(text: str) -> tuple[str, ...]:
    """The words of a header, case-folded and without accents.

    Examples
    --------
    >>> header_words("Annual Salary (SEK)"), header_words("Månadslön")
    (('annual', 'salary', 'sek'), ('manadslon',))
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        char if char.isascii() and char.isalnum() else " "
        for char in decomposed
        if not unicodedata.combining(char)
    )
    return tuple(kept.split())


@dataclass(frozen=True)
class Synonym:
    """What a header in :data:`SYNONYMS` (or a column's own name) stands for."""

    column: str
    text: str  # as written in SYNONYMS, without its marker
    marker: str  # "", "month", "year?" or "percent"


def _synonym_index() -> dict[str, dict[str, Synonym]]:
    """Per table, every normalized synonym (and column name) to what it stands for."""
    index: dict[str, dict[str, Synonym]] = {}
    for kind, columns in COLUMNS.items():
        found = index.setdefault(kind, {})
        for column in columns:
            found[normalize_header(column.name)] = Synonym(column.name, column.name, "")
        for name, synonyms in SYNONYMS.get(kind, {}).items():
            for written in synonyms:
                text, _, marker = written.partition("@")
                found.setdefault(normalize_header(text), Synonym(name, text, marker))
    return index


#: Per table, every synonym and column name in the form :func:`normalize_header` gives it.
SYNONYM_INDEX = _synonym_index()


def column_names(kind: str) -> tuple[str, ...]:
    """The column names of the table ``kind`` (``people``, ``units``...).

    Examples
    --------
    >>> column_names("revenue")
    ('stream', 'unit', 'amount', 'segment')
    """
    return tuple(column.name for column in COLUMNS[kind])
