"""Seeded, CRM-like event logs of any size, generated with NumPy and written with PyArrow.

Leads and opportunities move through a Markov chain of 29 activities, each done in one of eight
departments (Marketing, Sales Development, Sales, Presales, Legal, Finance, Customer Success,
Partner Management) by one of ~340 people plus a marketing-automation bot. A case has 5 to 15
events (uniform; the last case is cut so that the log has exactly the events asked for). Each
case keeps an owner per department, who does most of that department's events in the case (a
colleague does 12 % of them). Waits are log-normal: about 2 hours between events of the same
department, about a day at a handoff between departments, longer from Marketing to Sales
Development (the leads that wait), and zero after "Lead created" for the automatic "Lead scored"
(a timestamp tie, ordered by the file). Rows are in global timestamp order, as a CRM export
writes them, so every reader has to sort each case itself.

Columns: ``case_id``, ``activity``, ``timestamp`` (UTC; Parquet: ``timestamp[us, tz=UTC]``,
CSV: ISO 8601 with ``Z``), ``resource``, ``group`` (the department), ``channel`` (per case) and
``amount_eur`` (per case, an integer).

Usage from the benchmark::

    log = generate(1_000_000, seed=7)
    write_csv(log.table, folder / "crm.csv"); write_parquet(log.table, folder / "crm.parquet")

On a shared 2-core machine, ten million events take 14–20 s to generate, and ~25 s to write as
CSV and Parquet (935 MB and 127 MB).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pcsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

MIN_EVENTS, MAX_EVENTS = 5, 15
COLLEAGUE_SHARE = 0.12
START = int(np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64))
SPAN_S = 2 * 365 * 86_400

# (department, people)
DEPARTMENTS = (
    ("Marketing", 40),
    ("Sales Development", 60),
    ("Sales", 90),
    ("Presales", 30),
    ("Legal", 12),
    ("Finance", 18),
    ("Customer Success", 70),
    ("Partner Management", 20),
)
BOT = "marketing-automation"

# (activity, department index)
ACTIVITIES = (
    ("Lead created", 0),
    ("Lead scored", 0),
    ("Nurture email sent", 0),
    ("Webinar attended", 0),
    ("MQL reached", 0),
    ("Lead assigned", 1),
    ("First call", 1),
    ("Follow-up email", 1),
    ("Meeting booked", 1),
    ("Lead qualified", 1),
    ("Lead disqualified", 1),
    ("Opportunity created", 2),
    ("Discovery call", 2),
    ("Demo held", 2),
    ("Proposal sent", 2),
    ("Negotiation", 2),
    ("Closed won", 2),
    ("Closed lost", 2),
    ("Technical evaluation", 3),
    ("Security questionnaire", 3),
    ("Contract review", 4),
    ("Contract signed", 4),
    ("Credit check", 5),
    ("Discount approved", 5),
    ("Invoice sent", 5),
    ("Onboarding kickoff", 6),
    ("Customer handover call", 6),
    ("Partner referral", 7),
    ("Deal registration", 7),
)
START_ACTIVITIES = {"Lead created": 0.6, "Opportunity created": 0.28, "Partner referral": 0.12}

# activity -> {next activity: weight}; weights are normalised per activity.
TRANSITIONS: dict[str, dict[str, float]] = {
    "Lead created": {"Lead scored": 0.8, "Nurture email sent": 0.1, "Lead assigned": 0.1},
    "Lead scored": {"Nurture email sent": 0.45, "MQL reached": 0.4, "Webinar attended": 0.15},
    "Nurture email sent": {"Nurture email sent": 0.15, "Webinar attended": 0.3,
                           "MQL reached": 0.55},
    "Webinar attended": {"MQL reached": 0.6, "Nurture email sent": 0.4},
    "MQL reached": {"Lead assigned": 0.85, "Nurture email sent": 0.15},
    "Lead assigned": {"First call": 0.7, "Follow-up email": 0.3},
    "First call": {"Follow-up email": 0.35, "Meeting booked": 0.4, "Lead disqualified": 0.25},
    "Follow-up email": {"Follow-up email": 0.2, "First call": 0.4, "Meeting booked": 0.25,
                        "Lead disqualified": 0.15},
    "Meeting booked": {"Lead qualified": 0.75, "Lead disqualified": 0.25},
    "Lead qualified": {"Opportunity created": 1.0},
    "Lead disqualified": {"Nurture email sent": 1.0},
    "Opportunity created": {"Discovery call": 0.9, "Deal registration": 0.1},
    "Discovery call": {"Demo held": 0.6, "Technical evaluation": 0.15, "Closed lost": 0.25},
    "Demo held": {"Proposal sent": 0.5, "Technical evaluation": 0.25, "Security questionnaire": 0.1,
                  "Closed lost": 0.15},
    "Proposal sent": {"Negotiation": 0.5, "Discount approved": 0.15, "Contract review": 0.15,
                      "Closed lost": 0.2},
    "Negotiation": {"Discount approved": 0.3, "Contract review": 0.35, "Closed won": 0.15,
                    "Closed lost": 0.2},
    "Closed won": {"Credit check": 0.3, "Invoice sent": 0.3, "Onboarding kickoff": 0.4},
    "Closed lost": {"Nurture email sent": 1.0},
    "Technical evaluation": {"Proposal sent": 0.5, "Security questionnaire": 0.3, "Demo held": 0.2},
    "Security questionnaire": {"Proposal sent": 0.6, "Contract review": 0.4},
    "Contract review": {"Contract signed": 0.6, "Negotiation": 0.4},
    "Contract signed": {"Closed won": 0.9, "Credit check": 0.1},
    "Credit check": {"Closed won": 0.4, "Invoice sent": 0.6},
    "Discount approved": {"Negotiation": 0.5, "Contract review": 0.5},
    "Invoice sent": {"Onboarding kickoff": 0.9, "Credit check": 0.1},
    "Onboarding kickoff": {"Customer handover call": 0.8, "Invoice sent": 0.2},
    "Customer handover call": {"Webinar attended": 0.5, "Opportunity created": 0.5},
    "Partner referral": {"Deal registration": 0.6, "Lead assigned": 0.4},
    "Deal registration": {"Lead assigned": 0.5, "Discovery call": 0.5},
}  # fmt: skip

CHANNELS = ("inbound-web", "paid-search", "event", "outbound", "content-download")
FIRST_NAMES = (
    "anna", "erik", "maria", "lars", "sofia", "johan", "elin", "karl", "ida", "nils", "emma",
    "oskar", "sara", "jonas", "lena", "mats", "hanna", "peter", "julia", "david", "nora", "leo",
    "clara", "felix", "maja", "hugo", "alva", "axel", "frida", "viktor",
)  # fmt: skip
LAST_NAMES = (
    "berg", "lind", "holm", "strand", "dahl", "nyberg", "ek", "sjoberg", "wall", "forsberg",
    "lund", "hedlund", "blom", "sandberg", "engstrom", "falk", "gran", "moberg", "norén", "ahl",
)  # fmt: skip


@dataclass(frozen=True)
class CrmLog:
    """A generated log: the Arrow table, and its number of events and cases."""

    table: pa.Table
    events: int
    cases: int


def people() -> tuple[list[str], list[int]]:
    """Every resource name (the bot last) and its department index."""
    pairs = [(first, last) for last in LAST_NAMES for first in FIRST_NAMES]
    names: list[str] = []
    departments: list[int] = []
    for index, (_, size) in enumerate(DEPARTMENTS):
        for first, last in pairs[len(names) : len(names) + size]:
            names.append(f"{first}.{last}")
            departments.append(index)
    names.append(BOT)
    departments.append(0)
    return names, departments


def generate(events: int, *, seed: int = 7) -> CrmLog:
    """A CRM-like log of exactly ``events`` events (see the module documentation)."""
    if events < 1:
        raise ValueError(f"events must be positive, not {events!r}")
    rng = np.random.default_rng(seed)
    lengths = _case_lengths(rng, events)
    cases = len(lengths)
    steps = _walk(rng, cases)
    width = steps.shape[1]
    alive = np.arange(width)[None, :] < lengths[:, None]

    activity_department = np.array([dept for _, dept in ACTIVITIES], np.int8)
    departments = activity_department[steps]
    resources = _resources(rng, steps, departments)
    timestamps = _timestamps(rng, steps, departments)

    flat_case = np.broadcast_to(np.arange(cases)[:, None], steps.shape)[alive]
    flat_activity = steps[alive]
    flat_time = timestamps[alive]
    flat_group = departments[alive]
    flat_resource = resources[alive]
    del steps, departments, resources, timestamps, alive

    # A CRM export lists events in time order; ties stay in the order of their case.
    order = np.argsort(flat_time, kind="stable")
    names, _ = people()
    channel, amount = _case_attributes(rng, cases, flat_case, flat_activity)
    case_names = pa.array([f"L{number:08d}" for number in range(cases)], pa.string())

    def labels(codes: np.ndarray, dictionary: pa.Array) -> pa.Array:
        return pc.cast(pa.DictionaryArray.from_arrays(pa.array(codes), dictionary), pa.string())

    table = pa.table(
        {
            "case_id": labels(flat_case[order].astype(np.int32), case_names),
            "activity": labels(flat_activity[order], pa.array([a for a, _ in ACTIVITIES])),
            "timestamp": pa.array(flat_time[order] * 1_000_000, pa.timestamp("us", tz="UTC")),
            "resource": labels(flat_resource[order], pa.array(names)),
            "group": labels(flat_group[order], pa.array([d for d, _ in DEPARTMENTS])),
            "channel": labels(channel[flat_case[order]], pa.array((*CHANNELS, "partner"))),
            "amount_eur": pa.array(amount[flat_case[order]], pa.int64()),
        }
    )
    return CrmLog(table, events, cases)


def write_parquet(table: pa.Table, path: Path) -> Path:
    """The log as Parquet (Snappy, the default of most exporters)."""
    pq.write_table(table, path)
    return path


def write_csv(table: pa.Table, path: Path) -> Path:
    """The log as CSV, timestamps as ISO 8601 with ``Z`` (``2024-03-01T14:05:07Z``)."""
    # Formatting a zoned timestamp looks the zone up per value (15× slower): format UTC as naive.
    seconds = pc.cast(table.column("timestamp"), pa.timestamp("s"))
    stamps = pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%SZ")
    index = table.column_names.index("timestamp")
    text = table.set_column(index, "timestamp", stamps)
    pcsv.write_csv(text, path, pcsv.WriteOptions(quoting_style="needed"))
    return path


def _code(activity: str) -> int:
    """The code of an activity (its index in :data:`ACTIVITIES`)."""
    return next(code for code, (name, _) in enumerate(ACTIVITIES) if name == activity)


def _case_lengths(rng: np.random.Generator, events: int) -> np.ndarray:
    mean = (MIN_EVENTS + MAX_EVENTS) / 2
    drawn = rng.integers(MIN_EVENTS, MAX_EVENTS + 1, size=int(events / mean * 1.1) + 16)
    while drawn.sum() < events:
        drawn = np.concatenate([drawn, rng.integers(MIN_EVENTS, MAX_EVENTS + 1, size=len(drawn))])
    total = np.cumsum(drawn)
    cases = int(np.searchsorted(total, events)) + 1
    lengths = drawn[:cases].copy()
    lengths[-1] -= int(total[cases - 1]) - events
    return lengths


def _walk(rng: np.random.Generator, cases: int) -> np.ndarray:
    """An activity code per case and step (``cases × MAX_EVENTS``), from the Markov chain."""
    index = {name: code for code, (name, _) in enumerate(ACTIVITIES)}
    count = len(ACTIVITIES)
    matrix = np.zeros((count, count))
    for source, targets in TRANSITIONS.items():
        for target, weight in targets.items():
            matrix[index[source], index[target]] = weight
    cumulative = np.cumsum(matrix / matrix.sum(axis=1, keepdims=True), axis=1)
    cumulative[:, -1] = 1.0
    # Row s holds s + its cumulative probabilities, so one searchsorted samples every case.
    shifted = (cumulative + np.arange(count)[:, None]).ravel()

    starts = np.array([index[name] for name in START_ACTIVITIES])
    weights = np.array(list(START_ACTIVITIES.values()))
    steps = np.empty((cases, MAX_EVENTS), np.int8)
    state = rng.choice(starts, size=cases, p=weights / weights.sum())
    steps[:, 0] = state
    for step in range(1, MAX_EVENTS):
        found = np.searchsorted(shifted, state + rng.random(cases), side="right")
        state = found - state * count
        steps[:, step] = state
    return steps


def _resources(rng: np.random.Generator, steps: np.ndarray, departments: np.ndarray) -> np.ndarray:
    """A resource code per case and step: the case's owner in the department, or a colleague."""
    names, _ = people()
    sizes = np.array([size for _, size in DEPARTMENTS])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    cases = steps.shape[0]
    owners = (rng.random((cases, len(DEPARTMENTS))) * sizes).astype(np.int16)
    owner = np.take_along_axis(owners, departments.astype(np.intp), axis=1)
    colleague = (rng.random(steps.shape) * sizes[departments]).astype(np.int16)
    chosen = np.where(rng.random(steps.shape) < COLLEAGUE_SHARE, colleague, owner)
    resources: np.ndarray = (offsets[departments] + chosen).astype(np.int16)
    resources[steps == _code("Lead scored")] = len(names) - 1
    return resources


