"""The records of a workspace: people, units, budget, revenue, journey, coordination, segments.

Each record is immutable and validated at construction. ``origin`` remembers the file and line a
record came from, so that problems found later (a cycle, an unknown id) can point at it; it is
never serialized. ``email`` is kept for matching event-log resources to people but is never
serialized either: no output of orglens shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FUNCTIONS",
    "BudgetLine",
    "CoordinationNeed",
    "EventSource",
    "JourneyActivity",
    "Origin",
    "Person",
    "RevenueStream",
    "Segment",
    "Unit",
    "checked_records",
]

#: Unit functions orglens recognises (``units.csv`` column ``function``); other text is kept as is.
FUNCTIONS = (
    "sales",
    "marketing",
    "communications",
    "product",
    "customer_success",
    "hr",
    "finance",
    "management",
    "operations",
)

WorkMode = Literal["process", "project"]
Horizon = Literal["brand", "activation", "other"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was read from: a file (or ``book.xlsx[sheet]``) and its physical line."""

    file: str
    line: int


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: Origin | None = Field(default=None, exclude=True, repr=False)


class Person(_Record):
    """One person of the HR export. ``manager_id`` is ``None`` for the top of the company.

    ``chapter`` is the unit of a person's discipline when they work elsewhere (a member of a
    cross-functional pod keeps a dotted line to the unit of their craft); ``None`` otherwise.
    """

    id: str = Field(min_length=1)
    name: str = ""
    manager_id: str | None = None
    unit: str = Field(min_length=1)
    role: str = ""
    competences: tuple[str, ...] = ()
    cost: float = Field(default=0.0, ge=0)
    fte: float = Field(default=1.0, ge=0)
    email: str | None = Field(default=None, exclude=True, repr=False)
    location: str | None = None
    segments: tuple[str, ...] = ()
    work_mode: WorkMode | None = None
    chapter: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class Unit(_Record):
    """An organizational unit. ``parent`` is ``None`` for a top-level unit."""

    id: str = Field(min_length=1)
    name: str = ""
    parent: str | None = None
    head: str | None = None
    function: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class BudgetLine(_Record):
    """A line of spend. ``outcome_unit`` is the unit whose result the spend serves."""

    id: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    category: str = ""
    amount: float = Field(ge=0)
    horizon: Horizon = "other"
    outcome_unit: str | None = None
    description: str = ""
    attributes: dict[str, str] = Field(default_factory=dict)


class RevenueStream(_Record):
    """Revenue a unit is measured on, optionally for one customer segment."""

    stream: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    amount: float = Field(ge=0)
    segment: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class JourneyActivity(_Record):
    """One activity of the declared customer journey, done by a unit (or by a role)."""

    order: float
    stage: str = Field(min_length=1)
    activity: str = Field(min_length=1)
    unit: str | None = None
    role: str | None = None
    volume_per_year: float | None = Field(default=None, ge=0)
    effort_hours: float | None = Field(default=None, ge=0)
    work_mode: WorkMode | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class CoordinationNeed(_Record):
    """Declared need to coordinate between two people or two units (ids of either)."""

    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    weight: float = Field(gt=0)
    kind: str = ""
    attributes: dict[str, str] = Field(default_factory=dict)


class Segment(_Record):
    """A customer segment or target group."""

    id: str = Field(min_length=1)
    name: str = ""
    owner_unit: str | None = None
    size: float | None = Field(default=None, ge=0)
    needs: str = ""
    attributes: dict[str, str] = Field(default_factory=dict)


class EventSource(BaseModel):
    """Where a workspace's event log is (``events:`` in ``orglens.yaml``) and how to read it.

    ``path`` is absolute once a workspace is loaded. The column names are ``None`` where the
    importer's auto-detection should find them. ``end_activities`` end a case properly (won,
    lost...): a case ending elsewhere right after a handoff counts as leaked. ``touch`` names the
    activities that are a first sales touch, for speed to lead (without it, the first sales
    activity that does not close the case). ``lifecycle`` says how XES lifecycle transitions
    are read: ``complete`` (only completions when starts are recorded too) or ``both``
    (activity+transition).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1)
    case: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    resource: str | None = None
    group: str | None = None
    end_activities: tuple[str, ...] = ()
    touch: tuple[str, ...] = ()
    lifecycle: Literal["complete", "both"] = "complete"


Record = TypeVar("Record", bound=BaseModel)


def checked_records(model: type[Record], columns: Mapping[str, Sequence[object]]) -> list[Record]:
    """Records of ``model``, one per position of ``columns`` (field name to values), from values
    the caller has checked already as the model's validation checks them; fields not given take
    their defaults.

    Validating a million people one by one is most of the time it takes to read them, and a
    reader that has checked each column as a whole need not pay it again. A record built here
    equals the one ``model(**values)`` builds; its set of given fields is shared with the others
    built in the same call, which a frozen record never changes (a copy gets its own), and so
    are the keys of its ``__dict__``.

    Examples
    --------
    >>> people = checked_records(Person, {"id": ["a", "b"], "unit": ["Sales", "Sales"]})
    >>> people[1] == Person(id="b", unit="Sales"), people[1].fte
    (True, 1.0)
    """
    fields = model.model_fields
    unknown = columns.keys() - fields.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no field {sorted(unknown)[0]!r}")
    if not model.model_config.get("frozen") or model.__private_attributes__:
        raise TypeError(f"{model.__name__} is not a frozen model without private attributes")
    count = len(next(iter(columns.values()), ()))
    if any(len(values) != count for values in columns.values()):
        raise ValueError("the columns differ in length")
    sources: list[Iterable[object]] = []
    for name, info in fields.items():
        if name in columns:
            sources.append(columns[name])
            continue
        if info.is_required():
            raise TypeError(f"{model.__name__} needs a value for {name!r}")
        default = info.get_default(call_default_factory=True, validated_data={})
        if default is info.default:  # immutable: one object serves every record
            sources.append(repeat(default, count))
        else:
            factory = info.get_default
            sources.append(
                factory(call_default_factory=True, validated_data={}) for _ in range(count)
            )
    given = set(columns)
    names = tuple(fields)
    build, assign = object.__new__, object.__setattr__
    # Fields set one by one on a bare instance give a dict that shares its keys with every
    # copy of it (CPython's key-sharing dicts): a third of the memory of a dict of its own.
    prototype = build(model)
    for name in names:
        assign(prototype, name, None)
    shared_keys = prototype.__dict__
    records = []
    for values in zip(*sources, strict=True):
        record = build(model)
        values_of = shared_keys.copy()
        values_of.update(zip(names, values, strict=True))
        assign(record, "__dict__", values_of)
        assign(record, "__pydantic_fields_set__", given)
        assign(record, "__pydantic_extra__", None)
        assign(record, "__pydantic_private__", None)
        records.append(record)
    return records
