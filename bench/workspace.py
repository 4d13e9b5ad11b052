"""Workspace benchmark: ``orglens compare`` and ``analyze`` against one mining pass on the same log.

Usage::

    python bench/workspace.py [--events 1000000] [--formats parquet,csv] [--no-real]
                              [--repeat 3] [--seed 7] [--orglens-src DIR] [--label TEXT]
                              [--save-json DIR] [--check-json DIR] [--keep] [--record]

A workspace with an event log costs, for ``compare`` and ``analyze``, the mining of that log plus
the lenses, the scenarios and the advice. The anchor is one mining pass over the same log,
``orglens mine LOG --what unit-handoffs``, run two ways:

- ``anchor``: units from the log's group column (the department each event names);
- ``people-anchor``: ``--workspace W``, units from the workspace's people, as ``compare`` and
  ``analyze`` take them: the same files read, the same resources mapped to the same units, the
  same unit handoffs. This is the anchor given exactly the work the two commands share.

Targets (issue 9): on a 1,000,000-event log, ``compare`` within 1.5× the anchor's wall time and
``analyze`` within 1.2×; both anchors are reported.

Workspaces (built under ``bench/.work/``, gitignored, by a process of their own so that this one
stays small; see :func:`build`):

- ``crm-parquet`` and ``crm-csv``: the seeded CRM log of :mod:`crmlog` (``--events``, default
  1M) as Parquet and as CSV; every resource of the log is a person of their department (the
  log's ``group``), under a head of that department, under a CEO; ``units.csv`` with each
  department's function, a small declared journey and coordination between departments.
- ``bpic2013-incidents``: the real BPI Challenge 2013 incident log (65,533 events, Volvo IT;
  ``../shared/data/eventlogs``): every resource is a person of the ``org:group`` they work in
  most, under a head of that unit, under one top person. Left out with ``--no-real`` or when
  the file is absent.

For each workspace the four commands run in fresh processes, one of each per round, so that a
slow spell of the machine falls on all of them alike; the fastest of ``--repeat`` rounds counts.
Wall time is that of the whole process (start, imports, reading, work, JSON out); CPU time and
peak memory are the child's own (``os.wait4``). Modules are compiled to bytecode once, under /tmp,
before timing (every command runs once on a 2,000-event workspace, untimed).

``--orglens-src DIR`` measures another source tree of orglens with this venv: the children run
with ``PYTHONPATH=DIR`` and a working directory outside the repository (a ``python -m`` child
puts its working directory first on ``sys.path``); the benchmark checks which ``orglens`` they
import. ``--save-json DIR`` keeps each workspace's compare and analyze JSON as
``DIR/<workspace>.<command>.json``; ``--check-json DIR`` says whether they equal those in DIR
(a folder written by ``--save-json``, or another source tree of orglens, run once for it),
with the first differing path. The JSON of the first and the last round must be equal too.
Sanity checks: the observed journey and its metrics are not null, and every event of the log
has a unit (the workspace's people match the log's resources), and the people-anchor's
cross-unit handoffs are those analyze observes.

``--record`` appends a dated Markdown section to ``bench/RESULTS.md`` (never rewrites it).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
WORK = BENCH / ".work"
REAL_LOG = BENCH.parent.parent / "shared" / "data" / "eventlogs" / "07_bpic2013_incidents.xes.gz"
COMMANDS = ("anchor", "people-anchor", "compare", "analyze")
ANCHORS = ("anchor", "people-anchor")
TARGETS = {"compare": 1.5, "analyze": 1.2}
TARGET_EVENTS = 1_000_000
FORMATS = ("parquet", "csv")

# crmlog's departments: unit id and function (orglens.model.FUNCTIONS, or free text).
CRM_UNITS = {
    "Marketing": ("marketing", "marketing"),
    "Sales Development": ("sales-development", "sales"),
    "Sales": ("sales", "sales"),
    "Presales": ("presales", "sales"),
    "Legal": ("legal", "legal"),
    "Finance": ("finance", "finance"),
    "Customer Success": ("customer-success", "customer_success"),
    "Partner Management": ("partner-management", "sales"),
}
CRM_COST = {"marketing": 820_000, "sales": 900_000, "legal": 1_000_000, "finance": 780_000}
CRM_END = ("Closed won", "Closed lost", "Lead disqualified", "Customer handover call")
CRM_JOURNEY = (
    # stage, activity, unit, volume per year, effort hours, work mode
    ("interest", "Lead created", "marketing", 60_000, 0.1, "process"),
    ("interest", "MQL reached", "marketing", 30_000, 0.3, "process"),
    ("qualification", "First call", "sales-development", 24_000, 0.5, "process"),
    ("qualification", "Lead qualified", "sales-development", 9_000, 0.5, "process"),
    ("evaluation", "Demo held", "sales", 7_000, 2.0, "process"),
    ("evaluation", "Technical evaluation", "presales", 3_000, 6.0, "project"),
    ("decision", "Contract review", "legal", 2_500, 2.0, "process"),
    ("decision", "Closed won", "sales", 2_000, 1.0, "process"),
    ("onboarding", "Invoice sent", "finance", 2_000, 0.5, "process"),
    ("onboarding", "Onboarding kickoff", "customer-success", 1_900, 4.0, "project"),
)
CRM_COORDINATION = (
    ("marketing", "sales-development", 10, "lead handoff"),
    ("sales-development", "sales", 8, "lead handoff"),
    ("sales", "presales", 6, "deal support"),
    ("sales", "legal", 3, "contracts"),
    ("sales", "finance", 3, "pricing"),
    ("sales", "customer-success", 5, "customer handover"),
    ("partner-management", "sales", 4, "deal registration"),
)


# --- building the workspaces (in a process of their own) -------------------------------------


def build(folder: Path, events: int, seed: int, formats: list[str], real: bool) -> None:
    """Write every workspace under ``folder`` and print what each holds as a JSON line.

    Run in a child process: the parent never holds the log, which would floor every measured
    child's peak memory at its own (Linux counts the parent's memory into ``ru_maxrss`` of a
    child until it execs).
    """
    sys.path.insert(0, str(BENCH))
    import crmlog

    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    log = crmlog.generate(events, seed=seed)
    found: dict[str, dict[str, Any]] = {}
    for form in formats:
        writer = crmlog.write_parquet if form == "parquet" else crmlog.write_csv
        path = writer(log.table, logs / f"crm-{events}.{form}")
        name = f"crm-{form}"
        found[name] = _crm_workspace(folder / name, path, crmlog) | {
            "log": path.name,
            "events": log.events,
            "cases": log.cases,
            "log_mb": round(path.stat().st_size / 2**20, 1),
        }
    generated = time.perf_counter() - started
    if real:
        found["bpic2013-incidents"] = _real_workspace(folder / "bpic2013-incidents", REAL_LOG)
    print(json.dumps({"built_s": round(generated, 1), "workspaces": found}))


def _crm_workspace(folder: Path, log: Path, crmlog: Any) -> dict[str, Any]:
    """A workspace around the CRM log: its people, departments, journey and coordination."""
    folder.mkdir(parents=True, exist_ok=True)
    names, departments = crmlog.people()
    titles = [title for title, _ in crmlog.DEPARTMENTS]
    people = [_person("ceo", "Chief Executive", None, "management", "management", 3_000_000)]
    units = [["management", "Management", "", "ceo", "management"]]
    for title in titles:
        unit, function = CRM_UNITS[title]
        head = f"head-{unit}"
        cost = CRM_COST.get(function, 700_000)
        people.append(_person(head, f"Head of {title}", "ceo", unit, function, cost * 2))
        units.append([unit, title, "management", head, function])
    for name, department in zip(names, departments, strict=True):
        unit, function = CRM_UNITS[titles[department]]
        cost = CRM_COST.get(function, 700_000)
        display = " ".join(part.capitalize() for part in name.replace("-", ".").split("."))
        people.append(_person(name, display, f"head-{unit}", unit, function, cost))
    _write(folder / "people.csv", ["id", "name", "manager_id", "unit", "role", "competences",
                                   "cost"], people)  # fmt: skip
    _write(folder / "units.csv", ["id", "name", "parent", "head", "function"], units)
    journey = [[order, *row] for order, row in enumerate(CRM_JOURNEY, start=1)]
    _write(
        folder / "journey.csv",
        ["order", "stage", "activity", "unit", "volume_per_year", "effort_hours", "work_mode"],
        journey,
    )
    _write(folder / "coordination.csv", ["source", "target", "weight", "kind"], CRM_COORDINATION)
    _config(folder, "CRM benchmark company", log, ["case_id", "activity", "timestamp", "resource"],
            CRM_END)  # fmt: skip
    return {"people": len(people), "units": len(units), "resources": len(names)}


def _real_workspace(folder: Path, log: Path) -> dict[str, Any]:
    """A workspace around a real XES log: each resource in the ``org:group`` they work in most."""
    folder.mkdir(parents=True, exist_ok=True)
    work: defaultdict[str, Counter[str]] = defaultdict(Counter)
    events = cases = 0
    with gzip.open(log) as stream:
        for _, element in ElementTree.iterparse(stream):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "event":
                keys = {child.get("key"): child.get("value") for child in element}
                events += 1
                resource, group = keys.get("org:resource"), keys.get("org:group")
                if resource:
                    work[resource][group or ""] += 1
                element.clear()
            elif tag == "trace":
                cases += 1
                element.clear()
    # Most events first; a tie goes to the group first in alphabetical order.
    home = {r: min(groups.items(), key=lambda kv: (-kv[1], kv[0]))[0] for r, groups in work.items()}
    unit_ids = sorted(set(home.values()))
    ids = {group: group or "no-group" for group in unit_ids}
    people = [_person("top", "Head of IT services", None, "it-services", "management", 0)]
    units = [["it-services", "IT services", "", "top", "management"]]
    for group in unit_ids:
        head = f"head-of-{ids[group]}"
        people.append(_person(head, f"Head of {ids[group]}", "top", ids[group], "operations", 0))
        units.append([ids[group], ids[group], "it-services", head, "operations"])
    for resource in sorted(home):
        unit = ids[home[resource]]
        people.append(_person(resource, "", f"head-of-{unit}", unit, "operations", 0))
    _write(folder / "people.csv", ["id", "name", "manager_id", "unit", "role", "competences",
                                   "cost"], people)  # fmt: skip
    _write(folder / "units.csv", ["id", "name", "parent", "head", "function"], units)
    # Two written designs, so that compare re-maps the log for more than today's units: the two
    # units whose people do most events merged, and a forum of the three largest.
    size: Counter[str] = Counter()
    for resource, groups in work.items():
        size[ids[home[resource]]] += sum(groups.values())
    largest = [unit for unit, _ in sorted(size.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    scenarios = [
        "scenarios:",
        "  - name: merge_two_largest",
        f"    description: {json.dumps(' and '.join(largest[:2]) + ' merged')}",
        "    operations:",
        f"      - merge: {{units: {json.dumps(largest[:2])}, name: Merged, id: merged}}",
        "  - name: forum_of_three_largest",
        f"    description: {json.dumps('a forum of ' + ', '.join(largest))}",
        "    operations:",
        f"      - forum: {{units: {json.dumps(largest)}, name: Forum}}",
    ]
    _config(folder, "BPIC 2013 incidents (Volvo IT)", log.resolve(), [], ("Completed",), scenarios)
    return {
        "log": log.name,
        "events": events,
        "cases": cases,
        "log_mb": round(log.stat().st_size / 2**20, 1),
        "people": len(people),
        "units": len(units),
        "resources": len(home),
    }


def _person(
    pid: str, name: str, manager: str | None, unit: str, function: str, cost: int
) -> list[Any]:
    role = f"Head of {unit}" if pid.startswith("head-") else "Member"
    return [pid, name, manager or "", unit, role, function, cost]


def _write(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def _config(
    folder: Path,
    name: str,
    log: Path,
    columns: list[str],
    ends: tuple[str, ...],
    scenarios: list[str] | None = None,
) -> None:
    """``orglens.yaml``: the log's path, its end activities, and written ``scenarios`` (YAML
    lines). The log is linked into the workspace (a hard link: no copy; copied when the link
    cannot be made), as a workspace's files stay inside its folder."""
    inside = folder / log.name
    if not inside.exists():
        try:
            os.link(log, inside)
        except OSError:
            shutil.copyfile(log, inside)
    path = log.name
    lines = [f"name: {json.dumps(name)}", "currency: EUR", "events:", f"  path: {json.dumps(path)}"]
    canonical = ("case", "activity", "timestamp", "resource")
    lines += [f"  {key}: {column}" for key, column in zip(canonical, columns, strict=False)]
    lines += ["  end_activities:", *(f"    - {json.dumps(end)}" for end in ends)]
    lines += scenarios or []
    (folder / "orglens.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_in_child(
    folder: Path, events: int, seed: int, formats: list[str], real: bool
) -> dict[str, Any]:
    """Run :func:`build` in a process of its own; what it built."""
    code = (
        f"import sys; sys.path.insert(0, {str(BENCH)!r}); import workspace; "
        f"workspace.build(__import__('pathlib').Path({str(folder)!r}), {events}, {seed}, "
        f"{formats!r}, {real})"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- running the commands ----------------------------------------------------------------------


@dataclass
class Run:
    """One command in one process."""

    workspace: str
    command: str
    status: str = "ok"
    wall_s: float = math.nan
    cpu_s: float = math.nan
    peak_mb: float = math.nan

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def command_line(command: str, workspace: Path, log: Path) -> list[str]:
    """The orglens command line of ``command`` for ``workspace`` (whose log is ``log``)."""
    orglens = [sys.executable, "-m", "orglens"]
    if command in ANCHORS:
        mine = [*orglens, "mine", str(log), "--what", "unit-handoffs", "--format", "json"]
        return mine if command == "anchor" else [*mine, "--workspace", str(workspace)]
    return [*orglens, command, str(workspace), "--format", "json"]


def child_environment(source: Path | None, cache: Path) -> dict[str, str]:
    """The children's environment: ``source`` first on the path, and a bytecode cache.

    A venv built by uv has no compiled modules and ``PYTHONDONTWRITEBYTECODE`` is set, so every
    process would compile every module it imports: seconds no installed copy pays. The cache
    lives under /tmp.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    else:
        env.pop("PYTHONPATH", None)
    return env


def imported_from(env: dict[str, str], cwd: Path) -> str:
    """Where the children import ``orglens`` from."""
    done = subprocess.run(
        [sys.executable, "-c", "import orglens; print(orglens.__file__)"],
        env=env,
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return str(Path(done.stdout.strip()).parent)


def run(
    name: str, command: str, argv: list[str], out: Path, *, env: dict[str, str], cwd: Path,
    timeout: float,
) -> Run:  # fmt: skip
    """Run ``argv`` in a new process, its stdout into ``out``, and measure it."""
    with out.open("wb") as stdout, (cwd / "stderr").open("w+") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(
            argv, stdout=stdout, stderr=stderr, env=env, cwd=cwd, start_new_session=True
        )
        status, usage = _wait(child, timeout)
        wall = time.perf_counter() - start
        stderr.seek(0)
        errors = stderr.read()
    cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    if status is None:
        return Run(name, command, f"timed out at {timeout:.0f} s", wall, cpu, peak)
    if status != 0:
        print(errors[-2000:], file=sys.stderr)
        return Run(name, command, f"failed (exit {status})", wall, cpu, peak)
    return Run(name, command, "ok", wall, cpu, peak)


def _wait(child: subprocess.Popen[bytes], timeout: float) -> tuple[int | None, Any]:
    """The child's exit code (``None`` when killed at ``timeout``) and its own resource usage."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        if time.monotonic() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return None, usage
        time.sleep(0.02)


# --- checking the JSON -------------------------------------------------------------------------


def first_difference(ours: Any, theirs: Any, path: str = "$", *, close: float = 0.0) -> str | None:
    """The path of the first place where two parsed JSON documents differ (``None``: equal).

    Floats within ``close`` of each other (or 1e-9 relative) count as equal.
    """
    if isinstance(ours, dict) and isinstance(theirs, dict):
        if list(ours) != list(theirs):
            missing = [k for k in theirs if k not in ours]
            extra = [k for k in ours if k not in theirs]
            return f"{path}: keys differ (missing {missing[:5]}, extra {extra[:5]})"
        for key in ours:
            found = first_difference(ours[key], theirs[key], f"{path}.{key}", close=close)
            if found:
                return found
        return None
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{path}: {len(ours)} items vs {len(theirs)}"
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]", close=close)
            if found:
                return found
        return None
    floats = isinstance(ours, float) and isinstance(theirs, float)
    if close and floats and math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=close):
        return None
    if ours != theirs or type(ours) is not type(theirs):
        return f"{path}: {_short(ours)} vs {_short(theirs)}"
    return None


