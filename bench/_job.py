"""One benchmark job in a process of its own: ``python bench/_job.py TOOL LOG RESULTS``.

TOOL is ``orglens`` or ``pm4py``. Both do the same job on LOG (a ``.csv`` or ``.parquet`` file
from :mod:`crmlog`): read it, the directly-follows graph (counts), handover of work between
resources (beta = 0), and handover between departments (``group``) with the mean and median
waiting time of each department pair. (orglens's ``dfg`` also computes the mean and median wait
of every activity pair, which PM4Py's ``discover_dfg`` does not: orglens does a little more.)
The results go to the file RESULTS (pickled), so that :mod:`mining` can check both tools agree; the
last line of stdout is a JSON object with the time of each phase and the process's peak
resident memory (``ru_maxrss`` of the process itself).

LOG ``-`` only imports the tool: :mod:`mining` does that once per tool before timing, so that
both tools' modules are compiled to bytecode first, as an installed package's are.

pm4py is AGPL: only this benchmark imports it, in a process of its own; orglens never does.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import pickle  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

Phases = dict[str, float]


class Clock:
    """Seconds spent in each named phase, in the order they ran."""

    def __init__(self) -> None:
        self.phases: Phases = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = round(now - self._last, 3)
        self._last = now


def orglens_job(path: Path | None, clock: Clock) -> dict[str, Any]:
    from orglens.io import read_log
    from orglens.mining import EventLog, dfg, handover, unit_handoffs

    clock.lap("import")
    if path is None:
        return {}
    # The log read onto in-process DuckDB (opened while the file is parsed), and one sorted
    # pass shared by the three analyses (built by the first one that needs it).
    events = EventLog(read_log(path))
    clock.lap("read")
    graph = dfg(events)
    clock.lap("dfg")
    people = handover(events)
    clock.lap("handover")
    units = unit_handoffs(events, unit="group")
    clock.lap("units")
    return {
        "dfg": [[e.source, e.target, e.count] for e in graph.edges],
        "start": dict(graph.start_activities),
        "end": dict(graph.end_activities),
        "handover": [[e.source, e.target, e.count, e.value] for e in people.edges],
        "group_handover": [[p.source, p.target, p.count, None] for p in units.pairs],
        "group_waits": [[p.source, p.target, p.wait_s_mean, p.wait_s_median] for p in units.pairs],
    }


def pm4py_job(path: Path | None, clock: Clock) -> dict[str, Any]:
    # What a PM4Py user writes, following PM4Py's documentation.
    warnings.simplefilter("ignore")
    import pandas as pd  # type: ignore[import-untyped]
    import pm4py  # type: ignore[import-untyped]

    clock.lap("import")
    if path is None:
        return {}
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    frame = frame.rename(columns={"resource": "org:resource", "group": "org:group"})
    frame = pm4py.format_dataframe(
        frame, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    clock.lap("read")
    graph, start, end = pm4py.discover_dfg(frame)
    clock.lap("dfg")
    people = pm4py.discover_handover_of_work_network(frame, resource_key="org:resource")
    clock.lap("handover")
    units = pm4py.discover_handover_of_work_network(frame, resource_key="org:group")
    waits, _, _ = pm4py.discover_performance_dfg(frame, activity_key="org:group")
    clock.lap("units")

    def edges(values: dict[tuple[str, str], float]) -> list[list[Any]]:
        # PM4Py gives value = count / all successions; mining.py turns it back into a count.
        return [[str(a), str(b), None, float(value)] for (a, b), value in sorted(values.items())]

    return {
        "dfg": [[str(a), str(b), int(count)] for (a, b), count in sorted(graph.items())],
        "start": {str(name): int(count) for name, count in sorted(start.items())},
        "end": {str(name): int(count) for name, count in sorted(end.items())},
        "handover": edges(people.connections),
        "group_handover": edges(units.connections),
        "group_waits": [
            [str(a), str(b), float(stats["mean"]), float(stats["median"])]
            for (a, b), stats in sorted(waits.items())
        ],
    }


JOBS: dict[str, Callable[[Path | None, Clock], dict[str, Any]]] = {
    "orglens": orglens_job,
    "pm4py": pm4py_job,
}


def main(argv: list[str]) -> None:
    tool, log, out = argv[0], None if argv[1] == "-" else Path(argv[1]), Path(argv[2])
    clock = Clock()
    clock.phases["startup"] = round(clock._last - STARTED, 3)
    results = JOBS[tool](log, clock)
    # Pickled, not JSON: 0.03 s instead of 0.1 s for the 51,000 handover edges of a 1M log,
    # time the benchmark adds to both tools' jobs and that is not theirs.
    out.write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    clock.lap("results")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = round(time.perf_counter() - STARTED, 3)
    print(json.dumps({"phases": clock.phases, "job_s": total, "peak_mb": round(peak_mb, 1)}))


if __name__ == "__main__":
    main(sys.argv[1:])
