"""Mining benchmark: orglens against PM4Py on the same job, on CRM-like logs of 1M and 10M events.

Usage::

    python bench/mining.py [--sizes 1000000,10000000] [--formats csv,parquet]
                           [--tools orglens,pm4py] [--seed 7] [--repeat 1]
                           [--timeout 900] [--cap-gb 16] [--cold-imports] [--record]

For each size a seeded log is generated (:mod:`crmlog`: leads and opportunities moving between
~340 people in 8 departments, 5 to 15 events per case, rows in time order) and written as CSV and
Parquet into a temporary folder under /tmp, deleted afterwards. For each size and format, orglens
and PM4Py then each run the same job in a fresh Python process (``bench/_job.py``): read the
log, directly-follows graph, handover of work between resources (beta = 0), and handover between
departments with the mean and median wait per department pair. The time counted is the wall
time of the whole process (interpreter start, imports, reading, mining); its CPU time and peak
memory are the child's own (user + system time and maximum resident set size, from
``os.wait4``: what ``/usr/bin/time -v`` reports). CPU time is printed because other processes
may share the machine: a ratio of CPU times moves less with them than a ratio of wall times.
The child also reports the time of each phase, which says where the time goes.

Modules are compiled to bytecode once, in a cache under /tmp, before anything is timed: each
tool first runs its whole job on a 2,000-event log of each format, untimed (see
:func:`child_environment` and :func:`warm_up`; ``--cold-imports`` times every job compiling its
imports instead).

A job that runs longer than ``--timeout`` seconds is killed, and so is a job whose resident memory
grows past ``--cap-gb`` (the machine has no swap to fall back on). When a tool fails at one size
it is not run at larger sizes, and the report says at what size it stopped.

Both tools must agree: the same directly-follows counts, start and end activities, and handover
counts between resources and between departments (PM4Py gives ``count / all successions``; the
count is recovered with the log's known number of successions, events - cases), values equal to
1e-9 relative, and the same mean and median waits between departments. A line
``results agree: yes/no`` says so for each size and format.

Targets (issue 3): at 1M events orglens at least 10× faster than PM4Py end to end; at 10M at
least 20× faster with at most 1/3 of PM4Py's peak memory. A Markdown block with the figures is
printed at the end; ``--record`` appends it, dated, to ``bench/RESULTS.md`` (never rewrites it).
PM4Py is AGPL: it runs only here and in tests, in a process of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import pickle
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import crmlog

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
JOB = BENCH / "_job.py"
TOOLS = ("orglens", "pm4py")
FORMATS = ("csv", "parquet")
# size -> (minimum time ratio, minimum memory ratio), PM4Py / orglens
TARGETS = {1_000_000: (10.0, None), 10_000_000: (20.0, 3.0)}
RELATIVE = 1e-9


@dataclass
class Run:
    """One job in one process: how long it took, how much memory it held, and what it found."""

    size: int
    format: str
    tool: str
    status: str = "ok"
    wall_s: float = math.nan
    cpu_s: float = math.nan
    peak_mb: float = math.nan
    phases: dict[str, float] = field(default_factory=dict)
    results: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def child_environment(cache: Path | None) -> dict[str, str]:
    """The children's environment: with a bytecode cache in ``cache`` unless it is None.

    An installed package comes with its modules compiled (pip compiles them on install); a venv
    built by uv does not, and with ``PYTHONDONTWRITEBYTECODE`` set, every process compiles
    every module it imports again: seconds of compile time, more for PM4Py (more modules) than
    for orglens, that no installed copy pays. The cache lives outside the venv, under /tmp.
    """
    env = dict(os.environ)
    if cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def warm_up(tools: list[str], formats: list[str], env: dict[str, str], folder: Path) -> None:
    """Run each tool's whole job once on a small log of each format, untimed.

    The bytecode cache then holds every module the jobs import, also those a tool imports only
    when it first reads a file or runs a query (Ibis's DuckDB backend, PyArrow's readers, PM4Py's
    discovery modules): without this, the first timed job of each tool compiles them.
    """
    log = crmlog.generate(2_000, seed=1)
    paths = {"csv": crmlog.write_csv, "parquet": crmlog.write_parquet}
    for form in formats:
        path = paths[form](log.table, folder / f"warm-up.{form}")
        for tool in tools:
            subprocess.run(
                [sys.executable, str(JOB), tool, str(path), os.devnull],
                env=env,
                check=True,
                capture_output=True,
            )


_WRITE_LOGS = """
import json, sys, time
sys.path.insert(0, {bench!r})
import crmlog
from pathlib import Path
started = time.perf_counter()
log = crmlog.generate({size}, seed={seed})
generated = time.perf_counter() - started
for form in {formats!r}:
    writer = crmlog.write_csv if form == "csv" else crmlog.write_parquet
    writer(log.table, Path({folder!r}) / f"crm-{size}.{{form}}")