def verdict(ours: Any, theirs: Any) -> str:
    """``equal``, ``equal but for float rounding ...`` or ``DIFFERENT at PATH: a vs b``.

    The JSON rounds floats to 6 decimals, and an engine may sum in another order from one run
    to the next: the last digit may flip, so a second look allows 1e-6 (and a hair, for the
    binary representation of two 6-decimal numbers).
    """
    strict = first_difference(ours, theirs)
    if strict is None:
        return "equal"
    loose = first_difference(ours, theirs, close=1.001e-6)
    if loose is None:
        return f"equal but for float rounding (within 1e-6 or 1e-9 relative; first at {strict})"
    return f"DIFFERENT at {loose}"


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


def sanity(compare: Any, analyze: Any) -> list[str]:
    """What reads wrong in a workspace's JSON: no observed journey, events without a unit."""
    problems: list[str] = []
    observed = (analyze.get("process") or {}).get("observed")
    if not observed:
        return ["analyze: process.observed is null (the log was not read)"]
    if observed.get("events_without_unit"):
        problems.append(
            f"analyze: {observed['events_without_unit']:,} of {observed['events']:,} events have "
            "no unit (resources that match no person)"
        )
    if not observed.get("cross_unit_handoffs_per_case"):
        problems.append("analyze: observed cross_unit_handoffs_per_case is 0 or null")
    for scenario in compare.get("scenarios", []):
        metrics = scenario["metrics"]
        for key in ("observed_cross_unit_handoffs_per_case", "expected_handoff_wait_s"):
            if key in metrics and metrics[key] is None:
                problems.append(f"compare: {scenario['name']}: {key} is null")
    status_quo = next((s for s in compare.get("scenarios", []) if s["name"] == "status_quo"), None)
    if status_quo and not status_quo["metrics"].get("observed_cross_unit_handoffs_per_case"):
        problems.append("compare: status_quo observed_cross_unit_handoffs_per_case is 0 or null")
    return problems


