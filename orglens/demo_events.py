"""The demo company's CRM history: a year of leads passing from marketing to sales to success.

Every lead of 2025 is one case. Marketing touches it (forms, webinars, downloads, e-mails), scores
it and may flag it as a marketing-qualified lead (MQL); an SDR of inside sales then claims it,
calls it and qualifies or disqualifies it; a regional account executive runs the opportunity;
customer success kicks off and completes the onboarding of won deals and finds expansions.

The history is built to show what the sales-and-marketing debate argues about:

- the marketing→sales handoff is slow: an MQL waits for its first sales touch (an SDR claiming
  it) about two days at the median and more than a week at the 90th percentile, while the steps
  inside marketing and the SDR's own steps take minutes to hours (deal stages take weeks);
- leads leak at that handoff: about 30% of MQLs are claimed by an SDR and never called;
- speed to lead matters: the chance to qualify falls with the wait for the first sales touch
  (leads touched within the hour qualify about four times as often as leads that waited more
  than two days), and so does the chance to be called at all;
- the handoff inside sales (SQL → the account executive's discovery meeting) is faster, and a
  second cross-department handoff, sales → customer success, follows each won deal (except in
  the small-business segment, whose customers onboard themselves), and a few onboardings stall
  right after the kickoff;
- real CRM quirks: about 1% of events without a resource (automated form and e-mail events),
  events of one case with the same timestamp (a form that gates a download, an MQL set by the
  scoring rule itself), and a few deals whose close date was typed by hand as a date before the
  first call (the importer reports these cases as going back in time).

Waits are log-normal; people work Monday to Friday 08:00–17:00 Stockholm time outside Swedish
public holidays, so a wait that would end outside office hours ends at the next opening.
Prospects' own actions (forms, downloads, e-mail opens) happen at any time, mostly by day.
Timestamps are written in UTC. Everything derives from one seeded :class:`random.Random`, so the
file is identical byte for byte on every run.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

__all__ = ["END_ACTIVITIES", "EVENTS_YAML", "render_events"]

#: The ``events`` section of the demo's ``orglens.yaml``.
EVENTS_YAML = """\
events:
  path: events.csv
  case: case_id
  activity: activity
  timestamp: timestamp
  resource: resource
  end_activities:
    - Closed won
    - Closed lost
    - Disqualified
    - Onboarding completed
    - Expansion opportunity
