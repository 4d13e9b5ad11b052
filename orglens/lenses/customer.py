"""The customer lens: segments, the units that serve them, and whether all share one model.

Shared customer insight (common segments and target groups) should unite sales, marketing,
communications and product. This lens shows how far it does.

Definitions:

- A segment value (in a person's ``segments`` or a revenue stream's ``segment``) **names** a
  segment of ``segments.csv`` when it equals its ``id`` or, ignoring case, its ``name``
  (surrounding spaces ignored; an id match wins).
- A unit **serves** a segment when one of its people lists the segment, one of its revenue
  streams names it, or it is the segment's ``owner_unit``. ``serving_groups`` are the groups of
  the serving units at ``level`` (see :mod:`orglens.model.structure`); ``shared_by`` counts them.
- A segment **has one owner** when it declares an ``owner_unit``.
- An **undefined segment** is a value used by people or revenue that names no segment.
- **Customer-facing units** are those whose ``function`` is sales, marketing, communications or
  product. ``units_without_segments`` are those whose people list no segment at all.
- The organization has a **common segment model** when every customer-facing unit has people
  who list segments and no customer-facing unit (through its people or its revenue) uses an
  undefined segment; ``None`` when no unit has a customer-facing function, so it cannot be told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

from orglens.lenses._common import resolve_level
from orglens.model import Organization, Segment

__all__ = [
    "CUSTOMER_FACING_FUNCTIONS",
    "CustomerResult",
    "SegmentCoverage",
    "UndefinedSegment",
    "analyze",
    "customer_facing_units",
    "has_common_segment_model",
    "segment_coverage",
    "undefined_segments",
    "units_without_segments",
]

#: Unit functions that should share one customer segment model.
CUSTOMER_FACING_FUNCTIONS = ("sales", "marketing", "communications", "product")


def _grouper(org: Organization, level: int) -> Callable[[str], str]:
    """Map a unit id to its group at ``level``."""
    return org.structure.unit_groups(level).__getitem__


def _segment_namer(segments: Iterable[Segment]) -> Callable[[str], str | None]:
    """Map a segment value to the id of the segment it names, or ``None``."""
    by_id: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for segment in segments:
        by_id.setdefault(segment.id, segment.id)
        if segment.name.strip():
            by_name.setdefault(segment.name.strip().casefold(), segment.id)

    def name(value: str) -> str | None:
        value = value.strip()
        return by_id.get(value) or by_name.get(value.casefold())

    return cache(name)  # a million people name a handful of segments


#: Per segment value listed by people (surrounding spaces removed), the units whose people
#: list it.
_SegmentUsers = Mapping[str, set[str]]

_UNIT, _SEGMENTS = attrgetter("unit"), attrgetter("segments")


def _people_uses(org: Organization) -> _SegmentUsers:
    """The units of the people who list each segment value.

    People of a large company share a handful of distinct lists of segments (the reader keeps
    each once): the units are gathered per list in one pass, and each list is read once.
    """
    units_of_list: dict[tuple[str, ...], set[str]] = {}
    for unit, listed in zip(map(_UNIT, org.people), map(_SEGMENTS, org.people), strict=True):
        if listed:
            units = units_of_list.get(listed)
            if units is None:
                units = units_of_list[listed] = set()
            units.add(unit)
    users: defaultdict[str, set[str]] = defaultdict(set)
    for listed, units in units_of_list.items():
        for value in listed:
            if value.strip():
                users[value.strip()].update(units)
    return users


def _revenue_uses(org: Organization) -> list[tuple[str, str]]:
    """(unit, segment value) for every revenue stream with a segment."""
    return [(r.unit, r.segment.strip()) for r in org.revenue if r.segment and r.segment.strip()]


@dataclass(frozen=True)
class SegmentCoverage:
    """A defined segment, the units and groups that serve it, and whether it has an owner."""

    id: str
    name: str
    owner_unit: str | None
    serving_units: tuple[str, ...]
    serving_groups: tuple[str, ...]
    has_one_owner: bool
    shared_by: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "owner_unit": self.owner_unit,
            "serving_units": list(self.serving_units),
            "serving_groups": list(self.serving_groups),
            "has_one_owner": self.has_one_owner,
            "shared_by": self.shared_by,
        }


@dataclass(frozen=True)
class UndefinedSegment:
    """A segment value that ``segments.csv`` does not define, and the units that use it."""

    segment: str
    units: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"segment": self.segment, "units": list(self.units)}


def segment_coverage(
    org: Organization, /, *, level: int | None = None
) -> tuple[SegmentCoverage, ...]:
    """Each defined segment (in ``segments.csv`` order) with the units and groups serving it.

    ``serving_units`` (sorted) are the units whose people list the segment, whose revenue
    streams name it, and its ``owner_unit``; ``serving_groups`` (sorted) are their groups at
    ``level``; ``shared_by`` is the number of serving groups; ``has_one_owner`` tells whether
    an ``owner_unit`` is declared.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Segment
    >>> org = Organization(
    ...     people=[Person(id="a", unit="Sales", segments=("Enterprise",)),
    ...             Person(id="b", unit="Marketing", segments=("ent",))],
    ...     segments=[Segment(id="ent", name="Enterprise", owner_unit="Sales")],
    ... )
    >>> coverage = segment_coverage(org)[0]
    >>> coverage.serving_units, coverage.shared_by, coverage.has_one_owner
    (('Marketing', 'Sales'), 2, True)
    """
    return _segment_coverage(org, resolve_level(org, level), _people_uses(org))


def _segment_coverage(
    org: Organization, level: int, people_uses: _SegmentUsers
) -> tuple[SegmentCoverage, ...]:
    group_of = _grouper(org, level)
    name_of = _segment_namer(org.segments)
    serving: defaultdict[str, set[str]] = defaultdict(set)
    for value, units in people_uses.items():
        segment_id = name_of(value)
        if segment_id is not None:
            serving[segment_id].update(units)
    for unit, value in _revenue_uses(org):
        segment_id = name_of(value)
        if segment_id is not None:
            serving[segment_id].add(unit)
    result = []
    for segment in org.segments:
        units = set(serving[segment.id])
        if segment.owner_unit is not None:
            units.add(segment.owner_unit)
        groups = sorted({group_of(u) for u in units})
        result.append(
            SegmentCoverage(
                id=segment.id,
                name=segment.name,
                owner_unit=segment.owner_unit,
                serving_units=tuple(sorted(units)),
                serving_groups=tuple(groups),
                has_one_owner=segment.owner_unit is not None,
                shared_by=len(groups),
            )
        )
    return tuple(result)


def undefined_segments(org: Organization, /) -> tuple[UndefinedSegment, ...]:
    """Segment values used by people or revenue that name no defined segment.

    One entry per value as written (surrounding spaces removed), sorted ignoring case, with the
    sorted units that use it.

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> org = Organization(people=[Person(id="a", unit="Sales", segments=("Public sector",))])
    >>> undefined_segments(org)
    (UndefinedSegment(segment='Public sector', units=('Sales',)),)
    """
    return _undefined_segments(org, _people_uses(org))


def _undefined_segments(
    org: Organization, people_uses: _SegmentUsers
) -> tuple[UndefinedSegment, ...]:
    name_of = _segment_namer(org.segments)
    users: defaultdict[str, set[str]] = defaultdict(set)
    for value, units in people_uses.items():
        if name_of(value) is None:
            users[value].update(units)
    for unit, value in _revenue_uses(org):
        if name_of(value) is None:
            users[value].add(unit)
    return tuple(
        UndefinedSegment(segment=value, units=tuple(sorted(users[value])))
        for value in sorted(users, key=lambda v: (v.casefold(), v))
    )


def customer_facing_units(org: Organization, /) -> tuple[str, ...]:
    """Units whose ``function`` is one of :data:`CUSTOMER_FACING_FUNCTIONS`, in file order."""
    return tuple(
        u.id
        for u in org.units
        if (u.function or "").strip().casefold() in CUSTOMER_FACING_FUNCTIONS
    )


def units_without_segments(org: Organization, /) -> tuple[str, ...]:
    """Customer-facing units (sorted) none of whose people list a segment.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="a", unit="Sales", segments=("SMB",)), Person(id="b", unit="Comms")],
    ...     units=[Unit(id="Sales", function="sales"), Unit(id="Comms", function="communications")],
    ... )
    >>> units_without_segments(org)
    ('Comms',)
    """
    return _units_without_segments(org, _people_uses(org))


def _units_without_segments(org: Organization, people_uses: _SegmentUsers) -> tuple[str, ...]:
    using = set().union(*people_uses.values())
    return tuple(sorted(u for u in customer_facing_units(org) if u not in using))


def has_common_segment_model(
    org: Organization,
    /,
    *,
    undefined: Sequence[UndefinedSegment] | None = None,
    without_segments: Sequence[str] | None = None,
) -> bool | None:
    """Whether sales, marketing, communications and product share one segment model.

    ``True`` when every customer-facing unit has people who list segments and none of them uses
    an undefined segment (through people or revenue); ``None`` when no unit has a
    customer-facing function. ``undefined`` and ``without_segments`` may pass results already
    computed by :func:`undefined_segments` and :func:`units_without_segments`.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Segment, Unit
    >>> org = Organization(
    ...     people=[Person(id="a", unit="Sales", segments=("SMB",)),
    ...             Person(id="b", unit="Marketing", segments=("smb",))],
    ...     units=[Unit(id="Sales", function="sales"), Unit(id="Marketing", function="Marketing")],
    ...     segments=[Segment(id="smb", name="SMB")],
    ... )
    >>> has_common_segment_model(org)
    True
    """
    facing = customer_facing_units(org)
    if not facing:
        return None
    if undefined is None:
        undefined = undefined_segments(org)
    if without_segments is None:
        without_segments = units_without_segments(org)
    off_model = set(without_segments).union(*(entry.units for entry in undefined))
    return not off_model.intersection(facing)


@dataclass(frozen=True)
class CustomerResult:
    """The customer lens of one organization at one level (see the module doc for definitions).

    ``to_dict()`` keys: ``level``, ``segments`` (each ``id``, ``name``, ``owner_unit``,
    ``serving_units``, ``serving_groups``, ``has_one_owner``, ``shared_by``),
    ``undefined_segments`` (each ``segment``, ``units``), ``customer_facing_units``,
    ``units_without_segments``, ``common_segment_model``.
    """

    level: int
    segments: tuple[SegmentCoverage, ...]
    undefined_segments: tuple[UndefinedSegment, ...]
    customer_facing_units: tuple[str, ...]
    units_without_segments: tuple[str, ...]
    common_segment_model: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "segments": [s.to_dict() for s in self.segments],
            "undefined_segments": [u.to_dict() for u in self.undefined_segments],
            "customer_facing_units": list(self.customer_facing_units),
            "units_without_segments": list(self.units_without_segments),
            "common_segment_model": self.common_segment_model,
        }


def analyze(org: Organization, /, *, level: int | None = None) -> CustomerResult:
    """Look at ``org`` through the customer lens: who serves each segment, and on which model.

    Parameters
    ----------
    org
        The organization.
    level
        Depth of the unit tree at which serving groups count (``None``: ``org.settings.level``,
        1 = departments; 0 = the whole company).

    Raises
    ------
    UsageError
        When ``level`` is negative.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Segment, Unit
    >>> org = Organization(
    ...     people=[Person(id="a", unit="Sales", segments=("SMB", "Public"))],
    ...     units=[Unit(id="Sales", function="sales")],
    ...     segments=[Segment(id="smb", name="SMB", owner_unit="Sales")],
    ... )
    >>> result = analyze(org).to_dict()
    >>> result["segments"][0]["serving_units"], result["common_segment_model"]
    (['Sales'], False)
    """
    used_level = resolve_level(org, level)
    people_uses = _people_uses(org)
    undefined = _undefined_segments(org, people_uses)
    without = _units_without_segments(org, people_uses)
    return CustomerResult(
        level=used_level,
        segments=_segment_coverage(org, used_level, people_uses),
        undefined_segments=undefined,
        customer_facing_units=customer_facing_units(org),
        units_without_segments=without,
        common_segment_model=has_common_segment_model(
            org, undefined=undefined, without_segments=without
        ),
    )