def same_handoffs(mined: Any, observed: Any) -> list[str]:
    """Whether the people-anchor found the cross-unit handoffs analyze observes (the same work)."""
    cases = observed.get("cases")
    per_case = observed.get("cross_unit_handoffs_per_case")
    if not cases or per_case is None:
        return []
    found = mined["cross"]["count"] / cases
    if round(found, 6) != per_case:
        return [f"people-anchor: {found:.6f} cross-unit handoffs per case, analyze {per_case}"]
    return []


def reference_json(
    reference: Path, name: str, command: str, argv: list[str], *, cache: Path, cwd: Path
) -> Any:
    """The reference JSON of ``command`` on workspace ``name``: saved in ``reference``, or run
    with the orglens source tree ``reference``."""
    if not (reference / "orglens" / "__init__.py").exists():
        return json.loads((reference / f"{name}.{command}.json").read_text(encoding="utf-8"))
    env = child_environment(reference, cache)
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True)
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise RuntimeError(f"{reference} failed (exit {done.returncode}): {' '.join(last)}")
    return json.loads(done.stdout)


# --- report ------------------------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator and not math.isnan(denominator) else math.nan


def fmt(value: float, digits: int = 1) -> str:
    return "–" if math.isnan(value) else f"{value:,.{digits}f}"