print(json.dumps({{"generated_s": generated, "written_s": time.perf_counter() - started - generated,
                  "successions": log.events - log.cases}}))
"""


def write_logs(size: int, seed: int, formats: list[str], folder: Path) -> dict[str, Any]:
    """Generate the log and write it in each format, in a process of its own.

    Linux counts the parent's peak resident memory into a child's ``ru_maxrss`` (``execve``
    keeps the high-water mark of the memory it replaces): a parent that held the generated log
    floors every job's peak at its own (about 1.5 GB at 10M events). The parent never holds it.
    """
    code = _WRITE_LOGS.format(
        bench=str(BENCH), size=size, seed=seed, formats=formats, folder=str(folder)
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_job(
    tool: str,
    log: Path,
    folder: Path,
    *,
    timeout: float,
    cap_gb: float | None,
    size: int,
    env: dict[str, str],
) -> Run:
    """Run ``_job.py`` for ``tool`` on ``log`` in a new process and measure it."""
    out = folder / f"{tool}-{log.suffix[1:]}.pickle"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(JOB), tool, str(log), str(out)]
    cap = int(cap_gb * 2**30) if cap_gb else None
    form = log.suffix[1:]
    with (folder / "stdout").open("w+") as stdout, (folder / "stderr").open("w+") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=stdout, stderr=stderr, env=env, start_new_session=True
        )
        status, usage = _wait(child, timeout, cap)
        wall = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        lines = stdout.read().strip().splitlines()
        errors = stderr.read()
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    if status == _TIMEOUT:
        return Run(size, form, tool, f"timed out at {timeout:.0f} s", wall, cpu, peak_mb)
    if status == _OVER_CAP:
        return Run(size, form, tool, f"killed at the {cap_gb:g} GB memory cap", wall, cpu, peak_mb)
    if status != 0 or not lines:
        reason = "out of memory" if "MemoryError" in errors else f"failed (exit {status})"
        print(errors[-2000:], file=sys.stderr)
        return Run(size, form, tool, reason, wall, cpu, peak_mb)
    report = json.loads(lines[-1])
    results = pickle.loads(out.read_bytes())  # written by our own job, in our own folder
    return Run(size, form, tool, "ok", wall, cpu, peak_mb, report["phases"], results)


_TIMEOUT, _OVER_CAP = "timeout", "over cap"


def _wait(child: subprocess.Popen[bytes], timeout: float, cap: int | None) -> tuple[int | str, Any]:
    """Wait for ``child``: its exit code (or why it was killed) and its own resource usage.

    The child is killed after ``timeout`` seconds, or as soon as its resident memory exceeds
    ``cap`` bytes (checked every 20 ms). The cap is on resident memory rather than on address
    space (``RLIMIT_AS``): DuckDB and Arrow reserve far more address space than they touch, so an
    address-space cap stops orglens long before it uses that much memory (at a 1.2 GB cap it
    failed on 100k events with a 335 MB peak).
    """
    deadline = time.monotonic() + timeout
    page = os.sysconf("SC_PAGE_SIZE")
    statm = Path(f"/proc/{child.pid}/statm")
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        killed = _TIMEOUT if time.monotonic() > deadline else None
        if cap and killed is None:
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(statm.read_text().split()[1]) * page > cap:
                    killed = _OVER_CAP
        if killed:
            os.killpg(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return killed, usage
        time.sleep(0.02)


def compare(orglens: dict[str, Any], pm4py: dict[str, Any], successions: int) -> list[str]:
    """Every difference between the two tools' results (empty when they agree)."""
    problems: list[str] = []

    def counts(rows: list[list[Any]], recover: bool) -> dict[tuple[str, str], int]:
        if recover:
            return {(a, b): round(value * successions) for a, b, _, value in rows}
        return {(row[0], row[1]): int(row[2]) for row in rows}

    def same(name: str, ours: dict[Any, Any], theirs: dict[Any, Any]) -> None:
        if ours != theirs:
            keys = sorted(set(ours) | set(theirs), key=str)
            diff = [(k, ours.get(k), theirs.get(k)) for k in keys if ours.get(k) != theirs.get(k)]
            problems.append(f"{name}: {len(diff)} differ, e.g. {diff[:3]}")

    same("dfg counts", counts(orglens["dfg"], False), counts(pm4py["dfg"], False))
    same("start activities", orglens["start"], pm4py["start"])
    same("end activities", orglens["end"], pm4py["end"])
    ours_handover = counts(orglens["handover"], False)
    same("resource handover counts", ours_handover, counts(pm4py["handover"], True))
    ours_groups = counts(orglens["group_handover"], False)
    same("department handover counts", ours_groups, counts(pm4py["group_handover"], True))
    for a, b, _, value in pm4py["handover"]:
        ours = ours_handover.get((a, b), 0) / successions
        if not math.isclose(ours, value, rel_tol=RELATIVE):
            problems.append(f"handover value {a}->{b}: {ours!r} vs {value!r}")
            break
    theirs_waits = {(a, b): (mean, median) for a, b, mean, median in pm4py["group_waits"]}
    for a, b, mean, median in orglens["group_waits"]:
        other = theirs_waits.get((a, b))
        if other is None or not all(
            math.isclose(x, y, rel_tol=RELATIVE, abs_tol=1e-6)
            for x, y in zip((mean, median), other, strict=True)
        ):
            problems.append(f"department waits {a}->{b}: {(mean, median)} vs {other}")
            break
    if len(theirs_waits) != len(orglens["group_waits"]):
        problems.append("department wait pairs differ")
    return problems


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator and not math.isnan(denominator) else math.nan