"""

#: Activities after which a case has properly ended (anything else after a handoff is leakage).
END_ACTIVITIES = (
    "Closed won",
    "Closed lost",
    "Disqualified",
    "Onboarding completed",
    "Expansion opportunity",
)

EVENT_COLUMNS = ("case_id", "activity", "timestamp", "resource", "channel", "segment")
LEADS = 6800
YEAR = 2025

MINUTE, HOUR, DAY = 60, 3600, 86400
OPENS, CLOSES = 8 * HOUR, 17 * HOUR  # office hours, Stockholm time

# Swedish public holidays (and the de facto ones: midsummer, Christmas and New Year's eves).
# fmt: off
_HOLIDAYS = frozenset(
    calendar.timegm(time.strptime(day, "%Y-%m-%d")) // DAY
    for day in (
        "2025-01-01", "2025-01-06", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-29",
        "2025-06-06", "2025-06-20", "2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31",
        "2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14",
        "2026-06-19", "2026-12-24", "2026-12-25", "2026-12-31",
    )
)
# fmt: on

# Leads per day: summer holidays in July, a slow December, busy spring and autumn.
_MONTH_WEIGHT = (1.0, 1.1, 1.2, 1.1, 1.1, 0.9, 0.45, 0.8, 1.25, 1.25, 1.15, 0.7)
# When prospects act, by hour of the Stockholm day: office hours, some evenings, few nights.
# fmt: off
_HOUR_WEIGHT = (
    1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 12, 13, 12, 10, 8, 6, 5, 5, 4, 3, 2,
)
# fmt: on

_SEGMENTS = ("mid-market", "small-business", "enterprise", "public-sector")
_SEGMENT_WEIGHT = (45, 25, 18, 12)
# Chance that a scored lead becomes an MQL, before the bonus for each further touch.
_MQL_BASE = {"mid-market": 0.36, "small-business": 0.2, "enterprise": 0.4, "public-sector": 0.38}

_REGIONS = ("sales-nordics", "sales-dach", "sales-ukie")
_REGION_WEIGHT = (60, 22, 18)

# Lead source → the touch that creates the lead.
_CHANNELS = {
    "paid-search": "Form submitted",
    "paid-social": "Form submitted",
    "organic": "Form submitted",
    "webinar": "Webinar attended",
    "content-syndication": "Content downloaded",
    "event": "Form submitted",
    "referral": "Form submitted",
}
_CHANNEL_WEIGHT = (22, 18, 20, 14, 12, 8, 6)
_TOUCHES = ("Content downloaded", "Email opened", "Webinar attended", "Form submitted")
_TOUCH_WEIGHT = (35, 35, 15, 15)
_AUTOMATED = frozenset({"Form submitted", "Email opened"})


@dataclass(frozen=True)
class _Staff:
    """Person ids of the demo's people by the part they play in the CRM."""

    paid_media: tuple[str, ...]
    web: tuple[str, ...]
    content: tuple[str, ...]
    events: tuple[str, ...]
    campaigns: tuple[str, ...]
    automation: tuple[str, ...]
    operations: tuple[str, ...]
    sdrs: tuple[str, ...]
    sdr_weights: tuple[float, ...]  # part-timers claim fewer leads
    sdr_lead: str
    account_executives: Mapping[str, tuple[tuple[str, frozenset[str]], ...]]
    onboarding: tuple[str, ...]
    account_managers: tuple[str, ...]

    @classmethod
    def of(cls, people: Sequence[Mapping[str, str]]) -> _Staff:
        def who(unit: str, *titles: str) -> tuple[Mapping[str, str], ...]:
            found = tuple(
                p
                for p in people
                if p["unit"] == unit and p["role"].removeprefix("Senior ") in titles
            )
            if not found:
                raise ValueError(f"the demo has nobody in {unit!r} with a title in {titles!r}")
            return found

        def ids(unit: str, *titles: str) -> tuple[str, ...]:
            return tuple(p["id"] for p in who(unit, *titles))

        sdrs = who("inside-sales", "Sales Development Representative")
        sellers = {
            region: tuple(
                (p["id"], frozenset(p["segments"].split(";")))
                for p in who(
                    region,
                    "Account Executive",
                    "Sales Manager DACH (player/coach)",
                    "Sales Manager UK & Ireland (player/coach)",
                )
            )
            for region in _REGIONS
        }
        return cls(
            paid_media=ids("demand-gen", "Paid Media Specialist"),
            web=ids("demand-gen", "SEO & Web Specialist"),
            content=ids("demand-gen", "Content Marketer"),
            events=ids("demand-gen", "Events & Webinar Manager"),
            campaigns=ids("demand-gen", "Campaign Manager", "Head of Demand Generation"),
            automation=ids("demand-gen", "Marketing Automation Specialist"),
            operations=ids("marketing", "Marketing Operations Manager"),
            sdrs=tuple(p["id"] for p in sdrs),
            sdr_weights=tuple(float(p["fte"]) for p in sdrs),
            sdr_lead=ids("inside-sales", "Inside Sales Team Lead")[0],
            account_executives=sellers,
            onboarding=ids("cs-onboarding", "Implementation Consultant", "Onboarding Lead"),
            account_managers=ids("cs-accounts", "Customer Success Manager"),
        )


# -- the clock ---------------------------------------------------------------------------------


@cache
def _summer_time(year: int) -> tuple[int, int]:
    """Start and end (UTC seconds) of EU summer time: last Sundays of March and October, 01:00."""

    def last_sunday(month: int) -> int:
        last_day = calendar.monthrange(year, month)[1]
        day = last_day - (calendar.weekday(year, month, last_day) + 1) % 7
        return calendar.timegm((year, month, day, 1, 0, 0))

    return last_sunday(3), last_sunday(10)


def _offset(utc: int) -> int:
    """Seconds Stockholm time is ahead of UTC at the moment ``utc``."""
    start, end = _summer_time(time.gmtime(utc).tm_year)
    return 2 * HOUR if start <= utc < end else HOUR