def best(runs: list[Run]) -> Run:
    """The fastest successful round (or the first failure)."""
    done = [one for one in runs if one.ok]
    return min(done, key=lambda one: one.wall_s) if done else runs[0]


def paired_ratio(runs: list[Run], anchors: list[Run]) -> float:
    """The median over rounds of a command's wall time over the anchor's in the same round.

    Each round runs the three commands back to back, so a slow spell of the machine falls on
    both sides of a round's ratio; the best of each command (what the verdicts use) can pair a
    lucky anchor with an unlucky command, or the other way round.
    """
    ratios = [
        ratio(one.wall_s, anchor.wall_s)
        for one, anchor in zip(runs, anchors, strict=True)
        if one.ok and anchor.ok
    ]
    return statistics.median(ratios) if ratios else math.nan


def ratio_rows(runs: dict[str, dict[str, Run]], info: dict[str, dict[str, Any]]) -> list[str]:
    rows = []
    for name, by_command in runs.items():
        for which in ANCHORS:
            anchor = by_command[which]
            cells = []
            for command, target in TARGETS.items():
                value = ratio(by_command[command].wall_s, anchor.wall_s)
                verdict = "met" if value <= target else "MISSED"
                if info[name]["events"] < TARGET_EVENTS:
                    verdict = f"({verdict}; the target is set at {TARGET_EVENTS:,} events)"
                paired = info[name].get("paired", {}).get((which, command), math.nan)
                cells.append(f"{fmt(value, 2)}× | {fmt(paired, 2)}× | ≤ {target:g}×: {verdict}")
            cpu = ratio(by_command["compare"].cpu_s, anchor.cpu_s)
            rows.append(f"| {name} | {which} | {' | '.join(cells)} | {fmt(cpu, 2)}× |")
    return rows


