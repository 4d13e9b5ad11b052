"""The workspace benchmark's statistics (bench/workspace.py): no timing is asserted, only how
the runs it measured are combined into ratios."""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import workspace as bench


def run(command: str, wall_s: float, status: str = "ok") -> bench.Run:
    return bench.Run("w", command, status=status, wall_s=wall_s)


def test_the_paired_ratio_is_the_median_of_each_rounds_own_ratio() -> None:
    # Round 1's anchor was lucky: the best of each command pairs it with round 3's analyze
    # (1.2 / 1.0); each round's own ratio is 1.3, 1.1 and 1.09.
    anchors = [run("anchor", 1.0), run("anchor", 2.0), run("anchor", 1.1)]
    analyses = [run("analyze", 1.3), run("analyze", 2.2), run("analyze", 1.2)]
    assert bench.paired_ratio(analyses, anchors) == 1.1
    assert bench.best(analyses).wall_s / bench.best(anchors).wall_s == 1.2


def test_a_failed_run_leaves_its_round_out_of_the_paired_ratio() -> None:
    anchors = [run("anchor", 1.0), run("anchor", 1.0, status="timeout")]
    analyses = [run("analyze", 1.3), run("analyze", 9.0)]
    assert bench.paired_ratio(analyses, anchors) == 1.3
    failed = [run("analyze", math.nan, status="exit 1")]
    assert math.isnan(bench.paired_ratio(failed, [run("anchor", 1.0)]))


def test_the_people_anchor_mines_the_same_log_with_the_workspaces_people() -> None:
    workspace, log = Path("/w"), Path("/w/log.parquet")
    anchor = bench.command_line("anchor", workspace, log)
    people = bench.command_line("people-anchor", workspace, log)
    assert anchor[-6:] == ["mine", str(log), "--what", "unit-handoffs", "--format", "json"]
    assert people == [*anchor, "--workspace", str(workspace)]


def test_a_people_anchor_finding_other_handoffs_than_analyze_reads_wrong() -> None:
    observed = {"cases": 4, "cross_unit_handoffs_per_case": 1.5}
    assert bench.same_handoffs({"cross": {"count": 6}}, observed) == []
    (problem,) = bench.same_handoffs({"cross": {"count": 5}}, observed)
    assert "1.250000 cross-unit handoffs per case, analyze 1.5" in problem
