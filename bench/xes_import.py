"""XES import benchmark: orglens's two readers against ``pm4py.read_xes``.

Usage::

    python bench/xes_import.py [--log PATH] [--repeat 3] [--floor] [--record]

Readers, each in a fresh Python process per repetition, run in turn (so that a busy machine
slows them alike):

- ``orglens``: ``read_xes(path)`` (the rustxes reader; the child checks that rustxes made the
  table) then ``canonical_events``: exactly what ``read_events`` does with an XES file;
- ``orglens-expat``: the same with ``read_xes(path, reader="expat")``, the streaming expat
  reader (``ORGLENS_XES_READER=expat`` does the same for ``orglens import``);
- ``pm4py``: ``pm4py.read_xes(path)`` as it is called by default. NB: when ``rustxes`` is
  installed (it is an orglens dependency) pm4py itself reads XES with rustxes;
- ``pm4py-iterparse``: ``pm4py.read_xes(path, variant="iterparse")``: pm4py's own reader, the
  one it uses when rustxes is not installed;
- ``expat-floor`` (with ``--floor``): expat calling an empty Python function per element, the
  least any reader on the standard library's parser can take.

A child reports the wall and CPU time of the read call alone (imports excluded: each child
imports and warms its libraries first), its peak resident memory (``ru_maxrss``, which includes
the interpreter and imported modules) and the number of events; the parent times the whole
process. The best repetition of each reader counts; ratios are ``other / orglens`` (above 1:
orglens is faster or smaller). The target in the issue is orglens at least 5× faster than
``pm4py.read_xes``. pm4py's ``read_xes`` stops at a pandas DataFrame of the raw attributes,
while orglens also builds the canonical table and its import report.

``--record`` appends a dated section with the table to ``bench/RESULTS.md``.

The default log is ``../shared/data/eventlogs/bpic2012.xes.gz`` (262,200 events). pm4py is AGPL
and only used here, in separate processes; orglens never imports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

DEFAULT_LOG = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "eventlogs" / "bpic2012.xes.gz"
)
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
READERS = ("orglens", "orglens-expat", "pm4py", "pm4py-iterparse")
LABELS = {
    "orglens": "orglens, rustxes reader",
    "orglens-expat": "orglens, expat reader",
    "pm4py": "pm4py.read_xes (default)",
    "pm4py-iterparse": 'pm4py.read_xes(variant="iterparse")',
    "expat-floor": "expat, empty handler",
}

CHILD = r"""
import json, resource, sys, time, warnings

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

reader, path = sys.argv[1], sys.argv[2]
if reader == "expat-floor":
    import gzip
    from xml.parsers import expat

    def read():
        parser = expat.ParserCreate()
        parser.StartElementHandler = lambda name, attrs: None
        with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as stream:
            parser.ParseFile(stream)
        return 0
elif reader.startswith("orglens"):
    import pyarrow as pa, pyarrow.compute as pc
    pc.equal(pa.array(["warm"]), "")  # pyarrow imports pandas on first use: count it as import
    from pathlib import Path
    from orglens.io.events_canonical import canonical_events
    from orglens.io.xes import read_xes
    wanted = "expat" if reader == "orglens-expat" else "rustxes"
    if wanted == "rustxes":
        import rustxes  # imports polars

    def read():
        xes = read_xes(path, reader="expat" if wanted == "expat" else "auto")
        if xes.reader != wanted:
            sys.exit(f"the {wanted} reader was not used: {xes.fallback}")
        table = canonical_events(xes.table, Path(path).name, line_of=xes.line_of)
        return table.num_rows
else:
    warnings.simplefilter("ignore")
    import pm4py
    variant = "iterparse" if reader == "pm4py-iterparse" else None
    read = lambda: len(pm4py.read_xes(path, variant=variant, show_progress_bar=False))
wall, used = time.perf_counter(), cpu()
events = read()
wall, used = time.perf_counter() - wall, cpu() - used
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"events": events, "wall": wall, "cpu": used, "peak_mb": peak}))
"""


def run(reader: str, log: Path) -> dict[str, float]:
    """One read in a fresh process: the child's figures and the whole process's wall time."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, reader, str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{reader} failed:\n{done.stderr.strip()}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - start
    return result


def pm4py_backend() -> str:
    """What ``pm4py.read_xes`` reads with by default here."""
    try:
        metadata.version("rustxes")
    except metadata.PackageNotFoundError:
        return "its own iterparse reader (rustxes not installed)"
    return "rustxes (installed as an orglens dependency)"