def fmt(value: float, digits: int = 1) -> str:
    return "–" if math.isnan(value) else f"{value:,.{digits}f}"


def verdict(size: int, time_ratio: float, memory_ratio: float) -> str:
    target = TARGETS.get(size)
    if target is None:
        return ""
    needs = [f"time ≥ {target[0]:g}×"] + ([f"memory ≥ {target[1]:g}×"] if target[1] else [])
    met = time_ratio >= target[0] and (target[1] is None or memory_ratio >= target[1])
    return f"{'met' if met else 'MISSED'} ({', '.join(needs)})"


def markdown(
    runs: list[Run],
    agreement: dict[tuple[int, str], str],
    notes: list[str],
    *,
    seed: int,
    cold: bool,
    load: str,
) -> str:
    imports = "compiled on every import (--cold-imports)" if cold else "bytecode cached"
    lines = [
        f"## {date.today().isoformat()} — mining (seed {seed})",
        "",
        f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores, "
        f"load average {load} (1-min, at start and end); each job a fresh process "
        f"(modules {imports}); wall time of the whole process (start, imports, read, mine); "
        "peak RSS of that process.",
        "",
        "| events | format | tool | status | wall s | CPU s | peak MB | phases (s) |",
        "|---:|---|---|---|---:|---:|---:|---|",
    ]
    for run in runs:
        phases = ", ".join(f"{name} {seconds:.2f}" for name, seconds in run.phases.items())
        lines.append(
            f"| {run.size:,} | {run.format} | {run.tool} | {run.status} | {fmt(run.wall_s)} "
            f"| {fmt(run.cpu_s)} | {fmt(run.peak_mb, 0)} | {phases} |"
        )
    lines += [
        "",
        "| events | format | time PM4Py/orglens | CPU PM4Py/orglens | memory PM4Py/orglens "
        "| target (time, memory) | agree |",
        "|---:|---|---:|---:|---:|---|---|",
    ]
    for (size, form), pair in _pairs(runs).items():
        ours, theirs = pair.get("orglens"), pair.get("pm4py")
        if ours is None or theirs is None:
            continue
        if not (ours.ok and theirs.ok):
            stopped = f"PM4Py {theirs.status}" if not theirs.ok else f"orglens {ours.status}"
            lines.append(f"| {size:,} | {form} | – | – | – | {stopped} | – |")
            continue
        time_ratio = ratio(theirs.wall_s, ours.wall_s)
        memory_ratio = ratio(theirs.peak_mb, ours.peak_mb)
        lines.append(
            f"| {size:,} | {form} | {fmt(time_ratio)}× | {fmt(ratio(theirs.cpu_s, ours.cpu_s))}× "
            f"| {fmt(memory_ratio)}× "
            f"| {verdict(size, time_ratio, memory_ratio)} | {agreement.get((size, form), '–')} |"
        )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def _pairs(runs: list[Run]) -> dict[tuple[int, str], dict[str, Run]]:
    pairs: dict[tuple[int, str], dict[str, Run]] = {}
    for run in runs:
        pairs.setdefault((run.size, run.format), {})[run.tool] = run
    return pairs


