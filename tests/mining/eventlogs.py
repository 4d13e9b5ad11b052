"""Event logs for the mining tests: tiny hand-made ones, seeded generated ones, and PM4Py.

PM4Py (AGPL) is used here only as a reference to compare against; orglens never imports it.
"""

from __future__ import annotations

import contextlib
import io
import math
import random
import warnings
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

T0 = datetime(2024, 1, 1, tzinfo=UTC)

# Ibis collects Spark results through PySpark's `toPandas()`, which uses options and keywords
# pandas 3 deprecates (Pandas4Warning) and leaves result sockets to the garbage collector:
# third-party noise that `filterwarnings = error` would turn into failures.
SPARK_NOISE = [
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
]


def quiet_spark(test: Any) -> Any:
    """Mark a test that runs on Spark with :data:`SPARK_NOISE`."""
    for mark in SPARK_NOISE:
        test = mark(test)
    return test


#: (case, activity, minutes after T0 (or a timedelta), resource[, group]) in file order.
When = float | timedelta
Event = tuple[str, str, When, str | None] | tuple[str, str, When, str | None, str | None]


def _at(when: When) -> datetime:
    return T0 + (when if isinstance(when, timedelta) else timedelta(minutes=when))


def log(*events: Event) -> pa.Table:
    """A canonical event table; ``position`` is each event's place in the argument list."""
    return pa.table(
        {
            "case_id": pa.array([e[0] for e in events], pa.string()),
            "activity": pa.array([e[1] for e in events], pa.string()),
            "timestamp": pa.array([_at(e[2]) for e in events], pa.timestamp("us", tz="UTC")),
            "resource": pa.array([e[3] for e in events], pa.string()),
            "group": pa.array([e[4] if len(e) > 4 else None for e in events], pa.string()),
            "position": pa.array(range(len(events)), pa.int64()),
        }
    )


ACTIVITIES = ("visit", "form", "mql", "call", "demo", "offer", "negotiate", "won", "lost")
PEOPLE = {
    "mia": "Marketing",
    "max": "Marketing",
    "sam": "Sales",
    "sue": "Sales",
    "sid": "Sales",
    "cai": "Success",
    "cat": "Success",
    "ops": "Operations",
}


def generated_log(
    seed: int, *, cases: int = 150, missing: float = 0.0, max_events: int = 9
) -> pa.Table:
    """A seeded CRM-like log whose file order is shuffled.

    About one succession in six has a zero wait (a timestamp tie, broken by position); waits
    carry microseconds; ``missing`` is the share of events without resource and group.
    """
    rng = random.Random(seed)
    people = sorted(PEOPLE)
    rows: list[tuple[str, str, datetime, str | None, str | None]] = []
    for number in range(cases):
        when = T0 + timedelta(days=rng.randrange(60))
        for _ in range(rng.randint(1, max_events)):
            who: str | None = rng.choice(people)
            unit = PEOPLE[who] if who else None
            if rng.random() < missing:
                who = unit = None
            rows.append((f"case-{number:04d}", rng.choice(ACTIVITIES), when, who, unit))
            if rng.random() > 1 / 6:
                when += timedelta(
                    seconds=rng.randrange(1, 5 * 86400), microseconds=rng.randrange(10**6)
                )
    rng.shuffle(rows)
    return pa.table(
        {
            "case_id": pa.array([r[0] for r in rows], pa.string()),
            "activity": pa.array([r[1] for r in rows], pa.string()),
            "timestamp": pa.array([r[2] for r in rows], pa.timestamp("us", tz="UTC")),
            "resource": pa.array([r[3] for r in rows], pa.string()),
            "group": pa.array([r[4] for r in rows], pa.string()),
            "position": pa.array(range(len(rows)), pa.int64()),
        }
    )


def pm4py_frame(table: pa.Table, *, drop_missing: str | None = None) -> pd.DataFrame:
    """The log as PM4Py's DataFrame, sorted the orglens way: case, timestamp, position.

    ``drop_missing`` names a canonical column whose null events are dropped first, which is
    what orglens does before forming successions (PM4Py crashes on them).
    """
    frame = table.to_pandas()
    if drop_missing is not None:
        frame = frame[frame[drop_missing].notna()]
    frame = frame.sort_values(["case_id", "timestamp", "position"], kind="stable")
    frame = frame.rename(
        columns={
            "case_id": "case:concept:name",
            "activity": "concept:name",
            "timestamp": "time:timestamp",
            "resource": "org:resource",
            "group": "org:group",
        }
    )
    return frame.reset_index(drop=True)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # PM4Py prints a licence banner on import and emits pandas deprecation warnings; neither is
    # what these tests are about.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def pm4py() -> ModuleType:
    """The PM4Py module, imported quietly."""
    with _quiet():
        import pm4py as module
    return module


def pm4py_call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``pm4py.<name>`` quietly."""
    module = pm4py()
    with _quiet():
        return getattr(module, name)(*args, **kwargs)


def assert_same_values(
    ours: dict[tuple[str, str], float], theirs: dict[tuple[str, str], float]
) -> None:
    """Same keys, values equal to 1e-9 relative."""
    assert ours.keys() == theirs.keys()
    for key, value in ours.items():
        assert math.isclose(value, theirs[key], rel_tol=1e-9), (key, value, theirs[key])


def assert_close(left: Any, right: Any, path: str = "") -> None:
    """Equal JSON-like data, floats to 1e-12 relative (engines may sum in another order)."""
    if isinstance(left, dict):
        assert isinstance(right, dict) and left.keys() == right.keys(), path
        for key in left:
            assert_close(left[key], right[key], f"{path}/{key}")
    elif isinstance(left, list):
        assert isinstance(right, list) and len(left) == len(right), path
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_close(a, b, f"{path}[{index}]")
    elif isinstance(left, float) and isinstance(right, float):
        assert math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-9), (path, left, right)
    else:
        assert left == right, (path, left, right)


def receipt(path: Path) -> pa.Table:
    """The WABO receipt log (PM4Py's CSV export) as a canonical event table."""
    frame = pd.read_csv(path)
    stamps = pd.to_datetime(frame["time:timestamp"], utc=True, format="ISO8601")
    return pa.table(
        {
            "case_id": pa.array(frame["case:concept:name"].astype(str), pa.string()),
            "activity": pa.array(frame["concept:name"].astype(str), pa.string()),
            "timestamp": pa.array(stamps.dt.as_unit("us"), pa.timestamp("us", tz="UTC")),
            "resource": pa.array(frame["org:resource"], pa.string()),
            "group": pa.array(frame["org:group"], pa.string()),
            "position": pa.array(range(len(frame)), pa.int64()),
        }
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's default), written out as the reference."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    low = math.floor(h)
    if low + 1 >= len(ordered):
        return ordered[low]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])
