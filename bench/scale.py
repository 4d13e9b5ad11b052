"""Scale benchmark: load and analyze generated organizations of 1k, 10k and 100k people.

Usage::

    python bench/scale.py [--sizes 1000,10000,100000] [--seed 7] [--record]

Each size is written as a CSV workspace into a temporary directory (seeded: every run times the
same data), then loaded with ``orglens.io.load`` and analysed with ``orglens.lenses.analyze``
in a fresh process, three times; the best time counts. Each process's CPU time and peak
resident memory come from ``os.wait4``; the memory per person is the peak above that of a
process that only imports orglens.

For sizes ten times apart, t(10k)/t(1k) and t(100k)/t(10k) should stay near 10 when the pipeline
is linear. The anchor, measured the same way in the same run, is reading the same CSV files into
dicts with the standard library: on a shared 2-core machine even that grows faster than 10×
(caches), so orglens's time divided by the anchor's is printed too; it stays flat when orglens
is as linear as reading the files. The load average before and after is printed, since other
work on the machine slows every figure. Nothing is written into the repository unless
``--record`` is given, which appends a dated section to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
REPEATS = 3

# (unit id, function, share of the people, roles, competences, work mode)
DEPARTMENTS = (
    ("sales", "sales", 0.27, ("Account Executive", "SDR", "Sales Engineer"),
     ("field sales", "negotiation", "prospecting", "presales"), "process"),
    ("marketing", "marketing", 0.10, ("Campaign Manager", "Brand Manager", "Content Marketer"),
     ("demand generation", "brand", "content", "marketing automation"), "process"),
    ("communications", "communications", 0.03, ("PR Manager", "Editor"),
     ("pr", "content", "media relations"), "project"),
    ("product", "product", 0.30, ("Software Engineer", "Product Manager", "Designer"),
     ("software engineering", "product management", "ux design", "data"), "project"),
    ("customer-success", "customer_success", 0.18, ("CSM", "Support Specialist", "Consultant"),
     ("customer success", "support", "implementation", "account management"), "process"),
    ("hr", "hr", 0.04, ("HR Partner", "Recruiter"), ("hr", "recruiting", "payroll"), "process"),
    ("finance", "finance", 0.04, ("Controller", "Accountant"),
     ("controlling", "accounting", "forecasting"), "process"),
    ("operations", "operations", 0.04, ("IT Specialist", "Office Manager"),
     ("it", "facilities", "procurement"), "process"),
)  # fmt: skip
SEGMENTS = ("enterprise", "mid-market", "public-sector", "small-business", "partners")
LOCATIONS = ("Stockholm", "Göteborg", "Malmö", "Oslo", "München", "London")
JOURNEY = (
    ("awareness", "marketing", 0.5),
    ("awareness", "communications", 1.0),
    ("interest", "marketing", 0.2),
    ("interest", "marketing", 0.25),
    ("consideration", "sales", 0.3),
    ("consideration", "sales", 0.5),
    ("consideration", "marketing", 1.0),
    ("purchase", "sales", 0.25),
    ("purchase", "finance", 1.0),
    ("onboarding", "customer-success", 1.0),
    ("adoption", "customer-success", 1.0),
    ("expansion", "customer-success", 0.4),
)
MAX_SPAN = 12
MIN_TEAM = 4  # a unit's head plus at least three reports


@dataclass
class Synthetic:
    """A generated workspace, as rows per file."""

    people: list[list[object]] = field(default_factory=list)
    units: list[list[object]] = field(default_factory=list)
    budget: list[list[object]] = field(default_factory=list)
    revenue: list[list[object]] = field(default_factory=list)
    journey: list[list[object]] = field(default_factory=list)
    coordination: list[list[object]] = field(default_factory=list)
    segments: list[list[object]] = field(default_factory=list)
    units_of_department: dict[str, list[str]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)


class _Generator:
    """Builds a unit tree under departments, each unit led by its head, spans 3-12."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.org = Synthetic()

    def person(self, unit: str, manager: str, department: int) -> str:
        rng = self.rng
        _, _, _, roles, competences, work_mode = DEPARTMENTS[department]
        pid = f"p{len(self.org.people) + 1}"
        segments = rng.sample(SEGMENTS, rng.randint(0, 2))
        self.org.people.append(
            [
                pid,
                f"Person {len(self.org.people) + 1}",
                manager,
                unit,
                rng.choice(roles),
                ";".join(rng.sample(competences, rng.randint(1, 3))),
                rng.randint(500, 1500) * 1000,
                0.8 if rng.random() < 0.05 else 1,
                f"{pid}@synthetic.example",
                rng.choice(LOCATIONS),
                ";".join(segments),
                work_mode,
            ]
        )
        self.org.members.setdefault(unit, []).append(pid)
        return pid

    def unit(
        self, parent: str, department: int, head_manager: str, uid: str | None = None
    ) -> tuple[str, str]:
        """A new unit below ``parent`` and its head, who reports to ``head_manager``."""
        uid = uid or f"u{len(self.org.units) + 1}"
        row: list[object] = [uid, uid.title(), parent, "", DEPARTMENTS[department][1]]
        self.org.units.append(row)
        row[3] = head = self.person(uid, head_manager, department)
        self.org.units_of_department.setdefault(DEPARTMENTS[department][0], []).append(uid)
        return uid, head

    def fill(self, unit: str, head: str, reports: int, department: int) -> None:
        """Give ``head`` of ``unit`` ``reports`` people below them, in sub-units if too many."""
        if reports <= MAX_SPAN:
            for _ in range(reports):
                self.person(unit, head, department)
            return
        staff = self.rng.randint(1, 2)
        for _ in range(staff):
            self.person(unit, head, department)
        rest = reports - staff
        count = max(2, min(MAX_SPAN - staff, -(-rest // 11), rest // MIN_TEAM))
        for size in self._split(rest, count):
            child, child_head = self.unit(unit, department, head)
            self.fill(child, child_head, size - 1, department)

    def _split(self, total: int, parts: int) -> list[int]:
        """``total`` in ``parts`` sizes of at least MIN_TEAM, unevenly, summing to ``total``."""
        sizes = [total // parts + (i < total % parts) for i in range(parts)]
        for i in range(parts - 1):
            shift = self.rng.randint(-sizes[i] // 4, sizes[i] // 4)
            if sizes[i] + shift >= MIN_TEAM and sizes[i + 1] - shift >= MIN_TEAM:
                sizes[i] += shift
                sizes[i + 1] -= shift
        return sizes


def generate(people: int, seed: int) -> Synthetic:
    """A synthetic organization of exactly ``people`` people (at least 100)."""
    rng = random.Random(seed * 1_000_003 + people)
    gen = _Generator(rng)
    org = gen.org
    ceo = "p1"
    org.units.append(["top", "Management", "", ceo, "management"])
    org.people.append(
        [ceo, "Person 1", "", "top", "CEO", "general management", 3_000_000, 1,
         f"{ceo}@synthetic.example", LOCATIONS[0], "", ""]
    )  # fmt: skip
    org.members["top"] = [ceo]
    remaining = people - 1
    for index, (department, _, share, *_) in enumerate(DEPARTMENTS):
        size = remaining if index == len(DEPARTMENTS) - 1 else round(share * (people - 1))
        remaining -= size
        unit, head = gen.unit("top", index, ceo, uid=department)
        gen.fill(unit, head, size - 1, index)
    _add_records(org, rng, people)
    return org


def _add_records(org: Synthetic, rng: random.Random, people: int) -> None:
    units = org.units_of_department
    marketing = units["marketing"]
    selling = units["sales"] + units["customer-success"]
    all_units = [u[0] for u in org.units]
    for i in range(max(1, people // 10)):
        unit = rng.choice(marketing) if rng.random() < 0.6 else rng.choice(all_units)
        horizon = "other"
        outcome = unit
        if unit in marketing:
            horizon = rng.choices(("brand", "activation", "other"), (0.3, 0.6, 0.1))[0]
            if horizon == "activation":
                outcome = rng.choice(selling)
        amount = rng.randint(10, 2000) * 1000
        org.budget.append([f"b{i + 1}", unit, "spend", amount, horizon, outcome, f"Line {i + 1}"])
    for _ in range(max(1, people // 50)):
        stream = rng.choice(("New business", "Renewals", "Expansion"))
        amount = rng.randint(100, 20_000) * 1000
        org.revenue.append([stream, rng.choice(selling), amount, rng.choice(SEGMENTS)])
    volume = people * 40
    for order, (stage, department, keep) in enumerate(JOURNEY, start=1):
        unit = rng.choice(units[department])
        mode = "project" if stage in ("awareness", "onboarding") else "process"
        org.journey.append([order, stage, f"Activity {order}", unit, volume, 1.5, mode])
        volume = max(1, round(volume * keep))
    org.segments.extend(
        [s, s.replace("-", " ").capitalize(), rng.choice(units["sales"] + marketing), 1000, ""]
        for s in SEGMENTS[:-1]
    )
    org.segments.append([SEGMENTS[-1], "Partners", "", 200, ""])
    _add_coordination(org, rng, people)


def _add_coordination(org: Synthetic, rng: random.Random, people: int) -> None:
    """About n/2 needs: most within a unit, some nearby in the tree, a few anywhere."""
    unit_of = {str(row[0]): str(row[3]) for row in org.people}
    ids = list(unit_of)
    kinds = ("handoff", "planning", "review", "hiring", "launch")
    for _ in range(people // 2):
        position = rng.randrange(len(ids))
        source = ids[position]
        draw = rng.random()
        if draw < 0.6:
            target = rng.choice(org.members[unit_of[source]])
        elif draw < 0.85:
            # People generated close together sit close together in the tree.
            target = rng.choice(ids[max(0, position - 200) : position + 200])
        else:
            target = rng.choice(ids)
        if target == source:
            continue
        org.coordination.append([source, target, rng.randint(1, 10), rng.choice(kinds)])


def write_workspace(org: Synthetic, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[Sequence[str], list[list[object]]]] = {
        "people.csv": (
            ("id", "name", "manager_id", "unit", "role", "competences", "cost", "fte", "email",
             "location", "segments", "work_mode"),
            org.people,
        ),
        "units.csv": (("id", "name", "parent", "head", "function"), org.units),
        "budget.csv": (
            ("id", "unit", "category", "amount", "horizon", "outcome_unit", "description"),
            org.budget,
        ),
        "revenue.csv": (("stream", "unit", "amount", "segment"), org.revenue),
        "journey.csv": (
            ("order", "stage", "activity", "unit", "volume_per_year", "effort_hours", "work_mode"),
            org.journey,
        ),
        "coordination.csv": (("source", "target", "weight", "kind"), org.coordination),
        "segments.csv": (("id", "name", "owner_unit", "size", "needs"), org.segments),
    }  # fmt: skip
    for name, (header, rows) in files.items():
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    (directory / "orglens.yaml").write_text(
        f"name: Synthetic {len(org.people)}\ncurrency: EUR\n", encoding="utf-8"
    )


@dataclass(frozen=True)
class Timing:
    """One size: best wall times of orglens (load, analyze) and of the anchor, orglens's best
    CPU time (load and analyze, user and system), and the peak resident memory of each (MB),
    with that of a process that only imports orglens (``baseline_mb``)."""

    people: int
    units: int
    load: float
    analyze: float
    cpu: float
    peak_mb: float
    anchor: float
    anchor_mb: float
    baseline_mb: float

    @property
    def total(self) -> float:
        return self.load + self.analyze

    @property
    def versus_anchor(self) -> float:
        return self.total / self.anchor

    @property
    def kb_per_person(self) -> float:
        """Peak memory above the baseline, per person (people, their units, budget lines and
        coordination needs, and the analysis)."""
        return (self.peak_mb - self.baseline_mb) * 1024 / self.people


@dataclass(frozen=True)
class ChildRun:
    """What one child process reported (its own phase times, and the CPU seconds of its work)
    and its peak resident memory (MB) as the system measured it."""

    phases: dict[str, float]
    peak_mb: float


def run_child(what: str, directory: Path | None = None) -> ChildRun:
    """Run ``what`` (``orglens``, ``anchor`` or ``baseline``) in a fresh process; its resources
    come from ``os.wait4``, so that each measurement starts from nothing, the anchor's too."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", what, str(directory or "")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")
    phases = json.loads(output.strip().splitlines()[-1])
    # ru_maxrss is in kilobytes on Linux.
    return ChildRun(phases, usage.ru_maxrss / 1024)


def child(what: str, directory: str) -> None:
    """The work of one child process; prints its phase times as JSON on the last line."""
    if what == "anchor":
        print(json.dumps({"read": read_like_the_anchor(Path(directory))}))
        return
    from orglens.io import load
    from orglens.lenses import analyze

    if what == "baseline":
        print(json.dumps({}))
        return
    cpu = time.process_time()
    start = time.perf_counter()
    org = load(directory)
    loaded = time.perf_counter()
    analyze(org)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    print(json.dumps({"load": loaded - start, "analyze": done - loaded, "cpu": cpu}))


def read_like_the_anchor(directory: Path) -> float:
    """Seconds to read every CSV of the workspace into dicts with the standard library.

    The anchor: the least any Python tool must do with these files. Its own growth from 10k to
    100k rows shows what the machine (caches, memory) adds on top of linear work, so orglens's
    time divided by it should stay flat across sizes when orglens is linear.
    """
    start = time.perf_counter()
    tables = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.stem] = list(csv.DictReader(handle))
    people = {row["id"]: row for row in tables["people"]}
    elapsed = time.perf_counter() - start
    del tables, people
    return elapsed


def measure(directory: Path, people: int, units: int, repeats: int, baseline_mb: float) -> Timing:
    """Best of ``repeats`` fresh processes each for orglens and for the anchor; peak memory is
    the largest seen."""
    runs = [run_child("orglens", directory) for _ in range(repeats)]
    anchors = [run_child("anchor", directory) for _ in range(repeats)]
    best = min(runs, key=lambda run: run.phases["load"] + run.phases["analyze"])
    return Timing(
        people=people,
        units=units,
        load=best.phases["load"],
        analyze=best.phases["analyze"],
        cpu=min(run.phases["cpu"] for run in runs),
        peak_mb=max(run.peak_mb for run in runs),
        anchor=min(run.phases["read"] for run in anchors),
        anchor_mb=max(run.peak_mb for run in anchors),
        baseline_mb=baseline_mb,
    )


def _label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def ratios(timings: Sequence[Timing], *, anchor: bool = False) -> list[str]:
    """``t(b)/t(a) = r`` for consecutive sizes, with the size ratio when it is not 10."""
    out = []
    for a, b in pairwise(timings):
        ta, tb = (a.anchor, b.anchor) if anchor else (a.total, b.total)
        text = f"t({_label(b.people)})/t({_label(a.people)}) = {tb / ta:.1f}"
        if b.people != 10 * a.people:
            text += f" (sizes ×{b.people / a.people:g})"
        out.append(text)
    return out


HEADER = (
    "people", "units", "load s", "analyze s", "total s", "CPU s", "peak MB", "KB/person",
    "anchor s", "anchor MB", "total/anchor",
)  # fmt: skip
WIDTHS = (9, 7, 8, 10, 8, 7, 8, 10, 9, 10, 13)


def table(timings: Iterable[Timing], markdown: bool = False) -> str:
    rows = [
        (
            f"{t.people:,}",
            f"{t.units:,}",
            f"{t.load:.3f}",
            f"{t.analyze:.3f}",
            f"{t.total:.3f}",
            f"{t.cpu:.2f}",
            f"{t.peak_mb:,.0f}",
            f"{t.kb_per_person:.2f}",
            f"{t.anchor:.3f}",
            f"{t.anchor_mb:,.0f}",
            f"{t.versus_anchor:.1f}",
        )
        for t in timings
    ]
    if markdown:
        lines = ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * len(HEADER)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(row, WIDTHS, strict=True))
        for row in (HEADER, *rows)
    )


def _load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def record(timings: Sequence[Timing], seed: int, load_before: str, load_after: str) -> None:
    heading = "" if RESULTS.exists() else "# Benchmark results\n\nAppended by `bench/scale.py`.\n"
    sizes = ",".join(str(t.people) for t in timings)
    section = (
        f"\n## {date.today().isoformat()} — scale (seed {seed})\n\n"
        f"`bench/scale.py --sizes {sizes}`. "
        f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores; "
        f"load average (1 / 5 / 15 min) {load_before} before, {load_after} after. "
        f"Each figure from a fresh process, best of {REPEATS} (peak memory: the largest); "
        f"KB/person is the peak above a process that only imports orglens "
        f"({timings[0].baseline_mb:,.0f} MB).\n\n"
        f"{table(timings, markdown=True)}\n\n"
        f"Total time ratios (10 = linear): {'; '.join(ratios(timings)) or 'one size only'}.\n"
        f"Anchor ratios: {'; '.join(ratios(timings, anchor=True)) or 'one size only'}.\n"
    )
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(heading + section)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not sizes or sizes[0] < 100:
        raise argparse.ArgumentTypeError("give sizes of at least 100 people, e.g. 1000,10000")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated numbers of people (default: 1000,10000,100000)",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated orgs")
    parser.add_argument("--record", action="store_true", help="append the figures to RESULTS.md")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0

    load_before = _load_average()
    baseline_mb = min(run_child("baseline").peak_mb for _ in range(REPEATS))
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="orglens-bench-") as tmp:
        for size in args.sizes:
            print(f"generating {size:,} people ...", file=sys.stderr, flush=True)
            org = generate(size, args.seed)
            directory = Path(tmp) / str(size)
            write_workspace(org, directory)
            units = len(org.units)
            del org
            print(f"timing {size:,} people (best of {REPEATS}) ...", file=sys.stderr, flush=True)
            timings.append(measure(directory, size, units, REPEATS, baseline_mb))
    load_after = _load_average()

    print(table(timings))
    print(f"load average (1 / 5 / 15 min): {load_before} before, {load_after} after")
    if len(timings) > 1:
        print("total time ratios (10 = linear for sizes ten times apart):")
        for line in ratios(timings):
            print(f"  {line}")
        for line in ratios(timings, anchor=True):
            print(f"  anchor: {line}")
    if args.record:
        record(timings, args.seed, load_before, load_after)
        print(f"appended to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
