"""Roles: activities grouped by the people who do them (Burattin, Sperduti and Veluscek 2013).

Definitions (PM4Py's ``discover_organizational_roles``):

- **profile** of an activity: how many events of it each resource has. Events whose resource
  is null are left out (an activity done only by nobody known has no role).
- **role**: a set of activities and the summed profile of its activities.
- **similarity** of two roles with profiles ``a`` and ``b``: normalise each profile to shares
  (``a_r / sum(a)``); similarity = ``sum_r min(shares) / sum_r max(shares)`` over the resources
  of either (the weighted Jaccard index). It is computed exactly, as a ratio of integers.
- **grouping**: start with one role per activity; while the most similar pair of roles has a
  similarity strictly above ``threshold``, merge that pair. Exact ties are broken by the roles'
  names (their activities sorted and joined with ``","``): the pair whose smaller name sorts
  first, then whose larger name sorts first.
- Roles are listed with most activities first, then most resources, then by name.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from orglens.errors import Problem, UsageError
from orglens.mining._log import Events, table_of
from orglens.mining._steps import ACTIVITY, require_columns, rows, sorted_counts

__all__ = ["Role", "Roles", "roles"]


@dataclass(frozen=True)
class Role:
    """Activities done by similar people, and how many of their events each person has."""

    activities: tuple[str, ...]
    resources: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"activities": list(self.activities), "resources": dict(self.resources)}


@dataclass(frozen=True)
class Roles:
    """The roles found in a log."""

    roles: tuple[Role, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"roles": [{"activities": [...], "resources": {resource: events}}]}``."""
        return {"roles": [role.to_dict() for role in self.roles]}


def roles(events: Events, /, *, resource: str = "resource", threshold: float = 0.65) -> Roles:
    """Group activities into roles by the similarity of the people who do them.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    resource
        The column naming who did an event (``"group"`` groups activities by group).
    threshold
        Two roles merge while their similarity is strictly above this (0..1, PM4Py's default
        0.65).

    Returns
    -------
    Roles
        Each role's sorted ``activities`` and its ``resources`` with their event counts.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> t = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    >>> log = pa.table({"case_id": ["c1"] * 4, "activity": ["call", "mail", "offer", "sign"],
    ...                 "timestamp": [t] * 4, "resource": ["ann", "ann", "bob", "bob"],
    ...                 "group": [None] * 4, "position": [0, 1, 2, 3]})
    >>> found = roles(connect().read_events(log))
    >>> [(role.activities, dict(role.resources)) for role in found.roles]
    [(('call', 'mail'), {'ann': 2}), (('offer', 'sign'), {'bob': 2})]
    """
    if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
        raise UsageError(
            Problem(f"threshold {threshold!r} is outside 0..1", "give a similarity from 0 to 1")
        )
    events = table_of(events)
    require_columns(events, ACTIVITY, resource)
    known = events.filter(events[resource].notnull())
    counted = rows(
        known.group_by([known[ACTIVITY].name("activity"), known[resource].name("who")]).aggregate(
            count=known.count()
        )
    )
    profiles: dict[str, Counter[str]] = {}
    for row in counted:
        profiles.setdefault(row["activity"], Counter())[row["who"]] = int(row["count"])
    merged = _group(profiles, Fraction(threshold))
    found = [Role(tuple(activities), sorted_counts(profile)) for activities, profile in merged]
    found.sort(key=lambda role: (-len(role.activities), -len(role.resources), role.activities))
    return Roles(tuple(found))


def similarity(first: Mapping[str, int], second: Mapping[str, int]) -> Fraction:
    """Weighted Jaccard index of two profiles normalised to shares, as an exact fraction.

    ``min(a/A, b/B) = min(a*B, b*A) / (A*B)``, so the common denominator cancels.

    >>> similarity({"ann": 2, "bob": 2}, {"ann": 1})
    Fraction(1, 3)
    """
    first_total, second_total = sum(first.values()), sum(second.values())
    low = high = 0
    for who in first.keys() | second.keys():
        a = first.get(who, 0) * second_total
        b = second.get(who, 0) * first_total
        low += min(a, b)
        high += max(a, b)
    return Fraction(low, high)


def _group(
    profiles: Mapping[str, Counter[str]], threshold: Fraction
) -> list[tuple[list[str], Counter[str]]]:
    alive: dict[int, tuple[list[str], Counter[str]]] = {
        number: ([activity], profile)
        for number, (activity, profile) in enumerate(sorted(profiles.items()))
    }
    numbers = itertools.count(len(alive))
    candidates: list[tuple[Fraction, str, str, int, int]] = []

    def offer(one: int, other: int) -> None:
        names = sorted((",".join(alive[one][0]), ",".join(alive[other][0])))
        score = similarity(alive[one][1], alive[other][1])
        heapq.heappush(candidates, (-score, names[0], names[1], one, other))

    for one, other in itertools.combinations(list(alive), 2):
        offer(one, other)
    while candidates:
        score, _, _, one, other = heapq.heappop(candidates)
        if one not in alive or other not in alive:
            continue
        if -score <= threshold:
            break
        first, second = alive.pop(one), alive.pop(other)
        joined = next(numbers)
        alive[joined] = (sorted({*first[0], *second[0]}), first[1] + second[1])
        for rest in list(alive):
            if rest != joined:
                offer(joined, rest)
    return list(alive.values())
