"""Report benchmark: ``orglens report`` against ``orglens compare`` on the same workspace.

Usage::

    python bench/report.py [--events 1000000] [--people 1000] [--repeat 3] [--seed 7] [--record]

The report is the comparison (every design scored, the advice, the recommendation) plus the
charts and the page. The anchor is ``orglens compare W --format json`` on the same workspace,
in the same run: the ratio says what writing the report adds to the work it cannot avoid.
Issue 12 asks that the report of a 1,000-person company with a 1M-event history stays under
5 MB and fast to open; this script records its size and the time Chromium takes to load it
(to the ``load`` event, headless, the page's own file) when Playwright and a Chromium exist.

Workspaces (built under ``bench/.work/`` by :mod:`workspace`'s builder, in a process of its own):

- ``crm-1000``: the seeded CRM log of :mod:`crmlog` (``--events``) with its 350 resources as
  people, and more people (``--people`` in all) in product, engineering and communications teams
  that do no event of the log: a company of 1,000 whose history has a million events.
- ``bpic2013-incidents``: the real BPI Challenge 2013 incident log (65,533 events; 1,873 people in
  433 units), when ``../shared/data`` is beside the repository.
- ``demo``: the bundled demo company (147 people, ~40,000 events).

Each command runs in a fresh process, rounds alternating the two, the fastest of ``--repeat``
counts. ``--record`` appends a dated section to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import workspace as shared  # noqa: E402  (the workspace benchmark's builder and runner)

DEMO = BENCH.parent / "examples" / "demo"
#: Teams that do no work in the CRM log, to grow the company: (unit, name, function).
EXTRA_UNITS = (
    ("product", "Product", "product"),
    ("engineering", "Engineering", "engineering"),
    ("communications", "Communications", "communications"),
)
TEAM = 8


def grow(folder: Path, people: int) -> int:
    """Add people to the CRM workspace until it has ``people``, in teams of :data:`TEAM` under
    three new departments; the number of people it then has."""
    with (folder / "people.csv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    with (folder / "units.csv").open(encoding="utf-8") as stream:
        units = list(csv.reader(stream))
    header, persons = rows[0], rows[1:]
    missing = max(0, people - len(persons))
    for index in range(missing):
        department, name, function = EXTRA_UNITS[index % len(EXTRA_UNITS)]
        team = f"{department}-team-{index // (len(EXTRA_UNITS) * TEAM)}"
        head, lead = f"head-{department}", f"lead-{team}"
        if not any(unit[0] == department for unit in units):
            units.append([department, name, "management", head, function])
            persons.append(
                [head, f"Head of {name}", "ceo", department, "Head", function, 1_400_000]
            )
        if not any(unit[0] == team for unit in units):
            units.append([team, f"{name} team {index // (len(EXTRA_UNITS) * TEAM)}", department,
                          lead, function])  # fmt: skip
            persons.append([lead, f"Lead {team}", head, team, "Lead", function, 900_000])
        persons.append([f"p-{index}", f"Person {index}", lead, team, "Member", function, 700_000])
        if len(persons) >= people:
            break
    for path, table in ((folder / "people.csv", [header, *persons]), (folder / "units.csv", units)):
        with path.open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(table)
    return len(persons)


def open_time(page: Path) -> float | None:
    """Seconds headless Chromium takes to load ``page`` (best of 3); None without a browser."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    best = float("inf")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for _ in range(3):
            tab = browser.new_page()
            start = time.perf_counter()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            best = min(best, time.perf_counter() - start)
            tab.close()
        browser.close()
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=lambda text: int(float(text)), default=1_000_000)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    folder = shared.WORK / "report"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cache = Path(tempfile.mkdtemp(prefix="orglens-pyc-", dir="/tmp"))
    load_at_start = os.getloadavg()[0]
    try:
        env = shared.child_environment(None, cache)
        real = shared.REAL_LOG.exists()
        built = shared.build_in_child(folder, args.events, args.seed, ["parquet"], real)
        workspaces = {"crm-1000": folder / "crm-parquet"}
        people = {"crm-1000": grow(folder / "crm-parquet", args.people)}
        if real:
            workspaces["bpic2013-incidents"] = folder / "bpic2013-incidents"
            people["bpic2013-incidents"] = built["workspaces"]["bpic2013-incidents"]["people"]
        shutil.copytree(DEMO, folder / "demo")
        workspaces["demo"] = folder / "demo"
        people["demo"] = sum(1 for _ in (DEMO / "people.csv").open(encoding="utf-8")) - 1
        demo_events = sum(1 for _ in (DEMO / "events.csv").open(encoding="utf-8")) - 1
        events = {"crm-1000": args.events, "bpic2013-incidents": 65_533, "demo": demo_events}
        rows = []
        for name, path in workspaces.items():
            commands = {
                "compare": [sys.executable, "-m", "orglens", "compare", str(path), "--format",
                            "json"],
                "report": [sys.executable, "-m", "orglens", "report", str(path), "-o",
                           str(folder / f"{name}.html")],
            }  # fmt: skip
            for argv_ in commands.values():  # warm the bytecode cache, untimed
                shared.run(name, "warm", argv_, folder / "out", env=env, cwd=folder,
                           timeout=args.timeout)  # fmt: skip
            best: dict[str, Any] = {}
            for _ in range(args.repeat):
                for command, argv_ in commands.items():
                    done = shared.run(name, command, argv_, folder / "out", env=env, cwd=folder,
                                      timeout=args.timeout)  # fmt: skip
                    if not done.ok:
                        sys.exit(f"{name} {command}: {done.status}")
                    if command not in best or done.wall_s < best[command].wall_s:
                        best[command] = done
            page = folder / f"{name}.html"
            size = page.stat().st_size
            opened = open_time(page)
            rows.append((name, people[name], events[name], best, size, opened))
            print(name, {k: round(v.wall_s, 2) for k, v in best.items()}, size, opened, flush=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    lines = [
        f"## {date.today().isoformat()} — report: orglens report vs orglens compare "
        "(bench/report.py)",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{load_at_start:.1f} → {os.getloadavg()[0]:.1f}. Fresh process per command, best of "
        f"{args.repeat}; anchor `orglens compare W --format json` on the same workspace. Open: "
        "headless Chromium to the `load` event (best of 3).",
        "",
        "| workspace | people | events | compare s | report s | report / compare | "
        "report MB | peak MB | open s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, count, n_events, best, size, opened in rows:
        compare, report = best["compare"], best["report"]
        lines.append(
            f"| {name} | {count:,} | {'' if n_events is None else f'{n_events:,}'} "
            f"| {compare.wall_s:.2f} | {report.wall_s:.2f} | {report.wall_s / compare.wall_s:.2f}× "
            f"| {size / 1e6:.2f} | {report.peak_mb:,.0f} "
            f"| {'n/a' if opened is None else f'{opened:.2f}'} |"
        )
    block = "\n".join(lines) + "\n"
    print("\n" + block)
    if args.record:
        with shared.RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + block)


if __name__ == "__main__":
    main()