def _timestamps(rng: np.random.Generator, steps: np.ndarray, departments: np.ndarray) -> np.ndarray:
    """Epoch seconds per case and step: a start within two years, then log-normal waits."""
    cases = steps.shape[0]
    handoff = np.zeros(steps.shape, bool)
    handoff[:, 1:] = departments[:, 1:] != departments[:, :-1]
    marketing_to_sdr = np.zeros(steps.shape, bool)
    marketing_to_sdr[:, 1:] = (departments[:, :-1] == 0) & (departments[:, 1:] == 1)
    median = np.where(handoff, 20 * 3600.0, 2 * 3600.0)
    median = np.where(marketing_to_sdr, 60 * 3600.0, median)
    waits = median * rng.lognormal(0.0, 1.0, size=steps.shape)
    waits[:, 0] = 0.0
    after_created = np.roll(steps == _code("Lead created"), 1, axis=1)
    waits[(steps == _code("Lead scored")) & after_created] = 0.0
    start = START + rng.integers(0, SPAN_S, size=(cases,), dtype=np.int64)
    times: np.ndarray = start[:, None] + np.cumsum(waits.astype(np.int64), axis=1)
    return times


def _case_attributes(
    rng: np.random.Generator, cases: int, flat_case: np.ndarray, flat_activity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A channel and a deal amount per case (partner-sourced cases have channel 'partner')."""
    channel = rng.integers(0, len(CHANNELS), size=cases).astype(np.int8)
    first = np.zeros(cases, np.int64)
    is_first = np.ones(len(flat_case), bool)
    is_first[1:] = flat_case[1:] != flat_case[:-1]
    first[flat_case[is_first]] = flat_activity[is_first]
    channel[first == _code("Partner referral")] = len(CHANNELS)
    amount = (np.round(rng.lognormal(np.log(25_000), 0.8, size=cases) / 100) * 100).astype(np.int64)
    return channel, amount