def _to_utc(local: int) -> int:
    """UTC seconds of a Stockholm wall-clock time (never inside a clock change, 02:00–03:00)."""
    return local - _offset(local - _offset(local - HOUR))


def _workday(day: int) -> bool:
    """Whether a day (days since 1970-01-01, a Thursday) is a Swedish working day."""
    return (day + 3) % 7 < 5 and day not in _HOLIDAYS


def _iso(utc: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(utc))


# -- the history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lead:
    start: int  # UTC seconds of the first touch
    channel: str
    segment: str
    region: str


@dataclass
class _History:
    rng: random.Random
    staff: _Staff
    events: list[tuple[str, int, str]] = field(default_factory=list)

    def wait(self, median: float, sigma: float) -> int:
        """A log-normal wait in seconds with the given median."""
        return round(self.rng.lognormvariate(math.log(median), sigma))

    def at_work(self, utc: int) -> int:
        """``utc`` if it falls in office hours, else the next opening plus a start-up delay."""
        local = utc + _offset(utc)
        day, second = divmod(local, DAY)
        if _workday(day) and OPENS <= second < CLOSES:
            return utc
        if not (_workday(day) and second < OPENS):
            day += 1
            while not _workday(day):
                day += 1
        # The queue built up overnight is worked through during the first hours of the day.
        return _to_utc(day * DAY + OPENS) + self.wait(45 * MINUTE, 0.8)

    def log(self, activity: str, utc: int, resource: str) -> None:
        self.events.append((activity, utc, resource))

    def case(self, lead: _Lead) -> list[tuple[str, int, str]]:
        """The events of one lead, in the order the CRM recorded them."""
        self.events = []
        marketing = self.marketing(lead)
        if marketing is not None:
            self.sales(lead, *marketing)
        return self.events

    def marketing(self, lead: _Lead) -> tuple[int, int] | None:
        """Touches, scoring and the MQL decision; the MQL's time and touch count if it is one."""
        rng, staff = self.rng, self.staff
        touches = rng.choices((1, 2, 3, 4, 5, 6), (30, 26, 18, 12, 8, 6))[0]
        now = lead.start
        activity = _CHANNELS[lead.channel]
        self.log(activity, now, self.toucher(activity, lead.channel))
        for _ in range(touches - 1):
            previous, activity = activity, rng.choices(_TOUCHES, _TOUCH_WEIGHT)[0]
            if previous == "Form submitted" and activity == "Content downloaded":
                gap = 0 if rng.random() < 0.1 else self.wait(3 * MINUTE, 0.8)  # gated content
            elif rng.random() < 0.2:
                gap = self.wait(4 * DAY, 0.8)  # the prospect comes back another day
            else:
                gap = self.wait(80 * MINUTE, 1.0)  # the same visit or campaign
            now += gap
            if activity == "Webinar attended":
                now = _after_webinar(now)
            self.log(activity, now, self.toucher(activity, lead.channel))
        now += self.wait(6 * MINUTE, 0.7)
        self.log("Lead scored", now, staff.automation[0])
        chance = min(0.75, _MQL_BASE[lead.segment] + 0.04 * (touches - 1))
        if rng.random() >= chance:
            if rng.random() < 0.35:  # nurtured: one more newsletter opened, then silence
                now += self.wait(6 * DAY, 0.6)
                self.log("Email opened", now, self.toucher("Email opened", lead.channel))
            return None
        if rng.random() < 0.06:
            self.log("MQL", now, staff.automation[0])  # the scoring rule sets it in the same second
        else:
            now = self.at_work(now + self.wait(90 * MINUTE, 0.9))
            self.log("MQL", now, rng.choice((*staff.operations, *staff.automation)))
        return now, touches

    def toucher(self, activity: str, channel: str) -> str:
        """The marketer who owns a touch in the CRM ('' for ~2.5% of automated events)."""
        rng, staff = self.rng, self.staff
        if activity in _AUTOMATED and rng.random() < 0.035:
            return ""
        if activity == "Webinar attended" or (channel == "event" and activity == "Form submitted"):
            return rng.choice(staff.events)
        if activity == "Content downloaded":
            return rng.choice(staff.content)
        if activity == "Email opened":
            return rng.choice((*staff.campaigns, *staff.automation))
        if channel in ("paid-search", "paid-social"):
            return rng.choice(staff.paid_media)
        if channel == "organic":
            return rng.choice(staff.web)
        return rng.choice(staff.campaigns)

    def sales(self, lead: _Lead, mql: int, touches: int) -> None:
        """From the MQL queue to an SDR, a call and the qualification decision."""
        rng, staff = self.rng, self.staff
        if rng.random() < 0.13:
            claimed = self.at_work(mql + self.wait(12 * MINUTE, 0.6))  # an SDR was watching
        else:
            claimed = self.at_work(mql + self.wait(32 * HOUR, 1.45))
        speed = (claimed - mql) / HOUR
        if rng.random() < 0.06:
            sdr = staff.sdr_lead
        else:
            sdr = rng.choices(staff.sdrs, staff.sdr_weights)[0]
        self.log("Assigned to SDR", claimed, sdr)
        # A lead that waited is more often left untouched: the SDR's queue moved on.
        if rng.random() < 0.17 + 0.28 * (1 - math.exp(-speed / 72)):
            return
        fast = speed < 1
        now = self.at_work(claimed + self.wait(10 * MINUTE if fast else 100 * MINUTE, 0.8))
        self.log("First call", now, sdr)
        first_call = now
        for _ in range(rng.choices((0, 1, 2), (50, 30, 20))[0]):
            now = self.at_work(now + self.wait(5 * HOUR, 1.0))
            self.log("Follow-up call", now, sdr)
        now = self.at_work(now + self.wait(40 * MINUTE, 0.8))
        if rng.random() >= 0.22 + 0.43 * math.exp(-speed / 12) + 0.01 * touches:
            self.log("Disqualified", now, sdr)
            return
        self.log("Qualified (SQL)", now, sdr)
        self.opportunity(lead, now, speed, first_call)

    def opportunity(self, lead: _Lead, now: int, speed: float, first_call: int) -> None:
        """The account executive's deal, and customer success after a win."""
        rng, staff = self.rng, self.staff
        sellers = staff.account_executives[lead.region]
        fitting = [pid for pid, segments in sellers if lead.segment in segments]
        ae = rng.choice(fitting or [pid for pid, _ in sellers])
        now = self.at_work(now + self.wait(2 * HOUR, 0.9))
        self.log("Discovery meeting", now, ae)
        for stage, median, lost in (
            ("Demo", 4 * DAY, 0.2),
            ("Proposal sent", 7 * DAY, 0.25),
            ("Negotiation", 9 * DAY, 0.25),
        ):
            if rng.random() < lost:
                self.log("Closed lost", self.at_work(now + self.wait(10 * DAY, 0.6)), ae)
                return
            now = self.at_work(now + self.wait(median, 0.5))
            self.log(stage, now, ae)
        now = self.at_work(now + self.wait(12 * DAY, 0.5))
        if rng.random() >= 0.5 + 0.2 * math.exp(-speed / 24):
            self.log("Closed lost", now, ae)
            return
        if rng.random() < 0.06:
            # The close date typed by hand, as a date, before the first call was even logged.
            self.log("Closed won", (first_call // DAY - rng.randint(1, 20)) * DAY, ae)
        else:
            self.log("Closed won", now, ae)
        if lead.segment == "small-business":
            return  # self-service onboarding: customer success is not involved
        consultant = rng.choice(staff.onboarding)
        now = self.at_work(now + self.wait(3 * DAY, 0.8))
        self.log("Kickoff", now, consultant)
        if rng.random() < 0.06:
            return  # the implementation stalls and nobody closes the onboarding
        now = self.at_work(now + self.wait(40 * DAY, 0.4))
        self.log("Onboarding completed", now, consultant)
        if rng.random() < 0.35:
            now = self.at_work(now + self.wait(90 * DAY, 0.35))
            self.log("Expansion opportunity", now, rng.choice(staff.account_managers))


def _after_webinar(utc: int) -> int:
    """The end of the next webinar (Tuesdays and Thursdays, 10:00–11:00 Stockholm time).

    Attendance is synced from the webinar platform when the webinar ends, the same second for
    every attendee.
    """
    local = utc + _offset(utc)
    day = local // DAY
    while True:
        end = _to_utc(day * DAY + 11 * HOUR)
        if (day + 3) % 7 in (1, 3) and _workday(day) and end >= utc:
            return end
        day += 1


def _leads(rng: random.Random) -> list[_Lead]:
    """The leads of the year, in the order of their first touch."""
    first = calendar.timegm((YEAR, 1, 1, 0, 0, 0)) // DAY
    days = range(first, calendar.timegm((YEAR + 1, 1, 1, 0, 0, 0)) // DAY)
    day_weights = [
        _MONTH_WEIGHT[time.gmtime(day * DAY).tm_mon - 1] * (1.0 if _workday(day) else 0.3)
        for day in days
    ]
    leads = []
    for day in rng.choices(days, day_weights, k=LEADS):
        hour = rng.choices(range(24), _HOUR_WEIGHT)[0]
        start = _to_utc(day * DAY + hour * HOUR + rng.randrange(HOUR))
        channel = rng.choices(tuple(_CHANNELS), _CHANNEL_WEIGHT)[0]
        if channel == "webinar":
            # A lead of the year's last days attended December's last webinar, not January's.
            start = _after_webinar(start)
            if time.gmtime(start).tm_year > YEAR:
                start = _after_webinar(start - 14 * DAY)
        segment = rng.choices(_SEGMENTS, _SEGMENT_WEIGHT)[0]
        # Public procurement (LOU) is a Nordic business.
        region = "sales-nordics" if segment == "public-sector" else _region(rng)
        leads.append(_Lead(start, channel, segment, region))
    leads.sort(key=lambda lead: lead.start)
    return leads


def _region(rng: random.Random) -> str:
    return rng.choices(_REGIONS, _REGION_WEIGHT)[0]


def render_events(people: Sequence[Mapping[str, str]], seed: int) -> str:
    """The text of ``events.csv``: one row per CRM event, the events of a case together.

    Parameters
    ----------
    people
        The demo's ``people.csv`` rows (``id``, ``unit``, ``role``, ``segments``, ``fte``):
        every resource is one of them.
    seed
        Seeds the :class:`random.Random` all waits and decisions come from.

    Returns
    -------
    str
        CSV with the columns ``case_id`` (``L00001``...), ``activity``, ``timestamp`` (ISO 8601
        in UTC, ``Z``), ``resource`` (a person id, or empty), ``channel`` (the lead source) and
        ``segment`` (a segment id of ``segments.csv``). Cases come in the order of their first
        touch; the events of a case in the order they were recorded, which is the order of
        their timestamps except for the hand-typed close dates described in the module
        docstring.

    Examples
    --------
    >>> people = [
    ...     {"id": f"P{i}", "unit": unit, "role": role, "segments": "mid-market", "fte": "1"}
    ...     for i, (unit, role) in enumerate([
    ...         ("demand-gen", "Paid Media Specialist"), ("demand-gen", "SEO & Web Specialist"),
    ...         ("demand-gen", "Content Marketer"), ("demand-gen", "Events & Webinar Manager"),
    ...         ("demand-gen", "Campaign Manager"),
    ...         ("demand-gen", "Marketing Automation Specialist"),
    ...         ("marketing", "Marketing Operations Manager"),
    ...         ("inside-sales", "Sales Development Representative"),
    ...         ("inside-sales", "Inside Sales Team Lead"),
    ...         ("sales-nordics", "Account Executive"), ("sales-dach", "Account Executive"),
    ...         ("sales-ukie", "Account Executive"),
    ...         ("cs-onboarding", "Implementation Consultant"),
    ...         ("cs-accounts", "Customer Success Manager"),
    ...     ])
    ... ]
    >>> text = render_events(people, seed=1)
    >>> text.splitlines()[0]
    'case_id,activity,timestamp,resource,channel,segment'
    >>> text == render_events(people, seed=1)
    True
    """
    rng = random.Random(seed)
    staff = _Staff.of(people)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVENT_COLUMNS)
    history = _History(rng, staff)
    for number, lead in enumerate(_leads(rng), start=1):
        case_id = f"L{number:05d}"
        for activity, utc, resource in history.case(lead):
            writer.writerow((case_id, activity, _iso(utc), resource, lead.channel, lead.segment))
    return out.getvalue()