def markdown(
    runs: dict[str, dict[str, Run]],
    info: dict[str, dict[str, Any]],
    notes: list[str],
    *,
    label: str,
    source: str,
    repeat: int,
    load: str,
) -> str:
    lines = [
        f"## {date.today().isoformat()} — workspace: compare and analyze vs one mining pass"
        + (f" — {label}" if label else ""),
        "",
        f"`bench/workspace.py`, orglens imported from `{source}`. Python "
        f"{platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores, load "
        f"average {load} (1-min, at start and end). Each command a fresh process (bytecode "
        f"cached), rounds alternating the four commands, best of {repeat}; wall time of the whole "
        "process, CPU and peak RSS of that process (`os.wait4`). Anchors: `orglens mine LOG --what "
        "unit-handoffs`, with units from the log's group column (anchor) and with `--workspace W`: "
        "units from the workspace's people, as compare and analyze map them (people-anchor); "
        "compare and analyze: `--format json`. "
        "Ratios: best over best (the verdict), and the median over rounds of each round's ratio "
        "(a slow spell falls on both sides of it).",
        "",
        "| workspace | log | events | cases | people | units | command | wall s | CPU s "
        "| peak MB |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, by_command in runs.items():
        about = info[name]
        for command, one in by_command.items():
            status = "" if one.ok else f" ({one.status})"
            lines.append(
                f"| {name} | {about['log']} ({about['log_mb']:g} MB) | {about['events']:,} "
                f"| {about['cases']:,} | {about['people']:,} | {about['units']:,} "
                f"| {command}{status} | {fmt(one.wall_s, 2)} | {fmt(one.cpu_s, 2)} "
                f"| {fmt(one.peak_mb, 0)} |"
            )
    lines += [
        "",
        "| workspace | anchor | compare / anchor | median of rounds | target | analyze / anchor "
        "| median of rounds | target | compare / anchor (CPU) |",
        "|---|---|---:|---:|---|---:|---:|---|---:|",
        *ratio_rows(runs, info),
    ]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=lambda text: int(float(text)), default=1_000_000)
    parser.add_argument("--formats", default=",".join(FORMATS), help="of the CRM log")
    parser.add_argument("--no-real", action="store_true", help="leave out the BPIC 2013 log")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the fastest counts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per command")
    parser.add_argument("--orglens-src", type=Path, help="measure this source tree of orglens")
    parser.add_argument("--label", default="", help="ends the title of the recorded section")
    parser.add_argument("--save-json", type=Path, help="keep the compare and analyze JSON here")
    parser.add_argument(
        "--check-json",
        type=Path,
        help="a --save-json folder or an orglens source tree, whose JSON this run must equal",
    )
    parser.add_argument("--keep", action="store_true", help="keep the workspaces in bench/.work")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    formats = [form for form in args.formats.split(",") if form]
    if set(formats) - set(FORMATS):
        parser.error(f"formats are {', '.join(FORMATS)}")
    source = args.orglens_src.resolve() if args.orglens_src else None
    if source is not None and not (source / "orglens" / "__init__.py").exists():
        parser.error(f"{source} holds no orglens/__init__.py")
    real = not args.no_real and REAL_LOG.exists()

    load_at_start = os.getloadavg()[0]
    # A fixed folder: a run before and a run after a change read the same files at the same
    # paths (a warning or an error may name them).
    folder = WORK / "workspaces"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cache = Path(tempfile.mkdtemp(prefix="orglens-pyc-", dir="/tmp"))
    try:
        env = child_environment(source, cache)
        imported = imported_from(env, folder)
        if source is not None and Path(imported) != source / "orglens":
            sys.exit(f"the children import orglens from {imported}, not from {source}")
        print(f"# orglens imported from {imported}", flush=True)
        warm_up(folder / "warm-up", env, formats)
        built = build_in_child(folder, args.events, args.seed, formats, real)
        print(f"# workspaces built in {built['built_s']} s", flush=True)
        info: dict[str, dict[str, Any]] = built["workspaces"]
        runs, notes = measure(args, folder, info, env, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load = f"{load_at_start:.1f} → {os.getloadavg()[0]:.1f}"
    block = markdown(
        runs, info, notes, label=args.label, source=imported, repeat=args.repeat, load=load
    )
    print("\n" + block)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + block)
        print(f"appended to {RESULTS}")