def versions() -> str:
    found = []
    for package in ("rustxes", "polars", "pyarrow", "pm4py"):
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} (absent)")
    return ", ".join(found)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time expat calling an empty Python function per element: the least any "
        "reader on the standard library's parser can take",
    )
    parser.add_argument(
        "--record", action="store_true", help=f"append the results to {RESULTS.name}"
    )
    args = parser.parse_args(argv)
    if not args.log.is_file():
        sys.exit(f"{args.log}: not found (the real logs sit in ../shared/data/eventlogs)")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    header = (
        f"{args.log.name}, best of {args.repeat} runs each; Python {platform.python_version()}, "
        f"{platform.platform()}, {os.cpu_count()} CPUs, load average {load} at the start"
    )
    print(header)
    print(f"{versions()}; pm4py.read_xes reads with {pm4py_backend()}")
    runs: dict[str, list[dict[str, float]]] = {reader: [] for reader in READERS}
    if args.floor:
        runs["expat-floor"] = []
    for repetition in range(args.repeat):
        for reader in runs:
            result = run(reader, args.log)
            runs[reader].append(result)
            print(
                f"  run {repetition + 1} {reader:15} read {result['wall']:6.2f} s "
                f"(cpu {result['cpu']:6.2f} s), process {result['process']:6.2f} s, "
                f"peak {result['peak_mb']:5.0f} MB, {int(result['events']):,} events",
                flush=True,
            )
    best = {
        reader: {key: min(result[key] for result in results) for key in results[0]}
        for reader, results in runs.items()
    }
    counts = {int(best[reader]["events"]) for reader in READERS}
    if len(counts) > 1:
        print("  the readers disagree on the number of events!")
    print(f"\n{'':17}{'read (s)':>9}{'cpu (s)':>9}{'process (s)':>13}{'peak (MB)':>11}")
    for reader, result in best.items():
        print(
            f"{reader:17}{result['wall']:9.2f}{result['cpu']:9.2f}"
            f"{result['process']:13.2f}{result['peak_mb']:11.0f}"
        )
    ours = best["orglens"]
    ratios = {
        other: {key: best[other][key] / ours[key] for key in ("wall", "cpu", "process", "peak_mb")}
        for other in ("orglens-expat", "pm4py", "pm4py-iterparse")
    }
    print("\nratios other / orglens (rustxes reader); above 1: orglens is faster or smaller")
    for other, ratio in ratios.items():
        print(
            f"{other + '/orglens':25}read {ratio['wall']:5.1f}×  cpu {ratio['cpu']:5.1f}×  "
            f"process {ratio['process']:5.1f}×  peak {ratio['peak_mb']:5.1f}×"
        )
    verdicts = {
        other: "met" if ratios[other]["wall"] >= 5 else "NOT met"
        for other in ("pm4py", "pm4py-iterparse")
    }
    print(
        f"target (read ≥ 5× faster than pm4py.read_xes): {verdicts['pm4py']} against its "
        f"default reader here ({pm4py_backend()}); {verdicts['pm4py-iterparse']} against its "
        "own iterparse reader"
    )
    if args.record:
        record(args.log, args.repeat, header, best, ratios, verdicts)
        print(f"appended to {RESULTS}")


def record(
    log: Path,
    repeat: int,
    header: str,
    best: dict[str, dict[str, float]],
    ratios: dict[str, dict[str, float]],
    verdicts: dict[str, str],
) -> None:
    """Append a dated section to ``bench/RESULTS.md`` (never rewrites what is there)."""
    lines = [
        "",
        f"## {dt.date.today().isoformat()} — xes_import ({log.name})",
        "",
        f"{header}.",
        f"{versions()}; pm4py.read_xes reads with {pm4py_backend()}.",
        "Each reader in its own process; read = the read call only (imports excluded), "
        "process = the whole process, peak = ru_maxrss.",
        "",
        "| reader | read s | cpu s | process s | peak MB | events |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for reader, result in best.items():
        lines.append(
            f"| {LABELS[reader]} | {result['wall']:.2f} | {result['cpu']:.2f} | "
            f"{result['process']:.2f} | {result['peak_mb']:.0f} | {int(result['events']):,} |"
        )
    lines.append("")
    for other, ratio in ratios.items():
        lines.append(
            f"- {LABELS[other]} / orglens (rustxes): read {ratio['wall']:.1f}×, "
            f"process {ratio['process']:.1f}×, peak memory {ratio['peak_mb']:.1f}×"
        )
    lines.append(
        f"- Target (orglens ≥ 5× faster than pm4py.read_xes): {verdicts['pm4py']} against "
        f"pm4py's default here, which reads with rustxes too; {verdicts['pm4py-iterparse']} "
        "against pm4py's own iterparse reader."
    )
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
