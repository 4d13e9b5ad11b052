"""The handoff SLA: how long work waits at each cross-unit handoff, against bands.

- **handoff SLA**: per cross-unit pair ``u → v``, the median (p50) and p95 of the waits and the
  share of waits at most each band (by default 5 minutes, 1 hour, 1 day, 1 week); and the
  shares for all cross-unit handoffs together. Dated published figures on lead response come
  with it as references (:data:`LEAD_RESPONSE_REFERENCES`): context, never targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from orglens.mining._log import EventLog, Events
from orglens.mining._steps import seconds
from orglens.mining.units import UnitSource

__all__ = [
    "DEFAULT_SLA_BANDS_S",
    "LEAD_RESPONSE_REFERENCES",
    "HandoffSla",
    "Reference",
    "SlaPair",
    "band_label",
    "bands_us",
    "handoff_sla",
]

_MICROSECONDS = 1_000_000

#: The bands of the handoff SLA in seconds: 5 minutes, 1 hour, 1 day, 1 week.
DEFAULT_SLA_BANDS_S: tuple[float, ...] = (300.0, 3600.0, 86400.0, 604800.0)


@dataclass(frozen=True)
class Reference:
    """A published figure shown for context: dated, labelled and sourced; never a target."""

    id: str
    year: int
    label: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "year": self.year, "label": self.label, "source": self.source}


#: What published research found about how fast leads go cold, as shown next to the handoff
#: SLA. The ids match the advice sources (:data:`orglens.model.advice.SOURCES`) where they exist.
LEAD_RESPONSE_REFERENCES = (
    Reference(
        id="oldroyd_2007",
        year=2007,
        label=(
            "web leads called within 5 minutes rather than 30: the odds of reaching the lead "
            "were 100 times and the odds of qualifying it 21 times higher (about 15,000 leads "
            "and 100,000 call attempts over three years)"
        ),
        source=(
            "Oldroyd (MIT Sloan) & InsideSales.com, 'Lead Response Management Study', presented "
            "at the MarketingSherpa B2B Demand Generation Summit (October 2007)"
        ),
    ),
    Reference(
        id="oldroyd_2011",
        year=2011,
        label=(
            "an audit of 2,241 US companies: 37% answered a web lead within an hour, 23% never; "
            "those answering within 30 days took 42 hours on average. In 1.25 million leads of "
            "42 companies, trying within an hour made qualifying the lead nearly 7 times as "
            "likely as an hour later, and over 60 times as likely as after 24 hours or more"
        ),
        source=(
            "Oldroyd, McElheran & Elkington, 'The Short Life of Online Sales Leads', Harvard "
            "Business Review (March 2011)"
        ),
    ),
)


@dataclass(frozen=True)
class SlaPair:
    """Waits at the handoffs from one unit to another against the SLA bands.

    ``within[i]`` counts the waits of at most ``bands_s[i]`` seconds.
    """

    source: str
    target: str
    count: int
    wait_s_p50: float | None
    wait_s_p95: float | None
    within: tuple[int, ...]

    def to_dict(self, bands_s: Sequence[float]) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "count": self.count,
            "wait_s_p50": seconds(self.wait_s_p50),
            "wait_s_p95": seconds(self.wait_s_p95),
            "within": _within(bands_s, self.within, self.count),
        }


@dataclass(frozen=True)
class HandoffSla:
    """How long cross-unit handoffs wait, against bands, with published references beside.

    ``pairs`` holds each ``source → target`` with handoffs, sorted; :attr:`count` and
    :attr:`within` cover every cross-unit handoff (their median and p90 are the observed
    journey's ``waits.cross``).
    """

    bands_s: tuple[float, ...]
    pairs: tuple[SlaPair, ...]
    references: tuple[Reference, ...] = LEAD_RESPONSE_REFERENCES

    @property
    def count(self) -> int:
        """All cross-unit handoffs."""
        return sum(pair.count for pair in self.pairs)

    @property
    def within(self) -> tuple[int, ...]:
        """All cross-unit handoffs that waited at most each band."""
        return tuple(
            sum(column) for column in zip(*(p.within for p in self.pairs), strict=True)
        ) or ((0,) * len(self.bands_s))

    def to_dict(self) -> dict[str, Any]:
        """``{"bands_s", "all": {count, within: [{wait_s_at_most, label, count, share}]},
        "pairs": [{source, target, count, wait_s_p50, wait_s_p95, within}], "references":
        [{id, year, label, source}]}``."""
        return {
            "bands_s": list(self.bands_s),
            "all": {
                "count": self.count,
                "within": _within(self.bands_s, self.within, self.count),
            },
            "pairs": [pair.to_dict(self.bands_s) for pair in self.pairs],
            "references": [reference.to_dict() for reference in self.references],
        }


def _within(bands_s: Sequence[float], within: Sequence[int], count: int) -> list[dict[str, Any]]:
    return [
        {
            "wait_s_at_most": band,
            "label": band_label(band),
            "count": waits,
            "share": round(waits / count, 6) if count else None,
        }
        for band, waits in zip(bands_s, within, strict=True)
    ]


def band_label(band_s: float) -> str:
    """A band in words: ``300`` → ``'5 min'``, ``86400`` → ``'1 day'``, ``90`` → ``'90 s'``.

    >>> [band_label(s) for s in (300, 3600, 86400, 604800, 1209600, 90)]
    ['5 min', '1 h', '1 day', '1 week', '2 weeks', '90 s']
    """
    for size, singular, plural in (
        (604800, "week", "weeks"),
        (86400, "day", "days"),
        (3600, "h", "h"),
        (60, "min", "min"),
    ):
        if band_s >= size and band_s % size == 0:
            count = int(band_s // size)
            return f"{count} {singular if count == 1 else plural}"
    return f"{band_s:g} s"


def bands_us(bands_s: Sequence[float]) -> tuple[int, ...]:
    """The bands in whole microseconds, as the waits are counted."""
    return tuple(round(float(band) * _MICROSECONDS) for band in bands_s)


def handoff_sla(
    events: Events,
    /,
    *,
    unit: UnitSource,
    bands_s: Sequence[float] = DEFAULT_SLA_BANDS_S,
    resource: str = "resource",
) -> HandoffSla:
    """The waits at cross-unit handoffs against bands: p50, p95 and the share within each band.

    Parameters
    ----------
    events
        A canonical event table (see :mod:`orglens.engine`), or an :class:`EventLog` of it.
    unit
        Where an event's unit comes from (see :func:`~orglens.mining.unit_handoffs`).
    bands_s
        Upper bounds of the bands in seconds, increasing: a wait of at most ``bands_s[i]``
        seconds is within band ``i``.
    resource
        The column the mapping's keys are matched against.

    Examples
    --------
    >>> import pyarrow as pa, datetime as dt
    >>> from orglens.engine import connect
    >>> at = lambda m: dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=m)
    >>> log = connect().read_events(pa.table({
    ...     "case_id": ["c1", "c1", "c2", "c2"], "activity": ["mql", "call"] * 2,
    ...     "timestamp": [at(0), at(4), at(0), at(120)], "resource": ["mia", "sam"] * 2,
    ...     "group": [None] * 4, "position": [0, 1, 2, 3]}))
    >>> sla = handoff_sla(log, unit={"mia": "Marketing", "sam": "Sales"}, bands_s=[300, 3600])
    >>> sla.count, sla.within, sla.to_dict()["all"]["within"][0]["share"]
    (2, (1, 1), 0.5)
    """
    bands = tuple(float(band) for band in bands_s)
    steps = EventLog.of(events).unit_successions(unit, resource)
    found = steps.pair_stats(bands_us=bands_us(bands))
    pairs = [
        SlaPair(
            source=steps.name(source),
            target=steps.name(target),
            count=stats.count,
            wait_s_p50=stats.wait_s_median,
            wait_s_p95=stats.wait_s_p95,
            within=stats.within,
        )
        for (source, target), stats in found.items()
        if source != target
    ]
    pairs.sort(key=lambda pair: (pair.source, pair.target))
    return HandoffSla(bands_s=bands, pairs=tuple(pairs))