def warm_up(folder: Path, env: dict[str, str], formats: list[str]) -> None:
    """Run every command once on a 2,000-event workspace of each format, untimed, so that the
    bytecode cache holds every module the commands import (also those imported on first use)."""
    info = build_in_child(folder, 2_000, 1, formats, real=False)["workspaces"]
    for name, about in info.items():
        for command in COMMANDS:
            argv = command_line(command, folder / name, folder / "logs" / about["log"])
            done = subprocess.run(argv, env=env, cwd=folder, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"warm-up: {' '.join(argv[2:])} failed:\n{done.stderr[-2000:]}")


def measure(
    args: argparse.Namespace,
    folder: Path,
    info: dict[str, dict[str, Any]],
    env: dict[str, str],
    cache: Path,
) -> tuple[dict[str, dict[str, Run]], list[str]]:
    """Every command on every workspace, in alternating rounds; the best runs and the notes."""
    found: dict[str, dict[str, Run]] = {}
    notes: list[str] = []
    outputs = folder / "out"
    outputs.mkdir()
    print(f"{'workspace':>20} {'command':>13} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for name, about in info.items():
        workspace = folder / name
        log = folder / "logs" / about["log"] if name.startswith("crm-") else REAL_LOG
        rounds: dict[str, list[Run]] = {command: [] for command in COMMANDS}
        first: dict[str, bytes] = {}
        for _ in range(args.repeat):
            for command in COMMANDS:
                out = outputs / f"{name}.{command}.json"
                argv = command_line(command, workspace, log)
                one = run(name, command, argv, out, env=env, cwd=folder, timeout=args.timeout)
                rounds[command].append(one)
                first.setdefault(command, out.read_bytes())
        found[name] = {command: best(tried) for command, tried in rounds.items()}
        about["paired"] = {
            (which, command): paired_ratio(rounds[command], rounds[which])
            for which in ANCHORS
            for command in TARGETS
        }
        for command, one in found[name].items():
            print(
                f"{name:>20} {command:>13} {fmt(one.wall_s, 2):>8} {fmt(one.cpu_s, 2):>8} "
                f"{fmt(one.peak_mb, 0):>8}  {one.status}",
                flush=True,
            )
        failed = [f"{command} {one.status}" for command, one in found[name].items() if not one.ok]
        if failed:
            notes.append(f"{name}: {', '.join(failed)}; its JSON is not checked.")
            continue
        notes += check(args, name, workspace, log, outputs, first, cache=cache, cwd=folder)
    return found, notes


def check(
    args: argparse.Namespace,
    name: str,
    workspace: Path,
    log: Path,
    outputs: Path,
    first: dict[str, bytes],
    *,
    cache: Path,
    cwd: Path,
) -> list[str]:
    """The JSON checks of one workspace, printed and returned as notes."""
    notes: list[str] = []
    parsed = {}
    for command in ("compare", "analyze"):
        text = (outputs / f"{name}.{command}.json").read_bytes()
        parsed[command] = json.loads(text)
        if text != first[command]:
            found = verdict(parsed[command], json.loads(first[command]))
            notes.append(f"{name}: {command} JSON, last round vs first: {found}.")
        if args.save_json:
            args.save_json.mkdir(parents=True, exist_ok=True)
            (args.save_json / f"{name}.{command}.json").write_bytes(text)
        if args.check_json:
            argv = command_line(command, workspace, log)
            try:
                theirs = reference_json(args.check_json, name, command, argv, cache=cache, cwd=cwd)
            except (OSError, RuntimeError, ValueError) as error:
                notes.append(f"{name}: {command} JSON not checked: {error}")
                continue
            found = verdict(parsed[command], theirs)
            notes.append(f"{name}: {command} JSON vs {args.check_json}: {found}.")
    problems = sanity(parsed["compare"], parsed["analyze"])
    problems += same_handoffs(
        json.loads(first["people-anchor"]), parsed["analyze"]["process"].get("observed") or {}
    )
    observed = parsed["analyze"]["process"].get("observed") or {}
    status_quo = next(s for s in parsed["compare"]["scenarios"] if s["name"] == "status_quo")
    notes.append(
        f"{name}: {len(parsed['compare']['scenarios'])} designs compared; observed "
        f"{observed.get('events', 0):,} events, {observed.get('events_without_unit', 0):,} "
        f"without a unit, {observed.get('cross_unit_handoffs_per_case')} cross-unit handoffs per "
        "case (analyze); status quo "
        f"{status_quo['metrics'].get('observed_cross_unit_handoffs_per_case')} (compare)"
        + (f"; READS WRONG: {'; '.join(problems)}" if problems else "")
        + "."
    )
    for note in notes:
        print(note, flush=True)
    return notes


if __name__ == "__main__":
    main()