def best(runs: list[Run]) -> Run:
    """The fastest successful repetition (or the first failure)."""
    done = [run for run in runs if run.ok]
    return min(done, key=lambda run: run.wall_s) if done else runs[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per job; the fastest counts")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per job")
    parser.add_argument("--cap-gb", type=float, default=16.0, help="resident-memory cap per job")
    parser.add_argument("--tmp", type=Path, default=Path("/tmp"), help="where the logs go")
    parser.add_argument(
        "--cold-imports",
        action="store_true",
        help="no bytecode cache: every job compiles the modules it imports (see child_environment)",
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    sizes = [int(float(size)) for size in args.sizes.split(",")]
    formats = [form for form in args.formats.split(",") if form]
    tools = [tool for tool in args.tools.split(",") if tool]
    unknown = sorted((set(formats) - set(FORMATS)) | (set(tools) - set(TOOLS)))
    if unknown:
        parser.error(f"unknown format or tool: {', '.join(unknown)}")

    load_at_start = os.getloadavg()[0]
    cache = None
    if not args.cold_imports:
        cache = Path(tempfile.mkdtemp(prefix="orglens-pyc-", dir=args.tmp))
    env = child_environment(cache)
    try:
        if cache is not None:
            warm_up(tools, formats, env, cache)
        runs, agreement, notes = measure(args, sizes, formats, tools, env)
    finally:
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
    load = f"{load_at_start:.1f} → {os.getloadavg()[0]:.1f}"
    block = markdown(runs, agreement, notes, seed=args.seed, cold=args.cold_imports, load=load)
    print("\n" + block)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + block)
        print(f"appended to {RESULTS}")


def measure(
    args: argparse.Namespace,
    sizes: list[int],
    formats: list[str],
    tools: list[str],
    env: dict[str, str],
) -> tuple[list[Run], dict[tuple[int, str], str], list[str]]:
    """Generate each size, run every tool on every format; the runs, agreement and notes."""
    runs: list[Run] = []
    agreement: dict[tuple[int, str], str] = {}
    notes: list[str] = []
    stopped: dict[str, int] = {}
    print(
        f"{'events':>12} {'format':>8} {'tool':>8} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}"
        "  status / phases (s)"
    )
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix="orglens-bench-", dir=args.tmp))
        try:
            written = write_logs(size, args.seed, formats, folder)
            generated, successions = written["generated_s"], written["successions"]
            files = {form: folder / f"crm-{size}.{form}" for form in formats}
            sizes_mb = ", ".join(
                f"{f} {p.stat().st_size / 2**20:,.0f} MB" for f, p in files.items()
            )
            print(
                f"# {size:,} events, {size - successions:,} cases: generated in "
                f"{generated:.1f} s, written in {written['written_s']:.1f} s"
                f" ({sizes_mb})",
                flush=True,
            )
            for form, path in files.items():
                done: dict[str, Run] = {}
                # Rounds of one run per tool, so that a slow spell of the machine falls on both
                # tools alike; a tool that fails is not run again.
                tried: dict[str, list[Run]] = {tool: [] for tool in tools if tool not in stopped}
                for _ in range(args.repeat):
                    for tool, runs_of_tool in tried.items():
                        if not runs_of_tool or runs_of_tool[-1].ok:
                            runs_of_tool.append(
                                run_job(
                                    tool,
                                    path,
                                    folder,
                                    timeout=args.timeout,
                                    cap_gb=args.cap_gb,
                                    size=size,
                                    env=env,
                                )
                            )
                for tool, repeats in tried.items():
                    run = best(repeats)
                    runs.append(run)
                    done[tool] = run
                    phases = " ".join(f"{k}={v:.2f}" for k, v in run.phases.items())
                    print(
                        f"{size:>12,} {form:>8} {tool:>8} {fmt(run.wall_s):>8} "
                        f"{fmt(run.cpu_s):>8} {fmt(run.peak_mb, 0):>8}  {run.status} {phases}",
                        flush=True,
                    )
                    if not run.ok:
                        stopped[tool] = size
                        notes.append(
                            f"{tool} stopped at {size:,} events ({form}): {run.status} "
                            f"(ran {run.wall_s:.0f} s, peak {run.peak_mb:,.0f} MB); "
                            "not run at larger sizes."
                        )
                ours, theirs = done.get("orglens"), done.get("pm4py")
                if ours and theirs and ours.ok and theirs.ok:
                    assert ours.results is not None and theirs.results is not None
                    problems = compare(ours.results, theirs.results, successions)
                    agreement[(size, form)] = "yes" if not problems else "NO"
                    print(f"results agree: {'yes' if not problems else 'no'}")
                    for problem in problems:
                        print(f"  {problem}")
                    print(
                        f"ratios PM4Py/orglens: time {fmt(ratio(theirs.wall_s, ours.wall_s))}×,"
                        f" CPU {fmt(ratio(theirs.cpu_s, ours.cpu_s))}×,"
                        f" memory {fmt(ratio(theirs.peak_mb, ours.peak_mb))}×",
                        flush=True,
                    )
                for run in done.values():
                    run.results = None  # free the edge lists of large logs
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return runs, agreement, notes


if __name__ == "__main__":
    main()
